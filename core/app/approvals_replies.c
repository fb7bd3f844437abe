#include "approvals_replies.h"

#include "approvals.h"
#include "approvals_policy_notes.h"
#include "approvals_stop.h"
#include "clock.h"
#include "execute.h"
#include "execute_notes.h"
#include "execute_steps.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "note_text.h"
#include "run_writes.h"
#include "text_buffer.h"
#include "verification.h"

#include <sqlite3.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long the expiry waits for the ticket's read of replies written just before the deadline,
 * in milliseconds of the business clock. It waits again while that read is queued or running. */
#define APPROVALS_EXPIRY_READ_MS 1000

#define REPLIES_MESSAGE_MAX 1024
/* The maximum number of new actions held in memory at once. A sync that finds more classifies
 * them in batches of this size and acts only after the last batch, so no answer acts while a
 * later reply of the same read is still unread. */
#define REPLIES_BATCH_MAX 50

/* One new action on the ticket, waiting to be classified. */
typedef struct {
    long long action_id;
    long long author_agent_id; /* 0 for an end user */
    char author[96];
    /* The action's who, the writer's name as HaloPSA shows it, or NULL. */
    char *writer_name;
    char *html;  /* note_html, else note */
    char *text;  /* note, else note_html */
    bool hidden; /* hiddenfromuser: the end user does not see it */
} reply_item;

/* A counted answer of the assigned technician, kept across batches. */
typedef struct {
    long long action_id; /* 0 when there is none */
    long long author_agent_id;
    char author[96];
} reply_answer;

/* The replies of one sync on their way through the approval policy. */
typedef struct {
    halyard_pipeline_task *task;
    halyard_store *store;
    halyard_json_reader *json;
    halyard_run run;
    halyard_approval_request request;
    long long request_action_id; /* the id of the request note's action in HaloPSA */
    /* The id of the action of halyard's note that readdressed the request to the technician
     * assigned now, or 0 when the request was not readdressed. Only answers after it count. */
    long long readdressed_action_id;
    long long assigned_agent_id;

    /* The ticket's actions as the sync read them, and where the next batch starts. */
    char *actions;             /* owned copy, kept only while a batch remains */
    const char *actions_array; /* "$" or "$.actions" */
    long long actions_count;
    long long actions_next; /* the index of the first action not looked at yet */
    size_t batches;         /* batches collected so far */
    reply_item items[REPLIES_BATCH_MAX];
    size_t count;
    size_t index;

    /* The decision so far, over every batch of the read.
     * NOTE: it is kept in memory only. When halyard stops before the last reply is classified,
     * the replies classified so far stay recorded as read and no answer among them acts, so
     * the request waits for a new answer or expires. */
    reply_answer decisive;       /* the counted deny, else the newest counted approve */
    long long held_by_action_id; /* a counted neutral answer after the decisive approve, or 0 */
    char decision[16];           /* the decisive answer's decision */
    size_t messages;             /* neutral replies */
} replies_job;

/* Frees the current batch's items and empties it. */
static void free_batch(replies_job *job)
{
    for (size_t i = 0; i < job->count; i++) {
        free(job->items[i].html);
        free(job->items[i].text);
        free(job->items[i].writer_name);
    }
    memset(job->items, 0, sizeof job->items);
    job->count = 0;
    job->index = 0;
}

static void free_replies(replies_job *job)
{
    free_batch(job);
    free(job->actions);
    halyard_approval_request_clear(&job->request);
    free(job);
}

/* Frees the state of a task released while it waited on HaloPSA (pipeline_task.h). */
static void free_replies_state(void *state)
{
    free_replies(state);
}

static int begin(halyard_store *store, char *message, size_t message_size)
{
    return halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                 message_size);
}

