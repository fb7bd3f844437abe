-- Regression: a step argument filled from "{ticket.summary}" or "{ticket.details}" copied a
-- password typed there whole into the plan note, its run events and the stored plan. Those
-- placeholders now get the quote cut, which keeps an error code and a ticket id.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("quoting_note.lua", [==[
return {
    name = "Quoting note",
    status = "active",
    scope = "all",
    trigger = "A request quoted into a note.",
    match = {all = {{"quotenote*"}}},
    instructions = "x",
    steps = {
        {tool = "halo.add_note", arguments = {note = "Requester wrote: {ticket.summary}"},
            purpose = "Quote the summary."},
        {tool = "halo.add_note", arguments = {note = "{ticket.details}"},
            purpose = "Quote the details."},
    },
    samples = {
        match = {{source = "written", summary = "quotenote", details = "quotenote"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]==])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane,
    summary = "quotenote VPN pw: Tr0ub4dor&3 gives 0x80070005",
    details = "quotenote my new password. It is now Hunter22x, see ticket #4821"}
local note = expect.note(ticket, {contains = "halyard plan for ticket"})
expect.contains(note.text, "Requester wrote: quotenote VPN pw: [secret removed] gives 0x80070005",
    "the summary placeholder is cut and keeps the error code")
expect.contains(note.text, "It is now [secret removed], see ticket #4821",
    "the details placeholder is cut and keeps the ticket id")
for _, secret in ipairs({"Tr0ub4dor", "Hunter22x"}) do
    expect.not_contains(note.text, secret, "the plan note keeps no " .. secret)
    for _, run in ipairs(halyard.runs(ticket)) do
        for _, event in ipairs(run.events) do
            expect.not_contains(event.detail or "", secret,
                "run event " .. event.kind .. " keeps no " .. secret)
        end
    end
end
