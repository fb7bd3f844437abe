-- The Lua side of tests/lua/test_match_index.c: runs the C matcher (bindings/lua/match.lua over
-- the match_index module) and the Lua matcher it replaced (tests/lua/match_reference.lua) on the
-- same rules and tickets, and reports the first difference. It runs in the test's own Lua state
-- with the standard libraries, lua-cjson and halyard's text and match_index modules.
--
-- The chunk takes the source folder and returns a table of functions. Each returns true, or nil
-- and a message naming the case, the ticket and what differs.

local source_dir = ...
local cjson = require("cjson")

-- canonical.lua and the reference encode strings with the global json, as in a host.
json = cjson

local match = dofile(source_dir .. "/bindings/lua/match.lua")
local reference = dofile(source_dir .. "/tests/lua/match_reference.lua")
local canonical = dofile(source_dir .. "/bindings/lua/canonical.lua")
local bench = dofile(source_dir .. "/tests/bench/lua_bench.lua")

local compare = {}

local tickets = nil

-- The 1,000 real tickets as {summary, details, client_id}, read once.
local function real_tickets()
    if tickets ~= nil then
        return tickets
    end
    local count = assert(bench.read_tickets(source_dir .. "/tests/data/endava_tickets.jsonl"))
    tickets = {}
    for index = 1, count do
        local decoded = cjson.decode((bench.ticket(index)))
        tickets[index] = {summary = decoded.summary, details = decoded.details,
            client_id = math.tointeger(decoded.client_id)}
    end
    return tickets
end

