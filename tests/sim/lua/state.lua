-- The simulator's data: seed loading with validation, and reset to the seed.
--
-- state.db contains one collection per resource (collection.lua) plus the webhook event table and
-- the login agent's id. Every module reads state.db at call time and never keeps a reference to
-- it, because state.reset() replaces the whole table.
--
-- Seed rows are checked by the owning resource module's prepare(row, db) function, which fills
-- defaults and returns the stored record or nil, message. A row from the seed file that fails
-- makes sim.init fail with a message naming the key, the row and the problem. A built-in row
-- that no longer fits (a built-in user whose client the seed file replaced) is dropped, so a
-- seed file may replace one key without rewriting the others.
local cjson = require "cjson"

local binder = require "binder"
local builtin_seed = require "builtin_seed"
local collection = require "collection"
local log = require "log"

local state = {}

state.db = nil
state.options = nil

local saved_seed_text = nil

-- Seed keys in load order: a key may refer only to keys above it. `module` owns the rows and
-- provides `prepare`.
local COLLECTION_KEYS = {
    { key = "teams", module = "teams" },
    { key = "clients", module = "clients" },
    { key = "sites", module = "sites" },
    { key = "users", module = "users" },
    { key = "agents", module = "agents" },
    { key = "statuses", module = "lookups", prepare = "prepare_status" },
    { key = "priorities", module = "lookups", prepare = "prepare_priority" },
    { key = "ticket_types", module = "lookups", prepare = "prepare_ticket_type" },
    { key = "outcomes", module = "lookups", prepare = "prepare_outcome" },
    { key = "assets", module = "assets" },
    { key = "tickets", module = "tickets" },
}

local OTHER_KEYS = { login_agent_id = true, webhook_events = true }

local function is_array(value)
    return type(value) == "table" and (next(value) == nil or value[1] ~= nil)
end

-- Returns a new, empty database.
local function new_db()
    local db = {
        webhooks = collection.new(),
        notifications = collection.new(),
        webhook_events = {},
        login_agent_id = nil,
    }
    for _, entry in ipairs(COLLECTION_KEYS) do
        db[entry.key] = collection.new()
    end
    return db
end

local function load_collection(db, entry, rows, from_file)
    local module = require(entry.module)
    local prepare = module[entry.prepare or "prepare"]
    for index, row in ipairs(rows) do
        local where = string.format("seed %s[%d]", entry.key, index - 1)
        if type(row) ~= "table" or row[1] ~= nil then
            return nil, where .. " is not a JSON object"
        end
        local record, message = prepare(binder.normalise(row), db)
        if record and db[entry.key]:get(record.id) ~= nil then
            record, message = nil, string.format("id %s is used twice; give each row its own id",
                tostring(record.id))
        end
        if record then
            db[entry.key]:add(record)
        elseif from_file then
            return nil, where .. ": " .. message
        else
            log.info("built-in %s row %d left out: %s", entry.key, index - 1, message)
        end
    end
    return true
end

-- Builds a database from seed_text (JSON, or nil for the built-in seed). Returns db, or nil,
-- message.
local function build_db(seed_text)
    local seed = {}
    if seed_text ~= nil then
        local ok, decoded = pcall(cjson.decode, seed_text)
        if not ok then
            return nil, "the seed file is not valid JSON: " .. tostring(decoded)
        end
        if type(decoded) ~= "table" or decoded[1] ~= nil or seed_text:match("^%s*%[") then
            return nil, "the seed file must contain a JSON object with keys such as clients, " ..
                "users, agents and tickets"
        end
        seed = decoded
    end

    local known = {}
    for _, entry in ipairs(COLLECTION_KEYS) do
        known[entry.key] = true
    end
    for key in pairs(seed) do
        if not known[key] and not OTHER_KEYS[key] then
            return nil, string.format("the seed file has an unknown key '%s'; known keys are " ..
                "clients, sites, users, agents, login_agent_id, teams, statuses, priorities, " ..
                "ticket_types, outcomes, assets, webhook_events and tickets", tostring(key))
        end
    end

    local builtin = builtin_seed.build()
    local db = new_db()

    -- Resource modules check references through state.db, so it points at the database being
    -- built; the callers restore the previous one when loading fails.
    state.db = db

    local webhook_events = seed.webhook_events or builtin.webhook_events
    local ok, message = require("events").load_table(db, binder.normalise(webhook_events))
    if not ok then
        return nil, message
    end

    for _, entry in ipairs(COLLECTION_KEYS) do
        local rows = seed[entry.key]
        local from_file = rows ~= nil
        if from_file and not is_array(rows) then
            return nil, string.format("seed key '%s' must be a JSON array", entry.key)
        end
        ok, message = load_collection(db, entry, rows or builtin[entry.key], from_file)
        if not ok then
            return nil, message
        end
    end

    local login_agent_id = seed.login_agent_id
    if login_agent_id == nil then
        login_agent_id = builtin.login_agent_id
    end
    login_agent_id = math.tointeger(login_agent_id)
    if login_agent_id == nil or db.agents:get(login_agent_id) == nil then
        return nil, string.format("seed login_agent_id %s is not one of the agents; set it to " ..
            "the id of the agent the API application logs in as", tostring(seed.login_agent_id
            or builtin.login_agent_id))
    end
    db.login_agent_id = login_agent_id
    return db
end

-- Loads the seed. options is the table the C host passes to sim.init. Returns true, or nil,
-- message.
function state.init(options, seed_text)
    state.options = options
    local db, message = build_db(seed_text)
    if not db then
        state.db = nil
        return nil, message
    end
    state.db = db
    saved_seed_text = seed_text
    return true
end

-- Replaces the data with a fresh copy of the seed loaded at start.
function state.reset()
    local previous = state.db
    local db, message = build_db(saved_seed_text)
    if not db then
        state.db = previous
        error("the seed that loaded at start failed to load again: " .. message, 0)
    end
    state.db = db
end

-- Returns the agent the API application logs in as.
function state.login_agent()
    return state.db.agents:get(state.db.login_agent_id)
end

return state
