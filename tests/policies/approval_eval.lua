-- Measures the approval policy (config/policies/approval.lua) on the labelled replies.
--
--   lua5.4 tests/policies/approval_eval.lua [--split heldout|tune|all] [--show-all]
--                                           [--policy FILE] [--replies FILE] [--ids FIRST-LAST]
--
-- The default split is heldout. --split all scores every row, and --ids keeps only the rows
-- whose id number is in FIRST-LAST (reply-1306 to reply-1550 is --ids 1306-1550), so a batch
-- that nobody tuned on can be scored whole. Both print totals only, as for the held-out split.
-- The script prints the accuracy, the confusion table and the
-- number of approvals produced by a deny or neutral reply, and exits 1 when the accuracy is
-- below 0.95 or any such approval exists. On the held-out split it prints totals only, as
-- tests/data/replies/SPLIT.md requires: never a held-out text, and never which held-out rows
-- failed. On the tune split it prints every wrong row with its text, and with --show-all every
-- row. The policy runs in an environment like halyard's script sandbox (only the base
-- functions, string, table, math and utf8, and reading an undefined global raises), so a
-- policy that works here also loads in halyard.

local cjson = require("cjson")

local GOAL_ACCURACY = 0.95
local LABELS = {"approve", "deny", "neutral"}

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local root = script_folder .. "/../.."

local function fail_usage(message)
    io.stderr:write("approval_eval.lua: ", message, "\n")
    io.stderr:write("usage: lua5.4 approval_eval.lua [--split heldout|tune|all] [--show-all] "
        .. "[--policy FILE] [--replies FILE] [--ids FIRST-LAST]\n")
    os.exit(2)
end

local options = {
    split = "heldout",
    show_all = false,
    policy = root .. "/config/policies/approval.lua",
    replies = root .. "/tests/data/replies/replies.jsonl",
}
local index = 1
while index <= #arg do
    local name = arg[index]
    if name == "--show-all" then
        options.show_all = true
    elseif name == "--split" or name == "--policy" or name == "--replies" or name == "--ids" then
        local value = arg[index + 1]
        if value == nil then
            fail_usage(name .. " needs a value")
        end
        options[name:sub(3)] = value
        index = index + 1
    else
        fail_usage(string.format("unknown argument '%s'", name))
    end
    index = index + 1
end
if options.split ~= "heldout" and options.split ~= "tune" and options.split ~= "all" then
    fail_usage(string.format("--split is '%s'; use heldout, tune or all", options.split))
end
local first_id, last_id = nil, nil
if options.ids ~= nil then
    first_id, last_id = options.ids:match("^(%d+)%-(%d+)$")
    first_id, last_id = tonumber(first_id), tonumber(last_id)
    if first_id == nil or first_id > last_id then
        fail_usage(string.format("--ids is '%s'; give two id numbers, such as 1306-1550",
            options.ids))
    end
end
if options.show_all and options.split ~= "tune" then
    fail_usage("--show-all prints texts, so it works only with --split tune")
end

-- Returns an environment like the one bindings/lua/loader.lua gives a policy file.
local function sandbox_environment()
    local names = {}
    for _, name in ipairs({"assert", "error", "getmetatable", "ipairs", "next", "pairs",
        "pcall", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
        "tonumber", "tostring", "type", "xpcall"}) do
        names[name] = _G[name]
    end
    for _, library in ipairs({"string", "table", "math", "utf8"}) do
        names[library] = setmetatable({}, {
            __index = _G[library],
            __newindex = function(_, key)
                error(string.format("%s.%s cannot be changed in scripts", library,
                    tostring(key)), 2)
            end,
        })
    end
    names._VERSION = _VERSION
    setmetatable(names, {
        __index = function(_, key)
            error(string.format("undefined global '%s'", tostring(key)), 2)
        end,
    })
    return setmetatable({}, {__index = names})
end

local function load_policy(path)
    local file, message = io.open(path, "r")
    if file == nil then
        io.stderr:write("approval_eval.lua: cannot open the policy: ", message,
            "; pass its path with --policy\n")
        os.exit(2)
    end
    local source = file:read("a")
    file:close()
    local chunk, compile_error = load(source, "@" .. path, "t", sandbox_environment())
    if chunk == nil then
        io.stderr:write("approval_eval.lua: ", compile_error, "\n")
        os.exit(2)
    end
    local policy = chunk()
    if type(policy) ~= "table" or type(policy.classify) ~= "function" then
        io.stderr:write("approval_eval.lua: ", path, " must return a table with a classify "
            .. "function\n")
        os.exit(2)
    end
    return policy
