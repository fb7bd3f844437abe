#include "verification.h"

#include "clock.h"
#include "jobs.h"
#include "json_reader.h"
#include "log.h"
#include "pipeline_tickets.h"
#include "run_writes.h"
#include "text_buffer.h"
#include "verification_coverage.h"
#include "verification_note.h"
#include "verification_policy_note.h"
#include "verification_record.h"
#include "verification_requester.h"
#include "verification_rescreen.h"
#include "verification_unconnected.h"
#include "verification_store.h"
#include "verification_version.h"
#include "verification_workflow.h"

#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often a polling provider is asked for a pending challenge, in ms of the business clock. */
/* Polls that fail in a row before the verification ends with an error outcome. */
#define VERIFY_POLL_ERRORS_MAX  3
#define VERIFY_POLL_INTERVAL_MS 2000
/* Attempts of the deadline job to call the provider's poll before the check expires without
 * it. The job's retries come about 1, 2 and 4 s apart (jobs.c backoff). */
#define VERIFY_DEADLINE_CALL_ATTEMPTS 4
/* Attempts of the screen job at a dispatch that sends nothing because a read failed (the
 * requester's user record, say) before the check ends with the error outcome. The job's retries
 * come about 1, 2, 4, 8 and 16 s apart (jobs.c backoff). */
#define VERIFY_DISPATCH_ATTEMPTS 6
/* How long a rescreen waits before it looks again at a run another job works on, in ms of the
 * business clock. */
#define VERIFY_RESCREEN_WAIT_MS 2000
#define VERIFY_MESSAGE_MAX      1024
/* How long after the deadline halyard still counts a pass it read when the provider gave no
 * time of the answer, in ms of the business clock. It covers the deadline job's retries (about
 * 7 s) and one poll request (the shipped provider scripts time out after 10 s). */
#define VERIFY_LATE_READ_GRACE_MS 30000

/* The work of one verification job, freed when the job ends. */
typedef struct {
    halyard_pipeline_task *task;
    halyard_run run;
    halyard_verification verification;
    halyard_verification_provider provider;
    bool rescreen;
    /* The reason code of a matched workflow or a plan step's tool that declared itself
     * sensitive, or "". The screening then treats the ticket as sensitive with it
     * (verification_workflow.h). */
    char workflow_reason[HALYARD_WORKFLOW_REASON_SIZE];
    bool sensitive_by_workflow; /* the screening found the run sensitive by workflow_reason */
    bool workflow_from_plan;    /* workflow_reason is from a plan (the job's payload) */
    /* The workflow or tool that declared workflow_reason, in words ("the workflow 'NAME'" or
     * "the tool NAME"), or "" when a job queued before halyard stored it does not name it. */
    char workflow_source[192];
    /* The screen job ends a challenge that was never recorded once it has read the ticket,
     * whose user the error note names. */
    bool ending_unrecorded;
    /* The screen job sends the challenge again after a dispatch that sent nothing and asked to
     * be tried again (halyard_verification_dispatch_retry_due). */
    bool redispatching;
    char *ticket_json;
    char *actions_json;
    char *screening_json;
    /* The verdict with a sender line that is not a plain name replaced (keep_plain_sender). */
    char *kept_verdict;
    /* Another end user's actions on a verified run's ticket, screened alone before the ticket
     * (on_other_writers_screened). */
    halyard_verification_other_writers other_writers;
    char reason[64];
    /* The kinds of request the challenge is for, reason codes joined by commas: the reasons
     * of the screening, or only those a passed check did not cover. */
    char reasons[256];
    long long timeout_s;
    char team[128];
} verify_work;

static halyard_store *work_store(const verify_work *work)
{
    return halyard_pipeline_task_store(work->task);
}

static halyard_json_reader *work_json(const verify_work *work)
{
    return halyard_pipeline_task_json(work->task);
}

static void work_free(verify_work *work)
{
    halyard_verification_provider_clear(&work->provider);
    free(work->ticket_json);
    free(work->actions_json);
    free(work->screening_json);
    free(work->kept_verdict);
    halyard_verification_other_writers_clear(&work->other_writers);
    free(work);
}

/* Frees the state of a task released while it waited on HaloPSA (pipeline_task.h). */
static void work_free_state(void *state)
{
    work_free(state);
}

static void work_done(verify_work *work)
{
    halyard_pipeline_task *task = work->task;
    work_free(work);
    halyard_pipeline_task_done(task);
}

static void work_failed(verify_work *work, const char *error)
{
    halyard_pipeline_task *task = work->task;
    work_free(work);
    halyard_pipeline_task_failed(task, error);
}

/* Ends the work after HaloPSA returned 404 for the run's ticket or its actions. The ticket was
 * deleted, so the run stops as after a 404 to one of its writes, instead of waiting in its
 * state for a ticket that cannot change again. */
