-- Bug: an approval policy whose own_words raised left every reply and ticket unsplit with
-- nothing in the log: the plan silently read none of the replies. Now the failure is logged
-- with where it was raised and `halyard workflows lint`, once and then at every hundredth
-- repeat.
-- Bug: the log line quoted the error's first line, and a policy whose error quotes the reply
-- put the reply (here a password) in the log. The line names the place, never the message.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.workflow("kiosk_offline.lua", {file = "fixtures/kiosk_offline.lua"})
halyard.policy("approval.lua", [[
return {
    classify = function(text, options)
        return {decision = "neutral", reason = "question", evidence = ""}
    end,
    own_words = function(text, options)
        error("own_words is broken on: " .. text)
    end,
}
]])
halyard.import(acme)

local ticket = halo.log_ticket{user = jane, summary = "Kiosk offline",
    details = "The visitor kiosk in reception shows a blank screen."}
halo.reply(ticket, {user = jane,
    text = "It is still blank this morning. The kiosk login is admin / Sunflower-7731."})
halyard.settle{timeout = 20}
expect.note(ticket, {contains = "Kiosk", hidden = true})
local log = halyard.log()
local first = log:find("approval policy's own_words raised", 1, true)
expect.eq(first ~= nil, true, "the log names the failing own_words")
expect.contains(log, "approval policy's own_words raised at approval.lua:",
    "the log says where own_words raised")
expect.not_contains(log, "own_words is broken", "the log leaves out the error's message")
expect.not_contains(log, "Sunflower", "the log leaves out a password from the reply")
expect.not_contains(log, "still blank", "the log leaves out the reply")
expect.eq(log:find("approval policy's own_words raised", first + 1, true), nil,
    "a repeat of the same error is counted, not logged again")
