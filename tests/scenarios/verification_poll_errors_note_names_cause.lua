-- Bug: a check ended by three failed polls in a row had a note with the last poll's error
-- alone ("the provider answered HTTP 500 to the poll"), and a provider script that raised on
-- every poll read as a provider fault. The note now says that three polls in a row failed and
-- whether the provider failed or halyard could not run the provider script.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

-- The provider answers HTTP 500 to every poll.
local first = halo.log_ticket{user = jane, summary = "Password reset",
    details = "Please reset my password, I forgot it."}
local challenge = verifier.expect_challenge(first)
verifier.fail(challenge, "5xx")
local note = expect.note(first, {contains = "identity verification error"})
expect.contains(note.text, "the verification provider failed 3 polls in a row",
    "the note names the streak and the provider")
expect.contains(note.text, "HTTP 500", "the note gives the last error")
expect.eq(note.text:find("provider script", 1, true), nil, "the note does not blame the script")
expect.run(first, {state = "verification_failed"})

-- The MSP's provider script raises on every poll, with its dispatch intact.
halyard.verifier("traceless.lua", [[
return {
    name = "Traceless with a broken poll",
    mode = "poll",
    dispatch = function(request, settings)
        local response, problem = http.post(settings.url .. "/v1/verifications",
            json.encode({channel = "email", email = request.requester.email,
                name = request.requester.name, reference = request.reference}),
            {headers = {Authorization = "Bearer " .. settings.api_key,
                ["Content-Type"] = "application/json"}, timeout_ms = 10000})
        if response == nil then
            return nil, problem
        end
        return {transaction_id = json.decode(response.body).transaction_id, method = "email"}
    end,
    poll = function(transaction_id, settings)
        error("poll is broken")
    end,
}
]])
-- halyard builds the edited version on a thread of its own, which settle does not wait for. A
-- poll made before version 2 serves runs the shipped script, which does not raise.
expect.logged("version=2 serving")
halyard.settle()
local second = halo.log_ticket{user = jane, summary = "Unlock my account",
    details = "My account is locked, please unlock it."}
verifier.expect_challenge(second)
local script_note = expect.note(second, {contains = "identity verification error"})
expect.contains(script_note.text,
    "halyard could not run the provider script traceless.lua on 3 polls in a row",
    "the note names the script and the streak")
expect.contains(script_note.text, "traceless.lua.poll raised an error",
    "the note gives the script's error")
expect.eq(script_note.text:find("provider failed", 1, true), nil,
    "the note does not blame the provider")
expect.run(second, {state = "verification_failed"})
