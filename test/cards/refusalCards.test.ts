import {
  buildAccessDeniedCard,
  buildBusyCard,
  buildChatBusyCard,
  buildSlowDownCard,
} from '../../src/cards/refusalCards.js';
import { cardText, expectValidCard } from '../support/cards.js';
import { BotError } from '../../src/domain/errors.js';

describe('refusal cards', () => {
  it('say, in both languages, that nothing was run and when to try again', () => {
    const cards = [buildBusyCard(12_400), buildChatBusyCard(20, 4_000), buildSlowDownCard(10, 35_200)];
    for (const card of cards) {
      expectValidCard(card);
      expect(cardText(card, 'zh')).toContain('没有执行');
      expect(cardText(card, 'en')).toContain('was not run');
    }
    expect(cardText(cards[0])).toContain('13 s');
    expect(cardText(cards[1])).toContain('20 queries');
    expect(cardText(cards[2])).toMatch(/at most 10 commands a minute[\s\S]*36 s/);
  });

  it('explain why access was refused', () => {
    expect(cardText(buildAccessDeniedCard('not_on_allowlist'))).toContain('certain people or departments');
    expect(cardText(buildAccessDeniedCard('not_group_admin'))).toContain('group owner and managers');
    const failed = buildAccessDeniedCard('check_failed', new BotError('feishu_api', 'x', { feishuCode: 99991672 }));
    expectValidCard(failed);
    expect(cardText(failed)).toContain('99991672');
  });
});
