/*
 * Tests of the tool registry, the tool policy, the plan hash and host.run_step, through a real
 * host on the wait fixture's loop with its fake HaloPSA on 127.0.0.1.
 */
#include "wait_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lualib.h>
#include <sodium.h>

#include "log.h"

/* Writes text to <fixture dir>/<folder>/<name>, making the folder. */
static void write_script(wait_fixture *fixture, const char *folder, const char *name,
                         const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", fixture->dir, folder);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/%s/%s", fixture->dir, folder, name);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
}

/* Returns the first problem of host that contains every needle (a NULL-terminated list). */
static const char *find_problem(halyard_lua_host *host, ...)
{
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        const char *problem = halyard_lua_host_problem(host, i);
        va_list needles;
        va_start(needles, host);
        bool all = true;
        for (const char *needle = va_arg(needles, const char *); needle != NULL;
             needle = va_arg(needles, const char *)) {
            all = all && strstr(problem, needle) != NULL;
        }
        va_end(needles);
        if (all) {
            return problem;
        }
    }
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        print_message("problem: %s\n", halyard_lua_host_problem(host, i));
    }
    return NULL;
}

/* A workflow matching tickets about keyword, with the given steps (Lua source of a list). */
static void write_workflow(wait_fixture *fixture, const char *keyword, const char *steps)
{
    char text[4096];
    snprintf(text, sizeof text,
             "return {name = '%s', status = 'active', scope = 'all',\n"
             "    trigger = 'A test ticket about %s.', match = {any = {'%s'}},\n"
             "    instructions = 'Test.',\n"
             "    steps = %s,\n"
             "    samples = {match = {{source = 'written', summary = '%s'}}},\n"
             "    gather = function(context)\n"
             "        local names = {}\n"
             "        for _, tool in ipairs(context.tools) do names[#names + 1] = tool.name end\n"
             "        return {'tools: ' .. table.concat(names, ' ')}\n"
             "    end}\n",
             keyword, keyword, keyword, steps, keyword);
    char name[128];
    snprintf(name, sizeof name, "%s.lua", keyword);
    write_script(fixture, "workflows", name, text);
}

/* Evaluates a Lua expression over the decoded JSON text (as `doc`) in a bare state; returns
 * its value as a malloc'd string. */
static char *json_eval(const char *json, const char *expression);

static int setup(void **state)
{
    halyard_log_configure(HALYARD_LOG_ERROR, NULL);
    *state = wait_fixture_start();
    return 0;
}

static int teardown(void **state)
{
    wait_fixture_stop(*state);
    return 0;
}

/* ---- tool files -------------------------------------------------------------------------- */

static void shipped_tools_registered(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    size_t tools = 0;
    for (size_t i = 0; i < halyard_lua_host_file_count(host); i++) {
        const halyard_lua_file *file = halyard_lua_host_file(host, i);
        if (strcmp(file->kind, "tool") == 0) {
            tools++;
            assert_int_equal(file->state, HALYARD_LUA_FILE_LOADED);
        }
    }
    assert_int_equal(tools, 1);
    halyard_lua_host_destroy(host);
}

static void bad_tools_reported_with_lines(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "tools", "bad.lua",
                 "local function run() return {} end\n"
                 "return {\n"
                 "    {name = 'bad.kind', description = 'x', kind = 'erase', run = run},\n"
                 "    {name = 'bad.norun', description = 'x', kind = 'read'},\n"
                 "    {name = 'bad.param', description = 'x', kind = 'read', run = run,\n"
                 "        parameters = {when = {type = 'date'}}},\n"
                 "}\n");
    write_script(fixture, "tools", "zz_copy.lua",
                 "return {name = 'halo.get_user', description = 'A copy.', kind = 'read',\n"
                 "    run = function() return {} end}\n");
    write_script(fixture, "tools", "good.lua",
                 "return {name = 'good.echo', description = 'Echoes.', kind = 'read',\n"
                 "    run = function(arguments) return arguments end}\n");

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "bad.lua:3:", "\"erase\"", NULL));
    assert_non_null(find_problem(host, "bad.lua:4:", "no run function", NULL));
    assert_non_null(find_problem(host, "bad.lua:5:", "parameter when", "\"date\"", NULL));
    assert_non_null(find_problem(host, "zz_copy.lua:1:", "already defined", "halo.lua", NULL));
    assert_int_equal(halyard_lua_host_problem_count(host), 4);
    halyard_lua_host_destroy(host);
}

/* A write tool for check_tool_hint_warnings: lint must warn with reason, or not at all when
 * reason is NULL. */
typedef struct {
    const char *name;
    const char *description;
    const char *reason;
} tool_hint_case;

/* Writes the cases as the MSP tool file msp.lua, loads a host, and checks that each case warns
 * with its reason or does not warn, and that the tool file has no other problem. */
static void check_tool_hint_warnings(wait_fixture *fixture, const tool_hint_case *cases,
                                     size_t count)
{
    char source[32768] = "return {\n";
    for (size_t i = 0; i < count; i++) {
        char line[512];
        snprintf(line, sizeof line,
                 "    {name = '%s', description = \"%s\", kind = 'write', "
                 "run = function() return {} end},\n",
                 cases[i].name, cases[i].description);
        assert_true(strlen(source) + strlen(line) + 3 < sizeof source);
        strncat(source, line, sizeof source - strlen(source) - 1);
    }
    strncat(source, "}\n", sizeof source - strlen(source) - 1);
    write_script(fixture, "tools", "msp.lua", source);

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    size_t warned = 0;
    for (size_t i = 0; i < count; i++) {
        char quoted_name[96];
        char suggestion[96];
        snprintf(quoted_name, sizeof quoted_name, "tool \"%s\" reads like", cases[i].name);
        if (cases[i].reason == NULL) {
            for (size_t p = 0; p < halyard_lua_host_problem_count(host); p++) {
                const char *problem = halyard_lua_host_problem(host, p);
                if (strstr(problem, quoted_name) != NULL) {
                    fail_msg("%s must not warn: %s", cases[i].name, problem);
                }
            }
            continue;
        }
        snprintf(suggestion, sizeof suggestion, "add sensitive = \"%s\"", cases[i].reason);
        if (find_problem(host, "msp.lua:", "warning:", quoted_name, suggestion, NULL) == NULL) {
            fail_msg("%s must warn with %s", cases[i].name, suggestion);
        }
        warned++;
    }
    /* Only the tool file's own lines count: the shipped new starter workflow passes
     * m365.create_user arguments this tool lacks, which is an error of that workflow. */
    size_t tool_file_problems = 0;
    for (size_t p = 0; p < halyard_lua_host_problem_count(host); p++) {
        if (strstr(halyard_lua_host_problem(host, p), "/tools/msp.lua:") != NULL) {
            tool_file_problems++;
        }
    }
    assert_int_equal(tool_file_problems, warned);
    halyard_lua_host_destroy(host);
}

/* Bug: lint's sensitive hints matched only a few word beginnings, so write tools such as
 * m365.create_user, entra.assign_role or okta.clear_factors declared no sensitive reason and got
 * no warning. Each tool below must warn with its reason; the harmless ones must not. */
static void sensitive_tool_names_warned(void **state)
{
    static const tool_hint_case cases[] = {
        {"m365.create_user", "Create a Microsoft 365 user with a licence.", "new_account"},
        {"entra.assign_role", "Assign a directory role to a user.", "access_grant"},
        {"m365.unblock_sign_in", "Allow the user to sign in again.", "account_unlock"},
        {"door.enroll_card", "Enrol a card on the door controller.", "physical_access"},
        {"m365.set_auth_phone", "Set the phone number used for sign-in texts.", "mfa_reset"},
        {"entra.reset_auth_methods", "Remove registered sign-in methods.", "mfa_reset"},
        {"exchange.new_inbox_rule", "Create an inbox rule that sends copies of mail.",
         "mail_forwarding"},
        {"okta.clear_factors", "Clear the user's enrolled factors.", "mfa_reset"},
        {"teams.add_owner", "Make a user an owner of a team.", "access_grant"},
        {"m365.enable_user", "Enable a disabled user.", "account_unlock"},
        {"entra.clear_sign_in_methods", "Remove the user's registered sign-in methods.",
         "mfa_reset"},
        {"xero.update_payee", "Change a supplier's details.", "payment_change"},
        {"alarm.set_code", "Set the alarm keypad code for a user.", "physical_access"},
        {"m365.update_contact", "Change the user's mobile number.", "contact_change"},
        {"m365.add_delegate", "Let another user open the mailbox.", "mail_delegation"},
        {"okta.call_api", "Calls the resetFactors endpoint.", "mfa_reset"},
        {"entra.call_graph", "Calls addGroupMember for the user.", "access_grant"},
        {"m365.get_user", "Look up a user's profile.", NULL},
        {"entra.list_roles", "List the directory roles.", NULL},
        {"m365.remove_member", "Remove a member from a group.", NULL},
        {"m365.disable_user", "Disable a user's sign-in.", NULL},
        {"m365.remove_forwarding", "Stop forwarding the user's mail.", NULL},
        {"m365.assign_licence", "Assign a licence to a user.", NULL},
        {"rmm.factory_reset", "Reset a device to its factory settings.", NULL},
        {"rmm.clear_temp_files", "Clear temporary files on the device.", NULL},
        {"printer.add_printer", "Add a printer to the user's device.", NULL},
    };

    check_tool_hint_warnings(*state, cases, sizeof cases / sizeof cases[0]);
}

