-- The Plan-mode note: HTML for a technician reading the ticket in HaloPSA, and the marker that
-- distinguishes halyard's own notes from everyone else's.
--
-- HaloPSA ignores <style> blocks in notes, so every style is inline. Every piece of text that
-- comes from the ticket, the client or a workflow goes through note.escape.

local note = {}

local ENTITIES = {
    ["&"] = "&amp;",
    ["<"] = "&lt;",
    [">"] = "&gt;",
    ['"'] = "&quot;",
    ["'"] = "&#39;",
}

-- Unicode bidirectional controls in UTF-8: U+202A..U+202E and U+2066..U+2069, and the marks
-- U+200E, U+200F and U+061C, which reorder the digits and punctuation beside them. They can make
-- a note read differently from what it holds, so escape drops them.
local BIDI_CONTROLS = {"\226\128[\142\143\170-\174]", "\226\129[\166-\169]", "\216\156"}

-- Control characters other than tab, line feed and carriage return (C0, DEL and C1). No note
-- needs them, and a terminal that shows the text acts on them, so escape drops them too.
local CONTROL_CHARACTERS = {"[%z\1-\8\11\12\14-\31\127]", "\194[\128-\159]"}

-- A word joiner (U+2060), put between "halyard" and " run" in quoted text.
local WORD_JOINER = "\226\129\160"

-- Returns text with the five HTML special characters replaced by entities, bidirectional
-- controls and control characters removed, and a word joiner between "halyard" and " run" wherever they meet, so that
-- quoted text never carries halyard's write marker "halyard run <label>", which halyard looks
-- for on retries (core/app/note_text.c does the same for notes written in C).
function note.escape(text)
    local plain = tostring(text)
    for _, pattern in ipairs(BIDI_CONTROLS) do
        plain = plain:gsub(pattern, "")
    end
    for _, pattern in ipairs(CONTROL_CHARACTERS) do
        plain = plain:gsub(pattern, "")
    end
    plain = plain:gsub("([Hh][Aa][Ll][Yy][Aa][Rr][Dd])( [Rr][Uu][Nn])", "%1" .. WORD_JOINER .. "%2")
    return (plain:gsub("[&<>\"']", ENTITIES))
end

--[[
Returns the marker every note halyard writes ends with. HaloPSA may strip HTML comments, so
the marker is a hidden element whose text also survives in the action's plain `note` field.
]]
function note.marker(run_id)
    local escaped = note.escape(run_id)
    return string.format('<span style="display:none" data-halyard="run=%s">halyard run %s</span>',
        escaped, escaped)
end

-- True when an action's HTML or plain text carries a halyard marker. The plain-text test
-- looks only at the end of the note, so a technician who mentions a run is not mistaken for
-- halyard.
function note.is_own(note_html, note_text)
    if type(note_html) == "string" and note_html:find('data-halyard="run=', 1, true) then
        return true
    end
    if type(note_text) == "string" and note_text:find("halyard run [%w%-_.:]+%s*$") then
        return true
    end
    return false
end

-- Returns the run id of a marker in note_html, or nil.
function note.marker_run_id(note_html)
    if type(note_html) ~= "string" then
        return nil
    end
    return note_html:match('data%-halyard="run=([^"]*)"')
end

local STYLE = {
    body = "font-family:Segoe UI,Arial,sans-serif;font-size:13px;color:#1f2933;line-height:1.4",
    title = "margin:0 0 8px 0;font-size:14px",
    heading = "margin:12px 0 4px 0;font-size:13px;font-weight:bold;color:#0b4f6c",
    paragraph = "margin:0 0 6px 0",
    list = "margin:0 0 6px 0;padding-left:20px",
    table = "border-collapse:collapse;margin:0 0 6px 0",
    cell = "border:1px solid #c7ced6;padding:3px 6px;vertical-align:top;text-align:left",
    header = "border:1px solid #c7ced6;padding:3px 6px;text-align:left;background:#eef2f6",
    read = "color:#1d6f42;font-weight:bold",
    write = "color:#a4260e;font-weight:bold",
    footer = "margin:10px 0 0 0;font-size:11px;color:#6b7280",
}

