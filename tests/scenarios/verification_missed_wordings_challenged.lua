-- Password and MFA resets in wordings and markup that the sensitive policy once missed, in
-- Execute mode with the MSP's reset tools set to run on their own. Every requester must be
-- challenged before any write tool runs. The policy reads the text as a person does, and its
-- learned model and the sensitive password-reset workflow catch the rest.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.policy("tools.lua", [[ return { default = {["m365.*"] = "auto", ["ad.*"] = "auto"},
    clients = {} } ]])
halyard.tool("m365.lua", [[
local function tool(name, kind)
    return {
        name = name,
        description = "Test stand-in for " .. name .. ".",
        kind = kind or "write",
        parameters = {
            user = {type = "string", required = true, description = "the user's address"},
            force_change = {type = "boolean", description = "ask for a new password"},
        },
        run = function(arguments) return {done = name, user = arguments.user} end,
    }
end
return {tool("m365.reset_password"), tool("m365.require_mfa_reregistration"),
    tool("m365.revoke_sessions"), tool("m365.list_auth_methods", "read")}
]])
halyard.import(acme, {mode = "execute"})

local cases = {
    {"line wrap", "Quick one", "Could you please reset my\npassword"},
    {"ellipses", "Quick one", "please... reset... my... password..."},
    {"form lines", "Quick one", "Request type: Password\nAction: Reset"},
    {"arrange a new one", "Quick one",
        "I'd be grateful if you could arrange a new password for me"},
    {"clause between", "Quick one",
        "Could you please reset, when you have a moment, the password"},
    {"html blocks", "Quick one", "<div>Please reset my</div><div>password</div>"},
    {"soft hyphen", "Quick one", "Please reset my pas\u{00AD}sword"},
    {"numeric entity", "Quick one", "<p>Please reset my pass&#119;ord</p>"},
    {"html comment", "Quick one", "<p>Please reset my <!-- x -->password</p>"},
    {"hidden negation", "Quick one",
        "<p>Please <span style=\"display:none\">do not</span> reset my password</p>"},
    {"mfa on old phone", "Quick one",
        "I'm getting an MFA prompt on a phone I no longer have"},
}

local missed = {}
local tickets = {}
for _, case in ipairs(cases) do
    local ticket = halo.log_ticket{user = jane, summary = case[2], details = case[3]}
    halo.update(ticket, {technician = sam, assign = sam})
    tickets[#tickets + 1] = ticket
end
halyard.settle{timeout = 30}
clock.advance("1m")
halyard.settle{timeout = 30}
for index, case in ipairs(cases) do
    local ticket = tickets[index]
    local ran = {}
    for _, note in ipairs(halyard.notes(ticket)) do
        for step in note.text:gmatch("step %d+ ([%w_]+%.[%w_]+): done") do
            if not step:find("^halo%.") then
                ran[#ran + 1] = step
            end
        end
    end
    local run = halyard.runs(ticket)[1]
    if run.state ~= "awaiting_verification" or #ran > 0 then
        missed[#missed + 1] = string.format("ticket %d (%s): run %s, write tools run: %s",
            ticket.id, case[1], run.state, #ran > 0 and table.concat(ran, ", ") or "none")
    end
end
if #missed > 0 then
    expect.fail("requesters not challenged:\n  " .. table.concat(missed, "\n  "))
end
