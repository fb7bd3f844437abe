-- Low disk space: a computer or server whose disk is (almost) full.
return {
    name = "Low disk space",
    status = "active",
    scope = "all",
    trigger = "A computer or server runs out of disk space (a full or almost full drive, a "
        .. "low disk space alert), often showing as slowness or failed updates.",
    match = {
        all = {
            {"disk*", "drive", "c drive", "hard drive", "hdd", "ssd", "volume", "partition"},
            {"full", "almost full", "free", "free up", "space", "low", "capacity", "no room",
                "out of space", "threshold"},
        },
        none = {"mailbox", "onedrive", "google drive", "flash drive", "usb drive",
            "network drive*", "shared drive access"},
    },
    instructions = [[
1. Identify the device from the ticket or the client's assets, and whether it is a user's
   computer or a server (a server alert is urgent: services stop when the disk fills).
2. Read the current free space and what uses it (temporary files, update caches, user
   downloads, logs, old profiles).
3. Clear temporary files and update caches; never delete user data or logs without the owner's
   consent.
4. When the disk is simply too small, propose a larger disk or moving data to the file server
   or OneDrive.
5. Reply with how much space was freed and what to avoid in future.
]],
    steps = {
        {tool = "halo.list_client_assets",
            arguments = {client_id = "{ticket.client.id}", user_id = "{requester.id}"},
            purpose = "Identify the computer or server with the full disk."},
        {tool = "rmm.get_disk_usage", kind = "read",
            arguments = {device = {ask = "the device's name"}},
            purpose = "Read the free space per drive and the largest folders."},
        {tool = "rmm.run_disk_cleanup", kind = "write",
            arguments = {device = {ask = "the device's name"}},
            purpose = "Clear temporary files and update caches."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "We are freeing disk space on your computer; it may restart once."},
            purpose = "Warn the requester before the clean-up runs."},
    },
    samples = {
        match = {
            {
                id = "endava-05194",
                summary = "laptop is very slow and constantly not responding",
                details = "laptop very slow keep getting non responsive even if try "
                              .. "open goes responding most if look task manager disk busy "
                              .. "with barely any open browser for drive was also almost full "
                              .. "last week had visual studio free up bit but need reinstall "
                              .. "some point permanent solution know if needs upgrading or "
                              .. "replacing but someone needs look into getting frustrating "
                              .. "inefficient work with",
            },
            {
                id = "endava-00745",
                summary = "external needed for a few days",
                details = "needed few days hi download files azure currently free hard "
                              .. "drive appreciate provide hard drive couple days thank "
                              .. "regards senior infrastructure engineer infrastructure "
                              .. "upcoming holiday none id",
            },
            {
                source = "written",
                summary = "C: drive full",
                details = "Low disk space warning on my laptop, the C: drive has 200 MB"
                              .. " free.",
            },
            {
                source = "written",
                summary = "SRV-FS01 disk alert",
                details = "Monitoring: volume D: on SRV-FS01 is below the 5% free space"
                              .. " threshold.",
            },
        },
        no_match = {
            {
                id = "endava-03921",
                summary = "network drives through",
                details = "drives hello please log assign queue helping reconnect "
                              .. "drives thank best regards senior engineer",
            },
            {
                id = "endava-04055",
                summary = "new purchase po md",
                details = "purchase po dear purchased requested by flash drive verbatim"
                              .. " store please log allocation after receive item please take "
                              .. "consideration mandatory receipts section order receive item "
                              .. "ordered how video link kind regards administrator",
            },
            {
                id = "endava-00891",
                summary = "mailbox is full",
                details = "mailbox hello please assist receive anymore thank sp tar "
                              .. "shared officer ext st emergency number mailbox importance "
                              .. "high mailbox mb mb size maximum size mailbox messages please"
                              .. " reduce mailbox size delete items mailbox empty deleted "
                              .. "items folder",
            },
            {
                source = "written",
                summary = "OneDrive not syncing",
                details = "My OneDrive stopped syncing, it says there is a problem with"
                              .. " the drive.",
            },
        },
    },
}
