/**
 * Where every snapshot comes from: read_user through the pipeline, recorded
 * in the history — and spent well. Concurrent queries for one batch id share
 * one call, and a snapshot younger than the freshness window answers without
 * a call (unless the asker wants fresh numbers, as a Refresh press does).
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Outbound, Priority } from '../feishu/outbound.js';
import type { Snapshot, SnapshotHistory } from '../store/history.js';

export interface SnapshotRequest {
  askedBy?: string;
  priority?: Priority;
  /** Skip the freshness window (a call still in flight is shared all the same). */
  fresh?: boolean;
  log?: Logger;
}

export interface Taken {
  snapshot: Snapshot;
  /** Earlier snapshots of the same batch message, oldest first. */
  earlier: Snapshot[];
}

export const DEFAULT_FRESH_MS = 5_000;

export class Snapshots {
  private readonly inFlight = new Map<string, Promise<Snapshot>>();
  private readonly recent = new Map<string, Snapshot>();
  /** Calls Feishu actually received, and answers given without one (coalescing ratio). */
  readonly stats = { calls: 0, shared: 0 };

  constructor(
    private readonly deps: { outbound: Outbound; history: SnapshotHistory; clock: Clock; freshMs?: number },
  ) {}

  async take(batchId: string, req: SnapshotRequest = {}): Promise<Taken> {
    const now = this.deps.clock.now();
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    const recent = this.recent.get(batchId);
    let snapshot: Snapshot;
    if (!req.fresh && recent && now - recent.takenAt < freshMs) {
      this.stats.shared++;
      snapshot = recent;
    } else {
      // A person's query does not join a watch's call waiting behind the queue.
      const key = `${req.priority ?? 'interactive'}:${batchId}`;
      let call = this.inFlight.get(key);
      if (call) this.stats.shared++;
      else {
        call = this.fetch(batchId, req);
        this.inFlight.set(key, call);
        const forget = () => this.inFlight.delete(key);
        call.then(forget, forget);
      }
      snapshot = await call;
    }
    const earlier = this.deps.history.series(batchId, now).filter((s) => s.takenAt < snapshot.takenAt);
    return { snapshot, earlier };
  }

  private async fetch(batchId: string, req: SnapshotRequest): Promise<Snapshot> {
    this.stats.calls++;
    const counts = await this.deps.outbound.readUser(batchId, req.log, req.priority);
    const snapshot: Snapshot = { batchId, ...counts, takenAt: this.deps.clock.now() };
    this.deps.history.record(snapshot, req.askedBy);
    this.remember(snapshot);
    return snapshot;
  }

  private remember(snapshot: Snapshot): void {
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    for (const [id, s] of this.recent) if (snapshot.takenAt - s.takenAt >= freshMs) this.recent.delete(id);
    this.recent.set(snapshot.batchId, snapshot);
  }
}
