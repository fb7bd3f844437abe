-- The data side of tests/bench/lua_bench.c: reads the real tickets and writes generated
-- workflow files. It runs in the benchmark's own unrestricted Lua state (io and lua-cjson),
-- never inside a halyard host. Returns a table of functions; the C side moves only strings.
--
-- Generated keyword rules draw their words from the tickets themselves, so they hit and miss
-- the way hand-written rules do. A word is taken only if 3 to 150 of the 1,000 tickets use
-- it. Phrases of two words are pairs that stand next to each other in at least two tickets'
-- summaries, and wildcards are the first 4 or more letters of a word of 6 or more.

local cjson = require("cjson")

local bench = {}

-- The HaloPSA client ids tickets are spread over; some generated workflows are scoped to one.
local CLIENT_COUNT = 5

local MIN_DOCUMENT_COUNT = 3
local MAX_DOCUMENT_COUNT = 150

-- The same normalisation as bindings/lua/match.lua, so vocabulary words are rule words.
local function words_of(text)
    local normalised = text:lower():gsub("\226\128\153", ""):gsub("'", "")
    normalised = normalised:gsub("[^%w\128-\255]+", " ")
    local words = {}
    for word in normalised:gmatch("%S+") do
        words[#words + 1] = word
    end
    return words
end

local rows = {}
local tickets_path = nil
local vocabulary = {}
local pairs_of_words = {}
local long_words = {}

--[[
Reads the JSON-lines ticket file ({id, subject, body, category, priority} per line). Returns
the number of tickets, or nil and a message. Builds the vocabulary the generator draws from.
]]
function bench.read_tickets(path)
    local file, open_error = io.open(path, "r")
    if file == nil then
        return nil, string.format("cannot open the tickets file: %s", open_error)
    end
    tickets_path = path
    local line_number = 0
    for line in file:lines() do
        line_number = line_number + 1
        local ok, row = pcall(cjson.decode, line)
        if not ok or type(row) ~= "table" or type(row.subject) ~= "string"
                or type(row.body) ~= "string" then
            file:close()
            return nil, string.format("%s:%d: not a ticket object with subject and body", path,
                line_number)
        end
        rows[#rows + 1] = row
    end
    file:close()
    if #rows == 0 then
        return nil, string.format("%s holds no tickets", path)
    end

    -- Document counts: in how many tickets each word and each summary word pair occurs.
    local word_counts = {}
    local pair_counts = {}
    for _, row in ipairs(rows) do
        local seen = {}
        for _, word in ipairs(words_of(row.subject .. " " .. row.body)) do
            if not seen[word] then
                seen[word] = true
                word_counts[word] = (word_counts[word] or 0) + 1
            end
        end
        local summary = words_of(row.subject)
        for position = 1, #summary - 1 do
            local pair = summary[position] .. " " .. summary[position + 1]
            if not seen[pair] then
                seen[pair] = true
                pair_counts[pair] = (pair_counts[pair] or 0) + 1
            end
        end
    end

    local function usable(word)
        local count = word_counts[word]
        return count ~= nil and count >= MIN_DOCUMENT_COUNT and count <= MAX_DOCUMENT_COUNT
            and #word >= 3
    end
    for word in pairs(word_counts) do
        if usable(word) then
            vocabulary[#vocabulary + 1] = word
            if #word >= 6 then
                long_words[#long_words + 1] = word
            end
        end
    end
    for pair, count in pairs(pair_counts) do
        local first, second = pair:match("^(%S+) (%S+)$")
        if count >= 2 and usable(first) and usable(second) then
            pairs_of_words[#pairs_of_words + 1] = pair
        end
    end

    -- pairs() order varies between runs; sorted lists make a seed give the same workflows.
    table.sort(vocabulary)
    table.sort(pairs_of_words)
    table.sort(long_words)
    return #rows
end

-- Returns two lines for the report's header: the tickets' size, and what the generator
-- draws from.
function bench.describe_data()
    local counts = {}
    for index, row in ipairs(rows) do
        counts[index] = #words_of(row.subject .. " " .. row.body)
    end
    table.sort(counts)
    local function rank(percent)
        return counts[math.max(1, math.ceil(percent / 100 * #counts))]
    end
    return string.format("%d tickets from %s: %d words in the median ticket, %d at the 99th "
        .. "percentile, %d in the longest\ngenerated rules draw from %d words, %d word pairs "
        .. "and %d wildcard stems of the tickets", #rows, tickets_path, rank(50), rank(99),
        counts[#counts], #vocabulary, #pairs_of_words, #long_words)
end

-- The client a ticket belongs to: 1 .. CLIENT_COUNT, by its position in the file.
local function client_of(index)
    return (index - 1) % CLIENT_COUNT + 1
end

--[[
Returns ticket number index (from 1) as the host's inputs: the ticket for
halyard_lua_host_match, the ticket as GET /api/Tickets/{id} returns it for
halyard_lua_host_plan, and the imported client.
]]
function bench.ticket(index)
    local row = rows[index]
    local client = client_of(index)
    local match_ticket = cjson.encode({id = index, summary = row.subject, details = row.body,
        client_id = client})
    local halo_ticket = cjson.encode({
        id = index,
        summary = row.subject,
        details = row.body,
        status_id = 1,
        status_name = "New",
        priority_id = tonumber(row.priority) or 3,
        tickettype_id = 1,
        client_id = client,
        client_name = string.format("Client %d", client),
        site_id = 100 + client,
        site_name = "Head Office",
        user_id = 1000 + index,
        user_name = string.format("User %d", index),
        user_email = string.format("user%d@client%d.example", index, client),
        team = "1st Line",
        agent_id = 0,
    })
    local client_json = cjson.encode({id = client, name = string.format("Client %d", client),
        mode = "plan"})
    return match_ticket, halo_ticket, client_json
end

local function pick(list)
    return list[math.random(#list)]
end

-- A phrase for a rule: a word pair with probability pair_percent, a wildcard with
-- wildcard_percent, else a word. Returns the phrase and a text that matches it, for the
-- workflow's sample.
local function positive_phrase(pair_percent, wildcard_percent)
    local roll = math.random(100)
    if roll <= pair_percent then
        local pair = pick(pairs_of_words)
        return pair, pair
    elseif roll <= pair_percent + wildcard_percent then
        local word = pick(long_words)
        return word:sub(1, math.random(4, #word - 2)) .. "*", word
    end
    local word = pick(vocabulary)
    return word, word
end

-- Words of phrases, so exclusions never share a word with what the workflow looks for.
local function add_words(set, phrase)
    for word in phrase:gsub("%*", ""):gmatch("%S+") do
        set[word] = true
    end
end

-- An exclusion: a word or, one time in five, a word pair, sharing no word with used.
local function negative_phrase(used)
    for _ = 1, 100 do
        local phrase = math.random(5) == 1 and pick(pairs_of_words) or pick(vocabulary)
        local clash = false
        for word in phrase:gmatch("%S+") do
            for used_word in pairs(used) do
                if word:sub(1, #used_word) == used_word or used_word:sub(1, #word) == word then
                    clash = true
                end
            end
        end
        if not clash then
            return phrase
        end
    end
    return nil
end

local function quoted_list(list)
    local parts = {}
    for _, value in ipairs(list) do
        parts[#parts + 1] = string.format("%q", value)
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end

--[[
The shapes of generated keyword rules. A workflow gets an "any" list with probability
any_percent, else an "all" list of groups. Each list entry is a phrase as positive_phrase
makes it, and up to max_none exclusions follow. Over the 1,000 tickets (figures from
scripts/bench.sh lua, with 1,000 workflows of which 900 are active):
  broad   long "any" lists of single words and wide "all" groups. A workflow matches 2.4 % of
          the tickets on average, near the shipped library's 2.6 % (417 matches of 16
          workflows), so at 1,000 workflows a ticket matches about 24: a stress case.
  narrow  short "any" lists of mostly two-word phrases, and "all" with two groups of a few
          words. A workflow matches 0.8 % of the tickets on average, below the shipped
          library's median of 1.3 %, and a ticket matches about 8 of 1,000 workflows.
]]
local SHAPES = {
    broad = {any_percent = 40, any_count = {3, 8}, groups = {2, 3}, alternatives = {2, 6},
        pair_percent = 15, wildcard_percent = 15, max_none = 4},
    narrow = {any_percent = 40, any_count = {1, 3}, groups = {2, 2}, alternatives = {1, 3},
        pair_percent = 60, wildcard_percent = 15, max_none = 2},
}

-- Makes keyword rules of a shape. Returns them as Lua source and a sample text that matches.
local function keyword_rules(shape)
    local lines = {}
    local sample = {}
    local used = {}

    local function add_list(count_range, first_only)
        local list = {}
        for position = 1, math.random(count_range[1], count_range[2]) do
            local phrase, text = positive_phrase(shape.pair_percent, shape.wildcard_percent)
            list[#list + 1] = phrase
            add_words(used, text)
            if position == 1 or not first_only then
                sample[#sample + 1] = text
            end
        end
        return quoted_list(list)
    end

    if math.random(100) <= shape.any_percent then
        lines[#lines + 1] = "        any = " .. add_list(shape.any_count, true) .. ","
    else
        local groups = {}
        for _ = 1, math.random(shape.groups[1], shape.groups[2]) do
            groups[#groups + 1] = add_list(shape.alternatives, true)
        end
        lines[#lines + 1] = "        all = {" .. table.concat(groups, ", ") .. "},"
    end

    local none = {}
    for _ = 1, math.random(0, shape.max_none) do
        none[#none + 1] = negative_phrase(used)
    end
    if #none > 0 then
        lines[#lines + 1] = "        none = " .. quoted_list(none) .. ","
    end
    return "{\n" .. table.concat(lines, "\n") .. "\n    }", table.concat(sample, " ")
end

-- Makes a score function that looks for two to four words with a plain find and adds a
-- point for a priority 1 or 2 ticket. Returns its Lua source and a sample text it scores.
local function score_function()
    local words = {}
    for _ = 1, math.random(2, 4) do
        words[#words + 1] = pick(vocabulary)
    end
    local source = string.format([[function(ticket, text)
        local score = 0
        for _, word in ipairs(%s) do
            if text.summary:find(word, 1, true) then
                score = score + 2
            elseif text.details:find(word, 1, true) then
                score = score + 1
            end
        end
        if score > 0 and ticket.priority ~= nil and (ticket.priority.id or 3) <= 2 then
            score = score + 1
        end
        return score, "mentions the request's words"
    end]], quoted_list(words))
    return source, words[1]
end

local WORKFLOW_TEMPLATE = [[
-- Generated by tests/bench/lua_bench.lua for scripts/bench.sh lua (seed %d).
return {
    name = %q,
    status = %q,
    scope = %s,
    trigger = "Generated for the matching benchmark: a request that uses these words.",
    match = %s,
    instructions = [=[
1. Confirm who the requester is.
2. Do what the request asks, and reply with what was done.
]=],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester's account."},
        {tool = "example.handle_request", kind = "write",
            arguments = {user = "{requester.email}", what = {ask = "what exactly is needed"}},
            purpose = "Carry out the request."},
    },
    samples = {
        match = {
            {source = "written", summary = %q, details = "please help"},
        },
    },
}
]]

--[[
Writes count workflow files into folder (which must exist): kind "narrow" or "broad" for
keyword rules of that shape, "score" for score functions. Of every 20 workflows, 18 are active, one a draft and one
archived; 15 % are scoped to one client. The same seed writes the same files.
Returns the number of files written, or nil and a message.
]]
function bench.write_workflows(folder, kind, count, seed)
    if SHAPES[kind] == nil and kind ~= "score" then
        return nil, string.format("unknown workflow kind %q; use narrow, broad or score",
            tostring(kind))
    end
    math.randomseed(seed)
    for number = 1, count do
        local rules, sample
        if kind ~= "score" then
            rules, sample = keyword_rules(SHAPES[kind])
        else
            rules, sample = score_function()
        end
        local status = "active"
        if number % 20 == 7 then
            status = "draft"
        elseif number % 20 == 13 then
            status = "archived"
        end
        local scope = "\"all\""
        if math.random(100) <= 15 then
            scope = string.format("{clients = {%d}}", math.random(CLIENT_COUNT))
        end
        local name = string.format("%s workflow %04d", kind, number)
        local path = string.format("%s/%s_%04d.lua", folder, kind, number)
        local file, open_error = io.open(path, "w")
        if file == nil then
            return nil, string.format("cannot write %s: %s", path, open_error)
        end
        file:write(string.format(WORKFLOW_TEMPLATE, seed, name, status, scope, rules, sample))
        file:close()
    end
    return count
end

return bench
