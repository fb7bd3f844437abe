-- A read of the requester's user record that keeps failing ends the check with the error
-- outcome once the dispatch's attempts are spent. A user HaloPSA does not have (404) ends it at
-- once, because retrying a missing user cannot send a challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local bob = halo.user{id = 78, name = "Bob Stone", client = acme, email = "bob.stone@acme.example"}
halyard.import(acme)

halo.fault{method = "GET", path = "/api/users/77", status = 500, times = 100}
halo.fault{method = "GET", path = "/api/users/78", status = 404, times = 100}
local failing = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local missing = halo.log_ticket{user = bob, summary = "Password reset",
    details = "I forgot my password, please reset it."}

expect.note(missing, {contains = "identity verification error", timeout = 15})
expect.eq(halo.request_count("GET /api/users/78"), 1, "a missing user is read once")

-- The failing read is tried on the job's backoff: about 1, 2, 4, 8 and 16 s.
for _ = 1, 8 do
    halyard.settle()
    clock.advance("30s")
end
expect.note(failing, {contains = "identity verification error", timeout = 15})
expect.note(failing, {contains = "HTTP 500", timeout = 15})
expect.eq(halo.request_count("GET /api/users/77"), 6, "six attempts read the user")
expect.eq(#verifier.challenges(), 0, "no challenge was sent")
