-- The report under a failed scenario's result line: the failure with its file:line, what
-- halyard did with the ticket involved (its runs and the ticket's actions), the warnings and
-- errors halyard logged, and what the scenario printed.

local session = require "session"

local report = {}

local INDENT = "    "
-- How many of halyard's warning and error lines the report shows, newest last.
local LOG_LINES = 8

local function one_line(text, limit)
    local line = tostring(text or ""):gsub("%s+", " ")
    if #line > limit then
        line = line:sub(1, limit - 3) .. "..."
    end
    return line
end

-- Adds what halyard did with ticket_id: each run with its events, then the ticket's actions.
local function describe_ticket(lines, ticket_id)
    local ok, runs = pcall(session.runs, ticket_id)
    if not ok then
        lines[#lines + 1] = INDENT .. "halyard's runs of ticket " .. ticket_id ..
            " could not be read: " .. one_line(runs, 200)
    elseif #runs == 0 then
        lines[#lines + 1] = INDENT .. "halyard has no run of ticket " .. ticket_id
    else
        lines[#lines + 1] = INDENT .. "halyard's runs of ticket " .. ticket_id .. ", newest first:"
        for _, run in ipairs(runs) do
            local events = {}
            for _, event in ipairs(run.events or {}) do
                -- A plan's JSON is too long to help here; shorter details are shown.
                local detail = ""
                if event.detail ~= "" and event.detail:sub(1, 1) ~= "{" then
                    detail = " (" .. one_line(event.detail, 60) .. ")"
                end
                events[#events + 1] = event.kind .. detail
            end
            lines[#lines + 1] = string.format("%s  run %d: %s; %s", INDENT, run.id, run.state,
                table.concat(events, " -> "))
        end
    end

    local read, actions = pcall(session.actions, ticket_id)
    if read then
        lines[#lines + 1] = INDENT .. "actions on ticket " .. ticket_id .. " in HaloPSA:"
        for _, action in ipairs(actions) do
            lines[#lines + 1] = string.format('%s  #%d by %s%s: "%s"', INDENT, action.id,
                action.by == "halyard" and "halyard" or (action.who ~= "" and action.who or
                action.by), action.hidden and " (hidden)" or "", one_line(action.text, 70))
        end
        if #actions == 0 then
            lines[#lines + 1] = INDENT .. "  none"
        end
    end
end

-- Returns the report of a failure (from failure.lua) as text, each line indented and ending
-- in a newline.
function report.build(failed)
    local lines = {}
    local message = tostring(failed.message)
    local first = true
    for line in (message .. "\n"):gmatch("(.-)\n") do
        if first and failed.where then
            line = failed.where .. ": " .. line
        end
        lines[#lines + 1] = (first and INDENT or INDENT .. "  ") .. line
        first = false
    end
    if failed.traceback and not failed.where then
        for line in failed.traceback:gmatch("[^\n]+") do
            lines[#lines + 1] = INDENT .. "  " .. line
        end
    end

    -- What halyard did, unless the run was interrupted and should stop at once.
    local running = session.phase == "running" and not host.interrupted()
    if running and failed.ticket then
        describe_ticket(lines, failed.ticket)
    end
    local problems = session.problem_lines(session.halyard_log(), LOG_LINES)
    if #problems > 0 then
        lines[#lines + 1] = INDENT .. "halyard's last warnings and errors:"
        for _, line in ipairs(problems) do
            lines[#lines + 1] = INDENT .. "  " .. one_line(line, 300)
        end
    end
    if #session.output > 0 then
        lines[#lines + 1] = INDENT .. "the scenario printed:"
        for _, line in ipairs(session.output) do
            lines[#lines + 1] = INDENT .. "  " .. line
        end
    end
    if session.scratch then
        if host.options.keep then
            lines[#lines + 1] = INDENT .. "logs and database kept in " .. session.scratch
        else
            lines[#lines + 1] = INDENT .. "run with --keep to keep halyard's and halosim's logs"
        end
    end
    return table.concat(lines, "\n") .. "\n"
end

return report
