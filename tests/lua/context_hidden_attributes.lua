-- context.visible_text: the workflows' match text leaves out what a reader does not see, by the
-- sensitive policy's drop_hidden. Bug: a style written with character references
-- ('<span style="display&#58;none">'), which a browser decodes, kept its words in the match
-- text, and so did an element whose tag had a ">" inside a quoted attribute value. Run with
-- lua5.4 from the source folder given as the first argument.
local source = arg[1] or "."
package.path = source .. "/bindings/lua/?.lua;" .. package.path
local context = require "context"
local sensitive = dofile(source .. "/config/policies/sensitive.lua")
context.drop_hidden = sensitive.drop_hidden

local failures = 0
local function check(name, got, expected)
    if got ~= expected then
        failures = failures + 1
        io.stderr:write(string.format("FAIL %s:\n  got      %q\n  expected %q\n", name,
            tostring(got), tostring(expected)))
    end
end

-- {name, the attributes of the span around "do not", hidden}
local cases = {
    {"decimal reference", 'style="display&#58;none"', true},
    {"decimal without semicolon", 'style="display&#58none"', true},
    {"hex reference", 'style="display&#x3a;none"', true},
    {"hex without semicolon", 'style="display&#x3Anone"', true},
    {"named reference", 'style="display&colon;none"', true},
    {"reference in the name", 'style="disp&#108;ay:none"', true},
    {"reference in the value", 'style="display:&#110;one"', true},
    {"visibility", 'style="visibility&#58;hidden"', true},
    {"font size", "style='font-size&#58;0'", true},
    {"white colour", 'style="color:&#35;fff"', true},
    {"undecoded reference", 'style="color:#fff&amp;"', true},
    {"class", 'class="hid&#100;en"', true},
    {"aria-hidden", 'aria-hidden="tr&#117;e"', true},
    {"quoted >", 'data-x=">" style="display:none"', true},
    {"quoted > in single quotes", "title='a>b' hidden", true},
    {"quoted entity font", 'style="font-family:&quot;Calibri&quot;,sans-serif"', false},
    {"link with &amp;", 'title="a>b" data-href="x?a=1&amp;b=2"', false},
    {"dark colour", 'style="color:&#35;333"', false},
}
for _, case in ipairs(cases) do
    local name, attributes, hidden = table.unpack(case)
    local html = "<p>Please <span " .. attributes .. ">do not</span> reset my password</p>"
    check(name, context.visible_text(html),
        hidden and "Please reset my password" or "Please do not reset my password")
end

-- A closed <details> shows only its summary, and the policy counts all of it as hidden.
check("closed details", context.visible_text("<p>Printer jammed</p><details><summary>Note"
    .. "</summary>reset my password</details>"), "Printer jammed")
check("open details", context.visible_text("<p>Printer jammed</p><details open>reset my "
    .. "password</details>"), "Printer jammed\nreset my password")

-- Many tags with quoted brackets are read in one pass, so the cost stays linear.
local long = ("<span title='>' style='color:&#35;333'>x</span>"):rep(5000)
local count = 0
debug.sethook(function()
    count = count + 1000
end, "", 1000)
context.visible_text(long)
debug.sethook()
if count > 5000000 then
    failures = failures + 1
    io.stderr:write(string.format("FAIL long markup took about %d instructions\n", count))
end

if failures > 0 then
    io.stderr:write(string.format("%d checks failed\n", failures))
    os.exit(1)
end
print("ok")
