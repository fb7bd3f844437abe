-- Laptop or PC hardware fault: a device that is broken, damaged or failing.
return {
    name = "Laptop or PC hardware fault",
    status = "active",
    scope = "all",
    trigger = "A laptop, desktop or its peripherals are broken, damaged or failing (does not "
        .. "start, screen, keyboard, battery, overheating, very slow, docking station).",
    match = {
        all = {
            {"laptop*", "notebook", "desktop", "pc", "computer", "workstation", "screen",
                "display",
                "monitor", "keyboard", "mouse", "battery", "charger", "docking station", "dock",
                "touchpad", "trackpad", "fan", "headset", "webcam"},
            {"broken", "broke", "damaged", "crack*", "not working", "doesnt work",
                "does not work", "stopped working", "wont start", "will not start",
                "not starting", "not turning on", "wont turn on", "no power", "dead",
                "faulty", "fault", "defect*", "overheat*", "noise", "noisy", "slow",
                "not responding", "flicker*", "black screen", "blue screen", "bsod", "spilled",
                "replace*", "repair*", "failure"},
        },
        none = {"new starter", "leaver", "purchase", "new purchase", "po", "order a",
            "install*", "password", "allocation"},
    },
    instructions = [[
1. Identify the device from the client's assets (model, serial number, warranty end date).
2. Ask for the symptoms that decide the route: does it power on, is there physical damage,
   since when, and can the requester still work (a spare device)?
3. Within warranty, log a repair with the manufacturer; out of warranty, quote a repair or a
   replacement to the client.
4. If the requester cannot work, offer a loan device and move their data.
5. Reply with the route and when to expect the device back.
]],
    steps = {
        {tool = "halo.list_client_assets",
            arguments = {client_id = "{ticket.client.id}", user_id = "{requester.id}"},
            purpose = "Find the device, its serial number and its warranty."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the device failed before."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "Does the device power on, is there visible damage, and can you work "
                    .. "meanwhile?"},
            purpose = "Collect the symptoms that decide between repair and replacement."},
        {tool = "halo.set_status", arguments = {ticket_id = "{ticket.id}",
                status = "Waiting on user"},
            purpose = "Wait for the requester's answer."},
    },
    samples = {
        match = {
            {
                id = "endava-05040",
                summary = "broken screen",
                details = "sent friday broken screen hello screen fell desktop since "
                              .. "got entangled with wires work anymore regards senior tester "
                              .. "colombia",
            },
            {
                id = "endava-04931",
                summary = "monitor flickering",
                details = "sent thursday monitor flickering hi had problem with monitor"
                              .. " but solved helped by changing cable thank you have very "
                              .. "senior developer",
            },
            {
                id = "endava-00386",
                summary = "laptop replacement",
                details = "replacement hi currently years old battery dramatically "
                              .. "reduced also quite heavy almost client site lighter options "
                              .. "refreshing thanks senior architect",
            },
            {
                source = "written",
                summary = "Laptop won't turn on",
                details = "My Dell laptop won't turn on, no lights at all. Tried "
                              .. "another charger.",
            },
            {
                source = "written",
                summary = "BSOD",
                details = "Getting a blue screen (BSOD) every hour on my desktop PC.",
            },
        },
        no_match = {
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
                id = "endava-04889",
                summary = "active directory user account is expired",
                details = "sent monday october active directory expired hello we have "
                              .. "problem with active directory expired error workstation can "
                              .. "you please help thank you developer",
            },
            {
                source = "written",
                summary = "New laptop for new starter",
                details = "Please order a laptop for our new starter.",
            },
        },
    },
}
