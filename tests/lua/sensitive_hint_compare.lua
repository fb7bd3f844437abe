-- Compares tools.sensitive_hint with the plain scan of sensitive_hint_reference.lua on tool
-- names and descriptions made from every form of the hints and every harmless noun, with and
-- without endings, next to other words, and on random word lists. Called as compare(tools, reference, extra), where
-- extra is a list of {name, description} cases to add. Returns the number of cases compared
-- and a description of the first difference, or nil.

local tools, reference, extra = ...

local cases = {}
for _, case in ipairs(extra) do
    cases[#cases + 1] = case
end

-- Every form of every hint and every harmless noun, with "*" dropped, and the words it is built
-- from.
local forms = {}
local pool = {"the", "a", "user", "to", "of", "for", "remove", "get", "set", "create",
    "account", "mailbox", "rule", "card", "group", "member", "and", "with"}
local lists = {tools.HARMLESS_OBJECTS, tools.CONTEXT_OBJECTS}
for _, context in ipairs(tools.HINT_CONTEXTS) do
    lists[#lists + 1] = context.terms
end
for _, hint in ipairs(tools.SENSITIVE_HINTS) do
    lists[#lists + 1] = hint.terms or {}
    lists[#lists + 1] = hint.verbs or {}
    lists[#lists + 1] = hint.objects or {}
end
for _, list in ipairs(lists) do
    for _, phrase in ipairs(list) do
        local plain = phrase:gsub("%*", "")
        forms[#forms + 1] = plain
        for word in plain:gmatch("%S+") do
            pool[#pool + 1] = word
        end
    end
end

-- The endings the scan takes, a few it does not, and nothing.
local endings = {"", "s", "es", "d", "ed", "ing", "ment", "ships", "er", "ting"}

for _, form in ipairs(forms) do
    for _, ending in ipairs(endings) do
        -- The form with the ending, with its last letter doubled, and with it dropped.
        for _, text in ipairs({form .. ending, form .. form:sub(-1) .. ending,
                form:sub(1, -2) .. ending}) do
            -- One shape of case per text, in turn: the text alone, after a verb in the name
            -- and the description, after a removal verb, before an object, before a harmless
            -- noun and between a verb and an object.
            local joined = text:gsub(" ", "_")
            local shapes = {
                {"x." .. joined, nil},
                {"x.set_" .. joined, "Set the " .. text .. " of a user."},
                {"x.get_" .. joined, "Get " .. text},
                {"x." .. joined .. "_group", "Add a b c " .. text},
                {"x.add_" .. joined .. "_cache", "Reset the " .. text .. " b job for a user."},
                {"x.create_" .. joined .. "_account", "Add the " .. text .. " and log it."},
                {"x.add_token", "Adds a token on the " .. text .. "."},
            }
            cases[#cases + 1] = shapes[#cases % #shapes + 1]
        end
    end
end

-- Random lists of words, from a fixed seed so that a failure repeats.
local seed = 20261205
local function random(count)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % count + 1
end
for _ = 1, 1000 do
    local name_words = {}
    for position = 1, random(5) do
        name_words[position] = pool[random(#pool)] .. endings[random(#endings)]
    end
    local description_words = {}
    for position = 1, random(9) - 1 do
        description_words[position] = pool[random(#pool)] .. endings[random(#endings)]
    end
    cases[#cases + 1] = {"family." .. table.concat(name_words, "_"),
        table.concat(description_words, " ")}
end

for _, case in ipairs(cases) do
    local word, reason = tools.sensitive_hint(case[1], case[2])
    local expected_word, expected_reason = reference(tools, case[1], case[2])
    if word ~= expected_word or reason ~= expected_reason then
        return #cases, string.format("sensitive_hint(%q, %q) returned %s, %s; expected %s, %s",
            case[1], tostring(case[2]), tostring(word), tostring(reason),
            tostring(expected_word), tostring(expected_reason))
    end
end
return #cases, nil
