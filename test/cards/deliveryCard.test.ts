import { buildDeliveryCard } from '../../src/cards/deliveryCard.js';
import type { Progress } from '../../src/domain/types.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';

const takenAt = Date.UTC(2026, 10, 25, 2, 5, 0);
const funnel = (over: Partial<Progress> = {}): Progress => ({
  batchId: 'bm_abc',
  validCount: 124,
  deliveredCount: 120,
  readCount: 37,
  recalled: false,
  recallCount: 0,
  takenAt,
  ...over,
});

describe('buildDeliveryCard', () => {
  it('shows valid → delivered → read with rates, that valid includes people the bot cannot see, and the recall state', () => {
    const card = buildDeliveryCard({ progress: funnel(), now: takenAt }, 'Asia/Shanghai');
    expectValidCard(card);
    const en = cardText(card, 'en');
    const zh = cardText(card, 'zh');
    expect(en).toContain('**Valid recipients**: 124');
    expect(en).toContain('**Delivered**: 120 (96.7% of valid recipients)');
    expect(en).toContain('**Read**: 37 (30.8% of delivered)');
    expect(zh).toContain('**已送达**：120（有效接收人的 96.7%）');
    expect(zh).toContain('**已读**：37（已送达的 30.8%）');
    expect(en).toContain('include people the bot cannot see');
    expect(zh).toContain('机器人看不到的人');
    expect(en).toContain('Not recalled');
    expect(zh).toContain('未撤回');
    expect(card.header.subtitle?.content).toBe('bm_abc');
    expect(buttonValue(card, 'Refresh')).toEqual({ a: 'delivery', id: 'bm_abc' });
    expect(buttonValue(card, 'Read counts')).toEqual({ a: 'refresh', ids: ['bm_abc'] });
  });

  it('says how many messages were recalled, greyed', () => {
    const card = buildDeliveryCard({ progress: funnel({ recalled: true, recallCount: 60 }), now: takenAt }, 'UTC');
    expect(card.header.template).toBe('grey');
    expect(cardText(card, 'en')).toContain('Recalled: 60 messages');
    expect(cardText(card, 'zh')).toContain('已撤回 60 条');
  });

  it('explains a funnel with no valid recipients yet, without rates', () => {
    const card = buildDeliveryCard(
      { progress: funnel({ validCount: 0, deliveredCount: 0, readCount: 0 }), now: takenAt },
      'UTC',
    );
    const en = cardText(card, 'en');
    expect(en).toContain('No valid recipients yet');
    expect(en).not.toContain('% of');
  });

  it('is green once everyone delivered has read it, and shows the change since the funnel before and who refreshed', () => {
    const previous = funnel({ deliveredCount: 100, readCount: 20, takenAt: takenAt - 600_000 });
    const card = buildDeliveryCard(
      { progress: funnel({ readCount: 120 }), previous, refreshedBy: 'ou_ann', now: takenAt },
      'Asia/Shanghai',
    );
    expect(card.header.template).toBe('green');
    const en = cardText(card, 'en');
    expect(en).toContain('Since 09:55: delivered **+20**, read **+100**');
    expect(en).toContain('refreshed by <person id=ou_ann></person>');
    expect(cardText(card, 'zh')).toContain('自 09:55 以来：已送达 **+20**，已读 **+100**');
  });
});
