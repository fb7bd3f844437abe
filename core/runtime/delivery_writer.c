#include "delivery_writer.h"

#include "message.h"

#include "log.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WRITER_DEFAULT_MAX_BATCH        256
#define WRITER_DEFAULT_MAX_BATCH_DELAY  2000L
#define WRITER_DEFAULT_CHECKPOINT_PAGES 1000
#define WRITER_DEFAULT_IDLE_CHECKPOINT  200L
#define WRITER_DEFAULT_WAL_LIMIT_PAGES  8192
#define WRITER_DEFAULT_MAX_EVENT_BYTES  (1024 * 1024)

/* After the WAL starts over, SQLite truncates a file larger than this. The default WAL limit
 * keeps the file below it, so the file is reused in place. */
#define WRITER_JOURNAL_SIZE_LIMIT "67108864"

static const char writer_subsystem[] = "intake";

/* The fields of one event, read through SQLite's JSON functions. X is an SQL expression for the
 * event's JSON text. The guard keeps json_type from running on a batch entry that is a bare
 * string, because json_each gives such an entry unquoted, which is not JSON text. A GUID is a
 * text id of 1 to 128 characters. */
/* An event's GUID is its text "id" of 1 to 128 printable ASCII characters, written without
 * escapes. SQLite 3.40's json_extract cuts a string at an escaped NUL, so an id holding
 * "\u0000" would be stored cut short, where it would shadow a different event; the id's JSON
 * form (x -> '$.id') is checked for a backslash instead. */
#define EVENT_GUID(guard, x)                                                                       \
    "CASE WHEN " guard " json_type(" x ", '$.id') = 'text'"                                        \
    " AND length(json_extract(" x ", '$.id')) BETWEEN 1 AND 128"                                   \
    " AND instr(" x " -> '$.id', '\\') = 0"                                                        \
    " AND json_extract(" x ", '$.id') NOT GLOB '*[^ -~]*'"                                         \
    " THEN json_extract(" x ", '$.id') END"
#define EVENT_NAME(guard, x)                                                                       \
    "CASE WHEN " guard " json_type(" x ", '$.event') = 'text' THEN json_extract(" x                \
    ", '$.event') END"
// clang-format off
/* A ticket id at path is present unless it is absent or JSON null. TICKET_ID is the id as an
 * integer, or NULL when it is not one (halyard_ticket_id, below, reads its JSON text). */
#define TICKET_PRESENT(x, path) "coalesce(json_type(" x ", '" path "'), 'null') <> 'null'"
#define TICKET_ID(x, path) "halyard_ticket_id(" x " -> '" path "')"
#define TICKET_VALID(x, path) "(" TICKET_ID(x, path) " IS NOT NULL)"

/* The ticket is ticket.id when it is valid, else object_id when that is valid. An event whose
 * ids are present but none valid names no ticket, and EVENT_BAD_TICKET is 1 for it. */
#define EVENT_TICKET(guard, x)                                                                     \
    "CASE WHEN " guard " " TICKET_VALID(x, "$.ticket.id")                                          \
    " THEN " TICKET_ID(x, "$.ticket.id")                                                           \
    " WHEN " guard " " TICKET_VALID(x, "$.object_id") " THEN " TICKET_ID(x, "$.object_id")         \
    " END"
#define EVENT_BAD_TICKET(x)                                                                        \
    "(NOT " TICKET_VALID(x, "$.ticket.id") " AND NOT " TICKET_VALID(x, "$.object_id")             \
    " AND (" TICKET_PRESENT(x, "$.ticket.id") " OR " TICKET_PRESENT(x, "$.object_id") "))"
// clang-format on

/* ?5 is the largest event stored whole, in bytes. A readable event over it keeps only its GUID,
 * event name and ticket id, with flag 'truncated' and state 'new', so its ticket is synced as any
 * other: the pipeline reads the ticket again from HaloPSA and needs nothing else of the body. An
 * unreadable one keeps its first ?5 bytes, since it has no fields to keep. */
#define EVENT_OVERSIZED "length(CAST(body AS BLOB)) > ?5"
#define INSERT_HEAD                                                                                \
    "INSERT INTO deliveries (msp_id, event_guid, received_at, event, ticket_id, body, flag,"       \
    " state) SELECT ?1, guid, ?2, event, ticket,"                                                  \
    " CASE WHEN NOT " EVENT_OVERSIZED " THEN body"                                                 \
    "   WHEN flag IS NULL THEN json_object('id', guid, 'event', event, 'ticket',"                  \
    "     CASE WHEN ticket IS NOT NULL THEN json_object('id', ticket) END)"                        \
    "   ELSE substr(CAST(body AS BLOB), 1, ?5) END,"                                               \
    " CASE WHEN flag IS NULL AND " EVENT_OVERSIZED " THEN 'truncated' ELSE flag END,"              \
    " CASE WHEN flag IS NULL THEN 'new' ELSE 'flagged' END FROM ("
/* "WHERE true" lets the parser tell ON CONFLICT from a join constraint after a SELECT. */
#define INSERT_TAIL ") WHERE true ON CONFLICT DO NOTHING RETURNING id, flag"

