/**
 * A real SendService on an in-memory store, for unit tests of sending: the
 * batch send itself (ConfirmedSends), recalls and cards are recorded
 * stand-ins, and a send's card is `{ state, text }`, to tell which it shows.
 */
import { createLogger } from '../../src/app/log.js';
import type { Card } from '../../src/cards/card.js';
import { noRecipients, type Send } from '../../src/domain/send.js';
import type { ConfirmedSends } from '../../src/features/send/confirmedSends.js';
import type { SendCards } from '../../src/features/send/sendCards.js';
import { SendService } from '../../src/features/send/sendService.js';
import type { Outbound } from '../../src/feishu/outbound.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock } from './fakeClock.js';

export const T0 = 1_800_000_000_000;
export const silent = createLogger('silent');

export const aDraft = (o: Partial<Send> = {}): Send => ({
  id: 's_1',
  state: 'draft',
  senderOpenId: 'ou_writer',
  senderUserId: 'u_writer',
  chatId: 'oc_team',
  text: 'Hello',
  recipients: { ...noRecipients(), departments: ['od-sales'] },
  unusable: [],
  createdAt: T0,
  ...o,
});

export const aSent = (o: Partial<Send> = {}): Send => aDraft({ state: 'sent', batchId: 'bm-1', sentAt: T0, ...o });

/** The card the stand-in SendCards gives a send. */
export const cardOfState = (send: Send) => ({ state: send.state, text: send.text }) as unknown as Card;

export function fakeSending(o: { senders?: string[]; admins?: string[]; recall?: () => Promise<void> } = {}) {
  const clock = new FakeClock(T0);
  const store = Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const sends = embeddedState(store, clock).sends;
  const started: Send[] = [];
  const stopped: string[] = [];
  const recalls: string[] = [];
  const confirmed = {
    start: (send: Send) => void started.push(send),
    stopTracking: async (send: Send) => void stopped.push(send.id),
  } as unknown as ConfirmedSends;
  const outbound = {
    recallBatch: async (batchId: string) => {
      recalls.push(batchId);
      await o.recall?.();
    },
  } as unknown as Outbound;
  const service = new SendService({
    sends,
    senders: new Set(o.senders ?? ['ou_writer']),
    outbound,
    confirmed,
    cards: { cardOf: async (send: Send) => cardOfState(send) } as unknown as SendCards,
    isChatAdmin: async (chatId, openId) => {
      if (openId === 'ou_broken') throw new Error('chat lookup failed');
      return chatId === 'oc_team' && (o.admins ?? []).includes(openId);
    },
    clock,
  });
  return { service, sends, clock, started, stopped, recalls };
}
