/**
 * Where every snapshot comes from: read_user through the call path, recorded
 * in the history — and spent well. Concurrent queries for one batch id share
 * one call (in this process, and through `calls` with other replicas), and a
 * snapshot younger than the freshness window answers without a call. A
 * Refresh press wants fresh numbers: only a snapshot of the last
 * PRESS_FRESH_MS serves it, so twenty people pressing at once cost one call.
 */
import type { Logger } from 'pino';
import type { Outbound } from './outbound.js';
import type { Lane } from '../scheduling/lanes.js';
import type { CallSharing, HistoryLog } from '../state/sharedState.js';
import type { Clock } from '../domain/clock.js';
import type { Snapshot } from '../domain/types.js';

export interface SnapshotRequest {
  askedBy?: string;
  /** Whose turn the call takes, and its class (a person's query by default). */
  lane?: Lane;
  /** Fresh numbers: only a snapshot of the last PRESS_FRESH_MS (or a call still in flight) is shared. */
  fresh?: boolean;
  log?: Logger;
}

export interface Taken {
  snapshot: Snapshot;
  /** Earlier snapshots of the same batch message, oldest first. */
  earlier: Snapshot[];
}

export const DEFAULT_FRESH_MS = 5_000;
/** How recent a snapshot must be to answer a Refresh press (never more than the freshness window). */
export const PRESS_FRESH_MS = 2_000;

export class Snapshots {
  private readonly inFlight = new Map<string, Promise<Snapshot>>();
  private readonly recent = new Map<string, Snapshot>();
  /** Calls Feishu actually received, and answers given without one (coalescing ratio). */
  readonly stats = { calls: 0, shared: 0 };

  constructor(
    private readonly deps: {
      outbound: Outbound;
      history: HistoryLog;
      calls: CallSharing;
      clock: Clock;
      freshMs?: number;
    },
  ) {}

  async take(batchId: string, req: SnapshotRequest = {}): Promise<Taken> {
    const now = this.deps.clock.now();
    const recent = this.recent.get(batchId);
    let snapshot: Snapshot;
    if (recent && this.isFresh(recent, now, req)) {
      this.stats.shared++;
      snapshot = recent;
    } else {
      // A person's query does not join a bulk or watch call waiting behind the queue.
      const key = `${req.lane?.cls ?? 'person'}:${batchId}`;
      let call = this.inFlight.get(key);
      if (call) this.stats.shared++;
      else {
        call = this.fetch(batchId, key, req);
        this.inFlight.set(key, call);
        const forget = () => this.inFlight.delete(key);
        call.then(forget, forget);
      }
      snapshot = await call;
    }
    const earlier = (await this.deps.history.series(batchId, now)).filter((s) => s.takenAt < snapshot.takenAt);
    return { snapshot, earlier };
  }

  private isFresh(snapshot: Snapshot, now: number, req: SnapshotRequest): boolean {
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    return now - snapshot.takenAt < (req.fresh ? Math.min(PRESS_FRESH_MS, freshMs) : freshMs);
  }

  private async fetch(batchId: string, key: string, req: SnapshotRequest): Promise<Snapshot> {
    const { calls, clock } = this.deps;
    const elsewhere = await calls.recent(batchId);
    let called = false;
    const snapshot =
      elsewhere && this.isFresh(elsewhere, clock.now(), req)
        ? elsewhere
        : await calls.share(key, async () => {
            called = true;
            this.stats.calls++;
            const counts = await this.deps.outbound.readUser(batchId, req.log, req.lane);
            const taken: Snapshot = { batchId, ...counts, takenAt: clock.now() };
            await this.deps.history.record(taken, req.askedBy);
            return taken;
          });
    if (!called) this.stats.shared++;
    this.remember(snapshot);
    return snapshot;
  }

  private remember(snapshot: Snapshot): void {
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    for (const [id, s] of this.recent) if (snapshot.takenAt - s.takenAt >= freshMs) this.recent.delete(id);
    this.recent.set(snapshot.batchId, snapshot);
  }
}
