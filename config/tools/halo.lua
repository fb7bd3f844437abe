-- The built-in HaloPSA tools. The read tools call the read-only `halo` module. The write tools
-- never write: each returns a write request, and halyard's core performs it once, after the
-- tool policy and any approval allow it. The core adds halyard's run marker to every note
-- and reply it posts, and picks the action's outcome when a request leaves it out.
--
-- An MSP overrides this file whole by putting its own tools/halo.lua in its script folder.

-- The fields each tool copies from HaloPSA's records. A tool's result enters the run's record
-- and the agent's next context, so it keeps only what a technician reads.
local USER_FIELDS = {"id", "name", "emailaddress", "phonenumber", "mobilenumber", "client_id",
    "client_name", "site_id", "site_name", "inactive"}
local TICKET_FIELDS = {"id", "summary", "status_id", "status_name", "dateoccurred", "agent_id",
    "team"}
local ASSET_FIELDS = {"id", "inventory_number", "assettype_name", "key_field", "key_field2",
    "username", "site_name", "status_name", "warranty_end"}

local ENTITIES = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;",
    ["'"] = "&#39;"}

-- Copies the named fields of a HaloPSA record that are present; json.null is left out.
local function pick(record, fields)
    local picked = {}
    for _, field in ipairs(fields) do
        local value = record[field]
        if value ~= nil and value ~= json.null then
            picked[field] = math.tointeger(value) or value
        end
    end
    return picked
end

-- Turns plain text into HTML for a note: special characters escaped, line breaks kept.
local function text_to_html(text)
    local escaped = text:gsub("[&<>\"']", ENTITIES)
    return (escaped:gsub("\r?\n", "<br>"))
end

-- Returns nil and a message when a ticket_id argument names another ticket than the run's: a
-- step writes to its own ticket only.
local function check_ticket(arguments, context)
    if arguments.ticket_id ~= nil and arguments.ticket_id ~= context.ticket.id then
        return nil, string.format("ticket_id %d is not this run's ticket %d; a step writes to "
            .. "its own ticket only", arguments.ticket_id, context.ticket.id)
    end
    return true
end

local TICKET_ID = {type = "integer", required = false,
    description = "The ticket to write to; it must be the run's own ticket."}

