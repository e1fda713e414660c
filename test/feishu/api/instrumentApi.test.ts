import { BotError } from '../../../src/domain/errors.js';
import { instrumentApi, resultCode } from '../../../src/feishu/api/instrumentApi.js';
import { noMetrics } from '../../../src/domain/metrics.js';
import { noRecipients } from '../../../src/domain/send.js';
import { FakeClock } from '../../support/fakeClock.js';
import { feishuError, StubFeishu } from '../../support/inProcessBot.js';

it('labels a result by Feishu code, else HTTP status, else what went wrong', () => {
  expect(resultCode(new BotError('feishu_api', 'no', { feishuCode: 230030, httpStatus: 400 }))).toBe('230030');
  expect(resultCode(new BotError('feishu_http', 'bad gateway', { httpStatus: 502 }))).toBe('http_502');
  expect(resultCode(new BotError('timeout', 'slow'))).toBe('timeout');
});

it('counts a batch send and a recall under their own endpoints, with their result codes', async () => {
  const counted: string[] = [];
  const metrics = { ...noMetrics, apiCall: (endpoint: string, code: string) => counted.push(`${endpoint} ${code}`) };
  const feishu = new StubFeishu();
  feishu.onRecall = () => Promise.reject(feishuError(230026));
  const api = instrumentApi(feishu, metrics, new FakeClock(0));
  await api.batchSend({ text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } });
  await api.recallBatch('bm-other').catch(() => undefined);
  expect(counted).toEqual(['batch_send 0', 'recall 230026']);
});
