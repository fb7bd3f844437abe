-- Bug: the log line of a HaloPSA 429 retry named only the method and path, so an MSP could not
-- tell which MSP or run waited. Now the retry's line carries the ids of the event that made the
-- request, here the provider's user read before the challenge.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

halo.fault{method = "GET", path = "/api/users/77", status = 429, times = 1}
local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
expect.logged("rate limited: HaloPSA answered HTTP 429")
clock.advance("10s")
verifier.expect_challenge(ticket)
local run = halyard.runs(ticket)[1]
expect.logged("msp=default run=" .. run.id .. " rate limited: HaloPSA answered HTTP 429 to GET "
    .. "/api/Users/77")

