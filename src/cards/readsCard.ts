/** The answer to `/reads bm_xxx` when Feishu answered: counts, rate, snapshot time. */
import type { ReadCounts } from '../feishu/openApi.js';
import { card, columns, divider, markdown, type Card, type Template } from './card.js';
import { formatCount, formatRate, formatTime, rateBar } from './format.js';

export interface ReadsSnapshot extends ReadCounts {
  batchId: string;
  takenAt: number;
}

function stat(label: string, value: number, colour: string): ReturnType<typeof markdown>[] {
  return [
    markdown(label, { size: 'notation', align: 'center' }),
    markdown(`<font color='${colour}'>**${formatCount(value)}**</font>`, { size: 'heading', align: 'center' }),
  ];
}

export function buildReadsCard(snapshot: ReadsSnapshot, timeZone: string): Card {
  const { batchId, readCount, totalCount, takenAt } = snapshot;
  const unread = Math.max(totalCount - readCount, 0);
  const rate = formatRate(readCount, totalCount);
  const allRead = totalCount > 0 && unread === 0;
  const template: Template = allRead ? 'green' : readCount === 0 ? 'orange' : 'blue';

  const rateLine =
    totalCount > 0
      ? `**阅读率 Read rate：${rate}**${allRead ? '　🎉 全部已读 All read' : ''}\n${rateBar(readCount, totalCount)}`
      : '**阅读率 Read rate：—**\n这条消息没有推送给任何人。 This message was not pushed to anyone.';

  return card({
    title: '批量消息阅读情况 · Batch message reads',
    subtitle: batchId,
    template,
    summary: `已读 Read ${formatCount(readCount)}/${formatCount(totalCount)} (${rate}) · ${batchId}`,
    elements: [
      columns([
        stat('已读 Read', readCount, 'green'),
        stat('推送总数 Total pushed', totalCount, 'blue'),
        stat('未读 Unread', unread, unread > 0 ? 'orange' : 'grey'),
      ]),
      markdown(rateLine),
      markdown(`🕒 快照时间 Snapshot：${formatTime(takenAt, timeZone)}`),
      divider(),
      markdown(
        "<font color='grey'>数据为查询时刻的快照；仅可查询本应用 30 天内通过批量发送接口发出的消息。\n" +
          'Numbers are a snapshot taken at query time; only batch messages this app sent in the last 30 days can be queried.</font>',
        { size: 'notation' },
      ),
    ],
  });
}
