/** No secret is ever logged: drive every path at trace level and search the captured logs. */
import { createOpenApi, withoutSecrets } from '../../src/feishu/api/openApi.js';
import { feishuRequest, messageEvent } from '../../src/dev/demo/feishuEvents.js';
import { capturedLogs } from '../support/capturedLogs.js';
import { APP, KEY, TOKEN, startHarness } from '../support/harness.js';

it('never logs the app secret, tokens, the encrypt key or Authorization headers', async () => {
  const { logger, text } = capturedLogs('trace');
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
  const logs = text();

  expect(logs.length).toBeGreaterThan(1000); // the paths really were logged
  expect(logs).toContain('bm_gone');
  for (const secret of [APP.appSecret, 'wrong-secret-value', KEY, TOKEN, 't-fake-', 'Bearer ']) {
    expect(logs).not.toContain(secret);
  }
}, 30_000);

it('keeps the long connection’s ticket and event payloads out of the SDK’s trace messages', () => {
  const url = 'wss://msg-frontier.feishu.cn/ws/v2?fpid=493&device_id=7&access_key=k-secret&ticket=t-secret-ticket';
  expect(withoutSecrets(`get connect config success, ws url: ${url}`)).toBe(
    'get connect config success, ws url: wss://msg-frontier.feishu.cn/ws/v2?<redacted>',
  );
  const event = '{"schema":"2.0","event":{"message":{"content":"{\\"text\\":\\"private words\\"}"}}}';
  const logged = withoutSecrets(`receive message, message_type: event; message_id: m1; trace_id: t1; data: ${event}`);
  expect(logged).toBe('receive message, message_type: event; message_id: m1; trace_id: t1; data: <payload omitted>');
  expect(withoutSecrets('x'.repeat(10_000))).toHaveLength(201);
  expect(withoutSecrets('send request [GET]: /open-apis/bot/v3/info')).toBe(
    'send request [GET]: /open-apis/bot/v3/info',
  );
});

it('logs an error by its type, message, code and stack only: never the request it carried', () => {
  const { logger, text } = capturedLogs('info');
  const axiosLike = Object.assign(new Error('socket hang up'), {
    code: 'ECONNRESET',
    config: { headers: { Authorization: 'Bearer t-secret-token' } },
  });
  logger.error({ err: axiosLike }, 'failed');
  logger.warn({ err: 'not an Error object' }, 'odd');
  const [failed, odd] = text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { err: unknown });
  expect(failed!.err).toEqual({ type: 'Error', message: 'socket hang up', code: 'ECONNRESET', stack: axiosLike.stack });
  expect(odd!.err).toBe('not an Error object');
  expect(text()).not.toContain('t-secret-token');
});
