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

-- Words that name a credential, lower case, with hyphens and underscores removed ("pass-code"
-- is "passcode"). The words after one of them may be the credential itself.
local CREDENTIAL_WORDS = {}
for _, word in ipairs({"password", "passwords", "passwd", "pass", "pwd", "pw", "pword",
        "passcode", "passcodes", "passphrase", "pin", "pins", "code", "codes", "otp", "totp",
        "secret", "credentials", "creds", "passwort", "kennwort", "wachtwoord",
        "contraseña", "contrasena", "passe"}) do
    CREDENTIAL_WORDS[word] = true
end

-- Words after which the next word is the credential's value: "password is hunter", "pin: 1234".
local ASSIGNMENT_WORDS = {}
for _, word in ipairs({"is", "was", "are", "were", "still", "now", "to", "be", "remains",
        "it's", "its", "says", "reads"}) do
    ASSIGNMENT_WORDS[word] = true
end

-- Words that follow an assignment word in a sentence about a credential and are no value:
-- "my password is not working", "the code was wrong".
local PLAIN_WORDS = {}
for _, word in ipairs({"not", "no", "never", "wrong", "incorrect", "invalid", "expired",
        "expiring", "locked", "blocked", "working", "correct", "right", "the", "a", "an", "my",
        "our", "your", "his", "her", "their", "this", "that", "it", "being", "been", "also",
        "still", "now", "to", "too", "about", "due", "asking", "required", "needed", "needs",
        "changed", "reset", "rejected", "accepted", "lost", "forgotten", "gone", "same",
        "different", "in", "on", "for", "at", "with", "from", "and", "or", "but", "so", "very",
        "really", "always", "showing", "shown", "sent", "coming", "going", "set", "stuck",
        "failing", "broken", "fine", "ok", "okay", "there", "here", "case", "empty", "blank",
        "long", "short", "weak", "strong", "saved", "stored", "missing", "sensitive", "unknown",
        "disabled", "enabled", "done", "updated"}) do
    PLAIN_WORDS[word] = true
end

-- How many words after a credential word are read for its value.
local VALUE_WINDOW_WORDS = 6

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
-- "pa$$"). A number of up to three digits ("error code 503") and a URL are not.
local function looks_like_secret(core)
    if core:find("^%a+://") then
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

--[[
Cuts from text every credential a person may have typed into it. A credential follows a
credential word (password, pwd, passcode, pin, code, OTP and others, see CREDENTIAL_WORDS) in
the same sentence, at most VALUE_WINDOW_WORDS words on. It is a word that looks_like_secret,
or any word right after "is", ":", "still" and the like unless it is a plain word ("not",
"expired"). "code:482913" and "pin=1234" lose the part after the sign. Each cut word becomes
"[secret removed]", and its closing punctuation stays. Returns the new text; a non-string is
returned unchanged.
NOTE: a credential with no credential word before it ("my new one is sunshine") is kept, and
so is a PIN of three digits or fewer.
]]
function redact.cut_credentials(text)
    if type(text) ~= "string" then
        return text
    end
    local parts = {}
    local window = 0        -- words left in the current credential word's window
    local assigned = false  -- the word before was an assignment word or ended with : or =
    local position = 1
    while true do
        local space_first, space_last = text:find("^%s*", position)
        local space = text:sub(space_first, space_last)
        local word_first, word_last = text:find("^%S+", space_last + 1)
        parts[#parts + 1] = space
        if word_first == nil then
            break
        end
        position = word_last + 1
        local word = text:sub(word_first, word_last)
        if space:find("\n", 1, true) then
            window, assigned = 0, false
        end

        local opening, core, closing = split_word(word)
        local form = lookup_form(core)
        local name, value = core:match("^([^:=]+)[:=]+(.+)$")
        if name ~= nil and CREDENTIAL_WORDS[lookup_form(name)] then
            -- "code:482913": the value is in the same word.
            word = opening .. core:sub(1, #core - #value) .. SECRET_REMOVED .. closing
            window, assigned = 0, false
        elseif CREDENTIAL_WORDS[form] then
            window = VALUE_WINDOW_WORDS
            assigned = closing:find("[:=]") ~= nil
        elseif window > 0 then
            window = window - 1
            if ASSIGNMENT_WORDS[form] or (core == "" and word:find("^[:=%-]+>?$")) then
                assigned = true
            elseif looks_like_secret(core) or (assigned and not PLAIN_WORDS[form]) then
                word = opening .. SECRET_REMOVED .. closing
                assigned = false
            else
                assigned = false
            end
        end
        -- A sentence's end closes the window.
        if closing:find("[.!?]") then
            window, assigned = 0, false
        end
        parts[#parts + 1] = word
    end
    return table.concat(parts)
end

--[[
Cuts a quote of a ticket (its summary, a reply) for a note, a run event, a log line or a stored
plan: every credential (redact.cut_credentials), then every code of four or more digits
(redact.cut_digits), so a code typed without a credential word before it goes too. Returns the
new text; a non-string is returned unchanged.
]]
function redact.cut_ticket_quote(text)
    if type(text) ~= "string" then
        return text
    end
    return redact.cut_digits(redact.cut_credentials(text))
end

return redact
