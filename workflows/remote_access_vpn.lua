-- VPN or remote access problem: someone cannot reach company systems from outside the office.
return {
    name = "VPN or remote access problem",
    status = "active",
    scope = "all",
    trigger = "Someone cannot connect to the VPN or remote desktop, or asks for remote access "
        .. "to work from home or a client site.",
    match = {
        any = {"vpn", "remote access", "remote desktop", "rdp", "remote connection",
            "connect remotely", "remote session", "connection issues while working",
            "client side link", "work from home", "wfh", "citrix",
            "anyconnect", "forticlient", "globalprotect", "always on vpn", "direct access",
            "remote desktop gateway", "remote app"},
        none = {"remote control of the printer"},
    },
    instructions = [[
1. Find out whether it is one person or everyone: several tickets at once point to the VPN
   gateway, not the user.
2. Check the requester is in the remote-access group and their account is not locked or expired
   (a password change often breaks saved VPN credentials).
3. For a new request, remote access needs the manager's approval in the ticket.
4. Walk the requester through reconnecting (client version, internet connection, saved
   credentials) and reply with the outcome.
]],
    steps = {
        {tool = "halo.list_user_tickets", arguments = {user_id = "{requester.id}"},
            purpose = "See whether the requester reported the same problem recently."},
        {tool = "ad.get_group_membership", kind = "read",
            arguments = {user = "{requester.email}"},
            purpose = "Confirm the requester is in the remote-access group."},
        {tool = "vpn.get_gateway_status", kind = "read",
            arguments = {client_id = "{ticket.client.id}"},
            purpose = "Check whether the VPN gateway is up and how many users are connected."},
        {tool = "halo.reply",
            arguments = {ticket_id = "{ticket.id}",
                message = "Please tell us the error message and whether you can browse the "
                    .. "internet from where you are."},
            purpose = "Collect the error and rule out the requester's internet connection."},
    },
    samples = {
        match = {
            {
                id = "endava-00476",
                summary = "urgent remote connection",
                details = "urgent remote hi please assist urgently changes required "
                              .. "side critic given investigate memory leaks production which "
                              .. "remote via visual production please asap working weekend "
                              .. "appreciate sorted out tomorrow possible ports thanks",
            },
            {
                id = "endava-05428",
                summary = "connection issues",
                details = "sent tuesday july connection issues hello have connection "
                              .. "issues while working client side link connection type cable "
                              .. "en using applications excel word explorer very slow with "
                              .. "delays while moving mouse or clicking constant problem but "
                              .. "today slower than usual impacting our work same for "
                              .. "colleagues working problem have previously reported please "
                              .. "advise thank you senior analyst ext",
            },
            {
                source = "written",
                summary = "VPN not connecting",
                details = "FortiClient VPN says 'unable to establish the VPN "
                              .. "connection' since this morning.",
            },
            {
                source = "written",
                summary = "Remote Desktop to office PC",
                details = "Can't RDP to my office PC from home, I'm WFH today.",
            },
        },
        no_match = {
            {
                id = "endava-05063",
                summary = "connection issue tower",
                details = "sent friday connection issue tower hi have urgent call with "
                              .. "client for could establish phone connection busy error tried"
                              .. " connect meeting room also for application laptop really "
                              .. "embarrassing be able join client call could you please "
                              .. "investigate what caused disruption how can we avoid future "
                              .. "senior manager",
            },
            {
                id = "endava-02565",
                summary = "windows forced upgrade postponing",
                details = "re forced upgrade hi please postpone upgrade working "
                              .. "remotely client side connected wired computer connected "
                              .. "wired run upgrade wireless upgrade upon return st december "
                              .. "thank understanding friday december pm forced upgrade hello "
                              .. "everyone upgraded workstation thanking receptive disregard "
                              .. "months received announcements advising apply upgrade coming "
                              .. "back announce asking understand upgrading mandatory "
                              .. "possibility upgrade by kindly asking give action take more "
                              .. "than minutes apply upgrade please announcement attached file"
                              .. " after proceed upgrade forced upgrade procedure offices "
                              .. "means upgrade process automatically workstation stop process"
                              .. " advise press button stop process avoid loss important note "
                              .. "please understand responsibility backup files dependency "
                              .. "remain version please notify asap workstation having less "
                              .. "than free how please require assistance please article kb "
                              .. "view article kb subscription store files please make files "
                              .. "completely synchronized unlinking subscription please kb "
                              .. "more kb view article kb forced upgrade procedure physically "
                              .. "connected wired experience issues during upgrade process "
                              .. "please thank kind regards ext hub",
            },
            {
                id = "endava-05094",
                summary = "can access documents the",
                details = "hi till we feature was down working can you check send "
                              .. "update kind regards engineer en sent thursday can access "
                              .. "documents hello have following problem working connecting "
                              .. "using can access fine with one exception try download some "
                              .. "documents about offers constantly get message chrome took "
                              .. "too respond course tried also explorer but aforementioned "
                              .. "server where apparently actual files stored can be accessed "
                              .. "seems be either related connection or particular colleagues "
                              .. "work can apparently access files some examples files can "
                              .. "access these distributed agile distributed agile one owners "
                              .. "thanks lot manager for code quality en",
            },
            {
                source = "written",
                summary = "Wi-Fi slow in meeting room",
                details = "The Wi-Fi in the Everest meeting room is very slow.",
            },
        },
    },
}
