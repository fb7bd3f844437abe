-- Printer problem: a printer that does not print, jams, is out of toner or reports an error.
return {
    name = "Printer problem",
    status = "active",
    scope = "all",
    trigger = "A printer or copier does not print, shows an error or alert (jam, toner, tray, "
        .. "duplex unit), or someone cannot print or scan.",
    match = {
        any = {"printer*", "cant print", "cannot print", "unable to print", "not printing",
            "print queue", "printing problem*", "paper jam", "jam", "jammed", "toner",
            "cartridge*", "copier", "scan to email", "duplex unit", "paper tray"},
        none = {"please consider environment print*", "consider the environment before print*",
            "print screen", "printscreen", "new purchase", "purchased", "fingerprint*",
            "blueprint*", "footprint*"},
    },
    instructions = [[
1. Identify the printer (name, location, model) from the ticket or the client's assets.
2. For an automatic alert (tray, toner, duplex unit), check whether the printer is still
   reporting the fault; many clear themselves once paper is loaded.
3. For a user who cannot print: check the print queue for stuck jobs, whether others on the same
   printer are affected, and whether the printer is online.
4. Order toner or a part when needed, or book the printer vendor for a hardware fault.
5. Reply with the outcome; for a shared printer, tell the office when it works again.
]],
    steps = {
        {tool = "halo.list_client_assets",
            arguments = {client_id = "{ticket.client.id}", search = "printer"},
            purpose = "Identify the printer and whether it has a maintenance contract."},
        {tool = "print.get_queue", kind = "read",
            arguments = {printer = {ask = "the printer's name or address"}},
            purpose = "Look for stuck jobs and the printer's reported status."},
        {tool = "print.clear_queue", kind = "write",
            arguments = {printer = {ask = "the printer's name or address"}},
            purpose = "Clear stuck jobs so new ones print."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "We are looking at the printer; please tell us if others are "
                    .. "affected too."},
            purpose = "Ask whether the fault affects everyone on that printer."},
    },
    samples = {
        match = {
            {
                id = "endava-00012",
                summary = "device recovery report printer alert duplex unit is not set",
                details = "device recovery report printer duplex unit printer details "
                              .. "detected tray tray copier details detected tray scanner "
                              .. "ready details model name device name comment host name "
                              .. "printer name print name file name printer name zone name "
                              .. "name computer name share name device printer printer "
                              .. "notified",
            },
            {
                id = "endava-00949",
                summary = "device recovery report paper at internal path",
                details = "device recovery report path printer ready details copier "
                              .. "ready details scanner ready details model name device name "
                              .. "comment floor host name name print name file name printer "
                              .. "name zone name name computer name share name device notified",
            },
            {
                id = "endava-02620",
                summary = "device recovery report paper at internal path th floor",
                details = "device recovery report path printer details tray copier "
                              .. "details tray scanner ready details model name device name "
                              .. "comment floor host name name print name file name printer "
                              .. "name zone name name computer name share name device notified",
            },
            {
                source = "written",
                summary = "Printer jammed on 2nd floor",
                details = "The HP printer on the 2nd floor says Paper Jam in Tray 2 and"
                              .. " nothing prints.",
            },
            {
                source = "written",
                summary = "Can't print to Canon",
                details = "I cannot print since this morning, jobs are stuck in the queue.",
            },
        },
        no_match = {
            {
                id = "endava-03919",
                summary = "new purchase po allocation",
                details = "purchase po dear purchased label printer brother please log "
                              .. "allocation after receive item please take consideration "
                              .. "mandatory receipts section order receive item ordered how "
                              .. "video link please advise training kind regards administrator",
            },
            {
                id = "endava-00758",
                summary = "sn access problem",
                details = "tuesday pm sn problem hi sd getting attached error logging "
                              .. "sn please unlock kind regards fin building floor street se "
                              .. "please consider environment printing regarded confidential "
                              .. "received error please notify destroy immediately statements "
                              .. "intent shall become binding confirmed hard copy by signatory"
                              .. " contents relate dealings other companies under control "
                              .. "details which found",
            },
            {
                id = "endava-03155",
                summary = "upgrading en to windows",
                details = "upgrading hi please provide steps upgrading asking because "
                              .. "tray regarding upgrading out way forcing thanks senior test "
                              .. "consultant",
            },
            {
                source = "written",
                summary = "Print screen of error",
                details = "Attached a print screen of the error in Excel.",
            },
        },
    },
}
