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

-- --- Identity verification (docs/verification.md) -------------------------------------------

-- Runs of four or more digits are cut from what a provider returns as detail, so a one-time
-- code a provider puts there never reaches a note, a run event or a log line.
local DETAIL_MAX_CHARS = 200

local function clean_detail(detail)
    if detail == nil then
        return ""
    end
    local text = tostring(detail):gsub("%d%d%d%d+", "[digits removed]")
    return text:sub(1, DETAIL_MAX_CHARS)
end

local VERIFICATION_STATUSES = {
    pending = true, verified = true, failed = true, expired = true, error = true,
}

-- Finds a loaded verifier by file name. Returns it, or nil and a message.
local function find_verifier(name)
    local verifier = type(name) == "string" and loader.verifiers()[name] or nil
    if verifier == nil then
        return nil, string.format("no verifier named %q is loaded; put %s.lua in config/verifiers/ "
            .. "or the MSP's verifiers/ folder", tostring(name), tostring(name))
    end
    return verifier
end

-- Calls one of a verifier's functions under pcall, so a broken provider script is an error
-- outcome of the verification, not a crash of the run. Returns the function's results, or
-- nil and a message.
local function call_verifier(verifier, field, ...)
    local ok, first, second = pcall(verifier[field], ...)
    if not ok then
        return nil, string.format("%s.%s raised an error: %s", verifier.file, field,
            tostring(first))
    end
    return first, second
end

-- Reads a verifier's result: a table with a known status. Returns {status, detail} or an
-- error result naming what was wrong.
local function read_status(verifier, field, result, problem)
    if result == nil then
        return {status = "error", detail = clean_detail(problem or (verifier.file .. "."
            .. field .. " returned nothing"))}
    end
    if type(result) ~= "table" or not VERIFICATION_STATUSES[result.status] then
        return {status = "error", detail = string.format("%s.%s returned an invalid status %s; "
            .. "expected pending, verified, failed, expired or error", verifier.file, field,
            type(result) == "table" and tostring(result.status) or type(result))}
    end
    return {status = result.status, detail = clean_detail(result.detail)}
end

-- Picks the requester's e-mail and phone from a HaloPSA user, work addresses first.
local function contact_of(user)
    local email = context.to_text(user.emailaddress)
    local phone = context.to_text(user.mobilenumber)
    if phone == nil or not phone:find("%d") then
        phone = context.to_text(user.phonenumber_preferred) or context.to_text(user.phonenumber)
    end
    if email ~= nil and not email:find("@", 1, true) then
        email = nil
    end
    if phone ~= nil and not phone:find("%d") then
        phone = nil
    end
    return email, phone
end

--[[
Screens a ticket with the sensitive policy. Arguments are the JSON text of the ticket (GET
/api/Tickets/{id}) and of the imported client (may be nil). Returns the policy's result as JSON:
{sensitive, reason, verification_required, risk = {score, level, signals}, matched}.
]]
function host.screen(ticket_json, client_json)
    local ticket, problem = decode(ticket_json, "the ticket JSON",
        "the body of GET /api/Tickets/{id}")
    if ticket == nil then
        return nil, problem
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
    local settings = nil
    if policies.sensitive_settings ~= nil and type(policy.settings_for) == "function" then
        settings = policy.settings_for(policies.sensitive_settings, client_id)
    end
    local request = {
        summary = context.to_text(ticket.summary) or "",
        details = context.to_text(ticket.details)
            or context.html_to_text(ticket.details_html) or "",
        source = context.to_text(ticket.source),
    }
    local facts = {requester_email = context.to_text(ticket.user_email)}
    local result = policy.classify(request, facts, settings)
    return canonical.encode({
        sensitive = result.sensitive == true,
        reason = tostring(result.reason or ""),
        verification_required = result.verification_required == true,
        risk = result.risk,
        matched = tostring(result.matched or ""),
    })
end

--[[
Starts the verification of a ticket's requester. Arguments: the ticket JSON, the provider's
file name, the provider's settings as JSON ({url, api_key, ...}; never logged) and the run id.
Reads the requester from HaloPSA (halo.user), then calls the provider's dispatch. Returns JSON:
{status = "pending", transaction_id, method, mode, requester} when the challenge went out;
{status = "no_contact", requester} when the requester has no e-mail or phone on file;
{status = "error", detail} otherwise.
]]
function host.verify_start(ticket_json, provider, settings_json, run_id)
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
        return canonical.encode({status = "error", requester = requester,
            detail = clean_detail("reading the requester from HaloPSA failed: "
                .. tostring(problem))})
    end
    requester.name = context.to_text(user.name) or requester.name
    local email, phone = contact_of(user)
    if email == nil and phone == nil then
        return canonical.encode({status = "no_contact", requester = requester})
    end

    -- Step 2: the challenge. The provider sends it to the requester; halyard never sees a code.
    local request = {
        requester = {id = user_id, name = requester.name, email = email, phone = phone},
        ticket_id = context.to_id(ticket.id),
        reference = "halyard run " .. tostring(run_id),
    }
    local result
    result, problem = call_verifier(verifier, "dispatch", request, settings)
    if type(result) ~= "table" or type(result.transaction_id) ~= "string"
        or result.transaction_id == "" then
        return canonical.encode({status = "error", requester = requester,
            detail = clean_detail(problem or (verifier.file
                .. ".dispatch returned no transaction_id"))})
    end
    log.info("msp=%s run=%s verification dispatched by %s (%s) to requester %d", host.msp,
        tostring(run_id), verifier.file, tostring(result.method or "-"), user_id)
    return canonical.encode({
        status = "pending",
        transaction_id = result.transaction_id:sub(1, 200),
        method = tostring(result.method or (email ~= nil and "email" or "sms")):sub(1, 40),
        mode = verifier.mode,
        requester = requester,
    })
end

-- Asks a polling provider for a transaction's status. Returns JSON {status, detail}.
function host.verify_poll(provider, transaction_id, settings_json)
    local settings, problem = decode(settings_json, "the provider settings", "{\"url\": \"...\"}")
    if settings == nil then
        return nil, problem
    end
    local verifier
    verifier, problem = find_verifier(provider)
    if verifier == nil then
        return canonical.encode({status = "error", detail = problem})
    end
    if verifier.poll == nil then
        return canonical.encode({status = "error",
            detail = verifier.file .. " has no poll function; it reports by callback"})
    end
    return canonical.encode(read_status(verifier, "poll",
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
    result, problem = call_verifier(verifier, "callback", headers, body or "", settings)
    local read = read_status(verifier, "callback", result, problem)
    read.transaction_id = type(result) == "table" and tostring(result.transaction_id or "") or ""
    return canonical.encode(read)
end

return host
