#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "delivery_writer.h"
#include "log.h"
#include "store.h"

/* Every wait in these tests ends after this long, so a lost callback fails instead of hanging. */
#define TEST_TIMEOUT_SECONDS 20

typedef struct {
    char folder[64];
    char path[128];
    struct event_base *base;
    halyard_delivery_writer *writer;
    halyard_delivery *finished[1024];
    size_t finished_count;
} writer_fixture;

static void on_done(halyard_delivery *delivery, void *argument)
{
    writer_fixture *state = argument;
    assert_true(state->finished_count < sizeof state->finished / sizeof state->finished[0]);
    state->finished[state->finished_count++] = delivery;
}

static int start_fixture(writer_fixture *state, const halyard_delivery_writer_options *options)
{
    char message[256] = "";
    int status = halyard_delivery_writer_start(state->base, state->path, options, on_done, state,
                                               &state->writer, message, sizeof message);
    if (status != 0) {
        fprintf(stderr, "writer start failed: %s\n", message);
    }
    return status;
}

static int make_fixture(void **state)
{
    writer_fixture *paths = calloc(1, sizeof *paths);
    assert_non_null(paths);
    strcpy(paths->folder, "/tmp/halyard-writer-XXXXXX");
    assert_non_null(mkdtemp(paths->folder));
    snprintf(paths->path, sizeof paths->path, "%s/halyard.db", paths->folder);

    /* The schema exists before the writer opens the file, as it does under halyard serve. */
    halyard_store *store = NULL;
    char message[256] = "";
    assert_int_equal(halyard_store_open(paths->path, &store, message, sizeof message), 0);
    assert_int_equal(halyard_store_execute(store, "INSERT INTO msps (name) VALUES ('second')",
                                           "adding an MSP", message, sizeof message),
                     0);
    halyard_store_close(store);

    paths->base = event_base_new();
    assert_non_null(paths->base);
    assert_int_equal(start_fixture(paths, NULL), 0);
    *state = paths;
    return 0;
}

static int remove_fixture(void **state)
{
    writer_fixture *paths = *state;
    halyard_delivery_writer_stop(paths->writer);
    for (size_t i = 0; i < paths->finished_count; i++) {
        halyard_delivery_free(paths->finished[i]);
    }
    event_base_free(paths->base);
    char command[256];
    snprintf(command, sizeof command, "rm -rf '%s'", paths->folder);
    assert_int_equal(system(command), 0);
    free(paths);
    return 0;
}

static void on_timeout(evutil_socket_t fd, short what, void *argument)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(argument);
}

/* Runs the loop until count deliveries came back, failing after TEST_TIMEOUT_SECONDS. */
static void wait_for_finished(writer_fixture *state, size_t count)
{
    struct event *timer = evtimer_new(state->base, on_timeout, state->base);
    struct timeval limit = {TEST_TIMEOUT_SECONDS, 0};
    evtimer_add(timer, &limit);
    while (state->finished_count < count) {
        if (event_base_loop(state->base, EVLOOP_ONCE) != 0 || !evtimer_pending(timer, NULL)) {
            break;
        }
    }
    event_free(timer);
    assert_int_equal(state->finished_count, count);
    assert_int_equal(halyard_delivery_writer_in_flight(state->writer), 0);
}

static halyard_delivery *store_body(writer_fixture *state, int64_t msp_id, const char *body,
                                    size_t length)
{
    halyard_delivery *delivery = halyard_delivery_new(msp_id, body, length, NULL);
    assert_non_null(delivery);
    size_t before = state->finished_count;
    halyard_delivery_writer_submit(state->writer, delivery);
    wait_for_finished(state, before + 1);
    assert_ptr_equal(state->finished[before], delivery);
    return delivery;
}

static halyard_delivery *store_text(writer_fixture *state, int64_t msp_id, const char *body)
{
    return store_body(state, msp_id, body, strlen(body));
}

