-- Keyword rules for workflows: text normalisation, rule compilation and matching.
--
-- A ticket's text is normalised once per run: lower case, apostrophes dropped ("can't" ->
-- "cant"), every other character that is not a letter or a digit becomes a space. Bytes of
-- UTF-8 characters are kept, so "café" stays one token. Phrases in rules are normalised the
-- same way at load time, so "E-mail" in a rule matches "e-mail" and "E MAIL" in a ticket.
--
-- A rule table:
--   any    = {phrase, ...}           at least one must occur
--   all    = {phrase or {phrase, ...}, ...}
--                                    every entry must occur; a list entry is met by any member
--   none   = {phrase, ...}           none may occur (exclusions)
--   fields = {"summary", "details"}  where to look (default); "notes" adds the prior notes
-- A phrase is one or more words that must occur in that order, next to each other; a word
-- ending in "*" matches any word it starts ("print*" matches "printer" and "printing").
--
-- Compiled rules go into an index keyed by each phrase's first word, so matching a ticket
-- costs one table look-up per ticket word (plus one per distinct prefix length), not one
-- scan per phrase.

local match = {}

match.FIELDS = {summary = true, details = true, notes = true}
match.DEFAULT_FIELDS = {"summary", "details"}

-- Points a summary hit counts for in a score; other fields count 1.
local SUMMARY_WEIGHT = 2

local FIELD_ORDER = {"summary", "details", "notes"}

-- Returns value lower-cased with punctuation turned into spaces and spaces collapsed: the
-- `text` module's normalise (bindings/text.c), which scripts call too, so rules and scripts
-- share one implementation. Anything but a string normalises to "".
function match.normalise(value)
    if type(value) ~= "string" then
        return ""
    end
    return text.normalise(value)
end

-- Returns the words of value after normalisation, as an array.
function match.tokens(value)
    if type(value) ~= "string" then
        return {}
    end
    return text.tokens(value)
end

