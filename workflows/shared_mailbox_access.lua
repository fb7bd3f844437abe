-- Shared mailbox access: add or remove someone on a shared or team mailbox.
return {
    name = "Shared mailbox access",
    status = "active",
    scope = "all",
    sensitive = "mail_delegation",
    trigger = "Someone asks for access to a shared, team or generic mailbox (or a colleague's "
        .. "mailbox or calendar), or for that access to be removed.",
    match = {
        all = {
            {"mailbox*", "mail box*", "inbox", "shared calendar", "calendar"},
            {"shared", "access", "permission*", "add*", "delegate*", "full access",
                "send as", "send on behalf", "remove*", "generic", "team", "group"},
        },
        none = {"mailbox is full", "mailbox full", "mailbox is almost full", "almost full",
            "mailbox size", "quota", "leaver form", "meeting room"},
    },
    instructions = [[
1. Identify the mailbox and the people who need access, and which rights (read and manage,
   send as, send on behalf).
2. Access to someone else's mailbox needs approval from the mailbox's owner or manager:
   ask for it in the ticket if it is not there.
3. Grant or remove the permission; it takes up to an hour to show in Outlook.
4. Reply with what was granted and how the mailbox appears in Outlook.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who is asking."},
        {tool = "exchange.get_mailbox_permissions", kind = "read",
            arguments = {mailbox = {ask = "the shared mailbox's address"}},
            purpose = "See who has access today and who owns the mailbox."},
        {tool = "exchange.add_mailbox_permission", kind = "write",
            arguments = {mailbox = {ask = "the shared mailbox's address"},
                user = "{requester.email}", rights = "FullAccess"},
            purpose = "Grant the access once the mailbox owner has approved."},
        {tool = "halo.reply", requester_account = true,
            arguments = {ticket_id = "{ticket.id}",
                message = "Access is granted; the mailbox appears in Outlook within an hour."},
            purpose = "Tell the requester when to expect the mailbox."},
    },
    samples = {
        match = {
            {
                id = "endava-00204",
                summary = "access to virtual cards mailbox",
                details = "virtual cards mailbox hi please give mailbox thank",
            },
            {
                id = "endava-00557",
                summary = "send as permission for on purchasing com",
                details = "permission hi guys please kind permissions mailbox thanks "
                              .. "kind regards",
            },
            {
                id = "endava-03631",
                summary = "access to us mailbox",
                details = "mailbox hello please mailbox order perform daily tasks thank"
                              .. " accounts payable accountant phone",
            },
            {
                source = "written",
                summary = "Access to info@ shared mailbox",
                details = "Please give Sarah full access to the info@contoso.example "
                              .. "shared mailbox.",
            },
            {
                source = "written",
                summary = "Send As permission",
                details = "Can I get Send-As on the Sales mailbox? My manager approved.",
            },
        },
        no_match = {
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
                id = "endava-02102",
                summary = "need some space on outlook",
                details = "hi because mailbox almost delete take please",
            },
            {
                id = "endava-00274",
                summary = "access to meeting rooms",
                details = "meeting rooms dear colleagues please calendars meeting rooms"
                              .. " best regards",
            },
            {
                source = "written",
                summary = "Mailbox full",
                details = "My mailbox is full and I can't send.",
            },
        },
    },
}