static int commit(halyard_store *store, int status, char *message, size_t message_size)
{
    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Ends a transaction that found the run or its request changed meanwhile (a cancel from the
 * CLI, a stop by another job): nothing is written, and the read is not an error. Returns 1. */
static int rollback_unchanged(halyard_store *store)
{
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    return 1;
}

/* Reads the text of field of action index into *text (caller frees; NULL unless found).
 * Returns the reader's result: HALYARD_JSON_FOUND, _MISSING or _INVALID. */
static int read_action_text(halyard_json_reader *json, const char *actions, const char *array,
                            long long index, const char *field, char **text)
{
    char path[96];
    snprintf(path, sizeof path, "%s[%lld].%s", array, index, field);
    return halyard_json_read_text(json, actions, strlen(actions), path, text);
}

/* Records an action that is no reply to the request as read, with the reason. Returns 0, or -1
 * with a message. */
static int record_skipped(replies_job *job, long long action_id, long long author, const char *who,
                          const char *reason, char *message, size_t message_size)
{
    halyard_approval_reply skipped = {
        .run_id = job->run.id,
        .action_id = action_id,
        .request_id = job->request.id,
        .author_agent_id = author,
        .author = who,
        .assigned_agent_id = job->assigned_agent_id,
        .decision = "skipped",
        .reason = reason,
    };
    return halyard_approvals_record_reply(job->store, &skipped, message, message_size) < 0 ? -1 : 0;
}

/* Collects the next batch of actions not read yet for the run into job->items, from
 * job->actions_next on, and records halyard's own and those older than the request note as
 * read. HaloPSA numbers a ticket's actions in the order they were added, so only an action
 * whose id is above the request note's was written after the technician could see the request.
 * The batch ends at REPLIES_BATCH_MAX items, and job->actions_next then points past the last
 * action looked at. Returns 0, or -1 with a message. */
static int collect_new_actions(replies_job *job, const char *actions, char *message,
                               size_t message_size)
{
    size_t length = strlen(actions);
    const char *array = job->actions_array;
    long long login_agent_id = halyard_pipeline_task_login_agent_id(job->task);
    job->batches++;

    long long i = job->actions_next;
    for (; i < job->actions_count && job->count < REPLIES_BATCH_MAX; i++) {
        char path[96];
        long long action_id = 0;
        snprintf(path, sizeof path, "%s[%lld].id", array, i);
        if (halyard_json_read_integer(job->json, actions, length, path, &action_id) !=
            HALYARD_JSON_FOUND) {
            continue;
        }
        int read =
            halyard_approvals_reply_read(job->store, job->run.id, action_id, message, message_size);
        if (read < 0) {
            return -1;
        }
        if (read == 1) {
            continue;
        }

        /* who_type 2 is an end user (docs/halopsa-api.md); an end user never approves. */
        long long who_type = 0;
        long long author = 0;
        snprintf(path, sizeof path, "%s[%lld].who_type", array, i);
        halyard_json_read_integer(job->json, actions, length, path, &who_type);
        snprintf(path, sizeof path, "%s[%lld].who_agentid", array, i);
        if (halyard_json_read_integer(job->json, actions, length, path, &author) !=
            HALYARD_JSON_FOUND) {
            snprintf(path, sizeof path, "%s[%lld].actionby_agent_id", array, i);
            halyard_json_read_integer(job->json, actions, length, path, &author);
        }
        if (who_type == 2) {
            author = 0;
        }
        char *who_name = NULL;
        read_action_text(job->json, actions, array, i, "who", &who_name);

        /* halyard's own actions (its notes, the approval request) are no replies. */
        if (login_agent_id != 0 && author == login_agent_id) {
            free(who_name);
            if (record_skipped(job, action_id, author, "halyard", "halyard's own action", message,
                               message_size) != 0) {
                return -1;
            }
            continue;
        }
        if (action_id <= job->request_action_id) {
            int skipped =
                record_skipped(job, action_id, author, who_name != NULL ? who_name : "",
                               "written before the approval request", message, message_size);
            free(who_name);
            if (skipped != 0) {
                return -1;
            }
            continue;
        }

        reply_item *item = &job->items[job->count++];
        item->action_id = action_id;
        item->author_agent_id = author;
        if (author > 0) {
            snprintf(item->author, sizeof item->author, "%s (agent %lld)",
                     who_name != NULL ? who_name : "technician", author);
        } else {
            snprintf(item->author, sizeof item->author, "%s (end user)",
                     who_name != NULL ? who_name : "requester");
        }
        item->writer_name = who_name;
        char *hidden = NULL;
        snprintf(path, sizeof path, "%s[%lld].hiddenfromuser", array, i);
        halyard_json_read_json(job->json, actions, length, path, &hidden);
        item->hidden = hidden != NULL && strcmp(hidden, "true") == 0;
        free(hidden);

        /* The policy reads the HTML, where quoted and hidden parts stay marked. HaloPSA's plain
         * note keeps their words unmarked, so it is used only for a reply without HTML. A
         * note_html that is there but not text is read as an empty reply, which is neutral. */
        int html_read = read_action_text(job->json, actions, array, i, "note_html", &item->html);
        read_action_text(job->json, actions, array, i, "note", &item->text);
        if (html_read == HALYARD_JSON_INVALID) {
            halyard_log(HALYARD_LOG_WARNING, "approvals",
                        "msp=%s ticket=%lld run=%lld action %lld by %s: note_html is not text, "
                        "so the reply is read as empty and decides nothing",
                        halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id,
                        action_id, item->author);
            item->html = strdup("");
        } else if (item->html == NULL || item->html[0] == '\0') {
            free(item->html);
            item->html = item->text != NULL ? strdup(item->text) : strdup("");
        }
        if (item->text == NULL) {
            item->text = strdup(item->html != NULL ? item->html : "");
        }
        if (item->html == NULL || item->text == NULL) {
            snprintf(message, message_size, "out of memory reading replies");
            return -1;
        }
    }
    job->actions_next = i;

    /* A cut read acts on nothing yet, because classify_next reads the next batch first. */
    if (job->actions_next < job->actions_count) {
        halyard_log(HALYARD_LOG_INFO, "approvals",
                    "msp=%s ticket=%lld run=%lld request %lld: batch %zu is full at %d new "
                    "actions and more remain unread (%lld of the ticket's actions not looked at "
                    "yet); no answer acts before every batch is classified",
                    halyard_pipeline_task_msp(job->task), job->run.ticket_id, job->run.id,
                    job->request.id, job->batches, REPLIES_BATCH_MAX,
                    job->actions_count - job->actions_next);
    }
    return 0;
}

/* The assigned technician denied: stops the run with a note. */
static int stop_denied(replies_job *job, const reply_answer *item, char *message,
                       size_t message_size)
{
    char *results = NULL;
    if (halyard_execute_steps_list(job->store, job->run.id, job->request.plan_hash, &results,
                                   message, message_size) != 0) {
        return -1;
    }
    char *note =
        halyard_execute_note_denied(job->json, job->run.id, item->author, item->action_id, results);
    free(results);
    char key[48];
    snprintf(key, sizeof key, "denied.%lld", job->request.id);
    if (begin(job->store, message, message_size) != 0) {
        free(note);
        return -1;
    }
    int status =
        halyard_approvals_decide(job->store, job->request.id, "denied", item->author_agent_id,
                                 item->action_id, message, message_size);
    bool moved = false;
    if (status == 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "request %lld denied by %s in action %lld", job->request.id,
                 item->author, item->action_id);
        status =
            halyard_runs_transition_from(job->store, job->run.id, "awaiting_approval", "denied",
                                         "approval_denied", detail, &moved, message, message_size);
    }
    if (status == 0 && moved) {
        status = halyard_run_writes_add_note(job->store, job->json, &job->run, key, note, message,
                                             message_size);
        note = NULL;
    }
    free(note);
    if (status == 1 || (status == 0 && !moved)) {
        return rollback_unchanged(job->store);
    }
    return commit(job->store, status, message, message_size);
}

/* The assigned technician approved: the ticket is planned again, and the execute job runs the
 * approved steps when the new plan's hash is the one the request showed. */
