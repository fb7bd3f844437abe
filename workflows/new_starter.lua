-- New starter: accounts, licences, groups and equipment for someone joining the client.
return {
    name = "New starter",
    status = "active",
    scope = "all",
    sensitive = "new_account",
    trigger = "HR or a manager announces that someone joins (a new starter, new hire, intern "
        .. "taken on permanently) and asks for their accounts and equipment.",
    match = {
        any = {"new starter*", "starter form", "new joiner*", "joiner*", "new hire*",
            "new employee*", "new user account", "onboard*", "accepted job offer",
            "accepted the job offer", "accepted offer", "starting on", "first day",
            "create his credentials", "create her credentials", "create their credentials"},
        none = {"leaver", "refused offer", "rejected the offer", "reject continues"},
    },
    instructions = [[
1. Read the start date, job title, department, manager and location from the ticket; ask HR for
   any that are missing rather than guessing.
2. Find an existing user in the same role to copy groups from, and confirm it with the manager.
3. Create the account, assign the licence and groups, and set up the mailbox.
4. Order or prepare equipment (laptop, phone, headset) so it is ready on the start date.
5. Reply to HR with the account name and when the equipment is ready; send the first
   password to the manager through the client's agreed channel, never in the ticket.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester is HR or a manager who may request accounts."},
        {tool = "halo.list_client_assets", arguments = {client_id = "{ticket.client.id}"},
            purpose = "Find spare laptops and phones that could be allocated."},
        {tool = "m365.create_user", kind = "write",
            arguments = {display_name = {ask = "the new starter's full name"},
                start_date = {ask = "the start date"},
                job_title = {ask = "the job title and department"},
                copy_groups_from = {ask = "an existing user in the same role to copy groups from"}},
            purpose = "Create the account with the same licence and groups as a colleague."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "The account and equipment will be ready for the start date; we will "
                    .. "confirm the details here."},
            purpose = "Confirm the plan to HR and ask for anything missing."},
    },
    samples = {
        match = {
            {
                id = "endava-03713",
                summary = "new starter",
                details = "hi please fill thank kind regards",
            },
            {
                id = "endava-00214",
                summary = "access",
                details = "hello joiner give best regards tester",
            },
            {
                id = "endava-01952",
                summary = "new starter tower",
                details = "starter discipline dear please informed candidate accepted "
                              .. "job offer become discipline developer st please create his "
                              .. "credentials per attached form thank specialist",
            },
            {
                source = "written",
                summary = "New starter Monday - Jane Smith",
                details = "Jane Smith joins Accounts on Monday 3rd; please set up O365,"
                              .. " a laptop and add her to the Finance group.",
            },
            {
                source = "written",
                summary = "Onboarding: new hire in Sales",
                details = "We have a new hire starting next week, details in the "
                              .. "attached form.",
            },
        },
        no_match = {
            {
                id = "endava-01420",
                summary = "new starter am discipline refused offer",
                details = "re starter discipline hi contacted via he answering phone "
                              .. "calls tried find out happened exactly his after pros cons he"
                              .. " decided reject continues working without letting about his "
                              .. "decision he confirmed bring december per si pro si contra la"
                              .. " multi la offer rejection merci ales pot care pro si contra "
                              .. "care personal best tuesday pm re starter discipline hello "
                              .. "information reach him tomorrow maybe he has problems good "
                              .. "confirmation he withdrew acceptance joining tuesday pm re "
                              .. "starter discipline hello unfortunately inform show working "
                              .. "reach him by phone assume he withdrew acceptance joining "
                              .. "apologies inconvenience caused thank december pm assistants "
                              .. "starter discipline dear please informed candidate accepted "
                              .. "job offer become discipline engineer st please create his "
                              .. "credentials per attached form thank best specialist",
            },
            {
                id = "endava-04135",
                summary = "maternity leaver forwarder",
                details = "re maternity leaver form hello done please find attached thank",
            },
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
                source = "written",
                summary = "Leaver: John Doe",
                details = "John's last day is Friday; please disable his account.",
            },
        },
    },
}
