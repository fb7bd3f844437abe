-- Software installation: install an application, or assign the licence it needs.
return {
    name = "Software installation request",
    status = "active",
    scope = "all",
    trigger = "Someone asks for an application to be installed, upgraded or licensed on their "
        .. "computer, or an installation failed.",
    match = {
        any = {"install*", "reinstall*", "uninstall*", "setup of", "set up software",
            "software request", "software needed", "need software", "licen* request",
            "licen* for", "new licen*", "licen* issue", "licen* expired",
            "activate his subscription",
            "visual studio", "ms project", "office 365 install", "o365 install"},
        none = {"installed sensors", "installing these sensors", "new purchase po",
            "admin rights", "administrator rights", "local admin"},
    },
    instructions = [[
1. Identify the application, the version and the computer; check that the client allows it
   (approved software list) and who pays for the licence.
2. A paid licence needs the manager's approval in the ticket.
3. Install through the RMM's software deployment rather than a remote session where possible,
   so the install is recorded.
4. Assign the licence, and reply with how to start the application.
]],
    steps = {
        {tool = "halo.list_client_assets",
            arguments = {client_id = "{ticket.client.id}", user_id = "{requester.id}"},
            purpose = "Identify the requester's computer."},
        {tool = "rmm.list_installed_software", kind = "read",
            arguments = {device = {ask = "the computer's name"}},
            purpose = "See whether the application or an older version is already there."},
        {tool = "rmm.install_software", kind = "write",
            arguments = {device = {ask = "the computer's name"},
                package = {ask = "the application and version to install"}},
            purpose = "Install the application through the RMM."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "We will install the application; please confirm the version and "
                    .. "that your manager approves any licence cost."},
            purpose = "Collect the version and the licence approval."},
    },
    samples = {
        match = {
            {
                id = "endava-00296",
                summary = "install request",
                details = "install dear please ticked based installing thank engineer",
            },
            {
                id = "endava-04816",
                summary = "view",
                details = "view hello please help install view help rights thanks "
                              .. "programme portfolio officer",
            },
            {
                id = "endava-01048",
                summary = "visual studio",
                details = "visual studio la visual studio professional fie cheers",
            },
            {
                source = "written",
                summary = "Install Adobe Acrobat Pro",
                details = "Please install Adobe Acrobat Pro on LAPTOP-0142, licence "
                              .. "approved by my manager.",
            },
            {
                source = "written",
                summary = "Teams won't install",
                details = "Re-install of MS Teams failed with error 0x80070005.",
            },
        },
        no_match = {
            {
                id = "endava-03587",
                summary = "install for project member no admin rights",
                details = "re hi tried steps rights part cannot install copy run "
                              .. "installed wants change well install give rights thanks "
                              .. "wednesday november hello please advised granted requested "
                              .. "permissions application installed machine icon present "
                              .. "search via otherwise please attached bits order reinstall "
                              .. "run search icon tray content themes images tutorials setup "
                              .. "right icon connect credentials please test resources via let"
                              .. " works properly ever required renew certificate program "
                              .. "files attached issues please provide logs program files log "
                              .. "further investigation thank kind regards analyst ext hub",
            },
            {
                id = "endava-04000",
                summary = "temperature humidity flood sensors server room",
                details = "wednesday november pm temperature humidity flood sensors "
                              .. "room importance high hi supporting certification auditor "
                              .. "noticed temperature humidity flood sensors installed room "
                              .. "physically installing these sensors speak auditor wants "
                              .. "these sensors monitored means show him by tomorrow morning "
                              .. "report observation doable looking forward kind regards "
                              .. "information consultant",
            },
            {
                id = "endava-03919",
                summary = "new purchase po allocation",
                details = "purchase po dear purchased label printer brother please log "
                              .. "allocation after receive item please take consideration "
                              .. "mandatory receipts section order receive item ordered how "
                              .. "video link please advise training kind regards administrator",
            },
            {
                source = "written",
                summary = "Need local admin",
                details = "I need local admin rights to install my own tools.",
            },
        },
    },
}
