-- Writes the "## Counts" section of tests/data/sensitive/README.md from the labelled files, so
-- the counts always follow the data: a batch merged later changes them by running this again.
--
--   lua5.4 tests/policies/sensitive_counts.lua [--root DIR] [--write | --check]
--
-- With no option the section is printed. --write replaces the README's section (from its
-- "## Counts" heading to the next "## " heading) with it, and --check exits 1 when the README's
-- section differs, naming the first line that does. --root is the repository (default: two
-- folders above this script). The exit status is 2 on bad arguments or unreadable data.
--
-- The section holds counts only: labels, splits, reasons, sources and notes, never a row's text,
-- so printing it reads no held-out text.

local cjson = require("cjson")

local FILES = {"real.jsonl", "written.jsonl", "fresh.jsonl", "varied.jsonl"}

-- The varied file's batches by id: the first four had their own sizes, every later one 250 rows.
local VARIED_FIRST_BATCHES = {{1, 302}, {303, 498}, {499, 767}, {768, 1017}}
local VARIED_BATCH_ROWS = 250

local ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second",
    "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh",
    "twenty-eighth", "twenty-ninth", "thirtieth"}

local function fail_usage(message)
    io.stderr:write("sensitive_counts.lua: ", message, "\n")
    os.exit(2)
end

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local options = {root = script_folder .. "/../.."}
local index = 1
while index <= #arg do
    local name = arg[index]
    if name == "--root" then
        options.root = arg[index + 1] or fail_usage("--root needs a value")
        index = index + 2
    elseif name == "--write" or name == "--check" then
        if options.action ~= nil then
            fail_usage("give --write or --check, not both")
        end
        options.action = name:sub(3)
        index = index + 1
    else
        fail_usage(string.format("unknown argument '%s'; use --root DIR, --write or --check",
            name))
    end
end
local data_folder = options.root .. "/tests/data/sensitive"
local readme_path = data_folder .. "/README.md"