-- Splits a rule phrase into words, each {text = "print", prefix = true|false}.
-- Returns the words, or nil and a message saying what is wrong with the phrase.
local function compile_phrase(phrase)
    if type(phrase) ~= "string" then
        return nil, string.format("a phrase must be a string, got %s", type(phrase))
    end
    local lowered = phrase:lower():gsub("\226\128\153", ""):gsub("'", "")
    local words = {}
    for raw in lowered:gsub("[^%w%*\128-\255]+", " "):gmatch("%S+") do
        local star = raw:find("*", 1, true)
        if star ~= nil and star ~= #raw then
            return nil, string.format("phrase %q has '*' inside a word; put it only at the "
                .. "end of a word, as in \"print*\"", phrase)
        end
        local text = star ~= nil and raw:sub(1, -2) or raw
        if text == "" then
            return nil, string.format("phrase %q has a '*' without a word before it", phrase)
        end
        words[#words + 1] = {text = text, prefix = star ~= nil}
    end
    if #words == 0 then
        return nil, string.format("phrase %q has no words after normalisation", phrase)
    end
    return words
end

-- Turns a list of phrases into compiled phrases; kind is "any", "all" or "none".
-- Each entry of an "all" list may itself be a list of alternative phrases.
local function compile_list(list, kind, compiled, problems)
    if list == nil then
        return
    end
    if type(list) ~= "table" then
        problems[#problems + 1] = string.format("match.%s must be a list of phrases, got %s",
            kind, type(list))
        return
    end
    for position, entry in ipairs(list) do
        local alternatives = entry
        if type(entry) ~= "table" or kind ~= "all" then
            alternatives = {entry}
        end
        local group = {}
        for _, phrase in ipairs(alternatives) do
            local words, problem = compile_phrase(phrase)
            if words == nil then
                problems[#problems + 1] = string.format("match.%s[%d]: %s", kind, position, problem)
            else
                compiled.phrases[#compiled.phrases + 1] = {
                    id = #compiled.phrases + 1,
                    text = phrase,
                    words = words,
                    kind = kind,
                    group = kind == "all" and #compiled.groups + 1 or nil,
                }
                group[#group + 1] = #compiled.phrases
            end
        end
        if kind == "all" then
            compiled.groups[#compiled.groups + 1] = group
        end
    end
end

-- Builds the phrase index of one or more compiled rule sets. An index maps a phrase's first
-- word to the entries starting with it; prefix words go to a second map keyed by the prefix.
local Index = {}
Index.__index = Index

function match.new_index()
    return setmetatable({exact = {}, prefixes = {}, prefix_lengths = {}, members = {}}, Index)
end

-- Adds a compiled rule set under key (any value: the loader uses the workflow record).
function Index:add(key, compiled)
    self.members[#self.members + 1] = {key = key, compiled = compiled}
    if compiled.score ~= nil then
        return
    end
    for _, phrase in ipairs(compiled.phrases) do
        local first = phrase.words[1]
        local map = first.prefix and self.prefixes or self.exact
        local entries = map[first.text]
        if entries == nil then
            entries = {}
            map[first.text] = entries
            if first.prefix then
                self.prefix_lengths[#first.text] = true
            end
        end
        entries[#entries + 1] = {key = key, compiled = compiled, phrase = phrase}
    end
    local lengths = {}
    for length in pairs(self.prefix_lengths) do
        lengths[#lengths + 1] = length
    end
    table.sort(lengths)
    self.sorted_prefix_lengths = lengths
end

--[[
Compiles a workflow's match field. Returns the compiled rules and a list of problems (empty
when the rules are valid). A function becomes a score function: it is called as
fn(ticket, text) with the context's ticket and the normalised text by field, and returns a
score (a number, or true for 1) and a reason.
]]
function match.compile(rules)
    local problems = {}
    if type(rules) == "function" then
        return {score = rules, phrases = {}, groups = {}}, problems
    end
    if type(rules) ~= "table" then
        problems[1] = string.format("match must be a table of rules or a function, got %s",
            type(rules))
        return nil, problems
    end

    local compiled = {phrases = {}, groups = {}, fields = {}}
    for key in pairs(rules) do
        if key ~= "any" and key ~= "all" and key ~= "none" and key ~= "fields" then
            problems[#problems + 1] = string.format("match has an unknown key %q; use any, all, "
                .. "none or fields", tostring(key))
        end
    end
    compile_list(rules.any, "any", compiled, problems)
    compile_list(rules.all, "all", compiled, problems)
    compile_list(rules.none, "none", compiled, problems)

    local fields = rules.fields or match.DEFAULT_FIELDS
    if type(fields) ~= "table" or #fields == 0 then
        problems[#problems + 1] = "match.fields must be a list such as {\"summary\", \"details\"}"
    else
        for _, field in ipairs(fields) do
            if match.FIELDS[field] then
                compiled.fields[field] = true
            else
                problems[#problems + 1] = string.format("match.fields has %q; use summary, "
                    .. "details or notes", tostring(field))
            end
        end
    end

    compiled.any_count = 0
    for _, phrase in ipairs(compiled.phrases) do
        if phrase.kind == "any" then
            compiled.any_count = compiled.any_count + 1
        end
    end
    if compiled.any_count == 0 and #compiled.groups == 0 and #problems == 0 then
        problems[#problems + 1] = "match needs at least one phrase under any or all"
    end

    compiled.index = match.new_index()
    compiled.index:add(compiled, compiled)
    return compiled, problems
end

-- Prepares a ticket's text for matching: fields maps summary/details/notes to plain text.
-- Returns {words = {field = array}, text = {field = normalised string}}.
function match.prepare(fields)
    local prepared = {words = {}, text = {}}
    for _, field in ipairs(FIELD_ORDER) do
        local normalised = match.normalise(fields[field])
        local words = {}
        for word in normalised:gmatch("%S+") do
            words[#words + 1] = word
        end
        prepared.text[field] = normalised
        prepared.words[field] = words
    end
    return prepared
end

-- True when the phrase's words occur at position start of words.
local function phrase_at(phrase, words, start)
    for offset = 2, #phrase.words do
        local expected = phrase.words[offset]
        local word = words[start + offset - 1]
        if word == nil then
            return false
        end
        if expected.prefix then
            if word:sub(1, #expected.text) ~= expected.text then
                return false
            end
        elseif word ~= expected.text then
            return false
        end
    end
    return true
end

-- Records one index entry hit: hits[key][phrase id] = the first field it was found in.
local function record_hit(hits, entry, field, words, start)
    if not entry.compiled.fields[field] or not phrase_at(entry.phrase, words, start) then
        return
    end
    local found = hits[entry.key]
    if found == nil then
        found = {}
        hits[entry.key] = found
    end
    if found[entry.phrase.id] == nil then
        found[entry.phrase.id] = field
    end
end

-- Scans prepared text with an index. Returns hits: key -> {phrase id -> field}.
local function scan(index, prepared)
    local hits = {}
    local exact = index.exact
    local prefixes = index.prefixes
    local lengths = index.sorted_prefix_lengths or {}
    for _, field in ipairs(FIELD_ORDER) do
        local words = prepared.words[field]
        for position = 1, #words do
            local word = words[position]
            local entries = exact[word]
            if entries ~= nil then
                for _, entry in ipairs(entries) do
                    record_hit(hits, entry, field, words, position)
                end
            end
            for _, length in ipairs(lengths) do
                if length > #word then
                    break
                end
                entries = prefixes[word:sub(1, length)]
                if entries ~= nil then
                    for _, entry in ipairs(entries) do
                        record_hit(hits, entry, field, words, position)
                    end
                end
            end
        end
    end
    return hits
end

-- Decides one rule set from its hits. Returns matched, score, reasons; each reason is
-- {rule = "any"|"all"|"none", phrase = text, field = name}. When an exclusion stops the
-- match, the reasons are the exclusions that hit.
local function decide(compiled, found)
    found = found or {}
    local reasons = {}
    local exclusions = {}
    local score = 0
    local any_hit = false
    local group_hit = {}

    for _, phrase in ipairs(compiled.phrases) do
        local field = found[phrase.id]
        if field ~= nil then
            local reason = {rule = phrase.kind, phrase = phrase.text, field = field}
            if phrase.kind == "none" then
                exclusions[#exclusions + 1] = reason
            else
                reasons[#reasons + 1] = reason
                score = score + (field == "summary" and SUMMARY_WEIGHT or 1)
                if phrase.kind == "any" then
                    any_hit = true
                else
                    group_hit[phrase.group] = true
                end
            end
        end
    end

    if #exclusions > 0 then
        return false, 0, exclusions
    end
    if compiled.any_count > 0 and not any_hit then
        return false, 0, reasons
    end
    for group = 1, #compiled.groups do
        if not group_hit[group] then
            return false, 0, reasons
        end
    end
    return true, score, reasons
end

-- Runs a score function under pcall. A raising function does not match, and its error is
-- returned as the reason so that the caller can report it.
-- The highest score a score function can give.
local MAX_SCORE = 1000

local function run_score(compiled, ticket, prepared)
    local ok, score, reason = pcall(compiled.score, ticket, prepared.text)
    if not ok then
        return false, 0, {{rule = "error", phrase = tostring(score), field = "function"}}
    end
    if score == true then
        score = 1
    end
    if type(score) ~= "number" or score ~= score or score <= 0 then
        return false, 0, {}
    end
    -- A score is a whole number from 1 to MAX_SCORE: a fraction rounds up (0.5 still matches),
    -- and math.huge must not outrank every keyword workflow.
    score = math.min(math.ceil(score), MAX_SCORE)
    return true, math.tointeger(score), {{rule = "score",
        phrase = tostring(reason or "score function"), field = "function"}}
end

-- Evaluates one compiled rule set against prepared text. Returns matched, score, reasons.
function match.evaluate(compiled, prepared, ticket)
    if compiled.score ~= nil then
        return run_score(compiled, ticket or {}, prepared)
    end
    local hits = scan(compiled.index, prepared)
    return decide(compiled, hits[compiled])
end

--[[
Matches prepared text against every member of an index for which accept(key) is true.
Returns an array of {key, score, reasons}, highest score first, ties by insertion order.
Errors of score functions are returned in the second result as {key, message} records.
]]
function Index:run(prepared, ticket, accept)
    local hits = scan(self, prepared)
    local results = {}
    local errors = {}
    for order, member in ipairs(self.members) do
        if accept == nil or accept(member.key) then
            local matched, score, reasons
            if member.compiled.score ~= nil then
                matched, score, reasons = run_score(member.compiled, ticket or {}, prepared)
                if reasons[1] ~= nil and reasons[1].rule == "error" then
                    errors[#errors + 1] = {key = member.key, message = reasons[1].phrase}
                end
            elseif hits[member.key] ~= nil then
                matched, score, reasons = decide(member.compiled, hits[member.key])
            end
            if matched then
                results[#results + 1] = {key = member.key, score = score, reasons = reasons,
                    order = order}
            end
        end
    end
    table.sort(results, function(a, b)
        if a.score ~= b.score then
            return a.score > b.score
        end
        return a.order < b.order
    end)
    return results, errors
end

-- Describes a reason for a technician: `summary contains "password reset"`.
function match.describe(reason)
    if reason.rule == "none" then
        return string.format("excluded because %s contains %q", reason.field, reason.phrase)
    elseif reason.rule == "score" then
        return string.format("score function: %s", reason.phrase)
    elseif reason.rule == "error" then
        return string.format("score function failed: %s", reason.phrase)
    end
    return string.format("%s contains %q", reason.field, reason.phrase)
end

return match
