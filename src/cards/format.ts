/**
 * Number, rate, change and time formatting for cards, per language. Pure.
 *
 * One rounding rule for every read rate the bot shows — text, chart, history
 * and changes: to the nearest tenth of a percent, from the raw counts (a
 * partial read is kept off 0% and 100%, so the rate agrees with the counts
 * beside it). A change in rate is the difference of two rates so rounded,
 * so the numbers on one card add up.
 *
 * Times: on a card they go in `<local_datetime>` (each reader's own zone and
 * language); texts that cannot hold the tag (summaries, chart labels, the
 * terminal) use the configured zone through dayjs and name it.
 */
import dayjs from 'dayjs';
import duration from 'dayjs/plugin/duration.js';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/zh-cn.js';
import type { Lang } from './card.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(duration);

const LOCALE: Record<Lang, string> = { zh: 'zh-cn', en: 'en' };

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The read rate in tenths of a percent (0–1000), by the one rounding rule; undefined when nothing was pushed. */
export function rateTenths(read: number, total: number): number | undefined {
  if (total <= 0) return undefined;
  if (read >= total) return 1000;
  if (read <= 0) return 0;
  return Math.min(Math.max(Math.round((read * 1000) / total), 1), 999);
}

/** Read rate as shown to people: "26.7%", "100%", "—" when nothing was pushed. */
export function formatRate(read: number, total: number): string {
  const tenths = rateTenths(read, total);
  if (tenths === undefined) return '—';
  if (tenths === 1000 || tenths === 0) return `${tenths / 10}%`;
  return `${(tenths / 10).toFixed(1)}%`;
}

/** Read rate as a number (0–100), for charts and table cells: the same value the text shows. */
export function ratePercent(read: number, total: number): number {
  return (rateTenths(read, total) ?? 0) / 10;
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text}` : '±0');

/** "+12", "−3", "±0". */
export function formatChange(n: number): string {
  return signed(n, formatCount(Math.abs(n)));
}

/** The change in read rate between two counts, in percentage points: "+11.4", "−0.3", "±0". */
export function formatPointsChange(from: { readCount: number; totalCount: number }, to: typeof from): string {
  const d = (rateTenths(to.readCount, to.totalCount) ?? 0) - (rateTenths(from.readCount, from.totalCount) ?? 0);
  return signed(d, (Math.abs(d) / 10).toFixed(1));
}

const BAR_CELLS = 20;

/** A bar of coloured blocks; a cell is only filled for what is really read. */
export function rateBar(read: number, total: number): string {
  const filled = total <= 0 ? 0 : read >= total ? BAR_CELLS : Math.floor((Math.max(read, 0) * BAR_CELLS) / total);
  const empty = BAR_CELLS - filled;
  return [
    filled > 0 ? `<font color='green'>${'█'.repeat(filled)}</font>` : '',
    empty > 0 ? `<font color='grey'>${'░'.repeat(empty)}</font>` : '',
  ].join('');
}

/** The `format_type` values of `<local_datetime>` (rich-text.md, 国际化时间). */
export const LOCAL_DATETIME_FORMATS = [
  'date_num',
  'date_short',
  'date',
  'week',
  'week_short',
  'time',
  'time_sec',
  'timezone',
] as const;
export type LocalDatetimeFormat = (typeof LOCAL_DATETIME_FORMATS)[number];

/** A time Feishu shows in each reader's own zone and language. */
export function localDatetimeTag(epochMs: number, format: LocalDatetimeFormat): string {
  return `<local_datetime millisecond='${Math.round(epochMs)}' format_type='${format}'></local_datetime>`;
}

/** Date and time for a reader: "2026-11-25 20:45:12" in their zone, or "11月25日 20:45" when `short`. */
export function readerDateTime(epochMs: number, short = false): string {
  return short
    ? `${localDatetimeTag(epochMs, 'date_short')} ${localDatetimeTag(epochMs, 'time')}`
    : `${localDatetimeTag(epochMs, 'date_num')} ${localDatetimeTag(epochMs, 'time_sec')}`;
}

const zoned = (epochMs: number, timeZone: string, lang: Lang = 'zh') =>
  dayjs(epochMs).tz(timeZone).locale(LOCALE[lang]);

/** "GMT+8:00", "GMT-4:00", "GMT+5:30": the offset of `timeZone` at that moment. */
function gmtOffset(epochMs: number, timeZone: string): string {
  const minutes = zoned(epochMs, timeZone).utcOffset();
  const abs = Math.abs(minutes);
  return `GMT${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}

const LOCAL_DATETIME_PATTERNS: Record<Exclude<LocalDatetimeFormat, 'timezone'>, Record<Lang, string>> = {
  date_num: { zh: 'YYYY-MM-DD', en: 'YYYY-MM-DD' },
  date_short: { zh: 'M月D日', en: 'MMM D' },
  date: { zh: 'YYYY年M月D日', en: 'MMM D, YYYY' },
  week: { zh: 'dddd', en: 'dddd' },
  week_short: { zh: 'ddd', en: 'ddd' },
  time: { zh: 'HH:mm', en: 'HH:mm' },
  time_sec: { zh: 'HH:mm:ss', en: 'HH:mm:ss' },
};

/** What `<local_datetime>` shows a reader in `timeZone` (the playground's browser zone, the terminal's configured one). */
export function renderLocalDatetime(epochMs: number, format: string, timeZone: string, lang: Lang): string {
  if (format === 'timezone') return gmtOffset(epochMs, timeZone);
  const patterns =
    LOCAL_DATETIME_PATTERNS[format as keyof typeof LOCAL_DATETIME_PATTERNS] ?? LOCAL_DATETIME_PATTERNS.date_num;
  return zoned(epochMs, timeZone, lang).format(patterns[lang]);
}

/** A table `date` column's `date_format` (YYYY MM DD HH mm ss) in `timeZone`. */
export function formatDatePattern(epochMs: number, pattern: string, timeZone: string): string {
  return zoned(epochMs, timeZone).format(pattern);
}

/** Short time of day, or date and time when not today, in the zone. */
export function formatShortTime(
  epochMs: number,
  now: number,
  timeZone: string,
  lang: Lang = 'zh',
  seconds = false,
): string {
  const t = zoned(epochMs, timeZone, lang);
  const time = seconds ? 'HH:mm:ss' : 'HH:mm';
  if (t.isSame(zoned(now, timeZone, lang), 'day')) return t.format(time);
  return t.format(`${lang === 'zh' ? 'MM-DD' : 'MMM D'} ${time}`);
}

/** "2 h", "90 min" → "1 h 30 min" / "2 小时"… (whole minutes). */
export function formatDuration(ms: number, lang: Lang): string {
  const d = dayjs.duration(Math.round(ms / 60_000), 'minutes');
  const h = Math.floor(d.asHours());
  const m = d.minutes();
  const parts = lang === 'zh' ? [h ? `${h} 小时` : '', m ? `${m} 分钟` : ''] : [h ? `${h} h` : '', m ? `${m} min` : ''];
  return parts.filter(Boolean).join(' ') || (lang === 'zh' ? '0 分钟' : '0 min');
}

/** Throws for a zone the runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}
