import {
  buildAccessDeniedCard,
  buildBusyCard,
  buildChatBusyCard,
  buildNotASenderCard,
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

  it('tell a person who may not send batch messages why, and that nothing was sent', () => {
    const nobody = buildNotASenderCard('nobody', { openId: 'ou_me' });
    expectValidCard(nobody);
    expect(cardText(nobody, 'en')).toContain('Nobody may send batch messages with this bot: SENDERS is not set.');
    expect(cardText(nobody, 'en')).toContain('Ask the admin who deployed it');
    expect(cardText(nobody, 'zh')).toContain('SENDERS 未设置');
    expect(cardText(nobody)).not.toContain('ou_me');

    const listed = buildNotASenderCard('not_listed', { openId: 'ou_me', userId: 'u_me' });
    expectValidCard(listed);
    expect(cardText(listed, 'en')).toContain(
      'Ask the admin who deployed it to add your open id `ou_me` or your user id `u_me`. Nothing was sent.',
    );
    expect(cardText(listed, 'zh')).toContain('把你的 open id `ou_me` 或 user id `u_me` 加入名单');
    const openOnly = buildNotASenderCard('not_listed', { openId: 'ou_<at id=all>' });
    expect(cardText(openOnly, 'en')).toContain('add your open id `ou_atidall`. Nothing was sent.');
    for (const card of [nobody, listed]) expect(cardText(card, 'zh')).toContain('什么也没有发出');
  });
});
