import { buildRecallConfirmCard } from '../../src/cards/recallConfirmCard.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { aLargestSend, aSend, bytes, markdownTexts, NOW, plainTexts, WELL_UNDER_30_KB } from './sendFixtures.js';

const sent = { state: 'sent' as const, batchId: 'bm-d4be107c616aed9c1da8ed8068570a9f', sentAt: NOW };

describe('buildRecallConfirmCard', () => {
  it('asks whether to recall it from everyone it reached, and says it cannot be undone', () => {
    const send = aSend(sent);
    const card = buildRecallConfirmCard(send);
    expectValidCard(card);
    expect(card.header.subtitle?.content).toBe(sent.batchId);
    expect(cardText(card, 'en')).toContain(
      'Recall this batch message from everyone it reached? **It cannot be undone.**',
    );
    expect(cardText(card, 'zh')).toContain('**撤回后无法恢复。**');
    expect(plainTexts(card)).toContain(send.text);
    for (const md of markdownTexts(card)) expect(md).not.toContain('<at id=all>');
    expect(cardText(card, 'en')).toContain('**People (user id)** (1): `u_carl`');
  });

  it('has Recall (danger) and Keep it, each naming the send', () => {
    const card = buildRecallConfirmCard(aSend(sent));
    expect(buttonValue(card, 'Recall')).toEqual({ a: 'recall_confirm', s: 'snd_1' });
    expect(buttonValue(card, 'Keep it')).toEqual({ a: 'recall_keep', s: 'snd_1' });
    expect(JSON.stringify(card)).toMatch(/"content":"撤回".*?"type":"danger"/);
  });

  it('stays well under 30 KB with 4 × 200 ids and a 1,000-character message', () => {
    const card = buildRecallConfirmCard(aLargestSend(sent));
    expectValidCard(card);
    expect(bytes(card)).toBeLessThan(WELL_UNDER_30_KB);
  });
});
