/**
 * Drives watches: at each one's interval it takes a snapshot (as background
 * work, behind people's queries), updates the card in place, and ends the
 * watch when everyone has read, when its time is up, when Feishu refuses for
 * good, or when someone stops it. Watches live in the shared state, so a
 * restart picks them up again; with several replicas each watch is driven by
 * the one replica that holds it, and another takes it over if that one dies.
 * While Feishu is unavailable watches pause, and they go on when it is back;
 * the outage is not a failure of theirs.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { stampBirth } from '../../cards/cardAge.js';
import { buildReadsCard } from '../../cards/readsCard.js';
import type { SentView } from '../../cards/sentBlock.js';
import { previousOnWatch } from '../../cards/trend.js';
import { buildWatchEndedNotice, endedOnItsOwn, type SelfEnded } from '../../cards/watchEndedNotice.js';
import type { FeishuHealth } from '../../feishu/breaker.js';
import type { Outbound } from '../../feishu/outbound.js';
import { COMMAND_WAIT, isTransient } from '../../feishu/retry.js';
import { watchLane } from '../../scheduling/lanes.js';
import type { HistoryLog, WatchBook } from '../../state/sharedState.js';
import type { Clock } from '../../domain/clock.js';
import { asBotError, isPostponed } from '../../domain/errors.js';
import { replyUuid } from '../../domain/ids.js';
import type { Watch, WatchRefusal } from '../../domain/types.js';
import type { StopResult } from '../../dispatch/handlerContext.js';
import type { Snapshots } from '../../feishu/snapshots.js';

export interface WatcherDeps {
  watches: WatchBook;
  snapshots: Snapshots;
  history: HistoryLog;
  outbound: Outbound;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Whether `openId` owns or manages the chat (they may stop its watches too). */
  isChatAdmin(chatId: string, openId: string): Promise<boolean>;
  feishu: FeishuHealth;
  /** What a watched card adds when the bot sent the message (a send's tracking card keeps its Recall). */
  sentView?(batchId: string): Promise<SentView | undefined>;
}

/**
 * A reserved watch whose card was never sent ends after this long. Its
 * command may wait for Feishu in the journal up to COMMAND_WAIT.maxAgeMs and
 * then send its card, so the place is kept that long, and a little more for
 * the last try to run. A command that ends unanswered gives its place back
 * itself (the pipeline); this limit only catches a give-back that failed.
 */
export const PENDING_LIMIT_MS = COMMAND_WAIT.maxAgeMs + 10 * 60_000;
/** `endedBy` of a reservation given back or never attached. */
const NOT_STARTED = 'not_started';

/** After the shared state failed, the loop looks again this much later. */
const AFTER_FAILURE_MS = 5_000;

export class Watcher {
  private running = false;
  private readonly ticking = new Set<string>();
  /** Watches whose last tick had to wait (shared state refusing writes): not ticked again before this time. */
  private readonly notBefore = new Map<string, number>();
  private readonly jobs = new Set<Promise<void>>();
  private wake: () => void = () => undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WatcherDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Takes a place for a watch before its card is sent, unless the caps
   * refuse it: checked and taken in one step. Until `attach` the watch
   * waits; one never attached (its reply failed, the replica died) ends.
   */
  reserve(watch: Watch): Promise<WatchRefusal | undefined> {
    return this.deps.watches.reserve(watch);
  }

  async attach(watchId: string, cardMessageId: string): Promise<void> {
    await this.deps.watches.attach(watchId, cardMessageId);
    this.wake();
  }

  /** Gives a reserved place back (the card could not be sent, or there is nothing to watch). */
  async cancel(watchId: string): Promise<void> {
    await this.deps.watches.end(watchId, 'failed', this.deps.clock.now(), NOT_STARTED);
  }

