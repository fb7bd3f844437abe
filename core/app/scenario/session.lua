-- The scenario's world: what the scenario declared, the two processes that run it (halosim and
-- `halyard serve --test-clock`, each with a scratch folder of its own), and the requests that
-- reach them.
--
-- A scenario declares the HaloPSA data and halyard's settings first. The first call that needs
-- the world (a ticket, a fault, an expectation, the clock) starts it. That starts halosim with
-- a seed made from the declarations and a throwaway certificate, then halyard serve with a
-- config of its own, and runs `halyard token create`, `connect` and `clients import`.
-- Everything after that talks to the two running processes. Every wait has a timeout.

local failure = require "failure"

local session = {}

local options = host.options

-- Timeouts, in ms of real time.
local START_TIMEOUT_MS = 10000
local COMMAND_TIMEOUT_MS = 60000
local REQUEST_TIMEOUT_MS = 10000
local STOP_GRACE_MS = 10000
local SETTLE_POLL_MS = 50
-- How often a starting halosim's or halyard's output is read for its "listening on" line.
local START_POLL_MS = 10

-- How long an expectation waits unless it sets its own timeout, in ms.
session.DEFAULT_WAIT_MS = 10000

-- Every ticket event the simulator raises (its built-in event numbers), so halyard hears of
-- every change a scenario makes, its own notes included.
local WEBHOOK_EVENTS = {3, 2, 8, 9, 19, 39, 76}

-- The API agent halyard logs in as, in a world the scenario declares itself.
local API_AGENT = {id = 1, name = "halyard API", email = "api@msp.example", isapiagent = true}

-- The simulator's built-in statuses, by lower-cased name, for a scenario that seeds none.
local BUILTIN_STATUSES = {
    ["new"] = 1, ["in progress"] = 2, ["action required"] = 3, ["waiting on user"] = 4,
    ["updated"] = 5, ["with supplier"] = 8, ["closed"] = 9,
}

-- Config keys the runner sets itself; a scenario may not change them.
local RESERVED_CONFIG = {
    data_dir = true, listen = true, public_url = true, ca_file = true, scripts_dir = true,
}

-- The scenario's declarations, made before the world starts.
session.declared = {
    clients = {},
    users = {},
    technicians = {},
    seed = {},
    simulator = {},
    imports = {},
    modes = {}, -- {id, mode} of imports in a mode other than plan
    scripts = nil,
    script_files = {},
    config = {},
}

-- Config keys that modules of this folder add, and functions they run once halyard is
-- connected. A function value is called with the scenario's own value of the key (or nil)
-- when the config is written, after the simulator started, and returns the key's value.
session.config_additions = {}
session.after_start = {}

-- "declaring" until the world starts, then "running", then "stopped".
session.phase = "declaring"

-- Lines the scenario printed, shown when it fails.
session.output = {}

-- --- Helpers ---------------------------------------------------------------------------------

-- Returns v as an integer when it is a whole number (JSON numbers decode as floats), else nil.
function session.integer(v)
    if type(v) == "number" then
        return math.tointeger(v)
    end
    return nil
end

local DURATION_UNITS = {s = 1, m = 60, h = 3600, d = 86400}

-- Reads a duration: a number of seconds, or text such as "90s", "5m", "2h" or "1d". Returns
-- seconds, or raises a misuse failure naming the function.
function session.duration(value, name)
    if type(value) == "number" and value >= 0 and value == value and value < math.huge then
        return value
    end
    if type(value) == "string" then
        local amount, unit = value:match("^%s*(%d+%.?%d*)%s*([smhd])%s*$")
        if amount then
            return tonumber(amount) * DURATION_UNITS[unit]
        end
    end
    failure.misuse(name, string.format("%s is not a duration: give seconds as a number, or " ..
        "text such as \"90s\", \"5m\", \"2h\" or \"1d\"", tostring(value)))
end

