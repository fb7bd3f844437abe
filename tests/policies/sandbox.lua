-- Loads a policy file under plain lua5.4 in an environment like the one halyard's loader gives
-- scripts (bindings/lua/loader.lua): the allowed base functions, read-only views of string,
-- table, math and utf8, and an error on reading any other global. json and log are left out,
-- so a policy that needs them fails here rather than passing by accident.
--
--   local sandbox = dofile("tests/policies/sandbox.lua")
--   local policy = sandbox.load_policy("config/policies/sensitive.lua")
--
-- load_policy raises with the file's message when the file fails to compile or run, or does
-- not return a table.

local sandbox = {}

local SCRIPT_FUNCTIONS = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
    "xpcall",
}

local SCRIPT_LIBRARIES = {string = string, table = table, math = math, utf8 = utf8}

local function read_only(library, name)
    return setmetatable({}, {
        __index = library,
        __newindex = function(_, key)
            error(string.format("%s.%s cannot be changed: %s is read-only in scripts", name,
                tostring(key), name), 2)
        end,
        __metatable = false,
    })
end

-- Returns a fresh environment for one script file.
function sandbox.environment()
    local names = {}
    for _, name in ipairs(SCRIPT_FUNCTIONS) do
        names[name] = _G[name]
    end
    for name, library in pairs(SCRIPT_LIBRARIES) do
        names[name] = read_only(library, name)
    end
    names._VERSION = _VERSION
    setmetatable(names, {
        __index = function(_, key)
            error(string.format("undefined global '%s'", tostring(key)), 2)
        end,
        __metatable = false,
    })
    local environment = setmetatable({}, {__index = names, __metatable = false})
    names._G = environment
    return environment
end

-- Compiles and runs the policy file at path and returns the table it returned.
function sandbox.load_policy(path)
    local file, open_error = io.open(path, "r")
    if file == nil then
        error(string.format("cannot open the policy %s: %s", path, open_error), 2)
    end
    local source = file:read("a")
    file:close()

    local chunk, compile_error = load(source, "@" .. path, "t", sandbox.environment())
    if chunk == nil then
        error(compile_error, 2)
    end
    local policy = chunk()
    if type(policy) ~= "table" then
        error(string.format("%s returned %s; a policy file must return a table", path,
            type(policy)), 2)
    end
    return policy
end

return sandbox
