import {
  formatCount,
  formatDatePattern,
  formatDuration,
  formatPointsChange,
  formatRate,
  formatShortTime,
  localDatetimeTag,
  readerDateTime,
  ratePercent,
  rateBar,
  renderLocalDatetime,
} from '../../src/cards/format.js';

describe('formatRate', () => {
  it.each([
    [0, 0, '—'],
    [0, 10, '0%'],
    [10, 10, '100%'],
    [1, 3, '33.3%'],
    [2, 3, '66.7%'], // to the nearest tenth, not down
    [80, 300, '26.7%'],
    [1, 8, '12.5%'], // a half rounds up
    [9999, 10000, '99.9%'], // never rounds up to 100% while someone has not read
    [1, 100000, '0.1%'], // never rounds down to 0% once someone has read
    [37, 120, '30.8%'],
    [12, 10, '100%'],
  ])('%i of %i → %s, and the chart plots the same number', (read, total, shown) => {
    expect(formatRate(read, total)).toBe(shown);
    if (total > 0) expect(ratePercent(read, total)).toBe(parseFloat(shown));
  });

  it('plots 0 when nothing was pushed, where the text says —', () => expect(ratePercent(0, 0)).toBe(0));
});

describe('formatPointsChange', () => {
  it('is the difference of the two rates as shown, so they add up', () => {
    // 46/300 shows 15.3%, 80/300 shows 26.7%: the change says +11.4, though the raw difference is 11.33.
    expect(formatPointsChange({ readCount: 46, totalCount: 300 }, { readCount: 80, totalCount: 300 })).toBe('+11.4');
    expect(formatPointsChange({ readCount: 80, totalCount: 300 }, { readCount: 46, totalCount: 300 })).toBe('−11.4');
    expect(formatPointsChange({ readCount: 1, totalCount: 3 }, { readCount: 2, totalCount: 6 })).toBe('±0');
  });
});

describe('local_datetime', () => {
  const t = Date.UTC(2026, 10, 25, 16, 30, 5);
  it('writes the tag Feishu shows in each reader’s zone', () => {
    expect(localDatetimeTag(t, 'time_sec')).toBe(
      `<local_datetime millisecond='${t}' format_type='time_sec'></local_datetime>`,
    );
    expect(readerDateTime(t)).toContain("format_type='date_num'");
    expect(readerDateTime(t, true)).toContain("format_type='date_short'");
  });

  it.each([
    ['date_num', 'zh', '2026-11-26'],
    ['date_short', 'zh', '11月26日'],
    ['date_short', 'en', 'Nov 26'],
    ['date', 'zh', '2026年11月26日'],
    ['date', 'en', 'Nov 26, 2026'],
    ['week', 'zh', '星期四'],
    ['week', 'en', 'Thursday'],
    ['week_short', 'zh', '周四'],
    ['week_short', 'en', 'Thu'],
    ['time', 'en', '00:30'],
    ['time_sec', 'en', '00:30:05'],
    ['timezone', 'en', 'GMT+8:00'],
  ] as const)('renders %s in %s as a reader in Shanghai sees it: %s', (format, lang, shown) => {
    expect(renderLocalDatetime(t, format, 'Asia/Shanghai', lang)).toBe(shown);
  });

  it('renders another zone’s offset, and an unknown format as a date', () => {
    expect(renderLocalDatetime(t, 'timezone', 'Asia/Kolkata', 'en')).toBe('GMT+5:30');
    expect(renderLocalDatetime(t, 'timezone', 'America/New_York', 'en')).toBe('GMT-5:00');
    expect(renderLocalDatetime(t, 'nonsense', 'UTC', 'en')).toBe('2026-11-25');
  });

  it('formats a table date column’s pattern in the zone', () => {
    expect(formatDatePattern(t, 'MM-DD HH:mm:ss', 'Asia/Shanghai')).toBe('11-26 00:30:05');
  });
});

describe('formatDuration', () => {
  it.each([
    [2 * 3_600_000, 'zh', '2 小时'],
    [90 * 60_000, 'en', '1 h 30 min'],
    [80 * 60_000, 'en', '1 h 20 min'],
    [25 * 3_600_000, 'en', '25 h'],
    [10 * 60_000, 'zh', '10 分钟'],
    [0, 'en', '0 min'],
    [0, 'zh', '0 分钟'],
  ] as const)('%i ms in %s → %s', (ms, lang, shown) => expect(formatDuration(ms, lang)).toBe(shown));
});

describe('rateBar', () => {
  const filled = (bar: string) => (bar.match(/█/g) ?? []).length;
  const empty = (bar: string) => (bar.match(/░/g) ?? []).length;
  it('has 20 cells, filled only for what was read', () => {
    expect([filled(rateBar(0, 10)), empty(rateBar(0, 10))]).toEqual([0, 20]);
    expect([filled(rateBar(10, 10)), empty(rateBar(10, 10))]).toEqual([20, 0]);
    expect([filled(rateBar(5, 10)), empty(rateBar(5, 10))]).toEqual([10, 10]);
    expect(filled(rateBar(99, 100))).toBe(19);
    expect(filled(rateBar(0, 0))).toBe(0);
  });
});

describe('formatShortTime', () => {
  const t = Date.UTC(2026, 10, 25, 16, 30, 5); // 00:30:05 on the 26th in Shanghai
  it('shows only the time of day when it is today in the zone', () => {
    expect(formatShortTime(t, t + 3_600_000, 'Asia/Shanghai')).toBe('00:30');
    expect(formatShortTime(t, t, 'Asia/Shanghai', 'en', true)).toBe('00:30:05');
  });
  it('adds the date when it is another day in the zone', () => {
    expect(formatShortTime(t, t - 3_600_000, 'Asia/Shanghai')).toBe('11-26 00:30');
    expect(formatShortTime(t, t - 3_600_000, 'Asia/Shanghai', 'en')).toBe('Nov 26 00:30');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'));
});
