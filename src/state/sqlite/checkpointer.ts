/**
 * Copies the SQLite write-ahead log back into the database file from a
 * worker thread. SQLite's own automatic checkpoint runs inside a commit, on
 * the event loop, with an fsync: most of what accepting an event cost
 * (docs/performance.md). A PASSIVE checkpoint on a second connection
 * never blocks our writes, and the main thread only commits. The worker also
 * cuts back a log that a burst grew, which does block them, so only after a
 * quiet second.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const EVERY_MS = 1_000;
/** A log grown past this by a burst is cut back to nothing once the burst is over. */
const LOG_LIMIT_BYTES = 64 * 1024 * 1024;

// Plain CommonJS evaluated in the worker, so the bundle needs no second entry file. Cutting the file
// (TRUNCATE) holds commits back while it runs, for tens of milliseconds under load, so it waits for
// a quiet second: all of the log copied, and no commit since the last look.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const logSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
let lastLog = -1;
const timer = setInterval(() => {
  const [{ busy, log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  const quiet = !busy && log === checkpointed && log === lastLog;
  lastLog = log;
  if (quiet && logSize() > workerData.logLimitBytes) db.pragma('wal_checkpoint(TRUNCATE)');
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private ended = false;

  /**
   * `onFailure`, called once: the worker failed or exited unasked; the caller falls back to SQLite's automatic checkpoints.
   * `logLimitBytes`: the log's size past which a quiet second cuts it.
   */
  constructor(path: string, onFailure: (error: Error) => void, { logLimitBytes = LOG_LIMIT_BYTES } = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver, everyMs: EVERY_MS, logLimitBytes },
    });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    const fail = (error: Error) => {
      if (this.ended) return;
      this.ended = true;
      onFailure(error);
    };
    this.worker.once('error', fail);
    this.worker.once('exit', (code) => fail(new Error(`the checkpoint worker exited (code ${code})`)));
  }

  /**
   * Asks the worker to close its connection and exit; a checkpoint it was in the middle of is finished first.
   * Resolves once it has: until then it may still create or remove the database's -wal and -shm files.
   */
  stop(): Promise<void> {
    this.ended = true;
    this.worker.ref(); // whoever awaits the stop keeps the process alive until the worker has let go
    this.worker.postMessage('stop');
    return this.exited;
  }
}
