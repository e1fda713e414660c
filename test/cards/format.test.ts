import { formatCount, formatRate, formatTime, rateBar } from '../../src/cards/format.js';

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
  });
});

describe('formatCount', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'));
});
