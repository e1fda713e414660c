import { AxiosError, AxiosHeaders } from 'axios';
import { errorFromBody, toBotError } from '../../../src/feishu/api/toBotError.js';
import { BotError } from '../../../src/domain/errors.js';

function axiosError(
  status: number | undefined,
  data?: unknown,
  headers: Record<string, string> = {},
  code?: string,
): AxiosError {
  const config = { headers: new AxiosHeaders() };
  const response = status === undefined ? undefined : { status, statusText: '', data, headers, config, request: {} };
  return new AxiosError('request failed', code, config, {}, response as never);
}

describe('toBotError', () => {
  it('reads a documented error: code, HTTP status, log_id from the body', () => {
    const e = toBotError(axiosError(400, { code: 230030, msg: 'not found', error: { log_id: 'L1' } }));
    expect(e).toMatchObject({
      code: 'feishu_api',
      feishuCode: 230030,
      httpStatus: 400,
      logId: 'L1',
      message: 'not found',
    });
  });

  it('falls back to the x-tt-logid header', () => {
    expect(toBotError(axiosError(400, { code: 230001, msg: 'x' }, { 'x-tt-logid': 'H1' })).logId).toBe('H1');
  });

  it('reads a 429 with x-ogw-ratelimit-reset as the wait', () => {
    const e = toBotError(axiosError(429, { code: 99991400, msg: 'limit' }, { 'x-ogw-ratelimit-reset': '3' }));
    expect(e).toMatchObject({ feishuCode: 99991400, httpStatus: 429, retryAfterMs: 3000 });
  });

  it('lists missing scopes of 99991672 in either documented shape', () => {
    const a = toBotError(
      axiosError(400, { code: 99991672, msg: 'x', error: { permission_violations: [{ type: 't', subject: 'im:a' }] } }),
    );
    const b = toBotError(
      axiosError(400, { code: 99991672, msg: 'x', error: { permission_violations: [{ scope: 'im:b' }] } }),
    );
    expect(a.missingScopes).toEqual(['im:a']);
    expect(b.missingScopes).toEqual(['im:b']);
  });

  it('calls a 5xx without a Feishu body an HTTP failure', () => {
    expect(toBotError(axiosError(502, 'bad gateway'))).toMatchObject({ code: 'feishu_http', httpStatus: 502 });
  });

  it('tells a timeout from a network failure', () => {
    expect(toBotError(axiosError(undefined, undefined, {}, 'ECONNABORTED')).code).toBe('timeout');
    expect(toBotError(axiosError(undefined, undefined, {}, 'ETIMEDOUT')).code).toBe('timeout');
    expect(toBotError(axiosError(undefined, undefined, {}, 'ECONNREFUSED')).code).toBe('network');
  });

  it('reads the SDK’s token failure message', () => {
    const e = toBotError(new Error('failed to get tenant_access_token, code: 10014, msg: app secret invalid'));
    expect(e).toMatchObject({ code: 'feishu_api', feishuCode: 10014, message: 'app secret invalid' });
  });

  it('calls a token failure without a code, or an unexpected error, a bad response — not a network failure', () => {
    expect(toBotError(new Error('failed to get tenant_access_token, code: unknown, msg: no message')).code).toBe(
      'bad_response',
    );
    expect(toBotError(new TypeError('x is undefined')).code).toBe('bad_response');
    expect(toBotError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).code).toBe('network');
  });

  it('passes a BotError through', () => {
    const e = new BotError('timeout', 't');
    expect(toBotError(e)).toBe(e);
  });
});

describe('errorFromBody', () => {
  it('reads a returned (HTTP 200) non-zero code', () => {
    expect(errorFromBody({ code: 230002, msg: 'bot not in chat' })).toMatchObject({
      code: 'feishu_api',
      feishuCode: 230002,
    });
  });
  it('calls anything else a bad response', () => {
    expect(errorFromBody('<html>')).toMatchObject({ code: 'bad_response' });
  });
});