local function heading(out, text)
    out[#out + 1] = string.format('<p style="%s">%s</p>', STYLE.heading, note.escape(text))
end

local function list(out, items)
    out[#out + 1] = string.format('<ul style="%s">', STYLE.list)
    for _, item in ipairs(items) do
        out[#out + 1] = "<li>" .. item .. "</li>"
    end
    out[#out + 1] = "</ul>"
end

-- Renders a step's arguments as escaped "name = value" lines, in name order.
local function render_arguments(arguments)
    local names = {}
    for name in pairs(arguments or {}) do
        names[#names + 1] = name
    end
    table.sort(names)
    if #names == 0 then
        return "(none)"
    end
    local lines = {}
    for _, name in ipairs(names) do
        local value = arguments[name]
        lines[#lines + 1] = string.format("%s = %s", note.escape(name), note.escape(value))
    end
    return table.concat(lines, "<br>")
end

local function render_workflows(out, plan)
    heading(out, "Workflows that matched")
    if #plan.workflows == 0 then
        out[#out + 1] = string.format('<p style="%s">None of the active workflows matched.</p>',
            STYLE.paragraph)
        return
    end
    local items = {}
    for _, workflow in ipairs(plan.workflows) do
        local why = {}
        for _, reason in ipairs(workflow.reasons) do
            why[#why + 1] = note.escape(reason)
        end
        items[#items + 1] = string.format("<strong>%s</strong> (score %d, file %s): %s",
            note.escape(workflow.name), workflow.score, note.escape(workflow.file),
            table.concat(why, "; "))
    end
    list(out, items)
end

-- Lists the facts the workflows' gather functions added, and the gathers that failed.
local function render_facts(out, plan)
    local facts = plan.facts or {}
    local failures = plan.gather_failures or {}
    if #facts == 0 and #failures == 0 then
        return
    end
    heading(out, "Facts gathered")
    local items = {}
    for _, fact in ipairs(facts) do
        items[#items + 1] = string.format("<strong>%s</strong>: %s", note.escape(fact.workflow),
            note.escape(fact.text))
    end
    for _, failure in ipairs(failures) do
        items[#items + 1] = string.format("<strong>%s</strong>: could not gather facts: %s",
            note.escape(failure.workflow), note.escape(failure.message))
    end
    list(out, items)
end

-- The words an Execute-mode note shows for each step policy.
local POLICY_TEXT = {auto = "runs automatically", approval_needed = "needs approval"}

-- Renders the steps as a table. In Execute mode a column shows whether each step runs
-- automatically or needs approval. In Plan mode nothing runs, so the column is left out.
local function render_steps(out, plan)
    heading(out, "Plan")
    if #plan.steps == 0 then
        out[#out + 1] = string.format('<p style="%s">No steps.</p>', STYLE.paragraph)
        return
    end
    local execute = plan.run ~= nil and plan.run.mode == "execute"
    local titles = {"#", "Tool", "Arguments", "Reads or writes", "Why"}
    if execute then
        titles[#titles + 1] = "Runs"
    end
    out[#out + 1] = string.format('<table style="%s"><tr>', STYLE.table)
    for _, title in ipairs(titles) do
        out[#out + 1] = string.format('<th style="%s">%s</th>', STYLE.header, title)
    end
    out[#out + 1] = "</tr>"
    for _, step in ipairs(plan.steps) do
        local kind_style = step.kind == "write" and STYLE.write or STYLE.read
        local kind_text = step.kind == "write" and "writes" or "reads"
        local runs = ""
        if execute then
            runs = string.format('<td style="%s">%s</td>', STYLE.cell,
                note.escape(POLICY_TEXT[step.policy] or "needs approval"))
        end
        out[#out + 1] = string.format(
            '<tr><td style="%s">%d</td><td style="%s"><code>%s</code></td><td style="%s">%s</td>'
                .. '<td style="%s"><span style="%s">%s</span></td><td style="%s">%s</td>%s</tr>',
            STYLE.cell, step.number, STYLE.cell, note.escape(step.tool), STYLE.cell,
            render_arguments(step.arguments), STYLE.cell, kind_style, kind_text, STYLE.cell,
            note.escape(step.purpose or ""), runs)
    end
    out[#out + 1] = "</table>"
end

-- Lists the steps the tool policy or the registry left out of the plan, and why.
local function render_left_out(out, plan)
    local left_out = plan.left_out or {}
    if #left_out == 0 then
        return
    end
    heading(out, "Left out of the plan")
    local items = {}
    for _, step in ipairs(left_out) do
        items[#items + 1] = string.format("<code>%s</code> (from %s): %s",
            note.escape(step.tool), note.escape(step.workflow or "the agent"),
            note.escape(step.reason))
    end
    list(out, items)
end

--[[
Writes the sentence of a plan's ticket_state ({status, priority, technician, team}, agent.plan):
"Ticket: status New, priority P3, assigned to Sam Lead, team Service Desk.", with "no
technician assigned" when technician is nil. core/app/execute_notes.c writes the same sentence
in an approval request. Returns nil when state is nil.
]]
function note.ticket_state(state)
    if state == nil then
        return nil
    end
    local parts = {"status " .. state.status, "priority " .. state.priority}
    if state.technician ~= nil then
        parts[#parts + 1] = "assigned to " .. state.technician
    else
        parts[#parts + 1] = "no technician assigned"
    end
    if state.team ~= nil then
        parts[#parts + 1] = "team " .. state.team
    end
    return "Ticket: " .. table.concat(parts, ", ") .. "."
end

--[[
Renders the plan note for a plan made by agent.plan. The sections are: diagnosis and the
ticket's state; the workflows that matched and why; the facts their gather functions added
(when there are any); each step with its tool, arguments and whether it reads or writes, and in
Execute mode whether it runs automatically or needs approval; the steps left out and why (when
there are any); what the agent would need to go on; a footer saying what halyard does with the
plan. The HTML ends with note.marker(plan.run_id).
]]
function note.render(plan)
    local out = {}
    out[#out + 1] = string.format('<div style="%s">', STYLE.body)
    out[#out + 1] = string.format('<p style="%s"><strong>halyard plan for ticket #%d</strong></p>',
        STYLE.title, plan.ticket_id)

    heading(out, "Diagnosis")
    out[#out + 1] = string.format('<p style="%s">%s</p>', STYLE.paragraph,
        note.escape(plan.diagnosis))
    local ticket_state = note.ticket_state(plan.ticket_state)
    if ticket_state ~= nil then
        out[#out + 1] = string.format('<p style="%s">%s</p>', STYLE.paragraph,
            note.escape(ticket_state))
    end

    -- A sensitive ticket whose requester could not be verified says so before the steps.
    if plan.run ~= nil and plan.run.sensitive and plan.run.verification == "not_connected" then
        out[#out + 1] = string.format('<p style="%s"><strong>Sensitive ticket:</strong> the '
            .. "requester's identity was not verified because no identity verification provider "
            .. "is connected, so every step that writes needs a technician's approval.</p>",
            STYLE.paragraph)
    end

    render_workflows(out, plan)
    render_facts(out, plan)
    render_steps(out, plan)
    render_left_out(out, plan)

    heading(out, "Needed to go on")
    local needs = {}
    for _, need in ipairs(plan.needs) do
        needs[#needs + 1] = note.escape(need)
    end
    list(out, needs)

    if plan.run ~= nil and plan.run.mode == "execute" then
        out[#out + 1] = string.format('<p style="%s">Written by halyard in Execute mode: steps '
            .. "that run automatically run next, and the others run only after the technician "
            .. "assigned to the ticket approves them.</p>", STYLE.footer)
    else
        out[#out + 1] = string.format('<p style="%s">Written by halyard in Plan mode: this is a '
            .. "proposal, and nothing was changed in HaloPSA or any other system.</p>",
            STYLE.footer)
    end
    out[#out + 1] = "</div>"
    out[#out + 1] = note.marker(plan.run_id)
    return table.concat(out, "\n")
end

return note
