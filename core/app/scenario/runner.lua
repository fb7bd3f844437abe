-- Runs one scenario file: builds its environment from the modules of this folder, runs it,
-- writes the report and stops the world. scenario_runner.c loads this file and calls run();
-- `host` is the C side's table of primitives and host.options the run's settings.
--
-- Every other module of this folder is loaded in file-name order, and one that returns a table
-- with an install(environment) function adds to the scenario's globals. A new feature adds its
-- own expectations with a file here, such as:
--
--   local expect = require("expect").api
--   function expect.approval_requested(ticket, options) ... end
--   return {}

local failure = require "failure"
local report = require "report"
local session = require "session"

local runner = {}

-- The base functions a scenario may use; the runner's own state has more.
local BASE_FUNCTIONS = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
    "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall",
}

-- Returns the scenario's environment: the base functions, string, table, math, utf8, json,
-- print (kept for the report) and what the modules install. Reading an undefined global is an
-- error, so a misspelt name fails on its own line.
local function build_environment()
    local environment = {}
    for _, name in ipairs(BASE_FUNCTIONS) do
        environment[name] = _G[name]
    end
    environment.string, environment.table, environment.math = string, table, math
    environment.utf8, environment.json = utf8, json
    environment.print = function(...)
        local parts = {}
        for index = 1, select("#", ...) do
            parts[#parts + 1] = tostring((select(index, ...)))
        end
        session.output[#session.output + 1] = table.concat(parts, "\t")
    end

    for _, file in ipairs(assert(host.list_dir(host.options.module_dir))) do
        local module = file:match("^([%w_]+)%.lua$")
        if module and module ~= "runner" then
            local loaded = require(module)
            if type(loaded) == "table" and type(loaded.install) == "function" then
                loaded.install(environment)
            end
        end
    end

    return setmetatable(environment, {
        __index = function(_, name)
            error(string.format("undefined global '%s'", tostring(name)), 2)
        end,
    })
end

-- Turns an error value into a failure, keeping a traceback for errors raised outside the
-- scenario file (a bug in the runner, say).
local function on_error(value)
    local failed = failure.from_error(value)
    if failed.error then
        failed.traceback = debug.traceback("", 2)
    end
    return failed
end

-- Returns the report of a failure; a report that fails itself still shows the failure.
local function make_report(failed)
    local ok, built = pcall(report.build, failed)
    if ok then
        return built
    end
    return "    " .. tostring(failed) .. "\n    (the report failed: " .. tostring(built) .. ")\n"
end

-- Runs the scenario. Returns {passed = bool, report = text or nil}.
function runner.run()
    local file = host.options.file
    failure.set_scenario(file)

    local passed, failed = xpcall(function()
        local environment = build_environment()
        local text, message = host.read_file(file)
        if not text then
            failure.raise("cannot read the scenario: " .. message)
        end
        local chunk, syntax_error = load(text, "@" .. file, "t", environment)
        if not chunk then
            failure.raise(syntax_error)
        end
        chunk()
    end, on_error)

    -- The report reads halyard's state, so a failure's report is made before the world stops,
    -- and nothing in it is cut short by the scenario's deadline. A scenario that passed still
    -- fails when halyard or the simulator does not exit cleanly (a crash while stopping, or a
    -- sanitizer's report).
    host.guard(false)
    local text = nil
    if not passed then
        text = make_report(failed)
        session.stop()
    else
        local problem = session.stop()
        if problem then
            passed = false
            text = make_report(failure.from_error(problem))
        elseif host.options.keep and session.scratch then
            text = "    logs and database kept in " .. session.scratch .. "\n"
        end
    end
    return {passed = passed, report = text}
end

return runner
