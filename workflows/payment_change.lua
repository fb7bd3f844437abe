-- Bank or payment details: a change to where money is paid, for a supplier, a customer's
-- direct debit or someone's salary. Changed bank details are a common route of invoice fraud,
-- so the requester's identity is checked first and the change is confirmed through a known
-- contact before anyone makes it.
return {
    name = "Bank or payment details change",
    status = "active",
    scope = "all",
    sensitive = "payment_change",
    trigger = "Someone asks for bank details, a direct debit, a payee or where a salary is paid "
        .. "to be changed or set up.",
    match = {
        all = {
            {"bank*", "bnak*", "account number*", "sort code*", "iban", "swift", "bic",
                "direct debit*", "standing order*", "payee*", "remittance", "payment detail*",
                "payment info*", "salary", "wages", "pay into", "paid into", "bacs",
                "routing number*"},
            {"change*", "chnge", "chang", "update*", "new", "replace*", "switch*", "move*",
                "different", "amend*", "correct*", "set up", "setup", "goes", "go to"},
        },
        none = {"website", "web site", "online banking", "banking app", "bank app",
            "bank holiday*", "card reader", "statement*"},
    },
    instructions = [[
1. Treat this as sensitive: a request to change bank or payment details is a common route
   of invoice and payroll fraud. Verify the requester's identity through a channel an
   attacker cannot control (a call back to the number on file, never one given in the
   ticket) before anything is changed.
2. Confirm the change with the payee or the account owner on contact details already on
   file, and with the client's finance contact, as the client's process requires.
3. Bank details are changed in the finance system by the client's finance team or a
   technician they authorise, never from the ticket's text alone.
4. Reply with what happens next, without repeating any account numbers.
]],
    steps = {
        {tool = "halo.get_user", arguments = {user_id = "{requester.id}"},
            purpose = "Confirm the requester and the contact details on file for a call back."},
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the requester asked for other payment changes recently."},
    },
    samples = {
        match = {
            {source = "written", summary = "Direct debit",
                details = "I was wondering whether you could change the direct debit to our "
                    .. "Santander account?"},
            {source = "written", summary = "Bank",
                details = "How do we update the bank account you pay refunds into? It's "
                    .. "changed to a new one."},
            {source = "written", summary = "Help", details = "pls chnge bnak detials"},
            {source = "written", summary = "Salary",
                details = "Can you change where my salary goes? I have a new account."},
        },
        no_match = {
            {
                id = "endava-03693",
                summary = "new address com",
                details = "dear short summary explain generic called rd party application "
                    .. "called application connecting banks supplier statements going "
                    .. "supplier done automated supplier triggered mentioning supplier which "
                    .. "were paid same purpose well fine other configuration has done side "
                    .. "order process rely experience additional information please hesitate "
                    .. "resolution highly appreciated thank wish wonderful lead",
            },
            {
                id = "endava-00220",
                summary = "new delivery intend",
                details = "intend hello teams received intend po invoice po invoice please "
                    .. "advise please log receiving items kind regards engineer ext",
            },
            {source = "written", summary = "Bank website",
                details = "Our bank's website won't load in Chrome."},
            {source = "written", summary = "Invoice",
                details = "Please forward this invoice to our accounts team."},
            {source = "written", summary = "Closed Monday",
                details = "The office is closed for the bank holiday, please move my "
                    .. "laptop collection to Tuesday."},
        },
    },
}
