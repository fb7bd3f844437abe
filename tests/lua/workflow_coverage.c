/*
 * workflow-coverage: matches every ticket of a JSON-lines file against the workflows a Lua
 * host loads and prints how many tickets match at least one workflow, and how many each
 * workflow matches.
 *
 *   workflow-coverage [--share DIR] [--list WORKFLOW | --unmatched] FILE
 *
 * Each line of FILE is {"id": ..., "subject": ..., "body": ..., "category": ...} as in
 * tests/data/endava_tickets.jsonl. --list prints the tickets one workflow matches and
 * --unmatched those no workflow matches, one "id<TAB>category<TAB>subject" line each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "log.h"
#include "lua_host.h"

/* lua-cjson's entry point; Debian's lua-cjson-dev ships it without a usable header. */
int luaopen_cjson(lua_State *L);

/* Turns one dataset line into a ticket for the host and tallies the host's matches. The
 * chunk returns a table of functions so the C side only moves strings. */
static const char coverage_script[] =
    "local cjson = require 'cjson'\n"
    "local tally = {tickets = 0, matched = 0, by_workflow = {}, order = {}}\n"
    "local functions = {}\n"
    "function functions.ticket(line)\n"
    "  local ok, row = pcall(cjson.decode, line)\n"
    "  if not ok or type(row) ~= 'table' then return nil end\n"
    "  return cjson.encode({id = 1, summary = row.subject or '', details = row.body or ''}),\n"
    "    tostring(row.id), tostring(row.category), tostring(row.subject)\n"
    "end\n"
    "function functions.count(matches_json, list)\n"
    "  local matches = cjson.decode(matches_json)\n"
    "  tally.tickets = tally.tickets + 1\n"
    "  if #matches > 0 then tally.matched = tally.matched + 1 end\n"
    "  local hit = false\n"
    "  for _, found in ipairs(matches) do\n"
    "    if tally.by_workflow[found.workflow] == nil then\n"
    "      tally.by_workflow[found.workflow] = 0\n"
    "      tally.order[#tally.order + 1] = found.workflow\n"
    "    end\n"
    "    tally.by_workflow[found.workflow] = tally.by_workflow[found.workflow] + 1\n"
    "    if found.workflow == list then hit = true end\n"
    "  end\n"
    "  return #matches, hit\n"
    "end\n"
    "function functions.report()\n"
    "  local lines = {}\n"
    "  lines[#lines + 1] = string.format('tickets: %d', tally.tickets)\n"
    "  lines[#lines + 1] = string.format('matched by at least one workflow: %d (%.1f%%)',\n"
    "    tally.matched, tally.tickets > 0 and 100 * tally.matched / tally.tickets or 0)\n"
    "  table.sort(tally.order, function(a, b)\n"
    "    local ca, cb = tally.by_workflow[a], tally.by_workflow[b]\n"
    "    if ca ~= cb then return ca > cb end\n"
    "    return a < b end)\n"
    "  for _, name in ipairs(tally.order) do\n"
    "    lines[#lines + 1] = string.format('%6d  %s', tally.by_workflow[name], name)\n"
    "  end\n"
    "  return table.concat(lines, '\\n')\n"
    "end\n"
    "return functions\n";

static int usage(const char *program)
{
    fprintf(stderr,
            "usage: %s [--share DIR] [--list WORKFLOW | --unmatched] FILE\n"
            "  --share DIR        folder with bindings/lua/ and workflows/ (default: "
            "$HALYARD_SHARE_DIR or the source folder)\n"
            "  --list WORKFLOW    print the tickets the named workflow matches\n"
            "  --unmatched        print the tickets no workflow matches\n",
            program);
    return 2;
}