// clang-format off
/* ?3 is a body whose first character is "{": one event, or not JSON at all. */
static const char writer_insert_object[] = INSERT_HEAD
    "SELECT " EVENT_GUID("", "?3") " AS guid, "
    EVENT_NAME("", "?3") " AS event, "
    EVENT_TICKET("", "?3") " AS ticket, "
    "?3 AS body, "
    "CASE WHEN (" EVENT_GUID("", "?3") ") IS NULL THEN 'missing_id'"
    " WHEN " EVENT_BAD_TICKET("?3") " THEN 'bad_ticket_id' END AS flag"
    " WHERE json_valid(?3)"
    " UNION ALL SELECT NULL, NULL, NULL, ?3, 'not_json' WHERE NOT json_valid(?3)"
    INSERT_TAIL;

/* ?3 is a body whose first character is "[": a batch, one row per entry. */
static const char writer_insert_array[] = INSERT_HEAD
    "SELECT " EVENT_GUID("e.type = 'object' AND", "e.value") " AS guid, "
    EVENT_NAME("e.type = 'object' AND", "e.value") " AS event, "
    EVENT_TICKET("e.type = 'object' AND", "e.value") " AS ticket,"
    " CASE WHEN e.type = 'object' THEN e.value ELSE ?3 -> e.fullkey END AS body,"
    " CASE WHEN e.type <> 'object' THEN 'not_an_event'"
    " WHEN (" EVENT_GUID("", "e.value") ") IS NULL THEN 'missing_id'"
    " WHEN " EVENT_BAD_TICKET("e.value") " THEN 'bad_ticket_id' END AS flag"
    " FROM json_each(CASE WHEN json_valid(?3) THEN ?3 ELSE '[]' END) AS e"
    " UNION ALL SELECT NULL, NULL, NULL, ?3, 'empty_batch'"
    " WHERE json_valid(?3) AND json_array_length(?3) = 0"
    " UNION ALL SELECT NULL, NULL, NULL, ?3, 'not_json' WHERE NOT json_valid(?3)"
    INSERT_TAIL;
// clang-format on

/* ?3 is any other body, as a blob; ?4 is the same bytes as text, or NULL when they hold a NUL
 * byte (which JSON text never does). ?5 is the largest body stored whole, as above. */
static const char writer_insert_unreadable[] =
    "INSERT INTO deliveries (msp_id, event_guid, received_at, body, flag, state)"
    " VALUES (?1, NULL, ?2, CASE WHEN length(?3) > ?5 THEN substr(?3, 1, ?5) ELSE ?3 END,"
    " CASE WHEN ?4 IS NOT NULL AND json_valid(?4)"
    " THEN 'not_an_event' ELSE 'not_json' END, 'flagged') RETURNING id, flag";

static const char *const writer_flags[] = {"not_json", "not_an_event", "missing_id", "empty_batch",
                                           "bad_ticket_id"};

struct halyard_delivery_writer {
    halyard_delivery_writer_options options;
    halyard_delivery_done done;
    void *argument;
    struct event *done_event;
    size_t in_flight; /* loop thread only */

    /* The mutex guards everything from here to the statements. */
    pthread_mutex_t mutex;
    pthread_cond_t work_ready;
    pthread_cond_t commits_ready;
    pthread_cond_t checkpoint_due;
    halyard_delivery *queue_head;
    halyard_delivery *queue_tail;
    halyard_delivery *committed_head; /* committed, waiting for the WAL's fdatasync */
    halyard_delivery *committed_tail;
    halyard_delivery *done_head;
    halyard_delivery *done_tail;
    bool stopping;
    bool writer_finished;
    bool checkpoint_requested;
    halyard_delivery_writer_stats stats;

    /* The writer thread's alone. */
    halyard_store *store;
    sqlite3_stmt *begin;
    sqlite3_stmt *commit;
    sqlite3_stmt *rollback;
    sqlite3_stmt *insert_object;
    sqlite3_stmt *insert_array;
    sqlite3_stmt *insert_unreadable;
    int wal_pages;
    int wal_pages_at_request;        /* the WAL's size when the checkpointer was last asked */
    int wal_pages_at_own_checkpoint; /* the WAL's size at the writer's last checkpoint */

    /* The syncer thread's alone. */
    char *wal_path;
    int wal_fd;
    bool sync_failed;

    /* The checkpointer thread's alone. */
    halyard_store *checkpoint_store;

    pthread_t writer_thread;
    pthread_t syncer_thread;
    pthread_t checkpointer_thread;
    bool writer_started;
    bool syncer_started;
    bool checkpointer_started;
};

halyard_delivery *halyard_delivery_new(int64_t msp_id, const void *body, size_t length,
                                       void *context)
{
    halyard_delivery *delivery = calloc(1, sizeof *delivery);
    unsigned char *copy = malloc(length + 1);
    if (delivery == NULL || copy == NULL) {
        free(delivery);
        free(copy);
        return NULL;
    }
    if (length > 0) {
        memcpy(copy, body, length);
    }
    copy[length] = '\0';
    delivery->msp_id = msp_id;
    delivery->body = copy;
    delivery->body_length = length;
    delivery->context = context;
    return delivery;
}

void halyard_delivery_free(halyard_delivery *delivery)
{
    if (delivery == NULL) {
        return;
    }
    free(delivery->body);
    free(delivery);
}

static long long monotonic_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* The batch's received_at, in the form the schema's other timestamps use. */
static void format_now(char *buffer, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char seconds[24];
    strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(buffer, size, "%s.%03dZ", seconds, (int)(now.tv_nsec / 1000000));
}

