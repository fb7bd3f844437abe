-- The built-in seed: the state halosim starts from when a seed file leaves a key out.
--
-- builtin_seed.build() returns a new table each time, shaped like a seed file after decoding,
-- so loading may change it freely. Ids match tests/data/demo-directory.json where both name
-- the same thing (client 12, site 31, team "1st Line"), so a demo seed that replaces only some
-- keys still fits the defaults of the others.
local builtin_seed = {}

-- Ticket events the simulator raises, and the kind of change that raises each. Only 3, 19, 39,
-- 76 and 1072 have published numbers (a community node's trigger list). The numbers for
-- "Ticket Updated", "Action Added" and "Ticket Reassigned" are guesses. A seed file's
-- "webhook_events" key replaces the whole table. `event` is the text a payload carries (the
-- status change arrives in lower case on a live tenant); `message` is the payload's message,
-- with {ticket} replaced by the ticket id zero-padded to seven digits.
local WEBHOOK_EVENTS = {
    { eventno = 3, name = "New Ticket Logged", kind = "ticket_created",
      message = "A new ticket has been logged. Ticket ID: {ticket}." },
    { eventno = 2, name = "Ticket Updated", kind = "ticket_updated",
      message = "The ticket has been updated. Ticket ID: {ticket}." },
    { eventno = 8, name = "Action Added", kind = "action_added",
      message = "An action has been added to Ticket ID: {ticket}." },
    { eventno = 9, name = "Ticket Reassigned", kind = "ticket_reassigned",
      message = "The ticket has been reassigned. Ticket ID: {ticket}." },
    { eventno = 19, name = "Ticket Updated by User", kind = "ticket_updated_by_user",
      message = "The end user has updated Ticket ID: {ticket}." },
    { eventno = 39, name = "Closed", kind = "ticket_closed",
      message = "The ticket has been closed. Ticket ID: {ticket}." },
    { eventno = 76, name = "Ticket Status Changed", kind = "status_changed",
      event = "ticket status changed",
      message = "The status has been changed for Ticket ID: {ticket}." },
    { eventno = 1072, name = "Ticket Deleted", kind = "ticket_deleted",
      message = "The ticket has been deleted. Ticket ID: {ticket}." },
    -- SLA and deadline timers are not simulated, so these never fire; they are listed so a
    -- webhook may still subscribe to them.
    { eventno = 42, name = "1st SLA Warning" },
    { eventno = 46, name = "2nd SLA Warning" },
    { eventno = 70, name = "Ticket Deadline" },
}

function builtin_seed.build()
    local webhook_events = {}
    for index, row in ipairs(WEBHOOK_EVENTS) do
        local copy = {}
        for key, value in pairs(row) do
            copy[key] = value
        end
        webhook_events[index] = copy
    end

    return {
        clients = {
            { id = 12, name = "Acme Ltd", inactive = false, toplevel_id = 1,
              toplevel_name = "Customers" },
        },
        sites = {
            { id = 31, name = "Head Office", client_id = 12, phonenumber = "020 7946 0001",
              timezone = "GMT Standard Time", maincontact_id = 77 },
        },
        users = {
            { id = 77, name = "Jane Doe", firstname = "Jane", surname = "Doe", client_id = 12,
              site_id = 31, emailaddress = "jane.doe@acme.example",
              phonenumber = "020 7946 0001", mobilenumber = "", login = "jdoe",
              isimportantcontact = true },
            { id = 78, name = "John Smith", firstname = "John", surname = "Smith", client_id = 12,
              site_id = 31, emailaddress = "john.smith@acme.example",
              phonenumber = "020 7946 0002", mobilenumber = "07700 900002", login = "jsmith" },
        },
        agents = {
            { id = 1, name = "API Agent", email = "api@msp.example", isapiagent = true, team = "" },
            { id = 3, name = "Sam Lead", email = "sam@msp.example", team = "1st Line" },
            { id = 4, name = "Alex Rivera", email = "alex@msp.example", team = "2nd Line" },
        },
        login_agent_id = 1,
        teams = {
            { id = 5, name = "1st Line", sequence = 1, department_id = 2,
              department_name = "Service Desk" },
            { id = 6, name = "2nd Line", sequence = 2, department_id = 2,
              department_name = "Service Desk" },
        },
        -- A status is closed when its type is 1 (lookups.lua explains the guess).
        statuses = {
            { id = 1, name = "New", type = 0, shortname = "NEW", colour = "#3c8dbc", sequence = 1 },
            { id = 2, name = "In Progress", type = 0, shortname = "PRG", colour = "#00a65a",
              sequence = 2 },
            { id = 3, name = "Action Required", type = 0, shortname = "ACT", colour = "#f39c12",
              sequence = 3 },
            { id = 4, name = "Waiting on User", type = 0, shortname = "WAIT", colour = "#605ca8",
              sequence = 4 },
            { id = 5, name = "Updated", type = 0, shortname = "UPD", colour = "#dd4b39",
              sequence = 5 },
            { id = 8, name = "With Supplier", type = 0, shortname = "SUP", colour = "#d2d6de",
              sequence = 6 },
            { id = 9, name = "Closed", type = 1, shortname = "CLS", colour = "#777777",
              sequence = 7 },
        },
        priorities = {
            { priorityid = 1, slaid = 1, name = "Critical", fixtime = 4, fixunits = "h",
              responsetime = 1 },
            { priorityid = 2, slaid = 1, name = "High", fixtime = 8, fixunits = "h",
              responsetime = 2 },
            { priorityid = 3, slaid = 1, name = "Medium", fixtime = 3, fixunits = "d",
              responsetime = 4 },
            { priorityid = 4, slaid = 1, name = "Low", fixtime = 5, fixunits = "d",
              responsetime = 8 },
        },
        ticket_types = {
            { id = 1, name = "Incident", workflow_id = 1, sla_id = 1 },
            { id = 2, name = "Service Request", workflow_id = 2, sla_id = 1 },
            { id = 3, name = "Problem", workflow_id = 1, sla_id = 1 },
        },
        outcomes = {
            { id = 1, outcome = "Private Note", buttonname = "Private Note",
              hiddenfromuser = true },
            { id = 2, outcome = "Email User", buttonname = "Email User" },
            { id = 3, outcome = "Resolved", buttonname = "Resolve" },
            { id = 4, outcome = "Update", buttonname = "Update" },
            { id = 5, outcome = "Email", buttonname = "Email" },
            { id = 7, outcome = "Internal Note", buttonname = "Internal Note",
              hiddenfromuser = true },
        },
        assets = {
            { id = 1042, inventory_number = "ACME-0042", key_field = "ACME-LT-042",
              key_field2 = "jane.doe", key_field3 = "Latitude 5440", client_id = 12, site_id = 31,
              username = "Jane Doe", assettype_id = 3, assettype_name = "Laptop", status_id = 1,
              status_name = "Active",
              fields = {
                  { id = 55, name = "Hostname", value = "ACME-LT-042" },
                  { id = 56, name = "Serial Number", value = "7XK2Q93" },
              },
              user_ids = { 77 } },
        },
        webhook_events = webhook_events,
        tickets = {},
    }
end

return builtin_seed