/* Calls functions.<name> with the string arguments; leaves its results on the stack. */
static int call_function(lua_State *codec, const char *name, int nargs, int nresults)
{
    lua_getfield(codec, 1, name);
    lua_insert(codec, lua_gettop(codec) - nargs);
    if (lua_pcall(codec, nargs, nresults, 0) != LUA_OK) {
        fprintf(stderr, "workflow-coverage: %s\n", lua_tostring(codec, -1));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *share_dir = NULL;
    const char *list = NULL;
    int unmatched = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--share") == 0 && i + 1 < argc) {
            share_dir = argv[++i];
        } else if (strcmp(argv[i], "--list") == 0 && i + 1 < argc) {
            list = argv[++i];
        } else if (strcmp(argv[i], "--unmatched") == 0) {
            unmatched = 1;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            return usage(argv[0]);
        }
    }
    if (path == NULL) {
        return usage(argv[0]);
    }

    int status = 1;
    FILE *file = NULL;
    char *line = NULL;
    size_t line_size = 0;
    halyard_lua_host *host = NULL;
    lua_State *codec = luaL_newstate();
    char message[2048];

    /* Only warnings and errors: the counts are the output. */
    halyard_log_configure(HALYARD_LOG_WARNING, NULL);

    if (codec == NULL) {
        fprintf(stderr, "workflow-coverage: out of memory\n");
        goto cleanup;
    }
    luaL_openlibs(codec);
    luaL_requiref(codec, "cjson", luaopen_cjson, 0);
    lua_pop(codec, 1);
    if (luaL_loadstring(codec, coverage_script) != LUA_OK || lua_pcall(codec, 0, 1, 0) != LUA_OK) {
        fprintf(stderr, "workflow-coverage: %s\n", lua_tostring(codec, -1));
        goto cleanup;
    }

    halyard_lua_host_options options = {.msp = "coverage", .share_dir = share_dir};
    if (halyard_lua_host_create(&options, &host, message, sizeof message) != 0) {
        fprintf(stderr, "workflow-coverage: %s\n", message);
        goto cleanup;
    }
    for (size_t i = 0; i < halyard_lua_host_problem_count(host); i++) {
        fprintf(stderr, "workflow-coverage: problem: %s\n", halyard_lua_host_problem(host, i));
    }

    file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "workflow-coverage: cannot open %s\n", path);
        goto cleanup;
    }
    while (getline(&line, &line_size, file) > 0) {
        /* Stack: [functions] -> [functions, ticket, id, category, subject]. */
        lua_pushstring(codec, line);
        if (call_function(codec, "ticket", 1, 4) != 0) {
            goto cleanup;
        }
        if (lua_isnil(codec, 2)) {
            fprintf(stderr, "workflow-coverage: skipped a line that is not a JSON object\n");
            lua_settop(codec, 1);
            continue;
        }

        char *matches = NULL;
        if (halyard_lua_host_match(host, lua_tostring(codec, 2), NULL, &matches, message,
                                   sizeof message) != 0) {
            fprintf(stderr, "workflow-coverage: %s: %s\n", lua_tostring(codec, 3), message);
            goto cleanup;
        }
        lua_pushstring(codec, matches);
        free(matches);
        if (list != NULL) {
            lua_pushstring(codec, list);
        } else {
            lua_pushnil(codec);
        }
        if (call_function(codec, "count", 2, 2) != 0) {
            goto cleanup;
        }

        /* Stack: [functions, ticket, id, category, subject, count, hit]. */
        int print = (list != NULL && lua_toboolean(codec, 7)) ||
                    (unmatched && lua_tointeger(codec, 6) == 0);
        if (print) {
            printf("%s\t%s\t%s\n", lua_tostring(codec, 3), lua_tostring(codec, 4),
                   lua_tostring(codec, 5));
        }
        lua_settop(codec, 1);
    }

    if (list == NULL && !unmatched) {
        if (call_function(codec, "report", 0, 1) != 0) {
            goto cleanup;
        }
        printf("%s\n", lua_tostring(codec, -1));
    }
    status = 0;

cleanup:
    free(line);
    if (file != NULL) {
        fclose(file);
    }
    halyard_lua_host_destroy(host);
    if (codec != NULL) {
        lua_close(codec);
    }
    return status;
}
