-- MFA reset or re-registration: a new or lost phone, or an authenticator that stopped working.
return {
    name = "MFA reset or re-registration",
    status = "active",
    scope = "all",
    sensitive = "mfa_reset",
    trigger = "Someone cannot complete multi-factor sign-in (new or lost phone, authenticator "
        .. "app or codes not working) and needs their MFA methods reset or registered again.",
    match = {
        any = {"mfa", "2fa", "two factor", "2 factor", "multi factor", "multifactor",
            "second factor", "authenticator", "auth app", "authentication app",
            "verification code*", "security code*", "one time code*", "one time pass*", "otp",
            "sms code*", "approve sign in", "sign in request*", "number matching",
            "duo push", "hardware token", "security key", "new phone and cant sign*"},
        -- The exclusions name a topic ("the MFA rollout") that a ticket may mention beside a
        -- request. Each one cancels only its own clause, so a question about the rollout does
        -- not switch the identity check off for "Please remove the MFA from Mark's account" in
        -- the next sentence.
        none = {"mfa report", "mfa rollout", "enable mfa for all"},
        none_scope = "clause",
    },
    instructions = [[
1. Treat this as sensitive: the requester's identity must be verified through a channel an
   attacker cannot control (a call back to the number on file, or their manager) before any
   method is reset. MFA resets are a common social-engineering route.
2. Look up the requester and list their registered authentication methods.
3. Remove the lost or old methods and require re-registration at next sign-in; if the phone
   was lost, also revoke sessions.
4. Reply with the re-registration steps (install the authenticator on the new phone, sign in,
   follow the prompts) and stay available until they confirm it works.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester and the phone number on file for a call back."},
        {tool = "m365.list_auth_methods", kind = "read", arguments = {user = "{requester.email}"},
            purpose = "See which MFA methods are registered."},
        {tool = "m365.require_mfa_reregistration", kind = "write",
            arguments = {user = "{requester.email}"},
            purpose = "Remove the old methods so the requester registers again at next sign-in."},
        {tool = "m365.revoke_sessions", kind = "write", arguments = {user = "{requester.email}"},
            purpose = "Sign out existing sessions in case the old phone was lost."},
        {tool = "halo.reply", requester_account = true,
            arguments = {ticket_id = "{ticket.id}",
                message = "Your sign-in methods were reset; at your next sign-in you will be "
                    .. "asked to set up the authenticator again."},
            purpose = "Give the requester the re-registration steps."},
    },
    samples = {
        match = {
            {
                source = "written",
                summary = "MFA reset - new phone",
                details = "Hi, I got a new phone and the Authenticator app no longer "
                              .. "works, can you reset my MFA?",
            },
            {
                source = "written",
                summary = "2FA codes not arriving",
                details = "I'm not getting the SMS codes to sign in to O365 since I "
                              .. "changed my number.",
            },
            {
                source = "written",
                summary = "Question",
                details = "Quick question about the MFA rollout next month: are the shop "
                              .. "tablets included?\n\nPlease remove the MFA from Dan's account.",
            },
            {
                source = "written",
                summary = "Lost phone",
                details = "Lost my phone on the train, can't approve sign in requests "
                              .. "anymore. Please re-register my multi-factor authentication.",
            },
        },
        no_match = {
            {
                id = "endava-01379",
                summary = "temporary mobile phone",
                details = "mobile phone hi please give mobile phone next weeks thanks "
                              .. "floor blvd district",
            },
            {
                id = "endava-03620",
                summary = "oracle mobile app",
                details = "mobile app good morning please advise how download mobile "
                              .. "app apple please regards north",
            },
            {
                id = "endava-05154",
                summary = "git cannot be accessed",
                details = "sent tuesday re cannot be accessed hi referring actual "
                              .. "authentication credentials working thank you wrote hi access"
                              .. " git you referring or certain regards analyst ext hub sent "
                              .. "tuesday git cannot be accessed hi we able log into git "
                              .. "anymore can you please help thank you",
            },
            {
                source = "written",
                summary = "Password expired",
                details = "My password expired, please reset it.",
            },
            {
                source = "written",
                summary = "MFA rollout",
                details = "When does the MFA rollout reach the warehouse?",
            },
        },
    },
}
