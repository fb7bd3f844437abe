-- The agent's context, built from HaloPSA's JSON as lua-cjson decodes it.
--
-- lua-cjson 2.1 decodes every number as a float (4242 -> 4242.0) and null as the truthy
-- json.null; HaloPSA sometimes sends ids as strings ("3") or decimals (3.0). Every id in the
-- context is therefore an integer or nil, and every text an unescaped string or nil.

local modules = ...
local note = modules.note

local context = {}

-- Returns value as an integer id, or nil for null, absent, 0, negative or fractional values.
-- HaloPSA uses 0 for "none" (agent_id 0 is an unassigned ticket).
function context.to_id(value)
    if type(value) == "string" then
        value = tonumber(value)
    end
    if type(value) ~= "number" then
        return nil
    end
    local integer = math.tointeger(value)
    if integer == nil or integer <= 0 then
        return nil
    end
    return integer
end

-- The bytes Lua's %s matches in the C locale: space, \t, \n, \v, \f and \r.
local SPACE_BYTES = {[32] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true}

-- Returns value as a non-empty string with outer spaces trimmed, or nil.
function context.to_text(value)
    if type(value) == "number" then
        value = tostring(math.tointeger(value) or value)
    end
    if type(value) ~= "string" then
        return nil
    end
    -- Most texts have nothing to trim, and the pattern below costs a pass over the whole text.
    local first, last = value:byte(1), value:byte(-1)
    if first ~= nil and not SPACE_BYTES[first] and not SPACE_BYTES[last] then
        return value
    end
    -- find stops at the first word, and the loop walks back over the trailing spaces only, so
    -- a long text with a space at either end costs what its spaces cost.
    local start = value:find("%S")
    if start == nil then
        return nil
    end
    local finish = #value
    while SPACE_BYTES[value:byte(finish)] do
        finish = finish - 1
    end
    return value:sub(start, finish)
end

-- A base64 payload shorter than this is kept: pasted pictures run to many kilobytes, and a
-- short one costs nothing to read.
local DATA_URI_KEEP_BYTES = 256

-- The shortest line of base64 that a line break may continue: mail wraps base64 at 76
-- characters, and a line of words this long has spaces.
local DATA_URI_LINE_BYTES = 60

