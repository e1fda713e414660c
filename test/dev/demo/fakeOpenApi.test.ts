/**
 * The fake Open API itself, over real HTTP: updates a test makes fail, and
 * the rate-limit checker that other tests assert empty — shown here to
 * record exactly the calls over Feishu's limits and none within them.
 */
import { FakeOpenApi, type FakeOpenApiOptions } from '../../../src/dev/demo/fakeOpenApi.js';
import { createOpenApi } from '../../../src/feishu/api/openApi.js';
import { isRetryable } from '../../../src/feishu/retry.js';
import { createLogger } from '../../../src/app/log.js';
import { botErrorOf } from '../../support/botErrors.js';

const APP = { appId: 'cli_fake', appSecret: 'fake-secret', botOpenId: 'ou_fake_bot' };

let fake: FakeOpenApi;
let baseUrl: string;

async function start(options: Partial<FakeOpenApiOptions> = {}) {
  fake = new FakeOpenApi({ ...APP, ...options });
  baseUrl = await fake.listen();
}
afterEach(() => fake.close());

describe('failUpdates', () => {
  beforeEach(() => start());
  const api = () => createOpenApi({ ...APP, baseUrl, timeoutMs: 5000, logger: createLogger('silent') });

  it('refuses every later update of that message for good, like a recalled one; other messages still update', async () => {
    const client = api();
    const recalled = await client.replyCard('om_parent_1', { v: 'sent' }, 'uuid-1');
    const other = await client.replyCard('om_parent_2', { v: 'sent' }, 'uuid-2');
    await client.patchCard(recalled, { v: 'updated' });

    fake.failUpdates(recalled, { kind: 'error', httpStatus: 400, code: 230011, msg: 'The message was recalled.' });
    for (const attempt of [1, 2]) {
      const e = await botErrorOf(client.patchCard(recalled, { v: `refused ${attempt}` }));
      expect(e).toMatchObject({ code: 'feishu_api', feishuCode: 230011, httpStatus: 400 });
      expect(isRetryable(e)).toBe(false);
    }
    await client.patchCard(other, { v: 'updated' });

    expect(fake.cardOf(recalled)).toEqual({ v: 'updated' });
    expect(fake.cardOf(other)).toEqual({ v: 'updated' });
    expect(fake.failedUpdates).toEqual([
      { messageId: recalled, at: expect.any(Number), httpStatus: 400 },
      { messageId: recalled, at: expect.any(Number), httpStatus: 400 },
    ]);
  });

  it('can fail with a 5xx that is not Feishu JSON, which the bot treats as worth retrying', async () => {
    const client = api();
    const card = await client.replyCard('om_parent', { v: 'sent' }, 'uuid-1');
    fake.failUpdates(card, { kind: 'http_error', httpStatus: 503 });

    const e = await botErrorOf(client.patchCard(card, { v: 'updated' }));
    expect(e).toMatchObject({ code: 'feishu_http', httpStatus: 503 });
    expect(isRetryable(e)).toBe(true);
    expect(fake.cardOf(card)).toEqual({ v: 'sent' });
    expect(fake.failedUpdates).toEqual([{ messageId: card, at: expect.any(Number), httpStatus: 503 }]);
  });
});

