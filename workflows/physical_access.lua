-- Doors, badges and alarm codes: a card, fob, fingerprint or code that opens premises. Entry
-- to a building is what an impersonator may be after, so the requester's identity is checked
-- first and a technician or the office manager makes the change.
return {
    name = "Door, badge or alarm access",
    status = "active",
    scope = "all",
    sensitive = "physical_access",
    trigger = "Someone asks for a door card, fob, badge, fingerprint, door or alarm code, or "
        .. "building access, for themselves or someone else, or says one stopped working.",
    -- A card, fob or code word alone is not a request: "notification badge", "host key
    -- fingerprint" and "access card printer" are about other things. So the rules need the
    -- thing that opens a door together with an asking or a problem with it. There is no
    -- exclusion list, because a word anywhere in the ticket would switch the identity check off
    -- for every request around it. A request to take a card away ("please deactivate Sam's
    -- fob") has no asking word and does not match.
    match = {
        all = {
            {"badge access", "visitor badge*", "visitors badge*", "id badge*", "door badge*",
                "building badge*", "security badge*", "access badge*", "staff badge*",
                "office badge*", "site badge*", "my badge", "get a badge", "need a badge",
                "new badge*", "badge for", "badges for", "fob", "fobs", "key fob*", "keyfob*",
                "keycard*", "key card*", "access card", "access cards", "swipe card*",
                "proximity card*", "prox card*", "door card*", "entry card*", "building card*",
                "visitor card*", "door code*", "door access", "door entry", "door reader*",
                "door controller*", "door system", "door pin", "card access", "entry code*",
                "alarm code*", "alarm pin", "alarm fob*", "keypad code*", "fingerprint access",
                "fingerprint entry", "fingerprint to the door*", "fingerprint on the door*",
                "fingerprint for the door*", "fingerprints to the door*", "biometric access",
                "biometric entry", "biometric door*", "building access", "office access",
                "site access", "gate code*", "turnstile*", "keys to the office", "office key*",
                "building key*"},
            {"get", "give", "need*", "issue*", "activat*",
                "reactivat*", "re activat*", "enabl*", "add", "enrol*", "enroll*",
                "register*", "new", "replace*", "replacement", "lost my", "lost her",
                "lost his", "lost their", "lost the", "lost our", "i lost", "she lost",
                "he lost", "have lost", "has lost", "ive lost", "stolen", "misplaced",
                "left my", "forgot my", "not working", "stopped working", "doesnt work",
                "does not work", "dont work", "wont open", "will not open", "wont let",
                "wont work", "not let", "what is", "whats", "tell me", "send me", "code for",
                "access to", "access for", "request*", "set up", "setup", "order",
                "temporary", "can i have", "could i have", "reset", "change*", "update",
                "extend*", "unlock"},
        },
    },
    instructions = [[
1. Treat this as sensitive: a card, fob or code opens the premises. Verify the requester's
   identity through a channel an attacker cannot control (a call back to the number on file,
   or the office manager) before anything is issued or enrolled.
2. Find out who the access is for, which doors or areas and for how long. Access for a
   visitor or another person needs the office manager's approval in the ticket.
3. A technician or the office manager issues, enrols or changes the card, fob, fingerprint or
   code in the access control system, with an end date for temporary access.
4. Reply with when and where the card or fob can be collected; never send a door or alarm
   code in the ticket.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester and the contact details on file for a call back."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the requester asked for other access recently."},
    },
    samples = {
        match = {
            {
                id = "endava-01237",
                summary = "kind request to activate access card for",
                details = "kind activate card dear colleagues please kindly activate card "
                    .. "colleague please she lost needs thank best regards friday october "
                    .. "cards usage cards care care si si ne va ca ca si available si active "
                    .. "si ca si ca casa si visitor card va card pot va analyst ext hub",
            },
            {
                id = "endava-01796",
                summary = "access card activation offices",
                details = "card activation offices dear short visit december december please "
                    .. "card tower range thanks developer",
            },
            {source = "written", summary = "Door",
                details = "How do I get a fob for the side door? Starting early shifts next "
                    .. "week."},
            {source = "written", summary = "Visitor",
                details = "How do I get a visitor badge for my brother this weekend? He's "
                    .. "helping me move desks."},
            {source = "written", summary = "Fingerprint",
                details = "Can you add my fingerprint to the door reader"},
            {source = "written", summary = "Alarm",
                details = "What is the alarm code for the back office? I'm locking up tonight."},
            {source = "written", summary = "Door",
                details = "How do I get a fob for the side door? Also please remove the old "
                    .. "printer from my laptop."},
        },
        no_match = {
            {
                id = "endava-00063",
                summary = "reset time card",
                details = "card hi guys please card period thank application engineer",
            },
            {
                id = "endava-00424",
                summary = "submit your time cards for approval",
                details = "please action submit cards good morning status entries period status "
                    .. "error kindly these entries enter again thanks great best regards "
                    .. "developer please action submit cards dear receiving because cards "
                    .. "haven submitted please note enough enter also make submit take "
                    .. "corrective actions submitted card gets rejected breakdown submitted "
                    .. "cards please submit accordingly possible country submitted cards "
                    .. "card status error total submitted cards submitted cards statuses "
                    .. "explained error usually happens log calendar view period than days "
                    .. "then delete which causes timecard switch error fix add back deleted "
                    .. "delete entire timecard right hand side menu recreate again rejected "
                    .. "card rejected by approvers please card entries accordingly resubmit "
                    .. "entered status timecard few days entire timecard entered saved cards "
                    .. "status has passed entered validation gone next submission step card "
                    .. "issues resolve please wait corresponding resolutions",
            },
            {source = "written", summary = "Leaver",
                details = "Please deactivate Sam's fob, he left on Friday."},
            {source = "written", summary = "Printer door",
                details = "The side door of the printer won't close."},
            {source = "written", summary = "Teams badge",
                details = "The red notification badge on Teams won't go away."},
            {source = "written", summary = "Build server warning",
                details = "Getting a host key fingerprint warning when I connect over SSH."},
            {source = "written", summary = "Fingerprint",
                details = "My laptop's fingerprint reader stopped working after the update."},
            {source = "written", summary = "Card printer",
                details = "The access card printer in reception is jammed again."},
        },
    },
}
