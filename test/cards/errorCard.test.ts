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

  it('shows Feishu’s own words for a code it does not know as plain text only: no mention, no link', () => {
    const said = 'odd <at id=all></at> [click here](https://evil.example) **now**';
    const card = buildErrorCard(
      'bm_abc',
      new BotError('feishu_api', said, {
        feishuCode: 123456,
        logId: 'LOG<at id=all>[x](y)',
        missingScopes: ['a](b)<at>'],
      }),
    );
    expectValidCard(card);
    expect(cardText(card)).toContain('123456');
    const elements = card.body.elements as Array<{
      tag: string;
      content?: string;
      text?: { tag: string; content: string };
    }>;
    expect(elements.filter((e) => e.tag === 'div').map((e) => e.text)).toEqual([{ tag: 'plain_text', content: said }]);
    const markdownText = JSON.stringify(elements.filter((e) => e.tag === 'markdown'));
    for (const markup of ['<at', 'evil.example', '](', '**now**']) expect(markdownText).not.toContain(markup);
    expect(cardText(card, 'en')).toContain('log_id: LOGatidallxy');
  });

  it('cuts a very long message from Feishu short', () => {
    const card = buildErrorCard('bm_abc', new BotError('feishu_api', 'x'.repeat(10_000), { feishuCode: 123456 }));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(5000);
  });
});