-- Checks that fields (a table) holds only the allowed keys. Raises a misuse failure otherwise.
function session.check_fields(name, fields, allowed)
    if type(fields) ~= "table" then
        failure.misuse(name, "expected a table of fields, got " .. type(fields))
    end
    for key in pairs(fields) do
        if not allowed[key] then
            local names = {}
            for allowed_key in pairs(allowed) do
                names[#names + 1] = allowed_key
            end
            table.sort(names)
            failure.misuse(name, string.format("unknown field '%s'; the fields are %s",
                tostring(key), table.concat(names, ", ")))
        end
    end
end

-- Returns the id of value: an object the scenario API made ({kind = kind, id = N}) or a
-- positive whole number. Raises a misuse failure otherwise.
function session.id_of(value, kind, name)
    if type(value) == "table" and value.kind == kind then
        return value.id
    end
    local id = session.integer(value)
    if id and id > 0 then
        return id
    end
    failure.misuse(name, string.format("expected a %s (from halo.%s) or its id, got %s", kind,
        kind == "ticket" and "log_ticket" or kind, tostring(value)))
end

-- Returns the id of a status given by name (any case) or id.
function session.status_id(value, name)
    local id = session.integer(value)
    if id then
        return id
    end
    if type(value) == "string" then
        local statuses = session.declared.seed.statuses
        if statuses then
            for _, status in ipairs(statuses) do
                if type(status.name) == "string" and status.name:lower() == value:lower() then
                    return status.id
                end
            end
        elseif BUILTIN_STATUSES[value:lower()] then
            return BUILTIN_STATUSES[value:lower()]
        end
    end
    failure.misuse(name, string.format("status %s is not a status of the simulator; use a " ..
        "status id or name, such as \"Closed\" or \"In Progress\"", tostring(value)))
end

-- Writes a Lua value as source text, keys sorted, for halyard's config file.
local function lua_literal(value)
    local kind = type(value)
    if kind == "string" then
        return string.format("%q", value)
    elseif kind == "number" then
        return math.type(value) == "integer" and tostring(value) or string.format("%.17g", value)
    elseif kind == "boolean" then
        return tostring(value)
    elseif kind == "table" then
        local parts = {}
        if #value > 0 then
            for _, item in ipairs(value) do
                parts[#parts + 1] = lua_literal(item)
            end
        else
            local keys = {}
            for key in pairs(value) do
                keys[#keys + 1] = tostring(key)
            end
            table.sort(keys)
            for _, key in ipairs(keys) do
                parts[#parts + 1] = string.format("[%q] = %s", key, lua_literal(value[key]))
            end
        end
        return "{" .. table.concat(parts, ", ") .. "}"
    end
    error("cannot write a " .. kind .. " into the config")
end

-- Returns the last count lines of text that contain " warning " or " error ", leaving out the
-- warning every halyard run with --test-clock logs.
function session.problem_lines(text, count)
    local lines = {}
    for line in (text or ""):gmatch("[^\n]+") do
        local problem = line:find(" warning ", 1, true) or line:find(" error ", 1, true)
        if problem and not line:find("test clock on:", 1, true) then
            lines[#lines + 1] = line
        end
    end
    return table.move(lines, math.max(1, #lines - count + 1), #lines, 1, {})
end

-- --- Requests --------------------------------------------------------------------------------

-- Sends a JSON request. Returns status, decoded body (nil when not JSON) and the body text, or
-- nil and a message when no response came.
local function request(method, url, body, headers, timeout_ms)
    local text = nil
    if body ~= nil then
        text = type(body) == "string" and body or json.encode(body)
    end
    local all = {"Accept: application/json"}
    if text then
        all[#all + 1] = "Content-Type: application/json"
    end
    for _, header in ipairs(headers or {}) do
        all[#all + 1] = header
    end
    local status, answer = host.request{method = method, url = url, headers = all, body = text,
        timeout_ms = timeout_ms or REQUEST_TIMEOUT_MS}
    if not status then
        return nil, answer
    end
    local ok, decoded = pcall(json.decode, answer)
    return status, ok and decoded or nil, answer
end

-- Calls a control endpoint of the simulator (path after /_sim) and returns its decoded body.
-- Raises a failure unless the simulator responds with a 2xx status.
function session.simulator(method, path, body)
    session.ensure_started()
    local status, decoded, text = request(method, session.simulator_url .. "/_sim" .. path, body)
    if not status then
        failure.raise(string.format("the simulator did not answer %s /_sim%s: %s", method, path,
            decoded))
    end
    if status < 200 or status > 299 then
        failure.raise(string.format("the simulator answered %d to %s /_sim%s: %s", status,
            method, path, text:sub(1, 400)))
    end
    return decoded
end

-- Calls halyard's admin API with the scenario's token and returns the decoded body. Raises a
-- failure unless the status is 2xx.
function session.halyard_api(method, path, body, timeout_ms)
    session.ensure_started()
    local status, decoded, text = request(method, session.halyard_url .. path, body,
        {"Authorization: Bearer " .. session.token}, timeout_ms)
    if not status then
        failure.raise(string.format("halyard did not answer %s %s: %s", method, path, decoded))
    end
    if status < 200 or status > 299 then
        failure.raise(string.format("halyard answered %d to %s %s: %s", status, method, path,
            text:sub(1, 400)))
    end
    return decoded
end

-- --- Processes -------------------------------------------------------------------------------

local function path(name)
    return session.scratch .. "/" .. name
end

-- Waits until the file at log_path contains a line matching pattern and returns the first
-- capture. Raises a failure when the process exits first, or after START_TIMEOUT_MS.
local function wait_for_line(what, pid, log_path, pattern, stderr_path)
    local deadline = host.monotonic_ms() + START_TIMEOUT_MS
    while true do
        local text = host.read_file(log_path) or ""
        local found = text:match(pattern)
        if found then
            return found
        end
        local exit_status = host.wait(pid, 0)
        if exit_status then
            local errors = host.read_file(stderr_path or log_path) or ""
            failure.raise(string.format("%s exited with status %d at start: %s", what,
                exit_status, errors:sub(-2000)))
        end
        if host.monotonic_ms() >= deadline then
            failure.raise(string.format("%s did not start within %d s; its output: %s", what,
                START_TIMEOUT_MS // 1000, text:sub(-2000)))
        end
        host.sleep(START_POLL_MS)
    end
end

local command_count = 0

-- Runs a halyard command (`halyard --config C --msp M ARGS...`) to its end. Returns its exit
-- status and what it wrote to standard output and standard error.
function session.halyard_command(...)
    command_count = command_count + 1
    local argv = {options.halyard, "--config", session.config_path, "--msp", options.msp}
    for _, argument in ipairs({...}) do
        argv[#argv + 1] = argument
    end
    local out_path = path(string.format("command-%d.out", command_count))
    local err_path = path(string.format("command-%d.err", command_count))
    local pid, message = host.spawn(argv, out_path, err_path)
    if not pid then
        failure.raise("cannot run halyard: " .. message)
    end
    local exit_status = host.wait(pid, COMMAND_TIMEOUT_MS)
    if not exit_status then
        host.stop(pid, 1000)
        failure.raise(string.format("halyard %s did not finish within %d s",
            table.concat({...}, " "), COMMAND_TIMEOUT_MS // 1000))
    end
    return exit_status, host.read_file(out_path) or "", host.read_file(err_path) or ""
end

-- Runs a halyard command that must succeed during start; raises a failure with its output
-- otherwise. Returns its standard output.
local function setup_command(what, ...)
    local exit_status, out, err = session.halyard_command(...)
    if exit_status ~= 0 then
        failure.raise(string.format("%s failed (exit status %d): %s%s", what, exit_status, err,
            out))
    end
    return out
end

-- Raises a failure when halosim or halyard serve has exited.
function session.check_alive()
    for _, process in ipairs({
        {pid = session.halyard_pid, what = "halyard serve", log = "halyard.log"},
        {pid = session.simulator_pid, what = "halosim", log = "halosim.log"},
    }) do
        if process.pid then
            local exit_status = host.wait(process.pid, 0)
            if exit_status then
                if process.pid == session.halyard_pid then
                    session.halyard_pid = nil
                else
                    session.simulator_pid = nil
                end
                local log = host.read_file(path(process.log)) or ""
                failure.raise(string.format("%s exited with status %d; the end of its log:\n%s",
                    process.what, exit_status, log:sub(-1500)))
            end
        end
    end
end

-- --- Start -----------------------------------------------------------------------------------

-- Returns the seed: the declared clients (each with one site), users and technicians, plus
-- the keys halo.seed gave. Keys the scenario declared nothing for keep halosim's built-ins.
local function build_seed()
    local declared = session.declared
    local seed = {}
    for key, value in pairs(declared.seed) do
        seed[key] = value
    end
    if #declared.clients > 0 then
        seed.clients, seed.sites = {}, {}
        for _, client in ipairs(declared.clients) do
            seed.clients[#seed.clients + 1] = {id = client.id, name = client.name,
                inactive = false}
            seed.sites[#seed.sites + 1] = {id = client.site_id, name = client.name .. " office",
                client_id = client.id}
        end
    end
    if #declared.users > 0 then
        seed.users = {}
        for _, user in ipairs(declared.users) do
            local first, last = user.name:match("^(%S+)%s+(.-)$")
            seed.users[#seed.users + 1] = {id = user.id, name = user.name,
                firstname = first or user.name, surname = last or "",
                client_id = user.client_id, site_id = user.site_id,
                emailaddress = user.email or "", phonenumber = user.phone or ""}
        end
    end
    if #declared.technicians > 0 then
        seed.agents = {API_AGENT}
        for _, technician in ipairs(declared.technicians) do
            seed.agents[#seed.agents + 1] = {id = technician.id, name = technician.name,
                email = technician.email or "", team = technician.team or ""}
        end
        seed.login_agent_id = API_AGENT.id
    end
    return seed
end

-- Lays out the MSP's script folder: the scenario's own files, then a link to each file of the
-- chosen folder (the scenario's, else the MSP's from the config) whose name is not taken.
local function lay_out_scripts()
    local msp_folder = path("scripts/" .. options.msp)
    host.make_dir(path("scripts"))
    host.make_dir(msp_folder)
    for _, kind in ipairs({"workflows", "policies", "verifiers", "tools"}) do
        assert(host.make_dir(msp_folder .. "/" .. kind))
    end

    local taken = {}
    for _, file in ipairs(session.declared.script_files) do
        local target = msp_folder .. "/" .. file.kind .. "/" .. file.name
        assert(host.write_file(target, file.text, 420))
        taken[file.kind .. "/" .. file.name] = true
    end

    local source = session.declared.scripts
    if source == nil and options.msp_script_dir and host.is_dir(options.msp_script_dir) then
        source = host.real_path(options.msp_script_dir)
    end
    session.script_source = source
    if not source then
        return
    end
    for _, kind in ipairs({"workflows", "policies", "verifiers", "tools"}) do
        local names = host.is_dir(source .. "/" .. kind) and host.list_dir(source .. "/" .. kind)
            or {}
        for _, name in ipairs(names) do
            -- A copy, not a link: halyard rejects a link that leads outside the MSP's scripts
            -- folder, and the scratch folder is the scenario halyard's.
            if name:match("%.lua$") and not taken[kind .. "/" .. name] then
                local text, message = host.read_file(source .. "/" .. kind .. "/" .. name)
                local copied = text ~= nil
                if copied then
                    copied, message = host.write_file(msp_folder .. "/" .. kind .. "/" .. name,
                        text, 420)
                end
                if not copied then
                    failure.raise("cannot use the MSP's script " .. name .. ": " .. message)
                end
            end
        end
    end
end

-- Writes halyard's config: the runner's settings, then the scenario's. listen defaults to a
-- port halyard picks.
local function write_config(public_url, listen)
    local config = {
        data_dir = path("data"),
        listen = listen or "127.0.0.1:0",
        public_url = public_url,
        ca_file = path("halosim/ca.pem"),
        scripts_dir = path("scripts"),
        webhook_events = WEBHOOK_EVENTS,
        log_level = "info",
    }
    local limits = options.lua_limits
    if next(limits) ~= nil then
        config.lua_limits = {[options.msp] = limits}
    end
    for key, value in pairs(session.declared.config) do
        config[key] = value
    end
    for key, value in pairs(session.config_additions) do
        if type(value) == "function" then
            value = value(config[key])
        end
        config[key] = value
    end
    assert(host.write_file(session.config_path, "return " .. lua_literal(config) .. "\n", 384))
end

local function start_simulator()
    assert(host.make_dir(path("halosim")))
    local seed_path = path("seed.json")
    assert(host.write_file(seed_path, json.encode(build_seed())))
    local argv = {options.simulator, "--port", "0", "--tls-generate", path("halosim"),
        "--seed", seed_path}
    for _, name in ipairs({"rate_limit", "token_lifetime", "token_error_status", "team_list"}) do
        local value = session.declared.simulator[name]
        if value ~= nil then
            argv[#argv + 1] = "--" .. name:gsub("_", "-")
            argv[#argv + 1] = tostring(value)
        end
    end
    if session.declared.simulator.strict then
        argv[#argv + 1] = "--strict"
    end
    local pid, message = host.spawn(argv, path("halosim.out"), path("halosim.log"))
    if not pid then
        failure.raise("cannot start the simulator: " .. message)
    end
    session.simulator_pid = pid
    local url = wait_for_line("halosim", pid, path("halosim.out"),
        "halosim listening on (https://[%d%.]+:%d+)", path("halosim.log"))
    session.simulator_url = url
    session.simulator_port = url:match(":(%d+)$")
    host.set_ca_file(path("halosim/ca.pem"))
end

local function start_halyard()
    local pid, message = host.spawn({options.halyard, "--config", session.config_path, "serve",
        "--test-clock"}, path("halyard.out"), path("halyard.log"))
    if not pid then
        failure.raise("cannot start halyard serve: " .. message)
    end
    session.halyard_pid = pid
    session.halyard_url = wait_for_line("halyard serve", pid, path("halyard.log"),
        "listening on (http://127%.0%.0%.1:%d+)")
end

-- Starts the world unless it runs already. Raises a failure when a step fails.
function session.ensure_started()
    if session.phase == "running" then
        return
    end
    if session.phase == "stopped" then
        failure.raise("the scenario's world has stopped")
    end
    session.phase = "running"

    session.scratch = host.scratch_dir()
    session.config_path = path("halyard.lua")
    lay_out_scripts()
    start_simulator()

    -- halyard learns its own port only once it listens, so the config is written again with
    -- the public URL before connect registers the webhook there.
    write_config("http://127.0.0.1:9")
    start_halyard()
    write_config(session.halyard_url)
    session.token = setup_command("halyard token create", "token", "create", "--name",
        "scenario"):match("(%S+)")
    local secret_path = path("halosim-secret")
    assert(host.write_file(secret_path, "halyard-sim-secret\n", 384))
    setup_command("halyard connect", "connect", "--instance",
        "https://localhost:" .. session.simulator_port, "--client-id", "halyard-sim",
        "--client-secret-file", secret_path)

    if #session.declared.imports > 0 then
        setup_command("halyard clients import", "clients", "import",
            table.unpack(session.declared.imports))
    end
    for _, import in ipairs(session.declared.modes) do
        setup_command("halyard clients mode", "clients", "mode", import.id, import.mode)
    end
    session.login_agent_id = session.integer(session.simulator("GET", "/config").login_agent_id)
    for _, after_start in ipairs(session.after_start) do
        after_start()
    end
end

-- halyard's log lines from before its restarts, and how many restarts there were.
local earlier_halyard_log = ""
local restart_count = 0

-- Stops halyard serve (SIGTERM, as an operator's restart does, or with kill SIGKILL at once, as
-- a crash would) and starts it again on the same port with the same data, so HaloPSA's webhook
-- still reaches it. Raises a failure when it did not stop cleanly (unless killed) or does not
-- start. The new process's test clock is moved forward to where the scenario moved it.
function session.restart_halyard(kill)
    session.ensure_started()

    -- The new process loads the files as they are on disk, with versions numbered from 1.
    session.pending_reload = nil
    local exit_status = host.stop(session.halyard_pid, kill and 0 or STOP_GRACE_MS)
    session.halyard_pid = nil
    local log = host.read_file(path("halyard.log")) or ""
    earlier_halyard_log = earlier_halyard_log .. log

    -- The new process must not find the old one's "listening on" line.
    restart_count = restart_count + 1
    local renamed, rename_message = os.rename(path("halyard.log"),
        path(string.format("halyard-%d.log", restart_count)))
    if not renamed then
        failure.raise("keeping halyard's log before the restart failed: " ..
            tostring(rename_message))
    end
    if exit_status ~= 0 and not kill then
        failure.raise(string.format("halyard serve exited with status %d when stopped for a " ..
            "restart; the end of its log:\n%s", exit_status, log:sub(-1500)))
    end
    write_config(session.halyard_url, session.halyard_url:match("//(.*)$"))
    start_halyard()
    if (session.clock_moved_ms or 0) > 0 then
        session.halyard_api("POST", "/api/v1/test/clock", {advance_ms = session.clock_moved_ms})
    end
end

-- Stops halyard serve, then the simulator. Returns nil when both exited with status 0, else a
-- message naming the one that did not and the end of its log. Ignores the deadline and
-- interrupts, so it completes after either.
function session.stop()
    local problems = {}
    for _, process in ipairs({
        {key = "halyard_pid", what = "halyard serve", log = "halyard.log"},
        {key = "simulator_pid", what = "halosim", log = "halosim.log"},
    }) do
        local pid = session[process.key]
        if pid then
            local exit_status = host.stop(pid, STOP_GRACE_MS)
            session[process.key] = nil
            if exit_status ~= 0 then
                local log = host.read_file(path(process.log)) or ""
                problems[#problems + 1] = string.format("%s exited with status %d when " ..
                    "stopped (137: it did not stop within %d s); the end of its log:\n%s",
                    process.what, exit_status, STOP_GRACE_MS // 1000, log:sub(-1500))
            end
        end
    end
    if session.phase == "running" then
        session.phase = "stopped"
    end
    return #problems > 0 and table.concat(problems, "\n") or nil
end

-- --- Reading the world -----------------------------------------------------------------------

-- Returns a ticket's actions from the simulator, oldest first, each as {id, text, html,
-- hidden, outcome, by ("halyard", "technician", "user" or "system"), agent_id, user_id, who}.
function session.actions(ticket_id)
    local body = session.simulator("GET", "/tickets/" .. ticket_id)
    local actions = {}
    for _, action in ipairs(body.actions or {}) do
        local agent_id = session.integer(action.who_agentid) or 0
        local who_type = session.integer(action.who_type)
        local by = "system"
        if agent_id ~= 0 and agent_id == session.login_agent_id then
            by = "halyard"
        elseif agent_id ~= 0 then
            by = "technician"
        elseif who_type == 2 then
            by = "user"
        end
        actions[#actions + 1] = {
            id = session.integer(action.id),
            text = type(action.note) == "string" and action.note or "",
            html = type(action.note_html) == "string" and action.note_html or "",
            hidden = action.hiddenfromuser == true,
            outcome = type(action.outcome) == "string" and action.outcome or "",
            by = by,
            agent_id = agent_id,
            who = type(action.who) == "string" and action.who or "",
        }
    end
    return actions
end

-- Returns halyard's notes on a ticket: the actions its API agent wrote, oldest first.
function session.notes(ticket_id)
    local notes = {}
    for _, action in ipairs(session.actions(ticket_id)) do
        if action.by == "halyard" then
            notes[#notes + 1] = action
        end
    end
    return notes
end

-- Returns halyard's runs of a ticket, newest first, with ids as integers and a missing
-- note_action_id as nil.
function session.runs(ticket_id)
    local body = session.halyard_api("GET", "/api/v1/runs?ticket_id=" .. ticket_id)
    local runs = {}
    for _, run in ipairs(body.runs or {}) do
        for _, key in ipairs({"id", "ticket_id", "client_id", "note_action_id"}) do
            run[key] = session.integer(run[key])
        end
        runs[#runs + 1] = run
    end
    return runs
end

-- Returns the number of webhook deliveries the simulator has queued, delayed by a
-- delay_ms fault or in flight: each attempt record has status 0 until its result is in.
function session.deliveries_pending()
    local pending = 0
    for _, delivery in ipairs(session.simulator("GET", "/deliveries")) do
        if session.integer(delivery.status) == 0 then
            pending = pending + 1
        end
    end
    return pending
end

-- Waits until nothing is on its way: no delivery in flight in the simulator, and in halyard
-- no delivery waiting to be queued, no job running, no job due, and no follow-up job due
-- before timeout_ms runs out (next_follow_up_due_ms, test_api.h: a screening that looks again
-- at a busy run 2 s later, say). The test clock runs on in real time from where the scenario
-- moved it, so such a job becomes due while settle waits. Retries waiting out a backoff, polls
-- of a waiting challenge and deadlines do not count: they wait on time, which clock.advance
-- moves. Returns halyard's activity; raises a failure after timeout_ms.
function session.settle(timeout_ms)
    session.ensure_started()
    local deadline = host.monotonic_ms() + (timeout_ms or session.DEFAULT_WAIT_MS)
    session.wait_for_reload(timeout_ms)
    local quiet = 0
    while true do
        session.check_alive()
        local pending = session.deliveries_pending()
        local activity = session.halyard_api("GET", "/api/v1/test/activity")
        local follow_up = session.integer(activity.next_follow_up_due_ms)
        local left_ms = deadline - host.monotonic_ms()
        local follow_up_soon = follow_up ~= nil
            and follow_up <= session.integer(activity.now_ms) + left_ms
        if pending == 0 and activity.idle and not follow_up_soon then
            quiet = quiet + 1
        else
            quiet = 0
        end

        -- Two quiet looks in a row, so work handed from one step to the next is not missed.
        if quiet >= 2 then
            return activity
        end
        if host.monotonic_ms() >= deadline then
            failure.raise(string.format("halyard was still busy after %.0f s: %d webhook " ..
                "deliveries on their way, %d stored and not queued, %d jobs running, %d due",
                (timeout_ms or session.DEFAULT_WAIT_MS) / 1000, pending,
                activity.deliveries_new, activity.jobs_running, activity.jobs_due))
        end
        host.sleep(SETTLE_POLL_MS)
    end
end

-- A script change the scenario made whose hot reload settle has not yet waited for:
-- {before = the scripts' status read before the change, file = "verifiers/traceless.lua"}.
session.pending_reload = nil

-- Returns the MSP's scripts' status (GET /api/v1/workflows/status) once no first load and no
-- reload is being built. Raises a failure after the default wait.
function session.scripts_status()
    local deadline = host.monotonic_ms() + session.DEFAULT_WAIT_MS
    while true do
        session.check_alive()
        local status = session.halyard_api("GET", "/api/v1/workflows/status")
        if status.state ~= "loading" and status.reloading ~= true then
            return status
        end
        if host.monotonic_ms() >= deadline then
            failure.raise(string.format("halyard was still loading the MSP's scripts after " ..
                "%d s", session.DEFAULT_WAIT_MS // 1000))
        end
        host.sleep(SETTLE_POLL_MS)
    end
end

-- Waits for the hot reload of session.pending_reload, if any, and clears it: until a version
-- newer than the one before the change serves, or the reload failed as a whole. Nothing is
-- waited for when halyard watches no files or never loaded the MSP's scripts, since then no
-- reload follows. Raises a failure naming the file after timeout_ms.
function session.wait_for_reload(timeout_ms)
    local pending = session.pending_reload
    session.pending_reload = nil
    if pending == nil or pending.before.watch == "off"
        or pending.before.state == "not_loaded" then
        return
    end
    local deadline = host.monotonic_ms() + (timeout_ms or session.DEFAULT_WAIT_MS)
    while true do
        session.check_alive()
        local status = session.halyard_api("GET", "/api/v1/workflows/status")
        local reloaded = status.version ~= pending.before.version
            or status.last_error_at ~= pending.before.last_error_at
        if reloaded and status.reloading ~= true then
            return
        end
        if host.monotonic_ms() >= deadline then
            failure.raise(string.format("halyard did not reload the MSP's scripts within " ..
                "%.0f s after %s changed; version %s serves",
                (timeout_ms or session.DEFAULT_WAIT_MS) / 1000, pending.file,
                tostring(session.integer(status.version) or status.version)))
        end
        host.sleep(SETTLE_POLL_MS)
    end
end

-- Moves the simulator's and halyard's test clocks forward by seconds, the simulator's first,
-- so jobs the advance makes due in halyard meet a simulator that is already there.
function session.advance_clock(seconds)
    session.ensure_started()
    session.simulator("POST", "/clock/advance", {seconds = seconds})
    local milliseconds = math.floor(seconds * 1000 + 0.5)
    if milliseconds > 0 then
        session.halyard_api("POST", "/api/v1/test/clock", {advance_ms = milliseconds})
        session.clock_moved_ms = (session.clock_moved_ms or 0) + milliseconds
    end
end

-- Reads halyard serve's log so far.
function session.halyard_log()
    if not session.scratch then
        return ""
    end
    return earlier_halyard_log .. (host.read_file(path("halyard.log")) or "")
end

session.RESERVED_CONFIG = RESERVED_CONFIG

return session
