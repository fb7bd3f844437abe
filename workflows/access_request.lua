-- Access request: access to an application, system, folder or site, granted with approval.
return {
    name = "Access to an application, folder or site",
    status = "active",
    scope = "all",
    sensitive = "access_grant",
    trigger = "Someone asks for access or rights to an application, system, shared folder, site "
        .. "or repository (or for access to be removed), usually on behalf of a colleague.",
    match = {
        all = {
            {"access", "rights", "permission*", "role*", "grant*", "privilege*", "added to",
                "add to", "add me", "add him", "add her", "remove access"},
            {"folder*", "share", "shared folder", "sharepoint", "site*", "storage", "drive",
                "application", "app", "system", "tool", "repository", "repo*", "git",
                "confluence", "jira", "oracle", "crm", "database", "db", "server*", "network",
                "project", "group*", "distribution list", "team", "teams", "report*",
                "dashboard", "portal", "environment", "account"},
        },
        none = {"access card*", "card", "badge", "door", "floor", "building", "meeting room",
            "parking", "mailbox", "admin rights", "administrator rights", "local admin",
            "admin account", "unlock*", "locked", "password", "new starter", "leaver*",
            "remote access", "vpn"},
    },
    instructions = [[
1. Identify the system and the access level (read, edit, owner) and who it is for.
2. Access needs the approval of the system's owner or the person's manager: find it in the
   ticket or ask for it. Never grant more than was asked.
3. Prefer adding the person to an existing group over giving rights one by one, and copy the
   access of a named colleague only when the manager asks for it.
4. Grant the access, and reply with what was granted and when it takes effect.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm who asks and for whom."},
        {tool = "ad.get_group_membership", kind = "read",
            arguments = {user = {ask = "the person who needs the access"}},
            purpose = "See which groups the person is already in."},
        {tool = "ad.add_group_member", kind = "write",
            arguments = {group = {ask = "the group that gives this access"},
                user = {ask = "the person who needs the access"}},
            purpose = "Grant the access through the system's group, once the owner approves."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "Please confirm the owner's approval and the access level needed."},
            purpose = "Collect the approval before granting anything."},
    },
    samples = {
        match = {
            {
                id = "endava-01531",
                summary = "access to folder",
                details = "folder hello please folder has approved copied convenience "
                              .. "thanks best",
            },
            {
                id = "endava-03958",
                summary = "need permission to view and edit confluence",
                details = "permission view confluence hi permissions view confluence thanks",
            },
            {
                id = "endava-02879",
                summary = "provide access to mantis database",
                details = "provide database hi dear please log assign he provided "
                              .. "database thanks engineer",
            },
            {
                source = "written",
                summary = "Access to Finance share",
                details = "Please give me read access to the Finance folder on FS01, "
                              .. "approved by Mark (my manager).",
            },
            {
                source = "written",
                summary = "Add to SharePoint site",
                details = "Can you add Tom to the HR SharePoint site with edit rights?",
            },
        },
        no_match = {
            {
                id = "endava-00862",
                summary = "th floor access",
                details = "floor hi please floor colleague he joined today thank officer",
            },
            {
                id = "endava-02495",
                summary = "access card process",
                details = "december pm card hi encountering problems regarding cards "
                              .. "badges helpful better understand process please help more "
                              .. "information thanks blvd floor district",
            },
            {
                id = "endava-00274",
                summary = "access to meeting rooms",
                details = "meeting rooms dear colleagues please calendars meeting rooms"
                              .. " best regards",
            },
            {
                source = "written",
                summary = "Door badge not working",
                details = "My access card doesn't open the 3rd floor door.",
            },
        },
    },
}