return {
    {
        name = "halo.get_user",
        description = "Look up a HaloPSA user (usually the requester): name, e-mail address, "
            .. "phone numbers, client and site.",
        kind = "read",
        parameters = {
            user_id = {type = "integer", required = true, description = "The HaloPSA user id."},
        },
        run = function(arguments)
            local user, problem = halo.user(arguments.user_id)
            if user == nil then
                return nil, problem
            end
            return pick(user, USER_FIELDS)
        end,
    },

    {
        name = "halo.list_user_tickets",
        description = "List the user's other open tickets, in the order HaloPSA lists them.",
        kind = "read",
        parameters = {
            user_id = {type = "integer", required = true, description = "The HaloPSA user id."},
        },
        run = function(arguments, context)
            local tickets, problem = halo.tickets{user_id = arguments.user_id, open_only = true}
            if tickets == nil then
                return nil, problem
            end
            -- A summary may hold a password the user typed, and the result is stored with the run.
            local others = {}
            for _, ticket in ipairs(tickets) do
                if math.tointeger(ticket.id) ~= context.ticket.id then
                    local row = pick(ticket, TICKET_FIELDS)
                    if type(row.summary) == "string" then
                        row.summary = redact.quote(row.summary)
                    end
                    others[#others + 1] = row
                end
            end
            return others
        end,
    },

    {
        name = "halo.list_client_assets",
        description = "List the client's assets, optionally only the user's or those a search "
            .. "matches.",
        kind = "read",
        parameters = {
            client_id = {type = "integer", required = true,
                description = "The HaloPSA client id."},
            user_id = {type = "integer", required = false,
                description = "Only the assets linked to this user."},
            search = {type = "string", required = false,
                description = "Text HaloPSA searches the asset tag and key fields for."},
        },
        run = function(arguments)
            local assets, problem = halo.assets{client_id = arguments.client_id,
                user_id = arguments.user_id, search = arguments.search}
            if assets == nil then
                return nil, problem
            end
            local rows = {}
            for _, asset in ipairs(assets) do
                rows[#rows + 1] = pick(asset, ASSET_FIELDS)
            end
            return rows
        end,
    },

    {
        name = "halo.add_note",
        description = "Add an internal note to the ticket, hidden from the requester.",
        kind = "write",
        parameters = {
            note = {type = "string", required = true,
                description = "The note's text; line breaks are kept."},
            ticket_id = TICKET_ID,
        },
        run = function(arguments, context)
            local ok, problem = check_ticket(arguments, context)
            if not ok then
                return nil, problem
            end
            return {write = "action", note_html = text_to_html(arguments.note), hidden = true,
                send_email = false}
        end,
    },

    {
        name = "halo.reply",
        description = "Reply to the requester: an action they can see, sent to them by e-mail.",
        kind = "write",
        parameters = {
            message = {type = "string", required = true,
                description = "The reply's text; line breaks are kept."},
            ticket_id = TICKET_ID,
        },
        run = function(arguments, context)
            local ok, problem = check_ticket(arguments, context)
            if not ok then
                return nil, problem
            end
            return {write = "action", note_html = text_to_html(arguments.message),
                hidden = false, send_email = true}
        end,
    },

    {
        name = "halo.set_status",
        description = "Change the ticket's status, given by name or id.",
        kind = "write",
        parameters = {
            status = {type = "string", required = false,
                description = "The status's name as HaloPSA shows it, such as \"Waiting on "
                    .. "user\"; case does not matter."},
            status_id = {type = "integer", required = false,
                description = "The status's id, in place of its name."},
            ticket_id = TICKET_ID,
        },
        run = function(arguments, context)
            local ok, problem = check_ticket(arguments, context)
            if not ok then
                return nil, problem
            end
            if (arguments.status == nil) == (arguments.status_id == nil) then
                return nil, "give either status (a name) or status_id"
            end
            if arguments.status_id ~= nil then
                return {write = "ticket", fields = {status_id = arguments.status_id}}
            end

            -- A name is looked up, so that the request names a status that exists.
            local statuses
            statuses, problem = halo.statuses()
            if statuses == nil then
                return nil, problem
            end
            local requested = arguments.status:lower()
            local known = {}
            for _, status in ipairs(statuses) do
                if type(status.name) == "string" then
                    if status.name:lower() == requested then
                        return {write = "ticket",
                            fields = {status_id = math.tointeger(status.id)}}
                    end
                    known[#known + 1] = status.name
                end
            end
            return nil, string.format("HaloPSA has no status named %q; the statuses are %s",
                arguments.status, table.concat(known, ", "))
        end,
    },

    {
        name = "halo.assign",
        description = "Assign the ticket to a team, a technician, or both.",
        kind = "write",
        parameters = {
            team = {type = "string", required = false,
                description = "The team's name as HaloPSA shows it."},
            agent_id = {type = "integer", required = false,
                description = "The technician's HaloPSA agent id."},
            ticket_id = TICKET_ID,
        },
        run = function(arguments, context)
            local ok, problem = check_ticket(arguments, context)
            if not ok then
                return nil, problem
            end
            if arguments.team == nil and arguments.agent_id == nil then
                return nil, "give team, agent_id or both"
            end
            if arguments.agent_id ~= nil then
                local technician
                technician, problem = halo.technician(arguments.agent_id)
                if technician == nil then
                    return nil, problem
                end
            end
            return {write = "ticket", fields = {team = arguments.team,
                agent_id = arguments.agent_id}}
        end,
    },
}