  /** The card of a watch as it stands now, from the store: its latest state and snapshot. */
  async cardNow(watchId: string, refreshedBy?: string): Promise<Card | undefined> {
    const watch = await this.deps.watches.get(watchId);
    if (!watch) return undefined;
    const now = this.deps.clock.now();
    const series = await this.deps.history.series(watch.batchId, now);
    const snapshot = series[series.length - 1];
    if (!snapshot) return undefined;
    const earlier = series.slice(0, -1);
    const since = previousOnWatch(earlier, watch);
    const sent = await this.deps.sentView?.(watch.batchId);
    return buildReadsCard({ snapshot, earlier, since, watch, now, refreshedBy, sent }, this.deps.timeZone);
  }

  get(watchId: string): Promise<Watch | undefined> {
    return this.deps.watches.get(watchId);
  }

  /**
   * Stops a watch for `operator` if they started it or run the chat. Stopped
   * from another message (a command, another card), its own card is updated too.
   */
  async stop(watchId: string, operator: string, from?: string): Promise<StopResult> {
    const watch = await this.deps.watches.get(watchId);
    if (!watch) return { stopped: false, reason: 'unknown' };
    if (watch.endedReason) return { stopped: false, reason: 'already_ended', card: await this.cardNow(watchId) };
    const allowed =
      operator === watch.startedBy || (await this.deps.isChatAdmin(watch.chatId, operator).catch(() => false));
    if (!allowed) return { stopped: false, reason: 'not_allowed' };
    await this.deps.watches.end(watchId, 'stopped', this.deps.clock.now(), operator);
    this.wake();
    if (from !== undefined && from !== watch.cardMessageId) this.showStopped(watch);
    const card = await this.cardNow(watchId);
    return card ? { stopped: true, card } : { stopped: false, reason: 'unknown' };
  }

  /** The stopped watch's own card shows it stopped (the tick loop leaves that to whoever stopped it). */
  private showStopped(watch: Watch): void {
    const log = this.deps.logger.child({ watch_id: watch.id, message_id: watch.cardMessageId });
    const job = this.deps.outbound
      .patch(watch.cardMessageId, () => this.cardNow(watch.id), log)
      .catch((e: unknown) => log.warn({ code: asBotError(e).code }, 'could not show the stop on the watch’s card'))
      .finally(() => this.jobs.delete(job));
    this.jobs.add(job);
  }

  async activeIn(chatId: string, batchId: string): Promise<Watch | undefined> {
    return (await this.deps.watches.active()).find((w) => w.chatId === chatId && w.batchId === batchId);
  }

  /** Restarts an active watch from now: the same watch and card, a new end and interval; it updates at once. */
  async extend(watchId: string, durationMs: number, intervalMs: number): Promise<Watch | undefined> {
    const watch = await this.deps.watches.get(watchId);
    if (!watch || watch.endedReason || watch.cardMessageId === '') return undefined;
    const now = this.deps.clock.now();
    const extended = { ...watch, until: now + durationMs, intervalMs, nextAt: now };
    if (await this.deps.watches.reserve(extended)) return undefined; // a watch of the same id takes its own place
    this.wake();
    return extended;
  }

