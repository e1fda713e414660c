import { buildHistoryCard } from '../../src/cards/historyCard.js';
import { cardText, expectValidCard } from '../support/cards.js';

const at = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('buildHistoryCard', () => {
  it('shows the count, the chart and the newest snapshots first', () => {
    const series = Array.from({ length: 30 }, (_, i) => ({
      batchId: 'bm_a',
      readCount: i,
      totalCount: 30,
      takenAt: at - (30 - i) * 3600_000,
    }));
    const card = buildHistoryCard('bm_a', series, at, 'UTC');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('30 snapshots in the last 30 days; the latest 20 are listed');
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(true);
    const rows = en.split('\n').filter((l) => /^\| (\d\d:\d\d|[A-Z][a-z]{2} \d+ \d\d:\d\d) \|/.test(l));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toContain('| 29 | 30 |');
  });

  it('shows one snapshot without a chart', () => {
    const card = buildHistoryCard('bm_a', [{ batchId: 'bm_a', readCount: 1, totalCount: 2, takenAt: at }], at, 'UTC');
    expectValidCard(card);
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(false);
    expect(cardText(card, 'en')).toContain('1 snapshot in the last 30 days');
  });
});
