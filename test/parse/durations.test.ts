import { parseDuration, parseNumber, shortDuration } from '../../src/parse/durations.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

it.each<[string, number | undefined]>([
  ['2h', 2 * HOUR],
  ['2H', 2 * HOUR],
  ['1h30m', 90 * MIN],
  ['1.5h', 90 * MIN],
  ['90min', 90 * MIN],
  ['45mins', 45 * MIN],
  ['2hours', 2 * HOUR],
  ['30s', 30_000],
  ['1m30s', 90_000],
  ['1d', 24 * HOUR],
  ['2小时', 2 * HOUR],
  ['2个小时', 2 * HOUR],
  ['10分钟', 10 * MIN],
  ['1小时30分', 90 * MIN],
  ['30m2h', undefined], // units largest first
  ['1h1h', undefined],
  ['h', undefined],
  ['2', undefined],
  ['2x', undefined],
  ['', undefined],
])('parseDuration(%j) = %j', (word, ms) => {
  expect(parseDuration(word)).toBe(ms);
});

it.each<[string, number | undefined]>([
  ['2', 2],
  ['1.5', 1.5],
  ['两', 2],
  ['三', 3],
  ['十', 10],
  ['十五', 15],
  ['二十', 20],
  ['二十四', 24],
  ['半', 0.5],
  ['二三', undefined],
  ['十十', undefined],
  ['', undefined],
  ['x', undefined],
])('parseNumber(%j) = %j', (word, n) => {
  expect(parseNumber(word)).toBe(n);
});

it.each<[number, string]>([
  [2 * HOUR, '2h'],
  [90 * MIN, '1h30m'],
  [24 * HOUR, '24h'],
  [5 * MIN, '5m'],
  [30_000, '30s'],
  [0, '0m'],
])('shortDuration(%j) = %j', (ms, text) => {
  expect(shortDuration(ms)).toBe(text);
});
