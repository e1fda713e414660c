/** Asked before a recall (DELETE /open-apis/im/v1/batch_messages/:id): it cannot be undone. */
import type { Send } from '../domain/send.js';
import type { CardAction } from '../domain/types.js';
import { both, button, buttonRow, card, markdown, type Card } from './card.js';
import { recipientsShort, sendElements } from './sendParts.js';

export function buildRecallConfirmCard(send: Send): Card {
  const s = send.id;
  return card({
    title: { zh: '撤回这条消息？', en: 'Recall this message?' },
    ...(send.batchId ? { subtitle: send.batchId } : {}),
    template: 'orange',
    summary: both((lang) => `${lang === 'zh' ? '撤回？' : 'Recall?'} · ${recipientsShort(send.recipients, lang)}`),
    elements: [
      markdown({
        zh: '要从所有收到的人那里撤回这条批量消息吗？**撤回后无法恢复。**',
        en: 'Recall this batch message from everyone it reached? **It cannot be undone.**',
      }),
      ...sendElements(send),
      buttonRow([
        button({ zh: '撤回', en: 'Recall' }, { a: 'recall_confirm', s } satisfies CardAction, 'danger'),
        button({ zh: '保留', en: 'Keep it' }, { a: 'recall_keep', s } satisfies CardAction),
      ]),
    ],
  });
}
