/** The answer when Feishu could not tell us the counts: what went wrong and what to do. */
import { explainError, type Explanation } from '../feishu/errorCatalogue.js';
import {
  both,
  button,
  buttonRow,
  card,
  escapeTags,
  markdown,
  plainText,
  safeToken,
  type Card,
  type Element,
} from './card.js';
import { readerDateTime } from './format.js';
import type { BotError } from '../domain/errors.js';
import type { CardAction } from '../domain/types.js';

/** The error code and its title, why, what to do (and the scopes missing, as markdown), and Feishu's own words. */
export function explanationElements(e: Explanation, scopes?: string): Element[] {
  return [
    markdown(
      both((lang) => `**${lang === 'zh' ? '错误码' : 'Error code'}: ${escapeTags(e.code)}** · ${e.title[lang]}`),
    ),
    markdown(
      both((lang) =>
        lang === 'zh'
          ? `**原因**：${e.meaning.zh}\n**怎么办**：${e.action.zh}${scopes ? `\n**缺少的权限**：${scopes}` : ''}`
          : `**Why:** ${e.meaning.en}\n**What to do:** ${e.action.en}${scopes ? `\n**Missing scopes:** ${scopes}` : ''}`,
      ),
    ),
    // Feishu's own words may hold anything (`<at id=all>`, links): shown as plain text, never as markdown.
    ...(e.said === undefined ? [] : [plainText(e.said.length > 300 ? `${e.said.slice(0, 300)}…` : e.said)]),
  ];
}

/** `triedAt`: when the query was made, so a Retry that fails again still shows a new attempt. */
export function buildErrorCard(batchId: string, error: BotError, triedAt?: number): Card {
  const e = explainError(error);
  const scopes = error.missingScopes?.length
    ? error.missingScopes.map((s) => `\`${safeToken(s)}\``).join(', ')
    : undefined;
  const logId = error.logId ? `log_id: ${safeToken(error.logId)}` : undefined;

  return card({
    title: { zh: '查询失败', en: 'Query failed' },
    subtitle: batchId,
    template: e.transient ? 'orange' : 'red',
    summary: both((lang) => `${lang === 'zh' ? '查询失败' : 'Query failed'} (${e.code}) · ${batchId}`),
    elements: [
      ...explanationElements(e, scopes),
      ...(triedAt !== undefined || logId
        ? [
            markdown(
              both((lang) =>
                [
                  triedAt === undefined
                    ? undefined
                    : `🕒 ${lang === 'zh' ? '查询时间' : 'Tried at'}: ${readerDateTime(triedAt)}`,
                  logId,
                ]
                  .filter((l) => l !== undefined)
                  .map((l) => `<font color='grey'>${l}</font>`)
                  .join('\n'),
              ),
              { size: 'notation' },
            ),
          ]
        : []),
      ...(e.transient
        ? [buttonRow([button({ zh: '重试', en: 'Try again' }, { a: 'refresh', ids: [batchId] } satisfies CardAction)])]
        : []),
    ],
  });
}
