/**
 * The answer to `/reads bm_a bm_b …`: the totals, then a `table` component
 * with a row per id (counts, or that row's error code) on one page — a
 * markdown table would page after 5 rows and hide the rest.
 */
import { explainError } from '../feishu/errorCatalogue.js';
import {
  both,
  button,
  buttonRow,
  card,
  countColumn,
  divider,
  escapeTags,
  markdown,
  person,
  table,
  type Card,
  type TableColumn,
} from './card.js';
import { formatCount, formatRate, readerDateTime } from './format.js';
import { SNAPSHOT_NOTE } from './readsCard.js';
import type { BotError } from '../domain/errors.js';
import type { CardAction, ReadCounts } from '../domain/types.js';

export interface MultiRow {
  batchId: string;
  result: ReadCounts | BotError;
}

const isCounts = (r: MultiRow['result']): r is ReadCounts => 'readCount' in r;

// The table component has no i18n for its column names (table.md): each carries both languages.
const COLUMNS: TableColumn[] = [
  { name: 'id', display_name: 'ID', data_type: 'text', width: 'auto' },
  countColumn('read', '已读 Read'),
  countColumn('total', '推送 Pushed'),
  { name: 'rate', display_name: '阅读率 Rate', data_type: 'text', horizontal_align: 'right' },
];

export function buildMultiReadsCard(rows: MultiRow[], takenAt: number, refreshedBy?: string): Card {
  const ok = rows.map((r) => r.result).filter(isCounts);
  const read = ok.reduce((n, r) => n + r.readCount, 0);
  const total = ok.reduce((n, r) => n + r.totalCount, 0);
  const failed = rows.length - ok.length;

  const cells = rows.map(({ batchId, result }): Record<string, string | number> =>
    isCounts(result)
      ? {
          id: batchId,
          read: result.readCount,
          total: result.totalCount,
          rate: formatRate(result.readCount, result.totalCount),
        }
      : { id: batchId, rate: `❌ ${explainError(result).code}` },
  );

  const totals = both((lang) =>
    lang === 'zh'
      ? `**合计**：已读 **${formatCount(read)}** / 推送 ${formatCount(total)}，阅读率 **${formatRate(read, total)}**${failed > 0 ? `（只含成功的 ${ok.length} 条）` : ''}`
      : `**Total**: **${formatCount(read)}** read of ${formatCount(total)} pushed, read rate **${formatRate(read, total)}**${failed > 0 ? ` (the ${ok.length} that answered)` : ''}`,
  );

  // One line per error code, naming its ids: the table's cells cannot carry both languages.
  const byCode = new Map<string, { ids: string[]; error: BotError }>();
  for (const { batchId, result } of rows) {
    if (isCounts(result)) continue;
    const code = explainError(result).code;
    const entry = byCode.get(code) ?? { ids: [], error: result };
    entry.ids.push(batchId);
    byCode.set(code, entry);
  }
  const failures = [...byCode].map(([code, { ids, error }]) => {
    const e = explainError(error);
    return markdown(
      both((lang) => `❌ **${escapeTags(code)}** ${e.title[lang]}: ${ids.join(', ')}\n${e.action[lang]}`),
      { size: 'notation' },
    );
  });

  const footer = both((lang) => {
    const zh = lang === 'zh';
    const by = refreshedBy ? (zh ? ` · 由 ${person(refreshedBy)} 刷新` : ` · refreshed by ${person(refreshedBy)}`) : '';
    return `🕒 ${zh ? '快照时间' : 'Snapshot'}: ${readerDateTime(takenAt)}${by}`;
  });

  return card({
    title: both((lang) =>
      lang === 'zh' ? `批量消息阅读情况（${rows.length} 条）` : `Batch message reads (${rows.length})`,
    ),
    template: failed === rows.length ? 'red' : failed > 0 ? 'orange' : 'blue',
    summary: both(
      (lang) =>
        `${lang === 'zh' ? '合计已读' : 'Total read'} ${formatCount(read)}/${formatCount(total)} (${formatRate(read, total)})`,
    ),
    elements: [
      markdown(totals),
      table(COLUMNS, cells, rows.length),
      ...failures,
      markdown(footer),
      buttonRow([
        button(
          { zh: '刷新', en: 'Refresh' },
          { a: 'refresh', ids: rows.map((r) => r.batchId) } satisfies CardAction,
          'primary',
        ),
      ]),
      divider(),
      markdown(SNAPSHOT_NOTE, { size: 'notation' }),
    ],
  });
}