-- Returns the rows of one labelled file, each a decoded table; exits 2 when it cannot be read.
local function read_rows(name)
    local path = data_folder .. "/" .. name
    local file, problem = io.open(path, "r")
    if file == nil then
        fail_usage(string.format("reading %s failed: %s", path, problem))
    end
    local rows = {}
    local line_number = 0
    for line in file:lines() do
        line_number = line_number + 1
        if line:find("%S") then
            local ok, row = pcall(cjson.decode, line)
            if not ok or type(row) ~= "table" then
                fail_usage(string.format("%s line %d is not a JSON object; fix or remove it",
                    path, line_number))
            end
            rows[#rows + 1] = row
        end
    end
    file:close()
    return rows
end

-- Returns the number with a comma between each group of three digits (5017 as "5,017").
local function grouped(number)
    local text = tostring(number)
    local first = #text % 3
    if first == 0 then
        first = 3
    end
    local parts = {text:sub(1, first)}
    for position = first + 1, #text, 3 do
        parts[#parts + 1] = text:sub(position, position + 2)
    end
    return table.concat(parts, ",")
end

-- Returns part as a share of whole, such as "47.3%".
local function share(part, whole)
    return string.format("%.1f%%", whole > 0 and 100 * part / whole or 0)
end

-- Returns the counts of rows: rows, sensitive, notes, ambiguous, tune and held-out counts, the
-- sources and the rows for someone else, and per reason its rows, tune and held-out counts.
local function count_rows(rows)
    local counts = {rows = 0, sensitive = 0, notes = 0, ambiguous = 0, tune = 0,
        tune_sensitive = 0, heldout = 0, heldout_sensitive = 0, sources = {}, other = 0,
        other_sensitive = 0, reasons = {}}
    for _, row in ipairs(rows) do
        local sensitive = row.sensitive == true
        counts.rows = counts.rows + 1
        counts.sensitive = counts.sensitive + (sensitive and 1 or 0)
        if type(row.note) == "string" then
            counts.notes = counts.notes + 1
            if row.note:find("^ambiguous") then
                counts.ambiguous = counts.ambiguous + 1
            end
        end
        local split = row.split == "heldout" and "heldout" or "tune"
        counts[split] = counts[split] + 1
        if sensitive then
            counts[split .. "_sensitive"] = counts[split .. "_sensitive"] + 1
        end
        if type(row.source) == "string" then
            counts.sources[row.source] = (counts.sources[row.source] or 0) + 1
        end
        if row.requester_is_target == false then
            counts.other = counts.other + 1
            counts.other_sensitive = counts.other_sensitive + (sensitive and 1 or 0)
        end
        local reason = tostring(row.reason)
        local entry = counts.reasons[reason]
        if entry == nil then
            entry = {reason = reason, sensitive = sensitive, rows = 0, tune = 0, heldout = 0}
            counts.reasons[reason] = entry
        end
        entry.rows = entry.rows + 1
        entry[split] = entry[split] + 1
    end
    return counts
end

-- Returns "68 email, 53 portal and 19 phone" for the sources of counts.
local function sources_text(counts)
    local parts = {}
    for _, source in ipairs({"email", "portal", "phone"}) do
        parts[#parts + 1] = grouped(counts.sources[source] or 0) .. " " .. source
    end
    return string.format("%s, %s and %s", parts[1], parts[2], parts[3])
end

-- Returns the reason entries of counts, sensitive codes first, each group by rows then name.
local function sorted_reasons(counts)
    local entries = {}
    for _, entry in pairs(counts.reasons) do
        entries[#entries + 1] = entry
    end
    table.sort(entries, function(left, right)
        if left.sensitive ~= right.sensitive then
            return left.sensitive
        end
        if left.rows ~= right.rows then
            return left.rows > right.rows
        end
        return left.reason < right.reason
    end)
    return entries
end

-- Returns the number in the id "varied-0042" (42), or nil.
local function varied_number(id)
    return tonumber(tostring(id):match("^varied%-(%d+)$"))
end

-- Returns the varied file's batches, {first, last} each, up to the highest id in rows.
local function varied_batches(rows)
    local highest = 0
    for _, row in ipairs(rows) do
        highest = math.max(highest, varied_number(row.id) or 0)
    end
    local batches = {}
    for _, batch in ipairs(VARIED_FIRST_BATCHES) do
        if batch[1] <= highest then
            batches[#batches + 1] = batch
        end
    end
    local first = VARIED_FIRST_BATCHES[#VARIED_FIRST_BATCHES][2] + 1
    while first <= highest do
        batches[#batches + 1] = {first, first + VARIED_BATCH_ROWS - 1}
        first = first + VARIED_BATCH_ROWS
    end
    return batches
end

-- Returns the varied file's id for number, such as "varied-001" or "varied-4768".
local function varied_id(number)
    return string.format("varied-%03d", number)
end

-- Prose lines are wrapped at this width, as the rest of the README is; table rows are not.
local WRAP_COLUMNS = 100

local lines = {}
local function add(line)
    lines[#lines + 1] = line or ""
end

-- Adds a paragraph, wrapped at WRAP_COLUMNS between words and never inside a `code` span.
local function add_paragraph(text)
    local line = ""
    text = text:gsub("`[^`]*`", function(span)
        return (span:gsub(" ", "\0"))
    end)
    for word in text:gmatch("%S+") do
        word = word:gsub("%z", " ")
        if line ~= "" and #line + 1 + #word > WRAP_COLUMNS then
            add(line)
            line = word
        else
            line = line == "" and word or line .. " " .. word
        end
    end
    add(line)
end

local rows_by_file, counts_by_file = {}, {}
for _, name in ipairs(FILES) do
    rows_by_file[name] = read_rows(name)
    counts_by_file[name] = count_rows(rows_by_file[name])
end

-- Step 1: each file's totals, and its split.
add("## Counts")
add()
add("| file | rows | sensitive | not sensitive | notes | `ambiguous` notes |")
add("|---|---|---|---|---|---|")
for _, name in ipairs(FILES) do
    local counts = counts_by_file[name]
    add(string.format("| `%s` | %s | %s (%s) | %s | %s | %s |", name, grouped(counts.rows),
        grouped(counts.sensitive), share(counts.sensitive, counts.rows),
        grouped(counts.rows - counts.sensitive), grouped(counts.notes),
        grouped(counts.ambiguous)))
end
add()
add("Per split (SPLIT.md):")
add()
add("| file | tune rows | tune sensitive | heldout rows | heldout sensitive |")
add("|---|---|---|---|---|")
for _, name in ipairs(FILES) do
    local counts = counts_by_file[name]
    add(string.format("| `%s` | %s | %s | %s | %s |", name, grouped(counts.tune),
        grouped(counts.tune_sensitive), grouped(counts.heldout),
        grouped(counts.heldout_sensitive)))
end
add()

-- Step 2: the written files' sources and rows for someone else (real.jsonl has neither).
for _, name in ipairs({"written.jsonl", "fresh.jsonl", "varied.jsonl"}) do
    local counts = counts_by_file[name]
    add_paragraph(string.format("`%s` sources: %s. %s rows have `requester_is_target: false`, and %s of "
        .. "those are sensitive.", name, sources_text(counts), grouped(counts.other),
        grouped(counts.other_sensitive)))
    add()
end

-- Step 3: each batch of the varied file, with its reasons.
local batch_rows = {}
for _, row in ipairs(rows_by_file["varied.jsonl"]) do
    local number = varied_number(row.id)
    if number ~= nil then
        batch_rows[#batch_rows + 1] = {number = number, row = row}
    end
end
add("### The varied file's batches")
add()
for batch_index, batch in ipairs(varied_batches(rows_by_file["varied.jsonl"])) do
    local selected = {}
    for _, entry in ipairs(batch_rows) do
        if entry.number >= batch[1] and entry.number <= batch[2] then
            selected[#selected + 1] = entry.row
        end
    end
    local counts = count_rows(selected)
    local ordinal = ORDINALS[batch_index] or string.format("%dth", batch_index)
    add_paragraph(string.format("The %s batch (`%s` to `%s`) has %s rows, and %s of them (%s) are "
        .. "sensitive. Of these rows, %s are for tuning (%s sensitive) and %s are held out (%s "
        .. "sensitive). It has %s notes (%s `ambiguous`), and its sources are %s. In it, "
        .. "%s rows have `requester_is_target: false`, and %s of those are sensitive.", ordinal,
        varied_id(batch[1]), varied_id(batch[2]), grouped(counts.rows),
        grouped(counts.sensitive), share(counts.sensitive, counts.rows), grouped(counts.tune),
        grouped(counts.tune_sensitive), grouped(counts.heldout),
        grouped(counts.heldout_sensitive), grouped(counts.notes), grouped(counts.ambiguous),
        sources_text(counts), grouped(counts.other), grouped(counts.other_sensitive)))
    add()
    add("| reason | sensitive | rows | tune | heldout |")
    add("|---|---|---|---|---|")
    for _, entry in ipairs(sorted_reasons(counts)) do
        add(string.format("| `%s` | %s | %d | %d | %d |", entry.reason,
            entry.sensitive and "yes" or "no", entry.rows, entry.tune, entry.heldout))
    end
    add()
end

-- Step 4: every reason across the files.
add("### By reason")
add()
add("By reason, as total (tune / heldout); every `fresh.jsonl` row is held out:")
add()
add("| reason | sensitive | `real.jsonl` | `written.jsonl` | `fresh.jsonl` | `varied.jsonl` |")
add("|---|---|---|---|---|---|")
local all_reasons = {}
for _, name in ipairs(FILES) do
    for reason, entry in pairs(counts_by_file[name].reasons) do
        all_reasons[reason] = all_reasons[reason] or {reason = reason, sensitive = entry.sensitive}
    end
end
local function reason_rows(name, reason)
    local entry = counts_by_file[name].reasons[reason]
    return entry ~= nil and entry.rows or 0
end
local reason_list = {}
for _, entry in pairs(all_reasons) do
    reason_list[#reason_list + 1] = entry
end
table.sort(reason_list, function(left, right)
    if left.sensitive ~= right.sensitive then
        return left.sensitive
    end
    for _, name in ipairs({"real.jsonl", "varied.jsonl"}) do
        local left_rows, right_rows = reason_rows(name, left.reason), reason_rows(name, right.reason)
        if left_rows ~= right_rows then
            return left_rows > right_rows
        end
    end
    return left.reason < right.reason
end)
for _, reason in ipairs(reason_list) do
    local cells = {}
    for _, name in ipairs(FILES) do
        local entry = counts_by_file[name].reasons[reason.reason]
        if entry == nil then
            cells[#cells + 1] = "0"
        elseif name == "fresh.jsonl" then
            cells[#cells + 1] = grouped(entry.rows)
        else
            cells[#cells + 1] = string.format("%s (%s / %s)", grouped(entry.rows),
                grouped(entry.tune), grouped(entry.heldout))
        end
    end
    add(string.format("| `%s` | %s | %s |", reason.reason, reason.sensitive and "yes" or "no",
        table.concat(cells, " | ")))
end
add()
local section = table.concat(lines, "\n") .. "\n"

if options.action == nil then
    io.write(section)
    os.exit(0)
end

-- Step 5: the README's own section, from "## Counts" to the next second-level heading.
local file, problem = io.open(readme_path, "r")
if file == nil then
    fail_usage(string.format("reading %s failed: %s", readme_path, problem))
end
local readme = file:read("a")
file:close()
local start = readme:find("\n## Counts\n", 1, true)
if start == nil then
    fail_usage(string.format("%s has no '## Counts' heading; add one where the counts belong",
        readme_path))
end
start = start + 1
local finish = readme:find("\n## ", start + 1, true)
local before, current = readme:sub(1, start - 1), readme:sub(start, finish or #readme)
local after = finish ~= nil and readme:sub(finish + 1) or ""

if options.action == "write" then
    file, problem = io.open(readme_path, "w")
    if file == nil then
        fail_usage(string.format("writing %s failed: %s", readme_path, problem))
    end
    file:write(before, section, after)
    file:close()
    print(string.format("sensitive_counts.lua: wrote the Counts section of %s", readme_path))
    os.exit(0)
end

if current == section then
    print("sensitive_counts.lua: the README's Counts section follows the data")
    os.exit(0)
end
local line_number = select(2, before:gsub("\n", "")) + 1
local current_lines, expected_lines = {}, lines
for line in (current .. "\n"):gmatch("(.-)\n") do
    current_lines[#current_lines + 1] = line
end
for position = 1, math.max(#current_lines, #expected_lines) do
    if current_lines[position] ~= expected_lines[position] then
        io.stderr:write(string.format("sensitive_counts.lua: %s line %d differs from the data:\n"
            .. "  README: %s\n  data:   %s\nrun lua5.4 tests/policies/sensitive_counts.lua "
            .. "--write to rewrite the section\n", readme_path, line_number + position - 1,
            current_lines[position] or "(missing)", expected_lines[position] or "(missing)"))
        os.exit(1)
    end
end
io.stderr:write(string.format("sensitive_counts.lua: %s's Counts section differs from the data "
    .. "in its blank lines; run with --write to rewrite it\n", readme_path))
os.exit(1)
