-- Cuts credentials out of text that halyard copies. A requester may type a password or a
-- one-time code into a ticket, and the plan note, the run events, the stored plan and the
-- screening must keep no copy of it. Verification details use the cut of codes too.

local redact = {}

local DIGITS_REMOVED = "[digits removed]"
local SECRET_REMOVED = "[secret removed]"

-- Returns the last position of the separator run that starts at first (first - 1 when there is
-- none): characters other than ASCII letters and digits, and HTML character references.
local function separator_end(text, first)
    local last = first - 1
    while true do
        local _, reference_last = text:find("^&#?%w+;", last + 1)
        if reference_last ~= nil then
            last = reference_last
        elseif text:find("^[^%w]", last + 1) ~= nil then
            last = last + 1
        else
            return last
        end
    end
end

-- Reads the word at first as a hexadecimal number: all hex digits, or "0x" and hex digits,
-- with at least one decimal digit. Returns its last position and its count of hex digits, or
-- nil.
local function hex_word(text, first)
    local _, last = text:find("^%w+", first)
    if last == nil then
        return nil
    end
    local word = text:sub(first, last)
    local digits = word:match("^0[xX](%x+)$") or word:match("^%x+$")
    if digits == nil or not digits:find("%d") then
        return nil
    end
    return last, #digits
end

-- Reads one group of a code at first: a hexadecimal word when the group starts a word, else
-- the decimal digits there. Returns its last position and its digit count, or nil.
local function code_group(text, first, starts_word)
    if starts_word then
        local last, count = hex_word(text, first)
        if last ~= nil then
            return last, count
        end
    end
    local _, last = text:find("^%d+", first)
    if last == nil then
        return nil
    end
    return last, last - first + 1
end

