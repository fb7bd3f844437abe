-- Account unlock: an account locked after failed sign-ins or blocked by policy.
return {
    name = "Account unlock",
    status = "active",
    scope = "all",
    sensitive = "account_unlock",
    trigger = "Someone's account is locked out or blocked and they ask for it to be unlocked.",
    match = {
        any = {"unlock*", "locked out", "locked", "lockout", "lock out", "account blocked",
            "blocked account", "account is blocked", "account disabled", "account suspended"},
        none = {"mfa", "2fa", "authenticator", "screen locked", "unlock the door",
            "locker", "locked cabinet"},
    },
    instructions = [[
1. Confirm who the requester is; an unlock is handled like a password reset.
2. Look up the account and read why it is locked (failed sign-ins, an expired password, a
   disabled account after a leaver process).
3. If it was locked by repeated failed sign-ins, check the sign-in log for attempts from
   unknown places before unlocking; if there are any, stop and raise a security ticket.
4. Unlock the account; if the password expired, continue with the password reset workflow.
5. Reply to the requester and ask them to remove stale saved passwords (phone mail apps, mapped
   drives) that keep locking the account.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm whose account is locked."},
        {tool = "ad.get_lockout_status", kind = "read", arguments = {user = "{requester.email}"},
            purpose = "See when, where and why the account was locked."},
        {tool = "ad.unlock_account", kind = "write", arguments = {user = "{requester.email}"},
            purpose = "Unlock the account."},
        {tool = "halo.reply", requester_account = true,
            arguments = {ticket_id = "{ticket.id}",
                message = "Your account is unlocked. If it locks again, remove saved "
                    .. "passwords on your phone and other devices."},
            purpose = "Tell the requester it is done and how to avoid a repeat."},
    },
    samples = {
        match = {
            {
                id = "endava-04703",
                summary = "unlock ad account",
                details = "re unlock ad friday november pm unlock ad dear please unlock"
                              .. " thanks senior consultant",
            },
            {
                id = "endava-03678",
                summary = "resolved check why does account gets locked",
                details = "re logged unlock hi locked again please assist unlock also "
                              .. "appreciate reason happening thanks",
            },
            {
                id = "endava-04994",
                summary = "account blocked",
                details = "sent tuesday blocked hello can you please raise ticket for "
                              .. "cant machine for some reason kind regards application "
                              .. "developer",
            },
            {
                source = "written",
                summary = "Account locked out!!",
                details = "I'm LOCKED OUT of my account after too many attempts, please"
                              .. " unlock ASAP",
            },
            {
                source = "written",
                summary = "AD account locked",
                details = "User jsmith's AD account is locked again - 3rd time this week.",
            },
        },
        no_match = {
            {
                id = "endava-02666",
                summary = "re your password expire days",
                details = "re expire days hi please thanks december expire days "
                              .. "importance high dear expire days change pc press ctrl alt "
                              .. "delete choose change thanks ext",
            },
            {
                id = "endava-00438",
                summary = "password reset",
                details = "contacted via phone",
            },
            {
                id = "endava-04116",
                summary = "oracle ticket blocked approve requisition",
                details = "re approve requisition hello please log thank best regards "
                              .. "analyst november pm approve requisition hi please take care "
                              .. "thank best regards november approve requisition hello error "
                              .. "loop solved by closed deleted approve requisition please "
                              .. "delete tickets actions due errors thanks lot",
            },
            {
                source = "written",
                summary = "Screen locked and frozen",
                details = "My screen locked and the laptop is frozen, nothing responds.",
            },
        },
    },
}
