-- Unit cases of the approval policy (config/policies/approval.lua): bad input, limits, the
-- parts that find the technician's own words, and replies written for this file (none of them
-- is a row of tests/data/replies/replies.jsonl), each labelled by tests/data/replies/RULE.md.
--
--   lua5.4 tests/policies/approval_cases.lua [--policy FILE]
--
-- Prints one line per failed case and a total, and exits 1 when any case fails. The policy
-- runs in an environment like halyard's script sandbox, with a count hook that fails any call
-- using more than the sandbox's default budget of 10 million instructions.

local INSTRUCTION_BUDGET = 10000000

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

local file = assert(io.open(policy_path, "r"))
local source = file:read("a")
file:close()
local policy = assert(load(source, "@" .. policy_path, "t", sandbox_environment()))()

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
    {"<div>Approved</div><div><br></div><div>Thanks,</div><div>Sam</div>", "approve"},
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
    {"yes\n\nthanks\nSam", "approve"},
    {"Approved\n\nKind regards\n\nSam Okafor\nNorthwind IT Ltd\n020 7946 0123", "approve"},
    {"Approved.\n\n"
        .. "This email and any attachments are confidential and intended solely for the "
        .. "addressee.", "approve"},
    {"Approved\n________________________________\nFrom: Halyard <h@msp.example>\n"
        .. "Sent: Tuesday\nTo: Sam\nSubject: Approval needed\n\nReply deny", "approve"},
    {"<html><body><p>Approved</p></body></html>", "approve"},
    {"<div dir=\"ltr\">Yes please</div>", "approve"},
    {"<p>Go ahead.<br></p><p><br></p><div class=\"gmail_signature\">Sam<br>Northwind</div>",
        "approve"},
    {"Approved\r\n\r\nSent from Outlook for iOS", "approve"},
    {"Go ahead\n\nOn 4 Mar 2025, at 10:12, Halyard <h@msp.example> wrote:\n\n> Reply deny",
        "approve"},
    {"Approved. Cheers, Sam", "approve"},
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
    {"<p>Yes<br>Sam</p>", "approve"},
    {"Yes\nSam", "approve"},
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
    {"Go ahead\n\nRegards,\nTom\n\nActually no, don't", "deny"},
    {"Approved\n\nKind regards\nTom Lee\nT: 020 7946 0123\ntom@northwind.example", "approve"},
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
}

for position, case in ipairs(CASES) do
    expect_decision(string.format("case %d", position), case[1], case[2])
end

print(string.format("%d of %d checks passed", checks - failures, checks))
os.exit(failures == 0 and 0 or 1)
