-- Contact details: a change to the phone number or e-mail address used to reach or verify
-- someone. Whoever controls the new number or address receives the next identity check or
-- reset code, so the requester's identity is checked on the details already on file first.
return {
    name = "Contact details change",
    status = "active",
    scope = "all",
    sensitive = "contact_change",
    trigger = "Someone asks for the phone number, mobile number or e-mail address on file for "
        .. "them, or for a colleague, to be changed or added.",
    -- A phone number or address that is not someone's own detail on file is no request ("the
    -- phone number on our website footer", "the address the scanner sends to"), so the rules
    -- need the detail, a change and whose it is. There is no exclusion list: a word anywhere
    -- in the ticket ("new phone", "delete") would switch the identity check off for the
    -- request around it.
    match = {
        all = {
            {"phone number*", "mobile number*", "mobile no", "cell number*",
                "contact number*", "telephone number*", "number on file", "my number",
                "email address*", "e mail address*", "recovery email*", "recovery e mail*",
                "personal email*", "personal e mail*", "alternate email*",
                "alternative email*", "backup email*", "contact detail*", "contact info*",
                "home address", "postal address"},
            {"change*", "changed", "update*", "new", "replace*", "different", "amend*",
                "correct*", "use", "switch*", "add*", "set"},
            {"my phone*", "my mobile*", "my cell*", "my number", "my telephone*",
                "my contact*", "my email address*", "my e mail address*", "my personal*",
                "my recovery*", "my alternate*", "my alternative*", "my backup*", "my home",
                "my postal*", "my address", "my details", "my account", "my profile",
                "for me", "on file", "on record", "on my account", "on the account",
                "for my account", "her phone*", "her mobile*", "her number",
                "her email address*", "his phone*", "his mobile*", "his number",
                "his email address*", "their phone*", "their mobile*", "their number",
                "their email address*",
                "for password reset*", "reset code*", "verification code*", "security code*",
                "sign in code*", "mfa", "2fa", "authenticat*"},
        },
    },
    instructions = [[
1. Treat this as sensitive: the phone number and e-mail address on file are what identity
   checks and reset codes go to. Verify the requester's identity on the details already on
   file, never on the new ones given in the ticket, before anything is changed.
2. A change for someone else needs that person's, or their manager's, confirmation in the
   ticket.
3. A technician updates the details in HaloPSA and in the directory (and the sign-in methods
   only through the MFA reset process), and records the old and new details in a hidden note.
4. Reply to the requester on the old details that the change was made.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "See the phone number and e-mail address on file to verify the requester."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the requester asked for other account changes recently."},
    },
    samples = {
        match = {
            {source = "written", summary = "New mobile",
                details = "My mobile number has changed, please update it to 07700 900123."},
            {source = "written", summary = "Contact details",
                details = "Can you change the phone number on my account? I have a new one."},
            {source = "written", summary = "Email",
                details = "Please use my personal email for the password reset codes from now "
                    .. "on."},
            {source = "written", summary = "Mobile",
                details = "How do I change the mobile number you have on file for me? I got a "
                    .. "new phone."},
        },
        no_match = {
            {
                id = "endava-05180",
                summary = "quarantine issues",
                details = "sent monday re you have same for also regards sent re you have dear "
                    .. "address still being quarantined can you please verify if address set "
                    .. "safe for users thanks sent re you have thanks regards sent you have "
                    .. "hi please be advised we have added bellow approved senders list "
                    .. "should reach your mailbox if there anything we can assist with "
                    .. "please let know thank you analyst ext hub sent monday you have hi "
                    .. "there have manually released these but cannot option add or domain "
                    .. "list safe addresses please advice same for number other working "
                    .. "regards sent you have dear you have confluence always training re "
                    .. "confluence kb confluence always confluence kb confluence always "
                    .. "agile process confluence kb confluence always confluence kb "
                    .. "confluence always tooling confluence kb confluence always monitoring "
                    .. "confluence confluence kb confluence always confluence kb confluence "
                    .. "always ceremonies confluence kb confluence always point po "
                    .. "confluence confluence kb confluence always point po confluence kb "
                    .. "confluence always point po confluence kb confluence always "
                    .. "confluence kb confluence always monitoring confluence confluence kb "
                    .. "confluence always point po confluence confluence kb confluence "
                    .. "always confluence kb confluence always confluence kb confluence "
                    .. "always ceremonies confluence kb confluence always monitoring "
                    .. "confluence confluence kb confluence always point po confluence kb "
                    .. "confluence always confluence kb confluence always ceremonies "
                    .. "confluence kb confluence always tooling confluence confluence kb "
                    .. "confluence always ceremonies confluence kb be deleted automatically "
                    .. "after days you can change frequency these within your portal log",
            },
            {
                id = "endava-02099",
                summary = "request access to network for has been assigned to ms local support",
                details = "has assigned hello more transfer add user computer because user "
                    .. "thank engineer thursday december pm has assigned hello please "
                    .. "advised record number has assigned please review details take "
                    .. "appropriate action reference number details requested location "
                    .. "summary additional comments requirements requested hello transferred "
                    .. "bench december st he must these lists he also has changed thank "
                    .. "assistance assign reference assignment summary location please link "
                    .. "kind regards please ref msg",
            },
            {source = "written", summary = "Phishing",
                details = "I got a phishing email from an address I don't know."},
            {source = "written", summary = "New phone",
                details = "I got a new phone, how do I set up Outlook on it?"},
            {source = "written", summary = "Signature",
                details = "Please update the phone number in my email signature."},
            {source = "written", summary = "Website",
                details = "Please update the phone number shown on our website footer to the "
                    .. "new reception line."},
        },
    },
}
