-- A provider dispatch that loops left the run in planning forever with no verification and no
-- note, and a dispatch that raised with its API key in the message put the key into the note
-- and the log. Both must end in the error outcome with a note, and no secret may be written.
verifier.connect{provider = "traceless"}
halyard.verifier("traceless.lua", [[
return {
    name = "Broken Traceless",
    mode = "poll",
    description = "a dispatch that loops for one requester and leaks its key for another",
    dispatch = function(request, settings)
        if request.requester.name == "Lou Loop" then
            while true do end
        end
        if request.requester.name == "Pat Port" then
            return nil, "localhost port 9555 and localhost:8443 refused; code 123456"
        end
        error("exploded, key " .. settings.api_key)
    end,
    poll = function() return {status = "pending"} end,
}
]])
local acme = halo.client{id = 12, name = "Acme Ltd"}
local lou = halo.user{name = "Lou Loop", client = acme, email = "lou@acme.example"}
local kim = halo.user{name = "Kim Key", client = acme, email = "kim@acme.example"}
local pat = halo.user{name = "Pat Port", client = acme, email = "pat@acme.example"}
halyard.import(acme)

-- A dispatch that never returns hits the instruction limit.
local looped = halo.log_ticket{user = lou, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local loop_note = expect.note(looped, {contains = "identity verification error"})
expect.contains(loop_note.text, "did not finish its dispatch")
expect.run(looped, {state = "verification_failed"})

-- A dispatch that raises with the API key in its message.
local leaked = halo.log_ticket{user = kim, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
local leak_note = expect.note(leaked, {contains = "identity verification error"})
expect.contains(leak_note.text, "exploded, key [secret removed]")
expect.eq(leak_note.text:find("fake-verifier-key", 1, true), nil, "the API key is not in the note")
expect.run(leaked, {state = "verification_failed"})
halyard.settle()
expect.eq(halyard.log():find("fake-verifier-key", 1, true), nil, "the API key is not logged")
for _, event in ipairs(halyard.runs(leaked)[1].events) do
    expect.eq(tostring(event.detail):find("fake-verifier-key", 1, true), nil,
        "the API key is not in the run event " .. event.kind)
end

-- A port that the script writes is cut like a code, because a provider may write a code in
-- the same shape ("code:4821"). Ports in halyard's own http messages stay
-- (verification_detail_codes_cut.lua).
local ported = halo.log_ticket{user = pat, summary = "Reset my password",
    details = "I forgot my password, please reset it."}
local port_note = expect.note(ported, {contains = "identity verification error"})
expect.contains(port_note.text, "localhost port [digits removed]")
expect.contains(port_note.text, "localhost:[digits removed]")
expect.contains(port_note.text, "code [digits removed]")
expect.no_new_note(looped)
expect.no_new_note(leaked)
