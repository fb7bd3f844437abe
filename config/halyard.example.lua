-- halyard's daemon settings. Copy this file, change what you need and pass it with
-- `halyard --config FILE COMMAND` (or set HALYARD_CONFIG=FILE). Every key is optional; the
-- values shown are the defaults. The file runs as Lua with the base, string and table functions
-- only, and must return the table. An unknown key is an error, so a typo never goes unnoticed.
return {
    -- Folder of the database (halyard.db) and of the key that seals secrets at rest
    -- (secret.key, created with mode 0600 on first use). Back both up together: without the
    -- key the stored HaloPSA secrets cannot be opened and must be entered again.
    data_dir = "data",

    -- Address and port the HTTP server binds (webhooks, API, dashboard). Put a reverse proxy
    -- that terminates TLS in front of it.
    listen = "127.0.0.1:8080",

    -- The HTTPS address at which HaloPSA reaches halyard through that proxy. halyard registers
    -- its webhook at public_url .. "/hooks/halopsa/<msp>". Required by `halyard connect`.
    -- Scheme, host and port only: a path is rejected and trailing slashes are dropped.
    -- public_url = "https://halyard.msp.example",

    -- A PEM file of certificate authorities to trust for HaloPSA instead of the system's, for an
    -- instance behind a private CA (and for tests against the simulator).
    -- ca_file = "/etc/halyard/halopsa-ca.pem",

    -- The permissions halyard requests from HaloPSA's token endpoint, space-separated. They must
    -- be enabled on the API application's Permissions tab in HaloPSA.
    halo_scope = "all:standard all:teams admin:webhooks",

    -- HaloPSA event numbers the webhook subscribes to: 3 New Ticket Logged, 19 Ticket Updated by
    -- User, 76 Ticket Status Changed. Numbers of other events differ between HaloPSA versions;
    -- look them up under Configuration > Integrations > Webhooks on your instance.
    webhook_events = { 3, 19, 76 },

    -- HaloPSA status ids that mean a ticket is closed (9 is "Closed" on a stock instance). A
    -- ticket that moves from one of these back to an open status starts a new run.
    closed_statuses = { 9 },

    -- Folder of each MSP's own scripts: <scripts_dir>/<msp>/workflows/*.lua. A file there
    -- replaces the shipped workflow of the same file name; new names add workflows. Unset, it
    -- is <data_dir>/scripts.
    -- scripts_dir = "/etc/halyard/scripts",

    -- Hot reload: how `halyard serve` notices a changed workflow or policy file. watch is
    -- "inotify", "polling" or "off". inotify falls back to polling where it is unavailable.
    -- Polling scans names, sizes and times every poll_ms; use it for folders on a network file
    -- system, where inotify misses changes made on other machines. With "off", a restart loads
    -- changes. A reload starts once no file changed for debounce_ms, or debounce_ms * 5 after
    -- the first change when files keep changing. See docs/workflows.md, "Changing workflows
    -- while halyard runs".
    -- script_reload = { watch = "inotify", poll_ms = 1000, debounce_ms = 100 },

    -- Entries for an MSP by name below apply only to a connected MSP of exactly that name;
    -- `halyard serve` logs a warning at start for each name that matches none.
    --
    -- Limits of the MSPs' Lua scripts, for every MSP (default) and per MSP by name: memory_mb
    -- (4 to 4096, default 64), instructions per call (default 10 million) and time_ms per
    -- call (default 1000, of the processor's time). A plan also has run_time_ms, the time from its start after which
    -- its HaloPSA and HTTP calls fail (100 to 600000, default 30000), and calls, the number of
    -- those calls (1 to 1000, default 50). Each call may write log_lines lines of log.* (1 to
    -- 100000, default 200) and log_kb KiB of their text (1 to 65536, default 64); lines past
    -- either are dropped and counted. See docs/workflows.md, "Limits".
    -- lua_limits = { default = { time_ms = 1000 }, ["acme-it"] = { memory_mb = 128 } },

    -- Hosts the MSPs' scripts may reach with the http module, for every MSP without a list of
    -- its own (default) and per MSP by name. An MSP's own list replaces the default one, and
    -- {} allows nothing. An entry is a host name, or a table with host, port and private.
    -- Without a port only 80 (http) and 443 (https) are allowed. private = true lets the host
    -- be reached at a loopback, private or other internal address. Without this key no script
    -- reaches any host. See docs/lua-api.md, "http".
    -- http_allow = {
    --     default = { "status.example.net" },
    --     ["acme-it"] = { "status.example.net", { host = "10.20.0.5", port = 8443, private = true } },
    -- },

    -- Identity verification on sensitive tickets, for every MSP (default) and per MSP by name;
    -- an MSP's entry replaces the default's fields one by one. timeout_s is how long the
    -- requester has to answer the challenge, in seconds of halyard's clock (10 to 86400,
    -- default 300). failed_team is the HaloPSA team a ticket is assigned to when its requester
    -- is not verified; without it the ticket stays where it is. See docs/verification.md.
    -- verification = {
    --     default = { timeout_s = 300 },
    --     ["acme-it"] = { timeout_s = 600, failed_team = "Security" },
    -- },

    -- The outcome (HaloPSA's name for an action type) of halyard's internal notes.
    note_outcome = "Private Note",

    -- The outcome of a reply to the requester that an approved halo.reply step writes (an
    -- action that is not hidden and e-mails the requester). Outcome names differ between
    -- HaloPSA instances: use the one your technicians pick to e-mail the end user.
    reply_outcome = "Email User",

    -- How long an approval request of an Execute-mode run waits for the assigned technician's
    -- answer, in minutes (1 to 129600). Then halyard adds a note that it expired and the run
    -- stops. The time runs on the business clock. See docs/execute-mode.md.
    approval_expiry_minutes = 1440,

    -- How often halyard reads the ticket of a run awaiting approval for new replies, in
    -- seconds (5 to 86400). It also reads the ticket whenever a webhook reports a change.
    -- HaloPSA's event numbers for "Action Added" differ between instances, so this check
    -- makes sure a reply is read even when the webhook is not subscribed to it.
    approval_check_seconds = 120,

    -- How long halyard keeps what it needs only while work is under way, in days (1 to 3650):
    -- stored webhook deliveries (they carry the ticket's text as typed, a password included),
    -- finished jobs and the text of replies read for runs that have ended. Runs, their events,
    -- plans and notes stay. halyard prunes once an hour. See docs/intake.md, "How long it is
    -- kept".
    retention_days = 30,

    -- error, warning, info or debug.
    log_level = "info",
}
