import type { Element } from '../../src/cards/card.js';
import { buildSendFormCard } from '../../src/cards/sendFormCard.js';
import { MAX_SEND_TEXT, SEND_FORM } from '../../src/domain/send.js';
import { cardText, expectValidCard } from '../support/cards.js';
import { bytes, ids, OUTSIDE, WELL_UNDER_30_KB } from './sendFixtures.js';

const formOf = (elements: Element[]) => elements.find((e) => e.tag === 'form') as { name: string; elements: Element[] };

describe('buildSendFormCard', () => {
  it('is a form at the card root: a multi-line message, the recipients, and Preview', () => {
    const card = buildSendFormCard();
    expectValidCard(card);
    const form = formOf(card.body.elements);
    expect(form.name).toBe(SEND_FORM.form);
    const [text, to, submit] = form.elements;
    expect(text).toMatchObject({
      tag: 'input',
      name: SEND_FORM.text,
      required: true,
      input_type: 'multiline_text',
      max_length: MAX_SEND_TEXT,
    });
    expect(to).toMatchObject({ tag: 'input', name: SEND_FORM.to, required: true });
    expect(text).not.toHaveProperty('default_value');
    expect(to).not.toHaveProperty('default_value');
    expect(submit).toMatchObject({
      tag: 'button',
      form_action_type: 'submit',
      name: SEND_FORM.submit,
      type: 'primary',
      behaviors: [{ type: 'callback', value: { a: 'send_preview' } }],
    });
  });

  it('says what the recipients may be, with an example, and where the ids are found', () => {
    const card = buildSendFormCard();
    const en = cardText(card, 'en');
    const zh = cardText(card, 'zh');
    expect(en).toContain('To: department ids, open ids or user ids, separated by spaces or commas');
    expect(zh).toContain('接收人：部门 ID、open id 或 user id，用空格或逗号分隔');
    const to = formOf(card.body.elements).elements[1] as { placeholder: { content: string } };
    expect(to.placeholder.content).toMatch(/^od-[0-9a-f]{32}, ou_[0-9a-f]{32}$/);
    expect(en).toContain('Department ids (`od-…`): "Search departments" in the developer console’s API Explorer');
    expect(en).toContain('open ids (`ou_…`): "Get user ids by phone or email"');
    expect(zh).toContain('API 调试台');
    expect(en).toContain('nothing is sent until you confirm');
    expect(en).toContain(`The message (up to ${MAX_SEND_TEXT} characters)`);
  });

  it('starts from the draft when editing: both inputs hold it as their default value, as typed', () => {
    const text = `${OUTSIDE}\nsecond line`;
    const card = buildSendFormCard({ text, to: 'od-sales ou_ann' });
    expectValidCard(card);
    const [input, to] = formOf(card.body.elements).elements;
    expect(input).toMatchObject({ default_value: text });
    expect(to).toMatchObject({ default_value: 'od-sales ou_ann' });
    // An input's value is not markdown; nowhere else does the draft appear.
    expect(JSON.stringify(card).split('<at id=all>')).toHaveLength(2);
  });

  it('stays well under 30 KB filled with the longest message and a long list of recipients', () => {
    const card = buildSendFormCard({ text: 'x'.repeat(MAX_SEND_TEXT), to: ids('ou_', 25).join(' ') });
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
  });
});
