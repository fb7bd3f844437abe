-- Access to a colleague's mail: reading, sending as or managing another person's mailbox or
-- calendar. Shared and team mailboxes have their own workflow. Access to a person's mail
-- reads everything sent to them, so the requester's identity and the owner's approval come
-- first, and a technician makes the change.
return {
    name = "Access to a colleague's mail",
    status = "active",
    scope = "all",
    sensitive = "mail_delegation",
    trigger = "Someone asks to read, manage or send from another person's mailbox or calendar, "
        .. "for example while that person is away.",
    -- The exclusions are only requests to take such access away. A word about something else
    -- ("mailbox is full", "shared mailbox", "spam") anywhere in the ticket would switch the
    -- identity check off for the request around it. Each one cancels only its own clause, so
    -- taking one person's access away does not hide access asked for in another sentence.
    -- "Check" is left out of the asking words, because "can you check her mail flow" asks a
    -- technician to look at a fault.
    match = {
        all = {
            {"see", "read", "access*", "view", "open", "monitor", "look at", "go through",
                "get into", "send as", "send on behalf", "delegat*", "permission*", "rights",
                "full access", "check her", "check his", "check their"},
            {"email*", "e mail*", "mail", "mails", "inbox*", "mailbox*", "calendar*", "diary",
                "send as", "send on behalf"},
            {"her", "his", "their", "colleague", "my colleague*", "a colleague*",
                "colleagues mail*", "colleagues email*", "colleagues e mail*",
                "colleagues inbox*", "colleagues mailbox*", "colleagues calendar*",
                "coworker*", "co worker*", "boss*", "manager*", "director*", "ceo",
                "while she*", "while he*", "while they*", "on leave", "on holiday", "off sick",
                "maternity", "paternity", "behalf", "send as", "delegat*", "someone elses",
                "somebody elses"},
        },
        none = {"remove access", "remove the access", "remove his access", "remove her access",
            "remove their access", "revoke access", "revoke the access", "revoke his access",
            "revoke her access", "revoke their access", "remove permission*",
            "remove the permission*", "revoke permission*", "revoke the permission*",
            "remove delegat*", "remove the delegat*", "take away access",
            "take away his access", "take away her access", "no longer needs access",
            "no longer need access"},
        none_scope = "clause",
    },
    instructions = [[
1. Treat this as sensitive: access to a person's mailbox reads everything sent to them.
   Verify the requester's identity through a channel an attacker cannot control (a call back
   to the number on file) before changing anything.
2. Find out whose mail or calendar it is, which rights are asked for (read, send as, send on
   behalf, calendar only) and for how long.
3. The mailbox owner, or their manager when the owner is away, must approve in the ticket.
4. A technician grants the access with an end date where possible, and replies with what was
   granted and how the mailbox appears in Outlook.
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
                id = "endava-00557",
                summary = "send as permission for on purchasing com",
                details = "permission hi guys please kind permissions mailbox thanks kind "
                    .. "regards",
            },
            {
                id = "endava-01362",
                summary = "access expenses mailbox",
                details = "mailbox hello please colleague common mailbox he joiner essential "
                    .. "his work copied authorization thank great accounts payable",
            },
            {source = "written", summary = "Question",
                details = "How can I see Karen's emails while she's off?"},
            {source = "written", summary = "Send as",
                details = "Please give me send as rights for Tom so I can reply for him."},
            {source = "written", summary = "Calendar",
                details = "I need access to my manager's calendar and inbox."},
            {source = "written", summary = "Question",
                details = "How can I see Karen's emails while she's off? Her mailbox is full "
                    .. "anyway."},
            {source = "written", summary = "Mailbox",
                details = "Karen is on leave, can you let me see her mailbox? Also remove his "
                    .. "access to the Sales folder."},
            {source = "written", summary = "Access",
                details = "Please remove Dave's access to Karen's mailbox and give me access "
                    .. "to her inbox while she is off."},
        },
        no_match = {
            {
                id = "endava-00274",
                summary = "access to meeting rooms",
                details = "meeting rooms dear colleagues please calendars meeting rooms best "
                    .. "regards",
            },
            {
                id = "endava-01088",
                summary = "meetings calendar",
                details = "meetings calendar hello series meetings calendar by he left cancel "
                    .. "his name today pm whole architecture head architecture",
            },
            {source = "written", summary = "Shared mailbox",
                details = "Please add me to the sales shared mailbox."},
            {source = "written", summary = "Access removal",
                details = "Please remove Dave's access to Karen's mailbox, he moved teams."},
            {source = "written", summary = "Access removal",
                details = "Please remove his access to Karen's mailbox. Thanks"},
            {source = "written", summary = "Outlook",
                details = "I can't see new emails in my inbox since this morning."},
            {source = "written", summary = "Mail flow",
                details = "Her emails are not arriving since Monday, can you check the mail "
                    .. "flow?"},
        },
    },
}
