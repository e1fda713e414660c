/**
 * `/reads bm_x watch [2h] [every 5m]`: a card that keeps itself up to date.
 * The watch's place is taken first (the caps are checked in the same step),
 * then the card is sent, and the watch starts updating that message.
 */
import { buildErrorCard } from '../../cards/errorCard.js';
import { buildWatchRefusedCard } from '../../cards/helpCard.js';
import { buildReadsCard } from '../../cards/readsCard.js';
import { buildWatchRunningCard, withAllReadNotice } from '../../cards/watchCards.js';
import type { CommandHandler } from '../../dispatch/handlerContext.js';
import { watchIdFor } from '../../domain/ids.js';
import type { Watch } from '../../domain/types.js';
import type { Taken } from '../../feishu/snapshots.js';
import { failureToShow } from '../reads/readsAnswer.js';

export const watch: CommandHandler<'watch'> = async ({ batchId, durationMs, intervalMs }, ctx) => {
  const now = ctx.now();
  const w: Watch = {
    id: watchIdFor(ctx.entry.messageId),
    batchId,
    chatId: ctx.entry.chatId,
    cardMessageId: '',
    startedBy: ctx.entry.senderOpenId ?? '',
    startedAt: now,
    until: now + durationMs,
    intervalMs,
    nextAt: now + intervalMs,
  };
  const refusal = await ctx.watches.reserve(w);
  if (refusal) {
    const running = refusal === 'already_watched' ? await ctx.watches.activeIn(w.chatId, batchId) : undefined;
    await ctx.reply(
      running ? buildWatchRunningCard(running, { durationMs, intervalMs }, now) : buildWatchRefusedCard(refusal),
    );
    return;
  }
  let taken: Taken;
  try {
    taken = await ctx.snapshot(batchId);
  } catch (e) {
    await ctx.watches.cancel(w.id);
    await ctx.reply(buildErrorCard(batchId, failureToShow(e, ctx.log)));
    return;
  }
  const { snapshot, earlier } = taken;
  if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount) {
    // Nothing to wait for: say so instead of watching.
    await ctx.watches.cancel(w.id);
    await ctx.reply(withAllReadNotice(buildReadsCard({ snapshot, earlier, now: ctx.now() }, ctx.timeZone)));
    return;
  }
  // Feishu unavailable: the command waits, keeping the place. Refused for good: the pipeline gives it back.
  const cardMessageId = await ctx.reply(buildReadsCard({ snapshot, earlier, now: ctx.now(), watch: w }, ctx.timeZone));
  await ctx.watches.attach(w.id, cardMessageId);
  ctx.log.info({ watch_id: w.id, until: w.until }, 'watch started');
};
