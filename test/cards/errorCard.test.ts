import { buildErrorCard } from '../../src/cards/errorCard.js';
import { knownFeishuCodes } from '../../src/feishu/errorCatalogue.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { BotError } from '../../src/domain/errors.js';

describe('buildErrorCard', () => {
  it.each(knownFeishuCodes())('explains Feishu code %i in Chinese, then English', (code) => {
    const card = buildErrorCard('bm_abc', new BotError('feishu_api', 'msg', { feishuCode: code, logId: 'LOG123' }));
    expectValidCard(card);
    expect(cardText(card, 'zh')).toContain(`错误码: ${code}`);
    expect(cardText(card, 'zh')).toMatch(/原因[\s\S]*怎么办/);
    expect(cardText(card, 'en')).toMatch(/Why:[\s\S]*What to do:/);
    expect(cardText(card, 'en')).toContain('log_id: LOG123');
  });

  it('names the missing scopes for 99991672', () => {
    const card = buildErrorCard(
      'bm_abc',
      new BotError('feishu_api', 'denied', { feishuCode: 99991672, missingScopes: ['im:message:send_multi_users'] }),
    );
    expect(cardText(card)).toContain('`im:message:send_multi_users`');
  });

  it('says a transient failure is worth retrying, and a permanent one is red', () => {
    const timeout = buildErrorCard('bm_abc', new BotError('timeout', 'timeout of 10000ms exceeded'));
    expect(timeout.header.template).toBe('orange');
    expect(cardText(timeout, 'en')).toContain('try again');
    expect(buttonValue(timeout, 'Try again')).toEqual({ a: 'refresh', ids: ['bm_abc'] });
    const notFound = buildErrorCard('bm_abc', new BotError('feishu_api', 'x', { feishuCode: 230030 }));
    expect(notFound.header.template).toBe('red');
    expect(cardText(notFound, 'en')).not.toContain('usually temporary');
    expect(buttonValue(notFound, 'Try again')).toBeUndefined();
  });

  it('shows Feishu’s own message for a code it does not know, with tags neutralised', () => {
    const card = buildErrorCard('bm_abc', new BotError('feishu_api', 'odd <at id=all></at>', { feishuCode: 123456 }));
    const text = cardText(card);
    expect(text).toContain('123456');
    expect(text).toContain('odd &lt;at id=all&gt;');
    expect(text).not.toContain('<at');
  });
});
