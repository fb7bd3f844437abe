-- Bug: the text that served for an MSP's file was kept only in memory. After a restart, a
-- workflow file whose text on disk had broken meanwhile was skipped, and the MSP lost the
-- sensitive workflow it relied on. A request it matched was screened not sensitive and got a
-- plan without an identity check. Now the serving texts are kept in halyard's database, and
-- the text that served before the restart keeps serving, after a crash and after SIGTERM.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
-- A sensitive policy that finds nothing, so only the workflow makes the request sensitive.
halyard.policy("sensitive.lua", [[
return {
    classify = function(ticket)
        return {sensitive = false, reason = "other", verification_required = false,
            risk = {score = 0, level = "low", signals = {}}, matched = ""}
    end,
}
]])
halyard.import(acme)

local QUOKKA = [[
return {
    name = "Quokka switch",
    status = "active",
    scope = "all",
    sensitive = "access_grant",
    trigger = "Someone asks to switch a quokka badge over to another person.",
    match = {all = {{"quokka"}}},
    instructions = "1. Check who holds the quokka badge. 2. Switch it after the check.",
    samples = {
        match = {{source = "written", summary = "Quokka switch", details = "switch the quokka"}},
        no_match = {{source = "written", summary = "VPN down", details = "cannot connect"}},
    },
}
]]
halyard.workflow("quokka.lua", QUOKKA)

-- Logs a quokka request and checks that the workflow made it sensitive: the requester is
-- challenged and the run's workflow_sensitive event names the workflow.
local function expect_quokka_challenged(description)
    local ticket = halo.log_ticket{user = jane, summary = "Quokka switch",
        details = "Can you do the quokka switch for me on Friday?"}
    verifier.expect_challenge(ticket)
    local run = expect.run(ticket, {state = "awaiting_verification"})
    local named = ""
    for _, event in ipairs(run.events) do
        if event.kind == "workflow_sensitive" then
            named = tostring(event.detail)
        end
    end
    expect.contains(named, "Quokka switch", description)
end

-- Returns how many lines of halyard's log contain text, and also other when it is given.
local function count_logged(text, other)
    local count = 0
    for line in halyard.log():gmatch("[^\n]+") do
        if line:find(text, 1, true) and (other == nil or line:find(other, 1, true)) then
            count = count + 1
        end
    end
    return count
end

expect_quokka_challenged("the workflow makes the request sensitive")

halyard.workflow("quokka.lua", QUOKKA .. "\nbroken = \n")
expect.logged("the previous version of the file keeps serving")
expect_quokka_challenged("the previous text serves after a broken save")

local RESTORED = "the version that served before the restart keeps serving"
halyard.restart{kill = true}
expect.logged(RESTORED)
expect_quokka_challenged("the stored text serves after a crash")

halyard.restart()
expect_quokka_challenged("the stored text serves after a second restart")
expect.eq(count_logged(RESTORED), 2, "the second start logs the stored text too")
expect.eq(count_logged("quokka.lua", "the file is skipped"), 0, "no start skips the file")