/* Reads through a connection of its own, so only committed rows are seen. */
static long long query_integer(writer_fixture *state, const char *sql)
{
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open_v2(state->path, &database, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(database, sql, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    long long value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return value;
}

static char *query_text(writer_fixture *state, const char *sql)
{
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open_v2(state->path, &database, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sqlite3_stmt *statement = NULL;
    assert_int_equal(sqlite3_prepare_v2(database, sql, -1, &statement, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(statement), SQLITE_ROW);
    const unsigned char *text = sqlite3_column_text(statement, 0);
    char *copy = strdup(text != NULL ? (const char *)text : "(null)");
    sqlite3_finalize(statement);
    sqlite3_close(database);
    return copy;
}

static void assert_text(writer_fixture *state, const char *sql, const char *expected)
{
    char *value = query_text(state, sql);
    assert_string_equal(value, expected);
    free(value);
}

static const char event_body[] =
    "{\"id\":\"0b6f1c7e-2f0a-4c55-9d1e-7a3e5b2c9d10\",\"event\":\"ticket status changed\","
    "\"object_id\":4242,\"ticket\":{\"id\":4242,\"summary\":\"Printer offline\"}}";

static void single_event_stored(void **state)
{
    writer_fixture *fixture = *state;

    halyard_delivery *delivery = store_text(fixture, 1, event_body);

    assert_int_equal(delivery->status, HALYARD_DELIVERY_STORED);
    assert_int_equal(delivery->rows_added, 1);
    assert_int_equal(delivery->rows_flagged, 0);
    assert_null(delivery->flag);
    assert_true(delivery->first_row_id > 0);
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries"), 1);
    assert_text(fixture, "SELECT event_guid FROM deliveries",
                "0b6f1c7e-2f0a-4c55-9d1e-7a3e5b2c9d10");
    assert_text(fixture, "SELECT event FROM deliveries", "ticket status changed");
    assert_int_equal(query_integer(fixture, "SELECT ticket_id FROM deliveries"), 4242);
    assert_text(fixture, "SELECT state FROM deliveries", "new");
    assert_text(fixture, "SELECT body FROM deliveries", event_body);
    assert_int_equal(query_integer(fixture, "SELECT flag IS NULL FROM deliveries"), 1);
    assert_int_equal(query_integer(fixture, "SELECT msp_id FROM deliveries"), 1);
}

static void batch_stores_each_event(void **state)
{
    writer_fixture *fixture = *state;
    const char *body = " [{\"id\":\"a-1\",\"event\":\"New Ticket Logged\",\"object_id\":7},"
                       "{\"id\":\"a-2\",\"object_id\":8},{\"id\":\"a-3\",\"ticket\":{\"id\":9}}]";

    halyard_delivery *delivery = store_text(fixture, 1, body);

    assert_int_equal(delivery->status, HALYARD_DELIVERY_STORED);
    assert_int_equal(delivery->rows_added, 3);
    assert_int_equal(delivery->rows_flagged, 0);
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries WHERE state = 'new'"),
                     3);
    assert_text(fixture, "SELECT group_concat(event_guid, ',') FROM deliveries ORDER BY id",
                "a-1,a-2,a-3");
    assert_text(fixture, "SELECT group_concat(ticket_id, ',') FROM deliveries ORDER BY id",
                "7,8,9");
    assert_text(fixture, "SELECT body FROM deliveries WHERE event_guid = 'a-2'",
                "{\"id\":\"a-2\",\"object_id\":8}");
}

static void duplicate_guid_stored_once(void **state)
{
    writer_fixture *fixture = *state;

    halyard_delivery *first = store_text(fixture, 1, event_body);
    halyard_delivery *second = store_text(fixture, 1, event_body);
    halyard_delivery *batch = store_text(fixture, 1, "[{\"id\":\"b-1\"},{\"id\":\"b-1\"}]");

    assert_int_equal(first->rows_added, 1);
    assert_int_equal(second->status, HALYARD_DELIVERY_STORED);
    assert_int_equal(second->rows_added, 0);
    assert_int_equal(batch->rows_added, 1);
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries"), 2);
}

/* Regression: an id holding "\u0000" was stored cut at the NUL, so a later, different event
 * whose id equalled the cut text was taken for a duplicate and lost. */
static void id_with_nul_flagged(void **state)
{
    writer_fixture *fixture = *state;

    halyard_delivery *nul = store_text(fixture, 1, "{\"id\":\"esc-\\u0000-x\",\"object_id\":5}");
    halyard_delivery *plain = store_text(fixture, 1, "{\"id\":\"esc-\",\"object_id\":6}");
    halyard_delivery *accent = store_text(fixture, 1, "{\"id\":\"caf\\u00e9\",\"object_id\":7}");

    assert_int_equal(nul->rows_flagged, 1);
    assert_string_equal(nul->flag, "missing_id");
    assert_int_equal(plain->rows_added, 1);
    assert_int_equal(plain->rows_flagged, 0);
    assert_int_equal(accent->rows_flagged, 1);
    assert_text(fixture, "SELECT group_concat(event_guid, ',') FROM deliveries WHERE flag IS NULL",
                "esc-");
}

/* Ticket ids that are not positive integers name no ticket, so nothing tries to sync them. A
 * string of digits is HaloPSA's way of writing some ids, so it names its ticket. */
static void non_positive_ticket_ignored(void **state)
{
    writer_fixture *fixture = *state;

    store_text(fixture, 1,
               "[{\"id\":\"t-1\",\"object_id\":0},{\"id\":\"t-2\",\"object_id\":-5},"
               "{\"id\":\"t-3\",\"ticket\":{\"id\":-1},\"object_id\":12},"
               "{\"id\":\"t-4\",\"object_id\":\"12\"}]");

    assert_text(fixture,
                "SELECT group_concat(coalesce(ticket_id, 'none'), ',') FROM deliveries ORDER BY id",
                "none,none,12,12");
}

/* One event's ticket fields and what the row must hold: "ticket|flag|state". */
typedef struct {
    const char *fields;
    const char *row;
} ticket_case;

/* Regression: a ticket id that was a fraction, negative or too large for 64 bits was stored
 * unflagged with no ticket, or as a REAL that the pipeline clamped to ticket
 * 9223372036854775807. Such an event is now flagged bad_ticket_id and names no ticket. HaloPSA
 * writes some ids as strings or decimals, so "7" and 3.0 name their ticket, while an exponent, a
 * fraction lost to rounding or an escape names none. */
static void bad_ticket_ids_flagged(void **state)
{
    writer_fixture *fixture = *state;
    const ticket_case cases[] = {
        {"\"object_id\":\"1\"", "1|none|new"},
        {"\"object_id\":\"\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\" 1\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"1a\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"-1\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"0\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"9999999999999999999\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"9223372036854775807\"", "9223372036854775807|none|new"},
        {"\"object_id\":\"42\\u00003\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":\"\\u0034\"", "none|bad_ticket_id|flagged"},
        {"\"object_id\":4242.0000000000001", "none|bad_ticket_id|flagged"},
        {"\"object_id\":9007199254740993.0", "9007199254740993|none|new"},
        {"\"object_id\":42.00", "42|none|new"},
        {"\"object_id\":1.5", "none|bad_ticket_id|flagged"},
        {"\"object_id\":-1", "none|bad_ticket_id|flagged"},
        {"\"object_id\":0", "none|bad_ticket_id|flagged"},
        {"\"object_id\":-0", "none|bad_ticket_id|flagged"},
        {"\"object_id\":1e3", "none|bad_ticket_id|flagged"},
        {"\"object_id\":4.242e3", "none|bad_ticket_id|flagged"},
        {"\"object_id\":1.0", "1|none|new"},
        {"\"object_id\":1e300", "none|bad_ticket_id|flagged"},
        {"\"object_id\":99999999999999999999999", "none|bad_ticket_id|flagged"},
        {"\"object_id\":9223372036854775808", "none|bad_ticket_id|flagged"},
        {"\"object_id\":true", "none|bad_ticket_id|flagged"},
        {"\"object_id\":{}", "none|bad_ticket_id|flagged"},
        {"\"object_id\":[7]", "none|bad_ticket_id|flagged"},
        {"\"ticket\":{\"id\":1e3}", "none|bad_ticket_id|flagged"},
        {"\"ticket\":{\"id\":\"7\"},\"object_id\":null", "7|none|new"},
        {"\"ticket\":{\"id\":\"x7\"},\"object_id\":null", "none|bad_ticket_id|flagged"},
        {"\"object_id\":9223372036854775807", "9223372036854775807|none|new"},
        {"\"object_id\":1", "1|none|new"},
        {"\"ticket\":{\"id\":\"5\"},\"object_id\":6", "5|none|new"},
        {"\"ticket\":{\"id\":\"x\"},\"object_id\":6", "6|none|new"},
        {"\"object_id\":null", "none|none|new"},
        {"\"event\":\"no ticket\"", "none|none|new"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"id\":\"ticket-%zu\",%s}", i, cases[i].fields);
        halyard_delivery *delivery = store_text(fixture, 1, body);
        assert_int_equal(delivery->status, HALYARD_DELIVERY_STORED);
        assert_int_equal(delivery->rows_added, 1);

        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(ticket_id, 'none') || '|' || coalesce(flag, 'none') || '|' || "
                 "state || '|' || typeof(ticket_id) || '|' || event_guid FROM deliveries "
                 "WHERE id = %lld",
                 (long long)delivery->first_row_id);
        char expected[128];
        snprintf(expected, sizeof expected, "%s|%s|ticket-%zu", cases[i].row,
                 strncmp(cases[i].row, "none", 4) == 0 ? "null" : "integer", i);
        assert_text(fixture, sql, expected);
    }

    /* The GUID is kept, so a flagged event sent again is stored once. */
    halyard_delivery *again = store_text(fixture, 1, "{\"id\":\"ticket-2\",\"object_id\":\"\"}");
    assert_int_equal(again->rows_added, 0);
}

/* In a batch, an entry with a bad ticket id is flagged beside the readable ones. */
static void batch_bad_ticket_flagged(void **state)
{
    writer_fixture *fixture = *state;
    const char *body = "[{\"id\":\"f-1\",\"object_id\":7},{\"id\":\"f-2\",\"object_id\":\"7x\"},"
                       "{\"id\":\"f-3\",\"ticket\":{\"id\":9223372036854775808}},5]";

    halyard_delivery *delivery = store_text(fixture, 1, body);

    assert_int_equal(delivery->rows_added, 4);
    assert_int_equal(delivery->rows_flagged, 3);
    assert_string_equal(delivery->flag, "bad_ticket_id");
    assert_text(fixture,
                "SELECT group_concat(coalesce(flag, 'event') || '=' || coalesce(ticket_id, "
                "'none'), ' ') FROM (SELECT flag, ticket_id FROM deliveries ORDER BY id)",
                "event=7 bad_ticket_id=none bad_ticket_id=none not_an_event=none");
}

static void same_guid_other_msp_stored(void **state)
{
    writer_fixture *fixture = *state;

    store_text(fixture, 1, event_body);
    halyard_delivery *other = store_text(fixture, 2, event_body);

    assert_int_equal(other->rows_added, 1);
    assert_int_equal(query_integer(fixture, "SELECT count(DISTINCT msp_id) FROM deliveries"), 2);
}

/* One unreadable body and the flag its single row must carry. */
typedef struct {
    const char *body;
    const char *flag;
} flag_case;

static void unreadable_bodies_flagged(void **state)
{
    writer_fixture *fixture = *state;
    const flag_case cases[] = {
        {"not json at all", "not_json"},
        {"{\"id\":\"c-1\",", "not_json"},
        {"[{\"id\":\"c-2\"},", "not_json"},
        {"", "not_json"},
        {"42", "not_an_event"},
        {"\"a string\"", "not_an_event"},
        {"null", "not_an_event"},
        {"{\"event\":\"no id\"}", "missing_id"},
        {"{\"id\":\"\"}", "missing_id"},
        {"{\"id\":12345}", "missing_id"},
        {"[]", "empty_batch"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        halyard_delivery *delivery = store_text(fixture, 1, cases[i].body);
        assert_int_equal(delivery->status, HALYARD_DELIVERY_STORED);
        assert_int_equal(delivery->rows_added, 1);
        assert_int_equal(delivery->rows_flagged, 1);
        assert_non_null(delivery->flag);
        assert_string_equal(delivery->flag, cases[i].flag);

        char sql[128];
        snprintf(sql, sizeof sql,
                 "SELECT flag || '|' || state || '|' || (event_guid IS NULL) FROM deliveries "
                 "WHERE id = %lld",
                 (long long)delivery->first_row_id);
        char expected[64];
        snprintf(expected, sizeof expected, "%s|flagged|1", cases[i].flag);
        assert_text(fixture, sql, expected);
    }
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries"),
                     (long long)(sizeof cases / sizeof cases[0]));
}

static void unreadable_body_kept_byte_for_byte(void **state)
{
    writer_fixture *fixture = *state;
    const char body[] = "{\"id\":\"d-1\"}\0trailing\xff";

    halyard_delivery *delivery = store_body(fixture, 1, body, sizeof body - 1);

    assert_string_equal(delivery->flag, "not_json");
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT length(body) FROM deliveries WHERE id = %lld",
             (long long)delivery->first_row_id);
    assert_int_equal(query_integer(fixture, sql), (long long)(sizeof body - 1));
    snprintf(sql, sizeof sql, "SELECT hex(body) = hex(x'%s') FROM deliveries WHERE id = %lld",
             "7b226964223a22642d31227d00747261696c696e67ff", (long long)delivery->first_row_id);
    assert_int_equal(query_integer(fixture, sql), 1);
}

static void batch_entries_flagged_separately(void **state)
{
    writer_fixture *fixture = *state;
    const char *body = "[{\"id\":\"e-1\"},5,\"text\",{\"x\":1},[1,2]]";

    halyard_delivery *delivery = store_text(fixture, 1, body);

    assert_int_equal(delivery->rows_added, 5);
    assert_int_equal(delivery->rows_flagged, 4);
    assert_string_equal(delivery->flag, "not_an_event");
    assert_text(fixture,
                "SELECT group_concat(coalesce(flag, 'event') || '=' || body, ' ') FROM "
                "(SELECT flag, body FROM deliveries ORDER BY id)",
                "event={\"id\":\"e-1\"} not_an_event=5 not_an_event=\"text\" "
                "missing_id={\"x\":1} not_an_event=[1,2]");
}

static void many_deliveries_grouped(void **state)
{
    writer_fixture *fixture = *state;
    halyard_delivery_writer_stop(fixture->writer);
    halyard_delivery_writer_options options = {.max_batch = 64};
    assert_int_equal(start_fixture(fixture, &options), 0);
    enum { count = 1000 };

    for (int i = 0; i < count; i++) {
        char body[64];
        int length = snprintf(body, sizeof body, "{\"id\":\"many-%d\"}", i);
        halyard_delivery *delivery = halyard_delivery_new(1, body, (size_t)length, NULL);
        assert_non_null(delivery);
        halyard_delivery_writer_submit(fixture->writer, delivery);
    }
    wait_for_finished(fixture, count);

    halyard_delivery_writer_stats stats;
    halyard_delivery_writer_read_stats(fixture->writer, &stats);
    assert_int_equal(stats.deliveries, count);
    assert_int_equal(stats.rows_added, count);
    assert_true(stats.batches < count);
    assert_true(stats.largest_batch <= 64);
    assert_true(stats.largest_batch > 1);
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries"), count);
    for (size_t i = 0; i < fixture->finished_count; i++) {
        assert_int_equal(fixture->finished[i]->status, HALYARD_DELIVERY_STORED);
    }
}

/* Regression: a batch the database rejected was logged without its MSPs or the database file,
 * so an operator could not tell which data folder to free. */
static void failed_batch_logs_msp_and_file(void **state)
{
    writer_fixture *fixture = *state;
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open(fixture->path, &database), SQLITE_OK);
    assert_int_equal(sqlite3_exec(database, "DROP TABLE deliveries", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(database);
    FILE *log = tmpfile();
    assert_non_null(log);
    halyard_log_configure(HALYARD_LOG_ERROR, log);

    halyard_delivery *delivery = store_text(fixture, 7, event_body);

    halyard_log_configure(HALYARD_LOG_ERROR, stderr);
    assert_int_equal(delivery->status, HALYARD_DELIVERY_FAILED);
    char text[4096] = "";
    rewind(log);
    size_t length = fread(text, 1, sizeof text - 1, log);
    text[length] = '\0';
    fclose(log);
    char expected[512];
    snprintf(expected, sizeof expected, "msp_id=7 a batch of 1 deliveries was not stored in %s",
             fixture->path);
    assert_non_null(strstr(text, expected));
}

static void failed_batch_reports_failure(void **state)
{
    writer_fixture *fixture = *state;
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open(fixture->path, &database), SQLITE_OK);
    assert_int_equal(sqlite3_exec(database, "DROP TABLE deliveries", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(database);

    halyard_delivery *delivery = store_text(fixture, 1, event_body);

    assert_int_equal(delivery->status, HALYARD_DELIVERY_FAILED);
    assert_int_equal(delivery->rows_added, 0);
    halyard_delivery_writer_stats stats;
    halyard_delivery_writer_read_stats(fixture->writer, &stats);
    assert_int_equal(stats.failed_batches, 1);
}

static void idle_writer_checkpoints_wal(void **state)
{
    writer_fixture *fixture = *state;
    halyard_delivery_writer_stop(fixture->writer);
    halyard_delivery_writer_options options = {.idle_checkpoint_ms = 20};
    assert_int_equal(start_fixture(fixture, &options), 0);

    store_text(fixture, 1, event_body);

    /* The checkpoint happens on another thread some time after the writer goes idle. */
    halyard_delivery_writer_stats stats = {0};
    for (int i = 0; i < TEST_TIMEOUT_SECONDS * 100 && stats.checkpoints == 0; i++) {
        usleep(10000);
        halyard_delivery_writer_read_stats(fixture->writer, &stats);
    }
    assert_int_equal(stats.checkpoints, 1);

    /* Every frame is in the database file now: another checkpoint finds nothing left to copy. */
    sqlite3 *database = NULL;
    assert_int_equal(sqlite3_open(fixture->path, &database), SQLITE_OK);
    int log_pages = -1;
    int checkpointed = -1;
    assert_int_equal(sqlite3_wal_checkpoint_v2(database, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                               &log_pages, &checkpointed),
                     SQLITE_OK);
    assert_int_equal(log_pages, checkpointed);
    sqlite3_close(database);
}

static void full_wal_wakes_checkpointer(void **state)
{
    writer_fixture *fixture = *state;
    halyard_delivery_writer_stop(fixture->writer);
    halyard_delivery_writer_options options = {.checkpoint_pages = 4, .idle_checkpoint_ms = 60000};
    assert_int_equal(start_fixture(fixture, &options), 0);
    char body[4096];
    memset(body, ' ', sizeof body);

    for (int i = 0; i < 8; i++) {
        int length = snprintf(body, sizeof body, "{\"id\":\"wal-%d\",\"pad\":\"", i);
        memset(body + length, 'x', 3000);
        memcpy(body + length + 3000, "\"}", 2);
        store_body(fixture, 1, body, (size_t)length + 3002);
    }

    halyard_delivery_writer_stats stats = {0};
    for (int i = 0; i < TEST_TIMEOUT_SECONDS * 100 && stats.checkpoints == 0; i++) {
        usleep(10000);
        halyard_delivery_writer_read_stats(fixture->writer, &stats);
    }
    assert_true(stats.checkpoints >= 1);
    assert_int_equal(query_integer(fixture, "SELECT count(*) FROM deliveries"), 8);
}

static void stop_drops_unfinished_deliveries(void **state)
{
    writer_fixture *fixture = *state;
    for (int i = 0; i < 200; i++) {
        char body[64];
        int length = snprintf(body, sizeof body, "{\"id\":\"stop-%d\"}", i);
        halyard_delivery_writer_submit(fixture->writer,
                                       halyard_delivery_new(1, body, (size_t)length, NULL));
    }

    /* Stopping without running the loop: nothing comes back, nothing leaks (under ASan), and
     * whatever was committed is whole. */
    halyard_delivery_writer_stop(fixture->writer);
    fixture->writer = NULL;

    assert_int_equal(fixture->finished_count, 0);
    long long rows = query_integer(fixture, "SELECT count(*) FROM deliveries");
    assert_true(rows >= 0 && rows <= 200);
    assert_int_equal(start_fixture(fixture, NULL), 0);
}

int main(void)
{
    evthread_use_pthreads();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(single_event_stored, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(batch_stores_each_event, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(duplicate_guid_stored_once, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(id_with_nul_flagged, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(non_positive_ticket_ignored, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(bad_ticket_ids_flagged, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(batch_bad_ticket_flagged, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(same_guid_other_msp_stored, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(unreadable_bodies_flagged, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(unreadable_body_kept_byte_for_byte, make_fixture,
                                        remove_fixture),
        cmocka_unit_test_setup_teardown(batch_entries_flagged_separately, make_fixture,
                                        remove_fixture),
        cmocka_unit_test_setup_teardown(many_deliveries_grouped, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(failed_batch_logs_msp_and_file, make_fixture,
                                        remove_fixture),
        cmocka_unit_test_setup_teardown(failed_batch_reports_failure, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(idle_writer_checkpoints_wal, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(full_wal_wakes_checkpointer, make_fixture, remove_fixture),
        cmocka_unit_test_setup_teardown(stop_drops_unfinished_deliveries, make_fixture,
                                        remove_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
