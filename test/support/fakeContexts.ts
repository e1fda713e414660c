/**
 * Small stand-ins for the contexts handlers act through (src/dispatch/handlerContext.ts):
 * replies and card updates are recorded, snapshots come from a function the
 * test gives, and the watches are a map. For unit tests of one handler.
 */
import type { Card } from '../../src/cards/card.js';
import type { ActionContext, CommandContext, SendControl, WatchControl } from '../../src/dispatch/handlerContext.js';
import type { Snapshot, Watch, WatchRefusal } from '../../src/domain/types.js';
import type { CardPress } from '../../src/inbound/events/cardAction.js';
import { createLogger } from '../../src/app/log.js';
import type { Taken } from '../../src/feishu/snapshots.js';
import type { StopResult } from '../../src/dispatch/handlerContext.js';
import { journalEntry } from './inProcessBot.js';

export const NOW = Date.UTC(2025, 0, 15, 4, 0, 0);

export function counts(batchId: string, readCount: number, totalCount: number, takenAt = NOW): Snapshot {
  return { batchId, readCount, totalCount, takenAt };
}

/** A snapshot source answering the counts set per id, or what `fail` throws. */
export function snapshotsFrom(
  table: Record<string, Snapshot | Error>,
): ((batchId: string) => Promise<Taken>) & { calls: string[] } {
  const calls: string[] = [];
  const take = async (batchId: string): Promise<Taken> => {
    calls.push(batchId);
    const found = table[batchId];
    if (found === undefined) throw new Error(`no snapshot set for ${batchId}`);
    if (found instanceof Error) throw found;
    return { snapshot: found, earlier: [] };
  };
  return Object.assign(take, { calls });
}

/** Watches in a map; `reserve`, `cardNow` and `stop` answer what the test sets. */
export class FakeWatches implements WatchControl {
  readonly watches = new Map<string, Watch>();
  /** Watches reserved and then attached to their card: the ones started. */
  readonly added: Watch[] = [];
  readonly reserved = new Map<string, Watch>();
  readonly cancelled: string[] = [];
  refusalIs: WatchRefusal | undefined;
  refusalAsked = 0;
  cardNowIs: Card | undefined;
  cardNowAsked: Array<{ watchId: string; refreshedBy?: string }> = [];
  stopIs: StopResult = { stopped: false, reason: 'unknown' };
  stops: Array<{ watchId: string; operator: string; from?: string }> = [];

  async reserve(watch: Watch): Promise<WatchRefusal | undefined> {
    this.refusalAsked++;
    if (!this.refusalIs) this.reserved.set(watch.id, watch);
    return this.refusalIs;
  }
  async attach(watchId: string, cardMessageId: string): Promise<void> {
    const watch = { ...this.reserved.get(watchId)!, cardMessageId };
    this.added.push(watch);
    this.watches.set(watch.id, watch);
  }
  async cancel(watchId: string): Promise<void> {
    this.cancelled.push(watchId);
    this.reserved.delete(watchId);
  }
  /** Adds a watch whose card exists (what a test starts from). */
  async add(watch: Watch): Promise<void> {
    this.watches.set(watch.id, watch);
  }
  async get(watchId: string): Promise<Watch | undefined> {
    return this.watches.get(watchId);
  }
  async cardNow(watchId: string, refreshedBy?: string): Promise<Card | undefined> {
    this.cardNowAsked.push({ watchId, refreshedBy });
    return this.cardNowIs;
  }
  async stop(watchId: string, operator: string, from?: string): Promise<StopResult> {
    this.stops.push({ watchId, operator, ...(from === undefined ? {} : { from }) });
    return this.stopIs;
  }
  async activeIn(chatId: string, batchId: string): Promise<Watch | undefined> {
    return [...this.watches.values()].find((w) => w.chatId === chatId && w.batchId === batchId && !w.endedReason);
  }
  extensions: Array<{ watchId: string; durationMs: number; intervalMs: number }> = [];
  async extend(watchId: string, durationMs: number, intervalMs: number): Promise<Watch | undefined> {
    this.extensions.push({ watchId, durationMs, intervalMs });
    const watch = this.watches.get(watchId);
    if (!watch || watch.endedReason) return undefined;
    const extended = { ...watch, until: watch.startedAt + durationMs, intervalMs };
    this.watches.set(watchId, extended);
    return extended;
  }
}

