-- Leaver: block access, keep the data and recover equipment when someone leaves.
return {
    name = "Leaver",
    status = "active",
    scope = "all",
    trigger = "HR or a manager reports that someone leaves or has left and asks for their "
        .. "access to be removed and their mailbox, data and equipment handled.",
    match = {
        any = {"leaver*", "leaver form", "offboard*", "leaving date", "last working day",
            "last day", "has left", "he left", "she left", "left the company",
            "leaving the company",
            "no longer with", "terminated employee", "disable account", "disable the account",
            "remove account*", "removing accounts", "deactivate account*"},
        none = {"annual leave", "maternity leave", "sick leave", "new starter"},
    },
    instructions = [[
1. Confirm the leaving date and time with HR; act on the date, not before, unless HR asks for
   an immediate block (a dismissal).
2. Block sign-in and revoke sessions, then reset the password.
3. Convert the mailbox to a shared mailbox or forward it, as the manager decides, and give the
   manager access to the files they need.
4. Remove licences once the mailbox is converted, and remove the user from groups.
5. List the devices assigned to the leaver and arrange their return; wipe phones with company
   data.
6. Reply to HR with what was done and what is waiting for the leaving date.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester is HR or the leaver's manager."},
        {tool = "halo.list_client_assets", arguments = {client_id = "{ticket.client.id}"},
            purpose = "Find the laptops and phones assigned to the leaver."},
        {tool = "m365.block_sign_in", kind = "write",
            arguments = {user = {ask = "the leaver's account"},
                when = {ask = "the leaving date and time"}},
            purpose = "Block sign-in and revoke sessions on the leaving date."},
        {tool = "m365.convert_to_shared_mailbox", kind = "write",
            arguments = {user = {ask = "the leaver's account"},
                delegate = {ask = "who gets access to the mailbox"}},
            purpose = "Keep the mail and give the manager access before the licence is removed."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "We will block access on the leaving date and confirm the mailbox and "
                    .. "equipment steps here."},
            purpose = "Confirm the plan to HR."},
    },
    samples = {
        match = {
            {
                id = "endava-00993",
                summary = "leaver",
                details = "leaver hi please leaver kind regards administrator",
            },
            {
                id = "endava-02758",
                summary = "update",
                details = "update hello please he has left thank senior software developer",
            },
            {
                id = "endava-02327",
                summary = "remove user access",
                details = "user hi please groups he left he needs nap test pm write nap"
                              .. " thank officer",
            },
            {
                source = "written",
                summary = "Leaver - Tom Brown, last day 31/03",
                details = "Tom leaves us on 31 March. Please disable his account, "
                              .. "convert the mailbox to shared and give his manager access.",
            },
            {
                source = "written",
                summary = "OFFBOARDING: contractor finished",
                details = "Contractor has left the company, pls deactivate accounts.",
            },
        },
        no_match = {
            {
                id = "endava-00028",
                summary = "annual leave",
                details = "re annual leave hello please help absence record today hello"
                              .. " please thanks great best regards analyst pm annual leave hi"
                              .. " please help registering off annual leave today take due "
                              .. "urgent personal matters allow ongoing absence records please"
                              .. " advise",
            },
            {
                id = "endava-03713",
                summary = "new starter",
                details = "hi please fill thank kind regards",
            },
            {
                id = "endava-01379",
                summary = "temporary mobile phone",
                details = "mobile phone hi please give mobile phone next weeks thanks "
                              .. "floor blvd district",
            },
            {
                source = "written",
                summary = "Annual leave calendar",
                details = "Please add my annual leave to the team calendar.",
            },
        },
    },
}
