-- Conversions between the plain and HTML forms of ticket details and action notes.
--
-- HaloPSA stores both forms (`details`/`details_html`, `note`/`note_html`); when a client sends
-- only one, the simulator derives the other so readers of either field see the text.
local html = {}

local entities = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " " }

local function decode_entity(name)
    local code = name:match("^#(%d+)$")
    if code then
        return utf8.char(tonumber(code))
    end
    code = name:match("^#[xX](%x+)$")
    if code then
        return utf8.char(tonumber(code, 16))
    end
    return entities[name:lower()]
end

-- Returns the plain text of an HTML fragment: line breaks for <br> and block ends, tags removed,
-- entities decoded, runs of blank lines collapsed.
function html.to_text(fragment)
    local text = fragment:gsub("<[Ss][Tt][Yy][Ll][Ee].-</[Ss][Tt][Yy][Ll][Ee]>", "")
    text = text:gsub("<[Ss][Cc][Rr][Ii][Pp][Tt].-</[Ss][Cc][Rr][Ii][Pp][Tt]>", "")
    text = text:gsub("<[Bb][Rr]%s*/?>", "\n")
    text = text:gsub("</[Pp]>", "\n")
    text = text:gsub("</[Dd][Ii][Vv]>", "\n")
    text = text:gsub("</?[%a!/][^>]*>", "")
    text = text:gsub("&(#?[%w]+);", function(name)
        return decode_entity(name) or ("&" .. name .. ";")
    end)
    text = text:gsub("\n\n\n+", "\n\n")
    return (text:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Returns plain text as an HTML fragment: special characters escaped, line breaks as <br>.
function html.from_text(text)
    local escaped = text:gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
        ['"'] = "&quot;" })
    return (escaped:gsub("\r?\n", "<br>"))
end

return html
