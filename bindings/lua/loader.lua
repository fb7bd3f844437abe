-- Loads and validates tool, workflow, policy and verifier files handed over by the C host.
--
-- Each file runs once, in its own environment holding only what scripts may use (so a
-- misspelt or forbidden global raises), and must return a table. A file that fails to compile, run
-- or validate is skipped; every problem is recorded as "path:line: what is wrong; what to do".
-- Line numbers of fields come from the source text (the first line that assigns the field),
-- because a returned table does not remember where its fields were written. Tool files load
-- first, so that each workflow step is checked against the registered tools.

local modules = ...
local match = modules.match
local redact = modules.redact
local tools = modules.tools

local loader = {}

local problems = {}
local workflows = {}
local workflows_by_name = {}
local policies = {}
local verifiers = {}

-- Policy files (by name without ".lua") whose text failed to load while no earlier text serves.
local failed_policies = {}

-- Warnings about files that load and serve all the same, as "path:line: warning: ...". They
-- join the problem list when loader.report runs, after every file has loaded, so the host does
-- not count them as problems of a skipped file.
local warnings = {}

-- How many warnings loader.report has moved to the end of the problem list.
local reported_warning_count = 0

-- The rules of every active workflow, for matching many workflows at once. Drafts and archived
-- workflows never match a ticket, so they stay out of it.
loader.index = match.new_index()

-- True once loader.release_loading has run: the workflows keep no samples.
loader.loading_released = false

-- The keyword rules of active workflows that declare sensitive but were skipped for another
-- problem (an MSP tool without a parameter a shipped step passes, say). Their plans are not
-- used, but the screening still reads them, so the skip does not drop their sensitive backstop.
loader.skipped_sensitive_index = match.new_index()

local STATUSES = {active = true, draft = true, archived = true}
local STEP_KINDS = {read = true, write = true}
local KNOWN_FIELDS = {
    name = true, status = true, scope = true, trigger = true, match = true,
    instructions = true, steps = true, samples = true, provenance = true, gather = true,
    sensitive = true,
}

-- The reason codes a workflow may give as its sensitive field, the same as a tool's.
local SENSITIVE_REASONS = tools.SENSITIVE_REASONS
local SENSITIVE_REASON_SET = tools.SENSITIVE_REASON_SET

