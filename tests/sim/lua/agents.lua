-- /api/Agent: the MSP's technicians and API agents (HaloPSA's Uname). Read-only here.
--
-- GET /Agent returns a bare array. API agents are listed only with includeapiagents=true and
-- disabled agents only with includedisabled=true; team_id (ids) and team (names) filter by
-- membership; search matches name and e-mail. /Agent/me is the agent the API application logs
-- in as (the seed's login_agent_id).
local encode = require "encode"
local lists = require "lists"
local records = require "records"
local responses = require "responses"
local state = require "state"

local agents = {}

-- Returns the ids of the teams an agent belongs to: its `team` (a name) and its `teams` list
-- (names, ids or {id}/{name} objects). Returns nil, message for a team that does not exist.
local function resolve_teams(row, db)
    local names = {}
    if type(row.team) == "string" and row.team ~= "" then
        names[#names + 1] = row.team
    end
    for _, entry in ipairs(type(row.teams) == "table" and row.teams or {}) do
        if type(entry) == "table" then
            entry = entry.id or entry.team_id or entry.name or entry.team_name
        end
        names[#names + 1] = entry
    end

    local team_ids = encode.array()
    local seen = {}
    for _, name in ipairs(names) do
        local team = require("teams").find(db, name)
        if team == nil then
            return nil, string.format("team %s is not one of the teams", tostring(name))
        end
        if not seen[team.id] then
            seen[team.id] = true
            team_ids[#team_ids + 1] = team.id
        end
    end
    return team_ids
end

function agents.prepare(row, db)
    local id, message = records.seed_id(row)
    if not id then
        return nil, message
    end
    row.id = id
    if type(row.name) ~= "string" or row.name == "" then
        return nil, string.format("agent %d has no name", id)
    end
    local team_ids, team_message = resolve_teams(row, db)
    if not team_ids then
        return nil, string.format("agent %d: %s", id, team_message)
    end
    row._team_ids = team_ids
    row.teams = nil
    local first_team = db.teams:get(team_ids[1])
    row.team = first_team and first_team.name or ""

    local first, last = row.name:match("^(%S+)%s+(.-)$")
    row.firstname = records.text(row.firstname, first or row.name)
    row.surname = records.text(row.surname, last or "")
    row.initials = records.text(row.initials,
        (row.firstname:sub(1, 1) .. row.surname:sub(1, 1)):upper())
    row.email = records.text(row.email, "")
    row.isdisabled = row.isdisabled == true
    row.isapiagent = row.isapiagent == true
    row.is_agent = true
    row.use = records.text(row.use, "agent")
    return row
end

function agents.view(record)
    local row = records.copy(record)
    row.teams = encode.array()
    for _, team_id in ipairs(record._team_ids) do
        row.teams[#row.teams + 1] = encode.object({ id = team_id,
            name = records.name_of(state.db.teams, team_id) })
    end
    row.team_id = record._team_ids[1] or 0
    return row
end

-- Returns true when the agent belongs to the team with team_id.
function agents.in_team(record, team_id)
    for _, id in ipairs(record._team_ids) do
        if id == team_id then
            return true
        end
    end
    return false
end

local function list(ctx)
    local q = ctx.q
    local include_api = q:boolean("includeapiagents", false)
    local include_disabled = q:boolean("includedisabled", false)
    local include_enabled = q:boolean("includeenabled", true)
    local team_ids = q:integer_set("team_id")
    local team_names = q:get("team")
    local team_filter = nil
    if team_names then
        team_filter = {}
        for name in team_names:gmatch("[^,]+") do
            local team = require("teams").find(state.db, name:match("^%s*(.-)%s*$"))
            if team then
                team_filter[team.id] = true
            end
        end
    end

    local function in_any(record, set)
        for _, id in ipairs(record._team_ids) do
            if set[id] then
                return true
            end
        end
        return false
    end

    local page = lists.select(state.db.agents.items, q, {
        paging = false,
        filter = function(record)
            return (include_api or not record.isapiagent)
                and (include_disabled or not record.isdisabled)
                and (include_enabled or record.isdisabled)
                and (team_ids == nil or in_any(record, team_ids))
                and (team_filter == nil or in_any(record, team_filter))
        end,
        search_fields = function(record)
            return { record.name, record.email }
        end,
    })
    if q.errors then
        return responses.model_errors(q.errors)
    end
    return responses.json(200, lists.map(page, agents.view))
end

local function get(ctx, id)
    local record = state.db.agents:get(id)
    if record == nil then
        return responses.not_found("No Agent with id %s was found", ctx.id_text)
    end
    return responses.json(200, agents.view(record))
end

local function get_me()
    return responses.json(200, agents.view(state.login_agent()))
end

agents.resource = {
    name = "Agent",
    right = "lookups",
    list = list,
    get = get,
    named = { me = get_me },
}

return agents
