-- Unit cases of the sensitive-ticket policy (config/policies/sensitive.lua): tickets written for
-- this test (none comes from tests/data), the risk signals, the settings, bad input and the
-- cost of a long ticket.
--
--   lua5.4 tests/policies/sensitive_cases.lua [--root DIR]
--
-- Prints one line per failed check and a closing count. The exit status is 0 only when every
-- check passed.

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local root = script_folder .. "/../.."
if arg[1] == "--root" and arg[2] ~= nil then
    root = arg[2]
elseif arg[1] ~= nil then
    io.stderr:write("sensitive_cases.lua: unknown argument '", arg[1], "'; use --root DIR\n")
    os.exit(2)
end

local sandbox = dofile(script_folder .. "/sandbox.lua")
local policy_path = root .. "/config/policies/sensitive.lua"
local policy = sandbox.load_policy(policy_path)

local passed, failed = 0, 0

local function check(name, condition, detail)
    if condition then
        passed = passed + 1
    else
        failed = failed + 1
        print(string.format("FAIL %s%s", name, detail and (": " .. detail) or ""))
    end
end

-- Returns the codes of a result's signals as a set.
local function signal_set(result)
    local set = {}
    for _, signal in ipairs(result.risk.signals) do
        set[signal.code] = signal
    end
    return set
end

------------------------------------------------------------------------------------------------
-- Tickets: {summary, details, sensitive, reason (optional), source (optional)}
------------------------------------------------------------------------------------------------

