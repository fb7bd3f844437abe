-- E-mail delivery problem: mail that bounces, is quarantined, blacklisted or does not arrive.
return {
    name = "E-mail delivery problem",
    status = "active",
    scope = "all",
    trigger = "E-mail is not delivered or not received: bounces (undeliverable, rejected), "
        .. "messages in quarantine or junk, or a sender or domain on a blacklist.",
    match = {
        any = {"undeliverable", "undelivered", "not delivered", "delivery failed",
            "delivery failure", "bounce*", "rejected by recipient", "ndr", "quarantine*",
            "blacklist*", "blocklist*", "spam", "junk", "phishing", "not receiving email*",
            "not receiving mail*", "not receiving e mail*", "receiving mails anymore",
            "cannot receive email*", "cant receive email*", "emails not arriving",
            "mail not arriving", "safe sender*", "mail flow"},
        none = {"mailbox is full", "mailbox full", "almost full", "mailbox size"},
    },
    instructions = [[
1. Get one example: sender, recipient, time and the bounce message if there is one.
2. Trace the message in the mail system's message trace to see where it stopped.
3. Release quarantined mail only when it is clearly legitimate; anything that looks like
   phishing goes to the security process instead.
4. For a blacklisted sender domain or IP, check the listing and the mail authentication records
   (SPF, DKIM, DMARC) and request delisting once the cause is fixed.
5. Reply with what was found and whether the sender needs to do anything.
]],
    steps = {
        {tool = "exchange.message_trace", kind = "read",
            arguments = {recipient = "{requester.email}",
                sender = {ask = "an example sender and time"}},
            purpose = "Find where the message stopped."},
        {tool = "exchange.list_quarantine", kind = "read",
            arguments = {recipient = "{requester.email}"},
            purpose = "See whether the message is held in quarantine."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "Please send us the sender, the time and any bounce message you "
                    .. "received."},
            purpose = "Collect an example message to trace."},
    },
    samples = {
        match = {
            {
                id = "endava-00006",
                summary = "mail",
                details = "please dear looks blacklisted receiving mails anymore sample"
                              .. " attached thanks kind regards senior engineer",
            },
            {
                id = "endava-01792",
                summary = "quarantine you have new",
                details = "dear re design scotch yoke pm kb kb deleted automatically "
                              .. "after days change frequency these within log default locale",
            },
            {
                id = "endava-03389",
                summary = "check if accounts re still valid for access",
                details = "friday november pm undeliverable version upgrade has failed "
                              .. "these groups rejected by recipient please recipient "
                              .. "recipient directly rejected by recipient please recipient "
                              .. "recipient directly rejected by recipient please recipient "
                              .. "recipient directly",
            },
            {
                source = "written",
                summary = "Emails to client bouncing",
                details = "All my e-mails to @fabrikam.example bounce back with a 550 "
                              .. "5.7.1 NDR.",
            },
            {
                source = "written",
                summary = "Not receiving external emails",
                details = "Since yesterday we are not receiving emails from outside; "
                              .. "internal mail works.",
            },
        },
        no_match = {
            {
                id = "endava-01187",
                summary = "mail",
                details = "virus dear received please seems virus thanks",
            },
            {
                id = "endava-00891",
                summary = "mailbox is full",
                details = "mailbox hello please assist receive anymore thank sp tar "
                              .. "shared officer ext st emergency number mailbox importance "
                              .. "high mailbox mb mb size maximum size mailbox messages please"
                              .. " reduce mailbox size delete items mailbox empty deleted "
                              .. "items folder",
            },
            {
                id = "endava-00204",
                summary = "access to virtual cards mailbox",
                details = "virtual cards mailbox hi please give mailbox thank",
            },
            {
                source = "written",
                summary = "Mailbox full",
                details = "Outlook says my mailbox is full.",
            },
        },
    },
}