/* The cases of tool_objects_warned_or_quiet, also compared with the plain scan. */
static const tool_hint_case tool_object_cases[] = {
    /* Harmless: the object is a print job, file, cache, log, ticket, note or the like. */
    {"rmm.set_user_wallpaper", "Set the desktop wallpaper on the user's device.", NULL},
    {"rmm.update_group_policy", "Run gpupdate on a device.", NULL},
    {"m365.set_user_timezone", "Set the mailbox time zone.", NULL},
    {"rmm.send_password_expiry_reminder",
     "E-mail the user a reminder that their password expires soon.", NULL},
    {"print.forward_print_job", "Move a stuck print job to another printer.", NULL},
    {"rmm.clear_admin_temp_files", "Delete temporary files under C:\\\\Windows\\\\Temp.", NULL},
    {"halo.update_contact_note", "Append a line to the HaloPSA contact's notes field.", NULL},
    {"rmm.reset_user_profile_cache", "Clear the Outlook profile cache for a user.", NULL},
    {"m365.add_calendar_event", "Add an event to the user's calendar.", NULL},
    {"print.redirect_print_queue", "Send a printer's queue to the spare printer.", NULL},
    {"print.clear_spooler", "Restart the print spooler and empty its queue.", NULL},
    {"rmm.clear_browser_cache", "Clear the browser cache for a user.", NULL},
    {"rmm.rotate_event_logs", "Archive and start new event logs on a server.", NULL},
    {"rmm.clear_user_temp_files", "Remove temporary files from the user's profile.", NULL},
    {"rmm.send_admin_report", "Send the weekly patch report to the client's contact.", NULL},
    {"halo.create_ticket_for_user", "Open a HaloPSA ticket on behalf of an end user.", NULL},
    {"halo.assign_ticket_to_group", "Move a ticket to another agent group.", NULL},
    {"halo.add_ticket_note", "Add a private note to a ticket.", NULL},
    {"halo.update_contact_log", "Record a call in the contact's log.", NULL},
    {"xero.send_invoice_reminder", "E-mail an overdue invoice reminder to the client.", NULL},
    {"xero.send_payment_reminder", "Remind the client that an invoice is due.", NULL},
    {"xero.create_invoice_note", "Add a note to a draft invoice.", NULL},
    {"halo.forward_ticket_notification", "Send a copy of the ticket notification to the engineer.",
     NULL},
    {"rmm.set_password_expiry_notice", "Show a notice on the device before a password expires.",
     NULL},
    {"rmm.reset_print_queue", "Empty the print queue of a shared printer.", NULL},
    {"rmm.clear_credential_cache_log", "Empty the credential cache log on a device.", NULL},
    {"rmm.enable_access_logging", "Turn on file access logging on a share.", NULL},
    {"rmm.add_printer_for_user", "Install a network printer for a user.", NULL},
    {"rmm.set_group_wallpaper", "Set a wallpaper for every device in a device group.", NULL},
    {"rmm.take_user_screenshot", "Take a screenshot of the user's session.", NULL},
    {"backup.create_mailbox_backup", "Start a backup job of a mailbox.", NULL},
    {"backup.add_account_snapshot", "Take a snapshot of the tenant's accounts.", NULL},
    {"m365.add_user_signature_template", "Add a signature template for the user's mail.", NULL},
    {"rmm.clear_token_cache", "Delete the cached sign-in token files on a device.", NULL},
    {"rmm.update_user_history", "Refresh the user's browsing history report.", NULL},
    {"m365.enable_sign_in_logs", "Turn on sign-in logs for the tenant.", NULL},
    {"rmm.enable_logging_for_user", "Turn on debug logging for a user's sessions.", NULL},
    {"rmm.factory_reset", "Reset a device to its factory settings.", NULL},
    {"printer.add_printer", "Add a printer to the user's device.", NULL},
    {"m365.assign_licence", "Assign a licence to a user.", NULL},
    /* Sensitive: a new secret, key, token or certificate, mail sent outside, and the rest. */
    {"m365.set_mailbox_permission", "Give someone full access to a mailbox.", "access_grant"},
    {"entra.issue_tap", "Issue a temporary access pass for sign-in.", "mfa_reset"},
    {"m365.grant_sendas", "Let a user send as another mailbox.", "mail_delegation"},
    {"okta.reactivate", "Reactivate a deactivated Okta user.", "account_unlock"},
    {"entra.rotate_secret", "Generate a new client secret for an app registration.",
     "password_reset"},
    {"m365.enable_external_smtp", "Let a mailbox send mail to external addresses automatically.",
     "mail_forwarding"},
    {"m365.set_recovery_email", "Change the self-service recovery e-mail.", "contact_change"},
    {"m365.make_global_admin", "Give the user the Global Administrator role.", "admin_rights"},
    {"entra.regenerate_api_key", "Issue a new API key for the integration.", "password_reset"},
    {"aws.rotate_access_key", "Replace an IAM user's access key.", "password_reset"},
    {"entra.renew_certificate", "Upload a new certificate for the app.", "password_reset"},
    {"github.create_token", "Create a personal access token.", "password_reset"},
    {"vpn.reissue_cert", "Reissue the user's VPN certificate.", "password_reset"},
    {"m365.enable_smtp_relay", "Allow a device to relay mail through the tenant.",
     "mail_forwarding"},
    {"exchange.allow_external_mail", "Let a mailbox send to outside recipients.",
     "mail_forwarding"},
    {"exchange.enable_autoforward", "Turn on automatic forwarding for a mailbox.",
     "mail_forwarding"},
    {"exchange.create_connector", "Create an outbound connector for a partner.", "mail_forwarding"},
    {"m365.reset_password", "Set a new password for a user.", "password_reset"},
    {"m365.reset_password_and_log", "Reset the password and log the change.", "password_reset"},
    {"m365.create_user", "Create a Microsoft 365 user with a licence.", "new_account"},
    {"entra.assign_role", "Assign a directory role to a user.", "access_grant"},
    {"m365.unblock_sign_in", "Allow the user to sign in again.", "account_unlock"},
    {"door.enroll_card", "Enrol a card on the door controller.", "physical_access"},
    {"okta.clear_factors", "Clear the user's enrolled factors.", "mfa_reset"},
    {"teams.add_owner", "Make a user an owner of a team.", "access_grant"},
    {"xero.update_payee", "Change a supplier's details.", "payment_change"},
    {"xero.change_invoice_bank_details", "Change the bank account on the supplier's invoices.",
     "payment_change"},
    {"m365.add_delegate", "Let another user open the mailbox.", "mail_delegation"},
    {"halo.forward_user_mail", "Forward a user's mail to a ticket queue address.",
     "mail_forwarding"},
    {"m365.create_user_for_ticket", "Create a user account named in a ticket.", "new_account"},
    {"m365.add_member_to_group", "Add a member to a security group.", "access_grant"},
    {"m365.update_mobile", "Change the user's mobile phone number.", "contact_change"},
    {"entra.add_admin_to_log_group", "Add a user to the log readers group as an admin.",
     "admin_rights"},
    {"alarm.set_code", "Set the alarm keypad code for a user.", "physical_access"},
    {"okta.unlock_user", "Unlock a locked-out user.", "account_unlock"},
    {"entra.assign_reports_reader_role", "Give a user the Reports Reader directory role.",
     "access_grant"},
    {"m365.enable_log_in", "Let the user log in again.", "account_unlock"},
    {"m365.add_admin_backup_account", "Create a break-glass administrator account.",
     "admin_rights"},
    {"m365.grant_file_access", "Give a user access to a file.", "access_grant"},
    /* Abbreviations MSPs use in tool names: pwd, pw, pass, TAP, bypass, forced change. */
    {"m365.set_pwd", "Sets a user's pwd.", "password_reset"},
    {"ad.set_pw", "Sets it for a user.", "password_reset"},
    {"ad.reset_pass", "Resets the pass of a user.", "password_reset"},
    {"m365.force_change_on_next_logon", "Applies to a user.", "password_reset"},
    {"ad.require_new_one", "Makes the user pick a new one at next sign-in.", "password_reset"},
    {"entra.new_tap", "Issues a TAP for sign-in.", "mfa_reset"},
    {"duo.bypass_code", "Generates a bypass code.", "mfa_reset"},
    {"duo.put_user", "Puts the user in bypass.", "mfa_reset"},
    {"paxton.enrol_user", "Enrols a user on the door system.", "physical_access"},
    /* A token or PIN of a door system is physical access, one next to an authenticator is a
     * second factor, and any other one is a sign-in or API credential. */
    {"paxton.add_token", "Adds a token for a user.", "physical_access"},
    {"door.add_token", "Adds a token for a user.", "physical_access"},
    {"fob.issue_token", "Issues a token to a user.", "physical_access"},
    {"badge.add_token", "Adds a token for a user.", "physical_access"},
    {"keycard.add_token", "Adds a token for a user.", "physical_access"},
    {"access_control.add_token", "Adds a token for a user.", "physical_access"},
    {"acs.add_token", "Adds a token for a user on the Net2 system.", "physical_access"},
    {"door.set_pin", "Sets a user's keypad PIN.", "physical_access"},
    {"okta.add_token", "Registers a TOTP token for a user.", "mfa_reset"},
    {"yubikey.add_token", "Adds a token for a user.", "mfa_reset"},
    {"m365.add_authenticator_token", "Adds a token for a user.", "mfa_reset"},
    {"entra.add_security_key_token", "Adds a token for a user.", "mfa_reset"},
    {"api.add_token", "Adds a token for a user.", "password_reset"},
    {"m365.set_pin", "Sets a user's sign-in PIN.", "password_reset"},
};

