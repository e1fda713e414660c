import { buildSendPreviewCard } from '../../src/cards/sendPreviewCard.js';
import { DRAFT_TTL_MS, noRecipients } from '../../src/domain/send.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import {
  aLargestSend,
  aSend,
  bytes,
  markdownTexts,
  NOW,
  OUTSIDE,
  plainTexts,
  WELL_UNDER_30_KB,
} from './sendFixtures.js';

describe('buildSendPreviewCard', () => {
  it('shows the whole message as plain text, whom it goes to by kind, who sends it and until when', () => {
    const send = aSend();
    const card = buildSendPreviewCard(send, NOW);
    expectValidCard(card);
    expect(plainTexts(card)).toContain(send.text);
    const en = cardText(card, 'en');
    const zh = cardText(card, 'zh');
    expect(en).toContain('Nothing is sent until you confirm');
    expect(en).toContain('**Departments (with their sub-departments)** (1): `od-sales`');
    expect(en).toContain(
      "**People (open id)** (2): <person id='ou_ann' show_name=true show_avatar=true style='capsule'></person> <person id='ou_bob'",
    );
    expect(en).toContain('**People (user id)** (1): `u_carl`');
    expect(en).not.toContain('union id'); // an empty kind is not shown
    expect(zh).toContain('**部门（含子部门）**（1）：`od-sales`');
    expect(en).toContain("Sent by <person id='ou_writer'");
    const until = send.createdAt + DRAFT_TTL_MS;
    const untilLocal = `<local_datetime millisecond='${until}' format_type='date_short'></local_datetime> <local_datetime millisecond='${until}' format_type='time'></local_datetime>`;
    expect(en).toContain(`Confirm by ${untilLocal} (29 min left)`);
    expect(zh).toContain(`请在 ${untilLocal} 前确认（还剩 29 分钟）`);
    expect(card.header.template).toBe('blue');
    expect(card.config.summary.i18n_content?.en_us).toBe('Preview: to 1 department, 3 people');
    expect(card.config.summary.i18n_content?.zh_cn).toBe('预览：发给 1 个部门、3 人');
  });

  it('has Confirm, Edit and Cancel, each naming the send', () => {
    const card = buildSendPreviewCard(aSend(), NOW);
    expect(buttonValue(card, 'Confirm')).toEqual({ a: 'send_confirm', s: 'snd_1' });
    expect(buttonValue(card, 'Edit')).toEqual({ a: 'send_edit', s: 'snd_1' });
    expect(buttonValue(card, 'Cancel')).toEqual({ a: 'send_cancel', s: 'snd_1' });
    expect(JSON.stringify(card)).toMatch(/"text":\{"tag":"plain_text","content":"确认发送".*"type":"primary"/);
  });

  it('never reads what the person typed as markdown: the message and unusable entries are plain text', () => {
    const card = buildSendPreviewCard(aSend({ unusable: [{ given: OUTSIDE, why: 'not_an_id' }] }), NOW);
    expectValidCard(card);
    for (const md of markdownTexts(card)) {
      expect(md).not.toContain('<at id=all>');
      expect(md).not.toContain('[link]');
    }
    // The unusable entry as typed, cut to 40 characters.
    expect(plainTexts(card)).toContain(`${OUTSIDE.slice(0, 40)}…`);
  });
});

describe('buildSendPreviewCard, with something to fix', () => {
  it('names what cannot be sent to, and why', () => {
    const card = buildSendPreviewCard(
      aSend({
        unusable: [
          { given: 'bob smith', why: 'not_an_id' },
          { given: '0', why: 'root_department' },
          { given: 'ou_201st', why: 'over_limit' },
        ],
      }),
      NOW,
    );
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('These will not be sent to');
    expect(en).toMatch(/Not an id or an @mention \(1\):\nbob smith/);
    expect(en).toMatch(/The root department 0 cannot be sent to \(Feishu does not take it\) \(1\):\n0/);
    expect(en).toMatch(/Over the 200 ids one list may hold \(1\):\nou_201st/);
    expect(cardText(card, 'zh')).toContain('根部门 0 不能作为接收人');
    expect(buttonValue(card, 'Confirm')).toBeDefined(); // the usable ones can still be sent to
  });

  it('has no Confirm without anyone to send to, and says what to fix', () => {
    const card = buildSendPreviewCard(
      aSend({ recipients: noRecipients(), unusable: [{ given: '0', why: 'root_department' }] }),
      NOW,
    );
    expectValidCard(card);
    expect(buttonValue(card, 'Confirm')).toBeUndefined();
    expect(buttonValue(card, 'Edit')).toEqual({ a: 'send_edit', s: 'snd_1' });
    expect(card.header.template).toBe('orange');
    const en = cardText(card, 'en');
    expect(en).toContain('(no one it can be sent to)');
    expect(en).toContain('**No one to send it to yet.** Press Edit and enter at least one department id');
    expect(cardText(card, 'zh')).toContain('还没有可发送的接收人');
    expect(card.config.summary.i18n_content?.en_us).toBe('Preview: to nobody');
  });

  it('has no Confirm for an empty message', () => {
    const card = buildSendPreviewCard(aSend({ text: ' \n ' }), NOW);
    expectValidCard(card);
    expect(buttonValue(card, 'Confirm')).toBeUndefined();
    expect(cardText(card, 'en')).toContain('**The message is empty.**');
  });

  it('says when the preview has expired: Confirm then shows a fresh one', () => {
    const card = buildSendPreviewCard(aSend(), NOW + DRAFT_TTL_MS);
    expect(cardText(card, 'en')).toContain('This preview has expired: Confirm shows a fresh one first.');
    expect(cardText(card, 'zh')).toContain('这份预览已过期');
  });

  it('stays well under 30 KB with 4 × 200 ids, a 1,000-character message and many unusable entries', () => {
    const send = aLargestSend();
    const card = buildSendPreviewCard(send, NOW);
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
    expect(plainTexts(card)).toContain(send.text); // the message whole, however long
    const en = cardText(card, 'en');
    expect(en).toContain('**People (union id)** (200): ');
    expect(en.match(/ and 190 more/g)).toHaveLength(4);
    expect(cardText(card, 'zh').match(/等，另有 190 个/g)).toHaveLength(4);
    expect(en).toContain('Over the 200 ids one list may hold (300; the first 10):');
    // A long entry is cut, not shown whole.
    expect(plainTexts(card).every((t) => t === send.text || t.length < 600)).toBe(true);
  });
});
