-- Validates the labelled approval replies and prints their counts.
--
--   lua5.4 tests/data/replies/check.lua [replies.jsonl [RULE.md]]
--
-- Both paths default to the files beside this script. Every row must have exactly the fields
-- id, text, label, reason, format and split. Its reason must be one of the codes that RULE.md
-- lists under its label, and its split must be the one that SPLIT.md's rule gives its id. The
-- script exits 0 and prints the counts when every row is valid. Otherwise it prints one line
-- per problem to stderr and exits 1. It reads the held-out rows only to check their fields and
-- count them, never to show their text.

local cjson = require("cjson")

local script_folder = (arg[0]:match("^(.*)/[^/]*$") or ".")
local replies_path = arg[1] or (script_folder .. "/replies.jsonl")
local rule_path = arg[2] or (script_folder .. "/RULE.md")

local labels = {"approve", "deny", "neutral"}
local formats = {plain = true, html = true, email = true}
local fields = {"id", "text", "label", "reason", "format", "split"}

-- Returns the 32-bit FNV-1a hash of a string's bytes (offset basis 2166136261, prime 16777619).
local function fnv1a_32(text)
    local hash = 2166136261
    for index = 1, #text do
        hash = hash ~ text:byte(index)
        hash = (hash * 16777619) & 0xffffffff
    end
    return hash
end

-- Returns the split that SPLIT.md's rule gives an id.
local function split_for_id(id)
    if fnv1a_32(id) % 10 < 3 then
        return "heldout"
    end
    return "tune"
end

-- Reads the reason codes from RULE.md: the backticked first cell of each table row under the
-- headings "### approve", "### deny" and "### neutral". Returns {valid = label -> {code = true},
-- ordered = label -> list of codes in the rule's order}, or nil and a message.
local function read_reason_codes(path)
    local file, message = io.open(path, "r")
    if not file then
        return nil, "cannot open the labelling rule: " .. message .. "; pass its path as the second argument"
    end

    local codes, ordered = {}, {}
    for _, label in ipairs(labels) do
        codes[label], ordered[label] = {}, {}
    end

    local section
    for line in file:lines() do
        local heading = line:match("^###%s+(%S+)%s*$")
        if heading then
            section = codes[heading] and heading or nil
        elseif line:match("^##%s") then
            section = nil
        elseif section then
            local code = line:match("^|%s*`([%w_]+)`%s*|")
            if code then
                codes[section][code] = true
                table.insert(ordered[section], code)
            end
        end
    end
    file:close()

    for _, label in ipairs(labels) do
        if #ordered[label] == 0 then
            return nil, path .. ": no reason codes found under '### " .. label .. "'"
        end
    end
    return {valid = codes, ordered = ordered}
end

local function add_count(counts, key)
    counts[key] = (counts[key] or 0) + 1
end

local function sorted_keys(map)
    local keys = {}
    for key in pairs(map) do
        table.insert(keys, key)
    end
    table.sort(keys)
    return keys
end

local reason_codes, rule_message = read_reason_codes(rule_path)
if not reason_codes then
    io.stderr:write("check.lua: ", rule_message, "\n")
    os.exit(1)
end
local codes, ordered_codes = reason_codes.valid, reason_codes.ordered

local file, open_message = io.open(replies_path, "r")
if not file then
    io.stderr:write("check.lua: cannot open the replies: ", open_message,
        "; pass its path as the first argument\n")
    os.exit(1)
end

local problems = {}
local function report(line_number, message)
    table.insert(problems, string.format("%s:%d: %s", replies_path, line_number, message))
end

local seen_ids, seen_texts = {}, {}
local by_label, by_split, by_format, by_reason, by_label_split = {}, {}, {}, {}, {}
local row_count = 0
local line_number = 0

for line in file:lines() do
    line_number = line_number + 1
    local ok, row = pcall(cjson.decode, line)
    if not ok or type(row) ~= "table" then
        report(line_number, "not a JSON object: " .. tostring(row))
        goto next_line
    end

    for _, field in ipairs(fields) do
        if type(row[field]) ~= "string" then
            report(line_number, string.format("field '%s' is missing or not a string", field))
            goto next_line
        end
    end
    for key in pairs(row) do
        local known = false
        for _, field in ipairs(fields) do
            known = known or key == field
        end
        if not known then
            report(line_number, string.format("unknown field '%s'; the fields are %s", tostring(key),
                table.concat(fields, ", ")))
        end
    end

    if not row.id:match("^reply%-%d%d%d+$") then
        report(line_number, string.format("id '%s' is invalid; ids look like reply-001", row.id))
    elseif seen_ids[row.id] then
        report(line_number, string.format("id '%s' repeats line %d", row.id, seen_ids[row.id]))
    else
        seen_ids[row.id] = line_number
    end

    if seen_texts[row.text] then
        report(line_number, string.format("text of %s repeats line %d", row.id, seen_texts[row.text]))
    else
        seen_texts[row.text] = line_number
    end

    if not codes[row.label] then
        report(line_number, string.format("label '%s' is invalid; use approve, deny or neutral", row.label))
    elseif not codes[row.label][row.reason] then
        report(line_number, string.format("reason '%s' is not a code of label '%s' in %s; use one of: %s",
            row.reason, row.label, rule_path, table.concat(ordered_codes[row.label], ", ")))
    end

    if not formats[row.format] then
        report(line_number, string.format("format '%s' is invalid; use plain, html or email", row.format))
    end

    local expected_split = split_for_id(row.id)
    if row.split ~= expected_split then
        report(line_number, string.format("split of %s is '%s' but the rule in SPLIT.md gives '%s'",
            row.id, row.split, expected_split))
    end

    row_count = row_count + 1
    add_count(by_label, row.label)
    add_count(by_split, row.split)
    add_count(by_format, row.format)
    add_count(by_reason, row.label .. " " .. row.reason)
    add_count(by_label_split, row.label .. " " .. row.split)

    ::next_line::
end
file:close()

if #problems > 0 then
    for _, problem in ipairs(problems) do
        io.stderr:write(problem, "\n")
    end
    io.stderr:write(string.format("check.lua: %d problems in %s\n", #problems, replies_path))
    os.exit(1)
end

local function print_counts(title, counts)
    print(title)
    for _, key in ipairs(sorted_keys(counts)) do
        print(string.format("  %-32s %4d", key, counts[key]))
    end
end

print_counts("label", by_label)
print_counts("label and split", by_label_split)
print_counts("split", by_split)
print_counts("format", by_format)
print_counts("label and reason", by_reason)
print(string.format("%d rows valid in %s", row_count, replies_path))
