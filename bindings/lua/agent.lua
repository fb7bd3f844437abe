-- The built-in provider: a deterministic agent that turns the context and the matching
-- workflows into a diagnosis and a plan of steps. It works offline and gives the same plan
-- for the same input.
--
-- Step arguments in workflow files may hold placeholders such as "{requester.email}", filled
-- from the context. A value that is only a placeholder keeps its type (an id stays an
-- integer); a placeholder inside text is formatted into the text. A placeholder the context
-- cannot fill, and an argument written as {ask = "..."}, become needs: what a technician must
-- supply before the step can run.

local modules = ...
local canonical = modules.canonical
local match = modules.match
local tools = modules.tools
local loader = modules.loader
local redact = modules.redact

-- msp names the MSP in log lines; host.lua sets it.
local agent = {msp = "-"}

-- Descriptions of context paths for the "needed to go on" list.
local PATH_DESCRIPTIONS = {
    ["requester.id"] = "the requester's HaloPSA user (the ticket has no user)",
    ["requester.name"] = "the requester's name",
    ["requester.email"] = "the requester's e-mail address",
    ["requester.phone"] = "the requester's phone number",
    ["ticket.agent.id"] = "a technician assigned to the ticket",
    ["ticket.agent.name"] = "a technician assigned to the ticket",
    ["ticket.team.name"] = "the ticket's team",
    ["ticket.client.id"] = "the ticket's client",
    ["ticket.site.name"] = "the requester's site",
}

local SUMMARY_LIMIT = 200

-- Cuts text to at most limit bytes without splitting a UTF-8 character, adding "..." when cut.
local function shorten(text, limit)
    if #text <= limit then
        return text
    end
    local cut = limit
    while cut > 0 and (text:byte(cut + 1) or 0) >= 0x80 and (text:byte(cut + 1) or 0) < 0xC0 do
        cut = cut - 1
    end
    return text:sub(1, cut) .. "..."
end

--[[
Returns text from the ticket quoted for the diagnosis in typographic double quotes (“...”) and
cut to SUMMARY_LIMIT bytes. The requester writes that text, so it must not end the quotation
and go on as halyard's own sentences ('Kiosk offline". Identity: verified'). Every double quote
inside (straight, typographic, low, reversed, guillemet, fullwidth, double prime) becomes a
straight single quote. White space, line and paragraph separators included, becomes one space,
so the quote cannot start a line of its own either.
]]
local function quote_ticket_text(text)
    local flat = text:gsub("\"", "'")
        :gsub("\226\128[\156-\159]", "'") -- U+201C to U+201F
        :gsub("\226\128[\179\182]", "'") -- U+2033 double prime, U+2036 reversed
        :gsub("\194[\171\187]", "'") -- U+00AB and U+00BB guillemets
        :gsub("\239\188\130", "'") -- U+FF02 fullwidth quotation mark
        :gsub("\227\128[\157-\159]", "'") -- U+301D to U+301F CJK quotation marks
        :gsub("\226\128[\168\169]", " ") -- U+2028 line and U+2029 paragraph separators
        :gsub("%s+", " ")
    return "\u{201C}" .. shorten(flat, SUMMARY_LIMIT) .. "\u{201D}"
end

-- Looks up a dotted path such as "requester.email" in the context; nil when absent.
local function lookup(context, path)
    local value = context
    -- A loop of find, because gmatch allocates a state of about 600 bytes for each placeholder
    -- of each plan.
    local first, last = path:find("[^.]+")
    while first ~= nil do
        if type(value) ~= "table" then
            return nil
        end
        value = value[path:sub(first, last)]
        first, last = path:find("[^.]+", last + 1)
    end
    if type(value) == "table" then
        return nil
    end
    return value
end

-- Placeholders that quote what the requester typed. Their text gets the quote cut, because a
-- step's arguments are kept in the plan note, the run events and runs.plan_json.
local QUOTED_PATHS = {["ticket.summary"] = true, ["ticket.details"] = true}

-- Looks up a placeholder's path as lookup does, with a quote of the ticket cut.
local function lookup_argument(context, path)
    local found = lookup(context, path)
    if QUOTED_PATHS[path] then
        return redact.cut_ticket_quote(found)
    end
    return found
end

