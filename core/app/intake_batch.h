#ifndef HALYARD_INTAKE_BATCH_H
#define HALYARD_INTAKE_BATCH_H

#include <stddef.h>

/* The maximum number of events in one webhook request. The writer stores a request's events in one
 * transaction, about 15 us each on a 2-vCPU machine (docs/benchmarks.md), and holds the
 * database's write lock meanwhile, which the event loop's pipeline waits for. At 10,000 events
 * the request took 0.17 s; at 200,000 it took seconds, and every request and /healthz waited
 * with it. A rejected batch is lost to halyard, so the limit sits where a real HaloPSA batch
 * does not reach it: a ticket event carries the ticket's fields, so 10,000 of them come near the
 * 16 MiB body limit anyway. */
#define HALYARD_INTAKE_MAX_BATCH_EVENTS 10000

/* Counts the entries of a webhook body that is a JSON array, reading only its brackets,
 * braces, strings and commas. Any other body counts as one. Stops once the count passes
 * stop_after and returns stop_after + 1, so a huge batch costs no more than a small one. The
 * body need not be valid JSON, because the writer judges that later. */
size_t halyard_intake_batch_count(const unsigned char *body, size_t length, size_t stop_after);

#endif
