#include "store_schema.h"

/* Migrations in order: entry i brings the schema from version i to i + 1. Never edit an entry
 * that has shipped; add a new one. */
static const char *const store_migrations[] = {
    /* 1: MSPs, integrations, clients, deliveries, jobs, runs, admin tokens, script data. */
    "CREATE TABLE msps ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));"

    "CREATE TABLE integrations ("
    "  msp_id INTEGER PRIMARY KEY REFERENCES msps(id),"
    "  instance_url TEXT NOT NULL,"
    "  token_url TEXT NOT NULL,"
    "  tenant TEXT,"
    "  client_id TEXT NOT NULL,"
    "  client_secret_sealed TEXT NOT NULL,"
    "  scope TEXT NOT NULL,"
    "  login_agent_id INTEGER,"
    "  login_agent_name TEXT,"
    "  public_url TEXT,"
    "  webhook_id TEXT,"
    "  webhook_username TEXT,"
    "  webhook_password_sealed TEXT,"
    /* 1 once HaloPSA's webhook holds the stored password; HaloPSA never shows it back. */
    "  webhook_password_pushed INTEGER NOT NULL DEFAULT 0,"
    "  updated_at TEXT NOT NULL);"

    "CREATE TABLE clients ("
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  halo_client_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  mode TEXT NOT NULL DEFAULT 'plan' CHECK (mode IN ('plan', 'execute')),"
    "  imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (msp_id, halo_client_id));"

    /* One row per webhook event, stored before the delivery is acknowledged. event_guid is the
     * event's own id; a body that could not be read has no guid and a flag saying why. */
    "CREATE TABLE deliveries ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL,"
    "  event_guid TEXT,"
    "  received_at TEXT NOT NULL,"
    "  event TEXT,"
    "  ticket_id INTEGER,"
    "  body BLOB NOT NULL,"
    "  flag TEXT,"
    "  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'queued', 'done', 'flagged')));"
    "CREATE UNIQUE INDEX deliveries_event ON deliveries (msp_id, event_guid)"
    "  WHERE event_guid IS NOT NULL;"
    "CREATE INDEX deliveries_state ON deliveries (state, id);"

    /* Durable jobs: at-least-once work with an idempotency key, backoff and a dead state. */
    "CREATE TABLE jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL UNIQUE,"
    "  payload TEXT NOT NULL DEFAULT '{}',"
    "  state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'running', 'done', 'dead')),"
    "  rerun INTEGER NOT NULL DEFAULT 0," /* asked for again while running */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  run_after_ms INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX jobs_ready ON jobs (state, run_after_ms);"

    /* One run per ticket the agent works (a reopened ticket starts a new one). */
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL,"
    "  halo_client_id INTEGER NOT NULL,"
    "  ticket_id INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  mode TEXT NOT NULL,"
    "  plan_json TEXT,"
    "  note_html TEXT,"
    "  note_action_id INTEGER,"
    "  ticket_closed INTEGER NOT NULL DEFAULT 0," /* closed when last synced */
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX runs_ticket ON runs (msp_id, ticket_id);"
    "CREATE TABLE run_events ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  at TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '');"

    /* Admin API tokens, stored as SHA-256 hashes. */
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  name TEXT NOT NULL,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL,"
    "  last_used_at TEXT);"

    /* Scripts' key/value data (the Lua `store` module), one key space per MSP. kind names how
     * value reads back: string and table (JSON text) are blobs, integer, number and boolean
     * are SQLite numbers. Times are ms on the business clock; a NULL expiry never expires. */
    "CREATE TABLE script_store ("
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  key BLOB NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('string', 'integer', 'number', 'boolean', 'table')),"
    "  value NOT NULL,"
    "  expires_at_ms INTEGER,"
    "  updated_at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (msp_id, key)) WITHOUT ROWID;"
    "CREATE INDEX script_store_expiry ON script_store (msp_id, expires_at_ms)"
    "  WHERE expires_at_ms IS NOT NULL;"

    "INSERT INTO msps (name) VALUES ('default');",

    /* 2: what screening found on a run, and the writes halyard makes for runs. */
    "ALTER TABLE runs ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;"
    /* none (not screened yet), not_required, pending, verified, failed, expired, error,
     * not_connected (sensitive, and the MSP has no verification provider) */
    "ALTER TABLE runs ADD COLUMN verification TEXT NOT NULL DEFAULT 'none';"
    "ALTER TABLE runs ADD COLUMN screening_json TEXT;" /* the sensitive policy's verdict */

    /* One row per HaloPSA write of a run (run_writes.h), made once: state sending is stored
     * before the request goes out, so a write whose outcome is unknown is looked for in
     * HaloPSA before it is sent again. then_* is the job queued once the write is done. */
    "CREATE TABLE run_writes ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  ticket_id INTEGER NOT NULL,"
    "  key TEXT NOT NULL,"
    "  write_json TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'sending', 'done', 'failed')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  action_id INTEGER,"
    "  how TEXT,"
    "  last_error TEXT,"
    "  then_kind TEXT,"
    "  then_payload TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  UNIQUE (run_id, key));",

    /* 3: identity verification: one connected provider per MSP with its secrets sealed, and one
     * verification per run. status is pending, verified, failed, expired, error or
     * no_contact (the requester has no e-mail or phone on file). Times are ms on the business
     * clock. callback_url is where the provider posts results, from public_url at connect time.
     * callback_body holds a signed callback that a job has yet to read. */
    "CREATE TABLE verification_providers ("
    "  msp_id INTEGER PRIMARY KEY REFERENCES msps(id),"
    "  provider TEXT NOT NULL,"
    "  url TEXT NOT NULL,"
    "  api_key_sealed TEXT,"
    "  callback_secret_sealed TEXT NOT NULL,"
    "  channel TEXT,"
    "  callback_url TEXT NOT NULL,"
    "  connected_at TEXT NOT NULL);"
    "CREATE TABLE verifications ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  run_id INTEGER NOT NULL UNIQUE,"
    "  ticket_id INTEGER NOT NULL,"
    "  provider TEXT NOT NULL,"
    "  transaction_id TEXT,"
    "  method TEXT,"
    "  requester_name TEXT,"
    "  status TEXT NOT NULL DEFAULT 'pending',"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  started_at_ms INTEGER NOT NULL,"
    "  deadline_ms INTEGER NOT NULL,"
    "  finished_at_ms INTEGER,"
    "  callback_body TEXT);"
    "CREATE UNIQUE INDEX verifications_transaction ON verifications"
    "  (msp_id, provider, transaction_id) WHERE transaction_id IS NOT NULL;",

    /* 4: Execute mode: approval requests, the replies read while a run waits, and the steps
     * that ran. Times in *_ms columns are ms on the business clock. */
    "CREATE TABLE approval_requests ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  plan_hash TEXT NOT NULL,"  /* of the plan whose steps the request showed */
    "  steps_json TEXT NOT NULL," /* the steps that need approval, as shown */
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied',"
    "    'expired', 'superseded')),"
    "  expires_at_ms INTEGER NOT NULL,"
    "  decided_by_agent_id INTEGER,"
    "  decided_by_action_id INTEGER,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX approval_requests_run ON approval_requests (run_id, state);"

    /* Every action read on a ticket while its run waited, once per run. assigned_agent_id is
     * the ticket's agent_id as read when the reply was processed. counted is 1 when that
     * technician wrote the reply, so its decision counted. */
    "CREATE TABLE run_replies ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  action_id INTEGER NOT NULL,"
    "  request_id INTEGER REFERENCES approval_requests(id),"
    "  author_agent_id INTEGER NOT NULL DEFAULT 0," /* 0 for an end user */
    "  author TEXT NOT NULL DEFAULT '',"
    "  assigned_agent_id INTEGER NOT NULL DEFAULT 0,"
    "  decision TEXT NOT NULL CHECK (decision IN ('approve', 'deny', 'neutral', 'skipped')),"
    "  counted INTEGER NOT NULL DEFAULT 0,"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  text TEXT NOT NULL DEFAULT ''," /* the reply as plain text, for the agent's context */
    "  read_at TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, action_id));"

    /* Steps of Execute-mode runs, recorded as started before they run or their write is
     * queued, so a step never runs twice: one row per run, plan and step number. */
    "CREATE TABLE run_steps ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  plan_hash TEXT NOT NULL,"
    "  step_number INTEGER NOT NULL,"
    "  tool TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('started', 'queued', 'done', 'rejected', 'failed',"
    "    'interrupted')),"
    "  write_key TEXT," /* the run_writes key of its HaloPSA write */
    "  result_json TEXT,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  PRIMARY KEY (run_id, plan_hash, step_number));",

    /* 5: signed verification callbacks that arrived before halyard stored their transaction
     * (a fast provider answers before the dispatch's response is recorded). Kept a short time
     * and matched when the verification is stored. */
    "CREATE TABLE verification_early_callbacks ("
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  provider TEXT NOT NULL,"
    "  transaction_id TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  received_at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (msp_id, provider, transaction_id));",

    /* 6: the technician an approval request was last addressed to, so that halyard notes a
     * reassignment while it waits for the new assignee once. addressed_agent_id is 0 for an
     * unassigned ticket and NULL for a request opened before this version (not known).
     * addressed_changes counts those reassignments and numbers their notes. */
    "ALTER TABLE approval_requests ADD COLUMN addressed_agent_id INTEGER;"
    "ALTER TABLE approval_requests ADD COLUMN addressed_changes INTEGER NOT NULL DEFAULT 0;",

    /* 7: who a verification's challenge was sent to: the HaloPSA user and the e-mail address
     * or phone number used. A check counts for that user only, so a ticket whose user changed
     * is checked again. NULL for a verification stored before this version (not known). */
    "ALTER TABLE verifications ADD COLUMN requester_user_id INTEGER;"
    "ALTER TABLE verifications ADD COLUMN requester_contact TEXT;",

    /* 8: the provider URL sealed like the API key, because its path can carry a credential
     * (an automation platform's catch hook has its token there). url keeps only the shown
     * form, scheme://host[:port] with the rest hidden. SQL cannot seal, so a URL stored before
     * this version stays in url, with url_sealed NULL, until halyard next opens the data folder
     * (halyard_verification_seal_stored_urls). Verifications lose UNIQUE on run_id, so a run
     * keeps the records of its earlier checks (a superseded check's late callback finds its
     * record), and the latest one is the run's current check. */
    "ALTER TABLE verification_providers ADD COLUMN url_sealed TEXT;"
    "CREATE TABLE verifications_new ("
    "  id INTEGER PRIMARY KEY,"
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  run_id INTEGER NOT NULL,"
    "  ticket_id INTEGER NOT NULL,"
    "  provider TEXT NOT NULL,"
    "  transaction_id TEXT,"
    "  method TEXT,"
    "  requester_name TEXT,"
    "  status TEXT NOT NULL DEFAULT 'pending',"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  started_at_ms INTEGER NOT NULL,"
    "  deadline_ms INTEGER NOT NULL,"
    "  finished_at_ms INTEGER,"
    "  callback_body TEXT,"
    "  requester_user_id INTEGER,"
    "  requester_contact TEXT);"
    "INSERT INTO verifications_new SELECT id, msp_id, run_id, ticket_id, provider,"
    "  transaction_id, method, requester_name, status, detail, started_at_ms, deadline_ms,"
    "  finished_at_ms, callback_body, requester_user_id, requester_contact FROM verifications;"
    "DROP TABLE verifications;"
    "ALTER TABLE verifications_new RENAME TO verifications;"
    "CREATE UNIQUE INDEX verifications_transaction ON verifications"
    "  (msp_id, provider, transaction_id) WHERE transaction_id IS NOT NULL;"
    "CREATE INDEX verifications_run ON verifications (run_id, id);",

    /* 9: the e-mail address on file for the challenged user when the challenge was sent. The
     * agent acts on the ticket's e-mail address, so a check counts only while the ticket's
     * address is this one. NULL for a verification stored before this version (not known). */
    "ALTER TABLE verifications ADD COLUMN requester_email TEXT;",

    /* 10: a run's events by run and kind, read before each step of an executing run (whether
     * its client was switched to Plan mode meanwhile) and when a run is shown. */
    "CREATE INDEX run_events_run ON run_events (run_id, kind);",

    /* 11: the texts of an MSP's own script files that serve (script_texts.h), replaced whole at
     * each swap of its scripts. At start, a file whose text on disk fails loads its text from
     * here. Shipped files are not kept: they come with the install, alike for every MSP. */
    "CREATE TABLE script_texts ("
    "  msp_id INTEGER NOT NULL REFERENCES msps(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('tool', 'workflow', 'policy', 'verifier')),"
    "  path TEXT NOT NULL,"
    "  serving_path TEXT NOT NULL,"
    "  text BLOB NOT NULL,"
    "  PRIMARY KEY (msp_id, kind, path)) WITHOUT ROWID;",

    /* 12: the ticket's version (verification_version.h, which leaves out halyard's own actions)
     * that a run's last failed plan was made from. A sync of the failed run plans again only
     * when the ticket's version differs, so halyard's own failure note is no update. */
    "ALTER TABLE runs ADD COLUMN plan_failed_version TEXT;",

    /* 13: tickets a sync found missing in HaloPSA (HTTP 404), on the business clock, so the
     * deliveries scan skips further events for them for a while (pipeline_missing.h). */
    "CREATE TABLE missing_tickets ("
    "  msp_id INTEGER NOT NULL,"
    "  ticket_id INTEGER NOT NULL,"
    "  found_at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (msp_id, ticket_id)) WITHOUT ROWID;",
};

size_t halyard_store_migration_count(void)
{
    return sizeof store_migrations / sizeof store_migrations[0];
}

const char *halyard_store_migration(size_t index)
{
    return index < halyard_store_migration_count() ? store_migrations[index] : NULL;
}
