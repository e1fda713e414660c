/**
 * The shared state of a single replica: the SQLite store (seen events, the
 * journal, history, watches, sends) and this process's memory (rate limits). Only
 * one process uses it, so there is nothing to lock or lease.
 */
import { groupPerTurn } from './groupCommit.js';
import type { Acceptance, Store } from './store.js';
import { localBudgets } from '../../scheduling/budget.js';
import { localRates } from '../../scheduling/rates.js';
import type { SharedState } from '../sharedState.js';
import type { Clock } from '../../domain/clock.js';

/** The watcher wakes at least this often anyway. */
const DRIVE_EVERY_MS = 60_000;

export function embeddedState(store: Store, clock: Clock): SharedState {
  let claimed = false;
  const accept = groupPerTurn((requests: Acceptance[]) => store.acceptAll(requests));
  return {
    intake: {
      accept: (keys, entry) => accept({ keys, entry }),
      complete: async (messageId) => store.complete(messageId),
      wait: async (entry) => store.wait(entry),
      // What is journaled at start was left by the last stop; after that, everything journaled is being answered here.
      claim: async () => (claimed ? [] : ((claimed = true), store.pending())),
      release: async () => undefined, // stays journaled for the next start
    },
    history: {
      record: async (snapshot, askedBy) => store.history.record(snapshot, askedBy),
      series: async (batchId, now) => store.history.series(batchId, now),
    },
    progress: {
      record: async (progress, askedBy) => store.progress.record(progress, askedBy),
      series: async (batchId, now) => store.progress.series(batchId, now),
    },
    greetings: {
      mark: async (openId, now) => store.greetings.mark(openId, now),
      release: async (openId) => store.greetings.release(openId),
    },
    watches: {
      add: async (watch) => store.watches.add(watch),
      reserve: async (watch) => store.watches.reserve(watch),
      attach: async (id, cardMessageId) => store.watches.attach(id, cardMessageId),
      get: async (id) => store.watches.get(id),
      active: async () => store.watches.active(),
      reschedule: async (id, nextAt) => store.watches.reschedule(id, nextAt),
      end: async (id, reason, at, by) => store.watches.end(id, reason, at, by),
      drive: async (ids) => new Set(ids),
      letGo: async () => undefined,
      driveEveryMs: DRIVE_EVERY_MS,
    },
    sends: {
      create: async (send) => store.sends.create(send),
      get: async (id) => store.sends.get(id),
      byBatchId: async (batchId) => store.sends.byBatchId(batchId),
      advance: async (id, from, change) => store.sends.advance(id, from, change),
      bySender: async (senderOpenId, limit, except) => store.sends.bySender(senderOpenId, limit, except),
      inStates: async (states) => store.sends.inStates(states),
    },
    calls: {
      recent: async () => undefined, // the one replica remembers its own snapshots
      share: (_key, call) => call(),
    },
    budgets: localBudgets(clock),
    rates: localRates(clock),
    checks: () => ({ store: store.isOpen() }),
    isOpen: () => store.isOpen(),
    close: async () => {
      await new Promise((resolve) => setImmediate(resolve)); // acceptances already asked for are committed first
      await store.close();
    },
  };
}
