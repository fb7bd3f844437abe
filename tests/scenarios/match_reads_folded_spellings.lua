-- Workflow match rules read a ticket as a reader sees it: fullwidth letters, combining accents,
-- accented letters, named entities for invisible characters and <wbr> or inline tags inside a
-- word all match the plain rule phrase "mfa". A made-up entity is no word of its own.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local SPELLINGS = {
    "The printer is jammed again. Also please reset my \239\188\173\239\188\166\239\188\161.",
    "The printer is jammed again. Also please reset my M\204\129F\204\129A.",
    "The printer is jammed again. Also please r\195\169set my MF\195\129.",
    "<p>The printer is jammed again.</p><p>Also please reset my M&shy;F&ZeroWidthSpace;A.</p>",
    "<p>The printer is jammed again.</p><p>Also please reset my M<wbr>F<b>A</b>.</p>",
}
for _, details in ipairs(SPELLINGS) do
    local ticket = halo.log_ticket{user = jane, summary = "Printer", details = details}
    local note = expect.note(ticket)
    expect.contains(note.html, "MFA reset or re-registration", details)
end

-- "&madeup;" is removed, so "M&madeup;FA" reads "MFA" and never the word "madeup".
local ticket = halo.log_ticket{user = jane, summary = "Printer",
    details = "<p>The printer is jammed again. Also please reset my M&madeup;FA.</p>"}
expect.contains(expect.note(ticket).html, "MFA reset or re-registration")
