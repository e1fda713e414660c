/**
 * Drives watches: at each one's interval it takes a snapshot (as background
 * work, behind people's queries), updates the card in place, and ends the
 * watch when everyone has read, when its time is up, when Feishu refuses for
 * good, or when someone stops it. Watches live in the store, so a restart
 * picks them up again.
 */
import type { Logger } from 'pino';
import type { Card } from '../cards/card.js';
import { buildReadsCard } from '../cards/readsCard.js';
import type { Clock } from '../clock.js';
import type { Snapshots } from '../commands/snapshots.js';
import type { Outbound } from '../feishu/outbound.js';
import { isRetryable } from '../feishu/retry.js';
import { toBotError } from '../feishu/toBotError.js';
import type { SnapshotHistory } from '../store/history.js';
import type { Watch, WatchStore } from '../store/watches.js';

export interface WatcherDeps {
  watches: WatchStore;
  snapshots: Snapshots;
  history: SnapshotHistory;
  outbound: Outbound;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export type StopResult = { stopped: true; card: Card } | { stopped: false; reason: 'not_allowed' | 'already_ended' | 'unknown'; card?: Card };

export type WatchRefusal = 'already_watched' | 'too_many_in_chat' | 'too_many';

/** Watches cost read_user budget all day long: bounded, so people's queries always have room. */
export const WATCH_CAPS = { perChat: 5, total: 200 };

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

  /** Why a new watch of `batchId` in `chatId` may not start, if it may not. */
  refusal(chatId: string, batchId: string): WatchRefusal | undefined {
    const active = this.deps.watches.active();
    if (active.some((w) => w.chatId === chatId && w.batchId === batchId)) return 'already_watched';
    if (active.filter((w) => w.chatId === chatId).length >= WATCH_CAPS.perChat) return 'too_many_in_chat';
    if (active.length >= WATCH_CAPS.total) return 'too_many';
    return undefined;
  }

  add(watch: Watch): void {
    this.deps.watches.add(watch);
    this.wake();
  }

  /** The card of a watch as it stands now, from the store: its latest state and snapshot. */
  cardNow(watchId: string, refreshedBy?: string): Card | undefined {
    const watch = this.deps.watches.get(watchId);
    if (!watch) return undefined;
    const now = this.deps.clock.now();
    const series = this.deps.history.series(watch.batchId, now);
    const snapshot = series[series.length - 1];
    if (!snapshot) return undefined;
    return buildReadsCard({ snapshot, earlier: series.slice(0, -1), watch, now, refreshedBy }, this.deps.timeZone);
  }

  /** Stops a watch for `operator` if they started it or `isChatAdmin` says they run the chat. */
  async stop(watchId: string, operator: string, isChatAdmin: (chatId: string) => Promise<boolean>): Promise<StopResult> {
    const watch = this.deps.watches.get(watchId);
    if (!watch) return { stopped: false, reason: 'unknown' };
    if (watch.endedReason) return { stopped: false, reason: 'already_ended', card: this.cardNow(watchId) };
    const allowed = operator === watch.startedBy || (await isChatAdmin(watch.chatId).catch(() => false));
    if (!allowed) return { stopped: false, reason: 'not_allowed' };
    this.deps.watches.end(watchId, 'stopped', this.deps.clock.now(), operator);
    this.wake();
    const card = this.cardNow(watchId);
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
    try {
      const { snapshot } = await this.deps.snapshots.take(watch.batchId, { askedBy: watch.startedBy, priority: 'background', log });
      const now = clock.now();
      if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount) watches.end(watch.id, 'all_read', now);
      else if (now >= watch.until) watches.end(watch.id, 'time_up', now);
      else watches.reschedule(watch.id, Math.min(now + watch.intervalMs, watch.until));
    } catch (e) {
      const error = toBotError(e);
      if (error.code === 'cancelled') return; // shutting down: the next start picks it up
      const now = clock.now();
      if (!isRetryable(error)) {
        log.warn({ code: error.code, feishu_code: error.feishuCode }, 'Feishu refused the watch’s query for good; watch ended');
        watches.end(watch.id, 'failed', now, String(error.feishuCode ?? error.code));
      } else if (now >= watch.until) {
        watches.end(watch.id, 'time_up', now);
      } else {
        log.warn({ code: error.code, feishu_code: error.feishuCode }, 'watch could not take a snapshot; trying again next interval');
        watches.reschedule(watch.id, Math.min(now + watch.intervalMs, watch.until));
        return; // nothing new to show
      }
    }
    const current = watches.get(watch.id)!;
    if (current.endedReason === 'stopped') return; // the stop already showed the final card
    try {
      // Built when its turn comes, from the store: never older than what is shown already.
      await outbound.patch(watch.cardMessageId, () => this.cardNow(watch.id), log, 'background');
    } catch (e) {
      const error = toBotError(e);
      if (error.code === 'cancelled') return;
      if (!isRetryable(error)) {
        log.warn({ feishu_code: error.feishuCode }, 'the watched card cannot be updated any more (recalled or too old); watch ended');
        watches.end(watch.id, 'failed', clock.now(), String(error.feishuCode ?? error.code));
      }
      return;
    }
    if (current.endedReason) log.info({ reason: current.endedReason }, 'watch ended');
  }
}