static const char *known_flag(const unsigned char *text)
{
    if (text == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof writer_flags / sizeof writer_flags[0]; i++) {
        if (strcmp((const char *)text, writer_flags[i]) == 0) {
            return writer_flags[i];
        }
    }
    return "unknown";
}

static sqlite3_stmt *choose_statement(halyard_delivery_writer *writer,
                                      const halyard_delivery *delivery, bool *has_nul)
{
    const unsigned char *body = delivery->body;
    size_t length = delivery->body_length;
    *has_nul = memchr(body, '\0', length) != NULL;
    size_t start = 0;
    while (start < length && (body[start] == ' ' || body[start] == '\t' || body[start] == '\r' ||
                              body[start] == '\n')) {
        start++;
    }
    if (*has_nul || start == length) {
        return writer->insert_unreadable;
    }
    if (body[start] == '{') {
        return writer->insert_object;
    }
    if (body[start] == '[') {
        return writer->insert_array;
    }
    return writer->insert_unreadable;
}

/* Inserts the rows of one delivery inside the open transaction and records what they were.
 * Returns 0, or -1 after logging SQLite's error. */
static int insert_delivery(halyard_delivery_writer *writer, halyard_delivery *delivery,
                           const char *received_at)
{
    bool has_nul = false;
    sqlite3_stmt *statement = choose_statement(writer, delivery, &has_nul);
    int length = (int)delivery->body_length;

    sqlite3_bind_int64(statement, 1, delivery->msp_id);
    sqlite3_bind_text(statement, 2, received_at, -1, SQLITE_STATIC);
    if (statement == writer->insert_unreadable) {
        sqlite3_bind_blob(statement, 3, delivery->body, length, SQLITE_STATIC);
        if (has_nul) {
            sqlite3_bind_null(statement, 4);
        } else {
            sqlite3_bind_text(statement, 4, (const char *)delivery->body, length, SQLITE_STATIC);
        }
    } else {
        sqlite3_bind_text(statement, 3, (const char *)delivery->body, length, SQLITE_STATIC);
    }

    sqlite3_bind_int64(statement, 5, (sqlite3_int64)writer->options.max_event_bytes);

    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        const unsigned char *flag_text = sqlite3_column_text(statement, 1);
        if (delivery->rows_added == 0) {
            delivery->first_row_id = sqlite3_column_int64(statement, 0);
        }
        delivery->rows_added++;
        if (flag_text != NULL && strcmp((const char *)flag_text, "truncated") == 0) {
            delivery->rows_truncated++;
            continue;
        }
        const char *flag = known_flag(flag_text);
        if (flag != NULL) {
            delivery->rows_flagged++;
            if (delivery->flag == NULL) {
                delivery->flag = flag;
            }
        }
    }
    int status = 0;
    if (step != SQLITE_DONE) {
        halyard_log(HALYARD_LOG_ERROR, writer_subsystem,
                    "storing a delivery for msp %lld (%zu bytes) failed: %s",
                    (long long)delivery->msp_id, delivery->body_length,
                    sqlite3_errmsg(halyard_store_database(writer->store)));
        status = -1;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return status;
}

static int run_simple(halyard_delivery_writer *writer, sqlite3_stmt *statement, const char *what)
{
    int step = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (step != SQLITE_DONE) {
        halyard_log(HALYARD_LOG_ERROR, writer_subsystem, "%s failed: %s", what,
                    sqlite3_errmsg(halyard_store_database(writer->store)));
        return -1;
    }
    return 0;
}

/* Takes up to limit deliveries off the queue; the caller holds the mutex. */
static halyard_delivery *take_queued(halyard_delivery_writer *writer, size_t limit,
                                     halyard_delivery **tail, size_t *count)
{
    halyard_delivery *head = writer->queue_head;
    halyard_delivery *last = NULL;
    size_t taken = 0;
    while (writer->queue_head != NULL && taken < limit) {
        last = writer->queue_head;
        writer->queue_head = last->next;
        taken++;
    }
    if (writer->queue_head == NULL) {
        writer->queue_tail = NULL;
    }
    if (last != NULL) {
        last->next = NULL;
    }
    *tail = last;
    *count = taken;
    return taken > 0 ? head : NULL;
}

static void request_checkpoint(halyard_delivery_writer *writer)
{
    pthread_mutex_lock(&writer->mutex);
    writer->checkpoint_requested = true;
    pthread_cond_signal(&writer->checkpoint_due);
    pthread_mutex_unlock(&writer->mutex);
}

/* Runs on the writer thread after each commit, with the WAL's size in pages. It replaces the
 * connection's automatic checkpoint. */
static int on_wal_commit(void *argument, sqlite3 *database, const char *name, int pages)
{
    (void)database;
    (void)name;
    halyard_delivery_writer *writer = argument;
    writer->wal_pages = pages;
    if (pages < writer->wal_pages_at_request) {
        writer->wal_pages_at_request = 0; /* the WAL started over */
    }
    if (pages < writer->wal_pages_at_own_checkpoint) {
        writer->wal_pages_at_own_checkpoint = 0;
    }
    if (pages - writer->wal_pages_at_request >= writer->options.checkpoint_pages) {
        writer->wal_pages_at_request = pages;
        request_checkpoint(writer);
    }
    return SQLITE_OK;
}

