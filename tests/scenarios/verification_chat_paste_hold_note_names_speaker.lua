-- Bug: the hold note for a chat pasted into the requester's ticket ("Bob Stone: please reset my
-- password" inside Jane's ticket) named no sender, because only mail headers and attributions
-- were read for one. The note now names the chat line's person in each shape own_words reads
-- as another speaker's, so the technician knows whom to call back.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme, {mode = "execute"})

local request = "I forgot my password, please reset it for me."
local shapes = {
    {name = "name and colon", details = "See the chat below.\n\nBob Stone: " .. request},
    {name = "first name in a chat", details = "Pasted from our Teams chat:\nBob: " .. request,
        speaker = "Bob"},
    {name = "name in brackets", details = "[Bob Stone] " .. request},
    {name = "name in angle brackets", details = "From IRC:\n<Bob Stone> " .. request},
    {name = "name said", details = "Bob Stone said: " .. request},
    {name = "name above time", details = "Bob Stone\n10:14 AM\n" .. request},
    {name = "time then name", details = "From Teams:\n[10:42] Bob Stone\n" .. request},
    -- Bug: these shapes gave a note that named no sender, or named "From Bob Stone".
    {name = "name and arrow", details = "Bob Stone > " .. request},
    {name = "from and name", details = "From Bob Stone: " .. request},
    {name = "wrote with a date", details = "Bob Stone wrote on 3 Dec 2026: " .. request},
    {name = "written for him", details = "Jane Doe on behalf of Bob Stone: " .. request},
    {name = "written for him in brackets", details = "Jane Doe (for Bob Stone): " .. request},
}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Chat with Bob", details = shape.details}
    halo.update(ticket, {technician = sam, assign = sam})
    local note = expect.note(ticket, {contains = "is not the requester's own", hidden = true})
    expect.contains(note.text, "which names " .. (shape.speaker or "Bob Stone") .. " as its sender",
        shape.name .. ": the note names the chat line's person")
end
expect.eq(#verifier.challenges(), 0, "Jane is not challenged for Bob's requests")

halyard.settle{timeout = 20}