/** A context that was not given a delivery source fails the test if a handler asks for one. */
const noDelivery = (): never => {
  throw new Error('this test gave the context no delivery source');
};

/** Sending as with SENDERS unset (nobody may), for a test that sends nothing: any other use fails it. */
const noSending = new Proxy({} as SendControl, {
  get: (_target, name) =>
    name === 'permission'
      ? () => 'nobody'
      : () => {
          throw new Error(`this test gave the context no sending (it asked for ${String(name)})`);
        },
});

export interface FakeCommandContext extends CommandContext {
  replies: Card[];
  watches: FakeWatches;
}

export function fakeCommandContext(o: {
  text?: string;
  snapshot: CommandContext['snapshot'];
  series?: Snapshot[];
  chatId?: string;
  senderOpenId?: string;
  /** The command's message (the same one when a command is answered again). */
  messageId?: string;
  delivery?: CommandContext['delivery'];
  sending?: SendControl;
}): FakeCommandContext {
  const replies: Card[] = [];
  return {
    entry: journalEntry(o.text ?? '/reads', {
      chatId: o.chatId ?? 'oc_chat',
      senderOpenId: o.senderOpenId ?? 'ou_a',
      ...(o.messageId ? { messageId: o.messageId } : {}),
    }),
    log: createLogger('silent'),
    now: () => NOW,
    timeZone: 'Asia/Shanghai',
    watches: new FakeWatches(),
    snapshot: o.snapshot,
    delivery: o.delivery ?? noDelivery,
    sending: o.sending ?? noSending,
    sentView: async () => undefined,
    series: async () => o.series ?? [],
    reply: async (card) => {
      replies.push(card);
      return `om_reply_${replies.length}`;
    },
    replies,
  };
}

export interface FakeActionContext extends ActionContext {
  watches: FakeWatches;
  /** Cards handed to updateLater, and what the rebuild made of them. */
  later: Array<{ ready: Promise<Card>; rebuild?: (card: Card) => Promise<Card> }>;
  /** Ends the callback's time: every inTime still waiting resolves to undefined. */
  timeUp(): void;
}

export function fakeActionContext(o: {
  snapshot: ActionContext['snapshot'];
  press?: Partial<CardPress>;
  watches?: FakeWatches;
  delivery?: ActionContext['delivery'];
  /** What counting the press as a command says (default: allowed). */
  countCommand?: () => Promise<boolean>;
  sending?: SendControl;
}): FakeActionContext {
  let timeUp!: () => void;
  const deadline = new Promise<undefined>((resolve) => (timeUp = () => resolve(undefined)));
  const later: FakeActionContext['later'] = [];
  return {
    press: {
      operatorOpenId: 'ou_presser',
      messageId: 'om_card',
      chatId: 'oc_chat',
      action: { a: 'refresh', ids: ['bm_a'] },
      ...o.press,
    },
    log: createLogger('silent'),
    now: () => NOW,
    timeZone: 'Asia/Shanghai',
    watches: o.watches ?? new FakeWatches(),
    snapshot: o.snapshot,
    delivery: o.delivery ?? noDelivery,
    sending: o.sending ?? noSending,
    sentView: async () => undefined,
    countCommand: o.countCommand ?? (async () => true),
    inTime: (work) => Promise.race([work, deadline]),
    updateLater: (ready, rebuild) => void later.push({ ready, rebuild }),
    later,
    timeUp,
  };
}
