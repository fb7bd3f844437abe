-- context.html_to_text keeps apart the words a browser shows apart. Bug: a refusal after a
-- <summary>, <legend> or another block element other than <p>, <div> and <li> was joined to
-- the word before it ("NoteDon't"), and a comment was read up to the first ">" rather than to
-- where a browser ends it, so "<!-- a > b -->" left " b -->" in the text. Run with lua5.4 from
-- the source folder given as the first argument.
local source = arg[1] or "."
package.path = source .. "/bindings/lua/?.lua;" .. package.path
local context = require "context"

local failures = 0
local function check(name, got, expected)
    if got ~= expected then
        failures = failures + 1
        io.stderr:write(string.format("FAIL %s:\n  got      %q\n  expected %q\n", name,
            tostring(got), tostring(expected)))
    end
end

-- {name, html, text}
local cases = {
    {"summary", "<p>Approved.</p><details open><summary>Note</summary>Don't change it</details>",
        "Approved.\nNote\nDon't change it"},
    {"legend", "<fieldset><legend>Note</legend>Don't change it</fieldset>", "Note\nDon't change it"},
    {"figcaption", "<figure><figcaption>Note</figcaption>Don't</figure>", "Note\nDon't"},
    {"caption", "<table><caption>Note</caption><tr><td>Don't</td></tr></table>", "Note\nDon't"},
    {"aside and nav", "<aside>Note</aside><nav>Don't</nav>", "Note\nDon't"},
    {"main and form", "<main>Note</main><form>Don't</form>", "Note\nDon't"},
    {"dialog, search and menu", "<dialog open>A</dialog><search>B</search><menu>C</menu>",
        "A\nB\nC"},
    {"table cells", "<table><tr><th>Note</th><td>Don't</td></tr></table>", "Note Don't"},
    {"cell end", "<table><tr><td>Note</td></tr></table>Don't", "Note\nDon't"},
    {"wbr inside a word", "<p>pass<wbr>word</p>", "password"},
    {"paragraphs", "<p>Printer jammed</p><p>reset my password</p>",
        "Printer jammed\nreset my password"},
    {"two breaks", "Printer jammed<br><br>reset", "Printer jammed\n\nreset"},
    {"inline tags join", "<p>pass<b>word</b></p>", "password"},
    {"empty comment", "<p>Approved.</p><!-->Do not go ahead", "Approved.\nDo not go ahead"},
    {"empty comment with dash", "<p>Approved.</p><!--->Do not go ahead",
        "Approved.\nDo not go ahead"},
    {"comment ended by --!>", "<p>Approved.</p><!-- x --!>Do not go ahead",
        "Approved.\nDo not go ahead"},
    {"comment with >", "<p>Approved.</p><!-- a > b --><p>Thanks</p>", "Approved.\nThanks"},
    {"comment inside a word", "<p>Appr<!---->oved</p>", "Approved"},
}
for _, case in ipairs(cases) do
    check(case[1], context.html_to_text(case[2]), case[3])
end

if failures > 0 then
    io.stderr:write(string.format("%d of %d cases failed\n", failures, #cases))
    os.exit(1)
end
print(string.format("context_html_words: %d cases passed", #cases))
