import { buildReadsCard } from '../../src/cards/readsCard.js';
import { buttonValue, cardText, expectValidCard } from '../support/cards.js';
import type { Snapshot, Watch } from '../../src/domain/types.js';

const takenAt = Date.UTC(2026, 10, 25, 2, 5, 0);
const snap = (readCount: number, totalCount: number, at = takenAt): Snapshot => ({
  batchId: 'bm_abc',
  readCount,
  totalCount,
  takenAt: at,
});
const watch = (over: Partial<Watch> = {}): Watch => ({
  id: 'w_1',
  batchId: 'bm_abc',
  chatId: 'oc_1',
  cardMessageId: 'om_card',
  startedBy: 'ou_starter',
  startedAt: takenAt,
  until: takenAt + 2 * 3600_000,
  intervalMs: 300_000,
  nextAt: takenAt + 300_000,
  ...over,
});

describe('buildReadsCard', () => {
  it('shows read, total, unread, rate with a bar, snapshot time and the snapshot note, in both languages', () => {
    const card = buildReadsCard({ snapshot: snap(37, 120), now: takenAt }, 'Asia/Shanghai');
    expectValidCard(card);
    const zh = cardText(card, 'zh');
    const en = cardText(card, 'en');
    expect(card.header.subtitle?.content).toBe('bm_abc');
    expect(zh).toMatch(/已读\n<font color='green'>\*\*37\*\*<\/font>/);
    expect(en).toMatch(/Total pushed\n<font color='blue'>\*\*120\*\*<\/font>/);
    expect(en).toMatch(/Unread\n<font color='orange'>\*\*83\*\*<\/font>/);
    expect(zh).toContain('阅读率：30.8%');
    expect(en).toContain('Read rate: 30.8%');
    expect(zh).toContain('█');
    expect(zh).toContain('2026-11-25 10:05:00 (Asia/Shanghai, UTC+08:00)');
    expect(en).toContain('Nov 25, 2026, 10:05:00 (Asia/Shanghai, UTC+08:00)');
    expect(zh).toContain('快照');
    expect(en).toContain('30 days');
    expect(card.config.summary.i18n_content?.en_us).toContain('37/120');
    expect(card.header.template).toBe('blue');
    expect(buttonValue(card, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_abc'] });
  });

  it('is green and says so when everyone read it', () => {
    const card = buildReadsCard({ snapshot: snap(5000, 5000), now: takenAt }, 'UTC');
    expect(card.header.template).toBe('green');
    expect(cardText(card, 'en')).toContain('All read');
    expect(cardText(card)).toContain('5,000');
  });

  it('handles a message pushed to nobody without dividing by zero', () => {
    const card = buildReadsCard({ snapshot: snap(0, 0), now: takenAt }, 'UTC');
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('not pushed to anyone');
    expect(cardText(card)).not.toContain('NaN');
  });

  it('with earlier snapshots, shows what changed, since the first too, and the trend chart', () => {
    const earlier = [snap(10, 120, takenAt - 3600_000), snap(25, 120, takenAt - 600_000)];
    const card = buildReadsCard({ snapshot: snap(37, 120), earlier, refreshedBy: 'ou_ann', now: takenAt }, 'UTC');
    expectValidCard(card);
    const en = cardText(card, 'en');
    expect(en).toContain('**+12** read since 01:55');
    expect(en).toContain('Since the first snapshot (01:05): +27 read, rate +22.5 pts');
    expect(en).toContain('refreshed by <at id=ou_ann></at>');
    const chart = card.body.elements.find((e) => e.tag === 'chart') as {
      chart_spec: { type: string; data: Array<{ values: unknown[] }> };
    };
    expect(chart.chart_spec.type).toBe('line');
    expect(chart.chart_spec.data[0]!.values).toEqual([
      { time: '01:05:00', rate: 8.3 },
      { time: '01:55:00', rate: 20.8 },
      { time: '02:05:00', rate: 30.8 },
    ]);
  });

  it('has no chart with a single snapshot', () => {
    const card = buildReadsCard({ snapshot: snap(1, 2), now: takenAt }, 'UTC');
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(false);
  });

  it('shows a running watch with a Stop button, and each ending', () => {
    const running = buildReadsCard({ snapshot: snap(1, 2), watch: watch(), now: takenAt }, 'UTC');
    expectValidCard(running);
    expect(cardText(running, 'en')).toContain('Watching: updates every 5 min until 04:05');
    expect(buttonValue(running, 'Stop watching')).toEqual({ a: 'stop_watch', w: 'w_1' });
    expect(buttonValue(running, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_abc'], w: 'w_1' });
    const ends = {
      all_read: 'everyone has read it',
      time_up: 'time is up',
      stopped: 'Watch stopped by <at id=ou_boss></at>',
    } as const;
    for (const [reason, text] of Object.entries(ends)) {
      const card = buildReadsCard(
        { snapshot: snap(2, 2), watch: watch({ endedReason: reason as never, endedBy: 'ou_boss' }), now: takenAt },
        'UTC',
      );
      expectValidCard(card);
      expect(cardText(card, 'en')).toContain(text);
      expect(buttonValue(card, 'Stop watching')).toBeUndefined();
    }
  });

  it('stays far under 30 KB with a month of snapshots', () => {
    const earlier = Array.from({ length: 2000 }, (_, i) => snap(i % 120, 120, takenAt - (2000 - i) * 60_000));
    const card = buildReadsCard({ snapshot: snap(100, 120), earlier, now: takenAt }, 'UTC');
    expectValidCard(card);
  });
});
