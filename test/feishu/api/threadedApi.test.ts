/**
 * The Feishu API on its own thread, against the fake Open API over real
 * HTTP: the thread runs the real entry (src/app/feishuThread.ts, through tsx as
 * the bundle's dist/feishuThread.js runs it), and what crosses back — counts,
 * ids, BotErrors with their Feishu fields — is what the SDK wrapper gives in
 * process.
 */
import { FakeOpenApi } from '../../../src/dev/demo/fakeOpenApi.js';
import { isTransient } from '../../../src/feishu/retry.js';
import { Worker } from 'node:worker_threads';
import { ThreadedApi, type ApiThreadData } from '../../../src/feishu/api/threadedApi.js';
import { botErrorOf } from '../../support/botErrors.js';
import { until } from '../../support/until.js';
import { noRecipients } from '../../../src/domain/send.js';
import { refusal, ScriptedOpenApi } from './scriptedOpenApi.js';

const APP = { appId: 'cli_thread', appSecret: 's3cret', botOpenId: 'ou_thread_bot' };
/** The entry, in TypeScript: tsx's loader, registered in the thread, then the entry. */
const TS_ENTRY = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('../../../src/app/feishuThread.ts', import.meta.url).href,
)}); });`;
let fake: FakeOpenApi;
let api: ThreadedApi;
let started = 0;

beforeAll(async () => {
  fake = new FakeOpenApi({
    ...APP,
    batches: {
      bm_ok: { kind: 'counts', read: 12, total: 30 },
      bm_slow: { kind: 'counts', read: 1, total: 1, delayMs: 3000 },
      bm_gone: { kind: 'error', httpStatus: 400, code: 230030, msg: 'not found' },
      bm_limited: { kind: 'error', httpStatus: 429, code: 99991400, msg: 'request trigger frequency limit' },
    },
  });
  api = threaded(await fake.listen());
});
afterAll(async () => {
  await api.close();
  await fake.close();
});

function threaded(baseUrl: string): ThreadedApi {
  const data: ApiThreadData = { options: { ...APP, baseUrl, timeoutMs: 5000 }, logLevel: 'silent' };
  return new ThreadedApi(() => {
    started++;
    return new Worker(TS_ENTRY, { eval: true });
  }, data);
}

it('answers each call with what the SDK wrapper returns, on one thread', async () => {
  await expect(api.readUser('bm_ok')).resolves.toEqual({ readCount: 12, totalCount: 30 });
  await expect(api.botOpenId()).resolves.toBe(APP.botOpenId);
  fake.registerMessage('om_thread_1', 'oc_thread');
  const replyId = await api.replyCard('om_thread_1', { elements: [] }, 'uuid-thread-1');
  expect(fake.repliesTo('om_thread_1')).toHaveLength(1);
  expect(replyId).toEqual(expect.any(String));
  expect(started).toBe(1);
});

it('throws a BotError with Feishu’s code, status and log id, as the wrapper does', async () => {
  const e = await botErrorOf(api.readUser('bm_gone'));
  expect(e).toMatchObject({ code: 'feishu_api', feishuCode: 230030, httpStatus: 400 });
  expect(e.logId).toEqual(expect.any(String));
});

it('sends a network failure across with its cause, as an Error for the log', async () => {
  const unreachable = threaded('http://127.0.0.1:1');
  try {
    const e = await botErrorOf(unreachable.readUser('bm_ok'));
    expect(e.code).toBe('network');
    expect(e.cause).toBeInstanceOf(Error);
    expect((e.cause as Error).message).toMatch(/ECONNREFUSED/);
  } finally {
    await unreachable.close();
  }
});

it('keeps a rate limit’s wait, so the retry honours it', async () => {
  const e = await botErrorOf(api.readUser('bm_limited'));
  expect(e).toMatchObject({ feishuCode: 99991400, httpStatus: 429, retryAfterMs: 1000 });
  expect(isTransient(e)).toBe(true);
});

it('forgets the token when asked: the next call fetches a new one', async () => {
  await api.readUser('bm_ok');
  const before = fake.tokensIssued;
  api.invalidateToken();
  await api.readUser('bm_ok');
  expect(fake.tokensIssued - before).toBe(1);
});

it('fails the calls of a thread that stops as network errors (they are retried), and starts a new one', async () => {
  const reached = fake.readUserCalls.filter((c) => c.batchId === 'bm_slow').length;
  const slow = botErrorOf(api.readUser('bm_slow'));
  // The fake records a call on arrival, then holds it for 3 s: the thread stops with the call out.
  await until(
    () => fake.readUserCalls.filter((c) => c.batchId === 'bm_slow').length > reached,
    10_000,
    'the call to reach the fake',
  );
  await api.close();
  const e = await slow;
  expect(e.code).toBe('network');
  expect(isTransient(e)).toBe(true);
  await expect(api.readUser('bm_ok')).resolves.toEqual({ readCount: 12, totalCount: 30 });
  expect(started).toBe(3); // one more for the unreachable Open API's
});

it('carries a batch send, its recall and their refusals across, as the wrapper gives them', async () => {
  const feishu = new ScriptedOpenApi();
  const batches = threaded(await feishu.listen());
  try {
    const data = { message_id: 'bm-thread', invalid_open_ids: ['ou_left'] };
    feishu.script('POST', '/open-apis/message/v4/batch_send/', { body: { code: 0, data } }, refusal(11203));
    const message = { text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a', 'ou_left'] } };
    await expect(batches.batchSend(message)).resolves.toEqual({
      batchId: 'bm-thread',
      refused: { ...noRecipients(), openIds: ['ou_left'] },
    });
    expect(await botErrorOf(batches.batchSend(message))).toMatchObject({ code: 'feishu_api', feishuCode: 11203 });
    feishu.script('DELETE', '/open-apis/im/v1/batch_messages/bm-thread', { body: { code: 0 } }, refusal(230009, 400));
    await expect(batches.recallBatch('bm-thread')).resolves.toBeUndefined();
    expect(await botErrorOf(batches.recallBatch('bm-thread'))).toMatchObject({ feishuCode: 230009, httpStatus: 400 });
  } finally {
    await batches.close();
    await feishu.close();
  }
});
