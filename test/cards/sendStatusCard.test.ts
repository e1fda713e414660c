import { buildSendStatusCard } from '../../src/cards/sendStatusCard.js';
import type { SendState } from '../../src/domain/send.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { aLargestSend, aSend, bytes, markdownTexts, NOW, plainTexts, WELL_UNDER_30_KB } from './sendFixtures.js';

const STATES = ['queued', 'sending', 'unconfirmed', 'failed', 'cancelled'] as const;

describe('buildSendStatusCard', () => {
  it.each(STATES)('%s: keeps the message, as plain text, and its recipients in view', (state) => {
    const send = aSend({ state, confirmedAt: NOW - 120_000, attemptedAt: NOW - 60_000 });
    const card = buildSendStatusCard(send, NOW);
    expectValidCard(card);
    expect(plainTexts(card)).toContain(send.text);
    for (const md of markdownTexts(card)) expect(md).not.toContain('<at id=all>');
    expect(cardText(card, 'en')).toContain('**Departments (with their sub-departments)** (1): `od-sales`');
    expect(cardText(card, 'zh')).toContain('**接收人**');
  });

  it('queued: confirmed, and goes out as soon as Feishu is back', () => {
    const card = buildSendStatusCard(aSend({ state: 'queued', confirmedAt: NOW - 5 * 60_000 }), NOW);
    const en = cardText(card, 'en');
    expect(en).toContain("<person id='ou_writer'");
    expect(en).toMatch(/confirmed it at <local_datetime millisecond='\d+' format_type='date_short'>.* \(5 min ago\)/);
    expect(en).toContain('It goes out as soon as Feishu is back');
    expect(cardText(card, 'zh')).toContain('飞书一恢复就会发出');
    expect(card.header.title.i18n_content?.en_us).toBe('Confirmed, waiting to go out');
    expect(JSON.stringify(card)).not.toContain('"tag":"button"');
  });

  it('sending: on its way, no buttons', () => {
    const card = buildSendStatusCard(aSend({ state: 'sending', attemptedAt: NOW }), NOW);
    expect(cardText(card, 'en')).toContain('being handed to Feishu');
    expect(JSON.stringify(card)).not.toContain('"tag":"button"');
  });

  it('unconfirmed: not sent again by itself; check with a recipient, then Send again', () => {
    const card = buildSendStatusCard(aSend({ state: 'unconfirmed', attemptedAt: NOW - 60_000 }), NOW);
    expect(card.header.template).toBe('orange');
    const en = cardText(card, 'en');
    expect(en).toContain('Feishu did not answer whether it took this message');
    expect(en).toContain('So that nobody gets it twice, the bot does not send it again by itself.');
    expect(en).toContain('Ask one of its recipients whether it arrived; if it did not, press Send again.');
    expect(cardText(card, 'zh')).toContain('为免有人收到两次，机器人不会自动重发');
    expect(buttonValue(card, 'Send again')).toEqual({ a: 'send_again', s: 'snd_1' });
    expect(buttonValue(card, 'Edit')).toBeUndefined();
  });
});

describe('buildSendStatusCard, failed or cancelled', () => {
  it('failed: why, from the error catalogue, with Edit and Send again', () => {
    const error = { code: 'feishu_api', feishuCode: 99991672, message: 'scope', logId: 'LOG_9' };
    const card = buildSendStatusCard(aSend({ state: 'failed', error }), NOW);
    expectValidCard(card);
    expect(card.header.template).toBe('red');
    const en = cardText(card, 'en');
    expect(en).toMatch(/\*\*Error code: 99991672\*\* · .+/);
    expect(en).toMatch(/\*\*Why:\*\* .+\n\*\*What to do:\*\* .+/);
    expect(en).toContain('log_id: LOG_9');
    expect(cardText(card, 'zh')).toMatch(/\*\*原因\*\*：.+\n\*\*怎么办\*\*：/);
    expect(buttonValue(card, 'Edit')).toEqual({ a: 'send_edit', s: 'snd_1' });
    expect(buttonValue(card, 'Send again')).toEqual({ a: 'send_again', s: 'snd_1' });
  });

  it('failed with a code the catalogue does not know: Feishu’s own words, as plain text', () => {
    const error = {
      code: 'feishu_api',
      feishuCode: 19999,
      message: 'Bot messages do not pass the audit <at id=all></at>',
    };
    const card = buildSendStatusCard(aSend({ state: 'failed', error }), NOW);
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('**Error code: 19999**');
    expect(plainTexts(card)).toContain(error.message);
  });

  it('failed without an error: it waited for Feishu longer than a send may', () => {
    const card = buildSendStatusCard(aSend({ state: 'failed' }), NOW);
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('Feishu was unavailable for too long');
    expect(cardText(card, 'en')).not.toContain('log_id');
  });

  it('cancelled: nothing was sent', () => {
    const card = buildSendStatusCard(aSend({ state: 'cancelled' }), NOW);
    expect(card.header.template).toBe('grey');
    expect(cardText(card, 'en')).toContain('Cancelled: nothing was sent.');
    expect(cardText(card, 'zh')).toContain('什么也没有发出');
    expect(card.config.summary.i18n_content?.en_us).toBe('Cancelled · 1 department, 3 people');
  });

  it.each(STATES)('%s: stays well under 30 KB with 4 × 200 ids and a 1,000-character message', (state) => {
    const error = { code: 'feishu_api', feishuCode: 123, message: 'x'.repeat(5000) };
    const card = buildSendStatusCard(aLargestSend({ state, error }), NOW);
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
  });

  it.each<SendState>(['draft', 'sent', 'recalling', 'recalled'])(
    'has no card for a %s send (it has its own)',
    (state) => {
      expect(() => buildSendStatusCard(aSend({ state }), NOW)).toThrow(`a ${state} send has no status card`);
    },
  );
});
