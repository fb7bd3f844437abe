-- The scenario API's `halyard`: the halyard under test. Its settings, imported clients and
-- scripts are declared first; the rest reads what it did.

local failure = require "failure"
local session = require "session"

local halyard = {}

local declared = session.declared

-- The folder of the scenario file, for script folders named relative to it.
local function scenario_folder()
    return host.options.file:match("^(.*)/[^/]*$") or "."
end

-- Imports a client, so halyard gives it an agent: halyard.import(client, {mode = "execute"}).
-- The mode is "plan" (the default) or "execute". Before the world starts the import is part of
-- the start; after it, it runs at once.
function halyard.import(client, fields)
    local name = "halyard.import"
    local client_id = session.id_of(client, "client", name)
    fields = fields or {}
    session.check_fields(name, fields, {mode = true})
    local mode = fields.mode or "plan"
    if mode ~= "plan" and mode ~= "execute" then
        failure.misuse(name, string.format("mode %q is invalid: give \"plan\" or \"execute\"",
            tostring(fields.mode)))
    end
    if session.phase == "declaring" then
        declared.imports[#declared.imports + 1] = tostring(client_id)
        if mode ~= "plan" then
            declared.modes[#declared.modes + 1] = {id = tostring(client_id), mode = mode}
        end
        return
    end
    local exit_status, out, err = session.halyard_command("clients", "import",
        tostring(client_id))
    if exit_status ~= 0 then
        failure.raise(string.format("halyard clients import %d failed (exit status %d): %s%s",
            client_id, exit_status, err, out))
    end
    halyard.mode(client_id, mode)
end

-- Sets the mode of an imported client's agent ("plan" or "execute") with `halyard clients
-- mode`; runs started from then on take it.
function halyard.mode(client, mode)
    local name = "halyard.mode"
    local client_id = session.id_of(client, "client", name)
    if mode ~= "plan" and mode ~= "execute" then
        failure.misuse(name, string.format("mode %q is invalid: give \"plan\" or \"execute\"",
            tostring(mode)))
    end
    session.ensure_started()
    local exit_status, out, err = session.halyard_command("clients", "mode",
        tostring(client_id), mode)
    if exit_status ~= 0 then
        failure.raise(string.format("halyard clients mode %d %s failed (exit status %d): %s%s",
            client_id, mode, exit_status, err, out))
    end
end

-- Uses folder (relative to the scenario file, or absolute) as the MSP's script folder: its
-- workflows/ and policies/ replace the MSP's own folder from the config.
function halyard.scripts(folder)
    local name = "halyard.scripts"
    if session.phase ~= "declaring" then
        failure.misuse(name, "must come before the world starts (the first ticket, fault, " ..
            "clock move or expectation)")
    end
    if type(folder) ~= "string" or folder == "" then
        failure.misuse(name, "expected a folder path")
    end
    local full = folder:sub(1, 1) == "/" and folder or scenario_folder() .. "/" .. folder
    local resolved = host.real_path(full)
    if not resolved or not host.is_dir(resolved) then
        failure.misuse(name, string.format("%s is not a folder; give a folder holding " ..
            "workflows/ and policies/, relative to the scenario file", full))
    end
    declared.scripts = resolved
end

-- Returns a script file's text: text itself, or the text of the file {file = path} names
-- (relative to the scenario file, or absolute), so scenarios can share a fixture.
local function script_text(name, text)
    if type(text) == "string" then
        return text
    end
    if type(text) ~= "table" or type(text.file) ~= "string" or text.file == "" then
        failure.misuse(name, "the file's text is missing; give the text, or {file = path} " ..
            "for a file relative to the scenario file")
    end
    local full = text.file:sub(1, 1) == "/" and text.file or scenario_folder() .. "/" .. text.file
    local read, message = host.read_file(full)
    if not read then
        failure.misuse(name, string.format("%s; give a path relative to the scenario file or " ..
            "an absolute one", tostring(message)))
    end
    return read
end

-- Writes one of the MSP's script files for this scenario (kind "workflows", "policies",
-- "verifiers" or "tools").
local function add_script(name, kind, file_name, text)
    if type(file_name) ~= "string" or not file_name:match("^[%w_%-%.]+%.lua$") then
        failure.misuse(name, "the file name must be like my_workflow.lua, without a folder")
    end
    text = script_text(name, text)
    if session.phase ~= "declaring" then
        -- Hot reload builds the new version on a thread of its own, and settle waits until it
        -- serves. A change first waits for the reload of the one before, so the version settle
        -- waits for is one built after this change.
        session.wait_for_reload()
        local before = session.scripts_status()
        local target = session.scratch .. "/scripts/" .. host.options.msp .. "/" .. kind .. "/" ..
            file_name
        local written, message = host.write_file(target .. ".new", text, 420)
        if not written then
            failure.raise(message)
        end
        local renamed, rename_message = os.rename(target .. ".new", target)
        if not renamed then
            failure.raise("replacing " .. target .. " failed: " .. tostring(rename_message))
        end
        session.pending_reload = {before = before, file = kind .. "/" .. file_name}
        return
    end
    declared.script_files[#declared.script_files + 1] = {kind = kind, name = file_name,
        text = text}
end

-- Adds a workflow file to the MSP's scripts: halyard.workflow("vpn.lua", [[return {...}]]), or
-- halyard.workflow("vpn.lua", {file = "fixtures/vpn.lua"}) for a file beside the scenario. A
-- file of the same name as a shipped workflow replaces it, like a file in the MSP's folder.
function halyard.workflow(file_name, text)
    add_script("halyard.workflow", "workflows", file_name, text)
end

-- Adds a policy file to the MSP's scripts.
function halyard.policy(file_name, text)
    add_script("halyard.policy", "policies", file_name, text)
end

-- Adds a verifier file to the MSP's scripts; a file named like a shipped verifier replaces it.
function halyard.verifier(file_name, text)
    add_script("halyard.verifier", "verifiers", file_name, text)
end

-- Adds a tool file to the MSP's scripts; a file named like a shipped tool file replaces it.
function halyard.tool(file_name, text)
    add_script("halyard.tool", "tools", file_name, text)
end

-- Sets keys of halyard's config for this scenario (webhook_events, closed_statuses,
-- note_outcome, lua_limits, log_level, halo_scope; config/halyard.example.lua explains them).
function halyard.config(fields)
    local name = "halyard.config"
    if session.phase ~= "declaring" then
        failure.misuse(name, "must come before the world starts")
    end
    if type(fields) ~= "table" then
        failure.misuse(name, "expected a table of config keys")
    end
    for key, value in pairs(fields) do
        if session.RESERVED_CONFIG[key] then
            failure.misuse(name, string.format("%s is set by the scenario runner itself", key))
        end
        declared.config[key] = value
    end
end

-- Returns halyard's runs of a ticket, newest first: {id, ticket_id, client_id, state, mode,
-- ticket_closed, note_action_id, created_at, updated_at, events = {{at, kind, detail}, ...}}.
function halyard.runs(ticket)
    return session.runs(session.id_of(ticket, "ticket", "halyard.runs"))
end

-- Returns halyard's notes on a ticket, oldest first (see halo.actions for the fields).
function halyard.notes(ticket)
    return session.notes(session.id_of(ticket, "ticket", "halyard.notes"))
end

-- Restarts halyard serve with the same database and port: SIGTERM, or with {kill = true}
-- SIGKILL at once, as a crash would. Work in progress must resume from what halyard stored.
function halyard.restart(fields)
    local name = "halyard.restart"
    fields = fields or {}
    session.check_fields(name, fields, {kill = true})
    session.restart_halyard(fields.kill == true)
end

-- Returns the text of halyard's log so far.
function halyard.log()
    return session.halyard_log()
end

-- Runs `halyard workflows lint` on the MSP's scripts as this scenario lays them out. Returns
-- its exit status and its output (standard output, then standard error).
function halyard.lint()
    session.ensure_started()
    local exit_status, out, err = session.halyard_command("workflows", "lint")
    return exit_status, out .. err
end

-- Waits until halyard and the simulator have nothing on their way (see docs/scenarios.md).
-- options: {timeout = seconds}. Returns halyard's activity.
function halyard.settle(options)
    options = options or {}
    session.check_fields("halyard.settle", options, {timeout = true})
    local timeout = options.timeout and session.duration(options.timeout, "halyard.settle")
    return session.settle(timeout and timeout * 1000)
end

-- Returns halyard's activity now: {idle, deliveries_new, jobs_running, jobs_due,
-- jobs_waiting, jobs_dead, next_job_due_ms}.
function halyard.activity()
    return session.halyard_api("GET", "/api/v1/test/activity")
end

return {
    api = halyard,
    install = function(environment)
        environment.halyard = halyard
    end,
}
