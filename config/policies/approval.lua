-- Classifies a technician's reply to an approval request as approve, deny or neutral.
--
-- halyard calls classify(text, options) for every new action on a ticket whose run waits for
-- approval. The policy follows the labelling rule in tests/data/replies/RULE.md. A reply is
-- "approve" only when it is a clear, unconditional, current yes to the whole plan in the
-- technician's own words. It is "deny" when it is a clear refusal that approves nothing, and
-- "neutral" otherwise. A wrong approval lets the agent act on a client's accounts, so every
-- doubt ends in neutral.
--
-- The policy runs inside halyard's script sandbox (string, table, math and utf8 only) and under
-- plain Lua 5.4 for the tests. Its patterns run on short lines or have no repetition that can
-- backtrack into another, so their time grows linearly with the text (the sandbox's time
-- limit cannot stop a pattern once it runs). It is one file because a policy file cannot load
-- another. An MSP replaces it by putting its own policies/approval.lua in its script folder.

local approval = {}

-- Replies longer than this (markup and quoted mail included) are neutral without analysis.
approval.MAX_INPUT_BYTES = 200000

-- The technician's own words longer than this are neutral, because a long text can hide a
-- condition or refusal that the word lists below do not know.
approval.MAX_OWN_BYTES = 4000

-- More tags than this in one HTML body makes the reply neutral.
approval.MAX_HTML_TAGS = 20000

-- Builds a set from a string of space-separated words.
local function word_set(text)
    local set = {}
    for word in text:gmatch("%S+") do
        set[word] = true
    end
    return set
end

-------------------------------------------------------------------------------------------
-- Step 1: HTML to text
-------------------------------------------------------------------------------------------

-- Tags that end a line of text: HTML's block-level elements, which a browser shows on a line
-- of their own, so a word before one never joins a word after it.
local BLOCK_TAGS = {
    p = true, div = true, br = true, li = true, ul = true, ol = true, tr = true, table = true,
    h1 = true, h2 = true, h3 = true, h4 = true, h5 = true, h6 = true, hr = true, pre = true,
    section = true, article = true, header = true, footer = true, dl = true, dt = true,
    dd = true, center = true, address = true, details = true, summary = true, figure = true,
    figcaption = true, fieldset = true, legend = true, caption = true, aside = true,
    nav = true, main = true, form = true, dialog = true, search = true, menu = true,
    hgroup = true, thead = true, tbody = true, tfoot = true, dir = true, listing = true,
    xmp = true, plaintext = true, optgroup = true, option = true, textarea = true,
}

-- Tags whose content is never the technician's words.
local HIDDEN_TAGS = {style = true, script = true, head = true, title = true, template = true}

-- Markers in an opening tag (lowercased) of a mail client's quote block. The block is skipped
-- up to its closing tag.
local QUOTE_BLOCK_MARKERS = {"gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote"}

-- Markers in an opening tag (lowercased) after which everything is quoted mail: Outlook puts
-- the quoted message after its header block, not inside it.
local QUOTE_REST_MARKERS = {"divrplyfwdmsg", "appendonsend", "outlookmessageheader",
    "olk_src_body_section", "mail-editor-reference-message-container"}

local NAMED_ENTITIES = {
    nbsp = " ", amp = "&", lt = "<", gt = ">", quot = "\"", apos = "'", rsquo = "'",
    lsquo = "'", rdquo = "\"", ldquo = "\"", sbquo = "'", bdquo = "\"", ndash = "-",
    mdash = "-", minus = "-", hellip = "...", bull = " ", middot = " ", laquo = "\"",
    raquo = "\"", lsaquo = "'", rsaquo = "'", shy = "", zwj = "", zwnj = "", lrm = "",
    rlm = "", ensp = " ", emsp = " ", thinsp = " ", copy = "(c)", reg = "(r)",
    trade = "(tm)", times = "x", prime = "'", Prime = "\"",
}

-- Tags whose content a mail reader may not show: fallback content, embedded documents and
-- struck-through text. They are read both ways, like an element with a hiding style.
local CONCEALING_TAGS = {noscript = true, iframe = true, object = true, xml = true, svg = true,
    s = true, strike = true, del = true}

-- Tags without content or a closing tag: hiding one hides no text.
local VOID_TAGS = {img = true, br = true, hr = true, input = true, meta = true, link = true,
    area = true, base = true, col = true, embed = true, source = true, track = true, wbr = true}

