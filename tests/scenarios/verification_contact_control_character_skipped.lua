-- An e-mail address with a line break in it ("jane.doe@acme.example\r\nBcc: ...") is no usable
-- contact, so the challenge goes to the requester's phone number on file only, and the
-- provider never receives the address.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{id = 77, name = "Jane Doe", client = acme,
    email = "jane.doe@acme.example\r\nBcc: mallory@evil.example", phone = "07700 900077"}
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Password reset",
    details = "I forgot my password, please reset it."}
local challenge = verifier.expect_challenge(ticket)
local request = challenge.request
expect.eq(request.email, nil, "the address with a line break is not sent")
expect.eq(request.phone, "07700 900077", "the phone number on file is sent")
expect.eq(request.channel, "sms", "the challenge goes by text message")
