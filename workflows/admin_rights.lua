-- Administrator rights: temporary or permanent local administrator rights on a computer.
return {
    name = "Local administrator rights",
    status = "active",
    scope = "all",
    sensitive = "admin_rights",
    trigger = "Someone asks for administrator rights on their computer, usually to install or "
        .. "change software.",
    match = {
        any = {"admin rights", "administrator rights", "administrative rights", "admin right",
            "local admin*", "admin access", "administrator access", "admin privilege*",
            "administrator privilege*", "elevated rights", "elevate rights", "elevated privilege*",
            "admin account", "administrator account", "run as admin*", "rights administrator",
            "administrator permission*", "admin permission*"},
    },
    instructions = [[
1. Find out what the rights are needed for: installing one application is better done by
   installing it for the requester (the software installation workflow).
2. Administrator rights need the client's written approval in the ticket, and are granted for
   a limited time where the client's tools allow it.
3. Grant the rights on that one computer only, record the expiry, and reply with what was
   granted and until when.
]],
    steps = {
        {tool = "halo.list_client_assets",
            arguments = {client_id = "{ticket.client.id}", user_id = "{requester.id}"},
            purpose = "Identify the computer the rights are for."},
        {tool = "rmm.grant_local_admin", kind = "write",
            arguments = {device = {ask = "the computer's name"}, user = "{requester.email}",
                hours = {ask = "how long the rights are needed"}},
            purpose = "Grant time-limited administrator rights on that computer."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "What do you need administrator rights for? Often we can install the "
                    .. "application for you instead."},
            purpose = "Check whether installing the software for them is enough."},
    },
    samples = {
        match = {
            {
                id = "endava-02518",
                summary = "local admin rights request",
                details = "rights hi please process reinstate rights since currently "
                              .. "off thank assistance regards engineer",
            },
            {
                id = "endava-02096",
                summary = "admin rights",
                details = "rights hello think provide rights machine today tomorrow "
                              .. "located finland today tomorrow make setup install drivers "
                              .. "colleagues help specify important asap because input client "
                              .. "thank best regards senior developer",
            },
            {
                id = "endava-00099",
                summary = "admin account access level",
                details = "level hi needed privileges work example even cannot "
                              .. "registries modify certain files please same privileges "
                              .. "colleagues example certainty thanks best regards engineer "
                              .. "ext information confidential legally privileged intended "
                              .. "solely addressee opinions expressed mine necessarily "
                              .. "represent opinions susceptible interference intended "
                              .. "recipient disclosure copying action taken omitted taken "
                              .. "reliance strictly prohibited unlawful received error "
                              .. "attachments please notify delete accepts responsibility "
                              .. "information errors omissions misuse act committed omitted "
                              .. "communication doubt please verify authenticity contents "
                              .. "please rely own virus checkers responsibility taken by "
                              .. "damage rising out virus infection registered under number "
                              .. "whose registered old broad street kingdom provide clients "
                              .. "each subsidiaries separate entity has liability entity acts "
                              .. "omissions",
            },
            {
                source = "written",
                summary = "Local admin rights needed",
                details = "I need local admin rights on my PC to install drivers for "
                              .. "the lab equipment.",
            },
            {
                source = "written",
                summary = "Run as administrator",
                details = "Please grant admin access on LAPTOP-22 so I can run as admin.",
            },
        },
        no_match = {
            {
                id = "endava-04033",
                summary = "expenses app",
                details = "app receive permission app thanks assistance",
            },
            {
                id = "endava-03961",
                summary = "app automatically started",
                details = "app automatically started hello application started policy "
                              .. "publisher app started automatically once pc restart best "
                              .. "regards software developer",
            },
            {
                id = "endava-00296",
                summary = "install request",
                details = "install dear please ticked based installing thank engineer",
            },
            {
                source = "written",
                summary = "Install Visual Studio",
                details = "Please install Visual Studio 2022 on my laptop.",
            },
        },
    },
}
