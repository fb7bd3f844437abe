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

-- Forms that a quote of a ticket keeps although they have four or more digits, because a
-- technician searches for them. They are an error code ("0x80070005"), an update
-- ("KB5034441"), dotted numbers such as a version ("1.17.0", "10.0.19045.3930"), a date
-- ("2024-01-15", "15/01/2024"), a time ("10:30", "23:59:59"), a ticket id ("#48213", "ticket
-- 48213"), a phone number (find_phone), a port and a quantity (find_quantity). Each finder
-- returns the first and last position of the form at or after from, or nil.

-- True when the characters just before first and just after last are no letters or digits.
local function stands_alone(text, first, last)
    return not text:sub(first - 1, first - 1):find("%w") and not text:sub(last + 1, last + 1):find("%w")
end

local function in_range(value, low, high)
    local number = tonumber(value)
    return number ~= nil and number >= low and number <= high
end

local function find_error_code(text, from)
    local first, last = text:find("0[xX]%x%x%x%x%x%x%x%x", from)
    while first ~= nil and not stands_alone(text, first, last) do
        first, last = text:find("0[xX]%x%x%x%x%x%x%x%x", first + 1)
    end
    return first, last
end

local function find_update(text, from)
    local first, last = text:find("[Kk][Bb]%d+", from)
    while first ~= nil and not stands_alone(text, first, last) do
        first, last = text:find("[Kk][Bb]%d+", first + 1)
    end
    return first, last
end

-- Three or more groups of digits joined by dots, with an optional "v" before them.
local function find_dotted(text, from)
    local position = from
    while true do
        local first, last = text:find("[vV]?%d+%.%d+%.%d+", position)
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

local TICKET_ID_PATTERNS = {"#%d+", "[Tt][Ii][Cc][Kk][Ee][Tt][Ss]?%s+#?%d+"}

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
        local first, last, unit = text:find("%d+%s?(%a+)", position)
        if first == nil or (port_first ~= nil and first > port_first) then
            return port_first, port_last
        end
        if QUANTITY_UNITS[unit:lower()] and stands_alone(text, first, last) then
            return first, last
        end
        position = last + 1
    end
end

local KEPT_FINDERS = {find_error_code, find_update, find_dotted, find_date, find_time,
    find_ticket_id, find_phone, find_quantity}

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

-- True when the whole of a word's core is an error code, an update or a version, which stay
-- also where they are a credential word's value: "the error code is 0x80070005".
local function is_kept_value(core)
    for _, finder in ipairs({find_error_code, find_update, find_dotted}) do
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

-- Credential words that a value may follow at once, with no "is" or ":" between them:
-- "passphrase correct horse battery staple".
local VALUE_FIRST_WORDS = word_set({"passphrase", "passphrases"})

-- "key" names a credential only after one of these words ("Wi-Fi key", "recovery key"), because
-- "key fob" and "the key is under the mat" name none.
local KEY_WORDS = word_set({"key", "keys"})
local KEY_QUALIFIERS = word_set({"wifi", "wlan", "wpa", "wpa2", "wpa3", "wireless", "network",
    "security", "recovery", "bitlocker", "licence", "license", "product", "api", "access",
    "encryption", "ssh", "private", "secret"})

-- Words after which the next words are the credential's value: "password is hunter",
-- "code changed to 4821", "it is now Hunter22x".
local ASSIGNMENT_WORDS = word_set({"is", "was", "are", "were", "still", "now", "to", "be",
    "remains", "it's", "its", "says", "reads", "becomes", "became"})

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
    "updated", "please", "somewhere", "unchanged", "old", "new", "temporary"})

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

-- Returns the lower-case form of a word's core used to look it up in the word lists above.
local function lookup_form(core)
    return (core:lower():gsub("[%-_]", ""))
end

-- True when a word's core looks like a credential: letters with digits, a number of four or
-- more digits, or a letter next to a symbol that words do not have ("Tr0ub4dor&3", "4821",
-- "pa$$"). A number of up to three digits ("error code 503"), a URL and a kept form ("1.17.0",
-- "KB5034441") are not.
local function looks_like_secret(core)
    if core:find("^%a+://") or is_kept_form(core) then
        return false
    end
    if core:find("^%d+$") then
        return #core >= 4
    end
    if core:find("%d") then
        return true
    end
    return core:find("%a") ~= nil and core:find("[!#%$%%&%*%+=@%^~|\\{}]") ~= nil
end

