import { formatCount, formatRate, formatShortTime, formatTime, rateBar } from '../../src/cards/format.js';

describe('formatRate', () => {
  it.each([
    [0, 0, '—'],
    [0, 10, '0%'],
    [10, 10, '100%'],
    [1, 3, '33.3%'],
    [2, 3, '66.6%'],
    [9999, 10000, '99.9%'], // never rounds up to 100% while someone has not read
    [1, 100000, '<0.1%'], // never rounds down to 0% once someone has read
    [37, 120, '30.8%'],
    [12, 10, '100%'],
  ])('%i of %i → %s', (read, total, shown) => {
    expect(formatRate(read, total)).toBe(shown);
  });
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

describe('formatTime', () => {
  const t = Date.UTC(2026, 10, 25, 16, 30, 5);
  it('shows the time in the configured zone, naming the zone and offset', () => {
    expect(formatTime(t, 'Asia/Shanghai')).toBe('2026-11-26 00:30:05 (Asia/Shanghai, UTC+08:00)');
    expect(formatTime(t, 'UTC')).toBe('2026-11-25 16:30:05 (UTC, UTC+00:00)');
    expect(formatTime(t, 'America/New_York')).toBe('2026-11-25 11:30:05 (America/New_York, UTC-05:00)');
    expect(formatTime(t, 'Asia/Kolkata')).toBe('2026-11-25 22:00:05 (Asia/Kolkata, UTC+05:30)');
    expect(formatTime(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe(
      '2026-07-01 08:00:00 (America/New_York, UTC-04:00)',
    );
  });

  it('in English, names the month', () => {
    expect(formatTime(t, 'Asia/Shanghai', 'en')).toBe('Nov 26, 2026, 00:30:05 (Asia/Shanghai, UTC+08:00)');
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