static int replan_approved(replies_job *job, const reply_answer *item, char *message,
                           size_t message_size)
{
    if (begin(job->store, message, message_size) != 0) {
        return -1;
    }
    int status =
        halyard_approvals_decide(job->store, job->request.id, "approved", item->author_agent_id,
                                 item->action_id, message, message_size);
    bool moved = false;
    if (status == 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "request %lld for plan %.8s approved by %s in action %lld",
                 job->request.id, job->request.plan_hash, item->author, item->action_id);
        status = halyard_runs_transition_from(job->store, job->run.id, "awaiting_approval",
                                              "planning", "approval_approved", detail, &moved,
                                              message, message_size);
    }
    if (status == 1 || (status == 0 && !moved)) {
        return rollback_unchanged(job->store);
    }
    if (status == 0) {
        status = halyard_pipeline_enqueue_sync(job->store, job->run.msp_id, job->run.ticket_id,
                                               message, message_size);
    }
    return commit(job->store, status, message, message_size);
}

/* Messages reached the agent: the ticket is planned again with them in its context. */
static int replan_with_messages(replies_job *job, char *message, size_t message_size)
{
    if (begin(job->store, message, message_size) != 0) {
        return -1;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%zu new message%s for the agent", job->messages,
             job->messages == 1 ? "" : "s");
    bool moved = false;
    int status =
        halyard_runs_transition_from(job->store, job->run.id, "awaiting_approval", "planning",
                                     "messages", detail, &moved, message, message_size);
    if (status == 0 && !moved) {
        return rollback_unchanged(job->store);
    }
    if (status == 0) {
        status = halyard_pipeline_enqueue_sync(job->store, job->run.msp_id, job->run.ticket_id,
                                               message, message_size);
    }
    return commit(job->store, status, message, message_size);
}

