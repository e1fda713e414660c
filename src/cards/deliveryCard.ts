/**
 * The answer to `/reads bm_xxx delivery` and the Delivery button: the
 * delivery funnel from get_progress — valid recipients → delivered → read,
 * with rates — and whether the message was recalled.
 */
import {
  both,
  button,
  buttonRow,
  card,
  divider,
  markdown,
  person,
  type Card,
  type Lang,
  type Template,
} from './card.js';
import { formatChange, formatCount, formatRate, readerDateTime, rateBar } from './format.js';
import { SNAPSHOT_NOTE } from './readsCard.js';
import type { CardAction, Progress } from '../domain/types.js';

export interface DeliveryView {
  progress: Progress;
  /** The funnel recorded before this one. */
  previous?: Progress;
  /** open_id of whoever pressed the button. */
  refreshedBy?: string;
}

const WORDS = {
  valid: { zh: '有效接收人', en: 'Valid recipients' },
  delivered: { zh: '已送达', en: 'Delivered' },
  read: { zh: '已读', en: 'Read' },
};

function funnel(p: Progress, lang: Lang): string {
  const zh = lang === 'zh';
  const colon = zh ? '：' : ': ';
  const of = (part: number, whole: number, wholeName: { zh: string; en: string }) =>
    whole <= 0
      ? ''
      : zh
        ? `（${wholeName.zh}的 ${formatRate(part, whole)}）`
        : ` (${formatRate(part, whole)} of ${wholeName.en.toLowerCase()})`;
  return [
    `**${WORDS.valid[lang]}**${colon}${formatCount(p.validCount)}`,
    `**${WORDS.delivered[lang]}**${colon}${formatCount(p.deliveredCount)}${of(p.deliveredCount, p.validCount, WORDS.valid)}`,
    rateBar(p.deliveredCount, p.validCount),
    `**${WORDS.read[lang]}**${colon}${formatCount(p.readCount)}${of(p.readCount, p.deliveredCount, WORDS.delivered)}`,
    rateBar(p.readCount, p.deliveredCount),
  ].join('\n');
}

function recallLine(p: Progress, lang: Lang): string {
  if (lang === 'zh') return p.recalled ? `↩️ **已撤回 ${formatCount(p.recallCount)} 条**` : '未撤回';
  return p.recalled ? `↩️ **Recalled: ${formatCount(p.recallCount)} messages**` : 'Not recalled';
}

/** Its times are `<local_datetime>`: each reader's own zone. */
export function buildDeliveryCard(view: DeliveryView): Card {
  const { progress: p, previous } = view;
  const template: Template = p.recalled
    ? 'grey'
    : p.validCount > 0 && p.readCount >= p.deliveredCount
      ? 'green'
      : 'blue';
  const since = previous
    ? both((lang) => {
        const at = readerDateTime(previous.takenAt, true);
        const read = formatChange(p.readCount - previous.readCount);
        const delivered = formatChange(p.deliveredCount - previous.deliveredCount);
        return lang === 'zh'
          ? `自 ${at} 以来：已送达 **${delivered}**，已读 **${read}**`
          : `Since ${at}: delivered **${delivered}**, read **${read}**`;
      })
    : undefined;
  const buttons = [
    button({ zh: '刷新', en: 'Refresh' }, { a: 'delivery', id: p.batchId } satisfies CardAction, 'primary'),
    button({ zh: '阅读情况', en: 'Read counts' }, { a: 'refresh', ids: [p.batchId] } satisfies CardAction),
  ];
  return card({
    title: { zh: '批量消息送达情况', en: 'Batch message delivery' },
    subtitle: p.batchId,
    template,
    summary: both(
      (lang) =>
        `${WORDS.delivered[lang]} ${formatCount(p.deliveredCount)}/${formatCount(p.validCount)} · ${WORDS.read[lang]} ${formatCount(p.readCount)} · ${p.batchId}`,
    ),
    elements: [
      markdown(both((lang) => funnel(p, lang))),
      ...(p.validCount === 0
        ? [
            markdown({
              zh: '还没有有效接收人：批量发送是异步的，可能还没开始，稍后再刷新；或者发送时没有一个有效的接收人。',
              en: 'No valid recipients yet: batch sending is asynchronous and may not have started, so refresh in a while; or none of the recipients was valid.',
            }),
          ]
        : []),
      markdown(both((lang) => recallLine(p, lang))),
      ...(since ? [markdown(since)] : []),
      markdown(
        both((lang) => {
          const by = view.refreshedBy
            ? lang === 'zh'
              ? ` · 由 ${person(view.refreshedBy)} 刷新`
              : ` · refreshed by ${person(view.refreshedBy)}`
            : '';
          return `🕒 ${lang === 'zh' ? '快照时间' : 'Snapshot'}: ${readerDateTime(p.takenAt)}${by}`;
        }),
      ),
      buttonRow(buttons),
      divider(),
      markdown(
        {
          zh: "<font color='grey'>「有效接收人」包含机器人看不到的人（不在应用通讯录权限范围内），所以已送达可能一直少于它。</font>",
          en: "<font color='grey'>\"Valid recipients\" include people the bot cannot see (outside the app's contact range), so delivered may stay below it.</font>",
        },
        { size: 'notation' },
      ),
      markdown(SNAPSHOT_NOTE, { size: 'notation' }),
    ],
  });
}
