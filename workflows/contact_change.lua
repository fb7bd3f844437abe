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
        },
        none = {"signature", "distribution list*", "spam", "phishing", "scam", "blocked sender*",
            "remove*", "delete*", "new starter*", "new joiner*", "new user*", "new phone"},
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
        },
        no_match = {
            {source = "written", summary = "Phishing",
                details = "I got a phishing email from an address I don't know."},
            {source = "written", summary = "New phone",
                details = "I got a new phone, how do I set up Outlook on it?"},
            {source = "written", summary = "Signature",
                details = "Please update the phone number in my email signature."},
        },
    },
}