-- Records a problem; returns the number of problems recorded so far.
function loader.add_problem(text)
    problems[#problems + 1] = text
    return #problems
end

-- Returns the line of the first "field =" assignment in source, else the line of the last
-- "return", else 1.
local function line_of(source, field)
    local line = 1
    local return_line = nil
    for text in (source .. "\n"):gmatch("([^\n]*)\n") do
        if field ~= nil and text:find("^%s*" .. field .. "%s*=") then
            return line
        end
        if text:find("^%s*return[%s{]") or text:find("^%s*return$") then
            return_line = line
        end
        line = line + 1
    end
    return return_line or 1
end

-- Records a problem of a file at the line where field is assigned.
local function problem_at(path, source, field, format, ...)
    loader.add_problem(string.format("%s:%d: %s", path, line_of(source, field),
        string.format(format, ...)))
end

-- Records a warning about a file that still serves, at line (or line 1 when nil).
local function warning_at(path, line, format, ...)
    warnings[#warnings + 1] = string.format("%s:%d: warning: %s", path, line or 1,
        string.format(format, ...))
end

-- Returns the line of the first occurrence of text (plain) in source, or nil.
local function line_of_text(source, text)
    local at = source:find(text, 1, true)
    if at == nil then
        return nil
    end
    local _, newlines = source:sub(1, at):gsub("\n", "")
    return newlines + 1
end

-- The file name without its folder: "password_reset.lua".
local function base_name(path)
    return path:match("([^/]+)$") or path
end

-- The base functions a script may call. Everything else of the global table (halyard's own
-- names, collectgarbage's other options, print) stays out of reach.
local SCRIPT_FUNCTIONS = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
    "xpcall", "collectgarbage",
}

-- The libraries a script may use, each through a read-only view. A script's log is
-- script_log, which keeps to the call's log budget; halyard's own modules use log. Of json only the codec is
-- shared: its settings functions (decode_max_depth, say) would change the parser for the
-- whole host. string.find, match, gmatch and gsub are the host's metered versions, which
-- the instruction budget and the deadline stop like Lua code.
-- redact.quote gives a tool the cut of halyard's own quotes of tickets, because what a tool
-- returns is stored in the run's steps.
local SCRIPT_LIBRARIES = {
    string = string, table = table, math = math, utf8 = utf8, log = script_log, halo = halo,
    http = http, json = {encode = json.encode, decode = json.decode, null = json.null},
    text = text, clock = clock, store = store,
    redact = {
        quote = function(text)
            if type(text) ~= "string" then
                error(string.format("bad argument #1 to 'quote' (string expected, got %s)",
                    type(text)), 2)
            end
            return redact.cut_ticket_quote(text)
        end,
    },
}

--[[
setmetatable for scripts: a metatable holding __gc when it is set is rejected, because Lua
runs finalizers with hooks off, beyond the reach of the instruction budget and deadline.
(Lua marks an object for finalization only when __gc is present at this moment, so adding
__gc to the metatable later makes no finalizer.)
]]
local function script_setmetatable(value, metatable)
    if type(metatable) == "table" and rawget(metatable, "__gc") ~= nil then
        error("bad argument #2 to 'setmetatable' (__gc is not allowed in scripts; "
            .. "a finalizer would run outside the host's limits)", 2)
    end
    -- Called through pcall so a refusal names the script's line, not this function's.
    local ok, result = pcall(setmetatable, value, metatable)
    if not ok then
        error(result, 2)
    end
    return result
end

-- A view of library that reads through to it and rejects writes; its metatable is hidden,
-- so a script cannot change the library halyard's own modules use.
local function read_only(library, name)
    return setmetatable({}, {
        __index = library,
        __newindex = function(_, key)
            error(string.format("%s.%s cannot be changed: %s is read-only in scripts", name,
                tostring(key), name), 2)
        end,
        __pairs = function()
            return next, library, nil
        end,
        __metatable = false,
    })
end

--[[
Makes the environment of one script file. Its reads fall through to a table of its own with
the allowed functions and library views, and reading any other name raises. Each file gets
new tables, so what one file does to them (rawset, say) stays in that file. load defaults
the environment of a chunk to this one, never to the global table.
]]
local function script_environment()
    local names = {}
    for _, name in ipairs(SCRIPT_FUNCTIONS) do
        names[name] = _G[name]
    end
    for name, library in pairs(SCRIPT_LIBRARIES) do
        names[name] = read_only(library, name)
    end
    names._VERSION = _VERSION
    names.setmetatable = script_setmetatable
    setmetatable(names, {
        __index = function(_, key)
            error(string.format("undefined global '%s'", tostring(key)), 2)
        end,
        __metatable = false,
    })

    local environment = setmetatable({}, {__index = names, __metatable = false})
    names._G = environment
    names.load = function(chunk, chunk_name, mode, chunk_environment)
        if type(mode) == "string" and mode:find("b", 1, true) then
            error("bad argument #3 to 'load' (binary chunks are not allowed, use mode \"t\")", 2)
        end
        if chunk_environment == nil then
            chunk_environment = environment
        end
        return load(chunk, chunk_name, mode, chunk_environment)
    end
    return environment
end

--[[
Puts the whole path back into an error position. Lua shortens a chunk name longer than 59
characters to "..." and its tail, so "...ipts/acme/workflows/vpn.lua:3: boom" becomes
"/srv/halyard/scripts/acme/workflows/vpn.lua:3: boom" when path ends with that tail.
]]
local function with_full_path(text, path)
    if text:sub(1, 3) ~= "..." then
        return text
    end
    local tail, rest = text:match("^%.%.%.(.-)(:%d+:.*)$")
    if tail ~= nil and #tail > 0 and path:sub(-#tail) == tail then
        return path .. rest
    end
    return text
end

--[[
Compiles and runs a script file in a fresh environment. Returns true and the value it
returned, or false after recording a problem.
]]
local function run_file(path, source)
    if source:sub(1, 4) == "\27Lua" then
        loader.add_problem(string.format("%s:1: the file is a precompiled (binary) Lua chunk; "
            .. "halyard loads only Lua source, so ship the .lua text", path))
        return false
    end
    local chunk, compile_error = load(source, "@" .. path, "t", script_environment())
    if chunk == nil then
        loader.add_problem(string.format("%s; fix the syntax error",
            with_full_path(compile_error, path)))
        return false
    end
    local ok, result = pcall(chunk)
    if not ok then
        local text = with_full_path(tostring(result), path)
        -- An error without a position (running out of memory, say) gets the file's name.
        if text:sub(1, #path + 1) ~= path .. ":" then
            text = string.format("%s:1: %s", path, text)
        end
        loader.add_problem(string.format("%s; the file raised an error while loading", text))
        return false
    end
    return true, result
end

local function non_empty_string(value)
    return type(value) == "string" and value:find("%S") ~= nil
end

local check_unregistered_tool, check_tool_arguments

local function check_scope(path, source, scope)
    if scope == "all" then
        return "all"
    end
    if type(scope) ~= "table" or type(scope.clients) ~= "table" or #scope.clients == 0 then
        problem_at(path, source, "scope", "scope must be \"all\" or {clients = {12, 15}} with "
            .. "HaloPSA client ids, got %s", type(scope) == "string" and string.format("%q", scope)
            or type(scope))
        return nil
    end
    local clients = {}
    for position, id in ipairs(scope.clients) do
        local integer = math.tointeger(id)
        if integer == nil or integer <= 0 then
            problem_at(path, source, "scope", "scope.clients[%d] is %s; use a HaloPSA client id "
                .. "(a positive whole number)", position, tostring(id))
            return nil
        end
        clients[integer] = true
    end
    return {clients = clients}
end

local function check_arguments(path, source, where, arguments)
    if arguments == nil then
        return true
    end
    if type(arguments) ~= "table" then
        problem_at(path, source, "steps", "%s.arguments must be a table of name = value",
            where)
        return false
    end
    for name, value in pairs(arguments) do
        if type(name) ~= "string" then
            problem_at(path, source, "steps", "%s.arguments has a key that is not a name; "
                .. "write arguments as name = value", where)
            return false
        end
        local kind = type(value)
        local is_question = kind == "table" and non_empty_string(value.ask)
        if kind ~= "string" and kind ~= "number" and kind ~= "boolean" and not is_question then
            problem_at(path, source, "steps", "%s.arguments.%s is a %s; use a string (with "
                .. "{placeholders}), a number, a boolean or {ask = \"what to ask\"}", where,
                name, kind)
            return false
        end
    end
    return true
end

--[[
Checks a step naming a tool that is not registered. In the halo family, whose tools halyard
ships, that is a misspelt or removed tool. Any other family is an MSP integration, and the
shipped workflows name many that an MSP may not have (or have only some tools of). Such a step
stays in plans, where it is described but never run, and must say its kind. Returns true when
the step may stay.
]]
check_unregistered_tool = function(path, source, where, step)
    local family = tools.family(step.tool)
    if family == "halo" then
        problem_at(path, source, "steps", "%s.tool %q is not a registered tool; the halo tools "
            .. "are %s", where, step.tool, table.concat(tools.family_names(family), ", "))
        return false
    end
    if not STEP_KINDS[step.kind] then
        problem_at(path, source, "steps", "%s.kind is %s; %s is not a registered tool, so say "
            .. "whether it only reads (\"read\") or changes something (\"write\")", where,
            tostring(step.kind), step.tool)
        return false
    end
    return true
end

--[[
Checks a step's arguments against its registered tool's parameters: every argument must be a
parameter, and every required parameter needs an argument. Types are checked when the step
runs, because a placeholder is filled from the ticket only then.
]]
check_tool_arguments = function(path, source, where, tool, arguments)
    for name in pairs(arguments or {}) do
        if type(name) == "string" and tool.parameters[name] == nil then
            local known = {}
            for parameter in pairs(tool.parameters) do
                known[#known + 1] = parameter
            end
            table.sort(known)
            problem_at(path, source, "steps", "%s.arguments.%s is not a parameter of %s; its "
                .. "parameters are %s", where, name, tool.name,
                #known > 0 and table.concat(known, ", ") or "none")
            return false
        end
    end
    local missing = {}
    for name, parameter in pairs(tool.parameters) do
        if parameter.required and (arguments == nil or arguments[name] == nil) then
            missing[#missing + 1] = name
        end
    end
    if #missing > 0 then
        table.sort(missing)
        problem_at(path, source, "steps", "%s needs the argument%s %s for %s; add %s or "
            .. "{ask = \"...\"}", where, #missing == 1 and "" or "s",
            table.concat(missing, ", "), tool.name, missing[1] .. " = \"{placeholder}\"")
        return false
    end
    return true
end

local function check_steps(path, source, steps)
    if steps == nil then
        return {}
    end
    if type(steps) ~= "table" then
        problem_at(path, source, "steps", "steps must be a list of {tool = ..., kind = ..., "
            .. "arguments = {...}}, got %s", type(steps))
        return nil
    end
    for position, step in ipairs(steps) do
        local where = string.format("steps[%d]", position)
        if type(step) ~= "table" then
            problem_at(path, source, "steps", "%s must be a table, got %s", where, type(step))
            return nil
        end
        if type(step.tool) ~= "string" or not step.tool:find("^[a-z][a-z0-9_]*%.[a-z][a-z0-9_]*$")
        then
            problem_at(path, source, "steps", "%s.tool is %s; name a tool as family.action, "
                .. "for example \"halo.get_user\" or \"m365.reset_password\"", where,
                tostring(step.tool))
            return nil
        end
        local tool = tools.get(step.tool)
        if tool == nil then
            if not check_unregistered_tool(path, source, where, step) then
                return nil
            end
        else
            -- The registry's kind decides the step's policy, so the step's own kind changes
            -- nothing. A kind that differs (an MSP's tool registering a shipped workflow's
            -- read as a write, say) gets a warning, and the workflow serves with the
            -- registry's kind, whether it is shipped or the MSP's own.
            if step.kind ~= nil and step.kind ~= tool.kind then
                local line = line_of_text(source, '"' .. step.tool .. '"')
                    or line_of_text(source, "'" .. step.tool .. "'") or line_of(source, "steps")
                warning_at(path, line, "%s.kind is %q but %s is registered "
                    .. "as a %s tool, so plans take the step as a %s; remove kind from the step, "
                    .. "or correct the tool's kind if it is wrong", where, tostring(step.kind),
                    step.tool, tool.kind, tool.kind)
            end
            step.kind = tool.kind
            if not check_tool_arguments(path, source, where, tool, step.arguments) then
                return nil
            end
        end
        if not check_arguments(path, source, where, step.arguments) then
            return nil
        end
        if step.purpose ~= nil and type(step.purpose) ~= "string" then
            problem_at(path, source, "steps", "%s.purpose must be a sentence (a string)", where)
            return nil
        end
        if step.requester_account ~= nil and type(step.requester_account) ~= "boolean" then
            problem_at(path, source, "steps", "%s.requester_account must be true or false, got %s",
                where, type(step.requester_account))
            return nil
        end
    end
    return steps
end

local function check_sample_list(path, source, list, label)
    if list == nil then
        return true
    end
    if type(list) ~= "table" then
        problem_at(path, source, "samples", "samples.%s must be a list of samples", label)
        return false
    end
    for position, sample in ipairs(list) do
        local where = string.format("samples.%s[%d]", label, position)
        if type(sample) ~= "table" then
            problem_at(path, source, "samples", "%s must be a table", where)
            return false
        end
        if type(sample.summary) ~= "string" or type(sample.details or "") ~= "string" then
            problem_at(path, source, "samples", "%s needs summary (and optionally details) as "
                .. "strings", where)
            return false
        end
        if sample.source ~= nil and sample.source ~= "written" then
            problem_at(path, source, "samples", "%s.source is %q; use \"written\" for a sample "
                .. "you wrote, or leave it out for a copied ticket with its id", where,
                tostring(sample.source))
            return false
        end
        if sample.source == nil and not non_empty_string(sample.id) then
            problem_at(path, source, "samples", "%s has no id; give the id of the ticket it "
                .. "was copied from, or mark it source = \"written\"", where)
            return false
        end
    end
    return true
end

local function check_samples(path, source, samples)
    if type(samples) ~= "table" or type(samples.match) ~= "table" or #samples.match == 0 then
        problem_at(path, source, "samples", "samples must be {match = {...}, no_match = {...}} "
            .. "with at least one ticket under match, so the rules can be tested")
        return nil
    end
    if not check_sample_list(path, source, samples.match, "match")
        or not check_sample_list(path, source, samples.no_match, "no_match") then
        return nil
    end
    samples.no_match = samples.no_match or {}
    return samples
end

--[[
Validates a workflow table and returns the workflow record, or nil after recording problems.
Every field is checked before giving up, so one load lists every problem of the file.
]]
--[[
Warns about the first step of a workflow without a sensitive field whose write tool reads like
one for sensitive requests and declares no sensitive reason itself: a ticket the sensitive
policy finds harmless would run it without the requester's identity check. A registered tool is
read by its name and description, a tool not registered by the name in the step
(tools.step_sensitive_hint reads each tool once, not once per step).
]]
local function warn_unmarked_sensitive_step(path, source, steps)
    for position, step in ipairs(steps) do
        local word, reason = tools.step_sensitive_hint(step)
        if word ~= nil then
            local line = line_of_text(source, '"' .. step.tool .. '"')
                or line_of_text(source, "'" .. step.tool .. "'") or line_of(source, "steps")
            warning_at(path, line, "steps[%d] uses %s, which reads like a tool for sensitive "
                .. "requests (%q), but neither the workflow nor the tool declares sensitive, so "
                .. "a ticket the sensitive policy finds harmless runs it without the "
                .. "requester's identity check; add sensitive = %q to the workflow, or to the "
                .. "tool's definition", position, step.tool, word, reason)
            return
        end
    end
end

-- True when a step of steps (validated) writes, by the registered tool's kind or, for a tool
-- not registered, by the step's own kind.
local function has_write_step(steps)
    for _, step in ipairs(steps) do
        local tool = tools.get(step.tool)
        if (tool ~= nil and tool.kind or step.kind) == "write" then
            return true
        end
    end
    return false
end

--[[
Warns about each one-word phrase in the `none` rule of a backstop: a workflow that declares
sensitive and whose steps only read, so that it exists for the requester's identity check
alone. A `none` phrase anywhere in the ticket stops the match and with it the check, so a
common word ("remove", "cancel", "statement") beside a sensitive request switches the check
off. An exclusion there should name taking the thing itself away ("stop forwarding").
Workflows with a write step are left out, because the sensitive policy finds their requests
itself and their exclusions hand a ticket to another workflow ("mfa" in password reset).
]]
local function warn_broad_backstop_exclusions(path, source, rules, steps)
    if type(rules) ~= "table" or type(rules.none) ~= "table" or has_write_step(steps) then
        return
    end
    for position, phrase in ipairs(rules.none) do
        if type(phrase) == "string" and #match.tokens((phrase:gsub("%*", ""))) == 1 then
            local line = line_of_text(source, string.format("%q", phrase))
                or line_of(source, "match")
            warning_at(path, line, "match.none[%d] %q is one word in a workflow that declares "
                .. "sensitive and only reads, so that word anywhere in a ticket turns off the "
                .. "requester's identity check for every request beside it; name the removal "
                .. "of the thing itself (\"stop forwarding\", \"remove her access\"), or leave "
                .. "the phrase out", position, phrase)
        end
    end
end

local function check_workflow(path, source, value)
    if type(value) ~= "table" then
        problem_at(path, source, nil, "the file returned %s; end it with return { name = ..., "
            .. "status = ..., ... }", type(value))
        return nil
    end
    local valid = true
    for key in pairs(value) do
        if not KNOWN_FIELDS[key] then
            problem_at(path, source, tostring(key), "unknown field %q; the fields are name, "
                .. "status, scope, trigger, match, instructions, steps, samples, gather, "
                .. "sensitive and provenance", tostring(key))
            valid = false
        end
    end
    for _, field in ipairs({"name", "trigger", "instructions"}) do
        if not non_empty_string(value[field]) then
            problem_at(path, source, field, "%s is missing or empty; it must be a string",
                field)
            valid = false
        end
    end
    if not STATUSES[value.status] then
        problem_at(path, source, "status", "status is %s; use \"active\", \"draft\" or "
            .. "\"archived\"", value.status == nil and "missing" or string.format("%q",
            tostring(value.status)))
        valid = false
    end
    if non_empty_string(value.name) and workflows_by_name[value.name] ~= nil then
        problem_at(path, source, "name", "name %q is already used by %s; give each workflow "
            .. "its own name", value.name, workflows_by_name[value.name].path)
        valid = false
    end

    local scope = check_scope(path, source, value.scope)
    local compiled, rule_problems = nil, {}
    if value.match == nil then
        rule_problems[1] = "match is missing; add keyword rules such as match = {any = "
            .. "{\"password reset\"}}"
    else
        compiled, rule_problems = match.compile(value.match)
    end
    for _, text in ipairs(rule_problems) do
        problem_at(path, source, "match", "%s", text)
    end
    local steps = check_steps(path, source, value.steps)
    local samples = check_samples(path, source, value.samples)
    if value.sensitive ~= nil and not SENSITIVE_REASON_SET[value.sensitive] then
        problem_at(path, source, "sensitive", "sensitive is %s; use one of the sensitive reason "
            .. "codes %s, or leave it out", type(value.sensitive) == "string"
            and string.format("%q", value.sensitive) or type(value.sensitive),
            table.concat(SENSITIVE_REASONS, ", "))
        valid = false
    end
    if value.sensitive == nil and steps ~= nil then
        warn_unmarked_sensitive_step(path, source, steps)
    end
    if value.sensitive ~= nil and steps ~= nil then
        warn_broad_backstop_exclusions(path, source, value.match, steps)
    end
    if value.gather ~= nil and type(value.gather) ~= "function" then
        problem_at(path, source, "gather", "gather is a %s; it must be a function(context) "
            .. "that returns a list of facts (strings)", type(value.gather))
        valid = false
    end
    if not valid or scope == nil or #rule_problems > 0 or steps == nil or samples == nil then
        return nil
    end

    return {
        file = base_name(path),
        path = path,
        name = value.name,
        status = value.status,
        scope = scope,
        trigger = value.trigger,
        instructions = value.instructions,
        steps = steps,
        samples = samples,
        provenance = value.provenance,
        sensitive = value.sensitive,
        gather = value.gather,
        compiled = compiled,
    }
end

local VERIFIER_MODES = {poll = true, callback = true}
local VERIFIER_FIELDS = {
    name = true, mode = true, description = true, dispatch = true, poll = true, callback = true,
}

-- Checks a verifier file's table (docs/verification.md): a name, a mode saying how results
-- come back, dispatch, and poll or callback to match the mode. Returns the verifier or nil.
local function check_verifier(path, source, value)
    if type(value) ~= "table" then
        problem_at(path, source, nil, "a verifier file must return a table, got %s", type(value))
        return nil
    end
    local valid = true
    for key in pairs(value) do
        if not VERIFIER_FIELDS[key] then
            problem_at(path, source, key, "unknown field '%s'; a verifier has name, mode, "
                .. "description, dispatch, poll and callback", tostring(key))
            valid = false
        end
    end
    if not non_empty_string(value.name) then
        problem_at(path, source, "name", "name is missing; give the provider's name as a string")
        valid = false
    end
    if not VERIFIER_MODES[value.mode] then
        problem_at(path, source, "mode", "mode is %s; it must be \"poll\" (halyard asks for the "
            .. "result) or \"callback\" (the provider posts it)", value.mode == nil
            and "missing" or string.format("%q", tostring(value.mode)))
        valid = false
    end
    local required = {"dispatch"}
    if VERIFIER_MODES[value.mode] then
        required[2] = value.mode
    end
    for _, field in ipairs(required) do
        if type(value[field]) ~= "function" then
            problem_at(path, source, field, "%s is %s; a verifier needs a function %s", field,
                value[field] == nil and "missing" or ("a " .. type(value[field])), field)
            valid = false
        end
    end
    if not valid then
        return nil
    end
    return {
        file = base_name(path),
        path = path,
        name = value.name,
        mode = value.mode,
        dispatch = value.dispatch,
        poll = value.poll,
        callback = value.callback,
    }
end

-- Returns the Levenshtein distance between two short strings.
local function edit_distance(left, right)
    local previous = {}
    for j = 0, #right do
        previous[j] = j
    end
    for i = 1, #left do
        local current = {[0] = i}
        for j = 1, #right do
            local cost = left:byte(i) == right:byte(j) and 0 or 1
            current[j] = math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        end
        previous = current
    end
    return previous[#right]
end

-- Returns the candidate closest to name by edit distance (the first in sorted order on a tie),
-- or nil when there are no candidates.
local function closest_name(name, candidates)
    local sorted = {}
    for candidate in pairs(candidates) do
        sorted[#sorted + 1] = candidate
    end
    table.sort(sorted)
    local best, best_distance = nil, math.huge
    for _, candidate in ipairs(sorted) do
        local distance = edit_distance(name, candidate)
        if distance < best_distance then
            best, best_distance = candidate, distance
        end
    end
    return best
end

--[[
Warns about each key of a valid tool policy that matches no tool: an exact name that is neither
registered nor named by a loaded workflow's step, or a family pattern ("rmm.*") of a family
with neither. Such an entry is most often a typo, and it leaves the tool it meant at the kind's
default. Policies load after tools and workflows, so both are complete here.
]]
local function warn_unknown_policy_keys(path, source, policy)
    local known_names, known_patterns = {}, {}
    local function know(name)
        known_names[name] = true
        known_patterns[tools.family(name) .. ".*"] = true
    end
    for _, name in ipairs(tools.names()) do
        know(name)
    end
    for _, workflow in ipairs(workflows) do
        for _, step in ipairs(workflow.steps) do
            know(step.tool)
        end
    end

    local function check_entries(entries, where)
        local keys = {}
        for key in pairs(entries or {}) do
            keys[#keys + 1] = key
        end
        table.sort(keys)
        for _, key in ipairs(keys) do
            local pattern = key:sub(-2) == ".*"
            local known = key == "*" or (pattern and known_patterns[key])
                or (not pattern and known_names[key])
            if not known then
                local closest = closest_name(key, pattern and known_patterns or known_names)
                warning_at(path, line_of_text(source, '"' .. key .. '"')
                    or line_of_text(source, "'" .. key .. "'"), "%s[%q] matches no registered "
                    .. "tool and no workflow step's tool, so it has no effect; %s", where, key,
                    closest and string.format("the closest name is %q", closest)
                    or "check the name")
            end
        end
    end

    check_entries(policy.default, "default")
    local ids = {}
    for id in pairs(policy.clients or {}) do
        ids[#ids + 1] = id
    end
    table.sort(ids)
    for _, id in ipairs(ids) do
        check_entries(policy.clients[id], string.format("clients[%d]", math.tointeger(id)))
    end
end

--[[
Records a problem for each entry of the sensitive settings file that settings_for rejects: the
default entry, then each client's, in id order. The message says what screening does until the
entry is fixed.
]]
local function report_settings(path, source, settings, settings_for)
    local ok, message = pcall(settings_for, settings, nil)
    if not ok or message == nil then
        local _, problem = pcall(settings_for, settings, nil)
        problem_at(path, source, nil, "%s; until it is fixed, every ticket is screened with "
            .. "verification = \"all\"", tostring(problem))
        return
    end
    local ids = {}
    for id in pairs(type(settings.clients) == "table" and settings.clients or {}) do
        ids[#ids + 1] = id
    end
    table.sort(ids, function(a, b)
        return tostring(a) < tostring(b)
    end)
    for _, id in ipairs(ids) do
        local merged, problem = settings_for(settings, id)
        if merged == nil then
            problem_at(path, source, nil, "%s; until it is fixed, client %s is screened with the "
                .. "default entry", tostring(problem), tostring(id))
        end
    end
end

-- Adds one policy file. The tool policy is validated here, and the other policies by their
-- callers.
local function add_policy(path, source, value)
    local name = base_name(path):gsub("%.lua$", "")
    if type(value) ~= "table" and type(value) ~= "function" then
        problem_at(path, source, nil, "a policy file must return a table or a function, "
            .. "got %s", type(value))
        return false
    end
    if name == "tools" and not tools.check_policy(value, function(field, format, ...)
        problem_at(path, source, field, format, ...)
    end) then
        return false
    end
    if name == "tools" then
        warn_unknown_policy_keys(path, source, value)
    end
    -- The sensitive policy's learned model and settings are checked by that policy, when it
    -- offers a check. An invalid settings entry is reported and the file still serves, because
    -- screening falls back from a bad client entry to the default entry (host.lua).
    local sensitive = policies.sensitive
    if name == "sensitive_settings" and type(sensitive) == "table"
            and type(sensitive.settings_for) == "function" and type(value) == "table" then
        report_settings(path, source, value, sensitive.settings_for)
    end
    if name == "sensitive_model" and type(sensitive) == "table"
            and type(sensitive.check_model) == "function" then
        local ok, problem = sensitive.check_model(value)
        if not ok then
            problem_at(path, source, nil, "%s; write the file again with "
                .. "tests/policies/sensitive_train.lua", tostring(problem))
            return false
        end
    end
    policies[name] = value
    -- Workflow matching drops the text the policy finds hidden (context.html_to_text).
    if name == "sensitive" and type(value) == "table" then
        modules.context.drop_hidden = type(value.drop_hidden) == "function"
            and value.drop_hidden or nil
    end
    return true
end

-- Adds one tool file: its tools join the registry, or none of them does.
local function add_tools(path, source, value)
    return tools.add_file(path, source, value, function(line, format, ...)
        loader.add_problem(string.format("%s:%d: %s", path, line or line_of(source, nil),
            string.format(format, ...)))
    end, function(line, format, ...)
        warning_at(path, line or line_of(source, nil), format, ...)
    end)
end

--[[
Keeps the sensitive backstop of a workflow file that failed validation: when it is active,
declares a valid sensitive reason and has valid keyword rules, those rules join
loader.skipped_sensitive_index and a problem says they still apply. A scope that is not valid
counts as every client, so a typo there cannot narrow the backstop.
]]
local function keep_sensitive_backstop(path, source, value)
    if type(value) ~= "table" or value.status ~= "active"
        or not SENSITIVE_REASON_SET[value.sensitive] or type(value.match) ~= "table" then
        return
    end
    local compiled, rule_problems = match.compile(value.match)
    if #rule_problems > 0 or compiled.score ~= nil then
        return
    end
    local clients = nil
    if type(value.scope) == "table" and type(value.scope.clients) == "table" then
        clients = {}
        for _, id in ipairs(value.scope.clients) do
            local integer = math.tointeger(id)
            if integer == nil or integer <= 0 then
                clients = nil
                break
            end
            clients[integer] = true
        end
        if clients ~= nil and next(clients) == nil then
            clients = nil
        end
    end
    local name = non_empty_string(value.name) and value.name or base_name(path)
    loader.skipped_sensitive_index:add({name = name, file = base_name(path),
        sensitive = value.sensitive}, compiled, clients)
    problem_at(path, source, "sensitive", "this text of the workflow is not used for plans, "
        .. "but its match rules and sensitive = %q still apply: a ticket they match is screened "
        .. "sensitive and gets the requester's identity check; fix the problems above to use "
        .. "the workflow again", value.sensitive)
end

-- Adds one file; returns true when it was accepted, else false after recording problems.
local function add_file(kind, path, source)
    local ran, value = run_file(path, source)
    if not ran then
        return false
    end

    if kind == "verifier" then
        local verifier = check_verifier(path, source, value)
        if verifier == nil then
            return false
        end
        verifiers[base_name(path):gsub("%.lua$", "")] = verifier
        return true
    end

    if kind == "policy" then
        return add_policy(path, source, value)
    end
    if kind == "tool" then
        return add_tools(path, source, value)
    end

    local workflow = check_workflow(path, source, value)
    if workflow == nil then
        keep_sensitive_backstop(path, source, value)
        return false
    end
    workflows[#workflows + 1] = workflow
    workflows_by_name[workflow.name] = workflow
    -- The index keeps its own copy of the phrases, so the workflow drops its compiled ones,
    -- which only sample checks read again.
    if workflow.status == "active" then
        local order = loader.index:add(workflow, workflow.compiled,
            workflow.scope ~= "all" and workflow.scope.clients or nil)
        workflow.compiled = match.release(workflow.compiled, value.match, loader.index, order)
    else
        workflow.compiled = match.release(workflow.compiled, value.match)
    end
    return true
end

--[[
Adds one script file. kind is "tool", "workflow", "policy" or "verifier"; path is where it
was read (for messages); source is its text. Raises nothing for a broken file: the problem is
recorded. Returns true when the file was accepted (false when it was skipped) and the number of
problems recorded so far, so the host can tell which problems belong to this file.
]]
function loader.add(kind, path, source)
    local warning_count = #warnings
    local accepted = add_file(kind, path, source)
    if not accepted then
        -- A skipped file's problems describe it. Its warnings would claim that it serves.
        for position = #warnings, warning_count + 1, -1 do
            warnings[position] = nil
        end
    end
    if kind == "policy" then
        -- The host may load an earlier text of the same file after this one fails.
        local name = base_name(path):gsub("%.lua$", "")
        failed_policies[name] = not accepted or nil
        if name == "tools" and not accepted then
            loader.add_problem(string.format("%s:%d: while the tool policy fails to load and no "
                .. "earlier version of it serves, every write tool is disabled and every read "
                .. "tool runs on its own; fix the file to apply its settings", path,
                line_of(source, nil)))
        end
    end
    return accepted, #problems
end

--[[
Returns the number of workflows loaded, the list of problems, and how many entries at the end
of that list are warnings. The first call moves the warnings to the end of the problem list and
logs each, so the command-line lint prints them after the errors.
]]
function loader.report()
    local msp = modules.host ~= nil and modules.host.msp or "-"
    for _, text in ipairs(warnings) do
        loader.add_problem(text)
        log.warning("msp=%s %s; the file serves", msp, text)
    end
    reported_warning_count = reported_warning_count + #warnings
    warnings = {}
    return #workflows, problems, reported_warning_count
end

--[[
Drops what only loading and sample checks read, for a host that serves plans, matches and runs
once every file has loaded (the C host's serving option): each workflow's samples, loader.add
and loader.add_problem with every check they reach, and the tool registry's checks
(tools.release_loading). The next collection frees them. A reload builds a new state, so this
one never loads a file again. Afterwards host.check_samples raises.
]]
function loader.release_loading()
    for _, workflow in ipairs(workflows) do
        workflow.samples = nil
    end
    loader.add = nil
    loader.add_problem = nil
    tools.release_loading()
    loader.loading_released = true
end

-- Returns the loaded workflows in file-name order (the order the host handed them over).
function loader.workflows()
    return workflows
end

-- Returns the loaded policies by file name without ".lua".
function loader.policies()
    return policies
end

-- True when a policy file of this name (without ".lua") was found but failed to load, and no
-- earlier text of it serves.
function loader.policy_failed(name)
    return failed_policies[name] == true
end

-- Returns the loaded verifiers (identity verification providers) by file name without ".lua".
function loader.verifiers()
    return verifiers
end

return loader
