-- Counts, from the simulator's own answers, what halyard did with the demo's tickets.
--
--   lua5.4 scripts/demo-summary.lua TICKET_PAGES_FOLDER ACTIONS.json IMPORTED_IDS [--quiet]
--
-- TICKET_PAGES_FOLDER holds the pages of GET /api/Tickets, ACTIONS.json the body of
-- GET /api/Actions?includehtmlnote=true, and IMPORTED_IDS the comma-separated ids of the clients
-- halyard imported. A plan note is a hidden action by the API agent (agent 1) that carries
-- halyard's run marker.
--
-- Exit status: 0 when every ticket of an imported client has exactly one plan note and no
-- other ticket has any; 1 otherwise. With --quiet nothing is printed and 0 means only that every
-- ticket of an imported client has at least one note (the demo polls with it until done).
local cjson = require "cjson"

local API_AGENT_ID = 1

local pages_folder, actions_path, imported_text, flag = arg[1], arg[2], arg[3], arg[4]
if not imported_text then
    io.stderr:write("usage: demo-summary.lua TICKET_PAGES_FOLDER ACTIONS.json IMPORTED_IDS [--quiet]\n")
    os.exit(2)
end
local quiet = flag == "--quiet"

local function read_json(path)
    local file = assert(io.open(path, "rb"))
    local text = file:read("a")
    file:close()
    return cjson.decode(text)
end

local imported = {}
for id in imported_text:gmatch("%d+") do
    imported[tonumber(id)] = true
end

-- Tickets, from every page.
local tickets = {}
local pipe = assert(io.popen("ls " .. pages_folder))
for name in pipe:lines() do
    for _, ticket in ipairs(read_json(pages_folder .. "/" .. name).tickets) do
        tickets[#tickets + 1] = ticket
    end
end
pipe:close()

-- Plan notes per ticket, and notes that break the rules.
local notes = {}
local visible_notes = 0
for _, action in ipairs(read_json(actions_path).actions) do
    local text = (type(action.note_html) == "string" and action.note_html or "") ..
                     (type(action.note) == "string" and action.note or "")
    if text:find("halyard run", 1, true) and action.who_agentid == API_AGENT_ID then
        local ticket_id = math.tointeger(action.ticket_id)
        notes[ticket_id] = (notes[ticket_id] or 0) + 1
        if action.hiddenfromuser ~= true then
            visible_notes = visible_notes + 1
        end
    end
end

local counts = {received = #tickets, of_imported = 0, planned = 0, skipped = 0, missing = 0,
    doubled = 0, on_skipped = 0}
local missing_ids = {}
for _, ticket in ipairs(tickets) do
    local id = math.tointeger(ticket.id)
    local count = notes[id] or 0
    if imported[math.tointeger(ticket.client_id)] then
        counts.of_imported = counts.of_imported + 1
        if count == 1 then
            counts.planned = counts.planned + 1
        elseif count == 0 then
            counts.missing = counts.missing + 1
            missing_ids[#missing_ids + 1] = id
        else
            counts.doubled = counts.doubled + 1
        end
    else
        counts.skipped = counts.skipped + 1
        if count > 0 then
            counts.on_skipped = counts.on_skipped + 1
        end
    end
end

if quiet then
    os.exit(counts.of_imported > 0 and counts.missing == 0 and 0 or 1)
end

print(string.format("tickets received by HaloPSA:            %5d", counts.received))
print(string.format("  of imported clients:                  %5d", counts.of_imported))
print(string.format("plan notes posted (hidden, API agent):  %5d tickets with exactly one", counts.planned))
print(string.format("skipped as not imported:                %5d tickets, %d of them noted (must be 0)",
    counts.skipped, counts.on_skipped))
print(string.format("failed (no plan note):                  %5d", counts.missing))
print(string.format("doubled (more than one plan note):      %5d", counts.doubled))
print(string.format("plan notes visible to the user:         %5d (must be 0)", visible_notes))
if #missing_ids > 0 then
    table.sort(missing_ids)
    print("tickets without a note: " .. table.concat(missing_ids, " ", 1, math.min(#missing_ids, 20)) ..
        (#missing_ids > 20 and " ..." or ""))
end

local ok = counts.of_imported > 0 and counts.missing == 0 and counts.doubled == 0 and
               counts.on_skipped == 0 and visible_notes == 0
print(ok and "result: every ticket of an imported client has exactly one plan note"
          or "result: FAILED")
os.exit(ok and 0 or 1)
