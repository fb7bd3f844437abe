-- Execute mode: a reply that asks for nothing sensitive is screened first, and then the run is
-- planned again with it, as before screening came first. The screen and the sync it queues do
-- not queue each other again: the ticket is screened once per change.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_status.lua"})
halyard.import(acme, {mode = "execute"})

-- Returns the kinds of the events of the ticket's newest run, oldest first.
local function event_kinds(ticket)
    local kinds = {}
    for _, event in ipairs(halyard.runs(ticket)[1].events) do
        kinds[#kinds + 1] = event.kind
    end
    return kinds
end

-- Returns the position of the first event of kind after position start, or nil.
local function find_event(kinds, kind, start)
    for index = (start or 0) + 1, #kinds do
        if kinds[index] == kind then
            return index
        end
    end
    return nil
end

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.update(ticket, {technician = sam, assign = sam})
expect.note(ticket, {contains = "asks for approval", hidden = true})
expect.run(ticket, {state = "awaiting_approval"})
halyard.settle()
local before = #event_kinds(ticket)

halo.reply(ticket, {user = jane, text = "It is the kiosk next to the front door, if that helps."})
expect.logged("still not sensitive")
expect.run(ticket, {state = "awaiting_approval"})
expect.no_new_note(ticket)

local kinds = event_kinds(ticket)
local screened = find_event(kinds, "screened_again", before)
local read = find_event(kinds, "messages", before)
expect.truthy(screened, "the reply was screened")
expect.truthy(read, "the reply reached the agent as a message")
expect.truthy(screened < read, "the reply was screened before it was read")
expect.truthy(find_event(kinds, "planned", read), "the run was planned again with the reply")
expect.eq(#verifier.challenges(), 0, "a reply that asks for nothing sensitive needs no check")

-- Counts the events of kind in kinds.
local function count_events(kinds, kind)
    local count = 0
    for _, found in ipairs(kinds) do
        if found == kind then
            count = count + 1
        end
    end
    return count
end

-- No loop: one screen for the one change, however long halyard runs on. The periodic check
-- of the approval still syncs the unchanged ticket, and those syncs neither screen nor plan.
local planned = count_events(kinds, "planned")
local synced = count_events(kinds, "ticket_synced")
expect.eq(count_events(kinds, "screened_again"), 1, "the reply was screened once")
expect.no_new_note(ticket, {advance = "30m"})
kinds = event_kinds(ticket)
expect.truthy(count_events(kinds, "ticket_synced") > synced, "the periodic check synced")
expect.eq(count_events(kinds, "screened_again"), 1, "the unchanged ticket was not screened again")
expect.eq(count_events(kinds, "planned"), planned, "the unchanged ticket was not planned again")
