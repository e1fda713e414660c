/** Sending a confirmed send, and what a start finds left by the last stop (src/features/send/confirmedSends.ts). */
import { createLogger } from '../../../src/app/log.js';
import type { Card } from '../../../src/cards/card.js';
import { Jobs } from '../../../src/dispatch/jobs.js';
import { BotError } from '../../../src/domain/errors.js';
import { watchIdFor } from '../../../src/domain/ids.js';
import {
  noRecipients,
  SEND_INTERRUPTED_AFTER_MS,
  SENT_WATCH_INTERVAL_MS,
  type Send,
  type SendState,
} from '../../../src/domain/send.js';
import type { FeishuHealth } from '../../../src/feishu/breaker.js';
import type { Outbound } from '../../../src/feishu/outbound.js';
import { ConfirmedSends } from '../../../src/features/send/confirmedSends.js';
import { embeddedState } from '../../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';
import { FakeClock } from '../../support/fakeClock.js';
import { FakeWatches } from '../../support/fakeContexts.js';

const T0 = 1_800_000_000_000;
const aSend = (id: string, state: SendState, o: Partial<Send> = {}): Send => ({
  id,
  state,
  senderOpenId: 'ou_writer',
  chatId: 'oc_team',
  cardMessageId: `om_card_${id}`,
  text: 'Hello',
  recipients: { ...noRecipients(), departments: ['od-sales'] },
  unusable: [],
  createdAt: T0,
  ...o,
});

function setUp(batchSend: () => Promise<{ batchId: string; refused: Send['recipients'] }>) {
  const clock = new FakeClock(T0);
  const sends = embeddedState(
    Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS }),
    clock,
  ).sends;
  const watches = new FakeWatches();
  const jobs = new Jobs();
  const calls: string[] = [];
  const patched: string[] = [];
  const outbound = {
    batchSend: async (send: Send) => {
      calls.push(send.id);
      return batchSend();
    },
    patch: async (messageId: string, build: () => Promise<Card>) => {
      await build();
      patched.push(messageId);
    },
  } as unknown as Outbound;
  const feishu = { state: 'closed', nextClose: () => new Promise<void>(() => undefined) } as unknown as FeishuHealth;
  const confirmed = new ConfirmedSends({
    ...{ sends, outbound, watches, clock, feishu, jobs, logger: createLogger('silent') },
    stopping: new AbortController().signal,
    cardOf: async () => ({}) as Card,
  });
  return { confirmed, sends, clock, watches, jobs, calls, patched };
}

const sentOk = async () => ({ batchId: 'bm-new', refused: { ...noRecipients(), openIds: ['ou_gone'] } });

it('sends a confirmed send once, records its batch id and refused ids, and watches its card', async () => {
  const { confirmed, sends, watches, jobs, calls } = setUp(sentOk);
  await sends.create(aSend('s_1', 'queued'));
  confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
  confirmed.start((await sends.get('s_1'))!, createLogger('silent')); // a second start finds it taken
  await jobs.settled();
  expect(calls).toEqual(['s_1']);
  expect(await sends.get('s_1')).toMatchObject({ state: 'sent', batchId: 'bm-new', refused: { openIds: ['ou_gone'] } });
  expect(await watches.get(watchIdFor('om_card_s_1'))).toMatchObject({
    batchId: 'bm-new',
    intervalMs: SENT_WATCH_INTERVAL_MS,
  });
});

it('a refusal fails the send and a timeout leaves it unconfirmed: neither is tried again', async () => {
  for (const [error, state] of [
    [new BotError('feishu_api', 'no scope', { feishuCode: 11203 }), 'failed'],
    [new BotError('timeout', 'no answer in time'), 'unconfirmed'],
  ] as const) {
    const { confirmed, sends, jobs, calls, patched } = setUp(() => Promise.reject(error));
    await sends.create(aSend('s_1', 'queued'));
    confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
    await jobs.settled();
    expect(calls).toEqual(['s_1']);
    expect(await sends.get('s_1')).toMatchObject({ state, error: { code: error.code } });
    expect(patched).toEqual(['om_card_s_1']); // the card says so
  }
});

it('at start: sends what waited queued, settles what a stop interrupted, leaves a send still on its way', async () => {
  const { confirmed, sends, clock, jobs, calls } = setUp(sentOk);
  await sends.create(aSend('s_queued', 'queued'));
  await sends.create(aSend('s_cut', 'sending', { attemptedAt: T0 }));
  await sends.create(aSend('s_recalling', 'recalling', { attemptedAt: T0, batchId: 'bm-old' }));
  await clock.advance(SEND_INTERRUPTED_AFTER_MS);
  await sends.create(aSend('s_now', 'sending', { attemptedAt: clock.now() }));
  await confirmed.resume();
  await jobs.settled();
  expect(calls).toEqual(['s_queued']);
  expect(await sends.get('s_cut')).toMatchObject({ state: 'unconfirmed', error: { code: 'interrupted' } });
  expect((await sends.get('s_recalling'))!.state).toBe('sent');
  expect((await sends.get('s_now'))!.state).toBe('sending');
});
