-- context.html_to_text: an HTML element that overrides the text's direction (<bdo dir=rtl>, or
-- a style of "unicode-bidi: bidi-override; direction: rtl") shows its letters in reverse, like
-- a U+202E override. Bug: "Please <bdo dir=rtl>drowssap ym teser</bdo>" shows "reset my
-- password" in a browser, but the workflows' text read it as stored. html_to_text wraps such an
-- element in the Unicode override it stands for, as the sensitive policy's strip_html does
-- (mark_overrides), and the reading of overrides (text.normalise, the policy's
-- fold_characters) puts it in the order shown. Run with lua5.4 from the source folder given as
-- the first argument.
local source = arg[1] or "."
package.path = source .. "/bindings/lua/?.lua;" .. package.path
local context = require "context"
local sensitive = dofile(source .. "/config/policies/sensitive.lua")

local RLO, LRO, PDF = "\u{202E}", "\u{202D}", "\u{202C}"

-- {html, the text html_to_text gives, the text a reader sees}
local cases = {
    {"Please <bdo dir=\"rtl\">drowssap ym teser</bdo> now",
        "Please " .. RLO .. "drowssap ym teser" .. PDF .. " now", "Please reset my password now"},
    {"Please <BDO DIR=RTL>AFM ym evomer</BDO>", "Please " .. RLO .. "AFM ym evomer" .. PDF,
        "Please remove my MFA"},
    {"Please <span style=\"unicode-bidi: bidi-override; direction: rtl\">kcolnu</span> it",
        "Please " .. RLO .. "kcolnu" .. PDF .. " it", "Please unlock it"},
    {"<span dir='rtl' style='unicode-bidi:isolate-override'>te<span>s</span>er</span> it",
        RLO .. "teser" .. PDF .. " it", "reset it"},
    -- A <style> rule for a class, an id or an element, with its direction in the rule or in
    -- the element's dir.
    {"<style>.r{unicode-bidi:bidi-override;direction:rtl}</style><p>Please <span class=\"x r\">"
        .. "drowssap</span></p>", "Please " .. RLO .. "drowssap" .. PDF, "Please password"},
    {"<style>#n { unicode-bidi: bidi-override }</style>Please <i id=n dir=rtl>kcolnu</i>",
        "Please " .. RLO .. "kcolnu" .. PDF, "Please unlock"},
    {"<style>b, em{direction:rtl;unicode-bidi:bidi-override}</style><em>teser</em>",
        RLO .. "teser" .. PDF, "reset"},
    -- A rule with a pseudo-class, or with right-to-left alone, overrides nothing.
    {"<style>.r:hover{unicode-bidi:bidi-override;direction:rtl}</style><b class=r>teser</b>",
        "teser", "teser"},
    {"<style>.r{direction:rtl}</style><b class=r>teser</b>", "teser", "teser"},
    -- An override nested in another moves as one piece, as in a browser.
    {"<bdo dir=rtl>a <bdo dir=ltr>xyz</bdo> b</bdo>", RLO .. "a " .. LRO .. "xyz" .. PDF
        .. " b" .. PDF, "b xyz a"},
    -- Right-to-left without an override, and an override to the left, keep the stored order.
    {"<span style=\"direction: rtl\">drowssap</span>", "drowssap", "drowssap"},
    {"<bdo dir=ltr>reset</bdo>", LRO .. "reset" .. PDF, "reset"},
    -- An unclosed override ends with its paragraph, and a stray closing tag is only a tag.
    {"<bdo dir=rtl>cba</p>def", RLO .. "cba\ndef", "abc\ndef"},
    {"abc</bdo> def", "abc def", "abc def"},
}

local failures = 0
for _, case in ipairs(cases) do
    local html, stored, visible = table.unpack(case)
    local text = context.html_to_text(html)
    local read = sensitive.fold_characters(text)
    if text ~= stored or read ~= visible then
        failures = failures + 1
        print(string.format("FAIL %q: html_to_text gave %q (expected %q), read as %q (expected %q)",
            html, text, stored, read, visible))
    end
    local policy_text = sensitive.mark_overrides(html):gsub("<style.-</style>", "")
        :gsub("<[^<>]*>", "")
    if not html:find("</p>", 1, true) and policy_text ~= stored then
        failures = failures + 1
        print(string.format("FAIL %q: the policy marks %q, the workflows %q", html, policy_text,
            stored))
    end
end

-- A long run of tags is read in one pass, so the cost stays linear in the length.
local long = ("<bdo dir=rtl><span>x</span>"):rep(5000)
local count = 0
debug.sethook(function()
    count = count + 1000
end, "", 1000)
context.html_to_text(long)
debug.sethook()
if count > 5000000 then
    failures = failures + 1
    print(string.format("FAIL long markup took about %d instructions", count))
end

if failures > 0 then
    error(string.format("%d case(s) failed", failures))
end
print(string.format("context_overrides: %d cases passed", #cases))
