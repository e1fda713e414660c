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
    // The snapshot time in each reader's own zone and language, not the server's.
    const local = `<local_datetime millisecond='${takenAt}' format_type='date_num'></local_datetime> <local_datetime millisecond='${takenAt}' format_type='time_sec'></local_datetime>`;
    expect(zh).toContain(`快照时间: ${local}`);
    expect(en).toContain(`Snapshot: ${local}`);
    expect(en).not.toContain('Asia/Shanghai');
    expect(zh).toContain('快照');
    expect(en).toContain('30 days');
    expect(card.config.summary.i18n_content?.en_us).toContain('37/120');
    expect(card.header.template).toBe('blue');
    expect(buttonValue(card, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_abc'], at: takenAt });
  });

  it('is green and says so when everyone read it', () => {
    const card = buildReadsCard({ snapshot: snap(5000, 5000), now: takenAt }, 'UTC');
    expect(card.header.template).toBe('green');
    expect(cardText(card, 'en')).toContain('**Read rate: 100%** 🎉 All read');
    expect(cardText(card, 'en')).not.toContain('\u3000');
    expect(cardText(card)).toContain('5,000');
  });

  it('handles a message pushed to nobody without dividing by zero', () => {
    const card = buildReadsCard({ snapshot: snap(0, 0), now: takenAt }, 'UTC');
    expectValidCard(card);
    expect(cardText(card, 'en')).toContain('not pushed to anyone');
    expect(cardText(card)).not.toContain('NaN');
  });

  it('says what changed since the snapshot this card showed before, once, and plots the trend', () => {
    const earlier = [snap(10, 120, takenAt - 3600_000), snap(25, 120, takenAt - 600_000)];
    const card = buildReadsCard(
      { snapshot: snap(37, 120), earlier, since: earlier[0], refreshedBy: 'ou_ann', now: takenAt },
      'UTC',
    );
    expectValidCard(card);
    const en = cardText(card, 'en');
    const at = `<local_datetime millisecond='${takenAt - 3600_000}' format_type='date_short'></local_datetime> <local_datetime millisecond='${takenAt - 3600_000}' format_type='time'></local_datetime>`;
    expect(en).toContain(`📈 Since this card's previous snapshot (${at}): **+27** read, read rate **+22.5** pts`);
    expect(en.match(/📈/g)).toHaveLength(1);
    expect(cardText(card, 'zh')).toContain(
      `📈 与本卡片上次的快照（${at}）相比：已读 **+27**，阅读率 **+22.5** 个百分点`,
    );
    // Shown, not mentioned: a refresh notifies nobody.
    expect(en).toContain("refreshed by <person id='ou_ann' show_name=true show_avatar=true style='capsule'></person>");
    expect(en).not.toContain('<at');
    const chart = card.body.elements.find((e) => e.tag === 'chart') as {
      chart_spec: { type: string; data: Array<{ values: unknown[] }> };
    };
    expect(chart.chart_spec.type).toBe('line');
    expect(chart.chart_spec.data[0]!.values).toEqual([
      { time: '01:05:00', rate: 8.3 },
      { time: '01:55:00', rate: 20.8 },
      { time: '02:05:00', rate: 30.8 },
    ]);
    // The chart's labels cannot hold local_datetime: its title names their zone.
    expect(en).toContain('times in UTC');
  });

  it('says nothing changed-wise without a previous snapshot of its own, even with history', () => {
    const earlier = [snap(10, 120, takenAt - 3600_000)];
    const card = buildReadsCard({ snapshot: snap(37, 120), earlier, now: takenAt }, 'UTC');
    expect(cardText(card, 'en')).not.toContain('📈');
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(true);
  });

  it('has no chart with a single snapshot', () => {
    const card = buildReadsCard({ snapshot: snap(1, 2), now: takenAt }, 'UTC');
    expect(card.body.elements.some((e) => e.tag === 'chart')).toBe(false);
  });

  it('shows a running watch with a Stop button, and each ending', () => {
    const running = buildReadsCard({ snapshot: snap(1, 2), watch: watch(), now: takenAt }, 'UTC');
    expectValidCard(running);
    const until = takenAt + 2 * 3600_000;
    const untilLocal = `<local_datetime millisecond='${until}' format_type='date_short'></local_datetime> <local_datetime millisecond='${until}' format_type='time'></local_datetime>`;
    expect(cardText(running, 'en')).toContain(
      `Watching: updates every 5 min until ${untilLocal} (ends in 2 h), started by <person id='ou_starter'`,
    );
    const later = buildReadsCard({ snapshot: snap(1, 2), watch: watch(), now: until - 80 * 60_000 }, 'UTC');
    expect(cardText(later, 'en')).toContain('(ends in 1 h 20 min)');
    expect(cardText(later, 'zh')).toContain('（还剩 1 小时 20 分钟）');
    expect(buttonValue(running, 'Stop watching')).toEqual({ a: 'stop_watch', w: 'w_1' });
    expect(buttonValue(running, 'Refresh')).toEqual({ a: 'refresh', ids: ['bm_abc'], w: 'w_1', at: takenAt });
    const ends = {
      all_read: 'everyone has read it',
      time_up: `time is up (${untilLocal})`,
      stopped: "Watch stopped by <person id='ou_boss'",
      failed: 'Feishu refused the query (ou_boss). Query the id on its own to see why and what to do.',
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