-- Cuts every code of text: groups joined by separators with four or more digits in all.
-- Only ASCII digits are cut: a code in words, in other scripts' digits or split by letters
-- other than hex digits passes.
function redact.cut_digits(text)
    local parts = {}
    local position = 1
    while true do
        local digit = text:find("%d", position)
        if digit == nil then
            break
        end

        -- A group starts at its word's start when that word is a hexadecimal number.
        local word_first = digit
        while word_first > position and text:sub(word_first - 1, word_first - 1):find("%w") do
            word_first = word_first - 1
        end
        local first, last, count = word_first, hex_word(text, word_first)
        if last == nil then
            first = digit
            last, count = code_group(text, digit, false)
        end

        -- The groups that follow after a separator belong to the same code.
        while true do
            local next_first = separator_end(text, last + 1) + 1
            if next_first == last + 1 then
                break
            end
            local next_last, next_count = code_group(text, next_first, true)
            if next_last == nil then
                break
            end
            last, count = next_last, count + next_count
        end

        parts[#parts + 1] = text:sub(position, first - 1)
        parts[#parts + 1] = count >= 4 and DIGITS_REMOVED or text:sub(first, last)
        position = last + 1
    end
    parts[#parts + 1] = text:sub(position)
    return table.concat(parts)
end

-- Builds a set of the given words.
local function word_set(words)
    local set = {}
    for _, word in ipairs(words) do
        set[word] = true
    end
    return set
end

-- Words that name a credential, lower case, with hyphens and underscores removed ("pass-code"
-- is "passcode"). The words after one of them may be the credential itself.
local CREDENTIAL_WORDS = word_set({"password", "passwords", "passwd", "pass", "pwd", "pw",
    "pword", "passcode", "passcodes", "passphrase", "passphrases", "passkey", "psk", "pin",
    "pins", "pincode", "code", "codes", "otp", "totp", "secret", "credentials", "creds",
    "passwort", "kennwort", "wachtwoord", "contraseña", "contrasena", "passe"})

-- Forms that a quote of a ticket keeps although they have four or more digits, because a
-- technician searches for them. They are an error code ("0x80070005"), an update
-- ("KB5034441"), dotted numbers such as a version ("1.17.0", "10.0.19045.3930"), a date
-- ("2024-01-15", "15/01/2024"), a time ("10:30", "23:59:59"), a ticket id ("#48213", "ticket
-- 48213"), a phone number (find_phone, find_us_phone), a port and a quantity (find_quantity),
-- a number named by the word before it (find_named_number), a product's year
-- (find_product_year), an asset tag (find_asset_tag) and a link (find_link). Each finder
-- returns the first and last position of the form at or after from, or nil.

-- True when the characters just before first and just after last are no letters or digits.
local function stands_alone(text, first, last)
    return not text:sub(first - 1, first - 1):find("%w") and not text:sub(last + 1, last + 1):find("%w")
end

local function in_range(value, low, high)
    local number = tonumber(value)
    return number ~= nil and number >= low and number <= high
end

-- True when the eight hex digits at first, last without "0x" are a Windows error code
-- (HRESULT or NTSTATUS). Such a code starts with 8 or C. It has a letter, or starts with "800"
-- or "C00" as most Windows errors do ("80070005", "C000021A"), or follows the word "error"
-- ("error 87D00324"). A one-time code of eight digits passes only when it starts with "800" or
-- follows "error".
local function is_bare_error_code(text, first, last)
    local digits = text:sub(first, last)
    if not digits:find("^[8Cc]") then
        return false
    end
    if digits:find("%a") or digits:find("^[8Cc]00") then
        return true
    end
    local before = text:sub(math.max(1, first - 20), first - 1):lower()
    return before:find("error[ :]*$") ~= nil or before:find("error code[ :]*$") ~= nil
        or before:find("error code is $") ~= nil
end

-- An error code with "0x" ("0x80070005"), or without it when is_bare_error_code.
local function find_error_code(text, from)
    local position = from
    while true do
        local first, last = text:find("%x%x%x%x%x%x%x%x", position)
        if first == nil then
            return nil
        end
        local with_prefix = first > 2 and text:sub(first - 2, first - 1):find("^0[xX]$")
        if with_prefix and stands_alone(text, first - 2, last) then
            return first - 2, last
        end
        if not with_prefix and stands_alone(text, first, last)
            and is_bare_error_code(text, first, last) then
            return first, last
        end
        position = first + 1
    end
end

-- An update, with or without a space after "KB": "KB5034441", "KB 5034441".
local function find_update(text, from)
    local first, last = text:find("[Kk][Bb] ?%d+", from)
    while first ~= nil and not stands_alone(text, first, last) do
        first, last = text:find("[Kk][Bb] ?%d+", first + 1)
    end
    return first, last
end

-- Three or more groups of digits joined by dots, with an optional "v" before them.
local function find_dotted(text, from)
    local position = from
    while true do
        -- A match starts only at a word's start (it must stand alone), so a long run of
        -- digits is read once rather than once per digit.
        local first, last = text:find("%f[%w][vV]?%d+%.%d+%.%d+", position)
        if first == nil then
            return nil
        end
        while true do
            local _, more = text:find("^%.%d+", last + 1)
            if more == nil then
                break
            end
            last = more
        end
        if stands_alone(text, first, last) and text:sub(first - 1, first - 1) ~= "." then
            return first, last
        end
        position = last + 1
    end
end

-- A date whose month and day are in range, day and month in either order. Each shape names
-- the positions of its two groups that are the day and the month.
local DATE_SHAPES = {
    {pattern = "(%d%d%d%d)[%-/](%d%d?)[%-/](%d%d?)", day_or_month = {2, 3}},
    {pattern = "(%d%d?)[%-/](%d%d?)[%-/](%d%d%d?%d?)", day_or_month = {1, 2}},
}

local function find_date(text, from)
    local best_first, best_last
    for _, shape in ipairs(DATE_SHAPES) do
        local position = from
        while true do
            local first, last, first_group, second_group, third_group =
                text:find(shape.pattern, position)
            if first == nil then
                break
            end
            local groups = {first_group, second_group, third_group}
            local one = groups[shape.day_or_month[1]]
            local other = groups[shape.day_or_month[2]]
            local in_calendar = (in_range(one, 1, 12) and in_range(other, 1, 31))
                or (in_range(one, 1, 31) and in_range(other, 1, 12))
            if #third_group ~= 3 and in_calendar and stands_alone(text, first, last) then
                if best_first == nil or first < best_first then
                    best_first, best_last = first, last
                end
                break
            end
            position = first + 1
        end
    end
    return best_first, best_last
end

local function find_time(text, from)
    local position = from
    while true do
        local first, last, hours, minutes = text:find("(%d%d?):(%d%d)", position)
        if first == nil then
            return nil
        end
        local _, seconds_last, seconds = text:find("^:(%d%d)", last + 1)
        if seconds_last ~= nil and in_range(seconds, 0, 59) then
            last = seconds_last
        end
        local before = text:sub(first - 1, first - 1)
        local after = text:sub(last + 1, last + 1)
        if in_range(hours, 0, 24) and in_range(minutes, 0, 59) and not before:find("[%d:]")
            and not after:find("%d") then
            return first, last
        end
        position = first + 1
    end
end

-- Returns the first match of each pattern at or after from that stands_alone, as first, last,
-- or nil. Each pattern is searched once per candidate, so the work is linear in the text.
local function find_alone(text, from, patterns)
    local best_first, best_last
    for _, pattern in ipairs(patterns) do
        local position = from
        while true do
            local first, last = text:find(pattern, position)
            if first == nil or (best_first ~= nil and first > best_first) then
                break
            end
            if stands_alone(text, first, last) then
                if best_first == nil or first < best_first then
                    best_first, best_last = first, last
                end
                break
            end
            position = first + 1
        end
    end
    return best_first, best_last
end

local TICKET_ID_PATTERNS = {"#%d+", "[Tt][Ii][Cc][Kk][Ee][Tt][Ss]?%s+#?%d+",
    "[Tt][Ii][Cc][Kk][Ee][Tt]:%s*#?%d+", "[Tt][Ii][Cc][Kk][Ee][Tt] [Nn][Oo]%.?:? ?#?%d+",
    "[Tt][Ii][Cc][Kk][Ee][Tt] [Nn][Uu][Mm][Bb][Ee][Rr]:? ?#?%d+",
    "[Tt][Ii][Cc][Kk][Ee][Tt] [Ii][Dd]:? ?#?%d+"}

local function find_ticket_id(text, from)
    return find_alone(text, from, TICKET_ID_PATTERNS)
end

-- The maximum length of a phone number, in characters: 15 digits with a separator after each.
local PHONE_MAX_CHARS = 30

local function find_phone(text, from)
    local position = from
    while true do
        local first = text:find("[+0(]", position)
        if first == nil then
            return nil
        end
        -- Only PHONE_MAX_CHARS of the text are read, so a long run of digits and spaces costs
        -- no more than a short one. Such a run is no phone number.
        local stretch = text:sub(first, first + PHONE_MAX_CHARS)
        local _, length = stretch:find("^[+0(][%d %-%(%)]*%d")
        local last = length ~= nil and first + length - 1 or nil
        -- The digits must neither go on after the match nor come right before it.
        local inside_run = last == nil or text:find("^[ %-]?%d", last + 1) ~= nil
            or text:sub(first - 2, first - 1):find("^%d[ %-]$") ~= nil
        if not inside_run then
            local number = text:sub(first, last)
            local digits = select(2, number:gsub("%d", ""))
            local starts = number:find("^%+%d") or number:find("^0") or number:find("^%(0")
            -- Groups after the first have two digits or more; the first may be "+1".
            local short_group = number:gsub("^%+?%(?%d+", ""):find("%f[%d]%d%f[%D]") ~= nil
            if starts and digits >= 9 and digits <= 15 and not short_group
                and not number:find("[ %-][ %-]") and stands_alone(text, first, last) then
                return first, last
            end
        end
        position = first + 1
    end
end

-- Units that make the number before them a quantity, lower case: "1048576 bytes", "1500 ms".
local QUANTITY_UNITS = {}
for _, unit in ipairs({"byte", "bytes", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "ms",
        "millisecond", "milliseconds", "second", "seconds", "minute", "minutes", "hour",
        "hours", "day", "days", "mhz", "ghz", "dpi", "rpm"}) do
    QUANTITY_UNITS[unit] = true
end

-- A network port ("port 40209") or a quantity with its unit. A gather function may pass on a
-- message of the http module as a fact, and those messages name both.
local function find_quantity(text, from)
    local port_first, port_last = find_alone(text, from, {"[Pp][Oo][Rr][Tt]%s+%d+"})
    local position = from
    while true do
        -- Only at a word's start, as in find_dotted.
        local first, last, unit = text:find("%f[%w]%d+%s?(%a+)", position)
        if first == nil or (port_first ~= nil and first > port_first) then
            return port_first, port_last
        end
        if QUANTITY_UNITS[unit:lower()] and stands_alone(text, first, last) then
            return first, last
        end
        position = last + 1
    end
end

-- A number that a word before it names as a search term: "Event ID 4625", "build
-- 22631.3007", "CVE-2024-21412", a Windows release ("23H2", "Windows 11", "Windows Server
-- 2022"), a version ("version 2004"), a model ("model 5420"), a serial number ("serial
-- 5CG1234XYZ", "S/N: 5CG1234XYZ", "service tag 7XK2L53"), an asset number ("asset 0042",
-- "asset tag 1187") and a date with the month in words ("15 Jan 2024", "January 15, 2024").
local NAMED_NUMBER_PATTERNS = {
    "[Ee][Vv][Ee][Nn][Tt] ?[Ii][Dd]:? ?%d+",
    "[Ee][Vv][Ee][Nn][Tt] %d+",
    "[Vv][Ee][Rr][Ss][Ii][Oo][Nn]:? ?%d[%.%d]*%d",
    "[Mm][Oo][Dd][Ee][Ll]:? [%w%-]*%d[%w%-]*",
    "[Ss][Ee][Rr][Ii][Aa][Ll]:? #?[%w%-]*%d[%w%-]*",
    "[Ss][Ee][Rr][Ii][Aa][Ll] [Nn][Oo]%.?:? #?[%w%-]*%d[%w%-]*",
    "[Ss][Ee][Rr][Ii][Aa][Ll] [Nn][Uu][Mm][Bb][Ee][Rr]:? #?[%w%-]*%d[%w%-]*",
    "[Ss]/[Nn]:? ?[%w%-]*%d[%w%-]*",
    "[Ss][Nn]:? [%w%-]*%d[%w%-]*",
    "[Ss][Ee][Rr][Vv][Ii][Cc][Ee] [Tt][Aa][Gg]:? [%w%-]*%d[%w%-]*",
    "[Aa][Ss][Ss][Ee][Tt]:? #?%d+",
    "[Aa][Ss][Ss][Ee][Tt] [Tt][Aa][Gg]:? #?[%w%-]*%d[%w%-]*",
    "[JFMASOND][aepuco][nbrylgptvc]%a*%.? %d%d?,? %d%d%d%d",
    "[Bb][Uu][Ii][Ll][Dd] %d+[%.%d]*%d",
    "[Bb][Uu][Ii][Ll][Dd] %d+",
    "[Cc][Vv][Ee]%-%d%d%d%d%-%d+",
    "%d%d[Hh][12]",
    "[Ww]indows %d%d?",
    "[Ww]indows [Ss]erver %d%d%d%d",
    "%d%d? [JFMASOND][aepuco][nbrylgptvc]%a*%.? %d%d%d%d",
}

local function find_named_number(text, from)
    return find_alone(text, from, NAMED_NUMBER_PATTERNS)
end

-- The years that find_product_year keeps after a product's name.
local PRODUCT_YEAR_MIN = 1990
local PRODUCT_YEAR_MAX = 2039

-- A product's release named by a year after a capitalised word: "Office 2019", "SQL Server
-- 2016", "Visual Studio 2022". A credential word before the year ("PIN 2019") makes no
-- product.
-- NOTE: a code in the range of years after a capitalised word ("Door 2019") is kept.
local function find_product_year(text, from)
    local position = from
    while true do
        -- The frontier starts a match only at a word's start, so a long word is read once.
        local first, last, name, year = text:find("%f[%w](%u%w+) (%d%d%d%d)", position)
        if first == nil then
            return nil
        end
        if in_range(year, PRODUCT_YEAR_MIN, PRODUCT_YEAR_MAX) and stands_alone(text, first, last)
            and not CREDENTIAL_WORDS[name:lower()] then
            return first, last
        end
        position = first + 1
    end
end

-- The maximum number of capital letters before the digits of an asset tag.
local ASSET_PREFIX_MAX_LETTERS = 6

-- True when the characters just before first and just after last are no letters, digits or
-- hyphens.
local function stands_alone_with_hyphens(text, first, last)
    return not text:sub(first - 1, first - 1):find("[%w%-]")
        and not text:sub(last + 1, last + 1):find("[%w%-]")
end

-- An asset tag or a reference of another system: two to ASSET_PREFIX_MAX_LETTERS capitals,
-- an optional hyphen and digits ("PC-0042", "LT1187", "INC0012345"), or two such prefixes
-- ("ACME-LT-1187"). A prefix that is a credential word ("PIN-4821", "OTP482913") makes no tag,
-- and neither does a word with more groups, such as a licence key.
-- NOTE: a password of capitals and digits alone ("BLUE1234") with no credential word before it
-- is kept.
local function find_asset_tag(text, from)
    local best_first, best_last
    for _, pattern in ipairs({"%f[%w](%u%u+)%-?%d+", "%f[%w]%u%u+%-(%u%u+)%-%d+"}) do
        local position = from
        while true do
            local first, last, prefix = text:find(pattern, position)
            if first == nil or (best_first ~= nil and first > best_first) then
                break
            end
            if #prefix <= ASSET_PREFIX_MAX_LETTERS and not CREDENTIAL_WORDS[prefix:lower()]
                and stands_alone_with_hyphens(text, first, last) then
                best_first, best_last = first, last
                break
            end
            position = first + 1
        end
    end
    return best_first, best_last
end

-- The maximum length of a link's scheme ("https"), in characters.
local LINK_SCHEME_MAX_CHARS = 32

-- A link's scheme, host and path ("https://acme.example/kb/4821"). Its query and fragment are
-- not part of it, so their digits are cut like other text: sign-in and reset links carry
-- one-time codes there.
local function find_link(text, from)
    local position = from
    while true do
        -- "://" is found first and the scheme read backwards from it, at most
        -- LINK_SCHEME_MAX_CHARS, because a pattern that starts at each letter would read a
        -- long word once per letter.
        local sign = text:find("://", position, true)
        if sign == nil then
            return nil
        end
        local first = sign
        while first > from and first > sign - LINK_SCHEME_MAX_CHARS
            and text:sub(first - 1, first - 1):find("[%w+%.%-]") do
            first = first - 1
        end
        local _, last = text:find("^[^%s?#<>\"']+", sign + 3)
        if last ~= nil and first < sign and text:sub(first, first):find("%a")
            and stands_alone(text, first, last) then
            return first, last
        end
        position = sign + 3
    end
end

-- A North American phone number written without a leading "+" or "0": "(555) 010-4477",
-- "555-123-4567". Numbers with "+1" are read by find_phone.
local US_PHONE_PATTERNS = {"%(%d%d%d%) ?%d%d%d[%- ]%d%d%d%d", "%d%d%d%-%d%d%d%-%d%d%d%d"}

local function find_us_phone(text, from)
    return find_alone(text, from, US_PHONE_PATTERNS)
end

local KEPT_FINDERS = {find_error_code, find_update, find_dotted, find_date, find_time,
    find_ticket_id, find_phone, find_quantity, find_named_number, find_us_phone,
    find_product_year, find_asset_tag, find_link}

-- Returns the first and last position of the kept form that starts first at or after from
-- (the longest when two start there), or nil. found may hold each finder's last match, as
-- {first, last} or false for none; a match before from is looked for again, so a caller that
-- moves from forward through one text passes the same table to read the text once per finder.
local function find_kept(text, from, found)
    found = found or {}
    local best_first, best_last
    for index, finder in ipairs(KEPT_FINDERS) do
        local match = found[index]
        if match == nil or (match and match[1] < from) then
            local first, last = finder(text, from)
            match = first ~= nil and {first, last} or false
            found[index] = match
        end
        if match and (best_first == nil or match[1] < best_first
                or (match[1] == best_first and match[2] > best_last)) then
            best_first, best_last = match[1], match[2]
        end
    end
    return best_first, best_last
end

-- True when the whole of a word's core is an error code or an update. After "code" these stay
-- where they are the value: "the error code is 0x80070005".
local function is_kept_value(core)
    for _, finder in ipairs({find_error_code, find_update}) do
        local first, last = finder(core, 1)
        if first == 1 and last == #core then
            return true
        end
    end
    return false
end

-- True when the whole of a word's core is a kept form.
local function is_kept_form(core)
    local first, last = find_kept(core, 1)
    return first == 1 and last == #core
end

--[[
Cuts the codes of a quote of a ticket as redact.cut_digits does, but keeps the forms listed
above KEPT_FINDERS. The text on each side of a kept form is cut on its own, so digits next to
one ("1.17.0 4821") are still cut. Returns the new text.
NOTE: a code typed in the shape of a kept form ("12:34", "48.29.13") passes when no credential
word is before it, because redact.cut_credentials is what cuts it then.
]]
function redact.cut_quote_digits(text)
    local parts = {}
    local position = 1
    local found = {}
    while true do
        local first, last = find_kept(text, position, found)
        if first == nil then
            break
        end
        parts[#parts + 1] = redact.cut_digits(text:sub(position, first - 1))
        parts[#parts + 1] = text:sub(first, last)
        position = last + 1
    end
    parts[#parts + 1] = redact.cut_digits(text:sub(position))
    return table.concat(parts)
end

-- Credential words whose next word is the value when it is no ordinary word of a sentence
-- (FOLLOWING_WORDS): "Tried password moonlight too", "wifi passkey bluesky". "pass", "key"
-- and "passe" count only after KEY_QUALIFIERS or "de" ("wifi pass", "mot de passe").
local VALUE_NEXT_WORDS = word_set({"password", "passwords", "passwd", "pwd", "pw", "pword",
    "passcode", "passkey", "psk", "passwort", "kennwort", "wachtwoord", "contrasena",
    "credentials", "creds"})

-- Credential words after which an error code or an update stays a value ("the error code is
-- 0x80070005"). After the other credential words every kept form is cut ("pin is 12.34.56").
local CODE_WORDS = word_set({"code", "codes"})

-- Words that often follow a credential word in a sentence about it, so they are not taken
-- for its value: "password reset", "password manager", "Wi-Fi key expired". One string with a
-- space before and after each word, because a set of its 178 words took 6 KiB more of each
-- MSP's Lua state.
local FOLLOWING_WORDS = " " .. table.concat({
    "reset", "resets", "resetting", "manager", "managers",
    "policy", "policies", "change", "changes", "changed", "changing", "expire", "expires",
    "expired", "expiry", "expiration", "prompt", "prompts", "prompted", "field", "fields", "box",
    "dialog", "dialogue", "window", "screen", "page", "form", "popup", "request", "requests",
    "requirement", "requirements", "complexity", "length", "history", "hint", "hints", "recovery",
    "protected", "protection", "sync", "synchronisation", "synchronization", "vault", "safe",
    "list", "file", "entry", "entries", "update", "updates", "login", "logon", "sign", "signin",
    "self", "service", "portal", "link", "email", "mail", "again", "twice", "yesterday", "today",
    "tomorrow", "last", "every", "each", "keeps", "kept", "doesn't", "does", "did", "didn't",
    "won't", "will", "would", "can't", "cannot", "can", "could", "should", "must", "may",
    "might", "has", "have", "had", "isn't", "wasn't", "aren't", "works", "worked", "work",
    "fails", "failed", "failure", "failures", "error", "errors", "issue", "issues", "problem",
    "problems", "lockout", "lockouts", "attempt", "attempts", "spray", "spraying", "rotation",
    "generator", "strength", "rules", "setting", "settings", "reminder", "reminders", "notice",
    "notification", "notifications", "unlock", "unlocks", "please", "via", "by", "of",
    "into", "ticket", "help", "access", "account", "accounts",
    "user", "users", "name", "names", "only", "just", "even", "any", "some", "all", "more",
    "less", "prompting", "expiring", "required", "everywhere",
    "anymore", "yet", "itself", "i", "we", "you", "he", "she", "they", "me", "us", "them",
    "command", "commands", "shared", "share", "sharing", "sent", "typed", "entered",
    "abgelaufen", "vergessen", "zurücksetzen", "oublié", "expiré", "olvidada", "caducada"}, " ")
    .. " "

-- Credential words that a value may follow at once, with no "is" or ":" between them:
-- "passphrase correct horse battery staple".
local VALUE_FIRST_WORDS = word_set({"passphrase", "passphrases"})

-- "key" names a credential only after one of these words ("Wi-Fi key", "recovery key"), because
-- "key fob" and "the key is under the mat" name none.
local KEY_WORDS = word_set({"key", "keys"})
local KEY_QUALIFIERS = word_set({"wifi", "wlan", "wpa", "wpa2", "wpa3", "wep", "wireless", "network",
    "security", "recovery", "bitlocker", "licence", "license", "product", "api", "access",
    "encryption", "ssh", "private", "secret"})

-- Words after which the next words are the credential's value: "password is hunter",
-- "code changed to 4821", "it is now Hunter22x".
-- German, French and Spanish forms are listed too: "Passwort ist", "das Passwort lautet", "le
-- mot de passe est", "la contraseña es".
local ASSIGNMENT_WORDS = word_set({"is", "was", "are", "were", "still", "now", "to", "be",
    "remains", "it's", "its", "says", "reads", "becomes", "became", "ist", "war", "lautet",
    "est", "était", "es", "era"})

-- Dashes that stand for an assignment when they are a word of their own: "password –
-- sunshine", as mail clients turn " - " into an en dash.
local DASH_WORDS = word_set({"-", "--", "->", "=>", "\u{2013}", "\u{2014}", "\u{2212}"})

-- Words that follow an assignment word in a sentence about a credential and are no value:
-- "my password is not working", "the code was wrong". The sentence describes the credential.
local PLAIN_WORDS = word_set({"not", "no", "never", "wrong", "incorrect", "invalid",
    "expired", "expiring", "locked", "blocked", "working", "the", "a", "an", "my", "our",
    "your", "his", "her", "their", "this", "that", "it", "being", "been", "also", "still", "now",
    "to", "too", "about", "due", "asking", "required", "needed", "needs", "changed", "reset",
    "rejected", "accepted", "lost", "forgotten", "gone", "same", "different", "in", "on", "for",
    "at", "with", "from", "and", "or", "but", "so", "very", "really", "always", "showing",
    "shown", "sent", "coming", "going", "set", "stuck", "failing", "broken", "fine", "ok",
    "okay", "there", "here", "case", "empty", "blank", "long", "short", "weak", "strong",
    "saved", "stored", "missing", "sensitive", "unknown", "disabled", "enabled", "done",
    "updated", "please", "somewhere", "unchanged", "old", "new", "temporary", "urgent",
    "important", "asap", "down", "slow", "back", "normal", "nicht", "falsch",
    "abgelaufen", "gesperrt", "pas", "expiré", "incorrecte", "incorrecto", "incorrecta",
    "caducada", "caducado", "bloqueada", "bloqueado"})

-- Words that describe a credential when they are the whole value ("my password is correct")
-- and begin a passphrase when more words follow ("password is correct horse battery staple").
local ALONE_PLAIN_WORDS = word_set({"correct", "right"})

-- Words that end a value of several words: "password is sunshine and it fails" cuts
-- "sunshine" only.
local CLAUSE_WORDS = word_set({"and", "but", "or", "so", "because", "since", "when", "which",
    "if", "please", "thanks", "thank", "until", "while", "though", "although", "then",
    "however", "after", "before", "cheers", "regards"})

-- Digits spelled out: a PIN typed as "four seven two nine" is cut word by word.
local NUMBER_WORDS = word_set({"zero", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten"})

-- Words that open a sentence about the credential of the sentence before: "It is now
-- Hunter22x", "This one is sunshine". "the" counts before one of THE_CARRY_WORDS only ("The new
-- one is ..."), so "My username is jdoe" and "The laptop is XPS13" stay.
local CARRY_WORDS = word_set({"it", "it's", "its", "this", "that", "new", "mine", "which",
    "one"})
local THE_CARRY_WORDS = word_set({"new", "old", "current", "temporary", "one"})

-- Words after a bare value of a credential word that state something about the credential, so
-- the word between is its value: "wifi passkey bluesky does not work", "password moonlight
-- too". Another word there makes the word between the subject of a clause of its own:
-- "password Outlook rejects".
local VALUE_PREDICATE_WORDS = word_set({"does", "doesn't", "doesnt", "did", "didn't", "didnt",
    "do", "don't", "is", "isn't", "isnt", "was", "wasn't", "wasnt", "not", "no", "fails",
    "failed", "won't", "wont", "works", "worked", "too", "either", "also", "again", "as", "for",
    "on", "in", "at", "with", "from"})

-- Words that make "key" and a bare "pass" name the Wi-Fi password anywhere later in the same
-- sentence: "SSID Guest, key: bluesky".
local NETWORK_WORDS = word_set({"wifi", "wlan", "ssid", "wireless", "hotspot", "wpa", "wpa2",
    "wpa3", "wep"})

-- Words that name a user name and password written as a pair after them: "login: jdoe /
-- sunshine", "creds: jdoe:sunshine", "SSID: Guest / bluesky". The first of the pair stays,
-- because a technician needs the account, and the second is cut.
local PAIR_LABELS = word_set({"login", "logon", "signin", "creds", "credentials", "wifi",
    "wlan", "ssid"})

-- Nouns after a pair label that belong to it: "Login details:", "Wi-Fi info:".
local LABEL_NOUNS = word_set({"details", "detail", "info"})

-- Words that name a user name before the password's own label: "u: jdoe p: sunshine",
-- "user/pass jdoe/sunshine".
local USER_LABELS = word_set({"u", "user", "username", "login", "logon", "userid", "uid", "id",
    "email"})

-- Labels of a password in a label such as "user/pass" or "u/p".
local PASSWORD_LABELS = word_set({"p", "pass", "pw", "pwd", "passwd", "password", "pword"})

-- Verbs before "it to" that set a password named earlier: "I changed it to bluesky".
local SETTING_VERBS = word_set({"set", "changed", "change", "reset", "updated", "update"})

-- Words before "one" that make it refer to a password: "the new one is bluesky".
local ONE_QUALIFIERS = word_set({"new", "temporary", "temp", "current", "old"})

-- How many words after a credential word are read for its value.
local VALUE_WINDOW_WORDS = 6

-- The maximum number of words in a value of plain words, such as a passphrase.
local VALUE_MAX_WORDS = 8

-- Splits a word into its opening punctuation, its core and its closing punctuation.
local function split_word(word)
    local opening, rest = word:match("^([\"'%(%[<]*)(.*)$")
    local core, closing = rest:match("^(.-)([\"'%)%]>.,;:!%?]*)$")
    if core == "" then
        return "", word, ""
    end
    return opening, core, closing
end

-- Letters of other scripts that look like ASCII letters, and accented Latin letters, with the
-- ASCII letter a credential word is matched with: Cyrillic "pаssword", "Pässword", "contraseña".
local LOOKALIKE_LETTERS = {}
for letters, ascii in pairs({["аАàáâäãåÀÁÂÄÃÅαɑ"] = "a", ["еЕèéêëÈÉÊËɛ"] = "e",
        ["оОòóôöõÒÓÔÖÕο"] = "o", ["рРρ"] = "p", ["сСçÇϲϹ"] = "c", ["уУү"] = "y", ["хХ"] = "x",
        ["іІìíîïÌÍÎÏıɩ"] = "i", ["ѕЅ"] = "s", ["ԁ"] = "d", ["ùúûüÙÚÛÜ"] = "u", ["ñÑ"] = "n",
        ["ѡ"] = "w", ["ԝ"] = "w", ["јȷϳ"] = "j", ["ԛ"] = "q", ["ⅰ"] = "i", ["ɡ"] = "g",
        ["ғ"] = "f", ["ҡ"] = "k", ["һ"] = "h", ["ʋѵ"] = "v", ["ӏ"] = "l"}) do
    for _, code in utf8.codes(letters) do
        LOOKALIKE_LETTERS[utf8.char(code)] = ascii
    end
end

-- Returns the lower-case form of a word's core used to look it up in the word lists above:
-- look-alike letters folded to ASCII, hyphens and underscores removed ("Wi-Fi" is "wifi").
local function lookup_form(core)
    local folded = core:gsub("[\xC2-\xF4][\x80-\xBF]+", function(character)
        return LOOKALIKE_LETTERS[character]
    end)
    return (folded:lower():gsub("[%-_]", ""))
end

-- Characters that cut_credentials replaces before it reads a text. Unicode spaces become an
-- ASCII space and fullwidth ASCII ("ｐａｓｓｗｏｒｄ：") becomes ASCII, as NFKC maps them.
-- Invisible characters (zero-width space, joiners, soft hyphen, byte order mark) are removed.
local FOLDED_CHARACTERS = {}
for _, code in ipairs({0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
        0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000}) do
    FOLDED_CHARACTERS[utf8.char(code)] = " "
end
for _, code in ipairs({0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}) do
    FOLDED_CHARACTERS[utf8.char(code)] = ""
end

-- Returns what fold_characters replaces character (a lead byte and its continuation bytes)
-- with, or nil. The fullwidth forms U+FF01 to U+FF5E are worked out rather than kept in
-- FOLDED_CHARACTERS, which took about 6 KiB more of each MSP's Lua state with them.
local function folded_character(character)
    local folded = FOLDED_CHARACTERS[character]
    if folded ~= nil or #character ~= 3 or character:byte(1) ~= 0xEF then
        return folded
    end
    local code = 0xFF00 + (character:byte(2) - 0xBC) * 64 + character:byte(3) - 0x80
    if code >= 0xFF01 and code <= 0xFF5E then
        return string.char(code - 0xFF01 + 0x21)
    end
    return nil
end

local function fold_characters(text)
    return (text:gsub("[\xC2-\xF4][\x80-\xBF]+", folded_character))
end

-- True when a word's core looks like a credential: letters with digits, a number of four or
-- more digits, or a letter next to a symbol that words do not have ("Tr0ub4dor&3", "4821",
-- "pa$$"). A number of up to three digits ("error code 503"), a URL and a kept form with more
-- than digits ("1.17.0", "KB5034441") are not. A plain number of four or more digits is,
-- even in the shape of a kept form ("80012345"): the caller keeps it when its words around
-- make it one ("error code 80012345").
local function looks_like_secret(core)
    if core:find("^%d+$") then
        return #core >= 4
    end
    if core:find("^%a+://") or is_kept_form(core) then
        return false
    end
    if core:find("%d") then
        return true
    end
    return core:find("%a") ~= nil and core:find("[!#%$%%&%*%+=@%^~|\\{}]") ~= nil
end

-- Splits text into words: a list of {space, word, first}, where space is the white space before
-- the word and first is the word's position. The last entry may have an empty word, holding
-- the text's trailing space.
local function split_words(text)
    local words = {}
    local position = 1
    while true do
        local _, space_last = text:find("^%s*", position)
        local space = text:sub(position, space_last)
        local word_first, word_last = text:find("^%S+", space_last + 1)
        if word_first == nil then
            words[#words + 1] = {space = space, word = "", first = space_last + 1}
            return words
        end
        words[#words + 1] = {space = space, word = text:sub(word_first, word_last),
            first = word_first}
        position = word_last + 1
    end
end

-- Returns the lookup form of the word before words[index], or "".
local function previous_form(words, index)
    if index == 1 then
        return ""
    end
    local _, previous = split_word(words[index - 1].word)
    return lookup_form(previous)
end

-- True when the word after words[index] may be its value with nothing between them. network
-- is true when the sentence so far names a Wi-Fi network (NETWORK_WORDS).
local function takes_next_value(words, index, form, network)
    if VALUE_NEXT_WORDS[form] then
        return true
    end
    if form == "pass" or KEY_WORDS[form] then
        return network or KEY_QUALIFIERS[previous_form(words, index)] == true
    end
    return form == "passe" and previous_form(words, index) == "de"
end

-- True when the core of the word after a credential word is an ordinary word of a sentence
-- about the credential rather than its value: a listed word, a verb or adverb form of five or
-- more letters ending in "ed", "ing" or "ly" ("password stopped working", "asking for my
-- password constantly"), or an acronym of up to four capitals ("reset the password ASAP").
-- NOTE: a password that is such a form ("password blessed") is kept.
local function is_following_word(core, form)
    local listed = form ~= "" and not form:find("%s")
        and FOLLOWING_WORDS:find(" " .. form .. " ", 1, true) ~= nil
    if listed or PLAIN_WORDS[form] or CLAUSE_WORDS[form] or ASSIGNMENT_WORDS[form]
        or CREDENTIAL_WORDS[form] or KEY_WORDS[form] or NUMBER_WORDS[form] or form == "" then
        return true
    end
    if #form >= 5 and form:find("^%l+$") and (form:find("ed$") or form:find("ing$")
            or form:find("ly$")) then
        return true
    end
    return core:find("^%u%u?%u?%u?$") ~= nil
end

-- Cuts the values of credential names in one word of "name=value" or "name:value" pairs joined
-- by ";", "&" or ",": "code:482913", "user=jdoe;pass=sunshine". Returns the new core, or nil
-- when no name in it is a credential word.
local function cut_pairs(core)
    local cut = false
    local pairs_cut = core:gsub("([^;&,]+)", function(pair)
        local name, sign = pair:match("^([^:=]+)([:=]+).")
        if name == nil or not CREDENTIAL_WORDS[lookup_form(name)] then
            return nil
        end
        cut = true
        return name .. sign .. SECRET_REMOVED
    end)
    return cut and pairs_cut or nil
end

-- Returns the first and last positions of each kept form of text, in order, as a list of
-- {first, last}.
local function kept_spans(text)
    local spans = {}
    local position = 1
    local found = {}
    while true do
        local first, last = find_kept(text, position, found)
        if first == nil then
            return spans
        end
        spans[#spans + 1] = {first, last}
        position = last + 1
    end
end

-- True when words[index] names a credential. network is true when the sentence so far names
-- a Wi-Fi network, which makes "key" name its password.
local function is_credential_word(words, index, form, network)
    if CREDENTIAL_WORDS[form] or (KEY_WORDS[form] and network) then
        return true
    end
    if not KEY_WORDS[form] or index == 1 then
        return false
    end
    local _, previous = split_word(words[index - 1].word)
    return KEY_QUALIFIERS[lookup_form(previous)] == true
end

-- True when the value that starts at words[index] is that word alone: the text ends after
-- it, its closing punctuation ends the clause, or a clause word follows.
local function value_is_one_word(words, index, closing)
    if closing:find("[,;:.!?]") then
        return true
    end
    local following = words[index + 1]
    if following == nil or following.word == "" or following.space:find("\n", 1, true) then
        return true
    end
    local _, core = split_word(following.word)
    return CLAUSE_WORDS[lookup_form(core)] == true
end

-- True when words[index], which follows a credential word with nothing between, is its value:
-- the value is one word (value_is_one_word) or a word of VALUE_PREDICATE_WORDS follows.
local function is_bare_value(words, index, closing)
    if value_is_one_word(words, index, closing) then
        return true
    end
    local _, following = split_word(words[index + 1].word)
    return VALUE_PREDICATE_WORDS[lookup_form(following)] == true
end

-- Returns the lookup form of words[index]'s core, or "" past the end.
local function form_at(words, index)
    local entry = words[index]
    if entry == nil then
        return ""
    end
    local _, core = split_word(entry.word)
    return lookup_form(core)
end

-- True when words[index] is a user name and password joined by one "/" or ":" ("jdoe/sunshine"),
-- and no link or HTML ("</p><p>").
local function is_joined_pair(words, index)
    local entry = words[index]
    if entry == nil or entry.space:find("\n", 1, true) then
        return false
    end
    local _, core = split_word(entry.word)
    return core:find("^[^/:]*%a[^/:]*[/:][^/:]+$") ~= nil and not core:find("^%a+://")
        and not core:find("[<>]")
end

-- True when words[index] is a lone separator of a pair: "/", "|", ":" or "=".
local function is_pair_separator(words, index)
    local entry = words[index]
    return entry ~= nil and (entry.word == "/" or entry.word == "|" or entry.word == ":"
        or entry.word == "=")
end

--[[
Finds the passwords of user name and password pairs in words. Returns a table from a word's
index to "whole" when the whole word is a password, "after_sign" when the word is a joined
pair whose part after its first "/" or ":" is, or "user" when the word is the user name of a
pair written as two words. These pairs are read:
- after PAIR_LABELS (with an optional LABEL_NOUNS word) or a label such as "user/pass" or
  "u/p", with an optional "is" or ":" before the pair: "jdoe/sunshine" and "jdoe:sunshine", and "jdoe / sunshine" where the label
  ends with ":" or "=" or names a credential ("creds", "user/pass");
- after a label such as "user/pass" also "jdoe sunshine";
- a USER_LABELS word, a user name, an optional "/", then "p" or "pass" and the password:
  "u: jdoe p: sunshine", "user jdoe / pass sunshine".
A joined pair with an ordinary word of a sentence on either side (is_following_word: "login
page/portal", "wifi on/off") is no pair, and neither is a password that is such a word.
]]
local function find_pair_passwords(words)
    local marks = {}
    local function mark(index, kind)
        local _, core = split_word(words[index].word)
        local user, password = nil, core
        if kind == "after_sign" then
            user, password = core:match("^([^/:=]*)[/:=](.*)$")
        end
        if is_following_word(password, lookup_form(password))
            or (user ~= nil and is_following_word(user, lookup_form(user))) then
            return false
        end
        marks[index] = kind
        return true
    end

    for index = 1, #words do
        local form = form_at(words, index)
        local _, _, closing = split_word(words[index].word)
        local user, password = form:match("^(%a+)/(%a+)$")
        local slash_label = user ~= nil and USER_LABELS[user] and PASSWORD_LABELS[password]

        if PAIR_LABELS[form] or slash_label then
            local value = index + 1
            -- "Login details: jdoe / sunshine": the label goes on to its noun.
            if LABEL_NOUNS[form_at(words, value)] then
                _, _, closing = split_word(words[value].word)
                value = value + 1
            end
            local spaced = slash_label or CREDENTIAL_WORDS[form] or closing:find("[:=]")
            if ASSIGNMENT_WORDS[form_at(words, value)] or is_pair_separator(words, value) then
                value = value + 1
            end
            if is_joined_pair(words, value) then
                mark(value, "after_sign")
            elseif spaced and is_pair_separator(words, value + 1)
                and form_at(words, value + 2) ~= "" then
                marks[value] = mark(value + 2, "whole") and "user" or nil
            elseif slash_label and form_at(words, value + 1) ~= ""
                and not CLAUSE_WORDS[form_at(words, value + 1)] then
                marks[value] = mark(value + 1, "whole") and "user" or nil
            end
        end

        if USER_LABELS[form] and form_at(words, index + 1) ~= "" then
            local label = index + 2
            if is_pair_separator(words, label) then
                label = label + 1
            end
            local _, label_core = split_word(words[label] and words[label].word or "")
            local name = label_core:match("^(%a+)[:=].")
            local label_form = form_at(words, label)
            if name ~= nil and (name:lower() == "p" or name:lower() == "pass") then
                mark(label, "after_sign")
            elseif (label_form == "p" or label_form == "pass") and form_at(words, label + 1) ~= "" then
                mark(label + 1, "whole")
            end
        end
    end
    return marks
end

-- Returns the core of a joined pair with the part after its first "/", ":" or "=" cut.
local function cut_joined_pair(core)
    local name, sign = core:match("^([^/:=]*)([/:=])")
    return name .. sign .. SECRET_REMOVED
end

-- True when the characters from first to last are inside one of spans, a list of {first,
-- last} in order.
local function in_spans(spans, first, last)
    for _, span in ipairs(spans) do
        if span[1] <= first and last <= span[2] then
            return true
        end
        if span[1] > first then
            return false
        end
    end
    return false
end

--[[
Finds the passwords that a text names with no credential word right before them, by referring
to a password named earlier in the same text. Returns a set of the indexes of words to cut.
These phrases are read, after a credential word anywhere before them:
- "It's", "Its", "It is", "It was" or "It is now" opening a sentence: "I reset my password.
  ... It's bluesky";
- "it to" after SETTING_VERBS: "I changed my password and set it to bluesky";
- "one is", "one was" or "one:" after ONE_QUALIFIERS: "the new one is bluesky".
"temporary one" and "temp one" refer to a password with no credential word before them, as
tickets use them for temporary passwords: "temporary one: bluesky". The value is cut when it is
one word ending its clause (value_is_one_word) or looks_like_secret, and it is no ordinary word
of a sentence (is_following_word: "it's fine", "set it to expire"), no mail address and no
kept form ("change it to 07700 900332").
]]
local function find_reference_values(words, spans)
    local values = {}
    local named = false
    local opens_sentence = true
    for index = 1, #words do
        local form = form_at(words, index)
        local _, _, closing = split_word(words[index].word)
        local value
        if opens_sentence and named and (form == "it's" or form == "its") then
            value = index + 1
        elseif opens_sentence and named and form == "it"
            and (form_at(words, index + 1) == "is" or form_at(words, index + 1) == "was") then
            value = index + 2
        elseif named and form == "it" and SETTING_VERBS[form_at(words, index - 1)]
            and form_at(words, index + 1) == "to" then
            value = index + 2
        elseif form == "one" and ONE_QUALIFIERS[form_at(words, index - 1)]
            and (named or form_at(words, index - 1):find("^temp")) then
            if closing:find(":") then
                value = index + 1
            elseif form_at(words, index + 1) == "is" or form_at(words, index + 1) == "was" then
                value = index + 2
            end
        end
        if value ~= nil and form_at(words, value) == "now" then
            value = value + 1
        end

        local entry = words[value or 0]
        if entry ~= nil and entry.word ~= "" then
            local _, core, value_closing = split_word(entry.word)
            local value_form = lookup_form(core)
            local is_address = core:find("^[^@]+@[%w%-]+%.[%w%.%-]+$") ~= nil
            if (value_is_one_word(words, value, value_closing) or looks_like_secret(core))
                and not is_following_word(core, value_form) and not is_address
                and not in_spans(spans, entry.first, entry.first + #entry.word - 1) then
                values[value] = true
            end
        end

        named = named or CREDENTIAL_WORDS[form] == true
        local following = words[index + 1]
        opens_sentence = closing:find("[.!?]") ~= nil
            or (following ~= nil and following.space:find("\n", 1, true) ~= nil)
    end
    return values
end

--[[
Cuts from text every credential a person may have typed into it. A credential follows a
credential word (password, pwd, passcode, pin, code, OTP, "Wi-Fi key", Passwort, "mot de
passe", contraseña and others, see CREDENTIAL_WORDS and KEY_QUALIFIERS) in the same sentence,
at most VALUE_WINDOW_WORDS words on, or in the next sentence when it opens about the credential
(CARRY_WORDS). These words are cut there:
- a word that looks_like_secret, or a digit spelled out ("four");
- the word right after password, passkey and the other VALUE_NEXT_WORDS when it ends the
  clause or a word about the credential follows it (is_bare_value): "Tried password moonlight
  too", "username jdoe password sunshine". An ordinary word of a sentence about the credential
  stays ("password reset", FOLLOWING_WORDS), and so does a word that starts a clause of its
  own ("password Outlook rejects");
- the value after "is", "now", "to", ":", "=" or a dash (ASSIGNMENT_WORDS, DASH_WORDS): one
  word when it looks like a secret, else every word to the end of the clause, at most
  VALUE_MAX_WORDS ("password is correct horse battery staple"). A value that starts with a
  plain word ("not", "expired", the PLAIN_WORDS) is a description and stays. A kept form
  ("12.34.56") is cut there too, except an error code or an update after "code".
A clause ends at a comma, a sentence's end, a line break or a word such as "and" or "please"
(CLAUSE_WORDS). A line break after "Password:" does not end it, so a value on the next line
is cut. "code:482913", ":starfish" after a credential word and "user=jdoe;pass=sunshine" lose
the part after the sign. A user name and password pair loses the password and keeps the user
name (find_pair_passwords: "login: jdoe / sunshine", "u: jdoe p: sunshine"). After a Wi-Fi word
in the same sentence, "key" names the password ("SSID Guest, key: bluesky"). A password named
by "it" or "the new one" later in the text is cut too (find_reference_values: "It's
bluesky"). A ticket id ("#48213") after the credential's clause starts a new
item of a list, so the credential word before it counts no more. A kept form a technician
searches for ("event ID 4625") is not cut unless it is such a value. Each cut word becomes
"[secret removed]", and its closing punctuation stays. The text is read after
fold_characters, and the result keeps that folding. Returns the new text; a non-string is
returned unchanged.
NOTE: a password with no credential word anywhere before it in the same text ("it's bluesky"
in a reply to a question about the password) is kept, except after "temporary one".
]]
function redact.cut_credentials(text)
    if type(text) ~= "string" then
        return text
    end
    text = fold_characters(text)
    local words = split_words(text)
    local spans = kept_spans(text)
    local span_index = 1
    local window = 0                  -- words left in the current credential word's window
    local sentence_credential = false -- this sentence has a credential word
    local assigned = false            -- the word before was an assignment word, ":" or "="
    local value_left = 0              -- words left of a value of several words
    local next_value = false          -- this word may be the value of the word before
    local credential_form = ""        -- the lookup form of the last credential word
    local network = false             -- this sentence names a Wi-Fi network
    local marks = find_pair_passwords(words)
    for index in pairs(find_reference_values(words, spans)) do
        marks[index] = "whole"
    end
    local parts = {}

    -- A sentence's end leaves the window open for the next sentence only, and only when
    -- that sentence opens with a word of CARRY_WORDS. So "My new password. It is now
    -- Hunter22x" is cut, and the sentence after that is not.
    local carry = false
    local function end_sentence()
        carry = sentence_credential
        window, sentence_credential, assigned, value_left = 0, false, false, 0
        network = false
    end

    for index, entry in ipairs(words) do
        local word = entry.word
        local after_credential = next_value
        next_value = false

        -- A line break ends a clause, and a sentence only where the line ended with one: a
        -- mail client breaks lines inside sentences. A value may follow "Password:" on the
        -- next line, so an assignment with no value yet stays open.
        if entry.space:find("\n", 1, true) then
            assigned = assigned and value_left == 0 and words[index - 1].word:find("[:=]$") ~= nil
            value_left, after_credential = 0, false
        end
        local opening, core, closing = split_word(word)

        -- ":starfish" after a credential word: the sign is no part of the value.
        if (window > 0 or after_credential) and value_left == 0 then
            local sign, rest = core:match("^([:=]+)(.+)$")
            if sign ~= nil then
                opening, core, assigned = opening .. sign, rest, true
            end
        end
        local form = lookup_form(core)
        local pairs_cut = core:find("[:=]") and cut_pairs(core)
        local ends_clause = closing:find("[,;.!?]") ~= nil
        network = network or NETWORK_WORDS[form] == true

        -- Whether the word is inside a kept form; spans before it are passed over for good.
        while spans[span_index] ~= nil and spans[span_index][2] < entry.first do
            span_index = span_index + 1
        end
        local in_kept_span = spans[span_index] ~= nil and spans[span_index][1] <= entry.first

        -- A plain number that is a kept form by its shape alone ("80012345") stays after a
        -- credential word only when words around it make it one ("Office 2019", "07700
        -- 900877") or the word is "code" ("error code 80070005"): "otp 80012345" is cut.
        if in_kept_span and core:find("^%d+$") and spans[span_index][1] >= entry.first
            and spans[span_index][2] <= entry.first + #word - 1
            and not CODE_WORDS[credential_form] then
            in_kept_span = false
        end

        -- The first word of a sentence after one with a credential word.
        if carry and word ~= "" then
            carry = false
            local following = words[index + 1] and words[index + 1].word or ""
            local _, following_core = split_word(following)
            local opens_about_credential = CARRY_WORDS[form]
                or (form == "the" and THE_CARRY_WORDS[lookup_form(following_core)])
            if opens_about_credential then
                -- One more word, because this one uses up a word of the window below.
                window = VALUE_WINDOW_WORDS + 1
            end
        end

        if CLAUSE_WORDS[form] or word == "" then
            value_left = 0
        end

        if marks[index] == "user" then
            -- The user name of a pair ("creds: jdoe / sunshine") stays.
            assigned, value_left = false, 0
        elseif marks[index] == "whole" then
            word = opening .. SECRET_REMOVED .. closing
            assigned, value_left = false, 0
        elseif marks[index] == "after_sign" then
            word = opening .. cut_joined_pair(core) .. closing
            assigned, value_left = false, 0
        elseif value_left > 0 then
            -- The rest of a value of several words.
            word = opening .. SECRET_REMOVED .. closing
            value_left = ends_clause and 0 or value_left - 1
        elseif pairs_cut then
            -- "code:482913", "user=jdoe;pass=sunshine": the value is in the same word.
            word = opening .. pairs_cut .. closing
            window, sentence_credential, assigned, value_left = VALUE_WINDOW_WORDS, true, false, 0
        elseif is_credential_word(words, index, form, network) then
            window, sentence_credential, value_left = VALUE_WINDOW_WORDS, true, 0
            credential_form = form
            assigned = closing:find("[:=]") ~= nil or VALUE_FIRST_WORDS[form] == true
            next_value = closing == "" and takes_next_value(words, index, form, network)
        elseif core:find("^#%d+$") and not assigned then
            -- A ticket id starts a new item: "#3 VPN pw: ... fails; #4 Printer jam".
            window, sentence_credential, value_left = 0, false, 0
        elseif window > 0 and word ~= "" then
            window = window - 1
            value_left = 0
            if ASSIGNMENT_WORDS[form] or DASH_WORDS[word] or word:find("^[:=]+>?$") then
                assigned = true
            elseif assigned then
                assigned = false
                local alone = value_is_one_word(words, index, closing)
                local kept_value = CODE_WORDS[credential_form] and is_kept_value(core)
                if (ALONE_PLAIN_WORDS[form] and alone) or kept_value then
                    -- "my password is correct", "the error code is 0x80070005".
                elseif PLAIN_WORDS[form] and not ALONE_PLAIN_WORDS[form] then
                    -- "my password is not working": a description.
                    assigned = closing:find("[:=]") ~= nil
                else
                    word = opening .. SECRET_REMOVED .. closing
                    if not looks_like_secret(core) and not alone then
                        value_left = VALUE_MAX_WORDS - 1
                    end
                end
            elseif after_credential and not is_following_word(core, form)
                and is_bare_value(words, index, closing) then
                -- "password moonlight too": the bare value ends the clause, or a word about the
                -- credential follows it.
                word = opening .. SECRET_REMOVED .. closing
            elseif (looks_like_secret(core) and not in_kept_span) or NUMBER_WORDS[form] then
                word = opening .. SECRET_REMOVED .. closing
            end
        end

        if closing:find("[.!?;]") then
            end_sentence()
        end
        parts[#parts + 1] = entry.space
        parts[#parts + 1] = word
    end
    return table.concat(parts)
end

-- The minimum length of a token that cut_random_tokens may cut, in characters.
local RANDOM_TOKEN_MIN_CHARS = 20

-- True when a token of letters, digits, "-" and "_" looks random: upper and lower case letters,
-- and runs of one kind of character (upper case, lower case, digits, others) shorter than 3
-- characters on average. Random keys of 20 letters and digits have runs of 1.6 on average
-- (10,000 drawn with math.random); a name in CamelCase ("MicrosoftTeamsMeetingAddin") has
-- runs of 3 or more on average.
local function looks_random(token)
    if not token:find("%u") or not token:find("%l") then
        return false
    end
    local runs = 0
    local previous_kind
    for character in token:gmatch(".") do
        local kind = character:find("%u") and 1 or character:find("%l") and 2
            or character:find("%d") and 3 or 4
        if kind ~= previous_kind then
            runs = runs + 1
            previous_kind = kind
        end
    end
    return #token < 3 * runs
end

-- Cuts every token of RANDOM_TOKEN_MIN_CHARS or more that looks_random, with or without a
-- credential word before it, because a licence or API key may have no digits to cut.
local function cut_random_tokens(text)
    return (text:gsub("[%w_%-]+", function(token)
        if #token >= RANDOM_TOKEN_MIN_CHARS and looks_random(token) then
            return SECRET_REMOVED
        end
        return nil
    end))
end

--[[
Cuts a quote of a ticket (its summary, a reply, a fact that lists other tickets) for a note, a
run event, a log line or a stored plan: every credential (redact.cut_credentials), every token
that looks random (cut_random_tokens), then every code of four or more digits except the forms
a technician needs (redact.cut_quote_digits), so a code typed without a credential word before
it goes too. Returns the new text; a non-string is
returned unchanged.
]]
function redact.cut_ticket_quote(text)
    if type(text) ~= "string" then
        return text
    end
    return redact.cut_quote_digits(cut_random_tokens(redact.cut_credentials(text)))
end

return redact
