-- context.drop_data_uris: the base64 payload of a data: URI (a picture pasted into mail) is
-- left out before a ticket is read, and nothing a reader sees is. Bug: a ticket with a pasted
-- screenshot of a megabyte could not be screened (tests/scenarios/
-- screening_pasted_screenshot_planned.lua). Run with lua5.4 from the source folder given as
-- the first argument.
local source = arg[1] or "."
package.path = source .. "/bindings/lua/?.lua;" .. package.path
local context = require "context"

local failures = 0
local function check(name, got, expected)
    if got ~= expected then
        failures = failures + 1
        io.stderr:write(string.format("FAIL %s:\n  got      %q\n  expected %q\n", name,
            tostring(got):sub(1, 300), tostring(expected):sub(1, 300)))
    end
end

local picture = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw=="):rep(8)
local short = "iVBORw0KGgoAAAANSUhEUg=="

-- Returns picture's text wrapped at 76 characters with line_break between lines.
local function wrapped(line_break)
    local lines = {}
    for start = 1, #picture, 76 do
        lines[#lines + 1] = picture:sub(start, start + 75)
    end
    return table.concat(lines, line_break)
end

-- {name, input, output}
local cases = {
    {"double-quoted src", '<p>See <img src="data:image/png;base64,' .. picture .. '"> here</p>',
        '<p>See <img src="data:image/png;base64,"> here</p>'},
    {"upper case, single quotes", "<IMG SRC='DATA:IMAGE/PNG;BASE64," .. picture .. "'>x",
        "<IMG SRC='DATA:IMAGE/PNG;BASE64,'>x"},
    {"a css url", "<div style=\"background:url(data:image/jpeg;base64," .. picture .. ")\">a</div>",
        "<div style=\"background:url(data:image/jpeg;base64,)\">a</div>"},
    {"a parameter before base64", '<img src="data:image/png;name=a.png;base64,' .. picture .. '">',
        '<img src="data:image/png;name=a.png;base64,">'},
    {"two pictures and text between", "a data:image/gif;base64," .. picture .. " please reset "
        .. "data:image/gif;base64," .. picture .. " b",
        "a data:image/gif;base64, please reset data:image/gif;base64, b"},
    -- A short payload costs nothing to read and is kept.
    {"short payload kept", '<img src="data:image/png;base64,' .. short .. '">' .. ("x"):rep(300),
        '<img src="data:image/png;base64,' .. short .. '">' .. ("x"):rep(300)},
    -- Words are not base64: the run stops at the first space, so a request stays.
    {"text after a short run", "data:text/plain;base64,QUJD please reset my password "
        .. ("y"):rep(300),
        "data:text/plain;base64,QUJD please reset my password " .. ("y"):rep(300)},
    -- ";base64," without a media type before it is not a data URI.
    {"no data: head", "notes;base64," .. picture, "notes;base64," .. picture},
    {"a head too far back", "data:" .. ("a"):rep(120) .. "/png;base64," .. picture,
        "data:" .. ("a"):rep(120) .. "/png;base64," .. picture},
    -- A data URI that is not base64 (an SVG in URL encoding can hold text) is kept.
    {"svg in url encoding", "<img src=\"data:image/svg+xml;utf8,%3Csvg%3E" .. ("t"):rep(300)
        .. "\">", "<img src=\"data:image/svg+xml;utf8,%3Csvg%3E" .. ("t"):rep(300) .. "\">"},
    -- Mail wraps base64 at 76 characters, with "\n" or "\r\n": the payload runs over the
    -- lines, and the last line ends the URI.
    {"wrapped with line feeds", '<img src="data:image/png;base64,' .. wrapped("\n") .. '">x',
        '<img src="data:image/png;base64,">x'},
    {"wrapped with carriage returns", "<img src='data:image/png;base64," .. wrapped("\r\n")
        .. "'>x", "<img src='data:image/png;base64,'>x"},
    -- A line of words after a wrapped picture stays, even a single word, and so does a short
    -- line that does not end the URI.
    {"words after wrapped lines", "data:image/png;base64," .. wrapped("\n") .. "\nPlease\nreset "
        .. "my password", "data:image/png;base64,\nPlease\nreset my password"},
    {"not a string", nil, nil},
}
for _, case in ipairs(cases) do
    check(case[1], context.drop_data_uris(case[2]), case[3])
end

-- The HTML reading drops the payload too, so the text is the words around the picture.
check("html_to_text", context.html_to_text('<p>Printer jammed</p><img src="data:image/png;base64,'
    .. picture .. '"><p>please reset my password</p>'), "Printer jammed\nplease reset my password")

if failures > 0 then
    io.stderr:write(failures .. " failed\n")
    os.exit(1)
end
print("context_data_uris: " .. #cases + 1 .. " cases passed")
