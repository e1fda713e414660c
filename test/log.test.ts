/** No secret is ever logged: drive every path at trace level and search the captured logs. */
import { Writable } from 'node:stream';
import { createOpenApi } from '../src/feishu/openApi.js';
import { createLogger } from '../src/log.js';
import { feishuRequest, messageEvent } from '../src/demo/feishuEvents.js';
import { APP, KEY, TOKEN, startHarness } from './support/harness.js';

it('never logs the app secret, tokens, the encrypt key or Authorization headers', async () => {
  let logs = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  const logger = createLogger('trace', sink);
  const h = await startHarness({
    logger,
    timeoutMs: 500,
    fake: {
      batches: {
        bm_ok: { kind: 'counts', read: 1, total: 2 },
        bm_gone: { kind: 'error', httpStatus: 400, code: 230030, msg: 'not found' },
        bm_hang: { kind: 'counts', read: 1, total: 1, delayMs: 5_000 },
        bm_502: { kind: 'http_error', httpStatus: 502 },
      },
    },
  });
  for (const id of ['bm_ok', 'bm_gone', 'bm_hang', 'bm_502']) await h.send(`/reads ${id}`);
  h.fake.revokeTokens();
  await h.send('/reads bm_ok');
  const forged = feishuRequest(messageEvent({ token: 'not-it', text: '/reads bm_ok' }), KEY);
  await h.post(forged.body, forged.headers);
  await h.bot.idle();
  // A wrong secret: the SDK logs its token request, whose body holds the secret.
  await createOpenApi({ ...APP, appSecret: 'wrong-secret-value', baseUrl: h.fake.baseUrl, timeoutMs: 500, logger })
    .readUser('bm_ok')
    .catch(() => undefined);
  await h.close();

  expect(logs.length).toBeGreaterThan(1000); // the paths really were logged
  expect(logs).toContain('bm_gone');
  for (const secret of [APP.appSecret, 'wrong-secret-value', KEY, TOKEN, 't-fake-', 'Bearer ']) {
    expect(logs).not.toContain(secret);
  }
}, 30_000);
