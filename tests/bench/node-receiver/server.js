'use strict';
// The comparison receiver of scripts/bench.sh intake: the webhook receiver an MSP might wire up
// with Node.js, http and better-sqlite3. It checks the same HTTP Basic credentials as halyard
// (compared as SHA-256 digests with crypto.timingSafeEqual), reads a single event or a batched
// array, and stores each event in SQLite (WAL, synchronous=FULL, deduplicated by the event's
// GUID) in one transaction per request before it answers 200. An unreadable body is stored with
// a flag and answered 200, as halyard does.
//
//   node server.js --database FILE --username NAME --password-file FILE [--listen HOST:PORT]
//
// Prints "listening on http://HOST:PORT" once bound (port 0 picks a free one) and exits 0 on
// SIGINT or SIGTERM.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const Database = require('better-sqlite3');

const MAX_BODY_BYTES = 1024 * 1024;

function readOptions(argv) {
  const options = { listen: '127.0.0.1:0' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!['--database', '--username', '--password-file', '--listen'].includes(name) || !value) {
      throw new Error(`invalid option '${name}'; expected --database FILE --username NAME ` +
        '--password-file FILE [--listen HOST:PORT]');
    }
    options[name.slice(2).replace('-file', 'File')] = value;
  }
  if (!options.database || !options.username || !options.passwordFile) {
    throw new Error('--database, --username and --password-file are required');
  }
  return options;
}

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest();
}

// One row per event: [guid, event name, ticket id, JSON text, flag].
function rowsOf(body) {
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    return [[null, null, null, body, 'not_json']];
  }
  if (value === null || typeof value !== 'object') {
    return [[null, null, null, body, 'not_an_event']];
  }
  const events = Array.isArray(value) ? value : [value];
  if (events.length === 0) {
    return [[null, null, null, body, 'empty_batch']];
  }
  return events.map((event) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return [null, null, null, JSON.stringify(event), 'not_an_event'];
    }
    const text = Array.isArray(value) ? JSON.stringify(event) : body;
    const id = event.id;
    if (typeof id !== 'string' || id.length < 1 || id.length > 128) {
      return [null, null, null, text, 'missing_id'];
    }
    const ticket = event.ticket && Number.isInteger(event.ticket.id) ? event.ticket.id
      : (Number.isInteger(event.object_id) ? event.object_id : null);
    return [id, typeof event.event === 'string' ? event.event : null, ticket, text, null];
  });
}

function main() {
  const options = readOptions(process.argv.slice(2));
  const password = fs.readFileSync(options.passwordFile, 'utf8').trim();
  const expected = sha256(`Basic ${Buffer.from(`${options.username}:${password}`).toString('base64')}`);

  const database = new Database(options.database);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec(`CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    event_guid TEXT UNIQUE,
    received_at TEXT NOT NULL,
    event TEXT,
    ticket_id INTEGER,
    body TEXT NOT NULL,
    flag TEXT)`);
  const insert = database.prepare(`INSERT INTO deliveries
    (event_guid, received_at, event, ticket_id, body, flag) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const storeRows = database.transaction((rows, receivedAt) => {
    let stored = 0;
    for (const row of rows) {
      stored += insert.run(row[0], receivedAt, row[1], row[2], row[3], row[4]).changes;
    }
    return stored;
  });

  const server = http.createServer((request, response) => {
    const answer = (status, body, headers = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/hooks/halopsa/default') {
      answer(404, { error: 'not found' });
      return;
    }
    const chunks = [];
    let length = 0;
    request.on('data', (chunk) => {
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      if (length > MAX_BODY_BYTES) {
        answer(413, { error: 'body too large' }, { Connection: 'close' });
        return;
      }
      const presented = sha256(request.headers.authorization || '');
      if (!crypto.timingSafeEqual(presented, expected)) {
        answer(401, { error: 'invalid webhook credentials' },
          { 'WWW-Authenticate': 'Basic realm="receiver"' });
        return;
      }
      const rows = rowsOf(Buffer.concat(chunks).toString('utf8'));
      try {
        const stored = storeRows(rows, new Date().toISOString());
        answer(200, { stored, flagged: rows.filter((row) => row[4] !== null).length });
      } catch (error) {
        console.error(`storing a delivery failed: ${error.message}`);
        answer(503, { error: 'storing the delivery failed; retry later' });
      }
    });
  });

  const [host, port] = options.listen.split(/:(?=\d+$)/);
  server.listen(Number(port), host, () => {
    console.log(`listening on http://${host}:${server.address().port}`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  console.error(`node-receiver: ${error.message}`);
  process.exit(1);
}