static void work_stop_deleted(verify_work *work)
{
    char message[VERIFY_MESSAGE_MAX];
    if (halyard_pipeline_tickets_stop_run_deleted(work->task, work->run.id, message,
                                                  sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    work_done(work);
}

/* Makes the work of a job whose payload names key ("run_id" or "verification_id"), with the
 * run it belongs to (and its verification). Ends the task and returns NULL when the payload
 * is invalid or the run is gone. */
static verify_work *work_start(halyard_pipeline_task *task, const char *key)
{
    char message[VERIFY_MESSAGE_MAX];
    const halyard_job *job = halyard_pipeline_task_job(task);
    halyard_json_reader *json = halyard_pipeline_task_json(task);
    halyard_store *store = halyard_pipeline_task_store(task);
    verify_work *work = calloc(1, sizeof *work);
    if (work == NULL) {
        halyard_pipeline_task_failed(task, "out of memory");
        return NULL;
    }
    work->task = task;
    halyard_pipeline_task_set_state(task, work, work_free_state);

    char path[32];
    long long id = 0;
    snprintf(path, sizeof path, "$.%s", key);
    if (halyard_json_read_integer(json, job->payload, strlen(job->payload), path, &id) !=
            HALYARD_JSON_FOUND ||
        id <= 0) {
        snprintf(message, sizeof message, "the %s job has no %s", job->kind, key);
        work_failed(work, message);
        return NULL;
    }
    long long rescreen = 0;
    halyard_json_read_integer(json, job->payload, strlen(job->payload), "$.rescreen", &rescreen);
    work->rescreen = rescreen != 0;
    char *workflow_reason = NULL;
    if (halyard_json_read_text(json, job->payload, strlen(job->payload), "$.workflow_reason",
                               &workflow_reason) == HALYARD_JSON_FOUND &&
        halyard_verification_workflow_reason_valid(workflow_reason)) {
        snprintf(work->workflow_reason, sizeof work->workflow_reason, "%s", workflow_reason);
        work->workflow_from_plan = true;
    }
    free(workflow_reason);
    char *workflow_source = NULL;
    if (work->workflow_reason[0] != '\0' &&
        halyard_json_read_text(json, job->payload, strlen(job->payload), "$.workflow_source",
                               &workflow_source) == HALYARD_JSON_FOUND) {
        snprintf(work->workflow_source, sizeof work->workflow_source, "%s", workflow_source);
    }
    free(workflow_source);

    long long run_id = id;
    if (strcmp(key, "verification_id") == 0) {
        int found =
            halyard_verification_get(store, id, 0, &work->verification, message, sizeof message);
        if (found != 0) {
            found < 0 ? work_failed(work, message) : work_done(work);
            return NULL;
        }
        run_id = work->verification.run_id;
    }
    int found = halyard_runs_get(store, run_id, &work->run, message, sizeof message);
    if (found != 0) {
        found < 0 ? work_failed(work, message) : work_done(work);
        return NULL;
    }
    halyard_pipeline_task_set_run(task, work->run.id, work->run.ticket_id);
    halyard_config_verification_for(halyard_pipeline_task_config(task),
                                    halyard_pipeline_task_msp(task), &work->timeout_s, work->team,
                                    sizeof work->team);
    return work;
}

/* Loads the MSP's provider into work->provider. Returns 0, 1 when none is connected, or -1
 * with a message. */
static int load_provider(verify_work *work, char *message, size_t message_size)
{
    return halyard_verification_provider_load(
        work_store(work), halyard_pipeline_task_secret_key(work->task), work->run.msp_id,
        halyard_pipeline_task_msp(work->task), &work->provider, message, message_size);
}

/* Writes the provider's settings for its Lua functions: url, api_key, channel and the
 * callback URL. Returns malloc'd JSON the caller wipes and frees, or NULL. */
static char *provider_settings(verify_work *work)
{
    halyard_json_reader *json = work_json(work);
    const char *values[4] = {work->provider.url,
                             work->provider.api_key != NULL ? work->provider.api_key : "",
                             work->provider.channel, work->provider.callback_url};
    static const char *const names[4] = {"url", "api_key", "channel", "callback_url"};
    halyard_text_buffer buffer;
    halyard_text_buffer_init(&buffer, 64 * 1024);
    for (size_t i = 0; i < 4; i++) {
        char *quoted = NULL;
        if (values[i][0] == '\0' && i == 2) {
            continue;
        }
        if (halyard_json_quote(json, values[i], &quoted) != 0) {
            halyard_text_buffer_take(&buffer);
            return NULL;
        }
        halyard_text_buffer_printf(&buffer, "%s\"%s\":%s", i == 0 ? "{" : ",", names[i], quoted);
        sodium_memzero(quoted, strlen(quoted));
        free(quoted);
    }
    halyard_text_buffer_printf(&buffer, "}");
    return halyard_text_buffer_take(&buffer);
}

/* Reads a text field of JSON into target ("" when missing). */
static void read_field(verify_work *work, const char *document, const char *path, char *target,
                       size_t size)
{
    char *text = NULL;
    target[0] = '\0';
    if (halyard_json_read_text(work_json(work), document, strlen(document), path, &text) ==
        HALYARD_JSON_FOUND) {
        snprintf(target, size, "%s", text);
    }
    free(text);
}

/* True when the JSON value at path is true. */
static bool read_true(verify_work *work, const char *document, const char *path)
{
    char *value = NULL;
    bool result = halyard_json_read_json(work_json(work), document, strlen(document), path,
                                         &value) == HALYARD_JSON_FOUND &&
                  strcmp(value, "true") == 0;
    free(value);
    return result;
}

/* Writes the policy's risk from verdict into text: "risk high, score 65: phone_request +10,
 * after_hours +10", or "" when the verdict has no risk level. Signal codes only, never their
 * details, which may quote the ticket. At most the first 8 signals are named. */
static void describe_risk(verify_work *work, const char *verdict, char *text, size_t size)
{
    char level[16];
    text[0] = '\0';
    read_field(work, verdict, "$.risk.level", level, sizeof level);
    if (level[0] == '\0') {
        return;
    }
    long long score = 0;
    halyard_json_read_integer(work_json(work), verdict, strlen(verdict), "$.risk.score", &score);
    size_t used = (size_t)snprintf(text, size, "risk %s, score %lld", level, score);
    for (int i = 0; i < 8 && used < size; i++) {
        char path[48];
        char code[40];
        long long points = 0;
        snprintf(path, sizeof path, "$.risk.signals[%d].code", i);
        read_field(work, verdict, path, code, sizeof code);
        if (code[0] == '\0') {
            break;
        }
        snprintf(path, sizeof path, "$.risk.signals[%d].points", i);
        halyard_json_read_integer(work_json(work), verdict, strlen(verdict), path, &points);
        used += (size_t)snprintf(text + used, size - used, "%s%s +%lld", i == 0 ? ": " : ", ", code,
                                 points);
    }
}

/* Replaces every copy of secret in text (a NUL-terminated string in size bytes) with
 * "[secret removed]", whatever the secret's length; NULL or "" cuts nothing. Connecting rejects
 * secrets shorter than HALYARD_VERIFY_SECRET_MIN_CHARS, so a cut hardly ever hits ordinary
 * text. A shorter key stored before that check is cut all the same, because a garbled detail
 * is better than a secret in a log or note. */
static void cut_secret(char *text, size_t size, const char *secret)
{
    static const char replacement[] = "[secret removed]";
    if (secret == NULL || secret[0] == '\0') {
        return;
    }
    size_t secret_length = strlen(secret);
    char result[VERIFY_MESSAGE_MAX];
    size_t used = 0;
    const char *rest = text;
    const char *found = NULL;
    while ((found = strstr(rest, secret)) != NULL) {
        used += (size_t)snprintf(result + used, used < sizeof result ? sizeof result - used : 0,
                                 "%.*s%s", (int)(found - rest), rest, replacement);
        rest = found + secret_length;
        if (used >= sizeof result) {
            break;
        }
    }
    if (rest == text) {
        return;
    }
    if (used < sizeof result) {
        snprintf(result + used, sizeof result - used, "%s", rest);
    }
    /* A detail longer than size after the cut is shortened, as it would be when stored. */
    size_t length = strnlen(result, sizeof result - 1);
    if (length >= size) {
        length = size - 1;
    }
    memcpy(text, result, length);
    text[length] = '\0';
}

/* Cuts the connected provider's secrets (its API key and callback secret) from a detail before
 * it is stored, logged or written into a note: a provider script may put them into an error
 * message. */
static void cut_secrets(const verify_work *work, char *detail, size_t size)
{
    cut_secret(detail, size, work->provider.api_key);
    cut_secret(detail, size, work->provider.callback_secret);
}

/* --- Lua calls ------------------------------------------------------------------------------ */

/* Writes what a challenge is sent for into text, naming what found each kind: "the sensitive
 * policy found password_reset", "the workflow 'NAME' handles sensitive requests (mfa_reset)",
 * or both joined by "and". The declared kind (work->workflow_reason) is named with its source
 * only when the challenge's kinds list it. */
static void describe_challenge_source(const verify_work *work, char *text, size_t size)
{
    const char *kinds = work->reasons[0] != '\0' ? work->reasons : work->reason;
    const char *declared = work->workflow_reason;

    /* Split the comma-joined kinds into the declared one and the policy's. */
    char listed[sizeof work->reasons];
    snprintf(listed, sizeof listed, "%s", kinds);
    char found[sizeof work->reasons] = "";
    size_t used = 0;
    bool lists_declared = false;
    char *position = NULL;
    for (char *kind = strtok_r(listed, ",", &position); kind != NULL;
         kind = strtok_r(NULL, ",", &position)) {
        if (declared[0] != '\0' && strcmp(kind, declared) == 0) {
            lists_declared = true;
        } else if (used < sizeof found) {
            used += (size_t)snprintf(found + used, sizeof found - used, "%s%s", used > 0 ? "," : "",
                                     kind);
        }
    }

    if (!lists_declared || work->workflow_source[0] == '\0') {
        snprintf(text, size, "%s %s",
                 work->sensitive_by_workflow
                     ? "a workflow or tool that handles sensitive requests applies:"
                     : "the sensitive policy found",
                 kinds);
        return;
    }
    if (found[0] == '\0') {
        snprintf(text, size, "%s handles sensitive requests (%s)", work->workflow_source, declared);
        return;
    }
    snprintf(text, size, "the sensitive policy found %s, and %s handles sensitive requests (%s)",
             found, work->workflow_source, declared);
}

/* Starts a host.lua entry as a coroutine for the task; callback receives its one result.
 * Only the dispatch of a challenge may send http requests other than GET. Returns 0, or -1
 * with a message. */
static int start_call(verify_work *work, const char *entry, const char *const *arguments,
                      int argument_count, halyard_lua_call_callback callback, char *message,
                      size_t message_size)
{
    halyard_lua_host *host = halyard_pipeline_task_scripts(work->task, message, message_size);
    if (host == NULL) {
        return -1;
    }
    char label[32];
    snprintf(label, sizeof label, "%lld", work->run.id);
    halyard_lua_call_inputs inputs = {
        .entry = entry,
        .arguments = arguments,
        .argument_count = argument_count,
        .result_count = 1,
        .label = label,
        .allow_writes = strcmp(entry, "verify_start") == 0,
    };
    halyard_pipeline_task_call_inputs(work->task, &inputs);
    halyard_lua_run *run = NULL;
    if (halyard_lua_host_call_start(host, &inputs, callback, work, &run, message, message_size) !=
        0) {
        return -1;
    }
    halyard_pipeline_task_set_lua_run(work->task, run);
    return 0;
}

/* Ends a Lua call: returns its result, or NULL after ending the work when the call failed or
 * was cancelled (a cancelled task is being released and is left as it is). */
static const char *call_result(verify_work *work, halyard_lua_result result, char **results,
                               const char *error)
{
    halyard_pipeline_task_set_lua_run(work->task, NULL);
    if (result == HALYARD_LUA_CANCELLED) {
        work_free(work);
        return NULL;
    }
    if (result != HALYARD_LUA_OK) {
        work_failed(work, error);
        return NULL;
    }
    return results[0];
}

/* Writes the detail of a provider's Lua call that did not finish (an error raised outside
 * the verifier's pcall, the instruction, time or memory limit) into detail, without secrets. */
static void failed_call_detail(const verify_work *work, const char *entry, const char *error,
                               char *detail, size_t size)
{
    snprintf(detail, size, "the provider script %s.lua did not finish %s: %s",
             work->provider.provider, entry, error != NULL ? error : "no message");
    cut_secrets(work, detail, size);
}

/* --- Outcomes ------------------------------------------------------------------------------- */

/* Maps a verification status to the run's verification column. */
static const char *run_verification_of(const char *status)
{
    return strcmp(status, "no_contact") == 0 ? "error" : status;
}

/* Queues an outbox write of the run. Returns 0, or -1 with a message. */
static int add_write(verify_work *work, const char *key, const char *write_json,
                     const char *then_kind, char *message, size_t message_size)
{
    char payload[64];
    snprintf(payload, sizeof payload, "{\"run_id\":%lld}", work->run.id);
    return halyard_run_writes_add(work_store(work), work->run.msp_id, work->run.id,
                                  work->run.ticket_id, key, write_json, then_kind,
                                  then_kind != NULL ? payload : NULL, message, message_size);
}

/* Queues a note through the outbox under key; then_kind as in halyard_run_writes_add. */
static int add_note(verify_work *work, const char *key, const char *note_html,
                    const char *then_kind, char *message, size_t message_size)
{
    char *quoted = NULL;
    if (halyard_json_quote(work_json(work), note_html, &quoted) != 0) {
        snprintf(message, message_size, "out of memory writing the note");
        return -1;
    }
    halyard_text_buffer write;
    halyard_text_buffer_init(&write, 256 * 1024);
    halyard_text_buffer_printf(&write,
                               "{\"write\":\"action\",\"note_html\":%s,\"hidden\":true,"
                               "\"send_email\":false}",
                               quoted);
    free(quoted);
    char *text = halyard_text_buffer_take(&write);
    if (text == NULL) {
        snprintf(message, message_size, "out of memory writing the note");
        return -1;
    }
    int status = add_write(work, key, text, then_kind, message, message_size);
    free(text);
    return status;
}

/* Ends the work of finish() after rolling its transaction back. */
static void finish_failed(verify_work *work, const char *message)
{
    sqlite3_exec(halyard_store_database(work_store(work)), "ROLLBACK", NULL, NULL, NULL);
    work_failed(work, message);
}

/* Ends the work of finish() after committing its transaction. */
static void finish_done(verify_work *work)
{
    char message[VERIFY_MESSAGE_MAX];
    if (halyard_store_execute(work_store(work), "COMMIT", "committing", message, sizeof message) !=
        0) {
        finish_failed(work, message);
        return;
    }
    work_done(work);
}

/* Records the final outcome of the work's verification once: the run's verification state,
 * the note, and for anything but verified the team and the stopped run. All of it is one
 * transaction, so a run whose verification is pending always has a pending record for the check
 * it waits on, unless that check's challenge was never recorded (halyard_verification_sweep
 * relies on it). Ends the work. */
static void finish(verify_work *work, const char *status, const char *detail)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_store *store = work_store(work);
    halyard_verification *verification = &work->verification;
    const char *msp = halyard_pipeline_task_msp(work->task);
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              sizeof message) != 0) {
        work_failed(work, message);
        return;
    }

    /* Step 1: the verification's status changes once; a second path finding it final stops. */
    bool changed = true;
    if (strcmp(verification->status, "pending") == 0) {
        if (halyard_verification_finish(store, verification->id, status, detail,
                                        halyard_clock_now_ms(), &changed, message,
                                        sizeof message) != 0) {
            finish_failed(work, message);
            return;
        }
        snprintf(verification->status, sizeof verification->status, "%s", status);
        snprintf(verification->detail, sizeof verification->detail, "%s", detail);
        verification->finished_at_ms = halyard_clock_now_ms();
    }
    if (!changed) {
        finish_done(work);
        return;
    }
    bool verified = strcmp(status, "verified") == 0;
    halyard_log(verified ? HALYARD_LOG_INFO : HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld verification %s by %s%s%s", msp, work->run.ticket_id,
                work->run.id, status, verification->provider, detail[0] != '\0' ? ": " : "",
                detail);

    /* A run stopped because its ticket was deleted while the provider was asked stays
     * stopped: the outcome is recorded, and no note or team is written on the deleted ticket. */
    halyard_run current;
    int found = halyard_runs_get(store, work->run.id, &current, message, sizeof message);
    if (found < 0) {
        finish_failed(work, message);
        return;
    }
    if (found == 1 || strcmp(current.state, "stopped") == 0) {
        char stopped[160];
        snprintf(stopped, sizeof stopped, "%s by %s; the run was stopped before, so it stays so",
                 status, verification->provider);
        char stopped_kind[48];
        snprintf(stopped_kind, sizeof stopped_kind, "verification_%s", status);
        if (found == 0 &&
            halyard_runs_set_verification(store, work->run.id, run_verification_of(status),
                                          stopped_kind, stopped, message, sizeof message) != 0) {
            finish_failed(work, message);
            return;
        }
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld verification %s after the run was stopped: no "
                    "note is written",
                    msp, work->run.ticket_id, work->run.id, status);
        finish_done(work);
        return;
    }

    /* Step 2: the run's record, then the note, then for a stop the team and the state. */
    char event[512];
    snprintf(event, sizeof event, "%s by %s%s%s%s", status, verification->provider,
             verification->method[0] != '\0' ? " via " : "", verification->method,
             verified ? "" : "; the run stops for a technician");
    char kind[48];
    snprintf(kind, sizeof kind, "verification_%s", status);
    if (halyard_runs_set_verification(store, work->run.id, run_verification_of(status), kind, event,
                                      message, sizeof message) != 0) {
        finish_failed(work, message);
        return;
    }
    /* Only the dispatch's work has screened the ticket, so a poll, a callback or the deadline
     * reads the reasons stored with the run's screening. A failed read leaves the line out. */
    if (work->reasons[0] == '\0' && halyard_verification_screening_reasons(
                                        store, work->run.id, work->reasons, sizeof work->reasons,
                                        message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld the note leaves out why it was asked: %s", msp,
                    work->run.ticket_id, work->run.id, message);
    }
    /* The resume job ends such a run done without a new plan (halyard_verification_resume_job). */
    bool planned_before = strcmp(work->run.mode, "execute") != 0 && work->run.note_action_id != 0;
    char *note = halyard_verification_note_html(verification, work->reasons, work->timeout_s,
                                                verified ? "" : work->team, planned_before);
    if (note == NULL) {
        finish_failed(work, "out of memory writing the verification note");
        return;
    }
    /* Keys name the verification, so a run verified again after a failed job writes again. */
    char key[64];
    snprintf(key, sizeof key, "verification-%lld", verification->id);
    int written =
        add_note(work, key, note, verified ? "verify_resume" : NULL, message, sizeof message);
    free(note);
    if (written == 0 && !verified && work->team[0] != '\0') {
        char *quoted = NULL;
        if (halyard_json_quote(work_json(work), work->team, &quoted) == 0) {
            char write[512];
            snprintf(write, sizeof write, "{\"write\":\"ticket\",\"fields\":{\"team\":%s}}",
                     quoted);
            snprintf(key, sizeof key, "verification-team-%lld", verification->id);
            written = add_write(work, key, write, NULL, message, sizeof message);
            free(quoted);
        }
    }
    if (written == 0 && !verified) {
        written =
            halyard_runs_transition(store, work->run.id, HALYARD_RUN_VERIFICATION_FAILED, "stopped",
                                    "verification did not pass", message, sizeof message);
    }
    if (written != 0) {
        finish_failed(work, message);
        return;
    }
    finish_done(work);
}

/* --- Screening ------------------------------------------------------------------------------ */

static void screen_later(verify_work *work, const char *why);

/* Stores the version of the ticket this job screened, so the sync it queues next finds that
 * version screened (verification_version.h). Returns 0, or -1 with a message. */
static int store_screened_version(verify_work *work, char *message, size_t message_size)
{
    char version[HALYARD_TICKET_VERSION_SIZE];
    if (halyard_verification_ticket_version(work_store(work), work->ticket_json, work->actions_json,
                                            halyard_pipeline_task_login_agent_id(work->task),
                                            version, message, message_size) != 0) {
        return -1;
    }
    return halyard_verification_set_screened_version(work_store(work), work->run.id, version,
                                                     message, message_size);
}

/* Lets the run go on through the sync job, with an event naming the policy's verdict. After
 * the first screen the sync plans the run. After a screen of an update the sync handles that
 * update, which it held back until now: it plans again or reads the approval replies. */
static int go_on(verify_work *work, const char *why, char *message, size_t message_size)
{
    if (store_screened_version(work, message, message_size) != 0 ||
        halyard_runs_add_event(work_store(work), work->run.id,
                               work->rescreen ? "screened_again" : "screening_passed", why, message,
                               message_size) != 0) {
        return -1;
    }
    return halyard_pipeline_enqueue_sync(work_store(work), work->run.msp_id, work->run.ticket_id,
                                         message, message_size);
}

/* Records the screening that found nothing to verify and lets the run go on, in one
 * transaction: a restart between the two would otherwise leave the update screened but never
 * handled. Ends the work. */
static void go_on_screened(verify_work *work, bool sensitive, const char *verification,
                           const char *verdict, const char *why)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_store *store = work_store(work);
    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       sizeof message);
    if (status == 0 && verdict != NULL) {
        status = halyard_runs_set_screening(store, work->run.id, sensitive, verification, verdict,
                                            message, sizeof message);
    }
    if (status == 0) {
        status = go_on(work, why, message, sizeof message);
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, sizeof message);
    }
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        work_failed(work, message);
        return;
    }
    work_done(work);
}

/* Ends a dispatch that sent nothing (detail says why) as a failed attempt of the job, after
 * recording HALYARD_VERIFY_EVENT_DISPATCH_RETRY, so that the next attempt sends the challenge
 * instead of ending the check as one that may have gone out. */
