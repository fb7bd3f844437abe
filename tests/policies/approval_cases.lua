-- Unit cases of the approval policy (config/policies/approval.lua): bad input, limits, the
-- parts that find the technician's own words, and replies written for this file (none of them
-- is a row of tests/data/replies/replies.jsonl), each labelled by tests/data/replies/RULE.md.
--
--   lua5.4 tests/policies/approval_cases.lua [--policy FILE]
--
-- It also checks that the loaded policy keeps at most MEMORY_BUDGET_KIB of memory.
-- Prints one line per failed case and a total, and exits 1 when any case fails. The policy
-- runs in an environment like halyard's script sandbox, with a count hook that fails any call
-- using more than the sandbox's default budget of 10 million instructions.

local INSTRUCTION_BUDGET = 10000000

-- The maximum memory the loaded policy may keep under lua5.4, in KiB. Reading speakers in
-- look-alike letters, arrows, relays and timed labels took it from about 495 to 512. Reading
-- any label but the writer's name or a heading as a relay took it to about 523. Reading
-- signatures and calls that relay a decision added about 6, and reading obligations on
-- someone else beside a yes about 10, for about 538.
local MEMORY_BUDGET_KIB = 544

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local policy_path = script_folder .. "/../../config/policies/approval.lua"
if arg[1] == "--policy" and arg[2] ~= nil then
    policy_path = arg[2]
elseif arg[1] ~= nil then
    io.stderr:write("usage: lua5.4 approval_cases.lua [--policy FILE]\n")
    os.exit(2)
end

-- The same restricted environment as approval_eval.lua: reading an undefined global raises.
local function sandbox_environment()
    local names = {}
    for _, name in ipairs({"assert", "error", "getmetatable", "ipairs", "next", "pairs",
        "pcall", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
        "tonumber", "tostring", "type", "xpcall"}) do
        names[name] = _G[name]
    end
    for _, library in ipairs({"string", "table", "math", "utf8"}) do
        names[library] = setmetatable({}, {__index = _G[library]})
    end
    names._VERSION = _VERSION
    setmetatable(names, {
        __index = function(_, key)
            error(string.format("undefined global '%s'", tostring(key)), 2)
        end,
    })
    return setmetatable({}, {__index = names})
end

-- The memory the policy keeps once loaded, in KiB. It is measured around the first load, since
-- a second load would share the strings of the first.
collectgarbage()
local memory_before_kib = collectgarbage("count")
local file = assert(io.open(policy_path, "r"))
local source = file:read("a")
file:close()
local policy = assert(load(source, "@" .. policy_path, "t", sandbox_environment()))()
file, source = nil, nil
collectgarbage()
local policy_memory_kib = collectgarbage("count") - memory_before_kib

local failures, checks = 0, 0

local function report(name, message)
    failures = failures + 1
    print(string.format("FAIL %s: %s", name, message))
end

-- Calls classify under the instruction budget. Returns ok and the result or error message.
local function classify_within_budget(text, options)
    debug.sethook(function()
        error("instruction budget exceeded", 2)
    end, "", INSTRUCTION_BUDGET)
    local ok, outcome = pcall(policy.classify, text, options)
    debug.sethook()
    return ok, outcome
end

local function expect_decision(name, text, expected, options)
    checks = checks + 1
    local ok, outcome = classify_within_budget(text, options)
    if not ok then
        report(name, "classify raised: " .. tostring(outcome))
        return
    end
    if type(outcome) ~= "table" or type(outcome.reason) ~= "string"
        or type(outcome.evidence) ~= "string" then
        report(name, "classify must return {decision, reason, evidence} with string fields")
        return
    end
    if outcome.decision ~= expected then
        report(name, string.format("expected %s, got %s (%s, evidence %q) for %q", expected,
            tostring(outcome.decision), outcome.reason, outcome.evidence, text))
    end
end

-- Reads text's own words with options under the instruction budget, then classifies them.
-- classify keeps no quote or chat line as the writer's own, so cases that read a requester's
-- text with her name check own_words this way.
local function expect_split_decision(name, text, expected, options)
    debug.sethook(function()
        error("instruction budget exceeded", 2)
    end, "", INSTRUCTION_BUDGET)
    local ok, own = pcall(policy.own_words, text, options)
    debug.sethook()
    if not ok then
        checks = checks + 1
        report(name, "own_words raised: " .. tostring(own))
        return
    end
    expect_decision(name, own or "", expected)
end

local function expect_reason(name, text, expected_reason)
    checks = checks + 1
    local ok, outcome = classify_within_budget(text)
    if not ok then
        report(name, "classify raised: " .. tostring(outcome))
    elseif outcome.reason ~= expected_reason then
        report(name, string.format("expected reason %s, got %s (%s)", expected_reason,
            tostring(outcome.reason), tostring(outcome.decision)))
    end
end

local function expect_error(name, expected_message, ...)
    checks = checks + 1
    local ok, message = pcall(policy.classify, ...)
    if ok then
        report(name, "expected an error, classify returned")
    elseif not tostring(message):find(expected_message, 1, true) then
        report(name, string.format("expected an error containing %q, got %q", expected_message,
            tostring(message)))
    end
end

-- Bad input: misuse raises in lauxlib's wording, text it cannot read is neutral.

expect_error("nil text raises", "bad argument #1 to 'classify' (string expected, got nil)", nil)
expect_error("number text raises", "bad argument #1 to 'classify' (string expected, got number)",
    42)
expect_error("table text raises", "(string expected, got table)", {"approved"})
expect_error("options of wrong type raise",
    "bad argument #2 to 'classify' (table or nil expected, got string)", "approved", "html")
expect_error("unknown format raises", "options.format must be \"html\", \"plain\" or \"auto\", "
    .. "got \"markdown\"", "approved", {format = "markdown"})

expect_error("writer name of wrong type raises", "options.writer_name must be a string or nil, "
    .. "got number", "approved", {writer_name = 12})
expect_error("writer e-mail of wrong type raises", "options.writer_email must be a string or "
    .. "nil, got table", "approved", {writer_email = {}})

expect_decision("empty text is neutral", "", "neutral")
expect_reason("empty text is empty", "", "empty")
expect_reason("white space is empty", " \n\t\r\n ", "empty")
expect_decision("huge text is neutral", "Approved. " .. string.rep("x", 300000), "neutral")
expect_reason("huge text is too long", string.rep("approved ", 30000), "too_long")
expect_decision("long own words are neutral", string.rep("Approved, go ahead. ", 300), "neutral")
expect_decision("many tags stay in budget", string.rep("<b>yes</b>", 19000), "neutral")
expect_decision("many entities stay in budget", string.rep("&amp;", 39000), "neutral")
expect_decision("long line of spaces in budget", "a" .. string.rep(" ", 150000) .. "b", "neutral")
expect_decision("many short lines stay in budget", string.rep("ok\n", 60000), "neutral")
expect_split_decision("writer's quotes stay in budget", "Approved\n" .. string.rep("On Mon, 3 Jun "
    .. "2026 at 09:14, Jane Doe <jane@acme.example> wrote:\n> Jane Doe 09:14\n", 2500), "neutral",
    {writer_name = "Jane Doe", writer_email = "jane@acme.example"})
-- With the writer named, chat and forward lines are read to the end of the text, so these
-- check the budget of long pastes. Where the own words end up too long, the text is neutral.
local WRITER_OPTIONS = {writer_name = "Jane Doe", writer_email = "jane@acme.example"}
expect_split_decision("chat lines stay in budget", "Approved\n\n" .. string.rep("Bob Stone: hi\n",
    14000), "approve", WRITER_OPTIONS)
expect_split_decision("chat speakers stay in budget", "Pasted from a chat\n\n"
    .. string.rep("Bo: x\n\n", 28000), "neutral", WRITER_OPTIONS)
expect_split_decision("writer's name in chat stays in budget", "Pasted from a chat\n\n"
    .. string.rep("Bo: jane\n", 22000), "neutral", WRITER_OPTIONS)
expect_split_decision("writer's chat lines stay in budget", "Approved\n" .. string.rep("Bob Stone: "
    .. "hi\nJane Doe: ok\n", 5000), "neutral", WRITER_OPTIONS)
expect_split_decision("bracket lines stay in budget", "Approved\n" .. string.rep("(", 190000),
    "neutral", WRITER_OPTIONS)
expect_split_decision("bracket rows stay in budget", "Approved\n" .. string.rep(string.rep("(", 990)
    .. " Bob\n", 190), "neutral", WRITER_OPTIONS)
expect_split_decision("open brackets stay in budget", "Approved\n"
    .. string.rep("[" .. string.rep("a", 990) .. "\n", 190), "neutral", WRITER_OPTIONS)
expect_split_decision("forward lines stay in budget", "Approved\n"
    .. string.rep("Forwarded message\nFrom: Jane Doe\n", 5000), "neutral", WRITER_OPTIONS)
expect_decision("many quote lines stay in budget", "Approved\n" .. string.rep("> x\n", 45000),
    "approve")
expect_decision("unclosed tag is neutral", "<p>Approved</p><div class=\"x", "approve")
expect_decision("unclosed quote hides the rest", "<p>Thanks</p><blockquote>Approved", "neutral")
expect_decision("invalid utf-8 is handled", "Approved \255\254\128", "approve")
expect_decision("nul bytes are handled", "Approved\0", "approve")
expect_decision("huge numeric entity", "<p>&#99999999999;Approved</p>", "approve")
expect_reason("all quote is quoted only",
    "> Halyard asks for approval.\n> Reply \"approve\" to run them.\n> Approved", "quoted_only")
expect_reason("all outlook quote is quoted only",
    "From: Dave <d@contoso.example>\nSent: Tuesday\nTo: Priya\nSubject: Approved\n\nApproved",
    "quoted_only")
expect_decision("plain format keeps tags as text", "<p>Approved</p>", "neutral",
    {format = "plain"})
expect_decision("html format converts", "Approved<br>", "approve", {format = "html"})

-- The own words: what is cut and what stays.

checks = checks + 1
local own = policy.own_words("Yes.\n\nOn Tue, 4 Mar 2025 at 10:12, Halyard <h@msp.example>\n"
    .. "wrote:\n> Reply approve\n\nAnd thanks.\n\n-- \nTom\nApproved Partner")
if own ~= "Yes.\nAnd thanks." then
    report("own words skip quote and signature", string.format("got %q", tostring(own)))
end
checks = checks + 1
own = policy.own_words("<div>Go&nbsp;ahead &ndash; thanks</div><blockquote>deny</blockquote>"
    .. "<p>Don&#39;t &#x2F; &rsquo;</p>")
if own ~= "Go ahead - thanks\nDon't / '" then
    report("own words decode html", string.format("got %q", tostring(own)))
end

-- Quoted and forwarded mail in many languages and shapes: only the first line is the writer's.
-- A request below these lines was read as the writer's own until the attribution check knew
-- only English, French, German and Dutch verbs.
local REQUEST = "I forgot my password, please reset it."
local QUOTE_SHAPES = {
    {"spanish attribution", "El lun, 7 dic 2026 a las 9:12, Bob Stone <bob@acme.example> "
        .. "escribi\195\179:"},
    {"italian attribution", "Il giorno lun 7 dic 2026 alle 09:12 Bob Stone <bob@acme.example> "
        .. "ha scritto:"},
    {"portuguese attribution", "Em seg., 7 de dez. de 2026, Bob Stone <bob@acme.example> "
        .. "escreveu:"},
    {"swedish attribution", "Den m\195\165n 7 dec. 2026 kl 09:12 skrev Bob Stone "
        .. "<bob@acme.example>:"},
    {"finnish attribution", "Bob Stone kirjoitti:"},
    {"polish attribution", "W dniu 7.12.2026 o 09:12, Bob Stone napisa\197\130:"},
    {"czech attribution", "Bob Stone napsal:"},
    {"hungarian attribution", "Bob Stone \195\173rta:"},
    {"greek attribution", "\206\145\207\128\207\140 Bob \206\173\206\179\207\129\206\177\207\136\206\181:"},
    {"unknown language dated address", "Op 7-12-2026 09:12 heeft Bob <bob@acme.example> dit "
        .. "verstuurd:"},
    {"outlook block with blank lines", "From: Bob Stone <bob@acme.example>\n\n\n\n\n\n"
        .. "Sent: Monday 09:12"},
    {"from line with address", "From: Bob Stone <bob@acme.example>"},
    {"gmail forward", "---------- Forwarded message ---------\nFrom: Bob Stone\nDate: Mon"},
    {"apple forward", "Begin forwarded message:"},
    {"outlook underscores", "________________________________"},
    {"polish thunderbird attribution", "W dniu 03.06.2026 o 09:14, Bob Stone pisze:"},
    {"czech present attribution", "Bob Stone p\195\173\197\161e:"},
    {"slovak attribution", "Bob Stone nap\195\173sal:"},
    {"chinese gmail attribution", "Bob Stone <bob@acme.example> \228\186\1422026\229\185\180"
        .. "6\230\156\1363\230\151\165 09:14\229\134\153\233\129\147\239\188\154"},
    {"chinese attribution without address", "Bob Stone \228\186\1422026\229\185\1806"
        .. "\230\156\1363\230\151\165 09:14\229\134\153\233\129\147\239\188\154"},
    {"traditional chinese attribution", "Bob Stone \230\150\1882026\229\185\1806"
        .. "\230\156\1363\230\151\165 09:14\229\175\171\233\129\147\239\188\154"},
    {"japanese attribution", "2026\229\185\1806\230\156\1363\230\151\165 9:14 Bob Stone "
        .. "\227\129\149\227\130\147\227\129\175\230\155\184\227\129\141\227\129\190"
        .. "\227\129\151\227\129\159\239\188\154"},
    {"korean attribution", "Bob Stone\235\139\152\236\157\180 \236\158\145\236\132\177:"},
    {"dashed attribution", "--- Bob Stone wrote ---"},
    {"framed attribution", "=== Bob Stone wrote: ==="},
    {"attribution by a role", "On Mon, 3 Jun 2026 at 09:14, my manager wrote:"},
    {"attribution naming a program owner", "Bob from the app team wrote:"},
}
for _, shape in ipairs(QUOTE_SHAPES) do
    checks = checks + 1
    own = policy.own_words("See below.\n\n" .. shape[2] .. "\n" .. REQUEST)
    if own ~= "See below." then
        report("own words cut " .. shape[1], string.format("got %q", tostring(own)))
    end
end
for _, marker in ipairs({"|", "\239\188\158"}) do
    checks = checks + 1
    own = policy.own_words("See below.\n" .. marker .. " " .. REQUEST)
    if own ~= "See below." then
        report("own words cut quote marker " .. marker, string.format("got %q", tostring(own)))
    end
end

-- A block marked as a quote only by its left border is quoted; one without a border is not.
checks = checks + 1
own = policy.own_words("<div>See below.</div><div style=\"border-left:2px solid #1010ff;"
    .. "padding-left:6px\"><div>Bob Stone, Monday:</div><div>" .. REQUEST .. "</div></div>")
if own ~= "See below." then
    report("own words cut left border block", string.format("got %q", tostring(own)))
end
checks = checks + 1
own = policy.own_words("<div>See below.</div><div style=\"border-left:none;padding:6px\">"
    .. REQUEST .. "</div>")
if own ~= "See below.\n" .. REQUEST then
    report("own words keep borderless block", string.format("got %q", tostring(own)))
end

-- Lines of the writer's own that end with ":" and name a date, but no sender, stay theirs.
local OWN_COLON_LINES = {
    "On Monday 7 Dec at 9:12 please do the following:",
    "I wrote to the team on 7 Dec:",
    "Steps for 2026:",
}
for _, line in ipairs(OWN_COLON_LINES) do
    checks = checks + 1
    own = policy.own_words(line .. "\n" .. REQUEST)
    if own ~= line .. "\n" .. REQUEST then
        report("own words keep " .. line, string.format("got %q", tostring(own)))
    end
end

-- More quote shapes that were read as the writer's own words: an attribution without its ":"
-- or wrapped over lines, a chat app's paste, a separator or forward subject line with no header
-- block below it. Only "See below." is the writer's.
local MORE_QUOTE_SHAPES = {
    {"attribution without colon", "On Mon, 3 Jun 2026 at 09:14 Dave Smith wrote"},
    {"french attribution without colon", "Le lun. 3 juin 2026 \195\160 09:14, Dave Smith a "
        .. "\195\169crit"},
    {"spanish attribution without colon", "El lun, 3 jun 2026 a las 9:14, Dave Smith "
        .. "escribi\195\179"},
    {"addressed attribution without colon", "Dave Smith <dave@acme.example> wrote"},
    {"german attribution without colon", "Am 3. Juni 2026 um 09:14 schrieb Dave Smith"},
    {"swedish attribution without colon", "Den m\195\165n 7 dec. 2026 kl 09:12 skrev Bob Stone "
        .. "<bob@acme.example>"},
    {"attribution over two lines without colon", "On Mon, 3 Jun 2026 at 09:14 Dave Smith\nwrote"},
    {"attribution with address on next line", "On Mon, 3 Jun 2026 at 09:14 Dave Smith\n"
        .. "<dave@acme.example> wrote:"},
    {"german attribution with address on next line", "Am 3. Juni 2026 um 09:14 schrieb Dave "
        .. "Smith\n<dave@acme.example>:"},
    {"attribution over three lines", "On Mon, 3 Jun 2026 at 09:14\nDave Smith "
        .. "<dave@acme.example>\nwrote:"},
    {"teams paste", "[10:42] Dave Smith"},
    {"teams paste with date", "[03/06/2026 10:42] Dave Smith:"},
    {"slack paste", "Dave Smith 10:42 AM"},
    {"slack paste today", "Dave Smith, Today at 10:42"},
    {"chat paste bracketed time", "Dave Smith [10:42 AM]"},
    {"forwarded message alone", "Forwarded message"},
    {"original message alone", "Original Message:"},
    {"german forward separator", "---------- Weitergeleitete Nachricht ----------"},
    {"french apple forward", "D\195\169but du message r\195\169exp\195\169di\195\169 :"},
    {"forward subject in body", "FW: can't log in"},
    {"fwd subject in body", "Fwd: can't log in"},
    {"german forward subject in body", "WG: Anmeldung"},
}
for _, shape in ipairs(MORE_QUOTE_SHAPES) do
    checks = checks + 1
    local quoted
    own, quoted = policy.own_words("See below.\n\n" .. shape[2] .. "\n" .. REQUEST)
    if own ~= "See below." then
        report("own words cut " .. shape[1], string.format("got %q", tostring(own)))
    end
    checks = checks + 1
    if not tostring(quoted):find(REQUEST, 1, true) then
        report("own words quote " .. shape[1], string.format("quoted %q", tostring(quoted)))
    end
end

-- A chat message on its header's line is quoted, and so is a second message below it.
checks = checks + 1
own = policy.own_words("See below.\n\n[10:42] Dave Smith: " .. REQUEST .. "\n[10:43] Dave Smith: "
    .. "thanks")
if own ~= "See below." then
    report("own words cut inline chat message", string.format("got %q", tostring(own)))
end

-- An indented block under an attribution or a line reporting someone else's words is quoted,
-- and the writer's words below it stay hers.
local INDENT_INTROS = {
    {"attribution", "On Mon, 3 Jun 2026 at 09:14 Dave Smith wrote:"},
    {"attribution without colon", "On Mon, 3 Jun 2026 at 09:14 Dave Smith wrote"},
    {"name and verb", "Dave Smith wrote"},
    {"sent me this", "Dave sent me this:"},
    {"what my manager wrote", "Here is what my manager wrote:"},
    {"intro and blank line", "Dave sent me this:\n"},
}
for _, intro in ipairs(INDENT_INTROS) do
    for _, indent in ipairs({"    ", "\t"}) do
        local name = intro[1] .. (indent == "\t" and " tab" or " spaces")
        checks = checks + 1
        local quoted
        own, quoted = policy.own_words("See below.\n\n" .. intro[2] .. "\n" .. indent .. REQUEST
            .. "\n" .. indent .. "Dave\n\nAlso unlock my account.")
        if own == nil or own:find(REQUEST, 1, true) then
            report("own words cut indented block under " .. name, string.format("got %q",
                tostring(own)))
        end
        checks = checks + 1
        if own == nil or not own:find("Also unlock my account.", 1, true) then
            report("own words keep answer below indented " .. name, string.format("got %q",
                tostring(own)))
        end
        checks = checks + 1
        if not tostring(quoted):find(REQUEST, 1, true) then
            report("own words quote indented block under " .. name, string.format("quoted %q",
                tostring(quoted)))
        end
    end
end

-- A quotation reported as someone else's words is quoted, and the words around it stay the
-- writer's. Each row: text, the own words, the quotation.
local REPORTED_QUOTES = {
    {"Dave said: \"please reset my password\"", "Dave said:", "please reset my password"},
    {"he asked 'can you give me admin'", "he asked", "can you give me admin"},
    {"\"please reset my password\", Dave said.", ", Dave said.", "please reset my password"},
    {"\"please reset my password\" said Dave", "said Dave", "please reset my password"},
    {"My manager texted me: \"give Jane admin rights\"", "My manager texted me:",
        "give Jane admin rights"},
    {"Dave has asked: \"can you reset my MFA\"", "Dave has asked:", "can you reset my MFA"},
    {"Dave said:\n\"please reset my password\"", "Dave said:", "please reset my password"},
    {"Dave said \"thanks\", and please reset my password too.",
        "Dave said , and please reset my password too.", "thanks"},
}
for _, row in ipairs(REPORTED_QUOTES) do
    checks = checks + 1
    local quoted
    own, quoted = policy.own_words(row[1])
    if own ~= row[2] then
        report("own words cut reported quote " .. row[1], string.format("got %q", tostring(own)))
    end
    checks = checks + 1
    if not tostring(quoted):find(row[3], 1, true) then
        report("own words quote reported " .. row[1], string.format("quoted %q",
            tostring(quoted)))
    end
end

