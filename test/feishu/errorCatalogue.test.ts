import { explainError, knownFeishuCodes } from '../../src/feishu/errorCatalogue.js';
import { BotError } from '../../src/domain/errors.js';

describe('error catalogue', () => {
  it('covers every documented read_user error and the generic ones', () => {
    for (const code of [230001, 230012, 230027, 230030, 99991400, 99991663, 99991672, 230002, 230020, 230025, 230099]) {
      expect(knownFeishuCodes()).toContain(code);
    }
  });

  it('has a meaning and an action in both languages for every entry', () => {
    const errors = [
      ...knownFeishuCodes().map((c) => new BotError('feishu_api', 'm', { feishuCode: c })),
      new BotError('timeout', 't'),
      new BotError('network', 'n'),
      new BotError('feishu_http', 'h', { httpStatus: 500 }),
      new BotError('feishu_http', 'h', { httpStatus: 429 }),
      new BotError('bad_response', 'b'),
    ];
    for (const e of errors) {
      const x = explainError(e);
      for (const text of [x.title, x.meaning, x.action]) {
        expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(text.en).toMatch(/[a-z]/);
      }
    }
  });

  it('treats the passing failures as transient and the request’s own faults as not', () => {
    expect(explainError(new BotError('timeout', 't')).transient).toBe(true);
    expect(explainError(new BotError('network', 't')).transient).toBe(true);
    expect(explainError(new BotError('feishu_http', 't', { httpStatus: 503 })).transient).toBe(true);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 99991400 })).transient).toBe(true);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 230030 })).transient).toBe(false);
    expect(explainError(new BotError('feishu_api', 't', { feishuCode: 230027 })).transient).toBe(false);
  });

  it('shows an HTTP status when there is no Feishu code', () => {
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 502 })).code).toBe('HTTP 502');
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 429 })).title.en).toBe('Rate limited');
    expect(explainError(new BotError('feishu_http', 'x', { httpStatus: 404 })).title.en).toBe(
      'Feishu refused the request',
    );
  });
});
