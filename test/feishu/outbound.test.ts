/**
 * The one pipeline: people's queries go ahead of watches; card updates of one
 * message never go out of order; batch sends and recalls keep their own
 * budgets, and a batch send is tried again only when Feishu surely did not take it.
 */
import { Outbound } from '../../src/feishu/outbound.js';
import type { FeishuApi } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { watchLane } from '../../src/scheduling/lanes.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { noRecipients } from '../../src/domain/send.js';
import { BotError } from '../../src/domain/errors.js';
import type { Clock } from '../../src/domain/clock.js';
import { createOpenApi } from '../../src/feishu/api/openApi.js';
import { StubFeishu } from '../support/inProcessBot.js';
import { botErrorOf } from '../support/botErrors.js';
import { until } from '../support/until.js';
import { refusal, ScriptedOpenApi } from './api/scriptedOpenApi.js';

function recordingApi() {
  const calls: string[] = [];
  const api: FeishuApi = {
    readUser: async (id) => {
      calls.push(`read:${id}`);
      return { readCount: 1, totalCount: 2 };
    },
    getProgress: async (id) => {
      calls.push(`progress:${id}`);
      return { validCount: 3, deliveredCount: 2, readCount: 1, recalled: false, recallCount: 0 };
    },
    sendCard: async (to) => {
      calls.push(`send:${'openId' in to ? to.openId : to.chatId}`);
      return 'om_sent';
    },
    batchSend: async () => {
      calls.push('batch_send');
      return { batchId: 'bm-1', refused: noRecipients() };
    },
    recallBatch: async (id) => {
      calls.push(`recall:${id}`);
    },
    replyCard: async (id) => {
      calls.push(`reply:${id}`);
      return `om_${id}`;
    },
    patchCard: async (id, card) => {
      calls.push(`patch:${id}:${JSON.stringify(card)}`);
    },
    botOpenId: async () => 'ou_bot',
    chatAdmins: async () => ({ isGroup: true, managerOpenIds: [] }),
    userDepartments: async () => [],
    grantedScopes: async () => [],
    invalidateToken: () => undefined,
  };
  return { api, calls };
}

it('lets an interactive query go ahead of a backlog of watch queries', async () => {
  const clock = new FakeClock(0);
  const { api, calls } = recordingApi();
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  const background = Array.from({ length: 120 }, (_, i) =>
    out.readUser(`bg${i}`, undefined, watchLane({ chatId: `oc_${i}`, startedBy: 'ou_w' })),
  );
  await settle();
  const person = out.readUser('person');
  await clock.advance(1000);
  // Only the watch query that had started goes before it; the rest start 20 ms apart after it.
  expect(calls.filter((c) => c.startsWith('read:')).slice(0, 3)).toEqual(['read:bg0', 'read:person', 'read:bg1']);
  await clock.advance(5000);
  await Promise.all([...background, person]);
  expect(calls.filter((c) => c.startsWith('read:'))).toHaveLength(121);
});

it('sends updates of one message in order, one at a time, each built when its turn comes', async () => {
  const clock = new FakeClock(0);
  const { api } = recordingApi();
  // Feishu takes each update until the test lets it finish.
  const sent: Array<{ card: unknown; finish: () => void }> = [];
  api.patchCard = (_id, card) => new Promise<void>((finish) => sent.push({ card, finish }));
  const out = new Outbound({ api, clock, logger: createLogger('silent') });
  let state = 'watching';
  const first = out.patch('om_card', () => ({ update: 1, state }));
  const second = out.patch('om_card', () => ({ update: 2, state }));
  await settle();
  // The first is out; the second waits for it, and is not built yet.
  expect(sent.map((s) => s.card)).toEqual([{ update: 1, state: 'watching' }]);
  state = 'stopped'; // the watch stopped while the first update was on its way
  sent[0]!.finish();
  await first;
  await clock.advance(1000); // room in the per-message limit, were the second held by it
  expect(sent.map((s) => s.card)).toEqual([
    { update: 1, state: 'watching' },
    { update: 2, state: 'stopped' },
  ]);
  sent[1]!.finish();
  await second;
});

describe('batch sends and recalls: budgets of their own', () => {
  const message = { text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } };
  const made = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

  it('sends and recalls 50 a second each, and read_user does not wait for them', async () => {
    const clock = new FakeClock(0);
    const { api, calls } = recordingApi();
    const out = new Outbound({ api, clock, logger: createLogger('silent') });
    const sends = Array.from({ length: 60 }, () => out.batchSend(message));
    const recalls = Array.from({ length: 60 }, (_, i) => out.recallBatch(`bm-${i}`));
    const read = out.readUser('bm_x');
    await settle();
    expect([made(calls, 'batch_send'), made(calls, 'recall:'), made(calls, 'read:')]).toEqual([50, 50, 1]);
    await clock.advance(1000);
    expect([made(calls, 'batch_send'), made(calls, 'recall:')]).toEqual([60, 60]);
    await Promise.all([...sends, ...recalls, read]);
  });

  it('sends at most 1000 a minute', async () => {
    const clock = new FakeClock(0);
    const { api, calls } = recordingApi();
    const out = new Outbound({ api, clock, logger: createLogger('silent') });
    const sends = Array.from({ length: 1001 }, () => out.batchSend(message));
    await clock.advance(59_000);
    expect(made(calls, 'batch_send')).toBe(1000);
    await clock.advance(1_000);
    expect(made(calls, 'batch_send')).toBe(1001);
    await Promise.all(sends);
  });

  it('leaves a send that found the breaker open to its caller, who waits for Feishu', async () => {
    const feishu = new StubFeishu();
    feishu.onBatchSend = () => Promise.reject(new BotError('feishu_unavailable', 'open'));
    const out = new Outbound({ api: feishu, clock: new FakeClock(0), logger: createLogger('silent') });
    expect((await botErrorOf(out.batchSend(message))).code).toBe('feishu_unavailable');
    expect(feishu.batchSendCalls).toHaveLength(1);
  });
});

