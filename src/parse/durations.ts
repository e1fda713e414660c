/**
 * Durations as people write them — `2h`, `1h30m`, `1.5h`, `90min`, `30s`,
 * `2小时`, `10分钟`, or a number and a unit apart (`2 hours`, `两 小时`) —
 * into milliseconds, and back into the short form a command takes. Pure;
 * dayjs's duration plugin does the arithmetic.
 */
import dayjs from 'dayjs';
import duration from 'dayjs/plugin/duration.js';

dayjs.extend(duration);

export type Unit = 'days' | 'hours' | 'minutes' | 'seconds';

/** Every way of writing a unit, as a word of its own or after a number. */
export const UNITS: Readonly<Record<string, Unit>> = {
  ...Object.fromEntries(['d', 'day', 'days', '天'].map((w) => [w, 'days'])),
  ...Object.fromEntries(
    ['h', 'hr', 'hrs', 'hour', 'hours', '小时', '个小时', '钟头', '个钟头', '个钟'].map((w) => [w, 'hours']),
  ),
  ...Object.fromEntries(['m', 'min', 'mins', 'minute', 'minutes', '分钟', '分'].map((w) => [w, 'minutes'])),
  ...Object.fromEntries(['s', 'sec', 'secs', 'second', 'seconds', '秒', '秒钟'].map((w) => [w, 'seconds'])),
};

const ORDER: readonly Unit[] = ['days', 'hours', 'minutes', 'seconds'];
// Longest first, so `minutes` is not read as `m` followed by `inutes`.
const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .join('|');
/** One number and its unit, at a given place (sticky): bounded, so a long word costs one short try per part. */
const PART = new RegExp(`(\\d{1,6}(?:\\.\\d{1,3})?)(${UNIT_PATTERN})`, 'iy');
const NUMBER = /^\d{1,6}(?:\.\d{1,3})?$/;

/** `amount` of `unit` in milliseconds. */
export function toMs(amount: number, unit: Unit): number {
  return dayjs.duration(amount, unit).asMilliseconds();
}

/**
 * "2h", "1h30m", "1.5h", "45min", "30s", "2小时", "30分钟" → milliseconds;
 * undefined if the word is not one duration (units largest first, each once).
 */
export function parseDuration(word: string): number | undefined {
  let total = dayjs.duration(0);
  let at = 0;
  let smallest = -1;
  while (at < word.length) {
    PART.lastIndex = at;
    const m = PART.exec(word);
    if (!m) return undefined;
    const unit = UNITS[m[2]!.toLowerCase()]!;
    const rank = ORDER.indexOf(unit);
    if (rank <= smallest) return undefined; // "30m2h" or "1h1h" is not a way to write a duration
    smallest = rank;
    total = total.add(Number(m[1]), unit);
    at = PART.lastIndex;
  }
  return at === 0 ? undefined : total.asMilliseconds();
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** "2", "1.5", "两", "十五", "二十四", "半" → the number; undefined if the word is not one. */
export function parseNumber(word: string): number | undefined {
  if (NUMBER.test(word)) return Number(word);
  if (word === '半') return 0.5;
  // Chinese numerals up to 99: [digit]十[digit] or one digit.
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(word);
  if (!m || word.length === 0 || (m[2] === undefined && m[1] !== undefined && m[3] !== undefined)) return undefined;
  if (m[2] === undefined) return CHINESE_DIGITS[(m[1] ?? m[3])!];
  return (m[1] === undefined ? 1 : CHINESE_DIGITS[m[1]]!) * 10 + (m[3] === undefined ? 0 : CHINESE_DIGITS[m[3]]!);
}

/** The short form a command takes: 7_200_000 → "2h", 5_400_000 → "1h30m", 30_000 → "30s". */
export function shortDuration(ms: number): string {
  const d = dayjs.duration(ms);
  const hours = Math.floor(d.asHours());
  const parts: Array<[number, string]> = [
    [hours, 'h'],
    [d.minutes(), 'm'],
    [d.seconds(), 's'],
  ];
  const written = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`);
  return written.length > 0 ? written.join('') : '0m';
}
