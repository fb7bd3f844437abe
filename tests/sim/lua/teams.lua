-- /api/Team: the MSP's teams (HaloPSA's SectionDetail). Read-only here.
--
-- GET /Team is served whole, without paging or search, as a bare array by default or as
-- {teams, record_count} with --team-list wrapped: no captured response settles which one
-- HaloPSA sends. Filters: type (reqs, opps, prjs), department_id, ids (comma list),
-- includedisabled/includeenabled, showcounts (fills ticket_count with open tickets).
-- Tickets name their team by name (`team`), so find() resolves names and ids alike.
local encode = require "encode"
local ids = require "ids"
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local teams = {}

local TYPE_FLAGS = { reqs = "forrequests", opps = "foropps", prjs = "forprojects" }

function teams.prepare(row)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("team %d has no name", id)
    end
    row.guid = records.text(row.guid, string.format("00000000-0000-4000-8000-%012d", id))
    row.sequence = math.tointeger(row.sequence) or id
    row.forrequests = row.forrequests ~= false
    row.foropps = row.foropps == true
    row.forprojects = row.forprojects == true
    row.department_id = math.tointeger(row.department_id) or 0
    row.department_name = records.text(row.department_name, "")
    row.inactive = row.inactive == true
    row.emailaddress = records.text(row.emailaddress, "")
    return row
end

-- Returns the team named name (any case) or with id name (an integer or digits), or nil.
function teams.find(db, name)
    local id = ids.to_integer(name)
    if id ~= nil then
        return db.teams:get(id)
    end
    if type(name) ~= "string" then
        return nil
    end
    local lowered = name:lower()
    for _, team in ipairs(db.teams.items) do
        if team.name:lower() == lowered then
            return team
        end
    end
    return nil
end

local function count_open_tickets(team_id)
    local lookups = require "lookups"
    local count = 0
    for _, ticket in ipairs(state.db.tickets.items) do
        if ticket.team_id == team_id and not lookups.is_closed_status(ticket.status_id) then
            count = count + 1
        end
    end
    return count
end

local function list_row(record, show_counts)
    local row = records.copy(record, { emailaddress = true })
    row.ticket_count = show_counts and count_open_tickets(record.id) or 0
    return row
end

local function member_rows(record)
    local members = encode.array()
    for _, agent in ipairs(state.db.agents.items) do
        if require("agents").in_team(agent, record.id) then
            members[#members + 1] = encode.object({
                agent_id = agent.id, agent_name = agent.name, team_id = record.id,
                team_name = record.name, is_manager = false,
            })
        end
    end
    return members
end

function teams.view(record, include_agents)
    local row = records.copy(record)
    row.ticket_count = count_open_tickets(record.id)
    row.managers = encode.array()
    row.agents = include_agents and member_rows(record) or encode.array()
    return row
end

local function list(ctx)
    local q = ctx.q
    local type_flag = q:get("type") and TYPE_FLAGS[q:get("type"):lower()]
    if q:get("type") and not type_flag then
        q:add_error("type", string.format("The value '%s' is not valid; use reqs, opps or prjs.",
            q:get("type")))
    end
    local department_ids = q:integer_set("department_id")
    local team_ids = q:integer_set("ids")
    local include_disabled = q:boolean("includedisabled", false)
    local include_enabled = q:boolean("includeenabled", true)
    local show_counts = q:boolean("showcounts", false)

    local matches = {}
    for _, record in ipairs(state.db.teams.items) do
        if (type_flag == nil or record[type_flag])
            and (department_ids == nil or department_ids[record.department_id])
            and (team_ids == nil or team_ids[record.id])
            and (include_disabled or not record.inactive)
            and (include_enabled or record.inactive) then
            matches[#matches + 1] = record
        end
    end
    if q.errors then
        return responses.model_errors(q.errors)
    end

    local rows = lists.map(matches, function(record)
        return list_row(record, show_counts)
    end)
    if state.options.team_list == "wrapped" then
        return responses.json(200, lists.wrap("teams", rows, #rows))
    end
    return responses.json(200, rows)
end

local function get(ctx, id)
    local record = state.db.teams:get(id)
    if record == nil then
        return responses.not_found("No Team with id %s was found", ctx.id_text)
    end
    local include_agents = ctx.q:boolean("includeagents", false)
        or ctx.q:boolean("includedetails", false)
    if ctx.q.errors then
        return responses.model_errors(ctx.q.errors)
    end
    return responses.json(200, teams.view(record, include_agents))
end

teams.resource = {
    name = "Team",
    right = "teams",
    list = list,
    get = get,
}

return teams