describe('the retry rule of a batch send, against Feishu over HTTP', () => {
  const BATCH_SEND = '/open-apis/message/v4/batch_send/';
  const message = { text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } };
  const taken = { body: { code: 0, msg: 'ok', data: { message_id: 'bm-once' } } };
  let feishu: ScriptedOpenApi;
  let baseUrl: string;

  beforeEach(async () => {
    feishu = new ScriptedOpenApi();
    baseUrl = await feishu.listen();
  });
  afterEach(() => feishu.close());

  /** The real SDK wrapper on a fake clock whose sleeps the test sees: a retry's wait shows as one. */
  function outbound(timeoutMs = 5_000) {
    const clock = new FakeClock(0);
    const sleeps: number[] = [];
    const seen: Clock = { now: () => clock.now(), sleep: (ms) => (sleeps.push(ms), clock.sleep(ms)) };
    const logger = createLogger('silent');
    const api = createOpenApi({ appId: 'cli_out', appSecret: 's3cret', baseUrl, timeoutMs, logger });
    return { out: new Outbound({ api, clock: seen, logger, random: () => 0 }), clock, sleeps };
  }

  it('tries again after a gateway’s 503, and the message goes once', async () => {
    feishu.script('POST', BATCH_SEND, { status: 503, body: 'Service Unavailable' }, taken);
    const { out, clock, sleeps } = outbound();
    const sending = out.batchSend(message);
    await until(() => sleeps.length === 1, 10_000, 'the wait before the retry');
    await clock.advance(sleeps[0]!);
    await expect(sending).resolves.toEqual({ batchId: 'bm-once', refused: noRecipients() });
    expect(feishu.to(BATCH_SEND)).toHaveLength(2);
  });

  it('throws a timeout at once: the one request may have reached Feishu', async () => {
    feishu.script('POST', BATCH_SEND, { hang: true });
    const { out, sleeps } = outbound(300);
    expect((await botErrorOf(out.batchSend(message))).code).toBe('timeout');
    expect(feishu.to(BATCH_SEND)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('throws an HTTP 500 and an answer it cannot read at once too', async () => {
    feishu.script('POST', BATCH_SEND, { status: 500, body: 'Internal Server Error' }, { body: { code: 0, data: {} } });
    const { out, sleeps } = outbound();
    expect(await botErrorOf(out.batchSend(message))).toMatchObject({ code: 'feishu_http', httpStatus: 500 });
    expect((await botErrorOf(out.batchSend(message))).code).toBe('bad_response');
    expect(feishu.to(BATCH_SEND)).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('waits for a rate limit’s reset, then tries again', async () => {
    const limited = { status: 429, headers: { 'x-ogw-ratelimit-reset': '3' }, body: { code: 99991400, msg: 'limit' } };
    feishu.script('POST', BATCH_SEND, limited, taken);
    const { out, clock, sleeps } = outbound();
    const sending = out.batchSend(message);
    await until(() => sleeps.length === 1, 10_000, 'the wait before the retry');
    await clock.advance(2_999);
    expect(feishu.to(BATCH_SEND)).toHaveLength(1);
    await clock.advance(1);
    await expect(sending).resolves.toMatchObject({ batchId: 'bm-once' });
    expect(feishu.to(BATCH_SEND)).toHaveLength(2);
  });

  it('fetches a new token once after an invalid one, and sends with it', async () => {
    feishu.script('POST', BATCH_SEND, refusal(99991663, 400), taken);
    const { out } = outbound();
    await expect(out.batchSend(message)).resolves.toMatchObject({ batchId: 'bm-once' });
    expect(feishu.to(BATCH_SEND).map((r) => r.token)).toEqual(['t-1', 't-2']);
  });

  it('retries a recall after a timeout, as reads are', async () => {
    const RECALL = '/open-apis/im/v1/batch_messages/bm-once';
    feishu.script('DELETE', RECALL, { hang: true }, { body: { code: 0, data: {} } });
    const { out, clock, sleeps } = outbound(300);
    const recalling = out.recallBatch('bm-once');
    await until(() => sleeps.length === 1, 10_000, 'the wait before the retry');
    await clock.advance(sleeps[0]!);
    await expect(recalling).resolves.toBeUndefined();
    expect(feishu.to(RECALL)).toHaveLength(2);
  });
});

it('asks for bot info and the app’s scopes in their turns, within the limits; bot info past the breaker', async () => {
  const clock = new FakeClock(0);
  const { api } = recordingApi();
  let botInfo = 0;
  let scopes = 0;
  api.botOpenId = () => Promise.reject(new BotError('feishu_unavailable', 'the breaker is open'));
  api.grantedScopes = async () => (scopes++, []);
  const unguarded = { botOpenId: async () => (botInfo++, 'ou_bot') };
  const out = new Outbound({ api, unguarded, clock, logger: createLogger('silent') });
  const asked = Array.from({ length: 60 }, () => out.botOpenId());
  const lookups = Array.from({ length: 60 }, () => out.grantedScopes());
  await clock.advance(500);
  // 50 a second, Feishu's limit for each, as for every other call.
  expect([botInfo, scopes]).toEqual([50, 50]);
  await clock.advance(2_000);
  expect(await Promise.all(asked)).toContain('ou_bot');
  await Promise.all(lookups);
  expect([botInfo, scopes]).toEqual([60, 60]);
});
