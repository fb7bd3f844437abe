-- The tool registry: every tool a plan's steps may name, from the tool files handed over by the
-- C host (config/tools/ and the MSP's tools/ folder), and the tool policy that decides which of
-- them run on their own, need approval or are disabled.
--
-- A tool file returns one tool or a list of tools:
--   {name = "family.action", description = "...", kind = "read" | "write",
--    sensitive = "password_reset" (optional: the sensitive reason code of what the tool does),
--    parameters = {name = {type = "string" | "integer" | "number" | "boolean",
--                          required = true | false, description = "..."}},
--    run = function(arguments, context) ... end}
-- A HaloPSA write tool never writes: its run returns a write request that halyard's core
-- performs once (tools.check_write has the shapes). A tool that fails returns nil and a
-- message, or raises.

local tools = {}

-- Tools by name, and their names in load order.
local registry = {}
local names = {}

tools.KINDS = {read = true, write = true}
tools.POLICIES = {auto = true, approval_needed = true, disabled = true}
local PARAMETER_TYPES = {string = true, integer = true, number = true, boolean = true}
local TOOL_FIELDS = {
    name = true, description = true, kind = true, parameters = true, run = true, sensitive = true,
}
local PARAMETER_FIELDS = {type = true, required = true, description = true}
local NAME_PATTERN = "^[a-z][a-z0-9_]*%.[a-z][a-z0-9_]*$"
local PARAMETER_PATTERN = "^[a-z][a-z0-9_]*$"

-- The verification states a run may carry. Only "verified" lets a sensitive run's write tool
-- run on its own.
tools.VERIFICATIONS = {
    none = true, not_required = true, pending = true, verified = true, failed = true,
    expired = true, error = true, not_connected = true, other_requester = true,
}

-- The reason codes a workflow or a tool may give as its sensitive field: the sensitive codes of
-- the labelling rule (tests/data/sensitive/RULE.md), the same as the shipped sensitive policy's.
tools.SENSITIVE_REASONS = {
    "password_reset", "account_unlock", "mfa_reset", "new_account", "access_grant",
    "admin_rights", "physical_access", "payment_change", "mail_forwarding", "mail_delegation",
    "contact_change",
}
tools.SENSITIVE_REASON_SET = {}
for _, reason in ipairs(tools.SENSITIVE_REASONS) do
    tools.SENSITIVE_REASON_SET[reason] = true
end

--[[
What makes a write tool read like one that handles sensitive requests, one entry per sensitive
reason, tried in order (the first that matches gives the reason lint suggests):
  terms    words or phrases that are sensitive whatever the verb ("factors", "sign in method")
  verbs    verbs that give, create or change ...
  objects  ... one of these objects named at most HINT_WINDOW words after the verb
           ("create a Microsoft 365 user", "add_owner")
  removals true when a tool whose action starts with a removal or read verb (remove_member,
           disable_user, get_user) is sensitive all the same, as clearing a second factor is
A form matches the word itself and its inflections (roles, enrolled, setting, membership). A
form ending in "*" matches every word that starts with it (admin* matches administrator). A
phrase is a space-separated list of forms matched on consecutive words.
]]
local GIVING_VERBS = {"add", "assign", "grant", "give", "allow", "share", "invite", "make", "set",
    "enable", "elevate", "promote", "create", "new", "provision"}
local CHANGING_VERBS = {"set", "change", "update", "edit", "modify", "replace", "reset", "clear", "add",
    "new", "create", "enable", "register"}
local SENSITIVE_HINTS = {
    {reason = "password_reset", removals = true,
        terms = {"password*", "passwd", "pwd", "pw", "passphrase", "credential", "passcode",
            "force change", "next logon", "next login", "next log in", "next sign in",
            "next signin", "reset pass", "set pass", "change pass", "new pass"},
        verbs = {"reset", "set", "change", "clear", "issue", "generate", "new", "update",
            "replace", "rotate", "regenerate", "renew", "roll", "reissue", "create", "add"},
        objects = {"pin", "secret", "client secret", "api key", "access key", "app key",
            "ssh key", "private key", "signing key", "token", "certificate", "cert"}},
    {reason = "mfa_reset", removals = true,
        terms = {"mfa", "2fa", "otp", "totp", "authenticator", "passkey", "fido*", "factor",
            "sign in method", "signin method", "login method", "log in method",
            "auth method", "authentication method", "verification method", "security info",
            "security key", "recovery code", "backup code", "temporary access pass", "tap",
            "bypass"},
        verbs = {"reset", "set", "change", "clear", "add", "register", "enrol", "enroll",
            "update", "replace", "remove", "delete", "revoke", "new"},
        objects = {"auth", "authentication"}},
    {reason = "account_unlock",
        terms = {"unlock", "unblock", "lockout"},
        verbs = {"enable", "allow", "restore", "reactivate", "unsuspend", "clear", "reset"},
        objects = {"user", "account", "sign in", "signin", "login", "log in"}},
    {reason = "admin_rights",
        terms = {"admin*", "privilege*", "sudo", "elevat*", "superuser"}},
    {reason = "mail_delegation",
        terms = {"delegat*", "send as", "send on behalf", "sendas"},
        verbs = {"add", "assign", "grant", "give", "allow"},
        objects = {"mailbox", "calendar access", "mailbox access"}},
    {reason = "mail_forwarding",
        terms = {"forward*", "redirect*", "autoforward*", "smtp relay", "open relay",
            "external smtp", "external mail", "external email", "external e mail",
            "external recipient", "external sending"},
        verbs = CHANGING_VERBS,
        objects = {"inbox rule", "mail rule", "mailbox rule", "email rule", "e mail rule",
            "transport rule", "mail flow rule", "mail flow", "relay", "connector"}},
    {reason = "payment_change",
        terms = {"bank*", "iban", "payee*", "payment*", "sort code", "routing number",
            "account number", "direct debit", "remittance", "payroll"},
        verbs = CHANGING_VERBS,
        objects = {"supplier detail", "vendor detail", "salary"}},
    {reason = "physical_access",
        terms = {"badge", "fob", "keycard", "key card", "door code", "alarm code",
            "access card", "proximity card", "door system", "access control"},
        verbs = {"add", "enrol", "enroll", "issue", "assign", "grant", "register", "activate",
            "enable", "create", "set", "change", "reset", "program", "give", "new", "replace"},
        objects = {"card", "door", "alarm", "keypad", "fingerprint", "biometric", "gate",
            "building", "premise"}},
    {reason = "contact_change",
        verbs = {"set", "change", "update", "replace", "add", "edit", "modify", "new"},
        objects = {"phone", "mobile", "contact", "email address", "e mail address",
            "recovery email", "recovery e mail", "alternate email", "alternative email",
            "personal email", "phone number"}},
    {reason = "new_account",
        verbs = {"create", "add", "new", "invite", "provision", "onboard", "register",
            "undelete", "restore"},
        objects = {"user", "account", "login", "guest", "identity"}},
    {reason = "access_grant",
        terms = {"grant*", "permission", "access", "group member", "add member"},
        verbs = GIVING_VERBS,
        objects = {"member", "owner", "role", "right", "group", "share", "folder access",
            "site access"}},
}

--[[
Objects whose reason depends on the system the tool works on. A token or a PIN is a door
system's credential on a door system and a second factor next to an authenticator, so "add
token" reads as a new sign-in token only when the tool names neither. When a hint's match
contains one of CONTEXT_OBJECTS and the tool's name or description contains a phrase of
HINT_CONTEXTS, the first such context gives the reason in place of the hint's. Forms match as in
SENSITIVE_HINTS.
]]
local CONTEXT_OBJECTS = {"token", "pin"}
local HINT_CONTEXTS = {
    {reason = "physical_access",
        terms = {"door", "fob", "badge", "keycard", "key card", "access card", "access control",
            "door system", "proximity", "prox", "paxton", "net2", "salto", "gallagher", "brivo",
            "kisi", "openpath", "lenel", "genetec"}},
    {reason = "mfa_reset",
        terms = {"mfa", "2fa", "otp", "totp", "hotp", "authenticator", "security key", "yubikey",
            "yubico", "fido*", "securid", "factor"}},
}

--[[
Nouns of things that are not a person's mail, account, access or money. A hint's match does not
count when one of them names what it acts on, and the scan goes on to the next match:
  - one of them follows the match within HARMLESS_WINDOW words with no HINT_STOP_WORDS word
    before it, so the match only qualifies it ("forward print job", "admin temp files",
    "update contact note", "password expiry reminder");
  - one of them sits between a verb and its object with a HINT_STOP_WORDS word after it, so
    it is the verb's object ("clear the cache for a user", "assign ticket to group").
Forms match as in SENSITIVE_HINTS.
]]
local HARMLESS_OBJECTS = {"job", "print", "printer", "spool", "queue", "file", "temp", "tmp",
    "cache", "log", "ticket", "invoice", "quote", "note", "reminder", "notice", "notification",
    "event", "report", "wallpaper", "timezone", "expir*", "template", "history", "screenshot",
    "snapshot"}

-- The maximum distance in words from a match to a harmless noun it qualifies.
local HARMLESS_WINDOW = 2

-- Words that end the noun phrase after a match, so a harmless noun after one of them is not the
-- thing the match qualifies ("reset the admin password and log it").
local HINT_STOP_WORDS = {
    a = true, an = true, ["and"] = true, ["or"] = true, the = true, to = true, ["for"] = true,
    of = true, on = true, ["in"] = true, at = true, by = true, from = true, with = true,
    that = true, ["then"] = true, as = true, into = true, is = true, are = true,
}

-- The hints as written, for tests that compare the scan with a plain one.
tools.SENSITIVE_HINTS = SENSITIVE_HINTS
tools.HARMLESS_OBJECTS = HARMLESS_OBJECTS
tools.CONTEXT_OBJECTS = CONTEXT_OBJECTS
tools.HINT_CONTEXTS = HINT_CONTEXTS

-- The maximum distance in words from a verb to its object, so at most three words between.
local HINT_WINDOW = 4

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

-- Compiles a hint's list of phrases into lists of forms, and records each form in compiled:
-- in compiled.exact when it has no "*", else once in compiled.prefixes as {form, stem}.
local function compile_phrases(phrases, compiled)
    local lists = {}
    for position, phrase in ipairs(phrases or {}) do
        local forms = {}
        for form in phrase:gmatch("%S+") do
            forms[#forms + 1] = form
            if form:sub(-1) ~= "*" then
                compiled.exact[form] = true
            elseif not compiled.prefix_listed[form] then
                compiled.prefix_listed[form] = true
                compiled.prefixes[#compiled.prefixes + 1] = {form = form, stem = form:sub(1, -2)}
            end
        end
        lists[position] = forms
    end
    return lists
end

-- Compiles SENSITIVE_HINTS for a scan that looks words up in tables instead of comparing
-- strings. Returns {exact = set of forms without "*", prefixes = the forms ending in "*",
-- hints = SENSITIVE_HINTS with each phrase as a list of its forms, harmless = the set of
-- HARMLESS_OBJECTS forms, context_objects = the set of CONTEXT_OBJECTS forms, contexts =
-- HINT_CONTEXTS with each phrase as a list of its forms}.
local function compile_hints()
    local compiled = {exact = {}, prefixes = {}, prefix_listed = {}, hints = {}, harmless = {},
        context_objects = {}, contexts = {}}
    for _, forms in ipairs(compile_phrases(HARMLESS_OBJECTS, compiled)) do
        compiled.harmless[forms[1]] = true
    end
    for _, forms in ipairs(compile_phrases(CONTEXT_OBJECTS, compiled)) do
        compiled.context_objects[forms[1]] = true
    end
    for position, context in ipairs(HINT_CONTEXTS) do
        compiled.contexts[position] = {
            reason = context.reason,
            terms = compile_phrases(context.terms, compiled),
        }
    end
    for position, hint in ipairs(SENSITIVE_HINTS) do
        compiled.hints[position] = {
            reason = hint.reason,
            removals = hint.removals,
            terms = compile_phrases(hint.terms, compiled),
            verbs = compile_phrases(hint.verbs, compiled),
            objects = compile_phrases(hint.objects, compiled),
        }
    end
    return compiled
end

-- The compiled hints while a state loads its files. The values are weak, so the full collection
-- after loading frees them, because only loading reads hints and a reload builds a new state.
-- A later call compiles them again.
local loading_cache = setmetatable({}, {__mode = "v"})

local function compiled_hints()
    local compiled = loading_cache.hints
    if compiled == nil then
        compiled = compile_hints()
        loading_cache.hints = compiled
    end
    return compiled
end

-- The form set of every word that matches no form: one shared table, so that a scan skips such
-- a word by comparing tables.
local NO_FORMS = {}

--[[
Returns the set {[form] = true} of the forms word matches: the form itself, an inflection of it
(a HINT_ENDINGS ending, after the form's last letter doubled or not), "ing" in place of a final
"e" (enable -> enabling), or for a form ending in "*" any word that starts with its stem.
]]
local function forms_of_word(word, compiled)
    local forms = nil
    local function add(form)
        if compiled.exact[form] then
            forms = forms or {}
            forms[form] = true
        end
    end

    add(word)
    for ending in pairs(HINT_ENDINGS) do
        if #word > #ending and word:sub(-#ending) == ending then
            local stem = word:sub(1, -#ending - 1)
            add(stem)
            -- set -> setting, enrol -> enrolled
            if #stem >= 2 and stem:sub(-1) == stem:sub(-2, -2) then
                add(stem:sub(1, -2))
            end
        end
    end
    if #word > 3 and word:sub(-3) == "ing" then
        add(word:sub(1, -4) .. "e")
    end
    for _, prefix in ipairs(compiled.prefixes) do
        if word:sub(1, #prefix.stem) == prefix.stem then
            forms = forms or {}
            forms[prefix.form] = true
        end
    end
    return forms or NO_FORMS
end

-- Returns the number of words the phrase (a list of forms) matches at position at of a text,
-- or nil when it does not match there.
local function phrase_length_at(text, at, phrase)
    for offset, form in ipairs(phrase) do
        local forms = text.forms[at + offset - 1]
        if forms == nil or not forms[form] then
            return nil
        end
    end
    return #phrase
end

-- True when the word at position at of a text matches a HARMLESS_OBJECTS form.
local function is_harmless_at(text, at, compiled)
    for form in pairs(text.forms[at]) do
        if compiled.harmless[form] then
            return true
        end
    end
    return false
end

-- True when a harmless noun follows the word at position last of a text within HARMLESS_WINDOW
-- words, with no stop word before it ("forward print job").
local function harmless_follows(text, last, compiled)
    for at = last + 1, math.min(last + HARMLESS_WINDOW, #text.words) do
        if HINT_STOP_WORDS[text.words[at]] then
            return false
        end
        if is_harmless_at(text, at, compiled) then
            return true
        end
    end
    return false
end

-- True when a harmless noun and then a stop word sit between a verb at position verb_at of a
-- text and its object at object_at, so the noun is what the verb acts on ("clear the cache for
-- a user"). A harmless noun without a stop word after it qualifies the object instead
-- ("assign reports reader role").
local function harmless_between(text, verb_at, object_at, compiled)
    local harmless_seen = false
    for at = verb_at + 1, object_at - 1 do
        if harmless_seen and HINT_STOP_WORDS[text.words[at]] then
            return true
        end
        harmless_seen = harmless_seen or is_harmless_at(text, at, compiled)
    end
    return false
end

-- Returns the words of the first phrase of the list found in the text and not qualifying a
-- harmless noun, or nil.
local function find_phrase(text, phrases, compiled)
    for at = 1, #text.words do
        if text.forms[at] ~= NO_FORMS then
            for _, phrase in ipairs(phrases) do
                local length = phrase_length_at(text, at, phrase)
                if length ~= nil
                    and not harmless_follows(text, at + length - 1, compiled) then
                    return table.concat(text.words, " ", at, at + length - 1)
                end
            end
        end
    end
    return nil
end

-- Returns the words from a verb of the hint to an object named at most HINT_WINDOW words after
-- it ("create a user"), or nil. A match whose verb acts on a harmless noun, or whose object
-- qualifies one, does not count.
local function find_verb_object(text, hint, compiled)
    local words = text.words
    for at = 1, #words do
        local is_verb = false
        for _, verb in ipairs(hint.verbs) do
            if text.forms[at][verb[1]] then
                is_verb = true
                break
            end
        end
        if is_verb then
            for object_at = at + 1, math.min(at + HINT_WINDOW, #words) do
                for _, object in ipairs(hint.objects) do
                    local length = phrase_length_at(text, object_at, object)
                    if length ~= nil
                        and not harmless_between(text, at, object_at, compiled)
                        and not harmless_follows(text, object_at + length - 1, compiled) then
                        return table.concat(words, " ", at, object_at + length - 1)
                    end
                end
            end
        end
    end
    return nil
end

-- Returns the reason of the first of HINT_CONTEXTS that one of the texts names, when the words
-- found by a hint contain a CONTEXT_OBJECTS form, or nil.
local function context_reason(found, texts, compiled)
    local has_context_object = false
    for _, word in ipairs(hint_words(found)) do
        for form in pairs(forms_of_word(word, compiled)) do
            has_context_object = has_context_object or compiled.context_objects[form] == true
        end
    end
    if not has_context_object then
        return nil
    end
    for _, context in ipairs(compiled.contexts) do
        for _, text in ipairs(texts) do
            for at = 1, #text.words do
                for _, phrase in ipairs(context.terms) do
                    if phrase_length_at(text, at, phrase) ~= nil then
                        return context.reason
                    end
                end
            end
        end
    end
    return nil
end

-- Reads text for the hints: {words, forms (the set of forms of each word), named (true when a
-- word matches any form)}.
local function read_hint_text(text, compiled)
    local read = {words = hint_words(text), forms = {}, named = false}
    for position, word in ipairs(read.words) do
        read.forms[position] = forms_of_word(word, compiled)
        read.named = read.named or read.forms[position] ~= NO_FORMS
    end
    return read
end

--[[
Tells whether a write tool's name or description reads like a sensitive change. Returns the
words found and the reason code to suggest, or nil. The name and the description are read as
words (split at ".", "_", "-", spaces and camelCase), each on its own so that a verb at the end
of one is not joined to an object at the start of the other. A context of HINT_CONTEXTS named
in either of them gives the reason of words that contain a token or a PIN.
]]
function tools.sensitive_hint(name, description)
    local compiled = compiled_hints()
    local texts = {}
    for _, text in ipairs({name or "", description or ""}) do
        local read = read_hint_text(text, compiled)
        if read.named then
            texts[#texts + 1] = read
        end
    end
    if #texts == 0 then
        return nil
    end

    local action = (name or ""):match("%.(.*)$") or name or ""
    local first_verb = hint_words(action)[1]
    local takes_away = first_verb ~= nil and REMOVAL_VERBS[first_verb] == true
    for _, hint in ipairs(compiled.hints) do
        if hint.removals or not takes_away then
            for _, text in ipairs(texts) do
                local found = find_phrase(text, hint.terms, compiled)
                    or find_verb_object(text, hint, compiled)
                if found ~= nil then
                    return found, context_reason(found, texts, compiled) or hint.reason
                end
            end
        end
    end
    return nil
end

-- tools.sensitive_hint of the names of write steps whose tool is not registered, by name:
-- {word, reason}, or false for none. A thousand workflows often name the same few tools. Not
-- weak like loading_cache: a collection during loading would empty it, and reading a name
-- again costs more than the entry.
local unregistered_hints = {}

--[[
Returns tools.sensitive_hint's words and reason for the tool of a workflow step, or nil. A
registered write tool without a sensitive reason is read by its name and description, once,
when it is registered. A write step naming a tool that is not registered is read by the name,
once per name. Other steps give nil.
]]
function tools.step_sensitive_hint(step)
    local tool = registry[step.tool]
    if tool ~= nil then
        if tool.hint == nil then
            return nil
        end
        return tool.hint.word, tool.hint.reason
    end
    if step.kind ~= "write" or type(step.tool) ~= "string" then
        return nil
    end
    local hint = unregistered_hints[step.tool]
    if hint == nil then
        local word, reason = tools.sensitive_hint(step.tool, nil)
        hint = word ~= nil and {word = word, reason = reason}
        unregistered_hints[step.tool] = hint
    end
    if not hint then
        return nil
    end
    return hint.word, hint.reason
end

local function non_empty_string(value)
    return type(value) == "string" and value:find("%S") ~= nil
end

-- Returns the line of the first occurrence of needle (plain text) in source, or nil.
local function line_of_text(source, needle)
    local at = source:find(needle, 1, true)
    if at == nil then
        return nil
    end
    local line = 1
    for _ in source:sub(1, at):gmatch("\n") do
        line = line + 1
    end
    return line
end

-- Returns the family of a tool name: "halo" for "halo.get_user".
function tools.family(name)
    return name:match("^([^.]+)%.")
end

--[[
Checks one tool table of a file. report(line_or_nil, format, ...) records a problem; the line
is that of the tool's name in source when it can be found. Returns the tool record, or nil
after reporting every problem found.
]]
local function check_tool(path, source, tool, position, seen, report)
    local where = position and string.format("tool %d", position) or "the tool"
    if type(tool) ~= "table" then
        report(nil, "%s is a %s; a tool is a table {name = ..., kind = ..., run = ...}", where,
            type(tool))
        return nil
    end
    local line = nil
    if type(tool.name) == "string" then
        line = line_of_text(source, '"' .. tool.name .. '"')
            or line_of_text(source, "'" .. tool.name .. "'")
        where = string.format("tool %q", tool.name)
    end
    local valid = true
    local function problem(format, ...)
        report(line, format, ...)
        valid = false
    end

    for key in pairs(tool) do
        if not TOOL_FIELDS[key] then
            problem("%s has an unknown field %q; the fields are name, description, kind, "
                .. "sensitive, parameters and run", where, tostring(key))
        end
    end
    if type(tool.name) ~= "string" or not tool.name:find(NAME_PATTERN) then
        problem("%s has name %s; name a tool as family.action in lower case, for example "
            .. "\"halo.get_user\" or \"m365.reset_password\"", where,
            type(tool.name) == "string" and string.format("%q", tool.name) or "missing")
    elseif seen[tool.name] ~= nil then
        problem("%s is already defined in %s; give each tool its own name, or override a "
            .. "shipped tool file by giving your file the same file name", where,
            seen[tool.name])
    end
    if not non_empty_string(tool.description) then
        problem("%s has no description; describe in one sentence what it does", where)
    end
    if not tools.KINDS[tool.kind] then
        problem("%s has kind %s; use \"read\" for a tool that only reads or \"write\" for one "
            .. "that changes something", where,
            tool.kind == nil and "missing" or string.format("%q", tostring(tool.kind)))
    end
    if type(tool.run) ~= "function" then
        problem("%s has no run function; add run = function(arguments, context) ... end",
            where)
    end
    if tool.sensitive ~= nil and not tools.SENSITIVE_REASON_SET[tool.sensitive] then
        problem("%s has sensitive = %s; use one of the sensitive reason codes %s, or leave it "
            .. "out", where, type(tool.sensitive) == "string"
            and string.format("%q", tool.sensitive) or type(tool.sensitive),
            table.concat(tools.SENSITIVE_REASONS, ", "))
    end

    local parameters = tool.parameters or {}
    if type(parameters) ~= "table" then
        problem("%s has parameters of type %s; use a table of name = {type = ..., required = "
            .. "..., description = ...}", where, type(parameters))
        parameters = {}
    end
    local checked = {}
    for name, parameter in pairs(parameters) do
        if type(name) ~= "string" or not name:find(PARAMETER_PATTERN) then
            problem("%s has a parameter named %s; name parameters in lower case with letters, "
                .. "digits and '_'", where, tostring(name))
        elseif type(parameter) ~= "table" then
            problem("%s: parameter %s is a %s; use {type = ..., required = ..., description = "
                .. "...}", where, name, type(parameter))
        else
            for key in pairs(parameter) do
                if not PARAMETER_FIELDS[key] then
                    problem("%s: parameter %s has an unknown field %q; the fields are type, "
                        .. "required and description", where, name, tostring(key))
                end
            end
            if not PARAMETER_TYPES[parameter.type] then
                problem("%s: parameter %s has type %s; use \"string\", \"integer\", \"number\" "
                    .. "or \"boolean\"", where, name, parameter.type == nil and "missing"
                    or string.format("%q", tostring(parameter.type)))
            end
            if parameter.required ~= nil and type(parameter.required) ~= "boolean" then
                problem("%s: parameter %s has required = %s; use true or false", where, name,
                    tostring(parameter.required))
            end
            if parameter.description ~= nil and type(parameter.description) ~= "string" then
                problem("%s: parameter %s has a description that is not a string", where, name)
            end
            checked[name] = {
                type = parameter.type,
                required = parameter.required == true,
                description = parameter.description,
            }
        end
    end
    if not valid then
        return nil
    end
    return {
        name = tool.name,
        description = tool.description,
        kind = tool.kind,
        sensitive = tool.sensitive,
        parameters = checked,
        run = tool.run,
        path = path,
        line = line,
    }
end

--[[
Validates what a tool file returned (one tool, or a list of tools) and registers its tools.
report(line_or_nil, format, ...) records a problem at a line of the file (nil: the line of the
file's return), and warn, the same way, a warning about a tool that serves all the same.
Registers nothing when any tool of the file is invalid, so a file serves whole or not at all.
Returns true when the file was accepted.
]]
function tools.add_file(path, source, value, report, warn)
    if type(value) ~= "table" then
        report(nil, "the file returned %s; end it with return {name = ..., kind = ..., run = "
            .. "...} or a list of such tables", type(value))
        return false
    end
    local list = value
    if value.name ~= nil or value.run ~= nil or #value == 0 then
        list = {value}
    end

    local seen = {}
    for name, tool in pairs(registry) do
        seen[name] = tool.path
    end
    local accepted = {}
    local valid = true
    local single = list ~= value
    for position, tool in ipairs(list) do
        local record = check_tool(path, source, tool, not single and position or nil, seen,
            report)
        if record == nil then
            valid = false
        else
            seen[record.name] = path
            accepted[#accepted + 1] = record
        end
    end
    if not valid then
        return false
    end
    for _, record in ipairs(accepted) do
        registry[record.name] = record
        names[#names + 1] = record.name
        local word, reason = nil, nil
        if record.kind == "write" and record.sensitive == nil then
            word, reason = tools.sensitive_hint(record.name, record.description)
        end
        if word ~= nil then
            record.hint = {word = word, reason = reason}
        end
        if word ~= nil and warn ~= nil then
            warn(record.line, "tool %q reads like a tool for sensitive requests (%q in its name "
                .. "or description) but declares no sensitive reason, so a plan with it on a "
                .. "ticket the sensitive policy finds harmless runs it without the requester's "
                .. "identity check; add sensitive = %q to the tool, or the reason code that "
                .. "fits what it changes", record.name, word, reason)
        end
    end
    return true
end

-- Returns the registered tool named name, or nil.
function tools.get(name)
    return registry[name]
end

-- Returns the names of the registered tools, sorted.
function tools.names()
    local sorted = {}
    for _, name in ipairs(names) do
        sorted[#sorted + 1] = name
    end
    table.sort(sorted)
    return sorted
end

-- Returns the sorted names of the registered tools of a family ("halo"), possibly none.
function tools.family_names(family)
    local found = {}
    for _, name in ipairs(tools.names()) do
        if tools.family(name) == family then
            found[#found + 1] = name
        end
    end
    return found
end

-- --- Tool policies ------------------------------------------------------------------------

-- True when key is a tool name or a pattern: "halo.get_user", "halo.*" or "*".
local function is_policy_key(key)
    return type(key) == "string" and (key == "*" or key:find(NAME_PATTERN) ~= nil
        or key:find("^[a-z][a-z0-9_]*%.%*$") ~= nil)
end

-- Checks one table of tool name (or pattern) = policy. Returns true when it is valid.
local function check_policy_entries(entries, where, report)
    if type(entries) ~= "table" then
        report("%s must be a table of tool name = \"auto\" | \"approval_needed\" | "
            .. "\"disabled\", got %s", where, type(entries))
        return false
    end
    local valid = true
    for key, policy in pairs(entries) do
        if not is_policy_key(key) then
            local key_text
            if key == "" then
                key_text = "an empty key"
            elseif type(key) == "string" then
                key_text = string.format("the key %q", key)
            else
                key_text = string.format("the key [%s]", tostring(key))
            end
            local hint = ""
            if type(key) == "string" and key:lower() ~= key and is_policy_key(key:lower()) then
                hint = string.format(" (tool names are lower case: %q)", key:lower())
            end
            report("%s has %s%s; use a tool name (\"halo.add_note\"), a family pattern "
                .. "(\"halo.*\") or \"*\"", where, key_text, hint)
            valid = false
        elseif not tools.POLICIES[policy] then
            report("%s[%q] is %s; use \"auto\", \"approval_needed\" or \"disabled\"", where,
                key, type(policy) == "string" and string.format("%q", policy) or tostring(policy))
            valid = false
        end
    end
    return valid
end

--[[
Validates the tool policy file (config/policies/tools.lua): {default = {...}, clients =
{[client id] = {...}}}, each inner table mapping a tool name or pattern to a policy.
report(field, format, ...) records a problem at the line where field is assigned. Returns true
when the policy is valid.
]]
function tools.check_policy(value, report)
    if type(value) ~= "table" then
        report(nil, "the tool policy returned %s; end it with return {default = {...}, clients "
            .. "= {...}}", type(value))
        return false
    end
    local valid = true
    for key in pairs(value) do
        if key ~= "default" and key ~= "clients" then
            report(tostring(key), "unknown field %q; the fields are default and clients",
                tostring(key))
            valid = false
        end
    end
    if value.default ~= nil then
        valid = check_policy_entries(value.default, "default", function(...)
            report("default", ...)
        end) and valid
    end
    if value.clients ~= nil then
        if type(value.clients) ~= "table" then
            report("clients", "clients must be a table of [HaloPSA client id] = {...}, got %s",
                type(value.clients))
            return false
        end
        for id, entries in pairs(value.clients) do
            local integer = type(id) == "number" and math.tointeger(id) or nil
            if integer == nil or integer <= 0 then
                local shown = type(id) == "string" and string.format("%q (text)", id)
                    or tostring(id)
                report("clients", "clients has the key %s; use a HaloPSA client id (a positive "
                    .. "whole number) in brackets without quotes: [12] = {...}", shown)
                valid = false
            else
                valid = check_policy_entries(entries, string.format("clients[%d]", integer),
                    function(...)
                        report("clients", ...)
                    end) and valid
            end
        end
    end
    return valid
end

-- Looks name up in one policy table: the exact name, then "family.*", then "*". Returns the
-- policy and the key that matched, or nil.
local function lookup_policy(entries, name)
    if type(entries) ~= "table" then
        return nil
    end
    for _, key in ipairs({name, (tools.family(name) or "") .. ".*", "*"}) do
        if entries[key] ~= nil then
            return entries[key], key
        end
    end
    return nil
end

--[[
Decides a tool's policy for one run. policy_table is the loaded tool policy (nil when there is
none). policy_failed is true when a tool policy file exists but could not be loaded and no
earlier version of it serves. Then every write tool is disabled and every read tool runs on its
own, because the broken file may have disabled tools and nothing else says which. Otherwise the
client's entries come before the MSP's defaults, and both before the kind's default (read:
auto, write: approval_needed). On a sensitive run whose requester is not verified, a write tool
set to auto needs approval. Returns the policy ("auto", "approval_needed" or "disabled") and
the reason for it.
]]
function tools.policy_for(name, kind, client_id, run, policy_table, policy_failed)
    if policy_failed then
        if kind == "write" then
            return "disabled", "the tool policy file failed to load and no earlier version of "
                .. "it serves, so every write tool is disabled until the file is fixed"
        end
        return "auto", "the tool policy file failed to load and no earlier version of it "
            .. "serves, so read tools run on their own until the file is fixed"
    end

    local policy, key, source
    if type(policy_table) == "table" then
        local clients = type(policy_table.clients) == "table" and policy_table.clients or {}
        if client_id ~= nil then
            policy, key = lookup_policy(clients[client_id], name)
            source = "client"
        end
        if policy == nil then
            policy, key = lookup_policy(policy_table.default, name)
            source = "default"
        end
    end
    local reason
    if policy == nil then
        policy = kind == "write" and "approval_needed" or "auto"
        reason = string.format("%s tools default to %s", kind, policy)
    elseif source == "client" then
        reason = string.format("the tool policy sets %s to %s for client %d", key, policy,
            client_id)
    else
        reason = string.format("the tool policy sets %s to %s", key, policy)
    end

    if kind == "write" and policy == "auto" and run.sensitive
            and run.verification ~= "verified" then
        return "approval_needed", string.format("the ticket is sensitive and the requester is "
            .. "not verified (verification: %s), so every write needs approval",
            run.verification)
    end
    return policy, reason
end

--[[
Reads run_json's decoded value into {mode, sensitive, verification, other_account}: missing
means Plan mode, not sensitive, verification "none", and an account that is not known to be
another person's. Returns the run, or nil and a message naming the bad field.
]]
function tools.read_run(value)
    if value == nil then
        return {mode = "plan", sensitive = false, verification = "none", other_account = false}
    end
    if type(value) ~= "table" then
        return nil, string.format("the run JSON must be an object, got %s", type(value))
    end
    local mode = value.mode
    if mode == nil then
        mode = "plan"
    end
    if mode ~= "plan" and mode ~= "execute" then
        return nil, string.format("the run's mode is %s; use \"plan\" or \"execute\"",
            tostring(mode))
    end
    local sensitive = value.sensitive
    if sensitive == nil then
        sensitive = false
    end
    if type(sensitive) ~= "boolean" then
        return nil, string.format("the run's sensitive is %s; use true or false",
            tostring(sensitive))
    end
    local verification = value.verification
    if verification == nil then
        verification = "none"
    end
    if not tools.VERIFICATIONS[verification] then
        return nil, string.format("the run's verification is %s; use none, not_required, "
            .. "pending, verified, failed, expired, error, not_connected or other_requester",
            tostring(verification))
    end
    local other_account = value.other_account
    if other_account == nil then
        other_account = false
    end
    if type(other_account) ~= "boolean" then
        return nil, string.format("the run's other_account is %s; use true or false",
            tostring(other_account))
    end
    return {mode = mode, sensitive = sensitive, verification = verification,
        other_account = other_account}
end

-- --- Arguments and results -----------------------------------------------------------------

--[[
Checks a step's arguments against a tool's parameters. Numbers decoded from JSON are floats,
so an integral number passes an integer parameter and becomes an integer. Returns the checked
arguments (a new table), or nil and a message naming the argument.
]]
function tools.check_arguments(tool, arguments)
    if arguments == nil or arguments == json.null then
        arguments = {}
    end
    if type(arguments) ~= "table" then
        return nil, string.format("the arguments of %s must be an object, got %s", tool.name,
            type(arguments))
    end
    local checked = {}
    for name, value in pairs(arguments) do
        local parameter = type(name) == "string" and tool.parameters[name] or nil
        if parameter == nil then
            local known = {}
            for known_name in pairs(tool.parameters) do
                known[#known + 1] = known_name
            end
            table.sort(known)
            return nil, string.format("%s has no parameter %s; its parameters are %s",
                tool.name, tostring(name), #known > 0 and table.concat(known, ", ") or "none")
        end
        local expected = parameter.type
        local kind = type(value)
        local ok = false
        if expected == "integer" then
            value = kind == "number" and math.tointeger(value) or nil
            ok = value ~= nil
        elseif expected == "number" then
            ok = kind == "number"
        else
            ok = kind == expected
        end
        if not ok then
            return nil, string.format("argument %s of %s must be %s %s, got %s", name,
                tool.name, expected == "integer" and "an" or "a", expected,
                kind == "string" and string.format("%q", arguments[name]) or kind)
        end
        checked[name] = value
    end
    local missing = {}
    for name, parameter in pairs(tool.parameters) do
        if parameter.required and checked[name] == nil then
            missing[#missing + 1] = name
        end
    end
    if #missing > 0 then
        table.sort(missing)
        return nil, string.format("%s needs the argument%s %s", tool.name,
            #missing == 1 and "" or "s", table.concat(missing, ", "))
    end
    return checked
end

local ACTION_FIELDS = {write = true, note_html = true, hidden = true, send_email = true,
    outcome = true}
local TICKET_FIELDS = {status_id = "id", team = "text", agent_id = "id"}

-- Returns value as a positive integer, or nil.
local function positive_id(value)
    local integer = type(value) == "number" and math.tointeger(value) or nil
    if integer == nil or integer <= 0 then
        return nil
    end
    return integer
end

--[[
Checks a write request returned by a HaloPSA write tool, one of
  {write = "action", note_html = "...", hidden = bool, send_email = bool, outcome = "..."}
      (outcome may be left out: the core then uses its own)
  {write = "ticket", fields = {status_id = 3, team = "Service Desk", agent_id = 4}}
      (at least one of the three fields)
Returns a copy holding only those fields, or nil and a message.
]]
function tools.check_write(request)
    if request.write == "action" then
        for key in pairs(request) do
            if not ACTION_FIELDS[key] then
                return nil, string.format("an action write request has an unknown field %s; "
                    .. "the fields are write, note_html, hidden, send_email and outcome",
                    tostring(key))
            end
        end
        if not non_empty_string(request.note_html) then
            return nil, "an action write request needs note_html, a non-empty string"
        end
        if type(request.hidden) ~= "boolean" or type(request.send_email) ~= "boolean" then
            return nil, "an action write request needs hidden and send_email, each true or false"
        end
        if request.hidden and request.send_email then
            return nil, "an action write request cannot be hidden from the requester and sent "
                .. "to them by e-mail"
        end
        if request.outcome ~= nil and not non_empty_string(request.outcome) then
            return nil, "an action write request's outcome must be a non-empty string"
        end
        return {write = "action", note_html = request.note_html, hidden = request.hidden,
            send_email = request.send_email, outcome = request.outcome}
    end

    if request.write == "ticket" then
        for key in pairs(request) do
            if key ~= "write" and key ~= "fields" then
                return nil, string.format("a ticket write request has an unknown field %s; the "
                    .. "fields are write and fields", tostring(key))
            end
        end
        if type(request.fields) ~= "table" then
            return nil, "a ticket write request needs fields, a table"
        end
        local fields = {}
        local count = 0
        for key, value in pairs(request.fields) do
            local shape = TICKET_FIELDS[key]
            if shape == nil then
                return nil, string.format("a ticket write request may set status_id, team and "
                    .. "agent_id, not %s", tostring(key))
            end
            if shape == "id" then
                value = positive_id(value)
                if value == nil then
                    return nil, string.format("a ticket write request's %s must be a positive "
                        .. "whole number", key)
                end
            elseif not non_empty_string(value) then
                return nil, string.format("a ticket write request's %s must be a non-empty "
                    .. "string", key)
            end
            fields[key] = value
            count = count + 1
        end
        if count == 0 then
            return nil, "a ticket write request needs at least one of status_id, team and agent_id"
        end
        return {write = "ticket", fields = fields}
    end
    return nil, string.format("the write request's write is %s; use \"action\" or \"ticket\"",
        tostring(request.write))
end

-- Returns the registered tool named name as {name, description, kind, sensitive, parameters},
-- without its run function, for a context's tool list.
function tools.describe(name)
    local tool = registry[name]
    local parameters = {}
    for parameter_name, parameter in pairs(tool.parameters) do
        parameters[parameter_name] = {
            type = parameter.type,
            required = parameter.required,
            description = parameter.description,
        }
    end
    return {
        name = tool.name,
        description = tool.description,
        kind = tool.kind,
        sensitive = tool.sensitive,
        parameters = parameters,
    }
end

-- Drops the functions that register and check tools and the hint tables only they read, for a
-- host that has loaded every file and only serves (loader.release_loading).
function tools.release_loading()
    tools.add_file = nil
    tools.check_policy = nil
    tools.sensitive_hint = nil
    tools.step_sensitive_hint = nil
    tools.SENSITIVE_HINTS = nil
    tools.HARMLESS_OBJECTS = nil
end

return tools