--[[
Returns text without the payloads of base64 data: URIs ("data:image/png;base64,iVBOR..."), the
pictures mail clients paste into HTML. A reader never sees a payload as text, and reading a
megabyte of it through every pattern used up the screening's limits, so a ticket with a
pasted screenshot could not be screened. Only a run of base64 characters of at least
DATA_URI_KEEP_BYTES after ";base64," (in any case) is dropped; the "data:...;base64," head
stays, and so does anything else, so no word a reader sees is lost. Plain searches and one
anchored class per URI keep the cost linear.
]]
function context.drop_data_uris(text)
    if type(text) ~= "string" or #text < DATA_URI_KEEP_BYTES or not text:find("64,", 1, true) then
        return text
    end
    local parts, position, search = {}, 1, 1
    while true do
        -- ";base64," in any case: its end is found plainly, its start compared lowered.
        local found = text:find("64,", search, true)
        if found == nil then
            break
        end
        local payload = found + 3
        local finish = payload
        local head = text:sub(math.max(1, found - 106), found + 2):lower()
        if head:find("data:[%w%.%+%-]+/[%w%.%+%-]+[^%s\"'<>]*;base64,$") then
            finish = select(3, text:find("^[%w%+/=]*()", payload))
            -- Mail may wrap the base64 into lines of 76 characters. A line break continues the
            -- payload after a whole line of base64 when the next line is whole too, or is the
            -- last one: the URI ends right after it, or it ends in the "=" that pads base64.
            -- A line of words is neither.
            local line_start = payload
            while finish - line_start >= DATA_URI_LINE_BYTES do
                local next_start = select(3, text:find("^\r?\n()", finish))
                if next_start == nil then
                    break
                end
                local next_finish = select(3, text:find("^[%w%+/=]*()", next_start))
                local ends_uri = text:find("^[\"')>]", next_finish) ~= nil
                    or next_finish > #text or text:byte(next_finish - 1) == 61 -- "=" pads the end
                if next_finish - next_start < DATA_URI_LINE_BYTES
                        and not (next_finish > next_start and ends_uri) then
                    break
                end
                line_start, finish = next_start, next_finish
            end
            if finish - payload >= DATA_URI_KEEP_BYTES then
                parts[#parts + 1] = text:sub(position, payload - 1)
                position = finish
            end
        end
        search = finish
    end
    if position == 1 then
        return text
    end
    parts[#parts + 1] = text:sub(position)
    return table.concat(parts)
end

-- Named entities with their text. Accented letters stand for their base letter, as
-- text.normalise folds the letters themselves. Any other named entity is removed, so the
-- invisible ones (&shy; &zwnj; &ZeroWidthSpace; ...) join the word around them and an unknown
-- name never becomes a word that a match rule reads.
local ENTITIES = {amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " ",
    rsquo = "'", lsquo = "'", ldquo = '"', rdquo = '"', ndash = "-", mdash = "-",
    hellip = "...", ensp = " ", emsp = " ", thinsp = " ", szlig = "ss", aelig = "ae",
    oelig = "oe"}
for base, marks in pairs({a = "grave acute circ tilde uml ring", e = "grave acute circ uml",
        i = "grave acute circ uml", o = "grave acute circ tilde uml slash",
        u = "grave acute circ uml", y = "acute uml", n = "tilde", c = "cedil"}) do
    for mark in marks:gmatch("%a+") do
        ENTITIES[base .. mark] = base
    end
end

local function decode_entity(name)
    local code = name:match("^#(%d+)$")
    local hex = name:match("^#[xX](%x+)$")
    if hex ~= nil then
        code = tonumber(hex, 16)
    end
    code = tonumber(code)
    if code ~= nil then
        if code < 0x110000 and not (code >= 0xD800 and code <= 0xDFFF) then
            return utf8.char(code)
        end
        return "?"
    end
    return ENTITIES[name:lower()] or ""
end

-- The opening and closing tags of a style block, in any case.
local STYLE_OPEN = "<%s*[sS][tT][yY][lL][eE]"
local STYLE_CLOSE = "</%s*[sS][tT][yY][lL][eE]%s*>"

-- The patterns below run on text anyone can send, so each search starts after the previous
-- one ended and the reading stays linear in the text's length. A pattern such as
-- "<%a[^>]*>" or "<style.-</style>" instead scans to the end from every "<" that has no
-- closing ">" or "</style>", which is quadratic and exceeds the instruction limit on a long
-- paste of source code.

-- Returns text with every style block (its opening tag to its closing tag) replaced by " ".
-- An opening tag with no closing tag after it is kept, and its tag is dropped with the others.
local function drop_style_blocks(text)
    local parts = {}
    local position = 1
    while true do
        local open = text:find(STYLE_OPEN, position)
        if open == nil then
            break
        end
        local _, close_end = text:find(STYLE_CLOSE, open)
        if close_end == nil then
            break
        end
        parts[#parts + 1] = text:sub(position, open - 1)
        parts[#parts + 1] = " "
        position = close_end + 1
    end
    parts[#parts + 1] = text:sub(position)
    return table.concat(parts)
end

-- HTML's block-level elements, which a browser shows on lines of their own, so their tags
-- end a line, and the table cells, whose tags separate words. <wbr> stays inside a word, as
-- the sensitive policy reads it, so "M<wbr>FA" matches a rule for "mfa".
local BLOCK_TAGS, WORD_BREAK_TAGS = {}, {td = true, th = true}
for name in ([[p div br li ul ol dl dt dd tr table thead tbody tfoot caption h1 h2 h3 h4 h5 h6
blockquote pre hr center section article header footer main nav aside form fieldset legend
address details summary figure figcaption dialog search menu hgroup dir listing xmp plaintext
optgroup option textarea]]):gmatch("%w+") do
    BLOCK_TAGS[name] = true
end

-- Returns text without its comments. A comment ends as a browser ends it: "<!-->" and
-- "<!--->" are empty comments, and "--!>" ends one as "-->" does. A comment with no end is
-- kept with the rest of the text, whose tags drop_tags removes.
local function drop_comments(text)
    local parts = {}
    local position = 1
    while true do
        local open = text:find("<!--", position, true)
        local close
        if open == nil then
            break
        elseif text:sub(open + 4, open + 4) == ">" then
            close = open + 2
        elseif text:sub(open + 4, open + 5) == "->" then
            close = open + 3
        else
            close = text:find("%-%-!?>", open + 4)
        end
        if close == nil then
            break
        end
        parts[#parts + 1] = text:sub(position, open - 1)
        position = text:find(">", close, true) + 1
    end
    parts[#parts + 1] = text:sub(position)
    return table.concat(parts)
end

-- Returns text without its tags: each "<" up to the next ">". Each <br> becomes a line break,
-- and so does a block element's tag unless the text already is at the start of a line; a
-- table cell's tag becomes a space. So the words on either side of these tags stay
-- apart. Any other tag is removed. A "<" with no ">" after it is kept with the rest of the
-- text.
local function drop_tags(text)
    local parts = {}
    local position = 1
    local line_start = true
    while true do
        local open = text:find("<", position, true)
        if open == nil then
            break
        end
        local close = text:find(">", open + 1, true)
        if close == nil then
            break
        end
        parts[#parts + 1] = text:sub(position, open - 1)
        if text:find("%S", position) < open then
            line_start = false
        end

        local name = text:match("^</?%s*(%a%w*)", open)
        name = name and name:lower()
        if name == "br" or (BLOCK_TAGS[name] and not line_start) then
            parts[#parts + 1] = "\n"
            line_start = true
        elseif WORD_BREAK_TAGS[name] then
            parts[#parts + 1] = " "
        end
        position = close + 1
    end
    parts[#parts + 1] = text:sub(position)
    return table.concat(parts)
end

-- True when text has a tag: "<" and a letter, then a ">" later on.
local function has_tag(text)
    local open = text:find("<%a")
    return open ~= nil and text:find(">", open + 2, true) ~= nil
end

-- The elements with no closing tag, which an override cannot be.
local VOID_TAGS = {}
for name in ("area base br col embed hr img input link meta source track wbr"):gmatch("%a+") do
    VOID_TAGS[name] = true
end

-- The characters that stand for an HTML override: a right-to-left (U+202E) and a
-- left-to-right (U+202D) override, and the end of one (U+202C).
local RIGHT_TO_LEFT, LEFT_TO_RIGHT, OVERRIDE_END = "\u{202E}", "\u{202D}", "\u{202C}"

-- Returns the override that CSS declarations (lowercase) set, or nil: "unicode-bidi:
-- bidi-override" (or isolate-override) overrides in the declared direction.
local function override_in(declarations)
    if not declarations:find("unicode%-bidi%s*:%s*[%a%-]*override") then
        return nil
    end
    return declarations:find("direction%s*:%s*rtl") and RIGHT_TO_LEFT or LEFT_TO_RIGHT
end

--[[
Returns the class names (".name"), ids ("#name") and element names that the <style> rules of
lowered give an override (override_in), each with its override. As in the sensitive policy's
selected_by_rules, only a selector's last compound counts, an element name only as the whole
selector, and a selector with a pseudo-class not at all. Each brace is visited once.
]]
local function overrides_by_rules(lowered)
    local found = {}
    local position = 1
    while true do
        local open = lowered:find("<style", position, true)
        local close = open and lowered:find("</style", open, true)
        if close == nil then
            return found
        end
        local rules = lowered:sub(open, close - 1):gsub("^<[^>]*>", "")
        local selector_start, selector = 1, nil
        for at, brace in rules:gmatch("()([{}])") do
            if brace == "{" then
                selector, selector_start = rules:sub(selector_start, at - 1), at + 1
            elseif selector ~= nil then
                local override = override_in(rules:sub(selector_start, at - 1))
                for part in (override and selector or ""):gmatch("[^,]+") do
                    local last = ""
                    for compound in part:gmatch("[^%s>+~]+") do
                        last = compound
                    end
                    if not last:find(":", 1, true) then
                        for mark, name in last:gmatch("([%.#])([%w_%-]+)") do
                            found[mark .. name] = override
                        end
                        local element = part:match("^%s*(%a%w*)%s*$")
                        if element ~= nil then
                            found[element] = override
                        end
                    end
                end
                selector, selector_start = nil, at + 1
            else
                selector_start = at + 1
            end
        end
        position = close + 1
    end
end

--[[
Returns the override an opening tag (lowercase name and attributes) starts, or nil: a <bdo>
overrides in its dir, and so does an element whose style, or a <style> rule for its name, class
or id (rules, from overrides_by_rules), says "unicode-bidi: bidi-override". A dir of rtl makes
any override right to left.
]]
local function override_of(name, attributes, rules)
    local override = name == "bdo" and LEFT_TO_RIGHT or override_in(attributes) or rules[name]
    if override == nil and attributes:find("[ci][ld]") then
        for attribute, mark in pairs({class = ".", id = "#"}) do
            local value = attributes:match("%s" .. attribute .. "%s*=%s*\"([^\"]*)\"")
                or attributes:match("%s" .. attribute .. "%s*=%s*'([^']*)'")
                or attributes:match("%s" .. attribute .. "%s*=%s*([^%s>]+)")
            for item in (value or ""):gmatch("%S+") do
                override = override or rules[mark .. item]
            end
        end
    end
    if override ~= nil and attributes:find("%f[%w]dir%s*=%s*[\"']?rtl") then
        return RIGHT_TO_LEFT
    end
    return override
end

--[[
Returns html with each element that overrides the text's direction wrapped in the Unicode
override it stands for, so "<bdo dir=rtl>drowssap ym teser</bdo>", which a browser shows as
"reset my password", is read in that order by text.normalise, as the sensitive policy's
strip_html reads it. Elements of the same name nested inside an override are counted so that
its own closing tag ends it. styled, when given, is the lowered text whose <style> rules apply.
Each tag is visited once, so the cost is linear.
]]
local function mark_overrides(html, styled)
    local lowered = html:lower()
    if not lowered:find("<bdo", 1, true) and not lowered:find("override", 1, true)
            and not (styled or ""):find("override", 1, true) then
        return html
    end
    styled = styled or lowered
    local rules = styled:find("<style", 1, true) and overrides_by_rules(styled) or {}
    -- Mail repeats the same tags, so each distinct opening tag is judged once.
    local parts, position, open, judged = {}, 1, {}, {}
    for start, slash, name, attributes, after in lowered:gmatch("()<(/?)(%a%w*)([^<>]*)>()") do
        local top = open[#open]
        if slash == "/" then
            if top ~= nil and top.name == name then
                top.depth = top.depth - 1
                if top.depth == 0 then
                    parts[#parts + 1] = html:sub(position, start - 1) .. OVERRIDE_END
                    position = start
                    open[#open] = nil
                end
            end
        elseif not VOID_TAGS[name] and not attributes:find("/%s*$") then
            local tag = name .. attributes
            local override = judged[tag]
            if override == nil then
                override = override_of(name, attributes, rules) or false
                judged[tag] = override
            end
            if override then
                parts[#parts + 1] = html:sub(position, after - 1) .. override
                position = after
                open[#open + 1] = {name = name, depth = 1}
            elseif top ~= nil and top.name == name then
                top.depth = top.depth + 1
            end
        end
    end
    parts[#parts + 1] = html:sub(position)
    return table.concat(parts)
end

-- The function that removes the elements a reader does not see from HTML: the sensitive
-- policy's drop_hidden, which the loader sets when the policy loads, or nil when the policy
-- has none.
context.drop_hidden = nil

--[[
Turns HaloPSA's HTML (details_html, note_html) into plain text: comments removed; line breaks
for the tags of block elements (<br>, <p>, <div>, <summary>, <legend> and the like) and spaces
for table cells; an element that overrides the direction (<bdo dir=rtl>) wrapped in the
Unicode override it stands for; other tags dropped; the usual entities decoded; blank runs
collapsed. With hidden = "drop", the elements a reader does not see are removed first, by the
rules the sensitive policy uses (display:none, white text, a tiny font, a hiding <style> rule),
so the workflows' match text is what the technician sees.
NOTE: without a drop_hidden function (a sensitive policy of the MSP's own that lacks it),
hidden text is kept like visible text.
]]
function context.html_to_text(html, hidden)
    if type(html) ~= "string" then
        return nil
    end
    -- The <style> rules that set an override, read before drop_hidden removes them.
    html = context.drop_data_uris(html)
    local styled = html:find(STYLE_OPEN) and html:lower() or nil
    if hidden == "drop" and context.drop_hidden ~= nil then
        html = context.drop_hidden(html)
    end
    local text = drop_style_blocks(mark_overrides(drop_comments(html), styled))
    text = drop_tags(text)
    text = text:gsub("&(#?[%w]+);", function(name)
        return decode_entity(name)
    end)
    text = text:gsub("[ \t\r]+", " "):gsub(" *\n *", "\n"):gsub("\n\n\n+", "\n\n")
    return context.to_text(text)
end

-- Returns the plain text of a ticket's or action's body: the plain field when it has text,
-- else the HTML field turned into text. HaloPSA's `details` may itself hold HTML. hidden is
-- html_to_text's.
local function body_text(plain, html, hidden)
    local text = context.drop_data_uris(context.to_text(plain))
    if text ~= nil then
        if has_tag(text) then
            return context.html_to_text(text, hidden)
        end
        return text
    end
    return context.html_to_text(html, hidden)
end

-- Returns the text the workflows' match rules read from a body that may be HTML: the text a
-- reader sees (body_text with hidden elements dropped), or "" for nil.
function context.visible_text(body)
    return body_text(body, nil, "drop") or ""
end

-- A reference as {id = integer or nil, name = string or nil}, or nil when both are missing.
local function reference(id, name)
    local result = {id = context.to_id(id), name = context.to_text(name)}
    if result.id == nil and result.name == nil then
        return nil
    end
    return result
end

-- HaloPSA's field that contains the requester's phone is not confirmed for GET /Tickets/{id};
-- these are the names seen on tickets and users, tried in order.
local PHONE_FIELDS = {"user_phonenumber", "user_phone", "phonenumber", "reportedby_phone"}

-- Reads the requester as workflows see it ({requester.*}) from a GET /Tickets/{id} body. A
-- verified run acts on these fields, so host.verify_start compares them with the challenged
-- user's record.
function context.ticket_requester(ticket)
    local phone
    for _, field in ipairs(PHONE_FIELDS) do
        phone = phone or context.to_text(ticket[field])
    end
    return {
        id = context.to_id(ticket.user_id),
        name = context.to_text(ticket.user_name) or context.to_text(ticket.reportedby),
        email = context.to_text(ticket.user_email) or context.to_text(ticket.emailaddress),
        phone = phone,
    }
end

-- Returns the actions array of a GET /Actions body ({"actions": [...]} or a bare array).
local function action_list(actions)
    if type(actions) ~= "table" then
        return {}
    end
    if type(actions.actions) == "table" then
        return actions.actions
    end
    return actions
end

--[[
Builds the prior notes: every action with text, oldest first (HaloPSA numbers a ticket's
actions 1, 2, 3 in the order they were added), without halyard's own notes. A note is halyard's
own when it carries the marker and, when api_agent_id is known, was written by that agent:
anyone can type the marker into a reply, and a reply must not vanish from the agent's context.
Returns the notes and the number of halyard notes left out.
]]
local function build_notes(actions, api_agent_id)
    local notes = {}
    local own = 0
    for _, action in ipairs(action_list(actions)) do
        if type(action) == "table" then
            local author = context.to_id(action.who_agentid) or context.to_id(action.actionby_agent_id)
            if note.is_own(action.note_html, action.note)
                    and (api_agent_id == nil or author == api_agent_id) then
                own = own + 1
            else
                local text = body_text(action.note, action.note_html, "drop")
                if text ~= nil then
                    notes[#notes + 1] = {
                        id = context.to_id(action.id),
                        who = context.to_text(action.who),
                        date = context.to_text(action.datetime),
                        outcome = context.to_text(action.outcome),
                        hidden = action.hiddenfromuser == true,
                        text = text,
                    }
                end
            end
        end
    end
    table.sort(notes, function(a, b)
        return (a.id or 0) < (b.id or 0)
    end)
    return notes, own
end

local function build_ticket(ticket)
    local priority = ticket.priority
    if type(priority) ~= "table" then
        priority = {}
    end
    return {
        id = context.to_id(ticket.id),
        summary = context.to_text(ticket.summary) or "",
        details = body_text(ticket.details, ticket.details_html, "drop") or "",
        status = reference(ticket.status_id, ticket.status_name),
        priority = reference(ticket.priority_id, ticket.priority_name or priority.name),
        type = reference(ticket.tickettype_id, ticket.tickettype_name),
        team = reference(ticket.team_id, ticket.team),
        agent = reference(ticket.agent_id, ticket.agent_name),
        client = reference(ticket.client_id, ticket.client_name),
        site = reference(ticket.site_id, ticket.site_name),
        category = context.to_text(ticket.category_1),
        date_occurred = context.to_text(ticket.dateoccurred),
    }
end

--[[
Returns the seconds since 1970-01-01 UTC of a HaloPSA date-time, or nil when value is not one.
HaloPSA writes ISO 8601 in UTC, with or without a fraction and a "Z"; a value with no offset is
UTC too. A value with another offset ("+01:00", at most 14 hours) is read with its offset. A date
that does not exist (31 April), or one before 1970 (HaloPSA's "1900-01-01T00:00:00" means
none), gives nil.
]]
function context.iso_seconds(value)
    if type(value) ~= "string" then
        return nil
    end
    local year, month, day, hour, minute, second, rest =
        value:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)[T ](%d%d):(%d%d):(%d%d)(.*)$")
    if year == nil then
        return nil
    end
    year, month, day = tonumber(year), tonumber(month), tonumber(day)
    hour, minute, second = tonumber(hour), tonumber(minute), tonumber(second)
    local leap = year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)
    local month_days = {31, leap and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
    if year < 1970 or month < 1 or month > 12 or day < 1 or day > month_days[month]
        or hour > 23 or minute > 59 or second > 60 then
        return nil
    end
    rest = rest:gsub("^%.%d+", "")
    local offset = 0
    if rest ~= "" and rest ~= "Z" then
        local sign, offset_hours, offset_minutes = rest:match("^([+-])(%d%d):?(%d%d)$")
        if sign == nil then
            return nil
        end
        offset_hours, offset_minutes = tonumber(offset_hours), tonumber(offset_minutes)
        if offset_hours > 14 or offset_minutes > 59 then
            return nil
        end
        offset = (offset_hours * 60 + offset_minutes) * 60
        offset = sign == "+" and offset or -offset
    end

    -- Days since 1970-01-01 of a proleptic Gregorian date, with March as the first month so
    -- that the leap day ends the year.
    local shifted = month <= 2 and year - 1 or year
    local era = shifted // 400
    local year_of_era = shifted - era * 400
    local day_of_year = (153 * (month + (month > 2 and -3 or 9)) + 2) // 5 + day - 1
    local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    local days = era * 146097 + day_of_era - 719468
    return days * 86400 + hour * 3600 + minute * 60 + second - offset
end

local function build_client(client)
    if type(client) ~= "table" then
        return nil
    end
    return {
        id = context.to_id(client.id),
        name = context.to_text(client.name),
        mode = context.to_text(client.mode) or "plan",
    }
end

--[[
Builds the context from decoded JSON: ticket (GET /Tickets/{id}), actions (GET /Actions
wrapper, or nil), client (halyard's imported client, or nil) and the run id. Returns the
context, or nil and a message when the ticket has no usable id.
The context: run_id; client {id, name, mode}; ticket {id, summary, details, status, priority,
type, team, agent, client, site, category, date_occurred} where status..site are {id, name};
requester {id, name, email, phone}; notes (newest last) and halyard_notes (how many of
halyard's own notes were left out).
]]
function context.build(ticket, actions, client, run_id)
    if type(ticket) ~= "table" then
        return nil, string.format("the ticket must be a JSON object, got %s", type(ticket))
    end
    local built = {
        run_id = context.to_text(run_id),
        ticket = build_ticket(ticket),
        requester = context.ticket_requester(ticket),
        client = build_client(client),
    }
    if built.ticket.id == nil then
        return nil, string.format("the ticket has no positive integer id (id = %s); pass the "
            .. "body of GET /api/Tickets/{id}", tostring(ticket.id))
    end
    local api_agent_id = type(client) == "table" and context.to_id(client.api_agent_id) or nil
    built.notes, built.halyard_notes = build_notes(actions, api_agent_id)
    return built
end

-- Returns the text fields the match rules read: summary, details and the notes' text.
-- The bytes of each field that matching reads. Words a request is recognised by come early,
-- and a field of several MB (pasted logs, an inline image) would otherwise spend the whole
-- instruction budget of the plan on normalising it.
context.MATCH_TEXT_MAX = 256 * 1024

-- Returns text cut to MATCH_TEXT_MAX bytes for matching ("" for nil).
function context.match_text(text)
    if text == nil then
        return ""
    end
    if #text > context.MATCH_TEXT_MAX then
        return text:sub(1, context.MATCH_TEXT_MAX)
    end
    return text
end

function context.match_fields(built)
    local notes = {}
    for _, item in ipairs(built.notes or {}) do
        notes[#notes + 1] = item.text
    end
    return {
        summary = context.match_text(built.ticket.summary),
        details = context.match_text(built.ticket.details),
        notes = context.match_text(table.concat(notes, "\n")),
    }
end

return context
