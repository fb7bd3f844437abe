-- A write HaloPSA rejects with a 4xx other than 408 or 429 was retried for an hour. It now
-- ends at once as failed, with a run event, an error line, and the run failed as when the
-- job died after its retries.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline_note.lua"})
halyard.import(acme, {mode = "execute"})
halo.fault{method = "POST", path = "/api/actions", status = 400,
    body = '{"error": "note rejected"}'}

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}

expect.run(ticket, {state = "failed"})
halyard.settle()
local rejected = nil
for _, event in ipairs(halyard.runs(ticket)[1].events) do
    if event.kind == "write_failed" then
        rejected = event
    end
end
expect.truthy(rejected ~= nil, "a write_failed event records the rejected write")
expect.contains(rejected.detail, "HTTP 400")
local _, rejections = halyard.log():gsub("HaloPSA rejected write", "")
expect.eq(rejections, 1, "the rejected write is sent once, not retried")
expect.eq(halyard.activity().jobs_dead, 0, "no job died")
