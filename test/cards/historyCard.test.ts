import { buildHistoryCard } from '../../src/cards/historyCard.js';
import { cardText, expectValidCard } from '../support/cards.js';
import type { Snapshot } from '../../src/domain/types.js';

const at = Date.UTC(2026, 10, 25, 12, 0, 0);
const snap = (readCount: number, takenAt: number, totalCount = 30): Snapshot => ({
  batchId: 'bm_a',
  readCount,
  totalCount,
  takenAt,
});

type Table = {
  tag: 'table';
  page_size: number;
  columns: Array<{ name: string; data_type: string; date_format?: string }>;
  rows: Array<Record<string, string | number>>;
};
const tableOf = (card: { body: { elements: Array<Record<string, unknown>> } }) =>
  card.body.elements.find((e) => e.tag === 'table') as Table;

describe('buildHistoryCard', () => {
  it('shows the chart, the change since the earliest snapshot, and the newest snapshots first, ten a page', () => {
    const series = Array.from({ length: 30 }, (_, i) => snap(i, at - (30 - i) * 3600_000));
    const card = buildHistoryCard('bm_a', series, at, 'UTC');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('30 snapshots in the last 30 days, newest first.');
    const kinds = card.body.elements.map((e) => e.tag);
    expect(kinds.indexOf('chart')).toBeLessThan(kinds.indexOf('table'));
    expect(en).toContain("📈 Since the earliest snapshot on this card (<local_datetime millisecond='");
    expect(en).toContain('**+29** read, read rate **+96.7** pts');
    const table = tableOf(card);
    expect(table.page_size).toBe(10);
    expect(table.rows).toHaveLength(30);
    expect(table.rows[0]).toEqual({ time: series[29]!.takenAt, read: 29, total: 30, rate: '96.7%' });
    expect(table.rows[29]!.read).toBe(0);
    // A date cell is shown in each reader's zone; minutes are enough when no two rows share one.
    expect(table.columns[0]).toMatchObject({ name: 'time', data_type: 'date', date_format: 'MM-DD HH:mm' });
  });

  it('lists the newest 30 of a longer series', () => {
    const series = Array.from({ length: 45 }, (_, i) => snap(i % 30, at - (45 - i) * 3600_000));
    const card = buildHistoryCard('bm_a', series, at, 'UTC');
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('45 snapshots in the last 30 days; the latest 30 are listed');
    expect(tableOf(card).rows).toHaveLength(30);
  });

  it('shows seconds when two snapshots fall in one minute', () => {
    const card = buildHistoryCard('bm_a', [snap(1, at + 5_000), snap(2, at + 40_000)], at, 'UTC');
    expectValidCard(card);
    expect(tableOf(card).columns[0]!.date_format).toBe('MM-DD HH:mm:ss');
  });

  it('shows one snapshot without a chart or a change', () => {
    const card = buildHistoryCard('bm_a', [snap(1, at, 2)], at, 'UTC');
    expectValidCard(card);
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(false);
    expect(cardText(card, 'en')).toContain('1 snapshot in the last 30 days');
    expect(cardText(card, 'en')).not.toContain('📈');
  });
});
