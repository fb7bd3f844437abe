-- Trains the sensitive-ticket policy's learned second opinion and writes it as
-- config/policies/sensitive_model.lua.
--
--   lua5.4 tests/policies/sensitive_train.lua [--root DIR] [--out FILE] [--check]
--          [--exclude PREFIX:FIRST-LAST] [--threshold P]
--
-- It reads the tune rows of tests/data/sensitive/ (real.jsonl joined with the real tickets'
-- text, written.jsonl and varied.jsonl); held-out rows are dropped as they are read, before
-- any text is looked at. The features are config/policies/sensitive.lua's model_buckets, so
-- the model reads a ticket as the policy does. Training is a logistic regression by
-- stochastic gradient descent with a fixed seed and a fixed order, so the same data and
-- policy give the same file on every run.
--
-- --out writes elsewhere (an MSP training on its own labels, or a trial), --exclude leaves a
-- batch out (varied:499-767), so the model can be measured on rows it never saw, and
-- --threshold sets the probability from which a ticket the rules pass counts as sensitive.
-- --check writes nothing: it trains, compares with the file at --out and exits 1 when they
-- differ, so a model that no longer follows the data or the policy's features is caught.
-- The exit status is 2 on bad arguments or unreadable data.

local cjson = require("cjson")

local BUCKETS = 16384
local EPOCHS = 30
local LEARNING_RATE = 0.3
local L2 = 0.0001
local SEED = 7
local DEFAULT_THRESHOLD = 0.9

local function fail_usage(message)
    io.stderr:write("sensitive_train.lua: ", message, "\n")
    os.exit(2)
end

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local options = {root = script_folder .. "/../..", check = false, threshold = DEFAULT_THRESHOLD}
local index = 1
while index <= #arg do
    local name = arg[index]
    if name == "--root" or name == "--out" or name == "--exclude" or name == "--threshold" then
        local value = arg[index + 1]
        if value == nil then
            fail_usage(name .. " needs a value")
        end
        options[name:sub(3)] = value
        index = index + 2
    elseif name == "--check" then
        options.check = true
        index = index + 1
    else
        fail_usage(string.format("unknown argument '%s'; use --root DIR, --out FILE, --check, "
            .. "--exclude PREFIX:FIRST-LAST or --threshold P", name))
    end
end
options.out = options.out or (options.root .. "/config/policies/sensitive_model.lua")
options.threshold = tonumber(options.threshold)
if options.threshold == nil or options.threshold <= 0 or options.threshold >= 1 then
    fail_usage("--threshold must be a probability above 0 and below 1")
end
local exclude_prefix, exclude_first, exclude_last = nil, nil, nil
if options.exclude ~= nil then
    exclude_prefix, exclude_first, exclude_last = options.exclude:match("^([%w_]+):(%d+)%-(%d+)$")
    exclude_first, exclude_last = tonumber(exclude_first), tonumber(exclude_last)
    if exclude_prefix == nil or exclude_first > exclude_last then
        fail_usage(string.format("--exclude is '%s'; give a prefix and two numbers, such as "
            .. "varied:499-767", options.exclude))
    end
end

-- True when the row's id is in the --exclude range.
local function excluded(id)
    if exclude_prefix == nil then
        return false
    end
    local prefix, number = tostring(id):match("^([%w_]+)%-(%d+)$")
    number = tonumber(number)
    return prefix == exclude_prefix and number >= exclude_first and number <= exclude_last
end

local sandbox = dofile(script_folder .. "/sandbox.lua")
local policy = sandbox.load_policy(options.root .. "/config/policies/sensitive.lua")