-- Splits text into words: a list of {space, word}, where space is the white space before the
-- word. The last entry may have an empty word, holding the text's trailing space.
local function split_words(text)
    local words = {}
    local position = 1
    while true do
        local _, space_last = text:find("^%s*", position)
        local space = text:sub(position, space_last)
        local word_first, word_last = text:find("^%S+", space_last + 1)
        if word_first == nil then
            words[#words + 1] = {space = space, word = ""}
            return words
        end
        words[#words + 1] = {space = space, word = text:sub(word_first, word_last)}
        position = word_last + 1
    end
end

-- True when words[index] names a credential.
local function is_credential_word(words, index, form)
    if CREDENTIAL_WORDS[form] then
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

--[[
Cuts from text every credential a person may have typed into it. A credential follows a
credential word (password, pwd, passcode, pin, code, OTP, "Wi-Fi key" and others, see
CREDENTIAL_WORDS and KEY_QUALIFIERS) in the same sentence, at most VALUE_WINDOW_WORDS words on,
or in the next sentence when it opens about the credential (CARRY_WORDS). Two kinds of words are cut there:
- a word that looks_like_secret, or a digit spelled out ("four");
- the value after "is", "now", "to", ":" or "=" (ASSIGNMENT_WORDS): one word when it looks like a
  secret, else every word to the end of the clause, at most VALUE_MAX_WORDS ("password is
  correct horse battery staple", "pin is four seven two nine"). A value that starts with a
  plain word ("not", "expired", the PLAIN_WORDS) is a description and stays.
A clause ends at a comma, a sentence's end, a line break or a word such as "and" or "please"
(CLAUSE_WORDS). "code:482913" and "pin=1234" lose the part after the sign. A ticket id
("#48213") after the credential's clause starts a new item of a list, so the credential word
before it counts no more. Each cut word becomes "[secret removed]", and its closing punctuation
stays. Returns the new text; a non-string is returned unchanged.
NOTE: a credential with no credential word before it ("my new one is sunshine") is kept.
]]
function redact.cut_credentials(text)
    if type(text) ~= "string" then
        return text
    end
    local words = split_words(text)
    local window = 0                  -- words left in the current credential word's window
    local sentence_credential = false -- this sentence has a credential word
    local assigned = false            -- the word before was an assignment word, ":" or "="
    local value_left = 0              -- words left of a value of several words
    local parts = {}

    -- A sentence's end leaves the window open for the next sentence only, and only when
    -- that sentence opens with a word of CARRY_WORDS. So "My new password. It is now
    -- Hunter22x" is cut, and the sentence after that is not.
    local carry = false
    local function end_sentence()
        carry = sentence_credential
        window, sentence_credential, assigned, value_left = 0, false, false, 0
    end

    for index, entry in ipairs(words) do
        local word = entry.word
        -- A line break ends a clause, and a sentence only where the line ended with one: a
        -- mail client breaks lines inside sentences.
        if entry.space:find("\n", 1, true) then
            assigned, value_left = false, 0
        end
        local opening, core, closing = split_word(word)
        local form = lookup_form(core)
        local name, value = core:match("^([^:=]+)[:=]+(.+)$")
        local ends_clause = closing:find("[,;.!?]") ~= nil

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

        if value_left > 0 then
            -- The rest of a value of several words.
            word = opening .. SECRET_REMOVED .. closing
            value_left = ends_clause and 0 or value_left - 1
        elseif name ~= nil and CREDENTIAL_WORDS[lookup_form(name)] then
            -- "code:482913": the value is in the same word.
            word = opening .. core:sub(1, #core - #value) .. SECRET_REMOVED .. closing
            window, sentence_credential, assigned, value_left = VALUE_WINDOW_WORDS, true, false, 0
        elseif is_credential_word(words, index, form) then
            window, sentence_credential, value_left = VALUE_WINDOW_WORDS, true, 0
            assigned = closing:find("[:=]") ~= nil or VALUE_FIRST_WORDS[form] == true
        elseif core:find("^#%d+$") and not assigned then
            -- A ticket id starts a new item: "#3 VPN pw: ... fails; #4 Printer jam".
            window, sentence_credential, value_left = 0, false, 0
        elseif window > 0 and word ~= "" then
            window = window - 1
            value_left = 0
            if ASSIGNMENT_WORDS[form] or word:find("^[:=%-]+>?$") then
                assigned = true
            elseif assigned then
                assigned = false
                local alone = value_is_one_word(words, index, closing)
                if (ALONE_PLAIN_WORDS[form] and alone) or is_kept_value(core) then
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
            elseif looks_like_secret(core) or NUMBER_WORDS[form] then
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

--[[
Cuts a quote of a ticket (its summary, a reply, a fact that lists other tickets) for a note, a
run event, a log line or a stored plan: every credential (redact.cut_credentials), then every
code of four or more digits except the forms a technician needs (redact.cut_quote_digits), so a
code typed without a credential word before it goes too. Returns the new text; a non-string is
returned unchanged.
]]
function redact.cut_ticket_quote(text)
    if type(text) ~= "string" then
        return text
    end
    return redact.cut_quote_digits(redact.cut_credentials(text))
end

return redact