-- A workflow record as the loader makes one, with both matchers' compiled rules.
local function new_workflow(value, file)
    local clients = nil
    if type(value.scope) == "table" then
        clients = {}
        for _, id in ipairs(value.scope.clients) do
            clients[math.tointeger(id)] = true
        end
    end
    local compiled, problems = match.compile(value.match)
    assert(#problems == 0, file .. ": " .. tostring(problems[1]))
    return {
        name = value.name,
        file = file,
        status = value.status or "active",
        clients = clients,
        compiled = compiled,
        reference_compiled = reference.compile(value.match),
    }
end

-- Loads the workflow files lua_bench.lua writes for kind and count into folder. The generator
-- draws its words from the tickets, so they are read first.
local function generated_workflows(folder, kind, count)
    real_tickets()
    assert(os.execute("mkdir -p '" .. folder .. "'"))
    assert(bench.write_workflows(folder, kind, count, 20240601 + count))
    local workflows = {}
    for number = 1, count do
        local file = string.format("%s_%04d.lua", kind, number)
        local chunk = assert(loadfile(folder .. "/" .. file, "t", _G))
        workflows[number] = new_workflow(chunk(), file)
    end
    return workflows
end

-- Both indexes over workflows: the C one holds the active workflows, as the loader's does,
-- and the reference holds all of them and filters by status and scope, as the loader did.
local function build_indexes(workflows)
    local index = match.new_index()
    local old_index = reference.new_index()
    for _, workflow in ipairs(workflows) do
        if workflow.status == "active" then
            index:add(workflow, workflow.compiled, workflow.clients)
        end
        old_index:add(workflow, workflow.reference_compiled)
    end
    return index, old_index
end

local function old_accept(client_id)
    return function(workflow)
        if workflow.status ~= "active" then
            return false
        end
        return workflow.clients == nil
            or (client_id ~= nil and workflow.clients[client_id] == true)
    end
end

-- host.match's JSON as it was made before: canonical.encode of the described matches.
local function old_json(results)
    local encoded = canonical.array()
    for _, found in ipairs(results) do
        local reasons = canonical.array()
        for _, reason in ipairs(found.reasons) do
            reasons[#reasons + 1] = reference.describe(reason)
        end
        encoded[#encoded + 1] = {workflow = found.key.name, file = found.key.file,
            score = found.score, reasons = reasons}
    end
    return canonical.encode(encoded)
end

local function describe_reasons(reasons)
    local parts = {}
    for _, reason in ipairs(reasons) do
        parts[#parts + 1] = string.format("%s/%q/%s", tostring(reason.rule),
            tostring(reason.phrase), tostring(reason.field))
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end

-- Returns nil when two reason lists are equal, else what differs.
local function reasons_differ(new, old)
    if #new ~= #old then
        return string.format("%d reasons against %d: %s against %s", #new, #old,
            describe_reasons(new), describe_reasons(old))
    end
    for position, reason in ipairs(new) do
        local expected = old[position]
        if reason.rule ~= expected.rule or reason.phrase ~= expected.phrase
                or reason.field ~= expected.field then
            return string.format("reason %d: %s against %s", position, describe_reasons(new),
                describe_reasons(old))
        end
    end
    return nil
end

-- Returns nil when two run results are equal (same keys, scores and reasons in the same
-- order), else what differs.
local function results_differ(new, old)
    if #new ~= #old then
        local names = {}
        for _, found in ipairs(old) do
            names[#names + 1] = found.key.name
        end
        return string.format("%d matches against %d (expected %s)", #new, #old,
            table.concat(names, ", "))
    end
    for position, found in ipairs(new) do
        local expected = old[position]
        if found.key ~= expected.key or found.score ~= expected.score then
            return string.format("match %d: %s with score %s against %s with score %s",
                position, tostring(found.key.name), tostring(found.score),
                tostring(expected.key.name), tostring(expected.score))
        end
        local difference = reasons_differ(found.reasons, expected.reasons)
        if difference ~= nil then
            return string.format("match %d (%s): %s", position, found.key.name, difference)
        end
    end
    return nil
end

-- Runs one ticket through both indexes: results, errors and host.match's JSON must agree.
local function compare_ticket(index, old_index, ticket, label)
    local fields = {summary = ticket.summary, details = ticket.details, notes = ticket.notes}
    local client_id = ticket.client_id
    local prepared = match.prepare(fields)
    local old_prepared = reference.prepare(fields)

    local results, errors = index:run(prepared, fields, client_id)
    local old_results, old_errors = old_index:run(old_prepared, fields, old_accept(client_id))
    local difference = results_differ(results, old_results)
    if difference == nil and #errors ~= #old_errors then
        difference = string.format("%d score function errors against %d", #errors,
            #old_errors)
    end
    if difference == nil then
        local expected = old_json(old_results)
        local encoded = match.encode_matches(results)
        local direct = index:run_json(match.prepare(fields), fields, client_id)
        if encoded ~= expected then
            difference = string.format("encode_matches wrote %s, expected %s", encoded, expected)
        elseif direct ~= expected then
            difference = string.format("run_json wrote %s, expected %s", direct, expected)
        end
    end
    if difference ~= nil then
        return string.format("%s, client %s: %s", label, tostring(client_id), difference)
    end
    return nil
end

-- Matches every real ticket with kind's count generated workflows (written under folder),
-- each ticket once with its own client and once without one.
function compare.generated(folder, kind, count)
    local workflows = generated_workflows(folder, kind, count)
    local index, old_index = build_indexes(workflows)
    for number, ticket in ipairs(real_tickets()) do
        for _, client_id in ipairs({ticket.client_id, false}) do
            local case = {summary = ticket.summary, details = ticket.details,
                client_id = client_id or nil}
            local problem = compare_ticket(index, old_index, case,
                string.format("%s %d, ticket %d", kind, count, number))
            if problem ~= nil then
                return nil, problem
            end
        end
    end
    return true
end

-- Keyword and score workflows in one index: their results merge by score, then by order.
function compare.mixed(folder)
    local workflows = generated_workflows(folder .. "/broad", "broad", 100)
    for position, workflow in ipairs(generated_workflows(folder .. "/score", "score", 100)) do
        table.insert(workflows, 2 * position, workflow)
    end
    local index, old_index = build_indexes(workflows)
    for number, ticket in ipairs(real_tickets()) do
        local problem = compare_ticket(index, old_index, ticket,
            string.format("mixed, ticket %d", number))
        if problem ~= nil then
            return nil, problem
        end
    end
    return true
end

-- match.evaluate against the reference for every workflow of kind's count on the first
-- ticket_count tickets: matched, score and reasons, also when a rule set does not match.
function compare.evaluate(folder, kind, count, ticket_count)
    local workflows = generated_workflows(folder, kind, count)
    for number = 1, ticket_count do
        local ticket = real_tickets()[number]
        local fields = {summary = ticket.summary, details = ticket.details}
        local prepared = match.prepare(fields)
        local old_prepared = reference.prepare(fields)
        for _, workflow in ipairs(workflows) do
            local matched, score, reasons = match.evaluate(workflow.compiled, prepared, fields)
            local old_matched, old_score, old_reasons = reference.evaluate(
                workflow.reference_compiled, old_prepared, fields)
            local difference = reasons_differ(reasons, old_reasons)
            if matched ~= old_matched or score ~= old_score or difference ~= nil then
                return nil, string.format("%s, ticket %d: evaluate gave %s, %s, %s against "
                    .. "%s, %s, %s", workflow.file, number, tostring(matched), tostring(score),
                    describe_reasons(reasons), tostring(old_matched), tostring(old_score),
                    describe_reasons(old_reasons))
            end
        end
    end
    return true
end

-- Words for random rules and tickets: short words for the short prefixes, words that start
-- others, a UTF-8 word, digits, and a word longer than 64 bytes for the longest prefixes.
local WORDS = {"a", "ab", "abc", "abcd", "abcdef", "print", "printer", "printing", "mail",
    "mailbox", "e", "x1", "café", "reset", "password", "new", "new2",
    string.rep("long", 18), string.rep("long", 18) .. "er"}
local SEPARATORS = {" ", "  ", ", ", "-", "\n", "!", "'", " (", "\226\128\153"}

-- Separators inside rule phrases: bytes that the phrase's words drop but its text keeps, which
-- the reasons quote and escape (quotes, slashes, backslashes, control bytes, digits after
-- them).
local PHRASE_SEPARATORS = {" ", "  ", " / ", " \"", "\\", "\t", "\n1", "\0", "\127", "\r"}

local function random_word()
    local word = WORDS[math.random(#WORDS)]
    if math.random(4) == 1 then
        word = word:upper()
    end
    return word
end

-- A rule phrase of one to three words, each whole or cut to a prefix ending in "*".
local function random_phrase()
    local words = {}
    for position = 1, math.random(3) do
        local word = WORDS[math.random(#WORDS)]
        if math.random(3) == 1 then
            word = word:sub(1, math.random(#word)) .. "*"
        end
        words[position] = position == 1 and word
            or PHRASE_SEPARATORS[math.random(#PHRASE_SEPARATORS)] .. word
    end
    return table.concat(words)
end

local function random_list(maximum)
    local list = {}
    for position = 1, math.random(0, maximum) do
        list[position] = random_phrase()
    end
    return list
end

-- The fields of random rules; "default" leaves fields out.
local FIELD_CHOICES = {"default", {"summary"}, {"details"}, {"notes"}, {"summary", "notes"},
    {"summary", "details", "notes"}}

-- Random keyword rules: any, all (with alternatives; an empty group is a load problem), none and
-- fields, always with something under any or all.
local function random_rules()
    local rules = {any = random_list(3), none = random_list(2)}
    if math.random(2) == 1 then
        rules.all = {}
        for group = 1, math.random(3) do
            local alternatives = random_list(3)
            if #alternatives == 0 then
                alternatives = {random_phrase()}
            end
            rules.all[group] = alternatives
        end
    end
    if #rules.any == 0 and (rules.all == nil or #rules.all == 0) then
        rules.any = {random_phrase()}
    end
    local fields = FIELD_CHOICES[math.random(#FIELD_CHOICES)]
    if fields ~= "default" then
        rules.fields = fields
    end
    return rules
end

local function random_text(maximum)
    local parts = {}
    for position = 1, math.random(0, maximum) do
        parts[#parts + 1] = position > 1 and SEPARATORS[math.random(#SEPARATORS)] or ""
        parts[#parts + 1] = random_word()
    end
    return table.concat(parts)
end

--[[
Random rule sets over a small vocabulary, so that phrases overlap, repeat and share prefixes,
against random tickets with notes: covers what the generated workflows rarely reach (one- and
two-byte prefixes, prefixes of 64 bytes and more, prefixes after the first word, repeated
phrases, the notes field, scopes).
]]
function compare.random(seed, rule_count, ticket_count)
    math.randomseed(seed)
    local workflows = {}
    for number = 1, rule_count do
        -- Names and files with bytes JSON escapes, as a workflow's name may have.
        local value = {name = string.format("random \"%d\"/\\\t%s", number,
            WORDS[math.random(#WORDS)]), match = random_rules()}
        if math.random(5) == 1 then
            value.scope = {clients = {math.random(3)}}
        end
        if math.random(10) == 1 then
            value.status = "draft"
        end
        workflows[number] = new_workflow(value, string.format("dir/random_%d\1.lua", number))
    end
    local index, old_index = build_indexes(workflows)

    for number = 1, ticket_count do
        local ticket = {summary = random_text(6), details = random_text(20),
            notes = random_text(8), client_id = math.random(0, 3)}
        if ticket.client_id == 0 then
            ticket.client_id = nil
        end
        local problem = compare_ticket(index, old_index, ticket,
            string.format("random seed %d, ticket %d (%q / %q / %q)", seed, number,
                ticket.summary, ticket.details, ticket.notes))
        if problem ~= nil then
            return nil, problem
        end
        local prepared = match.prepare(ticket)
        local old_prepared = reference.prepare(ticket)
        for _, workflow in ipairs(workflows) do
            local matched, score, reasons = match.evaluate(workflow.compiled, prepared)
            local old_matched, old_score, old_reasons = reference.evaluate(
                workflow.reference_compiled, old_prepared)
            if matched ~= old_matched or score ~= old_score
                    or reasons_differ(reasons, old_reasons) ~= nil then
                return nil, string.format("%s, random ticket %d: evaluate gave %s, %s, %s "
                    .. "against %s, %s, %s", workflow.name, number, tostring(matched),
                    tostring(score), describe_reasons(reasons), tostring(old_matched),
                    tostring(old_score), describe_reasons(old_reasons))
            end
        end
    end
    return true
end

--[[
match.describe and host.match's JSON against the reference on phrases, names and files made
of every byte: each byte alone, followed by a digit, and followed by a letter, for each kind
of reason. Covers Lua's %q (decimal escapes, three digits before a digit) and lua-cjson's
string escapes.
]]
function compare.describe_bytes()
    local phrases = {"", "plain words", "say \"hi\"\\now\n", "\0001\0a\r\n9\127x"}
    for byte = 0, 255 do
        local character = string.char(byte)
        phrases[#phrases + 1] = character
        phrases[#phrases + 1] = character .. "7"
        phrases[#phrases + 1] = "a" .. character .. "b"
    end
    for _, rule in ipairs({"any", "all", "none", "score", "error"}) do
        for _, phrase in ipairs(phrases) do
            local field = rule == "score" and "function" or "details"
            local reason = {rule = rule, phrase = phrase, field = field}
            local described = match.describe(reason)
            local expected = reference.describe(reason)
            if described ~= expected then
                return nil, string.format("describe(%s, %q) gave %q, expected %q", rule,
                    phrase, described, expected)
            end

            local matches = {{key = {name = phrase .. "/name", file = "f/" .. phrase},
                score = #phrase + 1, reasons = {reason, reason}, order = 1}}
            local encoded = match.encode_matches(matches)
            local old = old_json(matches)
            if encoded ~= old then
                return nil, string.format("encode_matches(%s, %q) gave %s, expected %s", rule,
                    phrase, encoded, old)
            end
        end
    end
    return true
end

-- encode_matches on scores as canonical JSON writes them, and on an empty list.
function compare.encode_numbers()
    for _, score in ipairs({1, 0, -3, 2.0, 1e15, 2.5, 1 / 3, math.maxinteger}) do
        local matches = {{key = {name = "n", file = "f"}, score = score, reasons = {}}}
        local encoded = match.encode_matches(matches)
        local expected = old_json(matches)
        if encoded ~= expected then
            return nil, string.format("score %s gave %s, expected %s", tostring(score),
                encoded, expected)
        end
    end
    if match.encode_matches({}) ~= "[]" then
        return nil, "an empty list did not encode as []"
    end
    return true
end

return compare
