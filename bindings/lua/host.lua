-- The entry points the C host calls (bindings/lua_host.c). Each takes JSON text and returns
-- text; bad input returns nil and a message that names the input and what to pass instead.

local modules = ...
local canonical = modules.canonical
local match = modules.match
local context = modules.context
local note = modules.note
local tools = modules.tools
local loader = modules.loader
local agent = modules.agent
local gather = modules.gather
local redact = modules.redact

-- The MSP's short name for log lines; the C host sets it after loading the modules.
local host = {msp = "-"}

-- Decodes JSON text. Returns the value, or nil and a message naming what was decoded.
local function decode(text, what, expected)
    if type(text) ~= "string" or text == "" then
        return nil, string.format("%s is missing; pass %s", what, expected)
    end
    local ok, value = pcall(json.decode, text)
    if not ok then
        return nil, string.format("%s is not valid JSON (%s); pass %s", what, tostring(value),
            expected)
    end
    return value
end

-- The HaloPSA client id that workflow scopes and the tool policy are checked against: the
-- ticket's own client, else the imported client's id.
local function scope_client_id(built)
    if built.ticket.client ~= nil and built.ticket.client.id ~= nil then
        return built.ticket.client.id
    end
    return built.client and built.client.id
end

-- HaloPSA's who_type of an action written by an end user. The simulator uses 2, and the value
-- in HaloPSA itself is inferred, so an action with no who_type and no agent counts as well.
local WHO_TYPE_END_USER = 2

-- Returns name lower-cased without outer spaces, or nil when it has no text.
local function author_key(name)
    local text = context.to_text(name)
    return text and text:lower()
end

--[[
Returns the replies end users wrote, oldest first, from a GET /api/Actions body ({"actions":
[...]} or a bare array), each {author, text, body, format}: author is the action's `who` (may
be nil); text and body are the action's note_html when it has one, else its note, with format
"html" or "auto". The HTML comes first because the plain note HaloPSA derives from it keeps the
text a reader does not see and loses the quote blocks, and the policy, the workflows and the
quote splitter each read HTML by their own rules. Technicians' notes, halyard's notes and
system actions are left out: only what an end user writes can ask for something on their
behalf. With author (a HaloPSA user name), only the actions whose `who` is that name, ignoring
case and outer spaces, are returned, and an action without a `who` is left out. Reading stops
once the texts hold context.MATCH_TEXT_MAX bytes, far more than the sensitive policy reads, so
a ticket with that much is screened as too long either way.
]]
local function end_user_replies(actions, author)
    local list = type(actions) == "table" and (actions.actions or actions) or {}
    local expected = author ~= nil and (author_key(author) or false) or nil
    local replies = {}
    local total = 0
    for _, action in ipairs(type(list) == "table" and list or {}) do
        if total > context.MATCH_TEXT_MAX then
            break
        end
        if type(action) == "table" then
            local who_type = tonumber(action.who_type)
            local by_agent = (context.to_id(action.who_agentid) or 0) > 0
                or (context.to_id(action.actionby_agent_id) or 0) > 0
            local by_end_user = who_type == WHO_TYPE_END_USER
                or (who_type == nil and not by_agent and action.hiddenfromuser ~= true)
            if expected ~= nil and author_key(action.who) ~= expected then
                by_end_user = false
            end
            -- The HTML body comes first when there is one, because the plain text HaloPSA
            -- derives from it keeps the text a reader does not see, and the policy and the
            -- workflows each read HTML by their rules for hidden text.
            local html = by_end_user and context.drop_data_uris(context.to_text(action.note_html))
            local text = by_end_user
                and (html or context.drop_data_uris(context.to_text(action.note)))
            if text then
                replies[#replies + 1] = {id = context.to_id(action.id) or 0,
                    author = context.to_text(action.who), text = text,
                    body = html or text, format = html and "html" or "auto"}
                total = total + #text
            end
        end
    end
    table.sort(replies, function(a, b)
        return a.id < b.id
    end)
    return replies
end

-- Describes a value for a message about a policy's result: a string quoted and cut to 40
-- bytes with any credential or code in it cut, anything else as its type (and number or
-- boolean value).
local function describe_value(value)
    if type(value) == "string" then
        local shown = redact.cut_ticket_quote(value)
        if #shown > 40 then
            -- The last character may be cut inside its UTF-8 bytes, so it goes whole.
            shown = shown:sub(1, 40):gsub("[\192-\255][\128-\191]*$", "") .. "..."
        end
        return string.format("is the string %q", shown)
    end
    if type(value) == "number" or type(value) == "boolean" then
        return string.format("is the %s %s", type(value), tostring(value))
    end
    return "is " .. (value == nil and "missing" or "a " .. type(value))
end