end

-- Reads the rows of one split. Rows of the other split are skipped as soon as their split
-- field is read, so nothing of them is kept or shown.
local function read_rows(path, split)
    local file, message = io.open(path, "r")
    if file == nil then
        io.stderr:write("approval_eval.lua: cannot open the replies: ", message,
            "; pass their path with --replies\n")
        os.exit(2)
    end
    local rows = {}
    local line_number = 0
    for line in file:lines() do
        line_number = line_number + 1
        local ok, row = pcall(cjson.decode, line)
        if not ok or type(row) ~= "table" or type(row.text) ~= "string" then
            io.stderr:write(string.format("approval_eval.lua: %s:%d is not a reply row; run "
                .. "tests/data/replies/check.lua\n", path, line_number))
            os.exit(2)
        end
        local number = tonumber(tostring(row.id):match("(%d+)$"))
        local in_range = first_id == nil or (number ~= nil and number >= first_id
            and number <= last_id)
        if (split == "all" or row.split == split) and in_range then
            rows[#rows + 1] = row
        end
    end
    file:close()
    return rows
end

local policy = load_policy(options.policy)
local rows = read_rows(options.replies, options.split)
if #rows == 0 then
    io.stderr:write("approval_eval.lua: no rows of split ", options.split, " in ",
        options.replies, "\n")
    os.exit(1)
end

local confusion = {}
for _, expected in ipairs(LABELS) do
    confusion[expected] = {approve = 0, deny = 0, neutral = 0}
end
local correct, false_approvals, reason_matches = 0, 0, 0
local wrong_rows = {}

for _, row in ipairs(rows) do
    local ok, outcome = pcall(policy.classify, row.text)
    local decision = ok and type(outcome) == "table" and outcome.decision or "error"
    if confusion[row.label][decision] == nil then
        -- An error or an invalid decision counts as wrong (and never as an approval).
        confusion[row.label][decision] = 0
    end
    confusion[row.label][decision] = confusion[row.label][decision] + 1
    if decision == row.label then
        correct = correct + 1
        if outcome.reason == row.reason then
            reason_matches = reason_matches + 1
        end
    end
    if decision == "approve" and row.label ~= "approve" then
        false_approvals = false_approvals + 1
    end
    if options.split == "tune" and (decision ~= row.label or options.show_all) then
        wrong_rows[#wrong_rows + 1] = string.format("%s %s expected %s (%s), got %s (%s) "
            .. "evidence %q\n    %s", decision == row.label and "ok  " or "FAIL", row.id,
            row.label, row.reason, tostring(decision),
            ok and tostring(outcome.reason) or tostring(outcome),
            ok and tostring(outcome.evidence) or "", (row.text:gsub("\n", "\n    ")))
    end
end

local accuracy = correct / #rows
print(string.format("approval policy on the %s split: %d rows", options.split, #rows))
print(string.format("accuracy %.3f (%d of %d correct; goal at least %.2f)", accuracy, correct,
    #rows, GOAL_ACCURACY))
print(string.format("reason code also matches on %d of the %d correct rows", reason_matches,
    correct))
print("confusion (rows: label, columns: decision)")
print(string.format("  %-10s %8s %8s %8s %8s", "", "approve", "deny", "neutral", "error"))
for _, expected in ipairs(LABELS) do
    local counts = confusion[expected]
    local errors = 0
    for decision, count in pairs(counts) do
        if decision ~= "approve" and decision ~= "deny" and decision ~= "neutral" then
            errors = errors + count
        end
    end
    print(string.format("  %-10s %8d %8d %8d %8d", expected, counts.approve, counts.deny,
        counts.neutral, errors))
end
print(string.format("false approvals: %d (deny or neutral replies read as approve; goal 0)",
    false_approvals))
for _, text in ipairs(wrong_rows) do
    print(text)
end

if accuracy < GOAL_ACCURACY or false_approvals > 0 then
    print("FAIL: the policy misses the goal on the " .. options.split .. " split")
    os.exit(1)
end
print("ok: the policy meets the goal on the " .. options.split .. " split")
