-- Mailbox full: a mailbox at or near its size limit that stops sending or receiving.
return {
    name = "Mailbox full",
    status = "active",
    scope = "all",
    trigger = "A mailbox is full or almost full (a quota warning), or someone asks for more "
        .. "mailbox space or an archive.",
    match = {
        any = {"mailbox is full", "mailbox full", "full mailbox", "full outlook mailbox",
            "mailbox almost full", "mailbox is almost full", "mailbox size", "extending mailbox",
            "mailbox quota", "quota", "space on outlook", "outlook is full", "archive mailbox",
            "online archive", "increase mailbox"},
    },
    instructions = [[
1. Read the mailbox's size, quota and whether an online archive is enabled.
2. If an archive is available, enable it or apply the archive policy; otherwise show the
   requester how to find and delete the largest items and empty Deleted Items.
3. A larger mailbox may need a different licence: ask the client's approval for the cost.
4. Reply with the new free space.
]],
    steps = {
        {tool = "exchange.get_mailbox_statistics", kind = "read",
            arguments = {mailbox = "{requester.email}"},
            purpose = "Read the mailbox size, quota and archive status."},
        {tool = "exchange.enable_archive", kind = "write",
            arguments = {mailbox = "{requester.email}"},
            purpose = "Move old mail to the online archive."},
        {tool = "halo.reply", requester_account = true,
            arguments = {ticket_id = "{ticket.id}",
                message = "We are enabling the online archive; older mail moves there "
                    .. "automatically over the next day."},
            purpose = "Tell the requester what changes in Outlook."},
    },
    samples = {
        match = {
            {
                id = "endava-02102",
                summary = "need some space on outlook",
                details = "hi because mailbox almost delete take please",
            },
            {
                id = "endava-01184",
                summary = "full outlook mailbox",
                details = "mailbox dear facing problem having mailbox extending mailbox"
                              .. " thank senior software tester ext",
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
                source = "written",
                summary = "Mailbox FULL - can't send",
                details = "Outlook says my mailbox is full and I can't send anything.",
            },
            {
                source = "written",
                summary = "Quota warning",
                details = "Got a warning that my mailbox is almost full (49.5 GB of 50 GB).",
            },
        },
        no_match = {
            {
                id = "endava-00204",
                summary = "access to virtual cards mailbox",
                details = "virtual cards mailbox hi please give mailbox thank",
            },
            {
                id = "endava-03631",
                summary = "access to us mailbox",
                details = "mailbox hello please mailbox order perform daily tasks thank"
                              .. " accounts payable accountant phone",
            },
            {
                id = "endava-00006",
                summary = "mail",
                details = "please dear looks blacklisted receiving mails anymore sample"
                              .. " attached thanks kind regards senior engineer",
            },
            {
                source = "written",
                summary = "Shared mailbox access",
                details = "Please add me to the Sales shared mailbox.",
            },
        },
    },
}
