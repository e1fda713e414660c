/**
 * A batch message between its preview and its tracking card, or one that
 * never got that far: queued, sending, unconfirmed (Feishu did not say
 * whether it took it), failed, cancelled. Each keeps the message and its
 * recipients in view and says what happens next.
 */
import type { Send } from '../domain/send.js';
import type { CardAction } from '../domain/types.js';
import {
  both,
  button,
  buttonRow,
  card,
  markdown,
  person,
  safeToken,
  type Card,
  type Element,
  type Lang,
  type Template,
} from './card.js';
import { explanationElements } from './errorCard.js';
import { formatDuration, readerDateTime } from './format.js';
import { explainSendError, recipientsShort, sendElements } from './sendParts.js';

interface Status {
  title: { zh: string; en: string };
  template: Template;
  lines: Element[];
  buttons: Element[];
}

/** "11月25日 10:05（5 分钟前）" / "Nov 25 10:05 (5 min ago)". */
function when(at: number, now: number, lang: Lang): string {
  const ago = formatDuration(Math.max(now - at, 0), lang);
  return lang === 'zh' ? `${readerDateTime(at, true)}（${ago}前）` : `${readerDateTime(at, true)} (${ago} ago)`;
}

function queued(send: Send, now: number): Status {
  const at = send.confirmedAt ?? send.createdAt;
  return {
    title: { zh: '已确认，等待发送', en: 'Confirmed, waiting to go out' },
    template: 'wathet',
    lines: [
      markdown(
        both((lang) =>
          lang === 'zh'
            ? `${person(send.senderOpenId)} 已于 ${when(at, now, lang)}确认。飞书一恢复就会发出，这张卡片随后显示阅读情况。`
            : `${person(send.senderOpenId)} confirmed it at ${when(at, now, lang)}. It goes out as soon as Feishu is back; this card then shows who read it.`,
        ),
      ),
    ],
    buttons: [],
  };
}

const SENDING: Status = {
  title: { zh: '正在发送', en: 'Sending' },
  template: 'wathet',
  lines: [
    markdown({
      zh: '正在交给飞书发送；发出后这张卡片会显示阅读情况。',
      en: 'The message is being handed to Feishu; once it is sent, this card shows who read it.',
    }),
  ],
  buttons: [],
};

function unconfirmed(send: Send): Status {
  const tried = send.attemptedAt ?? send.confirmedAt ?? send.createdAt;
  return {
    title: { zh: '不确定是否已发送', en: 'Not known whether it was sent' },
    template: 'orange',
    lines: [
      markdown(
        both((lang) =>
          lang === 'zh'
            ? `${readerDateTime(tried, true)} 交给飞书后，飞书没有答复是否收下了这条消息。为免有人收到两次，机器人不会自动重发。\n请先问一位接收人是否收到；没有收到再点「重新发送」。`
            : `Feishu did not answer whether it took this message, handed to it at ${readerDateTime(tried, true)}. So that nobody gets it twice, the bot does not send it again by itself.\nAsk one of its recipients whether it arrived; if it did not, press Send again.`,
        ),
      ),
    ],
    buttons: [button({ zh: '重新发送', en: 'Send again' }, { a: 'send_again', s: send.id } satisfies CardAction)],
  };
}

const WAITED_TOO_LONG = {
  zh: '飞书长时间不可用，这条消息等待太久，没有发出。',
  en: 'Feishu was unavailable for too long, so the message waited too long and was not sent.',
};

function failed(send: Send): Status {
  const logId = send.error?.logId;
  return {
    title: { zh: '没有发出', en: 'Not sent' },
    template: 'red',
    lines: [
      ...(send.error ? explanationElements(explainSendError(send.error)) : [markdown(WAITED_TOO_LONG)]),
      ...(logId
        ? [
            markdown(
              both(() => `<font color='grey'>log_id: ${safeToken(logId)}</font>`),
              { size: 'notation' },
            ),
          ]
        : []),
    ],
    buttons: [
      button({ zh: '修改', en: 'Edit' }, { a: 'send_edit', s: send.id } satisfies CardAction),
      button({ zh: '重新发送', en: 'Send again' }, { a: 'send_again', s: send.id } satisfies CardAction),
    ],
  };
}

const CANCELLED: Status = {
  title: { zh: '已取消', en: 'Cancelled' },
  template: 'grey',
  lines: [markdown({ zh: '已取消，什么也没有发出。', en: 'Cancelled: nothing was sent.' })],
  buttons: [],
};

function statusOf(send: Send, now: number): Status {
  switch (send.state) {
    case 'queued':
      return queued(send, now);
    case 'sending':
      return SENDING;
    case 'unconfirmed':
      return unconfirmed(send);
    case 'failed':
      return failed(send);
    case 'cancelled':
      return CANCELLED;
    default:
      // A draft is shown by its preview, a sent message by its tracking card: asking for this card is a bug.
      throw new RangeError(`a ${send.state} send has no status card`);
  }
}

export function buildSendStatusCard(send: Send, now: number): Card {
  const status = statusOf(send, now);
  return card({
    title: status.title,
    template: status.template,
    summary: both((lang) => `${status.title[lang]} · ${recipientsShort(send.recipients, lang)}`),
    elements: [
      ...status.lines,
      ...sendElements(send),
      ...(status.buttons.length > 0 ? [buttonRow(status.buttons)] : []),
    ],
  });
}
