import { buildHelpCard, buildInvalidIdCard } from '../../src/cards/helpCard.js';
import { cardText, expectValidCard } from '../support/cards.js';

describe('buildHelpCard', () => {
  it.each(['asked', 'missing_id', 'unknown', 'one_id_at_a_time'] as const)('shows usage (%s)', (reason) => {
    const card = buildHelpCard(reason);
    expectValidCard(card);
    expect(cardText(card)).toContain('/reads bm_');
    expect(cardText(card)).toContain('/help');
  });

  it('says what was missing', () => {
    expect(cardText(buildHelpCard('missing_id'))).toContain('put a batch message id after /reads');
  });
});

describe('buildInvalidIdCard', () => {
  it('echoes what was sent as plain text and says what a valid id looks like', () => {
    const card = buildInvalidIdCard('bm_<at id=all>**x**');
    expectValidCard(card);
    const echoed = card.body.elements.find((e) => e.tag === 'div') as { text: { tag: string; content: string } };
    expect(echoed.text).toEqual({ tag: 'plain_text', content: 'bm_<at id=all>**x**' });
    expect(cardText(card)).toContain('starts with `bm_`');
    expect(cardText(card)).toContain('at most 64 characters');
    expect(cardText(card)).toContain('Feishu was not queried');
  });

  it('shortens a very long input', () => {
    const card = buildInvalidIdCard('x'.repeat(10_000));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(5000);
  });
});
