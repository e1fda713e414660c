/** Sending a confirmed send, and what a start finds left by the last stop (src/features/send/confirmedSends.ts). */
import { createLogger } from '../../../src/app/log.js';
import type { Card } from '../../../src/cards/card.js';
import { Jobs } from '../../../src/dispatch/jobs.js';
import { BotError } from '../../../src/domain/errors.js';
import { COMMAND_WAIT } from '../../../src/feishu/retry.js';
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
import { capturedLogs } from '../../support/capturedLogs.js';
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

/** Feishu's health as a test sets it: `back()` closes the breaker. */
function health(state: 'open' | 'closed') {
  let back!: () => void;
  const closes = new Promise<void>((resolve) => (back = resolve));
  const h = {
    state,
    nextClose: () => closes,
    back: () => {
      h.state = 'closed';
      back();
    },
  };
  return h;
}

function setUp(
  batchSend: () => Promise<{ batchId: string; refused: Send['recipients'] }>,
  feishu: { state: string; nextClose(): Promise<void> } = health('closed'),
) {
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
  const stopping = new AbortController();
  const confirmed = new ConfirmedSends({
    ...{ sends, outbound, watches, clock, jobs, logger: createLogger('silent') },
    feishu: feishu as unknown as FeishuHealth,
    stopping: stopping.signal,
    cardOf: async () => ({}) as Card,
    random: () => 0.5,
  });
  return { confirmed, sends, clock, watches, jobs, calls, patched, stop: () => stopping.abort() };
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

it('a send whose preview had no card is sent all the same, unwatched, with no card to update', async () => {
  const { confirmed, sends, watches, jobs, calls, patched } = setUp(sentOk);
  await sends.create(aSend('s_1', 'queued', { cardMessageId: undefined }));
  confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
  await jobs.settled();
  expect(calls).toEqual(['s_1']);
  expect((await sends.get('s_1'))!.state).toBe('sent');
  expect([watches.added, patched]).toEqual([[], []]);
});

it('a sent message is not watched when the watch caps are full, and its card still shows it sent', async () => {
  const { confirmed, sends, watches, jobs, patched } = setUp(sentOk);
  watches.refusalIs = 'too_many';
  await sends.create(aSend('s_1', 'queued'));
  confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
  await jobs.settled();
  expect(watches.added).toEqual([]);
  expect(patched).toEqual(['om_card_s_1']);
});

it('a refusal fails the send and a timeout leaves it unconfirmed: neither is tried again', async () => {
  for (const [error, state] of [
    [new BotError('feishu_api', 'no scope', { feishuCode: 11203 }), 'failed'],
    [new BotError('timeout', 'no answer in time'), 'unconfirmed'],
  ] as const) {
    const { confirmed, sends, jobs, calls, patched } = setUp(() => Promise.reject(error));
    await sends.create(aSend('s_1', 'queued'));
    const logs = capturedLogs('info');
    confirmed.start((await sends.get('s_1'))!, logs.logger);
    await jobs.settled();
    expect(calls).toEqual(['s_1']);
    expect(await sends.get('s_1')).toMatchObject({ state, error: { code: error.code } });
    expect(patched).toEqual(['om_card_s_1']); // the card says so
    // The audit log says who, to whom, how it ended and why.
    const [audited] = logs
      .text()
      .split('\n')
      .filter((line) => line.includes('"audit"'))
      .map((line) => JSON.parse(line) as unknown);
    expect(audited).toMatchObject({
      ...{ audit: `send_${state}`, send_id: 's_1', by: 'ou_writer', code: error.code },
      recipients: { departments: ['od-sales'] },
    });
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

describe('a send that meets an outage', () => {
  const unavailable = () => Promise.reject(new BotError('feishu_unavailable', 'the breaker is open'));

  it('goes back to waiting, and is sent once when Feishu is back', async () => {
    const feishu = health('open');
    let tries = 0;
    const { confirmed, sends, jobs, calls } = setUp(() => (++tries === 1 ? unavailable() : sentOk()), feishu);
    await sends.create(aSend('s_1', 'queued', { confirmedAt: T0 }));
    confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
    await until(async () => (await sends.get('s_1'))!.error !== undefined);
    expect((await sends.get('s_1'))!.state).toBe('queued');
    feishu.back();
    await jobs.settled();
    expect(calls).toEqual(['s_1', 's_1']);
    expect((await sends.get('s_1'))!.state).toBe('sent');
  });

  it('fails once Feishu has been unavailable for an hour since it was confirmed', async () => {
    const { confirmed, sends, clock, jobs, patched } = setUp(unavailable, health('open'));
    await sends.create(aSend('s_1', 'queued', { confirmedAt: T0 }));
    confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
    await clock.advance(COMMAND_WAIT.maxAgeMs);
    await jobs.settled();
    expect(await sends.get('s_1')).toMatchObject({ state: 'failed', error: { code: 'feishu_unavailable' } });
    expect(patched.length).toBeGreaterThanOrEqual(2); // waiting, then failed
  });

  it('stays queued when the bot stops while it waits', async () => {
    const { confirmed, sends, jobs, stop, calls } = setUp(unavailable, health('open'));
    await sends.create(aSend('s_1', 'queued', { confirmedAt: T0 }));
    confirmed.start((await sends.get('s_1'))!, createLogger('silent'));
    await until(async () => (await sends.get('s_1'))!.error !== undefined);
    stop();
    await jobs.settled();
    expect(calls).toEqual(['s_1']);
    expect((await sends.get('s_1'))!.state).toBe('queued');
  });
});

/** Lets the send's own steps run until `done` says so (they wait on the store, not on time). */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000 && !(await done()); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!(await done())) throw new Error('the send never got there');
}
