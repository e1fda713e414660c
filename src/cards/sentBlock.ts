/**
 * The part of a reads card that tracks a batch message the bot sent for
 * someone: who sent it and when, to whom, whom Feishu refused, and whether
 * it was recalled. Its Recall button sits with the card's others.
 */
import { recipientCount, type Recipients } from '../domain/send.js';
import type { CardAction } from '../domain/types.js';
import { both, button, divider, markdown, person, type Element, type Lang } from './card.js';
import { readerDateTime } from './format.js';
import { recipientLines } from './sendParts.js';
import { REFUSED_RECIPIENTS } from '../feishu/errorCatalogue.js';

export interface SentView {
  /** The send's id (Send.id): what Recall names. */
  sendId: string;
  /** open_id of who sent it. */
  by: string;
  at: number;
  recipients: Recipients;
  /** The ids Feishu refused; it sent to the rest. */
  refused?: Recipients;
  recalled?: { at: number; by: string; progress?: RecallProgress };
}

/** What get_progress says of a recall, which Feishu carries out after answering it. */
export interface RecallProgress {
  recalled: boolean;
  /** Messages taken back so far. */
  count: number;
}

function recallLine(recalled: NonNullable<SentView['recalled']>, lang: Lang): string {
  const { by, at, progress } = recalled;
  const done =
    lang === 'zh'
      ? `↩️ 已由 ${person(by)} 于 ${readerDateTime(at, true)} 撤回。`
      : `↩️ Recalled by ${person(by)} at ${readerDateTime(at, true)}.`;
  if (!progress) return done;
  if (!progress.recalled)
    return lang === 'zh'
      ? `${done}飞书仍在撤回中，稍后刷新查看。`
      : `${done} Feishu is still recalling it; refresh later.`;
  return lang === 'zh'
    ? `${done}飞书已从 ${progress.count} 人的会话中撤回。`
    : `${done} Feishu has taken it back from ${progress.count} ${progress.count === 1 ? 'person' : 'people'}.`;
}

export function sentElements(sent: SentView): Element[] {
  const { refused, recalled } = sent;
  return [
    divider(),
    markdown(
      both((lang) =>
        lang === 'zh'
          ? `📨 由 ${person(sent.by)} 于 ${readerDateTime(sent.at, true)} 通过机器人发出\n**接收人**\n${recipientLines(sent.recipients, lang)}`
          : `📨 Sent through the bot by ${person(sent.by)} at ${readerDateTime(sent.at, true)}\n**To**\n${recipientLines(sent.recipients, lang)}`,
      ),
    ),
    ...(refused && recipientCount(refused) > 0
      ? [
          markdown(
            both((lang) => {
              const { title, meaning, action } = REFUSED_RECIPIENTS;
              return `⚠️ **${title[lang]}**${lang === 'zh' ? '：' : ': '}${meaning[lang]}\n${recipientLines(refused, lang, false)}\n${action[lang]}`;
            }),
          ),
        ]
      : []),
    ...(recalled ? [markdown(both((lang) => recallLine(recalled, lang)))] : []),
  ];
}

/** Recall, while the message is not recalled. */
export function recallButtons(sent: SentView): Element[] {
  return sent.recalled
    ? []
    : [button({ zh: '撤回', en: 'Recall' }, { a: 'recall', s: sent.sendId } satisfies CardAction, 'danger')];
}