/* Bug: lint warned when a sensitive word only qualified a harmless object, such as a print job
 * to forward, admin temp files, a contact note, a password expiry reminder or a user profile
 * cache. It also missed rotating an app's client secret and enabling external SMTP. */
static void tool_objects_warned_or_quiet(void **state)
{
    check_tool_hint_warnings(*state, tool_object_cases,
                             sizeof tool_object_cases / sizeof tool_object_cases[0]);
}

/* tools.sensitive_hint reads compiled word tables in place of nested string compares. It must
 * return what the plain scan (tests/lua/sensitive_hint_reference.lua) returns: the same words
 * and reason for the tool names above, every form of the hints and random word lists. */
static void sensitive_hint_equals_reference(void **state)
{
    (void)state;
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);

    static const char *const files[] = {
        HALYARD_SOURCE_DIR "/tests/lua/sensitive_hint_compare.lua",
        HALYARD_SOURCE_DIR "/bindings/lua/tools.lua",
        HALYARD_SOURCE_DIR "/tests/lua/sensitive_hint_reference.lua",
    };
    assert_int_equal(luaL_loadfile(L, files[0]), LUA_OK);
    for (size_t i = 1; i < sizeof files / sizeof files[0]; i++) {
        if (luaL_dofile(L, files[i]) != LUA_OK) {
            fail_msg("%s: %s", files[i], lua_tostring(L, -1));
        }
    }

    /* The cases of sensitive_tool_names_warned, as {name, description}, then those of
     * tool_objects_warned_or_quiet. */
    static const char *const named[][2] = {
        {"m365.create_user", "Create a Microsoft 365 user with a licence."},
        {"entra.assign_role", "Assign a directory role to a user."},
        {"m365.unblock_sign_in", "Allow the user to sign in again."},
        {"door.enroll_card", "Enrol a card on the door controller."},
        {"m365.set_auth_phone", "Set the phone number used for sign-in texts."},
        {"entra.reset_auth_methods", "Remove registered sign-in methods."},
        {"exchange.new_inbox_rule", "Create an inbox rule that sends copies of mail."},
        {"okta.clear_factors", "Clear the user's enrolled factors."},
        {"teams.add_owner", "Make a user an owner of a team."},
        {"m365.enable_user", "Enable a disabled user."},
        {"xero.update_payee", "Change a supplier's details."},
        {"alarm.set_code", "Set the alarm keypad code for a user."},
        {"m365.update_contact", "Change the user's mobile number."},
        {"m365.add_delegate", "Let another user open the mailbox."},
        {"okta.call_api", "Calls the resetFactors endpoint."},
        {"entra.call_graph", "Calls addGroupMember for the user."},
        {"m365.remove_forwarding", "Stop forwarding the user's mail."},
        {"rmm.factory_reset", "Reset a device to its factory settings."},
        {"m365.reset_password", NULL},
        {"example.handle_request", NULL},
    };
    enum { NAMED_COUNT = sizeof named / sizeof named[0] };
    enum { OBJECT_COUNT = sizeof tool_object_cases / sizeof tool_object_cases[0] };
    lua_createtable(L, NAMED_COUNT + OBJECT_COUNT, 0);
    for (size_t i = 0; i < NAMED_COUNT; i++) {
        lua_createtable(L, 2, 0);
        lua_pushstring(L, named[i][0]);
        lua_rawseti(L, -2, 1);
        if (named[i][1] != NULL) {
            lua_pushstring(L, named[i][1]);
            lua_rawseti(L, -2, 2);
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    for (size_t i = 0; i < OBJECT_COUNT; i++) {
        lua_createtable(L, 2, 0);
        lua_pushstring(L, tool_object_cases[i].name);
        lua_rawseti(L, -2, 1);
        lua_pushstring(L, tool_object_cases[i].description);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, (lua_Integer)(NAMED_COUNT + i) + 1);
    }

    if (lua_pcall(L, 3, 2, 0) != LUA_OK) {
        fail_msg("comparing the hints failed: %s", lua_tostring(L, -1));
    }
    assert_true(lua_tointeger(L, -2) > 5000);
    if (!lua_isnil(L, -1)) {
        fail_msg("%s", lua_tostring(L, -1));
    }
    lua_close(L);
}

/* Each tool is read once for all the steps that name it, so every workflow that names a
 * sensitive-looking tool must still warn, not only the first. */
static void sensitive_step_warned_in_each_workflow(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "tools", "msp.lua",
                 "return {name = 'okta.clear_factors', description = 'Clears factors.',\n"
                 "    kind = 'write', run = function() return {} end}\n");
    write_workflow(fixture, "first", "{{tool = 'm365.reset_password', kind = 'write'}}");
    write_workflow(fixture, "second", "{{tool = 'm365.reset_password', kind = 'write'}}");
    write_workflow(fixture, "third", "{{tool = 'okta.clear_factors'}}");
    write_workflow(fixture, "fourth", "{{tool = 'okta.clear_factors'}}");
    write_workflow(fixture, "harmless", "{{tool = 'example.handle_request', kind = 'write'}}");

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    static const char *const warned[][2] = {
        {"first.lua:4: warning:", "add sensitive = \"password_reset\""},
        {"second.lua:4: warning:", "add sensitive = \"password_reset\""},
        {"third.lua:4: warning:", "add sensitive = \"mfa_reset\""},
        {"fourth.lua:4: warning:", "add sensitive = \"mfa_reset\""},
    };
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++) {
        if (find_problem(host, warned[i][0], warned[i][1], NULL) == NULL) {
            fail_msg("%s must warn with %s", warned[i][0], warned[i][1]);
        }
    }
    assert_null(find_problem(host, "harmless.lua:", NULL));
    /* The four steps and the tool file's own warning. */
    assert_int_equal(halyard_lua_host_problem_count(host), 5);
    halyard_lua_host_destroy(host);
}

static void workflow_steps_checked_against_tools(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "unknown", "{{tool = 'halo.erase_ticket', kind = 'write'}}");
    write_workflow(fixture, "extra",
                   "{{tool = 'halo.get_user', arguments = {user_id = 1, x = 2}}}");
    write_workflow(fixture, "missing", "{{tool = 'halo.reply'}}");
    write_workflow(fixture, "claim",
                   "{{tool = 'halo.add_note', kind = 'read', "
                   "arguments = {note = 'x'}}}");
    write_workflow(fixture, "elsewhere", "{{tool = 'm365.reset_password', kind = 'write'}}");
    /* A family with some tools registered may name others: the MSP has not connected them. */
    write_script(fixture, "tools", "probe.lua",
                 "return {name = 'probe.read_status', description = 'Reads a status.', "
                 "kind = 'read', run = function() return {} end}\n");
    write_workflow(fixture, "partly", "{{tool = 'probe.restart', kind = 'write'}}");

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "unknown.lua:", "halo.erase_ticket",
                                 "not a registered "
                                 "tool",
                                 "halo.add_note", NULL));
    assert_non_null(find_problem(host, "extra.lua:", "arguments.x is not a parameter", NULL));
    assert_non_null(find_problem(host, "missing.lua:", "needs the argument message", NULL));
    assert_non_null(find_problem(host, "claim.lua:4: warning:", "steps[1].kind is \"read\"",
                                 "halo.add_note is registered as a write tool", NULL));
    /* A write step whose unregistered tool reads like a password reset, in a workflow that
     * declares no sensitive reason, is a warning too. */
    assert_non_null(find_problem(host, "elsewhere.lua:4: warning:", "m365.reset_password",
                                 "add sensitive = \"password_reset\"", NULL));
    assert_int_equal(halyard_lua_host_problem_count(host), 5);

    /* The step that claims the wrong kind keeps its workflow serving, with the registry's kind. */
    wait_fixture_outcome outcome;
    assert_int_equal(
        wait_fixture_plan_run(fixture, host, "claim", "{\"mode\": \"execute\"}", &outcome),
        HALYARD_LUA_OK);
    char *claimed = json_eval(outcome.summary_json,
                              "return doc.steps[1].tool .. ' ' .. doc.steps[1].kind .. ' ' .. "
                              "doc.steps[1].policy");
    assert_string_equal(claimed, "halo.add_note write approval_needed");
    free(claimed);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* Bug: an MSP tool whose kind differed from a shipped workflow's step (rmm.get_disk_usage
 * declared as a write) made the shipped low-disk-space workflow stop serving. */
