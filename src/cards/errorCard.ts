/** The answer when Feishu could not tell us the counts: what went wrong and what to do. */
import type { BotError } from '../errors.js';
import { explainError } from '../feishu/errorCatalogue.js';
import { card, divider, escapeTags, markdown, type Card } from './card.js';

export function buildErrorCard(batchId: string, error: BotError): Card {
  const e = explainError(error);
  const scopes = error.missingScopes?.length ? error.missingScopes.map((s) => `\`${escapeTags(s)}\``).join('、') : undefined;
  const footer = [
    e.transient ? '这通常是暂时的，稍后重试即可。 This is usually temporary: try again shortly.' : undefined,
    error.logId ? `log_id: ${escapeTags(error.logId)}` : undefined,
  ].filter((line) => line !== undefined);

  return card({
    title: '查询失败 · Query failed',
    subtitle: batchId,
    template: e.transient ? 'orange' : 'red',
    summary: `查询失败 Query failed (${e.code}) · ${batchId}`,
    elements: [
      markdown(`**错误码 Error code：${escapeTags(e.code)}**　${e.title.zh} · ${e.title.en}`),
      markdown(
        `**原因**：${escapeTags(e.meaning.zh)}\n**怎么办**：${e.action.zh}` + (scopes ? `\n**缺少的权限**：${scopes}` : ''),
      ),
      divider(),
      markdown(
        `**Why:** ${escapeTags(e.meaning.en)}\n**What to do:** ${e.action.en}` + (scopes ? `\n**Missing scopes:** ${scopes}` : ''),
      ),
      ...(footer.length > 0 ? [markdown(`<font color='grey'>${footer.join('\n')}</font>`, { size: 'notation' })] : []),
    ],
  });
}
