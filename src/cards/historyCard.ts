/**
 * The answer to `/reads bm_xxx history`: the series of the last 30 days —
 * the chart, the change since the earliest snapshot, and the newest
 * snapshots in a `table` component, ten on its first page.
 */
import { both, card, countColumn, divider, markdown, table, type Card } from './card.js';
import { formatRate } from './format.js';
import { SNAPSHOT_NOTE } from './readsCard.js';
import { changeLine, rateChart } from './trend.js';
import type { Snapshot } from '../domain/types.js';

/** Rows listed under the chart: the newest ones. */
const LISTED = 30;
const PAGE_SIZE = 10;
const MINUTE = 60_000;

/** Minutes, or seconds when two listed snapshots fall in one minute (in any zone: offsets are whole minutes). */
function timeFormat(listed: Snapshot[]): string {
  const minutes = listed.map((s) => Math.floor(s.takenAt / MINUTE));
  return new Set(minutes).size < minutes.length ? 'MM-DD HH:mm:ss' : 'MM-DD HH:mm';
}

export function buildHistoryCard(batchId: string, series: Snapshot[], now: number, timeZone: string): Card {
  const listed = series.slice(-LISTED).reverse();
  const first = series[0];
  const latest = series[series.length - 1];
  const count = both((lang) =>
    lang === 'zh'
      ? `近 30 天共 ${series.length} 次快照${series.length > LISTED ? `，下表列出最近 ${LISTED} 次` : ''}，最新的在前。`
      : `${series.length} snapshot${series.length === 1 ? '' : 's'} in the last 30 days${series.length > LISTED ? `; the latest ${LISTED} are listed` : ''}, newest first.`,
  );
  const rows = listed.map((s) => ({
    time: s.takenAt,
    read: s.readCount,
    total: s.totalCount,
    rate: formatRate(s.readCount, s.totalCount),
  }));
  return card({
    title: { zh: '阅读历史', en: 'Read history' },
    subtitle: batchId,
    template: 'turquoise',
    summary: both((lang) => (lang === 'zh' ? `阅读历史 · ${batchId}` : `Read history · ${batchId}`)),
    elements: [
      markdown(count),
      ...(series.length >= 2 ? rateChart(series, now, timeZone) : []),
      ...(first && latest && series.length >= 2 ? [changeLine(latest, { kind: 'first', snapshot: first })] : []),
      // The table component has no i18n for its column names (table.md): each carries both languages.
      table(
        [
          // A `date` cell is shown in each reader's own zone (table.md, data_type date).
          { name: 'time', display_name: '时间 Time', data_type: 'date', date_format: timeFormat(listed) },
          countColumn('read', '已读 Read'),
          countColumn('total', '推送 Pushed'),
          { name: 'rate', display_name: '阅读率 Rate', data_type: 'text', horizontal_align: 'right' },
        ],
        rows,
        PAGE_SIZE,
      ),
      divider(),
      markdown(SNAPSHOT_NOTE, { size: 'notation' }),
    ],
  });
}
