/** The SDK wrapper against the fake Open API over real HTTP: both ways of failing become one BotError. */
import { createServer } from 'node:net';
import { FakeOpenApi } from '../../../src/dev/demo/fakeOpenApi.js';
import { createOpenApi } from '../../../src/feishu/api/openApi.js';
import { TokenCache } from '../../../src/feishu/api/tokenCache.js';
import { createLogger } from '../../../src/app/log.js';
import { botErrorOf } from '../../support/botErrors.js';

const APP = { appId: 'cli_wrap', appSecret: 's3cret', botOpenId: 'ou_wrap_bot' };
const logger = createLogger('silent');
let fake: FakeOpenApi;
let baseUrl: string;

beforeAll(async () => {
  fake = new FakeOpenApi({
    ...APP,
    batches: {
      bm_ok: { kind: 'counts', read: 12, total: 30 },
      bm_slow: { kind: 'counts', read: 1, total: 1, delayMs: 2000 },
      bm_gone: { kind: 'error', httpStatus: 400, code: 230030, msg: 'not found' },
    },
  });
  baseUrl = await fake.listen();
});
afterAll(() => fake.close());

const api = (o: Partial<{ appSecret: string; timeoutMs: number; baseUrl: string }> = {}) =>
  createOpenApi({
    appId: APP.appId,
    appSecret: o.appSecret ?? APP.appSecret,
    baseUrl: o.baseUrl ?? baseUrl,
    timeoutMs: o.timeoutMs ?? 5000,
    logger,
  });

it('reads the counts (strings in Feishu’s answer) as numbers', async () => {
  await expect(api().readUser('bm_ok')).resolves.toEqual({ readCount: 12, totalCount: 30 });
});

it('fetches a tenant token once per client and reuses it', async () => {
  const before = fake.tokensIssued;
  const client = api();
  await client.readUser('bm_ok');
  await client.readUser('bm_ok');
  await client.botOpenId();
  expect(fake.tokensIssued - before).toBe(1);
});

it('finds the bot’s own open_id', async () => {
  await expect(api().botOpenId()).resolves.toBe(APP.botOpenId);
});

it('turns a thrown HTTP 400 into the Feishu code with its log_id', async () => {
  const e = await botErrorOf(api().readUser('bm_gone'));
  expect(e).toMatchObject({ code: 'feishu_api', feishuCode: 230030, httpStatus: 400 });
  expect(e.logId).toMatch(/^fake/);
});

it('turns a wrong app secret into Feishu’s credential error', async () => {
  const e = await botErrorOf(api({ appSecret: 'wrong' }).readUser('bm_ok'));
  expect(e).toMatchObject({ code: 'feishu_api', feishuCode: 10014 });
});

it('gives up after the timeout', async () => {
  const e = await botErrorOf(api({ timeoutMs: 300 }).readUser('bm_slow'));
  expect(e.code).toBe('timeout');
});

it('reports a closed port as a network failure', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const e = await botErrorOf(api({ baseUrl: `http://127.0.0.1:${port}` }).readUser('bm_ok'));
  expect(e.code).toBe('network');
});

it('replies with an interactive card and the uuid', async () => {
  await api().replyCard('om_parent', { schema: '2.0' }, 'reads-uuid-1');
  expect(fake.repliesTo('om_parent')).toEqual([
    expect.objectContaining({ msgType: 'interactive', uuid: 'reads-uuid-1', card: { schema: '2.0' } }),
  ]);
});

describe('TokenCache', () => {
  it('forgets a token once it has expired, and all of them when told', async () => {
    let now = 1_000;
    const cache = new TokenCache(() => now);
    await cache.set('tenant', 't-1', 2_000);
    expect(await cache.get('tenant')).toBe('t-1');
    now = 2_000;
    expect(await cache.get('tenant')).toBeUndefined();
    await cache.set('tenant', 't-2');
    cache.clear();
    expect(await cache.get('tenant')).toBeUndefined();
  });
});
