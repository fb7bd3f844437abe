-- Equipment request: a new or extra device, accessory or phone for someone.
return {
    name = "Equipment request",
    status = "active",
    scope = "all",
    trigger = "Someone asks for a device or accessory (laptop, monitor, headset, keyboard, "
        .. "mobile phone, docking station, cable) to be ordered, lent or allocated.",
    match = {
        all = {
            {"need*", "request*", "order*", "new", "purchase*", "borrow*", "temporary",
                "allocat*", "extra", "second", "spare", "loan"},
            {"laptop*", "notebook", "monitor*", "screen", "headset*", "headphones", "keyboard",
                "mouse", "mobile phone", "phone", "docking station", "dock",
                "cable*", "adapter", "charger", "webcam", "monitor stand", "hard drive",
                "equipment", "hardware", "pc", "computer", "bag", "ram", "memory upgrade"},
        },
        none = {"broken", "not working", "damaged", "faulty", "password", "mobile app",
            "leaver", "new starter"},
    },
    instructions = [[
1. Identify what is needed, for whom, by when, and whether it is a loan or to keep.
2. Check the client's stock of spare devices before ordering.
3. A purchase needs the manager's approval and a purchase order in the ticket.
4. Record the allocated device against the user in the client's assets, and reply with when
   and where to collect it.
]],
    steps = {
        {tool = "halo.list_client_assets", arguments = {client_id = "{ticket.client.id}"},
            purpose = "Look for a spare device in the client's stock."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "Please confirm what you need, by when, and your manager's approval "
                    .. "for a purchase."},
            purpose = "Collect the details and the approval."},
        {tool = "halo.assign", arguments = {team = {ask = "the team that orders equipment"}},
            purpose = "Route the purchase to whoever orders equipment for this client."},
    },
    samples = {
        match = {
            {
                id = "endava-01318",
                summary = "headset needed",
                details = "headset needed hello please assign queue thank kind regards "
                              .. "engineer mobile",
            },
            {
                id = "endava-02302",
                summary = "laptop request",
                details = "hello please provide evening re preparing activities "
                              .. "christmas party take return morning thanks engineer",
            },
            {
                id = "endava-01905",
                summary = "monitor request",
                details = "monitor hello monitor received monitor needed work virtual "
                              .. "machine thank best regards",
            },
            {
                source = "written",
                summary = "Need a 2nd monitor",
                details = "Could I get a second monitor for my desk?",
            },
            {
                source = "written",
                summary = "Laptop for client workshop",
                details = "Requesting a loan laptop for 2 weeks for the client workshop.",
            },
        },
        no_match = {
            {
                id = "endava-05040",
                summary = "broken screen",
                details = "sent friday broken screen hello screen fell desktop since "
                              .. "got entangled with wires work anymore regards senior tester "
                              .. "colombia",
            },
            {
                id = "endava-03620",
                summary = "oracle mobile app",
                details = "mobile app good morning please advise how download mobile "
                              .. "app apple please regards north",
            },
            {
                id = "endava-00993",
                summary = "leaver",
                details = "leaver hi please leaver kind regards administrator",
            },
            {
                source = "written",
                summary = "Monitor broken",
                details = "My monitor is broken, it shows nothing.",
            },
        },
    },
}