static void retry_dispatch(verify_work *work, const char *detail)
{
    char message[VERIFY_MESSAGE_MAX];
    const halyard_job *job = halyard_pipeline_task_job(work->task);
    if (halyard_runs_add_event(work_store(work), work->run.id, HALYARD_VERIFY_EVENT_DISPATCH_RETRY,
                               detail, message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld the challenge was not sent (attempt %d of %d), "
                "trying again: %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                job->attempts + 1, VERIFY_DISPATCH_ATTEMPTS, detail);
    char error[sizeof work->verification.detail + 64];
    snprintf(error, sizeof error, "the challenge was not sent: %s", detail);
    work_failed(work, error);
}

/* Receives host.verify_start's result and makes the run wait, or finishes at once. */
static void on_dispatched(halyard_lua_result result, char **results, int result_count,
                          const char *error, void *argument)
{
    (void)result_count;
    verify_work *work = argument;
    char message[VERIFY_MESSAGE_MAX];
    halyard_verification *verification = &work->verification;
    char mode[16] = "";

    /* Step 0: a dispatch that did not finish (a loop, memory, an error past the verifier's
     * pcall) is an error outcome like one that returned an error, never a run left waiting. */
    if (result != HALYARD_LUA_OK && result != HALYARD_LUA_CANCELLED) {
        halyard_pipeline_task_set_lua_run(work->task, NULL);
        snprintf(verification->status, sizeof verification->status, "error");
        failed_call_detail(work, "its dispatch", error, verification->detail,
                           sizeof verification->detail);
    } else {
        const char *answer = call_result(work, result, results, error);
        if (answer == NULL) {
            return;
        }
        read_field(work, answer, "$.status", verification->status, sizeof verification->status);
        read_field(work, answer, "$.transaction_id", verification->transaction_id,
                   sizeof verification->transaction_id);
        read_field(work, answer, "$.method", verification->method, sizeof verification->method);
        read_field(work, answer, "$.requester.name", verification->requester_name,
                   sizeof verification->requester_name);
        read_field(work, answer, "$.requester.contact", verification->requester_contact,
                   sizeof verification->requester_contact);
        read_field(work, answer, "$.requester.email", verification->requester_email,
                   sizeof verification->requester_email);
        halyard_json_read_integer(work_json(work), answer, strlen(answer), "$.requester.id",
                                  &verification->requester_user_id);
        read_field(work, answer, "$.detail", verification->detail, sizeof verification->detail);
        read_field(work, answer, "$.mode", mode, sizeof mode);
        cut_secrets(work, verification->detail, sizeof verification->detail);

        /* A dispatch that sent nothing may be tried again as the job's next attempt, which
         * finds from the stored event that no challenge can be out (see
         * halyard_verification_screen_job). The last attempt ends in the error outcome. */
        bool retry =
            strcmp(verification->status, "error") == 0 && read_true(work, answer, "$.retry");
        if (retry &&
            halyard_pipeline_task_job(work->task)->attempts + 1 < VERIFY_DISPATCH_ATTEMPTS) {
            retry_dispatch(work, verification->detail);
            return;
        }
    }

    /* Step 1: the verification, pending or already final. */
    long long now = halyard_clock_now_ms();
    verification->msp_id = work->run.msp_id;
    verification->run_id = work->run.id;
    verification->ticket_id = work->run.ticket_id;
    snprintf(verification->provider, sizeof verification->provider, "%s", work->provider.provider);
    verification->started_at_ms = now;
    verification->deadline_ms = now + work->timeout_s * 1000;
    bool pending = strcmp(verification->status, "pending") == 0;
    if (!pending) {
        if (strcmp(verification->status, "no_contact") != 0) {
            snprintf(verification->status, sizeof verification->status, "error");
        }
        verification->finished_at_ms = now;
    }
    int created =
        halyard_verification_create(work_store(work), verification, message, sizeof message);
    if (created == 1) {
        /* A transaction id that another check has stays that check's. This check ends in the
         * error outcome and is stored without the id, so callbacks with it reach the other. */
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld the provider reused a transaction id: %s",
                    halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                    message);
        verification->transaction_id[0] = '\0';
        snprintf(verification->status, sizeof verification->status, "error");
        snprintf(verification->detail, sizeof verification->detail, "%.*s",
                 (int)sizeof verification->detail - 1, message);
        cut_secrets(work, verification->detail, sizeof verification->detail);
        verification->finished_at_ms = now;
        pending = false;
        created =
            halyard_verification_create(work_store(work), verification, message, sizeof message);
    }
    if (created != 0) {
        work_failed(work, message);
        return;
    }
    if (!pending) {
        char detail[sizeof verification->detail];
        snprintf(detail, sizeof detail, "%s",
                 strcmp(verification->status, "no_contact") == 0
                     ? "the requester has no e-mail address or phone number on file in HaloPSA"
                     : verification->detail);
        snprintf(verification->detail, sizeof verification->detail, "%s", detail);
        char status[16];
        snprintf(status, sizeof status, "%s", verification->status);
        finish(work, status, detail);
        return;
    }

    /* Step 2: the wait, with its deadline and polls as durable jobs. */
    char found[512];
    describe_challenge_source(work, found, sizeof found);
    char event[768];
    snprintf(event, sizeof event, "%s; challenge sent by %s via %s, deadline in %lld s", found,
             verification->provider, verification->method, work->timeout_s);
    char key[96];
    char payload[96];
    snprintf(payload, sizeof payload, "{\"verification_id\":%lld}", verification->id);
    snprintf(key, sizeof key, "verify_deadline:%lld", verification->id);
    /* The run waits already (hold_new_run, halyard_verification_rescreen_hold), and moving it
     * again could undo a stop that came meanwhile, such as the ticket's deletion. */
    int status = halyard_runs_add_event(work_store(work), work->run.id, "verification_dispatched",
                                        event, message, sizeof message);
    if (status == 0) {
        status = halyard_jobs_enqueue(work_store(work), work->run.msp_id, "verify_deadline", key,
                                      payload, verification->deadline_ms, message, sizeof message);
    }
    bool held = false;
    if (status == 0) {
        status = halyard_verification_claim_held_callback(work_store(work), verification, &held,
                                                          message, sizeof message);
    }
    if (status == 0 && held) {
        snprintf(key, sizeof key, "verify_callback:%lld", verification->id);
        status = halyard_jobs_enqueue(work_store(work), work->run.msp_id, "verify_callback", key,
                                      payload, 0, message, sizeof message);
    }
    if (status == 0 && strcmp(mode, "poll") == 0) {
        snprintf(key, sizeof key, "verify_poll:%lld:1", verification->id);
        snprintf(payload, sizeof payload, "{\"verification_id\":%lld,\"attempt\":1}",
                 verification->id);
        status =
            halyard_jobs_enqueue(work_store(work), work->run.msp_id, "verify_poll", key, payload,
                                 now + VERIFY_POLL_INTERVAL_MS, message, sizeof message);
    }
    if (status != 0) {
        work_failed(work, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "verify",
                "msp=%s ticket=%lld run=%lld awaiting verification by %s (%s), transaction %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                verification->provider, verification->method, verification->transaction_id);
    work_done(work);
}

/* Dispatches the challenge of a sensitive run. */
static void dispatch_challenge(verify_work *work)
{
    char message[VERIFY_MESSAGE_MAX];
    char *settings = provider_settings(work);
    if (settings == NULL) {
        work_failed(work, "out of memory writing the provider's settings");
        return;
    }
    char run_id[32];
    snprintf(run_id, sizeof run_id, "%lld", work->run.id);
    /* The reasons let the challenge name the kinds of request it is for. */
    const char *arguments[] = {work->ticket_json, work->provider.provider, settings, run_id,
                               work->reasons[0] != '\0' ? work->reasons : work->reason};
    int started =
        start_call(work, "verify_start", arguments, 5, on_dispatched, message, sizeof message);
    sodium_memzero(settings, strlen(settings));
    free(settings);
    if (started != 0) {
        work_failed(work, message);
    }
}

/* Moves a run that was not screened before from planning to awaiting_verification and stores
 * its screening (sensitive, verification pending), in one transaction, before its challenge is
 * sent. *held is false when the run was no longer in planning, and then nothing changed.
 * Returns 0, or -1 with a message. */
static int hold_new_run(verify_work *work, const char *verdict, bool *held, char *message,
                        size_t message_size)
{
    halyard_store *store = work_store(work);
    *held = false;
    if (halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                              message_size) != 0) {
        return -1;
    }
    char detail[256];
    snprintf(detail, sizeof detail, "%s (%s); the run waits for the requester's identity check",
             work->sensitive_by_workflow
                 ? "a workflow or tool that handles sensitive requests applies"
                 : "the sensitive policy found the ticket sensitive",
             work->reason[0] != '\0' ? work->reason : "no reason given");
    int status = halyard_runs_transition_from(
        store, work->run.id, "planning", HALYARD_RUN_AWAITING_VERIFICATION, "screened_sensitive",
        detail, held, message, message_size);
    if (status == 0 && *held) {
        status = halyard_runs_set_screening(store, work->run.id, true, "pending", verdict, message,
                                            message_size);
    }
    if (status == 0 && *held) {
        status = store_screened_version(work, message, message_size);
    }
    if (status == 0 &&
        halyard_store_execute(store, "COMMIT", "committing", message, message_size) == 0) {
        return 0;
    }
    sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
    *held = false;
    return -1;
}

/* Sends a run screened again and found sensitive, with no provider connected, back to
 * planning with verification not_connected, so it is planned again from the edited ticket with
 * every write needing approval. Like a verified rescreen, a pending approval request is set
 * aside first. The move, the screening and the sync that plans happen in one transaction. A run
 * that another job works on is screened again later. Ends the work. */
static void replan_unverified(verify_work *work, const char *verdict, const char *why)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_store *store = work_store(work);
    bool moved = false;
    long long superseded_id = 0;
    const char *reason = work->reason[0] != '\0' ? work->reason : "no reason given";

    /* A Plan-mode run posts one plan note, so one whose note is posted stays done, and a note
     * of its own tells technicians that the new request's requester was not verified. */
    bool noted = strcmp(work->run.mode, "execute") != 0 && work->run.note_action_id != 0;

    /* A plan can match a workflow or tool that handles sensitive requests on the ticket as it
     * was first logged. So the event reports a change only when one was screened, in this
     * screening of an update or an earlier one. */
    bool changed = !work->workflow_from_plan;
    if (work->workflow_from_plan &&
        halyard_verification_changed_since_screened(store, work->run.id, &changed, message,
                                                    sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    const char *what = !work->sensitive_by_workflow ? "the ticket changed into a sensitive one"
                       : changed ? "the changed ticket matches a workflow or tool that handles "
                                   "sensitive requests"
                                 : "the ticket, as it was logged, matches a workflow or tool that "
                                   "handles sensitive requests";
    char detail[320];
    snprintf(detail, sizeof detail, "%s (%s) and no verification provider is connected; %s", what,
             reason,
             noted ? "the plan note was posted before, so a note says the requester was not "
                     "verified"
                   : "the run is planned again with every write needing approval");

    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       sizeof message);
    if (status == 0) {
        status = halyard_verification_rescreen_move(
            store, &work->run, noted ? work->run.state : "planning", "not_connected", verdict,
            detail, &moved, &superseded_id, message, sizeof message);
    }
    if (status == 0 && moved && noted) {
        char note[1024];
        snprintf(note, sizeof note,
                 "<p><b>halyard: the requester's identity was not verified</b></p><p>The ticket "
                 "now asks for something sensitive (%s), and no identity verification provider "
                 "is connected, so the requester was not challenged. The plan note above was "
                 "written before this request. Confirm the requester's identity another way (a "
                 "call back on the number on file) before acting on it.</p>",
                 reason);
        status = add_note(work, "not-connected-rescreen", note, NULL, message, sizeof message);
    }
    if (status == 0 && moved) {
        status = go_on(work, why, message, sizeof message);
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, sizeof message);
    }
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        work_failed(work, message);
        return;
    }
    if (!moved) {
        screen_later(work, "another job worked on the run while it was screened");
        return;
    }
    if (superseded_id != 0) {
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld approval request %lld set aside: the ticket "
                    "became sensitive (%s) with no verification provider connected, so the run "
                    "is planned again and asks again",
                    halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                    superseded_id, work->reason);
    }
    work_done(work);
}

/* Holds a run whose sensitive request is not in the requester's own words (the verdict's
 * request_by_other, host.screen): another end user's reply, mail quoted in the requester's
 * reply or mail forwarded or quoted in the ticket's details. Challenging the requester would check
 * the wrong person, and a failed check would call them an impostor for a request they never made.
 * So no challenge is sent: the run's verification becomes other_requester, every step that writes
 * needs a technician's approval, and a hidden note names whose request it appears to be. A
 * rescreened run is moved as replan_unverified moves it, with a waiting approval request set aside.
 * The screening, the note and the sync that plans happen in one transaction. Ends the work. */