-- Returns where a Lua error was raised, as "approval.lua:12" (the script's file name and line),
-- or "" when its first line names no script.
local function error_position(problem)
    local path, line = tostring(problem):match("^([^\n:]*%.lua):(%d+):")
    if path == nil then
        return ""
    end
    return path:match("[^/]*$") .. ":" .. line
end

-- Failures of an MSP policy that a caller reads as "no answer" and does not raise, counted by
-- what failed and where. This host serves one version of the MSP's scripts, so a reload starts
-- the count again. Past POLICY_FAILURE_KEYS distinct places, failures count under what failed
-- alone, so the table stays small.
local POLICY_FAILURE_KEYS = 64
local policy_failures, policy_failure_keys = {}, 0

--[[
Logs a policy failure that the caller gets past without raising: the first time, then at every
hundredth repeat with the count, so a policy that fails on every reply does not flood the log.
where says where it failed ("at approval.lua:12") or what was invalid, in words halyard wrote
or cut (describe_value). The log never has the error's message: a policy's message may quote
the text it read, such as a reply with a password in it, and the notes leave it out too.
]]
local function warn_policy_failed(what, where)
    local key = what .. "\0" .. where
    if policy_failures[key] == nil then
        if policy_failure_keys >= POLICY_FAILURE_KEYS then
            key = what
        else
            policy_failure_keys = policy_failure_keys + 1
        end
    end
    local count = (policy_failures[key] or 0) + 1
    policy_failures[key] = count
    if count == 1 or count % 100 == 0 then
        log.warning("msp=%s %s %s (%d time%s; the error's message is left out, as it may quote "
            .. "the text; fix the policy and run `halyard workflows lint`)", host.msp, what, where,
            count, count == 1 and "" or "s")
    end
end

-- Returns where a raised error comes from, for the log: "at approval.lua:12", or what kind of
-- error it is when it names no line (error("...", 0), or a value that is not a string).
local function raised_where(problem)
    local position = error_position(problem)
    if position ~= "" then
        return "at " .. position
    end
    if type(problem) == "string" then
        return "with an error that names no line"
    end
    return "with a " .. type(problem) .. " as its error"
end

--[[
Adds one failure of the approval policy's own_words on a reply, or on the ticket's details when
details is true, to failures (a list, or nil to add nothing). failure is "raised" or "returned
an invalid result", position is where it raised (error_position), and problem says what was
invalid. Failures alike share one entry {function = "own_words", failure, position, problem,
replies, details}, where replies counts the replies and details tells whether the details
failed too. No entry holds the error's message, because a policy's message may quote the reply,
and the entries reach a note on the ticket.
]]
local function add_split_failure(failures, details, failure, position, problem)
    if failures == nil then
        return
    end
    local found = nil
    for _, entry in ipairs(failures) do
        if entry.failure == failure and entry.position == position
                and entry.problem == problem then
            found = entry
        end
    end
    if found == nil then
        found = {["function"] = "own_words", failure = failure, position = position,
            problem = problem, replies = 0, details = false}
        failures[#failures + 1] = found
    end
    if details then
        found.details = true
    else
        found.replies = found.replies + 1
    end
end

-- Returns the plain texts of replies (a list from end_user_replies).
local function reply_texts(replies)
    local texts = {}
    for index, reply in ipairs(replies) do
        texts[index] = reply.text
    end
    return texts
end

--[[
Splits a reply (from end_user_replies) into the writer's own words and the quoted mail, as the
approval policy's own_words reads a technician's reply (docs/policies.md): ">" lines, an
"-----Original Message-----" or "Forwarded message" line, an Outlook "From: ... Sent:" header
block and an "On ... wrote:" line quote every line below them, and so do an HTML blockquote
(Apple Mail, Thunderbird) and Gmail's and Outlook's quote blocks. A signature and text the HTML
hides are left out of the own words too. writer ({name, email}, may be nil) is who wrote the
reply, the ticket's requester: a quote, header or chat line naming her is her own earlier words.
Returns own, quoted and signature, or nil when the reply cannot be split: own_words is missing
from the MSP's approval policy, raised, returned an invalid result or found the reply too long.
The plan then reads none of the reply, and the screening counts all of it as the writer's.
reply.is_details marks the ticket's details. failures (may be nil) is the caller's list of
own_words failures (add_split_failure), which the plan hands to the core for the technician's
note.
]]
local function split_reply(reply, writer, failures)
    local policy = loader.policies().approval
    if type(policy) ~= "table" or type(policy.own_words) ~= "function" then
        return nil
    end
    local options = {format = reply.format, writer_name = writer and writer.name,
        writer_email = writer and writer.email}
    local ok, own, quoted, signature = pcall(policy.own_words, reply.body, options)
    if not ok then
        warn_policy_failed("approval policy's own_words raised", raised_where(own))
        add_split_failure(failures, reply.is_details, "raised", error_position(own), "")
        return nil
    end
    if type(own) ~= "string" then
        -- nil, "too_long" is own_words' documented result for a reply over its limits.
        if not (own == nil and quoted == "too_long") then
            local problem = "own words " .. describe_value(own) .. ", expected a string"
            warn_policy_failed("approval policy's own_words returned an invalid result",
                "(" .. problem .. ")")
            add_split_failure(failures, reply.is_details, "returned an invalid result", "",
                problem)
        end
        return nil
    end
    return own, type(quoted) == "string" and quoted or "",
        type(signature) == "string" and signature or ""
end

-- Returns the own words of each reply that has some, for the plan. A request quoted in the
-- requester's reply ("Bob asked me to pass this on" above Bob's mail) is not the requester's
-- request, and steps made from it would act on the requester's account. requester is
-- {name, email} (context.ticket_requester), the replies' writer. failures is as split_reply's.
local function own_reply_texts(replies, requester, failures)
    local texts = {}
    for _, reply in ipairs(replies) do
        local own = split_reply(reply, requester, failures)
        if own ~= nil and own:find("%S") then
            texts[#texts + 1] = own
        end
    end
    return texts
end

-- Splits a ticket's details as a reply is split (split_reply). Returns the requester's own words
-- with the signature, and the quoted or forwarded mail; the details whole and "" when they
-- cannot be split. A ticket opened by forwarding a colleague's mail has the forward there.
-- requester is {name, email}, the writer of the details. failures is as split_reply's.
local function split_details(details, requester, failures)
    local own, quoted, signature = split_reply({body = details or "", format = "auto",
        is_details = true}, requester, failures)
    if own == nil then
        return details or "", ""
    end
    return own .. "\n" .. signature, quoted
end

-- Returns a ticket's details with the replies (a list of texts) joined after them, one per
-- line, cut for matching: the details both the screening and the plan match workflows on.
-- A reply is read as a reader sees it, without HTML and hidden text (context.visible_text).
local function details_with_replies(details, replies)
    if #replies > 0 then
        local visible = {}
        for index, reply in ipairs(replies) do
            visible[index] = context.visible_text(reply)
        end
        details = (details or "") .. "\n" .. table.concat(visible, "\n")
    end
    return context.match_text(details)
end

-- Matches a built context against the active workflows in scope. replies (a list of texts,
-- may be nil) are matched as part of the details. With replies, mail forwarded or quoted in the
-- details is left out as well, as it is from the replies. Logs a warning for each score function that
-- raised. Returns the matches, highest score first: Index:run's results, or with as_json, the
-- JSON text host.match returns. failures is as split_reply's.
local function match_context(built, as_json, replies, failures)
    local fields = context.match_fields(built)
    if replies ~= nil then
        fields.details = details_with_replies((split_details(built.ticket.details,
            built.requester, failures)), replies)
    end
    local prepared = match.prepare(fields)
    local run = as_json and loader.index.run_json or loader.index.run
    local matches, errors = run(loader.index, prepared, built.ticket, scope_client_id(built))
    for _, failure in ipairs(errors) do
        log.warning("msp=%s run=%s ticket=%d workflow %s (%s): score function failed: %s",
            host.msp, built.run_id or "-", built.ticket.id, failure.key.name, failure.key.file,
            failure.message)
    end
    return matches
end

-- Checks a run id: letters, digits, '-', '_', '.' and ':'. Returns true, or nil and a message.
local function check_run_id(run_id)
    if type(run_id) ~= "string" or not run_id:find("^[%w%-_.:]+$") then
        return nil, string.format("run id %s is invalid; use letters, digits, '-', '_', '.' "
            .. "or ':'", run_id == nil and "(missing)" or string.format("%q", tostring(run_id)))
    end
    return true
end

-- Decodes the optional run JSON into {mode, sensitive, verification}. Returns the run, or nil
-- and a message.
local function decode_run(run_json)
    local value = nil
    if run_json ~= nil then
        local problem
        value, problem = decode(run_json, "the run JSON",
            "{\"mode\": \"plan\", \"sensitive\": false, \"verification\": \"none\"}")
        if value == nil then
            return nil, problem
        end
    end
    return tools.read_run(value)
end

--[[
Decodes the ticket, actions and client JSON texts and builds the context. Returns the context
and the requester's own words of each reply they wrote (own_reply_texts), or nil and a message
naming the input that was wrong. failures is as split_reply's.
]]
local function build_context(ticket_json, actions_json, client_json, run_id, failures)
    local ticket, problem = decode(ticket_json, "the ticket JSON",
        "the body of GET /api/Tickets/{id}")
    if ticket == nil then
        return nil, problem
    end
    local actions = {}
    if actions_json ~= nil then
        actions, problem = decode(actions_json, "the actions JSON",
            "the body of GET /api/Actions?ticket_id=")
        if actions == nil then
            return nil, problem
        end
    end
    local client = nil
    if client_json ~= nil then
        client, problem = decode(client_json, "the client JSON",
            "{\"id\": 12, \"name\": \"...\", \"mode\": \"plan\"}")
        if client == nil then
            return nil, problem
        end
    end
    local built
    built, problem = context.build(ticket, actions, client, run_id)
    if built == nil then
        return nil, problem
    end
    return built, own_reply_texts(end_user_replies(actions, ticket.user_name), built.requester,
        failures)
end

--[[
Lists the tools the agent may use in this run, each {name, description, kind, parameters,
policy}, sorted by name. A disabled tool is not in the list.
]]
local function available_tools(built, run)
    local list = canonical.array()
    local policy_table = loader.policies().tools
    local policy_failed = loader.policy_failed("tools")
    for _, name in ipairs(tools.names()) do
        local tool = tools.get(name)
        local policy = tools.policy_for(name, tool.kind, scope_client_id(built), run,
            policy_table, policy_failed)
        if policy ~= "disabled" then
            local described = tools.describe(name)
            described.policy = policy
            list[#list + 1] = described
        end
    end
    return list
end

--[[
Makes the plan note and plan summary for a ticket. Arguments are the JSON text of the ticket
(GET /api/Tickets/{id}), its actions (GET /api/Actions?ticket_id=, may be nil), the imported
client (may be nil), the run id, and the run JSON (may be nil): {"mode": "plan" | "execute",
"sensitive": bool, "verification": "none" | "not_required" | "pending" | "verified" |
"failed" | "expired" | "error" | "not_connected"}, where nil means Plan mode, not sensitive.
Workflows match the summary, and the details with the requester's own words in their replies
(mail quoted in the replies or forwarded in the details left out).
Runs the gather functions of the workflows that match, which may wait for HaloPSA or HTTP
when the host runs this as a run. Each step of the summary carries its kind from the tool
registry and its policy ("auto" or "approval_needed"); steps left out (a disabled tool, or an
unregistered one in Execute mode, and every step after one) are listed under left_out with the
reason, and plan_hash is agent.plan_hash of the steps. When the approval policy's own_words
failed on the details or a reply, the summary lists how under policy_failures
(add_split_failure), and the core tells the technician in a note. Returns note_html,
summary_json.
]]
function host.plan(ticket_json, actions_json, client_json, run_id, run_json)
    local valid, problem = check_run_id(run_id)
    if not valid then
        return nil, problem
    end
    local run
    run, problem = decode_run(run_json)
    if run == nil then
        return nil, problem
    end
    local split_failures = {}
    local built, replies = build_context(ticket_json, actions_json, client_json, run_id,
        split_failures)
    if built == nil then
        return nil, replies
    end
    built.run = run
    built.tools = available_tools(built, run)

    -- The requester's own words in their replies are matched with the details, so a request
    -- made in a reply ("also please reset my password") is planned once the requester passed
    -- the check it caused. Another end user's reply and mail quoted in a reply are not,
    -- because the steps act on the requester's account and the identity of the person who
    -- asked was not checked.
    agent.msp = host.msp
    local matches = match_context(built, false, replies, split_failures)
    local facts, failures = gather.run(built, matches)
    for _, failure in ipairs(failures) do
        log.warning("msp=%s run=%s ticket=%d workflow %s: gather failed: %s", host.msp, run_id,
            built.ticket.id, failure.workflow, failure.message)
    end
    local plan = agent.plan(built, matches, run)
    plan.facts = facts
    plan.gather_failures = failures
    if #split_failures > 0 then
        plan.policy_failures = split_failures
    end
    local html = note.render(plan)
    local summary = canonical.encode(plan)
    log.info("msp=%s run=%s ticket=%d plan made (%s mode): %d workflows matched, %d steps, "
        .. "%d left out, %d needs", host.msp, run_id, plan.ticket_id, run.mode, #plan.workflows,
        #plan.steps, #plan.left_out, #plan.needs)
    return html, summary
end

--[[
Returns the plan hash of a plan summary (the JSON text host.plan returned, or any object with
ticket_id and steps of {tool, arguments}), computed again, so the core can check that a stored
plan is the one an approval covers.
]]
function host.plan_hash(summary_json)
    local summary, problem = decode(summary_json, "the plan summary JSON",
        "the summary_json of host.plan")
    if summary == nil then
        return nil, problem
    end
    if type(summary) ~= "table" or context.to_id(summary.ticket_id) == nil
            or type(summary.steps) ~= "table" then
        return nil, "the plan summary needs ticket_id (a positive whole number) and steps"
    end
    for position, step in ipairs(summary.steps) do
        if type(step) ~= "table" or type(step.tool) ~= "string" then
            return nil, string.format("step %d of the plan summary has no tool", position)
        end
    end
    return agent.plan_hash(context.to_id(summary.ticket_id), summary.steps)
end

-- Makes a tool's error readable in a step result: the script's file name without its folder,
-- the first line only.
local function readable(message)
    local text = tostring(message):match("^[^\n]*")
    return (text:gsub("^[^:]*/([^/:]+%.lua:%d+:)", "%1"))
end

-- Returns a deep copy of a context, so that one tool cannot change what the next one receives.
local function copy(value)
    if type(value) ~= "table" then
        return value
    end
    local result = {}
    for key, item in pairs(value) do
        result[key] = copy(item)
    end
    return result
end

-- Encodes a step's result as JSON, or an error when the tool's value cannot be encoded.
local function encode_result(tool_name, result)
    local ok, text = pcall(canonical.encode, result)
    if ok then
        return text
    end
    return canonical.encode({status = "error", reason = string.format("%s returned a value "
        .. "JSON cannot hold: %s", tool_name, readable(text))})
end

-- Returns a step's number for log lines: JSON decodes it as a float, so 1.0 reads as "1".
local function step_label(step)
    local number = tonumber(step.number)
    return tostring(number and math.tointeger(number) or step.number or "-")
end

-- Logs a step that was not run, or that failed, and returns its result JSON.
local function step_outcome(status, inputs, step, reason)
    log.warning("msp=%s run=%s ticket=%d step %s (%s) %s: %s", host.msp, inputs.run_id,
        inputs.built.ticket.id, step_label(step), step.tool,
        status == "rejected" and "rejected" or "failed", reason)
    return canonical.encode({status = status, reason = reason})
end

--[[
Decodes run_step's three JSON texts. Returns {run_id, allow_writes, run, step, built}, where
built is the ticket's context, or nil and a message naming the input that was wrong.
]]
local function read_step_inputs(step_json, context_json, options_json)
    local options, problem = decode(options_json, "the options JSON",
        "{\"run_id\": \"12\", \"allow_writes\": false, \"run\": {\"mode\": \"execute\"}}")
    if options == nil then
        return nil, problem
    end
    if type(options) ~= "table" then
        return nil, "the options JSON must be an object"
    end
    local valid
    valid, problem = check_run_id(options.run_id)
    if not valid then
        return nil, problem
    end
    if options.allow_writes ~= nil and type(options.allow_writes) ~= "boolean" then
        return nil, "the options' allow_writes must be true or false"
    end
    local run
    run, problem = tools.read_run(options.run ~= json.null and options.run or nil)
    if run == nil then
        return nil, problem
    end

    local step
    step, problem = decode(step_json, "the step JSON", "one step of host.plan's summary")
    if step == nil then
        return nil, problem
    end
    if type(step) ~= "table" or type(step.tool) ~= "string" then
        return nil, "the step JSON must be an object with a tool name"
    end

    local wrapped
    wrapped, problem = decode(context_json, "the context JSON",
        "{\"ticket\": {...}, \"actions\": [...], \"client\": {...}}")
    if wrapped == nil then
        return nil, problem
    end
    if type(wrapped) ~= "table" or type(wrapped.ticket) ~= "table" then
        return nil, "the context JSON must be an object with the ticket under \"ticket\""
    end
    local actions = wrapped.actions ~= json.null and wrapped.actions or {}
    local client = wrapped.client ~= json.null and wrapped.client or nil
    local built
    built, problem = context.build(wrapped.ticket, actions, client, options.run_id)
    if built == nil then
        return nil, problem
    end
    return {run_id = options.run_id, allow_writes = options.allow_writes == true, run = run,
        step = step, built = built}
end

--[[
Decides whether a step may run: its tool is registered and not disabled (the policy is decided
again here, not taken from the step), a write runs only with writes allowed in Execute mode,
and the arguments are all filled in and fit the tool's parameters. Returns the tool and the
checked arguments, or nil and the reason the step is rejected.
]]
local function check_step(inputs)
    local step, run = inputs.step, inputs.run
    local tool = tools.get(step.tool)
    if tool == nil then
        return nil, string.format("no tool named %s is registered", step.tool)
    end
    local policy, reason = tools.policy_for(tool.name, tool.kind,
        scope_client_id(inputs.built), run, loader.policies().tools,
        loader.policy_failed("tools"))
    if policy == "disabled" then
        return nil, string.format("%s is disabled: %s", tool.name, reason)
    end
    if tool.kind == "write" and (not inputs.allow_writes or run.mode ~= "execute") then
        return nil, string.format("%s writes, and writes are not allowed in this run (mode %s, "
            .. "allow_writes %s)", tool.name, run.mode, tostring(inputs.allow_writes))
    end

    if type(step.missing) == "table" and #step.missing > 0 then
        local missing = {}
        for _, need in ipairs(step.missing) do
            missing[#missing + 1] = tostring(need)
        end
        return nil, string.format("the step still needs %s", table.concat(missing, "; "))
    end
    local arguments, problem = tools.check_arguments(tool, step.arguments)
    if arguments == nil then
        return nil, problem
    end
    return tool, arguments
end

--[[
Turns what a tool's run returned (after pcall: ok, first, second) into run_step's result JSON.
A write request is checked, and only a write tool may return one.
]]
local function step_result(inputs, tool, ok, first, second)
    local step = inputs.step
    if not ok then
        return step_outcome("error", inputs, step, readable(first))
    end
    if first == nil and second ~= nil then
        return step_outcome("error", inputs, step, tostring(second))
    end

    if type(first) == "table" and first.write ~= nil then
        if tool.kind ~= "write" then
            return step_outcome("error", inputs, step, string.format("%s is a read tool and "
                .. "returned a write request; a read tool never writes", tool.name))
        end
        local request, problem = tools.check_write(first)
        if request == nil then
            return step_outcome("error", inputs, step, string.format("%s returned an invalid "
                .. "write request: %s", tool.name, problem))
        end
        log.info("msp=%s run=%s ticket=%d step %s (%s) returned a %s write request", host.msp,
            inputs.run_id, inputs.built.ticket.id, step_label(step), tool.name,
            request.write)
        return canonical.encode({status = "write", write = request})
    end

    log.info("msp=%s run=%s ticket=%d step %s (%s) ran", host.msp, inputs.run_id,
        inputs.built.ticket.id, step_label(step), tool.name)
    return encode_result(tool.name, {status = "ok", result = first == nil and json.null or first})
end

--[[
Runs one step of a plan: the core's entry for Execute mode. Arguments are JSON texts:
  step_json     one step of host.plan's summary: {tool, arguments, missing, number, ...}
  context_json  {"ticket": <GET /api/Tickets/{id}>, "actions": <GET /api/Actions?ticket_id=>
                or null, "client": <the imported client> or null}: the texts host.plan got
  options_json  {"run_id": "12", "allow_writes": bool, "run": <the run JSON of host.plan>}
Looks the tool up, decides its policy again, checks the arguments against its parameters and
runs it with (arguments, context), where context is host.plan's context with run and tools
added. Returns canonical JSON:
  {"status": "ok", "result": <any>}        a read tool, or a write tool over http that ran
  {"status": "write", "write": {...}}      a HaloPSA write request (tools.check_write)
  {"status": "rejected", "reason": "..."}  an unknown or disabled tool, bad arguments, unfilled
                                           arguments, or a write tool while writes are not
                                           allowed (allow_writes false, or Plan mode)
  {"status": "error", "reason": "..."}     the tool raised, returned nil and a message, or
                                           returned something that is not a result
Bad input (not JSON, no run id) returns nil and a message. A limit the tool reaches
(instructions, time, memory) fails the whole call, as for plans.
]]
function host.run_step(step_json, context_json, options_json)
    local inputs, problem = read_step_inputs(step_json, context_json, options_json)
    if inputs == nil then
        return nil, problem
    end

    local tool, arguments = check_step(inputs)
    if tool == nil then
        return step_outcome("rejected", inputs, inputs.step, arguments)
    end

    -- The tool gets a context of its own, so it cannot change what the next step receives.
    local built = inputs.built
    built.run = inputs.run
    built.tools = available_tools(built, inputs.run)
    return step_result(inputs, tool, pcall(tool.run, arguments, copy(built)))
end

-- Matches one ticket (JSON text) for a client (JSON text or nil). Returns a JSON array of
-- {workflow, file, score, reasons}.
function host.match(ticket_json, client_json)
    local ticket, problem = decode(ticket_json, "the ticket JSON", "a HaloPSA ticket object")
    if ticket == nil then
        return nil, problem
    end
    local client = nil
    if client_json ~= nil then
        client, problem = decode(client_json, "the client JSON",
            "{\"id\": 12, \"name\": \"...\", \"mode\": \"plan\"}")
        if client == nil then
            return nil, problem
        end
    end
    if type(ticket) ~= "table" then
        return nil, "the ticket JSON must be an object"
    end
    if ticket.id == nil then
        ticket.id = 0
    end

    local built = {
        ticket = {
            id = context.to_id(ticket.id) or 0,
            summary = context.to_text(ticket.summary) or "",
            details = context.to_text(ticket.details) or context.html_to_text(
                ticket.details_html) or "",
            client = {id = context.to_id(ticket.client_id)},
        },
        client = client and {id = context.to_id(client.id)} or nil,
        notes = {},
    }
    return match_context(built, true)
end

-- Checks one sample against one workflow. Returns a failure record or nil.
local function check_sample(workflow, sample, expected)
    local fields = {summary = sample.summary, details = sample.details or ""}
    local prepared = match.prepare(fields)
    local matched, _, reasons = match.evaluate(workflow.compiled, prepared, fields)
    if matched == expected then
        return nil
    end
    local why = canonical.array()
    for _, reason in ipairs(reasons) do
        why[#why + 1] = match.describe(reason)
    end
    return {
        workflow = workflow.name,
        file = workflow.file,
        sample = sample.id or sample.summary,
        expected = expected and "match" or "no match",
        reasons = why,
    }
end

-- Checks every workflow's samples. Returns {"checked": N, "failures": [...]} as JSON.
function host.check_samples()
    if loader.loading_released then
        error("this host was created with the serving option, so its workflows keep no "
            .. "samples; check them with `halyard workflows test`", 0)
    end
    local checked = 0
    local failures = canonical.array()
    for _, workflow in ipairs(loader.workflows()) do
        for _, pair in ipairs({{workflow.samples.match, true},
                {workflow.samples.no_match, false}}) do
            for _, sample in ipairs(pair[1]) do
                checked = checked + 1
                failures[#failures + 1] = check_sample(workflow, sample, pair[2])
            end
        end
    end
    return canonical.encode({checked = checked, failures = failures})
end

-- Lists the loaded workflows: name, file, path, status, scope ("all" or the client ids, sorted)
-- and trigger, in file-name order. Returns the list as JSON.
function host.list_workflows()
    local rows = canonical.array()
    for _, workflow in ipairs(loader.workflows()) do
        local scope = "all"
        if workflow.scope ~= "all" then
            scope = canonical.array()
            for id in pairs(workflow.scope.clients) do
                scope[#scope + 1] = id
            end
            table.sort(scope)
        end
        rows[#rows + 1] = {
            name = workflow.name,
            file = workflow.file,
            path = workflow.path,
            status = workflow.status,
            scope = scope,
            trigger = workflow.trigger,
        }
    end
    return canonical.encode(rows)
end

--[[
Classifies a reply to an approval request with the approval policy (policies/approval.lua).
text is the action's note as HaloPSA stores it (note_html, or note when there is no HTML);
options_json is nil or an object of classify's options, such as {"format": "auto",
"plan_id": "5d22e09f", "writer_name": "Sam Lead"}; the core passes the pending request's
plan_id with every reply, and writer_name for the assigned technician's replies only.
Returns canonical JSON {"decision": "approve" | "deny" | "neutral", "reason", "evidence"}.
A policy that is missing, raises or returns anything else gives nil and a message, never a
decision. The message of a
raise names the script's file and line on its first line, and the error's own words, cut, on
the second, for the log only.
]]
function host.classify_reply(text, options_json)
    if type(text) ~= "string" then
        return nil, "the reply text is missing; pass the action's note_html or note"
    end
    local options = nil
    if options_json ~= nil then
        local problem
        options, problem = decode(options_json, "the options JSON", "{\"format\": \"auto\"}")
        if options == nil then
            return nil, problem
        end
    end
    local policy = loader.policies().approval
    if type(policy) ~= "table" or type(policy.classify) ~= "function" then
        return nil, "the approval policy is not loaded: policies/approval.lua must return a "
            .. "table with classify(text, options)"
    end
    -- A pasted picture's base64 carries no decision, and would make the reply too long to read.
    local ok, verdict = pcall(policy.classify, context.drop_data_uris(text), options)
    if not ok then
        -- The error's message may quote the reply, so its first line names only the kind and
        -- place, which the note and the run event show. The log has the message too, below
        -- it, without the script's folder and with credentials and codes cut as in a note.
        local position = error_position(verdict)
        local message = tostring(verdict):match("^[^\n]*"):gsub("^[^\n:]*%.lua:%d+:%s*", "")
        return nil, string.format("the approval policy raised an error%s\n- message with "
            .. "credentials and codes cut: %s", position ~= "" and " (" .. position .. ")" or "",
            redact.cut_ticket_quote(message))
    end
    local decisions = {approve = true, deny = true, neutral = true}
    local problem = nil
    if type(verdict) ~= "table" then
        problem = "the result " .. describe_value(verdict) .. ", expected a table"
    elseif not decisions[verdict.decision] then
        problem = "decision " .. describe_value(verdict.decision)
            .. ", expected \"approve\", \"deny\" or \"neutral\""
    else
        for _, field in ipairs({"reason", "evidence"}) do
            local value = verdict[field]
            if value ~= nil and type(value) ~= "string" then
                problem = field .. " " .. describe_value(value) .. ", expected a string or nil"
                break
            end
        end
    end
    if problem ~= nil then
        return nil, "the approval policy returned an invalid verdict: " .. problem
            .. "; classify must return {decision = \"approve\" | \"deny\" | \"neutral\", "
            .. "reason, evidence}"
    end
    return canonical.encode({
        decision = verdict.decision,
        reason = tostring(verdict.reason or ""),
        evidence = tostring(verdict.evidence or ""),
    })
end

-- --- Identity verification (docs/verification.md) -------------------------------------------

--[[
A detail is the text that halyard keeps about a verification's outcome, in its note, run event,
log line and database row. A one-time code that a provider or its script puts there must reach
none of them, so in what they wrote every code of four or more digits is cut, as
redact.cut_digits describes ("code:4821", "4-8-2-1", "0x12D5"). The script's whole text is cut, also
where it passes on a message of halyard's http functions, because a provider can write the
same words. halyard's own text around it keeps its numbers.
]]
local DETAIL_MAX_CHARS = 200

-- The settings fields that hold secrets, cut from a detail before it is shortened, so no
-- prefix of a key survives the cut at DETAIL_MAX_CHARS. halyard's C side cuts them again.
local SECRET_SETTINGS = {"api_key", "callback_secret"}

local function cut_secrets(text, settings)
    for _, field in ipairs(SECRET_SETTINGS) do
        local secret = type(settings) == "table" and settings[field] or nil
        if type(secret) == "string" and #secret >= 4 then
            local from = 1
            while true do
                local first, last = text:find(secret, from, true)
                if first == nil then
                    break
                end
                text = text:sub(1, first - 1) .. "[secret removed]" .. text:sub(last + 1)
                from = first + #"[secret removed]"
            end
        end
    end
    return text
end

--[[
Writes a detail: own_text (halyard's words, may be nil) followed by script_text (what a provider
or its script wrote, may be nil), with the provider's secrets cut from both, codes cut from
script_text, and the whole shortened to DETAIL_MAX_CHARS.
]]
local function clean_detail(own_text, script_text, settings)
    local own = cut_secrets(own_text ~= nil and tostring(own_text) or "", settings)
    local written = cut_secrets(script_text ~= nil and tostring(script_text) or "", settings)
    return (own .. redact.cut_digits(written)):sub(1, DETAIL_MAX_CHARS)
end

-- The longest transaction id halyard stores (the verifications record's field).
local TRANSACTION_ID_MAX_BYTES = 200

local VERIFICATION_STATUSES = {
    pending = true, verified = true, failed = true, expired = true, error = true,
}

--[[
Checks the provider's URL (settings.url) against the run's http_allow list. Returns nil when
it may be reached or the provider has no URL, else an error detail in halyard's own words. The
words name the host and port to add, so their digits are not cut like a script's text.
]]
local function provider_url_rejection(settings)
    if type(settings) ~= "table" or type(settings.url) ~= "string" then
        return nil
    end
    local allowed, problem, host_name, port = http.check_url(settings.url)
    if allowed then
        return nil
    end
    if host_name == nil then
        return clean_detail(nil, problem, settings)
    end
    return clean_detail(string.format("the provider's host %s port %d is not on MSP %s's "
        .. "http_allow list: add it to the config, then restart `halyard serve`, which reads "
        .. "http_allow only when it starts", host_name, port, host.msp), nil, settings)
end

--[[
The kinds of request a challenge is sent for, in the requester's words, by the sensitive reason
code (tests/data/sensitive/RULE.md). A challenge names its kind so that a requester who gets
two can tell the one for her own request from one an impersonator set off.
]]
local CHALLENGE_PURPOSES = {
    password_reset = "password reset",
    account_unlock = "account unlock",
    mfa_reset = "MFA (sign-in check) reset",
    new_account = "new account",
    access_grant = "access to a system or data",
    admin_rights = "admin rights",
    physical_access = "building access",
    payment_change = "change of payment details",
    mail_forwarding = "mail forwarding",
    mail_delegation = "access to a mailbox",
    contact_change = "change of contact details",
}

-- The purpose a challenge shows for a reason without words of its own: an unknown, exempt or
-- not sensitive code, or none.
local CHALLENGE_PURPOSE_OTHER = "a request that needs your identity checked"

--[[
Returns the words for the kinds of request a challenge is for (CHALLENGE_PURPOSES). reasons is
one reason code or several joined by commas ("password_reset,payment_change"), and the words
name each kind once, in that order: "password reset and change of payment details". Only fixed
words are returned, never the reason text itself, because an MSP's policy may return any text.
]]
local function challenge_purpose(reasons)
    local purposes, listed = {}, {}
    for reason in tostring(reasons or ""):gmatch("[^,]+") do
        local purpose = CHALLENGE_PURPOSES[reason] or CHALLENGE_PURPOSE_OTHER
        if not listed[purpose] then
            listed[purpose] = true
            purposes[#purposes + 1] = purpose
        end
    end
    if #purposes == 0 then
        return CHALLENGE_PURPOSE_OTHER
    end
    if #purposes == 1 then
        return purposes[1]
    end
    return table.concat(purposes, ", ", 1, #purposes - 1) .. " and " .. purposes[#purposes]
end

-- Finds a loaded verifier by file name. Returns it, or nil and a message.
local function find_verifier(name)
    local verifier = type(name) == "string" and loader.verifiers()[name] or nil
    if verifier == nil then
        return nil, string.format("no verifier named %q is loaded; put %s.lua in config/verifiers/ "
            .. "or the MSP's verifiers/ folder", tostring(name), tostring(name))
    end
    return verifier
end

--[[
Calls one of a verifier's functions under pcall, so a broken provider script is an error
outcome of the verification, not a crash of the run. Returns the function's results. When the
function raised, returns nil, the error message and halyard's words that go before it.
]]
local function call_verifier(verifier, field, ...)
    local ok, first, second = pcall(verifier[field], ...)
    if not ok then
        return nil, tostring(first), string.format("%s.%s raised an error: ", verifier.file,
            field)
    end
    return first, second
end

-- Writes the detail of a verifier call that returned no result: the script's message with
-- halyard's words before it (from call_verifier), or halyard's words alone.
local function failure_detail(verifier, field, settings, problem, own_text)
    if problem == nil then
        return clean_detail(verifier.file .. "." .. field .. " returned nothing", nil, settings)
    end
    return clean_detail(own_text, problem, settings)
end

-- Returns the number of days from 1970-01-01 to a date of the proleptic Gregorian calendar.
local function days_since_epoch(year, month, day)
    year = month <= 2 and year - 1 or year
    local era = year // 400
    local year_of_era = year - era * 400
    local day_of_year = (153 * (month > 2 and month - 3 or month + 9) + 2) // 5 + day - 1
    local day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
end

--[[
Reads the time a provider gives for an answer: seconds since 1970-01-01 UTC as a number, or an
RFC 3339 text such as "2026-12-05T14:03:07Z" or "2026-12-05T15:03:07.250+01:00". Returns
milliseconds since 1970-01-01 UTC, or nil and what is wrong with the value.
]]
local function answer_time_ms(value)
    if type(value) == "number" then
        if value ~= value or value <= 0 or value >= 2 ^ 40 then
            return nil, "a number of seconds since 1970 must be positive and finite"
        end
        return math.floor(value * 1000)
    end
    if type(value) ~= "string" then
        return nil, "expected seconds since 1970 or an RFC 3339 text, got a " .. type(value)
    end
    local year, month, day, hour, minute, second, rest = value:match(
        "^(%d%d%d%d)%-(%d%d)%-(%d%d)[Tt ](%d%d):(%d%d):(%d%d)(.*)$")
    if year == nil then
        return nil, "expected an RFC 3339 text such as 2026-12-05T14:03:07Z"
    end
    -- Fractional seconds are optional and start with a dot; the time zone follows.
    local fraction, zone = rest:match("^(%.%d+)(.*)$")
    if fraction == nil then
        fraction, zone = "", rest
    end
    year, month, day = tonumber(year), tonumber(month), tonumber(day)
    hour, minute, second = tonumber(hour), tonumber(minute), tonumber(second)
    if month < 1 or month > 12 or day < 1 or day > 31 or hour > 23 or minute > 59
        or second > 60 then
        return nil, "the date or time is out of range"
    end
    local offset_minutes = 0
    if zone ~= "Z" and zone ~= "z" then
        local sign, zone_hour, zone_minute = zone:match("^([%+%-])(%d%d):(%d%d)$")
        if sign == nil then
            return nil, "the time zone must be Z or an offset such as +01:00"
        end
        offset_minutes = (tonumber(zone_hour) * 60 + tonumber(zone_minute))
            * (sign == "-" and -1 or 1)
    end
    local seconds = days_since_epoch(year, month, day) * 86400 + hour * 3600 + minute * 60
        + second - offset_minutes * 60
    local milliseconds = fraction ~= "" and math.floor(tonumber("0" .. fraction) * 1000) or 0
    return seconds * 1000 + milliseconds
end

-- Reads a verifier's result: a table with a known status. Returns {status, detail} or an
-- error result naming what was wrong, with script_failed = true when the script itself failed
-- (it raised, returned nothing or an invalid status) rather than reporting the provider's error.
-- A result's answered_at (answer_time_ms) is returned as answered_at_ms. An invalid one is left
-- out with a warning, so halyard's own time of reading the answer counts.
local function read_status(verifier, field, settings, result, problem, own_text)
    if result == nil then
        return {status = "error", script_failed = true,
            detail = failure_detail(verifier, field, settings, problem, own_text)}
    end
    if type(result) ~= "table" then
        return {status = "error", script_failed = true, detail = string.format("%s.%s returned "
            .. "a %s instead of a table {status, detail}", verifier.file, field, type(result))}
    end
    if not VERIFICATION_STATUSES[result.status] then
        -- A status that is not a text is named by its type: tostring of a table gives its
        -- address, which the cut of digits turns into "[digits removed]".
        local returned = type(result.status) == "string"
            and clean_detail(nil, result.status:sub(1, 40), settings)
            or "of type " .. type(result.status)
        return {status = "error", script_failed = true, detail = string.format("%s.%s returned "
            .. "an invalid status %s; expected the text pending, verified, failed, expired or "
            .. "error", verifier.file, field, returned)}
    end
    local detail
    if result.detail ~= nil and type(result.detail) ~= "string" then
        detail = clean_detail(string.format("(%s.%s returned a detail of type %s, not a text)",
            verifier.file, field, type(result.detail)), nil, settings)
    else
        detail = clean_detail(nil, result.detail, settings)
    end
    local read = {status = result.status, detail = detail}
    if result.answered_at ~= nil then
        local answered_at_ms, time_problem = answer_time_ms(result.answered_at)
        if answered_at_ms == nil then
            log.warning("msp=%s %s.%s returned an invalid answered_at (%s), so halyard's own "
                .. "time of reading the answer counts", host.msp, verifier.file, field,
                time_problem)
        end
        read.answered_at_ms = answered_at_ms
    end
    return read
end

-- Returns a contact field of a HaloPSA user as text, or nil when it is missing or contains a
-- NUL or another control character. A provider written in C would cut "a@evil.example\0@acme"
-- at the NUL and send the challenge to someone else, so such a value is no usable contact.
local function contact_field(value)
    local text = context.to_text(value)
    if text ~= nil and text:find("%c") then
        return nil
    end
    return text
end

-- Picks the requester's e-mail and phone from a HaloPSA user, work addresses first.
local function contact_of(user)
    local email = contact_field(user.emailaddress)
    local phone = contact_field(user.mobilenumber)
    if phone == nil or not phone:find("%d") then
        phone = contact_field(user.phonenumber_preferred) or contact_field(user.phonenumber)
    end
    if email ~= nil and not email:find("@", 1, true) then
        email = nil
    end
    if phone ~= nil and not phone:find("%d") then
        phone = nil
    end
    return email, phone
end

-- Returns the digits of a phone number, so that "07700 900002" and "07700900002" compare equal.
local function phone_digits(phone)
    return (tostring(phone or ""):gsub("%D", ""))
end

--[[
Compares the requester fields a workflow acts on ({requester.email}, {requester.phone}, read
from the ticket) with the HaloPSA user the challenge goes to. Returns nil when they match or the
ticket has none, or a message naming both values and what to fix. A check passed by this user
must not let the agent act on an address the ticket carries for someone else.
]]
local function requester_mismatch(ticket, user, user_name)
    local claimed = context.ticket_requester(ticket)
    local on_file = context.to_text(user.emailaddress)
    if claimed.email ~= nil then
        local ticket_address = claimed.email:lower():match("^%s*(.-)%s*$")
        local file_address = on_file ~= nil and on_file:lower():match("^%s*(.-)%s*$") or nil
        if ticket_address ~= file_address then
            return string.format("the ticket's e-mail address %s is not %s's address on file "
                .. "(%s); correct the ticket's e-mail address or its user and log the request "
                .. "again", claimed.email, user_name, on_file or "none")
        end
    end
    local claimed_digits = phone_digits(claimed.phone)
    if claimed_digits ~= "" then
        for _, field in ipairs({"mobilenumber", "mobilenumber2", "phonenumber_preferred",
            "phonenumber"}) do
            if phone_digits(user[field]) == claimed_digits then
                return nil
            end
        end
        -- The message leaves out the numbers, because the stored detail cuts them as codes.
        return string.format("the ticket's phone number is not one of %s's numbers on file; "
            .. "correct the ticket's phone number or its user and log the request again",
            user_name)
    end
    return nil
end

--[[
Returns {name, file, reason} of the highest-scoring active workflow in scope for client_id that
declares itself sensitive and matches the request, by its keyword rules or its score function,
or nil. ticket is the decoded GET /api/Tickets/{id} body that score functions get as the plan
builds it. The screening reports the workflow so that an update the policy finds harmless still
needs the requester's identity check when only such a workflow recognises it. The end users'
replies are read as part of the details, because a reply is someone asking as much as the
ticket's first text is. A score function that raises is logged and counts as no match; one that
runs past a limit fails the screening, as it fails a plan.
]]
local function sensitive_workflow_for(request, ticket, client_id)
    -- Score functions get the ticket as a plan's context has it. The policy reads the details
    -- as stored, and the workflows the text a reader sees, which the context's details are.
    local built = context.build(ticket, nil, nil, nil)
    local details = built and built.ticket.details or context.visible_text(request.details)
    local prepared = match.prepare({
        summary = context.match_text(request.summary),
        details = details_with_replies(details, request.replies),
    })
    local matches, errors = loader.index:run(prepared, built and built.ticket or {}, client_id)
    for _, failure in ipairs(errors) do
        log.warning("msp=%s ticket=%s workflow %s (%s): score function failed while screening: "
            .. "%s", host.msp, tostring(context.to_id(ticket.id) or "-"), failure.key.name,
            failure.key.file, failure.message)
    end
    for _, found in ipairs(matches) do
        if found.key.sensitive ~= nil then
            return {name = found.key.name, file = found.key.file, reason = found.key.sensitive}
        end
    end
    -- A sensitive workflow skipped for a problem in its file still counts (loader.lua).
    local skipped = loader.skipped_sensitive_index.keywords:run(prepared.tokens, client_id)[1]
    if skipped ~= nil then
        return {name = skipped.key.name, file = skipped.key.file, reason = skipped.key.sensitive,
            skipped = true}
    end
    return nil
end

-- The maximum length of a sender's name read from quoted mail, in bytes.
local QUOTED_AUTHOR_MAX = 80

-- Line-ending HTML tags in quoted mail that keeps its markup (Outlook's divRplyFwdMsg block).
local QUOTE_LINE_TAGS = {br = true, div = true, p = true, tr = true, blockquote = true}

-- Returns quoted mail as plain text. own_words returns the part below Outlook's quote header
-- as HTML. Text with no end tag and no <br> is plain, so a chat's "<Bob Stone> ..." line
-- stays. The tag pattern stops at the next "<", so a text with many "<" and no ">" costs one
-- pass.
local function quoted_text(quoted)
    if not quoted:find("</%a") and not quoted:find("<[Bb][Rr][%s/>]") then
        return quoted
    end
    local text = quoted:gsub("<(/?)(%a*)[^<>]*>", function(_, name)
        return QUOTE_LINE_TAGS[name:lower()] and "\n" or ""
    end)
    return (text:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&nbsp;", " "):gsub("&amp;", "&"))
end

-- Returns the last run of capitalised words in text ("alle 09:12 Bob Stone" gives "Bob
-- Stone"), up to four words, or nil. A word that starts with a byte above 127 counts as
-- capitalised, because Lua's patterns do not know the case of other scripts.
local function trailing_name(text)
    local words = {}
    for word in text:gmatch("[^%s,]+") do
        words[#words + 1] = word
    end
    local first = #words + 1
    while first > 1 and #words - first < 3 and words[first - 1]:find("^[%u\128-\255]") do
        first = first - 1
    end
    if first > #words then
        return nil
    end
    return table.concat(words, " ", first)
end

-- Removes an address in "<>", a "[mailto:...]" link and outer quotes and spaces from a sender's
-- name. Returns the name cut to QUOTED_AUTHOR_MAX bytes, or nil when nothing is left.
local function clean_author(name)
    name = name:gsub("%b<>", ""):gsub("%[mailto:[^%]]*%]", ""):gsub("^[%s\"']+", "")
        :gsub("[%s\"']+$", "")
    if name == "" then
        return nil
    end
    return name:sub(1, QUOTED_AUTHOR_MAX)
end

-- Labels of mail headers and forms that lead a line as a chat's speaker does ("Subject: ...",
-- the German "Betreff: ...").
local NOT_CHAT_SPEAKERS = {}
for label in ([[to cc bcc sent date subject re fw fwd note ps attachments importance
        von an gesendet betreff datum de para enviado asunto fecha objet envoy959 da a
        inviato oggetto data aan onderwerp verzonden]]):gmatch("%S+") do
    NOT_CHAT_SPEAKERS[label] = true
end

-- Verbs of "Bob Stone said: ..." that report the speaker's words, as own_words reads them.
local CHAT_SPEAKER_VERBS = {said = true, says = true, asked = true, asks = true, wrote = true,
    writes = true, texted = true, messaged = true, replied = true, emailed = true, posted = true,
    sent = true, commented = true, responded = true, answered = true, typed = true}

-- True when text is a chat app's time alone: "10:14", "10:14 AM", "Today at 10:14".
local function is_chat_time(text)
    local lower = text:lower():gsub("^today%s+", ""):gsub("^yesterday%s+", "")
        :gsub("^at%s+", "")
    return lower:find("^%d%d?:%d%d$") ~= nil or lower:find("^%d%d?:%d%d:%d%d$") ~= nil
        or lower:find("^%d%d?:%d%d%s*[ap]%.?m%.?$") ~= nil
end

-- Returns text when it is a person's name as a chat writes one (one to four words, each
-- capitalised, trailing_name) and no header label, else nil.
local function chat_name(text)
    text = text:gsub("^%s+", ""):gsub("%s+$", "")
    if text == "" or #text > 80 or NOT_CHAT_SPEAKERS[text:lower()] or text:find("%d")
        or trailing_name(text) ~= text then
        return nil
    end
    return text
end

--[[
Returns the person who leads the first line of a pasted chat, as own_words quotes one, or nil:
"Bob Stone: ...", "Bob Stone said: ...", "Bob Stone wrote on 3 Dec 2026: ...", "From Bob Stone:
...", "Jane Doe for Bob Stone: ..." and "on behalf of Bob Stone" (the second name), "Bob Stone >
...", "[Bob Stone] ...", "<Bob Stone> ...", "[10:42] Bob Stone", "Bob Stone 10:42 AM", and a
name alone on its line above a time ("Bob Stone" then "10:14 AM"). first and second are the
first two lines of the quote that have text.
]]
local function chat_author(first, second)
    local text = first:gsub("^%s+", ""):gsub("%s+$", "")
    local bracketed, rest = text:match("^%[([^%]]+)%]%s*(.*)$")
    if bracketed ~= nil then
        return is_chat_time(bracketed) and chat_name(rest) or chat_name(bracketed)
    end
    local angled = text:match("^<([^<>@]+)>")
    if angled ~= nil then
        return chat_name(angled)
    end
    -- A header line names an address after its label ("Von: Bob Stone <bob@...>").
    local label = text:match("^([^:]+):")
    if label ~= nil and not text:find("<[^<>%s]+@[^<>%s]+>") then
        label = label:gsub("^[Ff]rom%s+", "")
        local person = label:match("%f[%a][Oo]n behalf of%s+([^()]+)")
            or label:match("%f[%a]for%s+([^()]+)")
        if person ~= nil then
            return chat_name(person)
        end
        -- A time or a place may follow the verb: "Bob Stone wrote on 3 Dec 2026".
        for start, word in label:gmatch("()(%a+)") do
            if start > 1 and CHAT_SPEAKER_VERBS[word:lower()] then
                return chat_name(label:sub(1, start - 1))
            end
        end
        if not label:find("%d") then
            return chat_name(label)
        end
    end
    local before_arrow = text:match("^([^<>]-)%s*[%-=~]*>+%s")
    if before_arrow ~= nil then
        return chat_name(before_arrow)
    end
    local before_time = text:match("^(.-)%s+%d%d?:%d%d[%s%a%.]*$")
    if before_time ~= nil and is_chat_time(text:sub(#before_time + 1):gsub("^%s+", "")) then
        return chat_name(before_time)
    end
    if second ~= nil and is_chat_time((second:gsub("^%s+", ""):gsub("%s+$", ""))) then
        return chat_name(text)
    end
    return nil
end

--[[
Returns the sender named in the first lines of quoted mail, without the address, or nil: the
name of a "From:" line ("From: Bob Stone <bob@...>"), of an English attribution ("On Monday,
Bob Stone <bob@...> wrote:"), or the capitalised words before the address of a line ending in
":" ("El lun, ..., Bob Stone <bob@...> escribi\195\179:"). Failing those, an attribution in the
first line gives the capitalised words before its final verb ("Bob Stone ha scritto:"), as HTML
mail may have lost the address as a tag. A quote that opens with a chat line gives its speaker
(chat_author).
]]
local function quoted_author(quoted)
    local count = 0
    local first_line, second_line = nil, nil
    for line in quoted:gmatch("[^\n]+") do
        count = count + 1
        if count > 12 then
            break
        end
        if first_line ~= nil and second_line == nil and line:find("%S") then
            second_line = line
        end
        if first_line == nil and line:find("%S") then
            first_line = line
        end
        local name = line:match("^%s*%**[Ff]rom:%**%s*(.-)%s*$")
            or line:match("^%s*On%s.*,%s*([^,]-)%s*wrote:%s*$")
        if name == nil and line:find(":%s*$") then
            local before_address = line:match("^(.-)<[^<>%s]+@[^<>%s]+>")
            name = before_address and trailing_name(before_address)
        end
        name = name and clean_author(name)
        if name ~= nil then
            return name
        end
    end

    -- own_words quotes a pasted chat from the line of another speaker.
    local speaker = first_line and chat_author(first_line, second_line)
    if speaker ~= nil then
        return clean_author(speaker)
    end

    if first_line == nil or not first_line:find(":%s*$") or first_line:find("^%s*[>|]")
        or first_line:lower():find("forwarded", 1, true) then
        return nil
    end
    local before_verb = first_line:gsub("%s*:%s*$", "")
    for _ = 1, 3 do
        before_verb = before_verb:gsub("%s+[%l%d][^%s]*$", "")
    end
    local name = trailing_name(before_verb)
    return name and clean_author(name)
end

-- True when a ticket's summary is a forwarded mail's subject: "Fwd:", "Fw:" or the German
-- "WG:", French "TR:", Spanish "RV:" and Italian "I:" forms of it.
local function is_forward_subject(summary)
    local prefix = (summary or ""):match("^%s*(%a+)%s*:")
    local FORWARD_PREFIXES = {fwd = true, fw = true, wg = true, tr = true, rv = true, i = true}
    return prefix ~= nil and FORWARD_PREFIXES[prefix:lower()] == true
end

-- Returns the set of technicians' names on a ticket, lowercased (author_key): the assigned
-- agent and the writers of agents' actions.
local function technician_names(ticket, actions)
    local names = {}
    local assigned = author_key(ticket.agent_name)
    if assigned ~= nil and assigned ~= "" then
        names[assigned] = true
    end
    local list = type(actions) == "table" and (actions.actions or actions) or {}
    for _, action in ipairs(type(list) == "table" and list or {}) do
        if type(action) == "table" and ((context.to_id(action.who_agentid) or 0) > 0
            or (context.to_id(action.actionby_agent_id) or 0) > 0) then
            local name = author_key(action.who)
            if name ~= nil and name ~= "" then
                names[name] = true
            end
        end
    end
    return names
end

local risk_levels = {low = true, medium = true, high = true}

--[[
Checks a sensitive policy's verdict against the fields host.screen reads (docs/policies.md,
"The result"). Returns nil for a valid verdict, or a message naming the first invalid field and
its value. matched, risk and model_probability may be missing.
]]
local function check_screen_verdict(result)
    if type(result) ~= "table" then
        return "the result " .. describe_value(result) .. ", expected a table"
    end
    for _, field in ipairs({"sensitive", "verification_required"}) do
        if type(result[field]) ~= "boolean" then
            return field .. " " .. describe_value(result[field]) .. ", expected a boolean"
        end
    end
    if type(result.reason) ~= "string" then
        return "reason " .. describe_value(result.reason) .. ", expected a string"
    end
    if result.reasons ~= nil then
        if type(result.reasons) ~= "table" then
            return "reasons " .. describe_value(result.reasons) .. ", expected a list of strings"
        end
        for index, reason in ipairs(result.reasons) do
            if type(reason) ~= "string" then
                return string.format("reasons[%d] %s, expected a string", index,
                    describe_value(reason))
            end
        end
    end
    if result.matched ~= nil and type(result.matched) ~= "string" then
        return "matched " .. describe_value(result.matched) .. ", expected a string"
    end
    if result.model_probability ~= nil and type(result.model_probability) ~= "number" then
        return "model_probability " .. describe_value(result.model_probability)
            .. ", expected a number or nil"
    end
    -- A verdict without risk has no risk signals, which only add to the decision.
    local risk = result.risk
    if risk == nil then
        return nil
    end
    if type(risk) ~= "table" then
        return "risk " .. describe_value(risk) .. ", expected a table {score, level, signals}"
    end
    if type(risk.score) ~= "number" then
        return "risk.score " .. describe_value(risk.score) .. ", expected a number"
    end
    if not risk_levels[risk.level] then
        return "risk.level " .. describe_value(risk.level)
            .. ", expected \"low\", \"medium\" or \"high\""
    end
    if type(risk.signals) ~= "table" then
        return "risk.signals " .. describe_value(risk.signals) .. ", expected a list"
    end
    for index, signal in ipairs(risk.signals) do
        if type(signal) ~= "table" then
            return string.format("risk.signals[%d] %s, expected a table {code, points, detail}",
                index, describe_value(signal))
        end
        if type(signal.code) ~= "string" then
            return string.format("risk.signals[%d].code %s, expected a string", index,
                describe_value(signal.code))
        end
    end
    return nil
end

-- Calls the sensitive policy's classify and checks its verdict. Raises when the verdict is
-- invalid, as the policy raising would, so the screening fails closed (docs/verification.md).
local function classify_checked(policy, request, facts, settings, model)
    local result = policy.classify(request, facts, settings, model)
    local problem = check_screen_verdict(result)
    if problem ~= nil then
        error("the sensitive policy returned an invalid verdict: " .. problem, 0)
    end
    return result
end

--[[
Finds whose request makes a ticket need the requester's identity check when the requester's own
words do not: another end user's reply, or mail quoted in the requester's reply or forwarded
in the details. screening holds {policy, request, facts, settings, model, ticket, client_id,
requester, replies, technicians, failures} as host.screen read them, where failures (may be nil)
collects own_words failures (add_split_failure); by_policy and by_workflow tell whether
the whole ticket needs the check by the policy or matches a workflow that declares itself
sensitive. The requester's own words are the summary, and the own words of the details
(split_details) and of their replies (split_reply). Mail quoted from a technician of the ticket
(technician_names) counts as the requester's own too. Returns nil when those
need the check themselves, or nothing does. Otherwise returns {kind = "reply" | "quoted" |
"forwarded", author, requester}: the first reply or quote that needs the check alone, else the
first one of all. kind "quoted" is mail quoted in the requester's reply, "forwarded" mail in the
ticket's details. author is the reply's writer, or the sender a quote names ("" when it names
none).
]]
local function find_request_by_other(screening, by_policy, by_workflow)
    if not by_policy and not by_workflow then
        return nil
    end
    local requester_key = author_key(screening.requester) or false
    local own_texts, others = {}, {}

    -- Quoted mail is another person's, unless a technician of this ticket sent it. The
    -- requester then replies to the technician, often inline, so it counts as her own words.
    -- kind is "quoted" for mail quoted in a reply and "forwarded" for mail in the details.
    -- subject is the summary of a ticket opened by a forward, which is the forwarded mail's.
    local function add_quoted(quoted, kind, subject)
        quoted = quoted_text(quoted)
        if not quoted:find("%S") then
            return false
        end
        if subject ~= nil then
            quoted = subject .. "\n" .. quoted
        end
        local author = quoted_author(quoted)
        if author ~= nil and screening.technicians[author_key(author)] then
            own_texts[#own_texts + 1] = quoted
        else
            others[#others + 1] = {kind = kind, author = author or "", text = quoted}
        end
        return true
    end

    -- A ticket opened by forwarding mail has the forward in its details: the words above it are
    -- the requester's, the forwarded mail another person's.
    local request = screening.request
    local own_summary = request.summary
    local forwarded_subject = nil
    if is_forward_subject(request.summary) then
        own_summary, forwarded_subject = "", request.summary
    end
    local writer = {name = screening.requester, email = screening.facts.requester_email}
    local own_details, details_quoted = split_details(request.details, writer,
        screening.failures)
    if not add_quoted(details_quoted, "forwarded", forwarded_subject) then
        own_summary = request.summary
    end

    for _, reply in ipairs(screening.replies) do
        if author_key(reply.author) == requester_key then
            local own, quoted, signature = split_reply(reply, writer, screening.failures)
            if own == nil then
                -- A reply that cannot be split counts as the requester's own, so it still
                -- gets the requester's check, as a ticket too long to read does. A request
                -- quoted in it from another person then challenges her: that checks the
                -- wrong person, but nothing acts on her account without her check.
                own_texts[#own_texts + 1] = reply.text
            else
                -- A request below a sign-off is still the requester's.
                -- NOTE: text the HTML hides is in neither part, so a request hidden in the
                -- requester's reply next to quoted mail is reported as the quote's.
                own_texts[#own_texts + 1] = own .. "\n" .. signature
                add_quoted(quoted, "quoted")
            end
        else
            others[#others + 1] = {kind = "reply", author = reply.author or "", text = reply.text}
        end
    end

    -- needs() is true when a request made of these texts alone needs the check, by the policy or
    -- by a sensitive workflow, whichever found the whole ticket needs it.
    local function needs(summary, details, texts)
        local part = {summary = summary, details = details, source = request.source,
            replies = texts}
        if by_policy then
            local result = classify_checked(screening.policy, part, screening.facts,
                screening.settings, screening.model)
            if result.verification_required == true then
                return true
            end
        end
        -- Score functions read the ticket's details, so they get this part's details.
        local ticket = {}
        for key, value in pairs(screening.ticket) do
            ticket[key] = value
        end
        ticket.details, ticket.details_html = details, nil
        return by_workflow and sensitive_workflow_for(part, ticket, screening.client_id) ~= nil
    end
    if #others == 0 or needs(own_summary, own_details, own_texts) then
        return nil
    end
    local chosen = others[1]
    for _, other in ipairs(others) do
        if needs("", other.text, {}) then
            chosen = other
            break
        end
    end
    return {kind = chosen.kind, author = chosen.author, requester = screening.requester or ""}
end

-- Returns the reason codes the client's settings exempt from verification, lower-cased and
-- sorted (an empty array when the client verifies every ticket).
local function exempt_reasons(settings)
    local codes = canonical.array()
    if type(settings) ~= "table" or settings.verification == "all"
            or type(settings.verification_exempt_reasons) ~= "table" then
        return codes
    end
    local listed = {}
    for _, reason in ipairs(settings.verification_exempt_reasons) do
        local code = tostring(reason):lower()
        if not listed[code] then
            listed[code] = true
            codes[#codes + 1] = code
        end
    end
    table.sort(codes)
    return codes
end

--[[
Returns the kinds of request the identity check is for: the policy's reasons (its reason alone
when it gives none) that the client's settings do not exempt, or all of them when the client
verifies every ticket. The list is empty when the check is not needed. A reason code never
contains a comma, because C joins the list with commas for the challenge's purpose.
]]
local function checked_reasons(result, settings)
    local checked = {}
    if result.verification_required ~= true then
        return checked
    end
    local exempt = {}
    for _, code in ipairs(exempt_reasons(settings)) do
        exempt[code] = true
    end
    local listed = {}
    local reasons = type(result.reasons) == "table" and #result.reasons > 0 and result.reasons
        or {result.reason}
    for _, reason in ipairs(reasons) do
        if reason ~= "" and not reason:find(",", 1, true) and not exempt[reason:lower()]
                and not listed[reason] then
            listed[reason] = true
            checked[#checked + 1] = reason
        end
    end
    return checked
end

--[[
Screens a ticket with the sensitive policy. Arguments are the JSON text of the ticket (GET
/api/Tickets/{id}), of the imported client (may be nil) and of the ticket's actions (GET
/api/Actions?ticket_id=, may be nil); the end user's replies among the actions are screened with
the summary and details. Returns the policy's result as JSON: {sensitive, reason, reasons,
verification_required, risk = {score, level, signals}, matched, other_account,
sensitive_workflow, request_by_other, exempt_reasons}, where reasons (checked_reasons) lists the
kinds the identity check is for, exempt_reasons the kinds the client exempts from it,
other_account is true when the policy's
not_own_account signal says the request is about another person's account, sensitive_workflow
({name, file, reason, skipped}, or missing) is the best matching workflow that declares itself
sensitive, where skipped is true for one whose file was skipped for a problem, and
request_by_other (find_request_by_other, or missing) names whose request it is when the
requester's own words do not need the check. A ticket too long to read has no
request_by_other, because its unread part may hold the requester's own request. policy_failures
(missing when none) lists how the approval policy's own_words failed on the details or the
requester's replies, as host.plan's summary does: those texts count as the requester's own
words. Raises when the
policy raises or returns an invalid verdict (check_screen_verdict).
]]
function host.screen(ticket_json, client_json, actions_json)
    local ticket, problem = decode(ticket_json, "the ticket JSON",
        "the body of GET /api/Tickets/{id}")
    if ticket == nil then
        return nil, problem
    end
    local actions = nil
    if actions_json ~= nil then
        actions, problem = decode(actions_json, "the actions JSON",
            "the body of GET /api/Actions?ticket_id=")
        if actions == nil then
            return nil, problem
        end
    end
    local policies = loader.policies()
    local policy = policies.sensitive
    if type(policy) ~= "table" or type(policy.classify) ~= "function" then
        return nil, "the sensitive policy is not loaded; check config/policies/sensitive.lua and "
            .. "the MSP's policies/ folder with `halyard workflows lint`"
    end
    local client = client_json ~= nil and decode(client_json, "the client JSON",
        "{\"id\": 12}") or nil
    local client_id = context.to_id(ticket.client_id) or (client and context.to_id(client.id))
    -- A client entry the policy rejects falls back to the default entry, and a rejected
    -- default entry to verifying every ticket: a typo never screens a client more loosely.
    -- `halyard workflows lint` reports both.
    local settings = nil
    if policies.sensitive_settings ~= nil and type(policy.settings_for) == "function" then
        local problem
        settings, problem = policy.settings_for(policies.sensitive_settings, client_id)
        if settings == nil then
            settings = policy.settings_for(policies.sensitive_settings, nil)
            log.warning("msp=%s ticket=%s the sensitive settings are invalid (%s); screening "
                .. "with %s", host.msp, tostring(ticket.id), tostring(problem),
                settings ~= nil and "the default entry" or "verification = \"all\"")
            settings = settings or {verification = "all"}
        end
    end
    local replies = end_user_replies(actions)
    local request = {
        summary = context.to_text(ticket.summary) or "",
        details = context.drop_data_uris(context.to_text(ticket.details))
            or context.html_to_text(ticket.details_html) or "",
        source = context.to_text(ticket.source),
        replies = reply_texts(replies),
    }
    -- received_at gives the policy the ticket's time for its after_hours signal, read with the
    -- client's utc_offset_minutes, business_hours and holidays.
    local facts = {requester_email = context.to_text(ticket.user_email),
        received_at = context.iso_seconds(ticket.dateoccurred)}

    -- The learned model only adds to the rules, so a model the policy rejects is left out
    -- with a warning rather than stopping the screening.
    local model = policies.sensitive_model
    if model ~= nil and type(policy.check_model) == "function" then
        local ok, problem = policy.check_model(model)
        if not ok then
            log.warning("msp=%s ticket=%s the sensitive model is left out: %s", host.msp,
                tostring(ticket.id), tostring(problem))
            model = nil
        end
    end
    local result = classify_checked(policy, request, facts, settings, model)
    -- other_account tells the plan that steps aimed at the requester's own account would hit
    -- the wrong person (agent.lua).
    -- The matched words and a signal's detail may quote the ticket, and runs.screening_json
    -- keeps them, so a password or a code typed there is cut.
    local other_account = false
    for _, signal in ipairs(type(result.risk) == "table" and type(result.risk.signals) == "table"
            and result.risk.signals or {}) do
        if type(signal) == "table" and signal.code == "not_own_account" then
            other_account = true
        end
        if type(signal) == "table" then
            signal.detail = redact.cut_ticket_quote(signal.detail)
        end
    end
    local sensitive_workflow = sensitive_workflow_for(request, ticket, client_id)
    local requester = context.to_text(ticket.user_name)
    local request_by_other = nil
    local failures = {}
    if result.reason ~= "too_long" then
        request_by_other = find_request_by_other({
            policy = policy, request = request, facts = facts, settings = settings,
            model = model, ticket = ticket, client_id = client_id, requester = requester,
            replies = replies, technicians = technician_names(ticket, actions),
            failures = failures,
        }, result.verification_required == true, sensitive_workflow ~= nil)
    end
    return canonical.encode({
        sensitive = result.sensitive == true,
        other_account = other_account,
        reason = tostring(result.reason or ""),
        reasons = checked_reasons(result, settings),
        exempt_reasons = exempt_reasons(settings),
        verification_required = result.verification_required == true,
        risk = result.risk,
        matched = redact.cut_ticket_quote(tostring(result.matched or "")),
        sensitive_workflow = sensitive_workflow,
        request_by_other = request_by_other,
        policy_failures = #failures > 0 and failures or nil,
    })
end

--[[
Starts the verification of a ticket's requester. Arguments: the ticket JSON, the provider's
file name, the provider's settings as JSON ({url, api_key, ...}; never logged), the run id and
the reasons the run is sensitive (reason codes joined by commas; nil or "" when unknown). Reads the requester
from HaloPSA (halo.user), then calls the provider's dispatch with the ticket number and the kind
of request in words (challenge_purpose), which the challenge shows. Returns JSON:
{status = "pending", transaction_id, method, mode, requester} when the challenge went out;
{status = "no_contact", requester} when the requester has no e-mail or phone on file;
{status = "error", detail} otherwise, with retry = true when nothing was sent and a later
attempt may succeed (reading the requester failed other than with a 404).
]]
function host.verify_start(ticket_json, provider, settings_json, run_id, reasons)
    local ticket, problem = decode(ticket_json, "the ticket JSON",
        "the body of GET /api/Tickets/{id}")
    if ticket == nil then
        return nil, problem
    end
    local settings
    settings, problem = decode(settings_json, "the provider settings", "{\"url\": \"...\"}")
    if settings == nil then
        return nil, problem
    end
    local verifier
    verifier, problem = find_verifier(provider)
    if verifier == nil then
        return canonical.encode({status = "error", detail = problem})
    end

    -- Step 1: the requester as HaloPSA has them now, not as the ticket text claims.
    local user_id = context.to_id(ticket.user_id)
    local requester = {id = user_id or 0, name = context.to_text(ticket.user_name) or ""}
    if user_id == nil or user_id <= 0 then
        return canonical.encode({status = "no_contact", requester = requester})
    end
    local user
    user, problem = halo.user(user_id)
    if user == nil then
        -- Nothing was sent yet, so the job may try again; a user HaloPSA does not have (404)
        -- will not appear on a retry.
        local missing = tostring(problem):find("(HTTP 404)", 1, true) ~= nil
        return canonical.encode({status = "error", requester = requester, retry = not missing,
            detail = clean_detail("reading the requester from HaloPSA failed: "
                .. tostring(problem), nil, settings)})
    end
    requester.name = context.to_text(user.name) or requester.name
    local email, phone = contact_of(user)
    if email == nil and phone == nil then
        return canonical.encode({status = "no_contact", requester = requester})
    end
    -- The agent acts on the ticket's requester fields, so they must be this user's.
    local mismatch = requester_mismatch(ticket, user, requester.name)
    if mismatch ~= nil then
        log.warning("msp=%s run=%s verification not sent: the ticket's requester fields are "
            .. "not user %d's", host.msp, tostring(run_id), user_id)
        return canonical.encode({status = "error", requester = requester,
            detail = clean_detail(mismatch, nil, settings)})
    end
    requester.email = email

    -- Step 2: the challenge. The provider sends it to the requester; halyard never sees a code.
    local rejection = provider_url_rejection(settings)
    if rejection ~= nil then
        return canonical.encode({status = "error", requester = requester, detail = rejection})
    end
    -- The ticket number and the kind of request tell the requester which request she is asked
    -- to confirm. Neither contains the ticket's own words, which an impersonator may have written.
    local ticket_id = context.to_id(ticket.id)
    local purpose = challenge_purpose(reasons)
    local request = {
        requester = {id = user_id, name = requester.name, email = email, phone = phone},
        ticket_id = ticket_id,
        purpose = purpose,
        reference = string.format("HaloPSA ticket #%s: %s (halyard run %s)",
            tostring(ticket_id or "?"), purpose, tostring(run_id)),
    }
    local result, own_text
    result, problem, own_text = call_verifier(verifier, "dispatch", request, settings)
    if type(result) ~= "table" or type(result.transaction_id) ~= "string"
        or result.transaction_id == "" then
        local detail = problem ~= nil and clean_detail(own_text, problem, settings)
            or clean_detail(verifier.file .. ".dispatch returned no transaction_id", nil, settings)
        return canonical.encode({status = "error", requester = requester, detail = detail})
    end
    -- A longer id would be stored cut, and then no callback or poll with the whole id matches,
    -- so the check could only expire. The challenge has gone out, so the note says to check.
    if #result.transaction_id > TRANSACTION_ID_MAX_BYTES then
        return canonical.encode({status = "error", requester = requester,
            detail = clean_detail(string.format("%s.dispatch returned a transaction_id of %d "
                .. "bytes, longer than the %d bytes halyard stores, so no callback or poll could "
                .. "match it; change the provider script to return a shorter id",
                verifier.file, #result.transaction_id, TRANSACTION_ID_MAX_BYTES), nil,
                settings)})
    end
    log.info("msp=%s run=%s verification dispatched by %s (%s) to requester %d", host.msp,
        tostring(run_id), verifier.file, tostring(result.method or "-"), user_id)
    -- The contact the challenge went to, stored with the check: it counts for this user only.
    local by_sms = tostring(result.method or ""):find("sms", 1, true) ~= nil
    requester.contact = (by_sms and phone) or email or phone
    return canonical.encode({
        status = "pending",
        transaction_id = result.transaction_id,
        method = tostring(result.method or (email ~= nil and "email" or "sms")):sub(1, 40),
        mode = verifier.mode,
        requester = requester,
    })
end

-- Asks a polling provider for a transaction's status. Returns JSON {status, detail}, with
-- script_failed = true when halyard could not run the provider script (read_status).
function host.verify_poll(provider, transaction_id, settings_json)
    local settings, problem = decode(settings_json, "the provider settings", "{\"url\": \"...\"}")
    if settings == nil then
        return nil, problem
    end
    local verifier
    verifier, problem = find_verifier(provider)
    if verifier == nil then
        return canonical.encode({status = "error", script_failed = true, detail = problem})
    end
    if verifier.poll == nil then
        return canonical.encode({status = "error",
            detail = verifier.file .. " has no poll function; it reports by callback"})
    end
    local rejection = provider_url_rejection(settings)
    if rejection ~= nil then
        return canonical.encode({status = "error", detail = rejection})
    end
    return canonical.encode(read_status(verifier, "poll", settings,
        call_verifier(verifier, "poll", transaction_id, settings)))
end

--[[
Reads a provider's callback, whose signature halyard has checked. Arguments: the provider's
file name, the request headers as JSON (names lower case), the body and the settings JSON.
Returns JSON {transaction_id, status, detail}.
]]
function host.verify_callback(provider, headers_json, body, settings_json)
    local settings, problem = decode(settings_json, "the provider settings", "{\"url\": \"...\"}")
    if settings == nil then
        return nil, problem
    end
    local headers
    headers, problem = decode(headers_json, "the callback headers", "a JSON object")
    if headers == nil then
        return nil, problem
    end
    local verifier
    verifier, problem = find_verifier(provider)
    if verifier == nil then
        return canonical.encode({status = "error", transaction_id = "", detail = problem})
    end
    if verifier.callback == nil then
        return canonical.encode({status = "error", transaction_id = "",
            detail = verifier.file .. " has no callback function; halyard polls it"})
    end
    local result
    local own_text
    result, problem, own_text = call_verifier(verifier, "callback", headers, body or "", settings)
    local read = read_status(verifier, "callback", settings, result, problem, own_text)
    read.transaction_id = type(result) == "table" and tostring(result.transaction_id or "") or ""
    return canonical.encode(read)
end

return host
