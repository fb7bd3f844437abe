-- Keyword rules for workflows: text normalisation, rule compilation and matching.
--
-- A ticket's text is normalised once per run: lower case, apostrophes dropped ("can't" ->
-- "cant"), every other character that is not a letter or a digit becomes a space. Fullwidth
-- and accented Latin letters fold to ASCII ("café" becomes "cafe") and invisible characters
-- are removed (bindings/text.c). Other UTF-8 characters are kept. Letters spelled out one by
-- one join into a word ("M F A" becomes "mfa", "two F A" "2fa"). Phrases in rules are
-- normalised the same way at load time, so "E-mail" in a rule matches "e-mail" and "E MAIL"
-- in a ticket.
--
-- A rule table:
--   any    = {phrase, ...}           at least one must occur
--   all    = {phrase or {phrase, ...}, ...}
--                                    every entry must occur; a list entry is met by any member
--   none   = {phrase, ...}           none may occur (exclusions)
--   none_scope = "ticket" | "clause" where an exclusion cancels the match: anywhere in the
--                                    ticket (the default), or only in its own clause
--   fields = {"summary", "details"}  where to look (default); "notes" adds the prior notes
-- A phrase is one or more words that must occur in that order, next to each other; a word
-- ending in "*" matches any word it starts ("print*" matches "printer" and "printing").
--
-- Compiled rules go into an index keyed by each phrase's first word or first two words (see
-- match.new_index), so matching a ticket costs a few hash look-ups per ticket word, not one
-- scan per phrase. A phrase found in several fields counts for the first of summary, details
-- and notes, and a workflow's score is 2 for each phrase found in the summary and 1 for each
-- found elsewhere.
--
-- With none_scope = "clause" an exclusion cancels only the clause it is in, never a request
-- elsewhere in the ticket ("let me see Karen's mailbox? Also remove his access to the Sales
-- folder" is still a request for the mailbox). The C index excludes a rule set when an
-- exclusion occurs anywhere, so such a rule set is matched again here on the ticket without
-- the clauses that contain its exclusions (clauses_of defines where a clause ends). The
-- default "ticket" suits look-alikes, whose exclusion says what the whole ticket is about
-- ("print screen").

local match = {}

match.FIELDS = {summary = true, details = true, notes = true}
match.DEFAULT_FIELDS = {"summary", "details"}

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
        if #alternatives == 0 then
            -- An empty group of all can never be satisfied, so the workflow would never match.
            problems[#problems + 1] = string.format("match.%s[%d] is an empty list; give it at "
                .. "least one phrase, or remove it", kind, position)
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
An index of rule sets, for matching many at once. Keyword rules go into a `match_index` (C,
bindings/match_index.c). It files each phrase by its first words: by the first two when both are
whole words, else by the first word, or by a prefix for a phrase that starts with one ("print*").
A ticket word thus touches only the phrases that can start there, so matching costs a few hash
look-ups per ticket word and grows with the hits, not with the number of rule sets. Score
functions stay here, in Lua, and run for every ticket.
]]
local Index = {}
Index.__index = Index

-- keywords contains every keyword rule set. clause_scoped lists those with none_scope =
-- "clause" and exclusions, as {key, order, clients, fields, needles}, so that a ticket that
-- names one of their exclusions is matched again by clause (exclusion_needles).
function match.new_index()
    return setmetatable({keywords = match_index.new(), scored = {}, clause_scoped = {},
        count = 0}, Index)
end

