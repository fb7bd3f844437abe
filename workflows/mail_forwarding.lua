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
            -- A personal mail service is mail too ("Forwarding" above "to my gmail until I'm
            -- back").
            {"mail", "mails", "email*", "e mail*", "inbox", "mailbox*", "messages",
                "everything", "gmail", "googlemail", "hotmail", "yahoo", "icloud"},
            {"gmail", "googlemail", "hotmail", "yahoo", "icloud", "outlook com", "live com",
                "personal email*", "personal e mail*", "personal address*",
                "personal account*", "my personal", "private", "home", "external", "outside",
                "automatic*", "auto",
                "all my", "all of my", "all her", "all his", "all incoming", "all new",
                "every email", "everything", "from now on", "from today", "from tomorrow",
                "permanently", "while i am away", "while im away",
                -- Someone's mail sent on to the writer ("forward all of Mark's email to me").
                "email to me", "emails to me", "e mail to me", "e mails to me", "mail to me",
                "mails to me", "inbox to me", "mailbox to me", "messages to me"},
        },
        -- The exclusions are only requests to stop forwarding. A word about something else
        -- ("out of office", "forward this invoice") anywhere in the ticket would switch the
        -- identity check off for the request around it. Each one cancels only its own clause,
        -- so stopping one forward does not hide a new one asked for in the next sentence.
        -- "Forward this email to me" requests one message, so it cancels its clause too.
        none = {"stop forward*", "stop the forward*", "remove forward*", "remove the forward*",
            "turn off forward*", "turn off the forward*", "disable forward*",
            "cancel forward*", "cancel the forward*", "no longer forward*",
            "forward this email", "forward this e mail", "forward that email",
            "forward the email", "forward this message"},
        none_scope = "clause",
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
            {
                id = "endava-01129",
                summary = "leaver service now tower",
                details = "leaver form leave date location tower hello leaver form has filled "
                    .. "by name leaving date location tower ad forwarder leaver mailbox did "
                    .. "leaver roaming profile did leaver ad rights personal mailbox "
                    .. "approver did leaver rights inventory storage required information "
                    .. "name work location details floor seat did leaver did leaver token "
                    .. "did leaver mobile phone subscription did leaver other commercial "
                    .. "accounts leaver has detected changed automatic by approver backup pm "
                    .. "purchase coordinator approver approver approver approver discipline "
                    .. "responsible other did leaver did leaver did leaver did leaver did "
                    .. "leaver number did leaver extension leaving details planned comments "
                    .. "has working client side has work location needed tickets "
                    .. "automatically logged best regards note mailbox receive messages",
            },
            {
                id = "endava-01666",
                summary = "leaver",
                details = "leaver form leave date location hello leaver form has filled by name "
                    .. "leaving date location ad forwarder leaver mailbox did leaver roaming "
                    .. "profile did leaver ad rights personal mailbox approver did leaver "
                    .. "rights inventory storage required information name work location "
                    .. "details floor seat did leaver did leaver token did leaver mobile "
                    .. "phone subscription did leaver other commercial accounts leaver has "
                    .. "detected changed automatic by approver backup pm purchase "
                    .. "coordinator approver approver approver approver discipline "
                    .. "responsible other did leaver did leaver did leaver did leaver did "
                    .. "leaver number did leaver extension leaving details unplanned "
                    .. "comments currently working out needed tickets automatically logged "
                    .. "best regards note mailbox receive messages",
            },
            {source = "written", summary = "Email",
                details = "How do I get my work emails sent to my gmail automatically?"},
            {source = "written", summary = "Mail",
                details = "Please forward all my mail to jane.d@gmail.com from today."},
            {source = "written", summary = "Forwarding",
                details = "Can you set up forwarding of my mail to my personal address?"},
            {source = "written", summary = "Email",
                details = "I don't use jane@acme anymore, please send everything to "
                    .. "jane.d@gmail.com"},
            {source = "written", summary = "Email",
                details = "How can I have all my work email forwarded to my gmail? My out of "
                    .. "office is set."},
            {source = "written", summary = "Forwarding",
                details = "Please stop forwarding my mail to my old gmail. Then forward all my "
                    .. "mail to jane.new@gmail.com from today."},
            {source = "written", summary = "Email",
                details = "Can you remove the forwarding on the sales inbox, and set up "
                    .. "forwarding of my mail to my personal address?"},
            {source = "written", summary = "Printer",
                details = "The printer is working again, thanks.\n\nPlease forward all of "
                    .. "Dan's email to me."},
            {source = "written", summary = "Forwarding",
                details = "to my hotmail until I'm back please"},
        },
        no_match = {
            {
                id = "endava-00276",
                summary = "reset password for our clients and",
                details = "clients expire days dear please updated credentials thank expire "
                    .. "days hi kindly please regards fwd expire days hi please let thanks "
                    .. "begin forwarded date expire days dear expire days order change "
                    .. "please follow steps prerequisites disable device credentials close "
                    .. "active connected by cable machine note also follow steps detailed "
                    .. "press ctrl alt delete same pops change item enter format enter enter "
                    .. "newly chosen then re enter again submit displaying has changed os "
                    .. "machine browse enter format enter gear icon top tight browser window "
                    .. "enter enter newly chosen then re enter again save connected note "
                    .. "complete resources granted once connected by cable browse tick want "
                    .. "change after logging enter format enter log enter enter newly chosen "
                    .. "then re enter again change clients suppliers about expire please "
                    .. "touch person then communicate back encounter issues hesitate by "
                    .. "accessing yours please consider environment communication print "
                    .. "views expressed individual except where specifically stated view "
                    .. "subsidiaries addressed customers opinions advice contained subject "
                    .. "relevant terms reserves right monitor communications networks notice "
                    .. "intended solely named recipient contain privileged confidential "
                    .. "information intended please notify immediately destroy must copy "
                    .. "distribute take action reliance upon whilst efforts made safeguard "
                    .. "cannot attachments virus free compatible accept liability respect "
                    .. "viruses computer problems experienced important card details by",
            },
            {
                id = "endava-00211",
                summary = "access",
                details = "hi added two his role unfortunately please looking forward thanks "
                    .. "officer",
            },
            {source = "written", summary = "Invoice",
                details = "Please forward this invoice to our accounts team."},
            {source = "written", summary = "Forwarding",
                details = "Please stop forwarding my mail to my gmail, I no longer need it."},
            {source = "written", summary = "Forwarding",
                details = "Please stop forwarding my mail to my gmail. Thanks, Jane"},
            {source = "written", summary = "Outlook slow",
                details = "Outlook takes a minute to open my mail."},
            {source = "written", summary = "Lost email",
                details = "I deleted the supplier's quote by mistake, please forward this email "
                    .. "to me again."},
        },
    },
}