describe('rate limits, on a clock held still so every call arrives in the same second', () => {
  let now: number;
  let token: string;
  beforeEach(async () => {
    now = Date.now();
    await start({ batches: { bm_any: { kind: 'counts', read: 1, total: 2 } }, now: () => now });
    const res = await fetch(`${baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
    });
    token = ((await res.json()) as { tenant_access_token: string }).tenant_access_token;
  });

  /** Sends all the calls at once; resolves to each one's HTTP status and Feishu code. */
  function burst(calls: Array<{ method: string; path: string; body?: object }>) {
    return Promise.all(
      calls.map(async ({ method, path, body }) => {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body && JSON.stringify(body),
        });
        return { status: res.status, code: ((await res.json()) as { code: number }).code };
      }),
    );
  }

  const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  const readUser = { method: 'GET', path: '/open-apis/im/v1/batch_messages/bm_any/read_user' };
  const reply = (parentId: string) => ({
    method: 'POST',
    path: `/open-apis/im/v1/messages/${parentId}/reply`,
    body: { msg_type: 'interactive', content: '{}' },
  });
  const ok = { status: 200, code: 0 };
  const violation = (api: string) => ({ api, at: now });

  it('read_user: 50 calls in a second pass; each one over is answered 429 / 99991400 and recorded', async () => {
    expect(await burst(times(50, () => readUser))).toEqual(times(50, () => ok));
    expect(fake.violations).toEqual([]);

    expect(await burst(times(3, () => readUser))).toEqual(times(3, () => ({ status: 429, code: 99991400 })));
    expect(fake.violations).toEqual(times(3, () => violation('read_user')));

    now += 1000;
    expect(await burst([readUser])).toEqual([ok]);
    expect(fake.violations).toHaveLength(3);
  });

  it('reply: 5 replies into one chat in a second pass, in each of two chats; a sixth into one is refused with 230020', async () => {
    for (let i = 0; i < 7; i++) fake.registerMessage(`om_a${i}`, 'oc_a');
    for (let i = 0; i < 5; i++) fake.registerMessage(`om_b${i}`, 'oc_b');
    const first = await burst([...times(5, (i) => reply(`om_a${i}`)), ...times(5, (i) => reply(`om_b${i}`))]);
    expect(first).toEqual(times(10, () => ok));
    expect(fake.violations).toEqual([]);

    expect(await burst([reply('om_a5')])).toEqual([{ status: 400, code: 230020 }]);
    expect(fake.violations).toEqual([violation('reply_chat')]);
    expect(fake.replies).toHaveLength(10);

    now += 1000;
    expect(await burst([reply('om_a6')])).toEqual([ok]);
  });

  it('reply: 50 replies across chats in a second pass; the 51st is answered 429 / 99991400 and recorded', async () => {
    expect(await burst(times(50, (i) => reply(`om_${i}`)))).toEqual(times(50, () => ok));
    expect(fake.violations).toEqual([]);

    expect(await burst([reply('om_50')])).toEqual([{ status: 429, code: 99991400 }]);
    expect(fake.violations).toEqual([violation('reply')]);

    now += 1000;
    expect(await burst([reply('om_51')])).toEqual([ok]);
  });

  it('update: 5 updates of one message in a second pass; a sixth is refused with 230020 and recorded', async () => {
    expect(await burst([reply('om_parent')])).toEqual([ok]);
    const update = {
      method: 'PATCH',
      path: `/open-apis/im/v1/messages/${fake.replies[0]!.messageId}`,
      body: { content: '{}' },
    };
    expect(await burst(times(5, () => update))).toEqual(times(5, () => ok));
    expect(fake.violations).toEqual([]);

    expect(await burst([update])).toEqual([{ status: 400, code: 230020 }]);
    expect(fake.violations).toEqual([violation('patch_message')]);
    expect(fake.patches).toHaveLength(5);

    now += 1000;
    expect(await burst([update])).toEqual([ok]);
  });
});

describe('outage', () => {
  beforeEach(() => start({ batches: { bm_a: { kind: 'counts', read: 1, total: 2 } } }));

  it('answers every Open API call, token requests included, with the outage’s status until it ends', async () => {
    fake.outage(true);
    const token = await fetch(`${baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
    });
    expect(token.status).toBe(503);
    const client = createOpenApi({ ...APP, baseUrl, timeoutMs: 5000, logger: createLogger('silent') });
    await expect(client.readUser('bm_a')).rejects.toMatchObject({ code: 'feishu_http', httpStatus: 503 });
    fake.outage(true, 502);
    await expect(client.botOpenId()).rejects.toMatchObject({ httpStatus: 502 });
    expect(fake.outageRefusals).toBe(3);
    fake.outage(false);
    await expect(client.readUser('bm_a')).resolves.toEqual({ readCount: 1, totalCount: 2 });
  });
});
