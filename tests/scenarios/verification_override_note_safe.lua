-- A ticket hides "reset my password" behind a right-to-left override, which a browser shows in
-- the right order. halyard must read it as shown and challenge the requester. The notes it
-- writes must carry no bidirectional control or mark and no control character, so that a note
-- never shows a technician text in another order than it holds.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local CONTROLS = {"\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}",
    "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{61C}", "\u{9B}", "\27",
    "\8", "\127"}

-- Checks that text has none of CONTROLS.
local function expect_no_controls(text, label)
    for _, control in ipairs(CONTROLS) do
        expect.not_contains(text, control, label)
    end
end

local ticket = halo.log_ticket{user = jane,
    summary = "Help \u{202E}drowssap\u{202C} \u{2067}urgent\u{2069} 1\u{200F}-\u{200E}2\u{61C} "
        .. "\27[31mnow\8\127\u{9B}",
    details = "Please \u{202E}drowssap ym teser\u{202C} and text it to my mobile."}
local challenge = verifier.expect_challenge(ticket)
expect_no_controls(challenge.request_text, "the challenge")
verifier.approve(challenge)

local verified = expect.note(ticket, {contains = "identity verified", timeout = 20})
expect_no_controls(verified.html, "the verified note")
local plan = expect.note(ticket, {contains = "Password reset", timeout = 20})
expect_no_controls(plan.html, "the plan note")
expect_no_controls(plan.text, "the plan note's text")
expect.contains(plan.html, "urgent", "the plan note quotes the summary")
