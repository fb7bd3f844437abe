-- The requester's own sensitive request is hers in every shape below, so she gets the identity
-- check. Each ticket's details are Jane's words only: a web form's fields, a heading with a
-- time, her own name above a time, what an app showed her, and her own earlier mail resent
-- below its attribution. None of these shapes names another person, so none is quoted mail.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local REQUEST = "please reset my MFA, I have a new phone."
local shapes = {
    {name = "web form", details = "Name: Jane Doe\nEmail: jane.doe@acme.example\n"
        .. "Sent: 05/12/2026 09:14\nMessage: " .. REQUEST},
    {name = "heading with a time", details = "Update 09:14 AM\n" .. REQUEST},
    {name = "her name and a time", details = "Jane Doe 09:14\n" .. REQUEST},
    {name = "app message", details = "Since Friday 4 Dec 2026 17:00\n"
        .. "Authenticator wrote: code expired\n" .. REQUEST},
    {name = "app message below a time", details = "Hello, Monday 09:14\n"
        .. "the app wrote: invalid code\n" .. REQUEST},
    {name = "her earlier mail", details = "Sorry, resending.\n\nOn Mon, 30 Nov 2026 at 09:14, "
        .. "Jane Doe <jane.doe@acme.example> wrote:\n> I forgot my password, please reset it."},
    {name = "her earlier mail in Outlook", details = "Resending.\n\nFrom: Jane Doe "
        .. "<jane.doe@acme.example>\nSent: Monday, 30 November 2026 09:14\nSubject: Locked out"
        .. "\n\nI forgot my password, please reset it."},
}
local not_challenged = {}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "New phone", details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    halyard.settle{timeout = 20}
    local run = halyard.runs(ticket)[1]
    if run.state ~= "awaiting_verification" then
        not_challenged[#not_challenged + 1] = shape.name .. " (" .. run.state .. ")"
    end
end
expect.eq(table.concat(not_challenged, "; "), "", "own requests with no challenge")
