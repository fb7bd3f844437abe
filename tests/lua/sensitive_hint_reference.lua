-- The scan behind tools.sensitive_hint as it was before its forms were compiled into tables:
-- nested string compares, slow but plain. Tests compare tools.sensitive_hint with it. Returns
-- sensitive_hint(tables, name, description), where tables is the tools module, read for its
-- SENSITIVE_HINTS, HARMLESS_OBJECTS, CONTEXT_OBJECTS and HINT_CONTEXTS.

-- The maximum distance in words from a verb to its object, so at most three words between.
local HINT_WINDOW = 4

-- The maximum distance in words from a match to a harmless noun it qualifies.
local HARMLESS_WINDOW = 2

-- Words that end the noun phrase after a match.
local HINT_STOP_WORDS = {
    a = true, an = true, ["and"] = true, ["or"] = true, the = true, to = true, ["for"] = true,
    of = true, on = true, ["in"] = true, at = true, by = true, from = true, with = true,
    that = true, ["then"] = true, as = true, into = true, is = true, are = true,
}

-- Endings a form takes: roles, added, adding, enrolment, membership.
local HINT_ENDINGS = {s = true, es = true, d = true, ed = true, ing = true, ment = true,
    ments = true, ship = true, ships = true}

-- The first words of a tool's action that take something away or only read: a tool named
-- remove_member or get_user does not give anything, whatever its description names.
local REMOVAL_VERBS = {
    remove = true, delete = true, revoke = true, disable = true, block = true, unassign = true,
    deny = true, suspend = true, expire = true, get = true, list = true, read = true,
    show = true, find = true, search = true, check = true, count = true, view = true,
    lookup = true, export = true, audit = true, report = true,
}

-- Splits text into lower-case words, at every character other than a letter or digit and at
-- camelCase boundaries: "m365.setAuthPhone" gives m365, set, auth, phone.
local function hint_words(text)
    text = text:gsub("(%l)(%u)", "%1 %2")
    text = text:gsub("(%u)(%u%l)", "%1 %2")
    local words = {}
    for word in text:lower():gmatch("%w+") do
        words[#words + 1] = word
    end
    return words
end

-- True when word is form, an inflection of it, or (for a form ending in "*") starts with it.
local function word_matches(word, form)
    if form:sub(-1) == "*" then
        return word:sub(1, #form - 1) == form:sub(1, -2)
    end
    if word == form then
        return true
    end
    if word:sub(1, #form) ~= form then
        if form:sub(-1) == "e" then
            -- enable -> enabling
            return word == form:sub(1, -2) .. "ing"
        end
        return false
    end
    local ending = word:sub(#form + 1)
    if HINT_ENDINGS[ending] then
        return true
    end
    -- set -> setting, enrol -> enrolled
    return ending:sub(1, 1) == form:sub(-1) and HINT_ENDINGS[ending:sub(2)] == true
end

-- Returns the number of words the phrase (forms separated by spaces) matches at words[at], or
-- nil when it does not match there.
local function phrase_length_at(words, at, phrase)
    local length = 0
    for form in phrase:gmatch("%S+") do
        local word = words[at + length]
        if word == nil or not word_matches(word, form) then
            return nil
        end
        length = length + 1
    end
    return length
end

-- True when word matches one of the harmless forms.
local function is_harmless(word, harmless)
    for _, form in ipairs(harmless) do
        if word_matches(word, form) then
            return true
        end
    end
    return false
end

-- True when a harmless noun follows words[last] within HARMLESS_WINDOW words with no stop word
-- before it.
local function harmless_follows(words, last, harmless)
    for at = last + 1, math.min(last + HARMLESS_WINDOW, #words) do
        if HINT_STOP_WORDS[words[at]] then
            return false
        end
        if is_harmless(words[at], harmless) then
            return true
        end
    end
    return false
end

-- True when a harmless noun and then a stop word sit between words[verb_at] and
-- words[object_at].
local function harmless_between(words, verb_at, object_at, harmless)
    for noun_at = verb_at + 1, object_at - 1 do
        if is_harmless(words[noun_at], harmless) then
            for at = noun_at + 1, object_at - 1 do
                if HINT_STOP_WORDS[words[at]] then
                    return true
                end
            end
        end
    end
    return false
end

-- Returns the text of the first phrase of the list found in words and not qualifying a
-- harmless noun, or nil.
local function find_phrase(words, phrases, harmless)
    for at = 1, #words do
        for _, phrase in ipairs(phrases or {}) do
            local length = phrase_length_at(words, at, phrase)
            if length ~= nil
                and not harmless_follows(words, at + length - 1, harmless) then
                return table.concat(words, " ", at, at + length - 1)
            end
        end
    end
    return nil
end

-- Returns the text from a verb of the hint to an object named at most HINT_WINDOW words after
-- it ("create a user"), or nil. A match whose verb acts on a harmless noun, or whose object
-- qualifies one, does not count.
local function find_verb_object(words, hint, harmless)
    if hint.verbs == nil then
        return nil
    end
    for at = 1, #words do
        for _, verb in ipairs(hint.verbs) do
            if word_matches(words[at], verb) then
                for object_at = at + 1, math.min(at + HINT_WINDOW, #words) do
                    for _, object in ipairs(hint.objects) do
                        local length = phrase_length_at(words, object_at, object)
                        if length ~= nil
                            and not harmless_between(words, at, object_at, harmless)
                            and not harmless_follows(words, object_at + length - 1, harmless) then
                            return table.concat(words, " ", at, object_at + length - 1)
                        end
                    end
                end
            end
        end
    end
    return nil
end

-- Returns the reason of the first context whose phrase one of the texts contains, when the words
-- found contain one of the context objects, or nil.
local function context_reason(found, texts, context_objects, contexts)
    local has_context_object = false
    for _, word in ipairs(hint_words(found)) do
        for _, form in ipairs(context_objects) do
            has_context_object = has_context_object or word_matches(word, form)
        end
    end
    if not has_context_object then
        return nil
    end
    for _, context in ipairs(contexts) do
        for _, words in ipairs(texts) do
            for at = 1, #words do
                for _, phrase in ipairs(context.terms) do
                    if phrase_length_at(words, at, phrase) ~= nil then
                        return context.reason
                    end
                end
            end
        end
    end
    return nil
end

--[[
Tells whether a write tool's name or description reads like a sensitive change. Returns the
words found and the reason code to suggest, or nil. The name and the description are read as
words (split at ".", "_", "-", spaces and camelCase), each on its own so that a verb at the end
of one is not joined to an object at the start of the other. A context named in either of them
gives the reason of words that contain a context object.
]]
local function sensitive_hint(tables, name, description)
    local hints = tables.SENSITIVE_HINTS
    local harmless = tables.HARMLESS_OBJECTS
    local texts = {hint_words(name or ""), hint_words(description or "")}
    local action = (name or ""):match("%.(.*)$") or name or ""
    local first_verb = hint_words(action)[1]
    local takes_away = first_verb ~= nil and REMOVAL_VERBS[first_verb] == true
    for _, hint in ipairs(hints) do
        if hint.removals or not takes_away then
            for _, words in ipairs(texts) do
                local found = find_phrase(words, hint.terms, harmless)
                    or find_verb_object(words, hint, harmless)
                if found ~= nil then
                    return found, context_reason(found, texts, tables.CONTEXT_OBJECTS,
                        tables.HINT_CONTEXTS) or hint.reason
                end
            end
        end
    end
    return nil
end

return sensitive_hint
