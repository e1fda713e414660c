import { BotError } from '../../../src/domain/errors.js';
import { resultCode } from '../../../src/feishu/api/instrumentApi.js';

it('labels a result by Feishu code, else HTTP status, else what went wrong', () => {
  expect(resultCode(new BotError('feishu_api', 'no', { feishuCode: 230030, httpStatus: 400 }))).toBe('230030');
  expect(resultCode(new BotError('feishu_http', 'bad gateway', { httpStatus: 502 }))).toBe('http_502');
  expect(resultCode(new BotError('timeout', 'slow'))).toBe('timeout');
});
