/** The answer to `/reads bm_a bm_b …`: a row per id (counts, or that row's error) and the totals. */
import { explainError } from '../feishu/errorCatalogue.js';
import { both, button, buttonRow, card, divider, escapeTags, markdown, type Card } from './card.js';
import { formatCount, formatRate, formatTime } from './format.js';
import { SNAPSHOT_NOTE } from './readsCard.js';
import type { BotError } from '../domain/errors.js';
import type { CardAction, ReadCounts } from '../domain/types.js';

export interface MultiRow {
  batchId: string;
  result: ReadCounts | BotError;
}

const isCounts = (r: MultiRow['result']): r is ReadCounts => 'readCount' in r;

export function buildMultiReadsCard(rows: MultiRow[], takenAt: number, timeZone: string, refreshedBy?: string): Card {
  const ok = rows.map((r) => r.result).filter(isCounts);
  const read = ok.reduce((n, r) => n + r.readCount, 0);
  const total = ok.reduce((n, r) => n + r.totalCount, 0);
  const failed = rows.length - ok.length;

  const table = both((lang) => {
    const zh = lang === 'zh';
    const head = zh
      ? '| 批量消息 ID | 已读 | 推送总数 | 阅读率 |'
      : '| Batch message id | Read | Total pushed | Read rate |';
    const lines = rows.map(({ batchId, result }) => {
      if (isCounts(result)) {
        return `| ${batchId} | ${formatCount(result.readCount)} | ${formatCount(result.totalCount)} | ${formatRate(result.readCount, result.totalCount)} |`;
      }
      const e = explainError(result);
      return `| ${batchId} | — | — | ❌ ${escapeTags(e.code)} ${zh ? e.title.zh : e.title.en} |`;
    });
    const sum = zh
      ? `| **合计** | **${formatCount(read)}** | **${formatCount(total)}** | **${formatRate(read, total)}** |`
      : `| **Total** | **${formatCount(read)}** | **${formatCount(total)}** | **${formatRate(read, total)}** |`;
    return [head, '| :-- | --: | --: | --: |', ...lines, sum].join('\n');
  });

  const footer = both((lang) => {
    const zh = lang === 'zh';
    const by = refreshedBy
      ? zh
        ? ` · 由 <at id=${refreshedBy}></at> 刷新`
        : ` · refreshed by <at id=${refreshedBy}></at>`
      : '';
    const failures =
      failed > 0
        ? zh
          ? `\n${failed} 条查询失败，合计只含成功的查询；单独查询该 ID 可看到完整的原因和处理办法。`
          : `\n${failed} ${failed === 1 ? 'query' : 'queries'} failed; the totals count the others. Query an id on its own for the full explanation.`
        : '';
    return `🕒 ${zh ? '快照时间' : 'Snapshot'}: ${formatTime(takenAt, timeZone, lang)}${by}${failures}`;
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
      markdown(table),
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
