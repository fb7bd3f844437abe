#ifndef HALYARD_DELIVERY_WRITER_H
#define HALYARD_DELIVERY_WRITER_H

#include <event2/event.h>
#include <stddef.h>
#include <stdint.h>

/* The delivery writer stores webhook request bodies in the deliveries table from a thread of its
 * own, with its own connection, and hands each one back to the event loop only once its rows
 * are committed and on disk: a power cut loses nothing handed back as stored.
 *
 * Group commit, in two overlapping stages. The writer thread takes every delivery queued,
 * inserts them in one transaction and keeps taking new arrivals until the batch is full, the
 * queue is empty or max_batch_delay_us has passed since the batch began; then it commits with
 * synchronous=NORMAL (the WAL is written, not flushed) and starts on the next batch. The syncer
 * thread takes every batch committed since its last pass and makes them durable with one
 * fdatasync of the WAL file, through a descriptor of its own (fsync flushes the file, whichever
 * descriptor wrote it), which is what synchronous=FULL would do inside each commit. Only then
 * does it hand them back. So the disk's flush time overlaps the next batch's inserts.
 *
 * WAL checkpoints run off this path: the writer never checkpoints on commit; a checkpointer
 * thread with a connection of its own runs a PASSIVE checkpoint for every checkpoint_pages the
 * WAL grows and once the writer has been idle for idle_checkpoint_ms. Under steady load it
 * cannot copy the frames the writer appends meanwhile, so when the WAL reaches wal_limit_pages
 * the writer copies the rest itself (a short pass, since most pages are copied by then) and the
 * WAL starts over. Its file is then overwritten in place, and an fdatasync after an overwrite
 * costs less than after an append.
 *
 * Each body becomes rows through SQLite's JSON functions: an object is one event, an array is a
 * batch of events, and each event with a text "id" (1 to 128 printable ASCII characters) is stored
 * once per MSP under that GUID (a repeated GUID adds no row). Anything unreadable is stored as it
 * came, with state 'flagged' and one of these flags:
 *   not_json       the body or a batch is not valid JSON
 *   not_an_event   valid JSON that is not an object or an array, or a batch entry that is not
 *                  an object
 *   missing_id     an event without such an id
 *   bad_ticket_id  an event whose ticket id is present but invalid (the only flag that keeps
 *                  the event's GUID)
 *   empty_batch    an empty array
 *
 * An event longer than max_event_bytes keeps only its GUID, event name and ticket id, with flag
 * 'truncated' and state 'new', so its ticket is still worked. An unreadable body or batch entry
 * that long keeps its first max_event_bytes bytes.
 *
 * Threads: halyard_delivery_writer_start, _submit, _in_flight and _stop are called from the
 * loop thread; done callbacks run there too, from the event loop. The process must call
 * evthread_use_pthreads() before it creates the event base. */
typedef struct halyard_delivery_writer halyard_delivery_writer;

/* Results of a delivery, in halyard_delivery.status. */
enum {
    HALYARD_DELIVERY_PENDING = 0,
    HALYARD_DELIVERY_STORED = 1, /* committed: every event is on disk (new or a duplicate) */
    HALYARD_DELIVERY_FAILED = -1 /* not stored: the transaction was rolled back, or the WAL
                                  * could not be synced (the rows may survive, unacknowledged) */
};

/* One request body on its way to the deliveries table. */
typedef struct halyard_delivery {
    /* Set by halyard_delivery_new. */
    int64_t msp_id;
    unsigned char *body; /* owned; a NUL follows the last byte */
    size_t body_length;
    void *context; /* the submitter's, untouched by the writer */

    /* Set by the writer before the done callback. */
    int status;
    unsigned rows_added;     /* rows this body added, flagged ones included */
    unsigned rows_flagged;   /* of those, rows stored with a flag and left alone */
    unsigned rows_truncated; /* of those, events over max_event_bytes stored without their body */
    const char *flag;        /* the first flag (a static string), or NULL */
    int64_t first_row_id;    /* the first row added, or 0 */

    struct halyard_delivery *next; /* private to the writer */
} halyard_delivery;

/* Settings of the writer; a zero field takes the default named beside it. */
typedef struct {
    size_t max_batch;        /* deliveries per transaction (default 256) */
    long max_batch_delay_us; /* how long a batch may keep taking arrivals (default 2000) */
    int checkpoint_pages;    /* WAL pages that wake the checkpointer (default 1000) */
    long idle_checkpoint_ms; /* idle time after which the WAL is checkpointed (default 200) */
    int wal_limit_pages;     /* WAL pages at which the writer finishes a checkpoint itself so
                              * the WAL starts over (default 8192, 32 MiB at 4 KiB pages) */
    size_t max_event_bytes;  /* the largest event stored whole; a larger readable one keeps only
                              * its GUID, event name and ticket id, flagged 'truncated' (default
                              * 1 MiB) */
} halyard_delivery_writer_options;

/* Called on the loop thread for each delivery the writer has finished, in the order of its
 * batch; the callback owns the delivery and frees it with halyard_delivery_free. */
typedef void (*halyard_delivery_done)(halyard_delivery *delivery, void *argument);

/* Makes a delivery with a copy of length bytes of body. Returns NULL when out of memory. */
halyard_delivery *halyard_delivery_new(int64_t msp_id, const void *body, size_t length,
                                       void *context);

/* Frees a delivery and its body; NULL is allowed. */
void halyard_delivery_free(halyard_delivery *delivery);

/* Opens the writer's and the checkpointer's connections to the database at path (which must
 * exist with the current schema) and starts both threads. done runs on base's loop. Returns 0
 * and *writer, or -1 with a message. */
int halyard_delivery_writer_start(struct event_base *base, const char *database_path,
                                  const halyard_delivery_writer_options *options,
                                  halyard_delivery_done done, void *argument,
                                  halyard_delivery_writer **writer, char *message,
                                  size_t message_size);

/* Queues a delivery; the writer owns it until it comes back through the done callback. */
void halyard_delivery_writer_submit(halyard_delivery_writer *writer, halyard_delivery *delivery);

/* Deliveries submitted and not yet handed back through the done callback. */
size_t halyard_delivery_writer_in_flight(const halyard_delivery_writer *writer);

/* Counters since start, for the stop log line. */
typedef struct {
    uint64_t batches;
    uint64_t deliveries;
    uint64_t rows_added;
    uint64_t failed_batches;
    uint64_t checkpoints;
    size_t largest_batch;
    uint64_t insert_us; /* time spent inserting rows, all batches together */
    uint64_t commit_us; /* time spent in COMMIT, which writes the WAL */
    uint64_t syncs;     /* fdatasync calls on the WAL */
    uint64_t sync_us;   /* time spent in them */
} halyard_delivery_writer_stats;

void halyard_delivery_writer_read_stats(halyard_delivery_writer *writer,
                                        halyard_delivery_writer_stats *stats);

/* Stops the threads once the batch being written is committed or rolled back, then frees the
 * writer. Deliveries still queued are not written, and deliveries not yet handed back are freed
 * without a callback: stop only after halyard_delivery_writer_in_flight reached zero, or after
 * dropping the replies their contexts stand for. NULL is allowed. */
void halyard_delivery_writer_stop(halyard_delivery_writer *writer);

#endif
