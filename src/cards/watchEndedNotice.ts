/**
 * The one message that mentions someone: when a watch ends on its own
 * (everyone has read, or Feishu refused for good), a short reply to the
 * watch card tells whoever started it. An `<at>` in the updated card itself
 * may not notify them (rich-text.md, @指定人); this reply does, once.
 */
import { both, card, markdown, safeToken, type Card } from './card.js';
import type { Watch } from '../domain/types.js';

export type SelfEnded = Watch & { endedReason: 'all_read' | 'failed' };

/** Whether the watch ended without anyone ending it, so its starter is told. */
export function endedOnItsOwn(watch: Watch): watch is SelfEnded {
  return watch.endedReason === 'all_read' || watch.endedReason === 'failed';
}

export function buildWatchEndedNotice(watch: SelfEnded): Card {
  const at = `<at id=${safeToken(watch.startedBy)}></at>`;
  const why =
    watch.endedReason === 'all_read'
      ? { zh: '所有人都已读', en: 'everyone has read it' }
      : { zh: '飞书拒绝了查询，详情见上面的卡片', en: 'Feishu refused the query; the card above says more' };
  const text = both((lang) =>
    lang === 'zh'
      ? `${at} 你发起的 ${watch.batchId} 监控已结束：${why.zh}。`
      : `${at} Your watch of ${watch.batchId} has ended: ${why.en}.`,
  );
  return card({
    title: { zh: '监控已结束', en: 'Watch ended' },
    subtitle: watch.batchId,
    template: watch.endedReason === 'all_read' ? 'green' : 'orange',
    summary: both((lang) => (lang === 'zh' ? `监控已结束 · ${watch.batchId}` : `Watch ended · ${watch.batchId}`)),
    elements: [markdown(text)],
  });
}