/* Finishes the checkpoint from the writer itself once the WAL reaches wal_limit_pages. The
 * checkpointer thread has copied most pages by then. Because no other connection writes, this
 * pass can copy every frame, so the next transaction starts the WAL from its beginning and the
 * file is overwritten in place rather than grown: fdatasync after an overwrite costs less than
 * after an append, which must also record the new size. The pass stalls the writer for its
 * flushes of the WAL and the database file (5 to 13 ms measured on a 2-vCPU virtual machine),
 * which makes the intake's p99. PASSIVE never waits: when the checkpointer or a reader is in
 * the way, the writer tries again after another checkpoint_pages of growth. */
static void checkpoint_from_writer(halyard_delivery_writer *writer)
{
    if (writer->wal_pages - writer->wal_pages_at_own_checkpoint <
            writer->options.checkpoint_pages &&
        writer->wal_pages_at_own_checkpoint > 0) {
        return;
    }
    writer->wal_pages_at_own_checkpoint = writer->wal_pages;
    int log_pages = 0;
    int checkpointed = 0;
    int status = sqlite3_wal_checkpoint_v2(halyard_store_database(writer->store), NULL,
                                           SQLITE_CHECKPOINT_PASSIVE, &log_pages, &checkpointed);
    if (status != SQLITE_OK && status != SQLITE_BUSY) {
        halyard_log(HALYARD_LOG_WARNING, writer_subsystem,
                    "checkpointing the WAL of %d pages from the writer failed: %s", log_pages,
                    sqlite3_errmsg(halyard_store_database(writer->store)));
        return;
    }
    halyard_log(HALYARD_LOG_DEBUG, writer_subsystem, "the writer checkpointed %d of %d WAL pages%s",
                checkpointed, log_pages, status == SQLITE_BUSY ? " (busy: tries again later)" : "");
    pthread_mutex_lock(&writer->mutex);
    writer->stats.checkpoints++;
    pthread_mutex_unlock(&writer->mutex);
}

/* Appends a finished list to the loop's list; the caller holds the mutex. Returns true when
 * the loop must be woken because its list was empty. */
static bool hand_back(halyard_delivery_writer *writer, halyard_delivery *head,
                      halyard_delivery *tail)
{
    bool wake = writer->done_head == NULL;
    if (writer->done_tail != NULL) {
        writer->done_tail->next = head;
    } else {
        writer->done_head = head;
    }
    writer->done_tail = tail;
    return wake;
}

/* Writes the distinct MSP ids of a batch into buffer: "1,3", as many as fit. */
static void batch_msp_ids(const halyard_delivery *head, char *buffer, size_t buffer_size)
{
    size_t used = 0;
    buffer[0] = '\0';
    for (const halyard_delivery *delivery = head; delivery != NULL; delivery = delivery->next) {
        bool seen = false;
        for (const halyard_delivery *earlier = head; earlier != delivery; earlier = earlier->next) {
            seen = seen || earlier->msp_id == delivery->msp_id;
        }
        if (seen) {
            continue;
        }
        int written = snprintf(buffer + used, buffer_size - used, "%s%lld", used == 0 ? "" : ",",
                               (long long)delivery->msp_id);
        if (written < 0 || (size_t)written >= buffer_size - used) {
            break;
        }
        used += (size_t)written;
    }
}

/* Writes one batch: the deliveries taken, plus those that arrive while it is being written, up
 * to the batch limit and the delay bound. A committed batch goes on to the syncer, and a failed
 * one straight back to the loop with every status set to HALYARD_DELIVERY_FAILED. */
