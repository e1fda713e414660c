/** The answer to `/reads bm_xxx history`: the series of the last 30 days. */
import { both, card, divider, markdown, type Card } from './card.js';
import { formatCount, formatRate, formatShortTime } from './format.js';
import { SNAPSHOT_NOTE } from './readsCard.js';
import { rateChart } from './trend.js';
import type { Snapshot } from '../domain/types.js';

/** Rows listed under the chart: the newest ones. */
const LISTED = 20;

export function buildHistoryCard(batchId: string, series: Snapshot[], now: number, timeZone: string): Card {
  const listed = series.slice(-LISTED).reverse();
  const table = both((lang) => {
    const zh = lang === 'zh';
    const head = zh ? '| 时间 | 已读 | 推送总数 | 阅读率 |' : '| Time | Read | Total pushed | Read rate |';
    const rows = listed.map(
      (s) =>
        `| ${formatShortTime(s.takenAt, now, timeZone, lang)} | ${formatCount(s.readCount)} | ${formatCount(s.totalCount)} | ${formatRate(s.readCount, s.totalCount)} |`,
    );
    return [head, '| :-- | --: | --: | --: |', ...rows].join('\n');
  });
  const count = both((lang) =>
    lang === 'zh'
      ? `近 30 天共 ${series.length} 次快照${series.length > LISTED ? `，下表列出最近 ${LISTED} 次` : ''}（时区 ${timeZone}）。`
      : `${series.length} snapshot${series.length === 1 ? '' : 's'} in the last 30 days${series.length > LISTED ? `; the latest ${LISTED} are listed` : ''} (time zone ${timeZone}).`,
  );
  return card({
    title: { zh: '阅读历史', en: 'Read history' },
    subtitle: batchId,
    template: 'turquoise',
    summary: both((lang) => (lang === 'zh' ? `阅读历史 · ${batchId}` : `Read history · ${batchId}`)),
    elements: [
      markdown(count),
      ...(series.length >= 2 ? rateChart(series, now, timeZone) : []),
      markdown(table),
      divider(),
      markdown(SNAPSHOT_NOTE, { size: 'notation' }),
    ],
  });
}
