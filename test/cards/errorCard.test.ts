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
    expect(cardText(timeout, 'en')).toContain('**What to do:** Try again shortly.');
    expect(buttonValue(timeout, 'Try again')).toEqual({ a: 'refresh', ids: ['bm_abc'] });
    const notFound = buildErrorCard('bm_abc', new BotError('feishu_api', 'x', { feishuCode: 230030 }));
    expect(notFound.header.template).toBe('red');
    expect(cardText(notFound, 'en')).not.toContain('usually temporary');
    expect(buttonValue(notFound, 'Try again')).toBeUndefined();
  });

  it('on the HTTP 502 card, says each thing once, with no full-width space in English, and when it was tried', () => {
    const triedAt = Date.UTC(2026, 10, 25, 2, 5, 0);
    const card = buildErrorCard('bm_abc', new BotError('feishu_http', 'bad gateway', { httpStatus: 502 }), triedAt);
    expectValidCard(card);
    for (const lang of ['zh', 'en'] as const) {
      const text = cardText(card, lang);
      const said = cardText(
        card.body.elements.filter((e) => e.tag === 'markdown'),
        lang,
      );
      expect(said.match(/try again|重试/gi)).toHaveLength(1);
      expect(text).toContain(`<local_datetime millisecond='${triedAt}' format_type='time_sec'></local_datetime>`);
    }
    expect(cardText(card, 'en')).toContain('**Error code: HTTP 502** · Feishu server error');
    expect(cardText(card, 'en')).toContain('Tried at');
    expect(cardText(card, 'en')).not.toContain('\u3000');
  });

  it.each([
    ...knownFeishuCodes().map((code) => [String(code), new BotError('feishu_api', 'x', { feishuCode: code })] as const),
    ...(['timeout', 'network', 'bad_response', 'internal'] as const).map(
      (code) => [code, new BotError(code, 'x')] as const,
    ),
    ['HTTP 503', new BotError('feishu_http', 'x', { httpStatus: 503 })] as const,
    ['HTTP 403', new BotError('feishu_http', 'x', { httpStatus: 403 })] as const,
  ])('never says a sentence twice: %s', (_name, error) => {
    const card = buildErrorCard('bm_abc', error, 0);
    for (const lang of ['zh', 'en'] as const) {
      const sentences = cardText(card, lang)
        .split(/(?<=[.。；;!！?？])\s*|\n/)
        .map((x) => x.replace(/\*\*[^*]*\*\*[:：]?/g, '').trim())
        .filter((x) => x.length > 3);
      expect(sentences.length).toBe(new Set(sentences).size);
    }
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
