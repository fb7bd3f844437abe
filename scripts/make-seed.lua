-- Builds a halosim seed from the demo directory and the real tickets.
--
--   lua5.4 scripts/make-seed.lua DIRECTORY.json TICKETS.jsonl OUTPUT.json [--without-tickets]
--
-- Each ticket goes to a client and one of that client's users, chosen from the number in its
-- dataset id, so the same inputs always give the same seed. With --without-tickets the seed
-- holds only the directory and the tickets are written one JSON object a line to
-- OUTPUT.json's name with ".tickets.jsonl" appended, ready to be logged through /_sim/tickets.
local cjson = require "cjson"

local function fail(message)
    io.stderr:write("make-seed: ", message, "\n")
    os.exit(2)
end

local function read_file(path)
    local file, open_error = io.open(path, "rb")
    if not file then
        fail("cannot read " .. path .. ": " .. open_error)
    end
    local text = file:read("a")
    file:close()
    return text
end

local directory_path, tickets_path, output_path = arg[1], arg[2], arg[3]
local without_tickets = arg[4] == "--without-tickets"
if not output_path or (arg[4] and not without_tickets) then
    fail("usage: make-seed.lua DIRECTORY.json TICKETS.jsonl OUTPUT.json [--without-tickets]")
end

local decoded_ok, directory = pcall(cjson.decode, read_file(directory_path))
if not decoded_ok then
    fail(directory_path .. " is not valid JSON: " .. tostring(directory))
end

-- Users by client, in directory order, so the choice below is stable.
local users_by_client = {}
for _, user in ipairs(directory.users) do
    local list = users_by_client[user.client_id] or {}
    list[#list + 1] = user
    users_by_client[user.client_id] = list
end

-- Dataset priority "0" is the most urgent; HaloPSA's stock priorities run 1 (critical) to 4.
local priority_by_code = { ["0"] = 1, ["1"] = 2, ["2"] = 3, ["3"] = 4 }

local tickets = {}
local line_number = 0
for line in read_file(tickets_path):gmatch("[^\n]+") do
    line_number = line_number + 1
    local ok, record = pcall(cjson.decode, line)
    if not ok then
        fail(tickets_path .. ":" .. line_number .. ": not valid JSON: " .. tostring(record))
    end
    local number = tonumber(record.id:match("(%d+)$"))
    if not number then
        fail(tickets_path .. ":" .. line_number .. ": id '" .. tostring(record.id) ..
            "' does not end in a number")
    end

    local client = directory.clients[number % #directory.clients + 1]
    local users = users_by_client[client.id]
    local user = users[(number // #directory.clients) % #users + 1]
    tickets[#tickets + 1] = {
        id = 1000 + line_number,
        summary = record.subject,
        details = record.body,
        client_id = client.id,
        site_id = user.site_id,
        user_id = user.id,
        status_id = 1,
        priority_id = priority_by_code[record.priority] or 4,
        tickettype_id = 1,
        team = "1st Line",
        agent_id = 0,
        -- The dataset id travels in a custom field so tests can find a ticket's source line.
        customfields = { { id = 1, name = "CFDatasetId", value = record.id } },
    }
end

local function write_file(path, text)
    local file, open_error = io.open(path, "wb")
    if not file then
        fail("cannot write " .. path .. ": " .. open_error)
    end
    file:write(text)
    file:close()
end

if without_tickets then
    local lines = {}
    for index, ticket in ipairs(tickets) do
        ticket.id = nil
        lines[index] = cjson.encode(ticket)
    end
    write_file(output_path .. ".tickets.jsonl", table.concat(lines, "\n") .. "\n")
else
    directory.tickets = tickets
end
write_file(output_path, cjson.encode(directory))
io.stdout:write(string.format("make-seed: %d clients, %d users, %d tickets -> %s\n",
    #directory.clients, #directory.users, #tickets, output_path))