static void msp_tool_kind_keeps_shipped_workflow(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "tools", "rmm.lua",
                 "return {name = 'rmm.get_disk_usage', description = 'Reads disk usage.',\n"
                 "    kind = 'write', parameters = {device = {type = 'string', required = true}},\n"
                 "    run = function() return {} end}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(
        find_problem(host, "workflows/low_disk_space.lua:", "warning:", "steps[2].kind is \"read\"",
                     "rmm.get_disk_usage is registered as a write tool", NULL));
    assert_int_equal(halyard_lua_host_problem_count(host), 1);

    wait_fixture_outcome outcome;
    assert_int_equal(wait_fixture_plan_run(fixture, host, "the c drive is almost full",
                                           "{\"mode\": \"execute\"}", &outcome),
                     HALYARD_LUA_OK);
    char *steps = json_eval(outcome.summary_json,
                            "for _, s in ipairs(doc.steps) do\n"
                            "  if s.tool == 'rmm.get_disk_usage' then\n"
                            "    return s.workflow .. ': ' .. s.kind .. ' ' .. s.policy\n"
                            "  end\n"
                            "end\n"
                            "return 'no rmm.get_disk_usage step'");
    assert_string_equal(steps, "Low disk space: write approval_needed");
    free(steps);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* The tool examples of docs/tools.md (each ```lua block that returns a table with a name)
 * load as MSP tool files without a problem. */
static void documented_tools_load(void **state)
{
    wait_fixture *fixture = *state;
    FILE *file = fopen(HALYARD_SOURCE_DIR "/docs/tools.md", "r");
    assert_non_null(file);
    static char text[65536];
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[length] = '\0';

    int examples = 0;
    const char *opening = "```lua\nreturn {\n    name = ";
    for (char *at = strstr(text, opening); at != NULL; at = strstr(at + 1, opening)) {
        char *start = at + strlen("```lua\n");
        char *end = strstr(start, "\n```");
        assert_non_null(end);
        char name[32];
        snprintf(name, sizeof name, "example_%d.lua", ++examples);
        char *example = strndup(start, (size_t)(end - start + 1));
        assert_non_null(example);
        write_script(fixture, "tools", name, example);
        free(example);
    }

    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_int_equal(examples, 2);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    halyard_lua_host_destroy(host);
}

/* ---- plans ------------------------------------------------------------------------------- */

static const char *const POLICY_STEPS =
    "{{tool = 'halo.get_user', arguments = {user_id = '{requester.id}'}},\n"
    " {tool = 'halo.add_note', arguments = {note = 'Checked {requester.name}'}},\n"
    " {tool = 'm365.reset_password', kind = 'write', arguments = {user = 'x'}},\n"
    " {tool = 'halo.assign', arguments = {team = '1st Line'}}}";

static void execute_plan_carries_policies(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "policy", POLICY_STEPS);
    write_script(fixture, "policies", "tools.lua",
                 "return {default = {['halo.add_note'] = 'auto'},\n"
                 "    clients = {[12] = {['halo.assign'] = 'disabled'}}}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    halyard_lua_result result =
        wait_fixture_plan_run(fixture, host, "policy", "{\"mode\": \"execute\"}", &outcome);

    if (result != HALYARD_LUA_OK) {
        fail_msg("plan failed: %s", outcome.message);
    }
    char *steps = json_eval(
        outcome.summary_json,
        "local parts = {}\n"
        "for _, s in ipairs(doc.steps) do\n"
        "  parts[#parts + 1] = math.tointeger(s.number) .. ' ' .. s.tool .. ' ' .. s.kind .. "
        "' ' .. s.policy\n"
        "end\n"
        "return table.concat(parts, ', ')");
    assert_string_equal(steps, "1 halo.get_user read auto, 2 halo.add_note write auto");
    free(steps);
    char *left_out = json_eval(outcome.summary_json,
                               "local parts = {}\n"
                               "for _, s in ipairs(doc.left_out) do\n"
                               "  parts[#parts + 1] = math.tointeger(s.number) .. ' ' .. s.reason\n"
                               "end\n"
                               "return table.concat(parts, '; ')");
    assert_string_equal(left_out, "3 no tool named m365.reset_password is registered for this "
                                  "MSP, so it cannot run; 4 step 3 (m365.reset_password) before "
                                  "it was left out, and this step may rely on what that step "
                                  "does");
    free(left_out);
    char *tools = json_eval(outcome.summary_json, "return doc.facts[1].text");
    assert_string_equal(tools, "tools: halo.add_note halo.get_user halo.list_client_assets "
                               "halo.list_user_tickets halo.reply halo.set_status");
    free(tools);
    assert_non_null(strstr(outcome.note_html, "runs automatically"));
    assert_non_null(strstr(outcome.note_html, "Left out of the plan"));
    assert_non_null(strstr(outcome.note_html, "Written by halyard in Execute mode"));
    wait_fixture_outcome_clear(&outcome);

    /* Plan mode describes the steps without saying how they would run, and keeps the step of
     * a tool that is not connected. */
    result = wait_fixture_plan_run(fixture, host, "policy", NULL, &outcome);
    assert_int_equal(result, HALYARD_LUA_OK);
    steps = json_eval(outcome.summary_json,
                      "local parts = {}\n"
                      "for _, s in ipairs(doc.steps) do parts[#parts + 1] = s.tool end\n"
                      "return doc.run.mode .. ': ' .. table.concat(parts, ' ')");
    assert_string_equal(steps, "plan: halo.get_user halo.add_note m365.reset_password");
    free(steps);
    left_out = json_eval(outcome.summary_json,
                         "local parts = {}\n"
                         "for _, s in ipairs(doc.left_out) do\n"
                         "  parts[#parts + 1] = math.tointeger(s.number) .. ' ' .. s.reason\n"
                         "end\n"
                         "return table.concat(parts, '; ')");
    assert_string_equal(left_out, "4 halo.assign is disabled: the tool policy sets halo.assign "
                                  "to disabled for client 12");
    free(left_out);
    assert_null(strstr(outcome.note_html, "runs automatically"));
    assert_non_null(strstr(outcome.note_html, "Written by halyard in Plan mode"));
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* Returns the policy host.plan gives halo.add_note (the workflow's second step) for run_json. */
static char *add_note_policy(wait_fixture *fixture, halyard_lua_host *host, const char *run_json)
{
    wait_fixture_outcome outcome;
    halyard_lua_result result = wait_fixture_plan_run(fixture, host, "policy", run_json, &outcome);
    if (result != HALYARD_LUA_OK) {
        fail_msg("plan failed: %s", outcome.message);
    }
    char *policy = json_eval(outcome.summary_json, "return doc.steps[2].policy");
    wait_fixture_outcome_clear(&outcome);
    return policy;
}

static void sensitive_unverified_writes_need_approval(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "policy", POLICY_STEPS);
    write_script(fixture, "policies", "tools.lua", "return {default = {['halo.*'] = 'auto'}}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    static const struct {
        const char *run_json;
        const char *policy;
    } cases[] = {
        {"{\"mode\": \"execute\"}", "auto"},
        {"{\"mode\": \"execute\", \"sensitive\": true, \"verification\": \"verified\"}", "auto"},
        {"{\"mode\": \"execute\", \"sensitive\": true, \"verification\": \"pending\"}",
         "approval_needed"},
        {"{\"mode\": \"execute\", \"sensitive\": true, \"verification\": \"not_required\"}",
         "approval_needed"},
        {"{\"mode\": \"execute\", \"sensitive\": true}", "approval_needed"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *policy = add_note_policy(fixture, host, cases[i].run_json);
        if (strcmp(policy, cases[i].policy) != 0) {
            fail_msg("%s gave %s, expected %s", cases[i].run_json, policy, cases[i].policy);
        }
        free(policy);
    }
    halyard_lua_host_destroy(host);
}

/* Returns "<step tools> | <left-out tools> | <facts>" of a plan of the "reply" workflow. */
static char *reply_plan_shape(wait_fixture *fixture, halyard_lua_host *host, const char *run_json)
{
    wait_fixture_outcome outcome;
    halyard_lua_result result = wait_fixture_plan_run(fixture, host, "reply", run_json, &outcome);
    if (result != HALYARD_LUA_OK) {
        fail_msg("plan failed: %s", outcome.message);
    }
    char *shape = json_eval(outcome.summary_json,
                            "local steps, left = {}, {}\n"
                            "for _, s in ipairs(doc.steps) do\n"
                            "  steps[#steps + 1] = s.tool .. (s.policy and ' ' .. s.policy or '')\n"
                            "end\n"
                            "for _, s in ipairs(doc.left_out) do left[#left + 1] = s.tool end\n"
                            "return table.concat(steps, ', ') .. ' | ' .. "
                            "table.concat(left, ', ') .. ' | ' .. doc.facts[1].text");
    wait_fixture_outcome_clear(&outcome);
    return shape;
}

/* Bug: a tool policy with a syntax error, at a start with no earlier version serving, let
 * halo.reply, which the file disabled for client 12, back into plans as needing approval. */
static void broken_policy_disables_write_tools(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "reply",
                   "{{tool = 'halo.get_user', arguments = {user_id = '{requester.id}'}},\n"
                   " {tool = 'halo.reply', arguments = {message = 'Hello'}}}");
    write_script(fixture, "policies", "tools.lua",
                 "return { default = {}, clients = { [12] = { [\"halo.reply\"] = \"disabled\" } }"
                 "\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "policies/tools.lua:", "fix the syntax error", NULL));
    assert_non_null(find_problem(host, "policies/tools.lua:", "every write tool is disabled",
                                 "every read tool runs on its own", NULL));
    /* Plan mode and Execute mode leave the step out alike. */
    static const char *const run_jsons[] = {"{\"mode\": \"execute\"}", NULL};
    for (size_t i = 0; i < sizeof run_jsons / sizeof run_jsons[0]; i++) {
        char *shape = reply_plan_shape(fixture, host, run_jsons[i]);
        assert_string_equal(shape, "halo.get_user auto | halo.reply | tools: halo.get_user "
                                   "halo.list_client_assets halo.list_user_tickets");
        free(shape);
    }
    halyard_lua_host_destroy(host);
}

/* An invalid policy value disables the write tools too, and its problem names the value. */
static void invalid_policy_disables_write_tools(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "policy", POLICY_STEPS);
    write_script(fixture, "policies", "tools.lua",
                 "return {default = {['halo.add_note'] = 'sometimes'}}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "tools.lua:1:", "\"sometimes\"", NULL));
    wait_fixture_outcome outcome;
    assert_int_equal(
        wait_fixture_plan_run(fixture, host, "policy", "{\"mode\": \"execute\"}", &outcome),
        HALYARD_LUA_OK);
    char *steps = json_eval(outcome.summary_json,
                            "local parts = {}\n"
                            "for _, s in ipairs(doc.steps) do\n"
                            "  parts[#parts + 1] = s.tool .. ' ' .. s.policy\n"
                            "end\n"
                            "return table.concat(parts, ', ') .. ' | ' .. doc.left_out[1].reason");
    assert_string_equal(steps, "halo.get_user auto | halo.add_note is disabled: the tool policy "
                               "file failed to load and no earlier version of it serves, so "
                               "every write tool is disabled until the file is fixed");
    free(steps);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* Bug: a misspelt tool name in the tool policy was accepted without a word, and an empty key
 * was reported as "default has the key ;". */
static void policy_unknown_names_warned(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "policies", "tools.lua",
                 "return {\n"
                 "    default = {['rmm.get_disk_usge'] = 'disabled', ['rmm.*'] = 'auto',\n"
                 "        ['halo.add_note'] = 'auto', ['*'] = 'approval_needed'},\n"
                 "    clients = {[12] = {['m356.*'] = 'disabled'}},\n"
                 "}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "tools.lua:2:", "warning:",
                                 "default[\"rmm.get_disk_usge\"] matches no registered tool",
                                 "the closest name is \"rmm.get_disk_usage\"", NULL));
    assert_non_null(find_problem(host, "tools.lua:4:", "warning:", "clients[12][\"m356.*\"]",
                                 "the closest name is \"m365.*\"", NULL));
    assert_int_equal(halyard_lua_host_problem_count(host), 2);

    /* The policy still serves: the names that match keep their settings. */
    write_workflow(fixture, "policy", POLICY_STEPS);
    halyard_lua_host_destroy(host);
    host = wait_fixture_host(fixture, NULL);
    char *policy = add_note_policy(fixture, host, "{\"mode\": \"execute\"}");
    assert_string_equal(policy, "auto");
    free(policy);
    halyard_lua_host_destroy(host);
}

