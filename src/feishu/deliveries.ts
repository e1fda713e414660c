/**
 * Where every delivery funnel comes from: get_progress through the call path,
 * recorded as its own series — spent as read_user is: concurrent queries for
 * one batch id share one call, and a funnel younger than the freshness
 * window answers without a call (a press asks for one of the last PRESS_FRESH_MS).
 */
import type { Logger } from 'pino';
import type { Outbound } from './outbound.js';
import type { ProgressLog } from '../state/sharedState.js';
import type { Clock } from '../domain/clock.js';
import type { Progress } from '../domain/types.js';
import { DEFAULT_FRESH_MS, PRESS_FRESH_MS } from './snapshots.js';

export interface DeliveryRequest {
  askedBy?: string;
  fresh?: boolean;
  log?: Logger;
}

export interface DeliveryTaken {
  progress: Progress;
  /** The funnel recorded before this one, if any. */
  previous?: Progress;
}

export class Deliveries {
  private readonly inFlight = new Map<string, Promise<Progress>>();
  private readonly recent = new Map<string, Progress>();
  /** Calls Feishu received, and answers given without one. */
  readonly stats = { calls: 0, shared: 0 };

  constructor(private readonly deps: { outbound: Outbound; progress: ProgressLog; clock: Clock; freshMs?: number }) {}

  async take(batchId: string, req: DeliveryRequest = {}): Promise<DeliveryTaken> {
    const now = this.deps.clock.now();
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    const recent = this.recent.get(batchId);
    let progress: Progress;
    if (recent && now - recent.takenAt < (req.fresh ? Math.min(PRESS_FRESH_MS, freshMs) : freshMs)) {
      this.stats.shared++;
      progress = recent;
    } else {
      let call = this.inFlight.get(batchId);
      if (call) this.stats.shared++;
      else {
        call = this.fetch(batchId, req);
        this.inFlight.set(batchId, call);
        const forget = () => this.inFlight.delete(batchId);
        call.then(forget, forget);
      }
      progress = await call;
    }
    const series = await this.deps.progress.series(batchId, now);
    const previous = series.filter((p) => p.takenAt < progress.takenAt).pop();
    return { progress, previous };
  }

  private async fetch(batchId: string, req: DeliveryRequest): Promise<Progress> {
    this.stats.calls++;
    const counts = await this.deps.outbound.getProgress(batchId, req.log);
    const progress: Progress = { batchId, ...counts, takenAt: this.deps.clock.now() };
    await this.deps.progress.record(progress, req.askedBy);
    const freshMs = this.deps.freshMs ?? DEFAULT_FRESH_MS;
    for (const [id, p] of this.recent) if (progress.takenAt - p.takenAt >= freshMs) this.recent.delete(id);
    this.recent.set(batchId, progress);
    return progress;
  }
}
