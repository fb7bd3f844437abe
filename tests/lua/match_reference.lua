-- The keyword matcher as it was written in Lua before it moved to C (bindings/match_index.c),
-- kept unchanged as the reference that tests/lua/test_match_index.c compares the C matcher with.
-- It is never loaded by halyard. Its API is the one bindings/lua/match.lua had then:
-- match.compile, match.prepare, match.evaluate, match.describe, and match.new_index() with
-- Index:add(key, compiled) and Index:run(prepared, ticket, accept), where accept(key) returns
-- whether the ticket may match the member added under key.

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

--[[
Builds the phrase index of one or more compiled rule sets. Each phrase goes into one of
three maps, by its first words:
  two_words  phrases whose first two words are whole words: two_words[first][second]
  exact      other phrases that start with a whole word: exact[first]
  prefixes   phrases that start with a prefix ("print*"): prefixes["print"]
A ticket word thus touches only the phrases that can start there. Keying phrases by two
words keeps a common first word ("new", "access") from touching every phrase it starts.
A ticket word is looked up in prefixes once per prefix length that can start it. The lengths
are kept by the prefix's first PREFIX_HEAD_LENGTH letters (prefix_heads), and apart for
shorter prefixes (short_prefix_lengths), so a word tries only the lengths of the prefixes
that share its first letters.
]]
local Index = {}
Index.__index = Index

local PREFIX_HEAD_LENGTH = 3

function match.new_index()
    return setmetatable({two_words = {}, exact = {}, prefixes = {}, prefix_heads = {},
        short_prefix_lengths = {}, members = {}, scored = {}, keyword_members = {}}, Index)
end

-- Inserts length into the ascending array lengths unless it is there already.
local function insert_length(lengths, length)
    local position = #lengths + 1
    for index, present in ipairs(lengths) do
        if present == length then
            return
        end
        if present > length then
            position = index
            break
        end
    end
    table.insert(lengths, position, length)
end