--[[
Character references and the attributes of a tag, read as a browser reads them. The helpers and
tables are local to this block, which keeps the file under Lua's limit of 200 active local
variables.
]]
local decode_entities, read_tag_attributes, find_tag_end
do
    -- Returns the UTF-8 text of a numeric character reference, or a space for an invalid code.
    local function decode_code_point(code)
        if code == nil or code <= 0 or code > 0x10FFFF or (code >= 0xD800 and code <= 0xDFFF) then
            return " "
        end
        if code == 0xA0 then
            return " "
        end
        return utf8.char(code)
    end

    local function decode_entity(name)
        local hex = name:match("^#[xX](%x+)$")
        if hex then
            return decode_code_point(tonumber(hex, 16))
        end
        local decimal = name:match("^#(%d+)$")
        if decimal then
            return decode_code_point(tonumber(decimal))
        end
        return NAMED_ENTITIES[name]
    end

    -- Decodes character references. The name is at most eight characters, so a stray "&" costs
    -- a bounded look-ahead. An unknown name stays as it is.
    function decode_entities(text)
        if not text:find("&", 1, true) then
            return text
        end
        return (text:gsub("&(#?[%w][%w]?[%w]?[%w]?[%w]?[%w]?[%w]?[%w]?);", decode_entity))
    end

    -- Attributes whose value can hide an element (is_hidden_element reads them).
    local HIDING_ATTRIBUTES = {style = true, class = true, color = true, ["aria-hidden"] = true}

    --[[
    Returns an opening tag (its text between "<" and ">") lowercased, with each attribute written
    again as ` name="value"`: character references in the value decoded (decode_entity) and
    quotes inside the value turned into spaces, so that they cannot end it early. Also returns
    true when the value of one of HIDING_ATTRIBUTES still contains "&" after decoding. A browser
    decodes every named reference of HTML, and numeric ones without their closing semicolon
    ("display&#58none"), so such a value may spell a hiding declaration or class that the
    policy cannot read. Each step moves forward, so the cost is linear in the tag's length.
    ]]
    function read_tag_attributes(tag)
        if not tag:find("=", 1, true) then
            return tag:lower(), false
        end
        local name_end = tag:match("^/?%a%w*()") or 1
        local parts = {tag:sub(1, name_end - 1):lower()}
        local unresolved = false
        local position = name_end
        while true do
            local first, last = tag:find("[^%s/][^%s/=]*", position)
            if first == nil then
                break
            end
            local name = tag:sub(first, last):lower()
            local value_start = tag:match("^%s*=%s*()", last + 1)
            if value_start == nil then
                parts[#parts + 1] = " " .. name
                position = last + 1
            else
                local quote = tag:sub(value_start, value_start)
                local value
                if quote == "\"" or quote == "'" then
                    local close = tag:find(quote, value_start + 1, true) or #tag + 1
                    value = tag:sub(value_start + 1, close - 1)
                    position = close + 1
                else
                    local stop = tag:find("%s", value_start) or #tag + 1
                    value = tag:sub(value_start, stop - 1)
                    position = stop
                end
                value = value:gsub("&(#?%w+);?", decode_entity):lower()
                if HIDING_ATTRIBUTES[name] and value:find("&", 1, true) then
                    unresolved = true
                end
                parts[#parts + 1] = " " .. name .. "=\"" .. value:gsub("[\"']", " ") .. "\""
            end
        end
        return table.concat(parts), unresolved
    end

    --[[
    Returns the position of the ">" that ends the tag opened by the "<" at open in html, or nil
    when none does. In a tag that starts with a name, a ">" inside a quoted attribute value
    does not end it, as in a browser: "<div title='a>b' hidden>" is one tag, and a quote that
    never closes runs to the end of html.
    ]]
    function find_tag_end(html, open)
        local close = html:find(">", open + 1, true)
        if close == nil or not html:find("^</?%a", open) then
            return close
        end
        local position = open + 1
        while true do
            local stop = html:find("[>=]", position)
            if stop == nil or html:sub(stop, stop) == ">" then
                return stop
            end
            local value_start = html:match("^%s*()", stop + 1)
            local quote = html:sub(value_start, value_start)
            if quote == "\"" or quote == "'" then
                local close_quote = html:find(quote, value_start + 1, true)
                if close_quote == nil then
                    return nil
                end
                position = close_quote + 1
            else
                position = value_start
            end
        end
    end
end

--[[
True when a CSS or attribute colour value (lowercase) is white, near white or transparent:
text in it is invisible on the white page of a mail reader. Near white is a hex or rgb()
colour whose every channel is at least 0xF0 (240), a named white ("white", "snow", "ivory")
or an hsl() lightness of at least 94%.
]]
local function is_invisible_colour(value)
    value = value:gsub("%s", ""):gsub("!important$", "")
    if value == "white" or value == "transparent" or value == "snow" or value == "ivory"
        or value == "whitesmoke" or value == "ghostwhite" or value == "floralwhite"
        or value == "mintcream" or value == "azure" or value == "seashell"
        or value:find("^rgba%(.*,0%.?0*%)$") ~= nil then
        return true
    end
    local hex = value:match("^#(%x+)$")
    if hex ~= nil and (#hex == 3 or #hex == 4) then
        return not hex:sub(1, 3):find("[^fF]")
    elseif hex ~= nil and (#hex == 6 or #hex == 8) then
        return not hex:sub(1, 6):gsub("..", function(pair)
            return tonumber(pair, 16) >= 0xF0 and "" or "x"
        end):find("x")
    end
    local red, green, blue = value:match("^rgba?%((%d+),(%d+),(%d+)[,%)]")
    if red ~= nil then
        return tonumber(red) >= 240 and tonumber(green) >= 240 and tonumber(blue) >= 240
    end
    local lightness = value:match("^hsla?%([^,]*,[^,]*,([%d%.]+)%%")
    return lightness ~= nil and (tonumber(lightness) or 0) >= 94
end

-- True when a CSS length shrinks text or a box to nothing: 0 in any unit, under 4px or 4pt,
-- or under 0.3em.
local function is_vanishing_size(number, unit)
    number = tonumber(number)
    if number == nil then
        return false
    end
    if number == 0 then
        return true
    end
    if unit == "px" or unit == "pt" then
        return number < 4
    end
    if unit == "em" or unit == "rem" then
        return number < 0.3
    end
    return unit == "%" and number < 30
end

--[[
True when an opening tag (lowercased) hides or disguises its element: display:none, the hidden
attribute, visibility:hidden, opacity near 0, a vanishing font size, height or width, Outlook's
mso-hide:all, white or transparent text, text moved off the page, a line through it,
aria-hidden, or a closed <details>. The attributes are read as a browser reads them
(read_tag_attributes), so "display&#58;none" hides too, and so does a hiding attribute with a
reference the policy cannot decode. Text nobody sees may not be the technician's answer, so
classify reads such a reply with and without it.
]]
local function is_hidden_element(tag)
    local lowered, unresolved = read_tag_attributes(tag)
    if unresolved then
        return true
    end
    -- A <details> without the open attribute shows only its <summary>.
    -- NOTE: the summary, which a reader does see, is hidden text here too, so an answer
    -- written only in the summary of a closed <details> is neutral.
    if (lowered == "details" or lowered:find("^details[%s/]"))
        and not lowered:find("%sopen[%s=/]") and not lowered:find("%sopen$") then
        return true
    end
    -- A CSS comment or escape inside a style attribute ("display:/**/none", "dis\play:none")
    -- can hide text in ways the patterns below do not read, so it counts as hiding.
    if lowered:find("style%s*=")
        and (lowered:find("/*", 1, true) or lowered:find("\\", 1, true)) then
        return true
    end
    -- Class names that common CSS frameworks give to hidden elements. The page that shows the
    -- note may define them, and the policy cannot see its style sheets.
    local classes = lowered:match("class%s*=%s*\"([^\"]*)\"") or lowered:match("class%s*=%s*'([^']*)'")
        or lowered:match("class%s*=%s*([^%s]+)") or ""
    for class in classes:gmatch("[%w%-_]+") do
        if class == "hidden" or class == "hide" or class == "d-none" or class == "sr-only"
            or class == "visually-hidden" or class == "invisible" then
            return true
        end
    end
    if lowered:find("display%s*:%s*none") or lowered:find("%shidden[%s/=]")
        or lowered:find("%shidden$") or lowered:find("visibility%s*:%s*hidden")
        or lowered:find("visibility%s*:%s*collapse") or lowered:find("mso%-hide%s*:%s*all")
        or lowered:find("aria%-hidden") or lowered:find("line%-through")
        or lowered:find("text%-indent%s*:%s*%-") or lowered:find("[%s;\"']left%s*:%s*%-")
        or lowered:find("[%s;\"']top%s*:%s*%-") or lowered:find("clip%s*:%s*rect")
        or lowered:find("clip%-path") or lowered:find("scale%(%s*0[%s,%)]") then
        return true
    end
    -- The frontier starts a declaration only at the start of a name, so the scan stays linear
    -- in the tag's length.
    for property, value in lowered:gmatch("%f[%a%-]([%a%-]+)%s*:%s*([^;\"']*)") do
        local number, unit = value:match("^([%d%.]+)(%a*%%?)")
        if property == "opacity" and (tonumber(number) or 1) < 0.2 then
            return true
        end
        if (property == "font-size" or property == "height" or property == "max-height"
            or property == "width" or property == "max-width" or property == "line-height")
            and number ~= nil and is_vanishing_size(number, unit) then
            return true
        end
        if property == "color" and is_invisible_colour(value) then
            return true
        end
    end
    for value in lowered:gmatch("%scolor%s*=%s*[\"']?([#%w]+)") do
        if is_invisible_colour(value) then
            return true
        end
    end
    return false
end

local function contains_any(text, markers)
    for _, marker in ipairs(markers) do
        if text:find(marker, 1, true) then
            return true
        end
    end
    return false
end

-- True when text looks like an HTML body: one of its first tags is a known HTML tag, or it
-- has a comment, which HaloPSA's HTML view hides.
local function looks_like_html(text)
    if text:find("<!--", 1, true) then
        return true
    end
    local position = 1
    for _ = 1, 50 do
        local first, last, name = text:find("</?(%a[%w]*)", position)
        if not first then
            return false
        end
        name = name:lower()
        if BLOCK_TAGS[name] or HIDDEN_TAGS[name] or name == "blockquote" or name == "span"
            or name == "html" or name == "body" or name == "b" or name == "i" or name == "u"
            or name == "a" or name == "font" or name == "strong" or name == "em"
            or name == "td" or name == "img" or name == "meta" then
            return true
        end
        position = last + 1
    end
    return false
end

-- Style sheets and heads read in one body. Each read may scan the rest of the body for its
-- closing tag, so more of them are taken to hide text rather than read.
local MAX_STYLE_SHEETS = 8

-- Declarations that hide text, as a style sheet may give them to a class.
local STYLE_SHEET_HIDING = {"display%s*:%s*none", "visibility%s*:%s*hidden",
    "mso%-hide%s*:%s*all", "font%-size%s*:%s*0[^%.%d]", "opacity%s*:%s*0[^%.%d]",
    "max%-height%s*:%s*0[^%.%d]", "height%s*:%s*0[^%.%d]"}

-- True when the element name (a style sheet or head) that starts after byte open_end of html
-- hides text with a declaration of STYLE_SHEET_HIDING, a white or near-white colour, a CSS
-- escape or an unclosed CSS comment.
local function style_sheet_hides(html, open_end, name)
    local closing_tag = "</" .. name:gsub("%a", function(letter)
        return "[" .. letter .. letter:upper() .. "]"
    end)
    local close = html:find(closing_tag, open_end + 1)
    -- Comments go first, because Outlook's sheets open with "<!--" and "/* Font Definitions */".
    -- An escape left after them ("dis\play") may spell any declaration, so it counts as hiding.
    local sheet = html:sub(open_end + 1, (close or #html + 1) - 1):lower():gsub("/%*.-%*/", "")
    if sheet:find("\\", 1, true) or sheet:find("/*", 1, true) then
        return true
    end
    for _, pattern in ipairs(STYLE_SHEET_HIDING) do
        if sheet:find(pattern) then
            return true
        end
    end
    for value in sheet:gmatch("%f[%a%-]color%s*:%s*([^;}]*)") do
        if is_invisible_colour(value) then
            return true
        end
    end
    return false
end

--[[
Converts an HTML body to plain text: tags are removed, block tags end a line, entities are
decoded, and quoted mail (blockquote, Gmail's and Outlook's quote blocks) is left out. Text
that a reader would not see (an element that is_hidden_element or CONCEALING_TAGS names, and
the rest of the body after an unclosed comment) is left out too, or kept when keep_hidden is
true. A style sheet that hides text may hide any element, so without keep_hidden such a body
has no text, and so has a body with more than MAX_STYLE_SHEETS style sheets. Returns the text,
the quoted text and whether any hidden text was found, or nil when the body has more than
MAX_HTML_TAGS tags. Unbalanced markup never fails: an unclosed quote block hides the rest of
the body, which can only make the reply neutral.
]]
local function html_to_text(html, keep_hidden)
    local parts = {}
    local quoted_parts = {}
    local position = 1
    local length = #html
    local skip_name, skip_depth, skip_is_quote = nil, 0, false
    local tag_count = 0
    local hidden_found = false
    local style_sheets = 0

    while position <= length do
        local open = html:find("<", position, true)
        local segment_end = open and open - 1 or length
        if segment_end >= position then
            local segment = html:sub(position, segment_end)
            if skip_name == nil then
                parts[#parts + 1] = segment
            elseif skip_is_quote then
                quoted_parts[#quoted_parts + 1] = segment
            end
        end
        if open == nil then
            break
        end

        if html:sub(open, open + 3) == "<!--" then
            -- A comment ends as a browser ends it: "<!-->" and "<!--->" are empty comments,
            -- and "--!>" ends one as "-->" does.
            local close
            if html:sub(open + 4, open + 4) == ">" then
                close = open + 2
            elseif html:sub(open + 4, open + 5) == "->" then
                close = open + 3
            else
                close = html:find("%-%-!?>", open + 4)
            end
            if close == nil then
                -- A browser hides the rest of the body; a plain-text reader shows it.
                hidden_found = true
                if keep_hidden and skip_name == nil then
                    parts[#parts + 1] = "\n" .. html:sub(open + 4)
                end
                break
            end
            position = html:find(">", close, true) + 1
        else
            local close = find_tag_end(html, open)
            if close == nil then
                break
            end
            tag_count = tag_count + 1
            if tag_count > approval.MAX_HTML_TAGS then
                return nil
            end
            local tag = html:sub(open + 1, close - 1)
            local slash, name = tag:match("^(/?)(%a[%w]*)")
            position = close + 1

            if name ~= nil then
                name = name:lower()
                local closing = slash == "/"
                if skip_name ~= nil then
                    -- Inside a skipped element: only count nesting of the same tag.
                    if name == skip_name then
                        if closing then
                            skip_depth = skip_depth - 1
                            if skip_depth == 0 then
                                skip_name = nil
                                parts[#parts + 1] = "\n"
                            end
                        elseif tag:sub(-1) ~= "/" then
                            skip_depth = skip_depth + 1
                        end
                    elseif skip_is_quote and BLOCK_TAGS[name] then
                        quoted_parts[#quoted_parts + 1] = "\n"
                    end
                elseif not closing then
                    -- Only these elements carry a mail client's quote markers.
                    local lowered = (name == "div" or name == "table" or name == "section"
                        or name == "span") and tag:lower() or ""
                    if contains_any(lowered, QUOTE_REST_MARKERS) then
                        quoted_parts[#quoted_parts + 1] = html:sub(close + 1)
                        return decode_entities(table.concat(parts)),
                            decode_entities(table.concat(quoted_parts)), hidden_found
                    end
                    -- Some clients mark a quote only by a left border on its block.
                    local left_border = lowered:match("border%-left%s*:%s*([^;\"']*)")
                    local bordered = left_border ~= nil and left_border:find("[1-9]") ~= nil
                        and not left_border:find("none", 1, true)
                    if name == "blockquote" or bordered
                        or contains_any(lowered, QUOTE_BLOCK_MARKERS) then
                        skip_name, skip_depth, skip_is_quote = name, 1, true
                        parts[#parts + 1] = "\n"
                    elseif name == "link" and tag:lower():find("stylesheet", 1, true) then
                        -- A style sheet the policy cannot read may hide any element.
                        hidden_found = true
                        if not keep_hidden then
                            return "", "", true
                        end
                    elseif HIDDEN_TAGS[name] then
                        skip_name, skip_depth, skip_is_quote = name, 1, false
                        if name == "style" or name == "head" then
                            style_sheets = style_sheets + 1
                        end
                        if (name == "style" or name == "head") and (style_sheets > MAX_STYLE_SHEETS
                            or style_sheet_hides(html, close, name)) then
                            -- A class may hide any element, so no text is known to be seen.
                            hidden_found = true
                            if not keep_hidden then
                                return "", "", true
                            end
                        end
                    elseif (CONCEALING_TAGS[name] or is_hidden_element(tag))
                        and tag:sub(-1) ~= "/" and not VOID_TAGS[name] then
                        hidden_found = true
                        if not keep_hidden then
                            skip_name, skip_depth, skip_is_quote = name, 1, false
                        end
                    elseif BLOCK_TAGS[name] then
                        parts[#parts + 1] = "\n"
                    elseif name == "td" or name == "th" or name == "wbr" then
                        parts[#parts + 1] = " "
                    end
                elseif BLOCK_TAGS[name] then
                    parts[#parts + 1] = "\n"
                elseif name == "td" or name == "th" then
                    -- A cell's end separates its words from the next cell's or row's.
                    parts[#parts + 1] = " "
                end
            end
        end
    end

    return decode_entities(table.concat(parts)), decode_entities(table.concat(quoted_parts)),
        hidden_found
end

-- Replaces typographic characters with their ASCII forms and line endings with "\n", so the
-- rest of the policy matches one spelling of each.
local function normalise_characters(text)
    text = text:gsub("\r\n?", "\n")
    -- A tab that starts a line indents it as four spaces do, so an indented quote stays
    -- indented (split_own_lines). Other tabs are one space.
    text = ("\n" .. text):gsub("\n\t", "\n    "):sub(2)
    text = text:gsub("\t", " ")
    text = text:gsub("\194\160", " ")             -- no-break space
    text = text:gsub("\226\128[\152\153\155\178]", "'") -- curly single quotes, prime
    text = text:gsub("\202\188", "'")                  -- modifier letter apostrophe
    text = text:gsub("\194\180", "'")                  -- acute accent typed as an apostrophe
    text = text:gsub("(%a)`(%a)", "%1'%2")              -- backtick typed as an apostrophe
    text = text:gsub("\226\128[\156\157\179]", "\"")    -- curly double quotes
    text = text:gsub("\226\128[\144-\149]", "-")         -- hyphens and dashes
    text = text:gsub("\226\136\146", "-")                -- minus sign
    text = text:gsub("\226\128\166", "...")              -- ellipsis
    text = text:gsub("\226\128[\139-\143]", "")          -- zero-width characters and marks
    text = text:gsub("\239\187\191", "")                 -- byte order mark
    text = text:gsub("\226\128[\168\169]", "\n")         -- line and paragraph separators
    -- Question marks of other scripts and forms: full-width, small, Arabic, interrobang,
    -- doubled, reversed and emoji.
    text = text:gsub("\239\188\159", "?"):gsub("\239\185\150", "?"):gsub("\239\184\150", "?")
    text = text:gsub("\216\159", "?"):gsub("\226\128\189", "?!"):gsub("\226\129[\135-\137]", "?!")
    text = text:gsub("\226\184\174", "?"):gsub("\226\157[\147\148]", "?")
    -- Colons of other scripts and forms: full-width, small, presentation form, modifier
    -- letters, ratio sign and Armenian full stop, so "Bob Stone：..." reads as "Bob Stone:...".
    text = text:gsub("\239\188\154", ":"):gsub("\239\185\149", ":"):gsub("\239\184\147", ":")
    text = text:gsub("\234\158\137", ":"):gsub("\203[\184\144]", ":"):gsub("\226\136\182", ":")
    text = text:gsub("\214\137", ":")
    return text
end

-------------------------------------------------------------------------------------------
-- Step 2: the technician's own lines
-------------------------------------------------------------------------------------------

-- Removes surrounding white space in time linear in the text's length.
local function trim(text)
    local first = text:find("%S")
    if first == nil then
        return ""
    end
    local _, last = text:find(".*%S", first)
    return text:sub(first, last)
end

-- Splits text into lines without a pattern that can match the empty string.
local function split_lines(text)
    local lines = {}
    local position = 1
    while true do
        local newline = text:find("\n", position, true)
        if newline == nil then
            lines[#lines + 1] = text:sub(position)
            return lines
        end
        lines[#lines + 1] = text:sub(position, newline - 1)
        position = newline + 1
    end
end

local MOBILE_FOOTERS = {
    "sent from my ", "sent from outlook", "sent from mail for", "sent from yahoo",
    "sent from samsung", "sent from proton", "sent via ", "get outlook for", "sent from gmail",
    "von meinem ", "envoy\195\169 de mon", "enviado desde mi", "inviato da ", "verzonden vanaf",
}

local SIGN_OFFS = {
    ["regards"] = true, ["kind regards"] = true, ["best regards"] = true,
    ["warm regards"] = true, ["warmest regards"] = true, ["many regards"] = true,
    ["rgds"] = true, ["kind rgds"] = true, ["kr"] = true, ["br"] = true,
    ["thanks"] = true, ["thank you"] = true, ["many thanks"] = true, ["thanks again"] = true,
    ["thanks very much"] = true, ["thanks so much"] = true, ["thx"] = true, ["ta"] = true,
    ["cheers"] = true, ["best"] = true, ["best wishes"] = true, ["all the best"] = true,
    ["sincerely"] = true, ["yours sincerely"] = true, ["yours"] = true, ["speak soon"] = true,
    ["talk soon"] = true, ["with thanks"] = true, ["much appreciated"] = true,
}

local DISCLAIMER_MARKERS = {"intended recipient", "disclaimer", "registered office",
    "registered in england", "registered in scotland", "registered in ireland",
    "registered in the uk", "company registration", "company number"}

-- True when a line (lowercased, trimmed) is a legal disclaimer or company registration line.
local function is_disclaimer(lower)
    if contains_any(lower, DISCLAIMER_MARKERS) then
        return true
    end
    local secret = lower:find("confidential", 1, true) or lower:find("privileged", 1, true)
    local about_mail = lower:find("e-mail", 1, true) or lower:find("email", 1, true)
        or lower:find("message", 1, true) or lower:find("attachment", 1, true)
    return secret ~= nil and about_mail ~= nil
end

local EXTERNAL_BANNER_MARKERS = {"originated from outside", "external email", "external e-mail",
    "external sender", "do not click links", "don't click links", "unless you recognise the sender",
    "unless you recognize the sender", "unless you trust the sender"}

-- Tags that a mail gateway puts before the first words of outside mail.
local EXTERNAL_TAGS = {"[external]", "[ext]", "*external*", "external:", "[external email]",
    "[external sender]"}

-- Returns a line without a mail gateway's tag at its start: "[EXTERNAL] Approved" reads
-- "Approved".
local function strip_external_tag(line)
    local first = line:find("%S")
    if first == nil or (line:sub(first, first) ~= "[" and line:sub(first, first) ~= "*"
        and line:sub(first, first):lower() ~= "e") then
        return line
    end
    local start = line:sub(first, first + 20):lower()
    for _, tag in ipairs(EXTERNAL_TAGS) do
        if start:sub(1, #tag) == tag then
            return line:sub(first + #tag)
        end
    end
    return line
end

-- True when a line (lowercased, trimmed) is a mail gateway's warning about outside mail.
local function is_external_banner(lower)
    return contains_any(lower, EXTERNAL_BANNER_MARKERS)
end

local function is_mobile_footer(lower)
    for _, footer in ipairs(MOBILE_FOOTERS) do
        if lower:sub(1, #footer) == footer then
            return true
        end
    end
    return false
end

--[[
True when a line (lowercased, trimmed) introduces quoted mail. Three shapes count:
- an attribution verb of ATTRIBUTION_VERBS right before the final ":" ("On <date>, <name>
  wrote:"), or followed by a sender with an e-mail address ("skrev Bob <bob@acme.example>:");
- any line that ends with ":" and names a sender by an e-mail address in "<>" and a date or a
  time (a digit), whatever its language;
- a line without the ":" that ends with an attribution verb, or with the verb and a sender
  ("On Mon, 3 Jun 2026 at 09:14 Dave Smith wrote", "Am 3. Juni 2026 um 09:14 schrieb Dave
  Smith"), when it has a time ("09:14"), a year or an e-mail address in "<>"
  (is_attribution_without_colon). A date alone is not enough, so "On Monday I read what Dave
  wrote" stays the writer's.
A full-width colon counts as ":", a line framed by dashes ("--- Bob Stone wrote ---") counts as
its words with a final ":", and the Chinese, Japanese and Korean verbs need no space before
them. Without an address, a verb after a program ("Authenticator wrote:", "the app wrote:") or
followed by ":" and a message ("wrote: invalid code") names no sender.
ATTRIBUTION_VERBS is local to this block, which keeps the file under Lua's limit of 200
active local variables.
]]
local is_attribution
do
    -- Attribution verbs of mail clients in European languages, lowercase: English, French, German,
    -- Dutch, Spanish, Portuguese, Italian, the Scandinavian languages, Icelandic, Finnish, Estonian,
    -- Polish, Slovak, Czech, Hungarian, Greek, Romanian, Lithuanian, Latvian, Russian and Turkish.
    local ATTRIBUTION_VERBS = {"wrote", "a \195\169crit", "schrieb", "schreef", "escribi\195\179",
        "escreveu", "ha scritto", "scrisse", "skrev", "skrifa\195\176i", "kirjoitti", "kirjutas",
        "napisa\197\130", "napisa\197\130a", "napisal", "napisala", "napsal", "napsala",
        "\195\173rta", "\206\173\206\179\207\129\206\177\207\136\206\181", "a scris",
        "ra\197\161\196\151", "rakst\196\171ja",
        "\208\189\208\176\208\191\208\184\209\129\208\176\208\187",
        "\208\189\208\176\208\191\208\184\209\129\208\176\208\187\208\176",
        "yazd\196\177", "pisze", "p\195\173\197\161e", "nap\195\173sal", "nap\195\173sala"}

    -- Attribution verbs of Chinese (simplified and traditional "xie dao"), Japanese ("kakimashita")
    -- and Korean ("jakseong") mail clients, in UTF-8. These scripts put no space before the verb
    -- ("... 09:14xie dao:"), so they match anywhere before the final ":".
    local CJK_ATTRIBUTION_VERBS = {"\229\134\153\233\129\147", "\229\175\171\233\129\147",
        "\230\155\184\227\129\141\227\129\190\227\129\151\227\129\159", "\236\158\145\236\132\177"}

    -- Words for a program rather than a person. "Authenticator wrote:" and "the app wrote:"
    -- report what an app showed, so they introduce no one's mail. A string, not a set, which
    -- keeps the policy's memory small: it is read only for a line with an attribution verb.
    local PROGRAM_WORDS = [[ app apps application authenticator system server website
        site portal page screen error message popup prompt window browser phone computer laptop
        pc device bot script tool program software service machine printer router firewall
        alert notification it outlook windows ]]

    -- Words of a sentence that an attribution does not have, so "On 3 June 2026 I read what
    -- Dave wrote" is the writer's sentence.
    local SENTENCE_WORDS = {["what"] = true, ["that"] = true, ["it"] = true, ["i"] = true,
        ["we"] = true, ["you"] = true, ["he"] = true, ["she"] = true, ["they"] = true,
        ["who"] = true, ["which"] = true, ["my"] = true, ["me"] = true, ["please"] = true}

    -- True when a line without the final ":" ends with an attribution verb, or with the verb
    -- and a sender of at most four words ("Am 3. Juni 2026 um 09:14 schrieb Dave Smith"). The
    -- line must have a time, a year or an address, and no word of SENTENCE_WORDS.
    -- True when the words before an attribution verb end with a program rather than a
    -- sender: "Authenticator wrote", "the app wrote". "My manager wrote" names a sender.
    local function names_program(before)
        local last = before:match("([%a']+)[^%a']*$")
        return last ~= nil and PROGRAM_WORDS:find("%s" .. last:gsub("'", "%%'") .. "%s") ~= nil
    end

    local function is_attribution_without_colon(lower, addressed)
        local timed = lower:find("%d:%d%d") or lower:find("%f[%d]%d%d%d%d%f[%D]")
        if not timed and not addressed then
            return false
        end
        for word in lower:gmatch("[%a']+") do
            if SENTENCE_WORDS[word] then
                return false
            end
        end
        local words = lower:gsub("<[^<>]*>", ""):gsub("[%s%.,]+$", "")
        for _, verb in ipairs(ATTRIBUTION_VERBS) do
            local first, last = words:find(verb, 1, true)
            while first ~= nil do
                local whole_word = first > 1 and not words:sub(first - 1, first - 1):find("[%w]")
                    and not words:sub(last + 1, last + 1):find("[%w]")
                -- "wrote: invalid code" reports a message on its own line, not a sender.
                local rest = words:sub(last + 1)
                local _, sender_words = rest:gsub("%S+", "")
                if whole_word and sender_words <= 4 and not rest:find("^%s*:")
                    and (addressed or not names_program(words:sub(1, first - 1))) then
                    return true
                end
                first, last = words:find(verb, last + 1, true)
            end
        end
        return false
    end

    function is_attribution(lower)
        if #lower >= 400 then
            return false
        end
        -- A full-width colon ends the attribution of Chinese and Japanese mail clients.
        lower = lower:gsub("\239\188\154%s*$", ":")
        -- A line framed by dashes, "=", "_" or "*" ("--- Bob Stone wrote ---") is an
        -- attribution when the words inside it are one with a final ":".
        local framed = lower:match("^[%-=_%*]+%s*(.-)%s*[%-=_%*]+$")
        if framed ~= nil and framed ~= "" then
            lower = framed:find(":$") and framed or framed .. ":"
        end
        local addressed = lower:find("<[^<>%s]+@[^<>%s]+>") ~= nil
        if not lower:find(":%s*$") then
            return is_attribution_without_colon(lower, addressed)
        end
        local dated = lower:find("%d") ~= nil
        if addressed and dated then
            return true
        end
        for _, verb in ipairs(CJK_ATTRIBUTION_VERBS) do
            if lower:find(verb .. "%s*:%s*$") then
                return true
            end
        end
        for _, verb in ipairs(ATTRIBUTION_VERBS) do
            local first, last = lower:find(verb, 1, true)
            if first ~= nil then
                local before = first == 1 and " " or lower:sub(first - 1, first - 1)
                local after = lower:sub(last + 1, last + 1)
                local whole_word = not before:find("[%w]") and not after:find("[%w]")
                if whole_word and (lower:find("^%s*:%s*$", last + 1) or addressed)
                    and (addressed or not names_program(lower:sub(1, first - 1))) then
                    return true
                end
            end
        end
        return false
    end
end

-- Field names that open an Outlook header block ("From:") and that may follow it within five
-- lines, in English, French, German, Spanish, Dutch and Italian.
local HEADER_OPENERS = word_set("from de von van da")
local HEADER_FIELDS = word_set("sent date to subject cc envoy\195\169 \195\160 \195\128 objet "
    .. "gesendet an betreff enviado para asunto fecha verzonden aan onderwerp inviato oggetto")

-- Returns the field name of a header line ("Sent:", "Envoy\195\169 :", "*To:*"), lowercased, or
-- nil. French puts a space before the colon.
local function header_field(line)
    local lower = trim(line):lower():gsub("^%*", "")
    return lower:match("^([%a\128-\255]+) ?:")
end

-- True when lines[index] starts an Outlook header block: "From:" with a sender's address in "<>",
-- or "From:" followed within five non-blank lines by "Sent:", "Date:", "To:" or "Subject:", or
-- the same fields in one of the languages above.
local function is_header_block(lines, index)
    if not HEADER_OPENERS[header_field(lines[index]) or ""] then
        return false
    end
    -- "From: Bob Stone <bob@acme.example>" alone names a sender the way a header does.
    if lines[index]:find("<[^<>%s]+@[^<>%s]+>%s*$") then
        return true
    end
    local seen = 0
    local next_index = index + 1
    while next_index <= #lines and seen < 5 do
        if lines[next_index]:find("%S") then
            seen = seen + 1
            if HEADER_FIELDS[header_field(lines[next_index]) or ""] then
                return true
            end
        end
        next_index = next_index + 1
    end
    return false
end

--[[
True when a line (lowercased, trimmed) opens or belongs to one of halyard's own notes: its title
("halyard asks for approval: plan ..."), its Execute mode sentence, its "To answer" paragraph or
its hidden run marker. core/app/execute_notes.c writes these. A reply that pastes the note
without a quote marker still quotes it, so the note's approval and refusal words never count.
]]
local function is_halyard_note_line(lower)
    lower = lower:gsub("^%[ticket #%d+%]%s*", "")
    return lower:find("^halyard asks for approval") ~= nil
        or lower:find("^halyard needs an assigned technician") ~= nil
        or lower:find("^this client's agent runs in execute mode") ~= nil
        or lower:find("the technician assigned to this ticket, adds a note or reply here", 1,
            true) ~= nil
        or lower:find("^halyard run %d+") ~= nil
end

-- Returns the index of the last line of a halyard note that starts at lines[first]: its footer
-- ("Plan 5d22e09f, run 77, ticket #3381.") and the run marker right after it, or nil. It may
-- read every line to the end, so split_own_lines keeps its result for later lines.
local function find_halyard_note_end(lines, first)
    for index = first, #lines do
        local lower = trim(lines[index]):lower()
        if lower:find("^plan %x+, run %d+, ticket #%d+") or lower:find("^halyard run %d+") then
            local next_index = index + 1
            while next_index <= #lines and trim(lines[next_index]) == "" do
                next_index = next_index + 1
            end
            if next_index <= #lines
                and trim(lines[next_index]):lower():find("^halyard run %d+") then
                return next_index
            end
            return index
        end
    end
    return nil
end

--[[
True when a line (lowercased, trimmed) is a separator above quoted or forwarded mail: a line of
underscores (Outlook), a line that starts with Apple Mail's "Begin forwarded message", or one of
FORWARD_LINES alone on its line, with or without dashes, underscores, "=", "*" or a final ":"
around it ("-----Original Message-----", "Forwarded message"). FORWARD_LINES is local to this
block, which keeps the file under Lua's limit of 200 active local variables.
]]
local is_separator
do
    -- The separator's words in English, French, German, Spanish, Italian, Dutch and
    -- Portuguese: the original message of a reply, a forward, and Apple Mail's "Begin
    -- forwarded message" in the languages other than English.
    local FORWARD_LINES = {
        ["original message"] = true, ["forwarded message"] = true,
        ["forwarded e-mail"] = true, ["forwarded email"] = true,
        ["message d'origine"] = true, ["message transf\195\169r\195\169"] = true,
        ["d\195\169but du message r\195\169exp\195\169di\195\169"] = true,
        ["urspr\195\188ngliche nachricht"] = true, ["weitergeleitete nachricht"] = true,
        ["anfang der weitergeleiteten nachricht"] = true,
        ["mensaje original"] = true, ["mensaje reenviado"] = true,
        ["inicio del mensaje reenviado"] = true,
        ["messaggio originale"] = true, ["messaggio inoltrato"] = true,
        ["inizio messaggio inoltrato"] = true,
        ["oorspronkelijk bericht"] = true, ["doorgestuurd bericht"] = true,
        ["begin doorgestuurd bericht"] = true,
        ["mensagem original"] = true, ["mensagem encaminhada"] = true,
        ["in\195\173cio da mensagem reencaminhada"] = true,
    }

    function is_separator(lower)
        if lower:find("^__________+$") or lower:find("^begin forwarded message") then
            return true
        end
        if #lower > 80 then
            return false
        end
        local words = lower:gsub("^[%-_=%*%s]+", ""):gsub("[%-_=%*%s:]+$", "")
        return FORWARD_LINES[words:gsub("%s+", " ")] == true
    end
end

-- Words that keep a line from being read as a signature's name or title line, so
-- "Thanks\nTom\nP.S. don't revoke" keeps its last line, and "Approved\n\nTomorrow" and
-- "Approved\n\nAnd Tom" keep their time and their added person.
local DECISION_LIKE_WORDS = word_set([[approved approve approval go yes no don't dont do stop
    cancel please denied deny proceed not nope yep yeah hold wait abort reject lgtm sure fine
    ok okay y n k only except but if unless until never ps p and also too plus as instead
    first after before later today tonight tomorrow morning afternoon evening weekend lunch
    monday tuesday wednesday thursday friday saturday sunday why what how when where who which
    skip step steps revoke reset unlock leave keep instead next week month eod cob eow tbc cab
    pending noon midnight]])

-- Parts of a company, contact or notice line in a signature.
local SIGNATURE_MARKERS = {"@", "www.", "http", "ltd", "limited", "llc", "plc", "gmbh",
    "inc.", "partner", "supplier", "reseller", "|", "tel", "phone", "mobile", "t:", "m:",
    "e:", "do not reply", "don't reply", "noreply", "no-reply", "linkedin"}

--[[
True when a line looks like part of a signature: a company, contact or notice line (it has
one of SIGNATURE_MARKERS or a number, and no word of CONDITION_WORDS), or a name or title line
(short, starts with a capital, no sentence punctuation at the end, no word of
DECISION_LIKE_WORDS). CONDITION_WORDS is local to this block, which keeps the file under Lua's
limit of 200 active local variables.
]]
local is_signature_line
do
    -- Words that, with "me", make a line with a number an instruction ("Call me first - ext
    -- 1234"), not a contact line.
    local CONDITION_WORDS = word_set([[first before after until unless only wait hold don't
        dont not stop but except]])

    function is_signature_line(line)
        local text = trim(line)
        if text == "" or #text > 80 then
            return false
        end
        local lower = text:lower()
        if contains_any(lower, SIGNATURE_MARKERS) or lower:find("%d%d%d%d") then
            for word in lower:gmatch("[%a']+") do
                if CONDITION_WORDS[word] and lower:find("%f[%a]me%f[%A]") then
                    return false
                end
            end
            return true
        end
        if not text:find("^%u") or text:find("[%.%?!:,;]$") then
            return false
        end
        local word_count = 0
        for word in lower:gmatch("[%a']+") do
            word_count = word_count + 1
            if DECISION_LIKE_WORDS[word] or word_count > 6 then
                return false
            end
        end
        return word_count > 0
    end
end

-- True when every non-blank line of lines from first on is a signature line.
local function rest_is_signature(lines, first)
    for index = first, #lines do
        if trim(lines[index]) ~= "" and not is_signature_line(lines[index]) then
            return false
        end
    end
    return true
end

-- A sign-off line, alone ("Kind regards,") or with a short name ("Thanks, Tom").
local function is_sign_off(line)
    if #line > 80 then
        return false
    end
    local lower = trim(line):lower()
    local words = lower:gsub("[%.,!%-]+$", "")
    if SIGN_OFFS[words] then
        return true
    end
    local greeting, name = trim(line):match("^([%a ]+),%s*(%u[%a%.%-]*%s?[%a%.%-]*)$")
    return greeting ~= nil and SIGN_OFFS[greeting:lower()] == true and #name <= 30
end

--[[
Splits plain text into the writer's own lines and the lines left out. Left out as quoted mail:
- ">" lines, and everything below an attribution line (one to three lines), a header block, a
  separator (is_separator) or a forwarded mail's subject line ("FW: can't log in");
- a chat app's pasted message: a "[10:42] Dave Smith" or "Dave Smith 10:42 AM" line and the
  lines after it up to a blank line;
- a quotation that someone else said ("Dave said: \"...\"", "he asked '...'").
An attribution followed by ">" lines or by lines indented by four spaces or a tab hides only
those lines, and so does a line reporting someone else's words ("Dave sent me this:") followed
by indented lines. So an answer written below such a quote still counts. Left out as
signature: everything below a "--" separator, a mobile footer or a disclaimer. Returns
own_lines, quoted_text and signature_text, or nil when the own lines (counting one byte per
line break) pass twice MAX_OWN_BYTES. The helpers are local to this block, which keeps the file
under Lua's limit of 200 active local variables.
]]
local split_own_lines
do
    --[[
    Returns text with look-alike letters folded to ASCII, for reading who speaks on a line and
    comparing names, never for reading the answer itself: classify keeps the letters as
    written, so that a look-alike letter in an answer makes the reply neutral. A word is folded
    when each of its letters outside ASCII is fullwidth, mathematical, circled, squared or a
    letter of LOOK_ALIKE_TEXT (small capitals, letters of other scripts that look Latin). It is then written with one
    capital, as the plain name would be: "ʙᴏʙ sᴛᴏɴᴇ:" and "Ｂｏｂ Ｓｔｏｎｅ:" read "Bob Stone:".
    A word with any other letter ("έγραψε", "Иван") stays as written. Arrows become "->".
    Line breaks stay where they are. The letters are those of LOOK_ALIKE_TEXT, the table of
    policies/sensitive.lua (tests/policies/approval_cases.lua checks that the two fold alike).
    ]]
    local fold_look_alikes
    do
        local LOOK_ALIKE_TEXT = [[
00B2 2 3 - - - - - 1
0180 b B B b - - - C c D D D d - - - E F f G - - I I K k l - - N n O O o - - P p - - - - - t T t
     T U u - V Y y Z z
01C4 DZ Dz dz LJ Lj lj NJ Nj nj A a I i O o U u U u U u U u U u
01DE A a A a
01E2 AE ae G g G g K k O o O o
01F0 j
01F1 DZ Dz dz G g
01F8 N n A a
01FC AE ae O o A a A a E e E e I i I i O o O o R r R r U u U u S s T t
021E H h N d - - Z z A a E e O o O o O o O o Y y l n t j - - A C c L T s z - - B - - E e J j - q
     R r Y y - a - b - c d d - - - e
0260 g g g - - - h - i i i l l l - - - m n n n o - - - - - - r r r - r - s - - - - - t u - v - -
     - y z z - - - - - - - b - - h j - l
02A0 q - - - - - - - - - - - - - - - h - j r - - - w y
02E1 l s x
037F J - - - - - - A - E H I - O - Y - i A B - - E Z H - I K - M N - O - P - - T Y - X - - I Y a
     e n i u a - y - e - n - i k - - v
03BF o - p s - - u - x - w i u o u w - - - Y Y Y - - - - - - - F
03F0 k p c j - e - - - C M - - - - - - - - - - S I - J - - - - - - - A - B - - E - - - - K - M H
     O - P C T - - X
0430 a - - - - e - - - - - - - - o - p c - y - x - - - - - - - - - - - - - - - s i - j
0474 V v
0493 f - - - - - - - - - - - - - k - - - - - - - - - - - - - y - - - - - - - - - - - h - - - - I
     - - - - - - - - - - - - - - l
0501 d
051A Q q W w
054D U - S - - - - - O
0566 q - - - - - - - - - h - - - - j - - n - - - - u - - - g - - - o
10E7 y
13A0 D R T - - i - - - Y A J E - - - - - - W - - - M - - - H - - - - G - h Z - - - - - - - - - -
     - b - - R - - S - - - V S - - - L C
13E2 P - - - K d - - - - - - - - - - - G B - - - - - - g b
142F V
144C U - N - - - - - - C
146B q - P - d - - b
148D J
14AA L
1515 S
1541 x
157C H - - - - - - - - - - R
15B4 F
15C5 A
15DE D - - - - - - - - - - A D - - - - W M - - - E - - B
161C G
166D X
1D00 a
1D01 ae
1D03 b c d d e - - j k l m n o - o - - - - - - p r r t u - - - v w z - - - - - - - - - A
1D2D AE B
1D30 D E - G H I J K L M N - O - P R T U W a - - - b d e - - - g - k m - o - - - p t u - - v - -
     - - - - i r u v - - - - - - b d f m
1D70 n p r r s t z
1D7A th
1D7D p - - b d f g k l m n p r s - v x z a - d e - - - i - - u - - c - - - f
1DBB z
1E00 A a B b B b B b C c D d D d D d D d D d E e E e E e E e E e F f G g H h H h H h H h H h I i
     I i K k K k K k L l L l L l L l M m
1E40 M m M m N n N n N n N n O o O o O o O o P p P p R r R r R r R r S s S s S s S s S s T t T t
     T t T t U u U u U u U u U u V v V v
1E80 W w W w W w W w W w X x X x Y y Z z Z z Z z h t w y a s - - - - A a A a A a A a A a A a A a
     A a A a A a A a A a E e E e E e E e
1EC0 E e E e E e E e I i I i O o O o O o O o O o O o O o O o O o O o O o O o U u U u U u U u U u
     U u U u Y y Y y Y y Y y - - - - Y y
1F00 a a a a a a a a A A A A A A A A e e e e e e - - E E E E E E - - n n n n n n n n H H H H H H
     H H i i i i i i i i I I I I I I I I
1F40 o o o o o o - - O O O O O O - - u u u u u u u u - Y - Y - Y - Y w w w w w w w w - - - - - -
     - - a a e e n n i i o o u u w w
1F80 a a a a a a a a A A A A A A A A n n n n n n n n H H H H H H H H w w w w w w w w - - - - - -
     - - a a a a a - a a A A A A A - i
1FC2 n n n - n n E E H H H - - - i i i i - - i i I I I I - - - - u u u u p p u u Y Y Y Y P - - -
     - - w w w - w w O O
2070 0 i - - 4 5 6 7 8 9 - - - - - n 0 1 2 3 4 5 6 7 8 9 - - - - - - a e o x - h k l m n p s t
2102 C - - - - - - - g H H H h h I I L l - N - - - P Q R R R - - - - - - Z - - - Z - K A B C e e
     E F - M o - - - - i - - - y
2145 D d e i j
2160 I
2161 II III IV V VI VII VIII IX X XI XII L C D M i ii iii iv v vi vii viii ix x xi xii l c d m
2460 1 2 3 4 5 6 7 8 9 - - - - - - - - - - - 1 2 3 4 5 6 7 8 9 - - - - - - - - - - - 1 2 3 4 5 6
     7 8 9 - - - - - - - - - - - a b c d
24A0 e f g h i j k l m n o p q r s t u v w x y z
24EA 0 - - - - - - - - - - 1 2 3 4 5 6 7 8 9 - 0
2776 1 2 3 4 5 6 7 8 9 - 1 2 3 4 5 6 7 8 9 - 1 2 3 4 5 6 7 8 9
2C60 L l L P R a t H h K k Z z - M - - v W w v - - - e - o - j V S Z A a B - - - - - E e - - Z -
     H - - - I i K k - - M - N - - - O o
2CA2 P p C c T - Y - - - X x
A4D0 B P d D T - G K - J C - Z F - M N L S R - - V H - - W X Y - A - E - I O U
A730 f s
A73A AV av
A740 K k K k K k - - L l O o O o - - P p P p P p Q q Q q - - - - V v
A78E l - N n C c c h B b F f - - - - - - G g K k N n R r S s H - - L - q - - J - - - - - U u - -
     - - - - - - - - C S Z D d S s
A7F2 C F Q
AB34 e - - l l l m n - - - - - - - - - - - - - r - - - - u - - - u - - - x x x x y
AB70 d r t - - i - - - y a j e - - - - - - w - - - m - - - h - - - - g - h z - - - - - - - - - -
     - b - - r - - s - - - v s - - - l c
ABB2 p - - - k d
1D6A4 i j
1F100 0 0 1 2 3 4 5 6 7 8 9 - - - - - A B C D E F G H I J K L M N O P Q R S T U V W X Y Z - - -
     - - - A B C D E F G H I J K L M N O P
1F140 Q R S T U V W X Y Z - - - - - - A B C D E F G H I J K L M N O P Q R S T U V W X Y Z - - -
     - - - A B C D E F G H I J K L M N O P
1F180 Q R S T U V W X Y Z
1F1E6 A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
]]
        -- For tests/policies/approval_cases.lua, which compares it and fold_look_alikes with
        -- the sensitive policy's table and fold.
        approval.LOOK_ALIKE_TEXT = LOOK_ALIKE_TEXT

        -- The lines of LOOK_ALIKE_LINES packed in one string, five bytes each: the line's first
        -- code point and where its letters start in LOOK_ALIKE_LINES. The lines are sorted and do
        -- not overlap, so a binary search finds a code point's line. One string rather than a
        -- table of lines keeps the policy's memory small.
        local LINE_BYTES = 5
        local LINE_INDEX
        -- A line of the table may go on over lines that start with spaces: joined, each line
        -- of LOOK_ALIKE_LINES is one line of the table.
        local LOOK_ALIKE_LINES = LOOK_ALIKE_TEXT:gsub("\n +", " ")
        do
            local records = {}
            for first, letters_at in LOOK_ALIKE_LINES:gmatch("(%x+) ()[^\n]+") do
                records[#records + 1] = string.pack("<I3I2", tonumber(first, 16), letters_at)
            end
            LINE_INDEX = table.concat(records)
        end

        -- Returns what a look-alike character (its code point) folds to by LOOK_ALIKE_TEXT, or
        -- nil when no line has it or its line has "-".
        local function look_alike_letter(code)
            local low, high, found = 1, #LINE_INDEX // LINE_BYTES, nil
            while low <= high do
                local middle = (low + high) // 2
                if string.unpack("<I3", LINE_INDEX, (middle - 1) * LINE_BYTES + 1) <= code then
                    found, low = middle, middle + 1
                else
                    high = middle - 1
                end
            end
            if found == nil then
                return nil
            end
            local first, letters_at = string.unpack("<I3I2", LINE_INDEX,
                (found - 1) * LINE_BYTES + 1)
            -- The letter is word number code - first + 1 of the line. Letters are one space
            -- apart and a line ends with "\n", so a word past the line's end matches nothing.
            -- No line has more than 64 letters.
            local offset = code - first
            if offset > 63 then
                return nil
            end
            local letter = LOOK_ALIKE_LINES:match("^" .. string.rep("%S+ ", offset) .. "(%S+)",
                letters_at)
            return letter ~= "-" and letter or nil
        end

        -- Returns the ASCII letter or digit that one character (a code point) folds to, or nil.
        local function fold_code(code)
            if code >= 0xFF01 and code <= 0xFF5E then
                return string.char(code - 0xFF00 + 0x20)
            elseif code >= 0x1D400 and code <= 0x1D6A3 then
                local offset = (code - 0x1D400) % 52
                return string.char(offset < 26 and 0x41 + offset or 0x61 + offset - 26)
            elseif code >= 0x1D7CE and code <= 0x1D7FF then
                return string.char(0x30 + (code - 0x1D7CE) % 10)
            elseif code >= 0x24B6 and code <= 0x24E9 then
                return string.char((code <= 0x24CF and 0x41 or 0x61 - 26) + code - 0x24B6)
            end
            return look_alike_letter(code)
        end

        -- The UTF-8 forms of arrows: U+2190 to U+21FF, U+27F0 to U+27FF, U+2900 to U+297F,
        -- U+2794 to U+27BF, U+2B00 to U+2B0D, U+2B95, the triangles U+25B6, U+25B8 and U+25BA,
        -- U+276F, U+27E9, U+203A, U+00BB, U+3009 and U+300B.
        local ARROW_PATTERNS = {"\226\134[\144-\191]", "\226\135[\128-\191]",
            "\226\159[\169\176-\191]", "\226[\164\165][\128-\191]", "\226\158[\148-\191]",
            "\226\172[\128-\141]", "\226\174\149", "\226\150[\182\184\186]", "\226\157\175",
            "\226\128\186", "\194\187", "\227\128[\137\139]"}

        -- Returns word folded and written with one capital, or nil when it has a character
        -- outside ASCII that does not fold. folds caches each character's result for one text.
        local function fold_word(word, folds)
            local complete = true
            local folded = word:gsub("[\192-\247][\128-\191]*", function(character)
                local letter = folds[character]
                if letter == nil then
                    local ok, code = pcall(utf8.codepoint, character)
                    letter = ok and fold_code(code) or false
                    folds[character] = letter
                end
                complete = complete and letter ~= false
                return letter or nil
            end)
            if not complete then
                return nil
            end
            return (folded:lower():gsub("%a", string.upper, 1))
        end

        function fold_look_alikes(text)
            if not text:find("[\192-\247]") then
                return text
            end
            -- Arrows after a speaker's name ("Bob Stone → ...", "Bob Stone » ...") read as "->".
            -- None becomes ">", which would mark a line that starts with it as quoted.
            if text:find("[\194\226\227]") then
                for _, arrow in ipairs(ARROW_PATTERNS) do
                    text = text:gsub(arrow, "->")
                end
            end
            local folds = {}
            -- Words are read one by one, since a pattern around the first byte outside ASCII
            -- would read a long ASCII word again from each of its bytes.
            return (text:gsub("%S+", function(word)
                return word:find("[\192-\247]") and fold_word(word, folds) or nil
            end))
        end
        approval.fold_look_alikes = fold_look_alikes
    end

    -- Verbs that report someone else's words: "Dave said:", "my manager texted me".
    local REPORTING_VERBS = word_set([[said says asked asks wrote writes told tells texted
        emailed e-mailed messaged mentioned replied sent forwarded posted]])

    -- Subjects that make a report the writer's own: "I said", "as we asked".
    local OWN_SUBJECTS = word_set("i we i've we've i'd we'd i'll we'll")

    -- Words that may stand between a subject and its reporting verb: "I have just said".
    local AUXILIARIES = word_set("have has had just also already then once")

    -- Subject prefixes of a forwarded mail: English, German ("WG:"), French ("TR:") and
    -- Spanish ("RV:"). Italian's "I:" is left out, because "I:" also starts an English line.
    local FORWARD_PREFIXES = word_set("fw fwd wg tr rv")

    -- Words of a request that the first line of a wrapped attribution does not have, so
    -- "Please reset my password before 2027" above "Dave wrote:" stays the writer's.
    local REQUEST_WORDS = word_set([[please pls can could would need needs help reset unlock
        give grant add remove my me i we you]])

    -- Returns the number of lines, one to three, of an attribution that starts at
    -- lines[index] (lower is that line, lowercased and trimmed), or nil. A mail client wraps a
    -- long attribution: "On Mon, 3 Jun 2026 at 09:14 Dave Smith\n<dave@acme.example>
    -- wrote:". A first line ending with ".", "?" or "!" is a sentence of its own, so a request
    -- above "Dave wrote:" stays the writer's.
    local function attribution_length(lines, index, lower)
        if is_attribution(lower) then
            return 1
        end
        if #lower >= 200 or lower:find("[%.%?!]$") then
            return nil
        end
        for word in lower:gmatch("[%a']+") do
            if REQUEST_WORDS[word] then
                return nil
            end
        end
        if not lower:find("^on ") and not lower:find("%d:%d%d")
            and not lower:find("%f[%d]%d%d%d%d%f[%D]") then
            return nil
        end
        local joined = lower
        for extra = 1, 2 do
            local next_lower = trim(lines[index + extra] or ""):lower()
            if next_lower == "" or #next_lower >= 200 then
                return nil
            end
            -- A next line that names its own sender ("Dave wrote:") is an attribution by itself,
            -- below a line of the writer's.
            if extra == 1 and is_attribution(next_lower)
                and lines[index + 1]:gsub("%b<>", ""):find("%f[%w]%u") then
                return nil
            end
            joined = joined .. " " .. next_lower
            if is_attribution(joined) then
                return extra + 1
            end
        end
        return nil
    end

    local function is_indented(line)
        return line:find("^    +%S") ~= nil
    end

    -- Words of a heading or a form field, not of a sender's name: "Update 09:14 AM", "Last
    -- edited 09:14", "Sent: 05/12/2026 09:14".
    local NOT_NAME_WORDS = word_set([[update updated edit edited last note notes status sent
        posted received meeting call since from at on new error log entry reminder message
        ticket incident locked started time date deadline due logged reported opened closed
        submitted created changed modified]])

    -- True when text (lowercased) has the address email as a whole address, not as the start
    -- or the end of a longer one ("jane.doe@acme.example.evil.example",
    -- "xjane.doe@acme.example"). A sentence's full stop may follow it.
    local function has_address(text, email)
        local first, last = text:find(email, 1, true)
        while first ~= nil do
            local before = text:sub(first - 1, first - 1)
            local after = text:sub(last + 1, last + 2)
            if not before:find("[%w%.%-_+%%']") and not after:find("^[%w%-_]")
                and not after:find("^%.[%w%-_]") then
                return true
            end
            first, last = text:find(email, first + 1, true)
        end
        return false
    end

    -- True when words (lowercased) name the writer: her e-mail address, or her name as whole
    -- words. writer is nil when the caller did not say who wrote the text.
    -- NOTE: a writer known by one word ("Jane") also matches "Jane Smith wrote:", so that quote
    -- is read as hers and she is challenged for it.
    local function names_writer(words, writer)
        if writer == nil then
            return false
        end
        if writer.email ~= nil and has_address(words, writer.email) then
            return true
        end
        if writer.name == nil then
            return false
        end
        local first, last = words:find(writer.name, 1, true)
        while first ~= nil do
            -- A hyphen or apostrophe joined to a letter goes on with the name: "Jane Doe-Smith"
            -- and "Mary-Jane Doe" are other people's names.
            if not words:sub(math.max(first - 2, 1), first - 1):find("[%w\128-\255][%-']?$")
                and not words:sub(last + 1, last + 2):find("^[%-']?[%w\128-\255]") then
                return true
            end
            first, last = words:find(writer.name, last + 1, true)
        end
        return false
    end

    -- True when a name part of a chat line is a person's name other than the writer's. It has
    -- min_words to four capitalised words, and none is a form field's label ("Sent:") or a word
    -- of DECISION_LIKE_WORDS or NOT_NAME_WORDS ("Tomorrow 10:42" is a time, "Update 09:14" a
    -- heading).
    local function is_chat_name(name, min_words, writer)
        local count = 0
        for word in name:gmatch("%S+") do
            count = count + 1
            local bare = word:lower():gsub("[%p]+$", "")
            if count > 4 or not word:find("^[%u\128-\255]") or word:find("%d")
                or word:find(":$") or DECISION_LIKE_WORDS[bare] or NOT_NAME_WORDS[bare] then
                return false
            end
        end
        return count >= min_words and not names_writer(name:lower(), writer)
    end

    -- Labels of a line that relays another person's message ("Message from Bob Stone: ...",
    -- "Voicemail from Bob Stone (ext 214): ...") and of a form's fields that name whom a
    -- request is from or for ("Name: Bob Stone", "Requested for: Bob Stone").
    local RELAYED_LABELS = word_set([[message messages msg voicemail text sms call note email
        e-mail mail chat dm reply request comment update quote forward forwarded received]])
    local PERSON_FIELDS = word_set([[name fullname requestedfor requestfor onbehalfof foruser
        employee employeename username staffname requester]])

    -- True when value (lowercased) names a person other than the writer: it has a letter, is
    -- not a word that means the writer ("me", "myself", "n/a") and does not name her.
    local function names_other_person(value, writer)
        value = trim(value:gsub("%(.-%)", " "))
        if not value:find("%a") or value == "me" or value == "myself" or value == "n/a"
            or value == "none" or value == "-" then
            return false
        end
        return not names_writer(value, writer)
    end

    --[[
    True when a line (trimmed) is the line of a chat app above a pasted message, in Microsoft
    Teams' or Slack's shapes: a time in brackets before the sender ("[10:42] Dave Smith",
    "[03/06/2026 10:42] Dave Smith:"), which may carry the message after a ":" on the same line,
    or the sender before a time ("Dave Smith 10:42 AM", "Dave Smith, Today at 10:42", "Dave
    Smith [10:42]"). Without brackets the sender needs two words, as Teams and Slack show a
    first and a last name, so a heading of one word above a time stays the writer's. A line
    naming the writer herself is her own earlier message.
    ]]
    local function is_chat_header(text, writer)
        if #text > 200 then
            return false
        end
        local stamp, after = text:match("^%[([^%]]*)%]%s*(.*)$")
        if stamp ~= nil then
            local name = after:match("^([^:]*):") or after
            return stamp:find("%d:%d%d") ~= nil and is_chat_name(name, 1, writer)
        end
        if #text > 80 then
            return false
        end
        local name = text:gsub("%]$", ""):gsub("%s*[AaPp]%.?[Mm]%.?$", "")
        name = name:match("^(.-)%d%d?:%d%d$") or name:match("^(.-)%d%d?:%d%d:%d%d$")
        if name == nil then
            return false
        end
        name = name:gsub("[%s,|%-%[]+$", "")
        name = name:gsub("%s[Tt]oday at$", ""):gsub("%s[Yy]esterday at$", "")
        name = name:gsub("%s%d+[/%.%-]%d+[/%.%-]%d+$", ""):gsub("[%s,|%-%[]+$", "")
        return is_chat_name(name, 2, writer)
    end

    -- Words that lead a line before ":" or stand in brackets but name no person: headings, a
    -- form's or a mail's field labels, greetings, pronouns, months and programs ("Note:",
    -- "Laptop: Dell", "Line Manager: Bob Stone", "Dear Team:", "Outlook: ..."). A string read
    -- by has_word, because a set of its 263 words took 11 KiB more of each MSP's Lua state.
    local NOT_SPEAKER_WORDS = [[ note nb ps pps re fw fwd subject urgent important fyi
        info information warning alert issue issues problem problems request requests question
        answer reason description details detail summary title name names full first last
        surname given middle preferred display user username login account accounts email
        e-mail mail mailbox address phone mobile tel telephone cell number extension ext laptop
        desktop computer device devices model make serial asset tag printer monitor location
        site office building floor room desk department dept team teams group company
        organisation organization client customer manager line job role position start end day
        days week due priority category type impact urgency reference ref order invoice po cost
        centre center budget approver requested requester requestor for to cc bcc attachment
        attachments link url password passwords mfa vpn licence license software hardware
        application app system service expected actual result results additional other comment
        comments feedback resolution cause workaround action actions required todo task tasks
        hi hello hey dear thanks thank cheers everyone support helpdesk help desk admin
        microsoft windows outlook google gmail apple zoom slack whatsapp onedrive sharepoint
        azure intune okta excel word chrome edge firefox browser halo halopsa sms text
        voicemail transcript recording call chat conversation message messages caller current
        previous contact emergency personal home work business billing shipping delivery
        yesterday january february march april may june july august september october november
        december ltd limited inc plc llc gmbh my our your his her their he she we they it you
        someone everybody somebody nobody anyone authenticator website portal page screen popup
        prompt window bot script tool program machine router firewall notification server
        error ]]

    -- Verbs of "Bob said: ..." that report a named person's words.
    local SPEAKER_VERBS = word_set([[said says asked asks wrote writes texted messaged replied
        emailed posted sent commented responded answered typed]])

    -- Words that tell that the text pastes a chat or relays someone's messages, so a speaker
    -- named by one word ("Bob: ...") counts. "Teams" and "Slack" count after "from", "on", "in"
    -- or "via" only, as a list of a starter's apps names them too.
    local CHAT_WORDS = word_set([[chat chats chatted whatsapp imessage transcript conversation
        convo messaged texted pasted]])
    local CHAT_APP_PHRASES = {"from teams", "on teams", "in teams", "via teams", "from slack",
        "on slack", "in slack", "via slack"}

    -- True when word (without spaces) is a word of list, a string of words between spaces. The
    -- lists of names and NOT_SPEAKER_WORDS are strings, not sets, which keeps the policy's
    -- memory small.
    local function has_word(list, word)
        return list:find("%s" .. word:gsub("%p", "%%%0") .. "%s") ~= nil
    end

    -- Titles before a person's name ("Dr. Bob Stone", "Mr Stone") and lowercase particles
    -- inside it ("Bob van der Berg", "Omar bin Said", "Omar al-Rashid").
    local NAME_TITLES = " dr mr mrs ms mx miss prof sir dame rev fr "
    local NAME_PARTICLES = " van der den de da das dos du del della di von zu bin binti ibn "
        .. "bint al el le la ter ten "

    -- Words that start a line as a sentence, not a name: "Sorry Bob - ...", "quick question:
    -- ..." in a chat. Words of headings in capitals or of lowercase lines follow them, read
    -- only in those cases, as some are surnames too ("Bob Low", "Ann Read"): "OUT OF OFFICE:
    -- ...", "HIGH PRIORITY: ...", "also: ..." in a chat.
    local NOT_NAME_COMMON_WORDS = [[ sorry quick thing things the a an of to in at with by from
        is are was be this that these those here there now then btw lol asap edit ]]
    local NOT_NAME_UNCASED_WORDS = [[ one two more new old read fix oh ah any some all final
        action required reminder attention notice security critical high low medium tip hint
        example out very top sensitive confidential private internal external general bug fault
        broken down outage again still just really can could would will should must need needs
        want wants cannot can't won't i'm it's ]]

    -- Words of two or more letters of a script without case (Chinese, Japanese, Korean,
    -- Arabic, Hebrew) that are labels, not names: "注意:" ("note"), "密码:" ("password").
    local CASELESS_LABELS = " \u{6CE8}\u{610F} \u{5907}\u{6CE8} \u{5BC6}\u{7801} "
        .. "\u{95EE}\u{9898} \u{56DE}\u{590D} \u{7B54}\u{590D} \u{56DE}\u{7B54} \u{4E3B}\u{9898} "
        .. "\u{7528}\u{6237} \u{7528}\u{6237}\u{540D} \u{7535}\u{8BDD} \u{90AE}\u{7BB1} "
        .. "\u{5730}\u{5740} \u{8BF4}\u{660E} \u{63CF}\u{8FF0} \u{539F}\u{56E0} \u{7ED3}\u{679C} "
        .. "\u{65F6}\u{95F4} \u{65E5}\u{671F} \u{63D0}\u{793A} \u{8B66}\u{544A} \u{9519}\u{8BEF} "
        .. "\u{4EF6}\u{540D} \u{540D}\u{524D} \u{8CEA}\u{554F} "

    -- Returns the number of letters of word when all of them are letters of a script without
    -- case (CJK ideographs, kana, Hangul syllables, Arabic or Hebrew letters), or 0.
    local function caseless_letters(word)
        if word:find("[%z\1-\127]") then
            return 0
        end
        local count = 0
        for char in word:gmatch("[\192-\255][\128-\191]*") do
            local first, second, third = char:byte(1, 3)
            local code = 0
            if #char == 2 then
                code = (first - 192) * 64 + (second - 128)
            elseif #char == 3 then
                code = (first - 224) * 4096 + (second - 128) * 64 + (third - 128)
            end
            if not ((code >= 0x05D0 and code <= 0x05EA) or (code >= 0x0620 and code <= 0x064A)
                or (code >= 0x066E and code <= 0x06D3) or (code >= 0x3041 and code <= 0x30FF)
                or (code >= 0x3400 and code <= 0x4DBF) or (code >= 0x4E00 and code <= 0x9FFF)
                or (code >= 0xAC00 and code <= 0xD7A3)) then
                return 0
            end
            count = count + 1
        end
        return count
    end

    -- Returns "title" for a capitalised word ("Bob", "O'Brien", "Smith-Jones", "Иван"),
    -- "capitals" for a word in capitals ("BOB") and "lower" for a lowercase word. Returns nil
    -- for a word with a digit, a sign or one letter, and for a label or a common word.
    local function name_word_case(word)
        if #word < 2 or word:find("[^%a\128-\255'%-]") then
            return nil
        end
        local bare = word:lower()
        if has_word(NOT_SPEAKER_WORDS, bare) or DECISION_LIKE_WORDS[bare] or NOT_NAME_WORDS[bare]
            or has_word(NOT_NAME_COMMON_WORDS, bare) then
            return nil
        end
        if word:find("^[%u\128-\255]") and word:find("[%l\128-\255]", 2) then
            return "title"
        end
        if has_word(NOT_NAME_UNCASED_WORDS, bare) then
            return nil
        end
        if word:find("^%u[%u'%-]*$") then
            return "capitals"
        end
        if word:find("^%l[%l'%-]*$") then
            return "lower"
        end
        return nil
    end

    --[[
    Returns the number of words of name when it looks like a person's name, or 0. A name has
    one to four words, each capitalised ("Bob", "O'Brien", "Smith-Jones") or all of them in
    capitals ("BOB STONE"), after an optional title ("Dr.", "Mr") that counts as a word and
    with lowercase particles between them that do not ("Bob van der Berg", "Omar al-Rashid").
    A name in a script without case is one word of two or more letters and counts as two, a
    whole name ("李伟"). With any_case, as in a text that reads as a chat, a name may also be
    all lowercase ("bob stone") or one word in capitals ("BOB"). No word has a digit or is a
    word of NOT_SPEAKER_WORDS, DECISION_LIKE_WORDS, NOT_NAME_WORDS or NOT_NAME_COMMON_WORDS,
    so headings in capitals ("URGENT", "ACTION REQUIRED") are not names. A company in brackets
    after the name ("Bob Stone (External)") is left out.
    NOTE: a product or heading of two capitalised words ("Sage Payroll: ...", "Reception Kiosk -
    ...") also reads as a person, so a request after it is held as another person's, not
    challenged.
    ]]
    local function person_name_words(name, any_case)
        if #name > 80 then
            return 0
        end
        name = name:gsub("%s*%b()%s*$", "")
        local words = {}
        for word in name:gmatch("%S+") do
            if #words >= 8 then
                return 0
            end
            words[#words + 1] = word
        end
        if #words == 1 and caseless_letters(words[1]) >= 2 then
            return has_word(CASELESS_LABELS, words[1]) and 0 or 2
        end
        local first = 1
        if #words >= 2 and has_word(NAME_TITLES, (words[1]:lower():gsub("%.$", ""))) then
            first = 2
        end
        local cases = {title = 0, capitals = 0, lower = 0}
        for index = first, #words do
            local word = words[index]
            local prefix, rest = word:match("^(%l+)[%-'](.+)$")
            if has_word(NAME_PARTICLES, word) and index > first and index < #words then
                word = nil
            elseif prefix ~= nil and has_word(NAME_PARTICLES, prefix) then
                word = rest
            end
            if word ~= nil then
                local case = name_word_case(word)
                if case == nil then
                    return 0
                end
                cases[case] = cases[case] + 1
            end
        end
        local count = cases.title + cases.capitals + cases.lower
        if count == 0 or count > 4 then
            return 0
        end
        if cases.lower > 0 and (not any_case or cases.lower < count) then
            return 0
        end
        if cases.capitals == count and count == 1 and first == 1 and not any_case then
            return 0
        end
        return count + first - 1
    end

    --[[
    Reads the label before a chat line's message. speaker_of_label returns the speaker a label
    names and whether words name her as the one who wrote or asked, or nil:
    - a name ("Bob Stone"), checked by person_name_words;
    - a name and a reporting verb, which may be followed by when or where ("Bob Stone said",
      "Bob Stone wrote on Thu, 3 Dec 2026 09:14", "Bob Stone wrote in Teams");
    - a name of two words or more, or none, and the person it is written for ("Jane Doe for Bob
      Stone", "Jane Doe on behalf of Bob Stone", "(for Bob Stone)"): the request is that
      person's, so he is the speaker;
    - a name and the person who passed it on ("Bob Stone via Jane Doe"): the first is the
      speaker;
    - a name and when or where, without a verb ("Bob Stone, 3 Dec 2026 09:14"), not reported.
    attribution_without_time returns an attribution line (lowercased, ending with ":") without
    the time or place after its verb ("bob stone wrote on 3 dec 2026:" reads "bob stone
    wrote:"), or nil when it has none. The lists are strings and arrays, not sets, which keeps
    the policy's memory small.
    ]]
    local speaker_of_label, attribution_without_time
    do
        -- Words of when or where after a reporting verb: days, months, parts of the day, apps.
        -- A word with a digit ("3", "09:14", "2026") counts too. "me", "us" and "this" are
        -- left out, because "Dave sent me this:" introduces an indented quote, read as such.
        local SPEAKER_TAIL_WORDS = [[ on at in via last yesterday today tonight
            morning afternoon evening night earlier ago just now am pm mon monday
            tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun
            sunday jan january feb february mar march apr april may jun june jul july aug
            august sep sept september oct october nov november dec december teams slack
            whatsapp chat sms text email e-mail mail signal imessage ]]

        -- Words that name the person a request is written for, and those that name who passed
        -- it on. "for" and "per" put the request on the second name, "via" keeps it on the
        -- first.
        local FOR_WORDS = {"on behalf of", "acting for", "o.b.o.", "o.b.o", "obo", "for", "per"}
        local VIA_WORDS = {"passed on by", "relayed by", "forwarded by", "sent by", "via",
            "through"}

        -- True when text (the rest of a label after a verb or a name) is only when or where:
        -- "on 3 Dec 2026", "(Thu 09:14)", "yesterday at 9am", "in Teams".
        local function is_speaker_tail(text)
            local count = 0
            for word in text:lower():gsub("[%(%),%./%-]", " "):gmatch("%S+") do
                count = count + 1
                if count > 10 or not (word:find("%d") or has_word(SPEAKER_TAIL_WORDS, word)) then
                    return false
                end
            end
            return count > 0
        end

        -- Returns the name before a reporting verb of label and true, or nil.
        local function speaker_before_verb(label, any_case)
            for start, word, finish in label:gmatch("()(%a+)()") do
                if SPEAKER_VERBS[word:lower()] and start > 1 then
                    local before = trim(label:sub(1, start - 1))
                    local rest = label:sub(finish)
                    if (trim(rest) == "" or is_speaker_tail(rest))
                        and person_name_words(before, any_case) > 0 then
                        return before, true
                    end
                    return nil
                end
            end
            return nil
        end

        -- Returns the name a label writes for or via, and true, or nil.
        local function speaker_by_relay(label)
            local lower = label:lower()
            for _, words in ipairs(FOR_WORDS) do
                local first, last = lower:find("%f[%w(]%(?" .. words:gsub("%p", "%%%0") .. "%s+")
                if first ~= nil then
                    local before = trim(label:sub(1, first - 1):gsub("[,%s]+$", ""))
                    local person = trim(label:sub(last + 1):gsub("%)%s*$", ""))
                    -- A heading of one word ("Access for Bob Stone:") is the writer's own
                    -- request for Bob.
                    if (before == "" or person_name_words(before, false) >= 2)
                        and person_name_words(person, true) > 0 then
                        return person, true
                    end
                end
            end
            for _, words in ipairs(VIA_WORDS) do
                local first = lower:find("[%s,(]+" .. words:gsub("%p", "%%%0") .. "%s+")
                if first ~= nil then
                    local before = trim(label:sub(1, first - 1))
                    if person_name_words(before, false) > 0 then
                        return before, true
                    end
                end
            end
            return nil
        end

        -- Returns the name before when or where in label ("Bob Stone on 3 Dec 2026", "Bob
        -- Stone, 09:14"), or nil. No verb reports the words, so the name is not reported.
        local function speaker_before_tail(label)
            for space in label:gmatch("()[%s,]") do
                if is_speaker_tail(label:sub(space)) then
                    local before = trim(label:sub(1, space - 1))
                    return person_name_words(before, false) > 0 and before or nil
                end
            end
            return nil
        end

        function speaker_of_label(label, any_case)
            if #label > 80 then
                return nil
            end
            -- "Jane Doe (for Bob Stone)" names Bob, not the company-like bracket after Jane.
            if not label:find("(", 1, true) and person_name_words(label, any_case) > 0 then
                return trim(label), false
            end
            if not label:find("%S%s+%S") then
                return nil
            end
            local name, reported = speaker_before_verb(label, any_case)
            if name == nil then
                name, reported = speaker_by_relay(label)
            end
            if name == nil and person_name_words(label, any_case) > 0 then
                return trim(label), false
            end
            if name == nil then
                return speaker_before_tail(label), false
            end
            return name, reported
        end

        function attribution_without_time(lower)
            local label = lower:match("^(.-):%s*$")
            if label == nil or #label > 200 then
                return nil
            end
            for start, word, finish in label:gmatch("()(%a+)()") do
                if SPEAKER_VERBS[word] and start > 1 then
                    local rest = label:sub(finish)
                    return trim(rest) ~= "" and is_speaker_tail(rest)
                        and label:sub(1, finish - 1) .. ":" or nil
                end
            end
            return nil
        end
    end

    --[[
    Returns the speaker named at the start of a chat line (trimmed) and whether words name her
    as the one who wrote or asked, or nil: "Bob Stone: ...", "[Bob Stone] ...", "<Bob Stone>
    ...", "Bob Stone said: ...", "Bob Stone - ...", "Bob Stone > ...", "Bob Stone -> ...", and
    the labels of speaker_of_label. A time in brackets before it is passed over ("[10:14] Jane
    Doe for Bob Stone: ..."), and a label may hold a time ("Bob Stone wrote at 09:14: ...").
    The name is checked by person_name_words, with any_case. The message may be on the next
    lines ("Bob Stone:" alone). A line with a second arrow is a path ("Control Panel > User
    Accounts > ..."), not a speaker.
    ]]
    local function chat_speaker(text, any_case)
        if #text > 1000 then
            return nil
        end
        if text:sub(1, 1) == "[" then
            local stamp, after_stamp = text:match("^%[([^%]]*)%]%s*(.*)$")
            if stamp ~= nil and stamp:find("%d:%d%d") and after_stamp ~= "" then
                text = after_stamp
            end
        end
        local name = text:match("^%[([^%]]+)%]") or text:match("^<([^<>]+)>")
        if name ~= nil then
            return speaker_of_label(name, any_case)
        end
        local label = text:match("^([^:]+):")
        if label ~= nil then
            local speaker, reported = speaker_of_label(label, any_case)
            if speaker == nil and label:find("%d$") then
                -- The colon of a time: the label goes on to the colon after it.
                label = text:match("^(.-%d:%d%d[^:]*):")
                speaker, reported = speaker_of_label(label or "", any_case)
            end
            if speaker ~= nil then
                return speaker, reported
            end
        end
        name = text:match("^(.-)%s+%-+%s+%S")
        if name ~= nil and #name <= 80 and person_name_words(name, any_case) > 0 then
            return trim(name), false
        end
        if text:find(">", 1, true) then
            local rest
            name, rest = text:match("^([^<>]-)%s*[%-=~]*>+%s*(.*)$")
            if name ~= nil and name ~= "" and not rest:find(">", 1, true) then
                return speaker_of_label(name, any_case)
            end
        end
        return nil
    end

    -- True when a speaker's name (as written) is the writer's whole name, after any title, or
    -- her first name alone, as chats name people ("Jane:" for Jane Doe), or has her e-mail
    -- address. A longer name that starts with hers ("Jane Doe-Smith") is another person's.
    local function speaker_is_writer(name, writer)
        local lower = trim(name:gsub("%s*%b()%s*$", "")):lower():gsub("%s+", " ")
        local title, rest = lower:match("^(%S+)%s+(.+)$")
        if title ~= nil and has_word(NAME_TITLES, (title:gsub("%.$", ""))) then
            lower = rest
        end
        if writer.email ~= nil and has_address(lower, writer.email) then
            return true
        end
        local first_name = writer.name and writer.name:match("^(%S+)%s")
        return lower == writer.name or (first_name ~= nil and lower == first_name)
    end

    --[[
    True when a line (text, and lower the same trimmed and lowercased) relays another person's words
    ("Message from Bob Stone: ...", "From Bob Stone: ...") or is a form's field naming another
    person as whom the request is from or for, so the text from it on is not the writer's own
    request. Only read when the caller says who the writer is: without her name a
    form's "Name:" could be anyone's, and a technician's reply names people freely.
    ]]
    local function is_relayed_line(text, lower, writer)
        if writer == nil then
            return false
        end
        local label, rest = lower:match("^([%a%-]+)%s+from%s+(.+)$")
        if label == nil then
            label, rest = lower:match("^([%a%-]+%s+[%a%-]+)%s+from%s+(.+)$")
        end
        if label ~= nil and (RELAYED_LABELS[label:match("%S+$")]
            or RELAYED_LABELS[label:match("^%S+")] or label:find("^voice")) then
            local name = rest:match("^(.-)%s*[:%(]") or rest
            return names_other_person(name, writer)
        end
        -- "From Bob Stone: ..." without a label names a sender when a name or an address
        -- follows, maybe with a time: "From Bob Stone on 3 Dec 2026: ...". "From Monday: ..."
        -- and "From now on: ..." name no one.
        local sender = lower:find("^%s*from%s") and trim(text):match("^%a+%s+([^:]-)%s*:")
        if sender then
            sender = sender:gsub("%s*%b()$", "")
            local address = sender:match("[%w%.%-_+]+@[%w%.%-]+")
            if address ~= nil then
                return not names_writer(address:lower(), writer)
            end
            local name = speaker_of_label(sender, false)
            return name ~= nil and not speaker_is_writer(name, writer)
        end
        local field, value = lower:match("^([%a%s%-]+):%s*(.+)$")
        if field == nil then
            return false
        end
        local key = field:gsub("[%s%-]+", "")
        if PERSON_FIELDS[key] then
            return names_other_person(value, writer)
        end
        if key == "email" or key == "emailaddress" then
            local address = value:match("[%w%.%-_+]+@[%w%.%-]+")
            return address ~= nil and not names_writer(address, writer)
        end
        return false
    end

    -- True when a line (trimmed) is only a chat app's time: "10:14", "10:14 AM", "[10:14]",
    -- "Today at 10:14", "Yesterday 10:14 PM".
    local function is_time_line(text)
        local lower = text:lower():gsub("^%[", ""):gsub("%]$", "")
        lower = lower:gsub("^today%s+", ""):gsub("^yesterday%s+", ""):gsub("^at%s+", "")
        return lower:find("^%d%d?:%d%d$") ~= nil or lower:find("^%d%d?:%d%d:%d%d$") ~= nil
            or lower:find("^%d%d?:%d%d%s*[ap]%.?m%.?$") ~= nil
    end

    --[[
    True when a text (and its lines) reads as a pasted chat or relayed messages: it has a word
    of CHAT_WORDS or a phrase of CHAT_APP_PHRASES, a chat app's time-stamped line
    (is_chat_header), or a back-and-forth of speakers (chat_speaker): two of them, one leading
    two lines or being the writer (speaker_is_writer). A form's labels ("Site:", "Door:") are
    each used once, so a form is not a chat. Only in a chat does a speaker named by one word
    ("Bob: ...") or a name alone on its line above a message count. Speakers are looked for
    in the first CHAT_SCAN_LINES lines only, which keeps a long text within the script budget.
    ]]
    local CHAT_SCAN_LINES = 200

    local function looks_like_chat(text, lines, writer)
        local lower_text = text:lower()
        for word in pairs(CHAT_WORDS) do
            if lower_text:find("%f[%a]" .. word .. "%f[%A]") then
                return true
            end
        end
        if contains_any(lower_text, CHAT_APP_PHRASES) then
            return true
        end
        local lines_by_speaker = {}
        local speakers, repeated, writer_speaks = 0, false, false
        for index = 1, math.min(#lines, CHAT_SCAN_LINES) do
            local line_text = trim(lines[index])
            if is_chat_header(line_text, nil) then
                return true
            end
            local speaker = chat_speaker(line_text, false)
            if speaker ~= nil then
                local key = speaker:lower()
                if lines_by_speaker[key] == nil then
                    speakers = speakers + 1
                    lines_by_speaker[key] = 0
                end
                lines_by_speaker[key] = lines_by_speaker[key] + 1
                repeated = repeated or lines_by_speaker[key] >= 2
                writer_speaks = writer_speaks or speaker_is_writer(speaker, writer)
                if speakers >= 2 and (repeated or writer_speaks) then
                    return true
                end
            end
        end
        return false
    end

    --[[
    Returns who leads a line of a pasted chat or a relayed message: "writer" when the line's
    speaker is the writer (speaker_is_writer), "other" for another person, or nil when no
    speaker leads it. Speakers are those of chat_speaker, of is_chat_header, and a name alone on
    its line above a time line ("Bob Stone\n10:14 AM", as Teams and Slack copy a message). A
    speaker named by one word, or a name alone on its line above the message, counts only when
    in_chat() returns true (looks_like_chat, which reads the whole text, so it is asked last).
    Only read when the caller says who the writer is.
    ]]
    local function chat_line_speaker(lines, index, writer, in_chat)
        if writer == nil then
            return nil
        end
        local text = trim(lines[index])
        if #text > 1000 then
            return nil
        end
        -- An e-mail address leading a line ("<bob@acme.example> ...", "bob@acme.example: ..."),
        -- after a chat app's time or not.
        local unstamped = text:match("^%[[^%]]*%d:%d%d[^%]]*%]%s*(.+)$") or text
        local address = unstamped:match("^<([^%s<>@]+@[^%s<>]+)>")
            or unstamped:match("^([^%s<>:@]+@[^%s<>:]+):")
        if address ~= nil then
            return names_writer(address:lower(), writer) and "writer" or "other"
        end
        local name, reported = chat_speaker(text, false)
        if name == nil then
            -- A name in lowercase or one word in capitals ("bob: ...") only in a chat.
            name, reported = chat_speaker(text, true)
            if name ~= nil and not in_chat() then
                name = nil
            end
        end
        if name ~= nil then
            if speaker_is_writer(name, writer) then
                return "writer"
            end
            if reported or person_name_words(name, true) >= 2 or in_chat() then
                return "other"
            end
            return nil
        end
        if is_chat_header(text, nil) then
            return names_writer(text:lower(), writer) and "writer" or "other"
        end
        if #text > 80 then
            return nil
        end
        local words = person_name_words(text, false)
        if words == 0 then
            return nil
        end
        local next_text = trim(lines[index + 1] or "")
        if is_time_line(next_text) or (words >= 2 and next_text ~= "" and in_chat()) then
            return speaker_is_writer(text, writer) and "writer" or "other"
        end
        return nil
    end

    -- True when a line (lowercased, trimmed) has the writer's first name or e-mail address
    -- with no letters before it but a time's "am" or "pm" ("[10:43 am] jane doe"), as a line
    -- she leads must. It spares the full reading of every line of a long chat paste.
    local function may_name_writer(lower, writer)
        if writer == nil then
            return false
        end
        local first_name = writer.name and writer.name:match("^%S+")
        for _, words in ipairs({first_name or false, writer.email or false}) do
            local position = words and lower:find(words, 1, true)
            if position and not lower:sub(1, position - 1):gsub("[ap]m", ""):find("%a") then
                return true
            end
        end
        return false
    end

    --[[
    True when the separator or forwarded subject line at lines[index] opens the writer's own
    earlier mail: the first "From:" line among the next three non-blank lines names her by her
    e-mail address, or by her full name (two words or more) at any address, since she may
    forward from another mailbox. A writer known by a first name alone never matches another
    sender's "From: Jane Doerr".
    ]]
    local function opens_writer_mail(lines, index, writer)
        if writer == nil then
            return false
        end
        local seen = 0
        local next_index = index + 1
        while next_index <= #lines and seen < 3 do
            local text = trim(lines[next_index])
            if text ~= "" then
                seen = seen + 1
                if HEADER_OPENERS[header_field(text) or ""] then
                    local lower = text:lower()
                    if writer.email ~= nil and has_address(lower, writer.email) then
                        return true
                    end
                    return writer.name ~= nil and writer.name:find("%s") ~= nil
                        and names_writer(lower, writer)
                end
            end
            next_index = next_index + 1
        end
        return false
    end

    -- True when a line (trimmed) opens with a forwarded mail's subject: "FW: can't log in".
    local function is_forward_subject_line(text)
        local prefix = text:match("^(%a+) ?:%s*%S")
        return prefix ~= nil and FORWARD_PREFIXES[prefix:lower()] == true
    end

    -- True when words (a list, lowercased) hold a reporting verb whose subject is not the
    -- writer: "Dave said", "he has asked me", "my manager texted". A verb with no word before
    -- it has no subject here, so it does not count.
    local function reports_other(words)
        for position, word in ipairs(words) do
            if REPORTING_VERBS[word] then
                local subject_position = position - 1
                while AUXILIARIES[words[subject_position] or ""] do
                    subject_position = subject_position - 1
                end
                local subject = words[subject_position]
                return subject ~= nil and not OWN_SUBJECTS[subject]
            end
        end
        return false
    end

    -- Returns the lowercased words of text as a list.
    local function lower_words(text)
        local words = {}
        for word in text:lower():gmatch("[%a'%-]+") do
            words[#words + 1] = word
        end
        return words
    end

    -- Returns the last limit lowercased words of text, or all of them when there are fewer.
    local function last_words(text, limit)
        local words = lower_words(text)
        return {table.unpack(words, math.max(1, #words - limit + 1))}
    end

    -- True when a line (lowercased, trimmed) introduces someone else's words: it ends with ":"
    -- or with a reporting verb, and its last clause has a reporting verb whose subject is not
    -- the writer ("Dave sent me this:", "Here is what my manager wrote:", "Dave Smith wrote").
    local function is_reporting_intro(lower)
        if #lower > 200 then
            return false
        end
        local clause = lower:match("[^%.!%?;]*$")
        local words = last_words(clause, 8)
        if not lower:find(":$") and not REPORTING_VERBS[words[#words] or ""] then
            return false
        end
        return reports_other(words)
    end

    --[[
    Returns line without the quotations it reports as someone else's words, and a list of
    those quotations. A quotation in "..." or '...' on one line counts when the words just
    before it report it ("Dave said: \"please reset my password\"", "he asked 'can you give me
    admin'"), or the words just after it ("\"...\", Dave said"). reported_before is true when
    the line before introduced it (is_reporting_intro), and then a quotation that opens the
    line counts too. An apostrophe inside a word ("can't", "Dave's") opens no quotation.
    ]]
    local function take_reported_quotes(line, reported_before)
        local own_parts, quotations = {}, {}
        local position = 1
        -- A mark with no closing mark after it has none after any later mark either, so such
        -- marks are passed over at once, and a line costs time linear in its length.
        local unclosed = {}
        while true do
            local open = line:find("[\"']", position)
            if open == nil then
                break
            end
            local mark = line:sub(open, open)
            local close = nil
            if unclosed[mark] or (mark == "'" and line:sub(open - 1, open - 1):find("%w")) then
                -- An apostrophe, or a mark that no later mark closes.
            elseif mark == "\"" then
                close = line:find("\"", open + 1, true)
            else
                local search = open + 1
                while close == nil do
                    local candidate = line:find("'", search, true)
                    if candidate == nil then
                        break
                    end
                    if not line:sub(candidate + 1, candidate + 1):find("%w") then
                        close = candidate
                    end
                    search = candidate + 1
                end
            end
            if close == nil and not unclosed[mark]
                and (mark == "\"" or not line:sub(open - 1, open - 1):find("%w")) then
                unclosed[mark] = true
            end
            if close == nil or close == open + 1 then
                own_parts[#own_parts + 1] = line:sub(position, open)
                position = open + 1
            else
                -- Only the 80 bytes before the quotation and the 40 after it are read. That is
                -- enough for the words that report it, and a line of quotations stays linear.
                local before = line:sub(math.max(1, open - 80), open - 1):match("[^%.!%?;]*$")
                local after = line:sub(close + 1, close + 40):match("^[%s,]*([%a' ]*)") or ""
                local after_words = lower_words(after)
                local reported = reports_other(last_words(before, 4))
                    or (reported_before and trim(before) == "")
                    or (REPORTING_VERBS[after_words[1] or ""] and after_words[2] ~= nil
                        and not OWN_SUBJECTS[after_words[2]])
                    or (REPORTING_VERBS[after_words[2] or ""]
                        and not OWN_SUBJECTS[after_words[1]])
                if reported then
                    own_parts[#own_parts + 1] = line:sub(position, open - 1)
                    quotations[#quotations + 1] = line:sub(open + 1, close - 1)
                else
                    own_parts[#own_parts + 1] = line:sub(position, close)
                end
                position = close + 1
            end
        end
        own_parts[#own_parts + 1] = line:sub(position)
        return table.concat(own_parts), quotations
    end

    -- True when the quoted line lines[index] is an attribution of someone other than the writer
    -- ("> Bob Stone wrote:", "> On Mon, Bob Stone wrote:") and the next line that is not blank
    -- has no quote mark: the text below it is the quoted mail, marks or not.
    local function opens_unmarked_quote(lines, index, writer)
        local lower = trim(lines[index]):lower():gsub("^[>|%s]+", "")
        if #lower > 400 or not lower:find(":%s*$") or names_writer(lower, writer)
            or not (is_attribution(lower) or attribution_without_time(lower)) then
            return false
        end
        local next_index = index + 1
        while next_index <= #lines and trim(lines[next_index]) == "" do
            next_index = next_index + 1
        end
        local next_text = trim(lines[next_index] or "")
        return next_text ~= "" and not next_text:find("^[>|]")
    end

    --[[
    Returns the name, when the writer signed her own lines with a person's name that is not
    hers, or nil: a name
    after a dash or comma that ends the last own line ("Approved - Jane", "OK to go, Jane
    Doe"), a last own line that is only a name, or the first line of the signature, after a sign-off ("Thanks,\nJane") or in one
    ("Thanks, Jane"). A name is hers when it is her whole name or her first name
    (speaker_is_writer); without writer.name, any name is another person's.
    ]]
    local function signed_by_other(own, signature, writer)
        local function names_other(name)
            name = trim(name):gsub("[%.!]+$", "")
            if name == "" or person_name_words(name, false) == 0 then
                return nil
            end
            if writer ~= nil and writer.name ~= nil and speaker_is_writer(name, writer) then
                return nil
            end
            return name
        end

        local last = #own
        while last > 0 and trim(own[last]) == "" do
            last = last - 1
        end
        if last > 0 then
            -- The name after the line's last comma or dash. It is found in one pass, because a
            -- pattern with two lazy items backtracks past the budget on a long line.
            local line = trim(own[last])
            local separator = line:match("^.*()[,%-]")
            local name = separator ~= nil and line:sub(separator + 1):match("^%s*(.*)$") or ""
            if name ~= "" and line:sub(1, separator - 1):find("%a") ~= nil
                and not is_sign_off(own[last]) and names_other(name) then
                return names_other(name)
            end
            -- A name on a line of its own below the decision: "Approved.\nJane".
            for line_index = 1, last - 1 do
                if own[line_index]:find("%a") then
                    return names_other(own[last])
                end
            end
        end

        for _, line in ipairs(signature) do
            local text = trim(line)
            if text ~= "" then
                local sign_off, name = text:match("^([%a ]+),%s*(.+)$")
                if sign_off ~= nil and SIGN_OFFS[sign_off:lower()] then
                    return names_other(name)
                end
                if not is_sign_off(text) then
                    return names_other(text)
                end
            end
        end
        return nil
    end

    function split_own_lines(text, writer, signer)
        if writer ~= nil then
            writer = {name = writer.name and fold_look_alikes(writer.name):lower(),
                email = writer.email and fold_look_alikes(writer.email):lower()}
        end
        signer = signer and {name = signer.name and fold_look_alikes(signer.name):lower()}
        local lines = split_lines(text)
        -- The lines with look-alike letters folded, read for quote marks, attributions and
        -- speakers. What goes into own, quoted and signature is the lines as written.
        local folded_text = fold_look_alikes(text)
        local folded = folded_text == text and lines or split_lines(folded_text)
        local own, quoted, signature = {}, {}, {}

        -- The end of a pasted halyard note at or after a line. A search that found no end, or
        -- an end still ahead, is reused by later calls, so many title lines cost one pass.
        local searched_from, found_end = nil, nil
        local function note_end_after(index)
            if searched_from == nil or index < searched_from
                or (found_end ~= nil and found_end < index) then
                searched_from, found_end = index, find_halyard_note_end(folded, index)
            end
            return found_end
        end
        local index = 1
        local cut_kind = nil
        local own_bytes = 0
        -- What the lines being read belong to: "indented" for an indented quote, "chat" for a
        -- pasted chat message, or nil for the writer's own lines.
        local inside = nil
        local reported_before = false
        -- True while reading the ">" lines below an attribution that names the writer.
        local in_writer_quote = false
        -- Whether the text reads as a chat, read once and only when a line needs it.
        local chat = nil
        local function in_chat()
            if chat == nil then
                chat = looks_like_chat(folded_text, folded, writer)
            end
            return chat
        end

        while index <= #lines do
            if in_writer_quote and folded[index]:find("^%s*>") then
                -- The writer quotes her own earlier mail: one ">" level is hers, and a deeper
                -- level or an attribution inside it is read as anywhere else.
                lines[index] = lines[index]:gsub("^%s*> ?", "", 1):gsub("^%s*\239\188\158 ?", "", 1)
                if folded ~= lines then
                    folded[index] = folded[index]:gsub("^%s*> ?", "", 1)
                end
            elseif trim(lines[index]) ~= "" then
                in_writer_quote = false
            end
            local line = strip_external_tag(lines[index])
            local folded_line = folded == lines and line or strip_external_tag(folded[index])
            local lower = trim(folded_line):lower()
            if inside == "indented" and (lower == "" or is_indented(line)) then
                quoted[#quoted + 1] = line
            elseif inside == "chat" and lower ~= "" and not (may_name_writer(lower, writer)
                and chat_line_speaker(folded, index, writer, in_chat) == "writer") then
                -- A pasted chat message goes on up to a blank line or the writer's own line.
                quoted[#quoted + 1] = line
            elseif lower == "" then
                own[#own + 1] = line
                own_bytes = own_bytes + 1
                inside = nil
            elseif #lower > 1000 then
                -- No quote marker or signature line is this long.
                own[#own + 1] = line
                own_bytes = own_bytes + #line + 1
                inside = nil
            else
                inside = nil
                local marked = lower:sub(1, 1) == ">" or lower:sub(1, 1) == "|"
                local attribution = not marked and attribution_length(folded, index, lower) or nil
                if attribution == nil and not marked and lower:find(":%s*$") then
                    -- "Bob Stone wrote on Thu, 3 Dec 2026 09:14:" reads as "Bob Stone wrote:".
                    local untimed = attribution_without_time(lower)
                    attribution = untimed ~= nil and is_attribution(untimed) and 1 or nil
                end
                if attribution ~= nil and names_writer(lower .. " "
                    .. trim(table.concat(folded, " ", index + 1, index + attribution - 1)):lower(),
                    writer) then
                    -- The writer's own earlier mail ("On ..., Jane Doe <jane@...> wrote:") is
                    -- her words, so a request she resends is still hers.
                    for attribution_index = index, index + attribution - 1 do
                        own[#own + 1] = lines[attribution_index]
                        own_bytes = own_bytes + #lines[attribution_index] + 1
                    end
                    index = index + attribution - 1
                    in_writer_quote = true
                elseif marked and opens_unmarked_quote(folded, index, writer) then
                    -- "> Bob Stone wrote:" above lines without marks: they are his words too.
                    cut_kind = "quote"
                elseif marked then
                    -- ">", a "|" some clients use, and a fullwidth ">" mark a quoted line.
                    quoted[#quoted + 1] = line
                elseif is_external_banner(lower) then
                    -- A mail gateway's warning, often above the answer: leave out this line only.
                    signature[#signature + 1] = line
                elseif attribution ~= nil then
                    local next_index = index + attribution
                    while next_index <= #lines and trim(lines[next_index]) == "" do
                        next_index = next_index + 1
                    end
                    if next_index <= #lines and (trim(folded[next_index]):sub(1, 1) == ">"
                        or is_indented(lines[next_index])) then
                        for attribution_index = index, index + attribution - 1 do
                            quoted[#quoted + 1] = lines[attribution_index]
                        end
                        inside = is_indented(lines[next_index]) and "indented" or nil
                        index = next_index - 1
                    else
                        cut_kind = "quote"
                    end
                elseif is_halyard_note_line(lower) and note_end_after(index) ~= nil then
                    -- A pasted note ends at its footer or run marker, and words after it are an
                    -- answer written below it. A note cut short has no footer, so its lines stay
                    -- own words, where its "approve" and "deny" can only make the reply neutral.
                    local note_end = note_end_after(index)
                    for note_index = index, note_end do
                        quoted[#quoted + 1] = lines[note_index]
                    end
                    index = note_end
                elseif (is_separator(lower) or is_forward_subject_line(trim(folded_line)))
                    and opens_writer_mail(folded, index, writer) then
                    -- The writer forwards her own earlier mail, so a request in it is still hers.
                    own[#own + 1] = line
                    own_bytes = own_bytes + #line + 1
                elseif is_separator(lower) or is_forward_subject_line(trim(folded_line))
                    or (is_header_block(folded, index) and not names_writer(lower, writer)) then
                    cut_kind = "quote"
                elseif is_relayed_line(folded_line, lower, writer) then
                    -- Another person's relayed message or form: quoted from here on.
                    cut_kind = "quote"
                elseif chat_line_speaker(folded, index, writer, in_chat) == "other" then
                    -- Another person's line in a pasted chat or a relayed message.
                    quoted[#quoted + 1] = line
                    inside = "chat"
                elseif is_chat_header(trim(folded_line), writer) then
                    quoted[#quoted + 1] = line
                    inside = "chat"
                elseif lower == "--" then
                    cut_kind = "signature"
                elseif is_mobile_footer(lower) or is_disclaimer(lower) then
                    cut_kind = "signature"
                else
                    local own_line, quotations = take_reported_quotes(line, reported_before)
                    for _, quotation in ipairs(quotations) do
                        quoted[#quoted + 1] = quotation
                    end
                    own[#own + 1] = own_line
                    own_bytes = own_bytes + #own_line + 1
                    local next_index = index + 1
                    while next_index <= #lines and trim(lines[next_index]) == "" do
                        next_index = next_index + 1
                    end
                    if next_index <= #lines and is_indented(lines[next_index])
                        and is_reporting_intro(lower) then
                        inside = "indented"
                    end
                end
            end
            if lower ~= "" then
                reported_before = is_reporting_intro(lower)
            end
            if own_bytes > 2 * approval.MAX_OWN_BYTES then
                -- Far too long already: only a signature cut longer than MAX_OWN_BYTES could
                -- bring the own words under the limit, so stop reading.
                return nil
            end

            if cut_kind ~= nil then
                local target = cut_kind == "quote" and quoted or signature
                for rest = index, #lines do
                    target[#target + 1] = lines[rest]
                end
                break
            end
            index = index + 1
        end

        -- A sign-off followed only by signature lines (or by nothing) ends the own words.
        for line_index = 1, #own do
            if is_sign_off(own[line_index]) and rest_is_signature(own, line_index + 1) then
                for rest = line_index, #own do
                    signature[#signature + 1] = own[rest]
                    own[rest] = nil
                end
                break
            end
        end

        -- Up to six signature lines after the last own paragraph ("Approved\n\nTom") are a
        -- signature too: a name, a title, a company, a phone line, a web line and a partner badge.
        local last = #own
        while last > 0 and trim(own[last]) == "" do
            last = last - 1
        end
        local first_name_line = last
        while first_name_line > 0 and is_signature_line(own[first_name_line])
            and last - first_name_line < 6 do
            first_name_line = first_name_line - 1
        end
        local words_before = false
        for line_index = 1, first_name_line - 1 do
            words_before = words_before or trim(own[line_index]) ~= ""
        end
        if first_name_line < last and words_before and trim(own[first_name_line]) == "" then
            for rest = first_name_line + 1, #own do
                signature[#signature + 1] = own[rest]
                own[rest] = nil
            end
        end

        return own, table.concat(quoted, "\n"), table.concat(signature, "\n"),
            signed_by_other(own, signature, writer or signer)
    end
end

-- A line that is only a negation ("not", "don't") belongs to the next line: "<p>not</p>
-- <p>approved</p>" reads "not approved".
local LONE_NEGATIONS = {["not"] = true, ["don't"] = true, ["dont"] = true, ["do not"] = true,
    ["never"] = true, ["please don't"] = true, ["please do not"] = true}

local function join_lone_negations(lines)
    local joined = {}
    local pending = nil
    for _, line in ipairs(lines) do
        local text = trim(line)
        if pending ~= nil and text ~= "" then
            text = pending .. " " .. text
            pending = nil
        end
        if LONE_NEGATIONS[text:lower()] then
            pending = text
        elseif text ~= "" then
            joined[#joined + 1] = text
        end
    end
    if pending ~= nil then
        joined[#joined + 1] = pending
    end
    return joined
end

-- writer_of is local to this block, which keeps the file under Lua's limit of 200 active local
-- variables.
do
-- Returns {name, email} of the writer from own_words' options, or nil when the options name
-- neither. Both are read as the text's lines are: characters normalised, look-alike letters
-- folded, lowercased and trimmed.
local function writer_of(options)
    local function read(value)
        return value and trim(normalise_characters(value)):lower()
    end
    local name = options and read(options.writer_name)
    local email = options and read(options.writer_email)
    name = name ~= "" and name or nil
    email = email ~= "" and email or nil
    if name == nil and email == nil then
        return nil
    end
    return {name = name, email = email}
end

--[[
Returns the writer's own words of a reply as one string of lines, plus the text left out as
quoted mail and as signature, or nil and a reason code when the reply is too long to read.
options.format is "html", "plain" or "auto" (the default, which treats the text as HTML when
one of its first tags is a known HTML tag). options.writer_name and options.writer_email name
the writer (a ticket's requester), so an attribution, "From:" line or chat line that names her
stays her own words. A fifth result is the name that signs the own words when it is not the
writer's ("Approved - Jane", or a name block below the decision), or nil; options.signer_name
names the writer for this reading alone. With keep_hidden, text that the HTML hides from the reader stays in the own
words; a fourth result tells whether the HTML hides any text.
]]
function approval.own_words(text, options, keep_hidden)
    local format = options and options.format or "auto"
    if #text > approval.MAX_INPUT_BYTES then
        return nil, "too_long"
    end

    local quoted_html = ""
    local hidden_found = false
    if format == "html" or (format == "auto" and looks_like_html(text)) then
        local converted, quoted, hidden = html_to_text(text, keep_hidden)
        if converted == nil then
            return nil, "too_long"
        end
        text, quoted_html, hidden_found = converted, quoted, hidden
    elseif format == "auto" then
        -- A note_html of escaped text without tags has no tag that marks it as HTML, but a
        -- reader sees "Jane Doe &lt;jane.doe@acme.example&gt;:" as "Jane Doe <...>:".
        text = decode_entities(text)
    end

    text = normalise_characters(text)
    -- Markdown strike ("~~Approved~~"): HaloPSA shows the tildes, but the writer meant the
    -- words struck out, so they count as hidden text. An unmatched "~~" strikes nothing.
    if text:find("~~", 1, true) then
        local struck_found = false
        local struck_text = text:gsub("~~(.-)~~", function(struck)
            struck_found = true
            return keep_hidden and struck or ""
        end)
        text = struck_text
        hidden_found = hidden_found or struck_found
    end
    local signer = writer_of(options and {writer_name = options.signer_name})
    local own, quoted, signature, signed_by = split_own_lines(text, writer_of(options), signer)
    if own == nil then
        return nil, "too_long"
    end
    own = join_lone_negations(own)
    local own_text = trim(table.concat(own, "\n"))
    if #own_text > approval.MAX_OWN_BYTES then
        return nil, "too_long"
    end
    return own_text, quoted .. "\n" .. quoted_html, signature, hidden_found, signed_by
end
end

-------------------------------------------------------------------------------------------
-- Step 3: word lists
-------------------------------------------------------------------------------------------

-- Spellings without an apostrophe, read as the contraction they stand for.
local CONTRACTIONS = {
    dont = "don't", wont = "won't", cant = "can't", cannot = "can't", didnt = "didn't",
    doesnt = "doesn't", isnt = "isn't", shouldnt = "shouldn't", wouldnt = "wouldn't",
    couldnt = "couldn't", arent = "aren't", havent = "haven't", hasnt = "hasn't",
    wasnt = "wasn't", werent = "weren't", aint = "isn't", ["ain't"] = "isn't", im = "i'm",
    ive = "i've",
    lets = "let's", thats = "that's", youre = "you're", whats = "what's", dnt = "don't",
    pls = "please", plz = "please", thx = "thanks", okay = "ok", kk = "ok", k = "ok",
    -- Text-speak.
    m8 = "mate", u = "you", ur = "your", ty = "thanks", tyvm = "thanks", thnx = "thanks",
    thanx = "thanks", thnks = "thanks", gr8 = "great", plse = "please", probs = "problems",
    prob = "problem",
}

-- Words that may stand before "no" used as an answer: "that's a no", "my answer is no", "I'm
-- going to say no".
local NO_ANSWER_PREFIX = word_set([[a hard big firm flat clear straight definite that's this is
    it's it that answer answer's the my our say saying i'm i we going to gonna i'll we'll will reply
    short quick simple honest final must have has take treat put down as mark consider
    strong resounding
    response verdict decision afraid sorry so then honestly]])

-- Words that may follow "no" used as an answer: "no from me", "no to this one".
local NO_ANSWER_TAIL = word_set([[from me us to of this that it one all both the request plan
    step steps them
    everything here then sorry thanks mate i'm afraid on my side end whole thing lot]])

local UNTIL_WORDS = word_set("until till til")

-- Subjects that make a negation after them part of an explanation: "she can't log in", "the
-- user isn't in today", "it won't affect anyone".
local EXPLANATION_SUBJECTS = word_set([[she he they it there she's he's they're it's there's
    user users client customer account laptop phone mailbox nobody device computer pc machine
    server]])

-- Words that neither decide nor change anything before a decision word.
local FILLER = word_set([[ok so then and but or now right alright well please kindly just oh ah hi
    hey hello hiya morning afternoon evening great perfect cool lovely excellent awesome nice
    brilliant good thanks thank also anyway anyways yes yeah yep yup sure fine um erm hmm
    team guys folks mate sir all 100 defo deffo god lord gosh jeez really honestly genuinely
    seriously truly]])

-- Words that may stand between the start of a clause and an approval verb without making it
-- someone else's decision: "I have approved", "this is approved", "you can go ahead".
local OWN_CONTEXT = word_set([[i i'm i've we we're we've you you're you've let's it it's its
    this that that's the plan request everything steps these those both whole entire am is are
    be been being have has can may to for happy now hereby fully already do does did feel free
    clear cleared by me from my side end our us totally definitely certainly absolutely consider
    officially formally got here here's with ok fine good change changes action actions
    halyard something]])

-- Words that may stand before "fine" or "looks good": "that's fine", "all looks good".
local ADJECTIVE_CONTEXT = word_set([[that's that is it's its this it all everything looks look
    sounds sound the plan both them these those]])

local NEGATORS = word_set([[not no never don't won't wouldn't can't shouldn't isn't aren't
    doesn't didn't haven't hasn't wasn't weren't couldn't nor neither none unable mustn't]])

local HEDGES = word_set([[would i'd we'd could might should must probably maybe perhaps think guess
    suppose reckon believe possibly likely presumably seems seem assume hopefully if]])

local FUTURE = word_set([[will i'll we'll shall gonna going later tomorrow soon]])

-- Words that make a decision word someone else's: "the client approved", "she said no".
local OTHERS = word_set([[he she they he's she's they're they've them his her their client
    clients customer customers user users manager managers boss director owner ceo md hr
    someone somebody everyone said says say told tells replied replies wrote writes wants
    asked asks mentioned reported emailed called phoned texted decided thinks reckons]])

-- Verbs of an instruction that adds to or changes the plan ("reset his MFA too") or, after
-- "don't", refuses a step ("don't reset her password").
local ACTION_VERBS = word_set([[reset revoke unlock lock disable enable remove delete add grant
    give change set create use move copy send email mail call phone ring text message tell
    inform notify contact ask check close open assign escalate include exclude cc block
    unblock wipe restart reboot install uninstall suspend archive restore rename transfer
    forward share sync migrate upgrade downgrade buy order purchase raise log book schedule
    touch run do revert convert extend renew force sign kill terminate deactivate activate
    expire modify edit let make keep put get apply push deploy allow permit turn switch
    replace swap clear flush purge release go proceed continue]])

-- Verbs that "don't" turns into something other than a refusal: "don't wait", "don't worry".
local HARMLESS_AFTER_DONT = word_set([[wait worry hesitate rush mind see know care understand
    expect panic stress]])

-- Nouns of plan steps. An approval naming one ("go ahead with the reset") is partial, and
-- "no" before one refuses a step ("no password reset").
local STEP_NOUNS = word_set([[reset resets password passwords pw revoke revocation session
    sessions mfa 2fa unlock licence license licences licenses mailbox mailboxes access
    permission permissions account accounts group groups phone device devices laptop signin
    token tokens rights admin role roles forwarding delegation drive onedrive vpn lockout
    purchase wipe]])

-- Words that may follow an approval in its clause without narrowing or changing it.
local TAIL_WORDS = word_set([[it this that them those these all of everything the plan plans
    lot steps request change changes action actions as posted planned proposed shown
    described listed written outlined above stated suggested requested recommended presented
    detailed given its entirety now please thanks thank you ta
    cheers with by me from to asap immediately right away straight then anyway anyways again
    here on my side end both in full fully whole entire thing things is are go ahead yes sir for
    mate team guys folks one ones stuff today ok good lot exactly precisely 100]])

-- Words of a clause that decide and change nothing: thanks, greetings, praise, urgency.
local COURTESY_WORDS = word_set([[thanks thank you cheers ta much appreciated many from me by
    all good great perfect cool brilliant lovely excellent awesome nice wonderful fantastic
    hi hello hey hiya morning afternoon evening team mate guys folks sir madam again x xx
    ok please dear asap immediately now quickly urgent urgently apologies halyard]])

-- Past-tense verbs that open a technician's note about work done, with "I" left out:
-- "Checked the logs and approve", "Rang her to double-check". Known words are never read as
-- a name, so the approval after them stays the technician's own.
local PAST_VERBS = word_set([[checked reviewed verified tested looked investigated validated
    spoke talked rang discussed went had examined inspected audited reproduced traced
    double-checked cross-checked]])

-- Verbs after "only" that explain the plan rather than narrow it: "only affects her account",
-- "it only takes a minute". "Only needs the unlock" narrows it, so need is not listed.
local ONLY_STATEMENT_VERBS = word_set([[affects touches impacts takes lasts costs matters
    applies concerns]])

-- Nouns after "only" that open an explanation: "only way to get her back in", "only thing to
-- note is ...".
local ONLY_STATEMENT_NOUNS = word_set([[way thing things reason risk issue problem catch
    concern downside change difference time]])

-- Nouns of a double negative that may take one word before them: "no real risk", "no major
-- issues".
local RISK_NOUNS = word_set([[risk risks impact issue issues problem problems concern concerns
    downside downsides harm danger]])

-- Words that are not English. halyard matches English only, so a reply in another language
-- is neutral whatever its words mean (see RULE.md, "Other languages").
local FOREIGN_WORDS = word_set([[ja nein nee nicht bitte danke gerne gern passt genehmigt
    freigegeben einverstanden machen mach oui non merci allez accord vas si gracias
    adelante vale claro aprobado hazlo vai avanti grazie approvato certo procedi prego graag
    gang akkoord goedgekeurd doen sim obrigado pode tak nej ei bien]])

-- Correctly spelt words one edit away from a decision word. The misspelling rule counts
-- only words that are not themselves English.
local REAL_WORDS_NEAR_DECISIONS = word_set([[cancer cancels head heads ahem eject deject
    ejected dejected rejects rejecter reclined declines decliner defied denier dented denies
    approves approver approvers proceeds confirmer authorises authorizes]])

-- Decision words that a misspelling may stand for.
local MISSPELLING_TARGETS = {"approve", "approved", "proceed", "cancel", "denied", "reject",
    "rejected", "declined", "confirmed", "authorised", "authorized", "lgtm", "ahead",
    "absolutely", "definitely"}

--[[
The phrase list, read only while the file loads: PHRASE_INDEX below is what the policy
matches with. Each entry is the array of its words, and its metatable, shared by the phrases of
one add_phrases call, gives its fields kind, value and context.
  kind "approve" or "deny": a decision; value is RULE.md's reason code; context names the
    words allowed before it in its clause ("verb", "go", "adjective", "yes").
  kind "marker": value names what the phrase does to a decision (condition, deferral, ...).
  kind "idiom": the words are set aside; value "double_negation" counts as a double negative
    ("no objection"), "courtesy" as nothing, "courtesy_rest" sets aside the rest of the
    clause ("let me know if ..."), "courtesy_clause" the rest of the clause up to a word that
    may limit a decision, "aside" opens a remark whose markers still count, and "contingency"
    sets aside the rest of the clause when it opens the clause but is a condition elsewhere.
Longer phrases win over shorter ones that start at the same word.
]]
local PHRASES = {}

local function add_phrases(kind, value, context, text)
    local group = {__index = {kind = kind, value = value, context = context}}
    for phrase in text:gmatch("[^|]+") do
        phrase = phrase:match("^%s*(.*%S)")
        if phrase ~= nil then
            local words = {}
            for word in phrase:gmatch("%S+") do
                words[#words + 1] = word
            end
            PHRASES[#PHRASES + 1] = setmetatable(words, group)
        end
    end
end

-- Returns the words of tokens first..last as one string: "please do".
local function phrase_text(state, first, last)
    return table.concat(state.words, " ", first, last)
end

add_phrases("approve", "explicit_approval", "verb", [[approve | approved | approving |
    authorise | authorised | authorising | authorize | authorized | authorizing | confirm |
    confirmed | agreed | agree | signed off | sign off | sign off on | sign it off |
    sign this off | ok'd | okayed | oked | granted |
    approval granted | approval given | approval is granted | approval is given |
    approval has been given | approval has been granted | my approval | green light |
    greenlit | permission granted | happy with | you have approval | all approved | accepted |
    i accept | give approval | give the approval | giving approval | giving my approval |
    approval from me | approval from my side | my approval is given | you have my ok |
    you have my blessing | with my blessing | permission is given | allowed |
    consider it approved | give my approval | i consent | consent given | my consent |
    you have my consent | permission given | you have permission | you have my permission]])
-- "I'm fine with it": "fine" with an object, after the words of OWN_CONTEXT.
add_phrases("approve", "plain_yes", "verb", [[fine with it | fine with this | fine with that |
    fine with all of it | ok with it | ok with this | ok with that | ok with all of it |
    ok from me | ok from my side | ok from our side | ok from my end | fine from me |
    fine from my side | fine from my end | ok for me | fine for me | good for me]])
add_phrases("approve", "explicit_approval", "adjective", [[looks good | look good |
    looks great | looks fine | looks ok | sounds good | sounds great | sounds fine |
    sounds ok | lgtm | looks good to me | works for me | sounds like a plan | looks correct |
    looks right | look right | looks spot on | looks sensible]])
add_phrases("approve", "explicit_approval", "go", [[good to go | all good to go]])
add_phrases("approve", "plain_yes", "adjective", [[it is ok | fine | fine by me | fine with me |
    ok by me | ok with me | alright by me | that's ok | that is ok | it's ok | all ok |
    that's alright]])
add_phrases("approve", "go_ahead", "go", [[go ahead | going ahead | go ahead given | proceed | proceeding |
    ok to go | ok to run |
    run all | run everything | run the steps | run all steps | please action | action this |
    action it | action that | action these | action them | action all | action the plan |
    go for it | do it | do this |
    do that | do them | run it | run them | run those | run these | run this | run the plan |
    ship it | crack on | carry on | fire away | make it so | send it | execute | execute it |
    run the whole plan | run the whole thing | do the whole plan | do the whole thing |
    run the entire plan |
    let's go | go on then | by all means | please do | get it done | be my guest |
    push it through | work away | knock yourself out | go right ahead | do everything |
    do the needful | please do the needful | the go ahead is given | go ahead is given | go on |
    please go on | you can do | do as proposed | do as suggested | do as you propose |
    do as you suggest | do as planned | do as described |
    do all of it | do all of them | do the lot | run the lot | run all of it |
    run all of them | do all the steps | run all the steps | do all steps]])
add_phrases("approve", "plain_yes", "yes", [[yes | yeah | yep | yup | yea | yeh | yess |
    yesss | ya | yah | yh | sure | sure thing | of course | absolutely | certainly | definitely |
    indeed | affirmative | aye | yes please | please yes | yes yes | yessir | defo | deffo |
    for sure | you bet | you betcha]])

add_phrases("deny", "explicit_denial", "verb", [[deny | denied | denying | reject | rejected |
    rejecting | decline | declined | declining | disapprove | disapproved | refuse | refused |
    veto | vetoed | veto'd | unapproved | disagree | disagreed | object | objected | objection |
    permission denied | approval denied | cancelled | canceled |
    approval refused | approval rejected | approval declined | mark this as denied |
    mark it as denied | mark as denied | mark as rejected | mark this as rejected |
    treat as rejected | treat this as rejected | treat as denied | treat this as denied]])
add_phrases("deny", "plain_no", "yes", [[nope | nah | no thanks | no thank you | neither |
    no ta | no cheers | not ever |
    none | none of the above | i'll pass | i will pass | we'll pass | we will pass |
    not on my watch | over my dead body | absolutely no way | absolutely no chance |
    definitely no way | there's no way | there is no way |
    absolutely not | definitely not | certainly not | of course not | no way | no chance |
    not a chance | hell no | no no | no no no | under no circumstances |
    negative | nay | not this time | not on your life | not a hope |
    dream on | in your dreams | hard pass | heck no | nuh uh |
    unfortunately not | unfortunately no | sadly not | sadly no | regrettably not |
    regrettably no]])
-- "No go" may follow the words of NO_ANSWER_PREFIX: "it's a no-go", "that's a no go from me".
add_phrases("deny", "plain_no", "no_answer", [[pass on this | pass on that | pass on it |
    pass on this one | no go | not happening | not gonna happen |
    no can do | a bad idea | a terrible idea | an awful idea | a really bad idea]])
add_phrases("deny", "plain_no", "yes", [[computer says no]])
add_phrases("deny", "negated_approval", "verb", [[let's not | rather not | prefer not |
    afraid not | not ok | not happy | not comfortable | not a good idea | bad idea |
    i'd rather not | i would rather not | i'd prefer not | i would prefer not | none of it |
    none of this | none of them | not doing this | not doing that | not doing it |
    not doing any of | don't action | do not action | rather you didn't | rather you did not | rather you don't |
    i'd rather you didn't | i would rather you didn't | prefer you didn't |
    i'd prefer you didn't | i'd prefer you don't | isn't a good idea | is not a good idea |
    not going to work | can't let you | cannot let you | won't let you | can't allow |
    won't allow | better not | best not | approval not given | approval not granted |
    approval is not granted | approval is not given | no approval | no approval from me |
    withholding approval | withhold approval | approval withheld]])
-- An opinion against the plan refuses it: "I don't think we should do this".
add_phrases("deny", "negated_approval", "verb", [[don't think we should | don't think you should |
    do not think we should | do not think you should | don't think we ought to |
    don't think this should | don't think it should | don't think that's a good idea |
    don't think this is a good idea | don't think it's a good idea | don't think that's wise |
    don't think it's wise | don't think this is necessary | don't think it's necessary |
    don't think that's necessary | don't think this is needed | don't think it's needed |
    don't think this is right | don't think that's right | don't think we want to |
    rather we didn't | rather we did not | rather we don't | prefer we didn't |
    prefer we don't | i'd rather we didn't | i would rather we didn't | i'd rather we don't |
    i'd prefer we didn't | i'd prefer we don't | afraid we can't | afraid we cannot |
    afraid i can't | afraid i cannot | isn't happening | is not happening |
    won't be happening | not going to happen | isn't going to happen | is not going to happen |
    not something we do | not something we'd do | not something we would do |
    not something we want to do]])
add_phrases("deny", "step_refusal", "verb", [[don't want | do not want]])
add_phrases("deny", "stop", "go", [[never mind | nevermind | nvm | drop this | drop that |
    do nothing | do nothing at all | do nothing further | forget about it | forget about this |
    cease | canx | i'd leave it | i would leave it | i'd leave this | i'd leave that |
    leave her be | leave him be | leave them be | let it be | end this | end it | terminate |
    terminate this | terminate the run | terminate it | not to be actioned |
    ignore this request | ignore the request | disregard this request | disregard the request |
    close without action | close it without action | close without running anything |
    close it without running anything | close without doing anything | close with no action |
    close it with no action | close the ticket without action |
    stop everything | stop all | cancel everything | cancel all | abort everything |
    leave everything | leave it as is | leave it as it is | leave it be | no changes |
    hands off | keep your hands off | keep hands off | kill the run | kill the job | kill this |
    kill that | kill the request | kill the whole thing | end the run | leave this | leave that |
    needs to stop | has to stop | must stop | close this down | close it down |
    shut this down | shut it down |
    leave this one | leave that one | without doing anything | without running anything |
    without changing anything | without making any changes |
    isn't needed | is not needed | isn't necessary | is not necessary | isn't required |
    is not required | withdraw | withdrawn | withdrawing | cancelling this |
    cancelling it | cancelling the request | canceling this | canceling it |
    nothing to do | nothing needed | nothing required | no action | no further action |
    unnecessary | redundant |
    drop the request | stop | stop it | stop this | cancel | cancel it | abort |
    halt | scrap | scrap it | scrap that | scrap this | bin it | kill it | drop it |
    forget it | call it off | don't bother | do not bother | leave it | stand down |
    no need | not needed | not necessary | no longer needed | no longer required |
    not required | don't need | do not need]])

add_phrases("idiom", "double_negation", nil, [[np | no objection | no objections | no problem |
    no problems | not a problem | no issue | no issues | not an issue | no complaints |
    not opposed | no reason not to | don't see why not | can't see why not |
    can't see a reason not to | don't see a reason not to | nothing wrong |
    nothing wrong with | not a bad idea | no harm | never had an issue | never had a problem |
    never had any issues | never had any problems | don't have any concerns |
    haven't got any concerns | have no concerns | no risk | no risks | no impact |
    not a big deal | no big deal | no downside | no downsides | can't see any downside |
    can't see an issue | can't see any issues | don't see any downside | nothing to worry about |
    do not see why not | don't see a problem | don't see any problem |
    don't see any problems | don't see an issue | don't see any issue | don't see any issues |
    can't see a problem | can't see any problem | can't see any issue |
    don't have a problem | don't have any problem | have no problem | no concerns |
    not against | not against it | don't mind | do not mind | wouldn't object |
    won't object | nothing against | no complaint | won't hurt | can't hurt | won't mind |
    wouldn't mind | can't see it causing | don't see it causing | can't see this causing |
    won't do any harm | can't do any harm]])
add_phrases("idiom", "courtesy", nil, [[no rush | no hurry | no worries | no idea |
    no need to come back | from my side | from our side | from my end | no questions |
    no questions from me | no comments | no comment |
    no further comments | nothing to add | with no changes | no changes needed |
    no changes required | without changes | no amendments |
    ignore my last reply | ignore my last message | ignore my last email |
    ignore my previous reply | ignore my previous message | ignore my previous email |
    disregard my last reply | disregard my last message | disregard my previous reply |
    disregard my previous message |
    no pressure | don't wait | do not wait |
    don't worry | don't hesitate | stop asking | stop waiting | stop checking |
    whenever you're ready | whenever you are ready | when you're ready | when you are ready |
    when ready | when you can | when you get a chance | when done | when it's done |
    whenever you like | whenever you want | whenever suits | whenever suits you |
    whenever works | whenever you can | whenever you get a chance | whenever is convenient |
    once done | once it's done | many thanks | much appreciated | as discussed | as agreed |
    as we discussed | as we agreed | as per our call | as per our conversation |
    per our call | per our conversation | at your earliest convenience |
    at your convenience | when convenient | when you get a moment | once complete |
    once completed | once finished | when complete | when completed | when finished | don't need to | leave it with me | leave it to you |
    leave it to me | update me | update the ticket | can't wait | copy that | roger that |
    no further questions | not urgent |
    leave this with me | leave that with me | leave this to me | leave this one to me |
    leave this one with me | leave that one to me | leave that one with me | before you ask |
    close the ticket | close this ticket | close the ticket off | close it off | close it out |
    close it when done | close it once done | close it afterwards | resolve the ticket |
    close the call | close the job |
    before anyone asks | before you ask me | the first thing | it's the first thing |
    right call | the right call | good call | right thing to do | the right thing to do |
    no one else |
    that's the first thing | first things first |
    no approval needed | no approval required | no approval necessary |
    only just seen | only just saw | only just got | only just noticed | only just spotted |
    only just read | only just back | only just picked | as per policy | per policy |
    as per our policy | as per process | as per our process | as per procedure |
    as per our procedure | as per usual | as usual | as normal | as per the plan |
    as per your plan | as per the note | as per your note | as per the request]])
-- "No need to ring the user first" sets aside a message or a check that nobody asked for, with
-- the rest of its clause up to a word of LIMITING_WORDS, so its "first" sets no condition. Plan
-- steps ("no need to reset it") are not listed, because those refuse.
for _, verb in ipairs({"ring", "call", "phone", "email", "text", "message", "contact", "tell",
    "inform", "notify", "let", "warn", "check", "confirm", "verify", "update", "reply", "chase",
    "ask", "wait", "double", "double-check", "run it past", "loop"}) do
    add_phrases("idiom", "courtesy_clause", nil, "no need to " .. verb)
end
-- "I don't think we need to tell the user" sets aside a message or a check, as "no need to tell"
-- does. A plan step after it ("don't think we need to reset it") stays a hedge.
for _, subject in ipairs({"we", "you"}) do
    for _, verb in ipairs({"tell", "inform", "let", "notify", "contact", "email", "call", "check",
        "confirm", "double", "update", "ask", "wait", "reply"}) do
        add_phrases("idiom", "courtesy", nil, string.format("don't think %s need to %s | "
            .. "do not think %s need to %s", subject, verb, subject, verb))
    end
end
-- "Nothing else needed from me" closes the technician's part, it does not refuse the plan.
for _, nothing in ipairs({"no further action", "nothing further", "nothing else", "nothing more",
    "no more"}) do
    for _, from_me in ipairs({"needed from me", "required from me", "needed from my side",
        "required from my side", "from me", "from my side", "from my end", "needed from my end"}) do
        add_phrases("idiom", "courtesy", nil, nothing .. " " .. from_me)
    end
end
-- A request to be contacted: a contingency after it ("give me a call if it fails") sets no
-- condition.
add_phrases("idiom", "courtesy", nil, [[give me a call | give me a ring | give me a bell |
    give us a call | give us a ring | call me | ring me | phone me | text me | message me |
    email me | drop me a line | drop me a message | ping me]])
add_phrases("idiom", "courtesy_rest", nil, [[let me know | keep me posted | keep me updated |
    keep me informed | keep me in the loop | shout if | give me a shout | let us know |
    can you let me know | could you let me know | please let me know | sorry for |
    sorry about | thanks for | thank you for | apologies for | apologies about]])
-- "Ignore the forwarded thread" points away from the quoted mail, which the own words leave
-- out already. The phrase and the rest of its clause, up to a word of LIMITING_WORDS, decide
-- nothing.
for _, verb in ipairs({"ignore", "disregard"}) do
    for _, object in ipairs({"the forwarded", "the thread", "the trail", "the chain",
        "the email below", "the mail below", "the message below", "the below", "the quoted",
        "the email chain", "the email trail", "the older", "the earlier", "everything below",
        "the original", "the attached"}) do
        add_phrases("idiom", "courtesy_clause", nil, verb .. " " .. object)
    end
end
-- Openers of a remark beside a decision: "Go ahead (for the record the client agreed this)".
add_phrases("idiom", "aside", nil, [[for the record | for your records | for info |
    for your info | for your information | fyi | btw | by the way | just so you know |
    fwiw | for what it's worth]])
-- What to do if the run goes wrong: no condition on the approval when it opens its own clause
-- ("Approved. If anything goes wrong, give me a shout"), a condition anywhere else.
add_phrases("idiom", "contingency", nil, [[if anything goes wrong | if anything breaks |
    if there are any problems | if there are any issues | if there's a problem |
    if there's an issue | if there's any issue | if you have any problems | if you have any issues |
    if you need anything | if you need me | if any issues | if any problems | if it fails |
    if it doesn't work | if it goes wrong | if something goes wrong | if anything looks odd |
    if anything looks wrong | if anything fails | if it breaks | if you hit any issues |
    if you hit a problem | if you get stuck | if there's any trouble]])
-- "Quick question" beside a yes asks something, with or without a question mark.
add_phrases("marker", "question", nil, [[quick q | quick question | one question | a question |
    question for you | one thing though | qq]])

add_phrases("marker", "condition", nil, [[if | once | provided | providing | as long as |
    needs the | needs approval | needs sign off | needs signing off |
    needs authorisation | needs authorization | needs to come from | has to come from |
    must come from | needs someone |
    so long as | assuming | unless | on condition | only if | subject to |
    contingent | as soon as | make sure | ensure | check with | confirm with | run it past |
    double check | when | whenever | not until | after confirming | but tell | but check |
    but confirm | provided that | conditional]])
add_phrases("marker", "deferral", nil, [[not yet | yet | wait | hold off | hold on |
    on hold | later | for now | not now | not today | tomorrow | tonight | this evening |
    this afternoon | next week | next month | shortly | soon | in a bit | in a minute |
    in the morning | in the afternoon | in the evening | at night | at lunch | lunchtime |
    first thing | close of play | end of the day | later on | this weekend |
    in a few | in an hour | give me | let me | i'll check | will check | checking |
    get back | will review | will look | i'll look | i'll review | until | till | til | cab |
    change board | after hours | out of hours | overnight | end of day | eod | cob | eow |
    weekend | tbc | to be confirmed | hang on | not right now | postpone | defer | delay |
    no wait | wait no | not before | not till | not til]])
-- "Pending" blocks an approval anywhere, but a refusal only in its own clause or at the start of
-- a clause: "No, pending HR review" waits, "Refused - she is suspended pending a review" refuses.
add_phrases("marker", "condition_weak", nil, [[pending]])
add_phrases("marker", "deferral_weak", nil, [[hold | after | before | monday | tuesday | wednesday |
    thursday | friday | saturday | sunday | noon | midnight | o'clock]])
add_phrases("marker", "partial", nil, [[only | except | excluding | exclude | apart from |
    other than | but not | not the | skip | skipping | without | just the | first step |
    second step | third step | last step | the first one | the second one | some of |
    part of | half of | minus | not all | all but | leave out | hold back | partially |
    partly | not both]])
add_phrases("marker", "changed_plan", nil, [[instead | as well | too | additionally |
    in addition | plus | do the same | same for | same thing for | rather than |
    as opposed to | extra | swap | don't forget | do not forget | also do | and also]])
add_phrases("marker", "hedged", nil, [[probably | maybe | perhaps | possibly | i think |
    i guess | i suppose | i believe | i reckon | i assume | i presume | not sure | unsure |
    should be | might be | could be | ought to be | seems | in principle | in theory |
    up to me | i'd say | i would say | afaik | as far as i know | presumably | hopefully |
    kind of | sort of | don't know | dunno | i imagine | fingers crossed | think so |
    suppose so | guess so | don't think | do not think | not convinced]])
add_phrases("marker", "sarcasm", nil, [[great idea | great plan | brilliant idea |
    brilliant plan | genius | what could go wrong | what could possibly go wrong |
    always goes well | goes well | oh yes | oh yeah | oh sure | oh great | oh good |
    yeah right | yeah sure | sure sure | good luck with that | lol | lmao |
    what a great | love that | fantastic idea | wonderful idea | excellent idea |
    best idea | superb idea | worst that could happen | what's the worst |
    said nobody ever | said no one ever | said no-one ever | as if | just kidding |
    break it | break everything | break things | break it all | ruin it | ruin everything |
    wreck it | wreck everything | destroy everything | mess it up | mess everything up |
    screw it up | screw everything up |
    only kidding | kidding | jk | not really]])
-- Words showing that the reply is not about this request at all. They rule out a refusal too.
add_phrases("marker", "misdirected", nil, [[wrong ticket | wrong thread | wrong request |
    wrong one | wrong case | wrong job | wrong email | wrong message | ignore this |
    ignore that | ignore it | ignore me | ignore my | disregard this | disregard that |
    disregard it | disregard me | disregard my |
    not this one | not this ticket | not for this]])
-- Words that tie an approval to another request ("approved, see the other ticket").
add_phrases("marker", "other_request", nil, [[another ticket | other ticket |
    different ticket | separate ticket | previous ticket | last ticket | other request]])
-- Words that show a yes answers a question of fact ("Yes, that's her mobile number"). They
-- rule out only a plain yes: "Approved, it's the same as last time" still approves.
add_phrases("marker", "other_answer", nil, [[right person | can confirm | i confirm that |
    that's her | that's his | that's their | that is her | that is his | that's correct |
    that is correct | that's right | that is right | correct | it's the | it is the |
    that's the | that is the | she is | he is | she's | he's]])
-- Words that make the approval before them a quotation of someone else's ("Approved - that's
-- what the client said").
add_phrases("marker", "other_request", nil, [[that's what | that is what | is what she said |
    is what he said | quote | unquote | quoting | in her words | in his words |
    in their words | forwarding | forwarded | fwd | fw]])
add_phrases("marker", "correction", nil, [[actually | on second thought | on second thoughts |
    scratch that | sorry | i mean | meant | correction | change of plan |
    on reflection | rather | oops | my bad | my mistake | thinking about it]])

-- "please do" approves, "please do not" and "please do nothing" refuse: a phrase listed here
-- does not match when the next word is a negation or "nothing".
local NOT_BEFORE_NEGATION = {["please do"] = true, ["do it"] = true, ["do this"] = true,
    ["do that"] = true}

--[[
The phrase index. PHRASE_INDEX.slots holds the phrases: a phrase takes one slot for its entry,
then one slot for each of its words after the first, and false follows the last phrase that
starts with a given word. An entry is a table of kind, value, context and length (the phrase's
word count), shared by every phrase with the same four. PHRASE_INDEX.starts[word] is the slot
where the phrases that start with word begin, longest first. This layout takes about 140 KiB
less of the Lua state than a table per phrase did (collectgarbage("count") under lua5.4, after
a full collection), which the memory goal of 2 MiB per MSP needs.
]]
local PHRASE_INDEX
do
    -- The entries by kind, value and context, then by length. Phrase groups of add_phrases
    -- calls with the same three share one key.
    local entries, key_of_group = {}, {}
    local function entry_of(phrase)
        local group = getmetatable(phrase)
        local key = key_of_group[group]
        if key == nil then
            key = string.format("%s|%s|%s", phrase.kind, tostring(phrase.value),
                tostring(phrase.context))
            key_of_group[group] = key
            entries[key] = entries[key] or {}
        end
        local by_length = entries[key]
        if by_length[#phrase] == nil then
            by_length[#phrase] = {kind = phrase.kind, value = phrase.value,
                context = phrase.context, length = #phrase}
        end
        return by_length[#phrase]
    end

    local by_first_word, first_words = {}, {}
    for _, phrase in ipairs(PHRASES) do
        local bucket = by_first_word[phrase[1]]
        if bucket == nil then
            bucket = {}
            by_first_word[phrase[1]] = bucket
            first_words[#first_words + 1] = phrase[1]
        end
        bucket[#bucket + 1] = phrase
    end

    local slots, starts = {}, {}
    for _, first in ipairs(first_words) do
        -- Longest first. Among phrases of one length the order does not matter, because the
        -- lists name no phrase twice and so at most one of them can match at a token.
        local bucket = by_first_word[first]
        table.sort(bucket, function(left, right)
            return #left > #right
        end)
        starts[first] = #slots + 1
        for _, phrase in ipairs(bucket) do
            slots[#slots + 1] = entry_of(phrase)
            table.move(phrase, 2, #phrase, #slots + 1, slots)
        end
        slots[#slots + 1] = false
    end

    -- A table constructor sizes the array to the values it is given, where appending rounds
    -- it up to the next power of two. A string key added to the same table would make Lua
    -- resize the array to a power of two again, so the starts are a table of their own.
    PHRASE_INDEX = {slots = {table.unpack(slots)}, starts = starts}
end

-- A one-word decision or marker keeps a line out of a signature, as DECISION_LIKE_WORDS do:
-- "Approved\n\nTom\nTomorrow" keeps its last line.
for _, phrase in ipairs(PHRASES) do
    if #phrase == 1 and phrase.kind ~= "idiom" then
        DECISION_LIKE_WORDS[phrase[1]] = true
    end
end

-- Every word the lists know, so a known word is never read as a misspelling.
-- The table contains the phrase words that no list names and looks the others up in the lists,
-- because a copy of every list's words took 10 KiB more of each MSP's Lua state.
local KNOWN_WORDS = {}
do
    local lists = {FILLER, OWN_CONTEXT, ADJECTIVE_CONTEXT, NEGATORS, HEDGES, FUTURE, OTHERS,
        ACTION_VERBS, HARMLESS_AFTER_DONT, STEP_NOUNS, TAIL_WORDS, COURTESY_WORDS, FOREIGN_WORDS,
        REAL_WORDS_NEAR_DECISIONS, NO_ANSWER_PREFIX, NO_ANSWER_TAIL, PAST_VERBS,
        ONLY_STATEMENT_VERBS, ONLY_STATEMENT_NOUNS, RISK_NOUNS}
    local function in_lists(word)
        for _, list in ipairs(lists) do
            if list[word] then
                return true
            end
        end
        return nil
    end
    -- A set of every list's word, garbage once the file has loaded, keeps this loop from
    -- reading twenty lists for each of the phrases' 3,700 words.
    local listed = {}
    for _, list in ipairs(lists) do
        for word in pairs(list) do
            listed[word] = true
        end
    end
    for _, phrase in ipairs(PHRASES) do
        for _, word in ipairs(phrase) do
            if not listed[word] then
                KNOWN_WORDS[word] = true
            end
        end
    end
    setmetatable(KNOWN_WORDS, {__index = function(_, word)
        return in_lists(word)
    end})
end

-------------------------------------------------------------------------------------------
-- Step 4: tokens, clauses and sentences
-------------------------------------------------------------------------------------------

-- True when two lowercase words are at most one edit apart: one letter inserted, removed or
-- replaced, or two neighbouring letters swapped (Damerau-Levenshtein distance 1).
local function within_one_edit(left, right)
    local left_length, right_length = #left, #right
    if math.abs(left_length - right_length) > 1 then
        return false
    end
    local index = 1
    while index <= left_length and index <= right_length
        and left:byte(index) == right:byte(index) do
        index = index + 1
    end
    if index > left_length and index > right_length then
        return true
    end
    if left_length == right_length then
        if left:sub(index + 1) == right:sub(index + 1) then
            return true
        end
        return left:byte(index) == right:byte(index + 1)
            and left:byte(index + 1) == right:byte(index)
            and left:sub(index + 2) == right:sub(index + 2)
    elseif left_length < right_length then
        return left:sub(index) == right:sub(index + 1)
    end
    return left:sub(index + 1) == right:sub(index)
end

-- Returns the decision word that an unknown word misspells, or nil.
local function correct_misspelling(word)
    if #word < 4 or KNOWN_WORDS[word] or not word:find("^%l+$") then
        return nil
    end
    for _, target in ipairs(MISSPELLING_TARGETS) do
        if within_one_edit(word, target) then
            return target
        end
    end
    return nil
end

-- Returns the word that a stretched spelling stands for ("noooo", "yesss", "goood"): runs of
-- three or more letters shortened to one or two, whichever the lists know.
local function stretched_word(word)
    local single, double = {}, {}
    local previous, run = nil, 0
    for character in word:gmatch(".") do
        run = character == previous and run + 1 or 1
        previous = character
        if run == 1 then
            single[#single + 1] = character
        end
        if run <= 2 then
            double[#double + 1] = character
        end
    end
    local shortened = table.concat(single)
    if KNOWN_WORDS[shortened] then
        return shortened
    end
    shortened = table.concat(double)
    return KNOWN_WORDS[shortened] and shortened or word
end

-- Words ending in "ing" that are not verbs: "stop everything" is not "stop asking".
local THING_WORDS = word_set("everything anything nothing something thing")

local CONJUNCTIONS = word_set("and but so or although though however because while whereas")

-- Words that may stand beside a name before a colon: "Reply from the client: approved".
local ATTRIBUTION_WORDS = word_set([[from the at of reply response answer message words email
    mail note comment verdict decision on by via phone call]])

--[[
Splits the own words into tokens. The text must be ASCII (classify replaces other bytes).
Returns a state table with, per token index: words (lower case, contractions spelt out,
misspellings corrected), first and last (byte positions in the text), sentence and clause
numbers, quoted (inside double quotes), capitalised and misspelt. A sentence ends at . ! ? ;
or a line break, a clause also at , : / | a spaced dash or a conjunction, but not at
brackets: "approved (for the other ticket)" keeps its words in one clause. A clause after
"Name:" or "Name -" is marked attributed. Each clause records its number and each sentence
its first clause. sentences[n].question is true when sentence n ends with "?".
writer is nil or the reply's writer ({words = her name's words as tokens}), and writer_token
marks the tokens of her name (below), which no rule reads as someone else's name.
]]
local function tokenize(text, writer)
    local lower = text:lower()
    local state = {
        text = text, words = {}, first = {}, last = {}, sentence = {}, clause = {},
        quoted = {}, capitalised = {}, misspelt = {}, sentences = {}, clauses = {},
        writer = writer, writer_token = {},
    }
    local position = 1
    local in_quotes, in_single_quotes = false, false
    local sentence_number, clause_number = 0, 0
    local new_sentence, new_clause = true, true

    while true do
        local first, last = lower:find("[%w][%w']*", position)
        local gap = lower:sub(position, first and first - 1 or #lower)
        if gap:find("[%.!%?;\n]") then
            if gap:find("?", 1, true) and sentence_number > 0 then
                state.sentences[sentence_number].question = true
            end
            new_sentence = true
        end
        if gap:find("[,:/|\"]") or gap:find("%s%-") or gap:find("%-%s")
            or gap:find("%-%-") then
            new_clause = true
        end
        -- A double quote right before a word opens a quotation, one right after a word (or
        -- its punctuation) closes it, and so does the end of a sentence. Single quotes work
        -- the same way, except that an apostrophe inside a word ("don't") is part of it.
        if gap:find("^[%.,!%?;:]?\"") or gap:find("[%.!%?;\n]") then
            in_quotes = false
        end
        if gap:find("^[%.,!%?;:]?'") or gap:find("[%.!%?;\n]") then
            in_single_quotes = false
        end
        if gap:find("\"$") then
            in_quotes = true
        end
        if gap:find("'$") then
            in_single_quotes = true
        end
        if first == nil then
            break
        end

        local word = lower:sub(first, last)
        local closes_single_quote = false
        while word:sub(-1) == "'" do
            word = word:sub(1, -2)
            last = last - 1
            closes_single_quote = in_single_quotes
        end
        word = CONTRACTIONS[word] or word
        if word:find("(%a)%1%1") then
            word = stretched_word(word)
        end
        local corrected = correct_misspelling(word)

        if new_sentence then
            sentence_number = sentence_number + 1
            state.sentences[sentence_number] = {question = false, first_clause = clause_number + 1}
            new_clause = true
        end
        if new_clause or (CONJUNCTIONS[word] and #state.words > 0) then
            clause_number = clause_number + 1
            state.clauses[clause_number] = {
                number = clause_number, sentence = sentence_number, first = #state.words + 1,
                conjunction = CONJUNCTIONS[word] and word or nil,
                after_colon = gap:find(":", 1, true) ~= nil,
                after_dash = gap:find("%s%-") ~= nil or gap:find("%-%s") ~= nil
                    or gap:find("%-%-") ~= nil,
            }
        end
        new_sentence, new_clause = false, false

        local index = #state.words + 1
        state.words[index] = corrected or word
        state.misspelt[index] = corrected ~= nil
        state.first[index], state.last[index] = first, last
        state.sentence[index], state.clause[index] = sentence_number, clause_number
        state.quoted[index] = in_quotes or in_single_quotes
        state.capitalised[index] = text:find("^%u", first) ~= nil
        state.clauses[clause_number].last = index
        position = last + 1
        if closes_single_quote then
            -- The apostrophe closing the quote is after the word: keep it out of the gap.
            position = position + 1
            in_single_quotes = false
        end
    end

    -- The writer's name: each occurrence of her whole name, and her first name alone when the
    -- lists do not know it ("Will" is a word). One name beside another capitalised name is
    -- someone else's ("Reply from Sam Smith:" by Sam Lead). A word of OTHERS is never marked,
    -- so a writer called "Customer Services" cannot make "Customer replied: approved" her own.
    -- NOTE: the first name alone is read as the writer's, so "Sam: approved" by Sam Lead
    -- approves even when the requester is a Sam too.
    local name = writer ~= nil and writer.words or {}
    local function is_other_name(index)
        local word = state.words[index]
        return word ~= nil and state.capitalised[index] and not KNOWN_WORDS[word]
    end
    for index = 1, #name > 0 and #state.words or 0 do
        local whole = true
        for offset = 1, #name do
            if state.words[index + offset - 1] ~= name[offset] then
                whole = false
                break
            end
        end
        local count = whole and #name or (not KNOWN_WORDS[name[1]]
            and state.words[index] == name[1] and 1 or 0)
        local sentence = state.sentence[index]
        if count == 1 and ((is_other_name(index + 1) and state.sentence[index + 1] == sentence)
            or (is_other_name(index - 1) and state.sentence[index - 1] == sentence)) then
            count = 0
        end
        for marked = index, index + count - 1 do
            if not OTHERS[state.words[marked]] then
                state.writer_token[marked] = true
            end
        end
    end

    -- "Priya: approved", "Client: yes" and "Dave - approved" give someone else's words. The
    -- writer's own name before them ("Sam Lead: approved" by Sam Lead) gives hers.
    for number = 2, clause_number do
        local clause, previous = state.clauses[number], state.clauses[number - 1]
        if (clause.after_colon or clause.after_dash) and previous.sentence == clause.sentence then
            local names, others = 0, 0
            for index = previous.first, previous.last do
                local word = state.words[index]:gsub("'s$", "")
                if state.writer_token[index] then
                    -- The writer's own name counts as neither.
                elseif OTHERS[word] or (state.capitalised[index] and not KNOWN_WORDS[word]) then
                    names = names + 1
                elseif not ATTRIBUTION_WORDS[word] then
                    others = others + 1
                end
            end
            clause.attributed = names > 0 and others == 0
        end
    end

    -- "Approved?" alone: a question mark after the last word.
    if sentence_number > 0 and lower:find("?", state.last[#state.words] or 1, true) then
        state.sentences[sentence_number].question = true
    end
    return state
end

-------------------------------------------------------------------------------------------
-- Step 5: decision words in their clauses
-------------------------------------------------------------------------------------------

local QUESTION_WORDS = word_set("why what how who which where what's how's whom whose")
local QUESTION_VERBS = word_set([[should shall can could would will is are do does did have has
    am was were isn't aren't don't doesn't didn't won't wouldn't can't shouldn't]])
local PRONOUNS = word_set("i we you it this that there they he she")
-- "Do it" is an instruction, "do you" a question.
local PERSONS = word_set("i we you they he she")

local COUNT_WORDS = word_set("two three four five six seven eight nine ten")

-- True when the token at index counts the whole plan: a number right after "all" ("approve all
-- 3 steps", "all three steps approved"). "Approve steps 1 to 3" names steps instead.
local function counts_all_steps(state, index)
    local word = state.words[index]
    return state.words[index - 1] == "all" and state.sentence[index - 1] == state.sentence[index]
        and (COUNT_WORDS[word] or word:find("^%d%d?$") ~= nil)
end

local function add_flag(state, flag, first_token, last_token)
    local list = state.flags[flag]
    if list == nil then
        list = {}
        state.flags[flag] = list
    end
    list[#list + 1] = {first = first_token, last = last_token or first_token}
end

-- Returns the phrase entry that starts at token index and ends at or before limit, and the
-- index of its last token, or nil.
local function match_phrase(state, index, limit)
    local position = PHRASE_INDEX.starts[state.words[index]]
    if position == nil then
        return nil
    end
    local slots = PHRASE_INDEX.slots
    local entry = slots[position]
    while entry do
        local last = index + entry.length - 1
        if last <= limit then
            local matched = true
            for offset = 1, entry.length - 1 do
                if state.words[index + offset] ~= slots[position + offset] then
                    matched = false
                    break
                end
            end
            local next_word = state.words[last + 1]
            if matched and last < limit and (NEGATORS[next_word] or next_word == "nothing")
                and entry.length == 2
                and NOT_BEFORE_NEGATION[phrase_text(state, index, last)] then
                matched = false
            end
            if matched then
                return entry, last
            end
        end
        position = position + entry.length
        entry = slots[position]
    end
    return nil
end

-- True when an approval phrase starts at token index.
local function approval_starts_at(state, index, limit)
    local entry = match_phrase(state, index, limit)
    return entry ~= nil and entry.kind == "approve"
end

--[[
Judges the words before a decision word in its clause. Returns "quoted" (inside double
quotes: a mention, not a use), "others" (someone else's decision: "the client approved"),
"unknown" (words the lists cannot place), "negated", "hedged", "future" or "own".
context is the entry's context: "yes" allows only fillers, "adjective" the words of
ADJECTIVE_CONTEXT, "verb" and "go" the words of OWN_CONTEXT. More than MAX_PREFIX_WORDS
words are "unknown" without a look, which keeps a long clause linear in time.
]]
local MAX_PREFIX_WORDS = 12

local function judge_prefix(state, indices, context)
    if #indices > MAX_PREFIX_WORDS then
        return "unknown"
    end
    local negated, hedged, future, others, unknown = false, false, false, false, false
    for _, index in ipairs(indices) do
        local word = state.words[index]
        local marker = state.marker[index]
        if state.quoted[index] then
            return "quoted"
        end
        if marker ~= nil then
            -- A marker's words count by the marker: "not sure" hedges, it does not negate.
            if marker == "hedged" or marker == "condition" or marker == "condition_weak" then
                hedged = true
            elseif marker == "deferral" or marker == "deferral_weak" then
                future = true
            else
                unknown = true
            end
        elseif NEGATORS[word] then
            negated = true
        elseif counts_all_steps(state, index) and context ~= "yes" then
            -- "All three steps approved": the count belongs to "all".
        elseif (word == "can" or word == "may") and state.words[index - 1] ~= "you" then
            -- "You can go ahead" gives permission, "I can approve these" states an ability.
            hedged = true
        elseif FILLER[word] then
            -- Fillers never change a decision.
        elseif context == "no_answer" and NO_ANSWER_PREFIX[word] then
            -- "say" reports someone else's answer only with a subject from OTHERS.
        elseif HEDGES[word] then
            hedged = true
        elseif FUTURE[word] then
            future = true
        elseif OTHERS[word] or (state.capitalised[index] and not KNOWN_WORDS[word]) then
            others = true
        elseif context == "yes" then
            unknown = true
        elseif context == "adjective" then
            unknown = unknown or not ADJECTIVE_CONTEXT[word]
        elseif context == "no_answer" then
            unknown = unknown or not OWN_CONTEXT[word]
        else
            unknown = unknown or not OWN_CONTEXT[word]
        end
    end
    if others then
        return "others"
    elseif unknown then
        return "unknown"
    elseif negated then
        return "negated"
    elseif hedged then
        return "hedged"
    elseif future then
        return "future"
    end
    return "own"
end

local function any_misspelt(state, first_token, last_token)
    for index = first_token, last_token do
        if state.misspelt[index] then
            return true
        end
    end
    return false
end

-- True when a clause says the technician does the work by hand: "I'll do it myself", "we'll
-- do this manually".
local function takes_over(state, clause)
    for index = clause.first, clause.last do
        local word = state.words[index]
        if word == "myself" or word == "ourselves" or word == "manually"
            or (word == "hand" and state.words[index - 1] == "by") then
            return true
        end
    end
    return false
end

local FIRST_PERSON = word_set("i i'm i've i'll i'd we we're we've we'll we'd me")
local POSSESSIVES = word_set("the her his their our my your")

-- Returns "others" when a clause opens with someone else as subject ("the client", "her
-- manager", a name the lists do not know) or with a passive verb ("Reviewed by Dave"), "own"
-- when it opens with a first-person word or a verb of PAST_VERBS ("Checked the logs"), and
-- nil otherwise.
local function clause_subject(state, clause)
    local index = clause.first
    if CONJUNCTIONS[state.words[index]] then
        index = index + 1
    end
    while index < clause.last and FILLER[state.words[index]] do
        index = index + 1
    end
    if POSSESSIVES[state.words[index]] and index < clause.last then
        index = index + 1
    elseif (state.words[index] == "that" or state.words[index] == "this")
        and index < clause.last and EXPLANATION_SUBJECTS[state.words[index + 1]] then
        -- "That laptop goes back tomorrow": a determiner before a thing the plan acts on.
        index = index + 1
    end
    if index > clause.last then
        return nil
    end
    local subject = state.words[index]:gsub("'s$", "")
    if PAST_VERBS[subject] and state.words[index + 1] == "by" then
        return "others"
    elseif FIRST_PERSON[subject] or PAST_VERBS[subject] then
        return "own"
    elseif OTHERS[subject] or (state.capitalised[index] and not KNOWN_WORDS[subject]) then
        return "others"
    elseif EXPLANATION_SUBJECTS[subject] or EXPLANATION_SUBJECTS[state.words[index]] then
        return "explanation"
    elseif subject == "nobody" or (subject == "no" and state.words[index + 1] == "one") then
        -- "No one else uses that mailbox" describes who is affected.
        return "explanation"
    elseif state.words[index] == "that's" or ((subject == "that" or subject == "this")
        and (state.words[index + 1] == "is" or state.words[index + 1] == "was")) then
        -- "That's her account", "this is the right mailbox" describe what the plan acts on.
        return "explanation"
    end
    return nil
end

-- True when a clause joined by a conjunction continues the clause before it, or the first clause
-- of its sentence, and that clause has a subject: "the user is aware and expecting the reset".
local function inherits_subject(state, clause)
    if clause.conjunction == nil or clause.number == 1 then
        return false
    end
    local previous = state.clauses[clause.number - 1]
    if previous.sentence ~= clause.sentence then
        return false
    end
    local first_clause = state.clauses[state.sentences[clause.sentence].first_clause]
    return clause_subject(state, previous) ~= nil or clause_subject(state, first_clause) ~= nil
end

--[[
True when a clause joined by "and" has no subject of its own and the clause before it in the
sentence (or else the sentence's first clause) has someone else as subject, so its decision is
theirs: "The client called and approved", "Dave has reviewed and approved it". A first-person
word before the decision makes it own again ("The client called and I approved").
]]
local function shares_reported_subject(state, clause_number, prefix)
    local clause = state.clauses[clause_number]
    if clause.conjunction ~= "and" or clause_number == 1 then
        return false
    end
    for _, index in ipairs(prefix) do
        if FIRST_PERSON[state.words[index]] then
            return false
        end
    end

    local previous = state.clauses[clause_number - 1]
    if previous.sentence ~= clause.sentence then
        return false
    end
    local subject = clause_subject(state, previous)
    if subject == "explanation" then
        subject = nil
    end
    if subject == nil then
        local first_clause = state.sentences[clause.sentence].first_clause
        subject = clause_subject(state, state.clauses[first_clause])
    end
    return subject == "others"
end

-- The markers of decisions that someone else gave, run before the decision words are read.
-- They share one block because the chunk is near Lua's limit of 200 locals.
local mark_sourced_sentences
local mark_relayed_clauses
do
    -- Words that may stand between a source word and the person it names: "per the client",
    -- "according to her manager".
    local SOURCE_FILLER = word_set("to the a our my her his their of from with")

    -- The lists of this block are strings of words between spaces, not sets, which keeps
    -- the policy's memory small. listed(list, word) is true when word is one of them.
    local function listed(list, word)
        return word ~= nil and list:find(" " .. word:gsub("%p", "%%%0") .. "%s") ~= nil
    end

    -- The words of a rule that the writer follows: up to three of RULE_MODIFIERS, then a word
    -- of RULE_NOUNS ("our standard process", "SOP").
    local RULE_MODIFIERS = [[ our the my your company company's msp msp's standard usual normal
        internal security it change management operating agreed current existing documented
        team service ]]
    local RULE_NOUNS = [[ policy policies process processes procedure procedures runbook
        runbooks sop sops playbook guidelines guidance rules standard standards protocol
        checklist sla contract agreement ]]

    --[[
    Marks in state.rule_reason the rules that the writer names as the reason for her decision:
    "per", "as per", "in line with", "in accordance with", "in keeping with", "according to",
    "following" or "under" before the words of a rule, in one clause ("Approved per our
    policy", "go ahead in line with SOP"). rule_reason[first] is the last token of the reason,
    and in_rule_reason marks every token of it. A person after the opener ("per the client")
    is no rule, so it stays a source.
    ]]
    local function mark_rule_reasons(state)
        local words = state.words
        state.rule_reason, state.in_rule_reason = {}, {}
        for index, word in ipairs(words) do
            local after = nil
            if word == "per" or word == "following" or word == "under" then
                after = index + 1
            elseif word == "according" and words[index + 1] == "to" then
                after = index + 2
            elseif word == "in" and (words[index + 1] == "line" or words[index + 1] == "accordance"
                or words[index + 1] == "keeping") and words[index + 2] == "with" then
                after = index + 3
            end
            local first = (word == "per" and words[index - 1] == "as") and index - 1 or index
            local last = nil
            local position = after
            while position ~= nil and position <= after + 3 and words[position] ~= nil
                and state.clause[position] == state.clause[index] do
                if listed(RULE_NOUNS, words[position]) then
                    last = position
                elseif not listed(RULE_MODIFIERS, words[position]) then
                    break
                end
                position = position + 1
            end
            if last ~= nil and state.clause[first] == state.clause[index] then
                state.rule_reason[first] = last
                for marked = first, last do
                    state.in_rule_reason[marked] = true
                end
            end
        end
    end

    --[[
    Marks each sentence that names someone else as the source of what it says: "Per Dave: go
    ahead", "According to the client, it's approved", "On behalf of the client: approved". The
    person must follow "per", "according to" or "behalf of" within four words, so "as per our
    call" is no source, and neither is a rule (mark_rule_reasons): "per SOP".
    ]]
    function mark_sourced_sentences(state)
        local words = state.words
        mark_rule_reasons(state)
        for index, word in ipairs(words) do
            local opens_source = word == "per" or (word == "according" and words[index + 1] == "to")
                or (word == "behalf" and words[index + 1] == "of")
            if opens_source and not state.in_rule_reason[index] then
                for ahead = index + 1, math.min(index + 4, #words) do
                    local next_word = words[ahead]:gsub("'s$", "")
                    if state.sentence[ahead] ~= state.sentence[index] then
                        break
                    end
                    if OTHERS[next_word] or (state.capitalised[ahead]
                        and not KNOWN_WORDS[next_word] and not state.writer_token[ahead]) then
                        state.sentences[state.sentence[index]].sourced = true
                        break
                    end
                    if not SOURCE_FILLER[next_word] then
                        break
                    end
                end
            end
        end
    end

    -- The people a technician relays: the requester in its usual names, and pronouns.
    local RELAY_REPORTERS = " client clients customer customers user users requester requestor "
        .. "caller he she they "

    -- Verbs that report someone's words: "Jane replied". "Called" and "rang" tell of a
    -- contact, not of words: "Client rang - go ahead" is the writer's own go-ahead.
    local RELAY_VERBS = [[ said says replied replies wrote writes emailed e-mailed texted
        messaged answered responded confirmed ]]

    -- Nouns of someone's words: "Client reply", "the customer's answer".
    local RELAY_NOUNS = [[ reply response answer message email mail text words verdict
        decision voicemail ]]

    -- Words that may follow a lead before a line break or a decision word: "Jane has just
    -- emailed back to say yes", "the client's reply below".
    local RELAY_EXTRAS = [[ has have had just also back by on over via in the a an phone email
        e-mail mail text sms teams chat call to me us this that morning afternoon evening today
        earlier yesterday now below above with say saying her his their our my from ]]

    -- Decision words that may open the relayed answer right after a lead.
    local RELAY_DECISIONS = [[ approved approve yes yep yeah yup ok okay fine sure go proceed
        confirmed lgtm no nope nah deny denied decline declined cancel stop reject rejected ]]

    -- The maximum number of words at the start of a sentence that are read for a lead.
    local RELAY_LEAD_SCAN = 12

    -- True when the token at index names someone other than the writer: a word of
    -- RELAY_REPORTERS (or its possessive) or a capitalised word that the lists do not know
    -- and that is not the writer's name.
    local function is_reporter(state, index)
        local word = state.words[index]:gsub("'s$", "")
        return listed(RELAY_REPORTERS, word) or (state.capitalised[index]
            and not state.writer_token[index]
            and not KNOWN_WORDS[word] and not DECISION_LIKE_WORDS[word]
            and not listed(RELAY_VERBS, word) and not listed(RELAY_NOUNS, word)
            and not listed(RELAY_EXTRAS, word))
    end

    -- Words after a speaker's name that tell when or how she answered, not who: "Jane Doe,
    -- Mon 3 Jun", "Jane Doe at 09:14", "Client via portal". A word with a digit counts too.
    local LABEL_TAIL_WORDS = [[ at on via through by in over from today yesterday this
        morning afternoon evening am pm mon monday tue tuesday wed wednesday thu thursday fri
        friday sat saturday sun sunday jan january feb february mar march apr april may jun
        june jul july aug august sep sept september oct october nov november dec december
        phone email e-mail mail text sms teams chat call portal form ticket ]]

    -- Reporting verbs that may end a speaker's label, and the words that may follow them:
    -- "Jane signed off", "Jane OK'd it", "Jane confirmed by phone".
    local LABEL_VERBS = [[ said says wrote writes replied replies responded answered
        confirmed confirms agreed agrees signed ok'd okd okayed oked texted emailed messaged ]]
    local LABEL_VERB_EXTRAS = [[ off it this that so back to ]]

    --[[
    True when label (the start of a line up to its colon) names someone other than the writer
    as the speaker of what follows: an e-mail address, with or without a name ("Jane Doe
    <jane.doe@acme.example>", "jane.doe@acme.example"), or one to four names (capitalised
    words that the lists do not know, or a word of RELAY_REPORTERS), optionally followed by
    when or how she answered ("Jane Doe, 09:14", "Jane Doe on 3 Jun", "Client via portal") or
    by a reporting verb ("Jane signed off", "Jane OK'd it"). A heading ("Update 09:14") or the
    writer herself ("I confirmed", or her whole or first name without an address) is no
    speaker. writer is nil or the reply's writer (approval.classify).
    ]]
    local function is_speaker_label(label, writer)
        if #label > 100 then
            return false
        end
        local bare, bracketed = label:gsub("%s*[<%(][^<>%(%)]*@[^<>%(%)]*[>%)]", " ")
        local plain
        bare, plain = bare:gsub("[%w%.%-_+]+@[%w%.%-]+", " ")

        -- "Sam Lead for Jane Doe" and "Me (for the client)" give the answer of the person after
        -- "for", even when the writer's own name comes first.
        local speaker, person = bare:match("^%s*([^,(]-)[%s,(]+for%s+([^()]-)%)?%s*$")
        if speaker ~= nil and speaker:find("%a") and not speaker:find("%s%S+%s%S+%s%S+%s") then
            local people = 0
            for word in person:gsub("^the%s+", ""):gmatch("%S+") do
                local lower = word:lower():gsub("'s$", "")
                if people >= 4 or not (listed(RELAY_REPORTERS, lower)
                    or (word:find("^%u") and not KNOWN_WORDS[lower])) then
                    people = -1
                    break
                end
                people = people + 1
            end
            if people > 0 then
                return true
            end
        end

        -- Read the names, then what follows them: a reporting verb and its extras, or when
        -- and how. A first name that is also a word ("Mark Hill", "Will Smith") counts only
        -- before a name the lists do not know, so "Update 09:14" stays a heading.
        local names, count, after_names = 0, 0, false
        local name_words = {}
        local known_first = false
        for word in bare:gmatch("[^%s,]+") do
            count = count + 1
            local lower = word:lower():gsub("[%.%-]+$", "")
            local name = lower:gsub("'s$", "")
            local is_tail = lower:find("%d") ~= nil or listed(LABEL_TAIL_WORDS, lower)
            if count > 10 then
                return false
            elseif not word:find("%w") then
                -- A dash or another sign between the parts: "Jane Doe - 09:14".
                count = count - 1
            elseif names > 0 and not after_names and listed(LABEL_VERBS, lower) then
                after_names = true
            elseif names > 0 and (is_tail or (after_names and listed(LABEL_VERB_EXTRAS, lower)))
                then
                after_names = true
            elseif count == 1 and word:find("^%u%l") and KNOWN_WORDS[name]
                and not FIRST_PERSON[name] and not DECISION_LIKE_WORDS[name]
                and not listed(RELAY_REPORTERS, name) then
                names, known_first = 1, true
                name_words[1] = lower
            elseif after_names or names >= 4 or FIRST_PERSON[name] or DECISION_LIKE_WORDS[name]
                or not (listed(RELAY_REPORTERS, name)
                or (word:find("^%u") and not KNOWN_WORDS[name])) then
                return false
            else
                names = names + 1
                -- "Client" names the requester whatever the writer is called.
                name_words[names] = not listed(RELAY_REPORTERS, name) and lower or "?"
            end
        end
        if known_first and (names < 2 or name_words[2] == "?") then
            return false
        end
        if names > 0 and bracketed + plain == 0 and writer ~= nil then
            local spoken = approval.fold_look_alikes(table.concat(name_words, " ")):lower()
            if spoken == writer.text or spoken == writer.first then
                return false
            end
        end
        return names > 0 or (count == 0 and bracketed + plain > 0)
    end

    -- Words of a label that name no person: "Note:", "Update 09:14:", "Approval: yes".
    local LABEL_HEADINGS = [[ note notes nb ps pps fyi update updates updated status re answer
        answers decision decisions approval approvals edit edited comment comments remark
        summary outcome result reply response internal private tech ]]

    -- Words of a label that name people by their role or relation: "Jane, office manager:",
    -- "the customer's manager:".
    local LABEL_ROLES = [[ manager managers office director directors owner owners boss
        assistant admin administrator head team hr finance ceo cfo cto coo md pa secretary
        receptionist partner partners supervisor colleague colleagues contact department dept
        staff service desk helpdesk support him her them ]]
    local LABEL_TITLES = " mr mrs ms mx miss dr prof sir dame rev "
    local LABEL_CONNECTORS = " and the of from "

    -- Words the lists know that are first names too: "Mark:" names someone, "Done:" does not.
    local LABEL_NAME_WORDS = " mark will hope chase may bill frank pat grace joy rose guy "

    --[[
    Reads label (the start of a line before its colon or spaced dash) as a speaker's label.
    Returns "own" for the writer's whole or first name, after look-alike letters are folded
    and maybe with a time ("Sam Lead 09:14"), or for heading words alone ("Note", "Update
    09:14"). Returns "other" for anyone else: names in either case ("Mark", "jane doe"), a role
    ("Jane, office manager", "the customer's manager"), initials ("J.D.", "JD"), a title ("Mrs
    Doe"), two people ("Tom and Jane") or words in brackets ("Jane Doe (Acme IT)"). Returns nil
    when label is no speaker's label: a word the lists know other than these ("Checked the
    logs", "Thanks"), a decision or refusal word ("No objections"), the writer as "I" or "me",
    a single lower-case word ("thx"), lower-case words beside capitalised ones ("Sorted
    itself"), and before_dash one capitalised word ending in "ed" or "ing", which is more often
    a verb ("Patched - go ahead"). writer is nil or the reply's writer (approval.classify), so
    without it every name is "other".
    ]]
    local function read_label(label, writer, before_dash)
        if #label > 60 or label:find("[!%?;@]") then
            return nil
        end
        local brackets = 0
        local bare = label:gsub("%b()", function(bracketed)
            if bracketed:find("%a") then
                brackets = brackets + 1
            end
            return " "
        end)

        local names, others, headings, connectors, lower_names = {}, brackets, 0, 0, 0
        local verb_like = false
        for word in bare:gmatch("[^%s,&/]+") do
            local lower = word:lower():gsub("%.+$", ""):gsub("'s$", "")
            local initials = word:find("^%u%.?$") or word:find("^%u%.%u%.?$")
                or word:find("^%u%u%u?$")
            if not word:find("%w") or lower:find("%d") or listed(LABEL_TAIL_WORDS, lower) then
                -- A sign between the parts or when she replied: "Jane Doe - 09:14".
            elseif listed(LABEL_CONNECTORS, lower) then
                connectors = connectors + 1
            elseif FIRST_PERSON[lower] or lower == "my" or lower == "our"
                or DECISION_LIKE_WORDS[lower] or NEGATORS[lower] or FILLER[lower]
                or COURTESY_WORDS[lower] or correct_misspelling(lower) ~= nil then
                return nil
            elseif listed(LABEL_HEADINGS, lower) then
                headings = headings + 1
            elseif initials or listed(LABEL_TITLES, lower) or listed(LABEL_ROLES, lower)
                or listed(RELAY_REPORTERS, lower) then
                others = others + 1
            elseif word:find("^%u") and (not KNOWN_WORDS[lower]
                or listed(LABEL_NAME_WORDS, lower)) then
                names[#names + 1] = lower
                verb_like = verb_like or lower:find("%a%aed$") ~= nil
                    or lower:find("%a%aing$") ~= nil
            elseif lower:find("^%a+$") and not KNOWN_WORDS[lower] then
                names[#names + 1] = lower
                lower_names = lower_names + 1
            else
                return nil
            end
        end

        if #names == 0 and others == 0 then
            return headings > 0 and connectors == 0 and "own" or nil
        end
        if (lower_names == 1 and #names == 1 and others == 0)
            or (lower_names > 0 and lower_names < #names)
            or (before_dash and verb_like and #names == 1) then
            return nil
        end
        if others == 0 and writer ~= nil then
            local spoken = approval.fold_look_alikes(table.concat(names, " ")):lower()
            if spoken == writer.text or spoken == writer.first then
                return "own"
            end
        end
        return "other"
    end

    --[[
    Reads the speaker's label that opens text at first, on a line that ends at last: the label
    runs to the first colon that is not inside a time ("Jane Doe 09:14:") and is read by
    read_label, then by is_speaker_label, or to a spaced dash before any such colon ("Mark -
    approved") and is read by read_label. Returns the position of the label's last byte, the
    reading of read_label ("own", "other" or nil) and whether the label relays what follows.
    ]]
    local function read_line_label(state, first, last)
        local text = state.text
        local colon = first
        while true do
            -- The search stops at the line's end, so a long text is read once.
            local found = text:find("[:\n]", colon)
            if found == nil or found > last then
                colon = nil
                break
            elseif text:find("^%d:%d", found - 1) then
                colon = found + 1
            else
                colon = found
                break
            end
        end

        local label_last, reading, relays = nil, nil, false
        if colon ~= nil then
            local label = text:sub(first, colon - 1)
            reading = read_label(label, state.writer)
            relays = reading == "other"
                or (reading == nil and is_speaker_label(label, state.writer))
            label_last = colon
        end
        local line = text:sub(first, last)
        local dash = line:find("%s%-+%s") or line:find("%s%-+$")
        if reading == nil and not relays and dash ~= nil
            and (colon == nil or first + dash - 1 < colon) then
            reading = read_label(line:sub(1, dash - 1), state.writer, true)
            relays = reading == "other"
            label_last = first + (line:find("%-%s", dash) or #line) - 1
        end
        return label_last, reading, relays
    end

    -- The maximum number of labels read at the start of one line: "Update: Mark - approved".
    local LINE_LABEL_SCAN = 3

    --[[
    Marks as attributed the clauses after a line's speaker label (read_line_label). A heading
    or the writer's own name may come first, so the label after it is read too ("Update: Mark -
    approved"). A label that ends its line ("Mark:", then "approved" below) relays the rest of
    the text, as the relays of mark_relayed_clauses do.
    ]]
    local function mark_speaker_labels(state)
        local text = state.text
        local line_first = 1
        local token = 1
        while line_first <= #text do
            local line_last = (text:find("\n", line_first, true) or #text + 1) - 1
            local label_first = line_first
            for _ = 1, LINE_LABEL_SCAN do
                local label_last, reading, relays = read_line_label(state, label_first, line_last)
                while state.first[token] ~= nil and label_last ~= nil
                    and state.first[token] <= label_last do
                    token = token + 1
                end
                if reading == "own" then
                    -- tokenize may have read a heading ("Status:") as a name, so the clause
                    -- right after it is the writer's again.
                    if state.first[token] ~= nil and state.first[token] <= line_last then
                        state.clauses[state.clause[token]].attributed = false
                    end
                    label_first = label_last + 1
                else
                    if relays then
                        local rest_of_line = text:sub(label_last + 1, line_last)
                        local relay_last = rest_of_line:find("%S") and line_last or #text
                        while state.first[token] ~= nil and state.first[token] <= relay_last do
                            state.clauses[state.clause[token]].attributed = true
                            token = token + 1
                        end
                    end
                    break
                end
            end
            line_first = line_last + 2
        end
    end

    -- Returns the text between the token at index and the next token or the end of the text.
    local function gap_after(state, index)
        local next_first = state.first[index + 1] or #state.text + 1
        return state.text:sub(state.last[index] + 1, next_first - 1)
    end

    --[[
    Marks as attributed the clauses that relay someone else's answer, so a decision in them is
    reported, not the writer's own. A relay opens with a lead among the first RELAY_LEAD_SCAN
    words of a sentence, before any decision word: a reporter followed by a word of
    RELAY_VERBS, RELAY_NOUNS or "got back" ("Jane replied", "the client's answer"), or a
    reporter after "from" ("From Jane", "Reply from the client"). What follows the lead decides
    how much it relays:
    - A line break after words of RELAY_EXTRAS only ("Jane emailed back\nYes"), or a colon
      within the first RELAY_LEAD_SCAN words ("Jane replied by phone: approved"), relays
      everything after it to the end of the own words.
    - A decision word after words of RELAY_EXTRAS only ("Jane says yes, go ahead") relays the
      rest of its sentence, up to a clause with a conjunction or a first-person subject. So
      "the client said no, so cancel this" still cancels.
    A sentence of at most three reporter words before a colon and a line break ("The
    client:\nYes", "Jane Doe:\nYes") relays everything after it too. The writer's own decision
    before a lead stays hers: "I approve, the client asked for it".
    A line that opens with a speaker's label (is_speaker_label) relays the rest of that line.
    NOTE: one name alone before a colon and a line break ("Jane:\nApproved") is not read as a
    lead, because one capitalised word before a colon is as often a heading ("Update:"). A
    relay runs to the end of the own words, so the writer's own answer below an unquoted relay
    ("Jane replied:", "Approved", then "Go ahead") is neutral too. Below a quote ("Jane
    wrote:", "> Approved", then "Go ahead") the answer is the writer's own, because the
    attribution and the quote are not part of the own words.
    ]]
    function mark_relayed_clauses(state)
        local words, clauses = state.words, state.clauses
        mark_speaker_labels(state)
        local index = 1
        while index <= #words do
            local sentence = state.sentence[index]
            local last = index
            while state.sentence[last + 1] == sentence do
                last = last + 1
            end

            -- Find the lead: a reporter and a reporting word, or "from" and a reporter.
            -- unplaced counts the words that are neither reporters nor of RELAY_EXTRAS.
            -- A capitalised word that the lists know may still be a name ("Mark wrote back:")
            -- before a reporting verb, but such a lead relays only after a colon or a line
            -- break, so "Computer says no" stays a refusal.
            local reporters, unplaced, lead, weak_lead = 0, 0, nil, false
            for position = index, math.min(last, index + RELAY_LEAD_SCAN - 1) do
                local word = words[position]
                local verb = listed(RELAY_VERBS, word)
                    or ((word == "got" or word == "came") and words[position + 1] == "back")
                if listed(RELAY_DECISIONS, word) and not (verb and reporters > 0) then
                    -- "Confirmed" after a reporter reports: "Jane confirmed by phone: go ahead".
                    unplaced = unplaced + 1
                    break
                elseif is_reporter(state, position) then
                    reporters = reporters + 1
                    if words[position - 1] == "from" or (words[position - 2] == "from"
                        and listed(RELAY_EXTRAS, words[position - 1])) then
                        lead = lead or position
                    end
                elseif reporters > 0 and (verb or listed(RELAY_NOUNS, word)) then
                    lead = lead or position
                elseif verb and position > index and state.capitalised[position - 1]
                    and not FIRST_PERSON[words[position - 1]] and lead == nil then
                    lead, weak_lead = position, true
                elseif not listed(RELAY_EXTRAS, word) then
                    unplaced = unplaced + 1
                end
            end

            -- A reporter alone before a colon and a line break: "The client:\nYes".
            local first_relayed = nil
            local label_gap = gap_after(state, last)
            if last - index < 3 and unplaced == 0 and label_gap:find(":", 1, true)
                and label_gap:find("\n", 1, true)
                and (reporters >= 2 or listed(RELAY_REPORTERS, words[last])) then
                first_relayed = last + 1
            end

            -- Read what follows the lead: extras up to a line break or a decision word, or
            -- any words up to a colon.
            local position = lead
            local extras_only = true
            while position ~= nil and first_relayed == nil and position <= last
                and position < index + RELAY_LEAD_SCAN do
                local gap = gap_after(state, position)
                local next_word = words[position + 1]
                if next_word == nil then
                    break
                elseif gap:find(":", 1, true) or (extras_only and gap:find("\n", 1, true)
                    and not gap:find("[%.!%?;]")) then
                    first_relayed = position + 1
                elseif listed(RELAY_DECISIONS, next_word) then
                    if extras_only and not weak_lead
                        and state.sentence[position + 1] == sentence then
                        -- The decision and its sentence, up to the writer's own clause.
                        for number = state.clause[position + 1], #clauses do
                            local clause = clauses[number]
                            if clause.sentence ~= sentence or (number > state.clause[position + 1]
                                and (clause.conjunction ~= nil
                                or clause_subject(state, clause) == "own")) then
                                break
                            end
                            clause.attributed = true
                        end
                    end
                    break
                end
                extras_only = extras_only and (listed(RELAY_EXTRAS, next_word)
                    or is_reporter(state, position + 1) == true)
                position = position + 1
            end

            if first_relayed ~= nil and words[first_relayed] ~= nil then
                for number = state.clause[first_relayed], #clauses do
                    clauses[number].attributed = true
                end
                return
            end
            index = last + 1
        end
    end
end

--[[
Records a decision word found at tokens first_token..last_token. Returns the cue when it is
the technician's own approval (so the words after it can be checked), else nil.
]]
local function record_decision(state, kind, reason, context, first_token, last_token, prefix)
    local sentence = state.sentence[first_token]
    state.clauses[state.clause[first_token]].has_decision = true
    local cue = {
        kind = kind, reason = reason, first = first_token, last = last_token,
        sentence = sentence, clause = state.clause[first_token], tail = {},
        misspelt = any_misspelt(state, first_token, last_token),
        weak = reason == "plain_yes",
    }
    if state.foreign and cue.misspelt then
        -- In a reply with words of another language, "procede" is that language's word, not a
        -- misspelt English one ("Si, procede").
        return nil
    end
    -- A refusal word that is not the technician's own still rules out an approval.
    if kind == "deny" and (state.quoted[first_token] or state.sentences[sentence].question) then
        add_flag(state, "stray_negation", first_token, last_token)
    end
    if state.quoted[first_token] then
        add_flag(state, "reported", first_token, last_token)
        return nil
    end
    if state.sentences[sentence].question then
        add_flag(state, "question", first_token, last_token)
        return nil
    end

    local verdict = judge_prefix(state, prefix, context)
    local clause = state.clauses[cue.clause]
    if clause.attributed or state.sentences[sentence].sourced
        or (verdict == "own" and shares_reported_subject(state, cue.clause, prefix)) then
        verdict = "others"
    end
    if verdict == "own" and prefix[1] == clause.first and state.words[clause.first] == "to"
        and clause.first > 1 then
        -- A clause that opens with "to" continues the one before it: 'Reply "approved" to
        -- run them' asks for a decision, it does not give one.
        verdict = "unknown"
    end
    if kind == "approve" then
        if verdict == "own" then
            state.approvals[#state.approvals + 1] = cue
            return cue
        elseif verdict == "negated" then
            cue.kind, cue.reason, cue.weak = "deny", "negated_approval", false
            for _, index in ipairs(prefix) do
                if NEGATORS[state.words[index]] then
                    cue.first = math.min(cue.first, index)
                    break
                end
            end
            state.denials[#state.denials + 1] = cue
        elseif verdict == "hedged" then
            add_flag(state, "hedged", first_token, last_token)
        elseif verdict == "future" and takes_over(state, clause) then
            -- "I'll do it myself" takes the work over: it changes the plan, and beside a
            -- refusal it does not defer it.
            add_flag(state, "changed_plan", first_token, last_token)
        elseif verdict == "future" then
            add_flag(state, "deferral", first_token, last_token)
        elseif verdict == "others" or verdict == "quoted" then
            add_flag(state, "reported", first_token, last_token)
        else
            -- Words the lists cannot place stand before it: "meant to type approve".
            add_flag(state, "unplaced_approval", first_token, last_token)
        end
        return nil
    end

    if verdict == "own" or verdict == "future" then
        state.denials[#state.denials + 1] = cue
        return cue
    end
    add_flag(state, "stray_negation", first_token, last_token)
    if verdict == "hedged" then
        add_flag(state, "hedged", first_token, last_token)
    elseif verdict == "others" or verdict == "quoted" then
        add_flag(state, "reported", first_token, last_token)
    end
    return nil
end

-- Returns the index after a run of "please", "just" and similar words, from index on.
local function skip_softeners(state, index, limit)
    while index <= limit and (state.words[index] == "please" or state.words[index] == "just"
        or state.words[index] == "even" or state.words[index] == "ever"
        or state.words[index] == "really") do
        index = index + 1
    end
    return index
end

-- Condition markers that ask for a check, which a past-tense verb before them reports as done.
local CHECK_MARKERS = {["double check"] = true, ["check with"] = true, ["confirm with"] = true,
    ["make sure"] = true, ["ensure"] = true, ["run it past"] = true}

-- Past forms of contacting someone. They are in OTHERS, because "she called and approved"
-- reports her decision, but before a check they report a check made: "Called her to make sure".
local CONTACT_VERBS = word_set("called phoned emailed texted messaged")

-- True when a word of PAST_VERBS or CONTACT_VERBS stands in the clause before token index.
-- The clause keeps the position of its first such word, so repeated calls stay linear.
local function past_verb_before(state, clause, index)
    if clause.past_verb == nil then
        clause.past_verb = false
        for position = clause.first, clause.last do
            local word = state.words[position]
            if PAST_VERBS[word] or CONTACT_VERBS[word] then
                clause.past_verb = position
                break
            end
        end
    end
    return clause.past_verb ~= false and clause.past_verb < index
end

-- Verbs after which "without" describes a situation: "been without email", "is without a phone".
local STATE_VERBS = word_set("been is was are were left stuck currently still")

-- Returns the verb of ACTION_VERBS that a word is or whose "-ing" form it is ("resetting",
-- "revoking", "touching"), or nil.
local function verb_stem(word)
    if ACTION_VERBS[word] then
        return word
    end
    if word == nil or not word:find("ing$") or #word < 5 then
        return nil
    end
    local base = word:sub(1, -4)
    if ACTION_VERBS[base] then
        return base
    elseif ACTION_VERBS[base .. "e"] then
        return base .. "e"
    elseif base:sub(-1) == base:sub(-2, -2) and ACTION_VERBS[base:sub(1, -2)] then
        return base:sub(1, -2)
    end
    return nil
end

-- True when a clause speaks of the future ("I'll call her", "we're going to") or opens with an
-- instruction ("ring her before").
local function speaks_of_later(state, clause)
    if verb_stem(state.words[clause.first]) ~= nil then
        return true
    end
    for index = clause.first, clause.last do
        if FUTURE[state.words[index]] then
            return true
        end
    end
    return false
end

--[[
Handles the words that must be read before the phrase table: "y" or "n" as the whole reply
("N/A" is neither), "go" alone in its clause or before "now" or "please", and
"stop <verb>ing" ("stop asking and just do it"). Returns the index of the last token it
used, or nil.
]]
local function match_special_first(state, clause, index, prefix, cue_holder)
    local words = state.words
    local word = words[index]

    -- A rule the writer follows ("per our policy") neither narrows nor conditions a decision.
    if state.rule_reason[index] ~= nil then
        return state.rule_reason[index]
    end
    local limit = clause.last
    local alone_in_clause = clause.first == index and limit == index
    local alone_in_reply = #words == 1

    if (alone_in_reply and word == "y") or (alone_in_clause and word == "go") then
        cue_holder.cue = record_decision(state, "approve", word == "y" and "plain_yes"
            or "go_ahead", "yes", index, index, prefix)
        return index
    end
    if alone_in_reply and word == "pass" then
        -- "Pass" alone declines, where "pass the ticket to Tom" asks for something else.
        record_decision(state, "deny", "plain_no", "yes", index, index, prefix)
        return index
    end
    if alone_in_reply and word == "n" then
        record_decision(state, "deny", "plain_no", "yes", index, index, prefix)
        return index
    end

    -- "Not the reset and not the revoke" refuses steps, and beside a yes it is partial.
    if word == "not" and words[index + 1] == "the" and index + 2 <= limit
        and STEP_NOUNS[words[index + 2]] and judge_prefix(state, prefix, "yes") == "own" then
        local last = index + 2
        while last < limit and STEP_NOUNS[words[last + 1]] do
            last = last + 1
        end
        record_decision(state, "deny", "step_refusal", "yes", index, last, prefix)
        return last
    end

    -- "go" alone is an instruction to run: "ok go", "go now".
    local next_word = words[index + 1]
    if word == "go" and judge_prefix(state, prefix, "yes") == "own"
        and (index == limit or next_word == "now" or next_word == "please") then
        cue_holder.cue = record_decision(state, "approve", "go_ahead", "yes", index, index,
            prefix)
        return index
    end

    -- "Yes, you can" and "yes you may" end on the permission itself.
    if word == "you" and (next_word == "can" or next_word == "may") and index + 1 == limit then
        return index + 1
    end

    -- "Confirmed with the user" reports a check, it does not approve.
    if word == "confirmed" and words[index + 1] == "with" then
        return index
    end
    -- "Confirmed her identity" and "I confirm the user's identity" report a check: the object
    -- after the verb (and after "the", if any) is neither the plan nor a step, so the verb
    -- approves nothing.
    if (word == "confirmed" or word == "confirm") and index < limit then
        local object = next_word
        if object == "the" and index + 1 < limit then
            object = words[index + 2]
        end
        if not (TAIL_WORDS[object] or FILLER[object] or COURTESY_WORDS[object]
            or STEP_NOUNS[object] or NEGATORS[object]) then
            return index
        end
    end

    -- "Ignore" alone dismisses the reply itself, "ignore the alert" does not.
    if (word == "ignore" or word == "disregard") and index == limit then
        add_flag(state, "misdirected", index)
        return index
    end

    -- "Only affects her account" explains the plan: it does not narrow it.
    -- So do "only a reset" and "the only risk is ...".
    if word == "only" and (ONLY_STATEMENT_VERBS[next_word] or ONLY_STATEMENT_NOUNS[next_word]
        or next_word == "a" or next_word == "an" or words[index - 1] == "the") then
        return index
    end

    -- "She's been without email since Monday" describes her situation: it narrows nothing.
    if word == "without" and STATE_VERBS[words[index - 1]] then
        return index
    end

    -- "before" that ends its clause means "in the past": "never had a problem before". In a
    -- clause about the future or an instruction it means "before the run": "I'll call her
    -- before", "ring her before".
    if word == "before" and index == limit and not speaks_of_later(state, clause) then
        return index
    end

    -- "Go ahead whenever" leaves the time to the agent: no condition follows it.
    if word == "whenever" and index == limit then
        return index
    end

    if word == "stop" and index < limit and words[index + 1]:find("ing$")
        and not THING_WORDS[words[index + 1]] then
        return index + 1
    end

    return nil
end

--[[
Records "no" used as an answer rather than as a determiner: "That's a no from me", "Answer is
no", "No to this one", "No to the reset". Every other word of the clause must come from
NO_ANSWER_PREFIX before it and from NO_ANSWER_TAIL (or STEP_NOUNS, which makes it a step
refusal) after it, so "no issue" or "the client's answer is no" do not match. Returns the
index of the last token it used, or nil.
]]
local function match_no_as_answer(state, clause, index, prefix)
    local words = state.words
    local verdict = judge_prefix(state, prefix, "no_answer")
    if verdict ~= "own" and verdict ~= "future" then
        return nil
    end

    local names_step = false
    for ahead = index + 1, clause.last do
        local next_word = words[ahead]
        local after_step = words[ahead - 1] == "step" or words[ahead - 1] == "steps"
        if STEP_NOUNS[next_word] then
            names_step = true
        elseif after_step and (next_word:find("^%d%d?$") or COUNT_WORDS[next_word]
            or next_word == "one") then
            -- "No to step 2" refuses a numbered step.
            names_step = true
        elseif not NO_ANSWER_TAIL[next_word] then
            return nil
        end
    end
    record_decision(state, "deny", names_step and "step_refusal" or "plain_no", "no_answer",
        index, clause.last, prefix)
    return clause.last
end

-- True when the words before "won't" or "can't" are "we" or "you" and fillers: "we won't be
-- doing this" refuses, "I can't reset it from here" and "she can't log in" state a fact.
local function speaks_for_the_team(state, prefix)
    local subject = false
    for _, index in ipairs(prefix) do
        local word = state.words[index]
        if word == "we" or word == "you" then
            subject = true
        elseif not FILLER[word] then
            return false
        end
    end
    return subject
end

--[[
Handles the words that a phrase table cannot, after it found nothing: "no", "don't <verb>",
"leave ... alone", "approval: yes", "step 2" and times of day. Returns the index of the last
token it used, or nil.
]]
local function match_special(state, clause, index, prefix, cue_holder)
    local words = state.words
    local word = words[index]
    local limit = clause.last

    if word == "approval" and index < #words and state.sentence[index + 1] == state.sentence[index]
        and (words[index + 1] == "yes" or words[index + 1] == "granted"
            or words[index + 1] == "given" or words[index + 1] == "ok") then
        state.consumed[index + 1] = true
        cue_holder.cue = record_decision(state, "approve", "explicit_approval", "verb", index,
            index + 1, prefix)
        return index
    end

    -- "Leave the sessions alone", "leave her password as it is", "leave MFA untouched".
    if word == "leave" then
        for ahead = index + 1, math.min(index + 6, limit) do
            local last = nil
            if words[ahead] == "alone" or words[ahead] == "untouched" then
                last = ahead
            elseif words[ahead] == "as" and words[ahead + 1] == "is" and ahead < limit then
                last = ahead + 1
            elseif words[ahead] == "as" and words[ahead + 1] == "it" and words[ahead + 2] == "is"
                and ahead + 2 <= limit then
                last = ahead + 2
            end
            if last ~= nil then
                record_decision(state, "deny", "step_refusal", "go", index, last, prefix)
                return last
            end
        end
    end

    if (word == "step" or word == "steps") and index < limit
        and (words[index + 1]:find("^%d") or words[index + 1] == "one"
            or words[index + 1] == "two" or words[index + 1] == "three") then
        add_flag(state, "partial", index, index + 1)
        return index + 1
    end

    -- "Approved - ticket 4241" may approve another ticket.
    if (word == "ticket" or word == "tickets" or word == "case") and index < limit
        and words[index + 1]:find("^%d+$") then
        add_flag(state, "other_request", index, index + 1)
        return index + 1
    end

    -- "First time this has happened" counts, and "tested it first" reports a step done.
    if word == "first" and (words[index + 1] == "time" or past_verb_before(state, clause, index)) then
        return index
    end
    if word == "first" and state.sentence[index - 1] == state.sentence[index] then
        add_flag(state, "condition", index)
        return index
    end

    if word:find("^%d%d?[ap]m$") or word:find("^%d%d?h%d%d$")
        or ((word == "am" or word == "pm") and index > 1 and words[index - 1]:find("^%d")) then
        add_flag(state, "deferral_weak", index)
        return index
    end

    local at_clause_start = judge_prefix(state, prefix, "yes") == "own"

    -- "No real risk", "no major issues": a double negative with a word inside it.
    if word == "no" and index + 2 <= limit and RISK_NOUNS[words[index + 2]]
        and not STEP_NOUNS[words[index + 1]] and not NEGATORS[words[index + 1]] then
        add_flag(state, "double_negation", index, index + 2)
        return index + 2
    end

    if word == "no" and at_clause_start then
        local next_word = words[index + 1]
        if index == limit or NEGATORS[next_word] or next_word == "please" then
            record_decision(state, "deny", "plain_no", "yes", index, index, prefix)
            return index
        end
        -- "No admin rights" refuses a step, and so does "no local admin" with one word before
        -- the step that the lists do not know.
        local step_first = nil
        if STEP_NOUNS[next_word] then
            step_first = index + 1
        elseif index + 2 <= limit and STEP_NOUNS[words[index + 2]] and next_word ~= nil
            and not KNOWN_WORDS[next_word] then
            step_first = index + 2
        end
        if step_first ~= nil then
            local last = step_first
            while last < limit and STEP_NOUNS[words[last + 1]] do
                last = last + 1
            end
            record_decision(state, "deny", "step_refusal", "yes", index, last, prefix)
            return last
        end
        -- "No resetting her password", "no revoking sessions".
        if next_word ~= nil and next_word:find("ing$") and verb_stem(next_word) ~= nil then
            record_decision(state, "deny", "step_refusal", "yes", index, index + 1, prefix)
            return index + 1
        end
    end

    if word == "no" then
        local last = match_no_as_answer(state, clause, index, prefix)
        if last ~= nil then
            return last
        end
    end

    local negation_last = nil
    if word == "don't" or word == "never" then
        negation_last = index
    elseif word == "mustn't" or word == "shouldn't" or word == "wouldn't" then
        -- "I wouldn't" alone refuses, as "I wouldn't approve this" does.
        negation_last = index
    elseif (word == "must" or word == "should") and words[index + 1] == "not" and index < limit then
        negation_last = index + 1
    elseif word == "do" and words[index + 1] == "not" and index < limit then
        negation_last = index + 1
    elseif (word == "won't" or word == "can't") and speaks_for_the_team(state, prefix) then
        negation_last = index
    end
    -- "We're not resetting her password", "you're not to touch this account".
    if (word == "not" or word == "never") and index < limit
        and judge_prefix(state, prefix, "verb") == "own" then
        local verb_index = index + 1
        if words[verb_index] == "to" and verb_index < limit then
            verb_index = verb_index + 1
        end
        local verb = verb_stem(words[verb_index])
        if verb ~= nil and (words[verb_index] ~= verb or words[index + 1] == "to")
            and not approval_starts_at(state, verb_index, limit) then
            record_decision(state, "deny", "step_refusal", "verb", index, verb_index, prefix)
            return verb_index
        end
    end

    if negation_last ~= nil and judge_prefix(state, prefix, "verb") == "own" then
        local verb_index = skip_softeners(state, negation_last + 1, limit)
        if words[verb_index] == "you" and words[verb_index + 1] == "dare" then
            verb_index = skip_softeners(state, verb_index + 2, limit)
        end
        if verb_index > limit then
            record_decision(state, "deny", "negated_approval", "verb", index, negation_last,
                prefix)
            return negation_last
        end
        -- "We won't be resetting it" reads as "we won't reset it".
        if words[verb_index] == "be" and verb_index < limit
            and verb_stem(words[verb_index + 1]) ~= nil then
            verb_index = verb_index + 1
        end
        local verb = verb_stem(words[verb_index])
        if HARMLESS_AFTER_DONT[words[verb_index]] then
            return verb_index
        end
        if approval_starts_at(state, verb_index, limit) then
            return nil
        end
        if verb ~= nil then
            -- "Don't run anything" refuses the whole plan, "don't run the reset" one step.
            local object = words[verb_index + 1]
            local whole_plan = object == "anything" or object == "any" or object == "nothing"
                or (verb == "do" and (object == "this" or object == "that" or object == "it"))
            record_decision(state, "deny", whole_plan and "negated_approval" or "step_refusal",
                "verb", index, verb_index, prefix)
            return verb_index
        end
    end
    return nil
end

-- True when a clause is a name signed at the end: the last line, one to three capitalised
-- words that the lists do not know ("Yes\nSam"), or the writer's name as the last clause
-- ("Yes - Sam" by Sam Lead).
local function is_closing_name(state, clause)
    if clause.last ~= #state.words or clause.last - clause.first > 2 then
        return false
    end
    local writer_named = true
    for index = clause.first, clause.last do
        writer_named = writer_named and state.writer_token[index]
    end
    if writer_named and clause.number > 1 then
        -- The writer signs after a dash or a comma too: "Yes - Sam".
        return true
    end
    if not state.text:sub(1, state.first[clause.first] - 1):find("\n%s*$") then
        return false
    end
    for index = clause.first, clause.last do
        if not state.capitalised[index] or KNOWN_WORDS[state.words[index]] then
            return false
        end
    end
    return true
end

-- Returns the tokens of a clause that are neither decision words nor courtesy: what the
-- clause states beyond them.
local function clause_content(state, clause)
    local content = {}
    if is_closing_name(state, clause) then
        return content
    end
    local after_courtesy = false
    for index = clause.first, clause.last do
        local word = state.words[index]
        if not state.consumed[index] and not FILLER[word] and not COURTESY_WORDS[word]
            and not CONJUNCTIONS[word]
            and not (after_courtesy and state.capitalised[index]) then
            content[#content + 1] = index
        end
        after_courtesy = COURTESY_WORDS[word] or (after_courtesy and state.capitalised[index])
    end
    return content
end

-- Verbs that ask for something: "she wants the licence removed too" asks for another step.
local REQUEST_VERBS = word_set([[want wants wanted need needs needed asked asks requested
    requests like likes expects expected]])

-- Past forms ending in "-ed" that still point ahead: "scheduled for Monday", "booked on Friday".
local SCHEDULING_WORDS = word_set([[scheduled planned booked arranged moved postponed delayed
    pushed rescheduled needed wanted expected requested asked]])

-- Irregular past forms that may report an event on a day: "she left on Friday".
local PAST_EVENT_WORDS = word_set("left came went got lost broke bought rang spoke sent did had")

-- Words before a past participle that make it present or future: "it's used on Friday".
local PRESENT_AUXILIARIES = word_set("is are be it's that's gets get will")

-- Words that may stand between a past verb and the time it happened: "on Tuesday", "over the
-- weekend", "after too many attempts".
local PAST_TIME_LINKS = word_set("on over the last at after before during")

--[[
True when a time word at token index names a past event: a past verb stands within the five
words before it, with "on", "over the" or "after" and the like between them ("she changed her
phone on Tuesday", "it died over the weekend", "locked after too many attempts"). A verb of
SCHEDULING_WORDS ("booked on Friday") or REQUEST_VERBS ("she needs it unlocked after lunch"),
"please", an action verb that opens the clause ("do it after lunch") or a decision word gives
a time for the plan instead.
]]
local function reports_past_time(state, clause, index)
    if index <= clause.first or verb_stem(state.words[clause.first]) ~= nil
        or (not PAST_TIME_LINKS[state.words[index - 1]]
            and not PAST_TIME_LINKS[state.words[index]]) then
        return false
    end
    for position = clause.first, clause.last do
        local word = state.words[position]
        if word == "please" or (position < index
            and (SCHEDULING_WORDS[word] or REQUEST_VERBS[word])) then
            -- "Unlocked after lunch please" and "she needs it unlocked after lunch" ask for a
            -- time.
            return false
        end
    end
    for back = index - 1, math.max(clause.first, index - 6), -1 do
        local word = state.words[back]
        if state.consumed[back] then
            return false
        end
        -- "-ed" after a letter other than "e" leaves out "need" and "proceed", and "it's used
        -- on Friday" or "will be locked" is not past.
        if (PAST_EVENT_WORDS[word] or (#word >= 4 and word:find("[^e]ed$") ~= nil))
            and not PRESENT_AUXILIARIES[state.words[back - 1]] then
            return true
        end
    end
    return false
end

-- Words of a request to be contacted: "give me a call", "ring me", "shout", "ping me".
local CONTACT_REQUEST_WORDS = word_set([[give me us a call ring phone shout ping text message email
    drop line bell buzz just please]])

-- True when the words of a clause before token index only ask to be contacted: "give me a call
-- if it fails" says what to do if the run goes wrong, it sets no condition on the approval.
local function only_contact_request(state, clause, index)
    for before = clause.first, index - 1 do
        local word = state.words[before]
        if not CONTACT_REQUEST_WORDS[word] and not CONJUNCTIONS[word] then
            return false
        end
    end
    return true
end

-- Words that end the part of a clause that a "courtesy_clause" idiom sets aside, because they
-- may limit a decision.
local LIMITING_WORDS = word_set([[if unless until till til only except once when whenever
    provided providing assuming but without tomorrow tonight later after before not pending]])

-- The words of LIMITING_WORDS that limit a decision wherever they stand, where "if", "when"
-- and a time may belong to a request to be told ("let me know when it's done").
local STRONG_LIMITING_WORDS = word_set([[unless until till til only except provided providing
    assuming pending tomorrow tonight]])

-- Applies a phrase entry matched at tokens index..last. Returns the last token it uses.
local function apply_entry(state, clause, entry, index, last, prefix, cue_holder)
    if entry.kind == "approve" or entry.kind == "deny" then
        cue_holder.cue = record_decision(state, entry.kind, entry.value, entry.context, index,
            last, prefix)
    elseif entry.kind == "marker" and CHECK_MARKERS[phrase_text(state, index, last)]
        and past_verb_before(state, clause, index) then
        -- "Rang her to double-check" reports a check already made.
        return last
    elseif entry.kind == "marker" and entry.value == "deferral_weak"
        and (state.words[index - 1] == "since" or state.words[index - 1] == "last")
        and state.clause[index - 1] == clause.number then
        -- "Locked out since Monday" and "last Friday" name a past time.
        return last
    elseif entry.kind == "marker" and (entry.value == "deferral_weak"
        or phrase_text(state, index, last) == "weekend")
        and reports_past_time(state, clause, index) then
        return last
    elseif entry.kind == "marker" then
        add_flag(state, entry.value, index, last)
        -- A marker's words stay before a later decision word: "the right person to approve"
        -- is not an approval. A correction ("sorry, meant approved") introduces one instead,
        -- and sarcasm is judged on the whole reply.
        if entry.value ~= "correction" and entry.value ~= "sarcasm" then
            for used = index, last do
                prefix[#prefix + 1] = used
                state.marker[used] = entry.value
            end
        end
    elseif entry.value == "double_negation" then
        add_flag(state, "double_negation", index, last)
    elseif entry.value == "courtesy_rest" then
        -- "Let me know if it fails" sets aside the rest of its clause, "if" and "when"
        -- included, up to a word that limits whatever it stands beside: "let me know when
        -- done unless she's offline" still waits.
        clause.set_aside = true
        for ahead = last + 1, clause.last do
            if STRONG_LIMITING_WORDS[state.words[ahead]] then
                return ahead - 1
            end
        end
        return clause.last
    elseif entry.value == "courtesy_clause" then
        -- "No need to ring her first" sets aside the rest of its clause up to a word that may
        -- limit the decision: "no need to tell her until Monday" still defers.
        for ahead = last + 1, clause.last do
            if LIMITING_WORDS[state.words[ahead]] then
                return ahead - 1
            end
        end
        return clause.last
    elseif entry.value == "aside" then
        -- The rest of the clause is a remark, not words that narrow a decision before it, but
        -- its markers and decision words still count.
        for used = last + 1, clause.last do
            state.aside[used] = true
        end
    elseif entry.value == "contingency" then
        if index == clause.first or only_contact_request(state, clause, index) then
            return clause.last
        end
        add_flag(state, "condition", index, last)
        for used = index, last do
            prefix[#prefix + 1] = used
            state.marker[used] = "condition"
        end
    end
    return last
end

-- Words between a refusal phrase and an approval that let the refusal govern it: "not happy
-- to go ahead", "rather not be approving this".
local REFUSAL_BRIDGE = word_set("to be with about on going for this that it you us them")

-- True when an own refusal phrase in the same clause takes the approval after it as its object:
-- a negated approval or a step refusal ("don't want to proceed", "not happy for this to go
-- ahead") with only REFUSAL_BRIDGE words between them, a refusal verb followed by "to" ("I
-- refuse to approve this"), or a "no" phrase ending in "not" right before it ("absolutely not
-- approved"). "Denied, approved" and "no, go ahead" keep both decisions.
local function refusal_governs(state, denial, prefix)
    if denial.reason == "plain_no" and state.words[denial.last] == "not" then
        return #prefix == 0
    end
    if denial.reason == "explicit_denial" and #prefix > 0 then
        -- "I refuse to approve this", "I decline to approve": the refusal verb takes the
        -- approval as its object.
        for _, index in ipairs(prefix) do
            if not REFUSAL_BRIDGE[state.words[index]] then
                return false
            end
        end
        return state.words[prefix[1]] == "to"
    end
    if denial.reason ~= "negated_approval" and denial.reason ~= "step_refusal" then
        return false
    end
    for _, index in ipairs(prefix) do
        if not REFUSAL_BRIDGE[state.words[index]] then
            return false
        end
    end
    return true
end

-- Words that make a negated statement about the plan itself rather than an explanation: "she
-- doesn't want the revoke", "the reset isn't needed", "it won't help".
local PLAN_OPINION_WORDS = word_set([[want wants wanted need needs needed like likes agree agrees
    approve approves approved happy ok okay allow allowed accept accepts consent require
    required requires necessary mind care object objects help helps fix fixes right correct sure
    safe done happen happening proceed go run]])

-- Verbs that, right after a step noun, make it the subject of a statement: "his account has
-- been hit", "the mailbox is full".
local FINITE_VERBS = word_set([[is was are were has had have been gets got keeps isn't wasn't
    aren't weren't hasn't hadn't haven't]])

-- Negations in the past tense. After "I" or "we" they tell what happened ("I didn't realise",
-- "we couldn't reach her"), where "I don't" or "I won't" may refuse.
local PAST_NEGATIONS = word_set("didn't wasn't weren't couldn't hadn't")

--[[
True when the negation at token index only explains a situation: right after a third-person
subject (EXPLANATION_SUBJECTS, "this", "that", or a name the lists do not know), or after such
a subject and a verb ("there are no other users"), or a past negation after "I" or "we" ("I
didn't realise"), and followed in its clause by no decision, marker or PLAN_OPINION_WORDS. Such
a negation does not stand against an approval: "Approved - she doesn't have MFA anyway".
]]
local function is_explanation_negation(state, clause, index)
    if index == clause.first then
        return false
    end
    local subject = state.words[index - 1]
    if FINITE_VERBS[subject] and index - 1 > clause.first then
        -- "There are no other users", "it has no data": the subject stands before the verb.
        subject = state.words[index - 2]
    end
    local is_name = state.capitalised[index - 1] and not KNOWN_WORDS[subject]
    local own_past = (subject == "i" or subject == "we") and PAST_NEGATIONS[state.words[index]]
    if not EXPLANATION_SUBJECTS[subject] and subject ~= "this" and subject ~= "that"
        and not is_name and not own_past then
        return false
    end
    for ahead = index + 1, clause.last do
        local word = state.words[ahead]
        if UNTIL_WORDS[word] and state.marker[ahead] == "deferral" then
            -- "She isn't able to work until this is done": the words after "until" say when
            -- her situation ends, not what anyone thinks of the plan.
            return true
        end
        if state.consumed[ahead] or PLAN_OPINION_WORDS[word] or NEGATORS[word] then
            return false
        end
    end
    return true
end

--[[
True when a deferral span is "until" in a clause that describes someone else's situation and
decides nothing: "she can't work until it's reset", "he's away until Monday". Such an "until"
gives no time for the plan. "Approved until Friday" and "wait until Monday" keep it.
]]
local function describes_a_state(state, span)
    if span.first ~= span.last or not UNTIL_WORDS[state.words[span.first]] then
        return false
    end
    local clause = state.clauses[state.clause[span.first]]
    if clause.has_decision then
        return false
    end
    local subject = clause_subject(state, clause)
    if subject ~= "explanation" and subject ~= "others" then
        return false
    end
    for index = clause.first, clause.last do
        local marker = state.marker[index]
        if marker ~= nil and index ~= span.first then
            return false
        end
    end
    return true
end

--[[
True when a step noun in a clause without a subject is part of a statement, not a step named
for the plan: the noun is followed by a finite verb ("second time his account has been hit")
or a past verb ("password expired yesterday"),
or the clause explains with a verb of ONLY_STATEMENT_VERBS ("only affects his own account").
]]
local function names_step_as_subject(state, clause, index)
    local next_word = state.words[index + 1]
    if index < clause.last and FINITE_VERBS[next_word] then
        return true
    end
    -- "Password expired yesterday", "MFA stopped working on her phone": a past verb after the
    -- noun makes the whole clause a statement.
    if index < clause.last and #next_word >= 4 and next_word:find("[^e]ed$")
        and not REQUEST_VERBS[next_word] and not SCHEDULING_WORDS[next_word] then
        clause.explains = true
        return true
    end
    if clause.explains == nil then
        clause.explains = false
        for other = clause.first, clause.last do
            clause.explains = clause.explains or ONLY_STATEMENT_VERBS[state.words[other]] == true
        end
    end
    return clause.explains
end

-- Words that may stand beside a name in a clause that adds a person: "also for Tom", "and
-- Sam's as well".
local ADDED_PERSON_WORDS = word_set("for also plus as well and")

--[[
True when a clause names only people the lists do not know, joined to the reply by "and",
"also", "plus" or "for": "and Tom", "also for Sam and Priya". A bare name ("Approved. Tom")
is a signature, and a name with a verb ("and Sarah knows") explains.
]]
local function adds_a_person(state, clause, content)
    local joined = clause.conjunction == "and"
    local names = 0
    for index = clause.first, clause.last do
        local word = state.words[index]
        if word == "also" or word == "plus" or word == "for" then
            joined = true
        end
    end
    for _, index in ipairs(content) do
        local word = state.words[index]:gsub("'s$", "")
        if state.capitalised[index] and not KNOWN_WORDS[word] then
            names = names + 1
        elseif not ADDED_PERSON_WORDS[word] then
            return false
        end
    end
    return joined and names > 0
end

-- Verbs of ticket housekeeping that a technician does after the run: "so I can close the ticket".
local HOUSEKEEPING_VERBS = word_set("close update tell inform let call ring email log")

-- True when a clause names no step, no action beyond HOUSEKEEPING_VERBS and no word that may
-- limit a decision.
local function only_housekeeping(state, clause)
    for index = clause.first, clause.last do
        local word = state.words[index]
        if STEP_NOUNS[word] or (verb_stem(word) ~= nil and not HOUSEKEEPING_VERBS[word])
            or LIMITING_WORDS[word] then
            return false
        end
    end
    return true
end

-- Words that name the whole plan, or now, after a yes: "all of them", "the whole plan",
-- "straight away".
local SCOPE_WORDS = word_set([[it this that them those these all of everything the plan lot
    steps both whole entire thing in full fully now asap immediately straight away right]])

local function only_scope_words(state, content)
    for _, index in ipairs(content) do
        if not SCOPE_WORDS[state.words[index]] then
            return false
        end
    end
    return true
end

--[[
Scans one clause: matches phrases and special words, records decisions and markers, marks
the tokens they use as consumed, and collects the words after each own approval (its tail).
]]
local function scan_clause(state, clause)
    -- "Let me know when it's done so I can close the ticket": the purpose belongs to the
    -- request set aside before it, unless it names a step or another action.
    local previous_clause = state.clauses[clause.number - 1]
    if clause.conjunction == "so" and previous_clause ~= nil and previous_clause.set_aside
        and previous_clause.sentence == clause.sentence
        and (state.words[clause.first + 1] == "that" or (PERSONS[state.words[clause.first + 1]]
            and state.words[clause.first + 2] == "can"))
        and only_housekeeping(state, clause) then
        for index = clause.first, clause.last do
            state.consumed[index] = true
        end
        clause.set_aside = true
        return
    end

    local prefix = {}
    local cue_holder = {cue = nil}
    local previous_cue = nil
    local own_cue_in_clause = false
    local clause_denial = nil
    local negations = {}
    local index = clause.first

    while index <= clause.last do
        local word = state.words[index]
        local last = nil
        if not state.consumed[index] then
            local before = #state.approvals + #state.denials
            local approvals_before, denials_before = #state.approvals, #state.denials
            last = match_special_first(state, clause, index, prefix, cue_holder)
            if last == nil then
                local entry
                entry, last = match_phrase(state, index, clause.last)
                if entry ~= nil then
                    last = apply_entry(state, clause, entry, index, last, prefix, cue_holder)
                end
            end
            if last == nil then
                last = match_special(state, clause, index, prefix, cue_holder)
            end

            if #state.approvals > approvals_before and clause_denial ~= nil
                and refusal_governs(state, clause_denial, prefix) then
                -- "Not comfortable approving this", "rather not go ahead": the refusal
                -- phrase takes the approval after it as its object.
                local absorbed = table.remove(state.approvals)
                clause_denial.last = absorbed.last
                cue_holder.cue = nil
            end
            if #state.denials > denials_before then
                clause_denial = state.denials[#state.denials]
            end

            if #state.approvals + #state.denials > before then
                own_cue_in_clause = true
                -- The words before this decision belong to it, not to the previous one's tail.
                if previous_cue ~= nil and #prefix > 0 then
                    local tail = previous_cue.tail
                    while #tail > 0 and tail[#tail] >= prefix[1] do
                        tail[#tail] = nil
                    end
                end
                previous_cue = cue_holder.cue
                prefix = {}
            end
        end

        if last ~= nil then
            for used = index, last do
                state.consumed[used] = true
            end
            index = last + 1
        else
            if not state.consumed[index] then
                prefix[#prefix + 1] = index
                if NEGATORS[word] then
                    negations[#negations + 1] = index
                end
                if cue_holder.cue ~= nil then
                    local tail = cue_holder.cue.tail
                    tail[#tail + 1] = index
                end
            end
            index = index + 1
        end
    end

    for _, negation in ipairs(negations) do
        if not is_explanation_negation(state, clause, negation) then
            add_flag(state, "stray_negation", negation)
        end
    end

    -- A clause that says something without deciding: an instruction changes the plan, and
    -- a "but" after an approval attaches a reservation.
    local content = clause_content(state, clause)
    local reservation = clause.conjunction == "but" or clause.conjunction == "though"
        or clause.conjunction == "although" or clause.conjunction == "however"
    if reservation and not own_cue_in_clause and clause.first == clause.last
        and #state.approvals > 0 then
        -- "Go ahead, but..." trails off into a reservation.
        add_flag(state, "condition", clause.first)
    end
    if not own_cue_in_clause and #state.approvals > 0 and adds_a_person(state, clause, content) then
        -- "Approved, also for Tom" and "Approve. And Tom." widen the plan to someone else.
        add_flag(state, "changed_plan", clause.first, clause.last)
    end
    if not own_cue_in_clause and #content > 0 then
        -- "Yes, all of them" and "yes, straight away" give the yes its scope or its time, which
        -- is the whole plan now: they say nothing else that the yes could answer.
        clause.has_content = not only_scope_words(state, content)
        -- A step named in a clause of its own without a subject narrows or changes the plan:
        -- "Approved, bar the revoke". With a subject it explains: "she has her phone".
        if clause_subject(state, clause) == nil and not inherits_subject(state, clause) then
            for _, content_index in ipairs(content) do
                if STEP_NOUNS[state.words[content_index]]
                    and not names_step_as_subject(state, clause, content_index) then
                    add_flag(state, "step_named", content_index)
                    break
                end
            end
        end
        local first_word = state.words[content[1]]
        if ACTION_VERBS[first_word] and first_word ~= "let" then
            add_flag(state, "changed_plan", content[1])
        end
        if reservation and #state.approvals > 0 then
            add_flag(state, "condition", clause.first, clause.last)
        end
    end
end

-- Words that may follow a refusal word in its clause: "cancel the whole request", "cancel her
-- password reset", "rejected outright".
local DENIAL_TAIL_WORDS = word_set([[run job ticket tickets request requests task process operation
    workflow altogether entirely completely outright her his their its my our your any more
    anymore longer required needed necessary further there you at anything everything]])

-- Words after which the rest of a refusal's clause gives its reason: "declined for security
-- reasons", "rejected due to policy".
local REASON_OPENERS = word_set("for due because as since given per")

--[[
Drops refusal words that describe something else rather than refuse: "Denied access error on
her laptop", "Cancelled her meeting". Only the refusal words of explicit_denial and stop are
checked, and only up to a word of REASON_OPENERS or an opening bracket. A dropped refusal
becomes an other_request flag.
]]
local function check_denial_tails(state)
    local refusals = {}
    for _, cue in ipairs(state.denials) do
        local describes = false
        if cue.reason == "explicit_denial" or cue.reason == "stop" then
            local previous_last = state.last[cue.last]
            for _, index in ipairs(cue.tail) do
                local word = state.words[index]
                local gap = state.text:sub(previous_last + 1, state.first[index] - 1)
                if REASON_OPENERS[word] or gap:find("(", 1, true) then
                    -- "Declined (client request)": the brackets give the reason.
                    break
                end
                previous_last = state.last[index]
                -- "Denied by Sam Lead" by Sam Lead signs the refusal.
                local signs = state.writer_token[index]
                    or (word == "by" and state.writer_token[index + 1])
                if not (TAIL_WORDS[word] or FILLER[word] or COURTESY_WORDS[word]
                    or STEP_NOUNS[word] or NEGATORS[word] or DENIAL_TAIL_WORDS[word]
                    or word:find("'s$") or signs) then
                    describes = true
                end
            end
        end
        if describes then
            add_flag(state, "other_request", cue.first, cue.tail[#cue.tail])
        else
            refusals[#refusals + 1] = cue
        end
    end
    state.denials = refusals
end

-- Words that name more people than the plan: "approved for the whole team".
local GROUP_WORDS = word_set([[team teams everyone everybody whole users staff others
    department company office]])

-- Irregular past forms that report work done, beside the regular "-ed" forms.
local IRREGULAR_PAST = word_set("spoken spoke told done seen sent rang had got did made")

--[[
True when a plain yes goes on with a report of something done that names no step and no
action: "yes I've already spoken to Omar", "yes we checked". Such a yes answers a question of
fact, so it approves nothing, and the reply's other words decide. "Yes we're waiting for the
client" reports no finished work, so its yes still counts and its words still block.
]]
local function yes_states_a_fact(state, cue)
    local opener = state.words[cue.tail[1]]
    if opener == nil or cue.tail[1] ~= cue.last + 1
        or not (FIRST_PERSON[opener] or EXPLANATION_SUBJECTS[opener] or opener == "you") then
        return false
    end
    local reports_past = false
    for _, index in ipairs(cue.tail) do
        local word = state.words[index]
        if STEP_NOUNS[word] or verb_stem(word) ~= nil then
            return false
        end
        reports_past = reports_past or word == "already" or IRREGULAR_PAST[word]
            or PAST_VERBS[word] or (#word > 4 and word:find("e[dn]$") ~= nil)
    end
    return reports_past
end

-- Checks the words after each own approval: a step noun narrows it ("go ahead with the
-- reset"), any other unknown word may change it ("approved the PO", "approved for Tom").
local function check_tails(state)
    -- "Approved by the client" reports someone else's approval.
    local own_approvals = {}
    for _, cue in ipairs(state.approvals) do
        -- "I approved it this morning": a simple past after "i" or "we" with a time word
        -- reports an approval given earlier, maybe of another request, so it approves nothing.
        local reported = false
        local subject = state.words[cue.first - 1]
        if (subject == "i" or subject == "we") and state.words[cue.first] == "approved" then
            for _, index in ipairs(cue.tail) do
                local word = " " .. state.words[index] .. " "
                reported = reported or (" yesterday earlier ago last morning monday tuesday "
                    .. "wednesday thursday friday saturday sunday "):find(word, 1, true) ~= nil
            end
        end
        local by_index = cue.last + 1
        if state.words[by_index] == "by" and state.sentence[by_index] == cue.sentence then
            -- "by" may open the next clause: "Approved by: Dave Ross (client)".
            local index = by_index + 1
            while index <= #state.words and state.sentence[index] == cue.sentence
                and index <= by_index + 6 do
                local word = state.words[index]
                reported = reported or OTHERS[word] or (state.capitalised[index]
                    and not KNOWN_WORDS[word] and not state.writer_token[index])
                index = index + 1
            end

            -- "Approved by Sam Lead" by Sam Lead signs the approval, so "by" and her name
            -- leave its tail.
            local signed_to = by_index
            while state.writer_token[signed_to + 1]
                and state.sentence[signed_to + 1] == cue.sentence do
                signed_to = signed_to + 1
            end
            if not reported and signed_to > by_index then
                local tail = {}
                for _, tail_index in ipairs(cue.tail) do
                    if tail_index < by_index or tail_index > signed_to then
                        tail[#tail + 1] = tail_index
                    end
                end
                cue.tail = tail
            end
        end
        if reported then
            add_flag(state, "reported", cue.first, cue.tail[#cue.tail])
        else
            own_approvals[#own_approvals + 1] = cue
        end
    end
    state.approvals = {}
    for _, cue in ipairs(own_approvals) do
        if cue.weak and yes_states_a_fact(state, cue) then
            add_flag(state, "other_answer", cue.first, cue.tail[#cue.tail])
        else
            state.approvals[#state.approvals + 1] = cue
        end
    end

    for _, cue in ipairs(state.approvals) do
        local after_for = false
        for _, index in ipairs(cue.tail) do
            local word = state.words[index]
            after_for = after_for or word == "for"
            if state.aside[index] and not state.aside[cue.first] then
                -- A remark after "for the record" or "fyi" does not narrow the plan. An
                -- approval inside such a remark ("FYI I approved the other one") is read with
                -- its own tail like any other.
            elseif STEP_NOUNS[word] then
                add_flag(state, "partial", index)
            elseif counts_all_steps(state, index) then
                -- "Approve all 3 steps" covers the whole plan.
            elseif after_for and GROUP_WORDS[word] then
                -- "Approve for the whole team" widens the plan.
                add_flag(state, "changed_plan", index)
            elseif not TAIL_WORDS[word] and not FILLER[word] and not COURTESY_WORDS[word]
                and not NEGATORS[word] then
                add_flag(state, cue.reason == "explicit_approval" and "other_request"
                    or "changed_plan", index)
            end
        end
    end
end

-- Subjects that may follow the verb of a question: "is she aware", "has the user been told".
local QUESTION_SUBJECTS = word_set("i we you it this that there they he she the her his their your")

-- Words after the subject that make "can you ..." a request about follow-up, not a question about
-- the plan: "can you let me know when it's done".
local FOLLOW_UP_WORDS = word_set("let keep update ping drop send")

--[[
True when a clause after a dash, colon, comma or conjunction opens like a question without a
question mark: "Approved - has she been told", "go ahead, is she aware", "approved but will she
lose her mail". The sentence's first clause is left to mark_question_openings below, and "can
you let me know" is a request, not a question.
]]
local function opens_inverted_question(state, clause)
    if state.sentences[clause.sentence].first_clause == clause.number then
        return false
    end
    local first = clause.first
    local gap = state.text:sub(state.last[first - 1] + 1, state.first[first] - 1)
    if clause.conjunction ~= nil then
        first = first + 1
    elseif not (clause.after_dash or clause.after_colon or gap:find(",", 1, true)) then
        return false
    end
    if first + 1 > clause.last then
        return false
    end
    local verb, subject = state.words[first], state.words[first + 1]
    if not QUESTION_VERBS[verb] then
        return false
    end
    -- "Do it" is an order: after "do", only a person makes a question ("do you ...").
    local subjects = (verb == "do" or verb == "does" or verb == "did") and PERSONS
        or QUESTION_SUBJECTS
    local names_subject = subjects[subject]
        or (state.capitalised[first + 1] and not KNOWN_WORDS[subject])
    return names_subject and not FOLLOW_UP_WORDS[state.words[first + 2]]
end

-- Words before a final "right" that make it an adjective, not a question tag: "all right",
-- "that's right", "the time is right".
local NOT_BEFORE_TAG = word_set("all that's is it's looks look sounds seems feels just")

--[[
True when a clause with a subject or a verb of its own ends its sentence with "right" as a
question tag: "Approved, she's aware right", "the delegate is Ruth right". The tag asks for a
confirmation that the reply waits on.
]]
local function ends_with_question_tag(state, clause)
    local last = clause.last
    if state.words[last] ~= "right" or last == clause.first
        or (state.words[last + 1] ~= nil and state.sentence[last + 1] == clause.sentence)
        or NOT_BEFORE_TAG[state.words[last - 1]] then
        return false
    end
    for index = clause.first + 1, last - 1 do
        if FINITE_VERBS[state.words[index]] then
            return true
        end
    end
    return clause_subject(state, clause) ~= nil
end

-- Marks sentences that open like a question ("Should I ...", "why ...") as questions.
local function mark_question_openings(state)
    local previous_sentence = 0
    for _, clause in ipairs(state.clauses) do
        if opens_inverted_question(state, clause) or ends_with_question_tag(state, clause) then
            add_flag(state, "question", clause.first, clause.last)
        end
    end
    for index, word in ipairs(state.words) do
        local sentence = state.sentence[index]
        if sentence ~= previous_sentence then
            previous_sentence = sentence
            local next_word = state.words[index + 1]
            local subjects = (word == "do" or word == "does" or word == "did"
                or word == "don't") and PERSONS or PRONOUNS
            -- "Don't you dare reset it" is an order, not a question.
            local dare = state.words[index + 2] == "dare"
            if QUESTION_WORDS[word] or (QUESTION_VERBS[word] and subjects[next_word]
                and state.sentence[index + 1] == sentence and not dare) then
                state.sentences[sentence].question = true
            end
        end
    end
end

-- Flags a question for each question sentence that says something beyond courtesy.
local function flag_questions(state)
    for index = 1, #state.words do
        local sentence = state.sentence[index]
        local word = state.words[index]
        if state.sentences[sentence].question and not state.sentences[sentence].flagged
            and not state.consumed[index] and not FILLER[word] and not COURTESY_WORDS[word] then
            state.sentences[sentence].flagged = true
            add_flag(state, "question", index)
        end
    end
end

-------------------------------------------------------------------------------------------
-- Step 6: the decision
-------------------------------------------------------------------------------------------

-- Flags that keep an approval from counting, in RULE.md's order of neutral reason codes, with
-- the reason code each one gives.
local APPROVAL_BLOCKERS = {
    {"sarcasm", "sarcasm"}, {"stray_negation", "contradictory"}, {"partial", "partial"},
    {"condition", "conditional"}, {"condition_weak", "conditional"}, {"deferral", "deferred"},
    {"deferral_weak", "deferred"},
    {"changed_plan", "changed_plan"}, {"question", "question"}, {"hedged", "hedged"},
    {"misdirected", "other_request"}, {"other_request", "other_request"},
    {"step_named", "partial"},
}

-- Flags that name a reply without any decision word, in the same order.
local NEUTRAL_FLAGS = {
    {"sarcasm", "sarcasm"}, {"partial", "partial"}, {"condition", "conditional"},
    {"condition_weak", "conditional"},
    {"deferral", "deferred"}, {"deferral_weak", "deferred"}, {"changed_plan", "changed_plan"},
    {"question", "question"}, {"hedged", "hedged"}, {"double_negation", "double_negation"},
    {"reported", "reported_decision"}, {"misdirected", "other_request"},
    {"other_request", "other_request"}, {"other_answer", "other_request"},
}

local APPROVE_REASONS = {"explicit_approval", "go_ahead", "plain_yes"}
local DENY_REASONS = {"step_refusal", "explicit_denial", "plain_no", "negated_approval", "stop"}

local ACKNOWLEDGEMENTS = word_set([[ok noted seen thanks thank cheers received ack acknowledged
    looking look review will do got on great]])

local AUTO_REPLY_MARKERS = {
    "i am on annual leave", "i'm on annual leave", "i am on leave", "i'm on leave",
    "i am out of the office", "i'm out of the office", "i am out of office",
    "i'm out of office", "i am currently away", "i am currently out", "i am away",
    "i'm away", "on my return", "limited access to e-mail", "limited access to email",
    "this is an automatic reply", "this is an automated reply",
}
local AUTO_REPLY_OPENINGS = {"automatic reply", "auto-reply", "autoreply", "auto reply",
    "out of office", "out of the office", "undeliverable", "delivery has failed",
    "delivery status notification", "mail delivery failed", "mail delivery subsystem",
    "returned mail", "delivery failure", "message not delivered"}

-- Emoji that mark the words beside them as not meant: eye roll, unamused, face palm,
-- upside-down face, smirk, expressionless face, and the tongue-out faces of a joke.
local SARCASTIC_EMOJI = {"\240\159\153\132", "\240\159\152\146", "\240\159\164\166",
    "\240\159\153\131", "\240\159\152\143", "\240\159\152\145", "\240\159\152\155",
    "\240\159\152\156", "\240\159\152\157", "\240\159\164\170"}

-- Returns the first sarcastic emoji in text, or nil.
local function find_sarcastic_emoji(text)
    for _, emoji in ipairs(SARCASTIC_EMOJI) do
        if text:find(emoji, 1, true) then
            return emoji
        end
    end
    return nil
end

local function is_auto_reply(lower)
    for _, opening in ipairs(AUTO_REPLY_OPENINGS) do
        if lower:sub(1, #opening) == opening then
            return true
        end
    end
    return contains_any(lower, AUTO_REPLY_MARKERS)
end

-- True when text left out of the analysis (quoted mail, a signature) has a decision word.
local function has_decision_word(text)
    local lower = text:sub(1, 20000):lower()
    return lower:find("%f[%a]approv") or lower:find("%f[%a]yes%f[%A]")
        or lower:find("%f[%a]no%f[%A]") or lower:find("go ahead", 1, true)
        or lower:find("%f[%a]proceed") or lower:find("%f[%a]den[iy]")
        or lower:find("%f[%a]reject") or lower:find("%f[%a]cancel")
        or lower:find("%f[%a]do not%f[%A]") or lower:find("don't", 1, true)
end

local function span_text(state, first_token, last_token)
    return state.text:sub(state.first[first_token], state.last[last_token])
end

local function cue_text(state, cues)
    local parts = {}
    for _, cue in ipairs(cues) do
        parts[#parts + 1] = span_text(state, cue.first, cue.last)
    end
    return table.concat(parts, " / ")
end

local function result(decision, reason, evidence)
    return {decision = decision, reason = reason, evidence = evidence or ""}
end

-- Returns the first flag of a list (pairs of flag and reason) that is set, as a neutral result.
local function first_blocker(state, blockers)
    for _, pair in ipairs(blockers) do
        local spans = state.flags[pair[1]]
        if spans ~= nil then
            return result("neutral", pair[2], span_text(state, spans[1].first, spans[1].last))
        end
    end
    return nil
end

local function pick_reason(cues, order)
    for _, reason in ipairs(order) do
        for _, cue in ipairs(cues) do
            if cue.reason == reason then
                return reason
            end
        end
    end
    return order[1]
end

-- True when a plain yes goes on to say what it answers, which is not the plan: "Yes I know
-- she's locked out", "Yes, she's the right user". The statement is the yes's own words or the
-- clause after it in the sentence, and it names no step ("Yes to the reset" stays partial).
local function yes_answers_statement(state, approval_cue)
    for _, index in ipairs(approval_cue.tail) do
        if STEP_NOUNS[state.words[index]] then
            return false
        end
    end
    for _, index in ipairs(approval_cue.tail) do
        local word = state.words[index]
        if not FILLER[word] and not COURTESY_WORDS[word] and not TAIL_WORDS[word] then
            return true
        end
    end
    local next_clause = state.clauses[approval_cue.clause + 1]
    return next_clause ~= nil and next_clause.sentence == approval_cue.sentence
        and next_clause.has_content == true and not next_clause.has_decision
end

--[[
True when every approval is a plain yes that does not approve the plan beside a refusal: one
that only agrees with the refusal after it ("Yes, cancel it"), or one that answers a statement
("Yes, she's the right user, but no, don't reset it"). A yes with words about a step after it
("Yes to the reset, no to the revoke") answers something of its own.
]]
local function yes_agrees_with_refusal(state)
    for _, approval_cue in ipairs(state.approvals) do
        if not approval_cue.weak then
            return false
        end
        local agrees = yes_answers_statement(state, approval_cue)
        if #approval_cue.tail == 0 then
            for _, denial in ipairs(state.denials) do
                if denial.sentence == approval_cue.sentence and denial.first > approval_cue.last
                    and denial.reason ~= "plain_no" and denial.reason ~= "step_refusal"
                    and state.clauses[denial.clause].conjunction ~= "but" then
                    agrees = true
                end
            end
        end
        if not agrees then
            return false
        end
    end
    return true
end

-- Deferral words that, alone at the start of a sentence, may interrupt rather than defer.
local INTERJECTIONS = {["wait"] = true, ["hang on"] = true, ["hold on"] = true,
    ["no wait"] = true, ["wait no"] = true}

-- Subjects that, right after "if" or "when", show a full clause of its own: "if you revoke her
-- sessions she loses the presentation".
local SUBJECT_WORDS = word_set([[i we you they he she it there i'm we're you're they're he's she's
    it's i'll we'll you'll they'll he'll she'll it'll i've we've the user client her his their]])

--[[
True when a condition or time marker limits the refusal rather than explaining it. It limits
when it stands in a clause with a decision word ("not yet", "don't do it until I've checked"),
or in a clause without a subject of its own that continues the refusal ("No, wait until she's
back", "No. Only if the client agrees"). A clause with its own subject explains: "she's
presenting in an hour", "the account is deleted tomorrow anyway", "we'll deal with it when
she's back". So does a sentence of six or more words that opens with "if" or "when" and a
subject: "If you revoke her sessions she loses the presentation".
]]
local function limits_refusal(state, span)
    local clause = state.clauses[state.clause[span.first]]
    local opens_sentence = state.sentences[clause.sentence].first_clause == clause.number
    if opens_sentence and span.first == clause.first and span.last == clause.last
        and INTERJECTIONS[span_text(state, span.first, span.last):lower()] then
        -- "Hang on, no, this is the wrong Jane. Cancel." opens with an interjection: it
        -- limits only a bare "no" ("Wait, no").
        for _, denial in ipairs(state.denials) do
            if denial.reason ~= "plain_no" then
                return false
            end
        end
    end
    if clause.has_decision then
        return true
    end
    if clause_subject(state, clause) ~= nil or inherits_subject(state, clause) then
        return false
    end
    local word = state.words[span.first]
    if (word == "if" or word == "when" or word == "whenever") and span.first == clause.first
        and clause.last - clause.first >= 5 and SUBJECT_WORDS[state.words[span.first + 1]] then
        return false
    end
    return true
end

--[[
True when a refusal was meant for another ticket. "Wrong ticket" or "wrong one" beside a
refusal is its reason ("Abort. Wrong ticket."), unless the reply apologises or asks to be
ignored ("Cancel - sorry, wrong ticket"). Every other misdirected phrase ("ignore this", "not
this one") takes the refusal away on its own.
]]
local function refusal_is_misdirected(state)
    local spans = state.flags.misdirected
    if spans == nil then
        return false
    end
    if state.flags.correction ~= nil then
        return true
    end
    for _, span in ipairs(spans) do
        if state.words[span.first] ~= "wrong" then
            return true
        end
    end
    return false
end

--[[
True when a flagged span stands in a clause that states a fact: the clause has a subject of its
own or a finite verb after its first word ("that group is for Leeds only"), and no decision. A
step named after the subject or the verb is what the clause asks for ("she only needs the
reset"), so it makes the clause no statement.
]]
local function in_statement(state, span)
    local clause = state.clauses[state.clause[span.first]]
    if clause.has_decision then
        return false
    end
    local verb = clause_subject(state, clause) ~= nil and clause.first or nil
    for index = clause.first + 1, clause.last do
        local word = state.words[index]
        if verb == nil and FINITE_VERBS[word] then
            verb = index
        elseif verb ~= nil and STEP_NOUNS[word] then
            return false
        end
    end
    return verb ~= nil
end

local function decide_refusal(state)
    for _, pair in ipairs({{"condition", "conditional"}, {"deferral", "deferred"}}) do
        for _, span in ipairs(state.flags[pair[1]] or {}) do
            if limits_refusal(state, span) then
                return result("neutral", pair[2], span_text(state, span.first, span.last))
            end
        end
    end
    if refusal_is_misdirected(state) then
        return first_blocker(state, {{"misdirected", "other_request"}})
    end
    -- "Do the unlock, not the MFA reset" refuses one step and asks for another.
    local only_steps = true
    for _, denial in ipairs(state.denials) do
        only_steps = only_steps and denial.reason == "step_refusal"
    end
    -- "Only the unlock, leave the password" refuses one step and keeps another. A marker in a
    -- statement keeps nothing: "Not the group, that group is for Leeds only".
    if only_steps then
        for _, flag in ipairs({"changed_plan", "partial"}) do
            for _, span in ipairs(state.flags[flag] or {}) do
                if not in_statement(state, span) then
                    return result("neutral", "partial", span_text(state, span.first, span.last))
                end
            end
        end
    end

    -- "I've cancelled the other ticket" refuses nothing here.
    for _, span in ipairs(state.flags.other_request or {}) do
        for _, denial in ipairs(state.denials) do
            if state.clause[span.first] == denial.clause then
                return result("neutral", "other_request", span_text(state, span.first, span.last))
            end
        end
    end
    -- A weak time word ("before", "Friday") limits a refusal only in its own clause: "not
    -- before Monday" waits, "cancel - she left last Friday" refuses.
    for _, span in ipairs(state.flags.deferral_weak or {}) do
        for _, denial in ipairs(state.denials) do
            if state.clause[span.first] == denial.clause then
                return result("neutral", "deferred", span_text(state, span.first, span.last))
            end
        end
    end
    for _, span in ipairs(state.flags.condition_weak or {}) do
        local clause = state.clause[span.first]
        local opens_clause = state.clauses[clause].first == span.first
        for _, denial in ipairs(state.denials) do
            if opens_clause or clause == denial.clause then
                return result("neutral", "conditional", span_text(state, span.first, span.last))
            end
        end
    end
    return result("deny", pick_reason(state.denials, DENY_REASONS),
        cue_text(state, state.denials))
end

-- Words that add to what comes before them in their clause.
local ADDING_WORDS = {["too"] = true, ["as well"] = true}

-- Words after a request verb that name the plan itself: "asked for it", "wants this done".
local PLAN_OBJECT_WORDS = word_set("for it this that the plan whole all of them to be done")

-- True when the words from first to last name only the plan: "her manager asked for it too".
local function requests_the_plan(state, first, last)
    for index = first, last do
        if not PLAN_OBJECT_WORDS[state.words[index]] then
            return false
        end
    end
    return true
end

--[[
True when "too" or "as well" ends a statement about someone else: "The client approved it too",
"she's expecting it as well". The clause opens with someone else or an explaining subject and
has a verb after it, so it adds a fact, not a step. "And Tom's too" has no verb and still
widens the plan, and a clause that names a step, an action or a request ("she wants the
licence removed too") may ask for more.
]]
local function adds_to_a_statement(state, span)
    if not ADDING_WORDS[span_text(state, span.first, span.last):lower()] then
        return false
    end
    local clause = state.clauses[state.clause[span.first]]
    local subject = clause_subject(state, clause)
    if subject ~= "others" and subject ~= "explanation" then
        return false
    end
    local has_verb = clause.has_decision == true
    for index = clause.first + 1, span.first - 1 do
        local word = state.words[index]
        if verb_stem(word) ~= nil or STEP_NOUNS[word]
            or (REQUEST_VERBS[word] and not requests_the_plan(state, index + 1, span.first - 1)) then
            return false
        end
        has_verb = has_verb or FINITE_VERBS[word]
            or (#word > 4 and (word:find("ed$") ~= nil or word:find("ing$") ~= nil))
    end
    return has_verb
end

-- Verbs of the technician's own follow-up after the run: "I'll let her know after".
local FOLLOW_UP_VERBS = word_set([[tell let update inform notify follow call ring phone email
    message text contact close chase]])

-- Time words that point after the run, which the technician's follow-up may carry.
local AFTER_WORDS = {["after"] = true, ["afterwards"] = true, ["later"] = true,
    ["tomorrow"] = true, ["in the morning"] = true, ["once"] = true, ["when"] = true,
    ["tonight"] = true, ["later on"] = true}

--[[
True when a time or condition span belongs to the technician's own follow-up rather than to
the plan: its clause opens with "I'll", "I will" or "we'll", names a verb of FOLLOW_UP_VERBS
and no step or other action, and the span points after the run ("Go ahead, I'll let her know
after", "I'll update the client once you're done"). "First" or "before" keeps the span.
]]
local function times_own_follow_up(state, span)
    if not AFTER_WORDS[span_text(state, span.first, span.last):lower()] then
        return false
    end
    local clause = state.clauses[state.clause[span.first]]
    local first = clause.first
    if CONJUNCTIONS[state.words[first]] then
        first = first + 1
    end
    local opener = state.words[first]
    local future = opener == "i'll" or opener == "we'll"
        or ((opener == "i" or opener == "we") and state.words[first + 1] == "will")
    if not future then
        return false
    end
    local follows_up = false
    for index = first + 1, clause.last do
        local word = state.words[index]
        if STEP_NOUNS[word] or word == "first" or word == "before"
            or (verb_stem(word) ~= nil and not FOLLOW_UP_VERBS[word]) then
            return false
        end
        follows_up = follows_up or FOLLOW_UP_VERBS[word] == true
    end
    return follows_up
end

local function decide_approval(state)
    if state.flags.deferral ~= nil then
        local deferrals = {}
        for _, span in ipairs(state.flags.deferral) do
            if not describes_a_state(state, span) then
                deferrals[#deferrals + 1] = span
            end
        end
        state.flags.deferral = #deferrals > 0 and deferrals or nil
    end
    for _, flag in ipairs({"deferral", "deferral_weak", "condition"}) do
        if state.flags[flag] ~= nil then
            local kept = {}
            for _, span in ipairs(state.flags[flag]) do
                if not times_own_follow_up(state, span) then
                    kept[#kept + 1] = span
                end
            end
            state.flags[flag] = #kept > 0 and kept or nil
        end
    end
    if state.flags.changed_plan ~= nil then
        local changes = {}
        for _, span in ipairs(state.flags.changed_plan) do
            if not adds_to_a_statement(state, span) then
                changes[#changes + 1] = span
            end
        end
        state.flags.changed_plan = #changes > 0 and changes or nil
    end

    local blocked = first_blocker(state, APPROVAL_BLOCKERS)
    if blocked ~= nil then
        return blocked
    end

    -- A plain yes next to a statement may answer another question ("Yes, she's back").
    local all_weak = true
    for _, cue in ipairs(state.approvals) do
        all_weak = all_weak and cue.weak
    end
    if all_weak then
        local spans = state.flags.other_answer
        if spans ~= nil then
            return result("neutral", "other_request", span_text(state, spans[1].first,
                spans[1].last))
        end
        for _, clause in ipairs(state.clauses) do
            if clause.has_content then
                return result("neutral", "other_request",
                    span_text(state, clause.first, clause.last))
            end
        end
    end

    local all_misspelt = true
    for _, cue in ipairs(state.approvals) do
        all_misspelt = all_misspelt and cue.misspelt
    end
    local reason = all_misspelt and "misspelled_approval"
        or pick_reason(state.approvals, APPROVE_REASONS)
    return result("approve", reason, cue_text(state, state.approvals))
end

--[[
True when a reply takes its yes back and ends on a whole refusal without a correction word:
"Proceed... no, stop!", "Approve. No wait. Deny.". The last decision must be a stop, an
explicit refusal or a negated approval that names no step, after every approval, and either in
a later sentence or after a "no". "Go ahead with the unlock. Cancel the reset." names a step,
so it stays partial.
]]
local function corrects_to_refusal(state)
    local last_approval, last_denial = nil, nil
    for _, cue in ipairs(state.approvals) do
        if last_approval == nil or cue.first > last_approval.first then
            last_approval = cue
        end
    end
    for _, cue in ipairs(state.denials) do
        if last_denial == nil or cue.first > last_denial.first then
            last_denial = cue
        end
    end
    if last_denial.first < last_approval.first or last_denial.reason == "step_refusal"
        or last_denial.reason == "plain_no" then
        return false
    end
    for _, index in ipairs(last_denial.tail) do
        if STEP_NOUNS[state.words[index]] then
            return false
        end
    end
    if last_denial.sentence > last_approval.sentence then
        return true
    end
    for _, cue in ipairs(state.denials) do
        if cue.reason == "plain_no" and cue.first > last_approval.first then
            return true
        end
    end
    return false
end

--[[
True when a correction word after the last refusal leads to an approval word, even one whose
words before it the lists cannot place: "Denied - sorry, meant to type approve". RULE.md keeps
a refusal corrected into a yes neutral.
]]
local function takes_refusal_back(state)
    local last_denial = 0
    for _, cue in ipairs(state.denials) do
        last_denial = math.max(last_denial, cue.last)
    end
    for _, correction in ipairs(state.flags.correction or {}) do
        if correction.first > last_denial then
            for _, approval_span in ipairs(state.flags.unplaced_approval or {}) do
                if approval_span.first > correction.last then
                    return true
                end
            end
        end
    end
    return false
end

local function decide(state)
    local approvals, denials = state.approvals, state.denials

    if #approvals == 0 and #denials > 0 and takes_refusal_back(state) then
        return result("neutral", "contradictory", cue_text(state, denials))
    end

    if #approvals > 0 and #denials > 0 and yes_agrees_with_refusal(state) then
        state.approvals = {}
        return decide_refusal(state)
    end

    if #approvals > 0 and #denials > 0 then
        local last_approval, last_denial = 0, 0
        for _, cue in ipairs(approvals) do
            last_approval = math.max(last_approval, cue.first)
        end
        for _, cue in ipairs(denials) do
            last_denial = math.max(last_denial, cue.first)
        end
        -- "Approved. Actually no, don't." ends on a refusal and is one.
        if state.flags.correction and last_denial > last_approval then
            return decide_refusal(state)
        end
        if corrects_to_refusal(state) then
            return decide_refusal(state)
        end
        local evidence = cue_text(state, approvals) .. " / " .. cue_text(state, denials)
        for _, cue in ipairs(denials) do
            if cue.reason == "step_refusal" then
                return result("neutral", "partial", evidence)
            end
        end
        return result("neutral", state.flags.partial and "partial" or "contradictory", evidence)
    end

    if #denials > 0 then
        return decide_refusal(state)
    end
    if #approvals > 0 then
        return decide_approval(state)
    end
    return nil
end

-- Returns the neutral result for a reply without any own decision word.
local function neutral_reason(state, quoted, signature, foreign)
    local meaningful = first_blocker(state, NEUTRAL_FLAGS)
    if meaningful == nil or meaningful.reason == "double_negation"
        or meaningful.reason == "reported_decision" then
        if has_decision_word(quoted) and meaningful == nil then
            return result("neutral", "quoted_only")
        end
        if has_decision_word(signature) and meaningful == nil then
            return result("neutral", "signature_only")
        end
    end
    if foreign then
        return result("neutral", "not_english")
    end
    if meaningful ~= nil then
        return meaningful
    end
    for _, word in ipairs(state.words) do
        if ACKNOWLEDGEMENTS[word] then
            return result("neutral", "acknowledgement")
        end
    end
    return result("neutral", "chatter")
end

-------------------------------------------------------------------------------------------
-- Step 7: what may still turn an approval
-------------------------------------------------------------------------------------------

-- The helpers of this step live in their own function, because a function may hold at most
-- 200 locals and the chunk is near that.
local turning = (function()

    --[[
    Phrases that take back, pause, narrow or mock a yes, keep some of the work for the writer
    ("I'll do the status myself", "leave it with me") or send it to someone else, in words the
    lists above do not place. Each entry is a phrase in lowercase words (a "/" stands for itself)
    and the neutral reason it gives; a phrase that ends in "." counts only at the end of a
    sentence. An approval beside any of them in the own words, or in a line below a
    signature, is neutral: "Approved. Changed my mind.", "Approved, one sec", "Approved, merely
    the note", "Approved /s", "Go ahead and try again now". A phrase that takes something back
    counts only after the first approval, since before it it takes back an earlier message:
    "Sorry, ignore my last reply - go ahead".
    ]]
    local TURNING_PHRASES_TEXT = [[
    contradictory: retract | retracted | retracting | retraction | rescind | rescinded | withdraw |
        withdrawn | withdrawing | scratch that | strike that | ignore that | ignore this |
        ignore my | ignore me | ignore the above | ignore above | disregard. | disregard that |
        disregard this | disregard it | disregard my | disregard me | disregard the above |
        disregard above | forget it |
        forget that | forget about it | forget i said | changed my mind | change my mind |
        changing my mind | second thought | second thoughts | on reflection | reconsider |
        reconsidering | rethink | rethinking | misclick | mis-click | mis click | misclicked |
        by mistake | in error | my mistake | my bad | oops | whoops | meant | typo | undo | undone |
        undoing | take it back | take that back | taking it back | belay | as you were |
        reverse | reversing | reversed | revoked. | unapprove | unapproved | void | voided |
        backtrack | backtracking | not anymore | no longer | psych | actually | that was for |
        nein | non. | nee. | nyet | njet | ditch it | nuke it | pass. | uh oh | uh-oh |
        this was for | wrong one | wrong person | wrong user | wrong request | hang about |
        working again | fixed itself | sorted itself | resolved itself | it's sorted now |
        it's fixed now | all sorted now
    deferred: think about it | thinking about it | let me think | hmm | hmmm | hmmmm | pause |
        paused | standby | stand by | one sec | a sec | 1 sec | one second | a second | one moment |
        a moment | one minute | a minute | a min | brb | tbd | tbc | to be decided |
        to be confirmed | awaiting | await | pending | rollback | roll back | roll it back |
        revert | back out | freeze | halt | rolling back | sit tight | hang fire | on ice |
        parked | tba | hold that thought | give me 5 | give me 10 | give me five | give me ten |
        give me a bit | give me an hour | gimme | bear with | on my signal | on my go |
        on my mark | on my command | on my say | my say-so | my say so | when i say | sit on it |
        sleep on it | maintenance window | change window | out of hours | out-of-hours |
        after hours | after-hours | off hours | off-peak | off peak
    question: how long | curious why | curious what | curious how | wondering why |
        wondering if | wondering whether | i wonder
    conditional: barring | contingent | conditional | conditionally | provisional |
        provisionally | tentative | tentatively | in principle | in theory | subject to |
        permitting | depending | dependent | to confirm.
    partial: merely | solely | exclusively | at most | sans | purely | simply the | alone |
        for the note | kinda | kind of. | sort of. | sorta | leave it with me | leave it to me |
        leave it with us | leave it to us | leave this with me | leave that with me |
        leave the rest | take it from here | take over from here | i'll handle | we'll handle |
        i'll do it | i'll do that | i'll do the | we'll do the | i'll sort | we'll sort |
        i'll take care of | i'll set the | i'll change the | i'll update the status |
        i'll add the note | i'll write the note | i'll post the note | don't worry about the |
        dont worry about the | don't worry about that step | no need to do | no need for the |
        skip the | i will handle | i will do the | i will sort | i will take care of
    sarcasm: jk | j/k | kidding | joking | /s | not really | sike | april fool | april fools |
        sarcasm
    hedged: better judgement | better judgment | have doubts | my doubts | some doubts |
        reservations | nervous | reluctant | reluctantly | see what happens | your call |
        up to you | you decide | your decision | you approve
    other_request: try again | try it again | try now | try it now | retry | just testing |
        test message | this is a test | test. | testing.
    ]]

    -- The patterns of TURNING_PHRASES_TEXT in one array, and per reason the index of its last
    -- pattern, because a table per phrase, or a reason per pattern, would cost a policy state
    -- memory it is short of. A pattern matches the phrase as whole words with any white space
    -- between them.
    local TURNING_PATTERNS, TURNING_REASONS, TURNING_REASON_ENDS = {}, {}, {}
    for reason, list in TURNING_PHRASES_TEXT:gmatch("(%a[%a_]*):%s*([^:]*)\n") do
        for phrase in list:gmatch("[^|]+") do
            local at_end = phrase:find("%.%s*$") ~= nil
            local words = phrase:gsub("%.%s*$", ""):gsub("^%s+", ""):gsub("%s+$", "")
            if words ~= "" then
                local first = words:sub(1, 1) == "/" and "%f[%S]" or "%f[%w]"
                TURNING_PATTERNS[#TURNING_PATTERNS + 1] = first
                    .. words:gsub("%p", "%%%0"):gsub("%s+", "%%s+")
                    .. (at_end and "%s*%f[%.!;\n\0]" or "%f[^%w/]")
            end
        end
        TURNING_REASONS[#TURNING_REASONS + 1] = reason
        TURNING_REASON_ENDS[#TURNING_REASON_ENDS + 1] = #TURNING_PATTERNS
    end
    -- A copy of exactly the patterns' length: a growing array doubles its slots.
    TURNING_PATTERNS = table.pack(table.unpack(TURNING_PATTERNS))

    -- Returns the reason and matched words of the first turning phrase in text (lowercase), or
    -- nil. A phrase that takes something back ("contradictory") counts only from the byte
    -- approval_at on (1 when nil).
    local function find_turning_phrase(text, approval_at)
        local reason_index = 1
        for index, pattern in ipairs(TURNING_PATTERNS) do
            while index > TURNING_REASON_ENDS[reason_index] do
                reason_index = reason_index + 1
            end
            local reason = TURNING_REASONS[reason_index]
            local first, last = text:find(pattern, reason == "contradictory" and approval_at or 1)
            if first ~= nil then
                return reason, text:sub(first, last)
            end
        end
        return nil
    end

    -- Emoji that take back, doubt or pause a yes beside them, each followed by the reason it
    -- gives: crosses, stop signs and thumbs down; thinking, grimacing and confused faces; pause
    -- and hourglasses.
    local TURNING_EMOJI = {
        "\226\156\151", "contradictory", "\226\156\152", "contradictory",
        "\226\156\150", "contradictory", "\226\157\140", "contradictory",
        "\226\157\142", "contradictory", "\240\159\154\171", "contradictory",
        "\226\155\148", "contradictory", "\240\159\145\142", "contradictory",
        "\240\159\155\145", "contradictory", "\240\159\153\133", "contradictory",
        "\240\159\164\148", "hedged", "\240\159\152\172", "hedged", "\240\159\152\149", "hedged",
        "\240\159\164\168", "hedged", "\240\159\152\159", "hedged", "\226\143\184", "deferred",
        "\226\143\179", "deferred", "\226\140\155", "deferred",
    }

    -- Returns the reason and the first emoji of TURNING_EMOJI in text, or nil.
    local function find_turning_emoji(text)
        for index = 1, #TURNING_EMOJI, 2 do
            if text:find(TURNING_EMOJI[index], 1, true) then
                return TURNING_EMOJI[index + 1], TURNING_EMOJI[index]
            end
        end
        return nil
    end

    -- Refusal and limiting words that may turn an approval when they follow its signature:
    -- "Approved.\n\n--\nSam\nDon't do it".
    local SIGNATURE_TURNING_WORDS = word_set([[no not don't dont never stop cancel cancelled hold
        wait deny denied reject rejected decline declined abort but only except unless until if
        actually nope nah n instead first]])

    -- True when a line or sentence (lowercase) contains a refusal, a limit, a question or a
    -- turning phrase.
    local function turns_an_answer(lower)
        if lower:find("?", 1, true) or find_turning_phrase(lower) ~= nil then
            return true
        end
        for word in lower:gmatch("[%a']+") do
            if SIGNATURE_TURNING_WORDS[word] then
                return true
            end
        end
        return false
    end

    -- Words that refuse, pause or take back an answer. A line left out as a name, title,
    -- contact line, sign-off or mobile footer that has one of them may turn the approval above
    -- it, because such a line is short enough to be an answer: "Approved.\n\nEdit: denied.".
    local DROPPED_TURNING_WORDS = word_set([[no not don't dont never nope nah cancel cancelled
        canceled denied deny stop hold wait scratch actually edit edited update updated
        retract undo ignore abort reject rejected wrong mean]])

    -- Parts of a line that name a company rather than a person: a line with one of them is a
    -- company line, where "no" before a word is a tagline's ("no contracts, no hassle").
    local COMPANY_MARKERS = {"@", "www.", "http", "ltd", "limited", "llc", "plc", "gmbh", "inc.",
        "partner", "supplier", "reseller", "linkedin"}

    -- Returns a line (lowercase) without the notices and numbers that signatures share: "do not
    -- reply", "no-reply" and a number ("Company No. 0123").
    local function strip_signature_notices(lower)
        return (lower:gsub("do not reply", ""):gsub("don't reply", ""):gsub("no%-reply", "")
            :gsub("%f[%a]no%.?%s*%d", ""))
    end

    -- True when a line (lowercase) that looks like part of a signature refuses, pauses or takes
    -- back an answer. On a company line, "no" followed by a word is passed over.
    local function signature_line_turns_answer(lower)
        lower = strip_signature_notices(lower)
        if contains_any(lower, COMPANY_MARKERS) then
            lower = lower:gsub("%f[%a]no%s+%a", "")
        end
        local reason = find_turning_phrase(lower)
        if reason == "contradictory" or reason == "sarcasm" then
            return true
        end
        for word in lower:gmatch("[%a']+") do
            if DROPPED_TURNING_WORDS[word] then
                return true
            end
        end
        return false
    end

    -- Words of the short orders that notices give: "Do not click links.", "Not for
    -- distribution.".
    local NOTICE_WORDS = {"click", "link", "open", "attachment", "reply", "copy", "forward",
        "disclos", "distribut", "print", "sender", "share"}

    -- Signature lines read before the first quoted line, and the longest line read. A
    -- signature beyond either turns an approval neutral, so its cost stays bounded.
    local SIGNATURE_MAX_LINES, SIGNATURE_MAX_LINE_BYTES = 60, 2000

    --[[
    True when the text set aside as signature holds words that may turn the answer above it. The
    lines that every signature has are passed over: a name, title, company or contact line, a
    mobile footer and a sign-off. In a gateway's warning or a disclaimer, only a sentence of four
    words or fewer that turns an answer counts ("No.", "Do not proceed."), unless it is one of
    the short orders of a notice (NOTICE_WORDS). Reading stops at quoted mail, which is never
    the technician's answer.
    ]]
    local function signature_turns_answer(signature)
        local lines_read = 0
        for _, line in ipairs(split_lines(signature)) do
            local text = trim(line)
            if text ~= "" then
                lines_read = lines_read + 1
                if lines_read > SIGNATURE_MAX_LINES or #text > SIGNATURE_MAX_LINE_BYTES then
                    -- Too long for a signature to read within the budget: assume the worst.
                    return true
                end
            end
            local lower = text:lower()
            if is_attribution(lower) or is_separator(lower) or is_halyard_note_line(lower)
                or HEADER_OPENERS[header_field(text) or ""] then
                return false
            end
            if lower == "" or lower:sub(1, 1) == ">" or lower == "--" then
                -- A line that every signature may have.
            elseif is_disclaimer(lower) or is_external_banner(lower) then
                for sentence in strip_signature_notices(lower):gmatch("[^%.!;]+") do
                    local _, word_count = sentence:gsub("[%a']+", "")
                    if word_count <= 4 and turns_an_answer(sentence)
                        and not contains_any(sentence, NOTICE_WORDS) then
                        return true
                    end
                end
            elseif is_mobile_footer(lower) or is_sign_off(text) or is_signature_line(text) then
                if signature_line_turns_answer(lower) then
                    return true
                end
            elseif turns_an_answer(lower) then
                return true
            end
        end
        return false
    end

    -- Returns the kind of a Unicode code point. A combining mark (a strike, overlay or accent
    -- drawn over the letter before it) is "mark", and so is a bidirectional control, which
    -- shows the letters after it in another order than they are stored. A letter or digit the
    -- policy cannot read is "letter": another script, full-width or mathematical letters,
    -- letters in circles or squares. ASCII, Latin-1 and Latin Extended letters, punctuation,
    -- symbols and emoji give nil, and so does the combining mark of a keycap emoji (U+20E3).
    local function code_point_kind(code)
        if (code >= 0x0300 and code <= 0x036F) or (code >= 0x0483 and code <= 0x0489)
            or (code >= 0x1AB0 and code <= 0x1AFF) or (code >= 0x1DC0 and code <= 0x1DFF)
            or (code >= 0x20D0 and code <= 0x20FF and code ~= 0x20E3)
            or (code >= 0xFE20 and code <= 0xFE2F) or (code >= 0x202A and code <= 0x202E)
            or (code >= 0x2066 and code <= 0x2069) or code == 0x061C then
            return "mark"
        end
        if (code >= 0x0250 and code <= 0x1FFF) or (code >= 0x2070 and code <= 0x209F)
            or (code >= 0x2100 and code <= 0x218F) or (code >= 0x2460 and code <= 0x24FF)
            or (code >= 0x2C00 and code <= 0xD7FF) or (code >= 0xF900 and code <= 0xFDFF)
            or (code >= 0xFE30 and code <= 0xFFEF) or (code >= 0x10000 and code <= 0x1EFFF)
            or (code >= 0x1F100 and code <= 0x1F1FF) or (code >= 0x20000 and code <= 0x3FFFF) then
            return "letter"
        end
        return nil
    end

    --[[
    Returns "mixed" when a word of text joins ASCII letters with a letter of another script or a
    combining mark ("Nо" with a Cyrillic o, "Approved" with a strike through it), "letters" when
    text holds letters the policy cannot read elsewhere, or nil. A look-alike letter or a struck
    word says something other than what the policy reads, so either makes a reply neutral.
    ]]
    local function find_unreadable(text)
        if not text:find("[\201-\244]") then
            return nil
        end
        local found = nil
        for word in text:gmatch("%S+") do
            if word:find("[\201-\244]") then
                local kinds = {}
                for character in word:gmatch("[\192-\247][\128-\191]*") do
                    local ok, code = pcall(utf8.codepoint, character)
                    local kind = ok and code_point_kind(code) or nil
                    if kind ~= nil then
                        kinds[kind] = true
                    end
                end
                if (kinds.mark or kinds.letter) and word:find("%a") then
                    return "mixed"
                end
                if kinds.mark or kinds.letter then
                    found = "letters"
                end
            end
        end
        return found
    end

    -- Plan ids are the 8 hex digits halyard's note shows ("plan 5d22e09f"); a reply may name
    -- more or fewer of them.
    local PLAN_ID_MIN, PLAN_ID_MAX = 6, 16

    -- True when two plan ids (lowercase) name the same plan: one is the start of the other.
    local function same_plan_id(left, right)
        local shorter = math.min(#left, #right)
        return left:sub(1, shorter) == right:sub(1, shorter)
    end

    --[[
    Reads the plan ids a reply names in ascii (the own words as ASCII): a hex token of 6 to 16
    digits after "plan", "plan id", "id", "re" or "#" (a colon may follow the label), and any
    token of exactly 8 hex digits, the length halyard's note shows, with or without a label.
    A labelled token without a digit counts only at 8 digits, so "plan decade" names no plan.
    Returns ascii with each id replaced, and the list of ids (lowercase). An id after "plan",
    or one that is plan_id, is replaced by "the plan" padded to the same length, so "Approved
    plan 38a21b13" reads "Approved the plan". Other ids stay as they are, because the reply is
    read as naming another plan when plan_id or a quoted note is known, and a number such as
    "ticket 12345678" must then still read as one.
    ]]
    local function read_plan_ids(ascii, plan_id)
        local ids = {}
        local lower = ascii:lower()
        local spans = {}
        for start, id, stop in lower:gmatch("()%f[%w](%x+)%f[^%w]()") do
            local before = lower:sub(math.max(1, start - 12), start - 1)
            local label = before:match("%f[%w]plan%s+id%s*:?%s*#?$")
                or before:match("%f[%w]plan%s*:?%s*#?$") or before:match("%f[%w]id%s*:?%s*#?$")
                or before:match("%f[%w]re%s*:?%s*#?$") or before:match("#$")
            local named = false
            if label ~= nil then
                named = #id >= PLAN_ID_MIN and #id <= PLAN_ID_MAX and (#id == 8 or id:find("%d"))
            else
                named = #id == 8
            end
            if named then
                ids[#ids + 1] = id
                local own = plan_id ~= nil and same_plan_id(id, plan_id:lower())
                if own or (label ~= nil and label:find("plan")) then
                    spans[#spans + 1] = {start - #(label or ""), stop - 1}
                end
            end
        end
        local pieces, position = {}, 1
        for _, span in ipairs(spans) do
            local length = span[2] - span[1] + 1
            pieces[#pieces + 1] = ascii:sub(position, span[1] - 1)
            pieces[#pieces + 1] = length >= 8 and "the plan" .. string.rep(" ", length - 8)
                or string.rep(" ", length)
            position = span[2] + 1
        end
        pieces[#pieces + 1] = ascii:sub(position)
        return table.concat(pieces), ids
    end

    --[[
    True when the reply answers another plan than the one asked about. That is so when an id
    it names is not options.plan_id, when halyard passes it, or, without it, not an id of
    halyard's note in the quoted mail. It is so too when options.plan_id is passed and the
    quoted mail shows halyard's notes of other plans only, since the technician then answered
    an older request. A reply that names a plan and quotes no note of halyard's is read as
    naming the plan it answers.
    ]]
    local function names_another_plan(ids, quoted, options)
        local known = {}
        for id in quoted:lower():gmatch("plan (%x%x%x%x%x%x%x%x)%f[^%w]") do
            known[#known + 1] = id
        end
        if options ~= nil and options.plan_id ~= nil then
            local current = options.plan_id:lower()
            local quotes_current = false
            for _, id in ipairs(known) do
                quotes_current = quotes_current or same_plan_id(id, current)
            end
            if #known > 0 and not quotes_current then
                return true
            end
            known = {current}
        end
        if #ids == 0 or #known == 0 then
            return false
        end
        for _, id in ipairs(ids) do
            local matches = false
            for _, known_id in ipairs(known) do
                matches = matches or same_plan_id(id, known_id)
            end
            if not matches then
                return true
            end
        end
        return false
    end

    -- Praise, thanks and sign-off words that a one-word remark after a yes often is.
    local HARMLESS_REMARKS = word_set([[tx ty tia tyvm thx legend ace brill brilliant sweet fab
        fabulous superb noted understood priority bud buddy shipit sorted onwards enjoy regards
        rgds laters appreciated]])

    --[[
    Returns the token of a one-word clause after the first approval's clause that no list of
    the policy knows ("Approved. Void.", "Approved, parked"), or nil. Such a word may take the
    approval back or limit it in a way the lists cannot place. A capitalised word is a name
    when it does not end a sentence or when it follows the approval in its sentence
    ("Approved, Tom", "Approved, Sam."). Longer clauses mostly explain ("ID checked", "she's
    aware"), so only TURNING_PHRASES_TEXT reads them.
    ]]
    local function find_unplaced_remark(state)
        local approval_clause = math.huge
        for _, cue in ipairs(state.approvals) do
            approval_clause = math.min(approval_clause, state.clause[cue.first])
        end
        for number = approval_clause + 1, #state.clauses do
            local clause = state.clauses[number]
            if clause.last ~= nil and clause.last == clause.first then
                local unknown, name_like = false, true
                for index = clause.first, clause.last do
                    local word = state.words[index]
                    name_like = name_like and state.capitalised[index]
                    unknown = unknown
                        or not (KNOWN_WORDS[word] or HARMLESS_REMARKS[word] or word:find("^%d"))
                end
                local ends_sentence = state.text:find("^%s*[%.!%?]", state.last[clause.last] + 1)
                local addressed = clause.sentence == state.clauses[approval_clause].sentence
                if unknown and not (name_like and (addressed or not ends_sentence)) then
                    return clause.first, clause.last
                end
            end
        end
        return nil
    end

    --[[
    Returns the first and last token of a clause after an approval's clause that opens with
    "for" and names a group or a person ("Approved - for the Finance team", "Go ahead, for
    Tom too"), or nil. check_tails reads "for" only in the approval's own clause, and such a
    clause widens the plan past its dash or comma just the same.
    ]]
    local function find_widening_clause(state)
        local approval_clause = math.huge
        for _, cue in ipairs(state.approvals) do
            approval_clause = math.min(approval_clause, state.clause[cue.first])
        end
        for number = approval_clause + 1, #state.clauses do
            local clause = state.clauses[number]
            local aside = state.aside[clause.first] or state.aside[clause.first + 1]
                or (state.words[clause.first + 1] == "the"
                    and state.words[clause.first + 2] == "record")
            if clause.last ~= nil and state.words[clause.first] == "for" and not aside then
                for index = clause.first + 1, clause.last do
                    local word = state.words[index]
                    if GROUP_WORDS[word] or OTHERS[word]
                        or (state.capitalised[index] and not KNOWN_WORDS[word]) then
                        return clause.first, clause.last
                    end
                end
            end
        end
        return nil
    end

    -- People and roles whose approval or confirmation a reply may still wait for.
    local OBLIGED_PEOPLE = word_set([[he she they you someone somebody manager managers client
        customer user boss director owner finance hr lead supervisor approver cto ceo cfo
        security team admin accounts]])
    -- Words between a person and the obligation: "Jane still needs to", "Dave also has to".
    local OBLIGATION_FILLERS = word_set("still also too then first really definitely")
    -- Capitalised words before "to" that open a sentence rather than name a person: "Happy to
    -- confirm", "Remember to check".
    local NOT_PERSON_WORDS = word_set([[happy glad nice great good free pleased keen ready able
        safe fine remember try want going sure time due likely hard easy important worth best
        better feel please]])
    -- Verbs of a yes or a check that someone else gives: "Jane will confirm", "Dave to sign off".
    local CONFIRMING_VERBS = word_set([[confirm approve sign agree check verify ok okay
        authorise authorize decide review give]])
    -- Words after "be" that make it such a check: "the manager must be told".
    local INFORMED_WORDS = word_set([[informed told consulted asked notified aware ok okay
        happy present available]])
    -- Nouns of a yes that someone else gives: "Requires manager sign-off".
    local APPROVAL_NOUNS = word_set([[approval approvals sign signoff sign-off confirmation ok
        okay go-ahead authorisation authorization consent agreement say-so]])

    --[[
    Returns the words of an obligation on someone other than the writer, before or after the
    yes, or nil: "Jane must confirm", "The manager has to agree", "Jane will confirm", "Jane to
    sign off", "Manager approval still needed", "Waiting for Jane", "Requires manager
    sign-off". Such a yes holds only once that person acts, so it is conditional. ascii is the
    own words as ASCII, with capitals. An obligation of the writer ("I must say", "I'll let
    Jane know", "need to update Jane") sets no condition, nor does a reason ("the user has to
    get back in today").
    ]]
    local function find_obligation(ascii)
        local words, lowered = {}, {}
        for word in ascii:gmatch("[%w][%w'%-]*") do
            words[#words + 1] = word
            lowered[#lowered + 1] = word:lower()
        end

        -- The person before index: a word of OBLIGED_PEOPLE, a possessive or a capitalised
        -- word the lists do not know, past any OBLIGATION_FILLERS.
        local function names_other_person(index)
            index = index - 1
            while index > 0 and OBLIGATION_FILLERS[lowered[index]] do
                index = index - 1
            end
            if index == 0 then
                return false
            end
            local word = lowered[index]
            return OBLIGED_PEOPLE[word] or word:find("'s$") ~= nil
                or (words[index]:find("^%u") ~= nil and word ~= "i" and not KNOWN_WORDS[word]
                    and not NOT_PERSON_WORDS[word])
        end

        -- A verb of a check, or "be" with a word of INFORMED_WORDS, at index.
        local function confirms(index)
            local word = lowered[index]
            return CONFIRMING_VERBS[word] or (word == "be" and INFORMED_WORDS[lowered[index + 1]])
        end

        for index, word in ipairs(lowered) do
            local next_word = lowered[index + 1]
            local verb_at = nil
            if word == "must" or word == "will" or word == "to" then
                verb_at = index + 1
            elseif (word == "has" or word == "have" or word == "needs" or word == "need")
                and next_word == "to" then
                verb_at = index + 2
            end
            if verb_at ~= nil and lowered[verb_at] ~= nil and confirms(verb_at)
                and names_other_person(index) then
                return word .. " " .. table.concat(lowered, " ", index + 1, verb_at)
            end

            -- "Manager approval still needed", "sign-off pending", "approval to follow", but
            -- not "no approval needed".
            local negated = lowered[index - 1] == "no" or lowered[index - 1] == "without"
            local wanted_at = next_word == "still" and index + 2 or index + 1
            local wanted = lowered[wanted_at]
            if wanted == "to" and (lowered[wanted_at + 1] == "follow"
                or lowered[wanted_at + 1] == "come") then
                wanted = "pending"
            end
            if APPROVAL_NOUNS[word] and not negated and (wanted == "needed"
                or wanted == "required" or wanted == "pending" or wanted == "outstanding") then
                return word .. " " .. next_word
            end

            -- "Waiting for Jane", "waiting on the manager's OK", but not "the user is waiting
            -- on this".
            if word == "waiting" and (next_word == "for" or next_word == "on") then
                local person = index + 2
                if lowered[person] == "the" or lowered[person] == "her" or lowered[person] == "his"
                    or lowered[person] == "their" or lowered[person] == "a" then
                    person = person + 1
                end
                local found = lowered[person]
                if found ~= nil and (OBLIGED_PEOPLE[found] or APPROVAL_NOUNS[found]
                    or found:find("'s$") or (words[person]:find("^%u") and not KNOWN_WORDS[found]))
                then
                    return word .. " " .. next_word
                end
            end

            -- "Requires manager sign-off", "needs Jane's approval".
            if word == "requires" or word == "require" or word == "required" or word == "needs"
                or word == "need" then
                for ahead = index + 1, math.min(index + 3, #lowered) do
                    if APPROVAL_NOUNS[lowered[ahead]] then
                        return word .. " " .. lowered[ahead]
                    end
                end
            end
        end
        return nil
    end

    return {
        find_turning_emoji = find_turning_emoji,
        find_obligation = find_obligation,
        find_widening_clause = find_widening_clause,
        find_unplaced_remark = find_unplaced_remark,
        find_phrase = find_turning_phrase,
        signature_turns_answer = signature_turns_answer,
        find_unreadable = find_unreadable,
        read_plan_ids = read_plan_ids,
        names_another_plan = names_another_plan,
    }
end)()

-------------------------------------------------------------------------------------------
-- The interface
-------------------------------------------------------------------------------------------

-- Checks classify's and own_words's arguments; raises in lauxlib's wording on misuse.
local function check_arguments(function_name, text, options)
    if type(text) ~= "string" then
        error(string.format("bad argument #1 to '%s' (string expected, got %s)", function_name,
            type(text)), 3)
    end
    if options ~= nil and type(options) ~= "table" then
        error(string.format("bad argument #2 to '%s' (table or nil expected, got %s)",
            function_name, type(options)), 3)
    end
    local format = options and options.format
    if format ~= nil and format ~= "html" and format ~= "plain" and format ~= "auto" then
        error(string.format("bad argument #2 to '%s' (options.format must be \"html\", "
            .. "\"plain\" or \"auto\", got %s)", function_name,
            type(format) == "string" and string.format("%q", format) or type(format)), 3)
    end
    for _, field in ipairs({"plan_id", "writer_name", "writer_email"}) do
        local value = options and options[field]
        if value ~= nil and type(value) ~= "string" then
            error(string.format("bad argument #2 to '%s' (options.%s must be a string or nil, "
                .. "got %s)", function_name, field, type(value)), 3)
        end
    end
end

local own_words = approval.own_words

function approval.own_words(text, options)
    check_arguments("own_words", text, options)
    local own, quoted, signature = own_words(text, options)
    return own, quoted, signature
end

--[[
Classifies the own words of one reading of a reply: with the text that the HTML hides left out
(keep_hidden false) or kept. writer is nil or the reply's writer (approval.classify). Returns the
result and whether the HTML hides any text. The writer's name is not passed to own_words: there
it keeps her own quoted mail as her words, and an approval she gave earlier, quoted below a new
reply, may be of another plan.
]]
local function classify_reading(text, options, keep_hidden, writer)
    local split_options = options and {format = options.format, signer_name = options.writer_name}
    local own, quoted, signature, hidden_found, signed_by = own_words(text, split_options,
        keep_hidden)
    if own == nil then
        return result("neutral", quoted), false
    end
    local lower = own:lower()
    if is_auto_reply(lower) then
        return result("neutral", "auto_reply"), hidden_found
    end

    -- A word that mixes scripts or carries a strike is not what the policy would read.
    local unreadable = turning.find_unreadable(own)
    if unreadable == "mixed" then
        return result("neutral", "not_english"), hidden_found
    end

    -- Non-ASCII symbols become spaces of the same length, so token positions still point
    -- into the own words. Accented Latin letters become "zz", and they mark the reply as not
    -- English.
    local has_symbols = own:find("[\226\240-\244]") ~= nil
    local foreign = own:find("[\195-\197][\128-\191]") ~= nil or own:find("[\206-\223]") ~= nil
        or own:find("[\227-\237]") ~= nil
    local ascii = own:gsub("[\195-\197][\128-\191]", "zz"):gsub("[\128-\255]", " ")
    if not ascii:find("%w") then
        if has_decision_word(quoted) then
            return result("neutral", "quoted_only"), hidden_found
        elseif has_decision_word(signature) then
            return result("neutral", "signature_only"), hidden_found
        end
        return result("neutral", has_symbols and "emoji_only" or "empty"), hidden_found
    end
    local plan_ids
    ascii, plan_ids = turning.read_plan_ids(ascii, options and options.plan_id)
    if turning.names_another_plan(plan_ids, quoted, options) then
        return result("neutral", "other_request", plan_ids[1]), hidden_found
    end

    local state = tokenize(ascii, writer)
    state.text = own
    state.consumed, state.flags, state.approvals, state.denials = {}, {}, {}, {}
    state.marker, state.aside = {}, {}
    for _, word in ipairs(state.words) do
        foreign = foreign or FOREIGN_WORDS[word] == true
    end
    state.foreign = foreign

    mark_question_openings(state)
    mark_sourced_sentences(state)
    mark_relayed_clauses(state)
    for _, clause in ipairs(state.clauses) do
        scan_clause(state, clause)
    end
    check_tails(state)
    check_denial_tails(state)
    flag_questions(state)

    local eye_roll = find_sarcastic_emoji(own)
    if eye_roll ~= nil and #state.approvals > 0 then
        return result("neutral", "sarcasm", eye_roll), hidden_found
    end
    local verdict = decide(state) or neutral_reason(state, quoted, signature, foreign)
    if verdict.decision ~= "approve" then
        return verdict, hidden_found
    end

    -- An approval signed with another person's name is hers, relayed by the writer. A refusal
    -- signed with another name still stops the plan.
    if signed_by ~= nil then
        return result("neutral", "reported_decision", signed_by), hidden_found
    end

    -- An approval given "per" a call with another person is relayed from her, as one with
    -- "per" after it is: "Per our call with Jane, approved". The person is a capitalised word
    -- or a requester's role ("the client"); "per our call" alone is the writer's own.
    local contact_words = " call calls conversation chat discussion meeting talk email mail "
    local contact_roles = " client customer user requester manager boss owner director "
    for per_end in ascii:lower():gmatch("%f[%a]per%s()") do
        local words = {}
        for word in ascii:sub(per_end, per_end + 60):gmatch("%a+") do
            words[#words + 1] = word
        end
        for index = 1, math.min(#words - 2, 4) do
            local person = words[index + 2]
            if words[index + 2]:lower() == "the" and words[index + 3] ~= nil then
                person = words[index + 3]
            end
            if contact_words:find(" " .. words[index]:lower() .. " ", 1, true)
                and words[index + 1]:lower() == "with" and (person:find("^%u%l")
                or contact_roles:find(" " .. person:lower() .. " ", 1, true)) then
                return result("neutral", "reported_decision", words[index] .. " with " .. person),
                    hidden_found
            end
        end
    end

    -- An approval is kept only when nothing that the lists cannot place may turn it.
    if unreadable == "letters" then
        return result("neutral", "not_english"), hidden_found
    end
    if own:find("\194\191", 1, true) then
        -- An opening question mark: "¿Approved".
        return result("neutral", "question", "\194\191"), hidden_found
    end
    local approval_at = #ascii
    for _, cue in ipairs(state.approvals) do
        approval_at = math.min(approval_at, state.first[cue.first])
    end
    local reason, phrase = turning.find_phrase(ascii:lower(), approval_at)
    if reason == nil then
        reason, phrase = turning.find_turning_emoji(own)
    end
    if reason == nil then
        phrase = turning.find_obligation(ascii)
        reason = phrase and "conditional"
    end
    if reason ~= nil then
        return result("neutral", reason, phrase), hidden_found
    end
    local remark_first, remark_last = turning.find_unplaced_remark(state)
    if remark_first ~= nil then
        return result("neutral", "contradictory", span_text(state, remark_first, remark_last)),
            hidden_found
    end
    local widening_first, widening_last = turning.find_widening_clause(state)
    if widening_first ~= nil then
        return result("neutral", "changed_plan", span_text(state, widening_first,
            widening_last)), hidden_found
    end
    if turning.signature_turns_answer(signature) then
        return result("neutral", "contradictory", verdict.evidence), hidden_found
    end
    return verdict, hidden_found
end

--[[
Classifies one reply. text is the action's note as HaloPSA stores it (note or note_html);
options is nil or a table with format = "html", "plain" or "auto" (the default), plan_id,
the id of the plan the request shows ("5d22e09f"), when the caller knows it, and writer_name,
the name of the technician who wrote the reply ("Sam Lead"), whose own name in a label, after
"by" or as a signature then relays nothing. Returns
{decision = "approve" | "deny" | "neutral", reason = a reason code of RULE.md (or "too_long"
when the reply exceeds MAX_INPUT_BYTES, MAX_HTML_TAGS or MAX_OWN_BYTES), evidence = the
technician's own words that decided, or "" when nothing did}. Raises only on misuse: text
that is not a string, options that are not a table, an unknown options.format, or a plan_id
or writer_name that is not a string.

HTML that hides text from the reader (html_to_text) is read twice, without and with that
text. A decision stands only when both readings agree; otherwise the reply is neutral, so
hidden words can neither make nor unmake an answer.
]]
function approval.classify(text, options)
    check_arguments("classify", text, options)

    -- The writer's name as the reply's labels and tokens are compared with it: text with
    -- look-alike letters folded, lowercased, with single spaces ("sam lead"), first its first
    -- word, and words its words as tokenize spells them. A name of more than four words is
    -- read as none, as a speaker's label has at most four names.
    local writer = nil
    local name = options and options.writer_name
    if name ~= nil then
        name = trim(approval.fold_look_alikes(normalise_characters(name)):lower():gsub("%s+", " "))
        local ascii = name:gsub("[\195-\197][\128-\191]", "zz"):gsub("[\128-\255]", " ")
        local words = {}
        for word in ascii:gmatch("[%w][%w']*") do
            words[#words + 1] = word
        end
        if #words > 0 and #words <= 4 then
            writer = {text = name, first = name:match("^%S+"), words = words}
        end
    end

    local visible, hidden_found = classify_reading(text, options, false, writer)
    if not hidden_found then
        return visible
    end
    local everything = classify_reading(text, options, true, writer)
    if everything.decision == visible.decision then
        return visible
    end
    if everything.decision == "neutral" then
        return everything
    end
    if visible.decision == "neutral" then
        return visible
    end
    return result("neutral", "contradictory")
end

return approval
