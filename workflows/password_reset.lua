-- Password reset: a forgotten or expired password, reset after the requester's identity is
-- confirmed.
return {
    name = "Password reset",
    status = "active",
    scope = "all",
    sensitive = "password_reset",
    trigger = "Someone cannot sign in because a password was forgotten or has expired, and asks "
        .. "for it to be reset or changed.",
    match = {
        all = {
            {"password*", "pass word", "pasword*", "passwrd", "pwd"},
            {"reset*", "expire*", "expiry", "change*", "forgot*", "forgotten", "new",
                "recover*", "unlock*", "cant log*", "cannot log*", "cant sign*",
                "cannot sign*"},
        },
        none = {"mfa", "2fa", "authenticator", "password manager", "wifi password",
            "wi fi password"},
    },
    instructions = [[
1. Confirm who the requester is before anything else: the sensitive-ticket policy verifies
   identity for password resets. Never reset a password for a third party without the
   account owner's manager confirming in the ticket.
2. Look up the requester and the account the ticket is about (their own, a test account or
   an external/client account).
3. Reset the password with a temporary one that must be changed at next sign-in, and unlock
   the account if it is locked.
4. Send the temporary password through a separate channel agreed with the client (never in
   the ticket), then reply to the requester that the reset is done and how to sign in.
5. If the password expires again soon, check the client's expiry policy and say so in the note.
]],
    -- Facts for the technician who confirms the requester's identity: the contact details
    -- HaloPSA has on file, and any other open ticket of the same person (an earlier reset or
    -- lock-out).
    gather = function(context)
        local requester_id = context.requester.id
        if requester_id == nil then
            return {"The ticket names no HaloPSA user, so there is no account to look up."}
        end
        local facts = {}

        local function text(value)
            if type(value) == "string" and value:find("%S") then
                return value
            end
            return nil
        end

        local user, problem = halo.user(requester_id)
        if user == nil then
            facts[#facts + 1] = "Could not read the requester from HaloPSA: " .. problem
        else
            local contact = {}
            for _, field in ipairs({"emailaddress", "phonenumber", "mobilenumber"}) do
                contact[#contact + 1] = text(user[field])
            end
            local on_file = #contact > 0 and table.concat(contact, ", ")
                or "no e-mail address or phone number"
            facts[#facts + 1] = string.format("HaloPSA has the requester as %s: %s.",
                text(user.name) or ("user " .. requester_id), on_file)
        end

        local tickets, message = halo.tickets{user_id = requester_id, open_only = true,
            limit = 20}
        if tickets == nil then
            facts[#facts + 1] = "Could not list the requester's open tickets: " .. message
        else
            local others = {}
            for _, ticket in ipairs(tickets) do
                local id = math.tointeger(ticket.id)
                if id ~= nil and id ~= context.ticket.id then
                    others[#others + 1] = string.format("#%d %s", id,
                        text(ticket.summary) or "(no summary)")
                end
            end
            if #others == 0 then
                facts[#facts + 1] = "The requester has no other open tickets."
            else
                facts[#facts + 1] = "Other open tickets of the requester: "
                    .. table.concat(others, "; ") .. "."
            end
        end
        return facts
    end,
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester's account and contact details."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "Check for an earlier reset or lock-out ticket from the same person."},
        {tool = "m365.reset_password", kind = "write",
            arguments = {user = "{requester.email}", force_change = true},
            purpose = "Set a temporary password that must be changed at next sign-in."},
        {tool = "halo.reply", requester_account = true,
            arguments = {ticket_id = "{ticket.id}",
                message = "Your password has been reset; the temporary password reaches you "
                    .. "separately."},
            purpose = "Tell the requester the reset is done without putting the password in "
                .. "the ticket."},
    },
    samples = {
        match = {
            {
                id = "endava-03359",
                summary = "reset password",
                details = "hi user cheers application engineer",
            },
            {
                id = "endava-01124",
                summary = "please reset password for",
                details = "please hello please user thank senior developer",
            },
            {
                id = "endava-04590",
                summary = "external password change",
                details = "user located hi how change pass word confluence copenhagen",
            },
            {
                source = "written",
                summary = "Forgot my password - can't log in",
                details = "Hi, I forgot my password after the holidays and now I can't "
                              .. "log in to O365. Can you reset it? Thanks",
            },
            {
                source = "written",
                summary = "Pasword expired",
                details = "My pasword expired this morning and Outlook keeps asking for it.",
            },
        },
        no_match = {
            {
                id = "endava-00063",
                summary = "reset time card",
                details = "card hi guys please card period thank application engineer",
            },
            {
                id = "endava-02259",
                summary = "data export from confluence space",
                details = "export confluence hi guys export information confluence pass"
                              .. " client please let how simplest possible way thanks",
            },
            {
                id = "endava-03477",
                summary = "device recovery report reset tray th floor",
                details = "device recovery report tray printer out details tray tray "
                              .. "tray selected tray copier details tray tray tray scanner "
                              .. "ready details model name device name comment floor host name"
                              .. " name print name file name printer name zone name name "
                              .. "computer name share name device good notified",
            },
            {
                source = "written",
                summary = "MFA not working",
                details = "My 2FA codes from the Authenticator app are rejected; my "
                              .. "password itself is fine.",
            },
        },
    },
}
