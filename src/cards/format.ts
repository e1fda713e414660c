/** Number, rate and time formatting for cards. Pure. */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

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

/** e.g. "2026-11-25 20:45:12 (Asia/Shanghai, UTC+08:00)". */
export function formatTime(epochMs: number, timeZone: string): string {
  const t = dayjs(epochMs).tz(timeZone);
  return `${t.format('YYYY-MM-DD HH:mm:ss')} (${timeZone}, UTC${t.format('Z')})`;
}

/** Throws for a zone the runtime does not know. */
export function assertTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}
