import { buildErrorCard } from '../../src/cards/errorCard.js';
import { BotError } from '../../src/errors.js';
import { knownFeishuCodes } from '../../src/feishu/errorCatalogue.js';
import { cardText, expectValidCard } from '../support/cards.js';

describe('buildErrorCard', () => {
  it.each(knownFeishuCodes())('explains Feishu code %i in Chinese, then English', (code) => {
    const card = buildErrorCard('bm_abc', new BotError('feishu_api', 'msg', { feishuCode: code, logId: 'LOG123' }));
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(String(code));
    expect(text.indexOf('原因')).toBeGreaterThan(-1);
    expect(text.indexOf('原因')).toBeLessThan(text.indexOf('Why:'));
    expect(text).toContain('log_id: LOG123');
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
    expect(cardText(timeout)).toContain('try again');
    const notFound = buildErrorCard('bm_abc', new BotError('feishu_api', 'x', { feishuCode: 230030 }));
    expect(notFound.header.template).toBe('red');
    expect(cardText(notFound)).not.toContain('usually temporary');
  });

  it('shows Feishu’s own message for a code it does not know, with tags neutralised', () => {
    const card = buildErrorCard('bm_abc', new BotError('feishu_api', 'odd <at id=all></at>', { feishuCode: 123456 }));
    const text = cardText(card);
    expect(text).toContain('123456');
    expect(text).toContain('odd &lt;at id=all&gt;');
    expect(text).not.toContain('<at');
  });
});