/* A client id written as text and a tool name in capitals were rejected without saying how
 * they differ from what is valid. */
static void policy_key_errors_say_fix(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "policies", "tools.lua",
                 "return {\n"
                 "    default = {['HALO.Reply'] = 'disabled'},\n"
                 "    clients = {['12'] = {['halo.*'] = 'auto'}},\n"
                 "}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "tools.lua:2:", "default has the key \"HALO.Reply\"",
                                 "(tool names are lower case: \"halo.reply\")", NULL));
    assert_non_null(find_problem(host, "tools.lua:3:", "clients has the key \"12\" (text)",
                                 "in brackets without quotes: [12]", NULL));
    halyard_lua_host_destroy(host);
}

static void policy_empty_key_named(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "policies", "tools.lua", "return {default = {[''] = 'auto'}}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    assert_non_null(find_problem(host, "tools.lua:1:",
                                 "default has an empty key; use a tool "
                                 "name",
                                 NULL));
    halyard_lua_host_destroy(host);
}

static void bad_run_json_rejected(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;

    halyard_lua_result result =
        wait_fixture_plan_run(fixture, host, "x", "{\"mode\": \"yolo\"}", &outcome);

    assert_int_equal(result, HALYARD_LUA_ERROR);
    assert_non_null(strstr(outcome.message, "the run's mode is yolo"));
    wait_fixture_outcome_clear(&outcome);

    result = wait_fixture_plan_run(fixture, host, "x", "{\"other_account\": \"yes\"}", &outcome);
    assert_int_equal(result, HALYARD_LUA_ERROR);
    assert_non_null(strstr(outcome.message, "the run's other_account is yes; use true or false"));
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* A request about another person's account (the screening's other_account) leaves out every
 * step aimed at the requester's account: an argument filled from the requester other than the
 * HaloPSA user id, or a step marked requester_account. Steps after a left-out step are left
 * out too. The same plan for the requester's own account keeps them. */
static void other_account_leaves_requester_steps(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "account",
                   "{{tool = 'halo.get_user', arguments = {user_id = '{requester.id}'}},\n"
                   " {tool = 'm365.reset_password', kind = 'write',\n"
                   "     arguments = {user = '{requester.email}'}},\n"
                   " {tool = 'm365.list_auth_methods', kind = 'read',\n"
                   "     arguments = {user = 'name {requester.name}'}},\n"
                   " {tool = 'halo.reply', requester_account = true,\n"
                   "     arguments = {ticket_id = '{ticket.id}', message = 'Done.'}},\n"
                   " {tool = 'halo.add_note', arguments = {note = 'Checked.'}}}");
    write_workflow(fixture, "flagged",
                   "{{tool = 'halo.reply', requester_account = 'yes',\n"
                   "  arguments = {ticket_id = 1, message = 'x'}}}");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    assert_non_null(find_problem(host, "flagged.lua:",
                                 "steps[1].requester_account must be true "
                                 "or false, got string",
                                 NULL));

    wait_fixture_outcome outcome;
    assert_int_equal(wait_fixture_plan_run(fixture, host, "account",
                                           "{\"mode\": \"plan\", \"other_account\": true}",
                                           &outcome),
                     HALYARD_LUA_OK);
    char *tools = json_eval(outcome.summary_json,
                            "local names = {} for _, step in ipairs(doc.steps) do "
                            "names[#names + 1] = step.tool end return table.concat(names, ' ')");
    /* The note comes after left-out steps, so it is left out too: it may rely on them. */
    assert_string_equal(tools, "halo.get_user");
    free(tools);
    char *left_out =
        json_eval(outcome.summary_json, "local names = {} for _, step in ipairs(doc.left_out) do "
                                        "names[#names + 1] = step.tool .. ': ' .. step.reason end "
                                        "return table.concat(names, '; ')");
    assert_non_null(strstr(left_out, "m365.reset_password: the request is about another "
                                     "person's account"));
    assert_non_null(strstr(left_out, "m365.list_auth_methods: "));
    assert_non_null(strstr(left_out, "halo.reply: "));
    assert_non_null(strstr(left_out, "halo.add_note: step 2 (m365.reset_password) before it"));
    free(left_out);
    char *needs = json_eval(outcome.summary_json, "return table.concat(doc.needs, '; ')");
    assert_non_null(strstr(needs, "a technician to confirm whose account the request is about"));
    free(needs);
    char *diagnosis = json_eval(outcome.summary_json, "return doc.diagnosis");
    assert_non_null(strstr(diagnosis, "another person's account"));
    free(diagnosis);
    wait_fixture_outcome_clear(&outcome);

    assert_int_equal(wait_fixture_plan_run(fixture, host, "account",
                                           "{\"mode\": \"plan\", \"other_account\": false}",
                                           &outcome),
                     HALYARD_LUA_OK);
    char *count = json_eval(outcome.summary_json, "return tostring(#doc.steps)");
    assert_string_equal(count, "5");
    free(count);
    char *own_needs = json_eval(outcome.summary_json, "return table.concat(doc.needs, '; ')");
    assert_null(strstr(own_needs, "whose account"));
    free(own_needs);
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
}