--[[
Returns plain texts that find compiled's exclusions in a field's normalised text with a space
added at each end, or nil when it has none or they apply to the whole ticket. A phrase's text
ends at its first prefix word's stem (" remove his access ", " stop forward"). A text may
find more than the index does, which costs only a second look by clause, and a plain search
stays linear in the ticket.
]]
local function exclusion_needles(compiled)
    if not compiled.clause_exclusions then
        return nil
    end
    local needles = {}
    for _, phrase in ipairs(compiled.phrases) do
        if phrase.kind == "none" then
            local needle = ""
            local whole = true
            for _, word in ipairs(phrase.words) do
                needle = needle .. " " .. match.normalise(word.text)
                if word.prefix then
                    whole = false
                    break
                end
            end
            needles[#needles + 1] = whole and needle .. " " or needle
        end
    end
    return #needles > 0 and needles or nil
end

--[[
Adds a compiled rule set under key (any value but nil: the loader uses the workflow record).
clients limits it to tickets of those clients: nil for every client, else a set
{[client id] = true}. Members remember their insertion order, which breaks ties between equal
scores. Returns that order.
]]
function Index:add(key, compiled, clients)
    self.count = self.count + 1
    if compiled.score ~= nil then
        self.scored[#self.scored + 1] = {key = key, compiled = compiled, order = self.count,
            clients = clients}
        return self.count
    end
    self.keywords:add(key, compiled, self.count, clients)
    local needles = exclusion_needles(compiled)
    if needles ~= nil then
        self.clause_scoped[#self.clause_scoped + 1] = {key = key, order = self.count,
            clients = clients, fields = compiled.fields, needles = needles}
    end
    return self.count
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
        if key ~= "any" and key ~= "all" and key ~= "none" and key ~= "none_scope"
            and key ~= "fields" then
            problems[#problems + 1] = string.format("match has an unknown key %q; use any, all, "
                .. "none, none_scope or fields", tostring(key))
        end
    end
    if rules.none_scope ~= nil and rules.none_scope ~= "ticket" and rules.none_scope ~= "clause"
    then
        problems[#problems + 1] = string.format("match.none_scope is %q; use \"ticket\" (an "
            .. "exclusion anywhere cancels the match) or \"clause\" (it cancels only its own "
            .. "clause)", tostring(rules.none_scope))
    end
    compiled.clause_exclusions = rules.none_scope == "clause"
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

--[[
Returns what a workflow keeps of its compiled keyword rules after loading, for match.evaluate:
{index = the C index of the rules, order = their order in it, clause_exclusions = true when
none_scope is "clause"} when index (a match.new_index) holds them under order, else {released = rules}, the rules as written, which match.evaluate
compiles again on first use. The compiled phrases hold a table for each phrase and for each of
its words, most of a workflow's memory, and after loading only sample checks read them. Score
rules come back as they are, because an index runs their function.
]]
function match.release(compiled, rules, index, order)
    if compiled.score ~= nil then
        return compiled
    end
    if index ~= nil then
        return {index = index.keywords, order = order,
            clause_exclusions = compiled.clause_exclusions}
    end
    return {released = rules}
end

local function text_of(value)
    return type(value) == "string" and value or ""
end

-- Prepares a ticket's text for matching: fields maps summary/details/notes to plain text
-- (anything but a string counts as ""). Returns {tokens = the words for the index (a
-- userdata), fields = fields itself, which a match stopped by an exclusion reads again by
-- clause, so the caller must not change it}; see prepared_text for its normalised text.
function match.prepare(fields)
    return {tokens = match_index.prepare(text_of(fields.summary), text_of(fields.details),
        text_of(fields.notes)), fields = fields}
end

-- Words that start a new clause. "and" is one too, because "remove his access and let me see
-- her mailbox" is two requests.
local CLAUSE_WORDS = {"and", "but", "also", "plus", "then"}

-- Characters that end a clause besides ASCII punctuation and line breaks: the fullwidth
-- question mark, exclamation mark, semicolon and comma, the ideographic full stop and the
-- ellipsis.
local CLAUSE_ENDS = {"\239\188\159", "\239\188\129", "\239\188\155", "\239\188\140",
    "\227\128\130", "\226\128\166"}

--[[
Splits text into clauses: it ends one at . ! ? ; : , and line breaks, the characters of
CLAUSE_ENDS and before the words of CLAUSE_WORDS. Returns the clauses that have a word, lower
case. A clause may be shorter than a reader's ("karen.smith" is two), which only leaves less
text out.
]]
local function clauses_of(text)
    local marked = text:lower():gsub("[%.!%?;:,\r\n]", "\n")
    for _, ending in ipairs(CLAUSE_ENDS) do
        marked = marked:gsub(ending, "\n")
    end
    for _, word in ipairs(CLAUSE_WORDS) do
        marked = marked:gsub("%f[%w]" .. word .. "%f[%W]", "\n")
    end
    local clauses = {}
    for clause in marked:gmatch("[^\n]+") do
        if clause:find("%w") then
            clauses[#clauses + 1] = clause
        end
    end
    return clauses
end

-- True when reasons (from an index's evaluate) are the exclusions that stopped a match.
local function is_excluded(reasons)
    return reasons[1] ~= nil and reasons[1].rule == "none"
end

-- True when one of needles (exclusion_needles) occurs in the clause's normalised text, or
-- when needles is nil, so that only such clauses cost a look by the index.
local function may_hold_exclusion(clause, needles)
    if needles == nil then
        return true
    end
    local padded = " " .. match.normalise(clause) .. " "
    for _, needle in ipairs(needles) do
        if padded:find(needle, 1, true) then
            return true
        end
    end
    return false
end

--[[
Matches the rule set at order in index against fields (the plain texts of match.prepare) with
every clause that contains one of its exclusions left out. needles (from exclusion_needles, or
nil) skips the index's look at a clause that cannot contain one. Returns matched, score,
reasons as an index's evaluate does. An exclusion that spans two clauses is in neither, so it
still stops the match on the joined text, as it did on the whole ticket.
]]
local function evaluate_outside_exclusions(index, order, fields, needles)
    local kept = {}
    for _, name in ipairs({"summary", "details", "notes"}) do
        local clauses = {}
        for _, clause in ipairs(clauses_of(text_of(fields[name]))) do
            local excluded = false
            if may_hold_exclusion(clause, needles) then
                local clause_fields = {summary = "", details = "", notes = ""}
                clause_fields[name] = clause
                local tokens = match_index.prepare(clause_fields.summary, clause_fields.details,
                    clause_fields.notes)
                excluded = is_excluded(select(3, index:evaluate(tokens, order)))
            end
            if not excluded then
                clauses[#clauses + 1] = clause
            end
        end
        kept[name] = table.concat(clauses, "\n")
    end
    return index:evaluate(match_index.prepare(kept.summary, kept.details, kept.notes), order)
end

-- Returns the normalised text by field ({summary, details, notes}) that score functions
-- receive. It is made on first use and kept in prepared.text, so every score function of a
-- ticket gets the same table, and matching without score functions never makes it.
local function prepared_text(prepared)
    if prepared.text == nil then
        local summary, details, notes = match_index.texts(prepared.tokens)
        prepared.text = {summary = summary, details = details, notes = notes}
    end
    return prepared.text
end

-- Runs a score function under pcall. A raising function does not match, and its error is
-- returned as the reason so that the caller can report it.
-- The highest score a score function can give.
local MAX_SCORE = 1000

local function run_score(compiled, ticket, prepared)
    local ok, score, reason = pcall(compiled.score, ticket, prepared_text(prepared))
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

-- Evaluates one compiled rule set against prepared text. Returns matched, score, reasons;
-- each reason is {rule = "any"|"all"|"none", phrase = text, field = name}. When an exclusion
-- stops the match, the reasons are the exclusions that hit.
function match.evaluate(compiled, prepared, ticket)
    if compiled.score ~= nil then
        return run_score(compiled, ticket or {}, prepared)
    end
    -- The rule set's own index, for checking samples: built on first use, because a host
    -- that never checks samples would keep a second copy of every phrase. Released rules
    -- are compiled again for it, and rules released into a shared index are read there.
    if compiled.index == nil then
        local rules_compiled = compiled
        if compiled.released ~= nil then
            local problems
            rules_compiled, problems = match.compile(compiled.released)
            if #problems > 0 then
                error("the workflow's match rules changed after loading: " .. problems[1], 2)
            end
            compiled.clause_exclusions = rules_compiled.clause_exclusions
        end
        compiled.index = match_index.new()
        compiled.index:add(rules_compiled, rules_compiled, 1, nil)
    end
    local order = compiled.order or 1
    local matched, score, reasons = compiled.index:evaluate(prepared.tokens, order)
    if matched or not compiled.clause_exclusions or not is_excluded(reasons)
        or prepared.fields == nil then
        return matched, score, reasons
    end
    return evaluate_outside_exclusions(compiled.index, order, prepared.fields)
end

local function by_score(a, b)
    if a.score ~= b.score then
        return a.score > b.score
    end
    return a.order < b.order
end

-- Runs the score functions of the index that apply to client_id. Adds those that match to
-- results and returns the errors of those that raised, as {key, message} records.
local function run_scored(index, prepared, ticket, client_id, results)
    local errors = {}
    for _, member in ipairs(index.scored) do
        if member.clients == nil or (client_id ~= nil and member.clients[client_id] == true) then
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
    return errors
end

--[[
Returns the members of index.clause_scoped that apply to client_id, are not among results
(Index:run's, or nil for none) and whose exclusion needles occur in a field they read: the
rule sets an exclusion may have stopped, which Index:run matches again by clause.
]]
local function excluded_by_clause(index, prepared, client_id, results)
    local excluded = {}
    if #index.clause_scoped == 0 then
        return excluded
    end
    if prepared.padded == nil then
        local summary, details, notes = match_index.texts(prepared.tokens)
        prepared.padded = {summary = " " .. summary .. " ", details = " " .. details .. " ",
            notes = " " .. notes .. " "}
    end
    local matched = {}
    for _, found in ipairs(results or {}) do
        matched[found.order] = true
    end
    for _, member in ipairs(index.clause_scoped) do
        local applies = member.clients == nil
            or (client_id ~= nil and member.clients[client_id] == true)
        local hit = false
        if applies and not matched[member.order] then
            for field in pairs(member.fields) do
                for _, needle in ipairs(member.needles) do
                    hit = hit or prepared.padded[field]:find(needle, 1, true) ~= nil
                end
            end
        end
        if hit then
            excluded[#excluded + 1] = member
        end
    end
    return excluded
end

--[[
Matches prepared text against every member of the index that applies to client_id (an integer,
or nil when the ticket has no client: then only members for every client apply).
Returns an array of {key, score, reasons, order}, highest score first, ties by insertion
order. Errors of score functions are returned in the second result as {key, message} records.
Score functions run in insertion order.
]]
function Index:run(prepared, ticket, client_id)
    local results = self.keywords:run(prepared.tokens, client_id)
    local excluded = excluded_by_clause(self, prepared, client_id, results)
    for _, member in ipairs(excluded) do
        local matched, score, reasons = evaluate_outside_exclusions(self.keywords, member.order,
            prepared.fields, member.needles)
        if matched then
            results[#results + 1] = {key = member.key, score = score, reasons = reasons,
                order = member.order}
        end
    end
    if #self.scored == 0 then
        if #excluded > 0 then
            table.sort(results, by_score)
        end
        return results, {}
    end
    local errors = run_scored(self, prepared, ticket, client_id, results)
    table.sort(results, by_score)
    return results, errors
end

--[[
Matches as Index:run does, but returns the matches as match.encode_matches writes them (the
keys must be workflow records), and the errors. Without score functions the C index writes
the JSON itself and no table per match is made, which is most of the cost of a ticket that
matches many workflows.
]]
function Index:run_json(prepared, ticket, client_id)
    if #self.scored == 0 then
        local written = self.keywords:run_json(prepared.tokens, client_id)
        if excluded_by_clause(self, prepared, client_id, nil)[1] == nil then
            return written, {}
        end
    end
    local results, errors = self:run(prepared, ticket, client_id)
    return match.encode_matches(results), errors
end

-- Describes a reason for a technician: `summary contains "password reset"`.
function match.describe(reason)
    return match_index.describe(reason.rule, reason.phrase, reason.field)
end

-- Encodes Index:run's results, whose keys are workflow records, as the JSON array of
-- {workflow, file, score, reasons} that host.match returns, reasons described as above:
-- canonical JSON, as canonical.encode would write it.
match.encode_matches = match_index.encode_matches

return match