static void hold_for_other_request(verify_work *work, const char *verdict, const char *kind)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_store *store = work_store(work);
    char author[128];
    char requester[128];
    read_field(work, verdict, "$.request_by_other.author", author, sizeof author);
    read_field(work, verdict, "$.request_by_other.requester", requester, sizeof requester);
    const char *reason = work->reason[0] != '\0' ? work->reason : "no reason given";
    const char *place = halyard_verification_other_request_place(kind);

    /* A Plan-mode run posts one plan note, so one whose note is posted stays done. */
    bool noted =
        work->rescreen && strcmp(work->run.mode, "execute") != 0 && work->run.note_action_id != 0;
    char detail[512];
    snprintf(detail, sizeof detail,
             "the sensitive request (%s) is in %s, not in the requester's own words: no "
             "challenge is sent, and every write needs a technician's approval",
             reason, place);
    char *note = halyard_verification_other_request_note_html(kind, author, requester, reason);
    if (note == NULL) {
        work_failed(work, "out of memory writing the note about another person's request");
        return;
    }

    bool moved = !work->rescreen;
    long long superseded_id = 0;
    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       sizeof message);
    if (status == 0 && work->rescreen) {
        status = halyard_verification_rescreen_move(
            store, &work->run, noted ? work->run.state : "planning",
            HALYARD_VERIFICATION_OTHER_REQUESTER, verdict, detail, &moved, &superseded_id, message,
            sizeof message);
    } else if (status == 0) {
        status = halyard_runs_set_screening(store, work->run.id, true,
                                            HALYARD_VERIFICATION_OTHER_REQUESTER, verdict, message,
                                            sizeof message);
    }
    if (status == 0 && moved) {
        status = add_note(work, "request-by-other", note, NULL, message, sizeof message);
    }
    if (status == 0 && moved) {
        status = go_on(work, detail, message, sizeof message);
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, sizeof message);
    }
    free(note);
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        work_failed(work, message);
        return;
    }
    if (!moved) {
        screen_later(work, "another job worked on the run while it was screened");
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld the sensitive request (%s) is in %s: no challenge "
                "is sent, and every write needs approval%s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id, reason,
                place, superseded_id != 0 ? "; the pending approval request was set aside" : "");
    work_done(work);
}

/* Copies the reason of the verdict's sensitive_workflow (host.screen) into
 * work->workflow_reason when it is valid, with a workflow_sensitive run event naming the
 * workflow. An event that cannot be stored is logged, and the run is still treated as
 * sensitive. */
static void take_sensitive_workflow(verify_work *work, const char *verdict)
{
    char reason[HALYARD_WORKFLOW_REASON_SIZE];
    read_field(work, verdict, "$.sensitive_workflow.reason", reason, sizeof reason);
    if (reason[0] == '\0' || !halyard_verification_workflow_reason_valid(reason)) {
        return;
    }
    char name[128];
    char file[128];
    read_field(work, verdict, "$.sensitive_workflow.name", name, sizeof name);
    read_field(work, verdict, "$.sensitive_workflow.file", file, sizeof file);
    snprintf(work->workflow_reason, sizeof work->workflow_reason, "%s", reason);
    snprintf(work->workflow_source, sizeof work->workflow_source, "the workflow '%s'", name);

    char detail[512];
    if (read_true(work, verdict, "$.sensitive_workflow.skipped")) {
        snprintf(detail, sizeof detail,
                 "the ticket matches the workflow '%s' (%s), which handles sensitive requests "
                 "(%s) and is skipped for a problem that halyard workflows lint lists, so the "
                 "run is treated as sensitive although the sensitive policy found it not "
                 "sensitive",
                 name, file, reason);
    } else {
        snprintf(detail, sizeof detail,
                 "the changed ticket matches the workflow '%s' (%s), which handles sensitive "
                 "requests (%s), so the run is treated as sensitive although the sensitive "
                 "policy found it not sensitive",
                 name, file, reason);
    }
    char message[VERIFY_MESSAGE_MAX];
    const char *msp = halyard_pipeline_task_msp(work->task);
    if (halyard_runs_add_event(work_store(work), work->run.id, "workflow_sensitive", detail,
                               message, sizeof message) != 0) {
        halyard_log(HALYARD_LOG_ERROR, "verify",
                    "msp=%s ticket=%lld run=%lld storing the workflow_sensitive event failed: %s",
                    msp, work->run.ticket_id, work->run.id, message);
    }
    halyard_log(HALYARD_LOG_INFO, "verify", "msp=%s ticket=%lld run=%lld %s", msp,
                work->run.ticket_id, work->run.id, detail);
}

/* The verdict of a screening that could not finish: sensitive, with verification required
 * whatever the client's settings, so the run fails closed. */
static const char UNSCREENED_VERDICT[] =
    "{\"sensitive\":true,\"verification_required\":true,\"reason\":\"unscreened\","
    "\"other_account\":false}";

/* The attempts of a screening whose sensitive policy raises an error before the ticket is
 * treated as sensitive: the first ones may meet a script being reloaded or a passing fault. */
enum { SCREEN_ERROR_ATTEMPTS = 3 };

/* Takes a screening that hit the instruction, time or memory limit, or whose policy raised an
 * error (result, error). The first limit, and the first SCREEN_ERROR_ATTEMPTS - 1 errors, are
 * tried again, because a time limit may be hit on a busy machine. The next one queues a hidden
 * note saying the ticket could not be screened and returns UNSCREENED_VERDICT, as retrying the
 * same text would fail the same way until the job dies and leave the run in planning without
 * a note. Returns NULL after ending the work. */
static const char *unscreened_verdict(verify_work *work, halyard_lua_result result,
                                      const char *error)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_pipeline_task_set_lua_run(work->task, NULL);
    const halyard_job *job = halyard_pipeline_task_job(work->task);
    bool raised = result == HALYARD_LUA_ERROR;
    if (job->attempts < (raised ? SCREEN_ERROR_ATTEMPTS - 1 : 1)) {
        work_failed(work, error != NULL ? error : halyard_lua_result_name(result));
        return NULL;
    }
    halyard_log(HALYARD_LOG_ERROR, "verify",
                "msp=%s ticket=%lld run=%lld the screening %s %d times (%s), so the ticket is "
                "treated as sensitive: %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                raised ? "raised an error" : "did not finish", job->attempts + 1,
                halyard_lua_result_name(result), error != NULL ? error : "no message");
    char note[1024];
    if (raised) {
        snprintf(note, sizeof note,
                 "<p><strong>halyard: this ticket could not be screened</strong></p>"
                 "<p>The sensitive policy raised an error or returned an invalid verdict on "
                 "this ticket's text %d times, so "
                 "halyard treats the ticket as sensitive: the requester's identity is checked "
                 "before the agent acts, or, when no identity verification provider is "
                 "connected, every step that writes needs a technician's approval. The MSP "
                 "should run <code>halyard workflows lint</code> and read halyard's log for the "
                 "error.</p>",
                 job->attempts + 1);
    } else {
        snprintf(note, sizeof note,
                 "<p><strong>halyard: this ticket could not be screened</strong></p>"
                 "<p>The check for sensitive requests did not finish on this ticket's text (%s), "
                 "so halyard treats the ticket as sensitive: the requester's identity is checked "
                 "before the agent acts, or, when no identity verification provider is "
                 "connected, every step that writes needs a technician's approval.</p>",
                 result == HALYARD_LUA_OUT_OF_MEMORY ? "memory limit"
                                                     : "instruction or time limit");
    }
    /* The event names the error's first line (an invalid verdict's field and value), and
     * the traceback below it stays in the log. */
    char detail[512];
    if (raised) {
        const char *cause = error != NULL ? error : "no message";
        snprintf(detail, sizeof detail,
                 "the sensitive policy failed on every attempt, so the ticket is treated as "
                 "sensitive: %.*s",
                 (int)strcspn(cause, "\n"), cause);
    } else {
        snprintf(detail, sizeof detail,
                 "the screening did not finish, so the ticket is treated as sensitive");
    }
    char key[64];
    snprintf(key, sizeof key, "unscreened-%lld", work->run.id);
    if (add_note(work, key, note, NULL, message, sizeof message) != 0 ||
        halyard_runs_add_event(work_store(work), work->run.id, "screening_unfinished", detail,
                               message, sizeof message) != 0) {
        work_failed(work, message);
        return NULL;
    }
    return UNSCREENED_VERDICT;
}

/* The author stored in place of a sender line that is not a plain name. It is not a plain name
 * itself, so the hold note still states that the mail comes from another sender, unnamed. */
#define VERIFY_SENDER_LEFT_OUT "[sender line left out]"

/* Returns verdict, or a copy of it owned by work->kept_verdict whose request_by_other.author
 * is VERIFY_SENDER_LEFT_OUT when the author is not a plain name
 * (halyard_verification_sender_name_plain). The verdict is stored in runs.screening_json, and
 * a forward's "From:" display name may hold a password, so only what the notes use is kept.
 * Returns NULL after ending the work when the copy fails. */
static const char *keep_plain_sender(verify_work *work, const char *verdict)
{
    char author[256];
    read_field(work, verdict, "$.request_by_other.author", author, sizeof author);
    if (author[0] == '\0' || halyard_verification_sender_name_plain(author)) {
        return verdict;
    }

    sqlite3 *database = halyard_store_database(work_store(work));
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(database, "SELECT json_set(?1, '$.request_by_other.author', ?2)", -1,
                           &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, verdict, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, VERIFY_SENDER_LEFT_OUT, -1, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW &&
            sqlite3_column_type(statement, 0) == SQLITE_TEXT) {
            free(work->kept_verdict);
            work->kept_verdict = strdup((const char *)sqlite3_column_text(statement, 0));
        }
    }
    sqlite3_finalize(statement);
    if (work->kept_verdict == NULL) {
        char message[VERIFY_MESSAGE_MAX];
        snprintf(message, sizeof message, "leaving the sender line out of the screening failed: %s",
                 sqlite3_errmsg(database));
        work_failed(work, message);
        return NULL;
    }
    return work->kept_verdict;
}

