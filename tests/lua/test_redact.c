/*
 * Tests of halyard's redact module (bindings/lua/redact.lua) in a bare Lua state. They cover
 * the cut of typed credentials and codes from quotes of tickets, what that cut keeps for
 * technicians, and the strict cut of verification details, each as a table of input and
 * expected output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#ifndef HALYARD_SOURCE_DIR
#error "HALYARD_SOURCE_DIR must name the source folder"
#endif

typedef struct {
    const char *input;
    const char *expected;
} redact_case;

/* Opens a state with the redact module in the global `redact`. */
static int setup_state(void **state)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (luaL_dofile(L, HALYARD_SOURCE_DIR "/bindings/lua/redact.lua") != LUA_OK) {
        fail_msg("loading redact.lua failed: %s", lua_tostring(L, -1));
    }
    lua_setglobal(L, "redact");
    *state = L;
    return 0;
}

static int teardown_state(void **state)
{
    lua_close(*state);
    return 0;
}

/* Calls redact[function_name] on each case's input and compares the result with its expected
 * text; fails naming the first case that differs. */
static void check_cases(lua_State *L, const char *function_name, const redact_case *cases,
                        size_t count)
{
    for (size_t i = 0; i < count; i++) {
        lua_getglobal(L, "redact");
        lua_getfield(L, -1, function_name);
        lua_pushstring(L, cases[i].input);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            fail_msg("redact.%s raised on case %zu: %s", function_name, i, lua_tostring(L, -1));
        }
        const char *output = lua_tostring(L, -1);
        if (output == NULL || strcmp(output, cases[i].expected) != 0) {
            fail_msg("redact.%s case %zu\n  input:    %s\n  output:   %s\n  expected: %s",
                     function_name, i, cases[i].input, output != NULL ? output : "(not a string)",
                     cases[i].expected);
        }
        lua_settop(L, 0);
    }
}

/* Regression: a credential word in the sentence before the password ("My new password. It is
 * now Hunter22x") left the password whole. */
