/** The fake Open API itself, over real HTTP: updates a test makes fail. */
import { FakeOpenApi } from '../../src/demo/fakeOpenApi.js';
import { BotError } from '../../src/errors.js';
import { createOpenApi } from '../../src/feishu/openApi.js';
import { isRetryable } from '../../src/feishu/retry.js';
import { createLogger } from '../../src/log.js';

const APP = { appId: 'cli_fake', appSecret: 'fake-secret', botOpenId: 'ou_fake_bot' };

let fake: FakeOpenApi;
let baseUrl: string;

beforeEach(async () => {
  fake = new FakeOpenApi(APP);
  baseUrl = await fake.listen();
});
afterEach(() => fake.close());

describe('failUpdates', () => {
  const api = () => createOpenApi({ ...APP, baseUrl, timeoutMs: 5000, logger: createLogger('silent') });

  async function rejection(p: Promise<unknown>): Promise<BotError> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(BotError);
    return e as BotError;
  }

  it('refuses every later update of that message for good, like a recalled one; other messages still update', async () => {
    const client = api();
    const recalled = await client.replyCard('om_parent_1', { v: 'sent' }, 'uuid-1');
    const other = await client.replyCard('om_parent_2', { v: 'sent' }, 'uuid-2');
    await client.patchCard(recalled, { v: 'updated' });

    fake.failUpdates(recalled, { kind: 'error', httpStatus: 400, code: 230011, msg: 'The message was recalled.' });
    for (const attempt of [1, 2]) {
      const e = await rejection(client.patchCard(recalled, { v: `refused ${attempt}` }));
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

    const e = await rejection(client.patchCard(card, { v: 'updated' }));
    expect(e).toMatchObject({ code: 'feishu_http', httpStatus: 503 });
    expect(isRetryable(e)).toBe(true);
    expect(fake.cardOf(card)).toEqual({ v: 'sent' });
    expect(fake.failedUpdates).toEqual([{ messageId: card, at: expect.any(Number), httpStatus: 503 }]);
  });
});