/* Receives the sensitive policy's verdict and decides the run's way. */
static void on_screened(halyard_lua_result result, char **results, int result_count,
                        const char *error, void *argument)
{
    (void)result_count;
    verify_work *work = argument;
    bool unfinished = result == HALYARD_LUA_TIMEOUT || result == HALYARD_LUA_OUT_OF_MEMORY ||
                      result == HALYARD_LUA_ERROR;
    const char *verdict = unfinished ? unscreened_verdict(work, result, error)
                                     : call_result(work, result, results, error);
    if (verdict != NULL) {
        verdict = keep_plain_sender(work, verdict);
    }
    if (verdict == NULL) {
        return;
    }
    char message[VERIFY_MESSAGE_MAX];
    halyard_store *store = work_store(work);
    const char *msp = halyard_pipeline_task_msp(work->task);

    /* An approval policy whose own_words failed made the screening count the replies and
     * details it could not split as the requester's own words, and the technician is told. */
    char scripts_id[64];
    long long scripts_number =
        halyard_pipeline_task_scripts_version(work->task, scripts_id, sizeof scripts_id);
    if (halyard_verification_policy_note_screen(store, work_json(work), &work->run, scripts_number,
                                                scripts_id, verdict, message, sizeof message) < 0) {
        work_failed(work, message);
        return;
    }

    bool sensitive = read_true(work, verdict, "$.sensitive");
    bool required = read_true(work, verdict, "$.verification_required");
    read_field(work, verdict, "$.reason", work->reason, sizeof work->reason);

    /* On a rescreen the policy found harmless, a workflow that declares itself sensitive and
     * matches the changed ticket counts as its plan would (verification_workflow.h). The update
     * may be a request only that workflow recognises, on a run that plans nothing more, such as
     * a done one. */
    /* A verified run is sensitive, so a kind of request that only such a workflow recognises
     * is not taken here. Its plan is compared with what the check covered instead
     * (halyard_verification_on_plan), and a kind the check did not cover is screened again. */
    if (work->rescreen && !sensitive && !work->run.sensitive && work->workflow_reason[0] == '\0') {
        take_sensitive_workflow(work, verdict);
    }
    /* A sensitive workflow skipped for a problem in its file never reaches a plan, so its
     * match counts at the first screening already (host.screen marks it skipped). */
    if (!work->rescreen && !sensitive && !work->run.sensitive && work->workflow_reason[0] == '\0' &&
        read_true(work, verdict, "$.sensitive_workflow.skipped")) {
        take_sensitive_workflow(work, verdict);
    }

    /* The workflow's kind of request counts as one the screening found, so a verified run's
     * check is compared with it below, and a new challenge is sent for it when not covered. */
    if (work->workflow_reason[0] != '\0') {
        char *merged = NULL;
        if (halyard_verification_workflow_add_reason(store, verdict, work->workflow_reason, &merged,
                                                     message, sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        free(work->kept_verdict);
        work->kept_verdict = merged;
        verdict = merged;
    }

    /* A matched workflow that declared itself sensitive makes the run sensitive with its reason,
     * unless the policy found a verification needed on its own. The verdict stored keeps the
     * policy's reason next to the workflow's (work->screening_json owns it). */
    bool by_workflow = work->workflow_reason[0] != '\0' && !required;
    if (by_workflow) {
        if (halyard_verification_workflow_verdict(store, verdict, work->workflow_reason,
                                                  &work->screening_json, message,
                                                  sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        verdict = work->screening_json;
        work->sensitive_by_workflow = true;
        sensitive = true;
        required = true;
        snprintf(work->reason, sizeof work->reason, "%s", work->workflow_reason);
    }

    /* A ticket screened again that still needs no verification keeps its first verdict, and
     * the sync that held the update back handles it now. */
    char why[512];
    if (work->rescreen && !required) {
        /* A run sensitive with a reason its client exempts stays so until a reason that
         * needs verification appears. */
        const char *verdict_text = work->run.sensitive || sensitive ? "still needs no verification"
                                                                    : "still not sensitive";
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld screened after the ticket changed: %s (%s); the "
                    "update is handled now",
                    msp, work->run.ticket_id, work->run.id, verdict_text, work->reason);
        snprintf(why, sizeof why,
                 "sensitive policy: the changed ticket %s (%s); the update is handled now",
                 verdict_text, work->reason);
        go_on_screened(work, false, NULL, NULL, why);
        return;
    }
    if (halyard_verification_verdict_reasons(store, verdict, work->reasons, sizeof work->reasons,
                                             message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }

    /* A verified run's check covers what its screening found. An update that asks for nothing
     * more is handled now, and one that does needs a new check, named for the new kinds. */
    bool checked_before = work->rescreen && strcmp(work->run.verification, "verified") == 0;
    char gap_text[640] = "";
    if (checked_before) {
        halyard_verification_gap gap;
        if (halyard_verification_find_gap(store, work->run.id, verdict, &gap, message,
                                          sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        if (halyard_verification_gap_empty(&gap)) {
            if (halyard_verification_mark_unlock_covered(store, work->run.id, verdict, message,
                                                         sizeof message) != 0 ||
                halyard_verification_mark_exempt(store, work->run.id, verdict, message,
                                                 sizeof message) != 0) {
                work_failed(work, message);
                return;
            }
            halyard_log(HALYARD_LOG_INFO, "verify",
                        "msp=%s ticket=%lld run=%lld screened after the ticket changed: the "
                        "passed identity check covers it (%s); the update is handled now",
                        msp, work->run.ticket_id, work->run.id, work->reasons);
            snprintf(why, sizeof why,
                     "sensitive policy: the changed ticket asks for nothing the passed identity "
                     "check did not cover (%s); the update is handled now",
                     work->reasons);
            go_on_screened(work, false, NULL, NULL, why);
            return;
        }
        halyard_verification_describe_gap(&gap, gap_text, sizeof gap_text);
        if (gap.reasons[0] != '\0') {
            snprintf(work->reasons, sizeof work->reasons, "%s", gap.reasons);
        }
    }
    char risk[256];
    describe_risk(work, verdict, risk, sizeof risk);
    halyard_log(HALYARD_LOG_INFO, "verify", "msp=%s ticket=%lld run=%lld screened: %s (%s)%s%s%s",
                msp, work->run.ticket_id, work->run.id, sensitive ? "sensitive" : "not sensitive",
                work->reason,
                by_workflow      ? " because a workflow or tool that handles such requests applies"
                : work->rescreen ? " after the ticket changed"
                                 : "",
                risk[0] != '\0' ? "; " : "", risk);

    /* The risk goes into the run's events, where technicians read why a run was held. */
    if (risk[0] != '\0' &&
        halyard_runs_add_event(store, work->run.id, "risk", risk, message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }

    /* Step 1: nothing to verify. The policy requires verification of a sensitive ticket whose
     * reason the client does not exempt, and of every ticket when the client's settings say
     * verification = "all". */
    if (!required) {
        snprintf(why, sizeof why, "sensitive policy: %s (%s)",
                 sensitive ? "sensitive, verification not required" : "not sensitive",
                 work->reason);
        go_on_screened(work, sensitive, "not_required", verdict, why);
        return;
    }

    /* Step 2: a request made only by another end user, or in quoted or forwarded mail, gets no
     * challenge for the requester, with a provider connected or not. */
    char other_kind[16];
    read_field(work, verdict, "$.request_by_other.kind", other_kind, sizeof other_kind);
    bool by_other = strcmp(other_kind, "reply") == 0 || strcmp(other_kind, "quoted") == 0 ||
                    strcmp(other_kind, "forwarded") == 0;
    bool held_before =
        work->rescreen && strcmp(work->run.verification, HALYARD_VERIFICATION_OTHER_REQUESTER) == 0;
    if (by_other && held_before) {
        /* A run held so already keeps its note, its verification and its approvals rule: the
         * update is handled now, as for a run still not sensitive.
         * NOTE: a request by a third person added later gets no note of its own. */
        snprintf(why, sizeof why,
                 "sensitive policy: the changed ticket's sensitive request (%s) is still not in "
                 "the requester's own words; the update is handled now",
                 work->reason);
        go_on_screened(work, false, NULL, NULL, why);
        return;
    }
    if (by_other) {
        hold_for_other_request(work, verdict, other_kind);
        return;
    }

    /* Step 3: sensitive without a provider: the agent may diagnose, and every write needs
     * approval.
     * NOTE: the plan note mentions this, and tools require approval, only where host.plan
     * reads the run's verification (its run_json argument); this module only records it. */
    int loaded = load_provider(work, message, sizeof message);
    if (loaded < 0) {
        work_failed(work, message);
        return;
    }
    if (loaded == 1) {
        snprintf(why, sizeof why,
                 "%s: %s; no verification provider is connected, so every write needs a "
                 "technician's approval",
                 by_workflow ? "a workflow or tool that handles sensitive requests applies"
                             : "sensitive policy",
                 work->reason);
        halyard_verification_log_unconnected(msp, work->run.ticket_id, work->run.id, work->reason,
                                             halyard_clock_now_ms());
        if (work->rescreen) {
            replan_unverified(work, verdict, why);
            return;
        }
        go_on_screened(work, true, "not_connected", verdict, why);
        return;
    }

    /* Step 4: the challenge, before the agent does anything. The run moves to the wait
     * first, and only from the state this job read, in the same transaction that stores the
     * pending verification. A sync of the ticket while the challenge is being sent then finds
     * the run waiting and does not plan it. No challenge goes out for a run that moved on
     * meanwhile, because a new ticket's run leaves planning only when it was stopped. */
    if (!work->rescreen) {
        bool held = false;
        if (hold_new_run(work, verdict, &held, message, sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        if (!held) {
            halyard_log(HALYARD_LOG_INFO, "verify",
                        "msp=%s ticket=%lld run=%lld screened sensitive, but the run left "
                        "planning meanwhile (%s): no challenge is sent",
                        msp, work->run.ticket_id, work->run.id, work->run.state);
            work_done(work);
            return;
        }
        dispatch_challenge(work);
        return;
    }
    bool moved = false;
    long long superseded_id = 0;
    char hold_detail[1024];
    if (checked_before) {
        snprintf(hold_detail, sizeof hold_detail,
                 "the changed ticket asks for more than the passed identity check covered (%s); "
                 "the run waits for a new check of the requester",
                 gap_text);
    } else if (by_workflow) {
        snprintf(hold_detail, sizeof hold_detail,
                 "a workflow or tool that handles sensitive requests applies (%s); the run waits "
                 "for the requester's identity check",
                 work->reason);
    } else if (held_before) {
        snprintf(hold_detail, sizeof hold_detail,
                 "the requester's own words now ask for something sensitive (%s); the run, held "
                 "until now for another person's request, waits for the requester's identity "
                 "check",
                 work->reason[0] != '\0' ? work->reason : "no reason given");
    } else {
        snprintf(hold_detail, sizeof hold_detail,
                 "the ticket changed into a sensitive one (%s); the run waits for the "
                 "requester's identity check",
                 work->reason[0] != '\0' ? work->reason : "no reason given");
    }
    /* The screening is stored with the ticket version it read, so the next sync of the
     * unchanged ticket does not screen it again, and with the kinds this challenge is for. */
    char version[HALYARD_TICKET_VERSION_SIZE];
    char *stored = NULL;
    if (halyard_verification_ticket_version(store, work->ticket_json, work->actions_json,
                                            halyard_pipeline_task_login_agent_id(work->task),
                                            version, message, sizeof message) != 0 ||
        halyard_verification_screening_to_store(store, verdict, version, work->reasons, &stored,
                                                message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    int hold_status = halyard_verification_rescreen_hold(
        store, &work->run, stored, hold_detail, &moved, &superseded_id, message, sizeof message);
    free(stored);
    if (hold_status != 0) {
        work_failed(work, message);
        return;
    }
    if (!moved) {
        screen_later(work, "another job worked on the run while it was screened");
        return;
    }
    if (superseded_id != 0) {
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld approval request %lld set aside: the ticket "
                    "%s (%s), so replies written until the requester is verified are not read "
                    "as answers, and a verified run is planned again with a new request",
                    msp, work->run.ticket_id, work->run.id, superseded_id,
                    checked_before ? "asks for more than the passed identity check covered"
                                   : "became sensitive",
                    work->reasons);
    }
    dispatch_challenge(work);
}

/* Screens the ticket with its actions (host.screen); on_screened takes the verdict. */
static void screen_ticket(verify_work *work)
{
    char message[VERIFY_MESSAGE_MAX];
    const char *arguments[] = {work->ticket_json, NULL, work->actions_json};
    if (start_call(work, "screen", arguments, 3, on_screened, message, sizeof message) != 0) {
        work_failed(work, message);
    }
}

/* Receives the screening of another end user's actions alone on a verified run
 * (halyard_verification_find_other_writers). Actions the policy reads as sensitive, or that a
 * workflow declaring itself sensitive matches, hold the run as other_requester. A screening
 * that did not finish holds it too, because nothing then shows that the actions ask for
 * nothing. Anything else, such as "thanks, same problem here", goes on to the screening of
 * the whole ticket. */
static void on_other_writers_screened(halyard_lua_result result, char **results, int result_count,
                                      const char *error, void *argument)
{
    (void)result_count;
    verify_work *work = argument;
    const char *msp = halyard_pipeline_task_msp(work->task);
    bool unfinished = result == HALYARD_LUA_TIMEOUT || result == HALYARD_LUA_OUT_OF_MEMORY ||
                      result == HALYARD_LUA_ERROR;
    bool sensitive = true;
    if (unfinished) {
        halyard_pipeline_task_set_lua_run(work->task, NULL);
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld screening action %lld of another end user did "
                    "not finish (%s), so it counts as sensitive: %.200s",
                    msp, work->run.ticket_id, work->run.id, work->other_writers.action_id,
                    halyard_lua_result_name(result), error != NULL ? error : "no message");
    } else {
        const char *verdict = call_result(work, result, results, error);
        if (verdict == NULL) {
            return;
        }
        char workflow_reason[HALYARD_WORKFLOW_REASON_SIZE];
        read_field(work, verdict, "$.sensitive_workflow.reason", workflow_reason,
                   sizeof workflow_reason);
        sensitive = read_true(work, verdict, "$.sensitive") || workflow_reason[0] != '\0';
    }
    if (!sensitive) {
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld another end user wrote on the verified ticket "
                    "(action %lld), and the sensitive policy reads it as not sensitive",
                    msp, work->run.ticket_id, work->run.id, work->other_writers.action_id);
        screen_ticket(work);
        return;
    }

    char message[VERIFY_MESSAGE_MAX];
    int held = halyard_verification_other_writer_hold(
        work_store(work), &work->run, &work->other_writers, msp, message, sizeof message);
    if (held < 0) {
        work_failed(work, message);
        return;
    }
    if (held == 0) {
        screen_later(work, "another job worked on the run while it was screened");
        return;
    }
    work_done(work);
}

/* Receives the ticket's actions and screens the ticket with them (host.screen). */
static void on_screen_actions(const halyard_halo_response *response, void *argument)
{
    verify_work *work = argument;
    char message[VERIFY_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        work_failed(work, response->message);
        return;
    }
    if (response->status == 404) {
        work_stop_deleted(work);
        return;
    }
    if (response->status != 200) {
        snprintf(message, sizeof message,
                 "HaloPSA answered HTTP %ld listing the actions of ticket %lld", response->status,
                 work->run.ticket_id);
        work_failed(work, message);
        return;
    }
    work->actions_json = strdup(response->body);
    if (work->actions_json == NULL) {
        work_failed(work, "out of memory");
        return;
    }

    /* On a verified run, another end user's actions are screened alone first: a check covers
     * only its requester, and the whole ticket's screening does not tell whose words make a
     * request. */
    if (work->rescreen) {
        int found = halyard_verification_find_other_writers(
            work_store(work), &work->run, work->ticket_json, work->actions_json,
            &work->other_writers, message, sizeof message);
        if (found < 0) {
            work_failed(work, message);
            return;
        }
        if (found == 1) {
            const char *arguments[] = {work->other_writers.ticket_json, NULL,
                                       work->other_writers.actions_json};
            if (start_call(work, "screen", arguments, 3, on_other_writers_screened, message,
                           sizeof message) != 0) {
                work_failed(work, message);
            }
            return;
        }
    }
    screen_ticket(work);
}

/* The details of a check that ends before its challenge was recorded. */
static const char UNRECORDED_DETAIL[] =
    "halyard stopped while sending the challenge, so it is not known whether the requester "
    "received it; it was not sent again";
static const char UNSENT_DETAIL[] =
    "the challenge was not sent: the ticket was deleted or the verification provider was "
    "disconnected before halyard could send it again";

static void read_requester(verify_work *work, const char *ticket_json);
static void end_unrecorded_challenge(verify_work *work, const char *detail);
static void redispatch_challenge(verify_work *work, const char *ticket_json);

static void on_screen_ticket(const halyard_halo_response *response, void *argument)
{
    verify_work *work = argument;
    char message[VERIFY_MESSAGE_MAX];
    if (response->outcome != HALYARD_HALO_OK) {
        work_failed(work, response->message);
        return;
    }
    if (response->status == 404 && !work->ending_unrecorded && !work->redispatching) {
        work_stop_deleted(work);
        return;
    }
    if (response->status != 200 && response->status != 404) {
        snprintf(message, sizeof message, "HaloPSA answered HTTP %ld reading ticket %lld",
                 response->status, work->run.ticket_id);
        work_failed(work, message);
        return;
    }
    if (work->redispatching && response->status == 200) {
        redispatch_challenge(work, response->body);
        return;
    }
    if (work->redispatching) {
        work->ending_unrecorded = true; /* the ticket was deleted before the challenge went out */
    }
    if (work->ending_unrecorded) {
        /* The check of a deleted ticket still ends, with no requester name in its note. */
        if (response->status == 200) {
            read_requester(work, response->body);
        }
        end_unrecorded_challenge(work, work->redispatching ? UNSENT_DETAIL : UNRECORDED_DETAIL);
        return;
    }
    work->ticket_json = strdup(response->body);
    if (work->ticket_json == NULL) {
        work_failed(work, "out of memory");
        return;
    }
    /* The requester's replies are screened too: a request made in a reply needs the same
     * identity check as one in the details. They are read with their HTML, as the sync reads
     * them, so both find the same ticket version. */
    char path[96];
    snprintf(path, sizeof path, "/api/Actions?ticket_id=%lld&includehtmlnote=true",
             work->run.ticket_id);
    char log_ids[128];
    snprintf(log_ids, sizeof log_ids, "msp=%s ticket=%lld run=%lld",
             halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id);
    if (halyard_halo_request_for(halyard_pipeline_task_halo(work->task), log_ids, "GET", path, NULL,
                                 on_screen_actions, work, message, sizeof message) != 0) {
        work_failed(work, message);
    }
}

/* Reads the ticket's user id and name into the work's verification, for the note of a check
 * that ends before its dispatch returned the user it challenged. */
static void read_requester(verify_work *work, const char *ticket_json)
{
    halyard_verification *verification = &work->verification;
    read_field(work, ticket_json, "$.user_name", verification->requester_name,
               sizeof verification->requester_name);
    halyard_json_read_integer(work_json(work), ticket_json, strlen(ticket_json), "$.user_id",
                              &verification->requester_user_id);
}

/* Ends the identity check of a run that screening moved to the wait but whose challenge was
 * never recorded, with detail: halyard stopped, or the job failed, while the challenge was being
 * sent (UNRECORDED_DETAIL). The requester may have received it, so, like a failed dispatch, it
 * is not sent again and ends in the error outcome, whose note asks technicians to confirm the
 * identity another way. A dispatch to be tried again that cannot be ends the same way
 * (UNSENT_DETAIL). */
static void end_unrecorded_challenge(verify_work *work, const char *detail)
{
    char message[VERIFY_MESSAGE_MAX];
    int loaded = load_provider(work, message, sizeof message);
    if (loaded < 0) {
        work_failed(work, message);
        return;
    }
    halyard_verification *verification = &work->verification;
    long long now = halyard_clock_now_ms();
    verification->msp_id = work->run.msp_id;
    verification->run_id = work->run.id;
    verification->ticket_id = work->run.ticket_id;
    snprintf(verification->provider, sizeof verification->provider, "%s",
             loaded == 0 ? work->provider.provider : "none connected");
    snprintf(verification->status, sizeof verification->status, "error");
    snprintf(verification->detail, sizeof verification->detail, "%s", detail);
    verification->started_at_ms = now;
    verification->deadline_ms = now;
    verification->finished_at_ms = now;
    if (halyard_verification_create(work_store(work), verification, message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld the challenge was not recorded; ending the "
                "verification with an error instead of sending it again",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id);
    char outcome_detail[sizeof verification->detail];
    snprintf(outcome_detail, sizeof outcome_detail, "%s", verification->detail);
    finish(work, "error", outcome_detail);
}

/* Sends the challenge again for a run whose last dispatch sent nothing (work->redispatching),
 * with the ticket as read now. HALYARD_VERIFY_EVENT_REDISPATCH is stored first, so a restart
 * during this dispatch ends the check as unrecorded instead of sending a second challenge. */
static void redispatch_challenge(verify_work *work, const char *ticket_json)
{
    char message[VERIFY_MESSAGE_MAX];
    work->ticket_json = strdup(ticket_json);
    if (work->ticket_json == NULL) {
        work_failed(work, "out of memory");
        return;
    }
    int loaded = load_provider(work, message, sizeof message);
    if (loaded < 0) {
        work_failed(work, message);
        return;
    }
    if (loaded == 1) {
        /* The provider was disconnected meanwhile: nothing went out, and nothing can. */
        work->ending_unrecorded = true;
        read_requester(work, ticket_json);
        end_unrecorded_challenge(work, UNSENT_DETAIL);
        return;
    }
    if (halyard_verification_screening_reasons(work_store(work), work->run.id, work->reasons,
                                               sizeof work->reasons, message,
                                               sizeof message) != 0 ||
        halyard_runs_add_event(work_store(work), work->run.id, HALYARD_VERIFY_EVENT_REDISPATCH,
                               "sending the challenge again", message, sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    halyard_log(HALYARD_LOG_INFO, "verify",
                "msp=%s ticket=%lld run=%lld sending the challenge again",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id);
    dispatch_challenge(work);
}

/* Requests the run's ticket, which on_screen_ticket receives. */
static void read_ticket(verify_work *work)
{
    char message[VERIFY_MESSAGE_MAX];
    char path[96];
    snprintf(path, sizeof path, "/api/Tickets/%lld?includedetails=true", work->run.ticket_id);
    char log_ids[128];
    snprintf(log_ids, sizeof log_ids, "msp=%s ticket=%lld run=%lld",
             halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id);
    if (halyard_halo_request_for(halyard_pipeline_task_halo(work->task), log_ids, "GET", path, NULL,
                                 on_screen_ticket, work, message, sizeof message) != 0) {
        work_failed(work, message);
    }
}

void halyard_verification_screen_job(halyard_pipeline_task *task)
{
    verify_work *work = work_start(task, "run_id");
    if (work == NULL) {
        return;
    }

    /* A run screens once before its plan, and again only while it goes on not sensitive and
     * no other job works on it. */
    char message[VERIFY_MESSAGE_MAX];
    const char *state = work->run.state;

    /* A run whose verification is pending but has no pending record was being sent its
     * challenge when halyard stopped or this job failed, after a first screen or a rescreen
     * alike. Records of its earlier checks are final (superseded by a change of user, say).
     * finish() stores a check's outcome and the run's verification in one transaction, so a
     * final latest record is never the check the run waits on. A run left in planning that way
     * by an earlier version of halyard is ended the same way. */
    if (strcmp(work->run.verification, "pending") == 0 &&
        (strcmp(state, HALYARD_RUN_AWAITING_VERIFICATION) == 0 || strcmp(state, "planning") == 0)) {
        halyard_verification latest;
        int found = halyard_verification_get(work_store(work), 0, work->run.id, &latest, message,
                                             sizeof message);
        if (found < 0) {
            work_failed(work, message);
        } else if (found == 1 || strcmp(latest.status, "pending") != 0) {
            /* A dispatch that sent nothing and asked to be tried again is sent again. */
            bool due = false;
            if (halyard_verification_dispatch_retry_due(work_store(work), work->run.id, &due,
                                                        message, sizeof message) != 0) {
                work_failed(work, message);
                return;
            }
            work->redispatching = due;
            work->ending_unrecorded = !due;
            read_ticket(work);
        } else {
            work_done(work);
        }
        return;
    }

    bool screened = strcmp(work->run.verification, "none") != 0;
    if (!work->rescreen && (screened || strcmp(state, "planning") != 0)) {
        work_done(work);
        return;
    }
    if (work->rescreen) {
        halyard_rescreen_timing timing = HALYARD_RESCREEN_NEVER;
        if (halyard_verification_rescreen_timing_stored(work_store(work), &work->run, &timing,
                                                        message, sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        if (timing == HALYARD_RESCREEN_NEVER) {
            work_done(work);
            return;
        }
        int syncing = timing == HALYARD_RESCREEN_NOW
                          ? halyard_verification_sync_running(work_store(work), &work->run, message,
                                                              sizeof message)
                          : 0;
        if (syncing < 0) {
            work_failed(work, message);
            return;
        }
        if (timing == HALYARD_RESCREEN_LATER || syncing == 1) {
            char why[96];
            snprintf(why, sizeof why, "the run is %s%s", state,
                     syncing == 1 ? " and a sync of its ticket is running" : "");
            screen_later(work, why);
            return;
        }
    }
    read_ticket(work);
}

/* Queues the screen job of a run, due at run_after_ms. workflow_reason and workflow_source
 * (work->workflow_source) may be NULL, and the source is kept only with a valid reason. */
static int enqueue_screen(halyard_store *store, long long msp_id, long long run_id, bool rescreen,
                          const char *workflow_reason, const char *workflow_source,
                          long long run_after_ms, char *message, size_t message_size)
{
    sqlite3 *database = halyard_store_database(store);
    sqlite3_stmt *statement = NULL;
    char key[64];
    snprintf(key, sizeof key, "screen:%lld", run_id);

    /* The source is a workflow's or tool's name, free text, so SQLite quotes the payload. */
    bool declared =
        workflow_reason != NULL && halyard_verification_workflow_reason_valid(workflow_reason);
    if (sqlite3_prepare_v2(database,
                           "SELECT CASE WHEN ?3 IS NULL"
                           " THEN json_object('run_id', ?1, 'rescreen', ?2)"
                           " ELSE json_object('run_id', ?1, 'rescreen', ?2, 'workflow_reason', ?3,"
                           "  'workflow_source', coalesce(?4, '')) END",
                           -1, &statement, NULL) != SQLITE_OK) {
        snprintf(message, message_size, "writing the screen job of run %lld failed: %s", run_id,
                 sqlite3_errmsg(database));
        return -1;
    }
    sqlite3_bind_int64(statement, 1, run_id);
    sqlite3_bind_int(statement, 2, rescreen ? 1 : 0);
    if (declared) {
        sqlite3_bind_text(statement, 3, workflow_reason, -1, SQLITE_STATIC);
    }
    if (declared && workflow_source != NULL) {
        sqlite3_bind_text(statement, 4, workflow_source, -1, SQLITE_STATIC);
    }
    int status = -1;
    if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != NULL) {
        status = halyard_jobs_enqueue(store, msp_id, "screen", key,
                                      (const char *)sqlite3_column_text(statement, 0), run_after_ms,
                                      message, message_size);
    } else {
        snprintf(message, message_size, "writing the screen job of run %lld failed: %s", run_id,
                 sqlite3_errmsg(database));
    }
    sqlite3_finalize(statement);
    return status;
}

int halyard_verification_queue_screen(halyard_store *store, long long msp_id, long long run_id,
                                      bool rescreen, char *message, size_t message_size)
{
    return enqueue_screen(store, msp_id, run_id, rescreen, NULL, NULL, 0, message, message_size);
}

int halyard_verification_queue_sensitive_screen(halyard_store *store, long long msp_id,
                                                long long run_id, const char *workflow_reason,
                                                const char *workflow_source, char *message,
                                                size_t message_size)
{
    return enqueue_screen(store, msp_id, run_id, true, workflow_reason, workflow_source, 0, message,
                          message_size);
}

int halyard_verification_screen_queued(halyard_store *store, long long run_id, char *message,
                                       size_t message_size)
{
    char key[64];
    snprintf(key, sizeof key, "screen:%lld", run_id);
    return halyard_jobs_active(store, key, LLONG_MAX, message, message_size);
}

/* Ends a rescreen that found the run busy (why) and queues it again VERIFY_RESCREEN_WAIT_MS
 * later: the run is screened once the other job has left it at rest. */
static void screen_later(verify_work *work, const char *why)
{
    char message[VERIFY_MESSAGE_MAX];
    halyard_log(HALYARD_LOG_DEBUG, "verify",
                "msp=%s ticket=%lld run=%lld screening again in %d ms: %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                VERIFY_RESCREEN_WAIT_MS, why);
    if (enqueue_screen(work_store(work), work->run.msp_id, work->run.id, true,
                       work->workflow_reason, work->workflow_source,
                       halyard_clock_now_ms() + VERIFY_RESCREEN_WAIT_MS, message,
                       sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    work_done(work);
}

/* Queues a screen job for a run whose verification is pending without a record, unless one is
 * queued or running already: that job may be sending the challenge right now. Returns 0, or -1
 * with a message. */
static int queue_recovery(halyard_store *store, const halyard_run *run, char *message,
                          size_t message_size)
{
    if (strcmp(run->verification, "pending") != 0) {
        return 0;
    }
    int queued = halyard_verification_screen_queued(store, run->id, message, message_size);
    if (queued != 0) {
        return queued < 0 ? -1 : 0;
    }
    /* Earlier checks of the run are final, so only a pending latest record is the check the
     * run waits on (see halyard_verification_screen_job). */
    halyard_verification latest;
    int found = halyard_verification_get(store, 0, run->id, &latest, message, message_size);
    if (found < 0) {
        return -1;
    }
    if (found == 0 && strcmp(latest.status, "pending") == 0) {
        return 0;
    }
    char msp[64];
    halyard_verification_msp_name(store, run->msp_id, msp, sizeof msp);
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld verification pending but its challenge was never "
                "recorded: queueing a screen job to end it",
                msp, run->ticket_id, run->id);
    return halyard_verification_queue_screen(store, run->msp_id, run->id, false, message,
                                             message_size);
}

int halyard_verification_on_update(halyard_store *store, const halyard_run *run,
                                   const halyard_ticket_read *read, char *message,
                                   size_t message_size)
{
    /* A check sent to one user never lets the agent act for another (verification_requester.h). */
    /* Another end user's reply on a verified ticket is screened with the update, below
     * (halyard_verification_find_other_writers). */
    int changed =
        halyard_verification_requester_check(store, run, read->ticket_json, message, message_size);
    if (changed != 0) {
        return changed;
    }

    const char *state = run->state;
    bool screened = strcmp(run->verification, "none") != 0;
    if (strcmp(state, "planning") == 0 && !screened) {
        return halyard_verification_queue_screen(store, run->msp_id, run->id, false, message,
                                                 message_size) == 0
                   ? 1
                   : -1;
    }
    if (strcmp(state, HALYARD_RUN_VERIFICATION_FAILED) == 0) {
        return 1;
    }

    /* Nothing plans, posts or executes while a verification is pending. A pending run whose
     * challenge was never recorded and that no screen job works on was left so by a screen job
     * that gave up: a screen job now ends its check (halyard_verification_screen_job). */
    bool pending = strcmp(run->verification, "pending") == 0;
    if (strcmp(state, HALYARD_RUN_AWAITING_VERIFICATION) == 0 ||
        (pending && strcmp(state, "failed") != 0)) {
        return queue_recovery(store, run, message, message_size) == 0 ? 1 : -1;
    }

    /* A run that failed before its verification finished is screened again, never planned. */
    bool cleared = strcmp(run->verification, "not_required") == 0 ||
                   strcmp(run->verification, "verified") == 0 ||
                   strcmp(run->verification, HALYARD_VERIFICATION_OTHER_REQUESTER) == 0 ||
                   strcmp(run->verification, "not_connected") == 0;
    if (strcmp(state, "failed") == 0 && !cleared) {
        /* A check still pending from the wait that failed would end the new wait at its own
         * deadline, so it is set aside first, as a change of user sets a check aside. */
        halyard_verification earlier;
        int found = halyard_verification_get(store, 0, run->id, &earlier, message, message_size);
        if (found < 0) {
            return -1;
        }
        bool set_aside = false;
        if (found == 0 && strcmp(earlier.status, "pending") == 0 &&
            halyard_verification_finish(store, earlier.id, "superseded",
                                        "the run failed while this check waited, and the ticket "
                                        "was screened again",
                                        halyard_clock_now_ms(), &set_aside, message,
                                        message_size) != 0) {
            return -1;
        }
        if (halyard_runs_set_verification(store, run->id, "none", "retry",
                                          "ticket updated after the run failed before its "
                                          "verification finished; screening again",
                                          message, message_size) != 0 ||
            halyard_runs_transition(store, run->id, "planning", "retry",
                                    "ticket updated after the run failed", message,
                                    message_size) != 0 ||
            halyard_verification_queue_screen(store, run->msp_id, run->id, false, message,
                                              message_size) != 0) {
            return -1;
        }
        return 1;
    }

    /* A ticket that was not sensitive, or held without a challenge because only another person
     * asked (halyard_verification_rescreen_timing_stored), may have been edited into one that
     * needs the requester's check, so an update is screened before anything acts on it. The screen
     * queues this sync again when the ticket is still not sensitive, and that sync finds its
     * version screened and goes on. */
    halyard_rescreen_timing timing = HALYARD_RESCREEN_NEVER;
    if (halyard_verification_rescreen_timing_stored(store, run, &timing, message, message_size) !=
        0) {
        return -1;
    }
    if (timing == HALYARD_RESCREEN_NEVER) {
        return 0;
    }
    char read_version[HALYARD_TICKET_VERSION_SIZE];
    char screened_version[HALYARD_TICKET_VERSION_SIZE];
    if (halyard_verification_ticket_version(store, read->ticket_json, read->actions_json,
                                            read->login_agent_id, read_version, message,
                                            message_size) != 0 ||
        halyard_verification_screened_version(store, run->id, screened_version, message,
                                              message_size) != 0) {
        return -1;
    }
    if (strcmp(read_version, screened_version) == 0) {
        return 0;
    }

    /* Every sync before the screening runs finds the same change, and one update often starts
     * two syncs. So only the sync that queues the screening logs it. */
    int queued = halyard_verification_screen_queued(store, run->id, message, message_size);
    if (queued < 0 || halyard_verification_queue_screen(store, run->msp_id, run->id, true, message,
                                                        message_size) != 0) {
        return -1;
    }
    if (queued == 0) {
        char msp[64];
        halyard_verification_msp_name(store, run->msp_id, msp, sizeof msp);
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld the ticket changed since it was screened: the "
                    "run waits in %s until the update is screened",
                    msp, run->ticket_id, run->id, run->state);
    }
    return 1;
}

/* --- Waiting: polls, callbacks, the deadline ------------------------------------------------- */

/* Decides whether a pass counts by when it was given. halyard read it at read_at_ms, and the
 * provider may have given the time of the answer (answered_at_ms, 0 when it gave none). A pass
 * read by the deadline was given in time. A later one counts only when the provider's time is
 * at or before the deadline, or, when the provider gave no time, when halyard read it at most
 * VERIFY_LATE_READ_GRACE_MS after the deadline. So a pass given while halyard was stopped past
 * the deadline does not count. Returns true when the pass counts; otherwise writes why into
 * late_detail, which starts with HALYARD_VERIFY_LATE_PASS_DETAIL. */
static bool pass_in_time(const verify_work *work, long long read_at_ms, long long answered_at_ms,
                         char *late_detail, size_t size)
{
    long long deadline_ms = work->verification.deadline_ms;
    if (read_at_ms <= deadline_ms) {
        return true;
    }
    if (answered_at_ms > 0) {
        if (answered_at_ms <= deadline_ms) {
            return true;
        }
        time_t seconds = (time_t)(answered_at_ms / 1000);
        struct tm utc;
        char answered[32];
        gmtime_r(&seconds, &utc);
        strftime(answered, sizeof answered, "%Y-%m-%d %H:%M:%S UTC", &utc);
        snprintf(late_detail, size, "%s: at %s by the provider's clock, %lld s after it",
                 HALYARD_VERIFY_LATE_PASS_DETAIL, answered,
                 (answered_at_ms - deadline_ms + 999) / 1000);
        return false;
    }
    if (read_at_ms <= deadline_ms + VERIFY_LATE_READ_GRACE_MS) {
        return true;
    }
    snprintf(late_detail, size,
             "%s: halyard first read the pass %lld s after it, and the provider gave no time of "
             "the answer",
             HALYARD_VERIFY_LATE_PASS_DETAIL, (read_at_ms - deadline_ms + 999) / 1000);
    return false;
}

/* Ends the work's check as expired when status is "verified" and the pass came too late
 * (pass_in_time), with a log line naming both times. Returns true when it ended the work. */
static bool expire_late_pass(verify_work *work, const char *status, long long read_at_ms,
                             long long answered_at_ms)
{
    char late[sizeof work->verification.detail];
    if (strcmp(status, "verified") != 0 ||
        pass_in_time(work, read_at_ms, answered_at_ms, late, sizeof late)) {
        return false;
    }
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld verification=%lld the pass came after the deadline, "
                "so the check expires: %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                work->verification.id, late);
    finish(work, "expired", late);
    return true;
}

/* Reads the provider's time of an answer (answered_at_ms, host.lua) from a script's result JSON;
 * 0 when it has none. */
static long long read_answered_at(verify_work *work, const char *answer)
{
    long long answered_at_ms = 0;
    if (halyard_json_read_integer(work_json(work), answer, strlen(answer), "$.answered_at_ms",
                                  &answered_at_ms) != HALYARD_JSON_FOUND ||
        answered_at_ms < 0) {
        return 0;
    }
    return answered_at_ms;
}

/* Receives host.verify_poll's or host.verify_callback's result. */
static void on_status(halyard_lua_result result, char **results, int result_count,
                      const char *error, void *argument)
{
    (void)result_count;
    verify_work *work = argument;
    char message[VERIFY_MESSAGE_MAX];
    char status[16];
    char detail[256];
    char transaction_id[208] = "";
    long long answered_at_ms = 0;
    bool from_callback =
        strcmp(halyard_pipeline_task_job(work->task)->kind, "verify_callback") == 0;

    /* A poll or callback script that did not finish is a failed poll (tried again) or, for
     * a callback, which is delivered once, an error outcome. */
    bool script_failed = result != HALYARD_LUA_OK && result != HALYARD_LUA_CANCELLED;
    if (script_failed) {
        halyard_pipeline_task_set_lua_run(work->task, NULL);
        snprintf(status, sizeof status, "error");
        failed_call_detail(work, from_callback ? "its callback" : "its poll", error, detail,
                           sizeof detail);
    } else {
        const char *answer = call_result(work, result, results, error);
        if (answer == NULL) {
            return;
        }
        read_field(work, answer, "$.status", status, sizeof status);
        read_field(work, answer, "$.detail", detail, sizeof detail);
        cut_secrets(work, detail, sizeof detail);
        script_failed = read_true(work, answer, "$.script_failed");
        answered_at_ms = read_answered_at(work, answer);
        if (from_callback) {
            read_field(work, answer, "$.transaction_id", transaction_id, sizeof transaction_id);
        }
    }

    /* A callback whose script failed ends the verification with an error outcome: the
     * provider sends it once, so dropping it would leave technicians a misleading "did not
     * answer" at the deadline. */
    if (from_callback && strcmp(status, "error") == 0) {
        finish(work, "error", detail);
        return;
    }
    if (from_callback) {
        if (strcmp(transaction_id, work->verification.transaction_id) != 0) {
            halyard_log(HALYARD_LOG_WARNING, "verify",
                        "msp=%s run=%lld callback ignored: the provider's script read another "
                        "transaction than the one the callback was stored for",
                        halyard_pipeline_task_msp(work->task), work->run.id);
            work_done(work);
            return;
        }
    }
    /* A poll that failed (a 5xx, a timeout, a body that is not JSON) is tried again, so one
     * passing fault of the provider does not end a challenge the requester may be answering;
     * only VERIFY_POLL_ERRORS_MAX failures in a row are an error outcome. */
    long long attempt = 1;
    long long errors = 0;
    const halyard_job *job = halyard_pipeline_task_job(work->task);
    halyard_json_read_integer(work_json(work), job->payload, strlen(job->payload), "$.attempt",
                              &attempt);
    halyard_json_read_integer(work_json(work), job->payload, strlen(job->payload), "$.errors",
                              &errors);
    long long config_errors = 0;
    halyard_json_read_integer(work_json(work), job->payload, strlen(job->payload),
                              "$.config_errors", &config_errors);
    bool poll_failed = !from_callback && strcmp(status, "error") == 0;

    /* A provider host missing from http_allow is the operator's to fix, not the provider's
     * fault: polling goes on until the deadline, so a fixed config still learns the answer.
     * It is logged and recorded once per streak, and kept as the verification's detail so
     * that the deadline ends it as an error naming the problem, not as unanswered. */
    bool config_error = poll_failed && strstr(detail, "http_allow") != NULL;
    if (config_error) {
        if (config_errors == 0) {
            char problem[sizeof work->verification.detail];
            snprintf(problem, sizeof problem,
                     "configuration error: the provider's host is not in http_allow for MSP %s, "
                     "so halyard could not read the answer; add it to http_allow",
                     halyard_pipeline_task_msp(work->task));
            if (halyard_verification_set_detail(work_store(work), work->verification.id, problem,
                                                message, sizeof message) != 0) {
                work_failed(work, message);
                return;
            }
            halyard_log(HALYARD_LOG_ERROR, "verify",
                        "msp=%s run=%lld verification=%lld configuration error: the provider's "
                        "host is not in http_allow for MSP %s: add it to http_allow in the "
                        "config and restart halyard serve; polling goes on until the deadline (%s)",
                        halyard_pipeline_task_msp(work->task), work->run.id, work->verification.id,
                        halyard_pipeline_task_msp(work->task), detail);
            if (halyard_runs_add_event(work_store(work), work->run.id, "verification_config_error",
                                       detail, message, sizeof message) != 0) {
                work_failed(work, message);
                return;
            }
        }
        config_errors++;
    } else if (poll_failed && errors + 1 < VERIFY_POLL_ERRORS_MAX) {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s run=%lld verification=%lld poll %lld failed (%lld in a row), "
                    "polling again: %s",
                    halyard_pipeline_task_msp(work->task), work->run.id, work->verification.id,
                    attempt, errors + 1, detail);
        if (halyard_runs_add_event(work_store(work), work->run.id, "verification_poll_failed",
                                   detail, message, sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        errors++;
    } else if (poll_failed) {
        /* The last of VERIFY_POLL_ERRORS_MAX failed polls in a row: the note names the streak
         * and whether the provider or its script failed, not only the last error. */
        char streak[sizeof work->verification.detail];
        if (script_failed) {
            snprintf(streak, sizeof streak,
                     "halyard could not run the provider script %.40s.lua on %d polls in a row, "
                     "so whether the requester answered could not be read (last: %.80s)",
                     work->provider.provider, VERIFY_POLL_ERRORS_MAX, detail);
        } else {
            snprintf(streak, sizeof streak,
                     "the verification provider failed %d polls in a row, so whether the "
                     "requester answered could not be read (last: %.110s)",
                     VERIFY_POLL_ERRORS_MAX, detail);
        }
        finish(work, "error", streak);
        return;
    } else if (strcmp(status, "pending") != 0) {
        /* A callback was received when the API stored it (the job's received_at_ms); a poll's
         * answer is read now. */
        long long read_at_ms = halyard_clock_now_ms();
        if (from_callback) {
            halyard_json_read_integer(work_json(work), job->payload, strlen(job->payload),
                                      "$.received_at_ms", &read_at_ms);
        }
        if (expire_late_pass(work, status, read_at_ms, answered_at_ms)) {
            return;
        }
        finish(work, status, detail);
        return;
    } else {
        if (config_errors > 0 &&
            halyard_verification_set_detail(work_store(work), work->verification.id, "", message,
                                            sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
        errors = 0;
        config_errors = 0;
    }
    if (from_callback) {
        work_done(work);
        return;
    }

    /* Still pending: poll again, unless the deadline job comes first. */
    long long next = halyard_clock_now_ms() + VERIFY_POLL_INTERVAL_MS;
    if (next < work->verification.deadline_ms) {
        char key[96];
        char payload[192];
        snprintf(key, sizeof key, "verify_poll:%lld:%lld", work->verification.id, attempt + 1);
        snprintf(payload, sizeof payload,
                 "{\"verification_id\":%lld,\"attempt\":%lld,\"errors\":%lld,"
                 "\"config_errors\":%lld}",
                 work->verification.id, attempt + 1, errors, config_errors);
        if (halyard_jobs_enqueue(work_store(work), work->run.msp_id, "verify_poll", key, payload,
                                 next, message, sizeof message) != 0) {
            work_failed(work, message);
            return;
        }
    }
    work_done(work);
}

/* The error outcome of a verification whose provider was disconnected or replaced during the
 * wait, the same for a polled and a callback provider. */
static const char PROVIDER_GONE_DETAIL[] =
    "the verification provider was disconnected or replaced while the requester was answering";

/* Loads the provider of a pending verification into the work. Returns 0 when it is loaded, 1
 * when it was disconnected or replaced meanwhile, or -1 with a message. */
static int load_waiting_provider(verify_work *work, char *message, size_t message_size)
{
    int loaded = load_provider(work, message, message_size);
    if (loaded == 0 && strcmp(work->provider.provider, work->verification.provider) != 0) {
        return 1;
    }
    return loaded;
}

/* Starts a job that asks the provider's script about a pending verification. */
static verify_work *start_waiting_job(halyard_pipeline_task *task)
{
    verify_work *work = work_start(task, "verification_id");
    if (work == NULL) {
        return NULL;
    }
    if (strcmp(work->verification.status, "pending") != 0) {
        work_done(work);
        return NULL;
    }
    char message[VERIFY_MESSAGE_MAX];
    int loaded = load_waiting_provider(work, message, sizeof message);
    if (loaded == 1) {
        finish(work, "error", PROVIDER_GONE_DETAIL);
        return NULL;
    }
    if (loaded < 0) {
        work_failed(work, message);
        return NULL;
    }
    return work;
}

void halyard_verification_poll_job(halyard_pipeline_task *task)
{
    verify_work *work = start_waiting_job(task);
    if (work == NULL) {
        return;
    }
    if (halyard_clock_now_ms() >= work->verification.deadline_ms) {
        work_done(work); /* the deadline job finishes it */
        return;
    }
    char message[VERIFY_MESSAGE_MAX];
    char *settings = provider_settings(work);
    if (settings == NULL) {
        work_failed(work, "out of memory writing the provider's settings");
        return;
    }
    const char *arguments[] = {work->provider.provider, work->verification.transaction_id,
                               settings};
    int started = start_call(work, "verify_poll", arguments, 3, on_status, message, sizeof message);
    sodium_memzero(settings, strlen(settings));
    free(settings);
    if (started != 0) {
        work_failed(work, message);
    }
}

void halyard_verification_callback_job(halyard_pipeline_task *task)
{
    verify_work *work = start_waiting_job(task);
    if (work == NULL) {
        return;
    }
    char message[VERIFY_MESSAGE_MAX];
    char *body = NULL;
    if (halyard_verification_take_callback(work_store(work), work->verification.id, &body, message,
                                           sizeof message) != 0) {
        work_failed(work, message);
        return;
    }
    if (body == NULL) {
        work_done(work);
        return;
    }
    char *settings = provider_settings(work);
    if (settings == NULL) {
        free(body);
        work_failed(work, "out of memory writing the provider's settings");
        return;
    }
    /* NOTE: the callback's headers are not stored with its body, so the script gets {}. */
    const char *arguments[] = {work->provider.provider, "{}", body, settings};
    int started =
        start_call(work, "verify_callback", arguments, 4, on_status, message, sizeof message);
    sodium_memzero(settings, strlen(settings));
    free(settings);
    free(body);
    if (started != 0) {
        work_failed(work, message);
    }
}

/* Ends a check at its deadline with the error outcome because halyard could not ask the
 * provider: cause names what failed ("read the connected verification provider", "run the
 * provider script traceless.lua"), and problem is the message, cut of secrets. The requester
 * may have answered in time, so the check neither expires nor blames them. Ends the work. */
static void end_unread_at_deadline(verify_work *work, const char *cause, const char *problem)
{
    char detail[sizeof work->verification.detail];
    snprintf(detail, sizeof detail,
             "halyard could not %.60s at the deadline, so whether the requester answered the "
             "challenge could not be read (%.90s)",
             cause, problem[0] != '\0' ? problem : "no detail");
    cut_secrets(work, detail, sizeof detail);
    halyard_log(HALYARD_LOG_WARNING, "verify",
                "msp=%s ticket=%lld run=%lld verification=%lld the check ends with the error "
                "outcome: halyard could not %s at the deadline: %s",
                halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                work->verification.id, cause, detail);
    finish(work, "error", detail);
}

/* Ends a check that reached its deadline without a final status: as the configuration error
 * its polls recorded, or else as expired. polled is false for a callback provider, which
 * halyard cannot ask, so its detail says that no callback with a result arrived rather than
 * that the requester did not answer. Ends the work. */
static void expire_unanswered(verify_work *work, bool polled)
{
    if (strncmp(work->verification.detail, "configuration error", 19) == 0) {
        char problem[sizeof work->verification.detail];
        snprintf(problem, sizeof problem, "%s", work->verification.detail);
        finish(work, "error", problem);
        return;
    }
    char detail[160];
    if (polled) {
        snprintf(detail, sizeof detail, "no answer within %lld s", work->timeout_s);
    } else {
        snprintf(detail, sizeof detail, "%s within %lld s", HALYARD_VERIFY_NO_CALLBACK_DETAIL,
                 work->timeout_s);
    }
    finish(work, "expired", detail);
}

/* Receives the result of the deadline job's poll. A final status (verified, failed, expired)
 * is the outcome, and pending expires the check. A poll that failed ends the check with the
 * error outcome, because the requester may have answered in time and halyard could not read
 * it: its note says whether the provider failed (it answered an error status or could not be
 * reached) or halyard could not run the provider script (missing, raised an error, returned
 * no valid status, did not finish). A callback provider's script has no poll function, and
 * its check expires. */
static void on_deadline_poll(halyard_lua_result result, char **results, int result_count,
                             const char *error, void *argument)
{
    (void)result_count;
    verify_work *work = argument;
    char status[16] = "error";
    char detail[256];
    bool script_failed = false;
    long long answered_at_ms = 0;
    if (result != HALYARD_LUA_OK && result != HALYARD_LUA_CANCELLED) {
        halyard_pipeline_task_set_lua_run(work->task, NULL);
        failed_call_detail(work, "its poll at the deadline", error, detail, sizeof detail);
        script_failed = true;
    } else {
        const char *answer = call_result(work, result, results, error);
        if (answer == NULL) {
            return;
        }
        read_field(work, answer, "$.status", status, sizeof status);
        read_field(work, answer, "$.detail", detail, sizeof detail);
        cut_secrets(work, detail, sizeof detail);
        script_failed = read_true(work, answer, "$.script_failed");
        answered_at_ms = read_answered_at(work, answer);
    }

    bool final = strcmp(status, "verified") == 0 || strcmp(status, "failed") == 0 ||
                 strcmp(status, "expired") == 0;
    if (final) {
        halyard_log(HALYARD_LOG_INFO, "verify",
                    "msp=%s ticket=%lld run=%lld verification=%lld the poll at the deadline "
                    "read %s",
                    halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                    work->verification.id, status);
        if (expire_late_pass(work, status, halyard_clock_now_ms(), answered_at_ms)) {
            return;
        }
        finish(work, status, detail);
        return;
    }
    /* A callback provider's script has no poll function, which is no failure to report. */
    bool polled = strstr(detail, "has no poll function") == NULL;
    bool configuration_error = strncmp(work->verification.detail, "configuration error", 19) == 0;
    if (script_failed && polled) {
        char cause[128];
        snprintf(cause, sizeof cause, "run the provider script %s.lua", work->provider.provider);
        end_unread_at_deadline(work, cause, detail);
        return;
    }
    if (strcmp(status, "pending") != 0 && polled && !configuration_error) {
        halyard_log(HALYARD_LOG_WARNING, "verify",
                    "msp=%s ticket=%lld run=%lld verification=%lld the poll at the deadline "
                    "failed, so the check ends with the error outcome: %s",
                    halyard_pipeline_task_msp(work->task), work->run.ticket_id, work->run.id,
                    work->verification.id, detail);
        char unreachable[sizeof work->verification.detail];
        snprintf(unreachable, sizeof unreachable,
                 "the verification provider could not be reached at the deadline, so whether "
                 "the requester answered the challenge could not be confirmed (%.100s)",
                 detail[0] != '\0' ? detail : "no detail");
        finish(work, "error", unreachable);
        return;
    }
    expire_unanswered(work, polled);
}

void halyard_verification_deadline_job(halyard_pipeline_task *task)
{
    verify_work *work = work_start(task, "verification_id");
    if (work == NULL) {
        return;
    }
    if (strcmp(work->verification.status, "pending") != 0) {
        work_done(work);
        return;
    }
    /* A callback provider disconnected during the wait has no poll that would notice. A
     * provider that cannot be loaded does not keep the check from expiring. */
    char message[VERIFY_MESSAGE_MAX];
    int loaded = load_waiting_provider(work, message, sizeof message);
    if (loaded == 1) {
        finish(work, "error", PROVIDER_GONE_DETAIL);
        return;
    }
    if (loaded < 0) {
        end_unread_at_deadline(work, "read the connected verification provider", message);
        return;
    }

    /* The provider is asked once more before the check expires. halyard may have been stopped
     * or busy when the deadline passed, with the last poll's result never read, so a requester
     * who answered in time would be recorded as expired. A callback provider's script has no
     * poll function, and that error expires the check as before. A pass read here counts
     * only when it came in time (pass_in_time). */
    char *settings = provider_settings(work);
    if (settings == NULL) {
        work_failed(work, "out of memory writing the provider's settings");
        return;
    }
    const char *arguments[] = {work->provider.provider, work->verification.transaction_id,
                               settings};
    int started =
        start_call(work, "verify_poll", arguments, 3, on_deadline_poll, message, sizeof message);
    sodium_memzero(settings, strlen(settings));
    free(settings);

    /* The deadline job does not wait for the MSP's scripts, which load as halyard serve
     * starts, so a deadline due at the start is tried again shortly. Scripts that still cannot
     * be called after VERIFY_DEADLINE_CALL_ATTEMPTS end the check with the error outcome. */
    if (started != 0 &&
        halyard_pipeline_task_job(task)->attempts + 1 < VERIFY_DEADLINE_CALL_ATTEMPTS) {
        work_failed(work, message);
        return;
    }
    if (started != 0) {
        char cause[128];
        snprintf(cause, sizeof cause, "run the provider script %s.lua", work->provider.provider);
        end_unread_at_deadline(work, cause, message);
    }
}

void halyard_verification_resume_job(halyard_pipeline_task *task)
{
    verify_work *work = work_start(task, "run_id");
    if (work == NULL) {
        return;
    }
    char message[VERIFY_MESSAGE_MAX];
    if (strcmp(work->run.state, HALYARD_RUN_AWAITING_VERIFICATION) != 0) {
        work_done(work);
        return;
    }

    /* A Plan-mode run screened again after its plan note has nothing more to write. Any other
     * run is planned with the verified ticket: an Execute-mode run then requests approval
     * again, because the request it had before was set aside when the ticket became
     * sensitive. */
    bool noted = strcmp(work->run.mode, "execute") != 0 && work->run.note_action_id != 0;
    bool moved = false;
    halyard_store *store = work_store(work);
    int status = halyard_store_execute(store, "BEGIN IMMEDIATE", "starting a transaction", message,
                                       sizeof message);
    if (status == 0 && noted) {
        status = halyard_runs_transition_from(
            store, work->run.id, HALYARD_RUN_AWAITING_VERIFICATION, "done", "verified",
            "requester verified; the plan note was posted before", &moved, message, sizeof message);
    } else if (status == 0) {
        status = halyard_runs_transition_from(
            store, work->run.id, HALYARD_RUN_AWAITING_VERIFICATION, "planning", "verified",
            "requester verified; the agent starts", &moved, message, sizeof message);
        if (status == 0 && moved) {
            status = halyard_pipeline_enqueue_sync(store, work->run.msp_id, work->run.ticket_id,
                                                   message, sizeof message);
        }
    }
    if (status == 0) {
        status = halyard_store_execute(store, "COMMIT", "committing", message, sizeof message);
    }
    if (status != 0) {
        sqlite3_exec(halyard_store_database(store), "ROLLBACK", NULL, NULL, NULL);
        work_failed(work, message);
        return;
    }
    work_done(work);
}
