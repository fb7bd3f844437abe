-- Measures the sensitive-ticket policy (config/policies/sensitive.lua) on the labelled tickets of
-- tests/data/sensitive/ and fails when it misses the goal.
--
--   lua5.4 tests/policies/sensitive_eval.lua [--split heldout|tune|all] [--root DIR]
--          [--policy FILE] [--model FILE|none] [--verbose] [--ids PREFIX:FIRST-LAST]
--
-- --split all scores every row, and --ids keeps only the rows whose id is PREFIX-N with N in
-- FIRST-LAST (varied-303 to varied-498 is --ids varied:303-498), so a batch that nobody tuned
-- on can be scored whole. Both print totals only, as for the held-out split, and files with
-- no selected row are left out.
--
-- --split picks the rows by their split field (SPLIT.md), heldout by default. Rows of the
-- other split are dropped as they are read, before any text is looked at. --root is the
-- repository (default: two folders above this script) and --policy the policy file to measure
-- (default: ROOT/config/policies/sensitive.lua), for example an MSP's own copy. --model is
-- the learned model the policy is given (default: ROOT/config/policies/sensitive_model.lua;
-- none measures the rules alone). For each file
-- (real.jsonl, written.jsonl, varied.jsonl, and fresh.jsonl, whose rows are all held out) the
-- script prints the counts, recall and precision on sensitive tickets, the same without the
-- rows whose note starts with "ambiguous", and, for the tune split only, every miss and false
-- alarm with the expected and the returned reason (--verbose also lists the hits). The
-- held-out split prints totals only, so its rows stay unseen.
--
-- The exit status is 1 when, on any file, recall is below 0.98 or precision below 0.90,
-- or when one call used more than INSTRUCTION_LIMIT Lua instructions; 2 on bad arguments or
-- unreadable data.

local cjson = require("cjson")

local RECALL_GOAL = 0.98
local PRECISION_GOAL = 0.90

-- A tenth of the host's default budget of 10 million instructions per call.
local INSTRUCTION_LIMIT = 1000000

local function fail_usage(message)
    io.stderr:write("sensitive_eval.lua: ", message, "\n")
    os.exit(2)
end

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local options = {split = "heldout", root = script_folder .. "/../..", verbose = false}
local index = 1
while index <= #arg do
    local name = arg[index]
    if name == "--split" or name == "--root" or name == "--policy" or name == "--ids"
            or name == "--model" then
        local value = arg[index + 1]
        if value == nil then
            fail_usage(name .. " needs a value")
        end
        options[name:sub(3)] = value
        index = index + 2
    elseif name == "--verbose" then
        options.verbose = true
        index = index + 1
    else
        fail_usage(string.format("unknown argument '%s'; use --split heldout|tune|all, --root "
            .. "DIR, --policy FILE, --model FILE|none, --verbose, --ids PREFIX:FIRST-LAST",
            name))
    end
end
if options.split ~= "heldout" and options.split ~= "tune" and options.split ~= "all" then
    fail_usage(string.format("--split is '%s'; use heldout, tune or all", options.split))
end
local id_prefix, first_id, last_id = nil, nil, nil
if options.ids ~= nil then
    id_prefix, first_id, last_id = options.ids:match("^([%w_]+):(%d+)%-(%d+)$")
    first_id, last_id = tonumber(first_id), tonumber(last_id)
    if id_prefix == nil or first_id > last_id then
        fail_usage(string.format("--ids is '%s'; give a prefix and two numbers, such as "
            .. "varied:303-498", options.ids))
    end
end

-- True when the row's id is in the --ids range, or no range was given.
local function id_selected(id)
    if id_prefix == nil then
        return true
    end
    local prefix, number = tostring(id):match("^([%w_]+)%-(%d+)$")
    number = tonumber(number)
    return prefix == id_prefix and number >= first_id and number <= last_id
end

local sandbox = dofile(script_folder .. "/sandbox.lua")
local policy = sandbox.load_policy(options.policy
    or (options.root .. "/config/policies/sensitive.lua"))
local model = nil
if options.model ~= "none" then
    model = sandbox.load_policy(options.model
        or (options.root .. "/config/policies/sensitive_model.lua"))
end