static void write_batch(halyard_delivery_writer *writer, halyard_delivery *head,
                        halyard_delivery *tail, size_t count)
{
    char received_at[48];
    format_now(received_at, sizeof received_at);
    long long started = monotonic_us();

    int status = run_simple(writer, writer->begin, "starting a delivery transaction");
    for (halyard_delivery *delivery = head; status == 0 && delivery != NULL;
         delivery = delivery->next) {
        status = insert_delivery(writer, delivery, received_at);
    }

    /* Arrivals join the open transaction while there is room and time. */
    while (status == 0 && count < writer->options.max_batch &&
           monotonic_us() - started < writer->options.max_batch_delay_us) {
        halyard_delivery *more_tail = NULL;
        size_t more_count = 0;
        pthread_mutex_lock(&writer->mutex);
        halyard_delivery *more =
            take_queued(writer, writer->options.max_batch - count, &more_tail, &more_count);
        pthread_mutex_unlock(&writer->mutex);
        if (more == NULL) {
            break;
        }
        tail->next = more;
        tail = more_tail;
        count += more_count;
        for (halyard_delivery *delivery = more; status == 0 && delivery != NULL;
             delivery = delivery->next) {
            status = insert_delivery(writer, delivery, received_at);
        }
    }

    long long inserted = monotonic_us();
    if (status == 0) {
        status = run_simple(writer, writer->commit, "committing a batch of deliveries");
    }
    long long committed = monotonic_us();
    if (status != 0) {
        /* NOTE: one failing body fails its whole batch, so every body in it gets a 503 and must
         * be sent again. The failures seen so far (disk full, I/O error) hit every body. */
        sqlite3 *database = halyard_store_database(writer->store);
        int error = sqlite3_extended_errcode(database) & 0xff;
        char ids[128];
        batch_msp_ids(head, ids, sizeof ids);
        if (!sqlite3_get_autocommit(database)) {
            run_simple(writer, writer->rollback, "rolling back a batch of deliveries");
        }
        bool disk = error == SQLITE_FULL || error == SQLITE_READONLY || error == SQLITE_IOERR ||
                    error == SQLITE_CANTOPEN;
        halyard_log(HALYARD_LOG_ERROR, writer_subsystem,
                    "msp_id=%s a batch of %zu deliveries was not stored in %s; each is answered "
                    "503%s",
                    ids, count, sqlite3_db_filename(database, "main"),
                    disk ? ": check that the data folder is writable and its disk has free space"
                         : "");
        for (halyard_delivery *delivery = head; delivery != NULL; delivery = delivery->next) {
            delivery->status = HALYARD_DELIVERY_FAILED;
            delivery->rows_added = 0;
            delivery->rows_flagged = 0;
            delivery->rows_truncated = 0;
            delivery->flag = NULL;
            delivery->first_row_id = 0;
        }
    }

    /* A committed batch waits for the syncer's fdatasync; a failed one goes straight back. */
    uint64_t rows = 0;
    for (halyard_delivery *delivery = head; delivery != NULL; delivery = delivery->next) {
        rows += delivery->rows_added;
    }
    pthread_mutex_lock(&writer->mutex);
    bool wake = false;
    if (status == 0) {
        if (writer->committed_tail != NULL) {
            writer->committed_tail->next = head;
        } else {
            writer->committed_head = head;
        }
        writer->committed_tail = tail;
        pthread_cond_signal(&writer->commits_ready);
    } else {
        wake = hand_back(writer, head, tail);
    }
    writer->stats.batches++;
    writer->stats.deliveries += count;
    writer->stats.rows_added += rows;
    writer->stats.failed_batches += status != 0;
    writer->stats.insert_us += (uint64_t)(inserted - started);
    writer->stats.commit_us += (uint64_t)(committed - inserted);
    if (count > writer->stats.largest_batch) {
        writer->stats.largest_batch = count;
    }
    pthread_mutex_unlock(&writer->mutex);
    if (wake) {
        event_active(writer->done_event, EV_READ, 0);
    }

    if (writer->wal_pages >= writer->options.wal_limit_pages) {
        checkpoint_from_writer(writer);
    }
}

static void deadline_after_ms(struct timespec *deadline, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += ms / 1000;
    deadline->tv_nsec += (ms % 1000) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000L;
    }
}

static void *run_writer(void *argument)
{
    halyard_delivery_writer *writer = argument;
    bool idle_checkpoint_requested = false;

    pthread_mutex_lock(&writer->mutex);
    for (;;) {
        /* Wait for work. A quiet spell with a WAL to fold back asks for one checkpoint. */
        while (writer->queue_head == NULL && !writer->stopping) {
            if (writer->wal_pages > 0 && !idle_checkpoint_requested) {
                struct timespec deadline;
                deadline_after_ms(&deadline, writer->options.idle_checkpoint_ms);
                int waited = pthread_cond_timedwait(&writer->work_ready, &writer->mutex, &deadline);
                if (waited == ETIMEDOUT && writer->queue_head == NULL) {
                    writer->checkpoint_requested = true;
                    pthread_cond_signal(&writer->checkpoint_due);
                    idle_checkpoint_requested = true;
                }
            } else {
                pthread_cond_wait(&writer->work_ready, &writer->mutex);
            }
        }
        if (writer->stopping) {
            break;
        }

        halyard_delivery *tail = NULL;
        size_t count = 0;
        halyard_delivery *head = take_queued(writer, writer->options.max_batch, &tail, &count);
        pthread_mutex_unlock(&writer->mutex);
        write_batch(writer, head, tail, count);
        idle_checkpoint_requested = false;
        pthread_mutex_lock(&writer->mutex);
    }
    pthread_mutex_unlock(&writer->mutex);
    return NULL;
}

/* Syncs the directory that holds path, so a newly created file's entry survives a power cut. */
static int sync_parent_directory(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL) {
        return -1;
    }
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) {
        return -1;
    }
    int status = fsync(fd);
    close(fd);
    return status;
}

/* Makes everything written to the WAL so far durable. The descriptor is the syncer's own: on
 * Linux fdatasync flushes the file's data whichever descriptor wrote it. The file is reopened
 * when the path names another file than the one open (the WAL was deleted and made anew).
 * Returns 0, or -1 after logging why. */
