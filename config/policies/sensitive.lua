--[[
The sensitive-ticket policy. It decides whether doing what a ticket asks would give whoever sent
it something an attacker impersonating the requester would want: a credential, a working
account, a way past a sign-in check, access or privileges, someone's mail, entry to premises or
money. It also scores the risk of the request from the ticket's source, the time and what
halyard knows of the people involved. docs/policies.md describes the contract.

    local result = sensitive.classify(ticket, facts, settings)

The labels it is measured against follow tests/data/sensitive/RULE.md: the label follows what
the ticket asks, not the words it contains. The policy is built recall first, in two steps:

1. What is asked for. An object an attacker would want (a password, a second factor, an
   account, access, admin rights, a card, bank details, a mailbox) with a request word near it
   is a request, and so is such an object in the summary. OBJECTS_TEXT and the word lists
   after it hold every object and verb, one table each.
2. What makes it safe. Each request is checked against what explains it away: a negation, a
   removal, a how-to question, a phishing report, an automatic or expiry notice, a report that
   something works again, a fault report, and a few kinds of object (a starter's laptop, a
   full mailbox, a returned card). A request that is asked for outright ("please reset")
   survives most of them.

The request reader (read_requests) finds requests in a third way: a clause that asks IT for an
act that suits a sensitive object ("could you get Priya into the finance share") is a request.
Outside quoted text, only a notice's voice explains it away. A reader of plain wording
(read_plain_requests) does the same for requests worded without the objects the tables expect:
translated, second-language and spoken wording, such as "please extend also his user".

The ticket is sensitive when a request survives. A missed request is a hole and a false alarm is
friction, so a word list should grow on the request side first.

It reads words, not meaning. HTML tags are removed, text a reader cannot see is read apart,
entities are decoded, fullwidth, accented and other look-alike letters (small capitals) are
folded to ASCII, text inside a right-to-left override is read in the order it is shown,
upside-down words ("ʇǝsǝɹ") are turned back and invisible characters are removed (strip_html).
Form lines that decline their field ("Forward email to: N/A") are left out. Cyrillic and Greek
letters that look like Latin ones, and symbols or digits written for letters ("p@ssword"), are
read as the Latin letters. Text is lowercased and split into words, spellings and typos within
one edit of the key terms are mapped to one token, and phrases ("log in", "two factor", "send
as") are joined into single tokens. A requested verb followed by "it" takes the nearest object
before it, and a summary's object follows the same object in the details.

Cost: linear in the length of the text. At most MAX_TEXT_CHARS characters are read, and
patterns run on one line or one word at a time, because Lua's pattern functions run in C
where the host's instruction budget cannot stop them. The patterns that strip_html runs on a
whole field (tags, hidden elements, entities, characters) never backtrack over more than the
run they have just read. The loader gives each policy file an
environment of its own and no require, so the word lists live in this file too.

The file runs in halyard's script sandbox and under plain lua5.4 (tests/policies/ loads it that
way), so it uses only the base functions and the string, table, math and utf8 libraries.
]]

local sensitive = {}

-- The characters of text read from one ticket: its summary, details and the requester's
-- replies together, after HTML tags are removed. A ticket with more is sensitive with the reason
-- "too_long", because a request placed after this much text would not be seen. Counted under
-- lua5.4, 32 KiB of one short word repeated, the costliest input tried, took about 3.7 million
-- Lua instructions of the host's default budget of 10 million per call.
local MAX_TEXT_CHARS = 32768

-- Longer runs without a space (links, encoded blobs) are skipped.
local MAX_WORD_CHARS = 48

-- How many words on each side of an object a verb may stand and still count.
local WINDOW = 5

-- A question or a "works again" in the summary or the first this many words of the details is
-- the ticket's topic, and a summary's object may take its verb from there.
local TOPIC_WORDS = 20

-- The sensitive codes of tests/data/sensitive/RULE.md, in the order that breaks a tie between
-- two requests found at the same word, and "too_long" for a ticket with more text than is read
-- (MAX_TEXT_CHARS) and no request in the part read.
sensitive.SENSITIVE_REASONS = {
    "payment_change", "mfa_reset", "password_reset", "account_unlock", "contact_change",
    "mail_forwarding", "mail_delegation", "admin_rights", "new_account", "physical_access",
    "access_grant", "too_long",
}
sensitive.SAFE_REASONS = {
    "access_removal", "password_expiry_notice", "how_to", "fault_report", "resolved", "licence",
    "hardware", "software", "purchase", "hr_request", "security_report", "notification", "other",
}

-- Risk points: the base of each sensitive reason, then what each signal adds. The score is
-- their sum, capped at 100. A ticket that is not sensitive scores below RISK_MEDIUM.
sensitive.REASON_POINTS = {
    payment_change = 55, mfa_reset = 45, password_reset = 40, account_unlock = 30,
    contact_change = 50, mail_forwarding = 45, mail_delegation = 40, admin_rights = 45,
    new_account = 30, physical_access = 30, access_grant = 30, too_long = 40,
}
sensitive.SIGNAL_POINTS = {
    caller_number_mismatch = 20, not_own_account = 15, target_vip = 15, target_admin = 15,
    avoids_verification = 15, credential_elsewhere = 15, phone_request = 10, after_hours = 10,
    pressure = 5,
}

-- A score at or above RISK_HIGH is "high", at or above RISK_MEDIUM "medium", else "low".
local RISK_HIGH, RISK_MEDIUM = 70, 40

local REASON_RANK = {}
for rank, reason in ipairs(sensitive.SENSITIVE_REASONS) do
    REASON_RANK[reason] = rank
end

-- Returns the set of the space-separated words of text.
local function words(text)
    local set = {}
    for word in text:gmatch("%S+") do
        set[word] = true
    end
    return set
end

-- The sets of the word lists written as strings at the call sites, made once each.
local SETS_OF_TEXT = {}

-- Returns set itself, or the set of its words when it is a string such as "cant login".
local function set_of(set)
    if type(set) ~= "string" then
        return set
    end
    local known = SETS_OF_TEXT[set]
    if known == nil then
        known = words(set)
        SETS_OF_TEXT[set] = known
    end
    return known
end

------------------------------------------------------------------------------------------------
-- Words and phrases
------------------------------------------------------------------------------------------------

-- Each line is "token: spellings", and each spelling maps to the token. Typos within one edit
-- of the longer words are corrected by TYPO_KEYS, so only short forms and worse misspellings are
-- here.
local SPELLINGS_TEXT = [[
password: pw pwd pswd passwd passwort passowrd pasword paswords passwords passcode passcodes
    passphrase pword psk
    contrasena kennwort wachtwoord senha haslo
pin: pins
key: keys
credential: creds credentials cred
login: logins logon logons signin username usernames okta sso appleid
account: acct accnt acount accounts acc
permission: perms permissions permisions permision
rights: privileges privilages privilage privilege
role: roles
access: acces acess accss accesses fullaccess
mfa: 2fa twofa 2sv otp otps totp authenticator authenticators yubikey duo authy passkey
    passkeys securid authentificator authentificators
factor: factors
admin: admins administrator administrators adm sudo superuser
mailbox: mailboxes inbox inboxes
calendar: calendars diary diaries
email: emails mails mail messages
please: pls plz plese pleas kindly bitte
unlock: unlocked unblock unlocking unblocked
lockedout: lockout
locked: blocked
reset: resets resetting reseting resetted
    restablecer reinitialiser zresetowac zurucksetzen resetten redefinir
reenable: reactivate reactivated reenabled reinstate reinstated
forgot: forgotten forget forgetting
badge: badges fob fobs keycard keycards keyfob keyfobs lanyard lanyards
smartcard: smartcards
doorcode: keyholder keyholders
allowlist: whitelist whitelisted whitelisting allowlisted safelist
forward: forwarded forwarding forwards
forwarder: autoforward forwardingsmtpaddress forwardingaddress
redirect: redirected redirecting redirects divert
delegate: delegates delegation delegated
starter: starters
joiner: joiners newcomer newcomers
hire: hires
intern: interns internship graduates
contractor: contractors
temp: temps
grant: granted granting grants grand
give: gives giving gave given
make: made makes making
provide: provided providing
add: added adding adds readd
invite: invited inviting invites
open: opened opening opens
enable: enabled enabling enables
allow: allowed allowing allows
assign: assigned assigning assigns
create: created creating creates creation
setup: provision provisioned
map: mapped mapping maps
copy: copies copied copying mirror mirrored mirroring
onboard: onboarding onboarded
need: needs needed needing require required requires
request: requesting requests
want: wants wanted wanting
get: gets
remove: removed removing removal removes kill
revoke: revoked revoking revocation
disable: disabled disabling deactivate deactivated deactivating deactivation kill killed
delete: deleted deleting deletion
terminate: terminated termination
suspend: suspended
offboard: offboarding
restrict: restricted restricting
change: changed changing changes amend amended modify switched swap swapped
update: updated updating updates
extend: extended extending extends
replace: replaced replacement replacing
issue: issued issuing
activate: activated activating
validate: validated validating validation
elevate: elevated elevation elevating
expired: expiring
expire: expires expiry expiration
urgent: urgnet urgently asap immediately
cant: cannot unable couldnt wont
working: workin wrking workng
not: doesnt dont didnt isnt arent havent hasnt never no nothing without none na
member: members membership memberships
lost: gone stolen
user: users
colleague: colleagues collegue colleage
folder: folders
share: shares shared sharing
group: groups
list: lists
repository: repositories repo repos
port: ports
site: sites
licence: license licences licenses licensing
owner: owners ownership
approver: approvers
phishing: phish suspicious scam spoof spoofed fake dodgy malicious fraud fraudulent legit legitimate
    genuine impersonating pretending claiming impersonation impersonate pretended vishing smishing
fault: offline error errors err issues problem problems failed fails failing fail broken bug crash
    dead
    crashes timeout timed difficulty trouble wrong incorrect
badge: transponder transponders
reenable: unsuspend unsuspended
malfunction: disconnect disconnects disconnecting disconnected dropping drops dropped freezes
    freezing frozen froze hangs hanging glitch glitchy intermittent intermittently outage lagging
    laggy unavailable unreachable flickering corrupt corrupted disappeared vanished
]]

-- Word starts that identify a word whatever its ending ("passwords", "permissioned").
local STEMS = {
    {"passw", "password"}, {"pasw", "password"}, {"credential", "credential"},
    {"permission", "permission"}, {"privileg", "rights"}, {"authenticat", "authentication"},
    {"administrat", "admin"}, {"mailbox", "mailbox"},
}

-- Words within one edit of one of these are corrected to it (SymSpell-style lookup by
-- deletions). Only words of six letters or more: shorter ones have too many real neighbours.
local TYPO_KEYS = words([[
password account access permission unlock mailbox credential administrator privilege
authenticator forward forwarding whitelist reactivate contractor please urgent delegate
starter colleague locked expired forgot forgotten disable remove revoke request create
provide enable assign mobile recovery details change
]])

-- Real words one edit away from a key, which stay as they are.
local TYPO_EXCEPTIONS = words([[
accent accept excess recess assess passed colleagues starters numbers removed remover
revoked created creates enabled enables assigns mobiles locker docked rocked socked locket
clocked unlocks provider provided provides expires expire disabled forgets pleased pleaser
plead pleat urgency surgent starved startle starts started assigned unable enable remote relate
looked recover recovered
relegate deactivate
chance charge charged charges chances retails detail
]])

--[[
Each line is "token: phrase | phrase ...". A phrase is written in tokens (after SPELLINGS), so
"shared mailbox" is written "share mailbox", and loading raises an error naming any word that is
not in that form. The longest phrase starting at a word wins. Some tokens only stop words from
counting: "notacredential" keeps "password" in "password manager" from reading as a password.
]]
local PHRASES_TEXT = [[
login: user id | log in | log on | sign in | sign on | logged in | signed in | log into |
    apple id |
    get in | get into
loginname: user name
email: e email
password: pass word | mot de passe | wifi key | wifi code | network key | wireless key | recovery key |
    bitlocker key | bitlocker recovery key | api key | api token | client secret | epp code |
    auth code
credential: login details | login info | login information | login credential | sign in details |
    access details
wifi: wi fi
mfa: temporary access pass | temporary access code | access code | two factor | multi factor |
    2 factor | 2 step | two step | second factor | login verify | security key |
    double authentication | double factor | double verification | two steps | 2 steps |
    push notification | push notifications | sign in notification | sign in notifications |
    approve sign in | approve sign in notification | approve sign in notifications |
    approve sign ins | approve login | login approval | login approvals |
    approve notification | approve notifications | approve button | approve request |
    approve thing | approve prompt | approve pop up | approve popup | approve screen |
    sign in request | number matching |
    verification code | bypass code | backup codes | sms code | one time code | hardware token |
    text code | text codes | security code | security codes | login code | login codes |
    authentication code | authentication codes | sms codes | verification codes | 6 digit code |
    six digit code | rsa token | rsa badge | soft token | software token | security token |
    sign in prompt | sign in prompts | login prompt | login prompts | security info |
    security information | authentication method | authentication methods | sign in method |
    sign in methods | authentication app | authentication apps
forwarder: end up in my mailbox | ends up in my mailbox | land in my mailbox |
    lands in my mailbox | come to my mailbox | comes to my mailbox
sendas: send as | send email from | send from
onbehalf: on behalf | on my behalf | on his behalf | on her behalf | on their behalf
sharedmailbox: share mailbox | common mailbox | team mailbox | generic mailbox |
    functional mailbox
finance: account team | account department | account dept | account payable |
    account receivable
bringback: bring back | brings back | brought back | bring it back | bring them back |
    give back | give him back | give her back
reenable: re enable | re activate | turn it back on | turn back on | switch back on |
    switch it back on | turn them back on | switch them back on |
    remove the expire | remove expire | remove the end date | remove end date |
    make active | make it active | make me active | make him active | make her active |
    make them active
lockedout: locked out | lock out | locked me out | locked myself out | locked him out |
    rejecting me | rejecting her | rejecting him | rejects me | rejected me | rejecting us |
    locked from sign in | locked from signing in | locked from logging in | locked from login |
    locked her out | locked them out | lock me out | shut me out | locked me | locked him |
    kicked out | kicked me out | chucked out | chucked me out | booted out | booted me out |
    thrown out | threw me out | cant have me | not have me | cant accept me | not accept me |
    cant get on | cant get onto | not get on | not get onto |
    locked her | too many attempts | too many times | too many tries | too many fault
admin: local admin | global admin | domain admin | admin rights | super user |
    super admin
become: take over as | taking over as | takes over as
starter: new starter | new employee | new recruit | starter form | new colleague
joiner: new joiner | joiner form
hire: new hire
newaccount: new user | new account | new login | new mailbox | new email account
serviceaccount: service account | test user | test account | bot account | robot | robot account |
    machine user | machine account | system account
guestaccount: external user | guest user | guest account | guest access
temp: work experience
holiday: bank holiday | bank holidays
smartcard: smart card | smart cards | bank smartcard
paycontrol: approval limit | payment limit | spending limit | signing limit | transfer limit |
    authorisation limit | authorization limit | payment approval limit | dual sign off |
    dual approval | dual authorisation | dual authorization | second approver requirement |
    second approval | two approver
bankservice: bank portal | banking portal | bank rec | bank reconciliation | bank feed |
    bank feeds | bank statement | bank statements | bank connection | bank app | bank website
bankchange: moved bank | moved banks | change bank | change banks | new bank | new banks |
    new bank detail | new bank details | new bank account | new sort code | new account detail |
    new account details | account below | account detail below | account details below |
    following account | account on the attached | account in the attached | account on the letter |
    account in the letter | account on the new invoice | can my wages go |
    into a different account | into another account | into a new account | new payee |
    from a different account | out of a different account | different account number |
    new account number | different bank account | different bank detail | different bank details |
    new beneficiary | paid to our new account | paid into our new account |
    paid to a new account | paid into a new account | paid to the new account |
    paid into the new account |
    can my salary go | can my pay go | wages to go | salary to go | pay to go |
    first time we paid | first time weve paid | first time we have paid | payments now go to |
    payments will now go to | payments should now go to
bankdetail: remittance details | where my salary is paid | salary is paid | salary paid |
    paid into | pay into | where my salary goes | where my wages go | where my pay goes |
    salary goes | wages paid | sort code | bank details | bank detail | bank account |
    bank account number | routing number | payment details | card details | salary account | iban |
    swift | bic | payee | payees | banks | bank
paymentcard: payment card | company card | credit card | debit card | card on file | bank card |
    bank cards |
    payment method | billing detail | billing details | billing card
badge: access card | access cards | entrance card | door card | building card | id card |
    swipe card | security card | visitor card | visitor cards | building pass | door pass |
    guest card | guest cards | visitors card | visitors cards |
    security pass | key card | key badge | visitor pass | visitor passes | guest pass |
    guest passes | day pass | day passes | staff pass | building passes | door passes |
    contractor pass | temporary pass | temp pass | site pass | entry pass | door token |
    paxton token | paxton tag | prox card | proximity card | door tag
doorcode: door code | alarm code | gate code | keypad code | entry code | door key |
    building key | set of key | key cut | spare key | office key | front door key
premises: server room | restrict area | secure room | secure area | comms room | data centre |
    data center
beforeremoval: before you disable | before you remove | before you delete | before disable |
    before remove | before delete
lockoutrisk: will he be locked out | will she be locked out | will i be locked out |
    will they be locked out
phoneline: calling number | teams number | teams phone number | teams calling number |
    direct dial | ddi
phonenumber: mobile number | phone number | cell number | contact number | mobile phone number |
    telephone number | new number | number on file
recoverycontact: recovery email | recovery phone | recovery address | recovery number |
    personal email | contact details | backup email | backup address | backup phone |
    backup number | alternate email | alternative email | secondary email | alternate number |
    alternate phone | authentication phone | authentication number | verification phone |
    verification number |
    authorised contact | authorized contact
emailaddress: email address
newaddress: new address
newsupplier: new supplier
callback: ring me back | call me back | ring back | call back | call backs | check its me |
    check it is me |
    prove its me | prove it is me
onrecord: you hold for me | you have for me | you hold on file | you have on file | on record |
    on his record | on her record | on my record | on their record |
    your records | our records
adminjob: admin team | admin teams | admin assistant | office admin | admin staff |
    admin department | admin dept | admin work | admin office | admin manager | admin officer |
    admin support
badgedevice: badge printer | badge reader | badge holder | badge holders | badge printers
displayname: display name | job title
resolvedmark: thats done | all done | its done | done thanks | works again | working again |
    not mind | false alarm | all good | not need to do anything | is complete | all tasks done |
    can see it now | can see them now | can open it now |
    sorted now | all sorted | im back in | back in now | am back in | is back in | are back in |
    were back in | can close | please close | close please | close this | close the ticket |
    resolved | fixed now | ignore my | not else need | sorted it | is sorted |
    not longer an fault | worked thanks | it worked | that worked | all working | working now |
    works now | thanks for unlock | thanks for reset | thanks for sorting | all good now |
    closing | ok to close | confirms he can | confirms she can | confirms they can |
    confirmed he can | confirmed she can | confirmed they can |
    work fine | works fine | working fine | worked fine | working fine again |
    works fine again | working ok again | working fine now | back to normal |
    come through fine | comes through fine | coming through fine | in now | fixed it |
    that fixed | works on all | works on every | working on all | works everywhere |
    ignore this | ignore me | can be closed | close it | shut this | shut it |
    all fine | let me back in | unlock itself
howq: do i need | do we need | how do i | how can i | how to | how do we | how can we |
    is there a page | is there a link | is there a site | is there somewhere |
    how should i | how would i | where do i | where can i | is there a way | what is the process |
    whats the best way | whats the easiest way | whats the quickest way | whats the cleanest way |
    what is the best way | what is the easiest way |
    whats the process | what are the steps | what steps | which steps | confirm which |
    confirm whether | confirm what | check whether | instructions |
    want to know | like to know | question about |
    quick question | just curious | wondering if | wondering whether | is this normal |
    is that normal | is it normal | understand the process | understand process |
    better understand |
    whats our policy | what is our policy | whats the policy | what is the policy |
    policy on | is it ok for | is it okay for | is it ok to | who decides | are we allow |
    are staff allow | is it allow | on the roadmap | whats the way | what is the way
howword: how | which | where is | wheres
canyou: can you | could you | would you | will you | can u | pouvez vous | podrias | puede |
    konnen sie | kunt u | can someone | could someone | can somebody | could somebody |
    would someone
cani: can i | could i | may i
forgot: cant remember | not remember | cant recall | not know
avoid: not want to be | not want to get | so i not get | so i not be | so im not
request: would like | can i have | could i have | can i get | could i get | may i have |
    can we get | can we have | i would like | id like | would it be possible |
    wondering if i could | wondering if we could | wondering if you could |
    wondering whether i could | wondering whether we could | wondering whether you could |
    asked us to | asked us | asked that
setup: set up | sign up | setting up
expire: running out | runs out | run out
stocktake: stock take | stock count | stock check
see: have a look in | have a look at
disable: turn off | switch off
manage: full control
access: full access
enable: turn on | switch on
remove: take away | back out of | take me off | take him off | take her off | take them off |
    take us off | take off
anymore: any more | not longer | not more
accessnotice: want to access | want to share | accept or decline | accept decline
accessrequest: request access | access request
accesspoint: access point | access points
accountnumber: account number | account reference | customer number | account code |
    account codes | cost code
accessreview: access review | access reviews | access report | access audit | access log |
    access logs | login report | login reports | login history | login log | login audit
sshkey: ssh key | public key
remoteaccess: remote access | remote desktop | remote connection | vpn | rdp | citrix | tunnel
allowlist: through the filter | through the spam filter | past the filter | past the spam filter |
    allow list | safe senders | safe sender | safe list | trusted senders |
    approved senders | allow email from | allow email through | let email through
blockrelease: from the spam filter | from spam filter | from the filter | from filter |
    from the junk filter | from the block list | from block list | from the blacklist |
    from blacklist | from the locked senders | from locked senders | off the block list |
    off the blacklist | off the locked senders
group: distribution list | distribution group | mailing list | mailing | dl | security group
approver: line manager | project manager | account manager | client manager | delivery lead |
    line managers | project managers | account managers | client managers
unchanged: same account as now | same account as before | same account as usual | same account |
    same bank account |
    same account as always | account you always use | account you always pay |
    account you usually use | usual account | same bank detail | same bank details
notacredential: password manager | password vault | password policy | password policies |
    password protected
meetingroom: meeting room | meeting rooms | conference room
same: same as | need everything | give everything
prompting: keeps asking | keep asking | keeps prompting | popping up | pops up
automatic: automated message | automatic message | do not reply | this is an automatic | alert |
    notification | notifications | device recovery | planned downtime | maintenance window |
    announcement | not action need |
    not action is need | we detected | risky sign in | unusual sign in | unfamiliar sign in |
    risky login | unusual login | unusual activity | generated automatically | sent automatically |
    scheduled job |
    automatically generated | auto generated | this report | weekly report | monthly report |
    daily report | change notice | service notice | maintenance notice | informational |
    planned maintenance | not action taken |
    if this was not expected | if this was not you | if you did not expect
fyi: fyi | for your information | for info | heads up | for planning only
everyone: everybody | all user | whole team | whole office | all staff |
    the entire | everyone | for anyone
nobody: not one | nobody | noone
alreadyhave: already create | already setup | already set up | already exist | already exists |
    all setup | all set up |
    already done | already have | already got | already has | i have already | ive already got |
    ive already
noverify: not call | do not call | not ring | cant talk | not need to verify | skip verification |
    not calling
temppassword: temporary password | temp password | new password | new pass
elsewhere: in this ticket | in the ticket | text it | text the | send it to | send the new |
    personal address | let me know the | send me the
hardwareonly: hardware allocation | equipment allocation
ctrlaltdelete: ctrl alt delete
letknow: let me know | let us know | let you know | let them know
letin: get back in | get back into | let me in | let me into | let him in | let him into |
    let myself in | let herself in | let himself in | let themselves in | let ourselves in |
    let her in | let her into | let them in | let them into | let us in | let us into
malfunction: black screen | blank screen | white screen | not loading | not load | not show |
    not pop up | not popping up | not pops up |
    not shows | not showing | not appear | not appearing
cant: not able
not: disregard the request for | ignore the request for | cancel the request for |
    cancel my request for
fault: not working | not more working | stop working | stopped working | not arriving |
    stopped arriving | not coming through | not coming | not work | not accepted | not accept | not recognised |
    not recognized | not valid | not getting | not receive | not receiving | not received |
    not arrive | not arrived | messed up | mucked up | playing up | acting up | not get |
    to my old number | to my old phone | to the old number | to the old phone |
    on my old phone | on the old phone | on my old mobile | on the old mobile |
    on my previous phone | on my lost phone | on the lost phone
newone: new one | another one | replace one | new 1 | new ones
mailbox: email box | email boxes
please: do the needful | do needful
replace: issue a | issue new | issue me | issue him | issue her | issue them | issue one |
    issue another | issue it
secrecy: keep this confidential | keep it confidential | keep confidential | keep this quiet |
    keep it quiet | keep this between us | confidential acquisition | confidential matter |
    confidential project | confidential payment | confidential deal | confidential transfer
phishing: audit finding | audit findings | text asking | texts asking | email asking |
    someone signed in | someone logged in | someone trying | someone tried | someone is trying |
    sign in to my account from | signed in to my account from | sign in from another country |
    said they were | saying they were | strange sign in | unexpected sign in | denied them |
    pressed deny |
    call asking | message asking | caller asking |
    reporting not actioning | just reporting | reporting only | reporting this | reporting it |
    telling you in case | we not give it | i not give it | she not give it | he not give it
password: pass sword | pass swords
admin: add min
mfa: authentic a tour | authentic ator
remoteaccess: vee pee en
badge: gate remote | gate remotes | garage remote | barrier remote | car park remote |
    site passes | staff passes | contractor passes | entry passes
password: secret word
allowlist: white list | white listed | white listing
serviceaccount: api user | api account | integration user | integration account
guestaccount: as guests | as a guest | as guest user
reenable: turn me back on | switch me back on | turn him back on | turn her back on
disclaimer: will not change | will not ask | not ask you for | not ask for your |
    confidential | confidentiality | legally rights | intended recipient | intended solely |
    disclaimer |
    consider the environment | consider environment | unsubscribe
phishing: not from us | not us | not ours | not from them | wasnt them | said it was not them |
    lookalike domain | lookalike address
resolvedmark: it work now | it work again | all work now | everything work now |
    stopped asking | prompts stopped | prompt lost | codes arrived | just come through |
    just came through | disregard my previous | disregard the previous | disregard previous |
    ignore the previous | ignore previous | ignore my previous |
    confirmed it work | confirm it work
automatic: youre receiving this | you are receiving this | if this was you | notice from
formrequester: submitted by | raised by | requester
automatic: not monitored | generated by | backup report | backup job | completed successfully |
    auto unlock | unlock automatically
unsure: not know why | not know that existed | not know it existed | not know there was
return: hand back | handing back | hand in | handing in | hand it back | handed back
everyone: all of us | for all of us | us as well | happens to us too | same for everyone |
    colleague say the same | colleague have the same | other people have same | not just me |
    not only me | not just one person
]]

--[[
Calls visit(token, item) for each item of a word list text. Each line is "token: items"; a line
that starts with spaces continues the line before. Items are separated by spaces, or by "|" when
separator is "|". It builds no table of pairs, because the garbage of loading counts towards the
MSP's Lua state until the collector runs.
]]
local function read_table_text(text, separator, visit)
    local pattern = separator == "|" and "[^|]+" or "%S+"
    local key = nil
    for line in text:gmatch("[^\n]+") do
        local rest = line:match("^%s+(.*)$")
        if rest == nil then
            key, rest = line:match("^(%S+):%s*(.*)$")
        end
        if key == nil then
            error(string.format("invalid word list line %q; write \"token: words\"", line))
        end
        for item in rest:gmatch(pattern) do
            item = item:match("^%s*(.-)%s*$")
            if item ~= "" then
                visit(key, item)
            end
        end
    end
end

--[[
Returns the token that word is a spelling of, or nil. SPELLINGS[n] is a string of
"\nspelling token" entries for the spellings of n bytes. A table keyed by each of the 382
spellings took 12 KiB more of each MSP's Lua state.
]]
local spelling_token
do
    local token_of_spelling = {}
    read_table_text(SPELLINGS_TEXT, " ", function(token, spelling)
        token_of_spelling[spelling] = token
    end)

    local entries = {}
    for spelling, token in pairs(token_of_spelling) do
        entries[#spelling] = entries[#spelling] or {}
        table.insert(entries[#spelling], "\n" .. spelling .. " " .. token)
    end
    local SPELLINGS = {}
    for length, list in pairs(entries) do
        -- Sorted, so the string is the same at every load. The last entry ends with a newline
        -- like the others, so a match of a token never runs into the next entry.
        table.sort(list)
        SPELLINGS[length] = table.concat(list) .. "\n"
    end

    function spelling_token(word)
        local text = SPELLINGS[#word]
        if text == nil then
            return nil
        end
        local _, last = text:find("\n" .. word .. " ", 1, true)
        if last == nil then
            return nil
        end
        return text:match("^%S+", last + 1)
    end
end

--[[
The deletion index of TYPO_KEYS: every word one deletion away from a key, with the key, or with
"-" when two keys share it (an ambiguous typo stays as it is). TYPO_DELETIONS[n] is a string of
" variant:key" entries for the variants of n letters, which typo_deletion reads. A table keyed
by each of the 269 variants took 14 KiB more of each MSP's Lua state.
]]
local TYPO_DELETIONS = {}
do
    local key_of = {}
    for key in pairs(TYPO_KEYS) do
        for index = 1, #key do
            local variant = key:sub(1, index - 1) .. key:sub(index + 1)
            local known = key_of[variant]
            if known == nil then
                key_of[variant] = key
            elseif known ~= key then
                key_of[variant] = false
            end
        end
    end

    local entries = {}
    for variant, key in pairs(key_of) do
        entries[#variant] = entries[#variant] or {}
        table.insert(entries[#variant], " " .. variant .. ":" .. (key or "-"))
    end
    for length, list in pairs(entries) do
        -- Sorted, so the string is the same at every load.
        table.sort(list)
        TYPO_DELETIONS[length] = table.concat(list)
    end
end

-- Returns the key that word is one deletion away from, false when two keys are, or nil.
local function typo_deletion(word)
    local text = TYPO_DELETIONS[#word]
    if text == nil then
        return nil
    end
    local _, last = text:find(" " .. word .. ":", 1, true)
    if last == nil then
        return nil
    end
    if text:byte(last + 1) == 45 then -- "-"
        return false
    end
    return text:match("^%a+", last + 1)
end

local correct_typo
do
    -- Four-letter keys, corrected only from a swap of neighbours ("bnak"), because most other
    -- edits of a four-letter word are real words ("back", "band").
    local SHORT_TYPO_KEYS = words("bank")

-- Returns the key within one edit (insertion, deletion, substitution or swap of neighbours)
-- of word, or nil.
function correct_typo(word)
    if #word == 4 then
        for index = 1, 3 do
            local swapped = word:sub(1, index - 1) .. word:sub(index + 1, index + 1)
                .. word:sub(index, index) .. word:sub(index + 2)
            if SHORT_TYPO_KEYS[swapped] and swapped ~= word then
                return swapped
            end
        end
        return nil
    end
    if #word < 5 or TYPO_EXCEPTIONS[word] or TYPO_KEYS[word] then
        return nil
    end
    local key = typo_deletion(word)
    if key then
        return key
    end
    for index = 1, #word do
        local variant = word:sub(1, index - 1) .. word:sub(index + 1)
        if TYPO_KEYS[variant] then
            return variant
        end
        key = typo_deletion(variant)
        if key then
            return key
        end
    end
    return nil
end
end

-- Returns the token of a lowercased word, remembering it in cache.
local function token_of(word, cache)
    local known = cache[word]
    if known then
        return known
    end
    local result = spelling_token(word)
    if result == nil then
        for _, stem in ipairs(STEMS) do
            if word:sub(1, #stem[1]) == stem[1] then
                result = stem[2]
                break
            end
        end
    end
    if result == nil then
        local corrected = correct_typo(word)
        if corrected ~= nil then
            result = spelling_token(corrected) or corrected
        end
    end
    result = result or word
    cache[word] = result
    return result
end

--[[
The phrases in one flat array, PHRASES.words, grouped by first token with the longest first:
for each phrase its length in tokens, its tokens after the first, then the joined token, and a
0 after each group. PHRASES.first maps a first token to the start of its group, so "log in"
reads {..., 2, "in", "login", ..., 0}. One array rather than a table per phrase or per first
token, because those tables took tens of KiB of the MSP's Lua state.
]]
local PHRASES = {first = {}, words = {}}
do
    local phrases_by_first, order, count, cache = {}, {}, 0, {}
    read_table_text(PHRASES_TEXT, "|", function(token, text)
        local phrase = {}
        for word in text:gmatch("%S+") do
            if token_of(word, cache) ~= word then
                error(string.format("the phrase %q of %q has the word %q, which reads as %q; "
                    .. "write the phrase in tokens", text, token, word, token_of(word, cache)))
            end
            phrase[#phrase + 1] = word
        end
        phrase[#phrase + 1] = token
        local first = phrase[1]
        phrases_by_first[first] = phrases_by_first[first] or {}
        table.insert(phrases_by_first[first], phrase)
        count = count + 1
        order[phrase] = count
    end)
    local flat = PHRASES.words
    for first, list in pairs(phrases_by_first) do
        -- Phrases of one length keep the order of PHRASES_TEXT, so a load reads the same way
        -- each time.
        table.sort(list, function(a, b)
            if #a ~= #b then
                return #a > #b
            end
            return order[a] < order[b]
        end)
        PHRASES.first[first] = #flat + 1
        for _, phrase in ipairs(list) do
            flat[#flat + 1] = #phrase - 1
            table.move(phrase, 2, #phrase, #flat + 1, flat)
        end
        flat[#flat + 1] = 0
    end
    -- A copy of exactly the array's length: an array grown by appending has a power of two of
    -- slots.
    PHRASES.words = {table.unpack(flat)}
end

------------------------------------------------------------------------------------------------
-- Reading a ticket
------------------------------------------------------------------------------------------------

-- Contractions that look like possessives ("it's", "that's").
local NOT_POSSESSIVE = words("it that what he she there here who where let how this one today")

-- After these words, a few words are a signature or a greeting, not a request.
local CLOSINGS = words("regards thanks thank cheers br sincerely best")

-- Abbreviations whose full stop ends no sentence ("Mr. Jansen").
local ABBREVIATIONS = words("mr. mrs. ms. dr. e.g. i.e. approx. dept. no.")

-- Words that make a following "have" a request ("could the team have access").
local ABILITY = words("can could may")

-- The token between the summary's tokens and the details' tokens. No phrase contains it.
local SUMMARY_END = "||"

-- Flags of a token: it is in a quoted line ("> please reset..."), in an information question,
-- or it was written with a capital inside a sentence (most likely a name). PARAGRAPH marks the
-- first token of a paragraph: of a field, or of a line after a blank line. REPLY marks the first
-- token of the requester's replies.
local QUOTED, QUESTION, CAPITALISED, PARAGRAPH, REPLY = 1, 2, 4, 8, 16

-- A sentence that ends in "?" and opens with one of these is an information question ("Do we
-- support MFA?", "Does Sarah have access?"), unless its second word is in the next set, because
-- "do you", "is there" and "is it" open polite requests ("Is it possible to get access?").
local QUESTION_OPENERS = words([[
do does did is are was were has have which when where why who whose should will
]])
local REQUEST_SECOND_WORDS = words("you u there it")
-- "Can I change my password myself?" is a how-to question, not a request for a change.
local SELF_SERVICE = words("myself ourselves own")
local ASKING_VERBS = words("get have be")

-- Adds QUESTION to the flags of the sentence from start to the end of list when it is an
-- information question. The tokens are not joined into phrases yet, so "can i" is two tokens.
local function mark_question(list, flags, start)
    local opener, second = list[start] or "", list[start + 1] or ""
    local asks = QUESTION_OPENERS[opener] and not REQUEST_SECOND_WORDS[second]
    -- "Can I get rights to install software myself?" asks for the rights.
    if not asks and (opener == "can" or opener == "could" or opener == "may") and second == "i"
            and not ASKING_VERBS[list[start + 2] or ""] then
        for index = start + 2, #list do
            asks = asks or SELF_SERVICE[list[index]]
        end
    end
    -- "Is there a way I can move it over myself?", "is it possible for us to change it
    -- ourselves?", "what's the best way to move it myself?": a question about doing it oneself.
    -- "Own" counts only after "my" or "our" ("is it possible to change my own password"),
    -- because "is it possible to give Ellie her own login" requests one.
    if not asks and ((QUESTION_OPENERS[opener] and REQUEST_SECOND_WORDS[second])
            or opener == "what" or opener == "whats") then
        for index = start + 2, #list do
            asks = asks or list[index] == "myself" or list[index] == "ourselves"
                or (list[index] == "own" and (list[index - 1] == "my" or list[index - 1] == "our"))
        end
    end
    if asks then
        for index = start, #list do
            flags[index] = flags[index] | QUESTION
        end
    end
end

--[[
strip_html and its helpers, which turn a stored field into the text a reader sees. The helpers
and tables are local to this block, which keeps the file under Lua's limit of 200 active local
variables.
]]
local strip_html
do
    -- Elements that end a line of text. The elements of INLINE_TAGS sit inside a word, so
    -- "<b>M</b>F<b>A</b>" and "pass<wbr>word" read as one word. Any other tag is a space.
    local BLOCK_TAGS = words([[
p div br li ul ol dl dt dd tr td th table thead tbody tfoot caption h1 h2 h3 h4 h5 h6 blockquote
pre hr center section article header footer main nav aside form fieldset address
]])
    local INLINE_TAGS = words([[
a abbr b bdi bdo big cite code del em font i ins kbd mark q s samp small span strike strong sub
sup time tt u var wbr
]])
    -- Elements whose content no reader sees or reads as struck out, and elements that have no
    -- content or closing tag.
    local UNSHOWN_TAGS = words([[
style script head title template noscript iframe object svg xml s del strike
]])
    local VOID_TAGS = words("area base br col embed hr img input link meta source track wbr")
    -- Classes that hide an element in the common CSS frameworks, which the page showing a
    -- ticket may define.
    local HIDING_CLASSES = words("hidden hide d-none sr-only visually-hidden invisible")

    --[[
    Named entities with the text they stand for. Accented letters stand for their base letter,
    as fold_characters reads the characters themselves. Any other named entity is removed, so
    the invisible ones (&shy; &zwnj; &zwj; &lrm; &rlm; &ZeroWidthSpace; &NoBreak;
    &InvisibleTimes;) join the word around them and an unknown name never becomes a word.
    Keys are lowercase: the lookup ignores case.
    ]]
    local ENTITIES = {
        amp = "&", lt = "<", gt = ">", quot = "\"", apos = "'", rsquo = "'", lsquo = "'",
        sbquo = "'", prime = "'", lsaquo = "'", rsaquo = "'", rdquo = "\"", ldquo = "\"",
        bdquo = "\"", laquo = "\"", raquo = "\"", ndash = "-", mdash = "-", minus = "-",
        hyphen = "-", dash = "-", hellip = "...", period = ".", comma = ",", colon = ":",
        semi = ";", excl = "!", quest = "?", lpar = "(", rpar = ")", sol = "/", bsol = "\\",
        num = "#", commat = "@", dollar = "$", percnt = "%", ast = "*", plus = "+",
        equals = "=", lowbar = "_", newline = "\n", szlig = "ss", aelig = "ae", oelig = "oe",
        eth = "d", thorn = "th", euro = "\u{20AC}", pound = "\u{A3}",
    }
    for _, name in ipairs({"nbsp", "ensp", "emsp", "emsp13", "emsp14", "numsp", "puncsp",
            "thinsp", "hairsp", "mediumspace", "thickspace", "thinspace", "verythinspace",
            "nonbreakingspace", "tab", "bull", "middot", "copy", "reg", "trade"}) do
        ENTITIES[name] = " "
    end
    for base, marks in pairs({a = "grave acute circ tilde uml ring", e = "grave acute circ uml",
            i = "grave acute circ uml", o = "grave acute circ tilde uml slash",
            u = "grave acute circ uml", y = "acute uml", n = "tilde", c = "cedil"}) do
        for mark in marks:gmatch("%a+") do
            ENTITIES[base .. mark] = base
        end
    end

    --[[
    The base letters of the two-byte UTF-8 Latin letters U+00C0 to U+017F ("é" is "e", "Œ" is
    "OE"), by code point from U+00C0 on (false for the multiplication and division signs, which
    keep themselves). An array rather than a table keyed by the character, which took about
    8 KiB more of each MSP's Lua state.
    ]]
    local BASE_LETTERS
    do
        local bases = [[
A A A A A A AE C E E E E I I I I D N O O O O O * O U U U U Y TH ss
a a a a a a ae c e e e e i i i i d n o o o o o * o u u u u y th y
A a A a A a C c C c C c C c D d D d E e E e E e E e E e G g G g
G g G g H h H h I i I i I i I i I i IJ ij J j K k k L l L l L l L
l L l N n N n N n n NG ng O o O o O o OE oe R r R r R r S s S s S s
S s T t T t T t U u U u U u U u U u U u W w Y y Y Z z Z z Z z s
]]
        local list = {}
        for base in bases:gmatch("%S+") do
            list[#list + 1] = base ~= "*" and base
        end
        BASE_LETTERS = {table.unpack(list)}
    end

    -- Returns the base letter of a Latin letter U+00C0 to U+017F from the two bytes of its
    -- UTF-8 form, or false.
    local function fold_base_letter(first, second)
        return BASE_LETTERS[(first:byte() - 0xC3) * 64 + second:byte() - 0x80 + 1]
    end

    -- Returns the ASCII character of a fullwidth form (U+FF01 to U+FF5E) from the last two
    -- bytes of its UTF-8 form, or nil.
    local function fold_fullwidth(second, third)
        local code = 0xFF00 + (second:byte() - 0xBC) * 64 + third:byte() - 0x80
        if code >= 0xFF01 and code <= 0xFF5E then
            return string.char(code - 0xFF00 + 0x20)
        end
        return nil
    end

    -- Returns the ASCII letter or digit of a mathematical letter or digit (U+1D400 to U+1D7FF,
    -- "𝐫𝐞𝐬𝐞𝐭") from the last two bytes of its UTF-8 form, or nil for the Greek ones.
    local function fold_mathematical(third, fourth)
        local code = 0x1D000 + (third:byte() - 0x80) * 64 + fourth:byte() - 0x80
        if code <= 0x1D6A3 then
            local offset = (code - 0x1D400) % 52
            return string.char(offset < 26 and 0x41 + offset or 0x61 + offset - 26)
        elseif code >= 0x1D7CE then
            return string.char(0x30 + (code - 0x1D7CE) % 10)
        end
        return nil
    end

    -- Returns the letter of a circled letter (U+24B6 to U+24E9, "ⓡ") from the last two bytes
    -- of its UTF-8 form, or nil.
    local function fold_circled(second, third)
        local code = 0x2000 + (second:byte() - 0x80) * 64 + third:byte() - 0x80
        if code >= 0x24B6 and code <= 0x24CF then
            return string.char(0x41 + code - 0x24B6)
        elseif code >= 0x24D0 and code <= 0x24E9 then
            return string.char(0x61 + code - 0x24D0)
        end
        return nil
    end

    --[[
    Letters and digits drawn in other shapes that a reader takes for plain ones: the sets "fancy
    text" generators use (small capitals "ʀᴇsᴇᴛ", superscript and subscript letters and digits,
    letterlike symbols such as "ℎ" and "ℓ", Roman numerals such as "Ⅿ", parenthesised and
    circled digits, parenthesised, squared and negative circled or squared letters, regional
    indicator letters, the dotless mathematical i and j). Then come the letters of other scripts
    that look Latin. These are Latin letters with a hook, stroke, tail or other mark outside
    U+00C0 to U+017F ("ƒ", "ɗ", "ẘ"), Cyrillic, Greek ("ω", "ς", "Ϝ") and Coptic letters, Lisu,
    Cherokee and Armenian letters ("ꓟꓝꓮ", "Ꭺ", "օ"), the Canadian syllabics of fancy-text sets
    ("ᗰᖴᗩ") and the Georgian "ყ". Each line is a code point in hex, then what it and the code
    points after it fold to, "-" for one that is not folded. A line that starts with spaces
    goes on with the line before. A line with an entry of several letters is stored as an
    array, so the table gives it no gaps and keeps it short. bindings/text.c folds the
    workflows' match text with the same table (text_look_alikes), and tests/lua/ checks that
    the two agree.
    ]]
    local LOOK_ALIKE_TEXT = [[
00B2 2 3 - - - - - 1
0180 b B B b - - - C c D D D d - - - E F f G - - I I K k l - - N n O O o - - P p - - - - - t T t
     T U u - V Y y Z z
01C4 DZ Dz dz LJ Lj lj NJ Nj nj A a I i O o U u U u U u U u U u
01DE A a A a
01E2 AE ae G g G g K k O o O o
01F0 j
01F1 DZ Dz dz G g
01F8 N n A a
01FC AE ae O o A a A a E e E e I i I i O o O o R r R r U u U u S s T t
021E H h N d - - Z z A a E e O o O o O o O o Y y l n t j - - A C c L T s z - - B - - E e J j - q
     R r Y y - a - b - c d d - - - e
0260 g g g - - - h - i i i l l l - - - m n n n o - - - - - - r r r - r - s - - - - - t u - v - -
     - y z z - - - - - - - b - - h j - l
02A0 q - - - - - - - - - - - - - - - h - j r - - - w y
02E1 l s x
037F J - - - - - - A - E H I - O - Y - i A B - - E Z H - I K - M N - O - P - - T Y - X - - I Y a
     e n i u a - y - e - n - i k - - v
03BF o - p s - - u - x - w i u o u w - - - Y Y Y - - - - - - - F
03F0 k p c j - e - - - C M - - - - - - - - - - S I - J - - - - - - - A - B - - E - - - - K - M H
     O - P C T - - X
0430 a - - - - e - - - - - - - - o - p c - y - x - - - - - - - - - - - - - - - s i - j
0474 V v
0493 f - - - - - - - - - - - - - k - - - - - - - - - - - - - y - - - - - - - - - - - h - - - - I
     - - - - - - - - - - - - - - l
0501 d
051A Q q W w
054D U - S - - - - - O
0566 q - - - - - - - - - h - - - - j - - n - - - - u - - - g - - - o
10E7 y
13A0 D R T - - i - - - Y A J E - - - - - - W - - - M - - - H - - - - G - h Z - - - - - - - - - -
     - b - - R - - S - - - V S - - - L C
13E2 P - - - K d - - - - - - - - - - - G B - - - - - - g b
142F V
144C U - N - - - - - - C
146B q - P - d - - b
148D J
14AA L
1515 S
1541 x
157C H - - - - - - - - - - R
15B4 F
15C5 A
15DE D - - - - - - - - - - A D - - - - W M - - - E - - B
161C G
166D X
1D00 a
1D01 ae
1D03 b c d d e - - j k l m n o - o - - - - - - p r r t u - - - v w z - - - - - - - - - A
1D2D AE B
1D30 D E - G H I J K L M N - O - P R T U W a - - - b d e - - - g - k m - o - - - p t u - - v - -
     - - - - i r u v - - - - - - b d f m
1D70 n p r r s t z
1D7A th
1D7D p - - b d f g k l m n p r s - v x z a - d e - - - i - - u - - c - - - f
1DBB z
1E00 A a B b B b B b C c D d D d D d D d D d E e E e E e E e E e F f G g H h H h H h H h H h I i
     I i K k K k K k L l L l L l L l M m
1E40 M m M m N n N n N n N n O o O o O o O o P p P p R r R r R r R r S s S s S s S s S s T t T t
     T t T t U u U u U u U u U u V v V v
1E80 W w W w W w W w W w X x X x Y y Z z Z z Z z h t w y a s - - - - A a A a A a A a A a A a A a
     A a A a A a A a A a E e E e E e E e
1EC0 E e E e E e E e I i I i O o O o O o O o O o O o O o O o O o O o O o O o U u U u U u U u U u
     U u U u Y y Y y Y y Y y - - - - Y y
1F00 a a a a a a a a A A A A A A A A e e e e e e - - E E E E E E - - n n n n n n n n H H H H H H
     H H i i i i i i i i I I I I I I I I
1F40 o o o o o o - - O O O O O O - - u u u u u u u u - Y - Y - Y - Y w w w w w w w w - - - - - -
     - - a a e e n n i i o o u u w w
1F80 a a a a a a a a A A A A A A A A n n n n n n n n H H H H H H H H w w w w w w w w - - - - - -
     - - a a a a a - a a A A A A A - i
1FC2 n n n - n n E E H H H - - - i i i i - - i i I I I I - - - - u u u u p p u u Y Y Y Y P - - -
     - - w w w - w w O O
2070 0 i - - 4 5 6 7 8 9 - - - - - n 0 1 2 3 4 5 6 7 8 9 - - - - - - a e o x - h k l m n p s t
2102 C - - - - - - - g H H H h h I I L l - N - - - P Q R R R - - - - - - Z - - - Z - K A B C e e
     E F - M o - - - - i - - - y
2145 D d e i j
2160 I
2161 II III IV V VI VII VIII IX X XI XII L C D M i ii iii iv v vi vii viii ix x xi xii l c d m
2460 1 2 3 4 5 6 7 8 9 - - - - - - - - - - - 1 2 3 4 5 6 7 8 9 - - - - - - - - - - - 1 2 3 4 5 6
     7 8 9 - - - - - - - - - - - a b c d
24A0 e f g h i j k l m n o p q r s t u v w x y z
24EA 0 - - - - - - - - - - 1 2 3 4 5 6 7 8 9 - 0
2776 1 2 3 4 5 6 7 8 9 - 1 2 3 4 5 6 7 8 9 - 1 2 3 4 5 6 7 8 9
2C60 L l L P R a t H h K k Z z - M - - v W w v - - - e - o - j V S Z A a B - - - - - E e - - Z -
     H - - - I i K k - - M - N - - - O o
2CA2 P p C c T - Y - - - X x
A4D0 B P d D T - G K - J C - Z F - M N L S R - - V H - - W X Y - A - E - I O U
A730 f s
A73A AV av
A740 K k K k K k - - L l O o O o - - P p P p P p Q q Q q - - - - V v
A78E l - N n C c c h B b F f - - - - - - G g K k N n R r S s H - - L - q - - J - - - - - U u - -
     - - - - - - - - C S Z D d S s
A7F2 C F Q
AB34 e - - l l l m n - - - - - - - - - - - - - r - - - - u - - - u - - - x x x x y
AB70 d r t - - i - - - y a j e - - - - - - w - - - m - - - h - - - - g - h z - - - - - - - - - -
     - b - - r - - s - - - v s - - - l c
ABB2 p - - - k d
1D6A4 i j
1F100 0 0 1 2 3 4 5 6 7 8 9 - - - - - A B C D E F G H I J K L M N O P Q R S T U V W X Y Z - - -
     - - - A B C D E F G H I J K L M N O P
1F140 Q R S T U V W X Y Z - - - - - - A B C D E F G H I J K L M N O P Q R S T U V W X Y Z - - -
     - - - A B C D E F G H I J K L M N O P
1F180 Q R S T U V W X Y Z
1F1E6 A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
]]
    --[[
    The lines of LOOK_ALIKE_TEXT: each line's first code point, and its letters as one string
    when each is a single character, else as an array. LOOK_ALIKE_BLOCKS maps a block of 64
    code points (code // 64) to the index of the one line that reaches into it, or to an array
    of the indexes, the last line first. A table keyed by every character took about 18 KiB
    more of each MSP's Lua state.
    ]]
    local LOOK_ALIKE_FIRSTS, LOOK_ALIKE_LINES, LOOK_ALIKE_BLOCKS = {}, {}, {}
    for first, letters in LOOK_ALIKE_TEXT:gsub("\n +", " "):gmatch("(%x+) ([^\n]+)") do
        local list = {}
        for letter in letters:gmatch("%S+") do
            list[#list + 1] = letter
        end
        local joined = table.concat(list)
        LOOK_ALIKE_FIRSTS[#LOOK_ALIKE_FIRSTS + 1] = tonumber(first, 16)
        LOOK_ALIKE_LINES[#LOOK_ALIKE_LINES + 1] = #joined == #list and joined
            or {table.unpack(list)}
    end
    for index = #LOOK_ALIKE_LINES, 1, -1 do
        local first = LOOK_ALIKE_FIRSTS[index]
        for block = first // 64, (first + #LOOK_ALIKE_LINES[index] - 1) // 64 do
            local known = LOOK_ALIKE_BLOCKS[block]
            if known == nil then
                LOOK_ALIKE_BLOCKS[block] = index
            elseif type(known) == "number" then
                LOOK_ALIKE_BLOCKS[block] = {known, index}
            else
                known[#known + 1] = index
            end
        end
    end

    -- Returns the letter that line index of LOOK_ALIKE_TEXT folds code to, or nil.
    local function look_alike_of_line(index, code)
        local offset = code - LOOK_ALIKE_FIRSTS[index] + 1
        local line, letter = LOOK_ALIKE_LINES[index], nil
        if type(line) == "table" then
            letter = line[offset]
        elseif offset >= 1 and offset <= #line then
            letter = line:sub(offset, offset)
        end
        if letter == "-" then
            return nil
        end
        return letter
    end

    -- Returns the letter that character (a UTF-8 character) folds to by LOOK_ALIKE_TEXT, or
    -- nil. A later line wins over an earlier one, and "-" folds nothing.
    local function look_alike_letter(character)
        local code = utf8.codepoint(character)
        local lines = LOOK_ALIKE_BLOCKS[code // 64]
        if type(lines) == "number" then
            return look_alike_of_line(lines, code)
        end
        if lines == nil then
            return nil
        end
        for _, index in ipairs(lines) do
            local letter = look_alike_of_line(index, code)
            if letter ~= nil then
                return letter
            end
        end
        return nil
    end
    -- The UTF-8 forms of the characters of LOOK_ALIKE_TEXT, by their leading bytes.
    local LOOK_ALIKE_PATTERNS = {
        "\194[\178\179\185]", "[\198-\203\205-\214][\128-\191]",
        "\225[\131\142-\153\180-\182\184-\191][\128-\191]",
        "\226[\129\130\132\133\145-\147\157\158\177-\179][\128-\191]",
        "\234[\147\156-\159\172-\174][\128-\191]", "\240[\157\159][\128-\191][\128-\191]",
    }

    --[[
    The bidirectional controls by their UTF-8 form. An opener starts a run that a closer, or
    the end of its paragraph, ends: an embedding or a left-to-right override (U+202A, U+202B,
    U+202D) or a right-to-left override (U+202E), each closed by U+202C, and an isolate
    (U+2066 to U+2068), closed by U+2069 with every run opened inside it.
    ]]
    local BIDI_OPENERS = {
        ["\226\128\170"] = "embedding", ["\226\128\171"] = "embedding",
        ["\226\128\173"] = "embedding", ["\226\128\174"] = "override",
        ["\226\129\166"] = "isolate", ["\226\129\167"] = "isolate", ["\226\129\168"] = "isolate",
    }
    local BIDI_POP_EMBEDDING, BIDI_POP_ISOLATE = "\226\128\172", "\226\129\169"
    -- Paragraph ends, which end every run: line feed, carriage return, the information
    -- separators, next line (U+0085) and the paragraph separator (U+2029).
    local BIDI_PARAGRAPH_ENDS = {["\n"] = true, ["\r"] = true, ["\28"] = true, ["\29"] = true,
        ["\30"] = true, ["\194\133"] = true, ["\226\128\169"] = true}
    -- The maximum depth of nested runs, as in the Unicode bidirectional algorithm. Deeper
    -- openers are ignored.
    local BIDI_MAX_DEPTH = 125

    --[[
    Returns text in the order a reader sees it: a browser shows the characters inside a
    right-to-left override (U+202E ... U+202C) from right to left, so "\u{202E}drowssap ym
    teser\u{202C}" shows as "reset my password", and this reverses them. A run nested inside
    keeps its own order and moves as one piece. Embeddings and isolates do not reverse Latin
    letters, so they only bound runs. The controls themselves are left out. bindings/text.c
    (text_read_overrides) does the same for the workflows' match text.
    ]]
    -- Returns text with its characters in reverse order, each kept whole.
    local function reverse_characters(text)
        return (text:reverse():gsub("[\128-\191]+[^\128-\191]", string.reverse))
    end

    local function read_overrides(text)
        if not text:find("\226\128\174", 1, true) then
            return text
        end

        -- A run is {kind, items}: its text between the controls (strings) and the runs nested
        -- in it, closed ({text}). A run nested in an override moves as one piece.
        local stack = {{kind = "paragraph", items = {}}}
        local ignored = 0
        local function close_run()
            local run = table.remove(stack)
            local items, parts = run.items, {}
            for index = 1, #items do
                local item = items[run.kind == "override" and #items + 1 - index or index]
                if type(item) == "table" then
                    parts[index] = item.text
                elseif run.kind == "override" then
                    parts[index] = reverse_characters(item)
                else
                    parts[index] = item
                end
            end
            local outer = stack[#stack].items
            outer[#outer + 1] = {text = table.concat(parts)}
        end

        -- Each step reads the text up to the next byte that may start a control or a
        -- paragraph end, then that character.
        local step = "([^\226\194\n\r\28-\30]*)([\226\194\n\r\28-\30]?[\128-\191]*)"
        for plain, character in text:gmatch(step) do
            local items = stack[#stack].items
            if plain ~= "" then
                items[#items + 1] = plain
            end
            local opener = BIDI_OPENERS[character]
            if opener ~= nil then
                if #stack <= BIDI_MAX_DEPTH then
                    stack[#stack + 1] = {kind = opener, items = {}}
                else
                    ignored = ignored + 1
                end
            elseif character == BIDI_POP_EMBEDDING then
                if ignored > 0 then
                    ignored = ignored - 1
                elseif #stack > 1 and stack[#stack].kind ~= "isolate" then
                    close_run()
                end
            elseif character == BIDI_POP_ISOLATE then
                local isolate = #stack
                while isolate > 1 and stack[isolate].kind ~= "isolate" do
                    isolate = isolate - 1
                end
                if isolate > 1 then
                    ignored = 0
                    while #stack >= isolate do
                        close_run()
                    end
                end
            elseif character ~= "" then
                if BIDI_PARAGRAPH_ENDS[character] then
                    ignored = 0
                    while #stack > 1 do
                        close_run()
                    end
                end
                items = stack[#stack].items
                items[#items + 1] = character
            end
        end
        while #stack > 1 do
            close_run()
        end
        local parts = {}
        for index, item in ipairs(stack[1].items) do
            parts[index] = type(item) == "table" and item.text or item
        end
        return table.concat(parts)
    end

    --[[
    Returns text with its upside-down words read right way up: "ʇǝsǝɹ pɹoʍssɐd" reads "reset
    password", and "pɹoʍssɐd ʎɯ ʇǝsǝɹ" reads "reset my password". A word is upside down when it
    has a letter of UPSIDE_DOWN_MARKS, which only upside-down text uses. Its characters are
    reversed and each turned back by UPSIDE_DOWN_LETTERS, where a plain letter that reads as
    another one upside down ("p" for "d", "u" for "n") is turned too, and a run of such words
    on one line is read in reverse order. Other words are left as they are. bindings/text.c
    does not do this, so a workflow's keyword rule does not match upside-down text.
    ]]
    -- The UTF-8 forms of the marks: ɐ ɔ ɟ ɥ ɯ ɹ ɾ ʇ ʌ ʍ ʎ ʞ ǝ ƃ Ɔ Ǝ ᴉ ᴚ ∀ Ɐ Ⅎ ⅁ ⅄ ⟘ ˥ ꓕ ꓘ ꓭ ꓶ
    -- ꓷ ᗡ. Letters that other scripts use as well (the Greek "Λ", "ı" of Turkish) are not marks.
    local UPSIDE_DOWN_MARKS = {"\201[\144\148\159\165\175\185\190]", "\202[\135\140-\142\158]",
        "\199\157", "\198[\131\134\142]", "\225\180[\137\154]", "\226\136\128", "\226\177\175",
        "\226\132\178", "\226\133[\129\132]", "\226\159\152", "\203\165",
        "\234\147[\149\152\173\182\183]", "\225\151\161"}

    -- Each character of upside-down text, after a space, and the ASCII character it turns
    -- back to. Characters that read the same both ways ("s", "o", "x") are not listed.
    local UPSIDE_DOWN_LETTERS = " ɐa qb ɔc pd ǝe ɟf ƃg ɥh ᴉi ıi ɾj ʞk ɯm un dp bq ɹr ʇt nu ʌv "
        .. "ʍw ʎy ,' ¡! ¿? ˙. ∀A ⱯA ꓭB ƆC ᗡD ꓷD ƎE ℲF ⅁G ſJ ꓘK ˥L ꓶL WM MW ԀP ᴚR ⟘T ꓕT ┴T ⊥T "
        .. "∩U ΛV ⅄Y "

    -- True when text has a mark of upside-down text.
    local function is_upside_down(text)
        if not text:find("[\198\199\201-\203\225\226\234]") then
            return false
        end
        for _, mark in ipairs(UPSIDE_DOWN_MARKS) do
            if text:find(mark) then
                return true
            end
        end
        return false
    end

    -- Returns an upside-down word read right way up.
    local function turn_word(word)
        return (reverse_characters(word):gsub("[%z\1-\127\194-\244][\128-\191]*",
            function(character)
                local at = UPSIDE_DOWN_LETTERS:find(" " .. character, 1, true)
                if at == nil then
                    return nil
                end
                local turned = at + 1 + #character
                return UPSIDE_DOWN_LETTERS:sub(turned, turned)
            end))
    end

    -- Returns one line with its runs of upside-down words turned and put in reverse order.
    local function turn_line(line)
        if not is_upside_down(line) then
            return nil
        end
        if not line:find("%s") then
            return turn_word(line)
        end
        local parts, run = {}, {}
        -- A run ends at a word that is not upside down, and at the line's end, where the word
        -- read is "".
        for space, word in (line .. " "):gmatch("(%s*)(%S*)") do
            if word ~= "" and is_upside_down(word) then
                if #run == 0 then
                    parts[#parts + 1] = space
                end
                run[#run + 1] = word
            else
                for index = #run, 1, -1 do
                    parts[#parts + 1] = turn_word(run[index])
                    parts[#parts + 1] = index > 1 and " " or ""
                end
                run = #run > 0 and {} or run
                parts[#parts + 1] = space
                parts[#parts + 1] = word
            end
            if word == "" then
                break
            end
        end
        return table.concat(parts)
    end

    local function read_upside_down(text)
        if not is_upside_down(text) then
            return text
        end
        return (text:gsub("[^\n]+", turn_line))
    end

    --[[
    Returns text with the characters a reader takes for plain Latin ones folded to them, a
    minimal NFKC for Latin text: fullwidth, mathematical and circled letters and digits become
    ASCII, combining marks (U+0300 to U+036F and the other combining blocks) and variation
    selectors are removed, and accented Latin letters become their base letter. Invisible
    characters (soft hyphen, zero-width characters, bidirectional controls, word joiner,
    invisible operators, Hangul fillers, tag characters, byte order mark) are removed, and the
    other Unicode spaces become a space. The letters of a right-to-left override are read in
    the order they are shown (read_overrides) first.
    ]]
    local function fold_characters(text)
        if not text:find("[\194-\243]") then
            return text
        end
        text = read_overrides(text)
        text = text:gsub("\204[\128-\191]", ""):gsub("\205[\128-\175]", "")
            :gsub("\225\170[\176-\191]", ""):gsub("\225\171[\128-\191]", "")
            :gsub("\225\183[\128-\191]", ""):gsub("\226\131[\144-\191]", "")
            :gsub("\239\184[\128-\143\160-\175]", "")
        text = text:gsub("\194\173", ""):gsub("\226\128[\139-\143\170-\174]", "")
            :gsub("\226\129[\160-\164\166-\169]", ""):gsub("\239\187\191", "")
            :gsub("\225\133[\159\160]", ""):gsub("\227\133\164", ""):gsub("\239\190\160", "")
            :gsub("\225\160\142", ""):gsub("\243\160[\128\129][\128-\191]", "")
        text = text:gsub("\194\160", " "):gsub("\226\128[\128-\138\168\169\175]", " ")
            :gsub("\226\129\159", " "):gsub("\227\128\128", " ")
        text = text:gsub("([\195-\197])([\128-\191])", fold_base_letter)
            :gsub("\239([\188\189])([\128-\191])", fold_fullwidth)
            :gsub("\240\157([\144-\159])([\128-\191])", fold_mathematical)
            :gsub("\226([\146\147])([\128-\191])", fold_circled)
        for _, pattern in ipairs(LOOK_ALIKE_PATTERNS) do
            text = text:gsub(pattern, look_alike_letter)
        end
        return text
    end
    -- For tests/lua/, which checks that the workflows' match text folds the same characters.
    sensitive.fold_characters = fold_characters

    -- Returns text with its named entities decoded (ENTITIES).
    local function decode_named_entities(text)
        if not text:find("&", 1, true) then
            return text
        end
        return (text:gsub("&(%a%w*);", function(name)
            return ENTITIES[name:lower()] or ""
        end))
    end

    -- Returns the character of a numeric character reference's digits in base, or nil for a
    -- code that is no character. More than eight digits is past the last code point, and
    -- tonumber could wrap it around.
    local function decode_code_point(digits, base)
        local code = #digits <= 8 and tonumber(digits, base) or nil
        if code == nil or code == 0 or code > 0x10FFFF or (code >= 0xD800 and code <= 0xDFFF) then
            return nil
        end
        return utf8.char(code)
    end

    --[[
    Returns text from an attribute, or from between the tags, with its character references
    decoded as a browser decodes them there: decimal and hex ones with or without their closing
    semicolon, then the named ones (decode_named_entities).
    ]]
    local function decode_attribute_references(text)
        if not text:find("&", 1, true) then
            return text
        end
        text = text:gsub("&#[xX](%x+);?", function(digits)
            return decode_code_point(digits, 16)
        end):gsub("&#(%d+);?", function(digits)
            return decode_code_point(digits, 10)
        end)
        return decode_named_entities(text)
    end

    --[[
    True when the value of a style, class, id, color or aria-hidden attribute in attributes
    (lowercase) still contains "&" once its references are decoded. A browser decodes every
    named reference of HTML, so such a value may spell a hiding declaration or class that the
    policy cannot read.
    ]]
    local function has_undecoded_reference(attributes)
        for _, attribute in ipairs({"style", "class", "id", "color", "aria%-hidden"}) do
            local value = attributes:match("%f[%w%-]" .. attribute .. "%s*=%s*\"([^\"]*)\"")
                or attributes:match("%f[%w%-]" .. attribute .. "%s*=%s*'([^']*)'")
                or attributes:match("%f[%w%-]" .. attribute .. "%s*=%s*([^%s>]+)")
            if value ~= nil and decode_attribute_references(value):find("&", 1, true) then
                return true
            end
        end
        return false
    end

    -- Returns the number of a CSS length and its unit ("px", "%", "" for a bare number), or nil.
    local function length_of(value)
        if value == nil then
            return nil
        end
        local number, unit = value:match("^([%-%+]?[%d%.]+)%s*(%a*%%?)")
        return tonumber(number), unit
    end

    -- The CSS colour names whose red, green and blue are all at least 240.
    local WHITE_NAMES = words([[
white snow ivory ghostwhite whitesmoke floralwhite mintcream azure aliceblue lavenderblush
honeydew transparent
]])

    -- True when a CSS colour is white or near white (each channel at least 240, or an hsl()
    -- lightness of at least 94%), or transparent.
    local function is_white(colour)
        colour = colour:gsub("%s", ""):gsub("!important$", "")
        if WHITE_NAMES[colour] or colour:find("^rgba%(.*,0%.?0*%)$")
                or colour:find("^hsla%(.*,0%.?0*%)$") then
            return true
        end
        local lightness = tonumber(colour:match("^hsla?%([^,]*,[^,]*,([%d%.]+)%%") or "")
        if lightness ~= nil then
            return lightness >= 94
        end
        local hex = colour:match("^#(%x+)$")
        if hex ~= nil and #hex == 3 then
            hex = hex:gsub("%x", "%0%0")
        end
        local red, green, blue
        if hex ~= nil and #hex == 6 then
            red, green, blue = tonumber(hex:sub(1, 2), 16), tonumber(hex:sub(3, 4), 16),
                tonumber(hex:sub(5, 6), 16)
        else
            red, green, blue = colour:match("^rgba?%((%d+),(%d+),(%d+)")
        end
        return red ~= nil and tonumber(red) >= 240 and tonumber(green) >= 240
            and tonumber(blue) >= 240
    end

    -- The font sizes too small to read, by unit: under 2px, 1.5pt, 0.15em or 15%. A size in
    -- another unit or none is too small only at 0.
    local TINY_FONT = {px = 2, pt = 1.5, em = 0.15, rem = 0.15, ["%"] = 15}

    --[[
    True when CSS declarations (lowercase, from a style attribute, a whole tag's attributes or a
    <style> rule) hide the element's text from a reader: not displayed, invisible, transparent,
    a tiny font, white text or text the colour of its background, no height or width with the
    overflow hidden, clipped away, shrunk to nothing, or moved off the screen. Each declaration
    is read once into a table, so the cost is linear in the length of declarations.
    ]]
    local function hides(declarations)
        if not declarations:find(":", 1, true) then
            return false
        end
        -- A browser reads "display:/**/none" and "dis\play:none" as display:none, which the
        -- reading below would not, so a comment or an escape counts as hiding.
        if declarations:find("/*", 1, true) or declarations:find("\\", 1, true) then
            return true
        end
        local css = {}
        -- The frontier starts a name only at a word's start, so a long word without a colon
        -- is scanned once rather than once from each of its letters.
        for name, value in declarations:gmatch("%f[%a%-]([%a%-]+)%s*:%s*([^;\"'}>]*)") do
            css[name] = value
        end
        if (css.display or ""):find("^none") or (css.visibility or ""):find("^hidden")
                or (css.visibility or ""):find("^collapse") or (css["mso-hide"] or ""):find("^all")
                then
            return true
        end
        local opacity = length_of(css.opacity)
        local size, unit = length_of(css["font-size"])
        if (opacity and opacity < 0.2) or (size and size < (TINY_FONT[unit] or 0.001)) then
            return true
        end

        -- Colour: white text unless the same element sets a background that is not white, and
        -- text the colour of its own background.
        local colour = css.color
        if colour ~= nil then
            local background = css["background-color"] or css.background
            if background == nil and is_white(colour) then
                return true
            end
            if background ~= nil and (is_white(colour) and is_white(background:match("^%S*"))
                    or colour:gsub("%s", "") == background:gsub("%s", "")) then
                return true
            end
        end

        -- Sizes: no height or width hides text only with the overflow hidden, else it shows.
        if (css.overflow or ""):find("^hidden") then
            for _, name in ipairs({"max-height", "height", "max-width", "width", "line-height"}) do
                if length_of(css[name]) == 0 then
                    return true
                end
            end
        end
        local clip, clip_path = css.clip or "", css["clip-path"] or ""
        if (clip:find("^rect%(") and not clip:find("[2-9]") and not clip:find("1%d"))
                or clip_path:find("^inset%(%s*50%%") or clip_path:find("^circle%(%s*0")
                or (css.transform or ""):find("scale%(%s*0[%s,%)]") then
            return true
        end

        -- Off the screen: an indent, a margin or an absolute position 500px or more to the left
        -- or above.
        local position = css.position or ""
        local moved = {"text-indent", "margin-left", "margin-top"}
        if position:find("^absolute") or position:find("^fixed") then
            moved = {"text-indent", "margin-left", "margin-top", "left", "top"}
        end
        for _, name in ipairs(moved) do
            local offset = length_of(css[name])
            if offset and offset <= -500 then
                return true
            end
        end
        return false
    end

    --[[
    Returns the class names, ids and element names whose <style> rules in lowered the test
    (hides, or what override_in finds) is true of, each with the test's result, as a table with
    "." before a class and "#" before an id. Only the last compound of a selector counts, and an
    element name only when it is the whole selector. A selector with a pseudo-class (":hover")
    applies to nothing a reader sees at first. Each brace is visited once, so the cost is linear.
    ]]
    local function selected_by_rules(lowered, test)
        local found = {}
        local position = 1
        while true do
            local open = lowered:find("<style", position, true)
            local close = open and lowered:find("</style", open, true)
            if close == nil then
                return found
            end
            local rules = lowered:sub(open, close - 1):gsub("^<[^>]*>", "")
            local selector_start, selector = 1, nil
            for at, brace in rules:gmatch("()([{}])") do
                if brace == "{" then
                    selector, selector_start = rules:sub(selector_start, at - 1), at + 1
                elseif selector ~= nil then
                    local result = test(" " .. rules:sub(selector_start, at - 1))
                    if result then
                        for one in selector:gmatch("[^,]+") do
                            -- The last compound, found by a forward scan: a pattern anchored
                            -- at the end would retry from every letter of a long selector.
                            local last = ""
                            for compound in one:gmatch("[^%s>+~]+") do
                                last = compound
                            end
                            if not last:find(":", 1, true) then
                                for mark, name in last:gmatch("([%.#])([%w_%-]+)") do
                                    found[mark .. name] = result
                                end
                                local element = one:match("^%s*(%a%w*)%s*$")
                                if element ~= nil then
                                    found[element] = result
                                end
                            end
                        end
                    end
                    selector, selector_start = nil, at + 1
                else
                    selector_start = at + 1
                end
            end
            position = close + 1
        end
    end

    -- True when an element with this name and these attributes (lowercase) is hidden: by its
    -- name, a closed <details>, its hidden or aria-hidden attribute, its style, a <font color>
    -- of white, a framework's hiding class (HIDING_CLASSES) or a rule in hidden_rules. The
    -- attributes are read with their character references decoded, as a browser reads them.
    local function is_hidden_element(name, attributes, hidden_rules)
        if UNSHOWN_TAGS[name] or hidden_rules[name] then
            return true
        end
        -- A <details> without the open attribute shows only its <summary>.
        -- NOTE: the summary, which a reader does see, counts as hidden text too.
        if name == "details" and not attributes:find("%sopen[%s>/=]") then
            return true
        end
        if not attributes:find("[=h]") then
            return false
        end
        if attributes:find("&", 1, true) then
            if has_undecoded_reference(attributes) then
                return true
            end
            attributes = decode_attribute_references(attributes)
        end
        if attributes:find("[%s\"']hidden[%s>/=]") or attributes:find("[%s\"']hidden$")
                or attributes:find("aria%-hidden%s*=%s*[\"']?true") then
            return true
        end
        if hides(attributes) then
            return true
        end
        local colour = attributes:match("%scolor%s*=%s*[\"']?([#%w]+)")
        if colour ~= nil and is_white(colour) then
            return true
        end
        for _, attribute in ipairs({"class", "id"}) do
            local value = attributes:match("%s" .. attribute .. "%s*=%s*\"([^\"]*)\"")
                or attributes:match("%s" .. attribute .. "%s*=%s*'([^']*)'")
                or attributes:match("%s" .. attribute .. "%s*=%s*([^%s>]+)")
            if value ~= nil then
                local mark = attribute == "class" and "." or "#"
                for one in value:gmatch("%S+") do
                    if hidden_rules[mark .. one] or (mark == "." and HIDING_CLASSES[one]) then
                        return true
                    end
                end
            end
        end
        return false
    end

    -- Returns the start of the tag that closes the element name opened before position in
    -- lowered, counting elements of the same name nested inside it, or #lowered + 1 when none
    -- closes it.
    local function find_close(lowered, name, position)
        local depth = 1
        while true do
            local start, finish, slash, found = lowered:find("<(/?)(%a%w*)", position)
            if start == nil then
                return #lowered + 1
            end
            if found == name then
                depth = depth + (slash == "/" and -1 or 1)
                if depth == 0 then
                    return start
                end
            end
            position = finish + 1
        end
    end

    --[[
    Returns html with each "<" and ">" inside a quoted attribute value turned into a space, so a
    tag ends where a browser ends it: '<span title=">" style="display:none">' is one tag, not a
    tag followed by text. A quote that never closes leaves the rest as it is. Each search moves
    forward, so the cost is linear.
    ]]
    local function mask_quoted_brackets(html)
        if not html:find("=%s*[\"'][^\"']*[<>]") then
            return html
        end
        local parts, position, search = {}, 1, 1
        while true do
            local open = html:find("</?%a", search)
            if open == nil then
                break
            end
            -- Step through the tag's values up to the ">" that ends it.
            local cursor = open + 1
            while cursor ~= nil do
                local stop = html:find("[>=]", cursor)
                if stop == nil or html:sub(stop, stop) == ">" then
                    search = stop
                    break
                end
                local value_start = html:match("^%s*()", stop + 1)
                local quote = html:sub(value_start, value_start)
                if quote == "\"" or quote == "'" then
                    local close = html:find(quote, value_start + 1, true)
                    local value = close and html:sub(value_start + 1, close - 1)
                    if value and value:find("[<>]") then
                        parts[#parts + 1] = html:sub(position, value_start)
                        parts[#parts + 1] = value:gsub("[<>]", " ")
                        position = close
                    end
                    cursor = close and close + 1
                    search = cursor
                else
                    cursor = value_start
                end
            end
            if search == nil then
                break
            end
            search = search + 1
        end
        parts[#parts + 1] = html:sub(position)
        return table.concat(parts)
    end

    --[[
    Returns the text of the elements a reader does not see in html (is_hidden_element) with
    hidden: "drop" removes it, and "isolate" keeps it as a sentence of its own, so a hidden "do
    not" cannot negate the visible request after it, while a hidden request still counts. Also
    returns true when it found such an element. Each search moves forward, so the cost is linear.
    ]]
    local function set_hidden_apart(html, hidden)
        html = mask_quoted_brackets(html)
        local lowered = html:lower()
        local hidden_rules = lowered:find("<style", 1, true) and selected_by_rules(lowered, hides)
            or {}
        -- Mail repeats the same tags, so each distinct tag is judged once.
        local judged = {}
        local parts, position = {}, 1
        for start, tag, after in lowered:gmatch("()(<[^<>]*>)()") do
            local name, attributes = tag:match("^<(%a%w*)(.*)$")
            local is_hidden = judged[tag]
            if name ~= nil and is_hidden == nil then
                is_hidden = not VOID_TAGS[name] and is_hidden_element(name, attributes, hidden_rules)
                judged[tag] = is_hidden
            end
            if is_hidden and start >= position then
                local close = find_close(lowered, name, after)
                parts[#parts + 1] = html:sub(position, start - 1)
                if hidden == "isolate" then
                    parts[#parts + 1] = " .\n" .. html:sub(after, close - 1) .. " .\n"
                end
                position = close
            end
        end
        if position == 1 then
            return html, false
        end
        parts[#parts + 1] = html:sub(position)
        return table.concat(parts), true
    end

    --[[
    Returns html without the elements a reader does not see (is_hidden_element), their text
    included. Workflow matching reads a ticket through this (context.lua), so a hidden word can
    neither make a workflow match nor meet its `none` rule.
    ]]
    function sensitive.drop_hidden(html)
        if type(html) ~= "string" or not html:find("<", 1, true) then
            return html
        end
        return (set_hidden_apart(html, "drop"))
    end

    -- True when a text field of the ticket has an element a reader does not see, so a second
    -- reading without them is made only when it can differ from the first.
    function sensitive.has_hidden_text(ticket)
        local fields = {ticket.summary or "", ticket.details or ""}
        for _, reply in ipairs(ticket.replies or {}) do
            fields[#fields + 1] = reply
        end
        for _, field in ipairs(fields) do
            if field:find("<", 1, true) then
                local _, found = set_hidden_apart(field:sub(1, 4 * MAX_TEXT_CHARS), "drop")
                if found then
                    return true
                end
            end
        end
        return false
    end

    -- The characters that stand for an HTML override: a right-to-left (U+202E) and a
    -- left-to-right (U+202D) override, and the end of one (U+202C).
    local RIGHT_TO_LEFT, LEFT_TO_RIGHT, OVERRIDE_END = "\226\128\174", "\226\128\173",
        "\226\128\172"

    -- Returns the override that CSS declarations (lowercase) set, or nil: "unicode-bidi:
    -- bidi-override" (or isolate-override) overrides in the declared direction.
    local function override_in(declarations)
        if not declarations:find("unicode%-bidi%s*:%s*[%a%-]*override") then
            return nil
        end
        return declarations:find("direction%s*:%s*rtl") and RIGHT_TO_LEFT or LEFT_TO_RIGHT
    end

    --[[
    Returns the override an opening tag (lowercase name and attributes) starts, or nil: a <bdo>
    overrides in its dir, and so does an element whose style, or a <style> rule for its name,
    class or id (rules, from selected_by_rules), says "unicode-bidi: bidi-override". A dir of
    rtl makes any override right to left.
    ]]
    local function override_of(name, attributes, rules)
        local override = name == "bdo" and LEFT_TO_RIGHT or override_in(attributes) or rules[name]
        if override == nil and attributes:find("[ci][ld]") then
            for attribute, mark in pairs({class = ".", id = "#"}) do
                local value = attributes:match("%s" .. attribute .. "%s*=%s*\"([^\"]*)\"")
                    or attributes:match("%s" .. attribute .. "%s*=%s*'([^']*)'")
                    or attributes:match("%s" .. attribute .. "%s*=%s*([^%s>]+)")
                for one in (value or ""):gmatch("%S+") do
                    override = override or rules[mark .. one]
                end
            end
        end
        if override ~= nil and attributes:find("%f[%w]dir%s*=%s*[\"']?rtl") then
            return RIGHT_TO_LEFT
        end
        return override
    end

    --[[
    Returns html with each element that overrides the text's direction (override_of) wrapped
    in the Unicode override it stands for, so "<bdo dir=rtl>drowssap ym teser</bdo>", which a
    browser shows as "reset my password", is read in that order (read_overrides). Elements of
    the same name nested inside an override are counted so that its own closing tag ends it.
    styled, when given, is the lowered text whose <style> rules apply. Each tag is visited
    once, so the cost is linear.
    ]]
    local function mark_overrides(html, styled)
        local lowered = html:lower()
        if not lowered:find("<bdo", 1, true) and not lowered:find("override", 1, true)
                and not (styled or ""):find("override", 1, true) then
            return html
        end
        -- The <style> rules may be gone from html (set_hidden_apart drops them), so they are
        -- read from styled, the lowered text before that.
        styled = styled or lowered
        local rules = styled:find("<style", 1, true) and selected_by_rules(styled, override_in)
            or {}
        -- Mail repeats the same tags, so each distinct opening tag is judged once.
        local parts, position, open, judged = {}, 1, {}, {}
        for start, slash, name, attributes, after in lowered:gmatch("()<(/?)(%a%w*)([^<>]*)>()") do
            local top = open[#open]
            if slash == "/" then
                if top ~= nil and top.name == name then
                    top.depth = top.depth - 1
                    if top.depth == 0 then
                        parts[#parts + 1] = html:sub(position, start - 1) .. OVERRIDE_END
                        position = start
                        open[#open] = nil
                    end
                end
            elseif not VOID_TAGS[name] and not attributes:find("/%s*$") then
                local tag = name .. attributes
                local override = judged[tag]
                if override == nil then
                    override = override_of(name, attributes, rules) or false
                    judged[tag] = override
                end
                if override then
                    parts[#parts + 1] = html:sub(position, after - 1) .. override
                    position = after
                    open[#open + 1] = {name = name, depth = 1}
                elseif top ~= nil and top.name == name then
                    top.depth = top.depth + 1
                end
            end
        end
        parts[#parts + 1] = html:sub(position)
        return table.concat(parts)
    end
    -- For tests/lua/, which checks that the workflows' match text reads overrides the same way.
    sensitive.mark_overrides = mark_overrides

    --[[
    Returns text with HTML removed, the way HaloPSA may store a ticket's details: comments go, a
    block tag ends the line, an inline tag joins the text on its two sides, any other tag becomes
    a space, entities are decoded (ENTITIES) and characters are folded (fold_characters).
    hidden ("isolate" unless "drop") says what becomes of elements a reader does not see
    (set_hidden_apart). Plain text without a tag keeps its words, with entities decoded and
    characters folded. No pattern here can backtrack over more than the run it has just read,
    so the cost is linear in the length of text.
    ]]
    function strip_html(text, hidden)
        -- Character references are decoded only once the tags are gone, because an encoded "<"
        -- ("&#60;") is a character a reader sees and never opens a tag or a comment.
        if not text:find("<[%s/!]*%a") and not text:find("<!--", 1, true) then
            return fold_characters(read_upside_down(decode_attribute_references(text)))
        end

        -- Step 1: character references inside tags, decoded as a browser decodes attribute
        -- values, so an encoded style or dir still hides or overrides. One that stands for "<"
        -- or ">" becomes a space there, so that it neither opens nor ends a tag.
        if text:find("&#", 1, true) then
            text = text:gsub("<([^<>]*)>", function(inside)
                if not inside:find("&#", 1, true) then
                    return nil
                end
                inside = inside:gsub("&#[xX](%x+);?", function(digits)
                    return decode_code_point(digits, 16)
                end):gsub("&#(%d+);?", function(digits)
                    return decode_code_point(digits, 10)
                end)
                return "<" .. inside:gsub("[<>]", " ") .. ">"
            end)
        end

        -- Step 2: comments, which no reader sees. An unclosed comment hides nothing here. A
        -- comment ends as a browser ends it: "<!-->" and "<!--->" are empty comments, and
        -- "--!>" ends one as "-->" does.
        if text:find("<!--", 1, true) then
            local parts, position = {}, 1
            while true do
                local start = text:find("<!--", position, true)
                local finish
                if start == nil then
                    break
                elseif text:sub(start + 4, start + 4) == ">" then
                    finish = start + 2
                elseif text:sub(start + 4, start + 5) == "->" then
                    finish = start + 3
                else
                    finish = text:find("%-%-!?>", start + 4)
                end
                if finish == nil then
                    break
                end
                parts[#parts + 1] = text:sub(position, start - 1)
                position = text:find(">", finish, true) + 1
            end
            parts[#parts + 1] = text:sub(position)
            text = table.concat(parts, " ")
        end

        -- Step 3: hidden elements, overrides, then the tags, the character references and the
        -- characters.
        local styled = text:find("<[sS][tT][yY][lL][eE]") and text:lower() or nil
        text = mark_overrides(set_hidden_apart(text, hidden or "isolate"), styled)
        text = text:gsub("<[^<>]*>", function(tag)
            local name = tag:match("^<[%s/]*(%a%w*)")
            if name == nil then
                return nil
            end
            name = name:lower()
            return BLOCK_TAGS[name] and "\n" or INLINE_TAGS[name] and "" or " "
        end)
        return fold_characters(read_upside_down(decode_attribute_references(text)))
    end
end

--[[
The learned second opinion. A logistic regression over the ticket's words, the first letters of
its longer words and its word pairs, trained by tests/policies/sensitive_train.lua on the tune
rows of tests/data/sensitive/ and shipped as config/policies/sensitive_model.lua, reads
wordings the lists above have no entry for ("the system keeps rejecting me"). It only adds: a
ticket the rules pass is sensitive when the model's probability reaches the model's threshold,
and the rules' own verdicts stand.

Words are hashed into the model's buckets (FNV-1a, 32 bits), so the model file holds one
weight a bucket and no vocabulary. Training and scoring call the same sensitive.model_buckets,
so they read a ticket alike. A model file fits only the features it was trained on: when
model_buckets or model_probability changes, the model must be trained again.
]]
do
    -- The text the model reads: enough for a ticket's request, and a bound on its cost.
    local MODEL_TEXT_CHARS = 16384
    local FNV_OFFSET, FNV_PRIME = 2166136261, 16777619
    -- A word longer than PREFIX_CHARS also counts by its first PREFIX_CHARS characters, so a
    -- typo or an ending the model never saw ("passwrod", "deactivation") still shares a weight.
    local PREFIX_CHARS = 5
    -- Mixed into a prefix's hash so "passw" as a prefix and as a whole word take two buckets.
    local PREFIX_MIX = 0x27d4eb2d
    local PAIR_MIX = 0x5bd1e995

    -- Returns hash extended by the FNV-1a steps of word's bytes first to last.
    local function extend_hash(hash, word, first, last)
        for index = first, last do
            hash = ((hash ~ word:byte(index)) * FNV_PRIME) & 0xffffffff
        end
        return hash
    end

    --[[
    Returns the 32-bit FNV-1a hash of word and the hash of its first PREFIX_CHARS characters
    mixed with PREFIX_MIX, or false for the second when the word is no longer than that.
    ]]
    local function word_hashes(word)
        local hash = extend_hash(FNV_OFFSET, word, 1, math.min(#word, PREFIX_CHARS))
        if #word <= PREFIX_CHARS then
            return hash, false
        end
        local prefix = ((hash ~ PREFIX_MIX) * FNV_PRIME) & 0xffffffff
        return extend_hash(hash, word, PREFIX_CHARS + 1, #word), prefix
    end

    -- Returns the word as the model reads it: digits as "#", and a plural "s", "ed" or "ing"
    -- ending cut, so "resets", "reseted" and "reset" share a weight.
    local function model_word(word)
        word = word:gsub("'", "")
        if word:find("^%d+$") then
            return "#"
        end
        return (word:gsub("ing$", ""):gsub("ed$", ""):gsub("s$", ""))
    end

    --[[
    Returns the sorted, distinct bucket numbers (0 to buckets - 1) of the ticket's words, the
    prefixes of its longer words and its word pairs. ticket is classify's first argument;
    buckets is a power of two.
    ]]
    function sensitive.model_buckets(ticket, buckets)
        local fields = {ticket.summary or "", ticket.details or ""}
        for _, reply in ipairs(ticket.replies or {}) do
            fields[#fields + 1] = reply
        end
        local text = table.concat(fields, "\n"):sub(1, 4 * MODEL_TEXT_CHARS)
        text = strip_html(text):sub(1, MODEL_TEXT_CHARS):lower()

        -- Each distinct word is hashed once, and each bucket is listed once.
        local hashes, prefixes = {}, {}
        local seen, found = {}, {}
        local previous = nil
        for raw in text:gmatch("[%w@']+") do
            if #raw > 1 then
                local word = model_word(raw)
                local hash, prefix = hashes[word], prefixes[word]
                if hash == nil then
                    hash, prefix = word_hashes(word)
                    hashes[word], prefixes[word] = hash, prefix
                end
                local bucket = hash % buckets
                if not seen[bucket] then
                    seen[bucket], found[#found + 1] = true, bucket
                end
                if prefix then
                    bucket = prefix % buckets
                    if not seen[bucket] then
                        seen[bucket], found[#found + 1] = true, bucket
                    end
                end
                if previous ~= nil then
                    bucket = ((previous * FNV_PRIME) ~ hash ~ PAIR_MIX) % buckets
                    if not seen[bucket] then
                        seen[bucket], found[#found + 1] = true, bucket
                    end
                end
                previous = hash
            end
        end
        table.sort(found)
        return found
    end

    --[[
    Returns the model's probability that the ticket is sensitive, from 0 to 1. The weights of
    the ticket's buckets are summed and divided by the square root of their count, so a long
    ticket's many words do not by their number alone push the probability to 0 or 1.
    ]]
    function sensitive.model_probability(ticket, model)
        local found = sensitive.model_buckets(ticket, model.buckets)
        local sum = 0
        for _, bucket in ipairs(found) do
            sum = sum + string.unpack("<i2", model.weights, 2 * bucket + 1) * model.scale
        end
        if #found > 0 then
            sum = sum / math.sqrt(#found)
        end
        return 1 / (1 + math.exp(-(sum + model.bias)))
    end
end

-- Form values that decline the field they answer.
local DECLINING_VALUES = words("no no. no! none none. n/a n/a. na - --")

--[[
True when line is a form field whose value declines it: "Forward email to: N/A", "Admin rights
needed: No, IT to install", "Mailbox access for manager:" with nothing after the colon, or an
empty check box ("Forward email: [ ] not needed"). Such a line asks for nothing, so it is left
out.
]]
local function declined_field(line)
    local value = line:match("^%s*%w[^:]*:(.*)$")
    if value == nil then
        return false
    end
    if value:find("^%s*%[%s*%]") then
        return true
    end
    -- The first word of the value, and whether only blanks or a clause after a comma, a
    -- semicolon or a dash follow ("NO - do not forward").
    local first, rest_start = value:lower():match("^%s*([^%s,;]*)()")
    local rest = value:sub(rest_start)
    local ends = not rest:find("%S") or rest:find("^%s*[,;%-]") ~= nil
        or rest:find("^%s*\226\128[\147\148]") ~= nil
    return first == "" or (ends and DECLINING_VALUES[first] == true)
end

-- Splits text into tokens (add_tokens below). The look-alike tables and unmask_token are
-- local to this block, which keeps the file under Lua's limit of 200 active local variables.
local add_tokens
do
    -- Stand-ins for Latin letters, mapped to the letter. scripts has Cyrillic and Greek letters
    -- that look Latin ("pаsswоrd" with a Cyrillic а and о). symbols has the symbols and digits
    -- of "p@ssw0rd" and "pa$$word".
    local LOOK_ALIKES = {
        scripts = {
            ["\208\176"] = "a", ["\208\181"] = "e", ["\208\190"] = "o", ["\209\128"] = "p",
            ["\209\129"] = "c", ["\209\131"] = "y", ["\209\133"] = "x", ["\209\149"] = "s",
            ["\209\150"] = "i", ["\209\152"] = "j", ["\208\144"] = "A", ["\208\146"] = "B",
            ["\208\149"] = "E", ["\208\154"] = "K", ["\208\156"] = "M", ["\208\157"] = "H",
            ["\208\158"] = "O", ["\208\160"] = "P", ["\208\161"] = "C", ["\208\162"] = "T",
            ["\208\165"] = "X", ["\208\134"] = "I", ["\208\133"] = "S", ["\206\177"] = "a",
            ["\206\181"] = "e", ["\206\191"] = "o", ["\207\129"] = "p", ["\206\185"] = "i",
        },
        symbols = {["@"] = "a", ["$"] = "s", ["0"] = "o", ["1"] = "i", ["3"] = "e", ["4"] = "a",
            ["5"] = "s"},
    }

    --[[
    Returns the token of a word written with symbols or digits between its letters ("p@ssword",
    "pa$$word", "passw0rd"), or nil. An address ("jane@acme.example") and a word with other
    digits or symbols ("b2b", "o365") give nil.
    ]]
    local function unmask_token(chunk, cache)
        local word = chunk:match("^%p*(%a[%w@$]*%a)%p*$")
        if word == nil or not word:find("[@$%d]", 2) then
            return nil
        end
        local letters = word:gsub("[@$01345]", LOOK_ALIKES.symbols)
        if letters:find("[^%a]") then
            return nil
        end
        return token_of(letters, cache)
    end

    --[[
    Returns an iterator over the lines of text with wrapped lines joined: a line that ends in a
    word or a comma and is followed by one that starts with a lower-case letter ("please reset
    my" then "password") goes on in the next. A form field ("Forward to: N/A") and a quoted
    line ("> ...") never take in the next line, so neither can swallow a new request. The
    iterator's second value is true for a line after a blank line, which opens a paragraph.
    ]]
    local function logical_lines(text)
        local lines, parts, joinable = {}, nil, false
        local opens, last_end = {}, 1
        for start, line, stop in text:gmatch("()([^\n]+)()") do
            -- Only line breaks stand between the last line and this one.
            local blank_before = parts ~= nil and start - last_end >= 2
            last_end = stop
            if parts ~= nil and joinable and line:find("^%s*%l") then
                parts[#parts + 1] = line
            else
                if parts ~= nil then
                    lines[#lines + 1] = table.concat(parts, " ")
                end
                opens[#lines + 1] = blank_before or not line:find("%S")
                parts = {line}
                joinable = not line:find("^%s*>") and not line:find("^%s*%w[^:]*:")
            end
            joinable = joinable and line:find("[%w,]%s*$") ~= nil
        end
        if parts ~= nil then
            lines[#lines + 1] = table.concat(parts, " ")
        end
        local index = 0
        return function()
            index = index + 1
            return lines[index], opens[index]
        end
    end

    --[[
    Returns line with letters spelled out one by one joined into a word, as speech-to-text
    writes an acronym: "M F A", "M. F. A.", "M.F.A." and "2 F A" become "MFA" and "2FA", and
    "two F A" becomes "2FA". Only runs of 2 to 5 single letters or digits with a letter among
    them are joined, and digits only before the letters ("P I N 1 2" gives "PIN 1 2"). A
    leading "a" or "I" of a run of 3 to 5 stays a word ("a M F A reset"), and "e.g." and the
    other abbreviations stay as they are. A dot after the last letter of a run written without
    dots still ends the sentence. Each run costs a few pattern calls, whatever its length, so a long
    text of single letters reads as fast as before.
    ]]
    local function join_spelled_letters(line)
        local parts, from = {}, 1
        -- The next longer word and the next other punctuation at or after start. Each is
        -- searched for again only once start has passed it, so a line is scanned once.
        local next_word, next_mark = 0, 0
        local start = line:find("%f[%w]%w[%.%s]+%w%f[%W]")
        while start do
            -- Step 1: the run goes up to the first longer word or other punctuation, and up
            -- to a digit after its first letter. Only its first 32 bytes are read, and a run
            -- longer than that is copied as it is, like one of more than 5 letters.
            if next_word < start then
                next_word = line:find("%w%w", start) or #line + 1
            end
            if next_mark < start then
                next_mark = line:find("[^%w%.%s]", start) or #line + 1
            end
            local stop = math.min(next_word, next_mark)
            local run = line:sub(start, math.min(stop, start + 32) - 1)
            local first_letter = run:find("%a")
            local digit = first_letter and run:find("%d", first_letter)
            if digit then
                run = run:sub(1, digit - 1)
            elseif stop > start + 32 then
                run = line:sub(start, stop - 1)
            end
            run = run:match("^(.-)%s*$")
            local after = start + #run
            local letters = run:gsub("[%.%s]", "")

            -- Step 2: "two" before the letters is the digit of "2FA", and a leading "a" or
            -- "I" of three to five is a word of its own.
            local before = line:sub(from, start - 1)
            local spoken_two = before:find("%f[%w][Tt][Ww][Oo]%s+$")
            if spoken_two and letters:find("^%a") then
                before = before:sub(1, spoken_two - 1)
                letters = "2" .. letters
            end
            local kept_word = ""
            if #letters >= 3 and #letters <= 5 and letters:find("^[AaIi]")
                    and run:find("^%a%s") then
                kept_word, letters = letters:sub(1, 1) .. " ", letters:sub(2)
            end
            local _, dots = run:gsub("%.", "")
            local joinable = #letters >= 2 and #letters <= 5 and letters:find("%a") ~= nil
                and not ABBREVIATIONS[run:lower()]
            if joinable then
                -- "M F A." ends a sentence, and "M. F. A." only writes the letters.
                local ending = (dots == 1 and run:find("%.$")) and "." or ""
                parts[#parts + 1] = before .. kept_word .. letters .. ending
            else
                parts[#parts + 1] = line:sub(from, after - 1)
            end
            from = after
            start = line:find("%f[%w]%w[%.%s]+%w%f[%W]", after)
        end
        if from == 1 then
            return line
        end
        parts[#parts + 1] = line:sub(from)
        return table.concat(parts)
    end

    --[[
    Splits text into tokens appended to list, with their flags (QUOTED, QUESTION, CAPITALISED) at
    the same index of flags. A sentence end and a line end add the boundary "|". A word such as
    "sarah's" adds "'s" after "sarah", an address with "@" becomes "mailaddress", an IPv4 address
    "ipaddress", and a number of five or more digits "longnumber". Returns true when the text ends
    with "?".
    ]]
    function add_tokens(list, flags, text, cache)
        text = text:gsub("\226\128[\152\153]", "'")
        -- Invisible characters (soft hyphen, zero-width spaces and joiners, bidirectional
        -- controls, byte order mark) would split a word a reader sees whole: "pas\u{AD}sword".
        if text:find("[\194\226\239]") then
            text = text:gsub("\194\173", ""):gsub("\226\128[\139-\143\170-\174]", "")
                :gsub("\226\129[\160-\164\166-\169]", ""):gsub("\239\187\191", "")
        end
        -- Most texts have no Greek or Cyrillic letter, and skipping them spares a copy.
        if text:find("[\206-\209][\128-\191]") then
            text = text:gsub("[\206-\209][\128-\191]", LOOK_ALIKES.scripts)
        end
        local ends_with_question = false

        -- A mail client's header of an earlier message ("From: Sam", "-----Original
        -- Message-----", "On Tuesday, Sam wrote:") quotes every later line of the text.
        local quoting = false
        -- PARAGRAPH for the next token, which a line left out passes on to the next line.
        local paragraph = 0
        for line, opens_paragraph in logical_lines(text) do
            paragraph = opens_paragraph and PARAGRAPH or paragraph
            if declined_field(line) then
                goto next_line
            end
            quoting = quoting or line:find("^%s*[Ff]rom:%s*%S") ~= nil
                or line:find("^%s*%-+%s*Original [Mm]essage") ~= nil
                or line:find("^%s*%-+%s*Forwarded [Mm]essage") ~= nil
                or line:find("^%s*On%s.*wrote:%s*$") ~= nil
            local flag = (quoting or line:find("^%s*>")) and QUOTED or 0
            local function push(token)
                list[#list + 1] = token
                flags[#list] = flag | paragraph
                paragraph = 0
            end

            local sentence_start = #list + 1
            -- Most lines have no two single letters or digits in a row to join.
            local spoken = line
            if line:find("%f[%w]%w[%.%s]+%w%f[%W]") then
                spoken = join_spelled_letters(line)
            end
            for chunk in spoken:gmatch("%S+") do
                if #chunk <= MAX_WORD_CHARS then
                    local first = #list + 1
                    local capital = chunk:find("^%u%l") ~= nil
                    chunk = chunk:lower()
                    -- Most words have no "@", "$" or digit, and so are no masked word, mail
                    -- address or IP address.
                    local marked = chunk:find("[@$%d]") ~= nil
                    local unmasked = marked and unmask_token(chunk, cache)
                    if unmasked then
                        push(unmasked)
                    elseif marked and chunk:find("@", 1, true) then
                        push("mailaddress")
                    elseif marked and chunk:find("^%d+%.%d+%.%d+%.%d+") then
                        push("ipaddress")
                    elseif chunk:find("^%w+$") then
                        -- A chunk of letters and digits alone is its only piece. Most chunks
                        -- are, and they skip gsub and gmatch, whose state takes about 600 bytes.
                        local piece = chunk
                        if #piece >= 5 and piece:find("^%d+$") then
                            piece = "longnumber"
                        end
                        push(token_of(piece, cache))
                        if capital and first > sentence_start then
                            flags[first] = flags[first] | CAPITALISED
                        end
                    else
                        local owner = chunk:match("^(%a+)'s%f[^%w]")
                        for piece in chunk:gsub("'", ""):gmatch("%w+") do
                            if #piece >= 5 and piece:find("^%d+$") then
                                piece = "longnumber"
                            end
                            push(token_of(piece, cache))
                        end
                        if owner ~= nil and not NOT_POSSESSIVE[owner] then
                            push("'s")
                        end
                        if capital and first > sentence_start then
                            flags[first] = flags[first] | CAPITALISED
                        end
                    end
                    -- Only a word that ends in punctuation ends a sentence, and most do not.
                    local punctuated = chunk:find("%W$") ~= nil
                    ends_with_question = punctuated and chunk:find("%?%W*$") ~= nil
                    -- "please... reset... my... password" trails off rather than ends.
                    local trailing = punctuated and chunk:find("%.%.[%.%W]*$") ~= nil
                    if punctuated and chunk:find("[%.!%?;:]%W*$") and not ABBREVIATIONS[chunk]
                            and not trailing then
                        if ends_with_question then
                            mark_question(list, flags, sentence_start)
                        end
                        if list[#list] ~= "|" then
                            push("|")
                        end
                        sentence_start = #list + 1
                    end
                end
            end
            if list[#list] ~= "|" then
                push("|")
            end
            ::next_line::
        end
        return ends_with_question
    end
end

-- Returns list with the phrases joined into their tokens, and the flags of the joined tokens (a
-- phrase has the flags of all its tokens).
local function join_phrases(list, flags)
    local joined, joined_flags = {}, {}
    local phrases, first_of_phrases = PHRASES.words, PHRASES.first
    local index, count = 1, #list
    while index <= count do
        local result, length = list[index], 1
        local at = first_of_phrases[result]
        local size = at and phrases[at] or 0
        -- Most phrases of a group differ in their second token, which is compared first
        -- because this runs for every word of the ticket.
        local second = list[index + 1]
        while size > 1 do
            if phrases[at + 1] == second then
                local offset = 3
                while offset <= size and list[index + offset - 1] == phrases[at + offset - 1] do
                    offset = offset + 1
                end
                if offset > size then
                    result, length = phrases[at + size], size
                    break
                end
            end
            at = at + size + 1
            size = phrases[at]
        end
        -- A phrase of one word, last in its group because the longest come first, always
        -- matches.
        if size == 1 then
            result = phrases[at + 1]
        end
        local flag = flags[index] or 0
        for offset = 1, length - 1 do
            flag = flag | (flags[index + offset] or 0)
        end
        joined[#joined + 1] = result
        joined_flags[#joined] = flag
        index = index + length
    end
    return joined, joined_flags
end

-- Marks the signature or disclaimer that the token at index opens as noise (mark_noise below).
local mark_noise
do
    -- The maximum number of tokens after a disclaimer's first word ("confidential", "intended
    -- recipient") that its block of boilerplate covers.
    local DISCLAIMER_WORDS = 80
    -- Words that open a request, which ends the span of a closing or a disclaimer ("Thanks.
    -- Please forward ...", "Confidential, please reset my MFA").
    local SPAN_ENDS = words("please canyou cani")
    -- Words of a writer speaking for themselves, which boilerplate never has ("views are my
    -- own", "please reset my MFA"). A company's "we" and "our" are boilerplate's own.
    local WRITER_WORDS = words("i me my mine myself im ive id ill")
    -- Words that may stand before a sentence's request ("Also please", "PS can you").
    local REQUEST_LEADS = words("also and ps btw so then")
    -- What boilerplate requests of its reader ("please notify the sender", "please consider the
    -- environment"), and what it requests deleted ("please delete it").
    local FOOTER_VERBS = words([[
    notify contact consider advise inform note read call telephone return refer disregard be do
    ]])
    local DISCARD_VERBS = words("delete destroy")
    local FOOTER_OBJECTS = words("it this these all any message messages email mail copy copies")

    -- Phrases that keep their meaning after a closing ("Thanks, that's done").
    local NEVER_NOISE = words("resolvedmark howq howword")
    -- Verbs that open a request in the sentence after a closing ("Thanks. Forward all of
    -- Mark's mail to me"), where a signature has a name.
    local REQUEST_OPENERS = words([[
    forward redirect reset remove disable delete give add unlock change update send set turn
    switch
    ]])

    --[[
    Marks as noise the three tokens after the closing at index ("Thanks, Sam"), up to a request
    ("Thanks. Please forward ..."). "Best, Sam" closes, where "the best way" is an adjective
    after a determiner.
    ]]
    local function mark_closing(document, index)
        local list = document.words
        if list[index] == "best" and set_of("the a my your our their its his her")[
                list[index - 1] or ""] then
            return
        end
        for at = index + 1, index + 3 do
            local word = list[at] or ""
            if SPAN_ENDS[word] or (word == "|" and (SPAN_ENDS[list[at + 1] or ""]
                    or REQUEST_OPENERS[list[at + 1] or ""])) then
                break
            end
            if not NEVER_NOISE[word] then
                document.noise[at] = true
            end
        end
    end

    --[[
    Returns whether the paragraph that opens at the index paragraph is boilerplate, and the index
    of its last token. Boilerplate has no word of a writer speaking for themselves (WRITER_WORDS)
    and no sentence that opens with a request other than a footer's ("Please notify the
    sender"). The answer is kept in document.paragraphs, so each paragraph is read once.
    ]]
    local function read_paragraph(document, flags, paragraph)
        local known = document.paragraphs[paragraph]
        if known then
            return known.boilerplate, known.last
        end
        local list = document.words
        local writer, opening, at = false, true, paragraph
        while list[at] ~= nil and (at == paragraph or flags[at] & PARAGRAPH == 0) do
            local word = list[at]
            if WRITER_WORDS[word] then
                writer = true
            elseif opening and SPAN_ENDS[word] then
                local verb = list[at + 1] or ""
                writer = writer or not (FOOTER_VERBS[verb]
                    or (DISCARD_VERBS[verb] and FOOTER_OBJECTS[list[at + 2] or ""]))
            end
            opening = word == "|" or (opening and REQUEST_LEADS[word] == true)
            at = at + 1
        end
        document.paragraphs[paragraph] = {boilerplate = not writer, last = at - 1}
        return not writer, at - 1
    end

    --[[
    Marks as noise the disclaimer around the disclaimer word at index of document, in the
    paragraph that opens at the index paragraph: from five tokens before the word ("privileged
    and confidential") to the end of the paragraph, at most DISCLAIMER_WORDS tokens after the
    word, when the paragraph is boilerplate (read_paragraph). In a paragraph of the writer's own
    words the word is a label ("Confidential: please reset my MFA", "Disclaimer: views are my
    own"), and only its sentence up to a request counts as noise.
    ]]
    local function mark_disclaimer(document, flags, index, paragraph)
        local list, noise = document.words, document.noise
        local first = index
        while first > index - 5 and list[first - 1] ~= nil and list[first - 1] ~= "|" do
            first = first - 1
        end
        local boilerplate, last = read_paragraph(document, flags, paragraph)
        local stop = math.min(last, index + DISCLAIMER_WORDS)
        if not boilerplate then
            stop = index
            while stop < last and list[stop + 1] ~= "|" and not SPAN_ENDS[list[stop + 1]] do
                stop = stop + 1
            end
        end
        for at = first, stop do
            noise[at] = true
        end
    end

    --[[
    Marks the words that the closing ("Thanks", "Kind regards") or the disclaimer word at index
    of document opens as noise. flags are the tokens' flags, paragraph the index of the token
    that opens the paragraph of index, and in_details is false in the summary, where "URGENT
    payment - confidential" as a subject hides nothing.
    ]]
    function mark_noise(document, flags, index, paragraph, in_details)
        local word = document.words[index]
        if CLOSINGS[word] then
            mark_closing(document, index)
        elseif word == "disclaimer" and in_details then
            mark_disclaimer(document, flags, index, paragraph)
        end
    end
end

--[[
Reads a ticket's summary, details and replies into a document, and returns it and true when
the text was longer than MAX_TEXT_CHARS and only its start was read. The document has:
  words       the tokens, the summary's first, "|" between sentences and fields
  summary_end the index of the summary's last token (0 when it has none)
  details_end the index of the details' last token, before the requester's replies
  paragraphs  index of a paragraph's first token -> what mark_noise read of it
  positions   token -> list of its indexes
  noise       index -> true for the words of signatures and disclaimers, which never count
  quoted      index -> true for the words of quoted lines ("> ...")
  question    index -> true for the words of questions that ask for information
  capitalised index -> true for words written with a capital inside a sentence
  extra       the client's keywords, compiled
]]
local function read_document(ticket, keywords, hidden)
    -- Step 1: the texts read, summary first, within MAX_TEXT_CHARS together. HTML tags are
    -- removed from at most max_markup characters of a field, which bounds their cost: markup
    -- rarely takes three quarters of a field, and a field cut there is not read whole.
    local fields = {ticket.summary or "", ticket.details or ""}
    for _, reply in ipairs(ticket.replies or {}) do
        fields[#fields + 1] = reply
    end
    local max_markup = 4 * MAX_TEXT_CHARS
    local texts, left, cut = {}, MAX_TEXT_CHARS, false
    for index, field in ipairs(fields) do
        if #field > max_markup then
            field, cut = field:sub(1, max_markup), true
        end
        field = strip_html(field, hidden)
        if #field > left then
            field, cut = field:sub(1, left), true
        end
        left = left - #field
        texts[index] = field
    end

    -- Step 2: their tokens.
    local cache, list, flags = {}, {}, {}
    local summary_asks = add_tokens(list, flags, texts[1], cache)
    -- A summary of one to three words that does not end a sentence may be the start of the
    -- details' first sentence, and the two then read as one request. The details go on from it
    -- when their first word carries on a sentence in lower case ("Forwarding" above "to my
    -- gmail until I'm back please"), or when their first three words point back at it ("Bank
    -- details" above "New ones attached, please update before Friday"). The summary's end then
    -- stays a word of the sentence, not a boundary.
    local summary_words = select(2, texts[1]:gsub("%S+", ""))
    local first_words = (texts[2] or ""):match("^%s*(%S*%s*%S*%s*%S*)") or ""
    local first = first_words:match("^%l+") or "-"
    first_words = " " .. first_words:lower():gsub("%W+", " ") .. " "
    local continued = summary_words >= 1 and summary_words <= 3
        and texts[1]:find("[%w,]%s*$") ~= nil and list[#list] == "|"
        and ((" to for from until till with of on onto into and or at as by "):find(
                " " .. first .. " ", 1, true) ~= nil
            or first_words:find(" ones ", 1, true) ~= nil
            or first_words:find(" them ", 1, true) ~= nil
            or first_words:find(" these ", 1, true) ~= nil
            or first_words:find(" those ", 1, true) ~= nil)
    if continued then
        list[#list] = SUMMARY_END
    else
        list[#list + 1] = SUMMARY_END
    end
    flags[#list] = PARAGRAPH
    for index = 2, #texts do
        local start = #list + 1
        add_tokens(list, flags, texts[index], cache)
        if flags[start] ~= nil then
            flags[start] = flags[start] | PARAGRAPH | (index > 2 and REPLY or 0)
        end
    end

    local joined, joined_flags = join_phrases(list, flags)
    local document = {words = joined, positions = {}, noise = {}, quoted = {}, question = {},
        capitalised = {}, summary_end = 0, details_end = #joined, extra = keywords,
        paragraphs = {}}
    -- A disclaimer starts only after the summary: "URGENT payment - confidential" as a subject
    -- hides nothing.
    local in_details = false
    -- The index of the token that opens the paragraph of the token read.
    local paragraph = 1
    for index, word in ipairs(joined) do
        -- "Can Gemma have access" is a request, like "can Gemma get access", and so are "can I
        -- just have admin" and "could the weekend staff have access", which open the sentence.
        if word == "have" and (ABILITY[joined[index - 1] or ""] or ABILITY[joined[index - 2] or ""]
                or joined[index - 2] == "cani"
                or (ABILITY[joined[index - 3] or ""] and (joined[index - 4] or "|") == "|")
                or (ABILITY[joined[index - 4] or ""] and (joined[index - 5] or "|") == "|")) then
            word = "get"
            joined[index] = word
        end
        -- "Take his admin rights off", "turn the code thing off": a verb parted from its "off"
        -- by what it acts on reads as the joined verb. "Take the end date off" extends an
        -- account, and "take it off after" names what was just asked for, so both stay.
        if (word == "take" or word == "turn" or word == "switch") and joined[index + 1] ~= "|"
                and joined[index + 1] ~= "it" and joined[index + 1] ~= "them" then
            for offset = 2, 5 do
                local next_word = joined[index + offset]
                if next_word == nil or next_word == "|" or next_word == "end"
                        or next_word == "expire" then
                    break
                elseif next_word == "off" then
                    word = word == "take" and "remove" or "disable"
                    joined[index] = word
                    break
                end
            end
        end
        local flag = joined_flags[index]
        document.quoted[index] = flag & QUOTED ~= 0
        document.question[index] = flag & QUESTION ~= 0
        document.capitalised[index] = flag & CAPITALISED ~= 0
        if word == SUMMARY_END then
            document.summary_end = index - 1
            in_details = true
            if not continued then
                word = "|"
                joined[index] = word
            end
        end
        local positions = document.positions[word]
        if positions == nil then
            positions = {}
            document.positions[word] = positions
        end
        positions[#positions + 1] = index
        if flag & PARAGRAPH ~= 0 then
            paragraph = index
            if flag & REPLY ~= 0 and document.details_end == #joined then
                document.details_end = index - 1
            end
        end
        if CLOSINGS[word] or word == "disclaimer" then
            mark_noise(document, joined_flags, index, paragraph, in_details)
        end
    end

    -- "MFA on the VPN?" above "Do we support MFA on the VPN?" is the same question.
    if summary_asks and document.question[document.summary_end + 2] then
        for index = 1, document.summary_end do
            document.question[index] = true
        end
    end
    return document, cut
end

------------------------------------------------------------------------------------------------
-- Looking around a word. Each set argument is a table of tokens or a string of them (set_of).
------------------------------------------------------------------------------------------------

-- Returns the index of the nearest token of set within before tokens left or after tokens
-- right of index, or nil. Boundaries count as tokens, and a token in noise never matches.
local function find_near(document, index, set, before, after)
    set = set_of(set)
    local list, noise = document.words, document.noise
    for offset = 1, math.max(before, after) do
        if offset <= before then
            local word = list[index - offset]
            if word ~= nil and set[word] and not noise[index - offset] then
                return index - offset
            end
        end
        if offset <= after then
            local word = list[index + offset]
            if word ~= nil and set[word] and not noise[index + offset] then
                return index + offset
            end
        end
    end
    return nil
end

-- Like find_near, but only within the sentence of index.
local function find_in_sentence(document, index, set, before, after)
    set = set_of(set)
    local list = document.words
    for offset = 1, before do
        local word = list[index - offset]
        if word == nil or word == "|" then
            break
        end
        if set[word] then
            return index - offset
        end
    end
    for offset = 1, after do
        local word = list[index + offset]
        if word == nil or word == "|" then
            break
        end
        if set[word] then
            return index + offset
        end
    end
    return nil
end

-- Returns the first index of a token of set outside noise, or nil.
local function first_of(document, set)
    set = set_of(set)
    local first = nil
    for word in pairs(set) do
        for _, index in ipairs(document.positions[word] or {}) do
            if not document.noise[index] then
                if first == nil or index < first then
                    first = index
                end
                break
            end
        end
    end
    return first
end

local function has(document, word)
    return first_of(document, word) ~= nil
end

-- True when a token of set is in the summary.
local function in_summary(document, set)
    local first = first_of(document, set)
    return first ~= nil and first <= document.summary_end
end

-- Returns the better of two hits: a strong one over a weak one, then a requested one, then the
-- earlier one.
local function better(a, b)
    if a == nil then
        return b
    end
    if b == nil then
        return a
    end
    if a.strong ~= b.strong then
        return a.strong and a or b
    end
    if a.imperative ~= b.imperative then
        return a.imperative and a or b
    end
    return b.index < a.index and b or a
end

-- Calls visit(index) for each index of a token of set outside noise and returns the best hit
-- it returned, or nil.
local function best_of(document, set, visit)
    set = set_of(set)
    local best = nil
    for word in pairs(set) do
        for _, index in ipairs(document.positions[word] or {}) do
            if not document.noise[index] then
                best = better(best, visit(index))
            end
        end
    end
    return best
end

-- "Nobody new needs access" and "no one to be given access" decline the access.
local NEGATORS = words("not avoid nobody")
local NEGATORS_AND_FAILURE = words("not cant avoid nobody")
-- "has been granted", "was assigned": a report of what happened, not a request.
local REPORTED = words("has have had was were been is are got")
-- "I'll sort out a new one", "I'm forwarding": the writer acts, so IT is not requested to.
local SELF_ACTION = words("ill im ive weve")
-- Needs, so "I'll need access" asks where "I'll sort it" acts.
local NEEDS = words("need want request")
-- Failures that befall the writer, so "I've been locked out" is no action of theirs.
local FAILURE_TOKENS = words("fault lockedout locked cant forgot")
-- Words that open a new request, so a negation before them belongs to another clause ("the
-- codes don't work, please reset my 2FA").
local CLAUSE_OPENERS = words("please canyou cani")

-- True when the token at index is negated ("no need to unlock", "nothing to be forwarded"), or
-- is the writer's own action, which a failure never is ("I'm not getting the code"). With failure,
-- "cannot add" and "was added" count as negated too. With own_change, the writer's own change
-- counts as a request ("I've changed my mobile number" asks for the record to follow).
local function negated(document, index, failure, own_change)
    local list = document.words
    local set = failure and NEGATORS_AND_FAILURE or NEGATORS
    if list[index - 1] == "well" or (failure and REPORTED[list[index - 1] or ""]) then
        return true
    end
    -- A subject right before a verb of granting makes it a report of what someone did ("I reset
    -- my own password this morning", "they gave us the password"), and "I will" or "we will"
    -- an action of the writer's. "Same" is a phrase that contains its own verb ("she needs
    -- everything Tom has").
    local before = list[index - 1]
    if before == "will" then
        before = list[index - 2]
        before = (before == "i" or before == "we") and before or nil
    end
    -- "The guest accounts you added" reports what IT did ("can you add" reads as "canyou").
    -- "Can we set up a guest login" asks, with "can" before the subject.
    if failure and list[index] ~= "same" and (before == "i" or before == "we" or before == "he"
            or before == "she" or before == "they" or before == "you")
            and not ABILITY[list[index - 2] or ""] then
        return true
    end
    for offset = 1, 3 do
        local word = list[index - offset]
        if word == nil or word == "|" or CLAUSE_OPENERS[word] then
            return false
        end
        if set[word] or (offset <= 2 and SELF_ACTION[word] and not FAILURE_TOKENS[list[index]]
                and not NEEDS[list[index]] and not own_change) then
            return true
        end
    end
    return false
end

-- Words before a verb that make it a state rather than a request ("my account says disabled",
-- "it has been suspended").
local STATE_WORDS = words([[
has have had was were been is are got gets says saying keeps shows showing appears now i we he
she they
]])

-- True when the verb at index states what happened rather than asking for it, after a state
-- word or right after the account it happened to ("Account disabled").
local function reports_state(document, index)
    local before = document.words[index - 1]
    -- A summary of the verb alone ("Deactivated") states what happened too.
    return find_in_sentence(document, index, STATE_WORDS, 2, 0) ~= nil
        or before == "account" or before == "login"
        or (index == 1 and document.summary_end == 2 and document.words[2] == "|")
end

-- Tokens that make a verb a request: "please give", "can you add", "need to reset".
local REQUEST_MARKERS = words("please request canyou cani need want urgent")
local GREETINGS = words("hi hello dear | ||")
-- Greeting words alone, without the sentence boundaries of GREETINGS.
local GREETING_WORDS = words("hi hello dear")

-- True when the verb at index is requested: a request marker at most four tokens before it in
-- its sentence ("please cancel it and issue"), or it opens a sentence ("Give Kate VPN access").
local imperative
do
    -- Verbs of granting that a "please" or "can you" further back in the sentence requests when
    -- "and" joins them to it ("Please remove Harry as an authorised contact and add Bridget").
    local JOINED_GRANTS = words("add give grant assign provide create setup enable reset unlock")

    function imperative(document, index)
        local list = document.words
        if GREETINGS[list[index - 1] or "|"] then
            return true
        end
        for offset = 1, 4 do
            local word = list[index - offset]
            if word == nil or word == "|" then
                return false
            end
            if REQUEST_MARKERS[word] then
                return true
            end
        end
        if list[index - 1] == "and" and JOINED_GRANTS[list[index]] then
            for offset = 5, 12 do
                local word = list[index - offset]
                if word == nil or word == "|" then
                    return false
                end
                if word == "please" or word == "canyou" then
                    return true
                end
            end
        end
        return false
    end
end

-- The evidence text: the tokens from first to last index, at most 12.
local function evidence(document, first, last)
    if last < first then
        first, last = last, first
    end
    local parts = {}
    for index = first, math.min(last, first + 11) do
        local word = document.words[index]
        if word ~= "|" then
            parts[#parts + 1] = word
        end
    end
    return table.concat(parts, " ")
end

--[[
Returns a hit: reason, the indexes of the thing requested (object), of its verb (nil without
one) and of the first and last of the two (index, last, which bound the evidence), whether a
verb of granting or resetting made it (strong) and whether that verb was requested
(imperative). A strong hit without a verb is requested when its object opens a sentence.
]]
local function hit(document, reason, object, verb, strong)
    local first = verb and math.min(object, verb) or object
    local last = verb and math.max(object, verb) or object
    return {
        reason = reason,
        index = first,
        object = object,
        verb = verb,
        strong = strong == true,
        imperative = strong == true and imperative(document, verb or object),
        last = last,
    }
end

------------------------------------------------------------------------------------------------
-- Finding requests
------------------------------------------------------------------------------------------------

--[[
The objects an attacker would want, by the reason they give. Each line is "reason: tokens".
An object counts as requested when a request word (REQUEST_WORDS) stands near it in its
sentence. An object of a reason in SUMMARY_REASONS also counts when it is in the summary, which
names what a ticket is about. The objects of "account" take their reason from the words near
them: an unlock, a reset or a new account.
]]
local OBJECTS_TEXT = [[
payment_change: bankdetail bankchange
mfa_reset: mfa factor
password_reset: password credential pin temppassword
account: account login
new_account: starter joiner hire newaccount serviceaccount guestaccount onboard
access_grant: access rights permission remoteaccess export sshkey
admin_rights: admin
physical_access: badge doorcode
mail_delegation: sharedmailbox sendas onbehalf
contact_change: phonenumber recoverycontact
contact: emailaddress number mobile newaddress
code: code key
card: card fingerprint smartcard
supplier: newsupplier
]]

-- Objects that are a request by themselves ("locked out", "X wants to access Y").
local REQUEST_OBJECTS_TEXT = [[
account_unlock: unlock lockedout reenable
payment_change: bankchange
access_grant: accessnotice accessrequest allowlist blockrelease
mail_forwarding: forwarder
]]

-- Objects that count only with a verb of GRANT_VERBS or ROLE_VERBS near them, being common in
-- tickets that request nothing ("the owner of the meeting", "the line manager approved").
local GRANTED_OBJECTS_TEXT = [[
admin_rights: owner
access_grant: approver member role port contributor editor reader firewall traffic inbound
    paycontrol
account: contract contractor
payment_change: paymentcard card
physical_access: premises
]]

-- Reasons whose objects in the summary count without a verb.
local SUMMARY_REASONS = words([[
password_reset account_unlock mfa_reset new_account access_grant admin_rights physical_access
mail_delegation
]])

-- Words that ask for something: verbs of giving or resetting, request markers ("please", "can
-- you", "I need"), and a failure to sign in ("can't").
local REQUEST_WORDS = words([[
give grant provide add enable allow assign setup create make extend elevate replace send share tell
new change update reset unlock reenable activate register move set validate forgot lockedout
locked expired lost cant please canyou cani request need want urgent same get letin what whats
pay transfer
]])

-- A second factor or a sign-in that fails for the requester is a request too, because the
-- usual fix hands a working sign-in to whoever asked ("my 2FA codes stopped arriving", "can
-- you sort my login", "fix my log on").
local SIGN_IN_WORDS = words("fault sort fix")
-- Removing or switching off a second factor is a way past a sign-in check, so for a second
-- factor these are request words too.
local FACTOR_WORDS = words("remove disable delete clear bypass")
local SIGN_IN_KINDS = words("mfa_reset password_reset account physical_access")

-- Verbs that name the grant or reset itself, so no fault or report explains them away.
-- "Same" asks for the rights someone else has ("same rights as Anna"), "copy" copies them
-- ("copy Leena's group memberships to my account"), and "eligible" is a role that privileged
-- identity management lets its holder switch on ("make me eligible for Exchange Admin").
local GRANT_VERBS = words([[
give grant provide add enable allow assign setup create make extend elevate replace reset
unlock reenable activate register validate same replicate letin copy eligible
]])

-- Verbs that put a person in a role on a record ("change the line manager", "set Bob as
-- owner") or open a port. They also change records in ways that grant nothing, so what they
-- find is weak.
local ROLE_VERBS = words("change update set become open")

-- For an account or login: words of unlocking, of pay ("payroll account change") and of
-- resetting. Any other request is taken as a new account.
local UNLOCK_WORDS = words([[
unlock lockedout locked reenable extend expired expire activate enable disable active suspend
bringback
]])
local PAYMENT_WORDS = words("bankdetail payroll salary pay payment wire")
-- Fields of how an account is shown, which a change gives no one access by.
local PROFILE_FIELDS = words([[
name surname displayname title signature signatures photo picture avatar nickname spelling
]])
-- States of the writer's account that stop a sign-in.
local ACCOUNT_STATES = words("disable suspend")
local RESET_WORDS = words("reset forgot cant change temppassword password fault sort fix")

-- Verbs that move mail to someone else, and what they must move to count.
local FORWARD_VERBS = words("forward redirect copy")
local FORWARD_ENDS = words("stop remove disable cancel delete")
local THIS_MAIL = words("this these the below")
-- Verbs that hand someone's data to another person, the words that make it someone's, and the
-- data.
local HANDOVER_VERBS = words("copy move transfer migrate")
local OWNERS = words("'s his her their")
local FILE_WORDS = words("file files data document documents folder folders onedrive drive")
local MAIL_WORDS = words("email mailbox everything outlook mailaddress emailaddress calendar")

-- Containers that a person is added to ("add Tom to the Finance group").
local CONTAINERS = words([[
group share folder site team teams channel list repository space drive library sharepoint
confluence onedrive network board organisation organization org workspace tenant
]])
local PEOPLE = words([[
me him her them colleague people person staff starter joiner myself user accountant consultant
auditor contractor intern temp assistant manager receptionist engineer driver guest volunteer
supplier client bookkeeper designer developer developers trainee apprentice analyst cleaner
deputy boss director secretary
]])
local INTO = words("to into")
-- Documents that are locked for editing, which an unlock gives no one a sign-in to.
local LOCKED_THINGS = words([[
file files document documents spreadsheet spreadsheets template workbook sheet record records
pdf excel word cell cells
]])
-- Settings and devices that are switched back on without giving anyone a sign-in.
local SWITCHED_THINGS = words([[
rule rules feature features addin plugin macro macros setting settings service printer scanner
device laptop pc screen keyboard wifi bluetooth notification sync backup backups alert alerts
]])
-- Words before "reader" or "editor" that make it a program or a device.
local PRODUCT_MAKERS = words([[
adobe acrobat pdf card badge barcode text video usb hdmi ethernet charging displayport audio
]])
-- People who act on the writer's mail or calendar.
local DELEGATES = words("pa assistant secretary colleague deputy manager")
-- Verbs of reaching a container, and the words before them that ask for it.
local VIEW_VERBS = words("see view open edit read write manage")
-- Owners of mail other than the writer ("I'll need his emails").
local THIRD_OWNERS = words("his her their")
local VIEW_REQUESTS = words([[
need want cani request able can could may letin let make give allow possible ok okay
]])
-- Subjects that make "can" a statement ("I can see it") rather than a request ("can Sam see").
local SUBJECTS = words("i we you he she they it")
-- Word sets for mail sent on or carried to a new place. They share one table because Lua
-- allows a chunk 200 local variables and this file is at that limit.
local CARRY = {
    -- Words that ask for mail to be sent on.
    -- "Asked that" (read as "request") reports a caller's request in a technician's note.
    requests = words("please canyou cani need want can could may setup make rule should request"),
    -- The writer's own addresses outside the company ("so my emails also go to my Gmail").
    outside = words("personal home private gmail hotmail yahoo icloud"),
    -- Verbs that send mail on to someone ("her emails come to me").
    route = words("come go"),
    -- Verbs that carry mail, and the words between one and its "to" ("sent on to").
    verbs = words("come comes coming go goes going land lands sent send redirect"),
    links = words("to 2 into in onto on through thru also automatically straight over"),
    -- Where mail ends up once it leaves its owner: an outside address or a person.
    ends = words([[
personal home private gmail hotmail yahoo icloud elsewhere outside external him her me them
own recoverycontact
]]),
    -- Mailboxes outside the company that mail is forwarded to ("elsewhere" is "my personal
    -- address"), and what reports such forwarding failing or ending.
    mailboxes = words([[
gmail googlemail hotmail yahoo icloud aol protonmail elsewhere outlook mailaddress
]]),
    forward_faults = words("stop remove disable cancel delete fault cant not"),
    -- Mail that arrives, in words that name no message in particular ("everything incoming").
    arriving = words("anything incoming inbound emailed"),
    -- Words between a forwarding verb and its "to" that name all the mail ("forward all to").
    all = words("all everything anything any every incoming new my his her their the"),
    -- Words before mail sent with "send" that make it all of it, not one message.
    every = words("all any every everything anything incoming"),
    -- Verbs that put the writer on copy ("could I be cc'd on Liam's inbox").
    copy = words("cc ccd cced bcc bccd"),
    -- Words that name one message after a forwarding verb ("forwarded us an email"), and the
    -- people it may go to first.
    one_message = words("a an"),
    receivers = words("me us you him her them"),
    -- The verbs and copy words together, which every word of a ticket is looked up in.
    any = words([[
come comes coming go goes going land lands sent send redirect cc ccd cced bcc bccd
]]),
}
-- Words after a container word that make it describe something else ("team calendar").
local NOT_CONTAINERS = words([[
calendar meeting meetings event events lunch photo page chat invite invitation appointment entry
]])
-- Nouns after an object that make it the topic of something else ("MFA training").
local TOPIC_NOUNS = words([[
training policy policies rollout guide guides awareness session sessions course documentation
article procedure project migration rules requirements length complexity strength statement
statements balance record records slip slips gateway certificate certificates appliance
firmware fee fees charge charges road registration campaign reminder reminders
]])
-- Roles a person is added as ("as a user").
local ROLE_NOUNS = words("user member admin owner editor contributor guest approver delegate")
-- People named as a group ("the new sales reps").
local GROUPS_OF_PEOPLE = words([[
reps rep members employees staff starters joiners hires users people team colleagues
]])
-- Things added to a network or a group that let no person in ("add the printer to the network").
local DEVICES = words([[
printer printers laptop laptops pc pcs device devices computer computers machine machines
server servers scanner phone phones tablet hardware keyboard keyboards mouse headset headsets
monitor monitors dock docks
]])

-- Words that make an e-mail address or a number the one used to prove who someone is, and words
-- that make a code a door's.
local VERIFICATION_WORDS = words([[
recovery verification mfa security sms text texts code codes callback verify identity reset
onrecord
]])
local DOOR_WORDS = words([[
door doors alarm gate keypad entrance building office safe premises cupboard cabinet storeroom
warehouse shutter shutters padlock room rooms corridor
]])
local SIGN_IN_CODE_WORDS = words("login app sms text texts phone mfa remoteaccess")

-- Words next to an object that make it name no sign-in or entry. Before it: a device's access,
-- a record of money or of a customer, a card of a device. After it: a device or a folder ("the
-- admin PC", "the card reader", "the accounts folder"). In its sentence: a conference call.
local NOT_SIGN_IN_NEXT = {
    before = {
        access = words("printer printers scanner copier"),
        account = words("customer billing trading credit savings"),
        -- Cards of devices and of post, which open no door.
        card = words([[
sim sd micro memory graphics video sound network gift business birthday christmas greeting
thank loyalty report score
]]),
    },
    after = {
        admin = DEVICES,
        card = words("reader readers printer printers slot"),
        -- "The accounts folder" is the finance team's, and "accounts" reads as "account".
        account = words("folder folders share drive team department dept office"),
    },
    calls = words("conference dial webinar"),
    -- Rooms named after a call, which are places ("the conference suite").
    rooms = words("suite room rooms centre center hall venue"),
}

-- "has access", "who has access": access held, not requested.
local HOLDING = words("has had who")

local OBJECTS, REQUEST_OBJECTS, GRANTED_OBJECTS = {}, {}, {}
for _, pair in ipairs({{OBJECTS_TEXT, OBJECTS}, {REQUEST_OBJECTS_TEXT, REQUEST_OBJECTS},
        {GRANTED_OBJECTS_TEXT, GRANTED_OBJECTS}}) do
    read_table_text(pair[1], " ", function(reason, object)
        pair[2][object] = reason
    end)
end

-- Returns the reason of an object from the words near it, or nil when it is not one.
local function reason_near(document, index, reason)
    if reason == "contact" then
        -- A form may name the use on a line of its own ("Use for: IT verification"), and "the
        -- mobile on Gail's account" is the number on file.
        -- "The mobile on the system" is the one on file too, and so is "the email address we
        -- hold for him" or "your portal has for me".
        local held = find_in_sentence(document, index, "hold holds has have keep", 0, 3)
        return (find_near(document, index, VERIFICATION_WORDS, 2 * WINDOW, 2 * WINDOW)
            or has(document, "verification") or (document.words[index + 1] == "on"
                and find_in_sentence(document, index,
                    "account system file record records portal bankservice", 0, 4))
            or (held and document.words[held + 1] == "for"))
            and "contact_change" or nil
    elseif reason == "code" then
        -- A door's code, or the code a sign-in asks for. "The new keypad on the side door -
        -- can you give Marta, Kyle and Lukas the code?" names the door first.
        if find_near(document, index, DOOR_WORDS, 3 * WINDOW, WINDOW) then
            return "physical_access"
        end
        return find_near(document, index, SIGN_IN_CODE_WORDS, 4, 4) and "mfa_reset" or nil
    elseif reason == "supplier" then
        -- "A payment made today to a new supplier": a payee not paid before.
        return find_near(document, index,
            "pay paid payment payments transfer bankdetail pounds money funds", 8, 8)
            and "payment_change" or nil
    elseif reason == "card" then
        -- "My card for the door": an access card, where a bare card may be a payment card. A
        -- card that no longer beeps at the gate is the same card a few words on.
        if find_near(document, index, DOOR_WORDS, 3 * WINDOW, 3 * WINDOW)
                or find_near(document, index, "beep swipe turnstile barrier", 3 * WINDOW,
                    3 * WINDOW) then
            return "physical_access"
        end
        -- A smart card that no door is near is the chip card that a sign-in or a payment
        -- approval requires: a second factor.
        return document.words[index] == "smartcard" and "mfa_reset" or nil
    elseif reason == "account" then
        -- index may be the verb itself when a summary's account takes the topic's verb.
        if UNLOCK_WORDS[document.words[index]]
                or find_near(document, index, UNLOCK_WORDS, WINDOW, WINDOW) then
            return "account_unlock"
        elseif find_near(document, index, PAYMENT_WORDS, WINDOW, 2) then
            return "payment_change"
        elseif find_near(document, index, RESET_WORDS, WINDOW, WINDOW) then
            return "password_reset"
        end
        return "new_account"
    end
    -- "rights to install software" is the right to be an administrator, and access to a mailbox
    -- or a calendar is delegation.
    if reason ~= "access_grant" then
        return reason
    elseif document.positions.install and find_near(document, index, "install", WINDOW, WINDOW)
            then
        -- "Install the door access software" names the program, not the right to install.
        local install = find_in_sentence(document, index, "install", WINDOW, 0)
        if install and find_in_sentence(document, index, "software app program driver", 0, 3) then
            return nil
        end
        return "admin_rights"
    elseif (document.positions.mailbox or document.positions.calendar)
            and find_near(document, index, "mailbox calendar", WINDOW, WINDOW) then
        return "mail_delegation"
    end
    return reason
end

-- Returns the index of a requested verb of GRANT_VERBS in the topic, or nil.
local function topic_grant(document)
    local list = document.words
    for index = document.summary_end + 1, document.summary_end + 1 + TOPIC_WORDS do
        if GRANT_VERBS[list[index] or ""] and imperative(document, index)
                and not negated(document, index, true) then
            return index
        end
    end
    return nil
end

-- True when a verb of GRANT_VERBS is requested anywhere in the ticket ("please cancel it and
-- issue a new one").
local function grant_requested(document)
    return best_of(document, GRANT_VERBS, function(index)
        if imperative(document, index) and not negated(document, index, true) then
            return {index = index}
        end
        return nil
    end) ~= nil
end

-- A first sentence of the details this short with no verb is a title ("access to finance
-- drive" under "Request").
local SHORT_OPENING_WORDS = 6

-- True when index is in the details' first sentence and that sentence is a short title. The
-- sentence's end is found once per document and kept in document.opening_end.
local function in_short_opening(document, index)
    local list = document.words
    local first = document.summary_end + 2
    -- "Form: New User" opens with the form's title after "Form:".
    if list[first] == "form" and list[first + 1] == "|" then
        first = first + 2
    end
    if document.opening_end == nil then
        local last = first
        while last - first <= SHORT_OPENING_WORDS and list[last] ~= nil and list[last] ~= "|" do
            last = last + 1
        end
        document.opening_end = last - first <= SHORT_OPENING_WORDS and last or 0
    end
    return index >= first and index < document.opening_end
end

--[[
Returns the hit of an object of OBJECTS at index, or nil: the object with the verb or request
word nearest to it in its sentence, or, in the summary, with the topic's requested verb.
topic caches that verb between calls.
]]
local function object_request(document, index, word, topic)
    local kind = OBJECTS[word]
    -- Most words are no object, so they leave first: this runs for every word of the ticket.
    if kind == nil then
        return nil
    end
    local list = document.words
    -- "MFA training", "the access rollout": the object names a topic, not a thing asked for.
    -- But a second factor's registration deleted or reset ("delete my MFA registration") is
    -- the factor itself taken away.
    local after = list[index + 1] or ""
    if TOPIC_NOUNS[after] and not (kind == "mfa_reset" and after == "registration"
            and find_in_sentence(document, index, "remove delete clear reset wipe disable", 4, 0))
            then
        return nil
    end
    -- "Can you tell me who has access to the Finance folder": a list of users and their rights
    -- asked for, which is itself data the writer cannot read.
    if list[index - 1] == "has" and list[index - 2] == "who" and kind == "access_grant"
            and find_in_sentence(document, index - 2, "tell send list need want canyou please",
                4, 0) then
        return hit(document, "access_grant", index, index - 2, true)
    end
    if (HOLDING[list[index - 1] or ""]
            and not find_in_sentence(document, index, "same", 4, 0)) then
        return nil
    end
    -- "The minimum length for passwords", and "printer access" or "the customer account",
    -- which name no sign-in.
    local previous = list[index - 1] or ""
    local next_to = NOT_SIGN_IN_NEXT
    local call = (kind == "mfa_reset" or kind == "password_reset")
        and find_in_sentence(document, index, next_to.calls, 0, 4)
    if (TOPIC_NOUNS[list[index - 2] or ""] and (previous == "for" or previous == "of"))
            or (next_to.before[word] and next_to.before[word][previous])
            or (next_to.after[word] and next_to.after[word][list[index + 1] or ""])
            or (call and not next_to.rooms[list[call + 1] or ""]) then
        return nil
    end
    -- "Can I get into the finance share", "I need to get into the HR folder": a place asked
    -- for, where "get into" reads as a sign-in. "I can't get into the share" is a failure.
    if word == "login" and (previous == "cani" or find_in_sentence(document, index, NEEDS, 3, 0))
            and not find_in_sentence(document, index, NEGATORS_AND_FAILURE, 3, 0) then
        local place = find_in_sentence(document, index, CONTAINERS, 0, 5)
        if place and not NOT_CONTAINERS[list[place + 1] or ""] then
            return hit(document, "access_grant", place, index, true)
        end
    end
    local reason = reason_near(document, index, kind)
    -- "Please make sure next week's run pays Harbourline to their new account": a payee's
    -- new account, paid when the sentence requests it.
    local pay = word == "newaccount" and find_in_sentence(document, index,
        "pay pays paid payment payments transfer wire", 8, 0)
    if pay and find_in_sentence(document, pay, REQUEST_MARKERS, 12, 0)
            and not negated(document, pay, true) then
        return hit(document, "payment_change", index, pay, false)
    end
    -- "My existing account" is one the writer has, so no new one is asked for, and so is "a
    -- calling number on his account": something put on an account someone holds.
    local put_on = (list[index - 2] == "on" or list[index - 2] == "onto")
        and (previous == "my" or previous == "his" or previous == "her" or previous == "their"
            or previous == "our")
    if reason == nil or (reason == "new_account"
            and (set_of("existing current")[previous] or put_on)) then
        return nil
    end
    -- "Please pass the invoice to accounts": the finance team at a clause's end, since
    -- "accounts" reads as "account".
    if reason == "new_account" and previous == "to" and (list[index + 1] or "|") == "|"
            and find_in_sentence(document, index, "pass send forward hand post", 6, 0) then
        return nil
    end

    local verb = find_in_sentence(document, index, GRANT_VERBS, WINDOW, WINDOW)
    -- "Can you turn off the two-step on the reception login": switching a second factor off is
    -- itself the way past the sign-in check, so that verb names the request. Asked as a
    -- question ("is there a way to switch off the code"), it is still for IT to do.
    local switched_off = reason == "mfa_reset" and verb == nil
        and find_in_sentence(document, index, "disable bypass", WINDOW, 0)
    if switched_off and not negated(document, switched_off, true)
            and not find_in_sentence(document, switched_off, SELF_SERVICE, 0, 8) then
        local found = hit(document, reason, index, switched_off, true)
        found.switched_off = true
        return found
    end
    -- A reported grant ("the contract has been extended") leaves room for a request beside it
    -- ("please keep his account active").
    if verb == nil or negated(document, verb, true) then
        verb = find_in_sentence(document, index, REQUEST_WORDS, WINDOW, WINDOW) or verb
    end
    -- "Remove Harry as a contact and add Bridget" adds a person to the role named before it,
    -- where "remove Harry as a contact and add a note to the file" adds a thing of its own.
    if verb and verb > index and list[verb - 1] == "and" and not document.capitalised[verb + 1]
            and not PEOPLE[list[verb + 1] or ""] then
        verb = find_in_sentence(document, index, REQUEST_WORDS, WINDOW, 0)
    end
    -- "The shared firewall password", "a shared local admin password": "shared" describes the
    -- object and asks for nothing.
    if verb ~= nil and list[verb] == "share" and (verb == index - 1 or (verb == index - 2
            and not set_of("the my his her their our a this that it them")[list[verb + 1]])) then
        verb = find_in_sentence(document, verb, REQUEST_WORDS, WINDOW - 1, 0)
            or find_in_sentence(document, index, REQUEST_WORDS, 0, WINDOW)
    end
    -- "What is the phone number for support", "give me a number in Teams": a number asked for
    -- or handed out, not the one on file changed.
    -- "Send the reset links to my new address" names where the codes of a sign-in go, and so
    -- stays, where "send the invoice to my personal email" changes no record.
    if reason == "contact_change" and verb ~= nil
            and set_of("what whats give provide get send")[list[verb]]
            and not (list[index - 1] == "my" and INTO[list[index - 2] or ""]
                and find_in_sentence(document, index, VERIFICATION_WORDS, 2 * WINDOW, 0)) then
        return nil
    end
    -- A record's change may be asked for in another sentence ("Update your records today") or
    -- in a form's title ("Form: Update my details").
    -- "I've got a new number, the sign-in texts still go to the old one" tells IT that the
    -- record is out of date.
    if verb == nil and reason == "contact_change"
            and find_near(document, index, VERIFICATION_WORDS, 2 * WINDOW, 2 * WINDOW) then
        verb = find_in_sentence(document, index, "got have", 3, 0)
    end
    -- "£9,000 paid today to a new supplier": the payment names the request, and "we paid the
    -- new supplier" reports one.
    if kind == "supplier" then
        verb = find_in_sentence(document, index, "pay paid payment transfer", 8, 0)
        if verb and SUBJECTS[list[verb - 1] or ""] then
            verb = nil
        end
    end
    -- A form's field names the change and the next field its object ("Field to change: Bank
    -- account").
    -- "Field: bank account | Old: ... | New: ..." names the change in the fields after, and
    -- the value may name the record first ("Field: Remittance bank account").
    local field = list[index - 1] == "|" and index - 1
        or (list[index - 2] == "|" and previous ~= "not" and previous ~= "none" and index - 2)
    if verb == nil and field and (reason == "payment_change" or reason == "contact_change")
            and (set_of("change update new")[list[field - 1] or ""]
                or (list[field - 1] == "field" and find_near(document, index, "new", 0, 8))) then
        verb = field - 1
    end
    -- "Can my expenses be paid into my partner's account instead?": pay moved elsewhere, which
    -- is asked outright (moved_pay below).
    if verb == nil and reason == "payment_change"
            and find_in_sentence(document, index, "instead", 0, 8) then
        verb = find_in_sentence(document, index, "can could please canyou", 10, 0)
    end
    -- "Can you give Marta, Kyle and Lukas the code?": a list of people between.
    if verb == nil and reason == "physical_access" then
        verb = find_in_sentence(document, index, "give tell send", 2 * WINDOW, 0)
    end
    -- "Can Jane send as me?": "can" before a person asks for the delegation.
    if verb == nil and kind == "mail_delegation" then
        verb = find_in_sentence(document, index, "can could may", 3, 0)
    end
    if verb == nil and reason == "contact_change" then
        verb = best_of(document, "change update", function(at)
            if (at <= document.summary_end or imperative(document, at))
                    and not negated(document, at, true) then
                return {index = at}
            end
            return nil
        end)
        verb = verb and verb.index
    end
    -- "Can you upgrade my permissions to modify": raising the access someone has grants more.
    local positions = document.positions
    local raise = (kind == "access_grant" or kind == "admin_rights")
        and (positions.upgrade or positions.raise or positions.increase)
        and find_in_sentence(document, index, "upgrade raise increase", WINDOW, 0)
    -- "Change my permissions on the Projects folder to edit": a change up to a higher level.
    -- Whether the ticket has a level word at all is looked up once, because this runs for each
    -- object.
    if document.has_levels == nil then
        document.has_levels = (positions.edit or positions.write or positions.full
            or positions.modify) ~= nil
    end
    local to_level = document.has_levels and not raise
        and (kind == "access_grant" or kind == "admin_rights")
        and find_in_sentence(document, index, "to", 0, 6)
    if to_level and set_of("edit write full modify")[list[to_level + 1] or ""] then
        raise = find_in_sentence(document, index, "change update set", WINDOW, 0)
    end
    if raise and not (verb and GRANT_VERBS[list[verb]]) then
        return hit(document, reason, index, raise, true)
    end
    -- "I get the MFA prompt twice" says what happens, where "can I get" asks.
    if verb ~= nil and list[verb] == "get" and SUBJECTS[list[verb - 1] or ""]
            and not ABILITY[list[verb - 2] or ""] then
        verb = nil
    end
    if verb == nil and SIGN_IN_KINDS[kind] then
        verb = find_in_sentence(document, index, SIGN_IN_WORDS, WINDOW, WINDOW)
    end
    -- "He'll need a laptop, a monitor, a headset and a login": the last of a list of things
    -- needed takes the need from the list's start.
    -- A starter form's field that lists accounts to make ("Accounts needed: Windows, email,
    -- EMIS"), with a value that is not declined or already there.
    if verb == nil and kind == "account" and list[index - 1] == "|" then
        local value = list[index + 1] == "|" and index + 2
            or (NEEDS[list[index + 1] or ""] and list[index + 2] == "|" and index + 3)
        local positions = document.positions
        if value and list[value] ~= nil and list[value] ~= "|" and list[value] ~= "not"
                and list[value] ~= "alreadyhave"
                and (positions.starter or positions.newaccount or positions.joiner
                    or positions.hire) then
            return hit(document, "new_account", index, index, true)
        end
    end
    if verb == nil and kind == "account" and (list[index - 2] == "and" or list[index - 1] == "and")
            then
        verb = find_in_sentence(document, index, NEEDS, 14, 0)
        -- "Could he get his own email on our domain and a login for the till": "get" asked.
        local get = verb == nil and find_in_sentence(document, index, "get", 14, 0)
        if get and ABILITY[list[get - 2] or ""] then
            verb = get
        end
    end
    -- "Tasha should be the authorised contact": the record as it should be.
    if verb == nil and reason == "contact_change" then
        verb = find_in_sentence(document, index, "should", 4, 0)
    end
    -- "Can the login codes go to my wife's phone": a second factor moved to another phone.
    if verb == nil and kind == "mfa_reset" then
        local go = find_in_sentence(document, index, "go come", 0, 3)
        if go and list[go + 1] == "to" and find_in_sentence(document, index, CARRY.requests, 4, 0)
                then
            verb = go
        end
    end
    -- Any malfunction of a second factor stops the sign-in ("the sign-in notifications don't
    -- show on my phone").
    if verb == nil and kind == "mfa_reset" then
        verb = find_in_sentence(document, index, FACTOR_WORDS, WINDOW, WINDOW)
            or find_in_sentence(document, index, "malfunction", WINDOW, WINDOW)
        -- "Delete the old phone from my authenticator", "remove my old phone as a sign-in
        -- method": a device taken out of the factor.
        local from = set_of("from as")
        if verb == nil and (from[previous] or from[list[index - 2] or ""]) then
            verb = find_in_sentence(document, index, FACTOR_WORDS, 2 * WINDOW, 0)
        end
    end
    -- "My badge not open the door": a card that fails for its holder.
    if verb == nil and kind == "physical_access" and list[index + 1] == "not" then
        verb = index + 1
    end
    -- "My login shows as disabled": the writer's account in a state that stops the sign-in.
    if verb == nil and kind == "account" then
        local state = find_in_sentence(document, index, ACCOUNT_STATES, 0, 5)
        if state and reports_state(document, state) and find_near(document, index, "my", 2, 0)
                then
            verb = state
        end
    end
    -- "Assign him a licence so he can log in": a sign-in is what the grant before it is for.
    -- "Fix the Wi-Fi so I can log in" asks for a fix.
    local so = verb == nil and kind == "account" and list[index - 1] == "can"
        and ((list[index - 3] == "so" and index - 3) or (list[index - 4] == "so" and index - 4))
    if so and find_in_sentence(document, so, GRANT_VERBS, 10, 0) then
        verb = index - 1
    end
    -- "I don't have a login for the intranet yet"
    -- "I need access to the portal, I've never had it": access the writer never held.
    -- "He's never had a login there"
    local have = document.positions["not"]
        and find_in_sentence(document, index, "have got had", 3, 0)
    local missing = have and find_in_sentence(document, have, "not", 2, 0)
    local had = not missing and document.positions["not"]
        and find_in_sentence(document, index, "had", 0, 8)
    local never_had = had and list[had - 1] == "not"
    if never_had then
        missing = had - 1
        have = verb or had
    end
    if missing then
        verb = have
    end

    -- A smart card in a summary is as often the reader's fault ("Form: Fault - smartcard") as
    -- a card asked for, so it needs a verb of its own.
    if verb == nil and (index <= document.summary_end or in_short_opening(document, index))
            and SUMMARY_REASONS[reason] and word ~= "smartcard" then
        -- A summary's object takes its verb from the topic: "VPN" above "please set it up
        -- for Karen".
        if topic.verb == nil then
            topic.verb = topic_grant(document) or false
        end
        verb = topic.verb or nil
        if verb and kind == "account" then
            reason = reason_near(document, verb, kind)
        end
        return hit(document, reason, index, verb, verb ~= nil)
    end
    if verb == nil then
        return nil
    end
    -- "What's the code for the back door?" asks for the secret itself, which hands it over.
    local handover = (reason == "password_reset" or reason == "physical_access")
        and (list[verb] == "what" or list[verb] == "whats") and verb < index
        and index - verb <= 3
    -- "Can I just have admin on my laptop" asks for the rights outright, whatever program
    -- prompted for them.
    local asked_admin = reason == "admin_rights" and list[verb] == "get"
        and find_in_sentence(document, verb, "cani canyou request need want", 2, 0) ~= nil
    local moved_pay = reason == "payment_change"
        and find_in_sentence(document, index, "instead", 0, 8) ~= nil
    -- "Can Jo have full access to his mailbox?" requests another's mail for a person named,
    -- even in a leaver's ticket that removes everything else.
    local named = list[verb - 1] or ""
    local mail_for_person = reason == "mail_delegation" and list[verb] == "get"
        and ABILITY[list[verb - 2] or ""] and not SUBJECTS[named]
        and (document.capitalised[verb - 1] or PEOPLE[named] or false)
    local found = hit(document, reason, index, verb,
        GRANT_VERBS[list[verb]] == true or handover or asked_admin or moved_pay
            or mail_for_person)
    -- "Can I just have the rights to install stuff myself?" asks for the right to install, which
    -- no one gives themselves.
    found.install_right = reason == "admin_rights" and kind == "access_grant"
        and not found.missing
    found.missing = missing
    found.never_had = never_had
    return found
end

-- How many tokens back a pronoun after a requested verb may find its object ("The MFA app
-- asks for a code I never set up. Please clear it").
local PRONOUN_REACH = 30
local PRONOUNS_OF_THINGS = words("it them newone")
-- Verbs that hand a secret over ("could you send it over?").
local HANDING_VERBS = words("send tell move transfer")
-- Every word pronoun_object acts on, so that the other words of a ticket leave it after one
-- lookup.
local PRONOUN_VERBS = {fault = true, get = true, set = true, need = true, change = true,
    restore = true, update = true}
for _, set in ipairs({GRANT_VERBS, FACTOR_WORDS, HANDING_VERBS}) do
    for verb in pairs(set) do
        PRONOUN_VERBS[verb] = true
    end
end

--[[
Returns {index, reason} of the object that "it" or "them" after a requested verb of granting,
resetting or clearing at index refers to, or that "it" before a failure refers to ("the VPN
says it's wrong"): the nearest object of OBJECTS before it within PRONOUN_REACH tokens, outside
noise. Returns nil otherwise, and when a device, document or setting stands nearer ("my screen
is cracked, please replace it"). A failure refers only to a sign-in's object and passes over
others.
]]
local function pronoun_object(document, index, word)
    if not PRONOUN_VERBS[word] then
        return nil
    end
    local list = document.words
    -- "Please make a new one", "can I get a new one?": the thing named before, again. No
    -- phrase starts with "a", because every "a" of a ticket would look it up.
    local next_word = list[index + 1] or ""
    local pronoun = PRONOUNS_OF_THINGS[next_word] and index + 1
        or (next_word == "a" and list[index + 2] == "newone" and index + 2)
    -- "Can you tell me it again", "could you set me a new one": the pronoun after the person
    -- it goes to.
    if not pronoun and set_of("me us him her")[next_word] then
        pronoun = PRONOUNS_OF_THINGS[list[index + 2] or ""] and index + 2
            or (list[index + 2] == "a" and list[index + 3] == "newone" and index + 3)
    end
    -- "Could I have a replacement?": a new one of the thing named before.
    if not pronoun and word == "replace" and list[index - 1] == "a" then
        pronoun = index
    end
    -- "Please change it to sam@ledger.example": a new value for a record named before.
    local new_value = (word == "change" or word == "update") and pronoun
        and list[pronoun + 1] == "to"
    local previous = list[index - 1] or ""
    local failure = word == "fault" and (PRONOUNS_OF_THINGS[previous] or previous == "its"
        or (previous == "is" and list[index - 2] == "it"))
    -- "I need it reset", "can I get it unlocked", "can it be switched to mine": the pronoun
    -- before the verb.
    -- "Jo wants it changed in payroll": a record changed, with the pronoun before the verb.
    local before = not pronoun and not failure and PRONOUNS_OF_THINGS[previous]
        and (GRANT_VERBS[word] or word == "change" or word == "update")
        and (NEEDS[list[index - 2] or ""] or list[index - 2] == "get" or list[index - 2] == "have")
    new_value = new_value or (before and not GRANT_VERBS[word])
    if not pronoun and not failure and not before and previous == "be"
            and (GRANT_VERBS[word] or word == "change") and PRONOUNS_OF_THINGS[list[index - 2] or ""]
            and ABILITY[list[index - 3] or ""] then
        before, index = true, index - 1
    end
    if not (pronoun or failure or before) then
        return nil
    end
    -- "Can I get a new one", "set me a new one", "need a new one".
    local another = (word == "get" or word == "set" or word == "need") and pronoun
        and list[pronoun] == "newone" and not SUBJECTS[previous]
    -- "Keyboard" above "I can't type my password, need a new one": the new one is the device
    -- the ticket is about.
    if another and word ~= "get" and in_summary(document, DEVICES) then
        return nil
    end
    if before then
        index = index - 1
    elseif not failure and not another
            and (not (GRANT_VERBS[word] or FACTOR_WORDS[word] or HANDING_VERBS[word]
                or word == "restore" or new_value)
            or not imperative(document, index) or negated(document, index, true)) then
        return nil
    end
    for at = index - 1, math.max(1, index - PRONOUN_REACH), -1 do
        local other = list[at]
        -- The phone a second factor is tied to is passed over ("the two-step login is tied
        -- to Keith's phone. Can it be switched to mine?").
        if (DEVICES[other] and not find_in_sentence(document, at, "mfa factor", 12, 0))
                or LOCKED_THINGS[other] or SWITCHED_THINGS[other] then
            return nil
        end
        local kind = OBJECTS[other]
        -- A failure passes over what fails to take it ("the VPN says it's wrong").
        if kind ~= nil and not document.noise[at] and not (failure and not SIGN_IN_KINDS[kind])
                then
            -- Clearing or removing is a request only for a second factor, and restoring only
            -- for an account ("it got suspended, can you restore it"), where a file restored
            -- is the writer's own.
            local reason = reason_near(document, at, kind)
            -- A new value is given only to a record on file ("change it to my new number").
            if reason == nil or (FACTOR_WORDS[word] and not GRANT_VERBS[word]
                    and reason ~= "mfa_reset") or (word == "restore" and kind ~= "account")
                    or (new_value and reason ~= "contact_change" and reason ~= "payment_change")
                    then
                return nil
            end
            return {index = at, reason = reason, failure = failure}
        end
    end
    return nil
end

-- True when the mail at index is someone else's ("Tom's emails", "his emails", "the mails of
-- Peter") and no forwarding verb before it makes it a forward ("forwarding of his emails").
local function someone_elses_mail(document, index)
    local list = document.words
    local before = list[index - 1] or ""
    local owned = before == "'s" or THIRD_OWNERS[before]
        or (list[index + 1] == "of" and document.capitalised[index + 2])
    return owned and not find_in_sentence(document, index, FORWARD_VERBS, 5, 0)
end

--[[
Returns the hit of mail carried to a new place at index, or nil: a verb of CARRY.verbs, then
"to" or "in" a few words on, then an end of CARRY.ends or a name ("can everything that comes to
my work address go to my Gmail", "all her incoming mail sent on to him"), with mail named in its
sentence and a request before it. Or the writer put on copy of mail that is not theirs ("could I
be cc'd on everything in Liam's inbox"). A removal or a negation before the verb ("stop my mail
going to my Gmail") asks for nothing.
]]
local function mail_route(document, index, word)
    local list = document.words
    if CARRY.copy[word] then
        local mail = find_in_sentence(document, index, MAIL_WORDS, 0, 6)
        local asked = imperative(document, index)
            or find_in_sentence(document, index, CARRY.requests, 4, 0)
        local others = mail and (list[mail] == "everything" or list[mail - 1] == "'s"
            or THIRD_OWNERS[list[mail - 1] or ""] or CARRY.arriving[list[mail - 1] or ""])
        if others and asked and not negated(document, index, false) then
            return hit(document, "mail_forwarding", mail, index, true)
        end
        return nil
    end
    -- "The email I sent to Tom": the writer reports what they did.
    if SUBJECTS[list[index - 1] or ""] or SELF_ACTION[list[index - 1] or ""] then
        return nil
    end
    -- "Send" takes the mail first ("send all mail of me to my private address").
    local link = word == "send" and find_in_sentence(document, index, INTO, 0, 6) or nil
    for offset = 1, link and 0 or 3 do
        local next_word = list[index + offset]
        if next_word == nil or not CARRY.links[next_word] then
            break
        end
        if INTO[next_word] or next_word == "2" or next_word == "in" or next_word == "onto" then
            link = index + offset
            break
        end
    end
    if link == nil then
        return nil
    end
    local destination = nil
    for at = link + 1, link + 6 do
        local next_word = list[at] or "|"
        if next_word == "|" then
            break
        end
        -- An address a few words on: "go to my phone email jo@mail.example", "goes to our
        -- provider at ap@ledger.example". "Send the email to jo@..." sends one message, so
        -- "send" needs all of the mail, before it or between it and "to" ("send everything
        -- to"), and not from a device ("send everything from the scanner to").
        if next_word == "mailaddress" and (word ~= "send"
                or (find_in_sentence(document, index, CARRY.every, 8, link - index)
                    and not find_in_sentence(document, index, DEVICES, 0, link - index))) then
            destination = at
            break
        end
        -- "my new one", "my new address", but not "my new laptop".
        if at <= link + 3 and (CARRY.ends[next_word] or PEOPLE[next_word] or (next_word == "new"
                and not find_in_sentence(document, at, DEVICES, 0, 2))
                or (document.capitalised[at] and list[at - 1] == "to")) then
            destination = at
            break
        end
    end
    if destination == nil then
        return nil
    end
    -- The mail is named before the verb ("can my work emails come thru"), or after "send"
    -- ("send all mail of me to").
    local mail = find_in_sentence(document, index, MAIL_WORDS, 8, 0)
        or find_in_sentence(document, index, CARRY.arriving, 8, 0)
    if mail == nil and word == "send" then
        mail = find_in_sentence(document, index, MAIL_WORDS, 0, link - index)
    end
    -- The request may be in the sentence before ("Need a transport rule: anything to sales@
    -- goes to ap@ledger.example").
    local asked = find_in_sentence(document, index, CARRY.requests, 14, 0)
        or (imperative(document, index) and index or nil)
        or (list[destination] == "mailaddress"
            and find_near(document, index, CARRY.requests, 10, 0) or nil)
    if mail == nil or asked == nil or find_in_sentence(document, index, FORWARD_ENDS, 8, 0)
            or find_in_sentence(document, index, "not", index - math.min(mail, asked), 0) then
        return nil
    end
    return hit(document, "mail_forwarding", mail, index, true)
end

-- Returns the hit of a request that a verb or a marker word at index makes, or nil.
local function verb_request(document, index, word)
    local list = document.words

    local earlier = pronoun_object(document, index, word)
    if earlier then
        return hit(document, earlier.reason, earlier.index, index, not earlier.failure)
    end
    -- "Tom is missing from the Managers group": a member to add, unless a file or a device is.
    if word == "missing" and list[index + 1] == "from" then
        local target = find_in_sentence(document, index, CONTAINERS, 0, 5)
        if target and not find_in_sentence(document, index, FILE_WORDS, 4, 0)
                and not find_in_sentence(document, index, DEVICES, 4, 0) then
            return hit(document, "access_grant", target, index, false)
        end
    end
    if word == "get" or word == "set" or word == "setup" or word == "hook" then
        -- "Please get Dan onto Xero", "can you set Jim up on Sage", "can Mark get onto the HR
        -- system", "Rachel needs setting up on our systems": a person put on a system, asked
        -- for. A device after it makes it hardware ("set me up with a new laptop").
        local person = index + 1
        local named = PEOPLE[list[person] or ""] or document.capitalised[person]
        if not named and word == "get" then
            person = index - 1
            named = PEOPLE[list[person] or ""] or document.capitalised[person]
        elseif not named and word == "setup" and NEEDS[list[index - 1] or ""] then
            -- A name that opens the sentence has no capital flag, so any word there but a
            -- device or a pronoun of things counts.
            person = index - 2
            local subject = list[person] or "|"
            named = PEOPLE[subject] or document.capitalised[person]
                or ((list[person - 1] or "|") == "|" and subject ~= "|"
                    and not DEVICES[subject] and not PRONOUNS_OF_THINGS[subject])
        elseif not named and word == "setup" and list[index - 1] == "be" then
            -- "Can Jo be set up on Xero?": the person before "be".
            person = index - 2
            named = PEOPLE[list[person] or ""] or document.capitalised[person]
        end
        local asked = imperative(document, index) or NEEDS[list[index - 1] or ""]
            or find_in_sentence(document, index, "can could may canyou", 3, 0)
        -- "Can you get her set up for the 14th?": a person set up, which is a new account unless
        -- kit follows ("get him set up with a laptop").
        if word == "get" and asked and named and list[person + 1] == "setup"
                and not find_in_sentence(document, person, DEVICES, 0, 6)
                and not find_in_sentence(document, person, "with on onto", 0, 3) then
            return hit(document, "new_account", person, index, true)
        end
        local place = asked and named and find_in_sentence(document, math.max(index, person),
            (word == "set" or word == "hook") and "up" or "onto into on", 0, 2)
        -- "Get Tom onto the training course" books a place, not a sign-in.
        if place and find_in_sentence(document, place, TOPIC_NOUNS, 0, 4) then
            place = nil
        end
        if place and not find_in_sentence(document, place, DEVICES, 0, 4)
                and not find_in_sentence(document, place, "monitor desk kit headset", 0, 4) then
            return hit(document, "access_grant", place, index, true)
        end
        -- "Set up Ben with a laptop, email and a Xero login": a sign-in in a list of kit.
        local kit_list = word == "setup" and named and asked
            and find_in_sentence(document, math.max(index, person), "with", 0, 2)
        local sign_in = kit_list and find_in_sentence(document, kit_list, DEVICES, 0, 4)
            and find_in_sentence(document, kit_list, "email login account", 0, 10)
        if sign_in then
            return hit(document, "new_account", sign_in, index, true)
        end
    end
    if word == "unlock" and find_in_sentence(document, index, LOCKED_THINGS, 0, 3) then
        -- "Unlock the file", "unlock the spreadsheet": a locked document, not an account.
        return nil
    elseif word == "reenable" and (find_in_sentence(document, index, LOCKED_THINGS, 0, 3)
            or find_in_sentence(document, index, SWITCHED_THINGS, 0, 3)
            or (find_in_sentence(document, index, DEVICES, 8, 0)
                and not find_in_sentence(document, index, "account login", 8, 0))) then
        -- "Re-enable the validation rule": a setting, not an account. "The printer went off,
        -- can you turn it back on": a device named before, with no account between.
        return nil
    elseif REQUEST_OBJECTS[word] then
        -- Strong only after a request marker ("please unlock"), or for "unlock" opening a
        -- sentence, so a notice that an account "was locked out" or someone "wants to access" a
        -- file can still be explained away.
        local asked = imperative(document, index)
        if word ~= "unlock" then
            asked = find_in_sentence(document, index, REQUEST_MARKERS, 4, 0) ~= nil
        end
        -- "Please remove their domain from the spam filter": the removal is the request.
        local verb = word == "blockrelease"
            and find_in_sentence(document, index, "remove delete take clear", 6, 0)
        if verb then
            return hit(document, REQUEST_OBJECTS[word], index, verb, imperative(document, verb))
        end
        return hit(document, REQUEST_OBJECTS[word], index, nil, asked)
    elseif GRANTED_OBJECTS[word] then
        local verb = find_in_sentence(document, index, GRANT_VERBS, WINDOW, WINDOW)
        -- "Can I have a role on the dashboard": "can I have" or "I'd like" before it.
        local role_verb = find_in_sentence(document, index, ROLE_VERBS, WINDOW, WINDOW)
            or find_in_sentence(document, index, "request", WINDOW, 0)
        -- "Can Kim be an owner of the Ops team?", "I need to be owner of the Teams": the role
        -- asked for with "be".
        local be = not role_verb and find_in_sentence(document, index, "be", 3, 0)
        if be and (find_in_sentence(document, be, "can could may", 3, 0)
                    or (list[be - 1] == "to" and set_of("need want like")[list[be - 2] or ""]))
                and not SUBJECTS[list[be - 2] or ""] then
            role_verb = be
        end
        -- "Please put Maria as approver", "name me as the owner": a person put in the role.
        local as = list[index - 1] == "as" and index - 1
            or (list[index - 2] == "as" and set_of("a an the")[list[index - 1]] and index - 2)
        if not role_verb and as then
            role_verb = find_in_sentence(document, as, "put name appoint nominate", 4, 0)
        end
        -- A room changes no one's entry ("the UPS in the comms room switched to battery"), and
        -- a role word that names a product is no role ("Adobe Reader").
        if word == "premises" then
            role_verb = nil
        end
        -- "Raise my approval limit", "switch off the second approver on the bank portal": a
        -- control on payments loosened lets one person move more money alone, where adding
        -- or lowering one grants nothing.
        if word == "paycontrol" then
            verb = find_in_sentence(document, index,
                "raise increase upgrade lift double disable remove bypass skip waive suspend",
                WINDOW, WINDOW)
            role_verb = nil
            if verb and negated(document, verb, true) then
                verb = nil
            end
        end
        -- A bare card is a payment card where billing is near ("swap the card on our billing",
        -- "the card on our travel profile").
        if word == "card" and not find_near(document, index,
                "billing subscription payment invoice invoices bankdetail bill bills pay pays "
                .. "travel profile", 12, 12) then
            return nil
        end
        -- A role word that owns something names a person, not a role given ("the account
        -- manager's details"), and a meeting's owner has no role on anyone's data.
        if list[index + 1] == "'s" then
            return nil
        end
        if word == "owner"
                and find_in_sentence(document, index, "meeting meetings event", 3, 3) then
            return nil
        end
        -- A firewall counts as a control let past ("allow it through the firewall", "a firewall
        -- rule"), not as a device bought or replaced.
        if word == "firewall" and not find_in_sentence(document, index,
                "allow open add port rule exception allowlist through", WINDOW, WINDOW) then
            return nil
        end
        -- A signature's words ask for nothing ("Sophie Grant | Account Manager").
        if verb and document.noise[verb] then
            verb = nil
        end
        if (verb == nil and role_verb == nil) or PRODUCT_MAKERS[list[index - 1] or ""] then
            return nil
        end
        return hit(document, reason_near(document, index, GRANTED_OBJECTS[word]), index,
            verb or role_verb, verb ~= nil)
    elseif word == "install" then
        -- "Is it possible for me to be able to install programs myself", "could you let me
        -- install things": the right to install, which is an administrator's. "Can I install
        -- it myself?" asks what is allowed and stays a question.
        local before = list[index - 1]
        local able = (before == "to" and set_of("able allow")[list[index - 2] or ""])
            or (set_of("me us")[before or ""] and set_of("let allow")[list[index - 2] or ""])
        local asked = able
            and find_in_sentence(document, index, "possible canyou request need want please", 10, 0)
        if not asked then
            return nil
        end
        -- Asked as a question, it is still for IT to grant (see explained_by_words).
        local found = hit(document, "admin_rights", index, asked, true)
        found.install_right = true
        return found
    elseif word == "licence" or word == "seat" then
        -- "Can we get Mia a licence for Pipedrive? She's never been on it": the seat that lets
        -- a person sign in to a system for the first time is a new account. A licence for an
        -- account the person has is not, nor a seat taken off someone who never used it.
        local asked = find_in_sentence(document, index, REQUEST_WORDS, WINDOW, 0)
        if find_in_sentence(document, index, "remove revoke disable delete cancel off release",
                WINDOW, WINDOW) then
            asked = nil
        end
        local never = asked and find_near(document, index, "not", 0, 4 * WINDOW)
        if never and set_of("been had used")[list[never + 1] or ""]
                and not negated(document, asked, false)
                and not find_in_sentence(document, index, DEVICES, WINDOW, WINDOW)
                and not find_in_sentence(document, never, DEVICES, 0, 8) then
            return hit(document, "new_account", index, asked, true)
        end
        return nil
    elseif word == "same" or word == "whatever" then
        -- The access another person holds, asked for: "can I have the same as Jane", "set him
        -- up the same as the other site managers", "wants whatever Jane has got". A device
        -- after it ("the same laptop as Tom") or a fault in its sentence ("same as Jane, Outlook
        -- crashes") is not access.
        local person = index + 1
        if set_of("the my our")[list[person] or ""] then
            person = person + 1
        end
        if list[person] == "other" then
            person = person + 1
        end
        local named = document.capitalised[person] or THIRD_OWNERS[list[person] or ""]
        for at = person, person + 2 do
            local noun = (list[at] or ""):gsub("s$", "")
            named = named or PEOPLE[noun] or GROUPS_OF_PEOPLE[noun]
        end
        -- "Same as Laura's" names a thing of Laura's, unless access is named.
        if list[person + 1] == "'s"
                and not find_in_sentence(document, index, "access rights permission", 4, 4) then
            named = nil
        end
        if not named or find_in_sentence(document, index, DEVICES, 0, 6)
                or find_in_sentence(document, index, SWITCHED_THINGS, 0, 6)
                or find_in_sentence(document, index, "fault malfunction cant", 8, 8) then
            return nil
        end
        local asked
        if word == "whatever" then
            asked = find_in_sentence(document, person, "has had got", 0, 2)
                and find_in_sentence(document, index, "need want request canyou cani please", 4, 0)
        else
            asked = index <= document.summary_end or imperative(document, index)
                or find_in_sentence(document, index, "need want request cani canyou setup set give",
                    8, 0)
                or find_in_sentence(document, index, "please", 0, 6)
        end
        return asked and hit(document, "access_grant", index, index, true) or nil
    elseif word == "setup" or word == "create" or (word == "make"
            and find_in_sentence(document, index, "email mailbox emailaddress", 0, 2)) then
        -- "Set up email for our new part-timer", "make email for my brother": a mailbox for
        -- someone. "Create user for Mr Jansen": a user for someone.
        local mail = find_in_sentence(document, index, "email mailbox emailaddress user", 0, 4)
        -- "Create me a report of users" makes a report.
        if mail and list[mail - 1] ~= "of"
                and (find_in_sentence(document, mail, "for", 0, 3) or PEOPLE[list[index + 1] or ""])
                then
            return hit(document, "new_account", mail, index, true)
        end
    elseif HANDOVER_VERBS[word] and find_in_sentence(document, index, OWNERS, 0, 6)
            and (find_in_sentence(document, index, FILE_WORDS, 0, 8)
                or find_in_sentence(document, index, "mailbox", 0, 8)) then
        -- "Copy all of Rachel's files to my OneDrive": someone's data handed to another. "Send
        -- me a copy of everything in Martin's OneDrive": an export of it asked for.
        local to = find_in_sentence(document, index, "to", 0, 8)
        if to == nil and list[index - 1] == "a"
                and find_in_sentence(document, index, REQUEST_WORDS, 4, 0) then
            to = index
        end
        return to and hit(document, "access_grant", to, index, true) or nil
    elseif FORWARD_VERBS[word] then
        -- "forward my emails to", "copy all my emails to my home address", but not "stop
        -- forwarding my emails", "emails I forward to clients" or "forwarding this email", where
        -- the writer does the forwarding.
        if find_in_sentence(document, index, FORWARD_ENDS, 3, 0)
                or SUBJECTS[list[index - 1] or ""] or THIS_MAIL[list[index + 1] or ""] then
            return nil
        end
        -- "A client forwarded us an email from": one message that someone has already sent on.
        local article = CARRY.receivers[list[index + 1] or ""] and index + 2 or index + 1
        if CARRY.one_message[list[article] or ""] and list[article + 1] == "email" then
            return nil
        end
        -- "An inbox rule that forwards mail externally was created by": an alert that reports
        -- a rule, not a request for one. "Remove the rule that forwards remittances" removes it,
        -- and "I noticed a rule in my Outlook that forwards invoices" reports a rule found.
        if (list[index - 1] == "that" or list[index - 1] == "which")
                and (find_in_sentence(document, index, "was were been detected", 0, 6)
                    or find_in_sentence(document, index,
                        "remove delete disable stop cancel turn", 6, 0)
                    or find_in_sentence(document, index, "noticed found spotted discovered",
                        10, 0)) then
            return nil
        end
        -- A negation earlier in its clause: "make sure none of his emails are forwarded".
        for at = index - 1, math.max(1, index - 8), -1 do
            local before = list[at]
            if before == "|" or CLAUSE_OPENERS[before] then
                break
            elseif before == "not" then
                return nil
            end
        end
        -- A form's field left empty: "Forward email to: (none)".
        if find_near(document, index, "not", 0, 4) and list[index - 1] == "|" then
            return nil
        end
        -- "Forward all of the finance director's email to me" names the mail a few words on,
        -- and a form's field names it on the line before ("Email: forward to Sue").
        local mail = find_in_sentence(document, index, MAIL_WORDS, 4, 8)
        if mail == nil and list[index - 1] == "|" and MAIL_WORDS[list[index - 2] or ""]
                and list[index + 1] == "to" then
            mail = index - 2
        end
        -- "Forward all to: jo@mail.example" in a form, or "please forward everything to" an
        -- address: all of the mail, which needs no name, sent to an address. A form's value may
        -- stand after the field's colon.
        local to = index + 1
        while CARRY.all[list[to] or ""] and to < index + 4 do
            to = to + 1
        end
        local value = list[to + 1] == "|" and to + 2 or to + 1
        if mail == nil and word ~= "copy" and list[to] == "to" and list[value] == "mailaddress"
                and ((list[index - 1] == "|" and not document.question[index])
                    or (to > index + 1 and imperative(document, index))) then
            mail = value
        end
        -- "Forwarding to my gmail until I'm back please": a mailbox outside the company names
        -- what is forwarded, since only mail goes there, when the sentence asks for it and
        -- reports no fault or end of it ("forwarding to my gmail stopped").
        if mail == nil and word ~= "copy" then
            local to = find_in_sentence(document, index, INTO, 0, 4)
            local outside = to and find_in_sentence(document, to, CARRY.mailboxes, 0, 3)
            -- A summary ("Forwarding to gmail") names a topic unless its sentence asks.
            if outside and ((index > document.summary_end and imperative(document, index))
                    or find_in_sentence(document, index, CARRY.requests, 8, 12))
                    and not find_in_sentence(document, index, CARRY.forward_faults, 0, 12) then
                mail = outside
            end
        end
        -- "Set a rule so anything from the board gets forwarded to my PA": mail named by what
        -- arrives, sent on to a person, in a sentence that requests it.
        if mail == nil and word ~= "copy" then
            local arriving = find_in_sentence(document, index, CARRY.arriving, 6, 0)
            local to = arriving and find_in_sentence(document, index, INTO, 0, 2)
            local person = to and (find_in_sentence(document, to, DELEGATES, 0, 3)
                or find_in_sentence(document, to, PEOPLE, 0, 3)
                or find_in_sentence(document, to, CARRY.ends, 0, 3))
            if person and find_in_sentence(document, index, CARRY.requests, 14, 0) then
                mail = arriving
            end
        end
        if word == "copy" and not (mail and mail > index
                and find_in_sentence(document, mail, "to", 0, 3)) then
            return nil
        end
        return mail and hit(document, "mail_forwarding", mail, index, true) or nil
    elseif word == "letin" then
        -- "Outlook won't let me in": a sign-in that fails for the writer. "Can you let me into
        -- the Board site": a place asked for.
        local failure = find_in_sentence(document, index, NEGATORS_AND_FAILURE, 2, 0)
        -- "Ellie has to be able to let herself in the front door": entry to premises, whether
        -- asked for or failing with a card.
        local door = find_in_sentence(document, index, DOOR_WORDS, 0, 4)
        if door then
            return hit(document, "physical_access", door, index, not failure)
        end
        local target = not failure and imperative(document, index)
            and find_in_sentence(document, index, CONTAINERS, 0, 5)
        if target then
            return hit(document, "access_grant", target, index, true)
        end
        return failure and hit(document, "password_reset", index, failure, false) or nil
    elseif word == "map" then
        -- "Please map the Finance drive for Karen", and "Jo needs the P drive mapped": a drive or
        -- share mapped on request.
        local target = find_in_sentence(document, index, CONTAINERS, 0, 4)
        local asked = target and imperative(document, index)
        if target == nil then
            target = find_in_sentence(document, index, CONTAINERS, 4, 0)
            asked = target and find_in_sentence(document, target, NEEDS, 4, 0)
        end
        if not asked then
            return nil
        end
        local found = hit(document, "access_grant", target, index, true)
        found.imperative = true
        return found
    elseif (word == "give" or word == "join") and (PEOPLE[list[index - 1] or ""]
            or document.capitalised[index - 1] or list[index - 1] == "be"
            or list[index - 1] == "to" or PEOPLE[list[index + 1] or ""]
            or document.capitalised[index + 1]) then
        -- "Can Ana be given the Payroll share?", "give Tom the Sales folder", "would it be ok for
        -- Priya to join the Directors channel": a container handed to a person, asked for.
        local target = find_in_sentence(document, index, CONTAINERS, 0, 5)
        local asked = imperative(document, index) or NEEDS[list[index - 1] or ""]
            or find_in_sentence(document, index, "can could may canyou cani request ok", 6, 0)
        -- "Give me a number in Teams" hands over something else, in the container.
        if target and asked and not negated(document, index, true)
                and not set_of("in on at for")[list[target - 1] or ""]
                and not find_in_sentence(document, index, DEVICES, 0, target - index)
                and not NOT_CONTAINERS[list[target + 1] or ""] then
            return hit(document, "access_grant", target, index, true)
        end
        return nil
    elseif word == "make" and (PEOPLE[list[index + 1] or ""] or document.capitalised[index + 1])
            then
        -- "Make Harriet a manager on the rota system", "make Nadia Hussein an adviser in Xero":
        -- a role on a system given to a person, named in one or two words.
        local role = document.capitalised[index + 2] and index + 4 or index + 3
        if set_of("a an the")[list[role - 1] or ""]
                and set_of("manager supervisor moderator lead adviser advisor")[list[role] or ""]
                and imperative(document, index)
                and find_in_sentence(document, role, "on in of for", 0, 2) then
            return hit(document, "access_grant", role, index, true)
        end
        return nil
    elseif (word == "put" or word == "use")
            and set_of("longnumber mailaddress")[list[index + 1] or ""]
            and find_in_sentence(document, index, "instead", 0, 4) then
        -- "The phone number you have for me is my old one. Please put 07700 900359 instead": a
        -- new value for the contact record named before.
        local record = find_near(document, index,
            "phonenumber recoverycontact emailaddress mobile", PRONOUN_REACH, 0)
        return record and hit(document, "contact_change", record, index,
            imperative(document, index)) or nil
    elseif word == "put" then
        -- "Put Alan in the Finance group": a person, then the container.
        if not (PEOPLE[list[index + 1] or ""] or document.capitalised[index + 1]) then
            return nil
        end
        local target = find_in_sentence(document, index, CONTAINERS, 0, 6)
        -- "I was removed from the Sales group, can you put me back": the container named
        -- before.
        if target == nil and list[index + 2] == "back" then
            for at = index - 1, math.max(1, index - PRONOUN_REACH), -1 do
                if CONTAINERS[list[at]] then
                    target = at
                    break
                end
            end
        end
        return target and hit(document, "access_grant", target, index, true) or nil
    elseif VIEW_VERBS[word] then
        -- "Can Sam see the Contracts folder?", "I need to be able to open the HR folder": the
        -- writer or someone named asks to reach a container. "Can you open the folder" asks IT
        -- to look, so "can you" and "please" do not count here.
        local target = find_in_sentence(document, index, CONTAINERS, 0, 4)
        -- "Tom to be able to see her inbox": someone else's mail or calendar. "Her mailbox, can
        -- Nikhil open it": the mail named before the pronoun.
        -- "Able to see and book into the valuations calendar": two verbs joined before it.
        local mail = find_in_sentence(document, index, "mailbox calendar", 0,
            list[index + 1] == "and" and 6 or 3)
        -- "See and answer my boss's emails": mail that a person before it owns.
        local email = mail == nil and find_in_sentence(document, index, "email", 0, 7)
        if email then
            local owner = list[email - 1] or ""
            if owner == "'s" or owner == "her" or owner == "his" or owner == "their"
                    or PEOPLE[(owner:gsub("s$", ""))] or PEOPLE[(owner:gsub("es$", ""))] then
                mail = email
            end
        end
        if mail == nil and target == nil and PRONOUNS_OF_THINGS[list[index + 1] or ""] then
            mail = find_in_sentence(document, index, "mailbox calendar", 6, 0)
        end
        local reason = "access_grant"
        if target == nil and mail and list[mail - 1] ~= "my" then
            target, reason = mail, "mail_delegation"
        end
        local asked = find_in_sentence(document, index, VIEW_REQUESTS, 4, 0)
        -- "I can see the folder now" states what works.
        if asked and ABILITY[list[asked]] and SUBJECTS[list[asked - 1] or ""] then
            asked = nil
        end
        if target == nil or asked == nil or negated(document, index, true) then
            return nil
        end
        -- "Can Nikhil open her mailbox": a person named before the verb is given someone
        -- else's mail, even in a leaver's ticket that removes everything else.
        local person = list[index - 1] or ""
        return hit(document, reason, target, index, reason == "mail_delegation"
            and ABILITY[list[asked]] and asked == index - 2
            and (document.capitalised[index - 1] or PEOPLE[person]) and not SUBJECTS[person])
    elseif CARRY.any[word] then
        local route = mail_route(document, index, word)
        if route or not CARRY.route[word] or list[index + 1] ~= "to" then
            return route
        end
        -- "Can her emails come to me while she is off?": mail sent on to a person.
        local mail = find_in_sentence(document, index, MAIL_WORDS, 3, 0)
        local asked = find_in_sentence(document, index, CARRY.requests, 8, 0)
        local person = list[index + 2] or ""
        local outside = person == "my" and CARRY.outside[list[index + 3] or ""]
        -- "go to our external bookkeeper"
        local named = find_in_sentence(document, index + 1, PEOPLE, 0, 3)
            or find_in_sentence(document, index + 1, "external outside", 0, 2)
        if mail and asked and (PEOPLE[person] or person == "mailaddress" or outside or named
                or document.capitalised[index + 2]) then
            return hit(document, "mail_forwarding", mail, index, true)
        end
        return nil
    elseif word == "add" or word == "include" or word == "share" or word == "invite" then
        -- "add me to", "add Tom to the Finance group", "could I be added to"
        local target = word ~= "share" and find_in_sentence(document, index, PEOPLE, 0, 3)
            or find_in_sentence(document, index, CONTAINERS, 0, 6)
        -- "Add the holidays to the team site", "add a column to the list": a thing that opens
        -- with "the" or "a" goes into the container, unless people or a name are in it.
        local to = target and word ~= "share" and CONTAINERS[list[target]]
            and set_of("the a an some our this these all")[list[index + 1] or ""]
            and find_in_sentence(document, index, INTO, 0, target - index)
        if to and not find_in_sentence(document, index, GROUPS_OF_PEOPLE, 0, to - index) then
            local named = false
            for at = index + 1, to - 1 do
                named = named or document.capitalised[at] or list[at] == "mailaddress"
            end
            target = named and target or nil
        end
        -- "Add the new sales reps to the Sales DL": people, then the container right after "to".
        local into = target == nil and find_in_sentence(document, index, INTO, 0, 8)
        if into and find_in_sentence(document, index, GROUPS_OF_PEOPLE, 0, into - index) then
            target = find_in_sentence(document, into, CONTAINERS, 0, 3)
        end
        -- "Add bwilson to the Finance-RW AD group", "add jo@acme.example to the sales list": one
        -- word, a user name or an address, then "to" and a group a few words on. Other
        -- containers take other things ("add the holidays to the team site").
        local added = list[index + 1] or "|"
        if target == nil and word == "add" and list[index + 2] == "to"
                and not (DEVICES[added] or FILE_WORDS[added] or LOCKED_THINGS[added]
                    or NOT_CONTAINERS[added] or PRONOUNS_OF_THINGS[added]
                    or set_of("| this that these those")[added]) then
            target = find_in_sentence(document, index + 2,
                added == "mailaddress" and CONTAINERS or "group", 0, 5)
        end
        -- "Take Jane off the finance group and add Tom Hughes to it": a name, then "to it" for
        -- the container named before.
        if target == nil and word == "add" and document.capitalised[index + 1] then
            local it = find_in_sentence(document, index, INTO, 0, 4)
            if it and PRONOUNS_OF_THINGS[list[it + 1] or ""] then
                target = find_in_sentence(document, index, CONTAINERS, 12, 0)
            end
        end
        -- "Invite Carla from the agency to the Marketing channel": a name, then the container.
        -- "Add Jen as a user in HubSpot": a name, then the role.
        if target == nil and word ~= "share" and document.capitalised[index + 1] then
            target = find_in_sentence(document, index, CONTAINERS, 0, 9)
            local as = target == nil and find_in_sentence(document, index, "as", 0, 4)
            if as then
                target = find_in_sentence(document, as, ROLE_NOUNS, 0, 2)
            end
        end
        -- "Add our new rep Hussein to sales-team@", "add Mick Lowe (new driver supervisor) to
        -- the drivers email list": a person named before "to", then a list, a group or its
        -- address.
        local into_list = target == nil and word == "add"
            and find_in_sentence(document, index, INTO, 0, 10)
        if into_list then
            local named = false
            for at = index + 1, into_list - 1 do
                -- "Add Tom's new number to the list" adds a thing of Tom's.
                if list[at] == "'s" then
                    named = false
                    break
                end
                named = named or document.capitalised[at] or PEOPLE[list[at]]
                    or GROUPS_OF_PEOPLE[list[at]]
            end
            if named and (list[into_list + 1] == "mailaddress"
                    or find_in_sentence(document, into_list, "group list", 0, 5)) then
                target = into_list + 1
            end
        end
        -- "Could I be added to ...": the writer requests access for themselves.
        if target == nil and word ~= "share"
                and find_in_sentence(document, index, "cani request", 3, 0) then
            target = find_in_sentence(document, index, INTO, 0, 1)
        end
        -- "Add Lee to the stores cage door": a person let through a door.
        local person = PEOPLE[list[index + 1] or ""] or document.capitalised[index + 1]
        local into_door = target == nil and word == "add" and person
            and find_in_sentence(document, index, INTO, 0, 6)
        local door = into_door and find_in_sentence(document, into_door, DOOR_WORDS, 0, 4)
        if door then
            return hit(document, "physical_access", door, index, true)
        end
        -- "Add me to the printer on floor 3": a device, not a group.
        if target == nil or find_in_sentence(document, index, DEVICES, 0, target - index)
                or find_in_sentence(document, target, DEVICES, 0, 2) then
            return nil
        end
        -- "Add the session to the team calendar": the container names whose calendar it is.
        local after_target = list[target + 1] or ""
        if word ~= "share" and PEOPLE[list[target]] == nil and NOT_CONTAINERS[after_target] then
            return nil
        end
        -- Sharing counts when it is with someone: "share the folder with our client".
        if word == "share" and not find_in_sentence(document, target, "with", 0, 4) then
            return nil
        end
        return hit(document, "access_grant", target, index, true)
    elseif word == "mailbox" or word == "calendar" or word == "delegate"
            or (word == "email" and (someone_elses_mail(document, index)
                or list[index - 1] == "my")) then
        -- Someone else's mailbox, calendar or mail ("Can I see Tom's emails?"), but not a part
        -- of how it looks ("everyone's email signature").
        local verb = find_in_sentence(document, index, REQUEST_WORDS, WINDOW, WINDOW)
        -- "Add the team lunch to the shared calendar": "shared" names the calendar and asks for
        -- nothing, and what is added is an event unless a person is between.
        if verb == index - 1 and list[verb] == "share" then
            verb = find_in_sentence(document, verb, REQUEST_WORDS, WINDOW - 1, 0)
                or find_in_sentence(document, index, REQUEST_WORDS, 0, WINDOW)
        end
        if verb and verb < index and list[verb] == "add" and word == "calendar"
                and not find_in_sentence(document, verb, PEOPLE, 0, index - verb) then
            verb = nil
        end
        -- "My calendar" or "my emails" is someone else's to reach when another person acts on
        -- it ("can my new PA edit my calendar", "let Sarah read my emails").
        local mine = find_near(document, index, "my", 2, 0)
        local reach = mine and find_in_sentence(document, mine, VIEW_VERBS, 2, 0)
        if reach and (find_in_sentence(document, index, DELEGATES, 6, 0)
                or document.capitalised[reach - 1]) then
            mine = nil
            verb = verb or reach
        end
        -- "Share my calendar with Amy": someone else reaches it.
        if mine and verb and list[verb] == "share"
                and find_in_sentence(document, index, "with", 0, 2) then
            mine = nil
        end
        if verb == nil or mine
                or PROFILE_FIELDS[list[index + 1] or ""] or NOT_CONTAINERS[list[index + 1] or ""]
                or (word == "delegate"
                and not find_near(document, index, MAIL_WORDS, WINDOW, WINDOW)) then
            return nil
        end
        -- "Make sure none of his mail goes to him": a negation earlier in the mail's clause.
        for at = index - 1, math.max(1, index - 4), -1 do
            local before = list[at]
            if before == "|" or CLAUSE_OPENERS[before] or at == verb then
                break
            elseif before == "not" then
                return nil
            end
        end
        -- "Her manager needs her emails": someone else's mail handed on, even in a leaver's
        -- ticket that removes everything else.
        -- "Nobody needs his emails" hands nothing on.
        local handed_on = NEEDS[list[verb]] and verb < index and THIRD_OWNERS[list[index - 1] or ""]
            and list[verb - 1] ~= "nobody"
        return hit(document, "mail_delegation", index, verb,
            GRANT_VERBS[list[verb]] == true or handed_on == true)
    elseif word == "pay" then
        -- "Please pay my expenses to my savings account", "pay my salary into the new
        -- account": money of the writer's sent to an account named now, asked for.
        local money = find_in_sentence(document, index, "salary wages expenses pay payment", 0, 3)
        local into = money and find_in_sentence(document, money, "to into", 0, 2)
        local account = into and find_in_sentence(document, into, "account bankdetail", 0, 4)
        if account and (imperative(document, index)
                or find_in_sentence(document, index, REQUEST_MARKERS, 4, 0)) then
            return hit(document, "payment_change", account, index, true)
        end
    elseif word == "accountnumber" and first_of(document, "bankdetail") then
        -- "The sort code is unchanged but the account number changes to ...": in a ticket
        -- about a bank, the account number is the bank's, and a new one is a payment change.
        local change = find_in_sentence(document, index, "change update", 0, 3)
        if change and find_in_sentence(document, change, "to", 0, 2) then
            return hit(document, "payment_change", index, change,
                find_in_sentence(document, change, REQUEST_MARKERS, 4, 0) ~= nil)
        end
    end
    return nil
end

--[[
The request reader. It reads each clause (a sentence, or the part of one after "but", "because"
or "so") for three things: who is asked to act, what act, and on what. A clause asks IT when it
has a request word ("please", "can you", "I need"), asks "can someone", opens with "can",
"could" or "would" ("Could my card also open the barrier?"), or opens the details with an act
on a person ("Set Tom up", "Get Priya into"). The act must suit what it acts on: a password is
reset, sorted or sent, a door is opened or someone let in, a place that holds data is given or
someone is put into it, and so on (KINDS). What it acts on is a sign-in, a role, a door, a card,
bank details, someone else's mailbox, or a person put into a place ("get Priya into the
finance share"). A clause where the three meet asks for something sensitive whatever other
words the ticket uses, so the lists above need not know its exact wording.

The reader finds nothing in a clause that someone else is asked in ("the CEO wants me to
change the bank details", "I'll ask them to add it"), that negates or removes before the act
("don't change anything", "stop the forwarding"), that asks how, or where the writer acts
("reset their own MFA", "can I do it myself"), nor in an object addressed to the reader ("reset
your password"), which is a notice's or a phishing mail's wording.
]]
local read_requests
do
    -- Words that ask IT to act, wherever they stand in the clause.
    local ASKS = words("please canyou cani request need want")
    -- "Can someone", "could anybody": asked of whoever reads the ticket.
    local SOMEONE = words("someone somebody anyone anybody")
    -- Words that open a clause asking for a permission ("can Tom have", "could my card open").
    local OPENING_ASKS = words("can could would")
    -- Words before a request word that make it a noun ("my request", "no need").
    local NOT_ASKING = words("my his her their our your no")
    -- "I'll ask them to", "we told her to": the writer asks someone other than IT. A writer
    -- asked by someone ("he asked me to change his bank details") passes the request on to IT.
    local ASKED_OTHERS = words("ask asked told tell")
    local OTHERS = words("him her them")
    local WRITERS = words("i we ill id im weve ive")
    local WRITER_OBJECTS = words("me us")
    -- Words before the object that take its act away: a negation, a removal or a withdrawn
    -- request ("ignore my request").
    local STOPS = words([[
not never nobody avoid stop remove disable cancel delete revoke resolvedmark anymore
]])
    -- Words anywhere in the clause that make the writer the one who acts, or ask how.
    local SELF = words("myself ourselves own himself herself themselves yourself howq howword")
    local ENDS = words("| but because although though while whereas so")
    -- Words that open a sentence before its first real word.
    local OPENERS = words("hi hello dear hey morning also and then oh")
    local PEOPLE = words("me him her them us")

    -- Each kind of object: its tokens and the acts that ask for it.
    local KINDS = {
        password = {"password pin credential temppassword",
            "reset sort fix give send tell set clear get unlock"},
        factor = {"mfa factor", "reset clear move setup set give send sort fix get"},
        -- A code handed over is a way past a sign-in check ("give me a code to use meanwhile").
        code = {"code", "give send tell"},
        -- A number changed counts only where it is used to check who someone is (CHECKS).
        number = {"phonenumber number mobile", "change update set put"},
        sign_in = {"login account", "unlock reenable extend reset sort fix setup set create make"},
        starter = {"newaccount serviceaccount guestaccount starter joiner",
            "setup set create make add give get sort"},
        right = {"permission rights access role remoteaccess",
            "give grant provide allow add get set put enable extend upgrade"},
        place = {[[share shares folder folders drive drives channel channels sharepoint group groups
            repository module]],
            "give grant provide allow"},
        role = {"admin owner superuser supervisor", "give grant make set put upgrade raise get"},
        pass = {"badge doorcode key pass passes card",
            "give send tell put activate enable programme program set get add extend"},
        door = {"door doors gate gates barrier shutter", "letin let open programme program"},
        mailbox = {"sharedmailbox sendas onbehalf", "give grant add set get put open setup"},
        others_mail = {"mailbox calendar", "give grant add set get put open setup"},
        payment = {"bankdetail bankchange iban payee", "change update set put add pay"},
        contact = {"recoverycontact", "change update set put add"},
    }
    -- Words that make a phone number one used for identity checks or recovery.
    local CHECKS = words([[
check checks verify verification recovery reset callback callbacks code codes
]])
    -- KIND_WORDS lists the objects in a fixed order, so the same objects are read whatever
    -- order pairs gives when a ticket has more than MAX_OBJECTS.
    local KIND_OF, ACTS_OF, ACTS, KIND_WORDS = {}, {}, {}, {}
    for kind, lists in pairs(KINDS) do
        for word in lists[1]:gmatch("%S+") do
            KIND_OF[word] = kind
            KIND_WORDS[#KIND_WORDS + 1] = word
        end
        ACTS_OF[kind] = words(lists[2])
        for word in lists[2]:gmatch("%S+") do
            ACTS[word] = true
        end
    end
    for word in ("forward redirect elsewhere"):gmatch("%S+") do
        ACTS[word] = true
    end
    table.sort(KIND_WORDS)
    local REASONS = {password = "password_reset", factor = "mfa_reset", starter = "new_account",
        right = "access_grant", place = "access_grant", role = "admin_rights",
        pass = "physical_access", door = "physical_access", mailbox = "mail_delegation",
        others_mail = "mail_delegation", payment = "payment_change", contact = "contact_change",
        code = "mfa_reset", number = "contact_change"}
    local UNLOCKS = words("unlock reenable extend")
    local RESETS = words("reset sort fix")
    -- Words before "code" that make it a door's.
    local PREMISES = words("key safe door alarm gate keypad lock building")
    -- Objects that name their own act ("send as", "on behalf").
    local NAMES_ACT = words("sendas onbehalf")
    -- Words that make a card one that pays ("the card that pays for our Adobe subscription").
    local PAYING = words("pay payment subscription subscriptions bill billing debit renew")
    -- Words that make an account or login one the person has ("my existing login").
    local HELD = words("existing same current")
    local RELATIVES = words("who which whose where what")
    -- Words that may stand between "can I get" and what is asked for ("a new fob").
    local FILLERS = words("a an the new my his her their our some spare temporary another")
    -- Words after "give" that make what is given a thing, not a person.
    local THINGS = words("the a an this that it")
    -- Words before a drive that make it a device ("an external hard drive").
    local PORTABLE = words("hard external usb portable flash")
    -- Words before a mailbox or calendar that make it someone else's.
    local OWNERS = words("'s his her their")
    -- Words that put a person inside a place ("get Priya into the share", "add Tom to").
    local INTO = words("into onto in on to")
    local PUTTING = words("get put add let setup set")
    -- Words after "so ... can" that use a place or a record ("so he can approve invoices").
    local USES = words("approve see open access view edit read letin login")
    local SUBJECTS = words("i we he she they hes shes")

    -- How far after the act its object may stand, in tokens.
    local REACH = 10
    -- How far the reader looks from an object for the rest of its clause, in tokens, which
    -- bounds its cost on a long run-on text.
    local LOOK = 24
    -- How many objects of one ticket the reader reads. The lists above still read them all.
    local MAX_OBJECTS = 16

    -- True when a word of set stands in the clause from first to the clause's end, at most
    -- LOOK tokens after last.
    local function clause_has(document, first, last, set)
        local list = document.words
        for position = first, math.min(#list, last + LOOK) do
            local word = list[position]
            if set[word] then
                return true
            elseif position > last and ENDS[word] then
                return false
            end
        end
        return false
    end

    -- Returns the reason of the act at act on the object at index, or nil when the act does
    -- not suit the object.
    local function reason_of(document, act, index)
        local list = document.words
        local word, verb = list[index], list[act]
        if verb == "request" then
            verb = "get"
        elseif verb == "elsewhere" then
            -- "Send me the code" reads as "elsewhere", where a credential goes.
            verb = "send"
        end
        local kind = KIND_OF[word]
        if list[index - 1] == "your" or (kind == "place" and PORTABLE[list[index - 1] or ""]) then
            return nil
        end
        if (verb == "forward" or verb == "redirect")
                and (kind == "others_mail" or kind == "mailbox") then
            return "mail_forwarding"
        end
        -- "Can Sasha have the drives" (read as "get"): a person who gets a place.
        local person_gets = kind == "place" and verb == "get"
            and (document.capitalised[act - 1] or SUBJECTS[list[act - 1] or ""])
        if not ACTS_OF[kind][verb] and not person_gets then
            return nil
        end
        -- "Create me a report of users who log in": the object is in a clause of its own.
        for position = act + 1, index - 1 do
            if RELATIVES[list[position]] then
                return nil
            end
        end
        if kind == "place" and not person_gets and THINGS[list[act + 1] or ""] then
            -- "Give the Finance folder a clearer name" gives the folder nothing.
            return nil
        end
        if word == "card" then
            if clause_has(document, act, index, PAYING) then
                return "payment_change"
            end
            return verb ~= "set" and "physical_access" or nil
        elseif kind == "sign_in" then
            if UNLOCKS[verb] then
                return "account_unlock"
            elseif RESETS[verb] then
                return "password_reset"
            end
            return not clause_has(document, act, index, HELD) and "new_account" or nil
        elseif kind == "others_mail" and not OWNERS[list[index - 1] or ""] then
            return nil
        elseif kind == "role" and (list[index - 1] == "for" or list[index - 2] == "for"
                or list[index - 3] == "for") then
            -- "Keys cut for the new supervisor" names who receives, not a role.
            return nil
        elseif kind == "code" and PREMISES[list[index - 1] or ""] then
            -- "The key safe code", "the alarm code": a code that opens a door.
            return "physical_access"
        elseif kind == "number" then
            return clause_has(document, act, index, CHECKS) and REASONS[kind] or nil
        end
        return REASONS[kind]
    end

    -- True when the word at position makes the writer act: a reflexive, or "own" before what
    -- is acted on or at the end ("reset their own MFA", "do it on my own"), where "on my own
    -- laptop" only says whose laptop.
    local function self_acting(list, position)
        local word = list[position]
        if word ~= "own" then
            return SELF[word] == true
        end
        local next_word = list[position + 1] or "|"
        return KIND_OF[next_word] ~= nil or ENDS[next_word] == true
    end

    -- True when a person follows the act at act ("set Tom up", "get her into"), and not a
    -- thing that a name opens ("add Friday's lunch").
    local function person_after(document, act)
        local next_word = document.words[act + 1] or ""
        return PEOPLE[next_word] or (document.capitalised[act + 1]
            and document.words[act + 2] ~= "'s")
    end

    --[[
    Returns the act's index for the object at index (nil when its clause asks IT for no act on
    it) and whether the clause asks IT at all. The clause is read back from the object to its start (at most LOOK tokens) for the act
    and who is asked, and on to its end for a word that makes the writer act. put_in is true
    for a place a person is put into ("get Priya into the share"), whose act is a PUTTING verb
    before the "into".
    ]]
    local function act_for(document, index, put_in)
        local list = document.words
        local act, asked, start = nil, false, index
        for position = index - 1, math.max(1, index - LOOK), -1 do
            local word = list[position]
            if ENDS[word] then
                break
            end
            start = position
            if STOPS[word] or SELF[word] and self_acting(list, position) then
                return nil
            elseif ASKED_OTHERS[word] and OTHERS[list[position + 1] or ""]
                    and list[position + 2] == "to"
                    and (WRITERS[list[position - 1] or ""] or WRITERS[list[position - 2] or ""]
                        or WRITERS[list[position - 3] or ""]) then
                for other = position, index do
                    document.asked_others[other] = true
                end
                return nil
            elseif word == "want" and WRITER_OBJECTS[list[position + 1] or ""]
                    and list[position + 2] == "to" then
                -- "It wants me to reset my password": the writer is asked, not IT.
                return nil
            elseif ASKS[word] and not NOT_ASKING[list[position - 1] or ""] then
                asked = true
                -- "Can I get", "could we have" read as "request", which asks and acts on what
                -- follows it closely ("can I get a new fob", not "asked us to mark the fob").
                if word == "request" and act == nil and not put_in and index - position <= 3
                        and (index - position == 1 or FILLERS[list[position + 1]])
                        and (index - position < 3 or FILLERS[list[position + 2]]) then
                    act = position
                end
            elseif OPENING_ASKS[word] and SOMEONE[list[position + 1] or ""] then
                asked = true
            elseif act == nil and index - position <= REACH and not document.noise[position]
                    and (put_in and PUTTING[word] and index - position >= 3
                        and person_after(document, position) or not put_in and ACTS[word]) then
                act = position
            end
        end
        while start < index and OPENERS[list[start]] do
            start = start + 1
        end
        if OPENING_ASKS[list[start]] then
            asked = true
        elseif start == act and start > document.summary_end
                and (person_after(document, act) or list[act] == "elsewhere") then
            -- "Set Tom up with a pass", "Get Priya into the share", "Send me the password"
            -- (read as "elsewhere").
            asked = true
        end
        for position = index + 1, math.min(#list, index + LOOK) do
            local word = list[position]
            if ENDS[word] then
                break
            elseif SELF[word] and self_acting(list, position) then
                return nil
            end
        end
        return asked and act or nil, asked
    end

    -- Words after an object that take it away ("her send-as taken off").
    local REMOVED = words("off remove removed disable stop")

    -- True when a word of REMOVED follows the object at index in its clause.
    local function removed_after(list, index)
        for position = index + 1, math.min(#list, index + LOOK) do
            local word = list[position]
            if ENDS[word] then
                return false
            elseif REMOVED[word] then
                return true
            end
        end
        return false
    end

function read_requests(document)
    local list, found, positions = document.words, {}, document.positions
    document.asked_others = {}
    -- At most MAX_OBJECTS objects are read, which bounds the cost of a text that repeats one.
    local left = MAX_OBJECTS
    local function add(reason, act, object)
        -- Not strong, so a request the lists above found at the same place names the reason.
        local request = hit(document, reason, object, act)
        request.asked = true
        found[#found + 1] = request
    end
    for _, word in ipairs(KIND_WORDS) do
        for _, index in ipairs(positions[word] or {}) do
            left = left - 1
            if left < 0 then
                break
            end
            if not document.noise[index] then
                local act, asked = act_for(document, index, false)
                local reason = act and reason_of(document, act, index)
                -- "Could Holly send as bookings@": the object names its act.
                if reason == nil and asked and NAMES_ACT[word] and not removed_after(list, index)
                        then
                    act, reason = index, REASONS[KIND_OF[word]]
                end
                -- "Get Priya into the finance share": a person put in a place.
                if reason == nil and (KIND_OF[word] == "place" or KIND_OF[word] == "right") then
                    for offset = 1, 3 do
                        if INTO[list[index - offset] or ""] then
                            local asked_in
                            act, asked_in = act_for(document, index, true)
                            -- "Can I get into the finance share" reads "request into": the
                            -- writer asks to be put in the place.
                            if act == nil and asked_in and list[index - offset - 1] == "request"
                                    then
                                act = index - offset - 1
                            end
                            reason = act and "access_grant"
                            break
                        end
                    end
                end
                if reason then
                    add(reason, act, index)
                end
            end
        end
    end
    -- "Set Tom up so he can approve invoices": the purpose names what the act gives.
    for _, index in ipairs(positions.so or {}) do
        local use = index + 3
        if SUBJECTS[list[index + 1] or ""] and (list[index + 2] == "can"
                or list[index + 2] == "could") and USES[list[use] or ""] then
            local act = act_for(document, index, false)
            if act and PUTTING[list[act]] then
                add("access_grant", act, use)
            end
        end
    end
    return found
end
end

--[[
Requests about the sign-in controls and the mail a takeover would hide, read apart from the
tables above. Each counts only in a sentence that asks for it (requested_in_sentence):
  - an exclusion or exemption from a conditional access or MFA policy (mfa_reset);
  - a trusted or named location, IP or network (access_grant);
  - registering, clearing or removing a device or phone for signing in, or trusting one
    (mfa_reset), and a passwordless or FIDO factor or Windows Hello (mfa_reset);
  - hiding mail, or moving or deleting the mail of IT, security or alerts, or moving mail to
    RSS, junk or deleted items (mail_forwarding: like a forwarding rule, it takes mail out of
    its owner's sight, so the warnings of a takeover go unread);
  - a login, password, second factor or account to refresh, renew or rotate (password_reset,
    mfa_reset or account_unlock).
]]
local read_sign_in_controls
do
    local CONTROLS = {
        -- Words that take someone out of a policy's reach, and the policies.
        exclusions = words([[
exclude excluded excluding exclusion exclusions exempt exempted exemption exception exceptions
waive remove disable bypass
]]),
        policies = words("mfa conditional ca geoblock geoblocking geofence geofencing"),
        -- Words after a policy that make it the topic of mail ("the geoblocking alert emails").
        notices = words("automatic email report reports"),
        -- Words after "trusted" or "named" that make it a place sign-ins come from.
        trusted = words("trusted named"),
        -- Verbs that take a place or an exclusion away ("remove the exception").
        removals = words("remove revoke delete disable cancel withdraw"),
        places = words([[
location locations ip ips ipaddress network networks range ranges country countries address
addresses site sites
]]),
        -- Verbs that register or clear a device for signing in, the devices, and the words that
        -- make the device one a sign-in trusts.
        device_verbs = words([[
register registered reregister deregister unregister enrol enroll enrolled reenrol reenroll
clear remove delete trust
]]),
        devices = words("device devices phone phones mobile laptop tablet computer pc"),
        sign_in = words("login account mfa registered trusted"),
        factors = words("fido fido2 passwordless hello"),
        factor_verbs = words([[
reset add setup register remove disable delete enable change move replace clear bypass
]]),
        -- Verbs that hide mail, verbs that move it, the senders whose mail warns of a takeover,
        -- and where moved mail goes unseen.
        hide_verbs = words("hide hidden conceal suppress mute silence"),
        move_verbs = words("move moves delete deletes archive archives junk redirect"),
        warning_senders = words([[
it security helpdesk servicedesk support admin microsoft office365 o365 automatic bank
mailaddress
]]),
        unseen = words("rss junk spam deleted delete"),
        -- "Move the mails from IT out of junk": mail brought back into sight.
        back = words("out back restore recover"),
        -- Verbs that refresh a sign-in, and the reasons of what they refresh.
        refresh_verbs = words("refresh refreshed renew renewal regenerate reissue rotate"),
        refreshed_reasons = {login = "password_reset", credential = "password_reset",
            password = "password_reset", mfa = "mfa_reset", account = "account_unlock"},
        -- Words after a login that make it a page ("the login page needs a refresh").
        pages = words("page screen button portal banner logo window"),
    }

    -- How many tokens on each side of a word its sentence is read, and how many words of the
    -- sets above a ticket's reading looks at. Both bound the cost of a text that repeats them.
    local REACH, MAX_WORDS = 30, 64

    -- Returns the first and last index of the sentence of index, at most REACH tokens away.
    local function sentence_of(list, index)
        local first, last = index, index
        while first > 1 and list[first - 1] ~= "|" and index - first < REACH do
            first = first - 1
        end
        while list[last + 1] ~= nil and list[last + 1] ~= "|" and last - index < REACH do
            last = last + 1
        end
        return first, last
    end

    -- True when the sentence from first to last asks for the act at index: a request marker
    -- in it ("please", "can you", "I need"), or the act opens it ("Exclude me from ..."), and
    -- the act is not negated.
    local function requested_in_sentence(document, first, last, index)
        if negated(document, index, true) then
            return false
        end
        if index == first then
            return true
        end
        for position = first, last do
            if REQUEST_MARKERS[document.words[position]] then
                return true
            end
        end
        return false
    end

    -- Returns the index of a token of set in the sentence first to last, or nil.
    local function in_range(list, first, last, set)
        for position = first, last do
            if set[list[position]] then
                return position
            end
        end
        return nil
    end

    -- Returns a hit for the sentence of the token at index when it makes one of the requests
    -- above, or nil.
    local function control_request(document, index, word)
        local list, C = document.words, CONTROLS
        -- The sentence's bounds, found once and only for a word that needs them.
        local first, last
        local function sentence_has(set)
            if first == nil then
                first, last = sentence_of(list, index)
            end
            return in_range(list, first, last, set)
        end
        local reason, object = nil, nil
        -- "Please remove the exception" ends an exclusion.
        if C.exclusions[word] and not find_in_sentence(document, index, C.removals, 3, 0) then
            object = sentence_has(C.policies)
            -- "Conditional" counts with "access" after it, "CA" with a policy.
            if object and list[object] == "conditional" and list[object + 1] ~= "access" then
                object = nil
            end
            if object and list[object] == "ca" and not (list[object + 1] or ""):find("^polic") then
                object = nil
            end
            -- Removing or disabling MFA itself is read above, so here only a policy counts.
            if object and list[object] == "mfa" and (word == "remove" or word == "disable"
                    or word == "bypass") and not (list[object + 1] or ""):find("^polic") then
                object = nil
            end
            -- "The geoblocking alert emails": mail about a policy, not the policy.
            if object and C.notices[list[object + 1] or ""] then
                object = nil
            end
            reason = object and "mfa_reset"
        end
        -- "Remove our old office IP from the trusted locations" takes a place away.
        if reason == nil and C.trusted[word] and not sentence_has(C.removals) then
            object = index + 1
            if C.places[list[object] or ""] then
                reason = "access_grant"
            elseif C.devices[list[object] or ""] then
                reason = "mfa_reset"
            end
        end
        if reason == nil and C.device_verbs[word] then
            object = find_in_sentence(document, index, C.devices, 0, 5)
            if object and sentence_has(C.sign_in)
                    and (word ~= "registered" or list[index + 1] == list[object]) then
                reason = "mfa_reset"
            end
        end
        if reason == nil and C.factors[word] and (word ~= "hello" or list[index - 1] == "windows")
                and find_in_sentence(document, index, C.factor_verbs, 5, 3) then
            reason, object = "mfa_reset", index
        end
        if reason == nil and C.hide_verbs[word] then
            object = find_in_sentence(document, index, "email", 0, 4)
            reason = object and "mail_forwarding"
        end
        if reason == nil and C.move_verbs[word] and not sentence_has(C.back) then
            object = find_in_sentence(document, index, "email", 3, 4)
            local from = object and find_in_sentence(document, object, "from", 0, 2)
            local sender = from and (list[from + 1] == "the" and from + 2 or from + 1)
            if (sender and C.warning_senders[list[sender] or ""])
                    or (object and find_in_sentence(document, object, C.unseen, 0, 8)) then
                reason = "mail_forwarding"
            end
        end
        if reason == nil and C.refresh_verbs[word] then
            object = find_in_sentence(document, index, C.refreshed_reasons, 4, 3)
            if object and not C.pages[list[object + 1] or ""] then
                reason = C.refreshed_reasons[list[object]]
            end
        end
        if reason == nil then
            return nil
        end
        if first == nil then
            first, last = sentence_of(list, index)
        end
        if not requested_in_sentence(document, first, last, index) then
            return nil
        end
        return hit(document, reason, object, index, true)
    end

    -- Every word that control_request reads further.
    local TRIGGERS = {}
    for _, set in ipairs({CONTROLS.exclusions, CONTROLS.trusted, CONTROLS.device_verbs,
            CONTROLS.factors, CONTROLS.hide_verbs, CONTROLS.move_verbs, CONTROLS.refresh_verbs}) do
        for word in pairs(set) do
            TRIGGERS[word] = true
        end
    end

    function read_sign_in_controls(document)
        -- Reading the ticket's distinct words keeps a text that repeats a few words cheap. They
        -- are sorted so that the words read before MAX_WORDS is reached are the same each run.
        local present, positions = {}, document.positions
        for word in pairs(positions) do
            if TRIGGERS[word] then
                present[#present + 1] = word
            end
        end
        table.sort(present)

        local found, left = {}, MAX_WORDS
        for _, word in ipairs(present) do
            for _, index in ipairs(positions[word]) do
                left = left - 1
                if left < 0 then
                    return found
                end
                if not document.noise[index] then
                    found[#found + 1] = control_request(document, index, word)
                end
            end
        end
        return found
    end
end

--[[
Requests in plain, translated or second-language wording that names none of the objects above
in the way the tables expect, read apart from them. Each counts only in a sentence that asks
for it (a request marker in it, or the act opens it) where the act is not negated. Three state
the request themselves and need no marker: a contact followed by "instead" or "from now on", a
new card number, and a summary that opens "update to have me as". Outside quoted text only a
notice's voice explains them away, as for the request reader:
  - extending a user, account, login or pass that would expire ("please extend also his user",
    "push out her account end date") (account_unlock, or physical_access for a pass);
  - a test, service or guest account, whatever deletion is planned after it ("we need a test
    user, it will be deleted after the project") (new_account);
  - a new token for someone, without naming a second factor ("please provide a new token for
    her") (mfa_reset);
  - a new one set, put on or given in a ticket about a password or a sign-in ("can you set
    him a new one and tell me what it is") (password_reset);
  - a person to have or put as a role ("update it to have me as the line manager", "please
    put me as approver of the holidays") (access_grant, or admin_rights for an owner);
  - the sign-in codes, in plain words, moved to a new phone, switched off or replaced for a
    while ("please move the codes over to the new phone", "take the code thing off", "give me
    some sort of code to use in the meantime") (mfa_reset);
  - mail sent on to a private or outside address, in any word order ("all my mails send also
    to my private gmail", "sending my email on to my home address") (mail_forwarding);
  - someone else's or a shared mailbox to be seen or opened, on the writer's computer or in
    other words ("could the manager's mail open on my computer too", "let her see the
    referrals@ mailbox") (mail_delegation);
  - a sort code and account number, or a card number, given with a payment asked for ("pay a
    new builder today, here are his bank numbers 00-00-00 00000000") (payment_change);
  - access named in the summary with access levels asked for in the details ("PAS access"
    above "please reading editing") (access_grant);
  - a port to open ("the camera company want port 8443 open ... can you open please")
    (access_grant);
  - a sender put on the allow list ("please put their domain in the white list"), read past
    the spam the ticket reports (access_grant);
  - the release of a folder, directory or share, as the German "Freigabe" (sharing) is often
    translated (access_grant);
  - a content search or PST export of a mailbox, which hands over its mail (access_grant);
  - adding and removing people oneself ("make me the boss of the website so I can add and take
    off people", "admin on the door software to add and remove fobs herself") (admin_rights);
  - the right to install software oneself ("let me install stuff", "the rights to install
    software on my own laptop") (admin_rights);
  - a new callback number or authorised contact from now on ("wants callbacks to go to ...
    from now on", "our authorised contact with you instead of Helen") (contact_change);
  - another or a spare one of the password, pass, key, card or token named before ("the temp
    pass you gave me expired, need another"), unless a device is named too or the ticket asks
    how (the reason of the thing replaced);
  - rights, access or an account given for a while and asked to be kept "permanently" ("could
    I keep it permanently") (admin_rights, access_grant or account_unlock);
  - a password set to a value the writer will remember, in a ticket about forgetting or a
    password ("make it something I can remember") (password_reset);
  - another person's contract, documents, payslips or appraisal to be seen, worded "the
    contract of Marek" (access_grant);
  - a phone's sign-in approvals ("sign-in approvals", "keeps asking me to approve") removed
    or moved, in a ticket that names a phone (mfa_reset).
]]
local read_plain_requests
do
    local PLAIN = {
        -- What an extension keeps working, and the words after it that end the object, so that
        -- "extend the user storage" is no extension of a user.
        extended = words("user account login access badge"),
        extended_ends = words([[
| until till to for by beyond past and otherwise please as also too expire date end
]]),
        -- Verbs that ask for a test, service or guest account.
        account_verbs = words("need want create setup make add"),
        removals = words("remove delete disable revoke terminate offboard"),
        -- Words before "date" that make it the day an account stops, and the verbs that move it.
        end_dates = words("end leave leaving leaver expire termination"),
        date_verbs = words("extend push move clear remove delete change update"),
        -- Verbs that request a token ("provide a new token").
        token_verbs = words("new newone replace provide give send issue prepare order reset"),
        -- Verbs that set a new one, and the words that make a ticket about a password.
        new_one_verbs = words("set put give make send"),
        passwords = words("password login credential pin temppassword signing"),
        -- Verbs that put a person in a role, and the roles with the reason of each.
        role_verbs = words("have put set make name appoint"),
        roles = {approver = "access_grant", owner = "admin_rights", admin = "admin_rights",
            member = "access_grant", role = "access_grant", editor = "access_grant"},
        -- Sign-in codes in plain words, the verbs that move them, where to, the verbs that
        -- switch them off ("switch the code off" reads "disable the code off"), what asks for
        -- a code in the meantime, and the words that make a ticket about signing in.
        codes = words("code codes"),
        code_moves = words("move moved put switch send get transfer change"),
        code_places = words("phone mobile phonenumber number sms text it nokia iphone"),
        code_offs = words("disable remove"),
        code_givers = words("give send provide"),
        code_whiles = words("meantime meanwhile now until instead"),
        sign_in = words("login mfa sms text texts texted phone mobile phonenumber account"),
        -- Mail, the verbs that carry it on, where to, and the words that stop or fail it.
        mail = words("email mailbox sharedmailbox"),
        sends = words("send sends sending go goes copy forward redirect come comes"),
        outside = words("gmail hotmail yahoo icloud googlemail private personal home external"),
        stops = words("stop stopped remove disable revoke delete cancel not cant fault"),
        -- Verbs of reaching a mailbox, the words before it that make it someone else's or
        -- shared, and the devices it is opened on.
        reaches = words("see open view read look through eye check cover"),
        others = words("his her their mailaddress boss director manager managers"),
        devices = words("computer laptop pc phone mobile outlook desktop"),
        -- Words that ask for a payment, the words between a sort code and an account number,
        -- and the words before a card number that make it a new one.
        account_words = words("account accountnumber number"),
        payments = words("pay paid payment pays send sent transfer"),
        card_changes = words("new newone replace replaced"),
        -- Access levels in words that the damaged text of a request keeps.
        levels = words("reading editing writing"),
        -- Words after "port" that ask for it ("port 8443 please").
        asks_open = words("please"),
        -- Containers that a release shares.
        containers = words("folder directory share drive mailbox calendar library site"),
        -- Verbs that hand over a PST file or the result of a search.
        exports = words("export copy send give extract provide"),
        -- Words that make a person do something themselves, and the words before "to install"
        -- that give the right to it.
        selves = words("myself herself himself themselves ourselves yourself own"),
        install_rights = words("rights permission allowed allow able admin"),
        -- Words that make a callback number or a contact replace the one before.
        replacing = words("instead"),
        -- Words of a question about how to do it oneself.
        how_questions = words("howq howword"),
        -- Things that a bare "another one" or "a spare one" replaces, with the reason of each.
        replaced = {password = "password_reset", temppassword = "password_reset",
            pin = "password_reset", credential = "password_reset", badge = "physical_access",
            doorcode = "physical_access", card = "physical_access", token = "mfa_reset",
            mfa = "mfa_reset"},
        -- Words before a replacement that call it off, and devices that a "new one" may
        -- replace instead ("I can't type my password on this keyboard, need a new one").
        called_off = words("no cancel ignore"),
        devices_replaced = words([[
keyboard mouse laptop screen monitor charger printer headset battery cable phone mobile dock
camera
]]),
        -- Words before "card" that make it part of a device or no pass ("the SD card").
        other_cards = words("sd sim memory graphics video sound network gift business micro"),
        -- Things kept "permanently" that were given for a while, the pronouns that name them
        -- again, and the words that make a ticket about forgetting a password.
        kept = {admin = "admin_rights", rights = "admin_rights", badge = "physical_access",
            access = "access_grant", login = "account_unlock", account = "account_unlock"},
        pronouns = words("it them this that these those"),
        forgetting = words("forgot password pin credential temppassword login"),
        -- Verbs that set a password to a value ("make it something I can remember").
        set_verbs = words("make set change put"),
        -- Words after "of" that name no person ("the contract of the lease", "of my").
        not_people = words([[
the a an my our your his her their this that these those it all each every any some me us him
them one course
]]),
        -- Verbs that remove or move a sign-in approval's phone.
        approval_changes = words("remove delete disable move moving moved switch transfer change"),
        phones = words("phone mobile phonenumber iphone"),
        prompts = words("prompt prompts prompting request requests"),
        -- A person's documents, seen as "the contract of Marek".
        documents = words("contract contracts documents payslip payslips appraisal"),
        -- Words that ask, besides the request markers: "is it possible for me to", "could the
        -- mailbox be forwarded", "is it something you could set up".
        asks = words("possible could"),
    }

    -- How many tokens on each side of a word its sentence is read, and how many of the words
    -- this reader looks at are read. Both bound the cost of a text that repeats them.
    local REACH, MAX_WORDS = 30, 48

    -- True when the sentence of index requests the act at index: a request marker is in it or
    -- the act opens it, and the act is not negated.
    local function asked_in_sentence(document, index)
        if negated(document, index, true) then
            return false
        end
        local before = document.words[index - 1]
        return before == nil or before == "|" or GREETINGS[before] ~= nil
            or find_in_sentence(document, index, REQUEST_MARKERS, REACH, REACH) ~= nil
            or find_in_sentence(document, index, PLAIN.asks, REACH, 0) ~= nil
    end

    -- Returns the reason and the object of an extension at index ("extend his user", "need
    -- their site passes extending"), or nil. An object before the verb counts only with a need
    -- before it, because "his user was extended" reports one.
    local function extension(document, list, index)
        local object = find_in_sentence(document, index, PLAIN.extended, 0, 4)
        if object and not PLAIN.extended_ends[list[object + 1] or "|"] then
            object = nil
        end
        local before = not object and find_in_sentence(document, index, PLAIN.extended, 3, 0)
        if before and find_in_sentence(document, before, NEEDS, 4, 0) then
            object = before
        end
        if object then
            return list[object] == "badge" and "physical_access" or "account_unlock", object
        end
        return nil
    end

    -- Returns the reason and object of a test, service or guest account asked for, and its
    -- verb, or nil: a deletion planned after it ("will be deleted after the project") takes
    -- nothing back, but one asked for now ("please delete the test user") is no request.
    local function test_account(document, list, index)
        local verb = find_in_sentence(document, index, PLAIN.account_verbs, 5, 0)
        if verb and not find_in_sentence(document, index, PLAIN.removals, 5, 2) then
            -- "We need a test user": a need is read at the object, since "we" before it reads
            -- as a report of the writer's own act.
            return "new_account", index, not NEEDS[list[verb]] and verb or nil
        end
        return nil
    end

    -- Returns the reason and object of a moved end date ("push out the account end date"), or
    -- nil. The sentence or the summary must name what ends.
    local function end_date(document, list, index)
        if not PLAIN.end_dates[list[index - 1] or ""] then
            return nil
        end
        local verb = find_in_sentence(document, index, PLAIN.date_verbs, 6, 0)
        local object = find_in_sentence(document, index, PLAIN.extended, REACH, REACH)
        if verb and (object or in_summary(document, PLAIN.extended)) then
            return "account_unlock", index, verb
        end
        return nil
    end

    -- Returns the reason and object of mail sent on to a private address, or nil.
    local function mail_sent_on(document, list, index)
        local verb = find_in_sentence(document, index, PLAIN.sends, 3, 8)
        local to = verb and find_in_sentence(document, math.max(index, verb), "to", 0, 3)
        local place = to and find_in_sentence(document, to, PLAIN.outside, 0, 3)
        if place and not find_in_sentence(document, index, PLAIN.stops, REACH, REACH) then
            return "mail_forwarding", index, verb
        end
        return nil
    end

    -- Returns the reason and object of someone else's or a shared mailbox to be seen or
    -- opened ("could the manager's mail open on my computer"), and its verb, or nil.
    local function mail_reached(document, list, index)
        if find_in_sentence(document, index, "my", 2, 0) then
            return nil
        end
        local verb = find_in_sentence(document, index, PLAIN.reaches, 4, 4)
        local device = verb and find_in_sentence(document, index, "on", 0, 4)
        device = device and find_in_sentence(document, device, PLAIN.devices, 0, 3)
        local other = find_in_sentence(document, index, PLAIN.others, 2, 0)
        local how = find_in_sentence(document, index, PLAIN.how_questions, REACH, REACH)
        if verb and (device or other) and not how then
            return "mail_delegation", index, verb
        end
        return nil
    end

    -- Returns the reason and object of a sort code and account number ("00-00-00 00000000") in
    -- a ticket that names a payment, and the payment's verb, or nil.
    local function bank_numbers(document, list, index)
        -- Three pairs of digits right before the number, or before "account" and the number,
        -- and no fourth pair before them, which times of day make ("14:02-14:09").
        local last = index - 1
        if PLAIN.account_words[list[last] or ""] then
            last = last - 1
        end
        local pairs_of_digits = 0
        for offset = 0, 3 do
            if (list[last - offset] or ""):find("^%d%d$") then
                pairs_of_digits = pairs_of_digits + 1
            else
                break
            end
        end
        if pairs_of_digits == 3 then
            local pay = first_of(document, PLAIN.payments)
            return pay and "payment_change", index, pay
        end
        return nil
    end

    -- Returns the reason and object of a card number given as the new one for a payment card,
    -- its verb, and true, because the number itself states the change. Returns nil otherwise.
    local function card_number(document, list, index)
        for offset = 1, 3 do
            if not (list[index + offset] or ""):find("^%d%d%d%d$") then
                return nil
            end
        end
        local change = find_in_sentence(document, index, PLAIN.card_changes, 8, 0)
        if change and first_of(document, "card paymentcard") then
            return "payment_change", index, change, true
        end
        return nil
    end

    -- Returns the reason and object of a person to have or put as a role ("update it to have me
    -- as the line manager", "please put me as approver"), its verb, and true when the verb opens its sentence after "to" ("update
    -- to have me as ..."), or nil.
    local function role_had(document, list, index)
        local role = list[index + 1] == "the" and index + 2 or index + 1
        local reason = PLAIN.roles[list[role] or ""]
        local verb = index - 2
        if reason == nil or not set_of("me him her them")[list[index - 1] or ""]
                or not PLAIN.role_verbs[list[verb] or ""] then
            return nil
        end
        local opened = list[verb - 1] == "to" and (list[verb - 3] == nil or list[verb - 3] == "|")
        return reason, role, verb, opened
    end

    -- Returns the indexes of the first two words of an access level in the details ("reading
    -- editing"), or an empty list.
    local function first_levels(document)
        local found = {}
        for index = document.summary_end + 1, #document.words do
            if PLAIN.levels[document.words[index]] then
                found[#found + 1] = index
                if #found == 2 then
                    break
                end
            end
        end
        return found
    end

    -- Returns the reason and object of sign-in codes moved, switched off or given for a while,
    -- and its verb, or nil. The ticket must be about signing in.
    local function sign_in_code(document, list, index)
        local reason, verb = nil, nil
        local moved = find_in_sentence(document, index, PLAIN.code_moves, 5, 5)
        local to = moved and find_in_sentence(document, math.max(index, moved),
            "to onto over", 0, 6)
        if to and find_in_sentence(document, to, PLAIN.code_places, 0, 4) then
            reason, verb = "mfa_reset", moved
        end
        local off = find_in_sentence(document, index, PLAIN.code_offs, 3, 0)
        if reason == nil and off and find_in_sentence(document, index, "off", 0, 3) then
            reason, verb = "mfa_reset", off
        end
        local given = find_in_sentence(document, index, PLAIN.code_givers, 5, 0)
        if reason == nil and given and find_in_sentence(document, index, PLAIN.code_whiles, 0, 6)
                then
            reason, verb = "mfa_reset", given
        end
        if reason == nil or first_of(document, PLAIN.sign_in) == nil then
            return nil
        end
        return reason, index, verb
    end

    -- Returns the reason and object of a replacement asked for without naming it ("the temp
    -- pass you gave me expired, need another", "let me have a spare one for today"), or nil.
    -- The thing replaced is the nearest one named before.
    local function replacement(document, list, index, word)
        local after = list[index + 1] or "|"
        if (word == "spare" and after ~= "one")
                or (word == "another" and after ~= "one" and after ~= "|" and after ~= "for"
                    and after ~= "please") then
            return nil
        end
        -- "No need for a new one", "cancel the request for a new one" and "how do I pick a new
        -- one" ask for none.
        local need = find_in_sentence(document, index, NEEDS, 6, 0)
        if find_in_sentence(document, index, PLAIN.called_off, 6, 0)
                or (need and list[need - 1] == "not") or first_of(document, PLAIN.how_questions)
                then
            return nil
        end
        local thing = find_near(document, index, PLAIN.replaced, REACH, 0)
        if thing and list[thing] == "card" and PLAIN.other_cards[list[thing - 1] or ""] then
            return nil
        end
        if thing and not find_near(document, index, PLAIN.devices_replaced, REACH, 0) then
            return PLAIN.replaced[list[thing]], index
        end
        return nil
    end

    -- Returns the reason, object and verb of something given for a while and asked to be kept
    -- ("could I keep it permanently"), or nil. Between the verb and "permanently" stands the
    -- thing or a pronoun for the nearest thing named before.
    local function kept_permanently(document, list, index)
        local verb = find_in_sentence(document, index, "keep keeping", 8, 0)
        if verb == nil then
            return nil
        end
        for at = verb + 1, index - 1 do
            if PLAIN.kept[list[at]] then
                return PLAIN.kept[list[at]], at, verb
            end
        end
        local pronoun = find_in_sentence(document, index, PLAIN.pronouns, index - verb - 1, 0)
        local thing = pronoun and find_near(document, verb, PLAIN.kept, REACH, 0)
        return thing and PLAIN.kept[list[thing]], thing, verb
    end

    -- Returns the reason, object and verb of a password to be set to a value the writer will
    -- remember ("make it something I can remember", "set one easy to remember"), or nil.
    local function remembered_value(document, list, index)
        local chosen = (list[index - 1] == "can" and set_of("i we he she they")[list[index - 2]
            or ""]) or (list[index - 1] == "to" and set_of("easy easier")[list[index - 2] or ""])
        local verb = chosen and find_in_sentence(document, index, PLAIN.set_verbs, 6, 0)
        return verb and first_of(document, PLAIN.forgetting) and "password_reset", index, verb
    end

    -- Returns the reason, object and verb of another person's document to be seen, in the
    -- wording "the contract of Marek", or nil.
    local function document_of_person(document, list, index)
        local person = list[index + 2] or "|"
        if list[index + 1] ~= "of" or PLAIN.not_people[person] or person == "|"
                or person:find("%d") then
            return nil
        end
        local verb = find_in_sentence(document, index, PLAIN.reaches, 6, 0)
        return verb and "access_grant", index, verb
    end

    -- Returns the reason, object and verb of a sign-in approval's phone removed or moved ("the
    -- login thing keeps asking me to approve but I lost that phone, remove it", "the approve
    -- prompts come to my old phone"), or nil.
    local function sign_in_approval(document, list, index)
        local prompted = list[index - 1] == "to" and list[index - 2] == "me"
            and find_in_sentence(document, index, "prompting", 4, 0)
        -- Only a question phrase counts here, because "which" ("my old phone, which was
        -- stolen") often opens a clause.
        prompted = prompted or PLAIN.prompts[list[index + 1] or ""]
        -- "To my old phone" is read as the fault token, so a fault after the approval in its
        -- sentence names a phone too.
        local phone = first_of(document, PLAIN.phones)
            or find_in_sentence(document, index, "fault", 0, 6)
        if not (list[index - 1] == "login" or prompted) or not phone
                or find_in_sentence(document, index, "howq", REACH, REACH) then
            return nil
        end
        local verb = find_in_sentence(document, index, PLAIN.approval_changes, 5, 0)
            or find_near(document, index, PLAIN.approval_changes, 0, REACH)
        return verb and "mfa_reset", index, verb
    end

    -- Returns the reason, object and verb of a request read from the word at index, and true
    -- when the wording states the request without a request marker. Returns nil for no request.
    local function plain_request(document, list, index, word)
        if word == "extend" then
            local reason, object = extension(document, list, index)
            return reason, object, index
        elseif word == "serviceaccount" or word == "guestaccount" then
            return test_account(document, list, index)
        elseif word == "date" then
            return end_date(document, list, index)
        elseif word == "token" then
            local verb = find_in_sentence(document, index, PLAIN.token_verbs, 4, 0)
            return verb and "mfa_reset", index, verb
        elseif PLAIN.codes[word] or (word == "number" and list[index + 1] == "thing")
                or (word == "step" and list[index - 1] == "second") then
            return sign_in_code(document, list, index)
        elseif word == "mfa" then
            -- "Please take Duo off my account" reads "remove mfa off".
            local off = find_in_sentence(document, index, PLAIN.code_offs, 3, 0)
            return off and find_in_sentence(document, index, "off", 0, 3) and "mfa_reset",
                index, off
        elseif word == "newone" then
            local verb = find_in_sentence(document, index, PLAIN.new_one_verbs, 3, 0)
            if verb and first_of(document, PLAIN.passwords) then
                return "password_reset", index, verb
            end
            return replacement(document, list, index, word)
        elseif word == "another" or word == "spare" then
            return replacement(document, list, index, word)
        elseif word == "permanently" or word == "permanent" then
            return kept_permanently(document, list, index)
        elseif word == "remember" then
            return remembered_value(document, list, index)
        elseif PLAIN.documents[word] then
            return document_of_person(document, list, index)
        elseif word == "approve" or word == "approval" or word == "approvals" then
            return sign_in_approval(document, list, index)
        elseif word == "as" then
            return role_had(document, list, index)
        elseif PLAIN.mail[word] then
            local reason, object, verb = mail_sent_on(document, list, index)
            if reason == nil then
                return mail_reached(document, list, index)
            end
            return reason, object, verb
        elseif word == "longnumber" then
            return bank_numbers(document, list, index)
        elseif word:find("^%d%d%d%d$") then
            return card_number(document, list, index)
        elseif word == "port" then
            local open = find_in_sentence(document, index, "open", 4, 4)
                or (PLAIN.asks_open[list[index + 1] or ""] and index)
            local how = find_in_sentence(document, index, PLAIN.how_questions, REACH, REACH)
            return open and not how and "access_grant", index, open
        elseif word == "access" then
            -- "PAS access" above "please reading editing": the damaged text of a request for
            -- read and edit rights, which the fault it also names does not explain away.
            for _, level in ipairs(first_levels(document)) do
                if find_in_sentence(document, level, "please", 3, 0) then
                    return "access_grant", index, level
                end
            end
        elseif word == "allowlist" then
            -- "Please put their domain in the white list": a sender let past the filter.
            local put = find_in_sentence(document, index, "put add", 8, 0)
            return put and "access_grant", index, put
        elseif word == "release" then
            local object = find_in_sentence(document, index, PLAIN.containers, 0, 4)
            return object and "access_grant", object, index
        elseif word == "pst" then
            local verb = find_in_sentence(document, index, PLAIN.exports, 4, 0)
            return verb and "access_grant", index, verb
        elseif word == "search" and list[index - 1] == "content" then
            local object = find_in_sentence(document, index, PLAIN.mail, 0, 8)
            return object and "access_grant", object, index
        elseif word == "add" then
            -- "add and remove fobs herself", "so I can add the new people and take off leavers".
            local also = find_in_sentence(document, index, "and", 0, 4)
            local remove = also and list[also + 1] == "remove" and also + 1
            local self = remove and (find_in_sentence(document, remove, PLAIN.selves, 0, 6)
                or (list[index - 1] == "can" and list[index - 3] == "so" and index - 1))
            if self and not find_in_sentence(document, index, PLAIN.how_questions, REACH, REACH) then
                return "admin_rights", index, index
            end
        elseif word == "install" then
            -- "let me install", "the rights to install". "Can I install Zoom myself?" asks
            -- whether one may, which is read as a question, not as a request for the right.
            local cue = (list[index - 1] == "me" and list[index - 2] == "let" and index - 2)
                or (list[index - 1] == "to" and PLAIN.install_rights[list[index - 2] or ""]
                    and index - 2)
            if cue and not negated(document, math.min(cue, index), true)
                    and not find_in_sentence(document, index, PLAIN.how_questions, REACH, REACH) then
                return "admin_rights", index, math.min(cue, index)
            end
        elseif word == "callback" or word == "callbacks" or word == "recoverycontact" then
            -- "Callbacks to go to 07700 900552 from now on", "... instead of Helen". A standing
            -- change right after the contact states the request without a request marker.
            local from = find_in_sentence(document, index, "from", REACH, REACH)
            local standing = find_in_sentence(document, index, PLAIN.replacing, REACH, REACH)
                or (from and list[from + 1] == "now" and list[from + 2] == "on" and from)
            if standing then
                return "contact_change", index, standing, standing > index
                    and standing - index <= 6
            end
        end
        return nil
    end

    -- Every word that plain_request reads further.
    local TRIGGERS = words([[
extend date serviceaccount guestaccount token newone as port allowlist access code codes number step mfa email mailbox sharedmailbox release pst search add
install callback callbacks recoverycontact longnumber another spare permanently permanent
remember contract contracts documents payslip payslips appraisal approve approval approvals
]])

    function read_plain_requests(document)
        -- The ticket's distinct words are read in sorted order, so the words read before
        -- MAX_WORDS is reached are the same each run.
        local present, positions, list = {}, document.positions, document.words
        -- Groups of four digits are read as a card number only in a ticket about a card.
        local card = positions.card or positions.paymentcard
        for word in pairs(positions) do
            if TRIGGERS[word] or (card and word:find("^%d%d%d%d$")) then
                present[#present + 1] = word
            end
        end
        table.sort(present)

        local found, left = {}, MAX_WORDS
        for _, word in ipairs(present) do
            for _, index in ipairs(positions[word]) do
                -- Only the summary's "access" is read, and positions are in reading order.
                if word == "access" and index > document.summary_end then
                    break
                end
                left = left - 1
                if left < 0 then
                    return found
                end
                if not document.noise[index] then
                    local reason, object, verb, stated = plain_request(document, list, index,
                        word)
                    if reason and (stated or asked_in_sentence(document, verb or object)) then
                        local request = hit(document, reason, object, verb, true)
                        request.asked = true
                        found[#found + 1] = request
                    end
                end
            end
        end
        return found
    end
end

--[[
Returns every request found, as a list of hits (see hit). The kinds of request:
  - an object of OBJECTS with a request word near it in its sentence, or in the summary;
  - an object of REQUEST_OBJECTS anywhere, and of GRANTED_OBJECTS with a verb of granting;
  - mail forwarded or copied to someone, or someone else's mailbox, calendar or mail with a
    request word near it;
  - a person added to a container ("add Tom to the Finance share"), a container shared with
    someone, a mailbox set up for someone.
Words in signatures and disclaimers (document.noise) are skipped.
]]
local function find_requests(document)
    local hits = {}
    local topic = {}
    for index, word in ipairs(document.words) do
        if not document.noise[index] then
            hits[#hits + 1] = object_request(document, index, word, topic)
                or verb_request(document, index, word)
        end
    end
    for _, request in ipairs(read_requests(document)) do
        hits[#hits + 1] = request
    end
    for _, request in ipairs(read_sign_in_controls(document)) do
        hits[#hits + 1] = request
    end
    for _, request in ipairs(read_plain_requests(document)) do
        hits[#hits + 1] = request
    end
    return hits
end

-- The client's keywords (settings.keywords). They always count.
local function detect_keywords(document)
    local list = document.words
    for _, entry in ipairs(document.extra or {}) do
        for _, index in ipairs(document.positions[entry.words[1]] or {}) do
            local matches = true
            for offset = 2, #entry.words do
                if list[index + offset - 1] ~= entry.words[offset] then
                    matches = false
                    break
                end
            end
            if matches then
                local found = hit(document, entry.reason, index, index + #entry.words - 1, true)
                found.keyword = true
                return found
            end
        end
    end
    return nil
end

------------------------------------------------------------------------------------------------
-- What makes a request safe
------------------------------------------------------------------------------------------------

local REMOVAL_VERBS = words([[
remove revoke disable delete terminate suspend offboard restrict withdraw cancel close retire
leaver
]])
-- "malfunction" is a fault of a service or device that is no sign-in failure ("keeps
-- disconnecting", "unavailable").
local FAULTS = words("fault malfunction issue cant anymore slow denied")
local BOOKING = words("book booking")
local EXPIRY_NEIGHBOURS = words("password days day tomorrow today will soon in")
-- Words that turn a forwarded expiry notice into a reset request ("it expired, I can't log in").
local EXPIRY_REQUESTS = words("reset cant forgot lockedout locked")
local WRITER = words("i ive")
-- A program that keeps asking for a password, or a licence that asks for credentials: the
-- fault is the program's, not the account's.
local PROGRAM_FAULTS = words("prompting licence")

-- Returns the index of a removal verb in the sentence of index that is not a state, or nil.
local function removal_in_sentence(document, index)
    local list = document.words
    for _, step in ipairs({-1, 1}) do
        for offset = 1, WINDOW do
            local at = index + step * offset
            local word = list[at]
            if word == nil or word == "|" then
                break
            end
            if REMOVAL_VERBS[word] and not reports_state(document, at) then
                return at
            end
        end
    end
    return nil
end

-- True when the ticket contains a token of set for which visit(index) is true.
local function any_of(document, set, visit)
    return best_of(document, set, function(index)
        return visit(index) and {index = index} or nil
    end) ~= nil
end

-- True when index is in the summary or the first TOPIC_WORDS tokens of the details.
local function in_topic(document, index)
    return index <= document.summary_end + 1 + TOPIC_WORDS
end

-- Returns the first index of a token of set within the topic (in_topic), or nil.
local function first_in_topic(document, set)
    set = set_of(set)
    local first = nil
    for word in pairs(set) do
        for _, index in ipairs(document.positions[word] or {}) do
            if not in_topic(document, index) then
                break
            end
            if not document.noise[index] and (first == nil or index < first) then
                first = index
                break
            end
        end
    end
    return first
end

-- Words after "works fine" that take the resolution back ("works fine in Outlook but not on
-- the VPN").
local EXCEPTIONS = words("but except apart")

-- Returns the index of the topic's report that something works again, with no "but" after it
-- in its sentence, or false.
local function resolved_in_topic(document)
    local first = first_in_topic(document, "resolvedmark")
    if first ~= nil and find_in_sentence(document, first, EXCEPTIONS, 0, 8) == nil then
        return first
    end
    -- "My fob is working on the door again": a statement that something works again.
    local list = document.words
    for _, again in ipairs(document.positions.again or {}) do
        local works = in_topic(document, again)
            and find_in_sentence(document, again, "work works working", 6, 0)
        if works and not document.question[works]
                and not find_in_sentence(document, again, NEGATORS_AND_FAILURE,
                    again - works + 2, 0)
                and not find_in_sentence(document, again, EXCEPTIONS, 0, 8) then
            return works
        end
    end
    -- "Tom can see the Accounts share now": a statement, not a question or a request, that
    -- someone can reach something now.
    for _, now in ipairs(document.positions.now or {}) do
        local can = in_topic(document, now) and find_in_sentence(document, now, "can", 8, 0)
        local subject = can and list[can - 1] or "|"
        if can and (SUBJECTS[subject] or PEOPLE[subject] or document.capitalised[can - 1])
                and not document.question[can]
                and not find_in_sentence(document, can, REQUEST_MARKERS, 6, 0)
                and not find_in_sentence(document, now, NEGATORS_AND_FAILURE, now - can, 0)
                and not find_in_sentence(document, now, EXCEPTIONS, 0, 8) then
            return can
        end
    end
    return false
end

--[[
Ticket-wide facts: how-to questions (how holds their indexes), a report that something works
again, an automatic notice, a phishing report, a password expiry notice and a reset asked for
beside it, a fault that hits everyone, a fault or a removal anywhere and in the summary, a
requested grant, a room booking, a password the writer changed. They are read once, so that
checking each request costs the same however long the ticket is.
]]
local function read_context(document)
    local context = {
        how = {},
        resolved = resolved_in_topic(document),
        automatic = first_of(document, "automatic fyi"),
        automatic_summary = in_summary(document, "automatic fyi"),
        phishing = has(document, "phishing") or has(document, "spam"),
        request = first_of(document, REQUEST_MARKERS) ~= nil,
        removal = first_of(document, REMOVAL_VERBS) ~= nil,
        removal_requested = any_of(document, REMOVAL_VERBS, function(index)
            return not reports_state(document, index)
        end),
        removal_summary = in_summary(document, REMOVAL_VERBS)
            and not in_summary(document, GRANT_VERBS),
        fault = first_of(document, FAULTS) ~= nil,
        program_fault = first_of(document, PROGRAM_FAULTS) ~= nil,
        grant_requested = grant_requested(document),
        reset_requested = false,
        booking = has(document, "meetingroom") and first_of(document, BOOKING) ~= nil,
        -- "How do I log in now?" or "how do I get back in?" beside a second factor that is
        -- lost ("I lost my phone", "the code app is empty"): read in the loop below.
        lost_factor_sign_in = false,
        -- True when the ticket contains a word that unchanged() in explained_by_words looks
        -- for, so that other tickets skip it.
        stays = document.positions.same ~= nil or document.positions.unchanged ~= nil
            or document.positions.change ~= nil,
        everyone = false,
        expiry_notice = false,
        -- "Will I be locked out when I get back?" asks what happens, not for a reset.
        expiry_request = any_of(document, EXPIRY_REQUESTS, function(index)
            return not negated(document, index) and not document.question[index]
        end),
        -- "I changed my password and now Outlook keeps asking for it"
        writer_changed_password = any_of(document, "change", function(index)
            return find_near(document, index, WRITER, 2, 0)
                and find_near(document, index, "password", 0, 3)
        end),
    }

    -- "How do I get the authenticator onto the new phone? Can you reset it": a reset asked
    -- for outright. A summary that names the topic ("Unlock") asks nothing outright by
    -- itself. The loop stops at the first one, because a long ticket may repeat the word.
    for word in pairs(set_of("reset unlock reenable")) do
        for _, index in ipairs(document.positions[word] or {}) do
            if not document.noise[index] and imperative(document, index)
                    and not negated(document, index, true) and not document.question[index]
                    and (index > document.summary_end
                        or REQUEST_MARKERS[document.words[index - 1] or ""]
                        or REQUEST_MARKERS[document.words[index - 2] or ""]) then
                context.reset_requested = true
                break
            end
        end
        if context.reset_requested then
            break
        end
    end

    -- A how-to question about signing in itself, with the phone or app of the second factor
    -- lost, asks for what only IT can do: the factor reset.
    for _, index in ipairs(document.positions.howq or {}) do
        local next_word = document.words[index + 1]
        if next_word == "login" or next_word == "letin" then
            for _, lost in ipairs(document.positions.lost or {}) do
                context.lost_factor_sign_in = context.lost_factor_sign_in
                    or find_near(document, lost, "phone phones mfa code codes app", 6, 6) ~= nil
            end
            for _, empty in ipairs(document.positions.empty or {}) do
                context.lost_factor_sign_in = context.lost_factor_sign_in
                    or find_near(document, empty, "mfa code codes app", 3, 0) ~= nil
            end
        end
    end

    -- "how do I" counts anywhere, a bare "how" or "which" only when it opens a sentence.
    for _, word in ipairs({"howq", "howword"}) do
        for _, index in ipairs(document.positions[word] or {}) do
            if not document.noise[index] and (word == "howq"
                    or GREETINGS[document.words[index - 1] or "|"]) then
                context.how[#context.how + 1] = index
            end
        end
    end
    table.sort(context.how)
    -- A ticket that asks nothing but a question ("MFA prompts twice ... Is this normal?") is
    -- about that question, wherever it stands.
    context.how_topic = context.how[1] ~= nil
        and (in_topic(document, context.how[1]) or not context.request)

    -- "Everyone" after a greeting ("hello everyone") names no one who cannot sign in.
    for _, index in ipairs(document.positions.everyone or {}) do
        if not GREETING_WORDS[document.words[index - 1] or ""] then
            context.everyone = true
        end
    end
    -- "Nobody can open the S drive" is a fault that hits everyone too, where "nobody has the
    -- password" or "nobody knows it" says why it is asked for. "Nobody has lost access" is
    -- still about everyone.
    for _, index in ipairs(document.positions.nobody or {}) do
        local verb = document.words[index + 1] or ""
        local holds = set_of("have has had")[verb]
            and set_of("it them the a any this that")[document.words[index + 2] or ""]
        if not (holds or set_of("know knows knew remember remembers")[verb]) then
            context.everyone = true
        end
    end
    for _, index in ipairs(document.positions.expire or {}) do
        if find_near(document, index, EXPIRY_NEIGHBOURS, 3, 3) then
            context.expiry_notice = true
        end
    end
    return context
end

-- True when a how-to question opens the sentence of index at most WINDOW tokens before it.
local function inside_how(document, context, index)
    for _, how in ipairs(context.how) do
        if how <= index and index - how <= WINDOW then
            local crossed = false
            for between = how + 1, index - 1 do
                crossed = crossed or document.words[between] == "|"
            end
            if not crossed then
                return true
            end
        end
    end
    return false
end


-- "Already", alone or in a phrase ("accounts done by HR already", "already set up").
local ALREADY = words("alreadyhave already")

local CHANGE_VERBS = words("change update")

-- Reasons whose change the writer makes first and IT then copies into the records.
local RECORD_CHANGES = words("contact_change payment_change")

-- Reasons that grant access, which a fault report explains away ("my access to the share is
-- broken" asks for a fix, not a grant), and reasons of signing in.
local GRANTS_OF_ACCESS = words([[
access_grant new_account admin_rights mail_delegation physical_access
]])
local SIGN_IN = words("password_reset account_unlock mfa_reset")
local FAILURES = words("cant fault lockedout locked")

-- Equipment for starters, which alone asks for no account ("new starter laptop build").
local STARTER_HARDWARE = words([[
hardwareonly laptop laptops monitor monitors pc pcs desk desks equipment kit phone phones build
headset
]])
local SIGN_IN_OBJECTS = words("account login access credential password mailbox email")
-- Documents about starters, which ask for no account ("the new starter checklist").
local STARTER_DOCUMENTS = words([[
checklist checklists pack packs guide guides template templates handbook policy process
]])
-- Care of a mailbox, which gives no one access to it ("mailbox full", "restore my mailbox").
local MAILBOX_CARE = words([[
full size quota retention restore archive increase reduce space migration migrate move
]])
-- Reasons whose object can be bought as a device or for stock: tokens, cards, starters' kit.
local BOUGHT_THINGS = words("mfa_reset physical_access new_account")
local PURCHASE_WORDS = words("order buy purchase stock quote po")
-- A card handed back or found, which gives no one entry.
local RETURNED = words("available return returned found recovered")
-- Verbs that put an app on a device ("install the authenticator", "roll out Duo").
local APP_INSTALLS = words("install reinstall roll deploy")

-- True when a hit is asked outright in a sentence of the details after the one of a mark
-- (asked_apart in explained_by_words' block).
local asked_apart

--[[
Returns the safe reason that the words around a hit give it, or nil: a negation, a removal, a
question, a phishing report, a notice, a report that something works again. requested is true
when the hit's verb of granting is asked for outright, which only a negation, a question and a
quoted request under "that's done" override.
]]
local explained_by_words
do
    -- Verbs that make an account or a login, read as a participle after it ("the logins created
    -- for the temps").
    local MAKING_VERBS = words("make create setup")
    local DEFINITE_WORDS = words("the those these their")

    -- True when the hit's verb of making comes after "the" and its object in the details
    -- ("Please delete the accounts made for the temps"). Such a verb names accounts that exist,
    -- so it counts as no verb against a removal. A summary's "Account set up" asks for one.
    local function made_already(document, found)
        local list, object, verb = document.words, found.object, found.verb
        return found.strong and not found.imperative and verb ~= nil and verb > object
            and object > document.summary_end and MAKING_VERBS[list[verb]] == true
            and DEFINITE_WORDS[list[object - 1] or ""] == true
    end

    -- Words before a verb that ask for it outright ("I need", "we want").
    local ASKING_SUBJECTS = words("i we")
    -- Words that may open a sentence before its request ("Also please", "PS can you"), and the
    -- request markers that open one ("Please remove", "Can you delete").
    local REQUEST_LEADS = words("also and ps btw so then now just")
    local OPENING_MARKERS = words("please canyou cani")

    -- True when the sentence of index opens with a request before it: index itself or a marker
    -- of OPENING_MARKERS, after nothing but REQUEST_LEADS ("Please remove", "Also please
    -- forward", "PS can you reset", "Please can Sam have"). "It wants me to reset" and "I need
    -- to log in" report what someone wants.
    local function opens_sentence(document, index)
        local list = document.words
        local start = index
        while start > index - 12 and not GREETINGS[list[start - 1] or "|"] do
            start = start - 1
        end
        if not GREETINGS[list[start - 1] or "|"] then
            return false
        end
        while REQUEST_LEADS[list[start]] and start < index do
            start = start + 1
        end
        return start == index or OPENING_MARKERS[list[start]] == true
    end

    -- Words after "same X as" that compare with the past, not with a person.
    local SAME_AS_BEFORE = words("before now always usual ever previously")
    -- Periods after "as last" ("same account as last quarter").
    local LAST_PERIODS = words("time week month quarter year")

    -- True when the words after "as" at index name the past or present ("as now", "as last
    -- quarter"), not a person ("as last year's intern").
    local function as_before(list, index)
        local next_word = list[index + 1] or ""
        if next_word == "last" then
            return LAST_PERIODS[list[index + 2] or ""] == true and list[index + 3] ~= "'s"
        end
        return SAME_AS_BEFORE[next_word] == true
    end
    -- Verbs of holding before "same" ("she has the same login", "he's keeping the same").
    local HOLDING_SAME = words("has have had keep keeps keeping using stay stays")
    -- Words before a trailing "same" that state it ("stay the same", "are the same").
    local STAYING = words("stay stays staying remain remains is are will can look looks")

    -- True when the object at index is said to stay as it is: "same" shortly before it, held
    -- ("she has the same login") or compared with the past ("same login as before"), or "stay
    -- the same", "unchanged" or "not change" shortly after it. "The same access as Tom" and
    -- "can she have the same access" ask for a grant.
    local function unchanged(document, index)
        local list = document.words
        -- "Same staff logins as now": "same" itself, with what stays named after it.
        if list[index] == "same" then
            local as = find_in_sentence(document, index, "as", 0, 3)
            if as and as_before(list, as) then
                return true
            end
        end
        local same = find_in_sentence(document, index, "same", 3, 0)
        if same then
            local as = find_in_sentence(document, index, "as", 0, 3)
            if as then
                return as_before(list, as)
            end
            local holding = find_in_sentence(document, same, HOLDING_SAME, 3, 0)
            return holding ~= nil and not find_in_sentence(document, holding,
                "can could may canyou cani will", 3, 0)
        end
        local after = find_in_sentence(document, index, "same unchanged change", 0, 6)
        if after == nil then
            return false
        end
        if list[after] == "same" then
            return list[after - 1] == "the" and STAYING[list[after - 2] or ""] == true
        end
        return list[after] == "unchanged" or list[after - 1] == "not"
    end

    --[[
    True when the hit is asked for outright in a sentence of the details after the one of mark
    (the index of a how-to question, a report that something works again or a notice), so that
    mark is about something else ("Printer is working now, thanks. Change our bank details
    to the account below."). A hit in the summary, quoted, in a question or negated is not.
    With failures, a sign-in that fails for the writer counts as asked ("Is it OK to call? I'm
    locked out"), as it does without a question.
    ]]
    function asked_apart(document, found, mark, failures)
        local at = found.verb or found.object
        -- "I want to change my password myself" asks for the way, not for IT to act.
        if not mark or mark > at or at <= document.summary_end or document.quoted[at]
                or document.question[at] or negated(document, at)
                or find_in_sentence(document, at, SELF_SERVICE, 0, 6) then
            return false
        end
        -- A verb that opens a sentence asks for it ("Change our bank details"), but an object
        -- that opens one is a heading or a field ("Lockout count: 1"). "I need" asks for an
        -- object right after it, not for one further on ("I want to stop keeping logins").
        local list = document.words
        local asked
        if failures and (FAILURE_TOKENS[list[found.object]] or FAILURE_TOKENS[list[at]]) then
            asked = not negated(document, at, true)
        elseif REQUEST_MARKERS[list[at]] then
            -- One word may stand between ("I also need", "we still need"). A marker that opens
            -- its sentence asks for the object after it, whatever the verb between ("Please
            -- remove the MFA from Mark's account", "Also please forward his mail to me").
            local opens = OPENING_MARKERS[list[at]] and opens_sentence(document, at)
            asked = found.object > at and (((ASKING_SUBJECTS[list[at - 1] or ""]
                    or ASKING_SUBJECTS[list[at - 2] or ""]) and found.object - at <= 3)
                or (opens and found.object - at <= WINDOW + 1))
        else
            asked = (found.verb ~= nil and imperative(document, at))
                or find_in_sentence(document, at, REQUEST_MARKERS, 6, 0) ~= nil
        end
        if not asked then
            return false
        end
        for between = math.min(mark, at) + 1, math.max(mark, at) - 1 do
            if list[between] == "|" then
                return true
            end
        end
        return false
    end

    -- Words after a verb that end the thing asked for ("get my password reset today"), where a
    -- noun would make the verb a modifier ("get my password reset link to work").
    local CAUSATIVE_ENDS = words([[
    | for to as so please again today asap now because since back on before by
    ]])

    --[[
    True when a how-to question asks how to get the thing from IT, which the answer hands over:
    "How do I get my password reset?" (the object, then what is done to it) or "How do I get a
    fob for the side door?" (a grant got, not the writer's own thing). "How do I get to the
    calendar" and "how do I get my signature to show" ask the way.
    ]]
    local function gets_from_it(document, context, found)
        local list = document.words
        for _, how in ipairs(context.how) do
            local distance = found.object - how
            -- "How do we update the bank account you pay into?": a record that the reader of
            -- the ticket keeps, which only they can change.
            if distance > 1 and RECORD_CHANGES[found.reason]
                    and inside_how(document, context, found.object)
                    and find_in_sentence(document, found.object, "you", 0, 2) then
                return true
            end
            if distance > 1 and distance <= WINDOW + 1 and list[how + 1] == "get"
                    and inside_how(document, context, found.object) then
                if found.verb ~= nil and found.verb > found.object and found.verb - how <= WINDOW + 2
                        and CAUSATIVE_ENDS[list[found.verb + 1] or "|"] then
                    return true
                end
                -- "How do I get my MFA moved": a participle after the object, which the
                -- policy does not read as a verb.
                local participle = list[found.object + 1] or ""
                if found.verb == how + 1 and (participle:find("..ed$") or participle == "reset")
                        and CAUSATIVE_ENDS[list[found.object + 2] or "|"] then
                    return true
                end
                local after = list[how + 2]
                if GRANTS_OF_ACCESS[found.reason] and after ~= "my" and after ~= "to"
                        and (found.verb == nil or found.verb == how + 1) then
                    return true
                end
            end
        end
        return false
    end

function explained_by_words(document, context, found, requested)
    local reason = found.reason
    local object = found.object

    -- "No need to reset it", "I don't need access any more", "I cannot add him", "to avoid
    -- being locked out".
    local verb_word = found.verb and document.words[found.verb]
    if found.verb ~= nil and not found.missing
            and negated(document, found.verb, GRANT_VERBS[verb_word], RECORD_CHANGES[reason]) then
        return "other"
    end
    local list = document.words
    local before_verb = verb_word and list[found.verb - 1]
    if before_verb == "who" then
        -- "I'll let you know later who needs access": people to be named, not a request yet.
        if NEEDS[verb_word]
                and find_in_sentence(document, found.verb, "tell know confirm send", 4, 0) then
            return "other"
        end
        -- "The person at the bank who set up our online banking", "who created Tom's account?":
        -- a verb of granting after "who" names who did it, and asks IT for nothing.
        if GRANT_VERBS[verb_word] and not requested then
            return "other"
        end
    end
    -- "Unlocked myself with the self-service page": the writer did it, so nothing is asked.
    -- "I've locked myself out" and "I can't unlock myself" are failures, and "please provide
    -- myself" asks.
    local acted = found.verb or object
    if SELF_SERVICE[list[acted + 1]] and list[acted + 1] ~= "own" and not requested
            and acted > document.summary_end and not FAILURE_TOKENS[list[acted]]
            and not find_in_sentence(document, acted, NEGATORS_AND_FAILURE, 3, 0) then
        return context.resolved and "resolved" or "how_to"
    end
    -- "The account will unlock automatically", "users will be asked to register at their next
    -- sign-in": what a system does or asks of users, which no one asks IT for.
    local after_verb = before_verb == "will" and list[found.verb + 1]
    if verb_word and ((before_verb == "will"
                and (after_verb == "automatically" or after_verb == "itself"))
            or (before_verb == "to"
                and set_of("asked prompted required forced")[list[found.verb - 2] or ""]
                and set_of("be is are was were been")[list[found.verb - 3] or ""]
                and not find_in_sentence(document, found.verb, "i we", 6, 0))) then
        return "notification"
    end
    -- "Where I can reset my own password", "for staff to reset their own MFA": the writer or
    -- the staff do it themselves, which asks IT for nothing but the way.
    if verb_word and GRANT_VERBS[verb_word] and list[found.verb + 2] == "own"
            and set_of("my their our")[list[found.verb + 1] or ""]
            and find_in_sentence(document, found.verb, "i we they staff user everyone people", 4, 0)
            then
        return "how_to"
    end
    -- "I've changed banks" asks for the record to follow, like "I've changed my mobile".
    if found.verb == nil and negated(document, object, false, RECORD_CHANGES[reason]) then
        return "other"
    end
    -- "If I'm locked out on a weekend, who do I call?": a failure that may come, not one that
    -- has come.
    local failure_at = FAILURE_TOKENS[list[object]] and object
        or (verb_word and FAILURE_TOKENS[verb_word] and found.verb)
    if failure_at and not requested and find_in_sentence(document, failure_at, "if", 4, 0) then
        return "how_to"
    end
    -- "The laptops won't charge, so the children can't log in": a device's fault that stops a
    -- sign-in, which works once the device does. A second factor is tied to the lost or broken
    -- phone itself ("I lost my phone so I cannot do the 2 step"), so it is no device fault.
    local so = failure_at and not requested and reason ~= "mfa_reset"
        and find_in_sentence(document, failure_at, "so", 5, 0)
    if so and find_in_sentence(document, so, DEVICES, 10, 0) then
        return "hardware"
    end
    -- "Wants his account disabled": a removal asked for, where "my account is disabled" is a
    -- state to undo.
    if reason == "account_unlock" and find_in_sentence(document, object, ACCOUNT_STATES, 0, 2)
            and find_in_sentence(document, object, NEEDS, 3, 0)
            and not find_in_sentence(document, object, "my", 2, 0) then
        return "access_removal"
    end
    -- "My password was changed last week": a report of a change, not a request for one.
    if SIGN_IN[reason] and not requested and verb_word ~= nil and CHANGE_VERBS[verb_word]
            and REPORTED[list[found.verb - 1] or ""] then
        return "other"
    end

    -- A removal near the object ("remove her access", "cancel my lost card"), or anywhere for
    -- an object without a verb of granting. Forwarding and a second factor are not removed:
    -- switching MFA off is itself a way past a sign-in check.
    -- Only a requested removal explains a sign-in away, because a disabled or suspended account
    -- is what an unlock undoes, and "I deleted the app by mistake" is how a sign-in failed.
    -- A removal in an earlier sentence does not explain away a request asked outright after it
    -- ("Please remove Tom from the group. Please sort my login too").
    -- The first removal of the details is looked up once a ticket, in context.details_removal.
    local removal_before = false
    if context.removal and (not found.strong or made_already(document, found)) then
        if context.details_removal == nil then
            local removal = best_of(document, REMOVAL_VERBS, function(index)
                return index > document.summary_end and {index = index} or nil
            end)
            context.details_removal = removal and removal.index or false
        end
        removal_before = context.details_removal
            and asked_apart(document, found, context.details_removal)
    end
    -- "Delete the old temp logins and create new ones": new ones made after the removal
    -- replace what it removed, so the removal explains nothing away.
    local replaced = found.verb ~= nil and found.verb > object and GRANT_VERBS[verb_word]
        and list[found.verb + 1] == "newone"
    if reason == "account_unlock" or reason == "password_reset" then
        if not requested and not replaced and removal_in_sentence(document, object) then
            return "access_removal"
        end
        if not found.strong and not context.grant_requested and context.removal_requested
                and not removal_before and not replaced then
            return "access_removal"
        end
    -- Removing a sender from a filter lets it in ("remove their domain from the filter").
    elseif reason ~= "mail_forwarding" and reason ~= "mfa_reset"
            and list[object] ~= "blockrelease" then
        if not requested and not replaced
                and find_in_sentence(document, object, REMOVAL_VERBS, WINDOW, WINDOW) then
            return "access_removal"
        end
        if (context.removal_summary or context.removal)
                and (not found.strong or made_already(document, found))
                and not context.grant_requested and not removal_before and not replaced then
            return "access_removal"
        end
    elseif reason == "mfa_reset" and not requested and not context.reset_requested
            and list[object] == "mfa" then
        -- "Please install the authenticator on the new phones", "Reinstall authenticator": the
        -- app is software, and installing it registers no factor. "I reinstalled it" is what
        -- the writer tried. The branch is here so that other hits pay nothing for it.
        local install = find_in_sentence(document, object, APP_INSTALLS, WINDOW, 0)
        if install and not SUBJECTS[list[install - 1] or ""]
                and not SELF_ACTION[list[install - 1] or ""] then
            return "software"
        end
    end

    -- "Her accounts are already set up": nothing left to grant.
    if not requested and find_in_sentence(document, object, ALREADY, WINDOW, WINDOW) then
        return "other"
    end
    -- "The same log in as before", "bank details stay the same", "bank details are not
    -- changing": the thing is named to say it stays as it is. "The same access as Tom" copies
    -- someone's access, which is a grant.
    if context.stays then
        if unchanged(document, object) then
            return "other"
        end
        -- "Bank details are not changing" settles every other mention of the bank in the
        -- ticket ("a letter for the bank") that is neither asked for outright nor near a change
        -- ("same sort code, the account number changes"). The requests that follow such a
        -- statement ("... but please pay my expenses to my savings account", "... but the
        -- account number changes to ...") are found by verb_request.
        if reason == "payment_change" and not requested
                and not find_in_sentence(document, object, "change update new", 4, 4) then
            for _, at in ipairs(document.positions.bankdetail or {}) do
                if at ~= object and unchanged(document, at) then
                    return "other"
                end
            end
        end
    end

    -- "Can you check my access to Xero?": access the writer already holds.
    if reason == "access_grant" and not found.strong and list[object - 1] == "my" then
        return "other"
    end

    -- A question about doing it oneself, or for information. A summary's object without a verb
    -- has the question of the details' first sentence ("Own password" above "Can I change it
    -- myself?"). A how-to question in the topic does not explain away a failed sign-in outside
    -- it ("How do I get it back? I can't log in without it"), and no how-to question explains
    -- away a sign-in when a reset is asked for outright ("... Can you reset it").
    local failed_sign_in = SIGN_IN[reason] and found.verb ~= nil
        and FAILURES[list[found.verb]] == true
    local summary_question = found.verb == nil and object <= document.summary_end
        and document.question[document.summary_end + 2]
    local how_question = summary_question or inside_how(document, context, object)
        or (context.how_topic and not requested and not failed_sign_in
            and not asked_apart(document, found, context.how[1], true))
    -- A request outright outside the question ("... about the authenticator? Can you move it
    -- for me?") is asked beside it, not in it.
    local reset_asked = (SIGN_IN[reason] and context.reset_requested)
        or (requested and found.verb ~= nil and not inside_how(document, context, found.verb)
            and not document.question[found.verb])
    -- "Is there a way to switch off the code?" asks IT to do it: no one can switch off their
    -- own second factor, nor give themselves the right to install software.
    -- "Is there a way for Sam to get access to the Sales channel?" asks for Sam's access: a
    -- grant to someone named is for IT to do, however it is asked.
    local for_someone = how_question and GRANTS_OF_ACCESS[reason]
        and find_in_sentence(document, object, "for", 8, 0)
    local someone = for_someone and list[for_someone + 1] or "me"
    if for_someone and list[for_someone + 2] == "to"
            and set_of("get have be see join")[list[for_someone + 3] or ""]
            and (document.capitalised[for_someone + 1] or PEOPLE[someone])
            and someone ~= "me" and someone ~= "us" and someone ~= "myself" then
        how_question = false
    end
    if how_question and (context.lost_factor_sign_in or gets_from_it(document, context, found))
            then
        how_question = false
    end
    if not (found.switched_off or found.install_right)
            and ((how_question and not reset_asked) or document.question[object]
            or (found.verb ~= nil and document.question[found.verb])) then
        return "how_to"
    end
    -- A phishing report quotes requests ("reset your password") that no one sends to IT. A
    -- request of the writer's asked outright in a later sentence is not the phishing mail's
    -- ("We got a phishing email about MFA. Please remove the MFA from Mark's account").
    if context.phishing and (not requested or document.quoted[object])
            and not (asked_apart(document, found, first_of(document, "phishing spam"))
                and opens_sentence(document, found.verb or object)
                and not find_in_sentence(document, object, "you your", 2 * WINDOW, 2 * WINDOW))
            then
        return "security_report"
    end
    if find_near(document, object, "your", 2, 0) and not requested then
        return "notification"
    end
    -- The summary of a reply ("Re: Forward Graham's mail") quotes the request it answers, and
    -- "Unlock done" reports the request done in the same words. A sign-in that "still" fails
    -- in a later sentence is a fault of its own ("My laptop is working fine. I still can't
    -- sign in to Xero"), where "ignore my ticket about being locked out" is not.
    if context.resolved and (not requested or document.quoted[object]
            or (found.verb ~= nil and document.quoted[found.verb])
            or (object <= document.summary_end and list[1] == "re")
            or find_in_sentence(document, found.verb or object, "resolvedmark", 0, 3))
            and not asked_apart(document, found, context.resolved,
                find_in_sentence(document, found.verb or object, "still", 3, 0) ~= nil) then
        return "resolved"
    end
    -- A password's expiry notice is not about a second factor ("Your password will expire in 5
    -- days. Please remove my MFA").
    if context.expiry_notice and not requested and SIGN_IN[reason] and reason ~= "mfa_reset"
            and not context.expiry_request then
        return "password_expiry_notice"
    end
    -- An alert reports what was done ("a forwarding rule was created on accounts@"), which
    -- no one asks IT to do, and its subject names what it reports ("Mailbox rule created"
    -- above "Alert: a mailbox rule ... was created"). context.automatic is tested first
    -- because this runs for every hit.
    if context.automatic and not asked_apart(document, found, context.automatic) then
        if (context.automatic_summary and not requested)
                or (not context.request and not found.strong)
                or (not requested and find_in_sentence(document, object, "was were", 10, 10)) then
            return "notification"
        end
        if not requested and object <= document.summary_end
                and in_topic(document, context.automatic)
                and not find_in_sentence(document, object, REQUEST_MARKERS, 8, 8) then
            return "notification"
        end
    end
    return nil
end
end

-- True when a fault is reported about the object at index: in its sentence, anywhere for an
-- object in the summary, or in the topic for an object in the topic. A fault in another
-- sentence of a long ticket ("the coffee machine is broken ... I'll need to get into their
-- folder") is about something else, and so is the first message's fault for a request in a
-- reply ("My monitor flickers", then "I also need access to the finance share"), however short
-- the details.
local function fault_about(document, context, index)
    if not context.fault then
        return false
    end
    -- A fault in a form's field that gives the reason ("Justification: the VPN is down, so I
    -- need the files") says why the request is made, not that its object is broken.
    if context.fault_outside_reason == nil then
        local list = document.words
        context.fault_outside_reason = any_of(document, FAULTS, function(at)
            local start = at - 1
            while start > 1 and start > at - 40 and list[start] ~= "|" do
                start = start - 1
            end
            local label = list[start - 1]
            return not (list[start] == "|" and (label == "reason" or label == "justification"
                or label == "purpose"))
        end)
    end
    if index <= document.summary_end then
        return context.fault_outside_reason
    end
    if context.topic_fault == nil then
        context.topic_fault = first_in_topic(document, FAULTS) or false
    end
    return (context.topic_fault and in_topic(document, index) and index <= document.details_end)
        or find_in_sentence(document, index, FAULTS, 50, 50) ~= nil
end

-- Returns the safe reason that the kind of object of a hit gives it, or nil: a room booking, a
-- starter's laptop or checklist, care of a mailbox, a returned card, a fault.
local explained_by_object
do
    -- Places a number or name is published, which no identity check uses.
    local PUBLIC_PLACES = words("website signature directory letterhead leaflet brochure")
    -- Programs and devices that the writer adds their own account to ("add my Gmail account to
    -- Outlook").
    local ACCOUNT_HOSTS = words("outlook app phone laptop pc ipad tablet browser")
    -- Words of a fault for everyone, of a program's prompt and of the writer's own password
    -- change, which explain away sign-ins anywhere in the ticket.
    local TICKET_FAULTS = words("everyone nobody prompting licence change")

    -- True when the hit is asked outright in a sentence after mark, the index of what would
    -- explain it away, in the details. A mark in the summary names the ticket's topic.
    local function asked_after(document, found, mark)
        return mark ~= nil and mark ~= false and mark > document.summary_end
            and asked_apart(document, found, mark)
    end

    -- Programs that run on the writer's device, which IT installs or sets up ("set Outlook up
    -- on my new laptop"). Systems with a sign-in of their own (Sage, Xero, the VPN) are not
    -- here, because access to them is a grant.
    local PROGRAMS = words([[
    outlook teams office word excel powerpoint onedrive chrome firefox edge zoom acrobat adobe
    forticlient
    ]])
    -- Devices and the pronoun of one, after "on" ("put Teams on my phone", "set it up on it").
    local DEVICE_TARGETS = words([[
    phone phones laptop laptops pc pcs computer ipad tablet mac macbook desktop it
    ]])

    -- True when the hit puts a program on a device: a program within two words of the object
    -- and "on" a device later in the sentence. Whether the ticket names a program at all is
    -- kept in context.program, so that a ticket without one costs a lookup per hit.
    local function program_on_device(document, context, object)
        if context.program == nil then
            context.program = false
            for word in pairs(PROGRAMS) do
                context.program = context.program or document.positions[word] ~= nil
            end
        end
        local program = context.program and find_in_sentence(document, object, PROGRAMS, 2, 2)
        local on = program and find_in_sentence(document, math.max(object, program), "on onto",
            0, 3)
        return on and find_in_sentence(document, on, DEVICE_TARGETS, 0, 4) ~= nil
    end

    -- True when the writer gives leave to do it: "go ahead", "just do it", "happy for you to",
    -- "feel free to".
    local function gives_leave(document)
        local list = document.words
        for _, at in ipairs(document.positions.ahead or {}) do
            if list[at - 1] == "go" then
                return true
            end
        end
        for _, at in ipairs(document.positions["do"] or {}) do
            if list[at - 1] == "just" and list[at + 1] == "it" then
                return true
            end
        end
        for _, at in ipairs(document.positions.to or {}) do
            if (list[at - 1] == "you" and list[at - 2] == "for" and list[at - 3] == "happy")
                    or (list[at - 1] == "free" and list[at - 2] == "feel") then
                return true
            end
        end
        return false
    end

function explained_by_object(document, context, found, requested)
    local reason = found.reason
    local object = found.object

    if context.booking and (reason == "access_grant" or reason == "mail_delegation") then
        return "other"
    end
    local list = document.words
    local word = list[object]
    -- "Our bank's website won't load": a word followed by a possessive names the owner of what
    -- comes next, not the thing asked for. "Their bank's changed" is "has changed".
    local owned = list[object + 2] or "|"
    if list[object + 1] == "'s" and not requested and not CHANGE_VERBS[owned]
            and not STATE_WORDS[owned] and not owned:find("ed$") then
        return fault_about(document, context, object) and "fault_report" or "other"
    end
    if word == "approver" then
        -- "A call with our account manager": a person met, not a role given.
        if list[object - 1] == "with" or (list[object - 2] == "with"
                and set_of("our the my your their a")[list[object - 1]]) then
            return "other"
        end
    elseif word == "newaccount" then
        -- "We opened a new account with Ebuyer": an account the writer already made, with a
        -- supplier, not a sign-in for IT to create.
        local subject = not requested and find_in_sentence(document, object, "we i", 4, 0)
        if subject and set_of("open opened created made setup")[list[subject + 1] or ""] then
            return "other"
        end
    elseif word == "unlock" then
        -- "My iPhone screen won't unlock with Face ID": the lock of a phone or tablet, which
        -- is not a company sign-in. A laptop's or PC's lock is the writer's account.
        if found.verb == nil and find_in_sentence(document, object,
                    "phone phones iphone ipad tablet mobile screen", 4, 0)
                and not find_in_sentence(document, object, "account login laptop pc computer", 6, 6)
                then
            return "hardware"
        end
    end
    -- "Change my surname on my account": a change to how the account is shown, not to who can
    -- sign in with it.
    -- So is a wrong name on a sign-in ("my login shows the wrong job title").
    if found.verb ~= nil and CHANGE_VERBS[document.words[found.verb]]
            and (find_near(document, found.verb, PROFILE_FIELDS, 0, 4)
                or find_near(document, object, PROFILE_FIELDS, 2, 2)) then
        return "other"
    end
    if SIGN_IN[reason] and not requested
            and find_in_sentence(document, object, PROFILE_FIELDS, 0, WINDOW) then
        return "other"
    end
    -- Accounts made already ("already", "were set up") leave the kit as all that is asked. A
    -- starter in the summary or a short opening ("Form: New Starter") goes with kit anywhere
    -- in the form below it.
    if reason == "new_account" then
        -- "Laptop: already has one" says the kit is there, not the accounts.
        local accounts_made = any_of(document, ALREADY, function(index)
            return find_near(document, index, STARTER_HARDWARE, 3, 0) == nil
        end) or any_of(document, "setup create",
            function(index)
                return REPORTED[document.words[index - 1] or ""] == true
            end)
        local kit = find_near(document, object, STARTER_HARDWARE, WINDOW, WINDOW)
            or ((object <= document.summary_end or in_short_opening(document, object))
                and accounts_made and first_of(document, STARTER_HARDWARE))
        if kit and (first_of(document, SIGN_IN_OBJECTS) == nil or accounts_made) then
            return "hardware"
        end
    end
    if reason == "contact_change" and find_near(document, object, PUBLIC_PLACES, 12, 12) then
        return "other"
    end
    if reason == "new_account" and find_near(document, object, "my", 3, 0)
            and find_in_sentence(document, object, ACCOUNT_HOSTS, 0, 5) then
        return "software"
    end
    if reason == "new_account" and find_near(document, object, STARTER_DOCUMENTS, 3, 2) then
        return "other"
    end
    -- "Can you upgrade my account to the Pro plan": an account the writer already has is no
    -- new account.
    if reason == "new_account" and not found.strong and not found.missing
            and OBJECTS[document.words[object]] == "account" and document.words[object - 1] == "my"
            then
        return "other"
    end
    -- "Please order 5 YubiKeys to keep in stock": buying the thing gives it to no one yet.
    -- A purchase in the summary is the ticket's topic ("Quote for 5 laptops").
    -- A purchase word before a system's name names the system ("a login for the stock system").
    -- A purchase order comes with its number or an article ("PO 4471", "a PO for five keys").
    -- Any other "po" is the Filipino polite particle ("thank you po", "she need account po").
    local purchase_words = PURCHASE_WORDS
    local polite = document.positions.po ~= nil
    for _, at in ipairs(document.positions.po or {}) do
        local after, before = document.words[at + 1] or "", document.words[at - 1] or ""
        if after:find("%d") or after == "longnumber"
                or set_of("number for attached reference ref")[after]
                or set_of("a the our your raise raised new")[before] then
            polite = false
        end
    end
    if polite then
        purchase_words = set_of("order buy purchase stock quote")
    end
    local bought = not found.strong and BOUGHT_THINGS[reason]
        and (find_near(document, object, purchase_words, WINDOW, WINDOW)
            or in_summary(document, purchase_words))
    local purchase_word = bought and find_near(document, object, purchase_words, WINDOW, WINDOW)
    if purchase_word and set_of("system systems app portal software database")[
            document.words[purchase_word + 1] or ""] then
        bought = false
    end
    -- "Can you quote me for changing the door code? Happy for you to just do it": a quote
    -- with leave to go ahead asks for the act too, unless something is bought as well.
    if bought and not first_of(document, "order buy purchase stock po")
            and gives_leave(document) then
        bought = false
    end
    if bought then
        return "purchase"
    end
    -- "Can you put Teams and Outlook on my new phone": software on a device, where "put Sarah
    -- on the Teams channel" adds a person.
    if reason == "access_grant" and program_on_device(document, context, object) then
        return "software"
    end
    -- "Please install the printer on my laptop, I don't have the rights": rights missing is why
    -- IT is asked to install, not a request for them.
    if found.missing and (reason == "access_grant" or reason == "admin_rights")
            and not context.grant_requested and any_of(document, "install update upgrade",
                function(index)
                    return imperative(document, index)
                end) then
        return "software"
    end
    -- "Adobe keeps asking for an admin login to update": the program's prompt, not a request.
    if (reason == "admin_rights" or OBJECTS[document.words[object]] == "account")
            and not requested and has(document, "prompting")
            and not asked_after(document, found, first_of(document, "prompting")) then
        return "software"
    end
    -- Care right next to the mailbox ("extend the mailbox size") counts even when asked for.
    if reason == "mail_delegation" and (not requested or find_near(document, object,
            MAILBOX_CARE, 1, 2)) and find_near(document, object, MAILBOX_CARE, WINDOW, WINDOW) then
        return "other"
    end
    if reason == "physical_access" and not requested
            and find_near(document, object, RETURNED, 8, 8) then
        return "other"
    end

    -- A sign-in that fails for everyone is a fault of the service, and a password that a
    -- program keeps asking for, or asks for after the writer changed it, is a fault of the
    -- program. A password that itself fails ("asks for a password that doesn't work") is the
    -- account's.
    local password_fails = found.verb ~= nil and found.verb > object
        and found.verb - object <= 3 and document.words[found.verb] == "fault"
    -- A fault for everyone or a program's prompt in an earlier sentence does not explain away
    -- a request asked outright after it ("Nobody can print. Please remove the MFA from Mark's
    -- account").
    if SIGN_IN[reason] and not requested and (context.everyone
                or (context.program_fault and not password_fails)
                or context.writer_changed_password)
            and not asked_after(document, found, first_of(document, TICKET_FAULTS)) then
        return "fault_report"
    end
    -- So is a sign-in that loops or errors for everyone ("Teams login loop" above "for
    -- everyone in the office"), whatever reason its words gave.
    if context.everyone and not requested and OBJECTS[document.words[object]] == "account"
            and not asked_after(document, found, first_of(document, TICKET_FAULTS)) then
        return "fault_report"
    end
    -- Fixing a fault hands over nothing new. A fault anywhere explains away an object without a
    -- verb of granting, and a fault near it one whose verb is not requested ("the link you
    -- provided cannot be displayed").
    -- A card or fob that stops working for its holder alone is like a failed sign-in: the fix
    -- hands a working card to whoever asked. A reader that fails is the door's fault.
    local own_card = reason == "physical_access" and document.words[object] == "badge"
        and not context.everyone and not has(document, "reader")
        and not has(document, "badgedevice")
    -- Access the writer never had is no fault of it, whatever failed ("Access denied" above "I
    -- need access, I've never had it").
    if GRANTS_OF_ACCESS[reason] and not requested and not own_card and not found.never_had
            and ((not found.strong and fault_about(document, context, object)
                    and not asked_after(document, found, context.topic_fault))
                or find_in_sentence(document, object, FAULTS, 8, 8)
                or (object <= document.summary_end and find_near(document, object, FAULTS, 8, 8)))
            then
        return "fault_report"
    end
    return nil
end
end

--[[
Returns the safe reason that the ticket's context gives a hit, or nil when the hit counts
(explained_away, below). The statements read in this block name a thing to say it stays as it
is ("same members, same permissions"), that a removal ends it ("delete the old forwarding") or
that it works ("so the PIN is fine").
]]
local explained_away
do
    -- Words after "as" or "like" that compare with the past ("same list as before", "paid to
    -- the same account like always"), not with a person.
    local PAST_WORDS = words("before now always usual ever previously last")
    -- Words after a bare "same" that compare with someone, because "same as" reads as "same"
    -- ("same as Jane", "same as the other site managers").
    local COMPARED = words("the a an my his her their our him them everyone whatever")
    -- Words before "the same" that put it in a description ("with the same login", "for the
    -- same staff accounts") rather than in a request.
    local PREPOSITIONS = words("with for on to in under using from")
    local POINTERS = words("it this that them")
    -- Verbs that end a forwarding ("clear the forwarding", "please remove it").
    local FORWARD_REMOVALS = words("stop remove disable cancel delete clear")
    -- Words that may name the forwarding between its removal and the verb ("remove the old
    -- external forwarding").
    local FORWARDING_NAMES = words([[
    the a an any all old existing current external auto his her their my our its this that
    these those mailaddress email mail
    ]])

    --[[
    Reads the "same" at index on its own: returns true when it states that a thing stays as it
    is and compares it with no person ("I used the same login", "for the same staff accounts"),
    false when not ("Same access as Tom", "give her the same access"), or nil and the index of
    an earlier "same" that it follows ("Same people, same access.", "with the same login and
    the same role"), whose reading it takes.
    ]]
    local function read_same(document, index)
        local list = document.words
        local next_word = list[index + 1] or "|"
        if index <= document.summary_end or next_word == "|" or COMPARED[next_word]
                or document.capitalised[index + 1] then
            return false
        end
        local as = find_in_sentence(document, index, "as like", 0, 6)
        if as and not PAST_WORDS[list[as + 1] or ""] then
            return false
        end
        local before = list[index - 1] or "|"
        local joined = list[index - 2] == "same" or before == "and"
            or (before == "the" and list[index - 2] == "and")
        local earlier = joined and find_in_sentence(document, index, "same", 5, 0)
        if earlier then
            return nil, earlier
        end
        -- It opens its sentence, or follows a preposition ("for the same staff accounts").
        local described = before == "the" and PREPOSITIONS[list[index - 2] or ""]
        if not described and before ~= "|" then
            return false
        end
        -- No verb of granting in its sentence asks for it ("please set him up with the same
        -- access"), nor, without a preposition, a request marker ("same access for Jo please").
        for _, step in ipairs({-1, 1}) do
            for offset = 1, 12 do
                local word = list[index + step * offset]
                if word == nil or word == "|" then
                    break
                end
                if word ~= "same" and (GRANT_VERBS[word]
                        or (not described and REQUEST_MARKERS[word])) then
                    return false
                end
            end
        end
        return true
    end

    -- True when the "same" at index states that a thing stays as it is (read_same), following
    -- a chain of "same X, same Y" back to its first. The readings are kept in the document, so
    -- a ticket of many such words is read in linear time.
    local function same_unchanged(document, index)
        local readings = document.same_readings
        if readings == nil then
            readings = {}
            document.same_readings = readings
        end
        local chain, at, result = {}, index, nil
        while result == nil do
            if readings[at] ~= nil then
                result = readings[at]
            else
                chain[#chain + 1] = at
                local reading, earlier = read_same(document, at)
                result, at = reading, earlier
            end
        end
        for _, visited in ipairs(chain) do
            readings[visited] = result
        end
        return result
    end

    -- True when the forwarding verb at index is what a removal in its sentence ends: the
    -- removal right before it, with only FORWARDING_NAMES between ("delete the old quotes@
    -- forwarding"), or a removal of "it" after it ("the forwarding on jamie@, please remove
    -- it") with no other forwarding verb between. "Disable his account and forward his mail"
    -- removes something else.
    local function forwarding_removed(document, index)
        local list = document.words
        local removal = find_in_sentence(document, index, FORWARD_REMOVALS, 6, 0)
        if removal and not negated(document, removal) then
            local between = removal + 1
            while between < index and FORWARDING_NAMES[list[between]] do
                between = between + 1
            end
            if between == index then
                return true
            end
        end
        removal = find_in_sentence(document, index, FORWARD_REMOVALS, 0, 12)
        return removal ~= nil and POINTERS[list[removal + 1] or ""] == true
            and not find_in_sentence(document, index, FORWARD_VERBS, 0, removal - index - 1)
            and not negated(document, removal)
    end

    -- Sign-ins that a ticket may state to work ("the PIN is fine"), and the words that state it.
    local WORKING_CREDENTIALS = words("pin password login mfa")
    local LINKS = words("is are still")
    local WORKING_STATES = words("fine working ok")
    local WORKS = words("work works working")
    local UNSTATED = words("how howword howq if whether")

    --[[
    Returns the indexes of the sign-ins (WORKING_CREDENTIALS) that the writer's own text states
    to work, and the set of their words: the word followed by "is fine", "still works" or
    "works", or the nearest one before "it works" in its sentence ("I changed my voicemail PIN
    and it works"). Read once a document, from the few words that say something works.
    ]]
    local function read_working_credentials(document)
        local list = document.words
        local indexes, named = {}, {}
        local function mark(at)
            if at and at > document.summary_end and not document.quoted[at]
                    and WORKING_CREDENTIALS[list[at] or ""] then
                indexes[at], named[list[at]] = true, true
            end
        end
        for _, set in ipairs({WORKS, WORKING_STATES}) do
            for word in pairs(set) do
                for _, at in ipairs(document.positions[word] or {}) do
                    local before = list[at - 1] or "|"
                    local link = LINKS[before]
                    if WORKS[word] and not link then
                        mark(at - 1)
                    end
                    if link then
                        mark(at - 2)
                    end
                    local pointer = (before == "it" and WORKS[word] and at - 1)
                        or (before == "is" and list[at - 2] == "it" and WORKING_STATES[word]
                            and at - 2)
                    -- "If that's how it works" names a way of working, not a sign-in that works.
                    if pointer and not UNSTATED[list[pointer - 1] or ""]
                            and not UNSTATED[list[pointer - 2] or ""] then
                        mark(find_in_sentence(document, pointer, WORKING_CREDENTIALS, 8, 0))
                    end
                end
            end
        end
        document.working_credentials = {indexes = indexes, named = named}
        return document.working_credentials
    end

    -- True when the writer's own text states that the sign-in named at index works
    -- (read_working_credentials). A word in the summary takes what the details state of the
    -- same word. In the details only the word itself counts, so "my password works on the
    -- laptop, but the till says the password is wrong" still fails at the second word.
    local function credential_works(document, index)
        local working = document.working_credentials or read_working_credentials(document)
        if index <= document.summary_end then
            return working.named[document.words[index]] == true
        end
        return working.indexes[index] == true
    end

    -- Words of a product tier or licence added to an account that exists ("add Teams Premium
    -- to my account", "the production module added to my licence").
    local LICENCE_WORDS = words("licence premium module subscription addon plan tier")
    local GRANTED_REASONS = words("new_account access_grant")

    -- Words that name who or what receives, so a licence word after them is not the thing added.
    local RECEIVERS = words("to into onto for")
    local OWN = words("my our")
    local HELD_THINGS = words("account licence")

    --[[
    True when the verb "add" at verb adds a licence word (LICENCE_WORDS) to the writer's own
    account or licence ("add Teams Premium to my account", "the production module added to my
    licence"): the licence word after "add" and before any "to", "and" or sentence end, and
    not the object's own adjective, or between an earlier object and "added". "Give Leo a
    licence for HubSpot" (a first seat), "add a HubSpot licence for Leo", "add Sam to the
    Premium channel" and "add Tom premium access" still ask.
    ]]
    local function licence_added(document, object, verb)
        local list = document.words
        local own = find_in_sentence(document, verb, OWN, 0, 12)
        if list[verb] ~= "add" or not own or not HELD_THINGS[list[own + 1] or ""]
                and not HELD_THINGS[list[own + 2] or ""] then
            return false
        end
        local last = verb < object and object + 1 or verb - 1
        for at = math.min(object, verb) + 1, last do
            local word = list[at] or "|"
            if word == "and" or word == "|" or (verb < object and RECEIVERS[word]) then
                return false
            end
            if LICENCE_WORDS[word] and at ~= object - 1 then
                return true
            end
        end
        return false
    end

    -- Returns the safe reason of a hit whose words state what stays, ends or works rather
    -- than ask for a grant or a reset, or nil.
    local function explained_by_statement(document, found)
        local list, verb = document.words, found.verb
        if verb ~= nil and GRANTED_REASONS[found.reason] and GRANT_VERBS[list[verb]]
                and licence_added(document, found.object, verb) then
            return "licence"
        end
        if not (found.strong and found.imperative) and WORKING_CREDENTIALS[list[found.object]]
                and SIGN_IN[found.reason] and credential_works(document, found.object) then
            return "fault_report"
        end
        if verb ~= nil and list[verb] == "same" and same_unchanged(document, verb) then
            return "other"
        end
        if list[found.object] == "same" and same_unchanged(document, found.object) then
            return "other"
        end
        -- "Please remove the temps' logins and app access, same list as last year": the same
        -- people as an earlier removal, with no verb of granting between.
        if verb ~= nil and list[verb] == "same" then
            local removal = find_in_sentence(document, verb, REMOVAL_VERBS, 12, 0)
            if removal and not negated(document, removal) then
                local granted = false
                for between = removal + 1, verb - 1 do
                    granted = granted or GRANT_VERBS[list[between]] == true
                end
                if not granted then
                    return "access_removal"
                end
            end
        end
        -- "Create a 2027 folder with the same permissions as the 2026 one": a new place that
        -- copies another place's rights gives no one access they lack.
        if verb ~= nil and list[verb] == "same" then
            local as = find_in_sentence(document, verb, "as", 0, 3)
            local place = as and find_in_sentence(document, as,
                "one folder share site drive library space workspace repository", 0, 4)
            local created = place and find_in_sentence(document, verb, "create setup make", 14, 0)
            local person = false
            for between = (as or 0) + 1, (place or 0) - 1 do
                person = person or PEOPLE[list[between]] or document.capitalised[between]
            end
            if created and not person
                    and find_in_sentence(document, created, CONTAINERS, 0, 5) then
                return "other"
            end
        end
        if found.reason == "mail_forwarding" and verb ~= nil and FORWARD_VERBS[list[verb]]
                and forwarding_removed(document, verb) then
            return "access_removal"
        end
        return nil
    end

-- Returns the safe reason that the ticket's context gives a hit, or nil when the hit counts. A
-- client keyword always counts.
function explained_away(document, context, found)
    if found.keyword then
        return nil
    end
    local requested = found.strong and found.imperative
    -- A second factor switched off is no fault, whatever prompt the ticket complains of.
    if found.switched_off then
        return explained_by_words(document, context, found, requested)
    end
    return explained_by_words(document, context, found, requested)
        or explained_by_object(document, context, found, requested)
        or explained_by_statement(document, found)
end
end

--[[
Returns the hits the ticket's context leaves standing, and the safe reason of the first hit it
explained away (nil when it kept every hit). A client keyword always stands.
]]
local filter_hits
do
    -- Phrases that use a summary's one word in a harmless sense ("Admin" above "the admin
    -- team's printer"), by the token the word reads as.
    local HARMLESS_SENSES = {
        adminjob = "admin", notacredential = "password", accesspoint = "access",
        badgedevice = "badge",
    }

    -- Returns the set of the words that the ticket's harmless phrases use (HARMLESS_SENSES).
    local function harmless_words(document)
        local set = {}
        for phrase, sense in pairs(HARMLESS_SENSES) do
            if first_of(document, phrase) then
                set[sense] = true
            end
        end
        return set
    end

    --[[
    Sentence roles. Each clause is read for its mood: whether it asks IT, and who acts. A clause
    ends at a sentence boundary, at a conjunction that opens a new clause ("but", "because",
    "so"), and at "and" before a subject ("and we'll move the app over ourselves"). A request
    word in a clause whose mood reports, declines or notifies does not count by itself.
    ]]
    -- The role of each word that the clause reader looks at, so that one lookup reads a word.
    local CLAUSE_ROLES = {}
    for role, list in pairs({
        -- The end of a sentence or line.
        boundary = "|",
        -- Conjunctions that open a new clause ("so I can add them myself", "so nothing to do").
        conjunction = "but because although though while whereas so",
        -- "And" opens a new clause before a subject ("and we'll move the app over ourselves").
        link = "and",
        subject = "i we he she they you hes shes ill im ive weve hell shell theyll youll",
        -- A reflexive names who acts ("unlocked myself", "he'll move it across himself"), and so
        -- does "own" after a possessive ("she changed her own PIN").
        reflexive = "myself himself herself ourselves themselves yourself own",
        -- Words that make a clause ask IT for help, whoever else acts in it.
        ask = "please request canyou cani need want urgent",
        -- Words of ability and permission, which ask too ("so she can let herself in", "can Tom
        -- have"). After a subject outside a "so" clause they state an ability ("I know I can
        -- reset it"), and after "nobody" they make a fault for everyone.
        ability = "can could able possible allowed must",
        nobody = "nobody",
        -- Failures, which make a clause a report that needs IT ("I still can't do it myself").
        failure = "not cant fault lockedout locked forgot tried stopped expire",
        -- Words that point back at the ticket's topic ("I'll change it myself").
        pointer = "it this that them",
        -- "All good now", "please close this", "ignore my earlier request".
        resolved = "resolvedmark",
        -- "The PIN is fine", "the PIN still gets me in", "the codes are working", "it let me
        -- in after half an hour".
        fine = "fine",
        still = "still",
        working = "working",
        letin = "letin",
    }) do
        for word in list:gmatch("%S+") do
            CLAUSE_ROLES[word] = role
        end
    end
    -- Words before a reflexive that make it who gets something ("for himself", "let herself
    -- in") rather than who acts.
    local REFLEXIVE_RECEIVERS = words("for to let get ring call from")
    local POSSESSIVES = words("my her his their our your")
    -- Names of a sign-in that a notice addresses to its holder ("your network password").
    local NOTICE_OBJECTS = words("password account login access mfa pin security")
    -- The first two words of a yes-no question about a state ("will I", "is it", "does this").
    local YES_NO_OPENERS = words("will would does do is are did has have should")
    local QUESTION_SUBJECTS = words("i we it this that there")
    -- Verbs after "still" that report a thing working ("the PIN still gets me in").
    local STILL_WORKING = words("works working get gets give gives letin opens")

    -- The maximum clause length in tokens. A run-on text is read in pieces of this length, so
    -- one "please" cannot make a whole page a request.
    local CLAUSE_MAX = 40

    --[[
    Reads the clauses of the document once and stores them in document.roles: clause, the
    clause number of each token, and for each clause number its mood and whether it points back
    at the ticket's topic ("it", "this"). The moods, first match wins:
    - "request": the clause asks IT or for a permission ("please", "can you", "so she can");
    - "nobody": nobody can do something ("nobody can open the S drive");
    - "failure": it reports something that fails;
    - "self": someone other than IT acts ("unlocked myself with the self-service page");
    - "resolved": the matter is resolved or withdrawn ("ignore my request");
    - "working": a thing works ("my phone app works fine");
    - "question": a yes-no question about a state ("will I lose my saved passwords?");
    - false: none of these.
    "Resolved" and "working" fall back to false in a sentence with a failure ("works fine in
    Outlook but Citrix says it's wrong").
    ]]
    local function read_roles(document)
        local list = document.words
        local clause_of, moods, pointers = {}, {}, {}
        local clause, length, sentence_clause = 1, 0, 1
        local asks, failure, reflexive, working, pointer = false, false, false, false, false
        local ability, nobody, resolved, sentence_failure = false, false, false, false
        -- True in a clause opened by "so", whose ability is a purpose that asks.
        local purpose = false
        -- True in a question that asks what is or will be ("Will I lose the passwords saved in
        -- Chrome?", "Is it a bug?"), which asks IT to do nothing.
        local yes_no = false

        -- True when a yes-no question about a state opens at position.
        local function opens_yes_no(position)
            return YES_NO_OPENERS[list[position] or ""] == true and document.question[position]
                and QUESTION_SUBJECTS[list[position + 1] or ""] == true
        end

        -- Ends the current clause and opens the next. With sentence_end it ends the sentence
        -- too, whose failure a working or resolved clause may not stand beside ("works fine in
        -- Outlook but Citrix says it's wrong").
        local function close(sentence_end)
            moods[clause] = (asks and "request") or (nobody == true and "nobody")
                or (ability and "request") or (failure and "failure")
                or (reflexive and "self") or (resolved and "resolved") or (working and "working")
                or (yes_no and "question")
                or false
            pointers[clause] = pointer
            asks, failure, reflexive, working, pointer = false, false, false, false, false
            ability, nobody, resolved = false, false, false
            if sentence_end then
                if sentence_failure then
                    for number = sentence_clause, clause do
                        if moods[number] == "working" or moods[number] == "resolved" then
                            moods[number] = false
                        end
                    end
                end
                sentence_failure, sentence_clause = false, clause + 1
                yes_no = false
            end
            clause, length = clause + 1, 0
        end

        yes_no = opens_yes_no(1)
        for position = 1, #list do
            local word = list[position]
            local role = CLAUSE_ROLES[word]
            -- Most words have no role, and take the short way.
            if role == nil and length < CLAUSE_MAX then
                clause_of[position] = clause
                length = length + 1
                goto next_word
            end
            if role == "boundary" or length >= CLAUSE_MAX then
                close(true)
                purpose = false
                yes_no = opens_yes_no(position + 1)
            elseif role == "conjunction"
                    or (role == "subject" and CLAUSE_ROLES[list[position - 1]] == "link") then
                close(false)
                purpose = word == "so"
            end
            clause_of[position] = clause
            length = length + 1
            if role == nil then
                -- A word without a role that ends an overlong clause.
            elseif role == "ask" then
                -- "My request" is a noun, and "please" before "ignore my request" or "close
                -- this" asks for nothing new.
                -- "No need to unlock" declines.
                if not asks then
                    local previous = list[position - 1]
                    asks = not (POSSESSIVES[previous] or CLAUSE_ROLES[previous] == "resolved"
                        or CLAUSE_ROLES[list[position + 1]] == "resolved" or previous == "not")
                end
            elseif role == "resolved" then
                resolved = true
            elseif role == "ability" then
                -- "I know I can reset my own password" states an ability. "So she can let
                -- herself in" and "can Tom have" ask for it.
                ability = ability or purpose or CLAUSE_ROLES[list[position - 1]] ~= "subject"
                -- "Nobody can open the S drive", where "nobody seems to know the password"
                -- reports no fault.
                nobody = nobody == "seen" or nobody
            elseif role == "nobody" then
                nobody = "seen"
            elseif role == "failure" and not (word == "not"
                    and CLAUSE_ROLES[list[position + 1]] == "ask") then
                failure, sentence_failure = true, true
            elseif role == "reflexive" then
                -- "To my own email" names who gets the mail.
                if word == "own" then
                    reflexive = reflexive or (POSSESSIVES[list[position - 1]] == true
                        and not REFLEXIVE_RECEIVERS[list[position - 2]])
                else
                    reflexive = reflexive or not REFLEXIVE_RECEIVERS[list[position - 1]]
                end
            elseif role == "pointer" then
                pointer = true
            elseif (role == "fine" and (list[position - 1] == "is" or list[position - 1] == "are"
                        or list[position - 1] == "its"))
                    or (role == "still" and STILL_WORKING[list[position + 1] or ""])
                    or (role == "working" and (list[position - 1] == "is"
                        or list[position - 1] == "are"))
                    or (role == "letin" and list[position - 1] == "it") then
                working = true
            end
            ::next_word::
        end
        close(true)
        document.roles = {clause = clause_of, moods = moods, pointers = pointers,
            details_moods = {}}
        return document.roles
    end

    -- Returns the one mood of every use of word in the details, or false when the details do
    -- not use it or use it in clauses of different moods. Each word is read once a document.
    local function details_mood(document, word)
        local roles = document.roles or read_roles(document)
        local cache = roles.details_moods
        if cache[word] == nil then
            local mood = nil
            for _, index in ipairs(document.positions[word] or {}) do
                if index > document.summary_end then
                    local index_mood = roles.moods[roles.clause[index]]
                    if not index_mood or (mood and index_mood ~= mood) then
                        mood = nil
                        break
                    end
                    mood = index_mood
                end
            end
            cache[word] = mood or false
        end
        return cache[word]
    end

    -- Returns the mood of the clause of index (see read_roles) and whether it points back at the
    -- topic.
    local function clause_mood(document, index)
        local roles = document.roles or read_roles(document)
        local clause = roles.clause[index]
        return roles.moods[clause], roles.pointers[clause]
    end

    -- Words after "not" that decline a request ("not asking to change anything"), and those
    -- that do only after "please", because "I haven't changed anything" reads the same way.
    local DECLINING_WORDS = words("asking after want")
    local DECLINING_VERBS = words("reset change")

    -- True when a clause states that someone other than IT does the ticket's topic ("I will change
    -- it myself tonight", "I'd like to do it myself"), or that IT should not ("I don't want you
    -- to do it").
    local function topic_declined(document)
        local list = document.words
        for word, role in pairs(CLAUSE_ROLES) do
            for _, index in ipairs(role == "reflexive" and document.positions[word] or {}) do
                local mood, pointer = clause_mood(document, index)
                if pointer and (mood == "self"
                        or (mood == "request" and list[index - 1] == "it")) then
                    return true
                end
            end
        end
        for _, index in ipairs(document.positions.want or {}) do
            if list[index - 1] == "not" and list[index + 1] == "you" then
                return true
            end
        end
        -- "Not asking to change anything", "please don't reset anything", "I'm not after new
        -- access": the writer states that nothing is to be granted or reset.
        for _, index in ipairs(document.positions["not"] or {}) do
            local next_word = list[index + 1] or ""
            if (DECLINING_WORDS[next_word]
                        or (DECLINING_VERBS[next_word] and list[index - 1] == "please"))
                    and not document.quoted[index]
                    and find_in_sentence(document, index, "anything new", 0, 4) then
                return true
            end
        end
        return false
    end

    -- True when the ticket asks how or where while the writer knows the current credential
    -- ("I know the current one. Where is the option?"): a change the writer makes, because
    -- self-service asks for the current password.
    local function self_service_change(document, context)
        -- "Asked how she changes it" asks how, though not at the start of a sentence.
        if context.how[1] == nil and document.positions.howword == nil then
            return false
        end
        for _, word in ipairs({"know", "knows"}) do
            for _, index in ipairs(document.positions[word] or {}) do
                if find_in_sentence(document, index, "current old existing", 0, 3) then
                    return true
                end
            end
        end
        return false
    end

    -- Words of a writer who speaks for themselves, and phrases that contain one ("can I", "how
    -- do I", "I'd like").
    local FIRST_PERSON = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "im", "ive",
        "ill", "id", "weve", "cani", "howq", "request"}

    -- True when every "id" of the ticket names an identifier ("Alert ID: 0000", "Event ID
    -- 4740"), followed by a line end or a number, rather than reading as "I'd".
    local function identifiers_only(document)
        for _, index in ipairs(document.positions.id) do
            local next_word = document.words[index + 1] or "|"
            if next_word ~= "|" and next_word ~= "longnumber" and not next_word:find("^%d") then
                return false
            end
        end
        return true
    end

    -- True when the ticket speaks to the reader and never for its writer, as a system's notice
    -- does ("Your password will expire in 7 days. To keep access, update it"): "your" before a
    -- sign-in's name, and no first person or request marker anywhere, quotes included. "You"
    -- alone is IT ("can Ben be given rights? He keeps having to ring you"), and so is "your"
    -- before anything else ("his mobile on your system is wrong").
    local function notice_voice(document)
        local positions, list = document.positions, document.words
        -- "This is an automated notification" speaks for no writer either. "FYI" is a person's.
        local addressed = positions.automatic ~= nil
        for _, index in ipairs(positions.your or {}) do
            addressed = addressed or NOTICE_OBJECTS[list[index + 1] or ""]
                or NOTICE_OBJECTS[list[index + 2] or ""] or false
        end
        -- A form that names who filled it in ("Submitted by: Grace, Executive Assistant")
        -- speaks for that person, whatever message it quotes.
        if not addressed or positions.formrequester then
            return false
        end
        for _, word in ipairs(FIRST_PERSON) do
            if positions[word] and not (word == "id" and identifiers_only(document)) then
                return false
            end
        end
        for word in pairs(REQUEST_MARKERS) do
            if positions[word] then
                return false
            end
        end
        return true
    end

    -- Verbs of a self-service action on a sign-in, and the reasons they make.
    local SELF_SERVICE_VERBS = words("reset change unlock")
    local SIGN_IN_REASONS = {password_reset = true, mfa_reset = true, account_unlock = true}

    -- True when the hit is the writer failing at a self-service action on their own sign-in ("I
    -- can't reset my password", "I couldn't unlock my account myself"): the fix is IT's, so a
    -- negation that explained it away does not count. A question or a quote keeps it away.
    local function failed_self_service(document, found)
        local list, verb = document.words, found.verb
        if verb == nil or not SIGN_IN_REASONS[found.reason] or not SELF_SERVICE_VERBS[list[verb]]
                or document.quoted[verb] or document.question[verb] or verb > found.object then
            return false
        end
        return (list[verb - 1] == "cant" or list[verb - 2] == "cant")
            and find_in_sentence(document, found.object, "my", 2, 0) ~= nil
            and found.object - verb <= 4
    end

    -- Moods of the writer's own clauses that report the earlier matter done or fine.
    local DONE_MOODS = {resolved = true, working = true, self = true}

    -- True when the writer's own text, outside quotes, has a clause that reports the matter
    -- done or fine ("the replacement phone arrived, so that side is fine") and no hit of its
    -- own that the reader keeps, so the quoted request below it was the earlier one.
    local function reply_reports_done(document, hits, drops)
        for position, found in ipairs(hits) do
            if not document.quoted[found.object] and found.object > document.summary_end
                    and not drops[position] then
                return false
            end
        end
        local roles = document.roles or read_roles(document)
        local list = document.words
        for index = document.summary_end + 1, #list do
            if not document.quoted[index] and not document.noise[index]
                    and DONE_MOODS[roles.moods[roles.clause[index]]] then
                return true
            end
        end
        return false
    end

    -- Moods of the writer's clauses that keep a summary's topic open.
    local OPEN_MOODS = {request = true, failure = true, nobody = true}

    -- Returns "resolved" or "fault_report" when the details, outside quotes, have no hit that
    -- the reader keeps, no clause that asks or reports a failure, and a clause that reports a
    -- thing working or resolved ("once it's in, it's fine"). Returns nil otherwise.
    local function details_report_working(document, hits, drops)
        for position, found in ipairs(hits) do
            if not document.quoted[found.object] and found.object > document.summary_end
                    and not drops[position] then
                return nil
            end
        end
        local roles = document.roles or read_roles(document)
        local working = nil
        for index = document.summary_end + 1, #document.words do
            local mood = roles.moods[roles.clause[index]]
            if not document.quoted[index] and not document.noise[index] then
                if OPEN_MOODS[mood] then
                    return nil
                elseif mood == "resolved" then
                    working = "resolved"
                elseif mood == "working" then
                    working = working or "fault_report"
                end
            end
        end
        return working
    end

    -- Returns the safe reason of a hit that its clause's mood explains away, or nil. A clause
    -- where someone else acts, or that reports a thing working or resolved, asks IT for nothing.
    -- When the ticket states that someone else does its topic, only a request made outright in
    -- the details still asks.
    local function explained_by_role(document, context, found, declined)
        if context.notice_voice then
            return context.expiry_notice and "password_expiry_notice" or "notification"
        end
        if found.reason == "password_reset" and context.self_service_change
                and (found.verb == nil or document.words[found.verb] == "change") then
            return "how_to"
        end
        local roles = document.roles or read_roles(document)
        local mood = roles.moods[roles.clause[found.object]]
        -- A clause of the details that asks, or has no mood, keeps its hits unless the ticket
        -- declines its topic. Most hits end here.
        if (mood == "request" or not mood) and not declined
                and found.object > document.summary_end then
            return nil
        end
        -- A summary's object ("Rebuild laptop - passwords?") takes the mood of the same word in
        -- the details, when the details use it and every use has one mood ("Will I lose the
        -- passwords saved in Chrome?").
        if found.object <= document.summary_end
                and (found.verb == nil or found.verb <= document.summary_end) then
            mood = details_mood(document, document.words[found.object]) or mood
        end
        -- "The authenticator works fine on my old phone. Please move it to my new one": the verb
        -- asks for the object, in its own clause or by "it". "Please send a replacement
        -- handset" asks for another thing.
        local verb = found.verb
        if verb ~= nil and roles.moods[roles.clause[verb]] == "request"
                and (roles.clause[verb] == roles.clause[found.object]
                    or CLAUSE_ROLES[document.words[verb + 1] or ""] == "pointer") then
            return nil
        end
        if mood == "self" then
            return context.resolved and "resolved" or "other"
        elseif mood == "working" or mood == "nobody" then
            return "fault_report"
        elseif mood == "resolved" then
            return "resolved"
        elseif mood == "question" and not found.strong then
            return "how_to"
        elseif declined and mood ~= "request" and not (found.strong and found.imperative
                and found.object > document.summary_end) then
            return context.how[1] and "how_to" or "other"
        end
        return nil
    end

function filter_hits(document, context, hits)
    local kept, safe_reason = {}, nil
    local declined = (document.positions.myself or document.positions.himself
        or document.positions.herself or document.positions.ourselves
        or document.positions.themselves or document.positions.yourself
        or document.positions.want or document.positions["not"]) and topic_declined(document)
    context.self_service_change = (document.positions.know or document.positions.knows)
        and self_service_change(document, context)
    context.notice_voice = notice_voice(document)
    -- The summary names the topic and the details say what is asked: a summary's object
    -- ("Onboarding") goes the way of the same object in the details ("please send me the
    -- onboarding pack"), when every one of those was explained away.
    local explained_in_details, kept_in_details = {}, {}
    local drops, quoted_hits = {}, false
    for position, found in ipairs(hits) do
        if found.asked and not document.quoted[found.object] then
            -- A clause of the writer's that asks IT for a sensitive act stands, unless the
            -- ticket is a notice. A quoted one is someone's earlier words, read as any hit.
            drops[position] = context.notice_voice and "notification" or nil
        else
            drops[position] = explained_away(document, context, found)
            if drops[position] and not context.how[1] and failed_self_service(document, found)
                    then
                drops[position] = nil
            end
            if drops[position] == nil and not found.keyword then
                drops[position] = explained_by_role(document, context, found, declined)
            end
            -- "I'll ask them to add a channel": the writer asks someone other than IT.
            if drops[position] == nil and not found.keyword
                    and document.asked_others[found.object] then
                drops[position] = context.phishing and "security_report" or "other"
            end
        end
        if found.object > document.summary_end then
            quoted_hits = quoted_hits or document.quoted[found.object]
            local word = document.words[found.object]
            if drops[position] then
                explained_in_details[word] = explained_in_details[word] or drops[position]
            else
                kept_in_details[word] = true
            end
        end
    end
    -- A quoted request under a reply that reports it done asks nothing now. The summary of a
    -- reply ("RE: New phone - authenticator") quotes the request it answers in the same way.
    local reply_summary = document.words[1] == "re"
    if (quoted_hits or reply_summary) and reply_reports_done(document, hits, drops) then
        for position, found in ipairs(hits) do
            local earlier = document.quoted[found.object]
                or (reply_summary and found.object <= document.summary_end)
            if earlier and not drops[position] and not found.keyword then
                drops[position] = "resolved"
                explained_in_details[document.words[found.object]] = "resolved"
                kept_in_details[document.words[found.object]] = nil
            end
        end
    end
    -- A summary with a verb of its own ("Reset password page", "Reset password link?")
    -- goes that way only when the details ask how to do it oneself, and the subject of
    -- forwarded mail goes when the details report it as phishing ("Fw: Reset your password").
    local forwarded = set_of("fw fwd")[document.words[1] or ""] and context.phishing
    local harmless, working_reason = nil, false
    for position, found in ipairs(hits) do
        local drop = drops[position]
        local word = document.words[found.object]
        local verb_outside_summary = found.verb == nil or found.verb > document.summary_end
        if drop == nil and found.object <= document.summary_end and not kept_in_details[word]
                and (verb_outside_summary or explained_in_details[word] == "how_to") then
            drop = explained_in_details[word]
        end
        if drop == nil and forwarded and found.object <= document.summary_end and not found.keyword
                then
            drop = "security_report"
        end
        -- "Admin" above "the admin team's printer": the details show the word's sense.
        if drop == nil and found.verb == nil and found.object <= document.summary_end
                and not found.keyword and not kept_in_details[word] then
            harmless = harmless or harmless_words(document)
            if harmless[word] then
                drop = "other"
            end
            -- A summary's object without a verb ("Login screen slow") is the topic. Details
            -- that report it working and ask for nothing settle it. drops stays as the loop
            -- above left it, so each hit is read the same way.
            if drop == nil then
                if working_reason == false then
                    working_reason = details_report_working(document, hits, drops)
                end
                drop = working_reason
            end
        end
        if drop then
            safe_reason = safe_reason or drop
        else
            kept[#kept + 1] = found
        end
    end
    return kept, safe_reason
end
end

-- The reason of a ticket with no sensitive request, from its context and the words it contains.
local function safe_reason_of(document, context)
    if first_of(document, REMOVAL_VERBS) then
        return "access_removal"
    elseif context.how[1] ~= nil then
        return "how_to"
    elseif context.phishing then
        return "security_report"
    elseif context.resolved then
        return "resolved"
    elseif context.expiry_notice then
        return "password_expiry_notice"
    elseif context.automatic then
        return "notification"
    elseif first_of(document, FAULTS) then
        return "fault_report"
    end
    return "other"
end

------------------------------------------------------------------------------------------------
-- Risk
------------------------------------------------------------------------------------------------

local PHONE_SOURCES = words("phone voice call telephone")

local function add_signal(signals, code, detail)
    signals[#signals + 1] = {code = code, points = sensitive.SIGNAL_POINTS[code], detail = detail}
end

-- Returns the civil date (year, month, day) of a count of days since 1970-01-01 (Howard
-- Hinnant's days-to-civil algorithm for the proleptic Gregorian calendar).
local function civil_from_days(days)
    days = days + 719468
    local era = (days >= 0 and days or days - 146096) // 146097
    local day_of_era = days - era * 146097
    local year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524
        - day_of_era // 146096) // 365
    local day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    local month_index = (5 * day_of_year + 2) // 153
    local day = day_of_year - (153 * month_index + 2) // 5 + 1
    local month = month_index < 10 and month_index + 3 or month_index - 9
    local year = year_of_era + era * 400 + (month <= 2 and 1 or 0)
    return year, month, day
end

--[[
Returns the ticket's local time as {weekday = 1 (Monday) to 7, minutes = minutes since
midnight, date = "YYYY-MM-DD" or nil}: facts.local_time when given, else facts.received_at
shifted by settings.utc_offset_minutes. Returns nil when neither is known.
]]
local function local_time(facts, settings)
    local given = facts.local_time
    if given ~= nil then
        local date = nil
        if given.year ~= nil then
            date = string.format("%04d-%02d-%02d", given.year, given.month, given.day)
        end
        return {weekday = given.weekday, minutes = given.hour * 60 + (given.minute or 0),
            date = date}
    end
    if facts.received_at == nil then
        return nil
    end
    local seconds = math.floor(facts.received_at) + (settings.utc_offset_minutes or 0) * 60
    local days = seconds // 86400
    -- 1970-01-01 was a Thursday, weekday 4.
    local year, month, day = civil_from_days(days)
    return {weekday = (days + 3) % 7 + 1, minutes = (seconds % 86400) // 60,
        date = string.format("%04d-%02d-%02d", year, month, day)}
end

local DEFAULT_HOURS = {start = "08:00", finish = "18:00", weekdays = {1, 2, 3, 4, 5}}

local function minutes_of(clock)
    local hour, minute = clock:match("^(%d%d?):(%d%d)$")
    return tonumber(hour) * 60 + tonumber(minute)
end

-- Returns the after_hours signal's detail, or nil when the ticket came in business hours or
-- its time is unknown.
local function after_hours(facts, settings)
    local now = local_time(facts, settings)
    if now == nil then
        return nil
    end
    local hours = settings.business_hours or {}
    local start = hours.start or DEFAULT_HOURS.start
    local finish = hours.finish or DEFAULT_HOURS.finish
    local stamp = string.format("%02d:%02d", now.minutes // 60, now.minutes % 60)

    for _, holiday in ipairs(settings.holidays or {}) do
        if holiday == now.date then
            return string.format("received on the holiday %s at %s", now.date, stamp)
        end
    end
    local working_day = false
    for _, weekday in ipairs(hours.weekdays or DEFAULT_HOURS.weekdays) do
        working_day = working_day or weekday == now.weekday
    end
    if not working_day then
        return string.format("received on weekday %d (1 is Monday) at %s", now.weekday, stamp)
    end
    if now.minutes < minutes_of(start) or now.minutes >= minutes_of(finish) then
        return string.format("received at %s, outside %s-%s", stamp, start, finish)
    end
    return nil
end

local function lower_set(list)
    local set = {}
    for _, item in ipairs(list or {}) do
        set[item:lower()] = true
    end
    return set
end

local OTHER_PERSON = words("colleague onbehalf 's serviceaccount guestaccount")
local THEIR_THINGS = words([[
account password login mailbox email access credential mfa onedrive calendar laptop badge pin
temppassword rights permission phone
]])
local PRONOUNS = words("his her him he she")
local OBJECT_PRONOUNS = words("him her them")
-- People other than the writer, when named near the request ("the CEO needs his password").
local ROLES = words([[
colleague contractor intern temp starter joiner hire assistant receptionist ceo md director
boss nephew niece wife husband son daughter consultant auditor supplier client customer
]])
local GIVING_VERBS = words("give grant make let")
-- A writer who is new themselves ("I'm new and have no login yet").
local WRITER_IS_NEW = words("im i")

--[[
True when the text asks for someone else's account or access: "for my colleague", "Sarah's
password", "his account", "give him", "the CEO needs", "give Kate access", a new account, a
service account, or a reply that moves the request onto someone else. Phone tickets are a
technician's notes about the caller in the third person, so for them pronouns and names do not
count, but another person's address does. ticket and facts are those given to classify.
]]
local function names_other_person(document, result, by_phone, ticket, facts)
    local function near_thing(index)
        return find_near(document, index, THEIR_THINGS, 0, 3) and {index = index, strong = true}
            or nil
    end
    local function found_at(index)
        return {index = index, strong = true}
    end

    -- True when an address other than facts.requester_email is given as the request's account
    -- ("reset the password for bob@...", "Account: bob@..."). An address after "cc", "to" or
    -- "from" is a copy or a sender, not the account.
    local function foreign_address_named(list)
        local requester = facts.requester_email
        local positions = document.positions["mailaddress"]
        if requester == nil or positions == nil then
            return false
        end

        -- The addresses as written, in the order of the text's "mailaddress" tokens. When HTML
        -- or a skipped line makes the counts differ, any foreign address counts for them all.
        local addresses, foreign = {}, false
        local fields = {ticket.summary or "", ticket.details or ""}
        for _, reply in ipairs(ticket.replies or {}) do
            fields[#fields + 1] = reply
        end
        for _, field in ipairs(fields) do
            for address in field:lower():gmatch("[%w._%%+-]+@[%w-]+%.[%w.-]*%w") do
                addresses[#addresses + 1] = address
                foreign = foreign or address ~= requester:lower()
            end
        end

        for position, index in ipairs(positions) do
            local before = list[index - 1] or "|"
            local label = before == "|" and list[index - 2] or before
            local other = foreign
            if #addresses == #positions then
                other = addresses[position] ~= requester:lower()
            end
            if other and not document.noise[index] and not document.quoted[index]
                    and (set_of("account user username login for")[label or ""]
                        or (before ~= "|" and not set_of("cc bcc copy to from at contact via")[before]
                            and find_in_sentence(document, index,
                                "reset unlock password account login user access", 6, 0))) then
                return true
            end
        end
        return false
    end

    -- True when a reply or the text moves the request onto someone named. Examples are "the
    -- account is Bob Stone's, not mine", "for Bob rather than me", "the user is Bob Stone",
    -- "same for Bob", "also reset Bob's" and another person's address.
    local function moves_to_other_person(list)
        local function named_before(index)
            for at = index - 1, math.max(1, index - 8), -1 do
                if list[at] == "|" then
                    return false
                end
                if list[at] == "'s" or document.capitalised[at] or ROLES[list[at]] then
                    return true
                end
            end
            return false
        end

        -- "not mine", "not me", "rather than me", "other than me", "instead of me".
        for _, word in ipairs({"mine", "me"}) do
            for _, index in ipairs(document.positions[word] or {}) do
                local before = list[index - 1]
                if not document.noise[index] and (before == "not" or before == "than"
                        or (before == "of" and list[index - 2] == "instead"))
                        and named_before(index - 1) then
                    return true
                end
            end
        end

        -- "the user is Bob Stone", "the account is Bob's".
        for _, index in ipairs(document.positions["is"] or {}) do
            local subject = list[index - 1]
            if not document.noise[index] and (subject == "user" or subject == "account"
                    or subject == "username" or subject == "login")
                    and document.capitalised[index + 1] then
                return true
            end
        end

        -- "same for Bob", "same for my manager".
        for _, index in ipairs(document.positions["same"] or {}) do
            local person = list[index + 2] == "my" and list[index + 3] or list[index + 2]
            if not document.noise[index] and list[index + 1] == "for"
                    and (document.capitalised[index + 2] or ROLES[person or ""]
                        or PEOPLE[person or ""]) then
                return true
            end
        end

        -- "also reset Bob Stone's", "and Bob's too": a possessive with no thing after it.
        for _, index in ipairs(document.positions["'s"] or {}) do
            local after = list[index + 1]
            if not document.noise[index] and (document.capitalised[index - 1]
                        or ROLES[list[index - 1] or ""])
                    and (after == nil or after == "|" or after == "too" or after == "please"
                        or after == "aswell" or after == "also")
                    and (after == "too" or after == "aswell"
                        or find_in_sentence(document, index, GRANT_VERBS, 6, 0)) then
                return true
            end
        end

        return foreign_address_named(list)
    end

    if result.reason == "new_account" and not (has(document, "new")
            and find_near(document, first_of(document, "new"), WRITER_IS_NEW, 2, 0)) then
        return true
    end
    local found = best_of(document, OTHER_PERSON, function(index)
        if document.words[index] == "'s" then
            return near_thing(index)
        end
        return found_at(index)
    end)
    found = found or best_of(document, ROLES, function(index)
        if find_near(document, index, THEIR_THINGS, 4, 4)
                or find_near(document, index, GRANT_VERBS, 4, 4) then
            return found_at(index)
        end
        return nil
    end)
    -- "give Kate Morris VPN access": a capitalised word after a verb of giving.
    found = found or best_of(document, GIVING_VERBS, function(index)
        return document.capitalised[index + 1] and found_at(index) or nil
    end)
    if found == nil and not by_phone then
        found = best_of(document, PRONOUNS, near_thing) or best_of(document, OBJECT_PRONOUNS,
            function(index)
                return find_near(document, index, GRANT_VERBS, 2, 0) and found_at(index) or nil
            end)
    end
    if found ~= nil then
        return true
    end
    if by_phone then
        return foreign_address_named(document.words)
    end
    return moves_to_other_person(document.words)
end

local PRESSURE_WORDS = words("urgent ceo md director boss approved secrecy")
local NUMBER_DOUBTS = words("not different")

local function read_risk(document, ticket, facts, settings, result)
    local signals = {}
    local source = ticket.source and ticket.source:lower() or nil
    local by_phone = source ~= nil and PHONE_SOURCES[source] == true

    if by_phone then
        add_signal(signals, "phone_request", string.format("the ticket came in by %s", source))
    end
    local number = first_of(document, "phonenumber")
    if facts.caller_number_matches == false then
        add_signal(signals, "caller_number_mismatch",
            "the caller's number is not the one on file")
    elseif by_phone and facts.caller_number_matches == nil and number
            and find_near(document, number, NUMBER_DOUBTS, 3, 0) then
        add_signal(signals, "caller_number_mismatch",
            "the notes say the caller used a number other than the one on file")
    end

    if facts.own_account == false then
        add_signal(signals, "not_own_account", "the account or access is not the requester's own")
    elseif facts.own_account == nil and result.sensitive
            and names_other_person(document, result, by_phone, ticket, facts) then
        add_signal(signals, "not_own_account", "the text asks for another person")
    end

    local vip_emails = lower_set(settings.vip_emails)
    if facts.target_vip or facts.requester_vip then
        add_signal(signals, "target_vip", "halyard's facts mark the person as a VIP")
    elseif vip_emails[(facts.requester_email or ""):lower()]
            or vip_emails[(facts.target_email or ""):lower()] then
        add_signal(signals, "target_vip", "the client's settings list the person as a VIP")
    end
    if facts.target_admin then
        add_signal(signals, "target_admin", "the account holds administrator rights")
    end

    local hours = after_hours(facts, settings)
    if hours then
        add_signal(signals, "after_hours", hours)
    end
    if has(document, "noverify") then
        add_signal(signals, "avoids_verification",
            "the text asks not to call or verify the person")
    end
    if result.sensitive and has(document, "elsewhere") then
        add_signal(signals, "credential_elsewhere",
            "the text asks to send the result to another person or channel")
    end
    local pressure = first_of(document, PRESSURE_WORDS)
    if pressure then
        add_signal(signals, "pressure", string.format("the text says %q",
            document.words[pressure]))
    end

    local score = result.sensitive and sensitive.REASON_POINTS[result.reason] or 0
    for _, signal in ipairs(signals) do
        score = score + signal.points
    end
    if not result.sensitive then
        -- Signals alone describe how a ticket came in, not a risky request.
        score = math.min(score, RISK_MEDIUM - 1)
    end
    score = math.min(score, 100)
    local level = score >= RISK_HIGH and "high" or score >= RISK_MEDIUM and "medium" or "low"
    return {score = score, level = level, signals = signals}
end

------------------------------------------------------------------------------------------------
-- Settings
------------------------------------------------------------------------------------------------

local SENSITIVE_SET = {}
for _, reason in ipairs(sensitive.SENSITIVE_REASONS) do
    SENSITIVE_SET[reason] = true
end
local SETTING_FIELDS = words([[
keywords verification verification_exempt_reasons business_hours utc_offset_minutes holidays
vip_emails model_threshold
]])

local function is_list_of_strings(value)
    if type(value) ~= "table" then
        return false
    end
    for key, item in pairs(value) do
        if math.type(key) ~= "integer" or type(item) ~= "string" then
            return false
        end
    end
    return true
end

local function check_clock(where, field, clock)
    if clock == nil then
        return true
    end
    local hour, minute = nil, nil
    if type(clock) == "string" then
        hour, minute = clock:match("^(%d%d?):(%d%d)$")
    end
    if hour == nil or tonumber(hour) > 23 or tonumber(minute) > 59 then
        return nil, string.format("%s.business_hours.%s is %s; use a 24-hour time such as "
            .. "\"08:30\"", where, field, tostring(clock))
    end
    return true
end

local function check_business_hours(where, hours)
    if hours == nil then
        return true
    end
    if type(hours) ~= "table" then
        return nil, string.format("%s.business_hours must be a table {start = \"08:00\", "
            .. "finish = \"18:00\", weekdays = {1, 2, 3, 4, 5}}, got %s", where, type(hours))
    end
    local ok, message = check_clock(where, "start", hours.start)
    if ok then
        ok, message = check_clock(where, "finish", hours.finish)
    end
    if not ok then
        return nil, message
    end
    if hours.weekdays ~= nil then
        if type(hours.weekdays) ~= "table" then
            return nil, string.format("%s.business_hours.weekdays must be a list of days, 1 "
                .. "(Monday) to 7 (Sunday)", where)
        end
        for _, day in ipairs(hours.weekdays) do
            if math.type(day) ~= "integer" or day < 1 or day > 7 then
                return nil, string.format("%s.business_hours.weekdays has %s; use 1 (Monday) "
                    .. "to 7 (Sunday)", where, tostring(day))
            end
        end
    end
    return true
end

local function check_reason_list(where, field, list)
    if list == nil then
        return true
    end
    if not is_list_of_strings(list) then
        return nil, string.format("%s.%s must be a list of reason codes", where, field)
    end
    for _, reason in ipairs(list) do
        if not SENSITIVE_SET[reason] then
            return nil, string.format("%s.%s has %q; use sensitive reason codes: %s", where,
                field, reason, table.concat(sensitive.SENSITIVE_REASONS, ", "))
        end
    end
    return true
end

local function check_keywords(where, keywords)
    if keywords == nil then
        return true
    end
    if type(keywords) ~= "table" then
        return nil, string.format("%s.keywords must be a table of phrase = reason code, got %s",
            where, type(keywords))
    end
    for phrase, reason in pairs(keywords) do
        if type(phrase) ~= "string" or not phrase:find("%w") then
            return nil, string.format("%s.keywords has the key %s; each key must be a phrase "
                .. "with at least one letter or digit", where, tostring(phrase))
        end
        if not SENSITIVE_SET[reason] then
            return nil, string.format("%s.keywords[%q] is %s; use a sensitive reason code: %s",
                where, phrase, tostring(reason), table.concat(sensitive.SENSITIVE_REASONS, ", "))
        end
    end
    return true
end

--[[
Checks one client's settings, the table classify takes. Returns true, or nil and a message
naming the field, its value and what is expected. where names the table in messages
("settings" when nil).
]]
function sensitive.check_settings(settings, where)
    where = where or "settings"
    if settings == nil then
        return true
    end
    if type(settings) ~= "table" then
        return nil, string.format("%s must be a table, got %s", where, type(settings))
    end
    for key in pairs(settings) do
        if not SETTING_FIELDS[key] then
            return nil, string.format("%s.%s is not a setting; the settings are keywords, "
                .. "verification, verification_exempt_reasons, business_hours, "
                .. "utc_offset_minutes, holidays, vip_emails and model_threshold", where,
                tostring(key))
        end
    end
    if settings.verification ~= nil and settings.verification ~= "sensitive"
            and settings.verification ~= "all" then
        return nil, string.format("%s.verification is %s; use \"sensitive\" (the default) or "
            .. "\"all\"", where, tostring(settings.verification))
    end
    local offset = settings.utc_offset_minutes
    if offset ~= nil and (math.type(offset) ~= "integer" or offset < -840 or offset > 840) then
        return nil, string.format("%s.utc_offset_minutes is %s; use whole minutes from -840 to "
            .. "840 (60 for UTC+1)", where, tostring(offset))
    end
    if settings.holidays ~= nil then
        if not is_list_of_strings(settings.holidays) then
            return nil, string.format("%s.holidays must be a list of dates \"YYYY-MM-DD\"", where)
        end
        for _, date in ipairs(settings.holidays) do
            if not date:find("^%d%d%d%d%-%d%d%-%d%d$") then
                return nil, string.format("%s.holidays has %q; write dates as \"YYYY-MM-DD\"",
                    where, date)
            end
        end
    end
    local threshold = settings.model_threshold
    if threshold ~= nil and threshold ~= false and (type(threshold) ~= "number"
            or not (threshold > 0 and threshold < 1)) then
        return nil, string.format("%s.model_threshold is %s; use a probability above 0 and below "
            .. "1, or false to leave the learned model out", where, tostring(threshold))
    end
    if settings.vip_emails ~= nil and not is_list_of_strings(settings.vip_emails) then
        return nil, string.format("%s.vip_emails must be a list of e-mail addresses", where)
    end
    local ok, message = check_keywords(where, settings.keywords)
    if ok then
        ok, message = check_reason_list(where, "verification_exempt_reasons",
            settings.verification_exempt_reasons)
    end
    if ok then
        ok, message = check_business_hours(where, settings.business_hours)
    end
    return ok, message
end

--[[
Returns one client's settings from a settings file's table {default = {...}, clients =
{[HaloPSA client id] = {...}}}: the default entry with the client's entry laid over it field
by field. A nil table gives {}. Returns nil and a message when the table or an entry used is
invalid.
]]
function sensitive.settings_for(all, client_id)
    if all == nil then
        return {}
    end
    if type(all) ~= "table" then
        return nil, string.format("the settings must be a table {default = {...}, clients = "
            .. "{[12] = {...}}}, got %s", type(all))
    end
    for key in pairs(all) do
        if key ~= "default" and key ~= "clients" then
            return nil, string.format("the settings have the field %s; use default and clients",
                tostring(key))
        end
    end
    if all.clients ~= nil and type(all.clients) ~= "table" then
        return nil, string.format("clients must be a table of HaloPSA client id = settings, "
            .. "got %s", type(all.clients))
    end
    local client = nil
    if all.clients ~= nil and client_id ~= nil then
        client = all.clients[client_id]
    end
    local ok, message = sensitive.check_settings(all.default, "default")
    if ok then
        ok, message = sensitive.check_settings(client, string.format("clients[%s]",
            tostring(client_id)))
    end
    if not ok then
        return nil, message
    end

    local merged = {}
    for key, value in pairs(all.default or {}) do
        merged[key] = value
    end
    for key, value in pairs(client or {}) do
        merged[key] = value
    end
    return merged
end

-- Returns the client's keywords as a list of {words, reason}, read with the ticket's own
-- tokenizer so that spellings and phrases match the same way. The longest come first, then by
-- text.
local function compile_keywords(keywords)
    local compiled = {}
    for phrase, reason in pairs(keywords or {}) do
        local list = {}
        add_tokens(list, {}, phrase, {})
        local tokens = {}
        for _, word in ipairs((join_phrases(list, {}))) do
            if word ~= "|" then
                tokens[#tokens + 1] = word
            end
        end
        if #tokens > 0 then
            compiled[#compiled + 1] = {words = tokens, reason = reason,
                text = table.concat(tokens, " ")}
        end
    end
    table.sort(compiled, function(a, b)
        if #a.words ~= #b.words then
            return #a.words > #b.words
        end
        return a.text < b.text
    end)
    return compiled
end

------------------------------------------------------------------------------------------------
-- Classify
------------------------------------------------------------------------------------------------

-- The argument checks of classify, in a function of their own: the main chunk is at Lua's
-- limit of 200 local variables, and a function's locals count apart.
local check_arguments = (function()
    local TICKET_TEXT_FIELDS = {"summary", "details", "source"}
    local FACT_BOOLEANS = {
        "requester_vip", "target_vip", "target_admin", "own_account", "caller_number_matches",
    }

    local function argument_error(position, message)
        error(string.format("bad argument #%d to 'classify' (%s)", position, message), 4)
    end

    local function is_integer_between(value, low, high)
        return math.type(value) == "integer" and value >= low and value <= high
    end

    local function check_local_time(clock)
        if type(clock) ~= "table" or not is_integer_between(clock.weekday, 1, 7)
                or not is_integer_between(clock.hour, 0, 23)
                or (clock.minute ~= nil and not is_integer_between(clock.minute, 0, 59)) then
            argument_error(2, "facts.local_time must be {weekday = 1..7 (Monday is 1), hour = 0..23, "
                .. "minute = 0..59}")
        end
        if clock.year ~= nil and not (math.type(clock.year) == "integer"
                and is_integer_between(clock.month, 1, 12) and is_integer_between(clock.day, 1, 31))
                then
            argument_error(2, "facts.local_time.year, month and day must be whole numbers (month "
                .. "1..12, day 1..31) when year is given")
        end
    end

    --[[
    Checks a learned model (config/policies/sensitive_model.lua): a table of buckets (a power of
    two from 256 to 1048576), weights (a string of two bytes a bucket, little-endian signed), and
    the numbers scale, bias and threshold (above 0 and below 1). Returns true, or nil and a message
    naming the field.
    ]]
    function sensitive.check_model(model)
        if type(model) ~= "table" then
            return nil, string.format("the model must be a table, got %s", type(model))
        end
        local buckets = model.buckets
        if math.type(buckets) ~= "integer" or buckets < 256 or buckets > 1048576
                or buckets & (buckets - 1) ~= 0 then
            return nil, string.format("model.buckets is %s; use a power of two from 256 to 1048576",
                tostring(buckets))
        end
        if type(model.weights) ~= "string" or #model.weights ~= 2 * buckets then
            return nil, string.format("model.weights must be a string of %d bytes (two a bucket), "
                .. "got %s", 2 * buckets, type(model.weights) == "string"
                and #model.weights .. " bytes" or type(model.weights))
        end
        for _, field in ipairs({"scale", "bias", "threshold"}) do
            local value = model[field]
            if type(value) ~= "number" or value ~= value or value == math.huge
                    or value == -math.huge then
                return nil, string.format("model.%s must be a finite number, got %s", field,
                    tostring(value))
            end
        end
        if model.threshold <= 0 or model.threshold >= 1 then
            return nil, string.format("model.threshold is %s; use a probability above 0 and below 1",
                tostring(model.threshold))
        end
        return true
    end

    -- Checks classify's arguments and returns facts and settings with nil replaced by {}.
    local function check_arguments(ticket, facts, settings, model)
        if type(ticket) ~= "table" then
            argument_error(1, string.format("ticket table expected, got %s", type(ticket)))
        end
        for _, field in ipairs(TICKET_TEXT_FIELDS) do
            if ticket[field] ~= nil and type(ticket[field]) ~= "string" then
                argument_error(1, string.format("ticket.%s must be a string or nil, got %s", field,
                    type(ticket[field])))
            end
        end

        if ticket.replies ~= nil and not is_list_of_strings(ticket.replies) then
            argument_error(1, string.format("ticket.replies must be a list of strings or nil, got %s",
                type(ticket.replies)))
        end

        if facts ~= nil and type(facts) ~= "table" then
            argument_error(2, string.format("facts table or nil expected, got %s", type(facts)))
        end
        facts = facts or {}
        for _, field in ipairs(FACT_BOOLEANS) do
            if facts[field] ~= nil and type(facts[field]) ~= "boolean" then
                argument_error(2, string.format("facts.%s must be a boolean or nil, got %s", field,
                    type(facts[field])))
            end
        end
        for _, field in ipairs({"requester_email", "target_email"}) do
            if facts[field] ~= nil and type(facts[field]) ~= "string" then
                argument_error(2, string.format("facts.%s must be a string or nil, got %s", field,
                    type(facts[field])))
            end
        end
        if facts.received_at ~= nil and type(facts.received_at) ~= "number" then
            argument_error(2, string.format("facts.received_at must be seconds since 1970-01-01 "
                .. "UTC, got %s", type(facts.received_at)))
        end
        if facts.local_time ~= nil then
            check_local_time(facts.local_time)
        end

        local ok, message = sensitive.check_settings(settings)
        if not ok then
            argument_error(3, message)
        end
        if model ~= nil then
            local model_ok, model_message = sensitive.check_model(model)
            if not model_ok then
                argument_error(4, model_message)
            end
        end
        return facts, settings or {}
    end

    return check_arguments
end)()

--[[
Classifies one ticket. ticket is {summary, details, source, replies}: strings or nil, with
details as plain text or HTML, and replies the texts of the requester's replies, oldest first (a
list or nil); facts, settings and model (the learned second opinion, see check_model) may be
nil. Returns {sensitive, reason, reasons, verification_required, risk = {score, level,
signals}, matched, model_probability}, the last only when a model was given and the rules passed
the ticket. reasons lists every kind of request found, reason first, and is empty when the
ticket is not sensitive. Raises an error in lauxlib's wording ("bad argument #1 to 'classify' (...)") when an
argument has the wrong type or the settings or the model are invalid.
]]
function sensitive.classify(ticket, facts, settings, model)
    facts, settings = check_arguments(ticket, facts, settings, model)
    local keywords = compile_keywords(settings.keywords)
    local exempt = lower_set(settings.verification_exempt_reasons)

    -- Text a reader does not see is first read as sentences of its own. When that finds no
    -- request and the ticket has such text, it is read again without it, so hidden words can
    -- neither explain a visible request away nor hide one.
    local result, document, cut
    for _, hidden in ipairs({"isolate", "drop"}) do
        if hidden == "drop" and (result.sensitive or not sensitive.has_hidden_text(ticket)) then
            break
        end
        document, cut = read_document(ticket, keywords, hidden)
        local context = read_context(document)

        local hits = find_requests(document)
        hits[#hits + 1] = detect_keywords(document)
        local kept, safe_reason = filter_hits(document, context, hits)

        -- The first explicit request in the text decides the reason, then the first request. A
        -- tie goes to the higher-ranked reason. That order is one number a hit, so a ticket
        -- with many requests is sorted with cheap comparisons.
        for position = 1, #kept do
            local found = kept[position]
            found.order = (found.strong and 0 or 2 ^ 40) + found.index * 256
                + (REASON_RANK[found.reason] or 255)
        end
        table.sort(kept, function(a, b)
            return a.order < b.order
        end)
        -- A request the client exempts from verification never hides one it does not exempt
        -- ("my fob stopped working, also please reset my password").
        local first = kept[1]
        for _, hit in ipairs(kept) do
            if not exempt[hit.reason] then
                first = hit
                break
            end
        end

        result = {sensitive = first ~= nil,
            matched = first and evidence(document, first.index, first.last) or ""}
        result.reason = first and first.reason or safe_reason or safe_reason_of(document, context)
        -- Every kind requested, the main reason first, so one challenge can name them all.
        result.reasons = {first and first.reason or nil}
        local listed = {[result.reasons[1] or ""] = true}
        for position = 1, #kept do
            local reason = kept[position].reason
            if not listed[reason] then
                listed[reason] = true
                result.reasons[#result.reasons + 1] = reason
            end
        end
    end
    -- The learned model may find a request in words the lists above do not know.
    -- A client's model_threshold replaces the model's, and false leaves the model out.
    if model ~= nil and settings.model_threshold ~= false and not result.sensitive then
        result.model_probability = sensitive.model_probability(ticket, model)
        if result.model_probability >= (settings.model_threshold or model.threshold) then
            result.sensitive, result.reason = true, "likely_sensitive"
            result.matched = string.format("learned model, probability %.2f",
                result.model_probability)
        end
    end
    -- A request may stand in the text that was not read, so an unread rest is never passed.
    if cut and not result.sensitive then
        result.sensitive, result.reason = true, "too_long"
    end
    if result.sensitive and #result.reasons == 0 then
        result.reasons = {result.reason}
    end
    result.verification_required = settings.verification == "all"
        or (result.sensitive and not exempt[result.reason])
    result.risk = read_risk(document, ticket, facts, settings, result)
    return result
end

return sensitive
