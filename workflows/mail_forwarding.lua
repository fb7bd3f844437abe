-- Mail forwarding: a request to send someone's mail on to another address, often an outside
-- one. Forwarding hands every future message to whoever controls that address, so the
-- requester's identity is checked first and a technician makes the change.
return {
    name = "Mail forwarding",
    status = "active",
    scope = "all",
    sensitive = "mail_forwarding",
    trigger = "Someone asks for their mail, or a colleague's, to be forwarded, redirected or "
        .. "copied to another address, such as a personal one.",
    match = {
        all = {
            {"forward*", "fwd", "redirect*", "autoforward*", "auto forward*", "sent to",
                "send to", "sending to", "go to", "goes to", "copy of", "copies of",
                "copied to", "inbox rule*", "mail rule*", "mailbox rule*", "send everything",
                "sent on", "send on"},
            {"mail", "mails", "email*", "e mail*", "inbox", "mailbox*", "messages",
                "everything"},
            {"gmail", "googlemail", "hotmail", "yahoo", "icloud", "outlook com", "live com",
                "personal email*", "personal e mail*", "personal address*",
                "personal account*", "my personal", "private", "home", "external", "outside",
                "automatic*", "auto",
                "all my", "all of my", "all her", "all his", "all incoming", "all new",
                "every email", "everything", "from now on", "from today", "from tomorrow",
                "permanently", "while i am away", "while im away"},
        },
        none = {"stop forward*", "stop the forward*", "remove forward*", "remove the forward*",
            "turn off forward*", "turn off the forward*", "disable forward*",
            "cancel forward*", "cancel the forward*", "no longer forward*",
            "forward this", "forward the attached", "forward it", "forwarded", "out of office"},
    },
    instructions = [[
1. Treat this as sensitive: forwarding sends every future message to whoever controls the
   other address, which is a common way to take over an account or divert invoices. Verify
   the requester's identity through a channel an attacker cannot control (a call back to the
   number on file) before changing anything.
2. Find out whose mail it is, where it should go, and for how long. Forwarding a colleague's
   mail, or any mail to an outside address, needs the mailbox owner's or their manager's
   written approval in the ticket; many clients forbid outside forwarding altogether.
3. A technician sets up the forwarding (mailbox forwarding or an inbox rule) with an end
   date where possible, and records both in the ticket.
4. Reply with what was set up, until when, and how to ask for it to be removed.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester and the contact details on file for a call back."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the requester asked for other account changes recently."},
    },
    samples = {
        match = {
            {source = "written", summary = "Email",
                details = "How do I get my work emails sent to my gmail automatically?"},
            {source = "written", summary = "Mail",
                details = "Please forward all my mail to jane.d@gmail.com from today."},
            {source = "written", summary = "Forwarding",
                details = "Can you set up forwarding of my mail to my personal address?"},
            {source = "written", summary = "Email",
                details = "I don't use jane@acme anymore, please send everything to "
                    .. "jane.d@gmail.com"},
        },
        no_match = {
            {source = "written", summary = "Invoice",
                details = "Please forward this invoice to our accounts team."},
            {source = "written", summary = "Forwarding",
                details = "Please stop forwarding my mail to my gmail, I no longer need it."},
            {source = "written", summary = "Outlook slow",
                details = "Outlook takes a minute to open my mail."},
        },
    },
}
