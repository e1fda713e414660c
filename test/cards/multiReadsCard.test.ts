import { buildMultiReadsCard } from '../../src/cards/multiReadsCard.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { BotError } from '../../src/domain/errors.js';

describe('buildMultiReadsCard', () => {
  it('has a row per id, errors in their row, and totals of the rest', () => {
    const card = buildMultiReadsCard(
      [
        { batchId: 'bm_a', result: { readCount: 10, totalCount: 20 } },
        { batchId: 'bm_b', result: new BotError('feishu_api', 'x', { feishuCode: 230030 }) },
        { batchId: 'bm_c', result: { readCount: 5, totalCount: 5 } },
      ],
      0,
      'UTC',
    );
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('| bm_a | 10 | 20 | 50.0% |');
    expect(en).toContain('| bm_b | — | — | ❌ 230030 Batch message not found |');
    expect(en).toContain('| **Total** | **15** | **25** | **60.0%** |');
    expect(en).toContain('1 query failed');
    expect(cardText(card, 'zh')).toContain('| **合计** |');
    expect(buttonValue(card, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_a', 'bm_b', 'bm_c'] });
  });

  it('stays under 30 KB with 10 long ids, all failing with long messages', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      batchId: `bm_${String(i).repeat(61).slice(0, 61)}`,
      result:
        i % 2
          ? { readCount: 123456, totalCount: 999999 }
          : new BotError('feishu_api', 'x'.repeat(2000), { feishuCode: 999 }),
    }));
    const card = buildMultiReadsCard(rows, 0, 'UTC', 'ou_someone');
    expectValidCard(card);
  });
});
