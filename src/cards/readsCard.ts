/** The answer to `/reads bm_xxx`: counts, rate, snapshot time; trend, refresh and watch state. */
import {
  both,
  button,
  buttonRow,
  person,
  card,
  columns,
  divider,
  markdown,
  type Card,
  type Element,
  type Template,
} from './card.js';
import { formatCount, formatDuration, formatRate, readerDateTime, rateBar } from './format.js';
import { recallButtons, sentElements, type SentView } from './sentBlock.js';
import { changeLine, rateChart } from './trend.js';
import type { Snapshot, Watch } from '../domain/types.js';
import type { CardAction } from '../domain/types.js';

export interface ReadsView {
  snapshot: Snapshot;
  /** Earlier snapshots of the same batch message, oldest first (the chart). */
  earlier?: Snapshot[];
  /** The snapshot this card showed before, if any: what "since" compares with. */
  since?: Snapshot;
  /** open_id of whoever pressed Refresh. */
  refreshedBy?: string;
  watch?: Watch;
  /** Set when the bot sent the message for someone: the card then tracks that send (Recall, who it went to). */
  sent?: SentView;
  now: number;
}

export const SNAPSHOT_NOTE = {
  zh: "<font color='grey'>数据为查询时刻的快照；仅可查询本应用 30 天内通过批量发送接口发出的消息。</font>",
  en: "<font color='grey'>Numbers are a snapshot taken at query time; only batch messages this app sent in the last 30 days can be queried.</font>",
};

function stat(label: { zh: string; en: string }, value: number, colour: string): Element[] {
  return [
    markdown(label, { size: 'notation', align: 'center' }),
    markdown(`<font color='${colour}'>**${formatCount(value)}**</font>`, { size: 'heading', align: 'center' }),
  ];
}

function watchLine(w: Watch, now: number): Element {
  return markdown(
    both((lang) => {
      const zh = lang === 'zh';
      const until = readerDateTime(w.until, true);
      switch (w.endedReason) {
        case undefined: {
          const every = formatDuration(w.intervalMs, lang);
          const left = formatDuration(Math.max(w.until - now, 0), lang);
          return zh
            ? `👀 监控中：每 ${every}自动更新，直到 ${until}（还剩 ${left}），由 ${person(w.startedBy)} 发起`
            : `👀 Watching: updates every ${every} until ${until} (ends in ${left}), started by ${person(w.startedBy)}`;
        }
        case 'all_read':
          return zh ? '✅ 监控结束：所有人都已读。' : '✅ Watch ended: everyone has read it.';
        case 'time_up':
          return zh ? `⏰ 监控结束：已到时间（${until}）。` : `⏰ Watch ended: time is up (${until}).`;
        case 'stopped':
          return zh ? `⏹ 监控已由 ${person(w.endedBy ?? '')} 停止。` : `⏹ Watch stopped by ${person(w.endedBy ?? '')}.`;
        case 'failed':
          return zh
            ? `⚠️ 监控结束：飞书拒绝了查询（${w.endedBy ?? '?'}）。单独查询该 ID 可看到原因和处理办法。`
            : `⚠️ Watch ended: Feishu refused the query (${w.endedBy ?? '?'}). Query the id on its own to see why and what to do.`;
      }
    }),
  );
}

/** Refresh and Delivery; Recall for a message the bot sent; Stop while a watch runs. */
function readsButtons(view: ReadsView): Element[] {
  const { batchId, takenAt } = view.snapshot;
  const watching = view.watch && view.watch.endedReason === undefined ? view.watch : undefined;
  return [
    button(
      { zh: '刷新', en: 'Refresh' },
      // `at`: the snapshot shown, so the refreshed card can say what changed since.
      { a: 'refresh', ids: [batchId], ...(view.watch ? { w: view.watch.id } : {}), at: takenAt } satisfies CardAction,
      'primary',
    ),
    button({ zh: '送达情况', en: 'Delivery' }, { a: 'delivery', id: batchId } satisfies CardAction),
    ...(view.sent ? recallButtons(view.sent) : []),
    ...(watching
      ? [
          button(
            { zh: '停止监控', en: 'Stop watching' },
            { a: 'stop_watch', w: watching.id } satisfies CardAction,
            'danger',
          ),
        ]
      : []),
  ];
}

export function buildReadsCard(view: ReadsView, timeZone: string): Card {
  const { snapshot, now } = view;
  const { batchId, readCount, totalCount, takenAt } = snapshot;
  const earlier = view.earlier ?? [];
  const unread = Math.max(totalCount - readCount, 0);
  const rate = formatRate(readCount, totalCount);
  const allRead = totalCount > 0 && unread === 0;
  // A recalled message is read no more: its card turns grey.
  const template: Template = view.sent?.recalled ? 'grey' : allRead ? 'green' : readCount === 0 ? 'orange' : 'blue';

  const rateLine =
    totalCount > 0
      ? both((lang) =>
          lang === 'zh'
            ? `**阅读率：${rate}**${allRead ? ' 🎉 全部已读' : ''}\n${rateBar(readCount, totalCount)}`
            : `**Read rate: ${rate}**${allRead ? ' 🎉 All read' : ''}\n${rateBar(readCount, totalCount)}`,
        )
      : {
          zh: '**阅读率：—**\n这条消息没有推送给任何人。',
          en: '**Read rate: —**\nThis message was not pushed to anyone.',
        };

  const timeLine = both((lang) => {
    const by = view.refreshedBy
      ? lang === 'zh'
        ? ` · 由 ${person(view.refreshedBy)} 刷新`
        : ` · refreshed by ${person(view.refreshedBy)}`
      : '';
    return `🕒 ${lang === 'zh' ? '快照时间' : 'Snapshot'}: ${readerDateTime(takenAt)}${by}`;
  });

  return card({
    title: { zh: '批量消息阅读情况', en: 'Batch message reads' },
    subtitle: batchId,
    template,
    summary: both(
      (lang) =>
        `${lang === 'zh' ? '已读' : 'Read'} ${formatCount(readCount)}/${formatCount(totalCount)} (${rate}) · ${batchId}`,
    ),
    elements: [
      columns([
        stat({ zh: '已读', en: 'Read' }, readCount, 'green'),
        stat({ zh: '推送总数', en: 'Total pushed' }, totalCount, 'blue'),
        stat({ zh: '未读', en: 'Unread' }, unread, unread > 0 ? 'orange' : 'grey'),
      ]),
      markdown(rateLine),
      markdown(timeLine),
      ...(view.since ? [changeLine(snapshot, { kind: 'card', snapshot: view.since })] : []),
      ...(earlier.length >= 1 ? rateChart([...earlier, snapshot], now, timeZone) : []),
      ...(view.watch ? [watchLine(view.watch, now)] : []),
      ...(view.sent ? sentElements(view.sent) : []),
      buttonRow(readsButtons(view)),
      divider(),
      markdown(SNAPSHOT_NOTE, { size: 'notation' }),
    ],
  });
}