-- Adds a compiled rule set under key (any value: the loader uses the workflow record).
-- Members remember their insertion order, which breaks ties between equal scores.
function Index:add(key, compiled)
    local member = {key = key, compiled = compiled, order = #self.members + 1}
    self.members[member.order] = member
    if compiled.score ~= nil then
        self.scored[#self.scored + 1] = member
        return
    end
    local same_key = self.keyword_members[key]
    if same_key == nil then
        same_key = {}
        self.keyword_members[key] = same_key
    end
    same_key[#same_key + 1] = member

    for _, phrase in ipairs(compiled.phrases) do
        local first = phrase.words[1]
        local second = phrase.words[2]
        local map, map_key = self.exact, first.text
        if first.prefix then
            map = self.prefixes
        elseif second ~= nil and not second.prefix then
            map = self.two_words[first.text]
            if map == nil then
                map = {}
                self.two_words[first.text] = map
            end
            map_key = second.text
        end

        local entries = map[map_key]
        if entries == nil then
            entries = {}
            map[map_key] = entries
            if first.prefix and #first.text < PREFIX_HEAD_LENGTH then
                insert_length(self.short_prefix_lengths, #first.text)
            elseif first.prefix then
                local head = first.text:sub(1, PREFIX_HEAD_LENGTH)
                local lengths = self.prefix_heads[head]
                if lengths == nil then
                    lengths = {}
                    self.prefix_heads[head] = lengths
                end
                insert_length(lengths, #first.text)
            end
        end
        -- fields and id are copies of what scan reads for every hit, to save look-ups; multi is
        -- set only for phrases of several words, so a one-word entry stays at four fields.
        entries[#entries + 1] = {key = key, phrase = phrase, fields = compiled.fields,
            id = phrase.id, multi = second ~= nil or nil}
    end
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
    return compiled, problems
end

-- Prepares a ticket's text for matching: fields maps summary/details/notes to plain text.
-- Returns {words = {field = array}, text = {field = normalised string}}.
function match.prepare(fields)
    local prepared = {words = {}, text = {}}
    for _, field in ipairs(FIELD_ORDER) do
        local normalised = match.normalise(fields[field])
        local words = {}
        -- normalise leaves single spaces between words and none at either end.
        for word in normalised:gmatch("[^ ]+") do
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
    if not entry.fields[field] or (entry.multi and not phrase_at(entry.phrase, words, start)) then
        return
    end
    local found = hits[entry.key]
    if found == nil then
        hits[entry.key] = {[entry.id] = field}
    elseif found[entry.id] == nil then
        found[entry.id] = field
    end
end

-- Records the hits of index entries (nil for none) at position of words.
local function record_entries(hits, entries, field, words, position)
    if entries == nil then
        return
    end
    for _, entry in ipairs(entries) do
        record_hit(hits, entry, field, words, position)
    end
end

-- Records the hits of the prefix entries for each of lengths (ascending) that fits the word.
local function scan_prefixes(hits, prefixes, lengths, field, words, position)
    local word = words[position]
    for _, length in ipairs(lengths) do
        if length > #word then
            return
        end
        record_entries(hits, prefixes[word:sub(1, length)], field, words, position)
    end
end

-- Scans prepared text with an index. Returns hits: key -> {phrase id -> field}.
local function scan(index, prepared)
    local hits = {}
    local two_words = index.two_words
    local exact = index.exact
    local prefixes = index.prefixes
    local heads = index.prefix_heads
    local short_lengths = index.short_prefix_lengths
    local has_heads = next(heads) ~= nil
    local has_short_lengths = #short_lengths > 0
    for _, field in ipairs(FIELD_ORDER) do
        local words = prepared.words[field]
        for position = 1, #words do
            local word = words[position]
            record_entries(hits, exact[word], field, words, position)

            local seconds = two_words[word]
            local next_word = words[position + 1]
            if seconds ~= nil and next_word ~= nil then
                record_entries(hits, seconds[next_word], field, words, position)
            end

            if has_short_lengths then
                scan_prefixes(hits, prefixes, short_lengths, field, words, position)
            end
            if has_heads then
                local lengths = heads[word:sub(1, PREFIX_HEAD_LENGTH)]
                if lengths ~= nil then
                    scan_prefixes(hits, prefixes, lengths, field, words, position)
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

-- True when the hits meet the rules. It gives decide's verdict without building reasons or
-- other tables, so a workflow that a phrase hit but whose rules fail costs only a few reads.
local function rules_met(compiled, found)
    local any_hit = false
    local phrases = compiled.phrases
    for id in pairs(found) do
        local phrase = phrases[id]
        if phrase ~= nil and phrase.kind == "none" then
            return false
        elseif phrase ~= nil and phrase.kind == "any" then
            any_hit = true
        end
    end
    if compiled.any_count > 0 and not any_hit then
        return false
    end
    for _, group in ipairs(compiled.groups) do
        local group_hit = false
        for _, id in ipairs(group) do
            if found[id] ~= nil then
                group_hit = true
                break
            end
        end
        if not group_hit then
            return false
        end
    end
    return true
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
    -- The rule set's own index, for checking samples: built on first use, because a host
    -- that never checks samples would keep a second copy of every phrase's entry.
    if compiled.index == nil then
        compiled.index = match.new_index()
        compiled.index:add(compiled, compiled)
    end
    local hits = scan(compiled.index, prepared)
    return decide(compiled, hits[compiled])
end

--[[
Matches prepared text against every member of an index for which accept(key) is true.
Returns an array of {key, score, reasons}, highest score first, ties by insertion order.
Errors of score functions are returned in the second result as {key, message} records.
Only members a phrase hit and members with a score function are looked at, so the cost
grows with the hits, not with the number of members. Score functions run in insertion order.
]]
function Index:run(prepared, ticket, accept)
    local hits = scan(self, prepared)
    local results = {}
    local errors = {}

    for _, member in ipairs(self.scored) do
        if accept == nil or accept(member.key) then
            local matched, score, reasons = run_score(member.compiled, ticket or {}, prepared)
            if reasons[1] ~= nil and reasons[1].rule == "error" then
                errors[#errors + 1] = {key = member.key, message = reasons[1].phrase}
            end
            if matched then
                results[#results + 1] = {key = member.key, score = score, reasons = reasons,
                    order = member.order}
            end
        end
    end

    for key, found in pairs(hits) do
        if accept == nil or accept(key) then
            for _, member in ipairs(self.keyword_members[key]) do
                local matched, score, reasons = false, 0, nil
                if rules_met(member.compiled, found) then
                    matched, score, reasons = decide(member.compiled, found)
                end
                if matched then
                    results[#results + 1] = {key = key, score = score, reasons = reasons,
                        order = member.order}
                end
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