/* Acts on the replies once all were classified, and ends the task. */
static void finish_replies(replies_job *job)
{
    char message[REPLIES_MESSAGE_MAX];
    int status = 0;
    const char *msp = halyard_pipeline_task_msp(job->task);
    bool decided = job->decisive.action_id > 0;
    if (decided && strcmp(job->decision, "deny") == 0) {
        status = stop_denied(job, &job->decisive, message, sizeof message);
        if (status == 0) {
            halyard_log(HALYARD_LOG_INFO, "approvals",
                        "msp=%s ticket=%lld run=%lld request %lld denied in action %lld; run "
                        "stopped",
                        msp, job->run.ticket_id, job->run.id, job->request.id,
                        job->decisive.action_id);
        }
    } else if (decided && job->held_by_action_id > 0) {
        halyard_log(HALYARD_LOG_INFO, "approvals",
                    "msp=%s ticket=%lld run=%lld request %lld: the approval in action %lld is "
                    "held, because action %lld, read with it, came after it and did not confirm "
                    "it; the request waits for a new answer",
                    msp, job->run.ticket_id, job->run.id, job->request.id, job->decisive.action_id,
                    job->held_by_action_id);
        status = replan_with_messages(job, message, sizeof message);
    } else if (decided) {
        status = replan_approved(job, &job->decisive, message, sizeof message);
        if (status == 0) {
            halyard_log(HALYARD_LOG_INFO, "approvals",
                        "msp=%s ticket=%lld run=%lld request %lld approved in action %lld; "
                        "planning again to check the plan hash %.8s",
                        msp, job->run.ticket_id, job->run.id, job->request.id,
                        job->decisive.action_id, job->request.plan_hash);
        }
    } else if (job->messages > 0) {
        status = replan_with_messages(job, message, sizeof message);
    }
    if (status == 1) {
        halyard_log(HALYARD_LOG_INFO, "approvals",
                    "msp=%s ticket=%lld run=%lld request %lld: the run or its request changed "
                    "while the replies were read; they are recorded and change nothing",
                    msp, job->run.ticket_id, job->run.id, job->request.id);
        status = 0;
    }

    halyard_pipeline_task *task = job->task;
    free_replies(job);
    if (status != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_done(task);
}

static void classify_next(replies_job *job);

/* The maximum bytes of the failure's description that the note and the run event show. */
#define REPLIES_POLICY_ERROR_MAX 300

/* Writes into out what the approval policy's failure was, in words for the ticket's
 * technicians, and never the words of the error itself: a policy's message may quote the
 * reply, and a secret typed in it. host.classify_reply's own first lines ("the approval policy
 * raised an error (approval.lua:3)", "the approval policy returned an invalid verdict: ...")
 * are kept. Any other error, such as a limit that stopped the policy, gives its kind and the
 * file name and line of the first "name.lua:line" of its first line, without the folder, which
 * names a path on the server. */
static void describe_policy_failure(const char *error, char *out, size_t out_size)
{
    const char *text = error != NULL && error[0] != '\0' ? error : "no decision returned";
    if (strncmp(text, "error: ", strlen("error: ")) == 0) {
        text += strlen("error: "); /* how the Lua host hands on a message returned with nil */
    }
    size_t length = strcspn(text, "\n");
    const char *prefix = "the approval policy ";
    if (strncmp(text, prefix, strlen(prefix)) == 0) {
        snprintf(out, out_size, "%.*s", (int)length, text);

        /* A cut inside a UTF-8 character drops that character's bytes. */
        size_t kept = strlen(out);
        if (kept < length) {
            while (kept > 0 && ((unsigned char)out[kept - 1] & 0xC0) == 0x80) {
                kept--;
            }
            if (kept > 0 && (unsigned char)out[kept - 1] >= 0xC0) {
                kept--;
            }
            out[kept] = '\0';
        }
        return;
    }

    const char *what = "the approval policy raised an error";
    if (strncmp(text, "timeout:", strlen("timeout:")) == 0) {
        what = "the approval policy ran past its time or instruction limit";
    } else if (strncmp(text, "out of memory", strlen("out of memory")) == 0) {
        what = "the approval policy ran past its memory limit";
    } else if (strcmp(text, "no decision returned") == 0) {
        what = "the approval policy returned no decision";
    }

    char where[128] = "";
    const char *found = strstr(text, ".lua:");
    if (found != NULL && (size_t)(found - text) < length) {
        const char *start = found;
        while (start > text && (isalnum((unsigned char)start[-1]) || start[-1] == '_' ||
                                start[-1] == '-' || start[-1] == '.')) {
            start--;
        }
        const char *end = found + strlen(".lua:");
        while (isdigit((unsigned char)*end)) {
            end++;
        }
        if (end > found + strlen(".lua:") && (size_t)(end - start) + 4 < sizeof where) {
            snprintf(where, sizeof where, " (%.*s)", (int)(end - start), start);
        }
    }
    snprintf(out, out_size, "%s%s", what, where);
}

/* Tells the technician, in a hidden note and a run event, that the reply in item could not be
 * read because the MSP's approval policy failed with error. Both name what failed and where
 * (describe_policy_failure); the error's own words stay in the log. The note is written once
 * for each version of the MSP's scripts that fails (approvals_policy_notes.h), so a policy
 * that fails on every reply writes one note per run, and an edit that still fails writes
 * another. Returns 0, or -1 with a message. */
static int note_policy_failed(replies_job *job, const reply_item *item, const char *error,
                              char *message, size_t message_size)
{
    char first_line[REPLIES_POLICY_ERROR_MAX + 1];
    describe_policy_failure(error, first_line, sizeof first_line);

    /* The task ran the policy, so it holds the version of the scripts that failed. */
    char scripts_id[64];
    long long scripts_number =
        halyard_pipeline_task_scripts_version(job->task, scripts_id, sizeof scripts_id);
    char key[64];
    halyard_approvals_policy_note_key("classify", scripts_id, key, sizeof key);

    halyard_text_buffer note;
    halyard_text_buffer_init(&note, 16 * 1024);
    halyard_text_buffer_printf(&note,
                               "<p><strong>halyard could not read a reply to its approval "
                               "request</strong></p><p>The reply in action %lld by ",
                               item->action_id);
    halyard_note_append_text(&note, item->author, 0);
    halyard_text_buffer_printf(&note,
                               " was not read as approve or deny, because the MSP's approval "
                               "policy (policies/approval.lua) failed in version %lld of the "
                               "MSP's scripts: <code>",
                               scripts_number);
    halyard_note_append_text(&note, first_line, 0);
    halyard_text_buffer_printf(
        &note,
        "</code></p><p>Nothing runs until an answer is read, and the request expires as "
        "usual. The MSP should fix the policy (<code>halyard workflows lint</code> shows the "
        "error); then the assigned technician answers again with <b>approve</b> or "
        "<b>deny</b> in an internal note.</p><p>Run %lld.</p>",
        job->run.id);
    char *note_html = halyard_text_buffer_take(&note); /* NULL when out of memory */
    halyard_text_buffer_free(&note);
    char detail[REPLIES_POLICY_ERROR_MAX + 160];
    snprintf(detail, sizeof detail,
             "the approval policy failed in version %lld of the MSP's scripts on the reply in "
             "action %lld, so it was not read as an answer: %s",
             scripts_number, item->action_id, first_line);

    int added = halyard_approvals_policy_note_add(job->store, job->json, &job->run, key, note_html,
                                                  detail, message, message_size);
    return added < 0 ? -1 : 0;
}

/* Records the policy's decision on the current reply and classifies the next one. */
static void on_classified(halyard_lua_result result, char **results, int result_count,
                          const char *error, void *argument)
{
    replies_job *job = argument;
    if (result == HALYARD_LUA_CANCELLED) {
        free_replies(job); /* the task is being released; its job runs again at the next start */
        return;
    }
    halyard_pipeline_task_set_lua_run(job->task, NULL);
    reply_item *item = &job->items[job->index];
    char message[REPLIES_MESSAGE_MAX];

    /* A policy that fails decides nothing: the reply is neutral, and the failure logged. */
    char *decision = NULL;
    char *reason = NULL;
    const char *output = result == HALYARD_LUA_OK && result_count > 0 ? results[0] : NULL;
    if (output != NULL) {
        halyard_json_read_text(job->json, output, strlen(output), "$.decision", &decision);
        halyard_json_read_text(job->json, output, strlen(output), "$.reason", &reason);
    }
    const char *msp = halyard_pipeline_task_msp(job->task);
    if (decision == NULL) {
        halyard_log(HALYARD_LOG_ERROR, "approvals",
                    "msp=%s ticket=%lld run=%lld action %lld: the approval policy failed, reply "
                    "taken as neutral: %s",
                    msp, job->run.ticket_id, job->run.id, item->action_id,
                    error != NULL ? error : "no decision");
        if (note_policy_failed(job, item, error, message, sizeof message) != 0) {
            free(reason);
            halyard_pipeline_task *task = job->task;
            free_replies(job);
            halyard_pipeline_task_failed(task, message);
            return;
        }
    }
    const char *decided = decision != NULL ? decision : "neutral";
    const char *policy_reason = reason != NULL ? reason : "policy_failed";

    /* Only the assigned technician's internal note answers. A reply the end user sees is
     * written to them ("Sure thing." to their question), so its yes or no is not the
     * technician's decision on the plan. After a reassignment, only an answer written after
     * halyard's note that readdressed the request counts: one written before it may come from
     * a technician who approved first and assigned the ticket to himself after. */
    bool assignee = job->assigned_agent_id > 0 && item->author_agent_id == job->assigned_agent_id;
    bool before_readdress = item->action_id < job->readdressed_action_id;
    bool counted = assignee && item->hidden && !before_readdress;
    bool visible = !item->hidden && strcmp(decided, "neutral") != 0;
    const char *ignored = "ignored: not the assigned technician";
    if (visible) {
        ignored = "ignored: not an answer: visible to the requester";
    } else if (assignee && before_readdress) {
        ignored = "ignored: written before the request was readdressed to its writer";
    }
    halyard_approval_reply reply = {
        .run_id = job->run.id,
        .action_id = item->action_id,
        .request_id = job->request.id,
        .author_agent_id = item->author_agent_id,
        .author = item->author,
        .assigned_agent_id = job->assigned_agent_id,
        .decision = decided,
        .counted = counted,
        .reason = visible ? "not an answer: visible to the requester" : policy_reason,
        /* NOTE: the reply is stored whole, so a password or a code that an end user types
         * in a reply after the approval request stays in run_replies.text. */
        .text = item->text,
    };
    int recorded = halyard_approvals_record_reply(job->store, &reply, message, sizeof message);
    halyard_log(HALYARD_LOG_INFO, "approvals",
                "msp=%s ticket=%lld run=%lld action %lld by %s (assigned agent %lld): %s (%s), "
                "%s",
                msp, job->run.ticket_id, job->run.id, item->action_id, item->author,
                job->assigned_agent_id, decided, policy_reason,
                strcmp(decided, "neutral") == 0 ? "a message for the agent"
                : counted                       ? "counts"
                                                : ignored);
    if (strcmp(decided, "neutral") == 0) {
        job->messages++;

        /* "Approved." then "Hold on." read together: the later answer may take the approval
         * back, so the approval runs nothing and the technician is asked again. */
        if (counted && job->decisive.action_id > 0 && strcmp(job->decision, "approve") == 0) {
            job->held_by_action_id = item->action_id;
        }
    } else if (counted && (job->decisive.action_id <= 0 || strcmp(job->decision, "deny") != 0)) {
        /* Among the answers read together, a deny wins whatever its order: answers that
         * arrive within one read must not run steps the assigned technician refused. */
        job->decisive.action_id = item->action_id;
        job->decisive.author_agent_id = item->author_agent_id;
        snprintf(job->decisive.author, sizeof job->decisive.author, "%s", item->author);
        job->held_by_action_id = 0;
        snprintf(job->decision, sizeof job->decision, "%s", decided);
    }
    free(decision);
    free(reason);
    if (recorded < 0) {
        halyard_pipeline_task *task = job->task;
        free_replies(job);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    job->index++;
    classify_next(job);
}

/* Writes into *options the approval policy's options JSON for item (caller frees). plan_id is
 * the plan id the request note shows, so a reply that names another plan ("Approved plan
 * 38a21b13" for an earlier request) approves nothing. Only the assigned technician's answer
 * counts, so only her name is passed as writer_name: the policy then reads a label, "by" or
 * signature with her name as her own answer, and another name still as a relayed one.
 * Returns 0, or -1 when out of memory. */
static int classify_options(const replies_job *job, const reply_item *item, char **options)
{
    *options = NULL;
    char plan_id[9];
    snprintf(plan_id, sizeof plan_id, "%.8s", job->request.plan_hash);
    char *quoted_plan = NULL;
    if (halyard_json_quote(job->json, plan_id, &quoted_plan) != 0) {
        return -1;
    }

    bool assignee = job->assigned_agent_id > 0 && item->author_agent_id == job->assigned_agent_id;
    char *quoted_writer = NULL;
    if (assignee && item->writer_name != NULL && item->writer_name[0] != '\0' &&
        halyard_json_quote(job->json, item->writer_name, &quoted_writer) != 0) {
        free(quoted_plan);
        return -1;
    }

    size_t size = strlen(quoted_plan) + sizeof "{\"plan_id\": , \"writer_name\": }" +
                  (quoted_writer != NULL ? strlen(quoted_writer) : 0);
    *options = malloc(size);
    if (*options != NULL && quoted_writer != NULL) {
        snprintf(*options, size, "{\"plan_id\": %s, \"writer_name\": %s}", quoted_plan,
                 quoted_writer);
    } else if (*options != NULL) {
        snprintf(*options, size, "{\"plan_id\": %s}", quoted_plan);
    }
    free(quoted_plan);
    free(quoted_writer);
    return *options != NULL ? 0 : -1;
}

/* Classifies the current batch's next reply. After a batch's last reply it collects the next
 * batch, and after the read's last reply it acts on the decision (finish_replies). Ends the
 * task on failure. */
static void classify_next(replies_job *job)
{
    char message[REPLIES_MESSAGE_MAX];
    if (job->index >= job->count && job->actions_next < job->actions_count) {
        free_batch(job);
        if (collect_new_actions(job, job->actions, message, sizeof message) != 0) {
            halyard_pipeline_task *task = job->task;
            free_replies(job);
            halyard_pipeline_task_failed(task, message);
            return;
        }
    }
    if (job->index >= job->count) {
        finish_replies(job);
        return;
    }
    halyard_lua_host *host = halyard_pipeline_task_scripts(job->task, message, sizeof message);
    halyard_lua_run *run = NULL;
    char label[32];
    snprintf(label, sizeof label, "%lld", job->run.id);
    char *options = NULL;
    if (classify_options(job, &job->items[job->index], &options) != 0) {
        halyard_pipeline_task *task = job->task;
        free_replies(job);
        halyard_pipeline_task_failed(task, "out of memory building the approval policy's options");
        return;
    }
    const char *arguments[] = {job->items[job->index].html, options};
    halyard_lua_call_inputs inputs = {
        .entry = "classify_reply",
        .arguments = arguments,
        .argument_count = 2,
        .result_count = 1,
        .label = label,
    };
    if (host != NULL) {
        halyard_pipeline_task_call_inputs(job->task, &inputs);
    }
    int started = host != NULL ? halyard_lua_host_call_start(host, &inputs, on_classified, job,
                                                             &run, message, sizeof message)
                               : -1;
    free(options); /* the start pushed it onto the run's Lua stack as a copy */
    if (started != 0) {
        halyard_pipeline_task *task = job->task;
        free_replies(job);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_pipeline_task_set_lua_run(job->task, run);
}

/* Writes who a request is addressed to, for a log line: "technician N", or "nobody (the ticket
 * is unassigned)" for agent id 0. */
static void describe_addressee(long long agent_id, char *text, size_t size)
{
    if (agent_id > 0) {
        snprintf(text, size, "technician %lld", agent_id);
    } else {
        snprintf(text, size, "nobody (the ticket is unassigned)");
    }
}

/* Readdresses the pending request to the ticket's assignee with a note, once per
 * reassignment. The note tells the new assignee that the request is theirs to answer, or asks
 * for an assignment when the ticket became unassigned. The note and the request's new addressee
 * commit together, so a duplicate delivery or a restart finds the request addressed already
 * and writes nothing. A request whose addressee is not known (opened before halyard stored it)
 * takes the current assignee without a note. Returns 0, or -1 with a message. */
static int readdress_request(halyard_pipeline_task *task, const halyard_run *run,
                             halyard_approval_request *request, long long assigned,
                             const char *ticket_json, char *message, size_t message_size)
{
    long long addressee = assigned > 0 ? assigned : 0;
    if (request->addressed_agent_id == addressee) {
        return 0;
    }
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    if (begin(store, message, message_size) != 0) {
        return -1;
    }
    long long change = 0;
    int changed = halyard_approvals_readdress(store, request->id, request->addressed_agent_id,
                                              addressee, &change, message, message_size);
    int status = changed < 0 ? -1 : 0;
    bool noted = changed == 0 && request->addressed_agent_id >= 0;
    if (noted) {
        char *name = NULL;
        char fallback[48];
        snprintf(fallback, sizeof fallback, "technician %lld", addressee);
        if (addressee > 0) {
            halyard_json_read_text(json, ticket_json, strlen(ticket_json), "$.agent_name", &name);
        }
        const char *assignee = NULL;
        if (addressee > 0) {
            assignee = name != NULL && name[0] != '\0' ? name : fallback;
        }
        char *note = halyard_execute_note_readdressed(run->id, request->plan_hash, assignee);
        free(name);
        char key[64];
        snprintf(key, sizeof key, "readdressed.%lld.%lld", request->id, change);
        status = halyard_run_writes_add_note(store, json, run, key, note, message, message_size);
    }
    if (noted && status == 0) {
        char detail[128];
        if (addressee > 0) {
            snprintf(detail, sizeof detail,
                     "request %lld now addressed to technician %lld (reassignment %lld)",
                     request->id, addressee, change);
        } else {
            snprintf(detail, sizeof detail,
                     "request %lld has no addressee: the ticket is unassigned (reassignment %lld)",
                     request->id, change);
        }
        status = halyard_runs_transition(store, run->id, "awaiting_approval",
                                         "approval_readdressed", detail, message, message_size);
    }
    if (commit(store, status, message, message_size) != 0) {
        return -1;
    }
    if (noted) {
        char from[64];
        char to[64];
        describe_addressee(request->addressed_agent_id, from, sizeof from);
        describe_addressee(addressee, to, sizeof to);
        halyard_log(HALYARD_LOG_INFO, "approvals",
                    "msp=%s ticket=%lld run=%lld request %lld readdressed from %s to %s; note "
                    "queued",
                    halyard_pipeline_task_msp(task), run->ticket_id, run->id, request->id, from,
                    to);
    }
    if (changed == 0) {
        request->addressed_agent_id = addressee;
        request->addressed_changes = change;
    }
    return 0;
}

/* Reads the action id HaloPSA gave halyard's note for the request's latest readdress, into
 * *action_id. Sets 0 when the request was never readdressed, or when its latest readdress
 * wrote no note (a request opened before halyard stored its addressee). Returns 0, 1 when the
 * note's write is not confirmed yet, or -1 with a message. */
static int readdress_note_action(halyard_store *store, long long run_id,
                                 const halyard_approval_request *request, long long *action_id,
                                 char *message, size_t message_size)
{
    *action_id = 0;
    if (request->addressed_changes <= 0) {
        return 0;
    }
    char key[64];
    snprintf(key, sizeof key, "readdressed.%lld.%lld", request->id, request->addressed_changes);
    halyard_run_write write;
    int found = halyard_run_writes_get(store, run_id, key, &write, message, message_size);
    if (found < 0) {
        return -1;
    }
    if (found == 1) {
        return 0;
    }
    if (strcmp(write.state, "done") != 0 || write.action_id <= 0) {
        return 1;
    }
    *action_id = write.action_id;
    return 0;
}

/* Resumes a run that waited for an assignment: the execute job requests approval from the
 * technician assigned now. The run moves only while it still waits, so a run cancelled or
 * stopped since the sync read it stays stopped. Returns 0, or -1 with a message. */
static int resume_assigned(halyard_pipeline_task *task, const halyard_run *run, long long assigned,
                           char *message, size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(task);
    char detail[64];
    snprintf(detail, sizeof detail, "technician %lld assigned", assigned);
    if (begin(store, message, message_size) != 0) {
        return -1;
    }
    bool moved = false;
    int status = halyard_runs_transition_from(store, run->id, "awaiting_approval", "executing",
                                              "assigned", detail, &moved, message, message_size);
    if (status == 0 && !moved) {
        rollback_unchanged(store);
        return 0;
    }
    if (status == 0) {
        /* The execute job's key and payload, as execute.c queues it, so it is queued once. */
        char key[64];
        char payload[64];
        snprintf(key, sizeof key, "execute:%lld", run->id);
        snprintf(payload, sizeof payload, "{\"run_id\":%lld}", run->id);
        status = halyard_jobs_enqueue(store, run->msp_id, "execute", key, payload, 0, message,
                                      message_size);
    }
    if (commit(store, status, message, message_size) != 0) {
        return -1;
    }
    halyard_log(HALYARD_LOG_INFO, "approvals", "msp=%s ticket=%lld run=%lld %s",
                halyard_pipeline_task_msp(task), run->ticket_id, run->id, detail);
    return 0;
}

/* Reads the action id HaloPSA gave the note of request_id. Returns 0, 1 when the note's write
 * is not confirmed (not sent yet, sent without an answer, or failed), or -1 with a message. */
static int request_note_action(halyard_store *store, long long run_id, long long request_id,
                               long long *action_id, char *message, size_t message_size)
{
    char key[48];
    snprintf(key, sizeof key, "request.%lld", request_id);
    halyard_run_write write;
    int found = halyard_run_writes_get(store, run_id, key, &write, message, message_size);
    if (found != 0) {
        return found;
    }
    if (strcmp(write.state, "done") != 0 || write.action_id <= 0) {
        return 1;
    }
    *action_id = write.action_id;
    return 0;
}

/* Stops a waiting run whose ticket was closed, with a note. Returns 0, or -1 with a message. */
static int stop_closed(halyard_pipeline_task *task, const halyard_run *run, long long status_id,
                       char *message, size_t message_size)
{
    char detail[96];
    snprintf(detail, sizeof detail, "the ticket was closed (status %lld) while the run waited",
             status_id);
    halyard_run_stop stop = {
        .kind = "ticket_closed",
        .detail = detail,
        .title = "halyard stopped: the ticket was closed",
        .text = "This ticket was closed while the run waited for an approval or an assignment, "
                "so any approval request above is withdrawn: an answer to it runs nothing, and "
                "halyard changes nothing more on this ticket for this run. Reopening the ticket "
                "starts a new run.",
    };
    int stopped = halyard_approvals_stop_run(halyard_pipeline_task_store(task),
                                             halyard_pipeline_task_json(task), run,
                                             "awaiting_approval", &stop, message, message_size);
    if (stopped == 0) {
        halyard_log(HALYARD_LOG_INFO, "approvals",
                    "msp=%s ticket=%lld run=%lld stopped: %s; its request is withdrawn",
                    halyard_pipeline_task_msp(task), run->ticket_id, run->id, detail);
    }
    return stopped < 0 ? -1 : 0;
}

int halyard_approvals_on_sync(halyard_pipeline_task *task, const halyard_run *run,
                              const char *ticket_json, const char *actions_json, char *message,
                              size_t message_size)
{
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    long long assigned = 0;
    halyard_json_read_integer(json, ticket_json, strlen(ticket_json), "$.agent_id", &assigned);

    /* A closed ticket needs nothing more: the run stops, and a later approval runs nothing. */
    long long status_id = 0;
    halyard_json_read_integer(json, ticket_json, strlen(ticket_json), "$.status_id", &status_id);
    if (halyard_approvals_status_closed(halyard_pipeline_task_config(task), status_id)) {
        /* An auto step before the request may have closed the ticket itself. */
        int own = halyard_approvals_status_set_by_run(store, run->id, status_id, false, message,
                                                      message_size);
        if (own < 0) {
            return -1;
        }
        if (own == 0) {
            return stop_closed(task, run, status_id, message, message_size);
        }
    }

    halyard_approval_request request;
    int found = halyard_approvals_latest(store, run->id, &request, message, message_size);
    if (found < 0) {
        return -1;
    }

    /* Without a pending request the run waits for an assignment. Once the ticket has one, the
     * execute job requests approval. */
    if (found == 1 || strcmp(request.state, "pending") != 0) {
        halyard_approval_request_clear(&request);
        if (assigned <= 0) {
            return 0;
        }
        return resume_assigned(task, run, assigned, message, message_size);
    }

    if (readdress_request(task, run, &request, assigned, ticket_json, message, message_size) != 0) {
        halyard_approval_request_clear(&request);
        return -1;
    }

    /* No reply answers a request that is not in HaloPSA yet: the technician cannot have seen
     * it, and the request note's action id is what tells replies from earlier actions. */
    long long request_action_id = 0;
    int posted =
        request_note_action(store, run->id, request.id, &request_action_id, message, message_size);
    if (posted != 0) {
        if (posted == 1) {
            halyard_log(HALYARD_LOG_DEBUG, "approvals",
                        "msp=%s ticket=%lld run=%lld request %lld is not confirmed in HaloPSA "
                        "yet; its replies are read once it is",
                        halyard_pipeline_task_msp(task), run->ticket_id, run->id, request.id);
        }
        halyard_approval_request_clear(&request);
        return posted < 0 ? -1 : 0;
    }

    /* After a reassignment, answers count only after the note that readdressed the request,
     * so none is read until that note is in HaloPSA and its action id is known. */
    long long readdressed_action_id = 0;
    posted = readdress_note_action(store, run->id, &request, &readdressed_action_id, message,
                                   message_size);
    if (posted != 0) {
        if (posted == 1) {
            halyard_log(HALYARD_LOG_DEBUG, "approvals",
                        "msp=%s ticket=%lld run=%lld the note readdressing request %lld is not "
                        "confirmed in HaloPSA yet; its replies are read once it is",
                        halyard_pipeline_task_msp(task), run->ticket_id, run->id, request.id);
        }
        halyard_approval_request_clear(&request);
        return posted < 0 ? -1 : 0;
    }

    replies_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        halyard_approval_request_clear(&request);
        snprintf(message, message_size, "out of memory reading replies");
        return -1;
    }
    job->request_action_id = request_action_id;
    job->readdressed_action_id = readdressed_action_id;
    job->task = task;
    job->store = store;
    job->json = json;
    job->run = *run;
    job->request = request;
    job->assigned_agent_id = assigned;
    size_t length = strlen(actions_json);
    job->actions_array =
        halyard_json_array_length(json, actions_json, length, "$") >= 0 ? "$" : "$.actions";
    job->actions_count = halyard_json_array_length(json, actions_json, length, job->actions_array);
    if (collect_new_actions(job, actions_json, message, message_size) != 0) {
        free_replies(job);
        return -1;
    }
    if (job->count == 0) {
        free_replies(job);
        return 0;
    }

    /* actions_json is HaloPSA's response body, freed once the sync's callback returns, so a
     * cut read keeps a copy to collect its next batches from. */
    if (job->actions_next < job->actions_count) {
        job->actions = strdup(actions_json);
        if (job->actions == NULL) {
            free_replies(job);
            snprintf(message, message_size, "out of memory reading replies");
            return -1;
        }
    }
    halyard_pipeline_task_set_state(task, job, free_replies_state);
    classify_next(job);
    return 1;
}

void halyard_approvals_expire_job(halyard_pipeline_task *task)
{
    char message[REPLIES_MESSAGE_MAX];
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    const halyard_job *claimed = halyard_pipeline_task_job(task);
    long long run_id = 0;
    long long request_id = 0;
    size_t length = strlen(claimed->payload);
    halyard_json_read_integer(json, claimed->payload, length, "$.run_id", &run_id);
    halyard_json_read_integer(json, claimed->payload, length, "$.request_id", &request_id);
    halyard_run run;
    if (halyard_runs_get(store, run_id, &run, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, "the expiry job names no run");
        return;
    }
    halyard_pipeline_task_set_run(task, run.id, run.ticket_id);

    /* Only the run's pending request expires; one decided or superseded meanwhile stays. */
    halyard_approval_request request;
    int found = halyard_approvals_latest(store, run.id, &request, message, sizeof message);
    if (found < 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    bool waiting = strcmp(run.state, "awaiting_approval") == 0 ||
                   strcmp(run.state, "planning") == 0 || strcmp(run.state, "executing") == 0;
    if (found == 1 || request.id != request_id || strcmp(request.state, "pending") != 0 ||
        !waiting) {
        halyard_approval_request_clear(&request);
        halyard_pipeline_task_done(task);
        return;
    }

    /* An answer may have been written just before the deadline and not read yet (its webhook
     * lost, the periodic check not due). The ticket is read first, and the request expires
     * only if it is still pending after that read. */
    long long replies_read = 0;
    halyard_json_read_integer(json, claimed->payload, length, "$.replies_read", &replies_read);
    if (replies_read == 0 && strcmp(run.state, "awaiting_approval") == 0) {
        char key[64];
        char payload[128];
        snprintf(key, sizeof key, "expire_approval_after_read:%lld", request.id);
        snprintf(payload, sizeof payload,
                 "{\"run_id\":%lld,\"request_id\":%lld,\"replies_read\":1}", run.id, request.id);
        halyard_approval_request_clear(&request);
        if (halyard_pipeline_enqueue_sync(store, run.msp_id, run.ticket_id, message,
                                          sizeof message) != 0 ||
            halyard_jobs_enqueue(store, run.msp_id, "expire_approval", key, payload,
                                 halyard_clock_now_ms() + APPROVALS_EXPIRY_READ_MS, message,
                                 sizeof message) != 0) {
            halyard_pipeline_task_failed(task, message);
            return;
        }
        halyard_pipeline_task_done(task);
        return;
    }

    /* A sync may have held a reply back until the update that brought it is screened
     * (verification.h). The screen queues the sync again, so a queued screen is a read on its
     * way as well. */
    if (replies_read != 0) {
        int reading = halyard_pipeline_sync_active(store, run.msp_id, run.ticket_id,
                                                   halyard_clock_now_ms(), message, sizeof message);
        if (reading == 0) {
            reading = halyard_verification_screen_queued(store, run.id, message, sizeof message);
        }
        if (reading != 0) {
            halyard_approval_request_clear(&request);
            if (reading < 0 ||
                halyard_jobs_enqueue(store, run.msp_id, "expire_approval", claimed->key,
                                     claimed->payload,
                                     halyard_clock_now_ms() + APPROVALS_EXPIRY_READ_MS, message,
                                     sizeof message) != 0) {
                halyard_pipeline_task_failed(task, message);
                return;
            }
            halyard_pipeline_task_done(task);
            return;
        }
    }

    char expires_at[32];
    time_t seconds = (time_t)(request.expires_at_ms / 1000);
    struct tm parts;
    gmtime_r(&seconds, &parts);
    strftime(expires_at, sizeof expires_at, "%Y-%m-%d %H:%M", &parts);
    char *note = halyard_execute_note_expired(json, run.id, request.plan_hash, expires_at);
    char key[48];
    snprintf(key, sizeof key, "expired.%lld", request.id);

    int status = begin(store, message, sizeof message);
    if (status == 0) {
        status =
            halyard_approvals_decide(store, request.id, "expired", 0, 0, message, sizeof message);
        if (status == 0) {
            status =
                halyard_run_writes_add_note(store, json, &run, key, note, message, sizeof message);
            note = NULL;
        }
        if (status == 0) {
            char detail[96];
            snprintf(detail, sizeof detail, "request %lld expired at %s UTC", request.id,
                     expires_at);
            status = halyard_runs_transition(store, run.id, "expired", "approval_expired", detail,
                                             message, sizeof message);
        }
        status = commit(store, status, message, sizeof message);
    }
    free(note);
    if (status != 0) {
        halyard_approval_request_clear(&request);
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "approvals",
                "msp=%s ticket=%lld run=%lld request %lld expired without a decision; run stopped",
                halyard_pipeline_task_msp(task), run.ticket_id, run.id, request.id);
    halyard_approval_request_clear(&request);
    halyard_pipeline_task_done(task);
}

int halyard_approvals_schedule_check(halyard_store *store, const halyard_config *config,
                                     long long msp_id, long long run_id, char *message,
                                     size_t message_size)
{
    char key[64];
    char payload[64];
    snprintf(key, sizeof key, "approval_check:%lld", run_id);
    snprintf(payload, sizeof payload, "{\"run_id\":%lld}", run_id);
    return halyard_jobs_enqueue(store, msp_id, "approval_check", key, payload,
                                halyard_clock_now_ms() + config->approval_check_seconds * 1000,
                                message, message_size);
}

void halyard_approvals_check_job(halyard_pipeline_task *task)
{
    const halyard_job *claimed = halyard_pipeline_task_job(task);
    halyard_store *store = halyard_pipeline_task_store(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    char message[REPLIES_MESSAGE_MAX];
    long long run_id = 0;
    halyard_json_read_integer(json, claimed->payload, strlen(claimed->payload), "$.run_id",
                              &run_id);

    halyard_run run;
    if (halyard_runs_get(store, run_id, &run, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, "the approval check names no run");
        return;
    }
    halyard_pipeline_task_set_run(task, run.id, run.ticket_id);
    if (strcmp(run.state, "awaiting_approval") != 0) {
        halyard_pipeline_task_done(task); /* answered, expired or stopped: no more checks */
        return;
    }
    if (halyard_pipeline_enqueue_sync(store, run.msp_id, run.ticket_id, message, sizeof message) !=
            0 ||
        halyard_approvals_schedule_check(store, halyard_pipeline_task_config(task), run.msp_id,
                                         run.id, message, sizeof message) != 0) {
        halyard_pipeline_task_failed(task, message);
        return;
    }
    halyard_log(HALYARD_LOG_DEBUG, "approvals",
                "msp=%s ticket=%lld run=%lld still awaits approval; reading its replies",
                halyard_pipeline_task_msp(task), run.ticket_id, run.id);
    halyard_pipeline_task_done(task);
}