-- The writer's own request stays hers, above or below a quote shape, and lines that only look
-- like one stay hers too.
local OWN_REQUESTS = {
    {"above attribution without colon", REQUEST .. "\n\nOn Mon, 3 Jun 2026 at 09:14 Dave Smith "
        .. "wrote\n> thanks"},
    {"above attribution with a time", "Please reset my password by 09:00\nDave wrote:\n> hi"},
    {"above attribution with a year", "Please reset my password before 2027\n"
        .. "Dave Smith <dave@acme.example>\nwrote:\n> hi"},
    {"below indented quote", "On Mon, 3 Jun 2026 at 09:14 Dave Smith wrote:\n    hi\n\n"
        .. REQUEST},
    {"below chat paste", "[10:42] Dave Smith\nhello there\n\n" .. REQUEST},
    {"above chat paste", REQUEST .. "\n\n[10:42] Dave Smith\nhello there"},
    {"above forward", REQUEST .. "\n\nForwarded message\nFrom Bob: hello"},
    {"own quotation", "I said \"please reset my password\""},
    {"own quotation with colon", "As I wrote: \"please reset my password\""},
    {"apostrophes", "Dave's laptop can't connect, and " .. REQUEST},
    {"quoted folder name", "Give me access to 'Finance' as Dave asked. " .. REQUEST},
    {"own indented list", "Please do the following:\n    " .. REQUEST .. "\n    unlock it"},
    {"own sentence ending in wrote", "On 3 June 2026 I read what Dave wrote\n" .. REQUEST},
    {"own sentence with wrote and a year", "In 2026 Dave wrote the payroll script for the "
        .. "finance team\n" .. REQUEST},
    {"time line", "Tomorrow 10:42\n" .. REQUEST},
    {"meeting line", "Meeting at 10:42\n" .. REQUEST},
    {"heading with a time", "Update 09:14 AM\n" .. REQUEST},
    {"one word above a time", "Lockout 09:14\n" .. REQUEST},
    {"web form fields", "Name: Jane Doe\nEmail: jane.doe@acme.example\nSent: 05/12/2026 09:14\n"
        .. "Message: " .. REQUEST},
    {"app wrote with message", "Since Friday 4 Dec 2026 17:00\nAuthenticator wrote: code "
        .. "expired\n" .. REQUEST},
    {"the app wrote below a time", "Hello, Monday 09:14\nthe app wrote: invalid code\n"
        .. REQUEST},
    {"program wrote with colon", "Authenticator wrote:\ncode expired\n" .. REQUEST},
    {"the system wrote with a date", "On Mon, 3 Jun 2026 at 09:14 the system wrote:\n"
        .. REQUEST},
}
for _, row in ipairs(OWN_REQUESTS) do
    checks = checks + 1
    own = policy.own_words(row[2])
    if own == nil or not own:find("reset", 1, true) then
        report("own words keep request " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Lines that name the writer (options.writer_name, options.writer_email) are her own earlier
-- words, so the request below them stays hers. Each row: name, text. Without the writer named,
-- the same text is quoted (is_quoted_without_writer true) or stays hers anyway.
local WRITER = {writer_name = "Jane Doe", writer_email = "jane.doe@acme.example"}
local WRITER_LINES = {
    {"own earlier mail", "Sorry, resending.\n\nOn Mon, 30 Nov 2026 at 09:14, Jane Doe "
        .. "<jane.doe@acme.example> wrote:\n> " .. REQUEST, true},
    {"own earlier mail by address", "Resending.\n\nOn Mon, 30 Nov 2026 at 09:14, "
        .. "<JANE.DOE@acme.example> wrote:\n> " .. REQUEST, true},
    {"own attribution over two lines", "Resending.\n\nOn Mon, 30 Nov 2026 at 09:14 Jane Doe\n"
        .. "wrote:\n> " .. REQUEST, true},
    {"own attribution without quote marks", "Resending.\n\nJane Doe schrieb:\n" .. REQUEST,
        true},
    {"own outlook header", "Resending.\n\nFrom: Jane Doe <jane.doe@acme.example>\n"
        .. "Sent: Monday 09:14\nSubject: locked out\n\n" .. REQUEST, true},
    {"own name and time", "Jane Doe 09:14\n" .. REQUEST, true},
    {"own teams line", "[09:14] Jane Doe: " .. REQUEST, true},
    {"own web form", "Name: Jane Doe\nEmail: jane.doe@acme.example\nMessage: " .. REQUEST,
        false},
    {"own message label", "Message from Jane Doe: " .. REQUEST, false},
    {"form for herself", "Requested for: myself\nRequest: " .. REQUEST, false},
}
for _, row in ipairs(WRITER_LINES) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep writer's " .. row[1], string.format("got %q", tostring(own)))
    end
    checks = checks + 1
    own = policy.own_words(row[2])
    if row[3] and own ~= nil and own:find(REQUEST, 1, true) then
        report("own words quote " .. row[1] .. " without writer", string.format("got %q",
            tostring(own)))
    end
end

-- Mail from someone else stays quoted when the writer is named, and so does her own earlier
-- mail quoting someone else's.
local OTHER_SENDERS = {
    {"other sender's attribution", "See below.\n\nOn Mon, 30 Nov 2026 at 09:14, Bob Stone "
        .. "<bob@acme.example> wrote:\n> " .. REQUEST},
    {"other sender's header", "See below.\n\nFrom: Bob Stone <bob@acme.example>\n"
        .. "Sent: Monday 09:14\n\n" .. REQUEST},
    {"other sender's chat line", "See below.\n\nBob Stone 09:14\n" .. REQUEST},
    {"other sender inside own mail", "See below.\n\nOn Mon, 30 Nov 2026, Jane Doe wrote:\n"
        .. "> Passing this on.\n> On Sun, 29 Nov 2026, Bob Stone <bob@acme.example> wrote:\n"
        .. ">> " .. REQUEST},
    {"other sender named like writer", "See below.\n\nOn Mon, 30 Nov 2026, Jane Doerr "
        .. "<jd@acme.example> wrote:\n> " .. REQUEST},
    -- A relayed message or a form naming someone else is that person's request.
    {"relayed message", "Message from Bob Stone: " .. REQUEST},
    {"relayed voicemail", "Voicemail from Bob Stone (ext 214): " .. REQUEST},
    {"relayed voice mail", "Voice mail from Bob Stone: " .. REQUEST},
    {"form naming another", "Name: Bob Stone\nEmail: bob.stone@acme.example\nMessage: "
        .. REQUEST},
    {"form email of another", "Email: bob.stone@acme.example\nMessage: " .. REQUEST},
    {"form requested for another", "Requested for: Bob Stone\nRequest: " .. REQUEST},
    {"form on behalf of another", "On behalf of: Bob Stone\n" .. REQUEST},
}
for _, row in ipairs(OTHER_SENDERS) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or own:find(REQUEST, 1, true) then
        report("own words quote " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Bug: a line of a pasted chat led by another person's name and a colon, with no time ("Bob
-- Stone: please reset my password"), read as the writer's own request, so she was challenged
-- for Bob's. A line led by another person's name is that person's words up to a blank line or
-- the writer's next line. A speaker named by one word counts in a text that reads as a chat.
local OTHER_SPEAKERS = {
    {"name and colon", "See the chat below.\n\nBob Stone: " .. REQUEST},
    {"name and colon alone", "Bob Stone: " .. REQUEST},
    {"name alone above message", "Bob Stone:\n" .. REQUEST},
    {"name with company", "Bob Stone (External): " .. REQUEST},
    {"first name in a chat", "Pasted from our chat:\nBob: " .. REQUEST},
    {"first name in a back-and-forth", "Bob: are you there?\nJane: yes\nBob: " .. REQUEST},
    {"first names of two others", "Bob: are you there?\nAmy: yes\nBob: " .. REQUEST},
    {"name in brackets", "[Bob Stone] " .. REQUEST},
    {"name in angle brackets", "<Bob Stone> " .. REQUEST},
    {"address in angle brackets", "<bob@acme.example> " .. REQUEST},
    {"address and colon", "bob@acme.example: " .. REQUEST},
    {"name said", "Bob Stone said: " .. REQUEST},
    {"first name said", "Bob said: " .. REQUEST},
    {"name said above message", "Bob Stone said:\n" .. REQUEST},
    {"name dash time", "Bob Stone - 10:14\n" .. REQUEST},
    {"name comma time", "Bob Stone, 10:14 AM\n" .. REQUEST},
    {"teams name above time", "Bob Stone\n10:14 AM\n" .. REQUEST},
    {"slack name above time", "Bob Stone\nToday at 10:14\n" .. REQUEST},
    {"name alone in a chat", "Copied from Teams:\nBob Stone\n" .. REQUEST},
    {"message after name line", "Bob Stone: hi\nare you there?\n" .. REQUEST},
}
for _, row in ipairs(OTHER_SPEAKERS) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or own:find(REQUEST, 1, true) then
        report("own words quote speaker " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Bug: common shapes of a speaker's name were not read as a name, so another person's line in
-- a pasted chat was the writer's own request: a title, name particles, a name in capitals or
-- (in a chat) in lowercase, a full-width or other colon look-alike, a name in a script without
-- case, a "Name - message" line, and a name that only starts with the writer's ("Jane
-- Doe-Smith" for Jane Doe). Each row: name, text.
local CHAT = "Pasted from our Teams chat:\n"
local OTHER_SPEAKER_SHAPES = {
    {"title with dot", "Dr. Bob Stone: " .. REQUEST},
    {"title without dot", "Mr Bob Stone: " .. REQUEST},
    {"title and surname", "Prof Stone: " .. REQUEST},
    {"title in a chat", CHAT .. "Mrs. Stone: " .. REQUEST},
    {"title ms", "Ms Amy Lee: " .. REQUEST},
    {"particles van der", "Bob van der Berg: " .. REQUEST},
    {"particle de", "Ana de Souza: " .. REQUEST},
    {"particle da", "Luca da Silva: " .. REQUEST},
    {"particle von", "Karl von Stein: " .. REQUEST},
    {"particle bin", "Omar bin Said: " .. REQUEST},
    {"particle al hyphen", "Omar al-Rashid: " .. REQUEST},
    {"apostrophe name", "Sean O'Brien: " .. REQUEST},
    {"name in capitals", "BOB STONE: " .. REQUEST},
    {"name in capitals in a chat", CHAT .. "BOB STONE: " .. REQUEST},
    {"first name in capitals in a chat", CHAT .. "BOB: " .. REQUEST},
    {"lowercase name in a chat", CHAT .. "bob stone: " .. REQUEST},
    {"lowercase first name in a chat", CHAT .. "bob: " .. REQUEST},
    {"full-width colon", "Bob Stone\u{FF1A}" .. REQUEST},
    {"full-width colon in a chat", CHAT .. "Bob Stone\u{FF1A}" .. REQUEST},
    {"small colon", "Bob Stone\u{FE55} " .. REQUEST},
    {"ratio sign colon", "Bob Stone \u{2236} " .. REQUEST},
    {"modifier letter colon", "Bob Stone\u{A789} " .. REQUEST},
    {"hyphenated surname", "Amy Lee-Jones: " .. REQUEST},
    {"writer's name with a longer surname", "Jane Doe-Smith: " .. REQUEST},
    {"writer's name with another surname", "Jane Does: " .. REQUEST},
    {"writer's name and more", "Jane Doe Smith: " .. REQUEST},
    {"writer's name inside a longer one", "Mary-Jane Doe: " .. REQUEST},
    {"longer surname in a teams line", "[10:14] Jane Doe-Smith: " .. REQUEST},
    {"longer surname above a time", "Jane Doe-Smith\n10:14 AM\n" .. REQUEST},
    {"longer surname before a time", "Jane Doe-Smith 10:14 AM\n" .. REQUEST},
    {"longer surname said", "Jane Doe-Smith said: " .. REQUEST},
    {"longer surname wrote", "On Mon, 7 Dec 2026 at 09:12 Jane Doe-Smith wrote:\n" .. REQUEST},
    {"chinese name", "\u{674E}\u{4F1F}: " .. REQUEST},
    {"chinese name full-width colon", "\u{738B}\u{82B3}\u{FF1A}" .. REQUEST},
    {"japanese name", "\u{7530}\u{4E2D}\u{592A}\u{90CE}: " .. REQUEST},
    {"korean name", "\u{AE40}\u{BBFC}\u{C900}: " .. REQUEST},
    {"arabic name", "\u{0639}\u{0644}\u{064A}: " .. REQUEST},
    {"arabic full name", "\u{0639}\u{0644}\u{064A} \u{062D}\u{0633}\u{0646}: " .. REQUEST},
    {"cyrillic name", "\u{0418}\u{0432}\u{0430}\u{043D} \u{041F}\u{0435}\u{0442}"
        .. "\u{0440}\u{043E}\u{0432}: " .. REQUEST},
    {"greek name", "\u{039D}\u{03AF}\u{03BA}\u{03BF}\u{03C2} \u{03A0}\u{03B1}\u{03C0}"
        .. "\u{03AC}\u{03C2}: " .. REQUEST},
    {"name dash message", "Bob Stone - " .. REQUEST},
    {"name en dash message", "Bob Stone \u{2013} " .. REQUEST},
    {"name em dash message", "Bob Stone \u{2014} " .. REQUEST},
    {"first name dash message in a chat", CHAT .. "Bob - " .. REQUEST},
    {"title dash message", "Dr. Bob Stone - " .. REQUEST},
    {"surname that is a word", "Bob Low: " .. REQUEST},
    {"first name that is a word", "Will Read: " .. REQUEST},
}
for _, row in ipairs(OTHER_SPEAKER_SHAPES) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or own:find(REQUEST, 1, true) then
        report("own words quote speaker " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Bug: these shapes of another person's words read as the writer's own request, so she was
-- challenged for it. They are a quote arrow after a name, a quoted attribution above unmarked
-- lines, "From <name>:" and a verb with a time. A name in look-alike letters, a request
-- written for or on behalf of someone else, and an address that only starts with the
-- writer's did the same. Each row: name, text.
local SMALL_CAPS_NAME = "\u{0299}\u{1D0F}\u{0299} \u{A731}\u{1D1B}\u{1D0F}\u{0274}\u{1D07}"
local FULLWIDTH_NAME = "\u{FF22}\u{FF4F}\u{FF42} \u{FF33}\u{FF54}\u{FF4F}\u{FF4E}\u{FF45}"
local OTHER_SPEAKER_DISGUISES = {
    {"name and arrow", "Bob Stone > " .. REQUEST},
    {"name and double arrow", "Bob Stone >> " .. REQUEST},
    {"name and arrow without space", "Bob Stone> " .. REQUEST},
    {"name and ascii arrows", "Bob Stone -> " .. REQUEST},
    {"name and fat arrow", "Bob Stone => " .. REQUEST},
    {"name and long arrow", "Bob Stone --> " .. REQUEST},
    {"name and unicode arrow", "Bob Stone \u{2192} " .. REQUEST},
    {"name and double unicode arrow", "Bob Stone \u{21D2} " .. REQUEST},
    {"name and heavy arrow", "Bob Stone \u{279C} " .. REQUEST},
    {"name and guillemet", "Bob Stone \u{00BB} " .. REQUEST},
    {"name and single guillemet", "Bob Stone \u{203A} " .. REQUEST},
    {"name and triangle", "Bob Stone \u{25B6} " .. REQUEST},
    {"name and fullwidth arrow", "Bob Stone \u{FF1E} " .. REQUEST},
    {"arrow alone above message", "Bob Stone >\n" .. REQUEST},
    {"quoted attribution above message", "> Bob Stone wrote:\n" .. REQUEST},
    {"quoted dated attribution", "> On Mon, 7 Dec 2026 at 09:12 Bob Stone wrote:\n\n"
        .. REQUEST},
    {"doubly quoted attribution", ">> Bob Stone wrote:\n" .. REQUEST},
    {"from and name", "From Bob Stone: " .. REQUEST},
    {"from and name above message", "From Bob Stone:\n" .. REQUEST},
    {"from name and date", "From Bob Stone on 3 Dec 2026: " .. REQUEST},
    {"from address", "From bob@acme.example: " .. REQUEST},
    {"message from name with date", "Message from Bob Stone (3 Dec 2026): " .. REQUEST},
    {"email received from name", "Email received from Bob Stone: " .. REQUEST},
    {"request from name", "Request from Bob Stone: " .. REQUEST},
    {"wrote on a date", "Bob Stone wrote on 3 Dec 2026: " .. REQUEST},
    {"wrote at a time", "Bob Stone wrote at 09:14: " .. REQUEST},
    {"wrote with date in brackets", "Bob Stone wrote (3 Dec 2026, 09:14):\n" .. REQUEST},
    {"wrote on a day and time", "Bob Stone wrote on Thu, 3 Dec 2026 09:14:\n\n" .. REQUEST},
    {"said yesterday", "Bob Stone said yesterday: " .. REQUEST},
    {"name and a date", "Bob Stone, 3 Dec 2026 09:14: " .. REQUEST},
    {"name on a day", "Bob Stone on Monday: " .. REQUEST},
    {"msg from name", "Msg from Bob Stone: " .. REQUEST},
    {"wrote in teams", "Bob Stone wrote in Teams: " .. REQUEST},
    {"small capitals", SMALL_CAPS_NAME .. ": " .. REQUEST},
    {"small capitals with plain s", "\u{0299}\u{1D0F}\u{0299} s\u{1D1B}\u{1D0F}\u{0274}"
        .. "\u{1D07}: " .. REQUEST},
    {"fullwidth letters", FULLWIDTH_NAME .. ": " .. REQUEST},
    {"fullwidth letters and colon", FULLWIDTH_NAME .. "\u{FF1A}" .. REQUEST},
    {"fullwidth message from", "Message from " .. FULLWIDTH_NAME .. ": " .. REQUEST},
    {"small capitals message from", "Message from " .. SMALL_CAPS_NAME .. ": " .. REQUEST},
    {"mathematical letters message from", "Message from \u{1D5D5}\u{1D5FC}\u{1D5EF} "
        .. "\u{1D5E6}\u{1D601}\u{1D5FC}\u{1D5FB}\u{1D5F2}: " .. REQUEST},
    {"small capitals above a time", "\u{0299}\u{1D0F}\u{0299}\n10:14 AM\n" .. REQUEST},
    {"writer for another", "Jane Doe for Bob Stone: " .. REQUEST},
    {"writer on behalf of another", "Jane Doe on behalf of Bob Stone: " .. REQUEST},
    {"writer obo another", "Jane Doe obo Bob Stone: " .. REQUEST},
    {"writer for another in brackets", "Jane Doe (for Bob Stone): " .. REQUEST},
    {"writer, on behalf of another", "Jane Doe, on behalf of Bob Stone: " .. REQUEST},
    {"writer for first name", "Jane Doe for Bob: " .. REQUEST},
    {"for another alone", "For Bob Stone: " .. REQUEST},
    {"writer for another in a teams line", "[10:14] Jane Doe for Bob Stone: " .. REQUEST},
    {"writer for another in brackets label", "[Jane Doe for Bob Stone] " .. REQUEST},
    {"another via writer", "Bob Stone via Jane Doe: " .. REQUEST},
    {"address longer than writer's", "jane.doe@acme.example.evil.example: " .. REQUEST},
    {"address in angle brackets longer", "<jane.doe@acme.example.evil.example> " .. REQUEST},
    {"address with prefix", "xjane.doe@acme.example: " .. REQUEST},
    {"address with longer domain", "jane.doe@acme.examples: " .. REQUEST},
    {"longer address in a teams line", "[10:14] jane.doe@acme.example.evil.example: "
        .. REQUEST},
    {"longer address in attribution", "On Mon, 30 Nov 2026 at 09:14, "
        .. "<jane.doe@acme.example.evil.example> wrote:\n> " .. REQUEST},
}
for _, row in ipairs(OTHER_SPEAKER_DISGUISES) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or own:find(REQUEST, 1, true) then
        report("own words quote speaker " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- The writer's own lines in the same shapes stay hers, and so do a path of menus, a label
-- after "From", a request for a company or a team, and her address at a sentence's end.
local WRITER_DISGUISES = {
    {"writer and arrow", "Jane Doe > " .. REQUEST},
    {"writer and unicode arrow", "Jane Doe \u{2192} " .. REQUEST},
    {"writer in small capitals", "\u{1D0A}\u{1D00}\u{0274}\u{1D07} \u{1D05}\u{1D0F}"
        .. "\u{1D07}: " .. REQUEST},
    {"writer in fullwidth letters", "\u{FF2A}\u{FF41}\u{FF4E}\u{FF45} \u{FF24}\u{FF4F}"
        .. "\u{FF45}: " .. REQUEST},
    {"writer wrote on a date", "Jane Doe wrote on 3 Dec 2026: " .. REQUEST},
    {"from writer", "From Jane Doe: " .. REQUEST},
    {"writer via another", "Jane Doe via Bob Stone: " .. REQUEST},
    {"writer's quoted attribution", "> Jane Doe wrote:\n" .. REQUEST},
    {"menu path", "Control Panel > User Accounts > " .. REQUEST},
    {"arrow bullet", "\u{2192} " .. REQUEST},
    {"from a day", "From Monday: " .. REQUEST},
    {"from now on", "From now on: " .. REQUEST},
    {"first name on a day", "Bob on Monday: " .. REQUEST},
    {"heading on a day", "Printer Issue on Monday: " .. REQUEST},
    {"sent me this above own words", "Bob sent me this:\n\n    The kiosk is blank.\n\n"
        .. REQUEST},
    {"writer for a company", "Jane Doe for Acme Ltd: " .. REQUEST},
    {"writer on behalf of a team", "Jane Doe on behalf of the finance team: " .. REQUEST},
    {"heading for another", "Access for Bob Stone: " .. REQUEST},
    {"new starter for another", "New starter for Bob Stone: " .. REQUEST},
    {"writer's address then a full stop", "Sent from jane.doe@acme.example.\n" .. REQUEST},
    {"writer's address in a teams line", "[10:14] jane.doe@acme.example: " .. REQUEST},
    {"greek word stays as written", "\u{03AD}\u{03B3}\u{03C1}\u{03B1}\u{03C8}\u{03B5} - "
        .. REQUEST},
}
for _, row in ipairs(WRITER_DISGUISES) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep writer's line " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- The look-alike letters are the sensitive policy's table, written twice because each policy
-- file loads alone. The two tables must stay the same, and every letter the sensitive policy
-- folds in the blocks the table and the arithmetic folds cover must fold alike here, lowercased.
do
    local sensitive_path = script_folder .. "/../../config/policies/sensitive.lua"
    local file = assert(io.open(sensitive_path, "r"))
    local sensitive_source = file:read("a")
    file:close()
    local sensitive_table = sensitive_source:match("local LOOK_ALIKE_TEXT = %[%[\n(.-\n)%]%]")
    checks = checks + 1
    if sensitive_table == nil or sensitive_table ~= policy.LOOK_ALIKE_TEXT then
        report("look-alike table matches the sensitive policy's", "the tables differ")
    end

    local sensitive = assert(load(sensitive_source, "@" .. sensitive_path, "t",
        sandbox_environment()))()
    local BLOCKS = {{0x0180, 0x052F}, {0x1D00, 0x1DBF}, {0x2070, 0x214F}, {0x2460, 0x24FF},
        {0x2776, 0x2793}, {0x2C7C, 0x2C7D}, {0xA730, 0xA7AF}, {0xFF01, 0xFF5E},
        {0x1D400, 0x1D7FF}, {0x1F100, 0x1F1FF}}
    local different = {}
    for _, block in ipairs(BLOCKS) do
        for code = block[1], block[2] do
            local character = utf8.char(code)
            local expected = sensitive.fold_characters(character)
            local actual = policy.fold_look_alikes(character)
            if expected:find("^%w+$") and actual:lower() ~= expected:lower() then
                different[#different + 1] = string.format("U+%04X %q, not %q", code, actual,
                    expected)
            end
        end
    end
    checks = checks + 1
    if #different > 0 then
        report("look-alike letters fold as in the sensitive policy", table.concat(different,
            "; ", 1, math.min(#different, 5)))
    end
end

-- The writer's own line in these shapes stays hers, and so do lines led by a label, a heading
-- in capitals or words that are not a name. Each row: name, text.
local WRITER_SPEAKER_SHAPES = {
    {"writer with title", "Dr. Jane Doe: " .. REQUEST},
    {"writer in capitals", "JANE DOE: " .. REQUEST},
    {"writer in lowercase in a chat", CHAT .. "jane doe: " .. REQUEST},
    {"writer's first name in lowercase in a chat", CHAT .. "jane: " .. REQUEST},
    {"writer full-width colon", "Jane Doe\u{FF1A}" .. REQUEST},
    {"writer dash message", "Jane Doe - " .. REQUEST},
    {"writer in a teams line", "[10:14] Jane Doe: " .. REQUEST},
    {"writer wrote", "On Mon, 7 Dec 2026 at 09:12 Jane Doe wrote:\n" .. REQUEST},
    {"writer after other in capitals", CHAT .. "BOB STONE: can you unlock my account?\n"
        .. "JANE DOE: " .. REQUEST},
    {"urgent in capitals", "URGENT: " .. REQUEST},
    {"important in capitals", "IMPORTANT: " .. REQUEST},
    {"note in capitals", "NOTE: " .. REQUEST},
    {"heading of two words in capitals", "ACTION REQUIRED: " .. REQUEST},
    {"heading please read", "PLEASE READ: " .. REQUEST},
    {"heading high priority", "HIGH PRIORITY: " .. REQUEST},
    {"heading out of office", "OUT OF OFFICE - " .. REQUEST},
    {"heading in capitals in a chat", CHAT .. "URGENT: " .. REQUEST},
    {"label with full-width colon", "Note\u{FF1A}" .. REQUEST},
    {"step with full-width colon", "Step 1\u{FF1A}" .. REQUEST},
    {"lowercase label without a chat", "bob stone: " .. REQUEST},
    {"lowercase words in a chat", CHAT .. "also: " .. REQUEST},
    {"lowercase question in a chat", CHAT .. "quick question: " .. REQUEST},
    {"mixed case words in a chat", CHAT .. "Quick one: " .. REQUEST},
    {"chinese label", "\u{6CE8}\u{610F}: " .. REQUEST},
    {"chinese single character", "\u{95EE}: " .. REQUEST},
    {"heading dash message", "Update - " .. REQUEST},
    {"greeting dash message", "Hi Team - " .. REQUEST},
    {"program dash message", "Outlook - " .. REQUEST},
    {"apology dash message", "Sorry Bob - " .. REQUEST},
    {"first name dash without a chat", "Bob - " .. REQUEST},
    {"day dash message", "Monday Morning - " .. REQUEST},
    {"dash inside a sentence", "My laptop - the new one - " .. REQUEST},
    {"form field title", "Title: Mr\n" .. REQUEST},
}
for _, row in ipairs(WRITER_SPEAKER_SHAPES) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep writer's line " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Bug: the writer's line after another person's chat line was quoted with his, so her own
-- request was held. A line led by her name, first name or e-mail address is hers again. Each
-- row: name, text. The other person's "unlock my account" stays quoted.
local WRITER_SPEAKERS = {
    {"name after other", "Bob Stone: can you unlock my account?\nJane Doe: " .. REQUEST},
    {"first name after other", "Bob: can you unlock my account?\nJane: " .. REQUEST},
    {"teams lines", "[10:14] Bob Stone: can you unlock my account?\n[10:15] Jane Doe: "
        .. REQUEST},
    {"names above times", "Bob Stone\n10:14 AM\ncan you unlock my account?\nJane Doe\n"
        .. "10:15 AM\n" .. REQUEST},
    {"name said after other", "Bob Stone said: can you unlock my account?\nJane Doe said: "
        .. REQUEST},
    {"address after other", "<Bob Stone> can you unlock my account?\njane.doe@acme.example: "
        .. REQUEST},
}
for _, row in ipairs(WRITER_SPEAKERS) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep writer's line " .. row[1], string.format("got %q", tostring(own)))
    end
    checks = checks + 1
    if own ~= nil and own:find("unlock my account", 1, true) then
        report("own words quote other's line " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Lines led by a heading, a form's field, a program or a time name no person, so the request
-- stays the writer's. Each row: name, text.
local NOT_SPEAKERS = {
    {"note", "Note: " .. REQUEST},
    {"subject", "Subject: " .. REQUEST},
    {"re", "Re: " .. REQUEST},
    {"ps", "PS: " .. REQUEST},
    {"update", "Update: " .. REQUEST},
    {"urgent", "Urgent: " .. REQUEST},
    {"urgent in brackets", "[Urgent] " .. REQUEST},
    {"one word in capitals", "[URGENT] " .. REQUEST},
    {"laptop field", "Laptop: Dell XPS 13\n" .. REQUEST},
    {"printer", "Printer: " .. REQUEST},
    {"form naming writer", "Name: Jane Doe\nLaptop: Dell\n" .. REQUEST},
    {"line manager field", "Line Manager: Bob Stone\n" .. REQUEST},
    {"form of one-word labels", "Site: Head Office\nDoor: Rear\nEvent: " .. REQUEST},
    {"step", "Step 1: " .. REQUEST},
    {"time alone", "10:14\n" .. REQUEST},
    {"time of day alone", "Today at 10:14\n" .. REQUEST},
    {"program", "Outlook: " .. REQUEST},
    {"program said", "Authenticator wrote: code expired\n" .. REQUEST},
    {"greeting", "Dear Team: " .. REQUEST},
    {"transcript label", "Transcript: " .. REQUEST},
    {"first name without a chat", "Bob: " .. REQUEST},
    {"writer's own name", "Jane Doe: " .. REQUEST},
    {"name alone without a chat", "Bob Stone\n" .. REQUEST},
}
for _, row in ipairs(NOT_SPEAKERS) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep after " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Chat lines are read only when the caller names the writer: a technician's reply names
-- people freely.
own = policy.own_words("Bob Stone: " .. REQUEST)
checks = checks + 1
if own == nil or not own:find(REQUEST, 1, true) then
    report("own words keep speaker line without writer", string.format("got %q", tostring(own)))
end

-- Bug: the writer's own earlier mail forwarded under a separator ("---------- Forwarded message
-- ---------" above "From: Jane Doe <jane.doe@...>") was read as another person's, so her
-- request in it was held. A forward whose "From:" names her by address or full name is hers.
local OWN_FORWARD_HEADER = "From: Jane Doe <jane.doe@acme.example>\nDate: Mon, 7 Dec 2026 at "
    .. "09:12\nSubject: locked out\nTo: IT <help@msp.example>\n\n"
local OWN_FORWARDS = {
    {"gmail", "Resending.\n\n---------- Forwarded message ---------\n" .. OWN_FORWARD_HEADER
        .. REQUEST},
    {"gmail by full name", "---------- Forwarded message ---------\nFrom: Jane Doe\n"
        .. "Date: Mon, 7 Dec 2026 at 09:12\n\n" .. REQUEST},
    {"outlook", "Resending.\n\n________________________________\nFrom: Jane Doe "
        .. "<jane.doe@acme.example>\nSent: Monday 09:12\nSubject: locked out\n\n" .. REQUEST},
    {"outlook original message", "-----Original Message-----\nFrom: Jane Doe\n"
        .. "Sent: Monday 09:12\n\n" .. REQUEST},
    {"apple", "Begin forwarded message:\n\n" .. OWN_FORWARD_HEADER .. REQUEST},
    {"subject line", "FW: locked out\n" .. OWN_FORWARD_HEADER .. REQUEST},
    {"full name at another address", "---------- Forwarded message ---------\n"
        .. "From: Jane Doe <jane@home.example>\nDate: Mon, 7 Dec 2026 at 09:12\n\n" .. REQUEST},
}
for _, row in ipairs(OWN_FORWARDS) do
    checks = checks + 1
    own = policy.own_words(row[2], WRITER)
    if own == nil or not own:find(REQUEST, 1, true) then
        report("own words keep writer's forward " .. row[1], string.format("got %q", tostring(own)))
    end
    checks = checks + 1
    own = policy.own_words(row[2])
    if own ~= nil and own:find(REQUEST, 1, true) then
        report("own words quote forward " .. row[1] .. " without writer",
            string.format("got %q", tostring(own)))
    end
end

-- A forward from someone else stays quoted: another sender, another sender who shares a
-- writer's only known name, and another person's mail inside her forward.
local OTHER_FORWARDS = {
    {"other sender", WRITER, "---------- Forwarded message ---------\nFrom: Bob Stone "
        .. "<bob@acme.example>\nDate: Mon, 7 Dec 2026 at 09:12\n\n" .. REQUEST},
    {"first name only", {writer_name = "Jane"}, "---------- Forwarded message ---------\n"
        .. "From: Jane Doerr\nDate: Mon, 7 Dec 2026 at 09:12\n\n" .. REQUEST},
    {"other mail inside", WRITER, "---------- Forwarded message ---------\n"
        .. OWN_FORWARD_HEADER .. "Passing this on.\n\nOn Sun, 6 Dec 2026, Bob Stone "
        .. "<bob@acme.example> wrote:\n> " .. REQUEST},
}
for _, row in ipairs(OTHER_FORWARDS) do
    checks = checks + 1
    own = policy.own_words(row[3], row[2])
    if own == nil or own:find(REQUEST, 1, true) then
        report("own words quote forward " .. row[1], string.format("got %q", tostring(own)))
    end
end

-- Replies labelled by RULE.md. Each row: text, expected decision.

local CASES = {
    -- Clear approvals.
    {"Approved, thank you", "approve"},
    {"yes please go ahead", "approve"},
    {"Go ahead please", "approve"},
    {"Please go ahead with the plan", "approve"},
    {"OK, approved.", "approve"},
    {"Sure, go ahead", "approve"},
    {"Yup", "approve"},
    {"Yes - go for it", "approve"},
    {"Proceed as planned.", "approve"},
    {"Approved by me", "approve"},
    {"I approve this plan", "approve"},
    {"I'm happy for you to go ahead", "approve"},
    {"Happy for you to proceed.", "approve"},
    {"You can go ahead", "approve"},
    {"Feel free to proceed", "approve"},
    {"Go ahead and run it", "approve"},
    {"Absolutely, go ahead", "approve"},
    {"Of course", "approve"},
    {"That's fine by me", "approve"},
    {"All fine, go ahead", "approve"},
    {"Looks good, approved", "approve"},
    {"Sounds good to me", "approve"},
    {"Approved \240\159\145\141", "approve"},
    {"\226\156\133 approved", "approve"},
    {"Approved!!", "approve"},
    {"Good to go", "approve"},
    {"You're good to go", "approve"},
    {"Approval granted.", "approve"},
    {"Authorized", "approve"},
    {"Confirmed - go ahead", "approve"},
    {"Approve everything as listed", "approve"},
    {"Yes to all steps", "approve"},
    {"Go ahead, no need to wait for me", "approve"},
    {"No worries, go ahead", "approve"},
    {"Not a problem at all, go ahead", "approve"},
    {"No issues, approved", "approve"},
    {"No problem, go ahead", "approve"},
    {"yes, no problem", "approve"},
    {"Don't see why not, go ahead", "approve"},
    {"Approved, cheers Tom", "approve"},
    {"Just do it please", "approve"},
    {"ok do it", "approve"},
    {"Do it.", "approve"},
    {"LGTM, ship it", "approve"},
    {"yes pls", "approve"},
    {"Yes, that's fine", "approve"},
    {"Approved, thanks for checking", "approve"},
    {"Thanks, approved", "approve"},
    {"Hi Halyard,\n\nApproved.\n\nThanks,\nPriya", "approve"},
    {"Morning - yes, go ahead.", "approve"},
    {"Approved. FYI the user is in the office today.", "approve"},
    {"Go ahead, the user is expecting it.", "approve"},
    {"Yes, go ahead, she's aware.", "approve"},
    {"Yes, approved. Let me know when it's done.", "approve"},
    {"Approved - let me know if anything goes wrong.", "approve"},
    {"Go ahead right away", "approve"},
    {"Y", "approve"},
    {"approvd", "approve"},
    {"proceeed", "approve"},
    {"go ahed", "approve"},
    {"aproved, thanks", "approve"},
    {"<div>Approved</div><div><br></div><div>Thanks,</div><div>Sam</div>", "approve",
        {writer_name = "Sam"}},
    {"Approved\n\nSent from my iPad", "approve"},
    {"Go ahead.\n\n-- \nJo Bloggs\nService Desk Lead", "approve"},
    {"Approved.\n\n> Halyard asks for approval to run these steps.\n> Reply \"deny\" to stop.",
        "approve"},
    {"> Halyard asks for approval to run these steps.\n> Reply \"deny\" to stop.\n\n"
        .. "Yes, go ahead.", "approve"},
    {"<p>Go&nbsp;ahead</p>", "approve"},
    {"<div>Yes</div><div class=\"gmail_quote\">On Tue wrote:<blockquote>Reply deny"
        .. "</blockquote></div>", "approve"},
    {"<p>Approved</p><hr><div id=\"divRplyFwdMsg\"><b>From:</b> Halyard</div><div>Reply "
        .. "&quot;deny&quot; to stop</div>", "approve"},
    {"<p>Go ahead &#8211; thanks</p>", "approve"},

    -- Clear refusals.
    {"No, do not proceed.", "deny"},
    {"Denied, wrong user", "deny"},
    {"Rejected.", "deny"},
    {"I do not approve", "deny"},
    {"I can't approve this.", "deny"},
    {"Please don't do this", "deny"},
    {"Don't", "deny"},
    {"Do not run this", "deny"},
    {"Cancel it please", "deny"},
    {"Please cancel", "deny"},
    {"Abort!", "deny"},
    {"Stop, do not reset anything", "deny"},
    {"Nope, not happening", "deny"},
    {"No - she's already sorted it", "deny"},
    {"No thank you", "deny"},
    {"Definitely not", "deny"},
    {"Under no circumstances", "deny"},
    {"Forget it, the user has left the company", "deny"},
    {"Don't bother, she fixed it", "deny"},
    {"No need, it resolved itself", "deny"},
    {"Not needed any more", "deny"},
    {"Leave her account alone", "deny"},
    {"Don't touch anything", "deny"},
    {"Do not reset the password", "deny"},
    {"Decline", "deny"},
    {"I'm rejecting this", "deny"},
    {"Refused.", "deny"},
    {"Not authorised.", "deny"},
    {"This is not approved.", "deny"},
    {"No. Wrong tenant.", "deny"},
    {"NO WAY", "deny"},
    {"nah", "deny"},
    {"N", "deny"},
    {"Scrap that, she's found her phone", "deny"},
    {"Please stop", "deny"},
    {"Request denied", "deny"},
    {"I won't approve this", "deny"},
    {"I'd never approve this", "deny"},
    {"Do not approve", "deny"},
    {"Not approved. The client hasn't signed the form.", "deny"},
    {"Absolutely not, that's the finance director", "deny"},
    {"Approved. On second thought, no - don't.", "deny"},
    {"Yes, please cancel it", "deny"},
    {"No.\n\nSent from my iPhone", "deny"},
    {"<p>Denied</p><p>Kind regards,<br>Sam</p>", "deny"},
    {"<p>Don&#39;t go ahead</p>", "deny"},
    {"<p>no</p><blockquote>Approved</blockquote>", "deny"},
    {"<style>p { color: red }</style><p>Denied</p>", "deny"},
    {"Denied.\n\nOn Tue, 4 Mar 2025 at 10:12, Halyard <h@msp.example> wrote:\n> Approve?",
        "deny"},

    -- Neutral: conditions, deferrals, partial answers, changes, questions, hedges.
    {"Approve once the user has called back", "neutral"},
    {"Go ahead after 5pm", "neutral"},
    {"Approved for tomorrow morning", "neutral"},
    {"Yes but only the unlock", "neutral"},
    {"Go ahead but skip the session revoke", "neutral"},
    {"Approved except step 2", "neutral"},
    {"Approve step 1 only", "neutral"},
    {"Approve steps 1-3", "neutral"},
    {"go ahead with the password reset only", "neutral"},
    {"Go ahead with the reset", "neutral"},
    {"Yes, and also disable her old phone", "neutral"},
    {"Approved, and do the same for Tom", "neutral"},
    {"Go ahead, but reset her MFA as well", "neutral"},
    {"Go ahead, don't forget to tell her", "neutral"},
    {"Go ahead and also reset Tom's password", "neutral"},
    {"Can you confirm the user's identity first?", "neutral"},
    {"Why the revoke?", "neutral"},
    {"What does step 2 do?", "neutral"},
    {"Is this urgent?", "neutral"},
    {"Should I cancel this?", "neutral"},
    {"Approved?", "neutral"},
    {"Should be fine", "neutral"},
    {"Probably OK", "neutral"},
    {"I guess so", "neutral"},
    {"Fine I guess", "neutral"},
    {"Go ahead, I guess", "neutral"},
    {"Seems ok", "neutral"},
    {"I would say yes", "neutral"},
    {"I'd approve it but it's not my call", "neutral"},
    {"If it were me I'd go ahead", "neutral"},
    {"no objections", "neutral"},
    {"no problem at all", "neutral"},
    {"I don't have a problem with this", "neutral"},
    {"Not opposed to it", "neutral"},
    {"The client has approved this", "neutral"},
    {"Sarah said go ahead", "neutral"},
    {"Her manager approved it by email", "neutral"},
    {"Dave says yes", "neutral"},
    {"Approved by Sarah", "neutral"},
    {"ok", "neutral"},
    {"thanks, will check", "neutral"},
    {"\240\159\145\141\240\159\145\141", "neutral"},
    {"<p>&#x1F44D;</p>", "neutral"},
    {"Ja", "neutral"},
    {"Oui, allez-y", "neutral"},
    {"S\195\173, adelante", "neutral"},
    {"Va bene, procedi", "neutral"},
    {"wait until Monday", "neutral"},
    {"Not yet - she's in a meeting", "neutral"},
    {"Hold on, let me check with the client", "neutral"},
    {"I'll approve it after lunch", "neutral"},
    {"Let me look at this later", "neutral"},
    {"Will review shortly", "neutral"},
    {"Not now", "neutral"},
    {"Don't go ahead until the client confirms", "neutral"},
    {"Don't do it today, wait for Monday", "neutral"},
    {"Please hold off until tomorrow", "neutral"},
    {"Not approved yet", "neutral"},
    {"Yes, that's correct", "neutral"},
    {"Yes, her number is 020 7946 0000", "neutral"},
    {"Yes, she called this morning", "neutral"},
    {"Approved the licence request in the portal", "neutral"},
    {"Approved - wrong ticket, sorry", "neutral"},
    {"APPROVED (for the other ticket)", "neutral"},
    {"Sure, because that worked so well last time", "neutral"},
    {"Great plan, what could possibly go wrong", "neutral"},
    {"No, go ahead", "neutral"},
    {"Yes. No. Maybe.", "neutral"},
    {"Denied - just kidding, approved", "neutral"},
    {"Yeah nah", "neutral"},
    {"yes!!! wait no", "neutral"},
    {"Approved... not", "neutral"},
    {"Proceed with caution", "neutral"},
    {"Sure, whatever", "neutral"},
    {"If the user confirms, go ahead", "neutral"},
    {"Go ahead if she's happy", "neutral"},
    {"Go ahead provided the backup finished", "neutral"},
    {"Yes as long as you notify the user", "neutral"},
    {"Go ahead once Sarah confirms", "neutral"},
    {"Go ahead, unless the user objects", "neutral"},
    {"Approved in principle, but check with Tom first", "neutral"},
    {"yes - after the backup", "neutral"},
    {"Go ahead tomorrow", "neutral"},
    {"Only reset the password", "neutral"},
    {"Just the unlock please", "neutral"},
    {"All except the revoke", "neutral"},
    {"cancel? why?", "neutral"},
    {"Automatic reply: Out of office", "neutral"},
    {"I am out of the office until Monday 10 March.", "neutral"},
    {"<blockquote>Approved</blockquote><p>Thanks</p>", "neutral"},
    {"Thanks\n\n> Approved", "neutral"},
    {"Forwarding the client's approval below.\n\n---------- Forwarded message ---------\n"
        .. "From: Dave <d@contoso.example>\nDate: Tue\nSubject: ok\n\nApproved", "neutral"},
    {"Thanks\n\nTom\nApproved Partner", "neutral"},
    {"Noted\n--\nYES IT Services", "neutral"},
    {"<!-- approved --><p>Thanks</p>", "neutral"},
    {"Approve? Let me think about it.", "neutral"},

    -- Second set: everyday wording, HTML and mail layouts.
    {"Yes, please proceed.", "approve"},
    {"Approved - please action", "approve"},
    {"approved, please go ahead and action", "approve"},
    {"Go ahead mate", "approve"},
    {"go ahead with it", "approve"},
    {"Go ahead and do it", "approve"},
    {"Yep go for it", "approve"},
    {"Yes, do it", "approve"},
    {"Yes, run it", "approve"},
    {"Approved, run it now", "approve"},
    {"yes that's ok", "approve"},
    {"That's OK, go ahead", "approve"},
    {"Fine, go ahead", "approve"},
    {"Approve", "approve"},
    {"APPROVE", "approve"},
    {"approve.", "approve"},
    {"Approved :)", "approve"},
    {"Approved, nice work", "approve"},
    {"Approved, great work on the plan", "approve"},
    {"Good plan, go ahead", "approve"},
    {"Plan looks good, approved", "approve"},
    {"The plan looks fine to me, go ahead", "approve"},
    {"All good, go ahead", "approve"},
    {"All approved", "approve"},
    {"I've approved it", "approve"},
    {"I have approved this", "approve"},
    {"This is approved", "approve"},
    {"Consider it approved", "approve"},
    {"You have my approval", "approve"},
    {"You've got my approval", "approve"},
    {"Yes I approve", "approve"},
    {"Yes, I approve the plan", "approve"},
    {"Happy to approve", "approve"},
    {"Happy with this, go ahead", "approve"},
    {"I'm happy with that", "approve"},
    {"yes, happy for this to go ahead", "approve"},
    {"Go", "approve"},
    {"Proceed.", "approve"},
    {"pls proceed", "approve"},
    {"kindly proceed", "approve"},
    {"Please proceed, thanks", "approve"},
    {"Please go ahead, thank you!", "approve"},
    {"Go ahead - thanks for checking with me", "approve"},
    {"Thanks for the heads up, go ahead", "approve"},
    {"Thanks for asking. Approved.", "approve"},
    {"Yes. Thanks.", "approve"},
    {"yes\n\nthanks\nSam", "approve", {writer_name = "Sam"}},
    {"Approved\n\nKind regards\n\nSam Okafor\nNorthwind IT Ltd\n020 7946 0123", "approve",
        {writer_name = "Sam Okafor"}},
    {"Approved.\n\n"
        .. "This email and any attachments are confidential and intended solely for the "
        .. "addressee.", "approve"},
    {"Approved\n________________________________\nFrom: Halyard <h@msp.example>\n"
        .. "Sent: Tuesday\nTo: Sam\nSubject: Approval needed\n\nReply deny", "approve"},
    {"<html><body><p>Approved</p></body></html>", "approve"},
    {"<div dir=\"ltr\">Yes please</div>", "approve"},
    {"<p>Go ahead.<br></p><p><br></p><div class=\"gmail_signature\">Sam<br>Northwind</div>",
        "approve", {writer_name = "Sam"}},
    {"Approved\r\n\r\nSent from Outlook for iOS", "approve"},
    {"Go ahead\n\nOn 4 Mar 2025, at 10:12, Halyard <h@msp.example> wrote:\n\n> Reply deny",
        "approve"},
    {"Approved. Cheers, Sam", "approve", {writer_name = "Sam"}},
    {"Approved! cheers", "approve"},
    {"Confirm", "approve"},
    {"I confirm, go ahead", "approve"},
    {"yes confirmed", "approve"},
    {"aprooved", "neutral"},
    {"proced", "approve"},
    {"apporved", "approve"},
    {"go ahaed please", "approve"},
    {"Approoved!", "approve"},
    {"No, please don't", "deny"},
    {"No please", "deny"},
    {"no, leave it", "deny"},
    {"Do not proceed with this.", "deny"},
    {"Don't proceed", "deny"},
    {"Please do not approve this", "deny"},
    {"Not approved, sorry", "deny"},
    {"Sorry, not approved", "deny"},
    {"Sorry, no", "deny"},
    {"I'm afraid not", "deny"},
    {"Not this time", "deny"},
    {"No - cancel", "deny"},
    {"Cancel the request", "deny"},
    {"Cancel this request please, duplicate ticket", "deny"},
    {"Stop the run", "deny"},
    {"Stop!", "deny"},
    {"Abort the plan", "deny"},
    {"Kill it", "deny"},
    {"I reject this", "deny"},
    {"Rejected - wrong user", "deny"},
    {"I decline", "deny"},
    {"Deny.", "deny"},
    {"denied!", "deny"},
    {"Denied\n\nRegards\nTom", "deny"},
    {"No, the user is on leave", "deny"},
    {"Nope.", "deny"},
    {"No!!!", "deny"},
    {"no no no", "deny"},
    {"Don't do that", "deny"},
    {"Don't do anything", "deny"},
    {"Don't reset anything, she's fine now", "deny"},
    {"Do not revoke her sessions", "deny"},
    {"Please don't revoke anything", "deny"},
    {"No reset please", "deny"},
    {"Not approved - the user already reset it herself", "deny"},
    {"I'm not approving that", "deny"},
    {"Won't approve", "deny"},
    {"I will not approve this", "deny"},
    {"This should not go ahead", "deny"},
    {"We shouldn't do this", "deny"},
    {"Nah, leave it for now", "neutral"},
    {"Don't go ahead with any of it", "deny"},
    {"Cancelled", "deny"},
    {"deniedd", "deny"},
    {"rejectd", "deny"},
    {"cancell", "deny"},
    {"<p>Please cancel&nbsp;this.</p>", "deny"},
    {"<p>No.</p><div class=\"gmail_quote\">On Tue wrote:<blockquote>Approve?</blockquote></div>",
        "deny"},
    {"Go ahead at 6", "neutral"},
    {"Go ahead this evening", "neutral"},
    {"Approved from Monday", "neutral"},
    {"Approve but wait until she's off the call", "neutral"},
    {"Approve after she confirms", "neutral"},
    {"Approved pending manager sign-off", "neutral"},
    {"Yes, once the backup has finished", "neutral"},
    {"Go ahead when the user is back", "neutral"},
    {"Yes, subject to the client's OK", "neutral"},
    {"Approve the reset, not the revoke", "neutral"},
    {"Yes to the reset, no to the revoke", "neutral"},
    {"Do the reset but not the revoke", "neutral"},
    {"Go ahead with step 1", "neutral"},
    {"Go ahead with the first step", "neutral"},
    {"Approve 1, deny 2", "neutral"},
    {"Just the password reset", "neutral"},
    {"Reset only", "neutral"},
    {"Go ahead, but use her personal email", "neutral"},
    {"Approved, but please also reset her MFA", "neutral"},
    {"Go ahead and add Tom too", "neutral"},
    {"Approved. Also please disable the old account.", "neutral"},
    {"Approved, plus add her to the Sales group", "neutral"},
    {"Go ahead but call her first", "neutral"},
    {"Go ahead, call her first though", "neutral"},
    {"Yes - tell the user beforehand", "neutral"},
    {"Approve? Which user?", "neutral"},
    {"Which Jane Smith is this?", "neutral"},
    {"Are you sure this is the right account", "neutral"},
    {"Has the user confirmed?", "neutral"},
    {"Is the backup done?", "neutral"},
    {"why", "neutral"},
    {"What's the risk here?", "neutral"},
    {"Go ahead?", "neutral"},
    {"Approved? Not sure what this is", "neutral"},
    {"I think it's fine", "neutral"},
    {"Looks ok I think", "neutral"},
    {"Should be OK to go ahead", "neutral"},
    {"Probably fine, go ahead", "neutral"},
    {"Maybe", "neutral"},
    {"Not sure", "neutral"},
    {"I'm not sure", "neutral"},
    {"Hmm", "neutral"},
    {"I don't mind", "neutral"},
    {"no objection from me", "neutral"},
    {"Fine with me if the client agrees", "neutral"},
    {"Client approved it", "neutral"},
    {"Tom approved it this morning", "neutral"},
    {"The customer said yes", "neutral"},
    {"Sarah from HR says go ahead", "neutral"},
    {"Priya: approved", "neutral"},
    {"Manager says no", "neutral"},
    {"The user declined", "neutral"},
    {"Received", "neutral"},
    {"Noted, thanks", "neutral"},
    {"Will do", "neutral"},
    {"On it", "neutral"},
    {"Looking into it", "neutral"},
    {"Thanks for letting me know", "neutral"},
    {"cheers", "neutral"},
    {"k", "neutral"},
    {"okay", "neutral"},
    {"OK.", "neutral"},
    {"ok ok", "neutral"},
    {"Got it", "neutral"},
    {"Ta", "neutral"},
    {"Sure thing, I'll check with the client", "neutral"},
    {"Yes, I'll call her", "neutral"},
    {"Yes, she's in the office today", "neutral"},
    {"Yes that is her account", "neutral"},
    {"Yes, correct user", "neutral"},
    {"Yes, it's urgent", "neutral"},
    {"Yes, the user called me", "neutral"},
    {"Approved the other one, not this", "neutral"},
    {"Approved on ticket 4243", "neutral"},
    {"approved for Fabrikam", "neutral"},
    {"Oh sure, great idea", "neutral"},
    {"Yeah right", "neutral"},
    {"lol no", "deny"},
    {"Approve, approve, approve... just kidding, no", "neutral"},
    {"No. Yes. Go ahead.", "neutral"},
    {"Denied. No wait, approved.", "neutral"},
    {"Go ahead. Actually, hold off.", "neutral"},
    {"Approved. Actually wait.", "neutral"},
    {"Yes - no - I need to check", "neutral"},
    {"Stop and wait for me", "neutral"},
    {"Don't cancel, just wait", "neutral"},
    {"Don't cancel it", "neutral"},
    {"Don't approve yet", "neutral"},
    {"Don't do it until tomorrow", "neutral"},
    {"Not until Monday", "neutral"},
    {"No, wait for the client", "neutral"},
    {"Not today", "neutral"},
    {"Later", "neutral"},
    {"Give me 10 minutes", "neutral"},
    {"Let me speak to the client", "neutral"},
    {"I need to check something first", "neutral"},
    {"ask me again tomorrow", "neutral"},
    {"I'll let you know", "neutral"},
    {"Out of office until 12 March", "neutral"},
    {"I'm on holiday until Monday, contact the service desk", "neutral"},
    {"Ja, mach das", "neutral"},
    {"oui", "neutral"},
    {"D'accord", "neutral"},
    {"Claro que sí", "neutral"},
    {"Ok, dai, procedi pure", "neutral"},
    {"Goedgekeurd", "neutral"},
    {"Да", "neutral"},
    {"はい", "neutral"},
    {"Yes Computing Ltd\nRegistered in England", "neutral"},
    {"Thanks,\n\nTom\n\nApproved Microsoft Partner", "neutral"},
    {"Thanks\n\nSent from my iPhone\n\nOn Tue wrote:\n> Approved", "neutral"},
    {"<div>Thanks</div><div><br></div><div class=\"gmail_quote\"><blockquote>yes approved go "
        .. "ahead</blockquote></div>", "neutral"},
    {"FYI\n\n-----Original Message-----\nFrom: Dave\nSent: Tue\nSubject: RE\n\n"
        .. "Approved, go ahead", "neutral"},
    {"See client's approval below\n\nFrom: Dave\nSent: Tue\nTo: me\n\nApproved", "neutral"},
    {"\"Approved\"", "neutral"},
    {"She said \"approved\"", "neutral"},
    {"Approved (by the client)", "neutral"},
    {"No problem", "neutral"},
    {"Not a problem", "neutral"},
    {"No issues here", "neutral"},
    {"can't see any reason not to", "neutral"},
    {"Why not", "neutral"},
    {"Sure, why not", "neutral"},
    {"Yes if you must", "neutral"},
    {"If you have to", "neutral"},
    {"Your call", "neutral"},
    {"Up to you", "neutral"},
    {"Do what you think is best", "neutral"},
    {"Whatever you think", "neutral"},
    {"Fine, whatever", "neutral"},
    -- Third set: greetings, signatures, time limits, scope.
    {"Hi team,\n\nYes please go ahead with this.\n\nMany thanks,\nSarah Jones\n"
        .. "IT Manager | Contoso", "approve"},
    {"Hi Sam, yes go ahead", "approve"},
    {"Dear Halyard,\n\nYes.\n\nBest,\nSam", "approve"},
    {"<p>Yes<br>Sam</p>", "approve", {writer_name = "Sam"}},
    {"Yes\nSam", "approve", {writer_name = "Sam"}},
    {"<p>Approved</p><table><tr><td>Sam Okafor</td><td>Approved Microsoft Partner</td></tr>"
        .. "</table>", "approve"},
    {"Approved, she's been verified", "approve"},
    {"Yes, she's been verified", "neutral"},
    {"Yes, verified, go ahead", "approve"},
    {"Don't worry, approved", "approve"},
    {"Yes, definitely", "approve"},
    {"Definitely", "approve"},
    {"YES.", "approve"},
    {"yes!", "approve"},
    {"NOT APPROVED", "deny"},
    {"not approved!!!", "deny"},
    {"Not OK", "deny"},
    {"I'm not happy with this", "deny"},
    {"Bad idea, don't", "deny"},
    {"I'd hold off", "neutral"},
    {"Don't proceed yet", "neutral"},
    {"Please wait", "neutral"},
    {"Wait!", "neutral"},
    {"STOP", "deny"},
    {"stop stop stop", "deny"},
    {"Can you check with me before doing this", "neutral"},
    {"> 1. reset password\nyes\n> 2. revoke sessions\nno", "neutral"},
    {"Approved for both", "approve"},
    {"Go ahead with Jane's reset", "neutral"},
    {"Go ahead, it's fine", "approve"},
    {"Go ahead, it is what it is", "approve"},
    {"I trust you, go ahead", "approve"},
    {"Go ahead, you know what you're doing", "approve"},
    {"Yep, crack on", "approve"},
    {"Approved\n\nTom Lee | Service Delivery Manager\nNorthwind IT | 020 7946 0999\n"
        .. "www.northwind.example", "approve"},
    {"Go ahead\n\nThanks\nTom\n\nNorthwind IT Ltd - Approved Microsoft Partner\n"
        .. "Registered in England and Wales No. 0000000", "approve"},
    {"Approved.\n\n\n________________________________\nFrom: Halyard\n"
        .. "Sent: 04 March 2025 10:12\nTo: Tom\nSubject: Approval needed\n\n> Reply deny",
        "approve"},
    {"Yes, go ahead.\n\nOn Tue, Mar 4, 2025 at 10:12 AM Halyard <\n"
        .. "halyard@msp.example> wrote:\n\n> Halyard asks for approval\n", "approve"},
    {"Please proceed with the password reset and session revoke.", "neutral"},
    {"Go ahead with both steps", "approve"},
    {"go ahead with all steps", "approve"},
    {"Approve all steps except the revoke", "neutral"},
    {"Denied for now", "neutral"},
    {"No for now", "neutral"},
    {"Rejected until the client confirms", "neutral"},
    {"Not approved until I speak to Sarah", "neutral"},
    {"Not yet approved", "neutral"},
    {"Approved. Do it tonight though.", "neutral"},
    {"Approved - run it out of hours", "neutral"},
    {"Yes but do it after 6", "neutral"},
    {"Yes, go ahead at 17:30", "neutral"},
    {"Go ahead now please", "approve"},
    {"Approved, go now", "approve"},
    {"You may proceed", "approve"},
    {"Go ahead, you have my blessing", "approve"},
    {"yes yes go", "approve"},
    {"Okay go ahead", "approve"},
    {"ok go", "approve"},
    {"OK, proceed", "approve"},
    {"ok, yes", "approve"},
    {"OK 👍 go ahead", "approve"},
    {"Go ahead 👍👍", "approve"},
    {"no", "deny"},
    {"No 👎", "deny"},
    {"👎", "neutral"},
    {"❌", "neutral"},
    {"✅", "neutral"},
    {"No, I'll handle it myself", "deny"},
    {"No, leave it with me", "deny"},
    {"Leave this one to me", "neutral"},
    {"I'll do it myself", "neutral"},
    {"I'll sort it", "neutral"},
    {"Don't worry about it, I've done it", "neutral"},
    {"Already done, cancel", "deny"},
    {"Already sorted, no need", "deny"},
    {"The user has already reset it, please cancel", "deny"},
    {"Yes to cancelling", "neutral"},
    {"Cancel? Yes.", "neutral"},
    {"Should we cancel? No, go ahead", "neutral"},
    {"Approved (sorry for the delay)", "approve"},
    {"Sorry for the delay - approved", "approve"},
    {"Sorry, approved", "approve"},
    {"Sorry, I can't approve this", "deny"},
    {"I can't approve this, I'm not her line manager", "deny"},
    {"I'm not the right person to approve this", "neutral"},
    {"Not my call - ask Sarah", "neutral"},
    {"Ask Sarah", "neutral"},
    {"Sarah needs to approve this", "neutral"},
    {"Needs manager approval", "neutral"},
    {"This needs approval from the client first", "neutral"},
    {"Approval required from the client", "neutral"},
    {"Client approval attached", "neutral"},
    {"Approved by client, see attached. Go ahead.", "approve"},
    {"Approve it", "approve"},
    {"Approve them", "approve"},
    {"Approve all", "approve"},
    {"approve both", "approve"},
    {"Approved in full", "approve"},
    {"Fully approved", "approve"},
    {"Approved with thanks", "approve"},
    {"Approved with conditions", "neutral"},
    {"Approved, with one change: use her work phone", "neutral"},
    {"Approved on condition that she calls first", "neutral"},
    {"Approved subject to CAB", "neutral"},
    {"approved as discussed", "approve"},
    {"Approved as per our call", "approve"},
    {"go ahead as discussed", "approve"},
    {"Approved - as discussed with Sarah", "approve"},
    -- Fourth set: quotation, negation scope, stretched words, text after a signature.
    {"Approved\nThanks,\nTom\nP.S. don't do the revoke", "neutral"},
    {"Approved\n\nTom\nPS only the reset", "neutral"},
    -- A last line with a number that asks for a call first is a condition, not a contact
    -- line; a contact line, or a call asked for if something breaks, is not.
    {"Approved\n\nCall me first - ext 1234", "neutral"},
    {"Approved\n\nRing me before 1700 - ext 2201", "neutral"},
    {"Go ahead\n\nPing me first on 07700 900123", "neutral"},
    {"Approved\n\nDon't start until you call me - 07700 900123", "neutral"},
    {"Approved\n\nCall me on 07700 900123 if anything breaks", "approve"},
    {"Approved\n\nSam\nMobile: 07700 900123", "approve", {writer_name = "Sam"}},
    {"Approved\n\nSam Lead\nService Desk - ext 1234", "approve", {writer_name = "Sam Lead"}},
    {"Approved, ping me if it fails", "approve"},
    {"Go ahead\n\nRegards,\nTom\n\nActually no, don't", "deny"},
    {"Approved\n\nKind regards\nTom Lee\nT: 020 7946 0123\ntom@northwind.example", "approve",
        {writer_name = "Tom Lee"}},
    {"Approved. The client said \"no\" though.", "neutral"},
    {"Approved, please proceed at your earliest convenience", "approve"},
    {"Approved. Please update the ticket once complete.", "approve"},
    {"Approved, nice one", "approve"},
    {"Change approved", "approve"},
    {"Cancel - the user left the company last Friday", "deny"},
    {"No, not before Monday", "neutral"},
    {"Denied, see the other ticket", "deny"},
    {"Approved, see the other ticket", "neutral"},
    {"Denied - wrong ticket, ignore", "neutral"},
    {"N/A", "neutral"},
    {"Y/N", "neutral"},
    {"Go ahead? Absolutely not.", "deny"},
    {"Go ahead is not what I'd say", "neutral"},
    {"yes, I mean no", "deny"},
    {"Approve-ish", "neutral"},
    {"go ahead (not)", "neutral"},
    {"Approved - pending", "neutral"},
    {"Go ahead unless you hear otherwise", "neutral"},
    {"go ahead if ok", "neutral"},
    {"Approve approve approve", "approve"},
    {"go ahead, but...", "neutral"},
    {"Approved?!", "neutral"},
    {"Approved ?", "neutral"},
    {"'Approved' - that's what the client said", "neutral"},
    {"Approved - that's what the client said", "neutral"},
    {"The client says: approved", "neutral"},
    {"From the client: approved", "neutral"},
    {"Client's reply: approved", "neutral"},
    {"Sarah's approval: yes", "neutral"},
    {"1. yes\n2. yes", "neutral"},
    {"I'm not sure we should go ahead", "neutral"},
    {"I wouldn't go ahead", "deny"},
    {"I'd not go ahead yet", "neutral"},
    {"She wrote 'go ahead' in her email", "neutral"},
    {"He replied \"yes\"", "neutral"},
    {"\"Yes, go ahead\" - Dave", "neutral"},
    {"Dave: \"go ahead\"", "neutral"},
    {"It's 'approved' in the portal", "neutral"},
    {"Go ahead, don't worry about it", "approve"},
    {"Yes, don't worry", "approve"},
    {"Don't worry, go ahead", "approve"},
    {"Go ahead - she's aware and expecting it", "approve"},
    {"Approved. Here's the user's number: 020 7946 0000", "approve"},
    {"No! Wait. Yes. Go ahead.", "neutral"},
    {"I said go ahead", "neutral"},
    {"Told you already, go ahead", "approve"},
    {"As I said, approved", "approve"},
    {"Go ahead, as I said", "approve"},
    {"no, no, no", "deny"},
    {"noooo don't", "deny"},
    {"yesss", "approve"},
    {"Yes yes yes", "approve"},
    {"yes sir", "approve"},
    {"Aye, go ahead", "approve"},
    -- Fifth set: refusal wordings, decisions joined by "and" or named to a source, hidden
    -- HTML, ability against permission, and negations that only explain.
    {"We're not doing this.", "deny"},
    {"Stop everything.", "deny"},
    {"Leave everything as it is.", "deny"},
    {"No changes please.", "deny"},
    {"Please do not action.", "deny"},
    {"I'm unable to approve this.", "deny"},
    {"This isn't needed, please close.", "deny"},
    {"Not approved; the account is under a legal hold.", "deny"},
    {"Refused - she is suspended pending a review.", "deny"},
    {"My answer is no.", "deny"},
    {"That's a hard no.", "deny"},
    {"No to all of it.", "deny"},
    {"No to the revoke.", "deny"},
    {"I'm not happy to go ahead with this.", "deny"},
    {"Not comfortable approving this one.", "deny"},
    {"Absolutly not", "deny"},
    {"I don't agree with this plan.", "deny"},
    {"No. She's on maternity leave, leave the account alone.", "deny"},
    {"Cancel - duplicate of ticket 4240.", "deny"},
    {"Yes to the reset, no to the revoke.", "neutral"},
    {"No, pending HR review.", "neutral"},
    {"the client's answer is no", "neutral"},
    {"They say no.", "neutral"},
    {"I'd say no.", "neutral"},
    {"The client called and approved.", "neutral"},
    {"Dave has reviewed and approved it.", "neutral"},
    {"Her manager emailed and agreed.", "neutral"},
    {"Dave - approved.", "neutral"},
    {"Per Dave: go ahead.", "neutral"},
    {"According to the client, it's approved.", "neutral"},
    {"On behalf of the client: approved.", "neutral"},
    {"As per the client, go ahead.", "neutral"},
    {"Approved by: Dave Ross (client)", "neutral"},
    {"<div style=\"display:none\">Approved</div><p>Thanks</p>", "neutral"},
    {"<p hidden>go ahead</p><p>Noted</p>", "neutral"},
    {"Yes I can approve these.", "neutral"},
    {"Can approve.", "neutral"},
    {"We can go ahead.", "neutral"},
    {"Reply \"approved\" to run them.", "neutral"},
    {"Approved - ticket 4241.", "neutral"},
    {"Go ahead in the morning.", "neutral"},
    {"Go ahead first thing.", "neutral"},
    {"Go ahead, Jane doesn't need the reset.", "neutral"},
    {"Go ahead, they don't want the revoke.", "neutral"},
    {"Approved, she isn't sure.", "neutral"},
    {"Approved, she won't be in till Monday.", "neutral"},
    {"Sorry, ignore my last reply.", "neutral"},
    {"The client called and I approved.", "approve"},
    {"Go ahead, it's not urgent.", "approve"},
    {"Go ahead, she can't log in at all.", "approve"},
    {"Yes go ahead, he doesn't use the app anyway.", "approve"},
    {"You may proceed.", "approve"},
    {"Sorry, ignore my previous message - approved.", "approve"},
    {"Please action this.", "approve"},
    {"Yes, please run everything.", "approve"},
    {"Approved, she called in and confirmed it's her.", "approve"},
    {"Client rang - go ahead.", "approve"},
    {"Nothing wrong with it, go ahead.", "approve"},
    {"Never had a problem with this before, approved.", "approve"},
    -- Sixth set: refusals beside explanations, refusal wordings, self-corrections, approvals
    -- with thanks or urgency, conditions and changes in many wordings, and signatures.
    {"Please don't - if we reset it she'll be locked out of the banking app.", "deny"},
    {"No. If you revoke her sessions she loses the whole presentation.", "deny"},
    {"No, the account is being deleted tomorrow anyway.", "deny"},
    {"Cancel it, the user leaves on Friday and HR will disable the account then.", "deny"},
    {"Not approved. She's on leave until next week and doesn't need access.", "deny"},
    {"No - ignore the alert, it was a false positive.", "deny"},
    {"Denied. If she needs access she can raise a request herself.", "deny"},
    {"Don't do this. When we did it last time she was locked out for a day.", "deny"},
    {"Stop - the user will be back in the office later and can sort it at her desk.", "deny"},
    {"No thanks, we'll deal with it when she's back.", "deny"},
    {"No. Her account is on hold for legal reasons.", "deny"},
    {"Reject. We only reset passwords for users who call in.", "deny"},
    {"Don't - she's presenting to the board in an hour.", "deny"},
    {"No need, she's sorted it herself this morning.", "deny"},
    {"Not happening today or any day - this is the CFO.", "deny"},
    {"Cancel. I'll handle it myself later.", "deny"},
    {"No, I'll do it myself.", "deny"},
    {"Don't, I'll call her myself tomorrow.", "deny"},
    {"No, not if she's still in the meeting.", "neutral"},
    {"No, wait until she's back.", "neutral"},
    {"Not now - later.", "neutral"},
    {"No, not until tomorrow.", "neutral"},
    {"Don't do it until I've checked.", "neutral"},
    {"No. Only if the client agrees.", "neutral"},
    {"Not unless HR approves.", "neutral"},
    {"Please don't do it yet, she's still logged in.", "neutral"},
    {"Hold off - she'll be back later.", "neutral"},
    {"Not today, she's in meetings.", "neutral"},
    {"Ignore this.", "neutral"},
    {"That's not going to work, she's abroad with no signal.", "deny"},
    {"This isn't a good idea, she's the only admin on that tenant.", "deny"},
    {"Not a good idea - leave it.", "deny"},
    {"Bad idea, don't.", "deny"},
    {"I'm going to stop you there - wrong user.", "deny"},
    {"Hang on, no, this is the wrong Jane. Cancel.", "deny"},
    {"Sorry, can't let you do that.", "deny"},
    {"We are not resetting the CEO's password over a ticket.", "deny"},
    {"We're not going to do this.", "deny"},
    {"You're not to touch this account.", "deny"},
    {"Under no circumstances reset her MFA.", "deny"},
    {"No, the client has asked us not to make changes this week.", "deny"},
    {"I'll pass on this one.", "deny"},
    {"Request withdrawn.", "deny"},
    {"Withdrawn - the user found her laptop.", "deny"},
    {"The request is cancelled.", "deny"},
    {"This is cancelled.", "deny"},
    {"Consider this cancelled.", "deny"},
    {"I'm cancelling this.", "deny"},
    {"Rejecting this one.", "deny"},
    {"Denying.", "deny"},
    {"Please reject.", "deny"},
    {"No, and please don't raise this again.", "deny"},
    {"Nope, close it out.", "deny"},
    {"No. Close the ticket.", "deny"},
    {"Don't action, user has left the business.", "deny"},
    {"Do not reset. Do not revoke.", "deny"},
    {"Neither, thanks.", "deny"},
    {"None of the above.", "deny"},
    {"Nothing to do here, she's fine.", "deny"},
    {"No action required.", "deny"},
    {"No action needed, resolved.", "deny"},
    {"No further action.", "deny"},
    {"Not required - resolved by the user.", "deny"},
    {"Unnecessary, she's back in.", "deny"},
    {"Redundant now, closing.", "deny"},
    {"Approved, thanks for waiting.", "approve"},
    {"Approved, sorry it took so long.", "approve"},
    {"Apologies for the delay - approved.", "approve"},
    {"Hi Halyard, approved. Thanks.", "approve"},
    {"Morning! Yes please go ahead.", "approve"},
    {"Yes, go ahead. She's been told.", "approve"},
    {"Go ahead. I've told the user.", "approve"},
    {"Go ahead, user informed.", "approve"},
    {"Approved - user is aware.", "approve"},
    {"Approved, the user knows.", "approve"},
    {"Yes go ahead, the client is happy.", "approve"},
    {"Approved, client happy.", "approve"},
    {"Go ahead, checked with Sarah.", "approve"},
    {"Go ahead, I've checked her identity.", "approve"},
    {"Approved. Verified her by callback.", "approve"},
    {"Approved, ID checked.", "approve"},
    {"Yes, it's legit, go ahead.", "approve"},
    {"Go ahead, urgent please.", "approve"},
    {"Urgent - approved.", "approve"},
    {"ASAP please, approved.", "approve"},
    {"Approved, please prioritise.", "approve"},
    {"Approved. Quick as you can please.", "approve"},
    {"Go ahead, quicker the better.", "approve"},
    {"Go ahead - the sooner the better.", "approve"},
    {"Approved, do it now please.", "approve"},
    {"Go ahead right away.", "approve"},
    {"Proceed immediately.", "approve"},
    {"Go ahead now.", "approve"},
    {"Yep go now.", "approve"},
    {"Approved, thanks again for flagging it.", "approve"},
    {"Approved. Good catch.", "approve"},
    {"Approved - nice work on the write-up.", "approve"},
    {"Plan approved.", "approve"},
    {"Plan looks fine, go ahead.", "approve"},
    {"All steps approved.", "approve"},
    {"Everything approved.", "approve"},
    {"Approved as written.", "approve"},
    {"Approved as is.", "approve"},
    {"Approved exactly as proposed.", "approve"},
    {"Go ahead as planned.", "approve"},
    {"Proceed as outlined.", "approve"},
    {"Go ahead exactly as described.", "approve"},
    {"The client said no.", "neutral"},
    {"Her manager says not to.", "neutral"},
    {"HR said don't touch it.", "neutral"},
    {"Sarah doesn't want this done.", "neutral"},
    {"The user is not happy about this.", "neutral"},
    {"The user said she'd rather we didn't.", "neutral"},
    {"No idea, ask Dave.", "neutral"},
    {"No problem, I'll check with the client.", "neutral"},
    {"Not sure yet.", "neutral"},
    {"Not yet, she's still on the call.", "neutral"},
    {"No, not yet.", "neutral"},
    {"Don't know.", "neutral"},
    {"Should I cancel?", "neutral"},
    {"Do you want me to deny this?", "neutral"},
    {"Can I reject this later if needed?", "neutral"},
    {"Why not just unlock her?", "neutral"},
    {"Isn't this the wrong user?", "neutral"},
    {"Wouldn't it be better to wait?", "neutral"},
    {"Shouldn't we call her first?", "neutral"},
    {"No objection from me, but wait for Sarah.", "neutral"},
    {"No worries.", "neutral"},
    {"No rush.", "neutral"},
    {"No hurry, whenever.", "neutral"},
    {"Nein danke.", "neutral"},
    {"Non merci.", "neutral"},
    {"Denied access error again on her laptop.", "neutral"},
    {"She gets \"access denied\" on the portal.", "neutral"},
    {"The reset was rejected by Azure last time.", "neutral"},
    {"Her previous request was declined by HR.", "neutral"},
    {"Cancelled her meeting so she can take the call.", "neutral"},
    {"I've cancelled the other ticket.", "neutral"},
    {"Stopped by her desk, she's fine for us to call.", "neutral"},
    {"No answer from the user yet.", "neutral"},
    {"No reply from her yet, will chase.", "neutral"},
    {"Nobody's answering the phone at the client.", "neutral"},
    {"Not in today, back tomorrow.", "neutral"},
    {"Not at my desk, will look later.", "neutral"},
    {"Can't open the plan on my phone.", "neutral"},
    {"I can't see the steps.", "neutral"},
    {"Don't have access to the client's tenant, can someone else look?", "neutral"},
    {"Never seen this error before.", "neutral"},
    {"Nothing from me yet.", "neutral"},
    {"No update.", "neutral"},
    {"No news.", "neutral"},
    {"No change.", "neutral"},
    {"No further questions.", "neutral"},
    {"Not my ticket.", "neutral"},
    {"Wrong ticket, ignore.", "neutral"},
    {"Wait, which user is this?", "neutral"},
    {"Hold on, what's step 2?", "neutral"},
    {"Stop asking me, ask Sarah.", "neutral"},
    {"Leave it with me.", "neutral"},
    {"Leave it to me, I'll check with the client.", "neutral"},
    {"Go ahead. Actually, don't.", "deny"},
    {"Yes. Wait, no - cancel.", "deny"},
    {"Approved - scratch that, deny.", "deny"},
    {"Proceed... no, stop!", "deny"},
    {"Approved. Hmm, on reflection, no.", "deny"},
    {"OK go. Actually no. Cancel.", "deny"},
    {"Approve. No wait. Deny.", "deny"},
    {"Thought about it - no.", "deny"},
    {"Having checked with the client: no.", "deny"},
    {"After speaking to the client, no.", "deny"},
    {"Spoke to her manager, we're not doing this.", "deny"},
    {"Checked with HR - denied.", "deny"},
    {"I've spoken to the client and the answer is no.", "deny"},
    {"Discussed with Sarah, please cancel.", "deny"},
    {"The client said no, so no.", "deny"},
    {"Client doesn't want it, so please don't.", "deny"},
    {"Her manager objected, so it's a no.", "deny"},
    {"<div><span style=\"font-size:11pt\">No</span></div><div><span>&nbsp;</span></div><div><span>Sam</span></div>", "deny"},
    {"<div dir=\"auto\">No<br><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Wed, 5 Mar 2025, 08:30 Halyard, &lt;h@msp.example&gt; wrote:<br></div><blockquote class=\"gmail_quote\">Reply &quot;approve&quot;</blockquote></div></div>", "deny"},
    {"<html><head><style>p{margin:0}</style></head><body><p>Denied.</p><p>Regards,</p><p>Sam</p></body></html>", "deny"},
    {"<p>Do not proceed&#33;</p>", "deny"},
    {"Not approved\n\nBest regards\nSam Okafor\nIT Manager ", "deny"},
    {"no\n\n________________________________\nFrom: Halyard <h@msp.example>\nSent: 05 March 2025 08:30\nTo: Sam\nSubject: Approval needed\n\nReply \"approve\" to run them.", "deny"},
    {"Nope.\n\nOn Wed, 5 Mar 2025 at 08:30, Halyard <h@msp.example> wrote:\n\n> Reply \"approve\" to run them.", "deny"},
    {"> Reply \"approve\" to run them or \"deny\" to stop the run.\n\nDeny - wrong user.\n\n--\nSam", "deny"},
    {"Declined\n\nSent from my iPhone\n\n> On 5 Mar 2025, at 08:30, Halyard <h@msp.example> wrote:\n> Reply \"approve\"", "deny"},
    {"Approved.\n\nSam Okafor\nService Desk Team Lead\nNorthwind IT - your IT partner, no contracts, no hassle", "approve",
        {writer_name = "Sam Okafor"}},
    {"Go ahead\n\nThanks\nSam\n\nNorthwind IT ", "approve", {writer_name = "Sam"}},
    {"Approved\n\nKind regards,\n\nSam Okafor\nSenior Engineer\n\nOffice: 020 7946 0123\nMobile: 07700 900123\n\nNorthwind IT Ltd is registered in England and Wales. Company no. 01234567.\n\nIMPORTANT: The contents of this email are confidential. If you are not the intended recipient, please do not read, copy or use it and notify us immediately.", "approve"},
    {"Yes go ahead\n\nSam\nSent from Outlook Mobile", "approve"},
    {"Go ahead. Thanks, Sam\n\nCaution: This email originated from outside the organisation. Do not click links or open attachments unless you recognise the sender.", "approve",
        {writer_name = "Sam"}},
    {"[EXTERNAL] Approved, go ahead.", "approve"},
    {"CAUTION: External email. Do not click links unless you trust the sender.\n\nApproved, go ahead.", "approve"},
    {"Approved\n\nSam Okafor ", "approve", {writer_name = "Sam Okafor"}},
    {"Approved 👍\n\n--\nSam", "approve"},
    {"<div>Approved</div><div><br></div><div><br></div><div id=\"signature\"><p>Sam Okafor</p><p>No-reply: use the portal</p></div>", "approve",
        {writer_name = "Sam Okafor"}},
    {"<p>Approved</p><p>Kind regards</p><p>Sam Okafor<br>Northwind IT</p><p><i>Please do not reply to this address.</i></p>", "approve",
        {writer_name = "Sam Okafor"}},
    {"Go ahead, but only after 6.", "neutral"},
    {"Approved, bar the revoke.", "neutral"},
    {"Approved save for the MFA reset.", "neutral"},
    {"Approved, less the licence change.", "neutral"},
    {"Approved, sans revoke.", "neutral"},
    {"Approved - hold the revoke though.", "neutral"},
    {"Go ahead but leave MFA as is.", "neutral"},
    {"Approved, don't do the revoke.", "neutral"},
    {"Approved, no revoke.", "neutral"},
    {"Go ahead, no MFA reset.", "neutral"},
    {"Approved. Don't touch her sessions.", "neutral"},
    {"Approved - but not on a Friday.", "neutral"},
    {"Go ahead, though I'd wait till she's off the call.", "neutral"},
    {"Go ahead, ideally after lunch.", "neutral"},
    {"Approved, preferably tonight.", "neutral"},
    {"Approved for after the meeting.", "neutral"},
    {"Yes go ahead when she gives the word.", "neutral"},
    {"Go ahead as soon as possible after she confirms.", "neutral"},
    {"Go ahead - she'll need to confirm first though.", "neutral"},
    {"Approved, just make sure she's aware.", "neutral"},
    {"Approved. Please confirm with her before you start.", "neutral"},
    {"Approved. Call her before you start.", "neutral"},
    {"Yes, go ahead, but text her the temp password, not email.", "neutral"},
    {"Go ahead and email her the new password.", "neutral"},
    {"Go ahead and then disable the account.", "neutral"},
    {"Approved; and reset Tom's too please.", "neutral"},
    {"Go ahead, and while you're at it, unlock Tom.", "neutral"},
    {"Approved, Tom's as well.", "neutral"},
    {"Go ahead for both Jane and Tom.", "neutral"},
    {"Approved for Jane and Tom.", "neutral"},
    {"Approved for all users.", "neutral"},
    {"Approve for the whole team.", "neutral"},
    {"Yes, do the same for the other Jane.", "neutral"},
    {"Go ahead - then do Tom.", "neutral"},
    {"Approved, probably.", "neutral"},
    {"Approved (I think).", "neutral"},
    {"Approved?? I guess.", "neutral"},
    {"Approved, fingers crossed.", "neutral"},
    {"Go ahead, hopefully it works.", "neutral"},
    {"Go ahead, though I'm not convinced it'll help.", "neutral"},
    {"Yeah ok fine, go ahead, not like I have a choice.", "neutral"},
    {"Sure, go ahead and break everything, why not.", "neutral"},
    {"Go ahead, what's the worst that could happen.", "neutral"},
    {"Go ahead, I'm sure it'll be fine 🙄", "neutral"},
    {"Approved, obviously 🙄", "neutral"},
    {"Yes. No. Yes.", "neutral"},
    {"Approved. Denied. Approved.", "neutral"},
    {"Not approved. Approved.", "neutral"},
    {"Nope. Actually yep.", "neutral"},
    {"Sounds like a plan.", "approve"},
    {"Works for me.", "approve"},
    {"Perfect, go ahead.", "approve"},
    {"Great, please proceed.", "approve"},
    {"Cool, do it.", "approve"},
    {"Right, go on then.", "approve"},
    {"Alright, go ahead.", "approve"},
    {"OK go ahead then.", "approve"},
    {"Fine, do it.", "approve"},
    {"Yes, all good.", "approve"},
    {"Yes that's fine.", "approve"},
    {"That's fine.", "approve"},
    {"Fine by me, go ahead.", "approve"},
    {"Approved ✅", "approve"},
    {"Yes please, go for it.", "approve"},
    {"Please carry on.", "approve"},
    {"Yes, proceed.", "approve"},
    {"Affirmative.", "approve"},
    {"Absolutely, go ahead.", "approve"},
    {"Definitely, do it.", "approve"},
    {"Of course, go ahead.", "approve"},
    {"By all means.", "approve"},
    {"Certainly.", "approve"},
    {"Yes, I approve.", "approve"},
    {"I give my approval.", "approve"},
    {"You have my go-ahead.", "approve"},
    {"Go-ahead given.", "approve"},
    {"You've got the go ahead.", "approve"},
    {"Consent given.", "approve"},
    {"I consent.", "approve"},
    {"Agreed.", "approve"},
    {"OK'd.", "approve"},
    {"Thumbs up, go ahead.", "approve"},
    {"Signed off.", "approve"},
    {"Approved and signed off.", "approve"},
    {"Okey dokey, go ahead.", "approve"},
    {"Yup, go for it.", "approve"},
    {"Sounds interesting.", "neutral"},
    {"Looks complicated.", "neutral"},
    {"Thanks for the plan.", "neutral"},
    {"Cheers, reading now.", "neutral"},
    {"ok will check", "neutral"},
    {"Interesting.", "neutral"},
    {"Hmm, not sure.", "neutral"},
    {"Right.", "neutral"},
    {"Fair enough.", "neutral"},
    {"Understood.", "neutral"},
    {"Sure thing, one sec.", "neutral"},
    {"Yes, one moment.", "neutral"},
    {"Yes, give me a minute.", "neutral"},
    {"Sure, after my meeting.", "neutral"},
    -- Seventh set: step refusals, a yes that answers a statement, contingencies, "until".
    {"No resetting her password.", "deny"},
    {"Leave her password as it is.", "deny"},
    {"Not the reset and not the revoke.", "deny"},
    {"No to both steps.", "deny"},
    {"You must not reset her MFA.", "deny"},
    {"Don't you dare reset the CEO's password.", "deny"},
    {"Hands off the CEO's account.", "deny"},
    {"No ta", "deny"},
    {"Not ever.", "deny"},
    {"Declined (client request)", "deny"},
    {"Approval withheld.", "deny"},
    {"No approval from me.", "deny"},
    {"Do not continue.", "deny"},
    {"God no.", "deny"},
    {"Better not.", "deny"},
    {"Yes, she's the right user, but no, don't reset it.", "deny"},
    {"Yes I know she's locked out, but no.", "deny"},
    {"The last time we approved this she got locked out. No.", "deny"},
    {"I approved one of these last week and it went badly. Denied.", "deny"},
    {"Thanks, but no.", "deny"},
    {"Do the unlock, not the MFA reset, please.", "neutral"},
    {"Yes, not the reset.", "neutral"},
    {"Yes, don't reset her password.", "neutral"},
    {"Cancelled her meeting (sorry)", "neutral"},
    {"No approval needed", "neutral"},
    {"Approve if there's a problem", "neutral"},
    {"Go ahead if there are any issues", "neutral"},
    {"Approved until Friday", "neutral"},
    {"Go ahead, she's away until Monday so wait", "neutral"},
    {"Approved, she said wait until Monday", "neutral"},
    {"Denied pending review", "neutral"},
    {"Please continue", "neutral"},
    {"Approved - she can't work until it's reset, thanks.", "approve"},
    {"Approved. If anything goes wrong, give me a shout.", "approve"},
    {"Go ahead, if there are any issues let me know.", "approve"},
    {"Approved, I don't have any concerns.", "approve"},
    {"Approved, this won't affect anyone else.", "approve"},
    {"Go ahead. Not a big deal.", "approve"},
    {"Approved, can't see an issue.", "approve"},
    {"No approval needed, go ahead.", "approve"},
    {"Yes 100%", "approve"},
    {"Deffo", "approve"},
    {"Copy that, proceed.", "approve"},
    -- Eighth set: opinions against the plan, soft refusals, explanations beside a yes,
    -- past-tense notes without "I", and the readings that must stay neutral beside them.
    {"I don't think we should go ahead with this.", "deny"},
    {"Don't think it's a good idea.", "deny"},
    {"I don't think we should wait, approve.", "neutral"},
    {"I don't think so.", "neutral"},
    {"Go ahead, I don't think we need to inform her.", "approve"},
    {"Approved, I don't think we need to reset it though.", "neutral"},
    {"I'd rather we didn't.", "deny"},
    {"I'd rather we didn't wait, approve.", "neutral"},
    {"We'll pass on this.", "deny"},
    {"Not on my watch.", "deny"},
    {"That isn't happening.", "deny"},
    {"We won't be resetting anything.", "deny"},
    {"We can't do that, it's the CEO.", "deny"},
    {"She can't log in, approved.", "approve"},
    {"I can't reset it from here, go ahead.", "neutral"},
    {"Please don't change anything.", "deny"},
    {"I'll sort it myself, don't run anything.", "deny"},
    {"No, we'll do it manually.", "deny"},
    {"Kill the job, he found the password.", "deny"},
    {"Kill the run?", "neutral"},
    {"This has to stop.", "deny"},
    {"I disagree with this plan.", "deny"},
    {"The client disagrees.", "neutral"},
    {"Objection.", "deny"},
    {"A strong no from me.", "deny"},
    {"Absolutely no chance.", "deny"},
    {"Leave that one.", "deny"},
    {"Leave that one with me.", "neutral"},
    {"Only the revoke, leave her password alone.", "neutral"},
    {"Cancel. Wrong one.", "deny"},
    {"Cancel - sorry, wrong ticket.", "neutral"},
    {"Go ahead, it only touches her mailbox.", "approve"},
    {"Approved, it's only a test account.", "approve"},
    {"Go ahead, the only downside is a new sign-in.", "approve"},
    {"Approved, only the unlock.", "neutral"},
    {"It's only the unlock I want.", "neutral"},
    {"Approved, no major issues expected.", "approve"},
    {"No major issues with the reset, but not the revoke.", "neutral"},
    {"Go ahead, her mailbox was hit twice this week.", "approve"},
    {"Approved, the mailbox only.", "neutral"},
    {"Before anyone asks, the client knows. Approved.", "approve"},
    {"Go ahead before she logs in.", "neutral"},
    {"Approved, it's the first thing she asked for.", "approve"},
    {"Go ahead first thing.", "neutral"},
    {"Approved, first time she's been locked out.", "approve"},
    {"Tested on my own account first, go ahead.", "approve"},
    {"Approve, but check with her first.", "neutral"},
    {"Called her to make sure she's expecting it. Approved.", "approve"},
    {"Rang her to make sure she's expecting it. Approved.", "approve"},
    {"Approve once you make sure she's expecting it.", "neutral"},
    {"Confirmed with the user, go ahead.", "approve"},
    {"Confirmed with the user.", "neutral"},
    {"Reviewed the request and approve.", "approve"},
    {"Reviewed by Dave and approved.", "neutral"},
    {"Dave reviewed and approved.", "neutral"},
    {"Fred approved.", "neutral"},
    {"Before you ask, yes I've checked the logs. Go ahead.", "approve"},
    {"Yes I've checked the logs.", "neutral"},
    {"Yes we're still waiting for HR, go ahead.", "neutral"},
    {"Yes I've already reset it myself.", "neutral"},
    {"Approved, won't hurt.", "approve"},
    {"She won't mind.", "neutral"},
    {"Good call, go ahead.", "approve"},
    {"I'm fine with it.", "approve"},
    {"I'm fine with it once the client confirms.", "neutral"},
    {"The client is fine with it.", "neutral"},
    {"Permission given.", "approve"},
    {"Permission given by the client.", "neutral"},
    {"Go ahead, she's been locked out since Monday.", "approve"},
    {"Go ahead, but not before Monday.", "neutral"},
    {"Go ahead on Monday.", "neutral"},

    -- Ninth set: replies that address halyard by name, whole-plan instructions, a check
    -- reported beside a yes, a step named in a statement, an added person, and refusals
    -- whose negation is far from the approval word.
    {"Yes please, thanks halyard", "approve"},
    {"Halyard: go ahead", "approve"},
    {"Happy for halyard to run these", "approve"},
    {"Thanks halyard - approved.", "approve"},
    {"Halyard, no.", "deny"},
    {"Go right ahead", "approve"},
    {"Do the lot, thanks", "approve"},
    {"Run all of them please", "approve"},
    {"Yes, do everything", "approve"},
    {"Do everything except the revoke", "neutral"},
    {"Do all of it after 5", "neutral"},
    {"Do all of them too for Priya", "neutral"},
    {"Sorry, only just seen this - go ahead", "approve"},
    {"Only just the unlock", "neutral"},
    {"Approved as per our process", "approve"},
    {"Proceed as usual", "approve"},
    {"Approved as per the plan", "approve"},
    {"Approved as per her manager", "neutral"},
    {"Confirmed her identity on a call, approved", "approve"},
    {"Go ahead - I confirmed the user's identity by phone", "approve"},
    {"Confirmed it's really her. Proceed", "approve"},
    {"Confirmed her identity", "neutral"},
    {"I confirm she rang the desk", "neutral"},
    {"Confirmed the plan", "approve"},
    {"Confirmed the password reset", "neutral"},
    {"Go ahead, that's definitely her account", "approve"},
    {"That is the right mailbox, approved", "approve"},
    {"Approved, that's the unlock only", "neutral"},
    {"Approved, that mailbox too", "neutral"},
    {"Approved, also for Sanjay", "neutral"},
    {"Go ahead. And Keiko.", "neutral"},
    {"Approved, plus Marta", "neutral"},
    {"Yes - Oskar and Li", "neutral"},
    {"Go ahead. Cheers, Anil", "approve", {writer_name = "Anil"}},
    {"Approved, and Bronwen knows it's coming", "approve"},
    {"Please do nothing", "deny"},
    {"Do nothing at all, she's back in", "deny"},
    {"Do nothing until I ring you", "neutral"},
    {"Certainly not approved", "deny"},
    {"Definitely not going ahead", "deny"},
    {"Definitely not, go ahead", "neutral"},
    {"Not happy for this to go ahead", "deny"},
    {"I'm not comfortable for you to proceed", "deny"},
    {"Not on your life", "deny"},
    {"Unfortunately not", "deny"},
    {"Sadly no, the client withdrew it", "deny"},
    {"It's a no-go", "deny"},
    {"That's a no go from me", "deny"},
    {"The client says it's a no-go", "neutral"},
    {"Not something I can approve", "deny"},
    {"This isn't something we'd sign off", "deny"},
    {"Not something I can approve until HR reply", "neutral"},
    {"This must not go ahead", "deny"},
    {"You mustn't run this", "deny"},
    {"It must go ahead", "neutral"},

    -- Tenth set: counts after "all", text-speak, messages nobody asked for, a refusal taken
    -- back into a yes, and ticket housekeeping beside a yes.
    {"Go ahead with all 4 steps", "approve"},
    {"All two steps approved", "approve"},
    {"Approve 2 steps", "neutral"},
    {"Approve steps 2 to 4", "neutral"},
    {"no prob, approved", "approve"},
    {"np, go ahead", "approve"},
    {"no probs", "neutral"},
    {"nope, dont bother m8", "deny"},
    {"ty, u can go ahead", "approve"},
    {"No need to phone her beforehand, approved", "approve"},
    {"No need to email the user first. Go ahead", "approve"},
    {"No need to revoke anything", "deny"},
    {"Go ahead, but call her first", "neutral"},
    {"Approved, no need to check with HR unless she objects", "neutral"},
    {"Approved, no need to tell her until Monday", "neutral"},
    {"Approved - ignore the thread below unless Tom replies", "neutral"},
    {"Yes, let me know when done so I can close the ticket unless she objects", "neutral"},
    {"Approved, let me know when done unless she's offline", "neutral"},
    {"Go ahead, let me know if only the reset works", "neutral"},
    {"Approved - let me know when it's done tomorrow", "neutral"},
    {"Approved - let me know if it fails", "approve"},
    {"Rejected - oops, I meant to hit approve", "neutral"},
    {"Cancel. Sorry, wrong ticket.", "neutral"},
    {"No, sorry, I won't approve it", "deny"},
    {"Yes, let me know when it's done so I can update the client.", "approve"},
    {"Yes, let me know when it's done so I can reset Tom too.", "neutral"},
    {"Approved, close the ticket off once done", "approve"},
    {"Go ahead and close it out after", "neutral"},

    -- Eleventh set: sarcastic tags, "only" in a statement beside a step refusal, numbered
    -- steps refused, "too" in someone else's statement, "whenever", remarks after "for the
    -- record", and pointers to the quoted mail.
    {"Go ahead, said no one ever", "neutral"},
    {"Approved. Just kidding.", "neutral"},
    {"sure jk", "neutral"},
    {"In your dreams", "deny"},
    {"Approved, nobody ever logs into that account", "approve"},
    {"Not the licence, that licence is for contractors only", "deny"},
    {"Don't revoke, she only needs the password reset", "neutral"},
    {"No to step 3", "deny"},
    {"No to step two and no to step three", "deny"},
    {"Yes to step 1, no to step 2", "neutral"},
    {"Approved. Her manager signed off too.", "approve"},
    {"Go ahead, HR are aware as well", "approve"},
    {"Go ahead. She wants her MFA reset too.", "neutral"},
    {"Go ahead. Her manager asked for it as well.", "approve"},
    {"Go ahead, she asked for Tom's too", "neutral"},
    {"Please run the whole plan.", "approve"},
    {"Approved, and Priya's too", "neutral"},
    {"Go ahead whenever", "approve"},
    {"Approve whenever suits you", "approve"},
    {"Go ahead whenever her manager agrees", "neutral"},
    {"Approved (for the record, her manager asked for this)", "approve"},
    {"Go ahead fyi the client requested it", "approve"},
    {"Approved, btw only the reset", "neutral"},
    {"Go ahead, fyi do her MFA too", "neutral"},
    {"Yes go ahead - ignore the thread below, that was another user", "approve"},
    {"Approved, disregard the forwarded email", "approve"},
    {"Ignore this", "neutral"},

    -- Twelfth set: near-English words in another language, more forms of yes, "nothing else
    -- from me", a situation that lasts "until", and a past event on a named day.
    {"Si, procede", "neutral"},
    {"S\195\173, aprovado", "neutral"},
    {"Oui, go ahead", "approve"},
    {"procede", "approve"},
    {"Approval is given", "approve"},
    {"Approval has been granted.", "approve"},
    {"OK from my side, go ahead", "approve"},
    {"ok from me", "approve"},
    {"ya go ahead", "approve"},
    {"yh approved", "approve"},
    {"see ya", "neutral"},
    {"Forget about it", "deny"},
    {"Approved, no further action needed from me", "approve"},
    {"Go ahead. Nothing further from my side.", "approve"},
    {"No further action", "deny"},
    {"Approved, he can't work until this is done", "approve"},
    {"Approved, she can't log in until Monday", "neutral"},
    {"Approved. She changed her phone on Tuesday.", "approve"},
    {"Go ahead, he left on Friday", "approve"},
    {"Approved, scheduled on Friday", "neutral"},
    {"Approved. She asked for it to be done on Monday", "neutral"},

    -- Thirteenth set: harmless negations in an explanation beside a yes, "I wouldn't" alone,
    -- "no" as an answer after a subject, and replies that close the technician's part.
    {"Go ahead, there are no other devices on her account", "approve"},
    {"Approved, it has no licence attached", "approve"},
    {"Sorry I didn't see this sooner, go ahead", "approve"},
    {"Approved - we couldn't reach her by phone", "approve"},
    {"Go ahead, I wasn't told about this one", "approve"},
    {"Approved, I didn't want this", "neutral"},
    {"Approved, I don't want the revoke", "neutral"},
    {"Approved, no one else uses that laptop", "approve"},
    {"Go ahead, he's been without a phone all week", "approve"},
    {"Go ahead without the unlock", "neutral"},
    {"Approved, no questions from me", "approve"},
    {"Go ahead with no changes", "approve"},
    {"No changes", "deny"},
    {"I wouldn't.", "deny"},
    {"I wouldn't worry, go ahead", "approve"},
    {"Tom wouldn't", "neutral"},
    {"That's not happening", "deny"},
    {"My answer's no", "deny"},
    {"Short answer: no", "deny"},

    -- Fourteenth set: refusal idioms and slang.
    {"Not gonna happen", "deny"},
    {"Ain't happening", "deny"},
    {"That's a terrible idea", "deny"},
    {"Not a bad idea", "neutral"},
    {"The client thinks it's a bad idea", "neutral"},
    {"No can do, sorry", "deny"},
    {"No can do until Friday", "neutral"},
    {"Computer says no", "deny"},
    {"Veto'd", "deny"},
    {"Cease", "deny"},
    {"canx pls", "deny"},
    {"I'd leave it", "deny"},
    {"I'd leave it until Monday", "neutral"},
    {"Sorted itself - close without running anything", "deny"},

    -- Fifteenth set: more forms of approval, a yes with its scope or "now" after it, and
    -- bounce messages.
    {"Kindly do the needful", "approve"},
    {"Accepted, thanks", "approve"},
    {"I accept the plan", "approve"},
    {"The mailbox can't accept messages", "neutral"},
    {"Approved as requested", "approve"},
    {"Approved in its entirety", "approve"},
    {"Yes, all of them", "approve"},
    {"Yes - the whole plan", "approve"},
    {"Yes, straight away please", "approve"},
    {"Yes, all of them except the revoke", "neutral"},
    {"Yes, her laptop", "neutral"},
    {"For sure", "approve"},
    {"You bet, go ahead", "approve"},
    {"Looks right to me", "approve"},
    {"Sign-off given", "approve"},
    {"Undeliverable: halyard asks for approval", "neutral"},
    {"Delivery has failed to these recipients or groups:\n\nApproved", "neutral"},
    {"Yeah yeah, go ahead and break it", "neutral"},
    {"Sure, go ahead and mess everything up", "neutral"},
    {"Approved, it won't break anything", "approve"},

    -- Questions without a question mark after a dash or comma, and what to do if the run
    -- fails.
    {"Approved - has she been told", "neutral"},
    {"Go ahead, is the delegate right", "neutral"},
    {"Approved, will she lose her emails", "neutral"},
    {"Yes go ahead: does Ruth know", "neutral"},
    {"Approved, quick question - is this her work phone", "neutral"},
    {"Approved and is she aware", "neutral"},
    {"Go ahead but will she lose her mail", "neutral"},
    {"Go ahead and do it", "approve"},
    {"Approved and she is aware", "approve"},
    {"Approved, she's aware right", "neutral"},
    {"Go ahead, the delegate is Ruth right", "neutral"},
    {"Approved, all right", "approve"},
    {"Approved, the user is right", "approve"},
    {"Go ahead, she's been told, hasn't she", "neutral"},
    {"Approved, will do", "approve"},
    {"Approved, can you let me know when it's done", "approve"},
    {"Fine, do it", "approve"},
    {"Approved, Dave is aware", "approve"},
    {"Approved - give me a call if it fails", "approve"},
    {"Go ahead, ring me if anything looks odd", "approve"},
    {"Approved, call me if you need me", "approve"},
    {"Approved, ring me if she hasn't confirmed", "neutral"},
    {"Go ahead if it fails again", "neutral"},

    -- The technician's own follow-up after the run, with a time that is not the plan's.
    {"Go ahead, I'll let her know after", "approve"},
    {"Approved - I'll update the client once you're done", "approve"},
    {"Approved; I'll follow up with her later", "approve"},
    {"Go ahead - I'll tell her in the morning", "approve"},
    {"Go ahead tomorrow, I'll tell her", "neutral"},
    {"Approved, I'll do the revoke tomorrow", "neutral"},
    {"Approved, I'll reset Tom later", "neutral"},
    {"Go ahead, I'll tell her first", "neutral"},
    {"Go ahead, I'll call her before", "neutral"},
    {"Approved, ring her before", "neutral"},
    {"Approved, we've done this before", "approve"},

    -- Formal and non-native wordings of a yes.
    {"It is okay for me", "approve"},
    {"Is fine for me", "approve"},
    {"From my side it is ok", "approve"},
    {"From my side no", "deny"},
    {"From my side it is ok, but ask HR", "neutral"},
    {"Is okay, you can do", "approve"},
    {"You can do it tomorrow", "neutral"},
    {"Please go on", "approve"},
    {"Go on leave", "neutral"},
    {"Yes you can", "approve"},
    {"Yes, you may", "approve"},
    {"Yes you can, after lunch", "neutral"},
    {"I give approval", "approve"},
    {"I am giving my approval", "approve"},
    {"Approval from my side", "approve"},
    {"Approval from me after the CAB", "neutral"},
    {"You have my blessing", "approve"},
    {"With my blessing, except step 2", "neutral"},
    {"Permission is given", "approve"},
    {"Allowed", "approve"},
    {"Not allowed", "deny"},
    {"She's not allowed to have admin", "neutral"},
    {"Do as proposed", "approve"},
    {"Do as you suggest, thanks", "approve"},

    -- Past events beside a yes: a time after a past verb, a step noun before one.
    {"Go ahead, account locked after too many attempts", "approve"},
    {"Approved, her phone died over the weekend", "approve"},
    {"Approved, she called after lunch", "approve"},
    {"Approved, do it after lunch", "neutral"},
    {"Approved, it's used on Friday", "neutral"},
    {"Approved, it will be locked on Friday", "neutral"},
    {"Approved, unlocked after lunch please", "neutral"},
    {"Approved, she needs it unlocked after lunch", "neutral"},
    {"Approved, she wants it unlocked on Friday", "neutral"},
    {"Approved - password expired yesterday", "approve"},
    {"Go ahead, MFA stopped working on her new phone", "approve"},
    {"Go ahead, reset needed", "neutral"},
    {"Approved, password reset scheduled", "neutral"},

    -- A refusal beside an explanation with a time, whose subject is a device.
    {"No. That laptop goes back to the supplier tomorrow anyway.", "deny"},
    {"Don't bother, the device is being wiped next week", "deny"},
    {"No, wait until that laptop is back", "neutral"},
    {"Approved, that laptop is hers", "approve"},
    {"Approved, this device too", "neutral"},

    -- Refusals with an adverb, a refusal verb that takes the approval, and "take this as a
    -- no".
    {"I really don't think this is a good idea", "deny"},
    {"There's no way we're doing that", "deny"},
    {"I refuse to approve this", "deny"},
    {"I decline to approve", "deny"},
    {"Treat this as a no", "deny"},
    {"Take this as a no, sorry", "deny"},
    {"Mark this as denied", "deny"},
    {"Please treat as rejected", "deny"},
    {"Must say no", "deny"},
    {"We'll have to pass on this one", "deny"},
    {"The client will pass on this", "neutral"},
    {"I'll pass on the revoke but go ahead with the reset", "neutral"},
    {"Really, go ahead", "approve"},
    {"No local admin, sorry.", "deny"},
    {"Approved, no new phone needed", "neutral"},
    {"No major issues, approved", "approve"},
    {"Drop it, I'll do it by hand.", "deny"},

    -- More refusal wordings.
    {"Leave her be", "deny"},
    {"Let it be, she's sorted", "deny"},
    {"End it", "deny"},
    {"End it tomorrow", "neutral"},
    {"Terminate the run", "deny"},
    {"Not to be actioned", "deny"},
    {"Please ignore this request and close the ticket", "deny"},
    {"Hard pass", "deny"},
    {"Pass.", "deny"},
    {"Pass the ticket to Tom", "neutral"},
    {"Heck no", "deny"},
    {"Nuh-uh", "deny"},
    {"Not for me to decide", "neutral"},

    -- Signature blocks of up to six lines, a gateway's tag before the first words, and short
    -- last lines that are a time, a question or an added person rather than a name.
    {"Approve.\n\nGrace Mwangi | Service Desk Analyst\nNorthwind IT Services Ltd\n"
        .. "T: 020 7946 0123 | www.northwind.example\nApproved Microsoft Partner", "approve"},
    {"Thanks\n\nGrace Mwangi\nService Desk Analyst\nNorthwind IT Services Ltd\n"
        .. "T: 020 7946 0123\nwww.northwind.example\nApproved Microsoft Partner", "neutral"},
    {"[EXTERNAL] Approved", "approve"},
    {"EXTERNAL: no, don't", "deny"},
    {"[External] Thanks, will check", "neutral"},
    {"Approved\n\nTomorrow", "neutral"},
    {"Go ahead\n\nAfter Lunch", "neutral"},
    {"Approved\n\nAnd Tom", "neutral"},
    {"Approved\n\nTom Too", "neutral"},
    {"Go ahead\n\nWhy The Revoke", "neutral"},
    {"Approved\n\nTom Smith\nHead of IT", "approve", {writer_name = "Tom Smith"}},
    {"Approved\n\nTom\nSkip Step Two", "neutral"},
    {"Approved\n\nTom\nLeave Her Sessions", "neutral"},
    {"Approved\n\nTom Jones\nAccount Manager", "approve", {writer_name = "Tom Jones"}},
    {"Approved\n\nNext Week", "neutral"},
    {"Go ahead\n\nEOD", "neutral"},
    {"Approved\n\nTom\nPending HR", "neutral"},
    {"Approved\n\nTom Jones\nNext Level IT Ltd", "approve", {writer_name = "Tom Jones"}},
    {"Approved\n\nTom\nOvernight", "neutral"},
    {"Go ahead\n\nTom\nProbably", "neutral"},
    {"Approved\n\nTom Jones\nExecutive Assistant", "approve", {writer_name = "Tom Jones"}},
    {"Go ahead\n\nPriya Patel\nSenior Engineer\nContoso", "approve", {writer_name = "Priya Patel"}},

    -- Outlook header blocks in other languages, with French spacing before the colon.
    {"Approved\n\nDe : halyard <halyard@msp.example>\nEnvoy\195\169 : samedi 5 d\195\169cembre\n"
        .. "\195\128 : Grace\nObjet : approve or deny\n\nApprove or deny", "approve"},
    {"No\n\nVan: halyard\nVerzonden: zaterdag\nAan: Grace\nOnderwerp: approve?\n\napprove",
        "deny"},
    {"Thanks\n\nDa: halyard\nInviato: sabato\nOggetto: approve\n\nYes, go ahead", "neutral"},
    {"De: halyard\nPara: Grace\nAsunto: approve\n\nApproved", "neutral"},

    -- An approval taken back, paused or mocked after it is given, in words the other lists do
    -- not place, and the same words before it or about something else.
    {"Approved. Changed my mind.", "neutral"},
    {"Approved. Scratch that.", "neutral"},
    {"Approved. Retracted.", "neutral"},
    {"Approved - strike that", "neutral"},
    {"Approved. Misclick", "neutral"},
    {"Approved. Second thoughts.", "neutral"},
    {"Approved. I take it back.", "neutral"},
    {"Go ahead. Belay that.", "neutral"},
    {"Approved. Reversing that.", "neutral"},
    {"Approved. Disregard.", "neutral"},
    {"Approved, meant that for ticket 4242", "neutral"},
    {"approved, jk", "neutral"},
    {"j/k approved", "neutral"},
    {"Approved /s", "neutral"},
    {"Yes, go ahead. Just kidding.", "neutral"},
    {"Approved \240\159\152\156", "neutral"},
    {"Approved, pause", "neutral"},
    {"Approved, standby", "neutral"},
    {"Approved, one sec", "neutral"},
    {"Go ahead, give me 5", "neutral"},
    {"Approved, undo", "neutral"},
    {"Approved, rollback", "neutral"},
    {"Approved, TBD", "neutral"},
    {"Approved, awaiting confirmation", "neutral"},
    {"Approved, pending", "neutral"},
    {"Approved. Hmm.", "neutral"},
    {"Approved. Thinking about it.", "neutral"},
    {"Approved, merely the note", "neutral"},
    {"Approved, solely the note", "neutral"},
    {"Approved, at most the note", "neutral"},
    {"Approved, purely the note", "neutral"},
    {"Approved, kinda", "neutral"},
    {"Approved. Void.", "neutral"},
    {"Approved, parked", "neutral"},
    {"Approved, barring objections", "neutral"},
    {"Approved, provisionally", "neutral"},
    {"Go ahead, CAB permitting", "neutral"},
    {"Approved, Dave to confirm", "neutral"},
    {"Approved, on my signal", "neutral"},
    {"Approved, let me sleep on it", "neutral"},
    {"Approved. Sike", "neutral"},
    {"Approved. Just testing", "neutral"},
    {"Approved. Test", "neutral"},
    {"Sorry, ignore my last reply - go ahead.", "approve"},
    {"Go ahead when you're ready", "approve"},
    {"Just to confirm, go ahead with both steps", "approve"},
    {"Approved - for the Finance team", "neutral"},
    {"Approved. Actually the user just called, it's working again", "neutral"},
    {"Go ahead. Oh, she's just said it's fixed itself", "neutral"},
    {"Approved. Sorry, that was for the other Jane", "neutral"},
    {"Approved. Hang about", "neutral"},
    {"Approved - how long will it take", "neutral"},
    {"Approved \226\157\140", "neutral"},
    {"Go ahead \240\159\145\142", "neutral"},
    {"Approved \240\159\164\148", "neutral"},
    {"Approved \226\143\179", "neutral"},
    {"Approved, nein", "neutral"},
    {"Approved, ditch it", "neutral"},
    {"Approved, non-urgent", "approve"},
    {"Approved, curious why", "neutral"},
    {"Actually, go ahead", "approve"},
    {"Go ahead, for everyone in Sales", "neutral"},
    {"Approved, for the record she agreed", "approve"},
    {"Approved, during the maintenance window", "neutral"},
    {"Go ahead, against my better judgement", "neutral"},
    {"Approved, I have doubts", "neutral"},
    {"Approved. Let's see what happens", "neutral"},
    {"Approved, your call", "neutral"},
    {"Approved, kind of", "neutral"},
    {"Approved, disregard the forwarded email", "approve"},
    {"Approved - second time this week, so the sooner the better.", "approve"},
    {"Approved, Tom", "approve", {writer_name = "Tom"}},
    {"Approved, Sam.", "approve", {writer_name = "Sam"}},
    {"Approved, legend", "approve"},
    {"Go ahead, sorted", "approve"},
    {"Approved. Cheers", "approve"},

    -- Question marks of other forms.
    {"Approved\239\188\159", "neutral"},
    {"Approved\226\128\189", "neutral"},
    {"\194\191Approved", "neutral"},
    {"Go ahead \226\157\147", "neutral"},
    {"Approved\216\159", "neutral"},

    -- Letters of other scripts inside English words, combining strikes, and unreadable letters
    -- beside an approval.
    {"Approved. N\208\190.", "neutral"},
    {"Approved. D\208\190n't.", "neutral"},
    {"\208\176pproved", "neutral"},
    {"Appr\206\191ved", "neutral"},
    {"D\208\181nied", "neutral"},
    {"Approved\204\182", "neutral"},
    {"A\204\182p\204\182p\204\182r\204\182o\204\182v\204\182e\204\182d\204\182", "neutral"},
    {"Approved. \239\188\174\239\189\143", "neutral"},
    {"Approved \226\147\131\226\147\158", "neutral"},
    {"Approved \226\128\174on", "neutral"},
    {"Approved \226\128\174 on", "neutral"},
    {"Approved \226\129\167no\226\129\169", "neutral"},
    {"Approved \240\159\145\141\240\159\143\188", "approve"},

    -- A refusal or limit below a signature separator, a mobile footer or inside a notice line
    -- makes an approval neutral; the usual signature, footer and notice lines do not.
    {"Approved.\n\n--\nSam\nDon't do it", "neutral"},
    {"Approved.\n\nSent from my iPhone\nNo", "neutral"},
    {"Go ahead\n\n-- \nPriya Shah\nWait until Monday", "neutral"},
    {"Approved\n\nGet Outlook for Android\nActually, hold off?", "neutral"},
    {"Approved\n\nThis email is confidential. No. Do not proceed.", "neutral"},
    {"Approved.\n\nCAUTION: This email originated from outside. Do not proceed.", "neutral"},
    {"Approved.\n\nCAUTION: This email originated from outside the organisation. Do not click "
        .. "links or open attachments unless you recognise the sender.", "approve"},
    {"Approved\n\n--\nSam Okafor\nNorthwind IT\nDo not reply to this address", "approve"},
    {"Approved\n\nSent from my iPhone\n\nOn Tue, 4 Mar 2025 at 10:12, Halyard wrote:\n"
        .. "> Reply approve or deny. Don't reply with anything else.", "approve"},
    {"Go ahead\n\n-- \nTom\nThis message is confidential and not for distribution.", "approve"},

    -- A last paragraph that looks like a name, title or contact line still turns an approval
    -- when it refuses, pauses or takes it back; real signature lines do not.
    {"Approved.\n\nNote: do not run this, the customer called to cancel.", "neutral"},
    {"Approved.\n\nEdit: denied.", "neutral"},
    {"Approved.\n\nUPDATE: do not proceed.", "neutral"},
    {"Approved.\n\nActually no, the customer phoned to cancel.", "neutral"},
    {"Approved.\n\nWait, don't. Tell me first.", "neutral"},
    {"Yes.\n\nNo wait: don't.", "neutral"},
    {"Approved\n\nScratch That", "neutral"},
    {"Approved\n\nChanged My Mind", "neutral"},
    {"Approved\n\nWrong Ticket", "neutral"},
    {"Approved\n\nOn Second Thought", "neutral"},
    {"Approved\n\nThanks,\nSam\nHold Off", "neutral"},
    {"<p>Approved.</p><p>Actually no, the customer phoned to cancel.</p>", "neutral"},
    {"<p>Approved</p><p>Scratch That</p>", "neutral"},
    {"<p>Go ahead</p><p>Edit: do not proceed</p>", "neutral"},
    {"Approved\n\nSam Okafor\nService Desk Lead\nNorthwind IT Ltd\nT: 01234 567890\n"
        .. "E: sam@northwind.example", "approve", {writer_name = "Sam Okafor"}},
    {"Approved\n\nSam Okafor | Approved Microsoft Partner", "approve"},
    {"Approved\n\nNorthwind IT Ltd, no contracts, no hassle\nCompany No. 01234567", "approve"},
    {"Approved\n\nSam Okafor\nNo-reply: use the portal", "approve", {writer_name = "Sam Okafor"}},
    {"Approved\n\nSike", "neutral"},
    {"Approved\n\nApril Fools", "neutral"},
    {"Approved!\n\nFor ticket #4567 I mean", "neutral"},
    {"<p>Approved</p><p>Sam Okafor</p><p>Editor in Chief | Northwind Press Ltd</p>", "approve",
        {writer_name = "Sam Okafor"}},

    -- A reply that keeps some of the work for the writer, or leaves a step out, does not
    -- approve the whole plan.
    {"Fine, leave it with me", "neutral"},
    {"Go ahead, I'll do the status myself", "neutral"},
    {"Approved, I'll handle the note myself", "neutral"},
    {"Approved - I'll sort the note", "neutral"},
    {"Approved, I'll take it from here", "neutral"},
    {"Yes. Leave it to me for the status.", "neutral"},
    {"Go ahead, don't worry about the status", "neutral"},
    {"Approved, I will take care of the note", "neutral"},
    {"Go ahead, I'll let the user know myself.", "approve"},
    {"Approved, I'll let her know", "approve"},
    {"Go ahead, don't worry about it", "approve"},
    {"Approved, don't worry", "approve"},

    -- Everyday replies: a technician's plain yes under the request approves (RULE.md), an
    -- instruction to the user to try something does not.
    {"Yep", "approve"},
    {"Absolutely", "approve"},
    {"Sounds good", "approve"},
    {"Fine, thanks", "approve"},
    {"Sure, no problem.", "approve"},
    {"Go ahead and try again now.", "neutral"},
    {"Please go ahead and retry", "neutral"},

    -- Naming the plan id that the request shows.
    {"Approved plan 38a21b13", "approve"},
    {"Plan 38a21b13 approved", "approve"},
    {"Approve plan #38a21b13, thanks", "approve"},
    {"Approved plan 38a21b13\n\nOn Sat, 5 Dec 2026 at 09:14, halyard wrote:\n"
        .. "> halyard asks for approval: plan 38a21b13", "approve"},
    {"Approved plan 5d22e09f\n\nOn Sat, 5 Dec 2026 at 09:14, halyard wrote:\n"
        .. "> halyard asks for approval: plan 38a21b13", "neutral"},

    -- Relayed answers. The assigned technician's note "Client reply:\n\nApproved - go ahead"
    -- ran the plan, because a decision after a line break or a colon read as the technician's
    -- own. Someone else's answer after a reporting lead is a reported decision (RULE.md).
    {"Client reply:\n\nApproved - go ahead", "neutral"},
    {"Jane replied by phone: approved, go ahead.", "neutral"},
    {"The client replied: approved, go ahead.", "neutral"},
    {"Jane says yes, go ahead", "neutral"},
    {"From Jane:\nApproved, please go ahead", "neutral"},
    {"Jane emailed back:\nYes, go ahead", "neutral"},
    {"Pasting the client's reply below\n\nApproved - go ahead", "neutral"},
    {"Client:\n\nApproved - go ahead", "neutral"},
    {"The client:\nYes, go ahead", "neutral"},
    {"Jane Doe:\nApproved, go ahead", "neutral"},
    {"Jane has just replied:\n\nYes please go ahead", "neutral"},
    {"Reply from the client:\nGo ahead", "neutral"},
    {"She replied: go ahead.", "neutral"},
    {"They said go ahead", "neutral"},
    {"The user says ok go ahead", "neutral"},
    {"Requester said yes go ahead", "neutral"},
    {"Jane replied to my question from this morning: yes go ahead", "neutral"},
    {"Jane got back to me: approved", "neutral"},
    {"Jane confirmed by phone: go ahead.", "neutral"},
    {"Jane said on the phone: yes, go ahead.", "neutral"},
    {"Forwarding Jane's email:\nApproved, go ahead", "neutral"},
    {"Jane emailed back to say yes, go ahead", "neutral"},
    {"Client replied on Teams\nok to proceed", "neutral"},
    {"I spoke to Jane and she replied: approved, go ahead", "neutral"},
    {"<p>Client reply:</p><p>Approved - go ahead</p>", "neutral"},
    {"Client reply:<br><br>Approved - go ahead", "neutral"},
    -- The technician's own decision beside a report still decides.
    {"I approve, the client asked for it", "approve"},
    {"Approved. The client asked for it.", "approve"},
    {"Approved, Jane replied yes already.", "approve"},
    {"The client approved, go ahead", "approve"},
    {"The client said yes, so go ahead", "approve"},
    {"The client said no, so cancel this", "deny"},
    {"Called the client and they said go ahead, so approved.", "approve"},
    {"I've spoken to the client. Approved, go ahead.", "approve"},
    {"The client replied yesterday. Go ahead.", "approve"},
    {"Update:\nApproved, go ahead", "approve"},
    {"Note: approved, go ahead", "approve"},
    -- Speaker labels. A client's answer relayed in a hidden note as "Jane Doe 09:14: approved"
    -- ran the plan, because only a label of names alone before the colon read as a speaker.
    -- An address, a time, a date, "via" or a reporting verb in the label makes it one too.
    {"Jane Doe <jane.doe@acme.example>: approved", "neutral"},
    {"Jane Doe (jane.doe@acme.example): approved", "neutral"},
    {"jane.doe@acme.example: approved", "neutral"},
    {"<jane.doe@acme.example>: approved", "neutral"},
    {"Jane Doe 09:14: approved", "neutral"},
    {"Jane Doe at 09:14: approved", "neutral"},
    {"Jane Doe, 09:14: yes go ahead", "neutral"},
    {"Jane Doe on 3 Jun: approved", "neutral"},
    {"Jane Doe, Mon 3 Jun: approved", "neutral"},
    {"Client via portal: approved", "neutral"},
    {"Jane signed off: approved", "neutral"},
    {"Jane OK'd it: approved", "neutral"},
    {"Jane agreed by phone: yes", "neutral"},
    {"Jane Doe: approved", "neutral"},
    {"[10:42] Jane Doe: approved", "neutral"},
    {"Checking with the client\nJane Doe 09:14: approved", "neutral"},
    -- The technician's own labels and times are no speaker.
    {"Update 09:14: approved", "approve"},
    {"Today at 09:14: approved", "approve"},
    {"I confirmed: approved", "approve"},
    {"Me: approved", "approve"},
    {"Checked at 09:14: approved", "approve"},
    {"Tech note 09:14: approved", "approve"},
    {"Signed off: approved", "approve"},
    {"Jane Doe 09:14: approved\nApproved, go ahead", "approve"},
    -- A note_html of escaped text without tags, as the simulator writes a one-line note, was
    -- read as plain text, so its escapes hid the label's address and the plan ran.
    {"Jane Doe &lt;jane.doe@acme.example&gt;: approved", "neutral"},
    {"&lt;jane.doe@acme.example&gt;: approved", "neutral"},
    {"&gt; Approved", "neutral"},
    {"&quot;Approved&quot;, she wrote", "neutral"},
    {"Approved &amp; go ahead", "approve"},
    -- An answer typed below a quoted message is the technician's own (RULE.md).
    {"Jane wrote:\n> Approved\nGo ahead", "approve"},
    {"Jane replied:\nApproved\nGo ahead", "neutral"},
}

-- Hidden HTML: text a reader does not see, in any of the ways a mail can hide it, is read both
-- ways, so it can neither add nor take away an answer.
local HIDDEN_HTML_CASES = {
    -- Near-white text, CSS comments and escapes, style sheet rules and classes, an unclosed
    -- comment in a plain reply and a Markdown strike.
    {"<p>Looking into it</p><p style=\"color:#fffffe\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><p style=\"color:#FEFEFE\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><p style=\"color: rgb(254, 254, 254)\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><p style=\"color:#f0f0f0\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><p style=\"color:hsl(0, 0%, 99%)\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><font color=\"#FFFFFE\">Approved</font>", "neutral"},
    {"<p>Looking into it</p><p style=\"display:/**/none\">Approved</p>", "neutral"},
    {"<p>Looking into it</p><p style=\"dis\\play:none\">Approved</p>", "neutral"},
    {"<style>.z{color:#fff}</style><p>Looking into it</p><p class=\"z\">Approved</p>", "neutral"},
    {"<style>.z{color:#fefefe}</style><p>Looking into it</p><p class=\"z\">Approved</p>",
        "neutral"},
    {"<style>.z{dis\\play:none}</style><p>Looking into it</p><p class=\"z\">Approved</p>",
        "neutral"},
    {"<p>Looking into it</p><p class=\"hidden\">Approved</p>", "neutral"},
    {"<link rel=stylesheet href=\"x.css\"><p>Looking into it</p><p class=\"z\">Approved</p>",
        "neutral"},
    {"Looking into it <!-- Approved", "neutral"},
    {"~~Approved~~", "neutral"},
    {"Looking into it ~~Approved~~", "neutral"},
    {"Approved ~~no~~", "neutral"},
    {"<p>Approved</p><p>~~Denied~~</p>", "neutral"},
    {"<p style=\"color:#333333\">Approved</p>", "approve"},
    {"<p style=\"color:#ef0000\">Approved</p>", "approve"},
    {"<p style=\"color:#f0f\">Approved</p>", "approve"},
    {"<p style=\"color:rgb(239,250,250)\">Approved</p>", "approve"},
    {"<style><!-- /* Font Definitions */ p.MsoNormal{margin:0cm;color:black} --></style>"
        .. "<p class=MsoNormal>Approved</p>", "approve"},
    {"<p class=\"hidden-xs\">Approved</p>", "approve"},
    {"<p>Approved</p><!-- signature -->", "approve"},
    {"Approved ~", "approve"},
    {"Approved~~", "approve"},
    {"Approved;", "approve"},
    {"<p>Let me check</p><p style='visibility:hidden'>Approved</p>", "neutral"},
    {"<p>Let me check</p><p style=\"opacity:0\">Approved</p>", "neutral"},
    {"<p>Let me check</p><p style=\"font-size:0px\">Approved</p>", "neutral"},
    {"<p>Let me check</p><p style=\"color:#fff\">Approved</p>", "neutral"},
    {"<p>Let me check</p><p style=\"mso-hide:all\">Approved</p>", "neutral"},
    {"<p>Thanks</p><p style=\"max-height:0;overflow:hidden\">Approved</p>", "neutral"},
    {"<p>Thanks</p><font color=\"#FFFFFF\">Approved</font>", "neutral"},
    {"<p>Thanks</p><noscript>Approved</noscript>", "neutral"},
    {"<p>Approved</p><p style='display:none'>no</p>", "neutral"},
    {"<p>Approved</p><span style='font-size:0'>but not the reset</span>", "neutral"},
    {"<p>Approved</p><p style='color: white'>Denied</p>", "neutral"},
    {"<p>Approved</p><p style='opacity:0.05'>wait</p>", "neutral"},
    {"<p>Approved</p><p style='text-decoration:line-through'>not</p>", "neutral"},
    {"<s>Approved</s>", "neutral"},
    {"<p><del>Approved</del> No</p>", "neutral"},
    {"<p>Approved <!-- no", "neutral"},
    {"<p>Denied</p><p style='display:none'>approved</p>", "neutral"},
    {"<style>.h{display:none}</style><p>Thanks</p><p class=h>Approved</p>", "neutral"},
    {"<html><HEAD><style>.h { font-size: 0px }</style></HEAD><body><p>Approved</p></body></html>",
        "neutral"},
    {"<html><head><style>p.MsoNormal{margin:0cm;font-size:11pt}</style></head><body>"
        .. "<p class=MsoNormal>Approved</p></body></html>", "approve"},
    {string.rep("<style>p{margin:0}</style>", 8) .. "<p>Approved</p>", "approve"},
    {string.rep("<style>p{margin:0}</style>", 9) .. "<p>Approved</p>", "neutral"},
    {"<p>No</p><p style='visibility:hidden'>thanks</p>", "deny"},
    {"<span style='display:none'>Thanks</span><p>Approved</p>", "approve"},
    {"<p style='background-color:#ffffff;font-size:11pt'>Approved</p>", "approve"},
    {"<img style='width:0;height:0' src='x'><p>Approved</p>", "approve"},
    {"<hr style='display:inline-block;width:98%'><p>Approved</p>", "approve"},
}
for position, case in ipairs(HIDDEN_HTML_CASES) do
    expect_decision(string.format("hidden html case %d", position), case[1], case[2])
end

-- Attributes read as a browser reads them. Bug: a note showing only "Thanks." approved the plan
-- with '<div style="display&#58;none">Approved, go ahead.</div>' after it, because the policy
-- read the style without decoding its character references. Numeric references count with or
-- without their semicolon, a reference the policy cannot decode in a hiding attribute counts as
-- hiding, a ">" inside a quoted value does not end the tag, and a closed <details> hides all
-- but its summary.
local ESCAPED_HIDING_ATTRIBUTES = {
    "style=\"display&#58;none\"", "style=\"display&colon;none\"", "style=\"display&#x3a;none\"",
    "style=\"disp&#108;ay:none\"", "style=\"visibility&#58;hidden\"", "style=\"font-size&#58;0\"",
    "style=\"display:&#110;one\"", "style=\"display&#58none\"", "style=\"display&#x3Anone\"",
    "style='display&NewLine;:none'", "style=\"dis&#92;play:none\"", "style=\"color:&#35;FFF\"",
    "title=x style=\"display&#58;none\" class='a'", "class=\"hid&#100;en\"",
    "aria-hidden=\"tr&#117;e\"", "data-x=\">\" style=\"visibility:hidden\"", "title='>' hidden",
}
for position, attributes in ipairs(ESCAPED_HIDING_ATTRIBUTES) do
    expect_decision(string.format("escaped hiding attribute %d", position),
        "<p>Thanks.</p><div " .. attributes .. ">Approved, go ahead.</div>", "neutral")
end
local ATTRIBUTE_READING_CASES = {
    {"<p>Thanks.</p><font color=\"&#35;ffffff\">Approved, go ahead.</font>", "neutral"},
    {"<p>Thanks.</p><details><summary>Reply</summary>Approved, go ahead.</details>", "neutral"},
    {"<p>Thanks.</p><details class=\"open\"><summary>Reply</summary>Approved, go ahead.</details>",
        "neutral"},
    {"<p>Thanks.</p><details open><summary>Reply</summary>Approved, go ahead.</details>",
        "approve"},
    {"<p style=\"font-family:&quot;Calibri&quot;,sans-serif\">Approved</p>", "approve"},
    {"<p><a href=\"https://portal.example/?a=1&amp;b=2\" style=\"color:#0563C1\">Portal</a></p>"
        .. "<p>Approved</p>", "approve"},
    {"<div title=\"a>b\">Approved</div>", "approve"},
    {"<p>Thanks.</p><div title=\"a>Approved", "neutral"},
}
for position, case in ipairs(ATTRIBUTE_READING_CASES) do
    expect_decision(string.format("attribute reading case %d", position), case[1], case[2])
end
expect_decision("many attributes stay in budget", "<p " .. string.rep("a=b ", 45000) .. ">Approved",
    "approve")
expect_decision("many escaped tags stay in budget", "<p>Approved</p>"
    .. string.rep("<b style=\"color:&#35;333\" title='>'></b>", 4000), "approve")

-- Style patterns run in C, where the instruction count cannot see them: a long style must
-- cost time linear in its length.
checks = checks + 1
local started = os.clock()
policy.classify("<p style=\"" .. string.rep("a", 40000) .. "\">Approved</p>")
policy.classify("<p style=\"" .. string.rep("a-", 20000) .. "\">Approved</p>")
if os.clock() - started > 0.5 then
    report("long style stays linear", string.format("took %.2f s of CPU", os.clock() - started))
end
-- A long last line with many commas or dashes must read in linear time. The search for a name
-- after the last one used to backtrack there, at about 0.3 s of CPU for 3,000 bytes, which is
-- past halyard's budget. A ticket's damaged text can be such a line, and its plan then failed.
checks = checks + 1
local signature_started = os.clock()
policy.own_words(string.rep("word - other, ", 200), {format = "plain", writer_name = "Jane Doe"})
policy.own_words(string.rep("ab-", 1000), {format = "plain"})
if os.clock() - signature_started > 0.1 then
    report("long signed line stays linear",
        string.format("took %.2f s of CPU", os.clock() - signature_started))
end
expect_decision("many hidden spans in budget", "<p>Approved</p>"
    .. string.rep("<span style='display:none'>no</span>", 5000), "neutral")
expect_decision("long signature is neutral", "Approved\n--\n" .. string.rep("Tom Jones\n", 19000),
    "neutral")

-- A plan id that halyard passes must match the one the reply names.
expect_decision("matching plan_id approves", "Approved plan 38a21b13", "approve",
    {plan_id = "38a21b13"})
expect_decision("other plan_id is neutral", "Approved plan 38a21b13", "neutral",
    {plan_id = "5d22e09f"})
expect_reason("other plan id is another request", "Approved plan 5d22e09f\n\n> halyard asks "
    .. "for approval: plan 38a21b13", "other_request")
-- An approval that names or quotes an older plan approved the newer one: only "plan <id>"
-- with a digit in the id was read, and the quoted request note was not compared with plan_id.
local OTHER_PLAN_CASES = {
    {"Approved plan: 38a21b13", "neutral"},
    {"38a21b13: approved", "neutral"},
    {"Approved, plan id 38a21b13", "neutral"},
    {"Approved, id 38a21b13", "neutral"},
    {"re 38a21b13 - approved", "neutral"},
    {"Approved, plan deadbeef", "neutral"},
    {"Approved #38a21b13", "neutral"},
    {"Approved\n\n> halyard asks for approval: plan 38a21b13", "neutral"},
    {"Approved plan 5d22e09f\n\n> halyard asks for approval: plan 38a21b13", "neutral"},
    {"Approved plan: 5d22e09f", "approve"},
    {"5d22e09f: approved", "approve"},
    {"Approved, plan id 5d22e09f", "approve"},
    {"Approved\n\n> halyard asks for approval: plan 5d22e09f", "approve"},
    {"Approved\n\n> halyard asks for approval: plan 5d22e09f\n> plan 38a21b13", "approve"},
    {"Approved, plan decade", "approve"},
}
for position, case in ipairs(OTHER_PLAN_CASES) do
    expect_decision(string.format("other plan case %d", position), case[1], case[2],
        {plan_id = "5d22e09f"})
end
expect_error("plan_id of wrong type raises",
    "bad argument #2 to 'classify' (options.plan_id must be a string or nil, got number)",
    "approved", {plan_id = 38})
expect_reason("a mixed-script word is not English", "Approved. N\208\190.", "not_english")
expect_reason("a retraction contradicts", "Approved. Changed my mind.", "contradictory")
expect_reason("a pause defers", "Approved, one sec", "deferred")
expect_reason("a full-width question mark asks", "Approved\239\188\159", "question")

-- halyard's own request note, pasted without a quote marker. Its "approve" and "deny" never
-- count, and an answer written below its footer does.
local NOTE = "halyard asks for approval: plan 5d22e09f\n\n"
    .. "NW-LT-0415 has 1.2 GB free on C: and Outlook stops syncing.\n\n"
    .. "This client's agent runs in Execute mode. Once approved, halyard runs these steps, in "
    .. "this order, each once:\n"
    .. "  1. step 1: rmm.run_disk_cleanup with {\"device\":\"NW-LT-0415\"} - clear temp files\n\n"
    .. "To answer, Grace Mwangi, the technician assigned to this ticket, adds a note or reply "
    .. "here: approve (or \"yes, go ahead\") runs all the steps above; deny stops the run. The "
    .. "request expires at 2026-12-05 12:00 UTC.\n\n"
    .. "Plan 5d22e09f, run 77, ticket #3381.\n"
    .. "halyard run 77.request.12\n"
local NOTE_WITHOUT_FOOTER = NOTE:gsub("Plan 5d22e09f.*$", "")
local PASTED_NOTE_CASES = {
    {"Approved\n\n" .. NOTE, "approve"},
    {"Go ahead\r\n\r\n" .. NOTE:gsub("\n", "\r\n"), "approve"},
    {"Thanks, having a look\n\n" .. NOTE, "neutral"},
    {"No\n\n________________________________\n" .. NOTE, "deny"},
    {"[Ticket #3381] " .. NOTE, "neutral"},
    {NOTE .. "\nDenied, the laptop is being replaced", "deny"},
    {"Approved\n\n" .. NOTE .. "\nActually no, cancel it", "deny"},
    {"Approved\n\n" .. NOTE_WITHOUT_FOOTER .. "but not the cleanup", "neutral"},
    {"Approved\n\n" .. NOTE_WITHOUT_FOOTER, "neutral"},
    {"<div>Approved</div><hr><div style=\"font-family:Segoe UI\"><p><b>halyard asks for approval: "
        .. "plan 5d22e09f</b></p><p><b>To answer</b>, Grace, the technician assigned to this ticket, "
        .. "adds a note or reply here: <b>approve</b> (or &quot;yes, go ahead&quot;) runs all the "
        .. "steps above; <b>deny</b> stops the run.</p><p>Plan 5d22e09f, run 77, ticket #3381.</p>"
        .. "</div>", "approve"},
}
for position, case in ipairs(PASTED_NOTE_CASES) do
    expect_decision(string.format("pasted note case %d", position), case[1], case[2])
end
checks = checks + 1
local pasted_cost = 0
debug.sethook(function()
    pasted_cost = pasted_cost + 1
end, "", 1000)
policy.classify(string.rep("halyard asks for approval: plan 5d22e09f\n", 4500))
debug.sethook()
if pasted_cost * 1000 > INSTRUCTION_BUDGET / 4 then
    report("many note titles stay linear", string.format("used about %d instructions",
        pasted_cost * 1000))
end

for position, case in ipairs(CASES) do
    expect_decision(string.format("case %d", position), case[1], case[2], case[3])
end

-- An approval the writer reports giving earlier, or gives inside a remark, is not an answer to
-- this request: it may be of another one. A present approval beside such words still counts.
local EARLIER_APPROVAL_CASES = {
    {"FYI I approved the other one this morning.", "neutral"},
    {"FYI I approved the other one.", "neutral"},
    {"I approved it this morning.", "neutral"},
    {"We approved it yesterday", "neutral"},
    {"btw I approved the one for Tom on Monday", "neutral"},
    {"I approved it last week, go ahead now", "approve"},
    {"I approved it, go ahead", "approve"},
    {"Approved. FYI the user is in Paris.", "approve"},
}
for position, case in ipairs(EARLIER_APPROVAL_CASES) do
    expect_decision(string.format("earlier approval case %d", position), case[1], case[2])
end

-- The assigned technician's own name as a speaker's label, after "by" or as a signature read as
-- a relay, so her own approval was neutral. And the reverse: an approval signed with another
-- person's name ("Approved - Jane", a pasted name block) or given "per our call with Jane"
-- counted as the technician's own, so it ran the plan. With options.writer_name her name keeps the answer
-- hers, and any other name, or hers with an address, still relays. Without it, a label relays.
local SAM = {writer_name = "Sam Lead"}
local WRITER_CASES = {
    {"Sam Lead: approved", "approve", SAM},
    {"Sam: approved", "approve", SAM},
    {"Sam Lead:\napproved", "approve", SAM},
    {"Sam Lead 09:14: approved", "approve", SAM},
    {"Approved by Sam Lead.", "approve", SAM},
    {"Approved by Sam", "approve", SAM},
    {"Approved - Sam", "approve", SAM},
    {"Approved\n\nSam Lead\nService Desk", "approve", SAM},
    {"Yes - Sam", "approve", SAM},
    {"Sam Lead: approved", "approve", {writer_name = "  sam   LEAD "}},
    {"Sam Lead: approved", "approve", {writer_name = "\208\133am Lead"}},
    {"Approved by Mark Hill", "approve", {writer_name = "Mark Hill"}},
    {"Denied by Sam Lead", "deny", SAM},
    {"Sam Lead: not approved", "deny", SAM},
    {"Sam Lead: approved if she confirms", "neutral", SAM},
    {"Sam Lead: approved?", "neutral", SAM},
    {"Jane Doe: approved", "neutral", SAM},
    {"Sam Smith: approved", "neutral", SAM},
    {"Reply from Sam Smith:\nApproved.", "neutral", SAM},
    {"Reply from Sam Smith:\nApproved.", "neutral", {writer_name = "Sam"}},
    {"Reply from Sam Lead:\nApproved.", "approve", SAM},
    {"Jane - approved", "neutral", SAM},
    {"Per Jane: go ahead", "neutral", SAM},
    {"Approved by the client", "neutral", SAM},
    {"Approved by Sam Lead for the client", "neutral", SAM},
    {"Approved by Sam Lead on behalf of Jane", "neutral", SAM},
    {"Sam Lead <jane.doe@acme.example>: approved", "neutral", SAM},
    {"Sam Lead: the client approved", "neutral", SAM},
    {"Sam Lead:\nJane Doe: approved", "neutral", SAM},
    {"Yes - Jane", "neutral", SAM},
    {"Approved - Jane", "neutral", SAM},
    {"OK to go - Jane", "neutral", SAM},
    {"Go ahead, Jane Doe.", "neutral", SAM},
    {"Approved\n\nJane Doe\nOffice Manager\nAcme Ltd", "neutral", SAM},
    {"Approved.\nJane", "neutral", SAM},
    {"Approved\n\nThanks,\nJane", "neutral", SAM},
    {"Approved\n\nThanks, Jane", "neutral", SAM},
    {"Approved - Sam Smith", "neutral", SAM},
    {"Denied - Jane", "deny", SAM},
    {"Approved - Sam Lead", "approve", SAM},
    {"Approved\n\nThanks,\nSam", "approve", SAM},
    {"Approved - thanks", "approve", SAM},
    {"Approved, thanks", "approve", SAM},
    {"Approved - go ahead", "approve", SAM},
    {"Approved - Jane", "neutral"},
    {"Approved - Sam", "neutral"},
    {"Approved\n\nJane Doe\nOffice Manager\nAcme Ltd", "neutral"},
    {"Per our call with Jane, approved", "neutral", SAM},
    {"As per my call with the client, go ahead", "neutral", SAM},
    {"Approved per phone call with Jane", "neutral", SAM},
    {"Per our call, approved", "approve", SAM},
    {"Thanks\n\nOn Mon, 3 Jun 2026 at 09:14, Sam Lead <sam@msp.example> wrote:\n> Approved",
        "neutral", SAM},
    {"Client: approved", "neutral", {writer_name = "Client"}},
    {"Customer replied: approved", "neutral", {writer_name = "Customer Services"}},
    {"Sam Lead: approved", "neutral", {writer_name = ""}},
    {"Sam Lead: approved", "neutral", {writer_name = "Sam Lead Sam Lead Sam"}},
    {"Sam Lead: approved", "neutral"},
    {"Approved by Sam Lead.", "neutral"},
}
for position, case in ipairs(WRITER_CASES) do
    expect_decision(string.format("writer case %d", position), case[1], case[2], case[3])
end
expect_decision("writer's name stays in budget", string.rep("Sam Lead ", 440) .. "approved",
    "neutral", {writer_name = "Sam Lead"})

-- A speaker's label whose first name is also a word ("Mark Hill:") or that speaks for someone
-- ("Sam Lead for Jane Doe:") read as the technician's heading, so the answer relayed after it
-- approved. A heading of words ("Update 09:14:") and the writer's own name still do not relay.
local LABEL_CASES = {
    {"Mark Hill: approved", "neutral"},
    {"Will Smith 09:14: approved", "neutral"},
    {"Mark Hill: approved", "neutral", SAM},
    {"Sam Lead for Jane Doe: approved", "neutral", SAM},
    {"Sam Lead (for Jane): approved", "neutral", SAM},
    {"Me for the client: approved", "neutral"},
    {"Mark Hill: approved", "approve", {writer_name = "Mark Hill"}},
    {"Update 09:14: approved", "approve"},
    {"Note: approved", "approve"},
}
for position, case in ipairs(LABEL_CASES) do
    expect_decision(string.format("label case %d", position), case[1], case[2], case[3])
end

-- A label that the lists know as a word ("Mark:"), in lower case ("jane doe:") or with other
-- words among the names ("Jane, office manager:", "Tom and Jane:", "Jane Doe (Acme IT):") read
-- as the technician's own, so the client's approval relayed after it approved. Only her own
-- name or a heading keeps the decision hers.
local OTHER_LABEL_CASES = {
    {"Mark: approved", "neutral", SAM},
    {"Mark: approved", "neutral"},
    {"Will - go ahead", "neutral", SAM},
    {"jane doe: approved", "neutral", SAM},
    {"jane doe - approved", "neutral"},
    {"Jane, office manager: approved", "neutral", SAM},
    {"Tom and Jane: approved", "neutral", SAM},
    {"Tom & Jane: yes", "neutral"},
    {"Jane Doe (Acme IT): approved", "neutral", SAM},
    {"the customer's manager: approved", "neutral", SAM},
    {"J.D.: approved", "neutral", SAM},
    {"JD - approved", "neutral", SAM},
    {"Mrs Doe: approved", "neutral", SAM},
    {"Acme IT: approved", "neutral", SAM},
    {"Sam Lead (Service Desk): approved", "neutral", SAM},
    {"Sam, service desk: approved", "neutral", SAM},
    {"Mark:\napproved", "neutral", SAM},
    {"Mark -\nApproved.\nGo ahead.", "neutral", SAM},
    {"Jane Doe (Acme IT):\n\nApproved", "neutral", SAM},
    {"Ahmed: approved", "neutral", SAM},
    {"Sam Lead: approved", "approve", SAM},
    {"Sam - approved", "approve", SAM},
    {"Reply from Sam Lead: approved", "approve", SAM},
    {"Note: approved", "approve", SAM},
    {"Status: approved", "approve", SAM},
    {"Re: approved", "approve", SAM},
    {"Answer: approved", "approve", SAM},
    {"Decision: approved", "approve", SAM},
    {"Approval: yes", "approve", SAM},
    {"Update (09:14): approved", "approve", SAM},
    {"Tech note 09:14: approved", "approve", SAM},
    {"Approved.", "approve", SAM},
    {"Yes, go ahead", "approve", SAM},
    {"Thanks - approved", "approve", SAM},
    {"Checked the logs - approved", "approve", SAM},
    {"No objections - go ahead.", "approve", SAM},
    {"Rebooted it - go ahead", "approve"},
    {"thx - approved", "approve"},
    {"Me: approved", "approve"},
    {"Mark: denied", "neutral", SAM},
}
for position, case in ipairs(OTHER_LABEL_CASES) do
    expect_decision(string.format("other label case %d", position), case[1], case[2], case[3])
end

-- Short approvals with a rule as their reason ("Approved per our policy.") and "OK to go" were
-- neutral. A person after "per" is still a source, and a refusal or a condition still wins.
local SHORT_APPROVAL_CASES = {
    {"OK to go", "approve"},
    {"ok to run", "approve"},
    {"Approved per our policy.", "approve"},
    {"Approved in line with policy", "approve"},
    {"Approved per SOP", "approve"},
    {"Approved per our MSP policy", "approve"},
    {"Good to go per our runbook", "approve"},
    {"Approved per the SLA", "approve"},
    {"Approved per our change management process", "approve"},
    {"ok go", "approve"},
    {"fine by me, go", "approve"},
    {"OK to go?", "neutral"},
    {"OK to go once the user confirms", "neutral"},
    {"OK to go after 5pm", "neutral"},
    {"ok to run the reset", "neutral"},
    {"Jane: ok to go", "neutral"},
    {"Approved per the client", "neutral"},
    {"Approved per Acme policy", "neutral"},
    {"Approved per our policy on resets", "neutral"},
    {"Approved per policy if the user confirms", "neutral"},
    {"not ok to go", "deny"},
    {"Not approved per policy", "deny"},
    {"Per policy, denied", "deny"},
}
for position, case in ipairs(SHORT_APPROVAL_CASES) do
    expect_decision(string.format("short approval case %d", position), case[1], case[2])
end

-- A refusal after an HTML block element the reader did not break words at (summary, legend,
-- figcaption, a table cell, <wbr>) was glued to the word before it, and "<!-->" (an empty
-- comment in HTML) hid the rest of the body, so these approved.
local HTML_REFUSAL_CASES = {
    "<p>Approved.</p><details open><summary>Note</summary>Don't change the status</details>",
    "<p>Approved.</p><fieldset><legend>Note</legend>Don't change the status</fieldset>",
    "<p>Approved.</p><figure><figcaption>Note</figcaption>Don't change the status</figure>",
    "<p>Approved.</p><table><caption>Note</caption><tr><td>Don't change the status</td></tr>"
        .. "</table>",
    "<p>Approved.</p><aside>Note</aside>Don't change the status",
    "<p>Approved.</p><nav>Note</nav><main>Don't change the status</main>",
    "<p>Approved.</p><form>Note</form>Don't change the status",
    "<p>Approved.</p><dialog open>Note</dialog>Don't change the status",
    "<p>Approved.</p><search>Note</search><menu>Don't change the status</menu>",
    "<p>Approved.</p><table><tr><th>Note</th></tr></table>Don't change the status",
    "<p>Approved.</p><p>Note<wbr>Don't change the status</p>",
    "<p>Approved.</p><!-->Do not go ahead",
    "<p>Approved.</p><!--->Do not go ahead",
    "<p>Approved.</p><!-- old --!>Do not go ahead",
}
for position, html in ipairs(HTML_REFUSAL_CASES) do
    local reply = policy.classify(html, {format = "html"})
    checks = checks + 1
    if reply.decision == "approve" then
        report(string.format("html refusal case %d", position),
            string.format("%q approved; the refusal after the block is visible", html))
    end
end
expect_decision("comment still hides", "<p>Approved.</p><!-- Do not go ahead -->", "approve",
    {format = "html"})
expect_decision("empty comment joins", "<p>Appr<!---->oved.</p>", "approve", {format = "html"})
-- An approval beside an obligation on someone else approved at once: "Approved, Jane must
-- confirm" holds only once Jane confirms, so it is conditional.
local OBLIGATION_CASES = {
    {"Approved, Jane must confirm", "neutral"},
    {"Approved. Manager approval still needed.", "neutral"},
    {"Approved. Waiting for Jane.", "neutral"},
    {"Approved. Requires manager sign-off.", "neutral"},
    {"Approved. Jane to sign off.", "neutral"},
    {"Approved. Jane will confirm.", "neutral"},
    {"Approved. The manager has to agree.", "neutral"},
    {"Approved per policy: Jane must confirm", "neutral"},
    {"Jane must confirm, but approved", "neutral"},
    {"Approved. The client needs to be told.", "neutral"},
    {"Go ahead, waiting on the manager's OK", "neutral"},
    {"Approved, needs Jane's approval", "neutral"},
    {"Approved, sign-off pending from Jane", "neutral"},
    {"Approved, manager approval to follow", "neutral"},
    {"Approved, happy to give approval to this", "approve"},
    {"Approved. Remember to check the logs.", "approve"},
    {"Approved, I'll let Jane know", "approve"},
    {"Approved, Jane asked for it", "approve"},
    {"Approved. I must say, good plan.", "approve"},
    {"Approved, the user is waiting on this", "approve"},
    {"No approval needed, go ahead.", "approve"},
}
for position, case in ipairs(OBLIGATION_CASES) do
    expect_decision(string.format("obligation case %d", position), case[1], case[2])
end

-- Each MSP's Lua state contains this policy beside the other scripts, and their sum has a goal
-- of under 2 MiB (docs/benchmarks.md). With a table per phrase the policy kept 587 KiB, with
-- its phrases in one array 447 KiB.
checks = checks + 1
if policy_memory_kib > MEMORY_BUDGET_KIB then
    report("policy memory within budget", string.format("the policy keeps %.0f KiB once "
        .. "loaded, more than its budget of %d KiB; make room in its tables before it grows",
        policy_memory_kib, MEMORY_BUDGET_KIB))
end

print(string.format("%d of %d checks passed", checks - failures, checks))
os.exit(failures == 0 and 0 or 1)