local TICKETS = {
    -- Password resets, including typos, colleagues and hand-overs.
    {"Forgotten password",
        "Hi, I've forgotten my password for the payroll system, can you reset it please?",
        true, "password_reset"},
    {"pasword reset",
        "Need my passwrod reset for the CRM, it won't let me in", true, "password_reset"},
    {"Can't log in",
        "I can't log in to my laptop this morning, it says the password is incorrect.",
        true, "password_reset"},
    {"Reset for Dave",
        "Dave in warehouse has forgotten his login for the stock system. Please reset and "
        .. "send me the temp password.", true, "password_reset"},
    {"Guest wifi password",
        "What's the guest wifi password? We have visitors at 2pm.", true, "password_reset"},
    {"Xero",
        "Please send me the login details for the shared Xero account, I'm covering for "
        .. "Jane.", true, "password_reset"},
    {"PIN for the printer release",
        "I've forgotten my print release PIN, could you set a new one?", true, "password_reset"},
    {"Password expired",
        "My password expired over the weekend and now I can't get in to anything. Please "
        .. "help!", true, "password_reset"},
    -- Unlocks and extensions.
    {"Account locked",
        "I've locked myself out after too many attempts. Please unlock my account.",
        true, "account_unlock"},
    {"Re-enable Sam's login",
        "Sam is back from parental leave on Monday, please re-enable her account.",
        true, "account_unlock"},
    {"Extend contractor access",
        "Mike's contract is extended to 31 March, please extend his account so it doesn't "
        .. "expire on Friday.", true, "account_unlock"},
    -- MFA.
    {"Lost phone - MFA",
        "I lost my phone with the authenticator app on it. Please reset my MFA so I can set "
        .. "it up on the new one.", true, "mfa_reset"},
    {"2FA codes not coming through",
        "My 2FA text codes stopped arriving since I changed network. Can you sort it?",
        true, "mfa_reset"},
    {"Temporary access code",
        "Could you generate a one-time bypass code? My Yubikey is at home.", true, "mfa_reset"},
    -- New accounts.
    {"Starter next week",
        "Laura Green joins Accounts on the 3rd. Please set her up with email, Teams and "
        .. "access to the finance drive.", true},
    {"Create a test account",
        "We need a test user in the staging tenant for the supplier's QA team.",
        true, "new_account"},
    {"Login for the auditor",
        "The external auditor arrives Tuesday, please create a guest account for her with "
        .. "read access to the audit folder.", true},
    {"Shared mailbox for the new project",
        "Can you create a mailbox projects@ for the Hartley project team?", true},
    -- Access grants.
    {"Access to the Finance share",
        "Can I get access to the Finance share please? My manager has approved it.",
        true, "access_grant"},
    {"Add me to the sales team channel",
        "Please add me to the Sales channel in Teams.", true, "access_grant"},
    {"VPN",
        "I'll be working from home from next week, could you set up VPN access for me?",
        true, "access_grant"},
    {"SharePoint permissions for Raj",
        "Please give Raj edit permissions on the Marketing SharePoint site.", true, "access_grant"},
    {"Same rights as Tom",
        "New team member Priya needs the same access as Tom on the shared drives.", true},
    {"Allow emails from our new supplier",
        "Can you whitelist supplierco.example? Their quotes keep going to junk.",
        true, "access_grant"},
    {"Open port 3389",
        "Please open port 3389 on the firewall for our developer's IP.", true, "access_grant"},
    {"Export of the customer list",
        "Please export all customer records from the CRM and send them to me, I need them "
        .. "for the new agency.", true, "access_grant"},
    {"Add Jo to all-staff",
        "Jo started yesterday, please add her to the All Staff distribution list.", true},
    -- Admin rights.
    {"Admin rights",
        "Can you give me local admin on my PC so I can install drivers?", true, "admin_rights"},
    {"Make Kim owner",
        "Please make Kim an owner of the Finance team in Teams.", true, "admin_rights"},
    -- Physical access.
    {"New door fob",
        "My door fob stopped working, can I get a replacement?", true, "physical_access"},
    {"Visitor passes",
        "Please set up three visitor badges for the auditors arriving Monday.",
        true, "physical_access"},
    -- Payments.
    {"Updated bank details",
        "Please note we have changed banks. Our new sort code is 00-00-00, account "
        .. "12345678. Please update your records before paying the next invoice.",
        true, "payment_change"},
    {"Payroll account change",
        "I've opened a new bank account, can you change where my salary is paid?",
        true, "payment_change"},
    -- Mail forwarding and delegation.
    {"Forward my mail",
        "While I'm on leave please forward all my emails to my gmail address.",
        true, "mail_forwarding"},
    {"Leaver mail",
        "Gary left on Friday. Please set up forwarding of his emails to Sue.",
        true, "mail_forwarding"},
    {"Access to accounts@ mailbox",
        "Please give Chris full access to the accounts@ shared mailbox.", true, "mail_delegation"},
    {"Send on behalf",
        "Can I get send on behalf rights for the director's mailbox?", true, "mail_delegation"},
    {"Calendar access",
        "Please give my new assistant access to my calendar and inbox.", true, "mail_delegation"},
    -- Contact details on file.
    {"New mobile number",
        "I have a new mobile number, please update it on my account so the verification "
        .. "texts go to it.", true, "contact_change"},

    -- Not sensitive: removals.
    {"Remove Pete from the HR group",
        "Pete moved to sales, please remove him from the HR security group.",
        false, "access_removal"},
    {"Leaver - disable account",
        "Anna leaves on Friday. Please disable her account and collect her laptop.",
        false, "access_removal"},
    {"Revoke guest access",
        "The consultants have finished, please revoke their guest accounts.",
        false, "access_removal"},
    {"Cancel lost card",
        "I lost my access card, please cancel it. I'll pick up a new one from facilities "
        .. "myself.", false},
    -- Not sensitive: how-to.
    {"How do I reset my own password?",
        "Is there a self-service page where I can change my password?", false, "how_to"},
    {"Where do I find the VPN client?",
        "I already have VPN access but my new laptop has no client. Where do I download it?",
        false, "how_to"},
    {"How to share a calendar", "How do I share my calendar with my team?", false, "how_to"},
    -- Not sensitive: notices, reports, faults.
    {"Your password expires in 5 days",
        "This is an automated message. Your password expires in 5 days. Change it with "
        .. "Ctrl+Alt+Del.", false},
    {"FW: password expiry", "FYI - got this reminder. Will change it later today myself.", false},
    {"Phishing?",
        "I got an email asking me to reset my password through a strange link. Looks like "
        .. "phishing, forwarding it to you.", false, "security_report"},
    {"VPN keeps dropping", "The VPN disconnects every 10 minutes since this morning.", false},
    {"Outlook asks for password",
        "Since I changed my password Outlook keeps prompting for it again and again.", false},
    {"Nobody can log in to the portal",
        "Nobody in the office can log in to the HR portal, error 500.", false},
    {"Printer jam", "The printer on floor 2 is jammed again.", false},
    {"New laptop", "My laptop is 6 years old, can I get a new one?", false},
    {"Monitor", "Can I have a second monitor for my desk?", false},
    {"Visio licence", "Could I have a Visio licence for network diagrams?", false},
    {"Install Zoom", "Please install Zoom on my laptop.", false},
    {"Annual leave", "Please record my annual leave for next Friday.", false},
    {"Invoice", "Attached is the invoice for the new headsets, please process.", false},
    {"Account unlocked now",
        "Ignore my earlier ticket, I remembered my password and I'm back in. No need to "
        .. "unlock anything.", false},
    {"MFA working again",
        "My authenticator works again after the update, you can close this.", false},
    {"Alert: account locked",
        "Alert: account svc-print locked out at 03:10 after failed attempts from PRINT01.", false},
    {"Meeting room booking",
        "I can't book the boardroom in Outlook, it says I don't have permission.", false},
    {"Teams channel",
        "Please create a channel called Q4 Planning in the Marketing team. We'll add "
        .. "members ourselves.", false},
    {"Disk space", "Drive C on my laptop is almost full.", false},

    -- More phrasings of requests.
    {"Read-only access for John",
        "Please grant John read-only access to the Q3 folder.", true, "access_grant"},
    {"Same permissions as Carlos",
        "Can you give Maria the same permissions as Carlos in the ERP?", true, "access_grant"},
    {"Delegate on my calendar",
        "Please set Anna as a delegate on my calendar.", true, "mail_delegation"},
    {"Boardroom screen",
        "Can I have the password for the boardroom screen?", true, "password_reset"},
    {"Router", "What is the admin password for the branch router?", true},
    {"Authenticator app broken",
        "Authenticator app stopped working after my phone upgrade.", true, "mfa_reset"},
    {"Turn off two factor",
        "Please turn off two-factor on my account, it's driving me mad.", true, "mfa_reset"},
    {"Locked out of Xero",
        "Locked out of Xero after too many attempts, help!", true, "account_unlock"},
    {"Intern account",
        "Our intern's account expires tomorrow, please extend it to the end of August.",
        true, "account_unlock"},
    {"New joiner Monday",
        "Tom Black joins on Monday and needs a laptop and an M365 licence.", true, "new_account"},
    {"Onboarding",
        "Please onboard Sarah Lee, she starts on 1 June in the warehouse.", true, "new_account"},
    {"AD account for contractor",
        "Create an AD account for the new network contractor please.", true, "new_account"},
    {"Finance group", "Please make Priya a member of the Finance group.", true, "access_grant"},
    {"Share folder with the client",
        "Can you share the Projects folder with our client at acme.example?", true, "access_grant"},
    {"Tender docs", "Need write access to the tender documents by 5pm.", true, "access_grant"},
    {"ID badge", "Lost my ID badge on the train, I need a new one.", true, "physical_access"},
    {"Supplier bank details",
        "Please change the bank details for ABC Ltd as per the attached letter.",
        true, "payment_change"},
    {"Auto reply and forward",
        "Set up an auto-reply and forward my mail to Jane while I'm away.",
        true, "mail_forwarding"},
    {"Redirect info@",
        "Please redirect emails for info@ to my personal address.", true, "mail_forwarding"},
    {"Linda's mailbox",
        "Please give Mark access to Linda's mailbox while she's away.", true, "mail_delegation"},
    {"Phone number changed",
        "My phone number changed, please update it in the system so you can call me back.",
        true, "contact_change"},
    {"Alarm code for the cleaner",
        "Please give the new cleaner the alarm code for the side entrance.",
        true, "physical_access"},
    {"Unlock shared account",
        "Please unlock the reception login, it got locked overnight.", true, "account_unlock"},
    {"Admin on the CRM",
        "I need admin rights on the CRM to change the pipeline stages.", true, "admin_rights"},

    -- More that are not sensitive.
    {"Extension", "Please change my desk phone extension to 2231.", false},
    {"Factory reset",
        "Can you reset my old laptop to factory settings before I hand it back?", false},
    {"Password protected PDF", "A password protected PDF from a supplier won't open.", false},
    {"Teams signs me out", "Teams keeps signing me out every hour.", false},
    {"Wifi in meeting room 3",
        "Can't log in to the wifi in meeting room 3, everyone has the same problem.", false},
    {"Remove my access",
        "Please remove my access to the old CRM, I don't use it.", false, "access_removal"},
    {"Old test users",
        "Please delete the test users from last year's project.", false, "access_removal"},
    {"Out of office", "How do I set up my out of office?", false, "how_to"},
    {"Starter checklist", "Please send me the new starter checklist so I can prepare.", false},
    {"Board list", "Is John on the Board distribution list? Just checking before I send.", false},
    {"Account shows wrong title", "My account shows the wrong job title in Outlook.", false},
    {"Job title", "Please update my job title in the directory to Senior Buyer.", false},
    {"Laptop for Bob", "Please give Bob a laptop from the spare pool.", false},
    {"Purchase order", "Please approve the purchase order for three new laptops.", false},

    -- Third batch: requests in other words.
    {"Jane's password", "Can you reset Jane's password and send it to me?", true, "password_reset"},
    {"Staging server", "Please provide credentials for the new staging server.", true},
    {"Amazon Business", "I need the login for the Amazon Business account.", true},
    {"Account disabled",
        "My account has been disabled, can you turn it back on?", true, "account_unlock"},
    {"Reactivate John's email",
        "Please reactivate John's email account, he is back from leave.", true},
    {"Sign-in blocked", "Sign-in blocked on my Microsoft account since this morning.", true},
    {"Security key", "Please re-register my security key, I had to wipe it.", true, "mfa_reset"},
    {"VPN group", "Please add the new guy, Tim, to the VPN group.", true, "access_grant"},
    {"Email for the part-timer",
        "Set up email for our new part-timer who starts Wednesday.", true, "new_account"},
    {"Client folder",
        "Could you give my colleague access to the client folder?", true, "access_grant"},
    {"WordPress", "Can you make me an admin of the WordPress site?", true, "admin_rights"},
    {"Approve expenses",
        "Please give Mary rights to approve expenses for the team.", true, "access_grant"},
    {"Recovery codes", "Can you change the email address my recovery codes go to?", true},
    {"Server room tomorrow",
        "Can you let me into the server room tomorrow morning?", true, "physical_access"},
    {"Change my password",
        "Change my password please, I think someone saw me type it.", true, "password_reset"},

    -- Third batch: not sensitive.
    {"Password reset worked", "Password reset worked, thanks!", false},
    {"Python", "Do I need admin rights to install Python?", false},
    -- A list of who can read a folder is a copy of data the writer cannot read (RULE.md,
    -- boundary 17), so asking for it is sensitive.
    {"Who has access", "Can you tell me who has access to the HR folder?", true,
        "access_grant"},
    {"Access removed?", "Please confirm that John's access has been removed.", false},
    {"MFA enforcement", "Reminder: MFA will be enforced for all staff from Monday.", false},

    -- Fourth batch: longer mail, phone notes, forms, questions.
    {"Printer jammed", "Hi team, the printer on the 3rd floor is jammed again.\nThanks, Bob\n\n"
        .. "This email is confidential and intended solely for the addressee. IT will never ask "
        .. "for your password. If you received it in error please delete it.", false},
    {"RE: password", "Thanks, that's done.\n\n> On Monday Sarah wrote:\n> please reset my password "
        .. "for the CRM", false},
    {"Laptop won't boot", "Caller (Jim, Finance) rang to say his laptop won't boot. Advised to "
        .. "bring it in.", false},
    {"Voicemail PIN", "Caller asked for his voicemail PIN to be reset. Verified name only.", true,
        "password_reset"},
    {"New user request", "Request type: New user\nName: Alex Doe\nStart date: 2026-05-01\n"
        .. "Department: Sales\nEquipment: Laptop", true, "new_account"},
    {"Leaver form", "Request type: Leaver\nName: Alex Doe\nLast day: Friday\nForward email to: "
        .. "line manager", true, "mail_forwarding"},
    {"Users for Sales", "Please can you add the attached list of users to the Sales Teams.", true,
        "access_grant"},
    {"Budget spreadsheet", "Could you please grant me permission to edit the budget spreadsheet?",
        true, "access_grant"},
    {"Urgent!!", "The MD needs his account unlocked before the board meeting!!", true,
        "account_unlock"},
    {"pw", "hi can u reset my pw thx", true, "password_reset"},
    {"cant login to sage", "", true},
    {"Teams on my phone", "Can't sign into Teams on my phone, it says wrong password.", true},
    {"New starter", "Please set up a new starter: Jenny Li, Marketing, starts on the 12th.", true,
        "new_account"},
    {"Bob's MFA", "Reset Bob's MFA please, he has a new phone.", true, "mfa_reset"},
    {"Scanner account", "Please remove MFA from the shared scanner account.", true, "mfa_reset"},
    {"CFO travelling", "Our CFO is travelling and can't get into email - please reset and text me "
        .. "the temp password asap", true, "password_reset"},
    {"Sarah's OneDrive", "Give Sarah access to Bob's OneDrive, he has left.", true, "access_grant"},

    {"Starter laptops", "New starter laptop build - please image 3 laptops for next week.", false},
    {"Starter packs", "Please order two new starter packs for reception.", false},
    {"MFA on the VPN?", "Do we support MFA on the VPN?", false},
    {"Adobe licences", "How many Adobe licences do we have?", false},
    {"Printer on my laptop", "Please add a printer to my laptop.", false},
    {"New printer", "Please add the new printer to the network.", false},
    {"Xero still active?", "Can you check if my access to Xero is still active?", false},
    {"CRM slow", "My access to the CRM is very slow today.", false},
    {"Does Sarah have access?", "Does Sarah have access to the HR folder?", false},
    {"Forwarding policy", "Are we allowed to forward emails to personal accounts?", false},

    -- Fifth batch: implied requests and other objects.
    {"Intranet", "Hi, I'm new and don't have a login for the intranet yet.", true},
    {"Marketing drive",
        "Please could I be given access to the Marketing drive?", true, "access_grant"},
    {"Payroll system", "I require access to the payroll system from Monday.", true, "access_grant"},
    {"Sales tracker", "Requesting edit rights on the Sales tracker.", true, "access_grant"},
    {"Enable my account",
        "Can you enable my account? It says it is disabled.", true, "account_unlock"},
    {"Car park", "Need a new key fob for the car park barrier.", true, "physical_access"},
    {"WiFi key", "Please send me the WiFi key for the warehouse.", true, "password_reset"},
    {"Front door",
        "What's the code for the front door at the Leeds office?", true, "physical_access"},
    {"Standing order", "Please change the payee on the standing order to our new supplier.", true,
        "payment_change"},
    {"Remittance", "Our supplier sent new remittance details, please update them before the run.",
        true, "payment_change"},
    {"Copy my mail home", "Set up a rule to copy all my emails to my home address.", true,
        "mail_forwarding"},
    {"Tom's emails", "Can I see Tom's emails while he is off sick?", true, "mail_delegation"},

    {"Printer offline",
        "I don't have access to the printer on the 3rd floor, it says offline.", false},
    {"Access works", "Thanks for giving me access, it works now.", false},
    {"Remove Sam's admin",
        "Please remove Sam's admin rights on the file server.", false, "access_removal"},
    {"Own password", "Can I change my password myself?", false, "how_to"},
    {"Own account", "I can't log into my own account since this morning.", true, "password_reset"},

    -- Requests whose object and verb are in different sentences or forms, and what makes them
    -- safe.
    {"Lost pass", "Lost my building pass on the bus. Please cancel it and issue a new one.", true,
        "physical_access"},
    {"Bitwarden", "Please could I be added to the Finance collection in Bitwarden?", true,
        "access_grant"},
    {"Azure", "Can Jo be made a contributor on the Azure subscription?", true, "access_grant"},
    {"Switch off MFA", "Can you switch off MFA on my account while I'm abroad?", true, "mfa_reset"},
    {"Old MFA device", "Please remove my old phone as an MFA device.", true, "mfa_reset"},
    {"Let me in", "Could someone let me into the comms room at 7 tomorrow?", true,
        "physical_access"},
    {"Card found", "Found an access card in the car park, it's at reception now.", false},
    {"Mailbox full", "My mailbox is full, please increase the size.", false},
    {"Password warning",
        "Thanks for the reminder.\n\n> Your password expires tomorrow. Change it to avoid being "
        .. "locked out.", false},
    {"Locked out alert", "Alert: the account svc-scan was locked out at 02:14.", false},
    {"Changed it myself",
        "I changed my password this morning and now Outlook keeps asking for it.", false},
    {"Everyone locked out", "Nobody in the office can log in to the CRM since 9am.", false},
    {"Let me know", "Please let me know when the new laptops arrive.", false},

    -- Sign-in failures and requests in looser words: "won't let me in", "locked me out", a
    -- negation in an earlier clause, a disabled state, "can X have", mapping a drive, "put X
    -- in", a reported extension beside a request, where the salary goes, allowing a sender.
    {"Outlook", "Outlook won't let me in this morning", true, "password_reset"},
    {"Okta", "Okta locked me out, please help", true, "account_unlock"},
    {"Authy", "Authy codes don't work, please reset my 2FA", true, "mfa_reset"},
    {"Account disabled", "My login shows as disabled since Friday and I can't get on", true,
        "account_unlock"},
    {"Bookings", "Can Raj have access to the bookings folder?", true, "access_grant"},
    {"HR share", "Please map the HR share on Lee's laptop", true, "access_grant"},
    {"Payroll group", "Put Dominic in the Payroll group please", true, "access_grant"},
    {"Placement", "Jo's placement has been extended, please keep her login active to September",
        true, "account_unlock"},
    {"Wages", "Please change where my wages go from next month", true, "payment_change"},
    {"Supplier mail", "Please allow emails from bigsupplier.example, we keep missing their orders",
        true, "access_grant"},
    {"Drive gone", "My mapped drive has disappeared since the reboot", false},
    {"Printer room", "Please put the new printer in the Finance room", false},
    {"Leaver done", "The account was disabled as part of the leaver process, thanks", false},
    {"Codes again", "The app codes work again, please close this", false},

    -- Suspended accounts, failing sign-ins and codes, mail addresses for new people, invites,
    -- seeing or editing a container, mail sent on to someone, keys, and the faults, profile
    -- changes, stopped forwarding and locked files that look like them.
    {"Account suspended", "My email account has been suspended, please can you look into it",
        true, "account_unlock"},
    {"Login", "My login isn't working this morning", true, "password_reset"},
    {"Security code", "I'm not getting the security code when I log in", true, "mfa_reset"},
    {"Bookkeeper", "Could you create an email address for the new bookkeeper?", true,
        "new_account"},
    {"Marketing channel", "Please invite Carla from the agency to the Marketing channel", true,
        "access_grant"},
    {"Rota", "I need to be able to edit the Rota folder", true, "access_grant"},
    {"Tenders", "Can Priya view the Tenders share while I'm away?", true, "access_grant"},
    {"Greg on holiday", "While Greg is on holiday can his emails go to Sue?", true,
        "mail_forwarding"},
    {"Outlook password", "Outlook keeps asking for my password and the password is not accepted",
        true, "password_reset"},
    {"Bristol", "Can I get a key for the Bristol office?", true, "physical_access"},
    {"Teams", "Teams has locked me, it says too many attempts", true, "account_unlock"},
    {"Sage payroll", "Please add the new accountant to the Sage payroll", true, "access_grant"},
    {"VPN", "The VPN keeps disconnecting", false},
    {"MFA", "MFA has been working fine again since the update", false},
    {"Married", "Please change my surname on my account, I got married", false},
    {"Old Gmail", "Please stop forwarding my mail to my old Gmail", false},
    {"Spreadsheet", "Can you unlock the spreadsheet, Karen has it open", false},
    {"Rota again", "I can see the Rota folder now, thanks", false},

    -- HTML bodies, delegation "on my behalf", a removed end date, "can I get ... myself", capital
    -- letters, a deactivated account, a deleted authenticator with a how-to question; and
    -- empty form fields, faults, rooms, curious questions, callers claiming to be IT, orders
    -- for stock, products named like roles, accounts already made, quoted phishing, "I get",
    -- and settings switched back on.
    {"Assistant", "My assistant needs to send emails on my behalf", true, "mail_delegation"},
    {"Temp staying on", "<p>Tom's temp contract ends Friday but he's staying on.</p><p>Please "
        .. "remove the end date on his account.</p>", true, "account_unlock"},
    {"Printer drivers", "Can I get rights to install printer drivers myself?", true,
        "admin_rights"},
    {"DOOR FOB FOR NEW MANAGER", "NEW MANAGER STARTS MONDAY AND HAS NO FOB. PLEASE ISSUE ONE FOR "
        .. "THE 2ND FLOOR.", true, "physical_access"},
    {"Okta", "Okta says my status is deactivated after my leave. Please reactivate so I can "
        .. "work.", true, "account_unlock"},
    {"Authenticator gone", "I uninstalled the authenticator by accident and now I can't log in. "
        .. "How do I get it back?", true},
    {"Request", "<div>Hello</div><br>Unlock my account please</div>", true, "account_unlock"},
    {"Sales share", "Hi<br>Give Jo access to the Sales share<br>Thanks", true, "access_grant"},
    {"Form: Leaver", "Form: Leaver\nName: Kim Lowe\nDisable account: Yes\nForward email to: none",
        false},
    {"Citrix", "Citrix shows a blank screen after I log in, the sign-in itself works", false},
    {"Panel", "The alarm panel in the server room switched to fault mode at 02:00", false},
    {"Quick question about MFA", "Can the authenticator run on a tablet?", false},
    {"Phone call", "Caller reports someone phoned claiming to be IT and asked for his password. "
        .. "He refused.", false},
    {"Fobs", "Please order 10 spare door fobs for stock", false},
    {"Adobe Reader", "Please update Adobe Reader on the reception PC", false},
    {"Form: New Starter Kit", "Form: New Starter Kit\nName: Ana Silva\nItems: laptop, headset\n"
        .. "Accounts: already created", false},
    {"Phishing?", "Got this, phishing I think.\n> Subject: Urgent: reset your password\n> Click "
        .. "to reset your password now", false},
    {"MFA every time", "I get asked for MFA every time I open Teams. Is that normal?", false},
    {"Excel", "Please re-enable the macro setting in Excel", false},

    -- A lock-out the writer reports of themselves, changed banks, an opened port, "everything X
    -- has", mail sent to the writer's home, an assistant on the writer's calendar, a reset
    -- asked for after a how-to question; and a scam about banks, a question about being locked
    -- out, accounts already set up, a starter pack, an access report, a signature.
    {"Monday", "Sorry, I've been locked out again after the weekend", true, "account_unlock"},
    {"Cleaners", "Our cleaning contractor has changed banks, the new details are attached, please "
        .. "pay them there from now on", true, "payment_change"},
    {"Backup server", "Please get port 22 opened to the backup server", true, "access_grant"},
    {"Maya", "Maya is replacing Tom, she needs everything Tom has access to", true,
        "access_grant"},
    {"Time off", "Could you make my emails go to my home address while I'm off?", true,
        "mail_forwarding"},
    {"Assistant calendar", "Can my assistant view my calendar from today?", true,
        "mail_delegation"},
    {"New phone", "How do I get the authenticator onto my new phone? Or can you just reset it for "
        .. "me", true, "mfa_reset"},
    {"Supplier scam", "Got an email saying our supplier changed banks. Looks like a scam, I "
        .. "haven't replied.", false},
    {"Away", "Will I be locked out when my password expires while I'm away? Just want to know.",
        false},
    {"Laptop for Ravi", "Laptop for Ravi please, his accounts are already set up by HR", false},
    {"Onboarding", "Please send me the onboarding pack for new joiners", false},
    {"Access report", "Attached is the monthly access report, no changes needed", false},
    {"Logo", "Please add the company logo to everyone's email signature", false},

    -- "It" after a requested reset, clear or grant refers back to the object it names, unless a
    -- device, document or setting stands nearer or the verb asks for nothing sensitive.
    {"Sign-in codes", "The sign-in now wants a code from an app I never installed. Please clear "
        .. "it so I can start again.", true, "mfa_reset"},
    {"Scanner", "Nobody told me the scanner's PIN when I started here. Could you send it over?",
        true, "password_reset"},
    {"Cracked", "My password works fine but my laptop screen is cracked, please replace it",
        false},
    {"Visio", "My Visio licence expired last week, please renew it", false},
    {"Signing out", "Teams keeps signing me out when I enter my password. Please fix it.", false},

    -- A holder's own card that stops working, and a title-like first line under a vague
    -- summary; a reader that fails for everyone and a question about the card process.
    {"Fob not working", "", true, "physical_access"},
    {"Car park", "My fob stopped working on the car park gate this morning.", true,
        "physical_access"},
    {"Request", "access to finance drive", true, "access_grant"},
    {"New request", "new user - Jess Hart", true, "new_account"},
    {"Back door", "The card reader on the back door is not working for anyone.", false},
    {"Cards", "I'd like to better understand the process for access cards.", false},

    -- Accounts already made, the writer's own account added to a program, a password the
    -- team changed and announced, a company number on the website.
    {"Starter kit", "New starter on the 9th - laptop and dock only, accounts done by HR already",
        false},
    {"Work account on my phone", "Please add my Hotmail account to Outlook on my phone", false},
    {"Guest wifi", "FYI, we've changed the guest wifi password, the new one is at reception",
        false},
    {"Office number", "Our office phone number is changing next month, please update the website",
        false},
    {"My number", "My mobile number has changed, please update it so my sign-in texts arrive",
        true, "contact_change"},

    -- Someone's files handed to another, people added to a list after "to", an organisation, a
    -- firewall opened for an address; and moving one's own files, a team calendar.
    {"Leaver files", "Please copy all of Rachel's files to my OneDrive, she left yesterday", true,
        "access_grant"},
    {"New reps", "Please add the new sales reps to the Sales DL", true, "access_grant"},
    {"GitHub", "Add jsmith to the GitHub organisation please", true, "access_grant"},
    {"Supplier support", "Please allow 203.0.113.5 through the firewall for the supplier", true,
        "access_grant"},
    {"New laptop files", "Please move my files to the new laptop", false},
    {"Training", "Please add the training session to the team calendar", false},

    -- English as a second language: "user name" beside a failed password, a card that does
    -- "not open", "create user for Mr. X", "the mails of Peter".
    {"login", "cant log on, says user name or pasword incorect", true, "password_reset"},
    {"door", "my badge not open the door of 3rd floor since monday", true, "physical_access"},
    {"user", "Please create user for Mr. Jansen, he start next week in logistic", true,
        "new_account"},
    {"mailbox", "I need to see the mails of Peter while he is in holiday", true,
        "mail_delegation"},
    {"Strange mail", "Got a strange email asking for my password, I did not open the link. "
        .. "Reporting it.", false},

    -- Form fields declined with "No", "N/A" or nothing; a password change reported in passing;
    -- accounts that work fine; an account number with a supplier; a wifi access point. A field
    -- with a real value still counts.
    {"Form: Leaver", "Form: Leaver\nName: Jo Kerr\nDisable account: Yes\nForward email to: N/A\n"
        .. "Mailbox access for manager: No\nShared drive access for team:", false},
    {"Form: Software", "Form: Software Request\nSoftware: 7-Zip\nAdmin rights needed: No, IT to "
        .. "install", false},
    {"Projector", "The projector won't connect to my laptop. Not sure if related but my password "
        .. "was changed last week too.", false},
    {"Starters working", "The accounts for the two new starters work fine, they both logged in "
        .. "today.", false},
    {"Stationery", "What's our account number with the stationery supplier? Need it for an order",
        false},
    {"Kitchen", "The wifi access point in the kitchen has a red light", false},
    {"Form: Mover", "Form: Mover\nName: Jo Kerr\nNew team: Sales\nAccess needed: Sales share",
        true, "access_grant"},

    -- "Works fine ... but" takes the resolution back, and "it's wrong" refers to the password
    -- named before it; a change the writer made explains the failure.
    {"Citrix", "My password works fine in Outlook but Citrix says it's wrong", true,
        "password_reset"},
    {"Laptop", "MFA works fine on my phone but the laptop says my account is locked", true},
    {"Changed it", "I changed my password yesterday and now the printer says it's offline",
        false},

    -- "Admin" as a team or a job, mail the writer forwards, a mailbox migration, a badge
    -- printer; and admin rights, forwarding and a badge asked for.
    {"Admin team printer", "The admin team's printer needs new toner, can you order some?",
        false},
    {"Admin assistant", "Our new admin assistant Jo needs a desk phone", false},
    {"FW: supplier", "Forwarding this email from the supplier for your info, no action needed",
        false},
    {"Attachments", "Emails I forward to clients are arriving without attachments", false},
    {"Mailbox move", "When will my mailbox move to the new server?", false},
    {"Badge printer", "The badge printer in reception is jammed", false},
    {"Admin for Jo", "Our new assistant Jo needs admin rights on the booking system", true,
        "admin_rights"},
    {"Forward for Jo", "Please forward Jo's emails to the admin team while she is away", true,
        "mail_forwarding"},

    -- Phone notes and long mail: "would like X to be able to see her inbox", "can't remember the
    -- alarm code", "I'll need to get into their folder" after a fault about something else.
    {"Phone: Kim", "Kim would like Tom to be able to see her inbox while she is on leave.", true,
        "mail_delegation"},
    {"Phone: Jo", "Jo called from site, can't remember the alarm code, needs it now.", true,
        "physical_access"},
    {"A few things", "Morning! The coffee machine is broken again. Also I now manage the Leeds "
        .. "team, so I'll need to get into their shared folder. Thanks!", true},
    {"Own calendar", "I can't see my calendar on my phone since the update", false},

    -- Products and roles by name: Authy, a capitalised role, "create me a ... user", "add Jen
    -- as a user".
    {"Authy", "My Authy app stopped working after the phone update", true, "mfa_reset"},
    {"Azure", "Please assign me Contributor on the prod subscription", true, "access_grant"},
    {"Salesforce", "Please create me a Salesforce user", true, "new_account"},
    {"HubSpot", "Add Jen as a user in HubSpot please", true},
    {"Acrobat Reader", "Please update Acrobat Reader on my laptop", false},
    {"Logins report", "Can you create me a report of users who logged in last month?", false},

    -- Second factors in other words: a backup e-mail for resets, "can you move it for me" after
    -- a question, sign-in notifications that don't show, codes sent to the old number, "don't
    -- get the codes"; and a guide, a training session, a faulty card reader.
    {"Backup email", "Can you change the backup email on my Microsoft account to "
        .. "sam@personal.example?", true, "contact_change"},
    {"Swapping phones", "I'm swapping phones on Friday, what do I need to do about the "
        .. "authenticator? Can you move it for me?", true, "mfa_reset"},
    {"Phone prompts", "The approve sign-in notifications don't show on my phone anymore", true,
        "mfa_reset"},
    {"Old number", "My verification codes are going to my old number", true, "mfa_reset"},
    {"Network", "i dont get the text codes anymore since i changed network", true, "mfa_reset"},
    {"Guide", "Where's the guide for setting up the authenticator app?", false},
    {"Training", "Can we book MFA training for the new team?", false},
    {"Reader", "Access card problem: the card reader on floor 3 is beeping red", false},

    -- Cover for a colleague: a named person managing the writer's inbox, "I'll need his emails".
    {"Holiday cover", "Could Anna manage my inbox while I'm on holiday?", true, "mail_delegation"},
    {"Covering", "I'm covering for Mark next week, I'll need his emails", true, "mail_delegation"},
    {"Inbox rules", "How do I manage my inbox rules?", false},

    -- A lost or gone second factor and "get back in"; hardware tokens, passkeys and sign-in
    -- prompts switched off; against a lost phone replaced, a token that works again and a
    -- question about passkeys.
    {"Authenticator", "Lost my phone so the Microsoft Authenticator app is gone. Please help me "
        .. "get back in.", true, "mfa_reset"},
    {"Stolen phone", "My phone was stolen with the authenticator on it, please sort it", true,
        "mfa_reset"},
    {"Token", "My RSA token has died, can you issue a new one?", true, "mfa_reset"},
    {"Soft token", "Please send me a new soft token for the VPN", true, "mfa_reset"},
    {"Passkey", "I need my passkey reset", true, "mfa_reset"},
    {"Prompts", "Please disable the sign-in prompts on my phone, I keep getting codes", true,
        "mfa_reset"},
    {"Phone lost", "I lost my phone on the train, please order a replacement handset", false},
    {"Token works", "The RSA token works again, you can close this ticket", false},
    {"Passkeys", "Do we support passkeys for sign-in yet? Just curious", false},

    -- Secrets handed over: a BitLocker recovery key, an API key, a domain's EPP code; against
    -- a how-to about the key and a question about an API.
    {"Laptop", "BitLocker is asking for a recovery key, can you send it to me?", true,
        "password_reset"},
    {"Help", "Please send me the recovery key for my laptop", true, "password_reset"},
    {"API", "Please generate an API key for our CRM integration and email it to me", true,
        "password_reset"},
    {"Domain", "Please transfer our domain to the new registrar and send me the EPP code", true,
        "password_reset"},
    {"Own key", "How do I find my BitLocker recovery key myself in the portal?", false},
    {"API docs", "Where is the documentation for the CRM API? We want to know which fields it "
        .. "returns.", false},

    -- An Apple ID reset, and a sign-in blocked in other words.
    {"Apple ID", "Can you reset the Apple ID on my company iPhone", true},
    {"Blocked", "I'm blocked from signing in", true, "account_unlock"},
    {"Xero", "I'm locked out of Xero", true, "account_unlock"},
    {"Apple ID how", "How do I sign out of my Apple ID on the old iPad before returning it?",
        false},

    -- Mail and calendar delegated in plain words; against the writer's own mail.
    {"Mailbox", "Please let Sarah read my emails while I'm on leave", true, "mail_delegation"},
    {"Calendar", "Give my PA full control of my calendar and inbox", true, "mail_delegation"},
    {"Out of office", "While I'm away please have my emails go to my gmail account "
        .. "bob.personal@gmail.com", true, "mail_forwarding"},
    {"Own emails", "I can't read my emails on my phone since this morning, the app crashes",
        false},
    {"Meeting", "Please add the all-hands meeting to my calendar", false},

    -- Letters written with symbols, digits or look-alike letters of other scripts; against a
    -- mail address and a device name with digits.
    {"Pa$$word", "I forgot my p@ssword", true, "password_reset"},
    {"Dollars", "please reset my pa$$word", true, "password_reset"},
    {"Zero", "need my passw0rd reset", true, "password_reset"},
    {"Help", "p\208\176ssw\208\190rd r\208\181s\208\181t please", true, "password_reset"},
    {"\208\160\208\176ssword", "\209\129\208\176n you r\208\181set it", true,
        "password_reset"},
    {"Greek", "pl\206\181\206\177se reset my p\206\177ssw\206\191rd", true,
        "password_reset"},
    {"Address", "Please send the invoice to accounts@acme.example", false},
    {"Win10", "Upgrade PC w10pc to Windows 11 please, it's on 22H2", false},

    -- A lock-out described by its attempts, a person put on a system, a drive that someone needs
    -- mapped, mail sent on to an outside person, keys cut, a payment card changed, traffic let
    -- through a firewall, "full access"; against an automatic notice that needs no action, a
    -- fraud report, a reset the writer did, a handover someone reported, a negated forward,
    -- records and rules named "account" and "password", a printer, a shared calendar's event
    -- and an account's plan.
    {"Sign in", "I typed it wrong too many times and now it says try again in 30 minutes", true,
        "account_unlock"},
    {"Payroll system", "Could you get Hannah onto the payroll system before Friday?", true,
        "access_grant"},
    {"Sage", "Please set Omar up on Sage, he takes over purchase ledger", true, "access_grant"},
    {"Portal", "Can Nadia get onto the client portal? She joined the bids team", true,
        "access_grant"},
    {"S drive", "Leo needs the S drive mapped on his login, he can't see it yet", true,
        "access_grant"},
    {"Year end", "Please set up a rule so the invoices mails go to our external accountant", true,
        "mail_forwarding"},
    {"Keys", "Please get two spare keys cut for the stockroom, for the new supervisor", true,
        "physical_access"},
    {"Adobe billing", "Please update the company card on our Adobe plan, the old one was "
        .. "cancelled", true, "payment_change"},
    {"Vendor support", "Allow inbound traffic from 198.51.100.7 for the vendor's session", true,
        "access_grant"},
    {"Helpdesk inbox", "Can Rob have full access to the helpdesk inbox", true, "mail_delegation"},
    {"Lockout", "Automatic notification: user kpatel was locked out at 08:02. No action is "
        .. "required.", false},
    {"Fraud", "Accounts got a call asking to change the bank details of a supplier. It was fraud "
        .. "and we ignored it.", false},
    {"Password", "I reset my password through the self-service page today, in case you see an "
        .. "alert", false},
    {"Zip file", "The customer sent a protected zip and they gave us the password by phone, all "
        .. "opened fine", false},
    {"Leaver", "Make sure none of Ivan's mail is forwarded anywhere once he leaves", false},
    {"Statement", "Please send me the account statement for the broadband contract", false},
    {"Customer", "Please update the customer account for Hale Ltd with their new postcode",
        false},
    {"Password requirements", "What is the minimum length for passwords now? Mine was "
        .. "rejected when I tried to change it", false},
    {"Printer", "Can I be added to the printer by the kitchen? I can't see it", false},
    {"Lunch", "Please add Friday's team lunch to the shared calendar", false},
    {"Canva", "Can you upgrade my account to the Pro plan, marketing approved it", false},

    -- Pay sent to a new account in plain words; against an alert of an unusual sign-in, the
    -- accounts department, signatures, a calendar invitation, permission slips, an admin PC
    -- and a conference call's code.
    {"Wages", "Can my wages go into my new Starling account from next month?", true,
        "payment_change"},
    {"Salary", "I'd like my salary to go to the joint account from May", true, "payment_change"},
    {"Risky sign-in", "We detected a risky sign-in to the account ella@acme.example.", false},
    {"Scanner", "Please set up the new scanner for the accounts department", false},
    {"Branding", "Please add the new logo to everyone's email signatures", false},
    {"Fire drill", "Can you send a calendar invitation to all staff for the fire drill", false},
    {"School trip", "Please print 30 permission slips for Friday", false},
    {"Reception", "Please add more memory to the admin PC at reception", false},
    {"Conference call", "The access code for the conference call isn't accepted, please send "
        .. "the dial-in again", false},

    -- Money sent to an account given in the text, a role asked for with "can I have", mail let
    -- through a filter; against a text message reported as a scam and a starter form whose
    -- accounts exist.
    {"Today", "Please wire 12,500 EUR to the account below for the confidential deal. Keep "
        .. "this between us.", true, "payment_change"},
    {"Invoice 2231", "Please pay their invoice to the new account details in the letter", true,
        "payment_change"},
    {"Switches", "Can I have a role in the Meraki dashboard, I need to check the switches", true,
        "access_grant"},
    {"Quarantine", "Please let mails from partner.example through the filter from now on", true,
        "access_grant"},
    {"Text", "I had a text from IT asking me to send them my login code. Not sure it is legit.",
        false},
    {"Form: New Starter", "Name: Ola Berg\nLaptop: Yes\nPhone: Yes\nAccounts: Already created "
        .. "by HR", false},

    -- A person who needs setting up on systems, an account that says it was suspended a few
    -- words on; against a sign-in that loops for everyone and mail set up on a device.
    {"Before Monday", "Priya needs setting up on Xero and the CRM before she starts", true,
        "access_grant"},
    {"Help", "My account says it has been suspended, I still work here", true,
        "account_unlock"},
    {"Outlook login loop", "It happens for everyone in the office since 9", false},
    {"Tablet", "My new tablet arrived, could you help me set up email on it", false},

    -- A subject that says "confidential" starts no disclaimer over the request below it.
    {"Confidential - payroll", "Please pay my salary into the new bank account from this month",
        true, "payment_change"},
    {"Private and confidential", "Please reset the password for the board laptop", true,
        "password_reset"},

    -- The number on someone's account, a form that names verification on its own line, day
    -- passes, a licence asked for so someone can log in, raised permissions, a copy of a
    -- leaver's files, a pen tester's admin account; against a gateway's certificate, a firewall
    -- bought, self-service steps, kit for a starter whose accounts were made, a quote for new
    -- hires, an audit finding, a text asking for a code, a program that asks for an admin
    -- login, and a phone number asked for or handed out.
    {"Dev", "Please change the mobile on Dev's account to 07700 900555, he lost his phone", true,
        "contact_change"},
    {"Form: Change of details", "Name: Tia Rowe\nNew mobile: 07700 900777\nNew address: 2 Low "
        .. "Road, York\nUse for: identity verification", true, "contact_change"},
    {"Auditors", "Please set up day passes for the two auditors on Monday", true,
        "physical_access"},
    {"HubSpot", "Please assign Kai a HubSpot licence so he can log in to the portal", true,
        "new_account"},
    {"Tenders", "I can read the Tenders folder but can't edit. Could you raise my permissions "
        .. "to edit please", true, "access_grant"},
    {"Ola", "Please send me a copy of everything in Ola's OneDrive, she left in March", true,
        "access_grant"},
    {"Pen test", "The pen test company needs a domain admin account next week, please create "
        .. "one", true, "admin_rights"},
    {"Certificate on VPN gateway", "The certificate on the VPN gateway expires next week, "
        .. "please renew it", false},
    {"PO approved", "The quote for replacing the firewall is approved, please order it", false},
    {"Authenticator", "What are the steps to move my authenticator to my new phone myself", false},
    {"New starter kit for Lena", "Her accounts were created last week. She needs a laptop and "
        .. "a dock.", false},
    {"Quote for 4 laptops", "Can you send a quote for four laptops, same spec as last time, for "
        .. "the new sales hires", false},
    {"Audit finding: shared admin password", "The auditor noted that the shared admin password "
        .. "for the switches is known by four staff. For your planning.", false},
    {"Odd text", "Got a text asking me to send my login code to a mobile number. I haven't.",
        false},
    {"Zoom update", "Zoom keeps asking for an admin login to install the update, can you do it "
        .. "for me", false},
    {"Out of hours", "What's the phone number for the service desk out of hours", false},
    {"Client calls", "Can you give me a phone number in Teams for client calls", false},

    -- A sender taken off a filter; against a sender taken off an allow list, hardware added to
    -- a network, a meeting's owner, and a mailbox's size extended.
    {"Invoices missing", "Please remove acme-supplies.example from the spam filter, their "
        .. "invoices never arrive", true, "access_grant"},
    {"Allow list", "Please remove bob@acme.example from the allow list, we stopped trading", false},
    {"Network", "Please include hardware in the network", false},
    {"Weekly meeting", "Hello, created a weekly meeting as owner. Please delete it, I am leaving",
        false},
    {"Mailbox full", "Dear IT, please extend the mailbox size of the support inbox", false},

    -- A reply that closes a ticket above a mail client's quoted request; against a forward that
    -- asks IT to act on the request below it.
    {"RE: Finance share", "Thanks, all working now, you can close this.\n\nFrom: Ana Ruiz\n"
        .. "Sent: 3 March\nSubject: Finance share\n\nCould you please give me access to the "
        .. "Finance share?", false},
    {"RE: Sage", "All sorted now, thank you!\n-----Original Message-----\nPlease can you reset "
        .. "my password for Sage", false},
    {"FW: access", "Can you action this please?\n\nFrom: Jo Hall\nSent: Monday\n\nI need "
        .. "access to the HR folder for the audit.", true, "access_grant"},

    -- "Don't know my password", security info and authentication methods, copies of mail sent
    -- on, a secret someone is asked to tell; against a role word that owns something.
    {"Logged out", "I've been logged out of everything and I don't know my password", true,
        "password_reset"},
    {"New handset", "Please reset my security info, the old phone is gone", true, "mfa_reset"},
    {"Register again", "Could you clear my authentication methods so I can register again", true,
        "mfa_reset"},
    {"Sales inbox", "Please send copies of all emails to the sales inbox to me as well", true,
        "mail_forwarding"},
    {"Visitors", "Could you tell me the guest wifi password", true, "password_reset"},
    {"Suppliers", "Please add our account manager's details to the supplier list", false},

    -- A card swapped on a bill, a payment to the account on a letter; against a starter whose
    -- accounts were set up, named in a short opening, and a shared admin password in a report.
    {"Adobe", "Please swap the card on our Adobe billing to the new Visa", true, "payment_change"},
    {"New supplier", "Can you pay the invoice to the account on the attached letter, they are a "
        .. "new supplier", true, "payment_change"},
    {"Kit", "New starter Nia: accounts were set up by HR on Monday, she just needs a desk phone",
        false},
    {"Report", "Pen test report attached. Finding 2: a shared local admin password on the tills. "
        .. "For your records.", false},

    -- A sign-in in a starter's list of kit; against a signature's name that is a verb, a
    -- signature's bank details line, an account code, an admin fee and an access road.
    {"Ben", "Please can you set up Ben with a laptop, email and a Xero login", true,
        "new_account"},
    {"Printer", "The printer is jammed again.\n\nKind regards\nSophie Grant | Account Manager",
        false},
    {"Screen", "My second screen flickers when I dock.\n--\nJim Beck, Accounts Payable\n"
        .. "Please note our bank details will never change by email.", false},
    {"Laptops", "What's the account code for charging the new laptops?", false},
    {"Invoice", "Our supplier added an admin fee to the invoice, is that right?", false},
    {"Car park", "The access road to the car park is blocked by a delivery van", false},

    -- A copy of a leaver's mailbox; against a fix asked for "so I can log in", a place booked
    -- on a course, a question put as "confirm which", and members the writer will add.
    {"Rob", "Could I have a copy of Rob's mailbox, he left on Friday", true, "access_grant"},
    {"Boardroom", "Please fix the Wi-Fi in the boardroom so I can log in to the laptop", false},
    {"Course", "Can you get Tom onto the Friday training course", false},
    {"Company account", "Please confirm which phone number is on file for our company account",
        false},
    {"Team site", "Please create a new SharePoint site for the team, I will add members myself",
        false},

    -- Polite and indirect requests: "would it be possible", "wondering if I could", "hook up",
    -- a member missing from a group, "gets access", a form's title, "let me into", "put me
    -- back"; against the same shapes that ask for information, a file missing, bank holidays
    -- on a calendar and a badge reader that fails for anyone.
    {"Legal", "Would it be possible for Jess to have access to the Legal folder from tomorrow?",
        true, "access_grant"},
    {"Rota", "I was wondering if I could get edit access on the rota spreadsheet in SharePoint",
        true, "access_grant"},
    {"Trip", "Can you hook Priya up with the VPN before her trip", true, "access_grant"},
    {"Managers", "Tom is missing from the Managers group, can you fix that", true,
        "access_grant"},
    {"Payroll system", "HR have asked that Ben gets access to the payroll system from May", true,
        "access_grant"},
    {"Request", "Form: New User\nName: Zoe Lamb\nSystems needed: Sage, Xero, email", true,
        "new_account"},
    {"Board", "Can you let me into the Board SharePoint site, Lisa said it's fine", true,
        "access_grant"},
    {"Sales", "I was removed from the Sales group by mistake, can you put me back", true,
        "access_grant"},
    {"Audit", "Is it possible to see who has access to the Legal folder? For the audit.", false},
    {"Maintenance", "I was wondering if the VPN will be down during the maintenance", false},
    {"Backup", "A file is missing from the Finance share, can you restore it", false},
    {"Holidays", "pls add the bank holidays to the shared calendar", false},
    {"Reception", "the badge reader in reception is beeping but not opening for anyone", false},
    {"Weekend", "I was wondering if you could reset my password, I forgot it over the weekend",
        true, "password_reset"},
    {"From home", "Is it possible to access my email from home on my own laptop?", false},

    -- Mail that should end up in the writer's inbox, a calendar shared with someone, a key to
    -- a cupboard.
    {"Jack", "Please make sure anything sent to Jack ends up in my inbox now he's left", true,
        "mail_forwarding"},
    {"Amy", "Please share my calendar with Amy with edit rights", true, "mail_delegation"},
    {"Comms cupboard", "Can I borrow the key to the comms cupboard tomorrow", true,
        "physical_access"},

    -- An SSH key added, a summary that states a deactivation, "not able" and "not more working"
    -- in English as a second language; against a one-word summary above a leaver's removal.
    {"Deploys", "Please add my SSH key to the production server", true, "access_grant"},
    {"Deactivated", "My account has been deactivated by mistake, I haven't left!", true,
        "account_unlock"},
    {"Mail", "I am not able to enter to my mail, the password is not more working", true,
        "password_reset"},
    {"Disable", "Tom left yesterday. His login and email can go.", false},

    -- A user name added to a group; against things added to containers.
    {"AD", "add bwilson to the Finance-RW AD group", true, "access_grant"},
    {"Intranet", "Please add the holidays to the team site", false},
    {"Projects", "Please add a column to the Projects list", false},
    {"Invoices", "Please add the invoice to the Finance folder", false},

    -- Access the writer never had, under a summary that reports a fault; against access the
    -- writer had until it failed.
    {"Access denied", "I need access to the supplier portal, I've never had it and my manager "
        .. "approved", true, "access_grant"},
    {"Access denied", "I had access to the supplier portal until today, now it says access "
        .. "denied", false},
    -- Text a reader sees whole however it is stored: invisible characters, wrapped lines, HTML
    -- comments, numeric entities, trailing dots, and hidden elements set apart.
    {"Quick one", "Please reset my pas\u{00AD}sword", true, "password_reset"},
    {"Quick one", "Can you reset my pass\u{200B}word please", true, "password_reset"},
    {"Quick one", "Could you please reset my\npassword", true, "password_reset"},
    {"Quick one", "Could you please unlock my\naccount, it says locked", true, "account_unlock"},
    {"Quick one", "<div>Please reset my</div><div>password</div>", true, "password_reset"},
    {"Quick one", "<p>Please reset my pass&#119;ord</p>", true, "password_reset"},
    {"Quick one", "<p>Please reset my pass&#x77;ord</p>", true, "password_reset"},
    {"Quick one", "Please reset my pass&#119;ord", true, "password_reset"},
    -- An encoded "<" is a character a reader sees. Bug: numeric references were decoded
    -- before the tags were found, so "&#60;" opened a comment or a tag that hid the request.
    {"Quick one", "Hi &#60;!-- Please reset my password --&#62; thanks", true, "password_reset"},
    {"Quick one", "<p>Hi &#60;!-- Please reset my password --&#62; thanks</p>", true,
        "password_reset"},
    {"Quick one", "<p>Please reset my &#x3C;b class=&#34;x&#34; password&#X3E; now</p>", true,
        "password_reset"},
    {"Quick one", "Please reset my &#60;b title=x password&#62; now", true, "password_reset"},
    {"Quick one", "<p>Please reset my <!-- x -->password</p>", true, "password_reset"},
    -- A comment ends as a browser ends it. Bug: "<!-->" (an empty comment) read as open until
    -- the next "-->", so the visible request between them was dropped.
    {"Quick one", "<p><!-->Please reset my password<!-- sig --></p>", true, "password_reset"},
    {"Quick one", "<p><!--->Please reset my password<!-- sig --></p>", true, "password_reset"},
    {"Quick one", "<p><!-- x --!>Please reset my password<!-- sig --></p>", true,
        "password_reset"},
    {"Quick one", "<p>Please reset my <!-- x --!>pass<!---->word</p>", true, "password_reset"},
    {"Quick one", "<p>Please <span style=\"display:none\">do not</span> reset my password</p>",
        true, "password_reset"},
    {"Quick one", "<p>Please <font style='visibility: hidden'>never</font> unlock my account</p>",
        true, "account_unlock"},
    {"Quick one", "please... reset... my... password...", true, "password_reset"},
    {"Quick one", "<p>Please reset my password</p><div style='display:none'>This is an "
        .. "automated notification, no action is needed.</div>", true, "password_reset"},
    {"Leaver", "Leaver: Sam Jones\nForward email to: N/A\nnotes attached from hr", false},
    {"Password expiry", "Your pass\u{200B}word will expire in 5 days.\nYou can change it "
        .. "yourself in the portal.", false},
    {"Re: reset", "> please reset my password\nall sorted now thanks, you can close this", false},
    {"Printer", "The printer on the second floor keeps\njamming when printing double sided",
        false},

    -- Text hidden from a reader in the other ways mail hides it: a hidden "fixed, no need to"
    -- must not explain the visible request after it away. Against text that only looks
    -- styled, which a reader sees and which does explain it away.
    {"MFA", "<style>.h{display:none}</style><p><span class=\"h\">The printer is fixed now, "
        .. "thanks, no need to</span> reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<style>p.note, .x { mso-hide: all }</style><p class='x'>The printer is fixed "
        .. "now, thanks, no need to</p><p>reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<style>b{font-size:0}</style><p><b>The printer is fixed now, thanks, no need "
        .. "to</b> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"opacity:0\">The printer is fixed now, thanks, no need to</span> "
        .. "reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"color:#ffffff\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><font color=#FFFFFF>The printer is fixed now, thanks, no need to</font> "
        .. "reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"color:#123456;background-color:#123456\">The printer is fixed "
        .. "now, thanks, no need to</span> reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<p><span style=\"font-size:0.1px\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"font-size: 1px\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"mso-hide:all\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><div style=\"max-height:0;overflow:hidden\">The printer is fixed now, thanks, "
        .. "no need to</div> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"width:0;height:0;overflow:hidden;display:block\">The printer is "
        .. "fixed now, thanks, no need to</span> reset my MFA please, I have a new phone.</p>",
        true, "mfa_reset"},
    {"MFA", "<p><span style=\"position:absolute;left:-9999px\">The printer is fixed now, "
        .. "thanks, no need to</span> reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<p><span style=\"text-indent:-9999px;display:block\">The printer is fixed now, "
        .. "thanks, no need to</span> reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<p><span style=\"position:absolute;clip:rect(0 0 0 0)\">The printer is fixed "
        .. "now, thanks, no need to</span> reset my MFA please, I have a new phone.</p>", true,
        "mfa_reset"},
    {"MFA", "<p><span style=\"display:none\"><span>ok</span>The printer is fixed now, thanks, "
        .. "no need to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"display:/**/none\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"display&colon;none\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    -- Attributes as a browser reads them: numeric references without their semicolon, a
    -- reference no name decodes, a ">" inside a quoted value, and a closed <details>.
    {"MFA", "<p><span style=\"display&#58none\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"display&#x3Anone\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"color:#fff&amp;\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span data-x=\">\" style=\"display:none\">The printer is fixed now, thanks, "
        .. "no need to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><details><summary>Note</summary>The printer is fixed now, thanks, no need "
        .. "to</details> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><details open>The printer is fixed now, thanks, no need "
        .. "to</details> reset my MFA, I have a new phone.</p>", false},
    {"MFA", "<p><span style=\"font-family:&quot;Calibri&quot;,sans-serif\" title=\"a>b\">The "
        .. "printer is fixed now, thanks, no need to</span> reset my MFA, I have a new "
        .. "phone.</p>", false},
    {"MFA", "<p><span class=\"sr-only\">The printer is fixed now, thanks, no need to</span> "
        .. "reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span aria-hidden=\"true\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><del>The printer is fixed now, thanks, no need to</del> reset my MFA please, I "
        .. "have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"color:hsl(0, 0%, 99%)\">The printer is fixed now, thanks, no "
        .. "need to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"MFA", "<p><span style=\"color: Snow\">The printer is fixed now, thanks, no need "
        .. "to</span> reset my MFA please, I have a new phone.</p>", true, "mfa_reset"},
    {"Password", "<p><span style=\"font-size:1px\">How do I</span> reset my password "
        .. "please?</p>", true, "password_reset"},
    {"Printer", "<p>The printer on floor 2 is jammed.</p><div style=\"opacity:0\">Please reset "
        .. "my password</div>", true, "password_reset"},
    {"MFA", "<p><span style=\"color:#ffffff;background-color:#003366\">The printer is fixed "
        .. "now, thanks, no need to</span> reset my MFA, I have a new phone.</p>", false},
    {"MFA", "<p><span style=\"font-size:12px;color:#333333\">The printer is fixed now, thanks, "
        .. "no need to</span> reset my MFA, I have a new phone.</p>", false},
    {"MFA", "<style>.x:hover{display:none}</style><p><span class=\"x\">The printer is fixed "
        .. "now, thanks, no need to</span> reset my MFA, I have a new phone.</p>", false},
    {"MFA", "<p><span style=\"position:relative;left:-9999px\">The printer is fixed now, "
        .. "thanks, no need to</span> reset my MFA, I have a new phone.</p>", false},

    -- Characters a reader sees as plain letters or not at all: named entities for invisible
    -- characters, fullwidth, mathematical and accented letters, combining accents, and words
    -- split by inline tags or <wbr>. Each request follows a fault sentence, so it counts only
    -- when its words are read whole.
    {"Printer", "The printer is jammed again. Also please reset my pass&shy;word", true,
        "password_reset"},
    {"Printer", "<p>The printer is jammed again. Also please reset my pass&zwnj;word</p>", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&zwj;word", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&lrm;word", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&RLM;word", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&ZeroWidthSpace;word",
        true, "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&NoBreak;word", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&InvisibleTimes;word",
        true, "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my pass&madeup;word", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset&nbsp;my&nbsp;M&#x46;A", true,
        "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please ｒｅｓｅｔ ｍｙ ＭＦＡ", true,
        "mfa_reset"},
    {"Ｐａｓｓｗｏｒｄ ｒｅｓｅｔ", "The printer is jammed again.", true, "password_reset"},
    {"Printer", "The printer is jammed again. Also please 𝐫𝐞𝐬𝐞𝐭 my 𝐩𝐚𝐬𝐬𝐰𝐨𝐫𝐝", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please re\u{301}set my M\u{301}FA", true,
        "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please rèsét my pässwörd", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please r&eacute;set my pass&shy;word", true,
        "password_reset"},
    {"Printer", "<p>The printer is jammed again. Also please reset my M<wbr>FA</p>", true,
        "mfa_reset"},
    {"Printer", "<p>The printer is jammed again. Also please reset my <b>M</b>F<b>A</b></p>",
        true, "mfa_reset"},
    {"Printer", "<p>The printer is jammed again. Also please reset my "
        .. "<span>pass</span><span>word</span></p>", true, "password_reset"},
    -- "Fancy text" letter sets: small capitals, superscript letters, parenthesised, squared,
    -- negative circled and negative squared letters, regional indicators, circled digits and
    -- letterlike symbols, and Greek capitals that look Latin.
    {"Help", "Please ʀᴇsᴇᴛ my ᴘᴀssᴡᴏʀᴅ, I'm stuck.", true, "password_reset"},
    {"Printer", "The printer is jammed again. Also please ʀᴇꜱᴇᴛ ᴍʏ ᴍꜰᴀ", true, "mfa_reset"},
    {"ᴜɴʟᴏᴄᴋ ᴍʏ ᴀᴄᴄᴏᴜɴᴛ", "The printer is jammed again.", true, "account_unlock"},
    {"Printer", "The printer is jammed again. Also please ʳᵉˢᵉᵗ ᵐʸ ᵖᵃˢˢʷᵒʳᵈ", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please ⒭⒠⒮⒠⒯ my ⒫⒜⒮⒮⒲⒪⒭⒟", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please reset my 🅼🅵🅰", true, "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please reset my 🅜🅕🅐", true, "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please reset my 🄼🄵🄰", true, "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please reset my 🇲\u{200B}🇫\u{200B}🇦", true,
        "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please reset my ②FA", true, "mfa_reset"},
    {"Printer", "The printer is jammed again. Also please ℛℯ𝓈ℯ𝓉 my 𝓅𝒶𝓈𝓈𝓌ℴ𝓇𝒹", true,
        "password_reset"},
    {"Printer", "The printer is jammed again. Also please RESET MY ΡΑSSWΟRD", true,
        "password_reset"},
    {"ᴘʀɪɴᴛᴇʀ", "ᴛʜᴇ ᴘʀɪɴᴛᴇʀ ᴏɴ ꜰʟᴏᴏʀ ² ɪꜱ ᴊᴀᴍᴍᴇᴅ ᴀɢᴀɪɴ", false},
    -- Letters of other alphabets that read as plain Latin ones: the Latin alpha and script g,
    -- the Cyrillic letters small-capital sets use ("ғ" for F) and Cyrillic and Greek kin.
    {"Help", "Please reset my pɑssword", true, "password_reset"},
    {"Help", "Please reset my ᴍғᴀ", true, "mfa_reset"},
    {"Help", "Please rɛsɛt my pɑsswοrd, I'm stuck", true, "password_reset"},
    {"Help", "Please reset my ɡmaɩl pɑssword", true, "password_reset"},
    {"Help", "Please ᴜɴʟᴏᴄҡ my account", true, "account_unlock"},
    {"Help", "Please reset my pаssԝord", true, "password_reset"},
    {"Help", "Please reset my ᴘᴀssᴡᴏʀԁ", true, "password_reset"},
    {"Printer", "Tһe printer is jɑmmed ɑgɑin", false},
    -- Bug: look-alike letters of scripts the folding table left out read as other words, so
    -- these requests passed. They are Lisu and Cherokee letters that look like Latin capitals,
    -- Roman numerals, Latin letters with a hook or a ring, and the Greek digamma, final sigma
    -- and omega.
    {"Travel next week", "Please disable ꓟꓝꓮ on my account while I travel", true, "mfa_reset"},
    {"Help", "My ꓑꓮꓢꓢꓪꓳꓣꓓ expired, can you set a new one", true, "password_reset"},
    {"New phone", "I got a new phone, please move my MFᎪ over to it", true, "mfa_reset"},
    {"Help", "please reset my Ⅿ F A", true, "mfa_reset"},
    {"Help", "please reset my ⅿfa", true, "mfa_reset"},
    {"Help", "please reset my mƒa", true, "mfa_reset"},
    {"Help", "please reset my 2ϜA", true, "mfa_reset"},
    {"Help", "please reset my ραςςωοrd", true, "password_reset"},
    {"Help", "please reset my passẘord", true, "password_reset"},
    -- Their kin: Canadian syllabics of fancy-text sets, Coptic, Armenian and Latin Extended
    -- Additional letters, the small Cherokee letters, and a harmless ticket in such letters.
    {"Help", "Please reset my ᗰᖴᗩ", true, "mfa_reset"},
    {"Help", "Please reset my ⲣaѕѕwօrd", true, "password_reset"},
    {"Help", "Please ṛẹṣẹṭ my ṗąṡṡẉọṛḍ", true, "password_reset"},
    {"Help", "Please ꭱꭼꮥꭼꭲ my ꮲꭺꮥꮥꮃord", true, "password_reset"},
    {"ꓑꓣꓲꓠꓔꓰꓣ", "Ꭲhe printer on floor Ⅱ is jɑmmed ɑgɑin", false},

    -- Bug: upside-down text ("ʇǝsǝɹ pɹoʍssɐd") was not read, so its request was missed. Its
    -- words are turned back, whether only each word is upside down or the whole line is.
    {"Help", "Please ʇǝsǝɹ pɹoʍssɐd", true, "password_reset"},
    {"Help", "pɹoʍssɐd ʎɯ ʇǝsǝɹ ǝsɐǝld", true, "password_reset"},
    {"ʇǝsǝɹ pɹoʍssɐd", "Thanks", true, "password_reset"},
    {"Help", "¡ǝsɐǝld ʇunoɔɔɐ ʎɯ ʞɔolun", true, "account_unlock"},
    {"Printer", "The printer is jammed again. Also please reset my ɐɟɯ", true, "mfa_reset"},
    {"Help", "ᗡᴚOMSSⱯԀ ʎW ⊥ƎSƎᴚ ƎSⱯƎ˥Ԁ", true, "password_reset"},
    {"Printer", "pǝɯɯɐɾ sᴉ ɹǝʇuᴉɹd ǝɥʇ", false},
    {"Help", "The IPA for but is bʌt, and the printer is jammed", false},

    -- Text inside a right-to-left override is shown reversed, so it is read as shown, with a
    -- run nested inside in its own order. Embeddings and isolates do not reverse Latin letters.
    -- A reversed harmless sentence stays harmless.
    {"Help", "Please \u{202E}drowssap ym teser\u{202C} and text it to 07700900123", true,
        "password_reset"},
    {"Help", "<p>The printer is jammed again. Also please \u{202E}AFM ym teser</p>", true,
        "mfa_reset"},
    {"Help", "The printer is jammed again. Also please &#x202E;AFM ym teser&#x202C;", true,
        "mfa_reset"},
    -- A browser decodes character references in attributes, so an encoded style or dir still
    -- overrides, and an encoded ">" in a value does not end the tag.
    {"Help", "<p>The printer is jammed. Also please <span style=\"unicode-bidi&#58;bidi-override;"
        .. "direction&#x3A;rtl\">drowssap ym teser</span></p>", true, "password_reset"},
    {"Help", "<p>The printer is jammed. Also please <bdo dir=\"&#114;tl\">drowssap ym teser"
        .. "</bdo></p>", true, "password_reset"},
    {"Help", "<p>The printer is jammed. Also please <bdo title=&#62; dir=rtl>drowssap ym "
        .. "teser</bdo></p>", true, "password_reset"},
    {"Help", "The printer is jammed. Also \u{2067}please \u{202E}tnuocca ym\u{202C} "
        .. "unlock\u{2069}", true, "account_unlock"},
    {"Help", "The printer is jammed. Also please \u{202E}AFM \u{202D}my\u{202C} "
        .. "teser\u{202C}", true, "mfa_reset"},
    {"Help", "The printer is jammed. Also please \u{202B}reset my MFA\u{202C}", true,
        "mfa_reset"},
    {"Printer", "The printer is \u{202E}dexif\u{202C} now, thanks.", false},
    {"Printer", "The printer on floor 2 is jammed, \u{202E}tfel eht no yart\u{202C}", false},
    {"Ｐｒｉｎｔｅｒ", "Ｔｈｅ ｐｒｉｎｔｅｒ ｏｎ ｆｌｏｏｒ ２ ｉｓ ｊａｍｍｅｄ ａｇａｉｎ", false},
    {"Café", "The café machine on floor 2 is leaking again, résumé of the fault attached",
        false},
    {"Printer", "The printer is jammed &mdash; the tray&rsquo;s stuck &amp; the &ldquo;reset"
        .. "&rdquo; button does nothing", false},
    {"Printer", "<ul><li>Printer jammed</li><li>Tray stuck</li></ul><p>The re</p><p>set "
        .. "button on it does nothing</p>", false},

    -- Mail carried to a new place: it comes, goes, lands or is sent to an outside address, a
    -- new one or a person. Also a writer on copy of someone's mail, a form's line that names
    -- the mail, and mail named several words after "forward". The hard negatives are mail the
    -- writer sent, a removed route, a document sent, a new laptop and a bounce.
    {"Holiday", "While I'm off, can all my incoming mail go to Dave on the sales desk?", true,
        "mail_forwarding"},
    {"Yahoo", "can my work mail come through to my yahoo at home", true, "mail_forwarding"},
    {"Jury service", "Rita is away for a fortnight. She wants everything incoming sent on to "
        .. "him automatically, him being Omar.", true, "mail_forwarding"},
    {"Moving on", "Please set it up so anything that arrives for orders@ lands in my "
        .. "personal outlook too", true, "mail_forwarding"},
    {"Abroad", "please send all the mails of me to my private address during my travel", true,
        "mail_forwarding"},
    {"Cover", "Could I be cc'd on everything that lands in Sam's inbox while she is off?",
        true, "mail_forwarding"},
    {"Form: Leaver", "Form: Leaver\nName: Ada Vance\nEmail: forward to Jo Price for 2 months",
        true, "mail_forwarding"},
    {"MD's mail", "Forward all of the operations manager's email to me until she is back.",
        true, "mail_forwarding"},
    {"Did it arrive", "Can you check if the email I sent to Tom arrived?", false},
    {"Gmail", "Please stop my emails going to my personal gmail, I set that up by mistake.",
        false},
    {"Invoice", "Could you send the invoice to my personal email please?", false},
    {"New laptop", "Will my emails come across to my new laptop when it arrives?", false},
    {"Bounce", "Emails sent to my hotmail from the office keep bouncing.", false},
    {"Reply", "Please cc me on the reply to the supplier.", false},

    -- A sign-in that works again in other words, and automatic reports and change notices,
    -- against the same words in a request.
    {"RE: 2FA", "Moved it to the new handset myself, the codes come through fine now.", false},
    {"Password reset for Ola", "Ola says she's in now, cheers for that.", false},
    {"[Monitor] Authenticator report", "Daily report of second factor sign-ups\nRegistered: 9 "
        .. "of 11\nThis message was generated automatically.", false},
    {"Change notice: authenticator update", "From Monday the app shows a number to type when "
        .. "you approve a sign-in. Nothing to do yet.", false},
    {"Authenticator", "The codes stopped coming through on my new phone, can you reset it?",
        true, "mfa_reset"},

    -- The number or address on file in other words: the one IT rings back on, the one "you
    -- hold for me", the one on the system, where reset links go, and a change asked for in
    -- another sentence or a form's title. The hard negatives are a home address, a directory
    -- and a signature.
    {"New mobile", "Please update the number you call me back on to check it is me. New one "
        .. "is 07700 900333.", true, "contact_change"},
    {"Records", "Please update the number you hold for me, I changed provider.", true,
        "contact_change"},
    {"Tariq's number", "Can you change Tariq's mobile on the system? He has 07700 900444 now.",
        true, "contact_change"},
    {"RE: reset", "Next time please send the reset codes to my new address rina@mailbox.example",
        true, "contact_change"},
    {"Mailbox", "Can you create a new email for Tom?", true, "new_account"},
    {"Security calls", "Ring me on 07700 900555 for any security checks from now on, not my "
        .. "old mobile. Update your records.", true, "contact_change"},
    {"Form: Update my details", "Form: Update my details\nField: Alternate email for account "
        .. "recovery\nNew: rina@mailbox.example", true, "contact_change"},
    {"Address", "Please update the home address you hold for me.", false},
    {"Directory", "Please update my mobile in the staff directory, it is 07700 900111.", false},
    {"Signature", "Can you update the phone number in my email signature?", false},

    -- A second factor switched off, asked outright or as "is there a way", approvals that fail,
    -- and sign-in texts that go to a phone handed back. The hard negatives are a setting
    -- switched off, self-service removal and a device replaced.
    {"two-step on the till login", "Could you turn off the two-step on the till login? It "
        .. "keeps popping up for all four of us.", true, "mfa_reset"},
    {"code every time", "Is there a way to switch off the phone code thing that keeps popping "
        .. "up?", true, "mfa_reset"},
    {"Phone on the bus", "Left my phone on the bus, can't approve sign-ins this morning.", true,
        "mfa_reset"},
    {"Approve never shows", "The approve notification never shows up on my phone any more.",
        true, "mfa_reset"},
    {"Xero", "Our Xero password is the one Dave set. Can it be changed before he goes?", true,
        "password_reset"},
    {"Sign-in texts", "The sign-in texts go to the mobile I handed back in May. Please change "
        .. "it to 07700 900666.", true},
    {"Teams", "Is there a way to turn off Teams notifications?", false},
    {"Old phone", "How do I remove my old phone from my sign-in methods myself?", false},
    {"Screen", "My screen is cracked, can it be replaced?", false},

    -- Entry and sign-in in other words: letting oneself in a door, a person added to a door, a
    -- card for a door, a contractor's pass, "a new one" of a card, "I need it reset", and being
    -- kicked or chucked out. The hard negatives are a sign on a door, a new mouse and a call
    -- that drops.
    {"Early shifts", "Priya needs to be able to let herself in the side door from next week.",
        true, "physical_access"},
    {"Yard gate", "Please add Tom Reyes to the yard gate door, he opens up on Saturdays.", true,
        "physical_access"},
    {"Bent", "The card I use for the door is bent and it won't open anything.\nPlease make a "
        .. "new one.", true, "physical_access"},
    {"Site pass", "The plumber's contractor pass ends today, please extend it to Friday.", true,
        "physical_access"},
    {"In the wash", "My fob went through the wash. Can I get a new one today?", true,
        "physical_access"},
    {"Help", "Chucked me out of everything after the update, can't get back on.", true,
        "account_unlock"},
    {"Sign", "Please add a sign to the front door saying use the side entrance.", false},
    {"Mouse", "My mouse died, can I get a new one?", false},
    {"Teams calls", "Teams keeps kicking me out of calls on the Wi-Fi.", false},

    -- Pay to an account not used before, a card on a bill, a person set up, a sign-in at the
    -- end of a list of kit, a list of who has access, and taking over as owner. The hard
    -- negatives are a bill paid as usual, a person set up with kit, a stock order and a
    -- question about access held.
    {"Mileage", "Can my mileage this month go into a different account? Mine is frozen.", true,
        "payment_change"},
    {"Supplier", "I need £9,000 paid today to a new supplier, details to follow.", true,
        "payment_change"},
    {"Adobe", "Please change the card we pay the Adobe bill with, the old one expired.", true,
        "payment_change"},
    {"Fwd: Contract signed", "Can you get him set up for Monday please? Usual things.", true,
        "new_account"},
    {"New lad", "Sean starts Monday. He'll need a laptop, a headset and a login for the stock "
        .. "system.", true, "new_account"},
    {"Reports", "Could you tell me who has access to the Payroll share and at what level?",
        true, "access_grant"},
    {"Sales channel", "Could Mo take over as owner of our Sales team in Teams?", true,
        "admin_rights"},
    {"Hosting", "Please pay the hosting bill as usual this month.", false},
    {"Paper", "We've got a new supplier for paper, please order from them next time.", false},
    {"Receipt", "We paid the new supplier last week, can you file the receipt?", false},
    {"Kit", "Can you get him set up with a laptop and a dock for Monday?", false},
    {"Toner", "Please order more toner for the stock room printer.", false},
    {"Access", "I have access to the Payroll share already, it works fine.", false},

    -- Removals, refusals and work already done in other words: "take him off", "kill it", a
    -- form's "NO - do not forward", accounts "you added", "X can see it now", "fixed it" and a
    -- card that "works on all the doors". Each has a request in the same words beside it.
    {"Payroll share", "Ana has finished the audit, can you take her off the Payroll share "
        .. "please.", false},
    {"Lost fob", "Sam lost his fob on the train. Please kill it now, no replacement yet.", false},
    {"Form: Leaver", "Form: Leaver\nName: Ray Dorn\nEmail forwarding: NO - do not forward\n"
        .. "Laptop: returned", false},
    {"Auditors", "The audit is over. Please remove the guest accounts you added for them.",
        false},
    {"RE: Payroll share for Ana", "Cheers, Ana can see the Payroll share now.\n\n> Could Ana "
        .. "be given the Payroll share?", false},
    {"RE: Duo", "Rang Ola back, the app update fixed it. Happy to close.", false},
    {"RE: fob", "New fob works on all the doors, thanks.", false},
    {"Payroll share", "Please give Ana access to the Payroll share.", true, "access_grant"},
    {"Form: Leaver", "Form: Leaver\nName: Ray Dorn\nEmail forwarding: yes - to Sue Hart\n"
        .. "Laptop: returned", true, "mail_forwarding"},

    -- "Sort" or "fix" my login, an approve prompt that does not pop up, a door code asked for
    -- by "what's", an alarm code given, the company's authorised contact, and mail sent on in
    -- text-speak or to "my own email". The hard negatives ask what a policy or an address is.
    {"Till", "Can you sort my login for the till PC, it keeps saying incorrect.", true,
        "password_reset"},
    {"Laptop", "can someone fix my log on", true, "password_reset"},
    {"Prompt", "The Microsoft approve thing doesn't pop up on my phone any more.", true,
        "mfa_reset"},
    {"Side gate", "What's the code for the side gate keypad? Mine stopped working.", true,
        "physical_access"},
    {"Sundays", "Please add Kev as a keyholder on the shop alarm and give him his own code.",
        true, "physical_access"},
    {"Authorised contact", "Please change our authorised contact from Helen to me, my mobile "
        .. "is 07700 900777.", true, "contact_change"},
    {"mat leave", "can u make my work emails go 2 my hotmail while im off", true,
        "mail_forwarding"},
    {"sales@", "Could all the sales@ emails also go to my own email at weekends?", true,
        "mail_forwarding"},
    {"Printer", "What's the printer's IP address?", false},
    {"Question", "What is the minimum length for passwords?", false},

    -- A failure that may come ("if I'm locked out"), one the writer wants to avoid, and a
    -- question about doing it oneself put as "is there a way" or "is it possible". The cases
    -- after them use the same words to ask IT to act now.
    {"Out of hours", "If I'm locked out at the weekend, who should I ring?", false},
    {"Sunday", "If I forget my password on a Sunday, is there a way I can reset it myself?",
        false},
    {"New phone", "New phone arrives Friday. Don't want to be locked out. What's the best way "
        .. "to move the authenticator over myself?", false},
    {"Gate code", "Is it possible for us to change the gate keypad code ourselves?", false},
    {"Locked", "I'm locked out again, if you could unlock me that'd be great.", true,
        "account_unlock"},
    {"Ellie", "Is it possible to give Ellie her own login?", true, "new_account"},

    -- Narrower signals: a device port, the account always paid, accounts "all set up", "take
    -- him back out of", a sign-in stopped by a device's fault, "wants his account disabled",
    -- and a card "working on the door again". Each has a request in the same words beside it.
    {"Headset", "Headset crackles on calls, I swapped the USB port and it made no change.",
        false},
    {"Direct debit", "Can we move the direct debit to the 28th? Same account as now.", false},
    {"Invoice", "Invoice attached. Please pay the account you always use.", false},
    {"Callum", "Is everything ready for Callum? The account is all set up, I think.", false},
    {"Accounts folder", "Audit done, please take Tom back out of the accounts folder.", false},
    {"Year 6", "The Year 6 laptops won't charge, so the children can't log in.", false},
    {"Keyboard", "My keyboard lost the E key so I can't type my password properly.", false},
    {"Dismissed", "Dismissed an employee today. Wants his account disabled now.", false},
    {"fob", "My fob is working on the door again, thanks!", false},
    {"Fob", "It was working again yesterday but now it won't open the door, can I get a new "
        .. "fob?", true, "physical_access"},
    {"Sage", "The laptop is working again but I'm still locked out of Sage.", true,
        "account_unlock"},
    {"Bank", "Our bank details have changed, please pay the new account below.", true,
        "payment_change"},

    -- Permissions changed up to a higher level, and the writer's own change of bank that asks
    -- the record to follow. The hard negative is a permission changed to read only with no
    -- one named.
    {"Projects", "Can you change my permissions on the Projects folder to edit?", true,
        "access_grant"},
    {"Payroll", "I've changed banks, can my salary go to my new account from this month", true,
        "payment_change"},
    {"Projects", "Can you check my permissions on the Projects folder? Read only is fine.",
        false},

    -- A leaver's mail that someone else needs, and a diary managed by an assistant; against a
    -- leaver whose mail nobody needs and a diary's own fault.
    {"Leaver", "Kate left Friday. Her manager Paul needs her emails and OneDrive files.", true,
        "mail_delegation"},
    {"Diary", "My assistant needs to manage my diary from Monday.", true, "mail_delegation"},
    {"Leaver", "Tom left. Remove his access. Nobody needs his emails.", false},
    {"Leaver", "Sam is leaving, please make sure none of his mail goes to him at home.", false},
    {"Diary", "Can you fix my diary, it shows the wrong time zone", false},
    -- "Can't get on the system": a sign-in that fails for the writer.
    {"help", "cant get on the system since this morning", true, "account_unlock"},

    -- Polite and passive grants: "be given the share", "be set up on", "join the channel", "be
    -- an owner of", "make Harriet a manager on". The hard negatives join a meeting, rename a
    -- folder, hand over a number in a container and ask who an owner is.
    {"Payroll", "Can Ana be given the Payroll share please?", true, "access_grant"},
    {"Xero", "Can Jo be set up on Xero from Monday?", true, "access_grant"},
    {"Directors", "Would it be ok for Priya to join the Directors channel?", true,
        "access_grant"},
    {"Ops team", "Can Kim be an owner of the Ops team?", true, "admin_rights"},
    {"Rota", "Can you make Harriet a manager on the rota system?", true, "access_grant"},
    {"Meeting", "Can I join the Teams meeting from my phone?", false},
    {"Folder", "Can you give the Finance folder a clearer name?", false},
    {"Calls", "Can you give me a number in Teams for client calls?", false},
    {"Owner", "Who is the owner of this team? Can it be changed?", false},
    {"Sales channel", "Is there a way for Sam to get access to the Sales channel?", true,
        "access_grant"},
    {"Sales channel", "Is there a way for me to get access to the Sales channel on my phone?",
        false},

    -- "Can we set up" asks where "we set up" reports, a new number that the sign-in texts miss,
    -- and "can Jane send as". The hard negatives report a set-up, name a number for a phone
    -- line and report mail that will not send.
    {"Auditor", "Can we set up a guest login for the auditor?", true, "new_account"},
    {"Phone", "got a new number, the texts for signing in still go to the old one", true,
        "contact_change"},
    {"Cover", "Can Jane send emails from my account while I'm away?", true, "mail_delegation"},
    {"Auditor", "We set up a guest login for the auditor last week, it works fine.", false},
    {"Phone line", "I have a new number for the Teams calls line", false},
    {"Phone", "I can't send email from my phone since the update", false},

    -- Mail sent on to an address: a form's "Forward all to:" field, a rule that sends a
    -- mailbox's mail to an outside address, and a caller who "asked that" mail be sent on. The
    -- hard negatives send one message, report a forward the writer made, and leave the
    -- field empty.
    {"Mailbox settings", "Form: Mailbox settings\nMailbox: jobs@firm.example\n"
        .. "Forward all to: jobs-board@agency.example\nKeep a copy: yes", true,
        "mail_forwarding"},
    {"Leave", "Out of office: yes\nForward to: pat.home@mail.example", true, "mail_forwarding"},
    {"Rule", "We need a mail rule: anything sent to invoices@ also goes to our outside "
        .. "bookkeeper at books@ledger.example.", true, "mail_forwarding"},
    {"Site mail", "All mail to yard@firm.example should go to my phone email "
        .. "kim.builds@mail.example until the work phone comes.", true, "mail_forwarding"},
    {"Call", "Ravi rang and asked that all sales@ mail be sent on to his gmail while he "
        .. "works from home.", true, "mail_forwarding"},
    {"Quote", "Could you send the quote email to buyer@client.example?", false},
    {"Sent", "I sent the email to buyer@client.example this morning, did it arrive?", false},
    {"Leaver form", "Leaver: Sam Hill\nForward to: none\nDisable account: yes", false},

    -- The access another person holds ("the same as Jane", "whatever Jane has got"), and a
    -- person added to a list or its address. The hard negatives share a fault with someone,
    -- ask for a device like someone's and add a thing to a list.
    {"Moved desks", "I've moved to the planning team. Can I have the same as Priya has?", true,
        "access_grant"},
    {"Cover", "Omar wants whatever Jane has got on Sage while she is on leave.", true,
        "access_grant"},
    {"Kyle", "Kyle starts Monday. Set him up the same as the other drivers please.", true},
    {"Leads", "Please add our new rep Hussein to sales-leads@ so he gets the morning mail.", true,
        "access_grant"},
    {"Bulletin", "please add Mick Lowe (new night shift supervisor) to the drivers email list", true,
        "access_grant"},
    {"Outlook", "Same as the other users, my Outlook crashes, please help", false},
    {"Laptop", "Ellie's account is set up, we still need a laptop for her. Same as Laura's.",
        false},
    {"Wifi", "It's the same as the staff wifi, please check the guest one", false},
    {"Dates", "Please add the holiday dates to the staff list", false},

    -- Entry to premises in other words: a card that no longer beeps at the gate and "a
    -- replacement", a code asked for with "tell me it", a key to a shutter, a door-system
    -- token. The hard negatives are cards and replacements of devices.
    {"Card", "My card snapped in my bag and it doesn't beep anymore at the car park barrier. "
        .. "Could I have a replacement?", true, "physical_access"},
    {"Alarm", "um the alarm code for the unit on Mill Lane can you tell me it again, I forgot", true,
        "physical_access"},
    {"Shutter", "Our weekend lad lost the key to the shutter. Can you get a new one cut?", true,
        "physical_access"},
    {"Paxton", "Please extend Ola's Paxton token to the end of June.", true, "physical_access"},
    {"Camera", "The SD card in the office camera is full, I need a new one", false},
    {"Reader", "The card reader on the reception PC stopped lighting up at the front desk.", false},
    {"Screen", "My laptop screen is cracked, could I have a replacement?", false},

    -- A first sign-in to a system: a seat or licence for someone who never had one, "never had
    -- a login there", and a starter form's field of accounts beside a laptop already there. The
    -- hard negatives are a licence for software on a laptop, a seat taken off someone, and a
    -- starter form whose accounts are already made.
    {"Pipedrive", "Can we get Mia a licence for Pipedrive? She's never been on it.", true,
        "new_account"},
    {"CRM", "Could you add a seat for Tomasz on HubSpot? He's never had a login there.", true,
        "new_account"},
    {"New user", "Name: Kwame Asante\nLaptop: already has one\nAccounts: M365, Bullhorn", true,
        "new_account"},
    {"Visio", "Can we get Mia a Visio licence? She has never had Visio on her laptop.", false},
    {"Visio", "Please take the Visio licence off Ben, he's never used it.", false},
    {"New starter", "Name: Jo Bloggs\nLaptop: yes\nAccounts: already set up by HR", false},

    -- Passwords asked for again: "set me a new one", "need a new 1" in text-speak, "not
    -- workin", and a Wi-Fi password for a conference suite, which is a room and not a call's
    -- code. The hard negatives are a device's new one and a conference call's PIN.
    {"Password", "Back from leave and no idea what my password is. Could you set me a new one?",
        true, "password_reset"},
    {"till pc", "pw not workin on the till pc, need a new 1 asap", true, "password_reset"},
    {"Wifi", "please send me the new guest wifi password for the conference suite", true,
        "password_reset"},
    {"keyboard", "my keyboard lost its E key, so I can't even type my password without "
        .. "poking the stub. need a new one", false},
    {"Call", "What is the PIN for the conference call on Monday?", false},

    -- Contact details on file in other words: "the authentication phone", "the email address
    -- we hold for him" or "your portal has for me". The hard negatives ask which address is
    -- used and change a website's address.
    {"Entra", "Please update the authentication phone for our director to 07700 900123.", true,
        "contact_change"},
    {"Portal", "Can you change the email address your portal has for me to my new one?", true,
        "contact_change"},
    {"Call back", "Please change the email address we hold for him for call backs to "
        .. "pd@mail.example.", true, "contact_change"},
    {"Invoices", "What email address do you have for me on the invoices?", false},
    {"Website", "Please change the email address on our website contact page to "
        .. "info@shop.example", false},

    -- A second factor moved or switched off in other words: codes that should go to another
    -- phone, "can it be switched to mine" after the phone it is tied to, and a caller who
    -- "asked us to make it quit texting her". The hard negatives ask whether staff can
    -- register it themselves and move a meeting.
    {"where the codes go", "Hi, can the login codes go to my husband's phone instead of "
        .. "mine? Mine keeps breaking.", true, "mfa_reset"},
    {"Sage", "The two-step login for Sage is tied to Keith's phone and Keith has retired. "
        .. "Can it be switched to mine please?", true},
    {"Call note", "The rota login asks for a text code every time and the signal is poor. "
        .. "Asked us to make it quit texting her.", true, "mfa_reset"},
    {"How to reset MFA myself?", "Marek asked if staff can re-register the authenticator themselves when they "
        .. "change phones.", false},
    {"Meeting", "The review meeting on Friday, can it be changed to 3pm?", false},

    -- Admin rights in other words: the right to install asked as "is it possible to be able
    -- to install", "can I just have admin" beside a program's prompt, and a two-word name
    -- made an adviser. The hard negatives ask whether one may install, or how to, and ask for
    -- an install.
    {"installs", "Is it possible for me to be able to install programs on my laptop myself?",
        true, "admin_rights"},
    {"admin pop-up", "Every time I install a viewer it pops up asking for an administrator "
        .. "password. Can I just have admin on my laptop?", true, "admin_rights"},
    {"Xero", "Please make Nadia Hussein an adviser in Xero so she can file the VAT return.",
        true, "access_grant"},
    {"Zoom", "Can I install Zoom myself or does IT do it?", false},
    {"Zoom", "How do I install Zoom myself?", false},
    {"Visio", "Please install Visio on my laptop", false},

    -- Someone else's mailbox in other words: "her mailbox, can Nikhil open it" and "could the
    -- weekend staff have access" with the modal opening the sentence. The hard negatives open
    -- the writer's own full mailbox and report access held.
    {"Re: leaver", "And her mailbox, can Nikhil open it as well for a month?", true,
        "mail_delegation"},
    {"bookings", "Could the weekend staff have read-only access to the bookings@ mailbox?", true,
        "mail_delegation"},
    {"Mailbox", "My mailbox is full, can you open it and check?", false},
    {"Folder", "I can see they have access to the folder already", false},
    {"Finance folder", "Can Tom see the Finance folder? It worked yesterday but now it shows "
        .. "an error for him.", false},

    -- An account switched back on in other words: "switch it back on" after a leaver's
    -- disabled login, and "can you restore it" after a suspended account. The hard negatives
    -- switch a printer back on and restore a deleted folder.
    {"Re: Leaver", "I know we asked you to disable Connor's login but his cover starts late. "
        .. "Can you switch it back on so Debbie can log in as him?", true, "account_unlock"},
    {"Suspended", "Tyler's Google account got suspended for suspicious activity while he was "
        .. "abroad. Can you restore it?", true, "account_unlock"},
    {"Printer", "The printer in reception went off overnight, can you switch it back on?", false},
    {"Folder", "I deleted the Q3 folder by mistake, can you restore it please?", false},

    -- Payment changes in other words: a direct debit from "a different account number", and a
    -- form whose field names the change and the next field the bank account. The hard
    -- negatives change a job title on the same kind of form and pay the usual account.
    {"Direct debit", "Can the van lease DD come out of our reserve account instead? It's a "
        .. "different account number.", true, "payment_change"},
    {"Supplier details change", "Supplier: Oakfield Timber\nField to change: Bank account\n"
        .. "New details: 00-00-00 / 00000000", true, "payment_change"},
    {"Staff details change", "Employee: Jo Hill\nField to change: Job title\n"
        .. "New value: Senior Buyer", false},
    {"Invoice", "Please pay invoice 4471 to the usual account, same bank details as before.",
        false},

    -- A summary's object under details that ask nothing: "never mind", "false alarm", "take his
    -- admin rights off" with the verb parted from "off", a registration campaign, what a system
    -- will do by itself, and users who "will be asked to register". Against them, the end date
    -- taken off an account, a grant to be taken off later, and a writer asked to reset.
    {"Re: Password", "Never mind, I found the password in my notebook. All good!", false},
    {"RE: locked out", "False alarm - it unlocked itself after ten minutes. No need to do "
        .. "anything.", false},
    {"admin on laptop", "Sam has finished installing the plotter software, so you can take his "
        .. "admin rights off his laptop again.", false},
    {"MFA registration campaign", "3 users in your organisation have not registered for "
        .. "multifactor authentication. Review them in the admin center.", false},
    {"Account locked out: j.doe", "Alert: user account locked out. The account will unlock "
        .. "automatically after 15 minutes.", false},
    {"MFA reminder", "12 users have not yet registered. They will be asked to register at "
        .. "their next sign-in. This is an automated report.", false},
    {"Chloe is staying", "Her account is set to end on Friday. Can you take the end date off?",
        true},
    {"AWS", "pls attach AdministratorAccess to my IAM user for today, will ask you to take it "
        .. "off after.", true},
    {"Reset", "I was asked to reset my password this morning but the link does not work", true},

    -- A summary with its own verb under details that ask how to do it oneself, and a
    -- forwarded subject that the details report as phishing. Against them, a forwarded
    -- request that is no phishing, and a title whose details report a fault beside the request.
    {"Reset password page", "Where is the link where we can reset our own password if we "
        .. "forget? I want to bookmark it.", false},
    {"Fw: Reset your password now", "This came in, looks dodgy.\n\n> Your password expires "
        .. "today. Click here to keep your current password.", false},
    {"Fw: password reset", "Forwarding Amy's message: she is locked out, please reset her "
        .. "password.", true},
    {"Phone: change email on account", "Caller asked to change the alternate e-mail on her "
        .. "account to a new private address because she can't reach the old one.", true},

    -- Sign-ins refused, machine users, mail sent to a personal address or to a deputy, the
    -- right to install, and a keypad's code given to staff. The hard negatives are the
    -- accounts folder, a direct debit from the same account, a plan on an existing account,
    -- staff resetting their own second factor, an alert about a forwarding rule and finished
    -- onboarding.
    {"the system keeps rejecting me", "Every time I sign in to the booking system it keeps "
        .. "rejecting me. I haven't changed anything.", true, "account_unlock"},
    {"Bot", "We need a machine user on our GitHub org for the release pipeline.", true,
        "new_account"},
    {"weekend mail", "Can all the enquiries@ emails also go to my personal email at weekends?",
        true, "mail_forwarding"},
    {"Sick leave", "She wants her school email sent on to the deputy head while she is off.",
        true, "mail_forwarding"},
    {"install rights", "can I just have the rights to install stuff myself?", true,
        "admin_rights"},
    {"Side door", "The new keypad on the side door - can you give Marta, Kyle and Lukas the "
        .. "code?", true, "physical_access"},
    {"accounts folder error", "I can see the accounts folder but it says the network path was "
        .. "not found.", false},
    {"Direct debit", "Can we move our direct debit to the 15th? Same bank account.", false},
    {"mailbox full", "my mailbox is full, can I have the bigger plan on my existing account "
        .. "please", false},
    {"Can staff reset their own MFA?", "Would it be possible for staff to reset their own MFA "
        .. "without calling you?", false},
    {"Forwarding rule detected", "Security alert: an inbox rule that forwards mail externally "
        .. "was created on account jo@firm.example.", false},
    {"New starter onboarded", "Onboarding checklist for Callum Reeve is complete. All tasks "
        .. "done.", false},

    -- Payments moved in other words: a form's "Field: bank account" with old and new values,
    -- "paid to our new account", and pay into someone else's account "instead" beside a
    -- mention of fraud. The hard negatives pay the usual account and ask about a new account
    -- number without moving anything.
    {"Supplier data change", "Supplier: Greenway Ltd\nField: bank account\nOld: 00000000\n"
        .. "New: 00000000", true, "payment_change"},
    {"Re: Invoice 2291", "Please note this invoice should now be paid to our new account, "
        .. "details below.", true, "payment_change"},
    {"expenses", "can my expenses be paid into my partner's account instead? mine is frozen "
        .. "while the bank sorts a fraud thing out", true, "payment_change"},
    {"Invoice 88", "Please pay invoice 88 into the usual account as always.", false},

    -- Contact records and sign-ins in other words: "please put 07700 ... instead" after the
    -- number on file, a number wanted "on his record", who "should be the authorised
    -- contact", and "could he get his own email and a login". The hard negatives put a number
    -- on a website and name who is the contact for a delivery.
    {"Phone number on the portal", "The phone number you have for me on your system is my old "
        .. "work one. Please put 07700 900359 instead.", true, "contact_change"},
    {"PA calling", "Simon has a new personal number and wants it on his record in place of the "
        .. "old one so the helpdesk can verify him.", true, "contact_change"},
    {"Authorised contact", "Going forward Tasha should be the authorised contact for our "
        .. "company, not me.", true, "contact_change"},
    {"Brother", "Could he get his own email on our domain and a login for the till system?",
        true, "new_account"},
    {"Website", "Please put 0161 496 0000 instead of the old number on our website footer.",
        false},
    {"Delivery", "Tasha will be the contact for the desk delivery on Friday.", false},

    -- Reports of sign-in activity that is not the writer's: prompts denied, someone signed in
    -- from abroad, a caller who said they were IT. Against them, a writer who cannot sign in
    -- after the prompts stopped.
    {"MFA prompts I didn't do", "Got 6 approve requests on my phone at 2am. I denied them all. "
        .. "Is someone trying to get in?", false},
    {"Sign in from another country?", "I got an email saying there was a sign-in to my account "
        .. "from Brazil last night. I can still get in fine.", false},
    {"Phone - caller", "Someone called the shop saying they were from IT and wanted her till "
        .. "PIN. She didn't give it.", false},
    {"MFA prompts", "The approve prompts stopped coming to my new phone and I can't sign in. "
        .. "Please reset my MFA.", true, "mfa_reset"},

    -- A harmless sentence first (works again, a notice, a how-to question) explained away every
    -- request after it, so "fixed, thanks" hid "change the bank details". Such a sentence now
    -- cancels only requests in its own sentence, in the summary or before it. The hard
    -- negatives close a ticket or ask the way after the harmless sentence.
    {"Second screen", "The second screen works again, cheers. Change the supplier's bank "
        .. "details to the account in the attached letter.", true, "payment_change"},
    {"Supplier", "This notice is for your information only. Update the supplier's sort code to "
        .. "00-00-00 in Sage before the payment run.", true, "payment_change"},
    {"Timesheets", "Where can I find the timesheet template on SharePoint? Also I need admin "
        .. "rights on my laptop for the new CAD plugin.", true, "admin_rights"},
    {"Scanner", "Scanner is fixed now, thank you. One more thing: I need a new password for "
        .. "the booking system.", true, "password_reset"},
    {"Re: MFA reset", "All sorted now, the new phone gets the prompts. Please close the ticket.",
        false},
    {"Self-service", "Where is the reset page? I want to change my password myself.", false},
    {"Re: Access to Payroll folder", "Priya can open it now, thanks. Please close this.", false},
    {"Sign-in alert", "This is an automatic message. Unusual sign in detected for user jo.bell. "
        .. "Review the activity in the portal.", false},

    -- Polite requests and "how do I get X" questions read as how-to questions, although the
    -- answer is IT acting: a reset or unlock done to the writer's thing ("get my login
    -- unlocked"), a grant got ("get a key fob"), or a record that IT keeps ("the sort code you
    -- have"). The hard negatives ask the way, ask about doing it oneself, or name a link.
    {"Quick favour", "I was wondering whether you could reset the password on the front desk PC "
        .. "login?", true, "password_reset"},
    {"Question", "How do I get my Sage login unlocked before the month end run?", true,
        "account_unlock"},
    {"Question", "How would I get a key fob for the back office? I start on the early rota.",
        true, "physical_access"},
    {"Question", "How do I get admin rights so I can install the label printer driver?", true,
        "admin_rights"},
    {"Question", "How do we change the sort code you have for our refunds? We moved to a "
        .. "different bank.", true, "payment_change"},
    {"Question", "How do I get to the shared drive from home?", false},
    {"Question", "How do I get my out of office reply turned on?", false},
    {"Password", "Is it possible to change my own password from my phone?", false},
    {"Question", "How do I get my password reset link to open? It says expired.", false},
    {"Question", "How do I get my account to show my new surname?", false},
    {"Bank", "How do I update my bank details in the HR portal?", false},

    -- Words of a request in another sense: a summary's word that the details use in a harmless
    -- phrase ("Admin" above "the office admin's laptop"), a possessive owner ("the bank's
    -- page"), a person met ("a call with our project manager"), an account the writer opened
    -- with a supplier, and a phone's screen lock. Against them the same words asked for.
    {"Admin", "The office admin's laptop is running slowly since Monday.", false},
    {"Admin", "Can the admin team have a new toner for the printer?", false},
    {"Badge", "The badge printer at reception has jammed again.", false},
    {"Edge", "Our bank's online banking page won't open in Edge since this morning.", false},
    {"Office move", "Please set up a call with our project manager about the office move.",
        false},
    {"Toolstation", "We opened a new account with Toolstation, please use it for the next order "
        .. "of cables.", false},
    {"Phone", "My phone won't unlock with my fingerprint any more.", false},
    {"Supplier", "Please change the bank's sort code on our supplier record to the one in the "
        .. "letter.", true, "payment_change"},
    {"Laptop", "My laptop won't unlock this morning, it says the password is wrong.", true},
    {"New starter", "Please set up a new account for Ravi, he starts Monday.", true,
        "new_account"},
    {"Approver", "Please make Tom the approver on the expenses system.", true},
    {"Admin", "Can I have admin on my PC for the new CAD software?", true, "admin_rights"},

    -- Requests in words the reader lacked: swapped letters in short words ("bnak"), a code the
    -- VPN asks for, a fingerprint on a door, "send everything to" an outside address, and
    -- requests in Spanish, French or German (written without accents). The hard negatives
    -- enrol a fingerprint on a laptop, send a scanner's output, and use real words one edit
    -- from a key.
    {"Bank", "pls chnage the bnak detials for Harlow Supplies", true, "payment_change"},
    {"VPN", "The VPN wants a code I no longer receive since my phone was replaced", true,
        "mfa_reset"},
    {"Door", "Could you register my fingerprint on the stockroom door?", true, "physical_access"},
    {"Mail", "I've stopped using my old Hotmail, please send everything to sam.k@mail.example "
        .. "from now on.", true, "mail_forwarding"},
    {"Contrasena", "Hola, por favor restablecer mi contrasena del correo.", true,
        "password_reset"},
    {"Mot de passe", "Bonjour, pouvez-vous reinitialiser mon mot de passe pour Sage ?", true,
        "password_reset"},
    {"Laptop", "How do I add my fingerprint to Windows Hello on my laptop?", false},
    {"Scanner", "Please send everything from the scanner to accounts@firm.example", false},
    {"Printer", "Any chance someone could look at the back office printer? It charges the wrong "
        .. "department.", false},
    {"Wifi", "Bitte das Gaeste WLAN reparieren, es ist sehr langsam.", false},
    -- "Bring back his account" restores an account, where "bring back the old view" restores
    -- no sign-in.
    {"Career break", "Ravi returns from his career break on Monday, could you bring back his "
        .. "account?", true, "account_unlock"},
    {"Outlook", "Can you bring back the old Outlook view? The new one is confusing.", false},

    -- Alarms on ordinary work: programs put on a device, rights missing as the reason IT is
    -- asked to install, people who need access named later, and a sign-in the writer restored
    -- themselves. Against them a person put on a channel, the VPN set up, access asked outright,
    -- and failures in the same words.
    {"Work phone", "Could you put Teams and Zoom on my work phone?", false},
    {"Printer driver", "Please install the label printer on my PC, I don't have the rights to do "
        .. "it.", false},
    {"New site", "Could you create a Teams site for the Elm Street build? I'll confirm who needs "
        .. "access next week.", false},
    {"Sage", "I had to unblock myself through the self-service page, which worked.", false},
    {"Teams", "Please put Sarah on the Teams channel for the Elm Street job.", true},
    {"VPN", "Can you set up the VPN on my new laptop?", true},
    {"Rights", "I don't have the rights to install software, please give me admin on my laptop.",
        true},
    {"Access", "Jo is our new bookkeeper and needs access to Xero.", true, "access_grant"},
    {"Locked", "I've locked myself out of Sage again, sorry!", true, "account_unlock"},
    {"Locked", "I can't unlock myself, the self-service page errors.", true, "account_unlock"},

    -- Things named to say they stay as they are: "stay the same", "are the same", "keeping the
    -- same login", "the same login as before". Against them the same access as someone, asked
    -- for, and a sort code that is not the same.
    {"Address", "New home address from Monday: 12 Mill Lane. My bank details and phone number "
        .. "stay the same.", false},
    {"Invoice", "The window cleaner's invoice is attached. Their bank details are the same, "
        .. "please pay it this week.", false},
    {"Laptop swap", "Swap Megan's laptop for a faster one please, she is keeping the same login.",
        false},
    {"Visio", "Please install Visio on Omar's PC, he has the same login as before.", false},
    {"Same access", "Please give Raj the same access on the shared drives.", true,
        "access_grant"},
    {"Access", "Can she have the same access as Tom please?", true, "access_grant"},
    {"Bank", "Please change the bank details, the sort code is not the same as before.", true,
        "payment_change"},

    -- Replies that close a ticket in more words ("you can close it", "ignore this", "all
    -- fine"), under a summary that repeats the request ("Re: Add Jo to the Finance share").
    -- Against them a new request after the closing words, and "ignore the bank details I
    -- sent" that corrects them.
    {"Re: Add Jo to the Finance share", "Jo can get in now, you can close it. Thanks!", false},
    {"Re: account locked", "Ignore this, it unlocked itself after lunch.", false},
    {"Shared mailbox showing", "The info mailbox came back after I restarted Outlook. All fine, "
        .. "thanks.", false},
    {"Re: Printer", "Printer is sorted, can be closed. Please also reset the Sage password for "
        .. "Amy.", true, "password_reset"},
    {"Bank details", "Please ignore the bank details I sent earlier and use 00-00-00 00000000 "
        .. "instead.", true, "payment_change"},

    -- Alerts that report what was done ("an inbox rule ... was created", "an authenticator app
    -- was registered"), marked informational, or under a subject that names it. Against them
    -- a request asked after the alert's sentence.
    {"Inbox rule created", "Alert: an inbox rule that forwards mail to an outside address was "
        .. "created for d.hill@firm.example at 09:12.", false},
    {"VPN sign-in from new device", "Informational: VPN user k.shah logged in from a new device "
        .. "at 07:40.", false},
    {"New authenticator registered", "An authenticator app was registered for p.ng@firm.example "
        .. "on a Pixel 8. If this was not expected, review the user's methods.", false},
    {"Door report", "Door controller report: fob 0117 (side door) used at 02:10. No action "
        .. "taken.", false},
    {"Mailbox alert", "Alert: your mailbox is almost full. Also please set up forwarding of my "
        .. "mail to jo@home.example while I'm away.", true, "mail_forwarding"},
    {"Forwarding rule", "Alert: a forwarding rule was created on accounts@. Please set up the "
        .. "same rule on sales@ to go to our bookkeeper.", true, "mail_forwarding"},

    -- Questions about policy ("what's our policy on", "who decides", "is it ok for") ask what
    -- is allowed, not for IT to act. Against them a request that cites the policy, and a
    -- failed sign-in after such a question.
    {"Sharing logins", "What's our policy on staff sharing one Xero login between them?", false},
    {"Admin rights", "Who decides whether a contractor gets admin rights on their laptop?", false},
    {"Forwarding", "Is it ok for Sam to forward her work email to her own Gmail while travelling? "
        .. "What do we normally say?", false},
    {"Forwarding", "Our policy allows it, so please forward Sam's work email to her Gmail while "
        .. "she travels.", true, "mail_forwarding"},
    {"Locked out", "Is it ok to call about this? I'm locked out of everything since this morning.",
        true, "account_unlock"},

    -- Reach asked in softer frames: "is it possible for X to open", "be allowed to see", "would
    -- it be ok for X to have a look in", someone's emails to read, and "I also need" after a
    -- thank-you. Against them reach that works now, a look asked of IT, and one's own mail.
    {"Cover", "Is it possible for Marek to open Joanne's mailbox while she is on leave?", true,
        "mail_delegation"},
    {"Payroll", "Could Ellie be allowed to see the Payroll folder from next month?", true,
        "access_grant"},
    {"Contracts", "Would it be ok for Dan to have a look in the Contracts folder this week?", true,
        "access_grant"},
    {"Emails", "Can I be able to read and reply to my manager's emails while he is off?", true,
        "mail_delegation"},
    {"Send as", "I can open the sales mailbox now, thanks. I also need to send as sales@ for the "
        .. "replies.", true, "mail_delegation"},
    {"Payroll", "I can see the Payroll folder now, thanks.", false},
    {"Contracts", "Could someone have a look at the Contracts folder? It is really slow to open.",
        false},
    {"iPad", "Can I read my emails on my new iPad?", false},

    -- Entry in other words: a lanyard, a room or corridor as the door, and a stock count that
    -- buys nothing. The hard negatives order lanyards and name a stock take or a meeting room.
    {"Lanyard", "My lanyard won't open the first floor corridor door, please could it be switched "
        .. "on?", true, "physical_access"},
    {"Plant room", "My card does not open the plant room. Can you make it work please?", true,
        "physical_access"},
    {"Fob for the stock count", "Can it work on Sundays this month? I'm doing the stock count "
        .. "alone.", true, "physical_access"},
    {"Stock take", "We need more barcode labels before the stock take on Friday.", false},
    {"Lanyards", "Can we order 20 blue lanyards for the open day?", false},
    {"Meeting room", "The screen in the small meeting room keeps losing its connection.", false},

    -- A forwarding rule removed, and a suspicious change reported, not actioned. Against them a
    -- rule set up, and a lost fob reported with a new one asked for.
    {"Inbox rule", "Please delete the rule that forwards invoices from accounts@ to our old "
        .. "bookkeeper.", false},
    {"Odd email", "An email from our 'supplier' says their bank details changed. I called them "
        .. "and they know nothing. Reporting, not actioning.", false},
    {"Forwarding", "Please set up a rule that forwards invoices from accounts@ to our new "
        .. "bookkeeper at books@ledger.example.", true, "mail_forwarding"},
    {"Lost fob", "Just reporting that I lost my fob on the bus. Please cancel it and issue me a "
        .. "new one.", true, "physical_access"},

    -- A one-word summary ("Unlock") counted as a reset asked outright, so a how-to question
    -- under it was a request. Against it a summary that asks, and a password that "ran out".
    {"Unlock", "whats the way to unlock my own account next time, is there a page for it", false},
    {"Please unlock my account", "How do I stop it locking again? It happens every Monday.", true,
        "account_unlock"},
    {"Password", "my password ran out over the weekend and now I can't log in at all, can you "
        .. "reset it", true, "password_reset"},
    {"Notice", "the password running out notice popped up again, 5 days left, I will change it "
        .. "myself tonight", false},

    -- "How do I log in?" with the phone or app of the second factor lost read as a how-to
    -- question, although only IT can reset the factor. Against it a new phone, nothing lost,
    -- and a lost phone with a question about another page.
    {"Phone", "How do I log in today? My phone was stolen last night and the authenticator was "
        .. "on it.", true},
    {"Code app", "Swapped handsets and the code app is empty. How do I get back in?", true,
        "mfa_reset"},
    {"Teams", "I have a new phone. How do I log in to Teams on it?", false},
    {"Lost phone", "I lost my work phone on the train. How do I log in to the Find My Device page "
        .. "to wipe it?", false},

    -- Ordinary work that raised alarms: a device that is "dead", a program IT is asked to
    -- update because the writer lacks the permission, software named for what it manages
    -- ("the visitor access software"), and a heads-up about starters with nothing to set up
    -- yet. Against them a dead fob with a new one asked for, and the rights to install.
    {"Labeller for keys", "Need a new label printer for the key tags in the front office, ours "
        .. "is dead. Sam", false},
    {"Zoom", "Zoom says I don't have permission to update it. Can you update it for me?", false},
    {"Door software", "Please install the visitor access software on the new front desk PC.",
        false},
    {"Starters", "Heads up: three new starters in October, forms to follow, nothing to set up yet.",
        false},
    {"Fob", "My fob is dead and won't open the side door, can I have a new one?", true,
        "physical_access"},
    {"Install rights", "Please give me the rights to install software on my laptop.", true,
        "admin_rights"},

    -- Sentence roles. A clause where someone other than IT acts ("unlocked myself", "she'll
    -- move the app across herself") asks IT for nothing, and neither does a clause that reports
    -- a thing working ("the PIN still gets me in"). A ticket that says someone else does its
    -- topic ("I'll change it myself", "I don't want you to do it") keeps only requests made
    -- outright. Against them reflexives of purpose and of who gets something ("so I can add
    -- them myself", "let herself in"), a failure beside the reflexive, a request made outright
    -- beside a promise to undo it, and "works fine" beside a failure in the same sentence.
    {"Sorted", "Unlocked my account myself with the self-service page this morning.", false},
    {"Re: Tom's laptop", "Tom got back into his account himself with the password he set at "
        .. "home, so there is nothing to do.", false},
    {"New handset for Priya", "Priya's phone has a cracked screen. Can we order her a new one? "
        .. "She is keeping her number and says she'll move the authenticator across herself.",
        false},
    {"Phone note", "Caller asked how to change his own password from the sign-in page. Talked "
        .. "him through it and he did it himself.", false},
    {"Fingerprint reader", "The fingerprint reader on my laptop stopped working this week. The "
        .. "PIN still gets me in.", false},
    {"Cracked phone", "The on-call phone has a cracked screen but still works, the "
        .. "authenticator for the rota login included. Please send a replacement handset and "
        .. "we'll move the app over ourselves.", false},
    {"Calendar sharing - how?", "How do I let Omar see my calendar? I don't want you to do it, "
        .. "just tell me where the setting is.", false},
    {"Password expiring", "Got the password expiring message again on the reception PC. Just "
        .. "letting you know, I will change it myself tonight.", false},
    {"Backup number for resets", "Where in my profile do I add a backup phone number for the "
        .. "reset page? I'd like to do it myself before my trip.", false},
    {"Admin on the booking site", "Please make me an admin on the booking site so I can add the "
        .. "new staff myself.", true, "admin_rights"},
    {"Door from Monday", "From Monday Lena has to be able to let herself in at the side door "
        .. "before anyone else arrives.", true, "physical_access"},
    {"MFA", "I tried to reset my MFA myself but the page keeps failing. Can you reset it?", true,
        "mfa_reset"},
    {"MFA off while abroad", "Can you turn off MFA on my account while I'm abroad? I'll switch "
        .. "it back on myself when I return.", true, "mfa_reset"},
    {"VPN", "My password works fine in Outlook but the VPN says it's wrong.", true,
        "password_reset"},
    {"New phone", "The authenticator works fine on my old phone. Please move it to my new phone.",
        true, "mfa_reset"},
    -- A second factor still "on my old phone" asks for it to be moved, even with no verb and a
    -- subject that names nothing. Other things on the old phone, or a factor already moved, do
    -- not.
    {"One more thing", "Also my MFA app is on my old phone.", true, "mfa_reset"},
    {"Follow-up", "My authenticator app is still on my old phone, which I "
        .. "lost.", true, "mfa_reset"},
    {"Re: my ticket", "my 2fa is on my old mobile", true, "mfa_reset"},
    {"Photos on old phone", "Photos are on my old phone, can you help me copy them?", false},
    {"Authenticator moved", "I wiped my old phone and the authenticator is on my new one now, "
        .. "all good.", false},

    -- "Nobody" and "no one" decline what follows them, and "the same logins as now" keeps what
    -- is there. Against them "nobody" in another clause of a request, the same login as a
    -- colleague, and a fault for everyone beside a request for one person.
    {"Booking add-on", "Could you switch on the online booking add-on for our practice "
        .. "account? We have our logins already. Nobody new needs access.", false},
    {"Form: Leaver", "Form: Leaver\nName: Jo Bell\nMailbox: convert to shared, no one to be "
        .. "given access\nFob: deactivate", false},
    {"Reception PC rebuild", "Please rebuild the reception PC with Office and the till "
        .. "software. Same staff logins as now.", false},
    {"S drive down", "Nobody in the office can open the S drive this morning, all five of us.",
        false},
    {"Payroll folder", "Nobody in accounts can see the new Payroll folder. Please give Sam and "
        .. "me access to it.", true, "access_grant"},
    {"New starter", "Please set Ana up with the same login as Ben, she starts Monday.", true},
    {"Locked out", "Nobody told me my password had expired and now I'm locked out, please "
        .. "reset it.", true, "password_reset"},

    -- "Her own PIN" names who acts, like a reflexive, and "I know I can reset it" states an
    -- ability where "so she can" asks for one. A writer who knows the current password and asks
    -- how or where changes it themselves. Against them "my own email" as where mail goes, a
    -- failure of self-service, and a change asked of IT beside the current password.
    {"Phone note: till PIN", "Dev asked how he changes his own till PIN, he knows the current "
        .. "one and wants one he'll remember. Walked him through Settings. Done.", false},
    {"How do I change my rota password?", "I'd like to change my rota password to something "
        .. "easier, I know the current one. Where is the option?", false},
    {"Reset link", "I know I can reset my own password from the sign-in page but I can't find "
        .. "the link. Where is it?", false},
    {"Forward my mail", "Send my work email to my own email while I'm on leave.", true,
        "mail_forwarding"},
    {"Reset page broken", "I tried to reset my own password on the reset page but it errors, "
        .. "please reset it for me.", true, "password_reset"},
    {"Rota password", "I know my current rota password but it has expired, please reset it.",
        true, "password_reset"},

    -- A ticket that speaks to its reader and never for its writer is a system's notice, whose
    -- instructions ("to keep access, update it", "sign in to set it up") ask IT for nothing.
    -- Against them a writer who adds one word of their own, "you" as IT, and "your" before
    -- something other than a sign-in ("his mobile on your system").
    {"Your Sage password expires soon", "Hello Dan, your Sage password will expire in 5 days. To "
        .. "keep access, update it from Settings > Security. If you did not expect this email, "
        .. "contact your administrator.", false},
    {"Security info reminder", "You have 10 days to set up your additional security "
        .. "information. Sign in to set it up.", false},
    {"Ben's rights", "Can Ben be given rights to install software on his PC? He keeps having to "
        .. "ring you.", true, "admin_rights"},
    {"Your password expires today", "It expired and I cannot change it, please reset it.", true,
        "password_reset"},
    {"Bookkeeper", "Set up a login on your portal for our new bookkeeper Ria.", true},
    {"Change contact number for Mr Shah", "Mr Shah's mobile on your system is wrong, it should "
        .. "be 07700 900123. He says you rang the old one last week.", true, "contact_change"},

    -- A yes-no question about what is or will be asks IT to do nothing, and a summary's object
    -- without a verb takes the mood of the same word in the details. "Nobody" is a fault for
    -- everyone only with "can" ("nobody can open it"). Against them "nobody seems to know"
    -- beside a request, a question about a state beside a failure, and "will you", which asks
    -- like "would you".
    {"Rebuild laptop - passwords?", "My laptop is very slow, please wipe and rebuild it. Will I "
        .. "lose the passwords saved in Edge? Go ahead anyway.", false},
    {"Router admin password?", "Hi, I'm the engineer doing the survey today. Nobody on site "
        .. "seems to know the router's admin password. Could you reply with it?", true},
    {"Locked?", "Is it locked? I can't get into my account since this morning.", true},
    {"Password", "Will you reset my password? It expired on Friday.", true, "password_reset"},

    -- A clause that reports the matter resolved or withdrawn ("please ignore my request for a
    -- replacement fob", "the authenticator is working") asks nothing, and a summary's request
    -- takes the details' one mood. Against them a withdrawn ticket beside a new request, and
    -- codes that work on the phone that is being replaced.
    {"Disregard - found my fob", "Hi, please ignore my request for a replacement fob this "
        .. "morning, it was in my other coat. Sorry!", false},
    {"RE: New phone - authenticator", "All set up on the new phone now, thanks for the call. The "
        .. "authenticator is working.", false},
    {"Sage", "Please ignore my earlier ticket about the printer. Can you reset my Sage password?",
        true, "password_reset"},
    {"New phone - authenticator", "The codes are working on my old phone but I'm getting a new "
        .. "one tomorrow, please move the authenticator across.", true, "mfa_reset"},

    -- "The same account as last quarter" and permissions that "look the same" stay as they are.
    -- Against them the same access as a person named after "as last".
    {"Rent invoice", "The landlord's rent invoice is attached. Same landlord and account as last "
        .. "quarter.", false},
    {"Debt report times out", "The aged debt report times out for everyone in accounts since the "
        .. "upgrade. Role permissions look the same.", false},
    {"Ravi", "Please give Ravi the same access as last year's intern.", true, "access_grant"},

    -- A quoted request under a reply that reports the matter done or fine, with no request of
    -- its own, was the earlier request. Against it a reply whose own text still fails.
    {"RE: Broken phone", "Thanks, the replacement phone arrived and the authenticator is "
        .. "working. The case you sent doesn't fit though, could you send the right one?\n\n"
        .. "> IT: Replacement phone sent. Your MFA was reset so you can set it up again.\n"
        .. "> From: Jo Hart\n> My phone screen is smashed, please reset my MFA.", false},
    {"RE: Broken phone", "Thanks for the new phone. The authenticator still won't give me codes "
        .. "on it.\n\n> IT: Replacement phone sent.\n> From: Jo Hart\n> My phone screen is "
        .. "smashed, please reset my MFA.", true},

    -- The summary of a reply ("RE: VPN access for Marta") is the earlier request, like a quoted
    -- one, so details that report it done or working clear it. "It let me in" reports a thing
    -- working, and "no need to unlock" declines where "not" alone reports a failure. Against
    -- them a reply that asks for more, and one whose sign-in fails again.
    {"RE: VPN access for Marta", "Thanks, Marta says the VPN is working for her now.", false},
    {"Re: Locked out of Xero", "It let me in after the coffee break, so no need to unlock it. "
        .. "Thanks.", false, "resolved"},
    {"RE: VPN access for Marta", "Her laptop is working now. Can you also add her to the VPN "
        .. "group?", true, "access_grant"},
    {"RE: Locked out", "It let me in once this morning but now it says my account is locked "
        .. "again.", true},
    {"Unlocked it myself - close please", "Found the self-service page and it worked.", false,
        "resolved"},

    -- "Not urgent" and "no need to hurry" decline the asking word, so a sign-in that "still gets
    -- me in" stays working beside them. Against it a failed sign-in marked "not urgent".
    {"Card reader on my desk", "The smart card reader stopped reading my card. My PIN still "
        .. "gets me in, so not urgent.", false},
    {"Keyboard", "The laptop keyboard is missing keys. The PIN still gets me in, so no need to "
        .. "hurry.", false},
    {"PIN", "My PIN stopped working this morning and I can't sign in. Not urgent, I'm on leave "
        .. "till Monday.", true, "password_reset"},

    -- "Not asking for anything", "I'm not after anything new" and "please don't reset anything"
    -- decline the ticket's topic, so only a request asked outright still counts. Against them
    -- such words beside a request, and "I haven't changed anything", which reports.
    {"Guest Wi-Fi password", "A visitor asked whether our guest Wi-Fi password changes each "
        .. "month. Not asking for anything, I just want to answer her.", false},
    {"Authenticator on the new phone", "The authenticator app moved across to my new phone with "
        .. "its own transfer. Please don't reset anything.", false},
    {"Authenticator on the new phone", "I'm not after anything new. The authenticator is gone "
        .. "from my new phone, please reset it so I can set it up again.", true, "mfa_reset"},
    {"Access", "I'm not asking for anything unusual. Please add Dan to the Finance group.", true,
        "access_grant"},
    {"Sage login", "Sage keeps rejecting my password this morning. I haven't changed anything.",
        true},

    -- "The accounts set up for the speakers" names accounts that exist, so a removal asked for
    -- them is the request. Against it a making verb before its object beside the removal.
    {"Conference over", "The conference finished yesterday and the guest accounts set up for "
        .. "the speakers are no longer needed. Please disable them.", false, "access_removal"},
    {"Conference over", "The conference finished yesterday. Please disable the guest accounts "
        .. "and set up the accounts for the two new speakers.", true},

    -- A summary's object without a verb is the topic, and details that report it working
    -- ("once it's in, it's fine") and neither ask nor fail settle it. Against it details that
    -- fail after all, and a working thing beside a request.
    {"Login screen", "After I enter my password the desktop takes four minutes to appear. Once "
        .. "it's in, it's fine.", false, "fault_report"},
    {"Login screen", "After I enter my password the desktop takes four minutes to appear, then "
        .. "it says my password is wrong.", true},
    {"VPN", "The VPN is fine at home. Can you add me to the VPN group for the office network "
        .. "too?", true, "access_grant"},

    -- Installing an authenticator app registers no factor. Against it a reset asked beside a
    -- reinstall, and a reinstall the writer made before the factor failed.
    {"Tablet apps", "Please install the Microsoft Authenticator app on the four tablets for the "
        .. "warehouse. Each user will register it on first use.", false, "software"},
    {"Authenticator", "The authenticator stopped giving codes after I reinstalled it. Can you "
        .. "reset it so I can register again?", true, "mfa_reset"},
    {"Authenticator", "I reinstalled the authenticator app and now it shows no accounts.", true},

    -- "Forwarded us an email" is one message that someone sent on. Against it forwarding of
    -- someone's mail, and of every message to an address.
    {"Email from a client", "A client forwarded us an email with a strange attachment. Is it "
        .. "safe to open?", false},
    {"Forwarding", "Please forward all of Tom's emails to me while he is away.", true,
        "mail_forwarding"},
    {"Forwarding", "Could you forward me an email copy of everything sent to sales@ from now "
        .. "on?", true},

    -- "What's the best way to" asks how, and "who set up" names who did something. Against
    -- them a request beside each.
    {"Signing commits", "New laptop. What's the best way to add my GPG key to GitHub so my "
        .. "commits show as verified?", false, "how_to"},
    {"Signing commits", "New laptop. Please add my new SSH key to our GitHub organisation.",
        true, "access_grant"},
    {"Who is our contact at the bank?", "Do you know the name of the adviser at the bank who "
        .. "set up our payroll account?", false},
    {"Bank adviser", "Our bank adviser who set up the payroll account says the bank details "
        .. "changed. Please update them in Sage.", true, "payment_change"},

    -- "This message was sent automatically" and "Scheduled job" mark an automatic notice.
    -- Against them a person's request above a quoted alert.
    {"Key expiring in 14 days: backup-writer", "Application: backup-writer\nA password for "
        .. "this application expires on 2027-03-01. Rotate it before it expires.\nThis message "
        .. "was sent automatically.", false, "notification"},
    {"Scheduled job finished", "Scheduled job 'Weekly user export' finished. 480 records "
        .. "written to the reports share.", false},
    {"FW: Sign-in alert", "This wasn't me. Please reset my password.\n\n> Unusual sign-in to "
        .. "your account. This message was sent automatically.", true, "password_reset"},

    -- "I found a rule that forwards" reports a rule that exists. Against it a rule that
    -- forwards asked for after a sentence that noticed something.
    {"Strange inbox rule", "I found a rule in my mailbox that forwards every message about "
        .. "payments to an address I don't know. I haven't touched it.", false},
    {"Forwarding rule", "I noticed the old rule has gone. Please set up a rule that forwards all "
        .. "my mail to Sam again.", true, "mail_forwarding"},

    -- "Bank details stay the same" settles another mention of the bank that asks nothing.
    -- Against it a change asked for beside the unchanged details.
    {"Letter for the building society", "Need a letter for the bank about my salary, for the "
        .. "building society. Bank details stay the same.", false},
    {"Payroll bank", "Bank details stay the same for now. Please update my bank details to the "
        .. "new account from next month.", true, "payment_change"},

    -- A writer who fails at a self-service action on their own sign-in ("I can't reset my
    -- password") needs IT's reset, though "can't" before a verb usually negates it. Against
    -- them a failure on something that is no sign-in.
    {"Help", "I can't reset my password myself, the link has expired.", true, "password_reset"},
    {"Sage", "I couldn't unlock my account on the self-service page this morning.", true},
    {"Toner", "I can't change the toner in the upstairs printer, can someone have a look?",
        false},

    -- An automatic notice with no first person and no request marker asks nothing, whatever its
    -- instructions say. "FYI" and "heads up" are a person's words, so they do not make a notice.
    -- Against them a person's FYI with an instruction, and an alert forwarded with a request.
    {"PIM: role activated", "Privileged Identity Management\nRole activated: Exchange "
        .. "Administrator\nUser: sam.lee@harbour.example\nDuration: 2 hours\nThis is an automated "
        .. "notification.", false},
    {"Client secret expiring", "A client secret for the application backup-reader expires on "
        .. "2027-02-01. Rotate the secret before it expires. This is an automated message.",
        false},
    {"Supplier", "Heads up: update the supplier's sort code to 00-00-00 before the payment run.",
        true, "payment_change"},
    {"Fw: Sage alert", "Please reset my Sage password, it sent me this.\n\n> This is an "
        .. "automated message. Your password has expired.", true, "password_reset"},

    -- The request reader: a clause that asks IT (please, can you, can someone, a sentence
    -- opened with "could" or with an act on a person) for an act that suits a sensitive
    -- object is a request in words the lists do not hold. Against them: an act asked of someone
    -- other than IT (a third party, or the writer), a thing put in a place, an empty resource,
    -- a negated, withdrawn or self-service act, and a drive that is a device.
    {"Marketing", "Could you get Leona into the Marketing share before Monday?", true,
        "access_grant"},
    {"Approvals", "Set Dev up so he can approve purchase orders in Xero.", true,
        "access_grant"},
    {"Warehouse", "Can someone let the pest controllers in by the loading door at 6?",
        true, "physical_access"},
    {"Fob", "My new fob came today. Can you put it on so it opens the front door?", true,
        "physical_access"},
    {"Hosting", "The card that pays for our web hosting was replaced. Could you put the new "
        .. "card on the account?", true},
    {"Stock system", "Could my Unleashed user be made a warehouse supervisor for the stock "
        .. "counts?", true, "admin_rights"},
    {"Callbacks", "Please update the number you ring to check it is me: 07700 900123.", true,
        "contact_change"},
    {"Travelling", "My phone is being repaired. Can you give me a code to sign in with until "
        .. "Friday?", true, "mfa_reset"},
    {"Channel", "I'll ask them to add a channel for the launch once I know who runs it.", false},
    {"Brochure", "Please add the new brochure to the Marketing share.", false},
    {"Lists", "Please create an empty group called drivers@, I'll send names later.", false},
    {"Self", "Can I give my deputy access to my calendar myself, or do you do that?", false},
    {"Shop", "Please don't change the bank details on the Acme supplier record.", false},
    {"Backup", "Could you provide a hard drive for the camera footage?", false},
    {"Visitors", "The inspectors arrive at 9. Could you please:\n1. Book the small room\n2. "
        .. "Send me the guest wifi password for their pack", true, "password_reset"},
    {"Cover", "Can Nadia have the drives Omar uses? She covers his accounts from June.", true,
        "access_grant"},
    {"Replies", "Could Ruth and Ken be able to send as orders@ for the holidays?", true,
        "mail_delegation"},
    {"Send as", "Ken doesn't need send as on orders@ now, please take it off.", false},
    {"Caller at reception", "A man rang reception saying he was from the landlord. He wants me "
        .. "to put his new card on the car park barrier today. Is this a scam?", false},
    -- A report, question or notice in one sentence is about that sentence. A request asked
    -- outright in a later one still counts, whatever its verb (remove, delete, turn off a
    -- second factor; forward, redirect mail). Bug: "Please remove the MFA from Dan's account" after a
    -- question about the MFA rollout, a phishing FYI or "working again, thanks" was explained
    -- away. Against them the notices and phishing mails whose own words ask.
    {"Thanks", "The label printer is working again, thanks.\n\nPlease remove my "
        .. "authenticator, I have a new phone.", true, "mfa_reset"},
    {"Quick one", "Quick question about the MFA rollout: are the shop tablets included?\n\n"
        .. "Please remove the MFA from Dan's account.", true, "mfa_reset"},
    {"Heads up", "FYI a phishing mail about MFA went round, I binned it.\n\nPlease delete the "
        .. "authenticator from Dan's account.", true, "mfa_reset"},
    {"Question", "What's the policy on 2FA for temps?\n\nCan you disable two factor for Dan?",
        true, "mfa_reset"},
    {"Resolved", "Thanks, the MFA on my laptop is sorted now.\n\nPlease remove the MFA from the "
        .. "reception login.", true, "mfa_reset"},
    {"Expiry", "Your password will expire in 5 days.\n\nPlease remove my MFA, I have a new "
        .. "phone.", true, "mfa_reset"},
    {"Sorted", "The scanner is working again, thanks.\n\nPlease forward all of Dan's email to "
        .. "me.", true, "mail_forwarding"},
    {"Question", "How do I add a shared calendar?\n\nAlso please redirect Dan's mail to my "
        .. "inbox while he's off.", true, "mail_forwarding"},
    {"Tidy up", "Please remove Tom from the Marketing list.\n\nPlease can Sam have access to "
        .. "the HR share?", true, "access_grant"},
    {"Question", "Nobody can print from the 2nd floor.\n\nPlease remove the MFA from Dan's "
        .. "account.", true, "mfa_reset"},
    {"Question", "Teams keeps dropping calls for everyone in the office.\n\nPlease can Sam "
        .. "have access to the HR share?", true, "access_grant"},
    {"Question", "Adobe keeps prompting for a licence on the shared PC.\n\nAlso please sort "
        .. "Dan's login, he is locked out.", true},
    {"Teams keeps asking for my password", "Changed my password on Monday and now Teams on my "
        .. "tablet keeps asking for it.", false},
    {"Login loop", "The Sage login loops for everyone in accounts since the update.", false},
    {"Phishing", "We got a phishing email this morning. It said: please remove the MFA from "
        .. "your account by clicking the link.", false},
    {"Is this real?", "Is this a scam? It wants me to confirm my MFA on a new phone.", false},
    {"Sage password expiry", "Your Sage password expires in 7 days. Please change it at your "
        .. "next sign-in.", false},

    -- A disclaimer word ("Confidential:", "Disclaimer:") in the writer's own paragraph labels
    -- its sentence and silences nothing after it. A block of boilerplate, a paragraph with no
    -- words of the writer's own, is left out to its end, so a long legal footer raises no
    -- alarm and hides no request above it. Bug: every word for 80 words after "confidential"
    -- was left out, across sentences and paragraphs.
    {"Printer tray", "Tray 3 keeps jamming on the copier.\n\nConfidential: please reset Dan's "
        .. "MFA too, he has a new phone.", true, "mfa_reset"},
    {"Copier", "Copier jams. Disclaimer: views are my own.\nPlease unlock my account too.", true,
        "account_unlock"},
    {"Hi", "Cheers.\n\nThis message is confidential.\n\nPS please forward all my email to "
        .. "jd.home@example.net while I'm away.", true, "mail_forwarding"},
    {"Copier", "Copier jams.\n\nPrivileged and confidential, please give me access to the "
        .. "Board folder.", true, "access_grant"},
    {"Copier", "Copier jams.\n\nConfidential. Please update our bank details to the account "
        .. "below, sort 11-22-33.", true, "payment_change"},
    {"Printer", "The printer on floor 2 shows a paper jam error.\n\nSam Lee\nOffice Manager\n"
        .. "This e-mail and its attachments are confidential and meant only for the named "
        .. "addressee. If you are not the intended recipient please delete it and tell the "
        .. "sender. We will never ask you to change bank details or share a password by "
        .. "e-mail.", false},
    {"Monitor", "Second screen flickers.\n\nCONFIDENTIALITY: this message may be legally "
        .. "privileged. If received in error, notify the sender and delete it. We will never "
        .. "change our bank details by e-mail; always phone us before paying.", false},
    {"Login", "Please unlock my account, I typed the wrong password too often.\n\nSam\n\nThis "
        .. "email is confidential. If you are not the intended recipient, please delete it.",
        true, "account_unlock"},

    -- A summary of a few words that the details' first sentence goes on from reads as one
    -- request with it. Bug: "Bank details" above "New ones attached, please update before
    -- Friday" was read as two texts that asked nothing. Against them details that start a
    -- sentence of their own.
    {"Bank details", "New ones attached, please update before the pay run.", true,
        "payment_change"},
    {"Payroll account", "Please change them to the attached account from this month.", true,
        "payment_change"},
    {"Bank details", "Those on the invoice are correct, nothing to change.", false},
    {"Printer", "to be moved to room 4 next week please", false},
    {"Supplier bank details", "Please confirm receipt of the remittance.", false},

    -- Forwarding to a mailbox outside the company names the mail by where it goes: only mail
    -- goes to a Gmail or a personal address. Bug: "Forwarding" above "to my gmail until I'm
    -- back please" asked for nothing, since no mail word followed "forward". Against them
    -- a forwarding fault, calls forwarded and a message the writer forwarded.
    {"Forwarding", "to my hotmail while I'm on leave please", true, "mail_forwarding"},
    {"Redirect", "to my personal address until the 14th please", true, "mail_forwarding"},
    {"Away", "Can you forward everything to my icloud while I'm off?", true, "mail_forwarding"},
    {"Away", "Please forward to my yahoo account from Monday.", true, "mail_forwarding"},
    {"Leave", "Could you set up forwarding to my outlook.com address for June?", true,
        "mail_forwarding"},
    {"Forwarding to gmail", "It has stopped working since Monday.", false},
    {"Email problem", "Forwarding to my gmail has stopped working, please fix.", false},
    {"Calls", "Please forward my calls to my mobile while I'm out.", false},
    {"Phishing", "See the message below, I forwarded it to you from my hotmail.", false},

    -- A second factor's registration, enrolment or device taken away is the factor reset, not
    -- a topic. Bug: "Please delete my MFA registration" read "MFA registration" as a topic,
    -- like "MFA training". Against them registrations of other things and the topic itself.
    {"New phone", "Please delete my MFA registration.", true, "mfa_reset"},
    {"New phone", "Can you remove the authenticator registration on Dan's account?", true,
        "mfa_reset"},
    {"New phone", "Please wipe my two factor registration so I can start again.", true,
        "mfa_reset"},
    {"New phone", "Please delete the old handset from my authenticator.", true, "mfa_reset"},
    {"New phone", "Please remove my old mobile as a sign-in method.", true, "mfa_reset"},
    {"Van", "Please delete the old van registration from the fleet sheet.", false},
    {"Rollout", "Remind the shop staff about the MFA registration deadline.", false},
    {"Rollout", "The MFA registration page is slow to load today.", false},

    -- "Can I get into" (read as "request into") a place asks for access to it, as "get Priya
    -- into the share" does. Bug: "can I get into the finance share too?" asked for nothing.
    -- Against them a failure to get in and a place no access is given to.
    {"Home working", "Could I get into the shared drive from home?", true, "access_grant"},
    {"Projects", "Can we get into the Projects folder as well?", true, "access_grant"},
    {"Review", "I need to get into the Sales team site for the review.", true, "access_grant"},
    {"Saturday", "Can I get in to the office early on Saturday?", false},
    {"Settings", "Can I get into the display settings to change the refresh rate?", false},

    -- A writer's account that keeps showing a state that stops the sign-in, asked to be fixed,
    -- asks for it to be unlocked or re-enabled. Against them another's account reported so.
    {"Teams", "My account keeps saying disabled when I open Teams on my tablet, can you fix?",
        true, "account_unlock"},
    {"VPN", "My login appears suspended on the VPN, please sort it.", true, "account_unlock"},
    {"Leaver", "Tom's account shows disabled now, thanks for doing that.", false},

    -- HTML that overrides the direction to right-to-left (<bdo dir="rtl">, or a style of
    -- "unicode-bidi: bidi-override; direction: rtl") shows its letters in reverse, as U+202E
    -- does. Bug: such text was read as stored, backwards. Against them right-to-left without
    -- an override, which keeps Latin letters in order, and an override of text already shown
    -- in order.
    {"Quick one", "Please <bdo dir=\"rtl\">drowssap ym teser</bdo> and ring me back.", true,
        "password_reset"},
    {"Quick one", "Hi, please <span style=\"unicode-bidi: bidi-override; direction: rtl\">"
        .. "AFM ym evomer</span>, new phone.", true, "mfa_reset"},
    {"Quick one", "<p>Please <b style='direction:rtl;unicode-bidi:bidi-override'>tnuocca ym "
        .. "<i>kcol</i>nu</b></p>", true, "account_unlock"},
    {"Quick one", "<div dir=rtl style=\"unicode-bidi:isolate-override\">drowssap ym teser"
        .. "</div><p>thanks</p>", true, "password_reset"},
    {"Quick one", "<style>.note{unicode-bidi:bidi-override;direction:rtl}</style><p>Please "
        .. "<span class=\"note\">drowssap ym teser</span> today.</p>", true, "password_reset"},
    {"Quick one", "<style>.note{direction:rtl}</style><p>Please <span class=\"note\">drowssap "
        .. "ym teser</span> today.</p>", false},
    {"Quick one", "<p><bdo dir=\"rtl\">Please reset my password</bdo></p>", false},
    {"Quick one", "Please <span style=\"direction: rtl\">drowssap ym teser</span> thanks",
        false},

    -- Bug: requests about the sign-in controls and about hiding mail passed with no challenge.
    -- They are an exclusion from a conditional access or MFA policy (mfa_reset), a trusted
    -- location or IP (access_grant) and a sign-in device registered, cleared or removed
    -- (mfa_reset). Then mail hidden or moved out of sight by a rule (mail_forwarding) and a
    -- login to refresh.
    {"Quick one", "Please exclude me from the conditional access policy while I'm abroad next "
        .. "week", true, "mfa_reset"},
    {"Quick one", "Please exclude me from the MFA policy", true, "mfa_reset"},
    -- Being added to the exclusion group reads as a group membership first.
    {"Travel", "Can you add me to the CA exclusion group for two weeks?", true, "access_grant"},
    {"Quick one", "Please take me off the conditional access policy until Friday", true,
        "mfa_reset"},
    {"Quick one", "Please mark my sign-ins as trusted location from my home IP 81.2.69.160",
        true, "access_grant"},
    {"Quick one", "Please add my home IP to the trusted IPs", true, "access_grant"},
    {"New office", "We need 198.51.100.0/24 added as a named location", true, "access_grant"},
    {"Quick one", "Please clear my registered devices for sign-in", true, "mfa_reset"},
    {"Quick one", "Please register this new device under my account", true, "mfa_reset"},
    {"Quick one", "Please remove my old phone from my account, I have a new one", true,
        "mfa_reset"},
    {"Quick one", "Please add my laptop to the trusted devices for sign-in", true, "mfa_reset"},
    {"Quick one", "Please reset my Windows Hello, it wants a new PIN", true, "mfa_reset"},
    {"Quick one", "Please set up a FIDO key on my account", true, "mfa_reset"},
    {"Quick one", "Please hide all emails from IT security in my mailbox", true,
        "mail_forwarding"},
    {"Quick one", "Please create a rule that deletes all emails from the IT helpdesk", true,
        "mail_forwarding"},
    {"Inbox rule", "Could you set up a rule to move any emails about sign-ins into RSS Feeds?",
        true, "mail_forwarding"},
    {"Quick one", "my login needs a refresh", true, "password_reset"},
    {"Quick one", "Can you renew my login please", true, "password_reset"},
    {"Quick one", "Please refresh my MFA, the app lost it", true, "mfa_reset"},
    -- The hard negatives: how-to questions, a question about exclusions, a place removed and a
    -- device removed from device management. Then an inbox rule for newsletters, mail brought
    -- back out of junk, a person hidden from the address book, a licence renewed, a page
    -- refreshed, the alerts of a policy switched off and a rule found and deleted.
    {"Inbox rule", "How do I add an inbox rule?", false, "how_to"},
    {"Quick one", "How do I exclude a user from conditional access?", false, "how_to"},
    {"Audit", "Our auditors ask whether our break-glass accounts are excluded from conditional "
        .. "access policies", false},
    {"Quick one", "Please remove our old office IP from the trusted locations, we moved out",
        false},
    {"Quick one", "Please remove my old phone from Intune, it has been wiped and sold", false},
    {"Quick one", "Please set up a rule to move newsletters into a folder", false},
    {"Quick one", "Please move the emails from IT out of junk", false},
    {"Quick one", "Please hide Sophie from the address book while she's on leave", false},
    {"Quick one", "Please renew my Adobe licence", false},
    {"Quick one", "Please refresh the page on the intranet, it shows old news", false},
    {"Quick one", "Please turn off the geoblocking alert emails, they are noise", false},
    {"Found a rule", "I found a rule on my mailbox moving anything with invoice to RSS feeds, "
        .. "I deleted it", false},

    -- English as a second language: word orders and literal phrasings of other languages
    -- ("make active", "double authentication", "email box", "put X as approver", "I need to be
    -- owner"), and "nobody has it" as the reason for a request. Against them a role named
    -- without a request, a fault that hits everyone and everyone who still has access.
    {"My user", "My user is blocked since Friday, please make it active.", true,
        "account_unlock"},
    {"Every day", "Please disable the double authentication for me, it asks every day.", true,
        "mfa_reset"},
    {"Codes", "The double authentication still goes to my old phone, please reset it.", true,
        "mfa_reset"},
    {"Phone lost", "I lost my phone yesterday so I cannot do the two step verification now.",
        true, "mfa_reset"},
    {"New email box", "We want a new email box for the school trips, please create it.", true},
    {"Email", "Please make email for our new volunteer Ines, she starts on Monday.", true,
        "new_account"},
    {"Approver", "Please put Sofia as approver for the leave requests in the HR system.", true,
        "access_grant"},
    {"Owner", "I need to be owner of the Teams channel Lettings, the old owner left.", true,
        "admin_rights"},
    {"Guests", "Please prepare 3 guest cards for the inspectors on Thursday.", true,
        "physical_access"},
    {"Portal", "I need the password of the parcel portal, nobody has it since Dev left.", true,
        "password_reset"},
    {"Approver", "Sofia is the approver for leave requests, the HR system shows it.", false},
    {"Portal", "Nobody can open the parcel portal since this morning, it times out.", false},
    {"Notice", "Got the notice about the old authenticator app. Nobody has lost access.", false},

    -- Administrators' terms: an eligible role in privileged identity management, a mailbox's
    -- forwarding property, group memberships copied from someone, a Wi-Fi pre-shared key.
    {"PIM", "Please make me eligible for the SharePoint Administrator role in PIM.", true,
        "admin_rights"},
    {"Leaver", "Set ForwardingSmtpAddress on r.khan's mailbox to the office manager.", true,
        "mail_forwarding"},
    {"Cover", "Please mirror Omar's group memberships onto my account while he is away.", true,
        "access_grant"},
    {"Wi-Fi", "Can you tell me the PSK for the staff Wi-Fi?", true, "password_reset"},

    -- Requests in plain, translated and second-language wording that names no object the way
    -- the word lists expect, each against a ticket with the same words that asks nothing:
    -- extending a user or moving an account's end date, a new token, mail sent on to a private
    -- address in another word order, the release (sharing) of a folder, a content search of a
    -- mailbox, adding and removing people oneself, the right to install software, a standing
    -- change of the callback number or the authorised contact.
    {"Contract", "Her fixed-term contract now runs to March. Please extend her user as well so "
        .. "it does not expire.", true, "account_unlock"},
    {"Storage", "Please extend the user storage quota on the NAS to 2 TB.", false},
    {"Contract", "Her contract was extended to March, thanks for updating the HR record.", false},
    {"Leave date", "Can you push out the leave date on Tomasz's account so it does not switch "
        .. "off on Friday?", true, "account_unlock"},
    {"Project", "Please move the project end date in the plan to June.", false},
    {"Token", "The token of our colleague Mr. Brandt shows nothing any more. Please send a new "
        .. "token for him.", true, "mfa_reset"},
    {"Token", "The new token arrived this morning and works, thank you.", false},
    {"Mails", "Hello, all my mails send also to my private yahoo please, I am away 2 weeks.",
        true, "mail_forwarding"},
    {"Bounce", "Please check why my emails to my private Gmail bounce since Monday.", false},
    {"Holiday", "Please stop sending my emails on to my home address, I am back.", false},
    {"Share", "I request the release of the folder Einkauf for my colleague Mrs. Lang.", true,
        "access_grant"},
    {"Release", "When is the release of the new version of the folder sync app?", false},
    {"Audit", "Please run a content search over the mailbox of j.doe for the word invoice.",
        true, "access_grant"},
    {"PST", "My old PST file will not open in the new Outlook.", false},
    {"Rota app", "Can you make me the boss of the rota app so I can add and take off staff "
        .. "myself?", true, "admin_rights"},
    {"Rota app", "How can I add and remove staff in the rota app myself?", false},
    {"Software", "Is it possible for me to have the rights to install software?", true,
        "admin_rights"},
    {"Software", "Let me install stuff on my laptop", true, "admin_rights"},
    {"Software", "I do not have the rights to install it, can you install Teams for me?", false},
    {"Call back", "Please ring back on 07700 900123 for the verification calls from now on.",
        true, "contact_change"},
    {"Call back", "Please call me back on 07700 900123 today.", false},
    {"Contact", "Our finance lead Nadia is our authorised contact with you instead of Piotr.",
        true, "contact_change"},
    {"Contact", "Is Piotr still our authorised contact with you?", false},
    {"Till", "Our Sam on the tills can't remember his number for signing in. Can you set him a "
        .. "new one and tell me what it is?", true, "password_reset"},
    {"Expired", "My password ran out at the weekend and the history thing won't take mine. Can "
        .. "you just put a new one on please", true, "password_reset"},
    {"Mouse", "My mouse is broken, can you give me a new one?", false},
    {"Rota", "Please update the rota to have me as the approver for the kitchen team.", true,
        "access_grant"},
    {"Rota", "The rota says to have me as the first contact on Mondays.", false},
    {"Approver", "Please put me as approver of the overtime in the HR system, because Ali is not "
        .. "manager anymore.", true, "access_grant"},
    {"Port for the alarm company", "The alarm company want port 9000 open to our panel so they "
        .. "can look remote when there is problem. Can you open please?", true, "access_grant"},
    {"Port", "Can you check whether port 3389 is open on the server?", false},
    {"Spam", "The emails of our supplier go always in spam. Please put their domain in the "
        .. "white list.", true, "access_grant"},
    {"Spam", "Got a spam email from a fake supplier, I did not click. Please block their "
        .. "domain.", false},
    -- The damaged text of the real tickets (lowercased, acronyms and some words lost): access in
    -- the summary and levels asked for in the details, against levels that worked before.
    {"crm access", "hello experiencing difficulty accessing level reports please reading editing "
        .. "thank you", true, "access_grant"},
    {"crm access", "hello experiencing difficulty accessing the reports since the update, reading "
        .. "and editing worked last week", false},
    {"UAT", "For testing the new booking portal we need a test user in our tenant. It will be "
        .. "deleted after go-live.", true, "new_account"},
    {"UAT", "Please delete the test user from the booking portal, testing is over.", false},
    {"Sync", "The agency building our website needs an API user in the CRM. Can you create one?",
        true, "new_account"},
    {"Passes", "The decorators need their site passes extending by another week, the job "
        .. "overran.", true, "physical_access"},
    {"Passes", "The decorators' site passes were extended last week, thanks.", false},
    {"Gate", "Can we have a spare gate remote programmed for the new driver?", true,
        "physical_access"},
    -- The Filipino polite "po" names no purchase order, which comes with its number or an
    -- article.
    {"new carer account po", "Good morning po! New carer starting Monday, Liza Reyes. She need "
        .. "account for the rota app po. Thank you po.", true, "new_account"},
    {"YubiKeys", "We raised a PO for 5 new YubiKeys, please order them.", false},
    {"YubiKeys", "Please order 5 YubiKeys for stock, PO 4471 attached.", false},

    -- Sign-in codes in plain words, moved to a new phone, switched off or replaced for a while,
    -- read past a question or a fault in the same ticket. Codes that are no sign-in stay.
    {"Codes", "The login codes still go to my old mobile. Please move the codes over to my new "
        .. "phone.", true, "mfa_reset"},
    {"New phone", "My old phone died. He needs the number thing for logging in moved onto his "
        .. "new phone.", true, "mfa_reset"},
    {"Signal", "Every time I log in it texts me a code and there is no signal in the workshop. "
        .. "Can you switch the code off on my account?", true, "mfa_reset"},
    {"Phone in repair", "My phone is in for repair so I can't get the number it texts me. Can "
        .. "you give me some sort of code to use in the meantime?", true, "mfa_reset"},
    {"Why does Duo keep asking?", "It asks four times a day even in the office. Please take Duo "
        .. "off my account.", true, "mfa_reset"},
    {"Discount", "Please move the discount codes over to the new price list.", false},
    {"Kiosk", "Please switch the error code off on the kiosk screen, it scares customers.",
        false},

    -- Someone else's or a shared mailbox opened on the writer's computer or seen, and bank or
    -- card numbers given with a payment. Against them the writer's own inbox, times of day
    -- that look like a sort code, and a card reader's error digits.
    {"Cover", "could the office manager's mail open on my laptop too so i can keep an eye on it "
        .. "while she's away", true, "mail_delegation"},
    {"Referrals", "Our student starts on Monday. Please let her see the referrals@ mailbox, read "
        .. "only.", true, "mail_delegation"},
    {"Outlook", "I can't see my inbox on my laptop since the update, please help.", false},
    {"Builder", "The boss wants us to pay a new builder today. Here are his bank numbers "
        .. "11-22-33 44556677.", true, "payment_change"},
    {"Card", "The card that pays for our domain has expired. Here's the new one 4000 1234 5678 "
        .. "9010, ends 09/29.", true, "payment_change"},
    {"Call log", "Missed calls 14:02-14:09 from 07700 900311, sent to the helpdesk queue.", false},
    {"Card reader", "The card reader in the shop shows error 4001 2002 3003 4004 since the "
        .. "update.", false},

    -- Voice transcripts split and mishear words: "pass sword", "add min", "authentic a tour"
    -- (authenticator), and ask to "unsuspend" a user. A transponder is a door fob.
    {"Voicemail", "um it's Jo um my pass sword won't work can you reset it", true,
        "password_reset"},
    {"Voicemail", "the computer wants the add min, can you make me the add min please", true,
        "admin_rights"},
    {"Voicemail", "my authentic a tour app is gone with the old phone, can you set it up again",
        true, "mfa_reset"},
    {"Till", "The till says my user is suspended, can you unsuspend me?", true,
        "account_unlock"},
    {"Till", "The till says my user was unsuspended this morning, all working now.", false},
    {"Transponder", "My transponder for the main entrance is lost, please prepare a new one.",
        true, "physical_access"},

    -- Bug: "My laptop is working fine. I still can't sign in to Xero." read the laptop working
    -- as the sign-in resolved. Against it a sign-in failure that a later sentence reports
    -- resolved, and a ticket withdrawn that names a lock-out.
    {"Xero", "The laptop itself is working fine now. I still can't log in to Xero.", true},
    {"Xero", "I couldn't log in to Xero this morning. It is working fine now.", false},
    {"Ignore", "Ignore my last ticket about being locked out, it is working fine now.", false},

    -- Bug: "Please delete the old temp logins and create new ones for ..." read the removal as
    -- the request. New ones made after a removal replace what it removed.
    {"Agency logins", "Please delete the old agency logins and create new ones for the staff "
        .. "starting next week.", true, "new_account"},
    {"Agency logins", "Please delete the old agency logins, the staff have left.", false},

    -- Bug: a payment change after a statement that bank details stay the same was read as
    -- asking nothing: "the sort code is unchanged but the account number changes to ..." and
    -- "bank details are not changing, but please pay my expenses to ...". Against them bank
    -- details that stay, and a customer account number without a bank.
    {"Bank", "The sort code is unchanged, but the account number changes to 55667788 from "
        .. "May.", true, "payment_change"},
    {"Expenses", "Our bank details are not changing, but please pay my mileage expenses into "
        .. "my joint account.", true, "payment_change"},
    {"Bank", "Our bank details are not changing, the new letterhead is attached.", false},
    {"Account number", "Our customer account number changes to 4411 in the new billing "
        .. "system.", false},

    -- A bare "same" that states what stays as it is ("Same members, same permissions.", "for
    -- the same staff accounts", "with the same login and the same role"). Against it the same
    -- access asked for, with or without a person to copy.
    {"Rename the Projects group", "Please rename the Projects group to Delivery. Same members, "
        .. "same permissions.", false},
    {"Renewal", "Please renew the CRM licences for the same staff accounts.", false},
    {"Upload", "The upload fails since Monday with the same login and the same role.", false},
    {"Starter", "Please set Ana up with the same access.", true, "access_grant"},
    {"New analyst", "Same access as Priya for the new analyst please.", true, "access_grant"},
    {"Jo", "Same access for Jo please.", true, "access_grant"},

    -- A forwarding that a removal ends: the removal right before it ("delete the old external
    -- forwarding") or a removal of "it" after it. Against them a removal of something else
    -- beside a forwarding asked for, and an old forwarding replaced by a new one.
    {"Old forwarding", "Please delete the old external forwarding on info@, nobody reads it "
        .. "now.", false},
    {"Forwarding", "The forwarding on sam@ has run its 60 days, please remove it.", false},
    {"Leaver", "Please disable Sam's account and forward his mail to me.", true,
        "mail_forwarding"},
    {"Forwarding", "Please remove the old forwarding and forward his mail to me instead.", true,
        "mail_forwarding"},

    -- A message about new bank details that its supposed sender disowns ("it's not from us",
    -- "they said it was not them") reports an attempt at fraud. Against it bank details
    -- asked to change beside the same words, and a reset asked for after a phishing mail.
    {"Tenant email", "A tenant got an email with our logo telling him to pay his deposit into "
        .. "a new bank account. It's not from us.", false},
    {"Supplier letter", "A letter came saying Dunmore Supplies have new bank details. Their "
        .. "accounts team said the letter is not from them.", false},
    {"Letter about bank details", "A supplier's letter says their bank details have changed. "
        .. "We rang them on the old number and they said it was not them.", false},
    {"Bank details", "Harlow Print sent new bank details by letter, it is genuine and not from "
        .. "us. Please update their bank details in Sage.", true, "payment_change"},
    {"Phishing", "The email asking me to confirm my login was not from us. I clicked it, so "
        .. "please reset my password.", true, "password_reset"},

    -- A reply in second-language wording that reports the request done ("It work now") above
    -- the quoted request. Against it the same words beside a sign-in that still fails.
    {"Re: account locked", "It work now, thank you very much!\n\n-----Original Message-----\n"
        .. "Hello, my account is locked. Please unlock.", false},
    {"Login", "It work now on the laptop but on the phone I still can't log in.", true,
        "password_reset"},

    -- A form's empty check box declines its field, where a ticked one asks.
    {"Form: Leaver", "Name: Kim Ross\nDisable accounts: [x]\nForward email: [ ]\n"
        .. "Equipment: laptop", false},
    {"Form: Leaver", "Name: Kim Ross\nDisable accounts: [x]\nForward email: [x] to her "
        .. "manager\nEquipment: laptop", true, "mail_forwarding"},

    -- An alert's "Alert ID: 0000" is an identifier, not "I'd", so the alert still speaks for
    -- no writer. Against it "I'd like" under the same alert.
    {"Inbox rule", "Alert: suspicious inbox forwarding rule\nUser: kim@firm.example\n"
        .. "Rule: Forward messages containing invoice to pay@mail.example\nAlert ID: 0000-1111",
        false},
    {"Inbox rule", "Alert: suspicious inbox forwarding rule. I'd like you to forward my mail to "
        .. "pay@mail.example too", true, "mail_forwarding"},

    -- A system's notice in the words notices use ("You're receiving this because", "Notice
    -- from the IT team:"). Against them a request under a notice's words.
    {"Role activated", "Privileged Identity Management\nsam@firm.example activated the role "
        .. "Exchange Administrator.\nDuration: 4 hours\nYou're receiving this because you are "
        .. "an approver for this role.", false},
    {"Maintenance Saturday", "Notice from the IT team: the sync server restarts on Saturday at "
        .. "8. Password changes and new accounts will not sync during that hour.", false},
    {"Notice from HR", "Notice from HR: Tom Reed starts Monday, please set up his account and "
        .. "email.", true, "new_account"},

    -- "I don't know why" and "didn't know that existed" forget no password. Against them a
    -- reset asked for beside "I don't know why".
    {"FW: password expiry", "I get this in Spanish, I don't know why.\n\n> Your password "
        .. "expires in 5 days.", false},
    {"Sorted", "Unlocked myself with the self-service page, didn't know that existed! Close "
        .. "this one off.", false},
    {"Sage", "I can't log in to Sage and I don't know why. Please reset my password.", true,
        "password_reset"},

    -- A sign-in fault that others share ("it happens to us as well", "same for everyone who
    -- tries"). Against it a reset asked for beside "not just me".
    {"Booking portal", "Customers get an error when they log in to the booking portal. It "
        .. "happens to us as well.", false},
    {"Till sign-in", "The new till rejects my password since the update. Same for everyone who "
        .. "tries.", false},
    {"Shared login", "The shared login for the till fails, not just me. Please reset its "
        .. "password.", true, "password_reset"},

    -- A key or card handed back, and "same list" after a removal, which names the same people
    -- to remove. Against them a grant after a removal and a new card after one handed back.
    {"Store room key", "I'm handing back the store room key as I've moved teams.", false},
    {"Summer temps", "The summer temps have left. Please remove their till logins and app "
        .. "access, same list as last August.", false},
    {"Cover", "Please remove Tom from the Sales group and give Priya the same access.", true,
        "access_grant"},
    {"Fob", "I handed back my old fob, please issue me a new one for the side door.", true,
        "physical_access"},

    -- A sign-in the writer says works ("so the PIN is fine", "I changed my PIN and it works"):
    -- the fault is elsewhere. Against it another sign-in that fails beside one that works, and
    -- the same word failing on a second system.
    {"Card terminal errors after supervisor PIN", "The card terminal rejects every card with a "
        .. "comms error, even after I key my supervisor PIN, so the PIN is fine.", false},
    {"Voicemail PIN", "I changed my voicemail PIN from the handset and it works, but the message "
        .. "light stays on.", false},
    {"Voicemail PIN", "My voicemail PIN is fine but my Windows password has expired and I can't "
        .. "log in.", true, "password_reset"},
    {"Till password", "My password works on the laptop, but the till says the password is wrong "
        .. "for me.", true, "password_reset"},
    -- Bug: "not sure how it works" was read as the PIN working, which dropped the request.
    {"Door PIN", "Could I get a PIN for the store room, not sure how it works.", true},

    -- A licence tier or module added to the writer's own account or licence. Against it a
    -- first seat for someone, a person added to a channel with the same word, and access.
    {"Teams Premium", "Can you add Teams Premium to my account so I get the webinar features?",
        false},
    {"Accounts module", "Please can the accounts production module be added to my licence?",
        false},
    {"HubSpot", "Could you add a HubSpot licence for Leo? He has never had it.", true},
    {"Premium", "Please add Sam to the Premium support team channel.", true, "access_grant"},
    {"Access", "Please add Tom premium access to my account.", true},

    -- A quote that also gives leave to do the act ("happy for you to just do it") requests the
    -- act. Against it a quote for things to buy, with or without leave.
    {"Authenticator quote", "Could you quote me for moving my sign-in approvals over to my new "
        .. "phone? Happy for you to just do it.", true, "mfa_reset"},
    {"Gate code", "Can you quote for changing the gate code at the yard? Feel free to go ahead.",
        true, "physical_access"},
    {"YubiKeys", "Please quote me for 5 YubiKeys to keep in stock, happy for you to order them.",
        false},
    {"Quote", "Could you quote for a new badge printer for reception?", false},

    -- Sign-in approvals ("keeps asking me to approve") are a second factor: their phone
    -- removed or moved is an MFA change. Against them a phone taken off a licence and a
    -- question about the prompts.
    {"Old phone", "The sign-in thing keeps asking me to approve on my old phone, which was "
        .. "stolen. Please remove it.", true, "mfa_reset"},
    {"Approvals", "The login approvals go to my old mobile. Can you move them to my new one?",
        true},
    {"Licence", "Please remove my old phone from my Microsoft 365 licence, I don't use it any "
        .. "more.", false},
    {"Approvals", "The login keeps asking me to approve on my phone, how do I stop that?", false},
    {"Prompts", "The approve prompts come to my old phone, can you switch them to this one?",
        true, "mfa_reset"},
    {"Leave", "Please approve my annual leave request, I sent it from my phone.", false},

    -- "Need another", "a spare one": a replacement of the pass, key or password named before.
    -- Against them the same words for a device or supply, a notice, and one called off.
    {"Door card", "My door card stopped working this morning, can I have another please?", true,
        "physical_access"},
    {"Key", "Lost the store room key somewhere, could you let me have a spare one?", true,
        "physical_access"},
    {"Temporary password", "The temporary password from Monday has expired, I need another.",
        true, "password_reset"},
    {"Temp pass", "the temp pass you gave me has expired, need another.", true,
        "physical_access"},
    {"Toner", "The toner has run out again, need another.", false},
    {"Charger", "My laptop charger broke, do you have a spare one?", false},
    {"SD card", "The SD card in the site camera is full, can I have another?", false},
    {"Visitor pass", "Visitor pass expired notice: the pass for Jo Lee expired at 17:00. No "
        .. "action needed.", false},
    {"Found fob", "Found my fob in my bag, so no need for another one.", false},

    -- Rights or access given for a while, asked to be kept "permanently". Against them a loan
    -- device kept and a notice that someone is permanent now.
    {"Admin", "Thanks for the temporary admin rights on my laptop. Could I keep them "
        .. "permanently?", true, "admin_rights"},
    {"Access", "Can I keep my access to the Finance share permanently? It ends on Friday.", true,
        "access_grant"},
    {"Admin", "You gave me local admin for the plotter install last week. Could I keep it "
        .. "permanently?", true, "admin_rights"},
    {"Loan laptop", "My account is all working. Can I keep the loan laptop permanently?", false},
    {"Permanent", "Jo is now permanent, HR have already updated her account.", false},

    -- A password set to a value the writer will remember. Against it other names to remember
    -- and a report of one already set.
    {"Password", "I forgot my password again, please set it to something I can remember.", true,
        "password_reset"},
    {"PIN", "Can you change my till PIN to one easy to remember? I keep forgetting it.", true,
        "password_reset"},
    {"Forgot", "I've forgotten what I changed it to on Monday. Can you make it something I "
        .. "can remember?", true, "password_reset"},
    {"Room names", "Please make the meeting room names something we can remember.", false},
    {"Password", "I changed my password to something I can remember, all fine now.", false},

    -- Another person's documents in second-language wording ("the contract of Marek"). Against
    -- them the documents of a thing or a firm.
    {"HR files", "Please I need to open the documents of Anna in the HR system, I am her new "
        .. "manager.", true, "access_grant"},
    {"Payslips", "Can I see the payslips of Tomasz for last year? I am his team leader.", true,
        "access_grant"},
    {"Lease", "I need to see the contract of the printer lease, where is it kept?", false},
    {"Contract", "Can I see the contract of our cleaning supplier?", false},

    -- A bank's portal, feed, statement or reconciliation is a service the writer uses, not the
    -- bank details on a payee. Against it a payee's bank changed on that portal.
    {"Bank portal slow", "The bank portal takes a minute to load each page this morning.", false},
    {"Bank reconciliation", "The bank reconciliation shows last month's rent twice, can you look?",
        false},
    {"Bank feed", "Please check why the bank feed stopped importing on Monday.", false},
    {"Cleaners", "Our cleaning firm has moved banks, please update their account on the bank "
        .. "portal.", true, "payment_change"},

    -- A smart card with no door near is a chip card that a sign-in or a payment approval
    -- requires, a second factor. Against them its reader and a fault report titled with the card.
    {"Smart card", "My smart card for the clinical system snapped in half. Please issue me a "
        .. "replacement and activate it.", true, "mfa_reset"},
    {"Smartcard reader", "The smartcard reader on reception has stopped lighting up.", false},
    {"Form: Fault - smart card", "Symptom: the smart card is read and accepted, then the app "
        .. "shows a blank screen.", false},

    -- A control on payments loosened (a higher approval limit, a second approver switched
    -- off) lets one person move more money alone. Against them a control tightened and a
    -- question about the limit.
    {"Approval limit", "Please increase my payment approval limit on the banking portal to 25k.",
        true, "access_grant"},
    {"Second approver", "Can you turn off the dual approval on the bank portal until Friday? I'm "
        .. "the only one in.", true, "access_grant"},
    {"Spending limit", "Please lower my spending limit to 5k while I'm new.", false},
    {"Dual approval", "Can you turn on dual approval for payments over 10k?", false},
    {"Limit", "What is my approval limit on the portal?", false},

    -- A super user is an administrator of the system named. Against it a user of the system.
    {"Super user", "Please make Jo a super user in the stock system.", true, "admin_rights"},
    {"Stock system", "Jo says the stock system logs her out after ten minutes.", false},

    -- The card on a booking or travel profile pays for what is booked there.
    {"Travel card", "Please swap the card on our travel booking profile for my own credit card.",
        true, "payment_change"},

    -- "Could someone" is a request to IT, as "could you" is. Against it someone asked to
    -- explain.
    {"Customer list", "Could someone run an export of every customer with their bank details "
        .. "and put it in my OneDrive?", true, "access_grant"},
    {"Stock report", "Could someone explain why the stock report shows last week's figures?",
        false},

    -- Mail named by what arrives ("anything from the auditors") sent on to a person, in a
    -- sentence that requests it. Against it the same forward stopped.
    {"Auditors' mail", "Can you set a rule so anything from the auditors gets forwarded to my "
        .. "assistant while I'm away?", true, "mail_forwarding"},
    {"Auditors' mail", "Please stop the rule so nothing from the auditors gets forwarded to my "
        .. "assistant any more.", false},

    -- A nuisance that stopped ("it stopped asking", "the codes arrived") and a request called
    -- off ("disregard the request for a new token") settle the ticket. Against them a prompt
    -- that goes on and a withdrawal followed by a new request.
    {"Re: password prompts", "It stopped asking after the restart, thanks.", false},
    {"Outlook password prompt gone", "The prompts stopped once I rebooted.", false},
    {"Call back - codes arrived", "Rang her back about the sign-in codes. They've just come "
        .. "through, the signal was the problem. Closing.", false},
    {"Ignore previous - token found", "Please disregard the request for a new security token, it "
        .. "was in his bag.", false},
    {"Password prompts", "Outlook keeps asking for my password even after a restart, can you "
        .. "reset it?", true, "password_reset"},
    {"Token", "Please disregard the request for a new token. I need my authenticator moved to "
        .. "my new phone instead.", true, "mfa_reset"},

    -- Notices that state they come from a system ("this mailbox is not monitored", "generated
    -- by", a backup report, a lockout that unlocks by itself) ask for nothing. Against them a form filled in
    -- by a person, which quotes the same kind of message but names who submitted it.
    {"Pension portal: your account statement is ready", "Your annual statement is ready to "
        .. "view. This mailbox is not monitored.", false},
    {"Backup report: FINANCE-PC02 - Success", "Job 'Accounts data' completed successfully. "
        .. "Warnings: 0", false},
    {"Account lockout - j.smith", "Account: j.smith\nLocked at: 07:10\nLockout duration: 15 "
        .. "minutes (auto unlock)\nGenerated by the directory monitor.", false},
    {"Form: Account unlock", "Name: Jo Smith\nProblem: \"Your account has been locked to "
        .. "protect it\"\nSubmitted by: Sam Lee, office manager", true, "account_unlock"},

    -- A calling number for a phone system is a line, not the number on file for checks.
    -- Against it the number on file changed.
    {"Teams number", "Could the MD have a Teams calling number on his account so he can ring "
        .. "clients from his laptop?", false},
    {"Number on file", "Please change the mobile number on my account for the sign-in codes to "
        .. "07700 900111.", true, "contact_change"},

    -- "Will he be locked out?" is a question about what will happen. Against it a lockout now.
    {"Fw: password expires", "He is away when it expires. Will he be locked out? Not asking "
        .. "you to change anything.", false},
    {"Locked out", "He is locked out of his laptop, please unlock it.", true, "account_unlock"},

    -- A new place that copies another place's rights gives no one access they lack. Against
    -- it a new place with the rights of a person.
    {"2027 folder", "Could you create a 2027 folder in the finance share with the same "
        .. "permissions as the 2026 one?", false},
    {"Jo's folder", "Could you create a folder for the audit with the same permissions as Jo "
        .. "Smith?", true, "access_grant"},

    -- "Change it to" a new value, for an address or number on a portal's record that resets
    -- go to. Against it an address on a mailing list and "change it" with no new value.
    {"Pension portal email", "The email address on the pension portal for our accountant is "
        .. "his old one, so he never gets the reset emails. Please change it to "
        .. "sam@ledger.example.", true, "contact_change"},
    {"Newsletter", "The address on the newsletter list is my old one, please change it to "
        .. "jo@mail.example.", false},

    -- A fault in a form's reason field gives the reason for the request. Against it a form
    -- that reports the fault itself.
    {"Form: Group access", "Group: Finance-RW\nUser: Amy Cole\nReason: covering month end "
        .. "because Tom's laptop is broken", true, "access_grant"},
    {"Form: Fault - share access", "Problem: my access to the finance share is broken since "
        .. "Monday", false},

    -- "Pass it to accounts" sends a document to the finance team. Against it accounts made.
    {"Hotel invoice", "The hotel invoice for the offsite is attached, please pass it to "
        .. "accounts.", false},
    {"Starters", "Please create accounts for the two new starters.", true, "new_account"},

    -- Who a supplier or an employee is paid to, in more wordings. They are a form's field that
    -- names the record first, a payee's new account, a payee paid for the first time and
    -- payments that now go elsewhere. So are a record someone wants changed and a card that
    -- pays a subscription. Against them fields, accounts and changes that move no money.
    {"Supplier amendment", "Supplier: Dale Fuels\nField: Remittance bank account\nNew value: "
        .. "00-00-00 00000000\nRequested by: Purchase ledger", true, "payment_change"},
    {"Supplier amendment", "Supplier: Dale Fuels\nField: Trading name\nNew value: Dale Energy "
        .. "Ltd", false},
    {"Payment run", "Please make sure this week's payment run pays Kestrel Ltd to their new "
        .. "account on the letter.", true, "payment_change"},
    {"Kestrel", "The payment run paid Kestrel on Friday. They have opened a new account with us "
        .. "for spare parts.", false},
    {"Venue deposit", "Could you pay the venue deposit from the company card? It's the first "
        .. "time we've paid them, the details are on the invoice.", true, "payment_change"},
    {"Supplier merged", "Our printer supplier has merged and payments now go to the group's "
        .. "account. Please change them in Sage.", true, "payment_change"},
    {"Payroll", "Mo has given a new account number on a form. Jo wants it changed in payroll "
        .. "today.", true, "payment_change"},
    {"Rota", "Jo wants it changed in the rota so she works Tuesdays.", false},
    {"Adobe card", "The card that pays our Adobe subscription was replaced last week. Can you "
        .. "update it with the new card?", true, "payment_change"},

    -- Someone let see a shared mailbox or able to "see and book into" a calendar, and a
    -- leaver's mail handed over "before you disable" the account. Against them the writer's
    -- own calendar and a leaver's removal.
    {"Referrals inbox", "Our student starts on Monday. Please let her see the referrals@ "
        .. "mailbox while she shadows us.", true, "mail_delegation"},
    {"Bookings calendar", "Our adviser needs to be able to see and book into the bookings "
        .. "calendar on the bookings@ mailbox.", true, "mail_delegation"},
    {"My calendar", "I need to be able to see and book into my calendar from my phone.", false},
    {"Leaver - Sam", "Sam left on Friday. Before you disable it, can Jo have full access to "
        .. "his mailbox?", true, "mail_delegation"},
    {"Leaver - Sam", "Sam left on Friday. Please disable his account and remove his access to "
        .. "the finance share.", false},

    -- One person swapped for another in a role or a group: the removal and a grant joined by
    -- "and" to the same "please". Against them a thing added after the removal.
    {"Authorised contacts", "Please remove Harry Dunmore as an authorised contact and add "
        .. "Bridget Lyle with immediate effect.", true, "contact_change"},
    {"Finance group", "Please take Jane off the finance group and add Tom Hughes to it.", true,
        "access_grant"},
    {"Authorised contacts", "Please remove Harry Dunmore as an authorised contact and add a note "
        .. "to our file.", false},

    -- Other names of the authenticator: a second-language spelling and "authentication app".
    -- Against it the app installed, which registers no factor.
    {"authentificator gone", "My phone fell in the sea and the authentificator went with it. "
        .. "Can you reset it so I can set it up on my new phone?", true, "mfa_reset"},
    {"Authentication app", "My authentication app stopped working after the phone update, "
        .. "please reset it.", true, "mfa_reset"},
    {"Authentication app", "Please install the authentication app on the three new tablets.",
        false},
}

for position, case in ipairs(TICKETS) do
    local summary, details, expected, reason = case[1], case[2], case[3], case[4]
    local result = policy.classify({summary = summary, details = details, source = "email"})
    local name = string.format("ticket %d %q", position, summary)
    check(name .. " sensitive", result.sensitive == expected, string.format(
        "expected %s, got %s (reason %s, matched '%s')", tostring(expected),
        tostring(result.sensitive), result.reason, result.matched))
    if reason ~= nil and result.sensitive == expected then
        check(name .. " reason", result.reason == reason, string.format("expected %s, got %s",
            reason, result.reason))
    end
    check(name .. " verification", result.verification_required == result.sensitive,
        "verification_required must follow sensitive with default settings")
end

------------------------------------------------------------------------------------------------
-- Replies: a fault in the ticket's first message is about that message. Bug: "My second screen
-- flickers" explained away "I need access to the Payroll share" in a reply, because short
-- details put the reply in the ticket's topic. Against them a reply that reports the same
-- fault again.
------------------------------------------------------------------------------------------------

local REPLY_TICKETS = {
    {"Screen flickering", "My second screen flickers.",
        {"Thanks for looking. Also I need access to the Payroll share."}, true, "access_grant"},
    {"Screen flickering", "My second screen flickers.",
        {"Unrelated, but I need access to the HR folder as well."}, true, "access_grant"},
    -- Bug: "can I get into the finance share too?" and "my account keeps saying disabled ...,
    -- can you fix" in a reply to a harmless ticket let the request through.
    {"Screen flickering", "My second screen flickers.",
        {"Thanks. Separate thing, my manager asked me to check: could I get into the Board "
            .. "folder too?"}, true, "access_grant"},
    {"Screen flickering", "My second screen flickers.",
        {"by the way my login keeps saying deactivated in Outlook on my laptop, could you "
            .. "sort that"}, true, "account_unlock"},
    {"Screen flickering", "My second screen flickers.",
        {"It still flickers, can I get into the settings to change the refresh rate?"}, false},
    {"Screen flicker", "My second screen flickers.",
        {"While you're on, my account shows disabled on Teams, can you re-enable it?"}, true,
        "account_unlock"},
    {"Share access broken", "My access to the Payroll share stopped working this morning.",
        {"It still says access denied."}, false},
    {"Payroll share", "I can't open the Payroll share, it says access denied.",
        {"Still the same today."}, false},
}

for position, case in ipairs(REPLY_TICKETS) do
    local summary, details, replies, expected, reason = table.unpack(case)
    local result = policy.classify({summary = summary, details = details, replies = replies,
        source = "email"})
    local name = string.format("reply ticket %d %q", position, replies[1])
    check(name .. " sensitive", result.sensitive == expected, string.format(
        "expected %s, got %s (reason %s, matched '%s')", tostring(expected),
        tostring(result.sensitive), result.reason, result.matched))
    if reason ~= nil and result.sensitive == expected then
        check(name .. " reason", result.reason == reason, string.format("expected %s, got %s",
            reason, result.reason))
    end
end

------------------------------------------------------------------------------------------------
-- Spelled-out letters: speech-to-text writes an acronym letter by letter ("M F A", "M.F.A.",
-- "two F A"), and the reading joins 2 to 5 single letters or digits in a row into the word.
-- Bug: "I need my M F A reset" in a phone transcript was not sensitive.
------------------------------------------------------------------------------------------------

local SPELLED = {
    {"Caller: hi it's Jane, I need my M F A reset, new phone", true, "mfa_reset"},
    {"Caller: Jane from reception, please reset my M.F.A. she got a new phone", true,
        "mfa_reset"},
    {"Caller says please reset my M. F. A. as she got a new phone", true, "mfa_reset"},
    {"Caller wants her 2 F A reset, lost her phone", true, "mfa_reset"},
    {"Caller wants her two F A reset, lost her phone", true, "mfa_reset"},
    {"Caller wants her 2fa reset, lost her phone", true, "mfa_reset"},
    {"Caller: please reset my O T P, new phone", true, "mfa_reset"},
    {"Caller: I need a M F A reset on my new phone", true, "mfa_reset"},
    {"Caller: can you reset my P I N please", true, "password_reset"},
    {"Caller: can you reset my m f a please", true, "mfa_reset"},
    {"Caller: my M F A. Please reset it, new phone", true, "mfa_reset"},
    {"Caller: we should go with plan A or B for the office move", false},
    {"Caller: the grade a b c options for the printer paper", false},
    {"Caller: I O U a coffee for fixing the printer", false},
    {"Caller: printer on floor 2 is jammed, e.g. the tray", false},
    {"Caller: rooms a b c d e f all lost the wifi signal this morning", false},
}

for position, case in ipairs(SPELLED) do
    local details, expected, reason = case[1], case[2], case[3]
    local result = policy.classify({summary = "Phone call", details = details, source = "phone"})
    local name = string.format("spelled %d %q", position, details)
    check(name .. " sensitive", result.sensitive == expected, string.format(
        "expected %s, got %s (reason %s, matched '%s')", tostring(expected),
        tostring(result.sensitive), result.reason, result.matched))
    if reason ~= nil and result.sensitive == expected then
        check(name .. " reason", result.reason == reason, string.format("expected %s, got %s",
            reason, result.reason))
    end
end

------------------------------------------------------------------------------------------------
-- Result shape and risk signals
------------------------------------------------------------------------------------------------

local RESET = {summary = "Password reset", details = "Please reset my password for Sage.",
    source = "portal"}

do
    local result = policy.classify(RESET)
    check("result shape sensitive", result.sensitive == true)
    check("result shape reason", result.reason == "password_reset", result.reason)
    check("result shape matched", type(result.matched) == "string"
        and result.matched:find("reset") ~= nil, result.matched)
    check("result shape score", math.type(result.risk.score) == "integer" and result.risk.score >= 0
        and result.risk.score <= 100, tostring(result.risk.score))
    check("result shape level", result.risk.level == "medium", result.risk.level)
    check("result shape no signals", #result.risk.signals == 0, tostring(#result.risk.signals))
end

-- A ticket with several sensitive requests returned only the first one's reason, so its
-- challenge and notes named one kind. reasons lists every kind, the main reason first.
do
    local function joined(result)
        return table.concat(result.reasons, ",")
    end
    local result = policy.classify(RESET)
    check("reasons one request", joined(result) == "password_reset", joined(result))

    result = policy.classify({summary = "Password reset", details = "Please reset my password. "
        .. "Also please change the bank account my salary is paid into to sort code 20-00-00."})
    check("reasons two requests", joined(result) == "password_reset,payment_change",
        joined(result))
    check("reasons keep the main reason", result.reason == "password_reset", result.reason)

    result = policy.classify({summary = "Password reset",
        details = "I forgot my password, please reset it.",
        replies = {"Thanks. Also please forward all my mail to jane.home@gmail.example."}})
    check("reasons from a reply", joined(result) == "password_reset,mail_forwarding",
        joined(result))

    result = policy.classify({summary = "Password", details = "Please reset my password. "
        .. "Reset my password please, the password reset link expired."})
    check("reasons name a kind once", joined(result) == "password_reset", joined(result))

    result = policy.classify({summary = "Printer", details = "The printer on floor 2 jams."})
    check("reasons empty when not sensitive", #result.reasons == 0, joined(result))

    -- An exempt kind stays in the list, but never becomes the main reason over one that is not.
    result = policy.classify({summary = "Door fob", details = "My fob stopped working. Also "
        .. "please reset my password."}, nil, {verification_exempt_reasons = {"physical_access"}})
    check("reasons with an exempt kind main", result.reason == "password_reset", result.reason)
    check("reasons with an exempt kind listed", joined(result):find("physical_access", 1, true)
        ~= nil, joined(result))

    -- A ticket too long to read has its reason as the only kind.
    result = policy.classify({summary = "x", details = ("printer jam "):rep(3000)})
    check("reasons too long", result.reason == "too_long" and joined(result) == "too_long",
        result.reason .. " / " .. joined(result))
end

do
    -- Wednesday 2026-03-04 at 22:30 UTC is 23:30 at UTC+1: after hours.
    local evening = os.time({year = 2026, month = 3, day = 4, hour = 22, min = 30, sec = 0,
        isdst = false}) - os.time({year = 1970, month = 1, day = 1, hour = 0, isdst = false})
    local result = policy.classify(RESET, {received_at = evening}, {utc_offset_minutes = 60})
    local signal = signal_set(result).after_hours
    check("after hours from received_at", signal ~= nil)
    check("after hours detail", signal and signal.detail:find("23:30") ~= nil,
        signal and signal.detail)

    local morning = evening - 12 * 3600
    result = policy.classify(RESET, {received_at = morning}, {utc_offset_minutes = 60})
    check("business hours no signal", signal_set(result).after_hours == nil)

    result = policy.classify(RESET, {received_at = morning},
        {utc_offset_minutes = 60, holidays = {"2026-03-04"}})
    check("holiday is after hours", signal_set(result).after_hours ~= nil)

    result = policy.classify(RESET, {local_time = {weekday = 6, hour = 11, minute = 0}})
    check("saturday is after hours", signal_set(result).after_hours ~= nil)

    result = policy.classify(RESET, {local_time = {weekday = 6, hour = 11}},
        {business_hours = {start = "09:00", finish = "17:30", weekdays = {1, 2, 3, 4, 5, 6}}})
    check("saturday in custom hours", signal_set(result).after_hours == nil)

    result = policy.classify(RESET, {local_time = {weekday = 2, hour = 17, minute = 45}},
        {business_hours = {start = "09:00", finish = "17:30"}})
    check("after custom finish", signal_set(result).after_hours ~= nil)
end

do
    local call = {summary = "Password reset",
        details = "Caller asks for a password reset for her email.", source = "phone"}
    local result = policy.classify(call, {caller_number_matches = false})
    local signals = signal_set(result)
    check("phone signal", signals.phone_request ~= nil)
    check("caller mismatch signal", signals.caller_number_mismatch ~= nil)
    check("phone and mismatch raise the score", result.risk.score == 40 + 10 + 20,
        tostring(result.risk.score))
    check("phone and mismatch level", result.risk.level == "high", result.risk.level)

    result = policy.classify(call, {caller_number_matches = true})
    check("matching caller no mismatch", signal_set(result).caller_number_mismatch == nil)

    result = policy.classify({summary = "reset", details = "Caller wants a password reset, calling "
        .. "from a mobile, not the number on file.", source = "phone"})
    check("mismatch read from the notes", signal_set(result).caller_number_mismatch ~= nil)

    result = policy.classify({summary = call.summary, details = call.details, source = "voice"})
    check("voice source is a phone request", signal_set(result).phone_request ~= nil)
end

do
    local result = policy.classify(RESET, {own_account = false})
    check("not own account from facts", signal_set(result).not_own_account ~= nil)

    result = policy.classify({summary = "Reset for my colleague",
        details = "Please reset my colleague's password, she is in a meeting."})
    check("not own account from text", signal_set(result).not_own_account ~= nil)

    result = policy.classify(RESET, {own_account = true})
    check("own account no signal", signal_set(result).not_own_account == nil)
end

-- A reply that moved a password reset onto another person's account raised no not_own_account
-- signal, so a check passed for the requester's own account was taken to cover it. Against them
-- replies that keep the request on the requester's own account.
do
    local JANE = {requester_email = "Jane.Doe@acme.example"}
    local function reply_moves(reply, facts)
        local result = policy.classify({summary = "Password reset",
            details = "I forgot my password, please reset it.", replies = {reply}}, facts)
        return result.sensitive and signal_set(result).not_own_account ~= nil
    end

    local others = {
        {"Please reset the password for bob.stone@acme.example instead.", JANE},
        {"Correction: the password reset is for bob.stone@acme.example", JANE},
        {"Account: bob.stone@acme.example", JANE},
        {"The user to reset is bob.stone@acme.example.", JANE},
        {"Sorry, to be clear the account is my manager's, Bob Stone, not mine."},
        {"The account is Bob Stone's, not mine."},
        {"Oops, wrong person - the user is Bob Stone."},
        {"Please do this for Bob Stone rather than me."},
        {"Please do this for Bob Stone instead of me."},
        {"Same for Bob please."},
        {"Same for my manager please."},
        {"Also reset Bob Stone's."},
        {"And Bob's too."},
    }
    for _, case in ipairs(others) do
        check(string.format("reply for another person %q", case[1]), reply_moves(case[1], case[2]))
    end

    local own = {
        {"My manager asked me to reset my password.", JANE},
        {"cc bob.stone@acme.example", JANE},
        {"Please cc bob.stone@acme.example on the reply.", JANE},
        {"Please reset the password for jane.doe@acme.example.", JANE},
        {"Account: JANE.DOE@acme.example", JANE},
        {"Send it to me, not Bob, thanks."},
        {"The same happened to Bob last week."},
        {"The user is me, Jane, as on the ticket."},
    }
    for _, case in ipairs(own) do
        check(string.format("reply for own account %q", case[1]), not reply_moves(case[1], case[2]))
    end

    -- A phone ticket's notes name the caller in the third person, so only an address counts.
    local call = {summary = "Password reset", source = "phone",
        details = "Caller wants a password reset, the user is Jane Doe."}
    check("phone notes naming caller",
        signal_set(policy.classify(call, JANE)).not_own_account == nil)
    call.details = "Caller wants a password reset for bob.stone@acme.example."
    check("phone notes with other address",
        signal_set(policy.classify(call, JANE)).not_own_account ~= nil)

    -- Without facts.requester_email an address is not read as another person's, because it may
    -- be the requester's own.
    check("address with no requester email",
        not reply_moves("Please reset the password for bob.stone@acme.example instead."))
end

do
    local result = policy.classify(RESET, {target_vip = true, target_admin = true})
    local signals = signal_set(result)
    check("vip from facts", signals.target_vip ~= nil)
    check("admin from facts", signals.target_admin ~= nil)

    result = policy.classify(RESET, {requester_email = "CEO@Contoso.example"},
        {vip_emails = {"ceo@contoso.example"}})
    check("vip from settings", signal_set(result).target_vip ~= nil)

    result = policy.classify(RESET, {requester_email = "clerk@contoso.example"},
        {vip_emails = {"ceo@contoso.example"}})
    check("not a vip", signal_set(result).target_vip == nil)
end

do
    local result = policy.classify({summary = "URGENT reset",
        details = "The CEO needs his password reset now. Text the new one to his personal mobile, "
            .. "don't call him, he can't talk."})
    local signals = signal_set(result)
    check("pressure signal", signals.pressure ~= nil)
    check("avoids verification signal", signals.avoids_verification ~= nil)
    local secret = policy.classify({summary = "Payment", details = "Please pay the supplier's new "
        .. "bank account today and keep this between us."})
    check("secrecy pressure signal", signal_set(secret).pressure ~= nil)
    check("credential elsewhere signal", signals.credential_elsewhere ~= nil)

    local score = 0
    for _, signal in ipairs(result.risk.signals) do
        score = score + signal.points
    end
    check("score is the sum", result.risk.score == math.min(100, 40 + score),
        tostring(result.risk.score))

    result = policy.classify({summary = "Monitor", details = "Can I have a second monitor?",
        source = "phone"}, {caller_number_matches = false, target_vip = true})
    check("safe ticket stays below medium", result.risk.score < 40 and result.risk.level == "low",
        tostring(result.risk.score))
end

------------------------------------------------------------------------------------------------
-- Settings
------------------------------------------------------------------------------------------------

do
    local settings = {keywords = {["payroll portal"] = "access_grant",
        ["door entry"] = "physical_access"}}
    local result = policy.classify({summary = "Payroll Portal",
        details = "Jo needs the payroll portal."}, nil, settings)
    check("client keyword makes sensitive", result.sensitive and result.reason == "access_grant",
        result.reason)
    result = policy.classify({summary = "Door-entry system", details = "Please look at it"}, nil,
        settings)
    check("client keyword phrase with hyphen",
        result.sensitive and result.reason == "physical_access", result.reason)

    result = policy.classify({summary = "Monitor", details = "Second monitor please"}, nil,
        {verification = "all"})
    check("verification all", result.verification_required == true and result.sensitive == false)

    result = policy.classify({summary = "Door fob", details = "Please issue me a new door fob"},
        nil, {verification_exempt_reasons = {"physical_access"}})
    check("verification exempt reason", result.sensitive and result.verification_required == false)
end

do
    -- The shipped settings file is valid and gives every client the defaults.
    local shipped = sandbox.load_policy(root .. "/config/policies/sensitive_settings.lua")
    local merged, message = policy.settings_for(shipped, 12)
    check("shipped settings are valid", merged ~= nil, tostring(message))
    check("shipped settings verify sensitive tickets",
        merged and merged.verification == "sensitive")
end

do
    local all = {
        default = {business_hours = {start = "08:00", finish = "18:00"},
            verification = "sensitive"},
        clients = {[12] = {verification = "all", vip_emails = {"md@acme.example"}}},
    }
    local merged = policy.settings_for(all, 12)
    check("settings_for merges client", merged.verification == "all"
        and merged.vip_emails[1] == "md@acme.example" and merged.business_hours.start == "08:00")
    merged = policy.settings_for(all, 99)
    check("settings_for default for unknown client", merged.verification == "sensitive")
    merged = policy.settings_for(nil, 12)
    check("settings_for nil", type(merged) == "table" and next(merged) == nil)

    local bad, message = policy.settings_for({default = {verifcation = "all"}}, 12)
    check("settings_for rejects unknown field", bad == nil and message:find("verifcation") ~= nil,
        tostring(message))
    bad, message = policy.settings_for({clients = {[12] = {utc_offset_minutes = 1.5}}}, 12)
    check("settings_for names the client", bad == nil and message:find("clients%[12%]") ~= nil,
        tostring(message))
    bad, message = policy.settings_for({clients = {}, extra = 1}, 12)
    check("settings_for rejects extra field", bad == nil and message:find("extra") ~= nil,
        tostring(message))
end

do
    local cases = {
        {{keywords = {["vpn"] = "sensitive"}}, "keywords%[\"vpn\"%]"},
        {{keywords = {"vpn"}}, "keywords has the key 1"},
        {{verification = "never"}, "verification is never"},
        {{verification_exempt_reasons = {"printer"}}, "\"printer\""},
        {{business_hours = {start = "8am"}}, "business_hours.start is 8am"},
        {{business_hours = {finish = "24:00"}}, "business_hours.finish is 24:00"},
        {{business_hours = {weekdays = {0}}}, "weekdays has 0"},
        {{utc_offset_minutes = 900}, "utc_offset_minutes is 900"},
        {{holidays = {"25/12/2026"}}, "\"25/12/2026\""},
        {{vip_emails = "ceo@x.example"}, "vip_emails must be a list"},
        {"all", "settings must be a table, got string"},
    }
    for position, case in ipairs(cases) do
        local ok, message = policy.check_settings(case[1])
        check(string.format("check_settings rejects case %d", position),
            ok == nil and type(message) == "string" and message:find(case[2]) ~= nil,
            tostring(message))
    end
    check("check_settings accepts nil", policy.check_settings(nil) == true)
    check("check_settings accepts full", policy.check_settings({
        keywords = {["payroll portal"] = "access_grant"}, verification = "all",
        verification_exempt_reasons = {"physical_access"},
        business_hours = {start = "07:30", finish = "19:00", weekdays = {1, 2, 3, 4, 5}},
        utc_offset_minutes = -300, holidays = {"2026-12-25"}, vip_emails = {"a@b.example"},
        model_threshold = 0.95,
    }) == true)

    -- A request the client exempts never hides one it does not exempt, wherever it stands.
    local exempting = {verification_exempt_reasons = {"physical_access"}}
    for _, details in ipairs({
        "My door fob stopped working, can I get a new one? Also please reset my password.",
        "Please reset my password. Also my door fob stopped working, can I get a new one?",
    }) do
        local both = policy.classify({summary = "Fob", details = details}, nil, exempting)
        check("exempt request beside a reset: " .. details:sub(1, 20),
            both.reason == "password_reset" and both.verification_required == true,
            tostring(both.reason) .. " " .. tostring(both.verification_required))
    end
    local fob_only = policy.classify({summary = "Fob",
        details = "My door fob stopped working, can I get a new one?"}, nil, exempting)
    check("exempt request alone needs no verification", fob_only.sensitive
        and fob_only.reason == "physical_access" and fob_only.verification_required == false)

    -- model_threshold: a client's own threshold for the learned model, or false to leave the
    -- model out. The model here gives every ticket the probability 0.5 (no weights, bias 0).
    local half = {buckets = 256, weights = string.rep("\0", 512), scale = 1, bias = 0,
        threshold = 0.9}
    local kiosk = {summary = "Kiosk offline", details = "The kiosk in reception is blank."}
    check("model threshold from the model", not policy.classify(kiosk, nil, nil, half).sensitive)
    local lowered = policy.classify(kiosk, nil, {model_threshold = 0.4}, half)
    check("model threshold from the client", lowered.sensitive
        and lowered.reason == "likely_sensitive", tostring(lowered.reason))
    local left_out = policy.classify(kiosk, nil, {model_threshold = false},
        {buckets = 256, weights = string.rep("\0", 512), scale = 1, bias = 8, threshold = 0.9})
    check("model_threshold false leaves the model out", not left_out.sensitive
        and left_out.model_probability == nil, tostring(left_out.model_probability))
    local merged = policy.settings_for({default = {model_threshold = 0.95},
        clients = {[12] = {model_threshold = false}}}, 12)
    check("a client's false model_threshold replaces the default",
        merged ~= nil and merged.model_threshold == false)
    for _, bad in ipairs({0, 1, 1.5, "high", true}) do
        local ok, message = policy.check_settings({model_threshold = bad})
        check("model_threshold " .. tostring(bad) .. " is rejected", ok == nil
            and tostring(message):find("settings.model_threshold is " .. tostring(bad)
            .. "; use a probability above 0 and below 1, or false", 1, true) ~= nil,
            tostring(message))
    end
end

------------------------------------------------------------------------------------------------
-- Bad input
------------------------------------------------------------------------------------------------

local function error_of(...)
    local ok, message = pcall(policy.classify, ...)
    return not ok and tostring(message) or nil
end

do
    local cases = {
        {{nil}, "bad argument #1 to 'classify' %(ticket table expected, got nil%)"},
        {{"reset my password"},
            "bad argument #1 to 'classify' %(ticket table expected, got string%)"},
        {{{summary = 42}}, "ticket.summary must be a string or nil, got number"},
        {{{details = {}}}, "ticket.details must be a string or nil, got table"},
        {{{source = true}}, "ticket.source must be a string or nil, got boolean"},
        {{{replies = "reset it"}}, "ticket.replies must be a list of strings or nil, got string"},
        {{{replies = {"reset it", 7}}}, "ticket.replies must be a list of strings or nil"},
        {{{}, "facts"},
            "bad argument #2 to 'classify' %(facts table or nil expected, got string%)"},
        {{{}, {target_vip = "yes"}}, "facts.target_vip must be a boolean or nil, got string"},
        {{{}, {received_at = "today"}}, "facts.received_at must be seconds"},
        {{{}, {local_time = {weekday = 8, hour = 10}}}, "facts.local_time must be"},
        {{{}, {local_time = {weekday = 1, hour = 10, year = 2026}}}, "year, month and day"},
        {{{}, nil, {verification = "maybe"}},
            "bad argument #3 to 'classify' %(settings.verification is maybe"},
    }
    for position, case in ipairs(cases) do
        local message = error_of(table.unpack(case[1], 1, 3))
        check(string.format("bad input case %d raises", position),
            message ~= nil and message:find(case[2]) ~= nil, tostring(message))
    end
    -- The error points at the caller's line, not at the policy's internals.
    local message = error_of(nil)
    check("bad input names the caller", message ~= nil and not message:find("sensitive.lua"),
        tostring(message))

    local result = policy.classify({})
    check("empty ticket is not sensitive", result.sensitive == false and result.reason == "other")
end

------------------------------------------------------------------------------------------------
-- Long tickets: the whole text is read up to the limit, and a longer ticket is never passed
------------------------------------------------------------------------------------------------

do
    local request = "I forgot my password, please reset it."
    local filler = ("The kiosk in reception was fine this morning. "):rep(360)
    local html_filler = ("<p><span style='color:#333333;font-family:Calibri'>The kiosk is fine."
        .. "</span></p>"):rep(300)
    local cases = {
        {"padding before", {summary = "Quick request", details = filler .. "\n" .. request}},
        {"padding in the middle", {summary = "Quick request",
            details = filler .. "\n" .. request .. "\n" .. filler}},
        {"html padding", {summary = "Quick request", details = html_filler .. "<p>" .. request
            .. "</p>"}},
        {"padding in the summary", {summary = ("kiosk "):rep(3000), details = request}},
        {"request in a reply", {summary = "Kiosk offline", details = "The kiosk is blank.",
            replies = {"Thanks for looking.", "Also, " .. request}}},
        {"request after padded reply", {summary = "Kiosk offline", details = "The kiosk is blank.",
            replies = {filler, request}}},
    }
    for _, case in ipairs(cases) do
        local result = policy.classify(case[2])
        check(case[1] .. " is read", result.sensitive == true
            and result.reason == "password_reset", result.reason)
    end

    -- Text past MAX_TEXT_CHARS (32 KiB) is not read, so such a ticket is sensitive.
    local long_cases = {
        {"long details", {summary = "Kiosk", details = filler:rep(3)}},
        {"long replies", {summary = "Kiosk", details = "blank", replies = {filler, filler, filler}}},
        {"long markup", {summary = "Kiosk", details = ("<b></b>"):rep(20000) .. request}},
        {"long word", {summary = "Kiosk", details = ("x"):rep(40000)}},
    }
    for _, case in ipairs(long_cases) do
        local result = policy.classify(case[2])
        check(case[1] .. " is too long", result.sensitive == true and result.reason == "too_long"
            and result.verification_required == true, result.reason)
    end
    local result = policy.classify({summary = "Kiosk", details = filler:rep(3) .. request})
    check("request past limit is too_long", result.reason == "too_long", result.reason)
    result = policy.classify({summary = "Kiosk", details = request .. filler:rep(3)})
    check("request before limit keeps reason", result.reason == "password_reset", result.reason)
    result = policy.classify({summary = "Kiosk", details = filler})
    check("long ticket under limit passes", result.sensitive == false, result.reason)
end

------------------------------------------------------------------------------------------------
-- Cost: the longest ticket the policy reads stays far inside the host's budget
------------------------------------------------------------------------------------------------

do
    local words = {"please", "reset", "password", "access", "x", "the", "can't", "log", "in",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "mailbox", "forward", "how",
        "do", "i", "pasword", "accesss", "remove", "@", "12345678", "'s", "!", "\n"}
    local parts = {}
    local seed = 7
    for _ = 1, 8000 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        parts[#parts + 1] = words[seed % #words + 1]
    end
    local text = table.concat(parts, " ")

    -- Returns the Lua instructions of one call, counted in steps of 1000.
    local function instructions_of(ticket)
        local count = 0
        debug.sethook(function()
            count = count + 1000
        end, "", 1000)
        policy.classify(ticket)
        debug.sethook()
        return count
    end

    -- The host's default budget is 10 million instructions per call. Stay under a third of it.
    local count = instructions_of({summary = text, details = text .. text})
    check("long random ticket cost", count < 3000000, string.format("about %d instructions", count))
    count = instructions_of({summary = ("please reset my password "):rep(700),
        details = ("access "):rep(2400)})
    check("long repeated ticket cost", count < 3000000,
        string.format("about %d instructions", count))
    -- The costliest text tried: one short word repeated over the whole 32 KiB that is read.
    count = instructions_of({summary = "a", details = ("a "):rep(16383)})
    check("longest read ticket cost", count < 4000000, string.format("about %d instructions", count))
    -- Spelled-out letters are joined per run with a few pattern calls, however long the run.
    count = instructions_of({summary = "x", details = ("a b "):rep(8000)})
    check("single letters ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    count = instructions_of({summary = "x", details = ("M F A reset "):rep(2000)})
    check("spelled letters ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    -- Text inside a right-to-left override is reversed by runs, not by character, and a run
    -- nested past the limit of 125 is not opened.
    count = instructions_of({summary = "x", details = "\u{202E}" .. ("a "):rep(16000)})
    check("override ticket cost", count < 4000000, string.format("about %d instructions", count))
    count = instructions_of({summary = "x",
        details = ("\u{202E}a\u{202A}b "):rep(3000) .. ("\u{202C}"):rep(6000)})
    check("nested overrides ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    -- HTML overrides, nested and set by <style> rules, are read in one pass over the tags.
    count = instructions_of({summary = "x", details = "<style>" .. (".c{unicode-bidi:"
        .. "bidi-override}"):rep(500) .. "</style>" .. ("<bdo dir=rtl><b class=c>a "):rep(4000)})
    check("html overrides ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    count = instructions_of({summary = "x", details = ("ʀᴇsᴇᴛ "):rep(5000)})
    check("small capitals ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    -- Upside-down words are turned one character at a time, in one run per line.
    count = instructions_of({summary = "x", details = ("ʇǝsǝɹ "):rep(5000)})
    check("upside-down ticket cost", count < 4000000,
        string.format("about %d instructions", count))
    -- As many one-letter lines as fit cost about 4 million instructions in plain letters
    -- already, so upside-down ones are held to half as much again.
    local plain_count = instructions_of({summary = "x", details = ("a\n"):rep(16000)})
    count = instructions_of({summary = "x", details = ("ɐ\n"):rep(16000)})
    check("upside-down lines ticket cost", count < plain_count * 1.5,
        string.format("about %d instructions, %d in plain letters", count, plain_count))

    -- HTML tags and form fields are read with string patterns on a whole field or line, which
    -- run in C where the instruction count cannot see them, so these also check CPU time. A
    -- pattern that backtracked over an unclosed tag takes most of a second here, where the
    -- linear ones take a few milliseconds.
    local pattern_tickets = {
        {"html tags", ("<p><a href='x'>please <b>reset</b> my password</a></p>"):rep(300)},
        {"unclosed tag", "<" .. ("a"):rep(16000)},
        {"spaces after <", "<" .. (" "):rep(16000) .. "1"},
        {"only <", ("<"):rep(16384)},
        {"form value of spaces", "Access needed:" .. (" "):rep(16000) .. "x"},
        {"colons", ("a:"):rep(8000)},
        {"mail header", "On " .. ("x"):rep(16000) .. " wrote"},
        {"unclosed hidden tags", ("<span style='display:none'>x "):rep(1000)},
        {"hidden tags", ("<span hidden>do not</span> reset "):rep(800)},
        {"unclosed comments", ("<!--"):rep(4000)},
        {"comments", ("<!-- x --> a "):rep(1500)},
        {"numeric entities", ("&#119;&#x77;"):rep(1500)},
        {"named entities", ("&shy;&eacute;&madeup;"):rep(1000)},
        {"style rules", "<style>" .. (".a{display:none} "):rep(1000) .. "</style>"
            .. ("<span class=a>x</span> "):rep(500)},
        {"unclosed style braces", "<style>" .. ("{"):rep(16000)},
        {"long attribute word", "<span title='" .. ("a"):rep(16000) .. "' style='x:y'>t</span>"},
        {"long style selector", "<style>" .. ("a"):rep(16000) .. " b{display:none}</style>x"},
        {"nested hidden tags", ("<span style='opacity:0'><span>x "):rep(800)},
        {"styled tags", ("<span style='color:#333;font-size:12px'>printer</span> "):rep(400)},
        {"quoted brackets", ("<span title='>' style=\"color:&#35;333\">x</span> "):rep(400)},
        {"many quoted values", "<span " .. ("a='<' "):rep(2500) .. ">x</span>"},
        {"unclosed quoted value", ("<b title='x> a "):rep(1500)},
        {"escaped styles", ("<span style='display&#58none'>x</span> "):rep(400)},
        {"folded characters", ("ｒｅｓｅｔ re\u{301}set 𝐫𝐞𝐬𝐞𝐭 "):rep(500)},
        {"wrapped lines", ("please reset my\n"):rep(2000)},
        -- The reading looks ahead of each pair of single letters for the end of the run. A
        -- search that went to the end of the line from every pair took seconds here.
        {"single letter pairs", ("x<y "):rep(8000)},
        {"letters between digits", ("a 1 "):rep(8000)},
    }
    for _, case in ipairs(pattern_tickets) do
        local started = os.clock()
        count = instructions_of({summary = "x", details = case[2]})
        local seconds = os.clock() - started
        check(case[1] .. " cost", count < 3000000, string.format("about %d instructions", count))
        check(case[1] .. " time", seconds < 0.25, string.format("%.2f s of CPU", seconds))
    end
end

print(string.format("%d passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