-- Returns the rows of a JSON-lines file whose split is the chosen one.
local function read_rows(path)
    local file, message = io.open(path, "r")
    if file == nil then
        fail_usage("cannot open " .. path .. ": " .. message)
    end
    local rows = {}
    local line_number = 0
    for line in file:lines() do
        line_number = line_number + 1
        local ok, row = pcall(cjson.decode, line)
        if not ok or type(row) ~= "table" then
            fail_usage(string.format("%s:%d: not a JSON object", path, line_number))
        end
        if row.split ~= "tune" and row.split ~= "heldout" then
            fail_usage(string.format("%s:%d: split is %s; use tune or heldout", path,
                line_number, tostring(row.split)))
        end
        if (options.split == "all" or row.split == options.split) and id_selected(row.id) then
            rows[#rows + 1] = row
        end
    end
    file:close()
    return rows
end

-- Returns id -> {subject, body} of the real tickets, for the ids in ids_in_split only.
local function read_texts(path, ids_in_split)
    local file, message = io.open(path, "r")
    if file == nil then
        fail_usage("cannot open " .. path .. ": " .. message)
    end
    local texts = {}
    for line in file:lines() do
        local id = line:match('^{"id": "([^"]+)"')
        if id == nil or ids_in_split[id] then
            local row = cjson.decode(line)
            if ids_in_split[row.id] then
                texts[row.id] = {subject = row.subject, body = row.body}
            end
        end
    end
    file:close()
    return texts
end

local data = options.root .. "/tests/data"
local real_rows = read_rows(data .. "/sensitive/real.jsonl")
local ids_in_split = {}
for _, row in ipairs(real_rows) do
    ids_in_split[row.id] = true
end
local real_texts = read_texts(data .. "/endava_tickets.jsonl", ids_in_split)
local written_rows = read_rows(data .. "/sensitive/written.jsonl")
local varied_rows = read_rows(data .. "/sensitive/varied.jsonl")
local fresh_rows = read_rows(data .. "/sensitive/fresh.jsonl")

-- Counts Lua instructions of one call with a count hook, in steps of 1000.
local max_instructions, max_instructions_id = 0, nil
local function classify_counted(id, ticket)
    local count = 0
    debug.sethook(function()
        count = count + 1000
    end, "", 1000)
    local result = policy.classify(ticket, nil, nil, model)
    debug.sethook()
    if count > max_instructions then
        max_instructions, max_instructions_id = count, id
    end
    return result
end

local function ratio(numerator, denominator)
    if denominator == 0 then
        return 1
    end
    return numerator / denominator
end

local failed = false

--[[
Scores one file's rows. ticket_of(row) returns the ticket to classify. Prints the figures and
the errors; returns nothing. Marks the run failed when the goal is missed.
]]
local function score(name, rows, ticket_of)
    if id_prefix ~= nil and #rows == 0 then
        return
    end
    local all = {tp = 0, fp = 0, fn = 0, tn = 0}
    -- The not_own_account signal on sensitive tickets found, against requester_is_target.
    local other_person = {signalled = 0, rows = 0}
    local own_person = {signalled = 0, rows = 0}
    local clear = {tp = 0, fp = 0, fn = 0, tn = 0}
    local reason_agrees = 0
    local errors = {}
    for _, row in ipairs(rows) do
        local result = classify_counted(row.id, ticket_of(row))
        local ambiguous = type(row.note) == "string" and row.note:find("^ambiguous") ~= nil
        local key
        if row.sensitive and result.sensitive then
            key = "tp"
            if result.reason == row.reason then
                reason_agrees = reason_agrees + 1
            end
        elseif row.sensitive then
            key = "fn"
        elseif result.sensitive then
            key = "fp"
        else
            key = "tn"
        end
        all[key] = all[key] + 1
        if key == "tp" and row.summary ~= nil then
            local tally = row.requester_is_target == false and other_person or own_person
            tally.rows = tally.rows + 1
            for _, signal in ipairs(result.risk.signals) do
                if signal.code == "not_own_account" then
                    tally.signalled = tally.signalled + 1
                end
            end
        end
        if not ambiguous then
            clear[key] = clear[key] + 1
        end
        -- Held-out rows are measured, never read. Only the tune split lists its rows, and not
        -- with --ids: a range of ids is a batch kept aside to measure a change.
        if options.split == "tune" and options.ids == nil
            and (key == "fn" or key == "fp" or options.verbose) then
            errors[#errors + 1] = string.format("  %-6s %-13s expected %-22s got %-22s %s%s",
                key == "fn" and "miss" or key == "fp" and "alarm" or key, row.id, row.reason,
                result.reason, result.matched ~= "" and ("'" .. result.matched .. "'") or "",
                ambiguous and " (ambiguous)" or "")
        end
    end

    local recall = ratio(all.tp, all.tp + all.fn)
    local precision = ratio(all.tp, all.tp + all.fp)
    print(string.format("%s, %s split: %d rows, %d sensitive", name, options.split, #rows,
        all.tp + all.fn))
    print(string.format("  all rows:        recall %.3f (%d/%d)  precision %.3f (%d/%d)  "
        .. "tp %d fp %d fn %d tn %d", recall, all.tp, all.tp + all.fn, precision, all.tp,
        all.tp + all.fp, all.tp, all.fp, all.fn, all.tn))
    print(string.format("  not ambiguous:   recall %.3f (%d/%d)  precision %.3f (%d/%d)",
        ratio(clear.tp, clear.tp + clear.fn), clear.tp, clear.tp + clear.fn,
        ratio(clear.tp, clear.tp + clear.fp), clear.tp, clear.tp + clear.fp))
    print(string.format("  reason agrees on %d of %d sensitive tickets found", reason_agrees,
        all.tp))
    if other_person.rows + own_person.rows > 0 then
        print(string.format("  not_own_account from the text: on %d of %d found for someone else, "
            .. "on %d of %d found for the requester", other_person.signalled, other_person.rows,
            own_person.signalled, own_person.rows))
    end
    for _, line in ipairs(errors) do
        print(line)
    end
    if recall < RECALL_GOAL or precision < PRECISION_GOAL then
        print(string.format("  FAIL: the goal is recall >= %.2f and precision >= %.2f",
            RECALL_GOAL, PRECISION_GOAL))
        failed = true
    end
end

score("real.jsonl", real_rows, function(row)
    local text = real_texts[row.id]
    if text == nil then
        fail_usage(string.format("%s has no text in endava_tickets.jsonl", row.id))
    end
    return {summary = text.subject, details = text.body, source = "email"}
end)
local function written_ticket(row)
    return {summary = row.summary, details = row.details, source = row.source}
end
score("written.jsonl", written_rows, written_ticket)
score("varied.jsonl", varied_rows, written_ticket)
if #fresh_rows > 0 or id_prefix ~= nil then
    score("fresh.jsonl", fresh_rows, written_ticket)
else
    print(string.format("fresh.jsonl has no rows in the %s split: all its rows are held out",
        options.split))
end

print(string.format("most Lua instructions in one call: about %d (%s); the limit here is %d",
    max_instructions, tostring(max_instructions_id), INSTRUCTION_LIMIT))
if max_instructions > INSTRUCTION_LIMIT then
    failed = true
end
if failed then
    os.exit(1)
end
