-- The entry points the C host calls (bindings/lua_host.c). Each takes JSON text and returns
-- text; bad input returns nil and a message that names the input and what to pass instead.

local modules = ...
local canonical = modules.canonical
local match = modules.match
local context = modules.context
local note = modules.note
local loader = modules.loader
local agent = modules.agent
local gather = modules.gather

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

-- The HaloPSA client id that workflow scopes are checked against: the ticket's own client,
-- else the imported client's id.
local function scope_client_id(built)
    if built.ticket.client ~= nil and built.ticket.client.id ~= nil then
        return built.ticket.client.id
    end
    return built.client and built.client.id
end

-- Matches a built context against the active workflows in scope. Logs a warning for each
-- score function that raised. Returns the matches, highest score first: Index:run's results,
-- or with as_json, the JSON text host.match returns.
local function match_context(built, as_json)
    local prepared = match.prepare(context.match_fields(built))
    local run = as_json and loader.index.run_json or loader.index.run
    local matches, errors = run(loader.index, prepared, built.ticket, scope_client_id(built))
    for _, failure in ipairs(errors) do
        log.warning("msp=%s run=%s ticket=%d workflow %s (%s): score function failed: %s",
            host.msp, built.run_id or "-", built.ticket.id, failure.key.name, failure.key.file,
            failure.message)
    end
    return matches
end

--[[
Makes the Plan-mode note and plan summary for a ticket. Arguments are the JSON text of the
ticket (GET /api/Tickets/{id}), its actions (GET /api/Actions?ticket_id=, may be nil), the
imported client (may be nil) and the run id. Runs the gather functions of the workflows that
match, which may wait for HaloPSA or HTTP when the host runs this as a run. Returns
note_html, summary_json.
]]
function host.plan(ticket_json, actions_json, client_json, run_id)
    if type(run_id) ~= "string" or not run_id:find("^[%w%-_.:]+$") then
        return nil, string.format("run id %s is invalid; use letters, digits, '-', '_', '.' "
            .. "or ':'", run_id == nil and "(missing)" or string.format("%q", tostring(run_id)))
    end
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

    local matches = match_context(built)
    local facts, failures = gather.run(built, matches)
    for _, failure in ipairs(failures) do
        log.warning("msp=%s run=%s ticket=%d workflow %s: gather failed: %s", host.msp, run_id,
            built.ticket.id, failure.workflow, failure.message)
    end
    local plan = agent.plan(built, matches)
    plan.facts = facts
    plan.gather_failures = failures
    local html = note.render(plan)
    local summary = canonical.encode(plan)
    log.info("msp=%s run=%s ticket=%d plan made: %d workflows matched, %d steps, %d needs",
        host.msp, run_id, plan.ticket_id, #plan.workflows, #plan.steps, #plan.needs)
    return html, summary
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
options_json is nil or {"format": "html" | "plain" | "auto"}. Returns canonical JSON
{"decision": "approve" | "deny" | "neutral", "reason", "evidence"}. A policy that is missing,
raises or returns anything else gives nil and a message, never a decision.
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
    local ok, verdict = pcall(policy.classify, text, options)
    if not ok then
        return nil, "the approval policy raised: " .. tostring(verdict)
    end
    local decisions = {approve = true, deny = true, neutral = true}
    if type(verdict) ~= "table" or not decisions[verdict.decision] then
        return nil, "the approval policy returned no decision: classify must return "
            .. "{decision = \"approve\" | \"deny\" | \"neutral\", reason, evidence}"
    end
    return canonical.encode({
        decision = verdict.decision,
        reason = tostring(verdict.reason or ""),
        evidence = tostring(verdict.evidence or ""),
    })
end

return host
