/**
 * Cards about a watch already running in the chat: asked for a second time
 * (who started it, when it ends, Stop and Extend), stopped by a command, or
 * not started because everyone has read the message already.
 */
import { both, button, buttonRow, card, markdown, person, type Card, type Text } from './card.js';
import { formatDuration, readerDateTime } from './format.js';
import type { CardAction, Watch } from '../domain/types.js';

function notice(title: Text, lines: Text[], buttons: Array<ReturnType<typeof button>> = []): Card {
  return card({
    title,
    template: 'wathet',
    summary: title,
    elements: [...lines.map((l) => markdown(l)), ...(buttons.length > 0 ? [buttonRow(buttons)] : [])],
  });
}

/** The watch the chat is asking for again: who started it, until when; Stop, and Extend when the new ask is longer. */
export function buildWatchRunningCard(
  watch: Watch,
  asked: { durationMs: number; intervalMs: number },
  now: number,
): Card {
  const stop: CardAction = { a: 'stop_watch', w: watch.id };
  const extend: CardAction = { a: 'extend_watch', w: watch.id, d: asked.durationMs, i: asked.intervalMs };
  const longer = now + asked.durationMs > watch.until;
  return notice(
    { zh: '已在监控', en: 'Already watching' },
    [
      both((lang) =>
        lang === 'zh'
          ? `这个会话已经在监控 **${watch.batchId}**：由 ${person(watch.startedBy)} 发起，每 ${formatDuration(watch.intervalMs, lang)}更新一次，到 ${readerDateTime(watch.until, true)} 结束。`
          : `This chat is already watching **${watch.batchId}**: started by ${person(watch.startedBy)}, updating every ${formatDuration(watch.intervalMs, lang)} until ${readerDateTime(watch.until, true)}.`,
      ),
      ...(longer
        ? [
            both((lang) =>
              lang === 'zh'
                ? `「延长」会从现在起重新监控 ${formatDuration(asked.durationMs, lang)}，每 ${formatDuration(asked.intervalMs, lang)}更新。`
                : `Extend restarts it from now for ${formatDuration(asked.durationMs, lang)}, updating every ${formatDuration(asked.intervalMs, lang)}.`,
            ),
          ]
        : []),
    ],
    [
      button({ zh: '停止监控', en: 'Stop' }, stop, 'danger'),
      ...(longer
        ? [
            button(
              {
                zh: `延长至 ${formatDuration(asked.durationMs, 'zh')}`,
                en: `Extend to ${formatDuration(asked.durationMs, 'en')}`,
              },
              extend,
              'primary',
            ),
          ]
        : []),
    ],
  );
}

/** After Extend: the watch runs on, from now, on its own card. */
export function buildWatchExtendedCard(watch: Watch, by: string): Card {
  return notice({ zh: '监控已延长', en: 'Watch extended' }, [
    both((lang) =>
      lang === 'zh'
        ? `${person(by)} 延长了 **${watch.batchId}** 的监控：每 ${formatDuration(watch.intervalMs, lang)}更新一次，到 ${readerDateTime(watch.until, true)} 结束。上面的监控卡片继续更新。`
        : `${person(by)} extended the watch of **${watch.batchId}**: updating every ${formatDuration(watch.intervalMs, lang)} until ${readerDateTime(watch.until, true)}. Its card above keeps updating.`,
    ),
  ]);
}

export type StopAnswer =
  { kind: 'stopped'; watch: Watch } | { kind: 'not_watched'; batchId: string } | { kind: 'not_allowed'; watch: Watch };

/** The answer to `/reads bm_x stop`. */
export function buildStopAnswerCard(answer: StopAnswer): Card {
  switch (answer.kind) {
    case 'stopped':
      return notice({ zh: '已停止监控', en: 'Watch stopped' }, [
        {
          zh: `已停止监控 **${answer.watch.batchId}**，它的卡片显示最后一次的数字。`,
          en: `Stopped watching **${answer.watch.batchId}**; its card shows the last numbers.`,
        },
      ]);
    case 'not_watched':
      return notice({ zh: '没有在监控', en: 'Not watching' }, [
        {
          zh: `这个会话没有在监控 **${answer.batchId}**，无需停止。`,
          en: `This chat is not watching **${answer.batchId}**, so there is nothing to stop.`,
        },
      ]);
    case 'not_allowed':
      return notice({ zh: '无法停止监控', en: 'Cannot stop the watch' }, [
        both((lang) =>
          lang === 'zh'
            ? `**${answer.watch.batchId}** 的监控由 ${person(answer.watch.startedBy)} 发起；只有发起人或群主、群管理员可以停止。`
            : `The watch of **${answer.watch.batchId}** was started by ${person(answer.watch.startedBy)}; only they or the chat’s owner and managers can stop it.`,
        ),
      ]);
  }
}

/** The message's counts, saying first that no watch was started: there is nothing left to wait for. */
export function withAllReadNotice(readsCard: Card): Card {
  const line = markdown({
    zh: '✅ 所有人都已读，未开始监控。',
    en: '✅ Everyone has read it already; no watch started.',
  });
  return { ...readsCard, body: { elements: [line, ...readsCard.body.elements] } };
}