/* Returns "sensitive reason" of host.screen for a kiosk ticket with actions_json. */
static char *screen_with_actions(wait_fixture *fixture, halyard_lua_host *host,
                                 const char *actions_json)
{
    const char *arguments[] = {"{\"id\": 4242, \"summary\": \"Kiosk offline\", "
                               "\"details\": \"The kiosk is blank.\", \"client_id\": 12}",
                               NULL, actions_json};
    char *verdict = NULL;
    char message[1024];
    halyard_lua_result result = wait_fixture_call(fixture, host, "screen", arguments, 3, false,
                                                  &verdict, message, sizeof message);
    if (result != HALYARD_LUA_OK) {
        return strdup(message);
    }
    char *read = json_eval(verdict, "return tostring(doc.sensitive) .. ' ' .. doc.reason");
    free(verdict);
    return read;
}

/* The screen reads what end users wrote on the ticket, not technicians' or system actions. */
static void screen_reads_end_user_replies(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    static const struct {
        const char *actions_json;
        const char *expected;
    } cases[] = {
        {"{\"actions\": [{\"id\": 2, \"who_type\": 2, \"note\": \"I forgot my password, "
         "please reset it.\"}]}",
         "true password_reset"},
        {"[{\"id\": 2, \"who_agentid\": 0, \"note_html\": \"<p>I forgot my password, please "
         "reset it.</p>\"}]",
         "true password_reset"},
        {"{\"actions\": [{\"id\": 2, \"who_type\": 1, \"who_agentid\": 3, \"note\": \"I "
         "forgot my password, please reset it.\"}]}",
         "false fault_report"},
        {"{\"actions\": [{\"id\": 2, \"who_type\": 0, \"note\": \"I forgot my password, "
         "please reset it.\"}]}",
         "false fault_report"},
        {"{\"actions\": [{\"id\": 2, \"hiddenfromuser\": true, \"note\": \"I forgot my "
         "password, please reset it.\"}]}",
         "false fault_report"},
        {"{\"actions\": []}", "false fault_report"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *read = screen_with_actions(fixture, host, cases[i].actions_json);
        if (strcmp(read, cases[i].expected) != 0) {
            fail_msg("case %zu gave %s, expected %s", i, read, cases[i].expected);
        }
        free(read);
    }

    char *invalid = screen_with_actions(fixture, host, "{not json");
    assert_non_null(strstr(invalid, "the actions JSON is not valid JSON"));
    free(invalid);
    halyard_lua_host_destroy(host);
}

/* Regression: the screening's matched words quoted a password typed into the ticket, and
 * runs.screening_json stored them. */
static void screen_cuts_secret_from_matched(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    const char *arguments[] = {"{\"id\": 4243, \"summary\": \"password Tr0ub4dor&3 reset "
                               "please\", \"details\": \"\", \"client_id\": 12}",
                               NULL, NULL};
    char *verdict = NULL;
    char message[1024];
    halyard_lua_result result = wait_fixture_call(fixture, host, "screen", arguments, 3, false,
                                                  &verdict, message, sizeof message);
    if (result != HALYARD_LUA_OK) {
        fail_msg("host.screen failed: %s", message);
    }

    char *matched = json_eval(verdict, "return doc.matched");
    assert_null(strstr(matched, "tr0ub4dor"));
    assert_non_null(strstr(matched, "password [secret removed]"));
    char *sensitive = json_eval(verdict, "return tostring(doc.sensitive)");
    assert_string_equal(sensitive, "true");
    free(sensitive);
    free(matched);
    free(verdict);
    halyard_lua_host_destroy(host);
}

/* Bug: host.screen read a sensitive verdict field of the wrong type as false, so a policy
 * returning sensitive = "true" screened a ticket as harmless with nothing logged. Every field
 * host.screen reads is checked, and an invalid one raises with the field and its value, which
 * the screen job treats as a failed screening (fails closed). */
static void screen_invalid_verdict_raises(void **state)
{
    wait_fixture *fixture = *state;
    static const struct {
        const char *verdict;
        const char *expected;
    } cases[] = {
        {"nil", "the result is missing, expected a table"},
        {"'yes'", "the result is the string \"yes\", expected a table"},
        {"{sensitive = 'true', reason = 'other', verification_required = true, risk = risk}",
         "sensitive is the string \"true\", expected a boolean"},
        {"{sensitive = true, reason = 'other', verification_required = 'true', risk = risk}",
         "verification_required is the string \"true\", expected a boolean"},
        {"{sensitive = true, reason = 'other', verification_required = 1, risk = risk}",
         "verification_required is the number 1, expected a boolean"},
        {"{sensitive = false, reason = 7, verification_required = false, risk = risk}",
         "reason is the number 7, expected a string"},
        {"{sensitive = false, verification_required = false, risk = risk}",
         "reason is missing, expected a string"},
        {"{sensitive = false, reason = 'other', verification_required = false, risk = risk, "
         "matched = {}}",
         "matched is a table, expected a string"},
        {"{sensitive = false, reason = 'other', verification_required = false, risk = 'low'}",
         "risk is the string \"low\", expected a table"},
        {"{sensitive = false, reason = 'other', verification_required = false, "
         "risk = {score = '10', level = 'low', signals = {}}}",
         "risk.score is the string \"10\", expected a number"},
        {"{sensitive = false, reason = 'other', verification_required = false, "
         "risk = {score = 10, level = 'severe', signals = {}}}",
         "risk.level is the string \"severe\", expected"},
        {"{sensitive = false, reason = 'other', verification_required = false, "
         "risk = {score = 10, level = 'low'}}",
         "risk.signals is missing, expected a list"},
        {"{sensitive = false, reason = 'other', verification_required = false, "
         "risk = {score = 10, level = 'low', signals = {'x'}}}",
         "risk.signals[1] is the string \"x\", expected a table"},
        {"{sensitive = false, reason = 'other', verification_required = false, "
         "risk = {score = 10, level = 'low', signals = {{points = 3}}}}",
         "risk.signals[1].code is missing, expected a string"},
        {"{sensitive = false, reason = 'other', verification_required = false, risk = risk, "
         "model_probability = 'high'}",
         "model_probability is the string \"high\", expected a number or nil"},
        {"{sensitive = true, reason = 'password_reset', verification_required = true, "
         "risk = risk, matched = 'reset my password'}",
         NULL},
        {"{sensitive = false, reason = 'other', verification_required = false, risk = risk}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char policy[1024];
        snprintf(policy, sizeof policy,
                 "local risk = {score = 0, level = 'low', signals = {}}\n"
                 "return {classify = function() return %s end}\n",
                 cases[i].verdict);
        write_script(fixture, "policies", "sensitive.lua", policy);
        halyard_lua_host *host = wait_fixture_host(fixture, NULL);
        char *read = screen_with_actions(fixture, host, NULL);
        if (cases[i].expected == NULL) {
            if (strstr(read, "invalid verdict") != NULL) {
                fail_msg("case %zu was rejected: %s", i, read);
            }
        } else if (strstr(read, "the sensitive policy returned an invalid verdict") == NULL ||
                   strstr(read, cases[i].expected) == NULL) {
            fail_msg("case %zu gave %s, expected %s", i, read, cases[i].expected);
        }
        free(read);
        halyard_lua_host_destroy(host);
    }
}

/* host.classify_reply names the field of an approval verdict that is not what classify must
 * return, so the note and the log say what to fix in policies/approval.lua. */
static void classify_reply_invalid_verdict_named(void **state)
{
    wait_fixture *fixture = *state;
    static const struct {
        const char *verdict;
        const char *expected;
    } cases[] = {
        {"nil", "the result is missing, expected a table"},
        {"{decision = 'yes'}", "decision is the string \"yes\", expected"},
        {"{decision = 'approve', reason = 12}", "reason is the number 12, expected a string"},
        {"{decision = 'deny', evidence = {}}", "evidence is a table, expected a string"},
        {"{decision = 'approve', reason = 'explicit_approval', evidence = 'Approved'}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char policy[512];
        snprintf(policy, sizeof policy, "return {classify = function() return %s end}\n",
                 cases[i].verdict);
        write_script(fixture, "policies", "approval.lua", policy);
        halyard_lua_host *host = wait_fixture_host(fixture, NULL);
        const char *arguments[] = {"Approved.", NULL};
        char *verdict = NULL;
        char message[1024];
        halyard_lua_result result = wait_fixture_call(fixture, host, "classify_reply", arguments, 2,
                                                      false, &verdict, message, sizeof message);
        if (cases[i].expected == NULL) {
            if (result != HALYARD_LUA_OK) {
                fail_msg("case %zu was rejected: %s", i, message);
            }
        } else {
            assert_int_equal(result, HALYARD_LUA_ERROR);
            if (strstr(message, "the approval policy returned an invalid verdict") == NULL ||
                strstr(message, cases[i].expected) == NULL) {
                fail_msg("case %zu gave %s, expected %s", i, message, cases[i].expected);
            }
        }
        free(verdict);
        halyard_lua_host_destroy(host);
    }
}

/* Returns the plan_hash of a plan of a ticket about "hash" by a host made now. */
static char *plan_hash_of_new_host(wait_fixture *fixture)
{
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    wait_fixture_outcome outcome;
    assert_int_equal(wait_fixture_plan_run(fixture, host, "hash", NULL, &outcome), HALYARD_LUA_OK);
    char *hash = json_eval(outcome.summary_json, "return doc.plan_hash");
    wait_fixture_outcome_clear(&outcome);
    halyard_lua_host_destroy(host);
    return hash;
}

/* The plan hash is the same in two Lua states whose argument tables were filled in a
 * different order, equals SHA-256 of the canonical text, and changes with one argument. */
static void plan_hash_canonical_across_states(void **state)
{
    wait_fixture *fixture = *state;
    write_workflow(fixture, "hash",
                   "{{tool = 'halo.list_client_assets', arguments = {client_id = 12, "
                   "user_id = '{requester.id}', search = 'printer'}},\n"
                   " {tool = 'halo.add_note', arguments = {note = 'a'}}}");
    char *first = plan_hash_of_new_host(fixture);
    write_workflow(fixture, "hash",
                   "{{tool = 'halo.list_client_assets', arguments = {search = 'printer', "
                   "user_id = '{requester.id}', client_id = 12}},\n"
                   " {tool = 'halo.add_note', arguments = {note = 'a'}}}");
    char *second = plan_hash_of_new_host(fixture);
    write_workflow(fixture, "hash",
                   "{{tool = 'halo.list_client_assets', arguments = {search = 'printers', "
                   "user_id = '{requester.id}', client_id = 12}},\n"
                   " {tool = 'halo.add_note', arguments = {note = 'a'}}}");
    char *changed = plan_hash_of_new_host(fixture);

    const char *canonical =
        "{\"steps\":[{\"arguments\":{\"client_id\":12,\"search\":\"printer\",\"user_id\":77},"
        "\"tool\":\"halo.list_client_assets\"},{\"arguments\":{\"note\":\"a\"},"
        "\"tool\":\"halo.add_note\"}],\"ticket_id\":4242}";
    unsigned char digest[crypto_hash_sha256_BYTES];
    char expected[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(digest, (const unsigned char *)canonical, strlen(canonical));
    sodium_bin2hex(expected, sizeof expected, digest, sizeof digest);

    assert_string_equal(first, expected);
    assert_string_equal(second, expected);
    assert_string_not_equal(changed, expected);
    free(first);
    free(second);
    free(changed);
}

static void plan_hash_entry_recomputes(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    const char *arguments[] = {"{\"ticket_id\": 4242.0, \"run_id\": \"x\", \"steps\": ["
                               "{\"tool\": \"halo.add_note\", \"number\": 1, "
                               "\"arguments\": {\"note\": \"a\"}}]}"};
    char *hash = NULL;
    char message[1024];

    assert_int_equal(wait_fixture_call(fixture, host, "plan_hash", arguments, 1, false, &hash,
                                       message, sizeof message),
                     HALYARD_LUA_OK);

    const char *canonical =
        "{\"steps\":[{\"arguments\":{\"note\":\"a\"},\"tool\":\"halo.add_note\"}],"
        "\"ticket_id\":4242}";
    unsigned char digest[crypto_hash_sha256_BYTES];
    char expected[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(digest, (const unsigned char *)canonical, strlen(canonical));
    sodium_bin2hex(expected, sizeof expected, digest, sizeof digest);
    assert_string_equal(hash, expected);
    free(hash);
    halyard_lua_host_destroy(host);
}

/* ---- host.run_step ----------------------------------------------------------------------- */

static const char *const EXECUTE_WRITES =
    "{\"run_id\": \"run-1\", \"allow_writes\": true, \"run\": {\"mode\": \"execute\"}}";
static const char *const EXECUTE_READS =
    "{\"run_id\": \"run-1\", \"allow_writes\": false, \"run\": {\"mode\": \"execute\"}}";
static const char *const PLAN_WRITES =
    "{\"run_id\": \"run-1\", \"allow_writes\": true, \"run\": {\"mode\": \"plan\"}}";

/* Runs one step and returns run_step's JSON; fails the test when the call failed. */
static char *run_step(wait_fixture *fixture, halyard_lua_host *host, const char *step,
                      const char *options, bool allow_writes)
{
    char *result = NULL;
    char message[4096];
    halyard_lua_result status = wait_fixture_step(fixture, host, step, options, allow_writes,
                                                  &result, message, sizeof message);
    if (status != HALYARD_LUA_OK) {
        fail_msg("run_step failed: %s", message);
    }
    return result;
}

static void run_step_results(void **state)
{
    wait_fixture *fixture = *state;
    write_script(fixture, "tools", "odd.lua",
                 "return {\n"
                 "  {name = 'odd.sneaky', description = 'A read that asks to write.', kind = "
                 "'read',\n"
                 "   run = function() return {write = 'action', note_html = 'x', hidden = true, "
                 "send_email = false} end},\n"
                 "  {name = 'odd.raises', description = 'Fails.', kind = 'read',\n"
                 "   run = function() error('the printer caught fire') end},\n"
                 "  {name = 'odd.bad_write', description = 'A bad request.', kind = 'write',\n"
                 "   run = function() return {write = 'ticket', fields = {priority_id = 1}} end},\n"
                 "  {name = 'odd.context', description = 'Reads its context.', kind = 'read',\n"
                 "   run = function(arguments, context)\n"
                 "     return {ticket = context.ticket.id, mode = context.run.mode,\n"
                 "       requester = context.requester.id} end},\n"
                 "}\n");
    write_script(fixture, "policies", "tools.lua",
                 "return {clients = {[12] = {['halo.set_status'] = 'disabled'}}}\n");
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    assert_int_equal(halyard_lua_host_problem_count(host), 0);
    static const struct {
        const char *step;
        const char *options;
        bool allow_writes;
        const char *expected;
    } cases[] = {
        {"{\"tool\": \"halo.get_user\", \"arguments\": {\"user_id\": 77.0}, \"missing\": []}",
         EXECUTE_READS, false, "{\"result\":{\"client_id\":12,\"emailaddress\":"},
        {"{\"tool\": \"halo.list_user_tickets\", \"arguments\": {\"user_id\": 77}}", EXECUTE_READS,
         false,
         /* A listed summary loses the password typed into it. */
         "{\"result\":[{\"id\":5,\"status_id\":1,\"summary\":\"VPN drops, pw: [secret "
         "removed]\"}],"
         "\"status\":\"ok\"}"},
        {"{\"tool\": \"halo.list_client_assets\", \"arguments\": {\"client_id\": 12}}",
         EXECUTE_READS, false,
         "{\"result\":[{\"assettype_name\":\"Laptop\",\"id\":1042,"
         "\"inventory_number\":\"ACME-0042\"}],\"status\":\"ok\"}"},
        {"{\"tool\": \"halo.add_note\", \"arguments\": {\"note\": \"a < b\\nnext\"}}",
         EXECUTE_WRITES, true,
         "{\"status\":\"write\",\"write\":{\"hidden\":true,\"note_html\":"
         "\"a &lt; b<br>next\",\"send_email\":false,\"write\":\"action\"}}"},
        {"{\"tool\": \"halo.reply\", \"arguments\": {\"message\": \"Done\", \"ticket_id\": 4242}}",
         EXECUTE_WRITES, true,
         "{\"status\":\"write\",\"write\":{\"hidden\":false,\"note_html\":"
         "\"Done\",\"send_email\":true,\"write\":\"action\"}}"},
        {"{\"tool\": \"halo.assign\", \"arguments\": {\"agent_id\": 3, \"team\": \"1st Line\"}}",
         EXECUTE_WRITES, true,
         "{\"status\":\"write\",\"write\":{\"fields\":{\"agent_id\":3,"
         "\"team\":\"1st Line\"},\"write\":\"ticket\"}}"},
        {"{\"tool\": \"odd.context\"}", EXECUTE_READS, false,
         "{\"result\":{\"mode\":\"execute\",\"requester\":77,\"ticket\":4242},\"status\":\"ok\"}"},
        {"{\"tool\": \"halo.add_note\", \"arguments\": {\"note\": \"x\"}}", EXECUTE_READS, false,
         "{\"reason\":\"halo.add_note writes, and writes are not allowed in this run (mode "
         "execute, allow_writes false)\",\"status\":\"rejected\"}"},
        {"{\"tool\": \"halo.add_note\", \"arguments\": {\"note\": \"x\"}}", PLAN_WRITES, true,
         "{\"reason\":\"halo.add_note writes, and writes are not allowed in this run (mode plan, "
         "allow_writes true)\",\"status\":\"rejected\"}"},
        {"{\"tool\": \"halo.set_status\", \"arguments\": {\"status_id\": 4}}", EXECUTE_WRITES, true,
         "{\"reason\":\"halo.set_status is disabled: the tool policy sets halo.set_status "
         "to disabled for client 12\",\"status\":\"rejected\"}"},
        {"{\"tool\": \"m365.reset_password\", \"arguments\": {}}", EXECUTE_WRITES, true,
         "{\"reason\":\"no tool named m365.reset_password is registered\",\"status\":"
         "\"rejected\"}"},
        {"{\"tool\": \"halo.get_user\", \"arguments\": {\"user_id\": \"(unknown: requester.id)\"}}",
         EXECUTE_READS, false,
         "{\"reason\":\"argument user_id of halo.get_user must be an "
         "integer, got \\\"(unknown: requester.id)\\\"\",\"status\":"
         "\"rejected\"}"},
        {"{\"tool\": \"halo.get_user\", \"arguments\": {\"user_id\": 77, \"name\": \"x\"}}",
         EXECUTE_READS, false,
         "{\"reason\":\"halo.get_user has no parameter name; its "
         "parameters are user_id\",\"status\":\"rejected\"}"},
        {"{\"tool\": \"halo.get_user\", \"arguments\": {}}", EXECUTE_READS, false,
         "{\"reason\":\"halo.get_user needs the argument user_id\",\"status\":\"rejected\"}"},
        {"{\"tool\": \"halo.assign\", \"arguments\": {\"team\": \"(to be confirmed: the team)\"},"
         " \"missing\": [\"the team\"]}",
         EXECUTE_WRITES, true,
         "{\"reason\":\"the step still needs the team\",\"status\":"
         "\"rejected\"}"},
        {"{\"tool\": \"halo.add_note\", \"arguments\": {\"note\": \"x\", \"ticket_id\": 5}}",
         EXECUTE_WRITES, true,
         "{\"reason\":\"ticket_id 5 is not this run's ticket 4242; a step "
         "writes to its own ticket only\",\"status\":\"error\"}"},
        {"{\"tool\": \"odd.sneaky\"}", EXECUTE_WRITES, true,
         "{\"reason\":\"odd.sneaky is a read tool and returned a write request; a read tool "
         "never writes\",\"status\":\"error\"}"},
        {"{\"tool\": \"odd.raises\"}", EXECUTE_READS, false,
         "{\"reason\":\"odd.lua:5: the printer caught fire\",\"status\":\"error\"}"},
        {"{\"tool\": \"odd.bad_write\"}", EXECUTE_WRITES, true,
         "{\"reason\":\"odd.bad_write returned an invalid write request: a ticket write request "
         "may set status_id, team and agent_id, not priority_id\",\"status\":\"error\"}"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *result =
            run_step(fixture, host, cases[i].step, cases[i].options, cases[i].allow_writes);
        if (strncmp(result, cases[i].expected, strlen(cases[i].expected)) != 0) {
            fail_msg("step %s\ngave      %s\nexpected  %s", cases[i].step, result,
                     cases[i].expected);
        }
        free(result);
    }
    halyard_lua_host_destroy(host);
}

static void set_status_resolves_name(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);

    char *found = run_step(fixture, host,
                           "{\"tool\": \"halo.set_status\", \"arguments\": {\"status\": "
                           "\"waiting ON user\"}}",
                           EXECUTE_WRITES, true);
    char *unknown = run_step(fixture, host,
                             "{\"tool\": \"halo.set_status\", \"arguments\": {\"status\": "
                             "\"Parked\"}}",
                             EXECUTE_WRITES, true);

    assert_string_equal(found, "{\"status\":\"write\",\"write\":{\"fields\":{\"status_id\":4},"
                               "\"write\":\"ticket\"}}");
    assert_string_equal(unknown, "{\"reason\":\"HaloPSA has no status named \\\"Parked\\\"; the "
                                 "statuses are New, Waiting on user\",\"status\":\"error\"}");
    free(found);
    free(unknown);
    halyard_lua_host_destroy(host);
}

static void run_step_bad_input_fails(void **state)
{
    wait_fixture *fixture = *state;
    halyard_lua_host *host = wait_fixture_host(fixture, NULL);
    char *result = NULL;
    char message[4096];

    halyard_lua_result status =
        wait_fixture_step(fixture, host, "{\"tool\": \"halo.get_user\"}",
                          "{\"run_id\": \"run <1>\"}", false, &result, message, sizeof message);

    assert_int_equal(status, HALYARD_LUA_ERROR);
    assert_null(result);
    assert_non_null(strstr(message, "run id \"run <1>\" is invalid"));
    halyard_lua_host_destroy(host);
}

/* ---- helpers ----------------------------------------------------------------------------- */

#include <lauxlib.h>
#include <lualib.h>

int luaopen_cjson(lua_State *L);

static char *json_eval(const char *json, const char *expression)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    luaL_requiref(L, "cjson", luaopen_cjson, 1);
    lua_pop(L, 1);
    char chunk[4096];
    snprintf(chunk, sizeof chunk, "local doc = cjson.decode(...)\n%s", expression);
    if (luaL_loadstring(L, chunk) != LUA_OK) {
        fail_msg("chunk not loaded: %s", lua_tostring(L, -1));
    }
    lua_pushstring(L, json);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        fail_msg("JSON not read: %s\n%s", lua_tostring(L, -1), json);
    }
    char *value = strdup(luaL_tolstring(L, -1, NULL));
    lua_close(L);
    assert_non_null(value);
    return value;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(shipped_tools_registered, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_tools_reported_with_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(sensitive_tool_names_warned, setup, teardown),
        cmocka_unit_test_setup_teardown(tool_objects_warned_or_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(sensitive_hint_equals_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(sensitive_step_warned_in_each_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(workflow_steps_checked_against_tools, setup, teardown),
        cmocka_unit_test_setup_teardown(msp_tool_kind_keeps_shipped_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(documented_tools_load, setup, teardown),
        cmocka_unit_test_setup_teardown(execute_plan_carries_policies, setup, teardown),
        cmocka_unit_test_setup_teardown(sensitive_unverified_writes_need_approval, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_policy_disables_write_tools, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_policy_disables_write_tools, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_unknown_names_warned, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_key_errors_say_fix, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_empty_key_named, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_run_json_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(other_account_leaves_requester_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(screen_reads_end_user_replies, setup, teardown),
        cmocka_unit_test_setup_teardown(screen_cuts_secret_from_matched, setup, teardown),
        cmocka_unit_test_setup_teardown(screen_invalid_verdict_raises, setup, teardown),
        cmocka_unit_test_setup_teardown(classify_reply_invalid_verdict_named, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_hash_canonical_across_states, setup, teardown),
        cmocka_unit_test_setup_teardown(plan_hash_entry_recomputes, setup, teardown),
        cmocka_unit_test_setup_teardown(run_step_results, setup, teardown),
        cmocka_unit_test_setup_teardown(set_status_resolves_name, setup, teardown),
        cmocka_unit_test_setup_teardown(run_step_bad_input_fails, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
