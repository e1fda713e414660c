/**
 * The answer to `/sent`: the person's latest batch messages sent through the
 * bot, newest first, each with an Open button. Buttons cannot sit in a
 * table (table.md), so each send is a row of columns: what it is, and Open.
 */
import { SENT_LIST_LENGTH, type Send, type SendState } from '../domain/send.js';
import type { CardAction, Snapshot } from '../domain/types.js';
import type { Explanation } from '../feishu/errorCatalogue.js';
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
  type Lang,
} from './card.js';
import { formatCount, formatRate, readerDateTime } from './format.js';
import { explainSendError, recipientsShort } from './sendParts.js';

export interface SentRow {
  send: Send;
  /** Its latest read counts, once it is sent. */
  snapshot?: Snapshot;
  /** Why its counts could not be had. */
  error?: Explanation;
}

/** What the list shows of a message: enough to tell it from the others. */
const SNIPPET = 60;

const STATES: Record<SendState, { zh: string; en: string }> = {
  draft: { zh: '📝 草稿，未发送', en: '📝 Draft, not sent' },
  queued: { zh: '⏳ 等待发送', en: '⏳ Waiting to go out' },
  sending: { zh: '⏳ 发送中', en: '⏳ Sending' },
  sent: { zh: '📨 已发送', en: '📨 Sent' },
  unconfirmed: { zh: '❔ 不确定是否已发送', en: '❔ Not known whether sent' },
  failed: { zh: '❌ 没有发出', en: '❌ Not sent' },
  cancelled: { zh: '🚫 已取消', en: '🚫 Cancelled' },
  recalling: { zh: '↩️ 撤回中', en: '↩️ Recalling' },
  recalled: { zh: '↩️ 已撤回', en: '↩️ Recalled' },
};

/** The read rate when there are counts; else the state, with the error code of a failure. */
function outcome({ send, snapshot, error }: SentRow, lang: Lang): string {
  if (send.state === 'sent' && snapshot)
    return `${lang === 'zh' ? '已读' : 'Read'} ${formatCount(snapshot.readCount)}/${formatCount(snapshot.totalCount)} (${formatRate(snapshot.readCount, snapshot.totalCount)})`;
  const failure = send.state === 'failed' && send.error ? explainSendError(send.error) : error;
  const code = failure ? ` · ${lang === 'zh' ? '错误码' : 'error'} ${escapeTags(failure.code)}` : '';
  return `${STATES[send.state][lang]}${code}`;
}

/** When a send happened, as the list shows and orders it: sent, else confirmed, else written. */
const whenOf = (send: Send) => send.sentAt ?? send.confirmedAt ?? send.createdAt;

function row(r: SentRow): Element {
  const { send } = r;
  const flat = send.text.replace(/\s+/g, ' ').trim();
  const info = markdown(
    both((lang) => {
      const id = send.batchId ? ` · \`${safeToken(send.batchId)}\`` : '';
      return `**${readerDateTime(whenOf(send), true)}**${id}\n${recipientsShort(send.recipients, lang)} · ${outcome(r, lang)}`;
    }),
  );
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: 'medium',
    columns: [
      {
        tag: 'column',
        width: 'weighted',
        weight: 1,
        vertical_align: 'top',
        // What the person wrote: plain text, never read as markdown.
        elements: [info, ...(flat ? [plainText(flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat)] : [])],
      },
      {
        tag: 'column',
        width: 'auto',
        vertical_align: 'center',
        elements: [button({ zh: '打开', en: 'Open' }, { a: 'open_send', s: send.id } satisfies CardAction)],
      },
    ],
  };
}

const EMPTY = {
  zh: '你还没有通过这个机器人发过批量消息。发送 `/send`，第一行写接收人、下一行起写消息；或点下面的按钮填表。',
  en: 'You have not sent a batch message through this bot yet. Send `/send` with the recipients on its first line and the message below it, or press the button below to fill in a form.',
};

export function buildSentListCard(rows: SentRow[], now: number): Card {
  const newest = [...rows].sort((a, b) => whenOf(b.send) - whenOf(a.send)).slice(0, SENT_LIST_LENGTH);
  return card({
    title: { zh: '我发送的批量消息', en: 'Your batch messages' },
    subtitle: both((lang) => (lang === 'zh' ? `最近 ${SENT_LIST_LENGTH} 条` : `The latest ${SENT_LIST_LENGTH}`)),
    template: 'wathet',
    summary: both((lang) =>
      lang === 'zh' ? `你最近发送的批量消息（${newest.length}）` : `Your latest batch messages (${newest.length})`,
    ),
    elements:
      newest.length === 0
        ? [
            markdown(EMPTY),
            buttonRow([
              button(
                { zh: '写批量消息', en: 'Write a batch message' },
                { a: 'send_form' } satisfies CardAction,
                'primary',
              ),
            ]),
          ]
        : [
            ...newest.map(row),
            markdown(
              both(
                (lang) =>
                  `<font color='grey'>🕒 ${lang === 'zh' ? '查看时间' : 'As of'}: ${readerDateTime(now)}</font>`,
              ),
              { size: 'notation' },
            ),
          ],
  });
}