static int sync_wal(halyard_delivery_writer *writer)
{
    struct stat open_file;
    struct stat named_file;
    if (stat(writer->wal_path, &named_file) != 0) {
        halyard_log(HALYARD_LOG_ERROR, writer_subsystem, "cannot find the WAL %s: %s",
                    writer->wal_path, strerror(errno));
        return -1;
    }
    if (writer->wal_fd >= 0 &&
        (fstat(writer->wal_fd, &open_file) != 0 || open_file.st_ino != named_file.st_ino ||
         open_file.st_dev != named_file.st_dev)) {
        close(writer->wal_fd);
        writer->wal_fd = -1;
    }
    if (writer->wal_fd < 0) {
        writer->wal_fd = open(writer->wal_path, O_RDONLY | O_CLOEXEC);
        if (writer->wal_fd < 0 || sync_parent_directory(writer->wal_path) != 0) {
            halyard_log(HALYARD_LOG_ERROR, writer_subsystem, "cannot open the WAL %s: %s",
                        writer->wal_path, strerror(errno));
            return -1;
        }
    }
    if (fdatasync(writer->wal_fd) != 0) {
        halyard_log(HALYARD_LOG_ERROR, writer_subsystem,
                    "fdatasync of the WAL %s failed: %s; from now on every delivery is "
                    "answered 503 until halyard is restarted",
                    writer->wal_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The syncer: takes every batch committed since its last pass, makes them durable with one
 * fdatasync of the WAL, and hands them to the loop thread. The writer meanwhile goes on with
 * the next batch, so the disk's flush time and the inserts overlap. */
static void *run_syncer(void *argument)
{
    halyard_delivery_writer *writer = argument;

    pthread_mutex_lock(&writer->mutex);
    for (;;) {
        while (writer->committed_head == NULL && !writer->writer_finished) {
            pthread_cond_wait(&writer->commits_ready, &writer->mutex);
        }
        if (writer->committed_head == NULL) {
            break;
        }
        halyard_delivery *head = writer->committed_head;
        halyard_delivery *tail = writer->committed_tail;
        writer->committed_head = NULL;
        writer->committed_tail = NULL;
        pthread_mutex_unlock(&writer->mutex);

        /* NOTE: after one failed fdatasync the kernel may have dropped the unwritten pages, so
         * a later successful one proves nothing; the syncer fails every batch from then on. */
        long long started = monotonic_us();
        if (!writer->sync_failed && sync_wal(writer) != 0) {
            writer->sync_failed = true;
        }
        long long synced = monotonic_us();
        for (halyard_delivery *delivery = head; delivery != NULL; delivery = delivery->next) {
            delivery->status =
                writer->sync_failed ? HALYARD_DELIVERY_FAILED : HALYARD_DELIVERY_STORED;
        }

        pthread_mutex_lock(&writer->mutex);
        writer->stats.syncs++;
        writer->stats.sync_us += (uint64_t)(synced - started);
        bool wake = hand_back(writer, head, tail);
        pthread_mutex_unlock(&writer->mutex);
        if (wake) {
            event_active(writer->done_event, EV_READ, 0);
        }
        pthread_mutex_lock(&writer->mutex);
    }
    pthread_mutex_unlock(&writer->mutex);
    return NULL;
}

static void *run_checkpointer(void *argument)
{
    halyard_delivery_writer *writer = argument;
    sqlite3 *database = halyard_store_database(writer->checkpoint_store);

    pthread_mutex_lock(&writer->mutex);
    for (;;) {
        while (!writer->checkpoint_requested && !writer->stopping) {
            pthread_cond_wait(&writer->checkpoint_due, &writer->mutex);
        }
        if (writer->stopping) {
            break;
        }
        writer->checkpoint_requested = false;
        pthread_mutex_unlock(&writer->mutex);

        /* PASSIVE copies what it can without waiting for the writer or readers. */
        int log_pages = 0;
        int checkpointed = 0;
        int status = sqlite3_wal_checkpoint_v2(database, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                               &log_pages, &checkpointed);
        if (status != SQLITE_OK && status != SQLITE_BUSY) {
            halyard_log(HALYARD_LOG_WARNING, writer_subsystem,
                        "checkpointing the WAL failed: %s; the writer retries when it grows",
                        sqlite3_errmsg(database));
        } else {
            halyard_log(HALYARD_LOG_DEBUG, writer_subsystem, "checkpointed %d of %d WAL pages",
                        checkpointed, log_pages);
        }

        pthread_mutex_lock(&writer->mutex);
        writer->stats.checkpoints++;
    }
    pthread_mutex_unlock(&writer->mutex);
    return NULL;
}

/* Runs on the loop thread when the writer has handed back finished deliveries. */
static void on_deliveries_done(evutil_socket_t fd, short what, void *argument)
{
    (void)fd;
    (void)what;
    halyard_delivery_writer *writer = argument;
    pthread_mutex_lock(&writer->mutex);
    halyard_delivery *delivery = writer->done_head;
    writer->done_head = NULL;
    writer->done_tail = NULL;
    pthread_mutex_unlock(&writer->mutex);

    while (delivery != NULL) {
        halyard_delivery *next = delivery->next;
        delivery->next = NULL;
        writer->in_flight--;
        writer->done(delivery, writer->argument);
        delivery = next;
    }
}

void halyard_delivery_writer_submit(halyard_delivery_writer *writer, halyard_delivery *delivery)
{
    delivery->next = NULL;
    delivery->status = HALYARD_DELIVERY_PENDING;
    writer->in_flight++;
    pthread_mutex_lock(&writer->mutex);
    if (writer->queue_tail != NULL) {
        writer->queue_tail->next = delivery;
    } else {
        writer->queue_head = delivery;
    }
    writer->queue_tail = delivery;
    pthread_cond_signal(&writer->work_ready);
    pthread_mutex_unlock(&writer->mutex);
}

size_t halyard_delivery_writer_in_flight(const halyard_delivery_writer *writer)
{
    return writer->in_flight;
}

void halyard_delivery_writer_read_stats(halyard_delivery_writer *writer,
                                        halyard_delivery_writer_stats *stats)
{
    pthread_mutex_lock(&writer->mutex);
    *stats = writer->stats;
    pthread_mutex_unlock(&writer->mutex);
}

/* Reads digits[0..length) as a ticket id into *id: 1 to 19 digits with a value from 1 to
 * 2^63-1. Returns true when they are one. */
static bool read_ticket_digits(const unsigned char *digits, size_t length, sqlite3_int64 *id)
{
    if (length < 1 || length > 19) {
        return false;
    }
    sqlite3_uint64 value = 0;
    for (size_t i = 0; i < length; i++) {
        if (digits[i] < '0' || digits[i] > '9') {
            return false;
        }
        value = value * 10 + (sqlite3_uint64)(digits[i] - '0');
    }
    if (value < 1 || value > 9223372036854775807ULL) {
        return false;
    }
    *id = (sqlite3_int64)value;
    return true;
}

/* The SQL function halyard_ticket_id(json): a webhook's ticket id as an integer, or NULL when it
 * names no ticket. json is the id's JSON text as the payload wrote it (the -> operator keeps
 * it), so no conversion can round a fraction away or cut a string at an escaped NUL. An id is
 * a whole number from 1 to 2^63-1 written as an integer, or, because HaloPSA writes some ids as
 * strings or decimals, as a string of digits ("3") or with a fraction of zeros (3.0). A sign,
 * an exponent, an escape or any other character names no ticket. */
static void sql_ticket_id(sqlite3_context *context, int count, sqlite3_value **values)
{
    (void)count;
    const unsigned char *text = sqlite3_value_text(values[0]);
    size_t length = text != NULL ? strlen((const char *)text) : 0;
    sqlite3_int64 id = 0;

    /* A string: the digits between its quotes. */
    if (length >= 2 && text[0] == '"' && text[length - 1] == '"') {
        if (read_ticket_digits(text + 1, length - 2, &id)) {
            sqlite3_result_int64(context, id);
            return;
        }
        sqlite3_result_null(context);
        return;
    }

    /* A number: digits, then optionally "." and zeros only. */
    size_t whole = 0;
    while (whole < length && text[whole] >= '0' && text[whole] <= '9') {
        whole++;
    }
    bool zero_fraction = whole < length && text[whole] == '.' && whole + 1 < length;
    for (size_t i = whole + 1; zero_fraction && i < length; i++) {
        zero_fraction = text[i] == '0';
    }
    if ((whole == length || zero_fraction) && read_ticket_digits(text, whole, &id)) {
        sqlite3_result_int64(context, id);
        return;
    }
    sqlite3_result_null(context);
}

static int prepare(halyard_delivery_writer *writer, const char *sql, sqlite3_stmt **statement,
                   char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(writer->store);
    if (sqlite3_prepare_v3(database, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, NULL) !=
        SQLITE_OK) {
        halyard_message_write(message, message_size,
                              "preparing the delivery writer's SQL failed: %s",
                              sqlite3_errmsg(database));
        return -1;
    }
    return 0;
}

static void free_list(halyard_delivery *delivery)
{
    while (delivery != NULL) {
        halyard_delivery *next = delivery->next;
        halyard_delivery_free(delivery);
        delivery = next;
    }
}

static void apply_defaults(halyard_delivery_writer_options *options)
{
    if (options->max_batch == 0) {
        options->max_batch = WRITER_DEFAULT_MAX_BATCH;
    }
    if (options->max_batch_delay_us <= 0) {
        options->max_batch_delay_us = WRITER_DEFAULT_MAX_BATCH_DELAY;
    }
    if (options->checkpoint_pages <= 0) {
        options->checkpoint_pages = WRITER_DEFAULT_CHECKPOINT_PAGES;
    }
    if (options->idle_checkpoint_ms <= 0) {
        options->idle_checkpoint_ms = WRITER_DEFAULT_IDLE_CHECKPOINT;
    }
    if (options->wal_limit_pages <= 0) {
        options->wal_limit_pages = WRITER_DEFAULT_WAL_LIMIT_PAGES;
    }
    if (options->max_event_bytes == 0) {
        options->max_event_bytes = WRITER_DEFAULT_MAX_EVENT_BYTES;
    }
}

int halyard_delivery_writer_start(struct event_base *base, const char *database_path,
                                  const halyard_delivery_writer_options *options,
                                  halyard_delivery_done done, void *argument,
                                  halyard_delivery_writer **out, char *message, size_t message_size)
{
    *out = NULL;
    halyard_delivery_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        halyard_message_write(message, message_size, "out of memory starting the delivery writer");
        return -1;
    }
    writer->options = options != NULL ? *options : (halyard_delivery_writer_options){0};
    apply_defaults(&writer->options);
    writer->done = done;
    writer->argument = argument;
    writer->wal_fd = -1;

    /* Step 1: the lock and the condition variables, timed against the monotonic clock. */
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_mutex_init(&writer->mutex, NULL);
    pthread_cond_init(&writer->work_ready, &attributes);
    pthread_cond_init(&writer->commits_ready, &attributes);
    pthread_cond_init(&writer->checkpoint_due, &attributes);
    pthread_condattr_destroy(&attributes);

    /* Step 2: the writer's connection, which never checkpoints when it commits and does not
     * flush the WAL either (the syncer does). Its page cache holds the GUID index's hot pages,
     * which random GUIDs spread over the whole index. */
    if (halyard_store_open(database_path, &writer->store, message, message_size) != 0 ||
        halyard_store_execute(writer->store,
                              "PRAGMA wal_autocheckpoint = 0;"
                              "PRAGMA synchronous = NORMAL;"
                              "PRAGMA cache_size = -65536;"
                              "PRAGMA journal_size_limit = " WRITER_JOURNAL_SIZE_LIMIT ";",
                              "configuring the delivery writer", message, message_size) != 0) {
        goto fail;
    }
    sqlite3_wal_hook(halyard_store_database(writer->store), on_wal_commit, writer);
    sqlite3 *database = halyard_store_database(writer->store);
    writer->wal_path = strdup(sqlite3_filename_wal(sqlite3_db_filename(database, "main")));
    if (writer->wal_path == NULL) {
        halyard_message_write(message, message_size, "out of memory starting the delivery writer");
        goto fail;
    }
    if (sqlite3_create_function_v2(database, "halyard_ticket_id", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sql_ticket_id, NULL, NULL, NULL) != SQLITE_OK) {
        halyard_message_write(message, message_size,
                              "adding the delivery writer's SQL function failed: %s",
                              sqlite3_errmsg(database));
        goto fail;
    }
    if (prepare(writer, "BEGIN IMMEDIATE", &writer->begin, message, message_size) != 0 ||
        prepare(writer, "COMMIT", &writer->commit, message, message_size) != 0 ||
        prepare(writer, "ROLLBACK", &writer->rollback, message, message_size) != 0 ||
        prepare(writer, writer_insert_object, &writer->insert_object, message, message_size) != 0 ||
        prepare(writer, writer_insert_array, &writer->insert_array, message, message_size) != 0 ||
        prepare(writer, writer_insert_unreadable, &writer->insert_unreadable, message,
                message_size) != 0) {
        goto fail;
    }

    /* Step 3: the checkpointer's connection. */
    if (halyard_store_open(database_path, &writer->checkpoint_store, message, message_size) != 0) {
        goto fail;
    }

    /* Step 4: the event that carries finished deliveries back to the loop. */
    writer->done_event = event_new(base, -1, 0, on_deliveries_done, writer);
    if (writer->done_event == NULL) {
        halyard_message_write(message, message_size, "creating the delivery writer's event failed");
        goto fail;
    }

    /* Step 5: the threads. */
    if (pthread_create(&writer->writer_thread, NULL, run_writer, writer) != 0) {
        halyard_message_write(message, message_size, "starting the delivery writer thread failed");
        goto fail;
    }
    writer->writer_started = true;
    if (pthread_create(&writer->syncer_thread, NULL, run_syncer, writer) != 0) {
        halyard_message_write(message, message_size, "starting the delivery syncer thread failed");
        goto fail;
    }
    writer->syncer_started = true;
    if (pthread_create(&writer->checkpointer_thread, NULL, run_checkpointer, writer) != 0) {
        halyard_message_write(message, message_size, "starting the checkpointer thread failed");
        goto fail;
    }
    writer->checkpointer_started = true;
    *out = writer;
    return 0;

fail:
    halyard_delivery_writer_stop(writer);
    return -1;
}

void halyard_delivery_writer_stop(halyard_delivery_writer *writer)
{
    if (writer == NULL) {
        return;
    }

    /* Step 1: let the threads end; the writer finishes the batch it is writing first. */
    pthread_mutex_lock(&writer->mutex);
    writer->stopping = true;
    pthread_cond_broadcast(&writer->work_ready);
    pthread_cond_broadcast(&writer->checkpoint_due);
    pthread_mutex_unlock(&writer->mutex);
    if (writer->writer_started) {
        pthread_join(writer->writer_thread, NULL);
    }
    pthread_mutex_lock(&writer->mutex);
    writer->writer_finished = true;
    pthread_cond_broadcast(&writer->commits_ready);
    pthread_mutex_unlock(&writer->mutex);
    if (writer->syncer_started) {
        pthread_join(writer->syncer_thread, NULL);
    }
    if (writer->checkpointer_started) {
        pthread_join(writer->checkpointer_thread, NULL);
    }

    /* Step 2: what was never written or never handed back. */
    free_list(writer->queue_head);
    free_list(writer->committed_head);
    free_list(writer->done_head);
    if (writer->wal_fd >= 0) {
        close(writer->wal_fd);
    }
    free(writer->wal_path);
    if (writer->done_event != NULL) {
        event_free(writer->done_event);
    }

    /* Step 3: the connections, in reverse order of opening. */
    halyard_store_close(writer->checkpoint_store);
    sqlite3_finalize(writer->insert_unreadable);
    sqlite3_finalize(writer->insert_array);
    sqlite3_finalize(writer->insert_object);
    sqlite3_finalize(writer->rollback);
    sqlite3_finalize(writer->commit);
    sqlite3_finalize(writer->begin);
    halyard_store_close(writer->store);

    pthread_cond_destroy(&writer->checkpoint_due);
    pthread_cond_destroy(&writer->commits_ready);
    pthread_cond_destroy(&writer->work_ready);
    pthread_mutex_destroy(&writer->mutex);
    free(writer);
}
