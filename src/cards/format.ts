/** Number, rate, change and time formatting for cards, per language. Pure. */
import type { Lang } from './card.js';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Read rate as shown to people: rounded down, so it never says 100% while
 * someone has not read, nor 0% once someone has.
 */
export function formatRate(read: number, total: number): string {
  if (total <= 0) return '—';
  if (read >= total) return '100%';
  if (read <= 0) return '0%';
  const tenths = Math.floor((read * 1000) / total);
  if (tenths === 0) return '<0.1%';
  return `${(tenths / 10).toFixed(1)}%`;
}

/** Read rate as a number (0–100), for charts. */
export function ratePercent(read: number, total: number): number {
  return total <= 0 ? 0 : Math.round((Math.min(read, total) * 1000) / total) / 10;
}

/** "+12", "−3", "±0". */
export function formatChange(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0';
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

interface ZonedTime {
  year: number;
  month: number;
  day: number;
  hour: string;
  minute: string;
  second: string;
  /** "+08:00" */
  offset: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// One formatter per zone: building an Intl.DateTimeFormat costs far more than using one, and every card shows times.
const formatters = new Map<string, Intl.DateTimeFormat>();
const pad = (n: number) => String(n).padStart(2, '0');

function zoned(epochMs: number, timeZone: string): ZonedTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const part: Record<string, number> = {};
  for (const p of f.formatToParts(epochMs)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  const offsetMinutes = Math.round(
    (Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(epochMs / 1000) * 1000) / 60_000,
  );
  const abs = Math.abs(offsetMinutes);
  return {
    year,
    month,
    day,
    hour: pad(hour),
    minute: pad(minute),
    second: pad(second),
    offset: `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
  };
}

/** e.g. zh "2026-11-25 20:45:12 (Asia/Shanghai, UTC+08:00)", en "Nov 25, 2026, 20:45:12 (…)". */
export function formatTime(epochMs: number, timeZone: string, lang: Lang = 'zh'): string {
  const t = zoned(epochMs, timeZone);
  const clock = `${t.hour}:${t.minute}:${t.second}`;
  const date =
    lang === 'zh'
      ? `${t.year}-${pad(t.month)}-${pad(t.day)} ${clock}`
      : `${MONTHS[t.month - 1]} ${t.day}, ${t.year}, ${clock}`;
  return `${date} (${timeZone}, UTC${t.offset})`;
}

/** Short time of day, or date and time when not today, in the zone. */
export function formatShortTime(
  epochMs: number,
  now: number,
  timeZone: string,
  lang: Lang = 'zh',
  seconds = false,
): string {
  const t = zoned(epochMs, timeZone);
  const today = zoned(now, timeZone);
  const time = `${t.hour}:${t.minute}${seconds ? `:${t.second}` : ''}`;
  if (t.year === today.year && t.month === today.month && t.day === today.day) return time;
  return lang === 'zh' ? `${pad(t.month)}-${pad(t.day)} ${time}` : `${MONTHS[t.month - 1]} ${t.day} ${time}`;
}

/** "2 h", "90 min", "1 h 30 min" / "2 小时"… */
export function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = lang === 'zh' ? [h ? `${h} 小时` : '', m ? `${m} 分钟` : ''] : [h ? `${h} h` : '', m ? `${m} min` : ''];
  return parts.filter(Boolean).join(' ') || (lang === 'zh' ? '0 分钟' : '0 min');
}

/** Throws for a zone the runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}
