import { buildMultiReadsCard } from '../../src/cards/multiReadsCard.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import { BotError } from '../../src/domain/errors.js';

type Table = { tag: 'table'; page_size: number; rows: Array<Record<string, string | number>> };
const tableOf = (card: { body: { elements: Array<Record<string, unknown>> } }) =>
  card.body.elements.find((e) => e.tag === 'table') as Table;

describe('buildMultiReadsCard', () => {
  it('has the totals above a table with a row per id, errors in their row and explained below', () => {
    const card = buildMultiReadsCard(
      [
        { batchId: 'bm_a', result: { readCount: 10, totalCount: 20 } },
        { batchId: 'bm_b', result: new BotError('feishu_api', 'x', { feishuCode: 230030 }) },
        { batchId: 'bm_c', result: { readCount: 5, totalCount: 5 } },
      ],
      0,
    );
    expectValidCard(card);
    const table = tableOf(card);
    expect(table.page_size).toBe(3);
    expect(table.rows).toEqual([
      { id: 'bm_a', read: 10, total: 20, rate: '50.0%' },
      { id: 'bm_b', rate: '❌ 230030' },
      { id: 'bm_c', read: 5, total: 5, rate: '100%' },
    ]);
    const en = cardText(card, 'en');
    expect(en).toContain('**Total**: **15** read of 25 pushed, read rate **60.0%** (the 2 that answered)');
    expect(cardText(card, 'zh')).toContain('**合计**：已读 **15** / 推送 25，阅读率 **60.0%**（只含成功的 2 条）');
    expect(en).toContain('❌ **230030** Batch message not found: bm_b');
    expect(card.body.elements.findIndex((e) => e.tag === 'markdown')).toBeLessThan(
      card.body.elements.findIndex((e) => e.tag === 'table'),
    );
    expect(buttonValue(card, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_a', 'bm_b', 'bm_c'] });
  });

  it('shows all ten ids on the first page, and shows who refreshed without mentioning them', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      batchId: `bm_${i}`,
      result: { readCount: i * 1000, totalCount: 10_000 },
    }));
    const card = buildMultiReadsCard(rows, 0, 'ou_ann');
    expectValidCard(card);
    expect(tableOf(card).page_size).toBe(10);
    expect(tableOf(card).rows.map((r) => r.id)).toEqual(rows.map((r) => r.batchId));
    expect(cardText(card, 'en')).toContain('**45,000** read of 100,000 pushed, read rate **45.0%**');
    expect(cardText(card, 'en')).toContain("refreshed by <person id='ou_ann'");
    expect(JSON.stringify(card)).not.toContain('<at');
  });

  it('names each failing code once with its ids', () => {
    const err = () => new BotError('feishu_api', 'x', { feishuCode: 230030 });
    const card = buildMultiReadsCard(
      [
        { batchId: 'bm_a', result: err() },
        { batchId: 'bm_b', result: err() },
      ],
      0,
    );
    expect(card.header.template).toBe('red');
    expect(cardText(card, 'en').match(/❌ \*\*230030\*\*/g)).toHaveLength(1);
    expect(cardText(card, 'en')).toContain('Batch message not found: bm_a, bm_b');
  });

  it('stays under 30 KB with 10 long ids, all failing with long messages', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      batchId: `bm_${String(i).repeat(61).slice(0, 61)}`,
      result:
        i % 2
          ? { readCount: 123456, totalCount: 999999 }
          : new BotError('feishu_api', 'x'.repeat(2000), { feishuCode: 999 }),
    }));
    const card = buildMultiReadsCard(rows, 0, 'ou_someone');
    expectValidCard(card);
  });
});
