/**
 * The preview of a batch message: what its recipients will read, whom it
 * goes to, what cannot be sent to, who sends it and until when it may be
 * confirmed. Nothing is sent before Confirm; with nothing to send, there is
 * no Confirm and the card says what to fix.
 */
import { draftExpiresAt, recipientCount, type Send } from '../domain/send.js';
import type { CardAction } from '../domain/types.js';
import { both, button, buttonRow, card, markdown, person, type Card, type Text } from './card.js';
import { formatDuration, readerDateTime } from './format.js';
import { recipientsShort, sendElements } from './sendParts.js';

const NO_RECIPIENT = {
  zh: '**还没有可发送的接收人。**请点「修改」，填入至少一个部门 ID（`od-…`）、open id（`ou_…`）或 user id；在 /send 后 @ 某人也可以。',
  en: '**No one to send it to yet.** Press Edit and enter at least one department id (`od-…`), open id (`ou_…`) or user id; @mentioning people after /send works too.',
};
const NO_TEXT = {
  zh: '**消息是空的。**请点「修改」写上消息内容。',
  en: '**The message is empty.** Press Edit and write it.',
};

/** Who sends it, and until when Confirm sends it (after that, Confirm shows a fresh preview). */
function senderLine(send: Send, now: number): Text {
  const until = draftExpiresAt(send);
  return both((lang) => {
    const zh = lang === 'zh';
    const by = zh
      ? `✍️ 发送人：${person(send.senderOpenId)}（以机器人的身份发出）`
      : `✍️ Sent by ${person(send.senderOpenId)}, as the bot`;
    const expiry =
      now < until
        ? zh
          ? `⏳ 请在 ${readerDateTime(until, true)} 前确认（还剩 ${formatDuration(until - now, lang)}）`
          : `⏳ Confirm by ${readerDateTime(until, true)} (${formatDuration(until - now, lang)} left)`
        : zh
          ? '⏳ 这份预览已过期：点「确认发送」会先给出一份新的预览。'
          : '⏳ This preview has expired: Confirm shows a fresh one first.';
    return `${by}\n${expiry}`;
  });
}

export function buildSendPreviewCard(send: Send, now: number): Card {
  const fixes = [
    ...(recipientCount(send.recipients) === 0 ? [NO_RECIPIENT] : []),
    ...(send.text.trim() === '' ? [NO_TEXT] : []),
  ];
  const s = send.id;
  return card({
    title: { zh: '批量消息预览', en: 'Batch message preview' },
    subtitle: { zh: '确认之前不会发送', en: 'Nothing is sent until you confirm' },
    template: fixes.length > 0 ? 'orange' : 'blue',
    summary: both(
      (lang) => `${lang === 'zh' ? '预览：发给' : 'Preview: to'} ${recipientsShort(send.recipients, lang)}`,
    ),
    elements: [
      ...sendElements(send),
      ...fixes.map((fix) => markdown(fix)),
      markdown(senderLine(send, now)),
      buttonRow([
        ...(fixes.length > 0
          ? []
          : [button({ zh: '确认发送', en: 'Confirm' }, { a: 'send_confirm', s } satisfies CardAction, 'primary')]),
        button({ zh: '修改', en: 'Edit' }, { a: 'send_edit', s } satisfies CardAction),
        button({ zh: '取消', en: 'Cancel' }, { a: 'send_cancel', s } satisfies CardAction),
      ]),
    ],
  });
}
