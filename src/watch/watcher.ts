/**
 * Drives watches: at each one's interval it takes a snapshot (as background
 * work, behind people's queries), updates the card in place, and ends the
 * watch when everyone has read, when its time is up, or when someone stops
 * it. Watches live in the store, so a restart picks them up again.
 */
import type { Logger } from 'pino';
import { buildReadsCard } from '../cards/readsCard.js';
import type { Card } from '../cards/card.js';
import type { Clock } from '../clock.js';
import { takeSnapshot } from '../commands/answer.js';
import type { Outbound } from '../feishu/outbound.js';
import { toBotError } from '../feishu/toBotError.js';
import type { SnapshotHistory } from '../store/history.js';
import type { Watch, WatchStore } from '../store/watches.js';

export interface WatcherDeps {
  watches: WatchStore;
  history: SnapshotHistory;
  outbound: Outbound;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export type StopResult = { stopped: true; card: Card } | { stopped: false; reason: 'not_allowed' | 'already_ended' | 'unknown'; card?: Card };

/** The longest the loop sleeps without looking again. */
const MAX_NAP_MS = 60_000;

export class Watcher {
  private running = false;
  private readonly ticking = new Set<string>();
  private readonly jobs = new Set<Promise<void>>();
  private wake: () => void = () => undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WatcherDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const active = this.deps.watches.active();
    if (active.length > 0) this.deps.logger.info({ count: active.length }, 'resuming watches');
    this.loopDone = this.loop();
  }

  add(watch: Watch): void {
    this.deps.watches.add(watch);
    this.wake();
  }

  /** The card of a watch as it stands, from its latest snapshot. */
  currentCard(watch: Watch, refreshedBy?: string): Card | undefined {
    const series = this.deps.history.series(watch.batchId, this.deps.clock.now());
    const snapshot = series[series.length - 1];
    if (!snapshot) return undefined;
    return buildReadsCard({ snapshot, earlier: series.slice(0, -1), watch, now: this.deps.clock.now(), refreshedBy }, this.deps.timeZone);
  }

  /**
   * Stops a watch for `operator` if they started it or `isChatAdmin` says
   * they run the chat.
   */
  async stop(watchId: string, operator: string, isChatAdmin: (chatId: string) => Promise<boolean>): Promise<StopResult> {
    const watch = this.deps.watches.get(watchId);
    if (!watch) return { stopped: false, reason: 'unknown' };
    if (watch.endedReason) return { stopped: false, reason: 'already_ended', card: this.currentCard(watch) };
    const allowed = operator === watch.startedBy || (await isChatAdmin(watch.chatId).catch(() => false));
    if (!allowed) return { stopped: false, reason: 'not_allowed' };
    const now = this.deps.clock.now();
    this.deps.watches.end(watchId, 'stopped', now, operator);
    const ended = this.deps.watches.get(watchId)!;
    this.wake();
    const card = this.currentCard(ended);
    return card ? { stopped: true, card } : { stopped: false, reason: 'unknown' };
  }

  async shutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.allSettled([...this.jobs]);
  }

  /** Resolves when no tick is running (tests). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  private async loop(): Promise<void> {
    const { clock } = this.deps;
    while (this.running) {
      const now = clock.now();
      let nextAt = now + MAX_NAP_MS;
      for (const w of this.deps.watches.active()) {
        if (this.ticking.has(w.id)) continue;
        if (w.nextAt <= now) this.startTick(w);
        else nextAt = Math.min(nextAt, w.nextAt);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void clock.sleep(nextAt - now).then(resolve);
      });
    }
  }

  private startTick(watch: Watch): void {
    this.ticking.add(watch.id);
    const job = this.tick(watch)
      .catch((e: unknown) => this.deps.logger.error({ err: e, watch_id: watch.id }, 'watch update failed'))
      .finally(() => {
        this.ticking.delete(watch.id);
        this.jobs.delete(job);
        this.wake();
      });
    this.jobs.add(job);
  }

  private async tick(watch: Watch): Promise<void> {
    const { clock, watches, outbound } = this.deps;
    const log = this.deps.logger.child({ watch_id: watch.id, batch_id: watch.batchId, message_id: watch.cardMessageId });
    let taken;
    try {
      taken = await takeSnapshot(
        watch.batchId,
        { readUser: (id) => outbound.readUser(id, log, 'background'), history: this.deps.history, now: () => clock.now() },
        'watch',
      );
    } catch (e) {
      const error = toBotError(e);
      if (error.code === 'cancelled') return; // shutting down: the next start picks it up
      log.warn({ code: error.code, feishu_code: error.feishuCode }, 'watch could not take a snapshot; trying again next interval');
      watches.reschedule(watch.id, Math.min(clock.now() + watch.intervalMs, Math.max(watch.until, clock.now())));
      if (clock.now() >= watch.until) watches.end(watch.id, 'time_up', clock.now());
      return;
    }
    const { snapshot } = taken;
    const now = clock.now();
    if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount) watches.end(watch.id, 'all_read', now);
    else if (now >= watch.until) watches.end(watch.id, 'time_up', now);
    else watches.reschedule(watch.id, Math.min(now + watch.intervalMs, watch.until));
    const current = watches.get(watch.id)!;
    if (current.endedReason === 'stopped') return; // stopped meanwhile: the stop already updated the card
    const card = this.currentCard(current);
    if (card) await outbound.patch(watch.cardMessageId, card, log);
    if (current.endedReason) log.info({ reason: current.endedReason }, 'watch ended');
  }
}