-- Returns the tune rows of a JSON-lines file that --exclude keeps.
local function read_tune_rows(path)
    local file, message = io.open(path, "r")
    if file == nil then
        fail_usage("cannot open " .. path .. ": " .. message)
    end
    local rows = {}
    local line_number = 0
    for line in file:lines() do
        line_number = line_number + 1
        local ok, row = pcall(cjson.decode, line)
        if not ok or type(row) ~= "table" or type(row.sensitive) ~= "boolean" then
            fail_usage(string.format("%s:%d: not a labelled row", path, line_number))
        end
        if row.split == "tune" and not excluded(row.id) then
            rows[#rows + 1] = row
        end
    end
    file:close()
    return rows
end

-- The examples: each ticket's buckets and its label, in the files' order.
local data = options.root .. "/tests/data"
local examples = {}
local function add_example(ticket, row)
    examples[#examples + 1] = {buckets = policy.model_buckets(ticket, BUCKETS),
        label = row.sensitive and 1 or 0}
end

local real_rows = read_tune_rows(data .. "/sensitive/real.jsonl")
local real_ids = {}
for _, row in ipairs(real_rows) do
    real_ids[row.id] = true
end
local real_texts = {}
for line in io.lines(data .. "/endava_tickets.jsonl") do
    local id = line:match('^{"id": "([^"]+)"')
    if id == nil or real_ids[id] then
        local ticket = cjson.decode(line)
        real_texts[ticket.id] = ticket
    end
end
for _, row in ipairs(real_rows) do
    local text = real_texts[row.id]
    if text == nil then
        fail_usage(string.format("%s has no text in endava_tickets.jsonl", row.id))
    end
    add_example({summary = text.subject, details = text.body, source = "email"}, row)
end
for _, name in ipairs({"written.jsonl", "varied.jsonl"}) do
    for _, row in ipairs(read_tune_rows(data .. "/sensitive/" .. name)) do
        add_example({summary = row.summary, details = row.details, source = row.source}, row)
    end
end

-- Training: each epoch visits the examples in an order shuffled with the fixed seed.
local weights = {}
for bucket = 0, BUCKETS - 1 do
    weights[bucket] = 0.0
end
local bias = 0.0
math.randomseed(SEED)
local order = {}
for position = 1, #examples do
    order[position] = position
end
for _ = 1, EPOCHS do
    for position = #order, 2, -1 do
        local other = math.random(position)
        order[position], order[other] = order[other], order[position]
    end
    for _, example_index in ipairs(order) do
        local example = examples[example_index]
        local sum = bias
        for _, bucket in ipairs(example.buckets) do
            sum = sum + weights[bucket]
        end
        local gradient = 1 / (1 + math.exp(-sum)) - example.label
        for _, bucket in ipairs(example.buckets) do
            local weight = weights[bucket]
            weights[bucket] = weight - LEARNING_RATE * (gradient + L2 * weight)
        end
        bias = bias - LEARNING_RATE * gradient
    end
end

-- The weights as signed 16-bit numbers times scale, written as one string of "\xHH" escapes
-- continued over lines with "\z". The string constant is the value itself, so loading the file
-- leaves no decoding garbage in the MSP's Lua state.
local largest = 0
for bucket = 0, BUCKETS - 1 do
    largest = math.max(largest, math.abs(weights[bucket]))
end
local scale = largest > 0 and largest / 32767 or 1
local packed = {}
for bucket = 0, BUCKETS - 1 do
    packed[#packed + 1] = string.pack("<i2", math.floor(weights[bucket] / scale + 0.5))
end
local escaped = table.concat(packed):gsub(".", function(byte)
    return string.format("\\x%02x", byte:byte())
end)
local lines = {}
for start = 1, #escaped, 96 do
    lines[#lines + 1] = "    " .. escaped:sub(start, start + 95)
end
local sensitive_count = 0
for _, example in ipairs(examples) do
    sensitive_count = sensitive_count + example.label
end

local text = table.concat({
    "-- The sensitive-ticket policy's learned second opinion (config/policies/sensitive.lua,",
    "-- \"The learned second opinion\"). Written by tests/policies/sensitive_train.lua; do not",
    "-- edit by hand: train again, on the project's labels or an MSP's own, and lint.",
    string.format("-- Trained on %d tune rows (%d sensitive)%s.", #examples, sensitive_count,
        options.exclude and (", leaving out " .. options.exclude) or ""),
    "return {",
    string.format("    buckets = %d,", BUCKETS),
    string.format("    scale = %.17g,", scale),
    string.format("    bias = %.17g,", bias),
    "    -- A ticket the rules pass is sensitive from this probability on.",
    string.format("    threshold = %.6g,", options.threshold),
    "    weights = \"\\z",
    table.concat(lines, "\\z\n") .. "\\z",
    "    \",",
    "}",
    "",
}, "\n")

if options.check then
    local file = io.open(options.out, "r")
    local shipped = file and file:read("a")
    if file then
        file:close()
    end
    if shipped ~= text then
        io.stderr:write(string.format("sensitive_train.lua: %s differs from a model trained "
            .. "now on the tune rows; run lua5.4 tests/policies/sensitive_train.lua to write "
            .. "it again, then measure with sensitive_eval.lua\n", options.out))
        os.exit(1)
    end
    print(string.format("%s matches a model trained now on %d tune rows", options.out,
        #examples))
    os.exit(0)
end

local file, message = io.open(options.out, "w")
if file == nil then
    fail_usage("cannot write " .. options.out .. ": " .. message)
end
file:write(text)
file:close()
print(string.format("wrote %s: %d tune rows (%d sensitive), %d buckets", options.out,
    #examples, sensitive_count, BUCKETS))