static void quote_cuts_after_previous_sentence(void **state)
{
    static const redact_case cases[] = {
        {"Changed my password yesterday. It is now Hunter22x",
         "Changed my password yesterday. It is now [secret removed]"},
        {"My new password. It is now Hunter22x", "My new password. It is now [secret removed]"},
        {"New password set\nit is sunshine", "New password set\nit is [secret removed]"},
        {"My password changed. The new one is sunshine",
         "My password changed. The new one is [secret removed]"},
        {"Hi team,\nmy password\nis Summer and it fails",
         "Hi team,\nmy password\nis [secret removed] and it fails"},
        /* Only the next sentence, and only one that opens about the credential. */
        {"I reset my password. Printer is fine. Laptop is Dell XPS13",
         "I reset my password. Printer is fine. Laptop is Dell XPS13"},
        {"Please reset my password. My username is jdoe",
         "Please reset my password. My username is jdoe"},
        {"Password reset\nUsername: jdoe", "Password reset\nUsername: jdoe"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: "Wi-Fi key Xy7kk29Q" was kept, because "key" was no credential word. */
static void quote_cuts_qualified_keys(void **state)
{
    static const redact_case cases[] = {
        {"Wi-Fi key Xy7kk29Q not accepted", "Wi-Fi key [secret removed] not accepted"},
        {"BitLocker recovery key is chestnut", "BitLocker recovery key is [secret removed]"},
        {"WPA2 key: sunshine", "WPA2 key: [secret removed]"},
        /* A key that is no credential. */
        {"The key is under the mat", "The key is under the mat"},
        {"Key fob 12 does not open door 3", "Key fob 12 does not open door 3"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: a passphrase of plain words and a PIN spelled as words lost only their first
 * word ("[secret removed] seven two nine"). */
static void quote_cuts_values_of_words(void **state)
{
    static const redact_case cases[] = {
        {"password is correct horse battery staple",
         "password is [secret removed] [secret removed] [secret removed] [secret removed]"},
        {"passphrase correct horse battery staple rejected",
         "passphrase [secret removed] [secret removed] [secret removed] [secret removed] "
         "[secret removed]"},
        {"my pin is four seven two nine",
         "my pin is [secret removed] [secret removed] [secret removed] [secret removed]"},
        {"pin is four, seven, two, nine",
         "pin is [secret removed], [secret removed], [secret removed], [secret removed]"},
        {"password is sunshine and it fails", "password is [secret removed] and it fails"},
        {"password was changed to Summer", "password was changed to [secret removed]"},
        /* Descriptions of a credential stay. */
        {"my password is correct but it will not log in",
         "my password is correct but it will not log in"},
        {"my password is not working anymore", "my password is not working anymore"},
        {"the code was wrong again", "the code was wrong again"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* The shapes cut before these changes still are. */
static void quote_cuts_typed_credentials(void **state)
{
    static const redact_case cases[] = {
        {"VPN pw: Tr0ub4dor&3 fails", "VPN pw: [secret removed] fails"},
        {"my password is   CorrectHorse9 and it says wrong",
         "my password is   [secret removed] and it says wrong"},
        {"recovery codes: ab12-cd34-ef56 lost", "recovery codes: [secret removed] lost"},
        {"code:482913 and pin=1234", "code:[secret removed] and pin=[secret removed]"},
        {"new code 551823, my password is sunshine",
         "new code [secret removed], my password is [secret removed]"},
        {"new one is Sunshine2024!", "new one is Sunshine[digits removed]!"},
        {"otp 482 913", "otp [digits removed]"},
        /* A code in the shape of a kept form is cut where it is a credential's value. */
        {"pin is 12:34", "pin is [secret removed]"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: the quote removed error codes, KB numbers and versions ("Error [digits removed]
 * installing KB[digits removed]"), and a credential word in one item of a list cut the next
 * item's ticket number. */
static void quote_keeps_technician_text(void **state)
{
    static const redact_case cases[] = {
        {"Error 0x80070005 installing KB5034441 after BIOS 1.17.0",
         "Error 0x80070005 installing KB5034441 after BIOS 1.17.0"},
        {"the error code is 0x80070005 since the update",
         "the error code is 0x80070005 since the update"},
        {"Follow-up to ticket 48213 - printer still jams",
         "Follow-up to ticket 48213 - printer still jams"},
        {"Meeting on 2024-01-15 at 10:30, 15/01/2024 23:59:59, build 10.0.19045.3930 v2.4.1",
         "Meeting on 2024-01-15 at 10:30, 15/01/2024 23:59:59, build 10.0.19045.3930 v2.4.1"},
        {"Other open tickets: #1 new one is Sunshine2024!; #2 VPN pw: Tr0ub4dor&3 fails; #3 "
         "Printer jam.",
         "Other open tickets: #1 new one is Sunshine[digits removed]!; #2 VPN pw: [secret "
         "removed] fails; #3 Printer jam."},
        {"Other open tickets: #7 my password is; #4821 Printer jam.",
         "Other open tickets: #7 my password is; #4821 Printer jam."},
        {"Jane Doe: jane.doe@acme.example, 020 7946 0001, +44 7700 900002.",
         "Jane Doe: jane.doe@acme.example, 020 7946 0001, +44 7700 900002."},
        {"http.get: the response body is longer than 1048576 bytes; 127.0.0.1 port 36963",
         "http.get: the response body is longer than 1048576 bytes; 127.0.0.1 port 36963"},
        /* Digits next to a kept form, and forms out of range, are cut. */
        {"BIOS 1.17.0 4821", "BIOS 1.17.0 [digits removed]"},
        {"2024-13-45 and 25:99", "[digits removed] and [digits removed]"},
        {"0x8007000 is short", "[digits removed] is short"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: typed passwords reached the plan note whole. They followed a dash, " :" or the
 * credential word with nothing between, stood on the line after "Password:", were in a
 * user/password pair or had the shape of a version. */
static void quote_cuts_bare_values(void **state)
{
    static const redact_case cases[] = {
        {"Guest Wi-Fi password \u2013 sunshine", "Guest Wi-Fi password \u2013 [secret removed]"},
        {"password \u2014 sunshine", "password \u2014 [secret removed]"},
        {"password - sunshine", "password - [secret removed]"},
        {"Tried password moonlight too.", "Tried password [secret removed] too."},
        {"PW sunshine", "PW [secret removed]"},
        {"wifi passkey bluesky does not work", "wifi passkey [secret removed] does not work"},
        {"wifi pass bluesky", "wifi pass [secret removed]"},
        {"Password :starfish", "Password :[secret removed]"},
        {"username jdoe password sunshine", "username jdoe password [secret removed]"},
        {"user=jdoe;pass=sunshine", "user=jdoe;pass=[secret removed]"},
        {"credentials jdoe:sunshine", "credentials jdoe:[secret removed]"},
        {"Password:\nsunshine\nThanks", "Password:\n[secret removed]\nThanks"},
        {"Alarm pin is 12.34.56.", "Alarm pin is [secret removed]."},
        {"licence key ABCD-EFGH-IJKL-MNOP for Office", "licence key [secret removed] for Office"},
        {"api key sk_live_abcdef", "api key [secret removed]"},
        {"network key BlueSky", "network key [secret removed]"},
        {"WEP key bluesky", "WEP key [secret removed]"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Sentences about a password that name no password stay readable. */
static void quote_keeps_words_after_password(void **state)
{
    static const redact_case cases[] = {
        {"password reset needed for jdoe", "password reset needed for jdoe"},
        {"Password expired yesterday", "Password expired yesterday"},
        {"which password manager do we use", "which password manager do we use"},
        {"password keeps prompting in Outlook", "password keeps prompting in Outlook"},
        {"wifi password changed again", "wifi password changed again"},
        {"My Sage password stopped working", "My Sage password stopped working"},
        {"Outlook keeps asking for my password constantly",
         "Outlook keeps asking for my password constantly"},
        {"Please reset the password ASAP", "Please reset the password ASAP"},
        {"User needs password unlocked for Xero", "User needs password unlocked for Xero"},
        {"pwd command in linux", "pwd command in linux"},
        {"Password:\nnot working", "Password:\nnot working"},
        {"Password reset\nUsername: jdoe", "Password reset\nUsername: jdoe"},
        {"the error code is 0x80070005 since", "the error code is 0x80070005 since"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: Unicode spaces, fullwidth and look-alike letters, and the German, French and
 * Spanish words for password hid the credential word. */
static void quote_cuts_folded_credential_words(void **state)
{
    static const redact_case cases[] = {
        {"my password\u00a0is\u00a0Marigold", "my password is [secret removed]"},
        {"my password\u202fis\u2009Marigold", "my password is [secret removed]"},
        {"\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44: sunshine",
         "password: [secret removed]"},
        {"password\uff1a sunshine", "password: [secret removed]"},
        {"pass\u200bword: sunshine", "password: [secret removed]"},
        {"p\u0430ssword: sunshine", "p\u0430ssword: [secret removed]"},
        {"P\u00e4ssword: sunshine", "P\u00e4ssword: [secret removed]"},
        {"p\u0251ssword: sunshine", "p\u0251ssword: [secret removed]"},
        {"Passwort ist Sonnenschein", "Passwort ist [secret removed]"},
        {"das Passwort lautet Sonnenschein", "das Passwort lautet [secret removed]"},
        {"le mot de passe est soleil", "le mot de passe est [secret removed]"},
        {"la contrase\u00f1a es sol", "la contrase\u00f1a es [secret removed]"},
        {"Passwort abgelaufen", "Passwort abgelaufen"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: a licence or API key without digits and without a credential word was kept. */
static void quote_cuts_random_tokens(void **state)
{
    static const redact_case cases[] = {
        {"use GhIJklMNopQRstUVwxYZ to activate", "use [secret removed] to activate"},
        {"token sk_live_aB3dE5gH7jK9mN1pQ3sT5v", "token [secret removed]"},
        /* Names in CamelCase and short mixed-case words stay. */
        {"MicrosoftTeamsMeetingAddin crashed", "MicrosoftTeamsMeetingAddin crashed"},
        {"HTTPRequestHandlerFactory error", "HTTPRequestHandlerFactory error"},
        {"iPhone and macOS", "iPhone and macOS"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: the quote cut search terms a technician needs ("Windows [digits removed]H2",
 * "KB [digits removed]", "Event ID [digits removed]"). */
static void quote_keeps_search_terms(void **state)
{
    static const redact_case cases[] = {
        {"Event ID 4625 after KB 5034441 on Windows 11 23H2 build 22631, since 15 Jan 2024, "
         "call 555-123-4567 re CVE-2024-21412",
         "Event ID 4625 after KB 5034441 on Windows 11 23H2 build 22631, since 15 Jan 2024, "
         "call 555-123-4567 re CVE-2024-21412"},
        {"build 22631.3007 and Windows Server 2022 22H2",
         "build 22631.3007 and Windows Server 2022 22H2"},
        {"call (555) 010-4477 or +1 555 010 4477", "call (555) 010-4477 or +1 555 010 4477"},
        {"error code 503 and event ID 4625", "error code 503 and event ID 4625"},
        {"eventid: 4625", "eventid: 4625"},
        /* The same digits with no such word before them are still cut. */
        {"reference 4625 and 5034441", "reference [digits removed] and [digits removed]"},
        {"pin is 555-123-4567", "pin is [secret removed]"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: the quote cut numbers a technician searches for. Among them were a product's
 * year ("Office [digits removed]"), an error code without "0x", an event number, an asset tag,
 * a serial number, a ticket number after "ticket no.", a date with the month first and a
 * link's path. */
static void quote_keeps_numbers_technicians_need(void **state)
{
    static const redact_case cases[] = {
        {"Office 2019 and SQL Server 2016 on Visual Studio 2022",
         "Office 2019 and SQL Server 2016 on Visual Studio 2022"},
        {"Windows 11 23H2, version 2004, model 5420", "Windows 11 23H2, version 2004, model 5420"},
        {"error 80070005, then 0xC1900101 and C000021A",
         "error 80070005, then 0xC1900101 and C000021A"},
        {"error 87D00324 in Software Center", "error 87D00324 in Software Center"},
        {"error code 80070005 again", "error code 80070005 again"},
        {"Event 4625 and event id 4624, HTTP 503, KB5034441",
         "Event 4625 and event id 4624, HTTP 503, KB5034441"},
        {"asset PC-0042, LT-1187, ACME-LT-1187 and INC0012345",
         "asset PC-0042, LT-1187, ACME-LT-1187 and INC0012345"},
        {"asset 0042 and asset tag 1187", "asset 0042 and asset tag 1187"},
        {"serial 5CG1234XYZ, S/N: 5CG9876ABC, service tag 7XK2L53",
         "serial 5CG1234XYZ, S/N: 5CG9876ABC, service tag 7XK2L53"},
        {"ticket no. 48213 and ticket: 48214", "ticket no. 48213 and ticket: 48214"},
        {"since January 15, 2024 and Jan 16 2024", "since January 15, 2024 and Jan 16 2024"},
        {"see https://kb.acme.example/articles/4821/fix",
         "see https://kb.acme.example/articles/4821/fix"},
        {"server 10.20.30.40 and 192.168.1.254", "server 10.20.30.40 and 192.168.1.254"},
        {"my password for Office 2019 is sunshine",
         "my password for Office 2019 is [secret removed]"},
        /* Codes in these shapes without the words that make them such numbers are cut. */
        {"PIN 2019", "PIN [secret removed]"},
        {"Summer 1989 and Door 4821", "Summer [digits removed] and Door [digits removed]"},
        {"PIN-4821 and OTP482913", "PIN-[digits removed] and OTP[digits removed]"},
        {"key ABCD-1234-EFGH-5678", "key ABCD-[digits removed]-EFGH-[digits removed]"},
        {"use 81234567 to sign in", "use [digits removed] to sign in"},
        {"otp 80012345", "otp [secret removed]"},
        {"https://login.acme.example/reset?code=482913&id=48213",
         "https://login.acme.example/reset?code=[digits removed]&id=[digits removed]"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: a user name and password written as a pair kept the password ("login: jdoe /
 * sunshine", "u: jdoe p: sunshine"). The user name stays, because a technician needs the
 * account. */
static void quote_cuts_user_password_pairs(void **state)
{
    static const redact_case cases[] = {
        {"login: jdoe / sunshine", "login: jdoe / [secret removed]"},
        {"Login details: jdoe / sunshine", "Login details: jdoe / [secret removed]"},
        {"user/pass jdoe/sunshine", "user/pass jdoe/[secret removed]"},
        {"User/Pass: jdoe / sunshine", "User/Pass: jdoe / [secret removed]"},
        {"u/p jdoe sunshine", "u/p jdoe [secret removed]"},
        {"creds: jdoe:sunshine", "creds: jdoe:[secret removed]"},
        {"creds = jdoe / sunshine", "creds = jdoe / [secret removed]"},
        {"credentials are jdoe/sunshine", "credentials are jdoe/[secret removed]"},
        {"logon: jdoe | sunshine", "logon: jdoe | [secret removed]"},
        {"login jdoe/sunshine", "login jdoe/[secret removed]"},
        {"u: jdoe p: sunshine", "u: jdoe p: [secret removed]"},
        {"U: jdoe / P: sunshine", "U: jdoe / P: [secret removed]"},
        {"u: jdoe, p:sunshine", "u: jdoe, p:[secret removed]"},
        {"email: jdoe@acme.example p: sunshine", "email: jdoe@acme.example p: [secret removed]"},
        {"user jdoe pass sunshine", "user jdoe pass [secret removed]"},
        {"username jdoe password sunshine", "username jdoe password [secret removed]"},
        /* A user name alone, and pairs of ordinary words, stay. */
        {"login: jdoe", "login: jdoe"},
        {"login page / portal broken", "login page / portal broken"},
        {"login screen/lock screen", "login screen/lock screen"},
        {"user jdoe pass reset", "user jdoe pass reset"},
        {"<p>Category: Login problems</p><p>Describe it</p>",
         "<p>Category: Login problems</p><p>Describe it</p>"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: a Wi-Fi password kept when "key" followed the network's name rather than a
 * word such as "Wi-Fi" ("SSID Guest, key: bluesky") or when a pair named it ("SSID: Guest /
 * bluesky"). */
static void quote_cuts_wifi_keys(void **state)
{
    static const redact_case cases[] = {
        {"SSID Guest, key: bluesky", "SSID Guest, key: [secret removed]"},
        {"SSID Guest key bluesky", "SSID Guest key [secret removed]"},
        {"SSID: Guest / bluesky", "SSID: Guest / [secret removed]"},
        {"Wi-Fi: Guest/bluesky", "Wi-Fi: Guest/[secret removed]"},
        {"wifi pw bluesky", "wifi pw [secret removed]"},
        {"network key is bluesky", "network key is [secret removed]"},
        {"PSK: bluesky", "PSK: [secret removed]"},
        {"wi-fi key for Guest is bluesky", "wi-fi key for Guest is [secret removed]"},
        /* A key that is no Wi-Fi password stays, with or without a network word. */
        {"the wifi is slow, key fob lost", "the wifi is slow, key fob lost"},
        {"the wifi keeps dropping, key problem is the router",
         "the wifi keeps dropping, key problem is the router"},
        {"wifi on/off toggle broken", "wifi on/off toggle broken"},
        {"The key is under the mat", "The key is under the mat"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: a password named by "it" or "the new one" after a credential word earlier in the
 * text was kept when a sentence came between ("I reset my password yesterday. Printer is fine.
 * It's bluesky"), and "temporary one: bluesky" was kept with no credential word at all. */
static void quote_cuts_referred_passwords(void **state)
{
    static const redact_case cases[] = {
        {"I reset my password yesterday. Printer is fine. It's bluesky.",
         "I reset my password yesterday. Printer is fine. It's [secret removed]."},
        {"New password set.\nIt is now bluesky", "New password set.\nIt is now [secret removed]"},
        {"I changed my password and set it to bluesky",
         "I changed my password and set it to [secret removed]"},
        {"I changed my password. Yesterday I changed it to bluesky",
         "I changed my password. Yesterday I changed it to [secret removed]"},
        {"Forgot my password. Screen is fine. The new one is bluesky",
         "Forgot my password. Screen is fine. The new one is [secret removed]"},
        {"Forgot my pw, temporary one: bluesky", "Forgot my pw, temporary one: [secret removed]"},
        {"temporary one: bluesky", "temporary one: [secret removed]"},
        {"Temp one is bluesky", "Temp one is [secret removed]"},
        /* With no credential word before, and where the words mean something else, it stays. */
        {"it's bluesky", "it's bluesky"},
        {"set it to bluesky", "set it to bluesky"},
        {"my laptop died, the new one is faster", "my laptop died, the new one is faster"},
        {"Can I get a temporary one?", "Can I get a temporary one?"},
        {"The temporary one is in the cupboard", "The temporary one is in the cupboard"},
        {"Please reset my password, it's urgent", "Please reset my password, it's urgent"},
        {"Password expired. Please change it using Ctrl+Alt+Del",
         "Password expired. Please change it using Ctrl+Alt+Del"},
        {"Password reset. Could you send it to lisa@acme.example",
         "Password reset. Could you send it to lisa@acme.example"},
        {"Password reset mails go to my old address. Please change it to lisa@acme.example",
         "Password reset mails go to my old address. Please change it to lisa@acme.example"},
        {"My password expired. Please change it to 07700 900332",
         "My password expired. Please change it to 07700 900332"},
        {"My password expired. Printer fine. It's annoying and I will change it to expire",
         "My password expired. Printer fine. It's annoying and I will change it to expire"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: any word right after "password" was cut ("password [secret removed] rejects").
 * A bare value is cut only where it ends the clause or a word about the credential follows. */
static void quote_keeps_clause_after_password(void **state)
{
    static const redact_case cases[] = {
        {"password Outlook rejects", "password Outlook rejects"},
        {"the password Teams wants is different", "the password Teams wants is different"},
        {"typed the wrong password loads of times", "typed the wrong password loads of times"},
        {"forgot my password over the weekend", "forgot my password over the weekend"},
        {"a password none of us know", "a password none of us know"},
        {"Password expired yesterday", "Password expired yesterday"},
        {"password reset link", "password reset link"},
        /* A bare value before the clause's end or a word about the credential is cut. */
        {"password Outlook rejects is sunshine", "password Outlook rejects is [secret removed]"},
        {"password moonlight too", "password [secret removed] too"},
        {"the password sunshine does not work", "the password [secret removed] does not work"},
        {"my password sunshine is not working", "my password [secret removed] is not working"},
        {"password sunshine for the guest wifi", "password [secret removed] for the guest wifi"},
        {"Tried password moonlight and it failed", "Tried password [secret removed] and it failed"},
        {"password Xk9921 rejected", "password [secret removed] rejected"},
    };
    check_cases(*state, "cut_ticket_quote", cases, sizeof cases / sizeof cases[0]);
}

/* A provider's text may carry a one-time code in any shape, so the detail cut keeps none of
 * the forms that a quote of a ticket keeps. */
static void detail_cut_stays_strict(void **state)
{
    static const redact_case cases[] = {
        {"0x80070005", "[digits removed]"},
        {"KB5034441", "KB[digits removed]"},
        {"1.17.0", "[digits removed]"},
        {"10:30", "[digits removed]"},
        {"#4821", "#[digits removed]"},
        {"2024-01-15", "[digits removed]"},
        {"call 020 7946 0001", "call [digits removed]"},
        {"error 503", "error 503"},
        {"Event ID 4625", "Event ID [digits removed]"},
        {"KB 5034441", "KB [digits removed]"},
        {"Windows 11 23H2", "Windows [digits removed]H2"},
        {"(555) 010-4477", "([digits removed]"},
        {"CVE-2024-21412", "CVE-[digits removed]"},
    };
    check_cases(*state, "cut_digits", cases, sizeof cases / sizeof cases[0]);
}

/* Regression: the finders of kept forms searched the rest of the text again for each
 * candidate, so 40 KB of "0 " or of "a#1 " took seconds of CPU time, and patterns that could
 * start at each letter or digit read one long word ("AAAA...", "8888...") once per character. The
 * host's instruction limit counts pattern work, so a long ticket would fail its plan. The bound of
 * one second is many times what a linear cut takes (about 0.05 s). */
static void quote_cut_is_linear(void **state)
{
    lua_State *L = *state;
    static const char *const fillers[] = {"0 ", "a#1 ", "5x ", "1:1 ", "port 1 ", "A", "AB-", "8"};
    for (size_t i = 0; i < sizeof fillers / sizeof fillers[0]; i++) {
        lua_getglobal(L, "redact");
        lua_getfield(L, -1, "cut_ticket_quote");
        lua_getglobal(L, "string");
        lua_getfield(L, -1, "rep");
        lua_remove(L, -2);
        lua_pushstring(L, fillers[i]);
        lua_pushinteger(L, (lua_Integer)(40000 / strlen(fillers[i])));
        lua_call(L, 2, 1);

        clock_t started = clock();
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            fail_msg("redact.cut_ticket_quote raised: %s", lua_tostring(L, -1));
        }
        double seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
        if (seconds > 1.0) {
            fail_msg("cutting 40 KB of \"%s\" took %.2f s of CPU time", fillers[i], seconds);
        }
        lua_settop(L, 0);
    }
}

/* A non-string passes unchanged, so a caller may cut an optional field. */
static void quote_passes_non_string(void **state)
{
    lua_State *L = *state;
    if (luaL_dostring(L, "assert(redact.cut_ticket_quote(nil) == nil) "
                         "assert(redact.cut_credentials(12) == 12)") != LUA_OK) {
        fail_msg("%s", lua_tostring(L, -1));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(quote_cuts_after_previous_sentence, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_qualified_keys, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_values_of_words, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_typed_credentials, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_keeps_technician_text, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_bare_values, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_keeps_words_after_password, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_folded_credential_words, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_random_tokens, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_keeps_search_terms, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_keeps_numbers_technicians_need, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_user_password_pairs, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_wifi_keys, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_cuts_referred_passwords, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_keeps_clause_after_password, setup_state,
                                        teardown_state),
        cmocka_unit_test_setup_teardown(detail_cut_stays_strict, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_cut_is_linear, setup_state, teardown_state),
        cmocka_unit_test_setup_teardown(quote_passes_non_string, setup_state, teardown_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