--[[
Fills one argument value. Returns the filled value and a list of needs (descriptions of what
was missing). A whole-value placeholder keeps the looked-up value's type.
]]
local function fill_value(context, value)
    local needs = {}
    if type(value) == "table" then
        needs[1] = value.ask
        return "(to be confirmed: " .. value.ask .. ")", needs
    end
    if type(value) ~= "string" then
        return value, needs
    end

    local whole = value:match("^{([%w_.]+)}$")
    if whole ~= nil then
        local found = lookup_argument(context, whole)
        if found == nil then
            needs[1] = PATH_DESCRIPTIONS[whole] or whole
            return "(unknown: " .. whole .. ")", needs
        end
        return found, needs
    end

    local filled = value:gsub("{([%w_.]+)}", function(path)
        local found = lookup_argument(context, path)
        if found == nil then
            needs[#needs + 1] = PATH_DESCRIPTIONS[path] or path
            return "(unknown: " .. path .. ")"
        end
        return tostring(found)
    end)
    return filled, needs
end

local function add_unique(list, seen, item)
    if item ~= nil and not seen[item] then
        seen[item] = true
        list[#list + 1] = item
    end
end

-- The steps the agent proposes when no workflow matches: find out who the requester is and
-- which devices they use, then route the ticket.
local TRIAGE_STEPS = {
    {tool = "halo.get_user", kind = "read", arguments = {user_id = "{requester.id}"},
        purpose = "Confirm who the requester is and how to reach them."},
    {tool = "halo.list_user_tickets", kind = "read", arguments = {user_id = "{requester.id}"},
        purpose = "See whether the request repeats or belongs to another open ticket."},
    {tool = "halo.list_client_assets", kind = "read",
        arguments = {client_id = "{ticket.client.id}", user_id = "{requester.id}"},
        purpose = "Find the devices the requester uses."},
    {tool = "halo.assign", kind = "write",
        arguments = {team = {ask = "the team that handles this kind of request"}},
        purpose = "Route the ticket to the team that handles this kind of request."},
}

--[[
True when a workflow step is aimed at the requester's own account: it says so (requester_account
= true), or an argument is filled from the requester ("{requester.email}"). The requester's
HaloPSA user id alone ("{requester.id}") is not: looking the requester up confirms who asks.
]]
local function aims_at_requester(step)
    if step.requester_account == true then
        return true
    end
    for _, value in pairs(step.arguments or {}) do
        -- Most arguments name no requester field, so they skip the state that gmatch allocates.
        if type(value) == "string" and value:find("{requester.", 1, true) then
            for path in value:gmatch("{(requester%.[%w_.]+)}") do
                if path ~= "requester.id" then
                    return true
                end
            end
        end
    end
    return false
end

-- Builds the plan's steps from the workflows' steps (or the triage steps), dropping a step
-- whose tool and filled arguments repeat an earlier one. Returns steps and needs.
local function build_steps(context, matches)
    local steps = canonical.array()
    local needs = {}
    local seen_needs = {}
    local seen_steps = {}

    local sources = {}
    for _, found in ipairs(matches) do
        sources[#sources + 1] = {workflow = found.key.name, steps = found.key.steps}
    end
    if #sources == 0 then
        sources[1] = {workflow = "triage", steps = TRIAGE_STEPS}
    end

    for _, source in ipairs(sources) do
        for _, step in ipairs(source.steps) do
            local arguments = {}
            local missing = canonical.array()
            for name, value in pairs(step.arguments or {}) do
                local filled, step_needs = fill_value(context, value)
                arguments[name] = filled
                for _, need in ipairs(step_needs) do
                    missing[#missing + 1] = need
                end
            end
            table.sort(missing)
            local identity = step.tool .. canonical.encode(arguments)
            if not seen_steps[identity] then
                seen_steps[identity] = true
                for _, need in ipairs(missing) do
                    add_unique(needs, seen_needs, need)
                end
                steps[#steps + 1] = {
                    number = #steps + 1,
                    workflow = source.workflow,
                    tool = step.tool,
                    kind = step.kind,
                    arguments = arguments,
                    purpose = step.purpose,
                    missing = missing,
                    requester_account = aims_at_requester(step),
                }
            end
        end
    end
    return steps, needs, seen_needs
end

local function describe_reference(reference)
    if reference == nil then
        return nil
    end
    return reference.name or (reference.id and ("#" .. reference.id))
end

-- Describes the ticket's state when halyard planned: {status, priority, technician, team}, each
-- a name or "#<id>". status and priority are "unknown" when HaloPSA sent neither; technician
-- and team are nil when the ticket has none. A note renders it (note.ticket_state), and an
-- approval request posted later names the technician assigned then in place of this one.
local function describe_ticket_state(ticket)
    local technician = nil
    if ticket.agent ~= nil and ticket.agent.id ~= nil then
        technician = describe_reference(ticket.agent)
    end
    return {
        status = describe_reference(ticket.status) or "unknown",
        priority = describe_reference(ticket.priority) or "unknown",
        technician = technician,
        team = describe_reference(ticket.team),
    }
end

-- Writes the diagnosis: the requester and the request, the workflow it fits, and the latest
-- note. The ticket's state is kept apart in the plan's ticket_state (describe_ticket_state).
local function build_diagnosis(context, matches)
    local ticket = context.ticket
    local requester = context.requester.name or "The requester"
    local client = describe_reference(ticket.client)
        or (context.client and context.client.name)
    local parts = {}

    -- Quotes of the ticket lose what may be a password or a code the requester typed, because
    -- the diagnosis is kept in the note, the run events and runs.plan_json.
    local summary = quote_ticket_text(ticket.summary ~= ""
        and redact.cut_ticket_quote(ticket.summary) or "(no summary)")
    if client ~= nil then
        parts[#parts + 1] = string.format("%s (%s) wrote: %s.", requester, client, summary)
    else
        parts[#parts + 1] = string.format("%s wrote: %s.", requester, summary)
    end

    if #matches == 0 then
        parts[#parts + 1] = "No active workflow matches this request, so the plan is triage: "
            .. "find out who is asking, what else is open for them and which devices they use, "
            .. "then route the ticket to the right team."
    else
        local best = matches[1].key
        local trigger = best.trigger:gsub("%s+$", "")
        parts[#parts + 1] = string.format("This looks like \"%s\": %s", best.name, trigger)
        if #matches > 1 then
            local others = {}
            for position = 2, #matches do
                others[#others + 1] = string.format("\"%s\"", matches[position].key.name)
            end
            parts[#parts + 1] = string.format("It also fits %s.", table.concat(others, ", "))
        end
    end

    local notes = context.notes or {}
    if #notes > 0 then
        local latest = notes[#notes]
        parts[#parts + 1] = string.format("%d earlier note%s; the latest%s: %s.", #notes,
            #notes == 1 and "" or "s", latest.who and (" by " .. latest.who) or "",
            quote_ticket_text(redact.cut_ticket_quote(latest.text:gsub("%s+", " "))))
    end
    return table.concat(parts, " ")
end

--[[
Decides each step's kind and policy from the tool registry and the tool policy, for the run
({mode, sensitive, verification, other_account}). A step whose tool is disabled is left out,
and so is, in Execute mode, a step whose tool is not registered (it cannot run), and a step
aimed at the requester's account when the request is about another person's. Every step after
a left-out step is left out too, in both modes: it may rely on what the missing step did, as a
reply that a password was reset relies on the reset. Returns the steps that stay, numbered
again from 1, and the left-out steps as {number, workflow, tool, purpose, reason} where number
is the step's number before any was left out.
]]
local function decide_steps(context, steps, run)
    local remaining = canonical.array()
    local left_out = canonical.array()
    local policy_table = loader.policies().tools
    local policy_failed = loader.policy_failed("tools")
    local client_id = context.ticket.client and context.ticket.client.id
        or (context.client and context.client.id)

    local first_left_out = nil
    for _, step in ipairs(steps) do
        local tool = tools.get(step.tool)
        if tool ~= nil then
            step.kind = tool.kind
        end
        local policy, reason = tools.policy_for(step.tool, step.kind, client_id, run,
            policy_table, policy_failed)
        local left_out_reason = nil
        if first_left_out ~= nil then
            left_out_reason = string.format("step %d (%s) before it was left out, and this "
                .. "step may rely on what that step does", first_left_out.number,
                first_left_out.tool)
        elseif policy == "disabled" then
            left_out_reason = string.format("%s is disabled: %s", step.tool, reason)
        elseif tool == nil and run.mode == "execute" then
            left_out_reason = string.format("no tool named %s is registered for this MSP, so it cannot run",
                step.tool)
        elseif run.other_account and step.requester_account then
            left_out_reason = "the request is about another person's account, and this step "
                .. "is aimed at the requester's own account"
        end
        step.requester_account = nil
        if left_out_reason ~= nil then
            first_left_out = first_left_out or step
            left_out[#left_out + 1] = {number = step.number, workflow = step.workflow,
                tool = step.tool, purpose = step.purpose, reason = left_out_reason}
            log.info("msp=%s run=%s ticket=%d step %d (%s) left out of the plan: %s",
                agent.msp or "-", context.run_id or "-", context.ticket.id, step.number,
                step.tool, left_out_reason)
        else
            step.policy = policy
            -- The C host sets aside a plan with a sensitive tool on a run screened not
            -- sensitive (verification_workflow.h).
            step.sensitive = tool ~= nil and tool.sensitive or nil
            step.number = #remaining + 1
            remaining[#remaining + 1] = step
        end
    end
    return remaining, left_out
end

-- The need of a plan whose screening found the request is about another person's account.
local OTHER_ACCOUNT_NEED = "a technician to confirm whose account the request is about: it "
    .. "names another person's account, not the requester's, so the steps aimed at the "
    .. "requester's account were left out. Confirm the target and the requester's right to ask "
    .. "with the account's owner or their manager, then act on that account by hand"

-- Adds the needs that do not come from step arguments: approvals, assignment, Execute mode,
-- tools that are not connected, and a workflow when none matched.
local function add_general_needs(context, matches, steps, needs, seen, run)
    if #matches == 0 then
        add_unique(needs, seen, "a workflow for this kind of request")
    end

    local approvals = 0
    local msp_tools = {}
    local seen_tools = {}
    for _, step in ipairs(steps) do
        if step.policy == "approval_needed" then
            approvals = approvals + 1
        end
        if tools.get(step.tool) == nil and not seen_tools[step.tool] then
            seen_tools[step.tool] = true
            msp_tools[#msp_tools + 1] = step.tool
        end
    end
    if #msp_tools > 0 then
        add_unique(needs, seen, string.format("the MSP tools %s connected to halyard (no tool "
            .. "runs yet)", table.concat(msp_tools, ", ")))
    end
    if approvals > 0 then
        add_unique(needs, seen, string.format("approval of the %d step%s that need%s it, by the "
            .. "technician assigned to the ticket", approvals, approvals == 1 and "" or "s",
            approvals == 1 and "s" or ""))
        if context.ticket.agent == nil or context.ticket.agent.id == nil then
            add_unique(needs, seen, "a technician assigned to the ticket, because only the "
                .. "assigned technician may approve")
        end
    end
    if run.other_account then
        add_unique(needs, seen, OTHER_ACCOUNT_NEED)
    end
    if run.mode == "plan" then
        add_unique(needs, seen, "Execute mode for this client: in Plan mode halyard only posts "
            .. "this note")
    end
end

--[[
Returns the plan's hash: the lowercase hex SHA-256 of the canonical JSON of {ticket_id, steps =
[{tool, arguments}]}, steps in order. An approval is bound to it, so any change of a tool, an
argument or the order changes the hash.
]]
function agent.plan_hash(ticket_id, steps)
    local hashed = canonical.array()
    for _, step in ipairs(steps) do
        hashed[#hashed + 1] = {tool = step.tool, arguments = step.arguments or {}}
    end
    return text.sha256(canonical.encode({ticket_id = ticket_id, steps = hashed}))
end

--[[
Makes the plan for a context, the matches of loader.index:run (highest score first) and the
run ({mode, sensitive, verification, other_account}, as tools.read_run returns it). When
other_account is true, steps aimed at the requester's own account are left out and the
needs say a technician must confirm the target. Returns {run_id,
ticket_id, client_id, run, diagnosis, ticket_state, workflows, steps, left_out, needs,
plan_hash}, where ticket_state is {status, priority, technician, team} and each
workflow is {name, file, score, trigger, reasons, sensitive} (sensitive: the workflow's reason
code, nil when it declares none) and each step {number, workflow, tool, kind,
policy, sensitive, arguments, purpose, missing} (sensitive: the tool's reason code, or nil).
]]
function agent.plan(context, matches, run)
    local workflows = canonical.array()
    for _, found in ipairs(matches) do
        local reasons = canonical.array()
        for _, reason in ipairs(found.reasons) do
            reasons[#reasons + 1] = match.describe(reason)
        end
        workflows[#workflows + 1] = {
            name = found.key.name,
            file = found.key.file,
            score = found.score,
            trigger = found.key.trigger,
            reasons = reasons,
            sensitive = found.key.sensitive,
        }
    end

    local diagnosis = build_diagnosis(context, matches)
    if run.other_account then
        diagnosis = diagnosis .. " The request is about another person's account, not the "
            .. "requester's own, so a technician must confirm whose account it is before "
            .. "anything is changed."
    end

    local steps, needs, seen = build_steps(context, matches)
    local left_out
    steps, left_out = decide_steps(context, steps, run)
    add_general_needs(context, matches, steps, needs, seen, run)

    return {
        run_id = context.run_id,
        ticket_id = context.ticket.id,
        client_id = context.ticket.client and context.ticket.client.id
            or (context.client and context.client.id),
        run = run,
        diagnosis = diagnosis,
        ticket_state = describe_ticket_state(context.ticket),
        workflows = workflows,
        steps = steps,
        left_out = left_out,
        needs = canonical.array(needs),
        plan_hash = agent.plan_hash(context.ticket.id, steps),
    }
end

return agent
