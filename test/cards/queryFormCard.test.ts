import type { Element } from '../../src/cards/card.js';
import { buildHelpCard } from '../../src/cards/helpCard.js';
import { buildQueryFormCard, withQueryForm } from '../../src/cards/queryFormCard.js';
import { QUERY_FORM } from '../../src/domain/rules.js';
import { cardText, expectValidCard } from '../support/cards.js';

const formOf = (elements: Element[]) => elements.find((e) => e.tag === 'form') as { name: string; elements: Element[] };

describe('the query form', () => {
  it('is a form at the card root with one named input and one submit button that calls back', () => {
    const card = buildQueryFormCard();
    expectValidCard(card);
    const form = formOf(card.body.elements);
    expect(form.name).toBe(QUERY_FORM.form);
    const [input, submit] = form.elements;
    expect(input).toMatchObject({ tag: 'input', name: QUERY_FORM.input, required: true, max_length: 1000 });
    expect(submit).toMatchObject({
      tag: 'button',
      form_action_type: 'submit',
      name: QUERY_FORM.submit,
      behaviors: [{ type: 'callback', value: { a: 'query_form' } }],
    });
    expect(cardText(card, 'en')).toContain('up to 10');
    expect(cardText(card, 'zh')).toContain('最多 10 个');
  });

  it('is added to the end of a help card, keeping what the card said', () => {
    const help = buildHelpCard('asked');
    const card = withQueryForm(help);
    expectValidCard(card);
    expect(card.body.elements.slice(0, help.body.elements.length)).toEqual(help.body.elements);
    expect(card.body.elements.at(-1)?.tag).toBe('form');
    expect(cardText(card, 'en')).toContain('/reads bm_xxx delivery');
  });
});
