/** Number, rate, change and time formatting for cards, per language. Pure. */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { Lang } from './card.js';

dayjs.extend(utc);
dayjs.extend(timezone);

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

/** e.g. zh "2026-11-25 20:45:12 (Asia/Shanghai, UTC+08:00)", en "Nov 25, 2026, 20:45:12 (…)". */
export function formatTime(epochMs: number, timeZone: string, lang: Lang = 'zh'): string {
  const t = dayjs(epochMs).tz(timeZone);
  const date = lang === 'zh' ? t.format('YYYY-MM-DD HH:mm:ss') : t.format('MMM D, YYYY, HH:mm:ss');
  return `${date} (${timeZone}, UTC${t.format('Z')})`;
}

/** Short time of day, or date and time when not today, in the zone. */
export function formatShortTime(epochMs: number, now: number, timeZone: string, lang: Lang = 'zh', seconds = false): string {
  const t = dayjs(epochMs).tz(timeZone);
  const time = seconds ? 'HH:mm:ss' : 'HH:mm';
  if (t.isSame(dayjs(now).tz(timeZone), 'day')) return t.format(time);
  return lang === 'zh' ? t.format(`MM-DD ${time}`) : t.format(`MMM D ${time}`);
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