  async shutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.allSettled([...this.jobs]);
    await this.deps.watches.letGo().catch(() => undefined); // unreachable: the locks expire by themselves
  }

  /** Resolves when no tick is running (tests). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  private async loop(): Promise<void> {
    const { clock, watches, logger, feishu } = this.deps;
    let resumed = false;
    while (this.running) {
      const now = clock.now();
      const paused = feishu.state !== 'closed';
      let nextAt = now + watches.driveEveryMs;
      try {
        const active = await watches.active();
        for (const id of this.notBefore.keys()) if (!active.some((w) => w.id === id)) this.notBefore.delete(id);
        const driven = await watches.drive(active.map((w) => w.id));
        if (!resumed && driven.size > 0) logger.info({ count: driven.size }, 'resuming watches');
        resumed = true;
        for (const w of active) {
          if (this.ticking.has(w.id) || !driven.has(w.id)) continue;
          if (w.cardMessageId === '') {
            // Its card is on its way; or it never came, and the place is given back.
            if (now - w.startedAt > PENDING_LIMIT_MS) await this.cancel(w.id);
            continue;
          }
          const dueAt = Math.max(w.nextAt, this.notBefore.get(w.id) ?? 0);
          if (dueAt > now) nextAt = Math.min(nextAt, dueAt);
          else if (!paused) this.startTick(w);
        }
      } catch (e) {
        logger.warn({ code: asBotError(e).code }, 'cannot read the watches; looking again shortly');
        nextAt = now + AFTER_FAILURE_MS;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void clock.sleep(nextAt - now).then(resolve);
        if (paused) void feishu.nextClose().then(resolve);
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
    const log = this.deps.logger.child({
      watch_id: watch.id,
      batch_id: watch.batchId,
      message_id: watch.cardMessageId,
    });
    this.notBefore.delete(watch.id);
    try {
      const { snapshot } = await this.deps.snapshots.take(watch.batchId, {
        askedBy: watch.startedBy,
        lane: watchLane(watch),
        log,
      });
      const now = clock.now();
      if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount)
        await watches.end(watch.id, 'all_read', now);
      else if (now >= watch.until) await watches.end(watch.id, 'time_up', now);
      else await watches.reschedule(watch.id, Math.min(now + watch.intervalMs, watch.until));
    } catch (e) {
      const error = asBotError(e);
      if (isPostponed(error)) {
        // Shutting down, or the shared state refused: tried again later. Its nextAt could not be written, so
        // the watch would look due at once; without this it would call read_user as fast as the budget allows.
        this.notBefore.set(watch.id, clock.now() + AFTER_FAILURE_MS);
        return;
      }
      const now = clock.now();
      if (!isTransient(error)) {
        log.warn(
          { code: error.code, feishu_code: error.feishuCode },
          'Feishu refused the watch’s query for good; watch ended',
        );
        await watches.end(watch.id, 'failed', now, String(error.feishuCode ?? error.code));
      } else if (now >= watch.until) {
        await watches.end(watch.id, 'time_up', now);
      } else {
        log.warn(
          { code: error.code, feishu_code: error.feishuCode },
          'watch could not take a snapshot; trying again next interval',
        );
        await watches.reschedule(watch.id, Math.min(now + watch.intervalMs, watch.until));
        return; // nothing new to show
      }
    }
    const current = (await watches.get(watch.id))!;
    if (current.endedReason === 'stopped') return; // the stop already showed the final card
    try {
      // Built when its turn comes, from the store: never older than what is shown already.
      // Its buttons keep saying when the card was sent (cards/cardAge.ts): the watch started just before.
      const card = async () => {
        const now = await this.cardNow(watch.id);
        return now && stampBirth(now, watch.startedAt);
      };
      await outbound.patch(watch.cardMessageId, card, log, watchLane(watch));
    } catch (e) {
      const error = asBotError(e);
      if (isPostponed(error)) return;
      if (!isTransient(error)) {
        log.warn(
          { feishu_code: error.feishuCode },
          'the watched card cannot be updated any more (recalled or too old); watch ended',
        );
        await watches.end(watch.id, 'failed', clock.now(), String(error.feishuCode ?? error.code));
      }
      return;
    }
    if (current.endedReason) log.info({ reason: current.endedReason }, 'watch ended');
    if (endedOnItsOwn(current)) await this.tellStarter(current, log);
  }

  /** A reply to the watch card mentioning its starter, once (one uuid per card); the card already shows the end. */
  private async tellStarter(watch: SelfEnded, log: Logger): Promise<void> {
    const { outbound } = this.deps;
    const notice = buildWatchEndedNotice(watch);
    await outbound
      .reply(watch.chatId, watch.cardMessageId, notice, replyUuid(`ended:${watch.cardMessageId}`), log)
      .catch((e: unknown) => log.warn({ code: asBotError(e).code }, 'could not tell the starter the watch ended'));
  }
}
