/**
 * One rounding rule on a card: the rate in the text, the point on the chart,
 * the history row and the change all come from the same raw counts by the
 * same rule (nearest tenth), so what the card says adds up.
 */
import fc from 'fast-check';
import { buildHistoryCard } from '../../src/cards/historyCard.js';
import { buildReadsCard } from '../../src/cards/readsCard.js';
import type { Snapshot } from '../../src/domain/types.js';
import { cardText } from '../support/cards.js';

const NOW = Date.UTC(2026, 10, 25, 0, 52, 30);
const snap = (readCount: number, totalCount: number, takenAt: number): Snapshot => ({
  batchId: 'bm_r',
  readCount,
  totalCount,
  takenAt,
});

type ChartValues = Array<{ time: string; rate: number }>;
const chartOf = (card: { body: { elements: Array<Record<string, unknown>> } }) =>
  (card.body.elements.find((e) => e.tag === 'chart') as { chart_spec: { data: Array<{ values: ChartValues }> } })
    .chart_spec.data[0]!.values;
const tableRates = (card: { body: { elements: Array<Record<string, unknown>> } }) =>
  (card.body.elements.find((e) => e.tag === 'table') as { rows: Array<{ rate: string }> }).rows.map((r) => r.rate);

describe('one rounding rule across text, chart and change', () => {
  it('80 of 300 after 46 of 300: 26.7% in the text and the chart, 15.3% before, +11.4 points', () => {
    const before = snap(46, 300, NOW - 30_000);
    const now = snap(80, 300, NOW);
    const card = buildReadsCard({ snapshot: now, earlier: [before], since: before, now: NOW }, 'UTC');
    const en = cardText(card, 'en');
    expect(en).toContain('Read rate: 26.7%');
    expect(chartOf(card).map((v) => v.rate)).toEqual([15.3, 26.7]);
    expect(en).toContain('**+34** read, read rate **+11.4** pts');
    const history = buildHistoryCard('bm_r', [before, now], NOW, 'UTC');
    expect(tableRates(history)).toEqual(['26.7%', '15.3%']);
    expect(chartOf(history).map((v) => v.rate)).toEqual([15.3, 26.7]);
    expect(cardText(history, 'en')).toContain('read rate **+11.4** pts');
  });

  it('for any counts: the shown earlier rate plus the shown change is the shown rate', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1_000_000 })
          .chain((total) =>
            fc.tuple(fc.constant(total), fc.integer({ min: 0, max: total }), fc.integer({ min: 0, max: total })),
          ),
        ([total, a, b]) => {
          const before = snap(a, total, NOW - 60_000);
          const after = snap(b, total, NOW);
          const card = buildReadsCard({ snapshot: after, earlier: [before], since: before, now: NOW }, 'UTC');
          const en = cardText(card, 'en');
          const shown = Number(/Read rate: ([\d.]+)%/.exec(en)![1]);
          const [first, last] = chartOf(card).map((v) => v.rate);
          expect(last).toBe(shown);
          const change = /read rate \*\*([+−±])([\d.]+)\*\* pts/.exec(en)!;
          const points = change[1] === '−' ? -Number(change[2]) : change[1] === '±' ? 0 : Number(change[2]);
          expect(Math.round((first! + points) * 10)).toBe(Math.round(shown * 10));
        },
      ),
    );
  });
});
