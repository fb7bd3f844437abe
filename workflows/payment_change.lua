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
    -- "Bank", "salary" or "new" alone is no request ("our bank changed its app", "the new
    -- wages spreadsheet"), so the rules need the details money is paid to together with a
    -- change of them. There is no exclusion list: a word anywhere in the ticket ("statement",
    -- "bank holiday") would switch the identity check off for the request around it.
    match = {
        all = {
            {"bank detail*", "bank account*", "bank info*", "banking detail*", "bnak*",
                "account number*", "account detail*", "sort code*", "iban", "swift", "bic",
                "direct debit*", "standing order*", "payee*", "remittance", "payment detail*",
                "payment info*", "payment account*", "bacs", "routing number*", "new bank",
                "different bank", "other bank", "bank to", "salary paid", "salary goes",
                "salary go", "salary to", "salary into", "where my salary", "where my wages",
                "wages paid", "wages go*", "wages to", "wages into", "salary account*",
                "wages account*", "pay into", "paid into"},
            {"change*", "chnge", "chang", "update*", "replace*", "switch*", "move*", "amend*",
                "correct*", "set up", "setup", "goes", "go to", "new account*", "new bank*",
                "new details", "new iban", "new sort code*", "new one", "different account*",
                "different bank", "other account*", "instead"},
        },
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
            {source = "written", summary = "Direct debit",
                details = "Could you change the direct debit to our Santander account? "
                    .. "Statements attached."},
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
            {source = "written", summary = "Wages spreadsheet",
                details = "The new wages spreadsheet gives #REF errors in column F."},
            {source = "written", summary = "Bank app",
                details = "Our bank changed its app, the new one won't install on my phone."},
        },
    },
}
