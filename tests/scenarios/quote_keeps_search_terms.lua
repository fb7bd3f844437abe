-- Regression: the quote cut terms a technician searches for, so "Windows 11 23H2" read
-- "Windows [digits removed]H2", and "Event ID 4625", "KB 5034441", a build number, a date with
-- the month in words, a US phone number and a CVE id lost their digits.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local summary = "Event ID 4625 after KB 5034441 on Windows 11 23H2 build 22631, since 15 Jan "
    .. "2024, call 555-123-4567 re CVE-2024-21412"
local ticket = halo.log_ticket{user = jane, summary = summary,
    details = "Sign-ins fail on the RDS host since the update."}
halyard.settle{timeout = 30}

local note = expect.note(ticket, {contains = "wrote:"})
expect.contains(note.text, summary, "the summary quoted word for word")
