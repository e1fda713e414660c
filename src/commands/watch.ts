/**
 * `/reads bm_x watch [2h] [every 5m]`: a card that keeps itself up to date.
 * The watch starts once the card exists, since it updates that message.
 */
import { buildErrorCard } from '../cards/errorCard.js';
import { buildWatchRefusedCard } from '../cards/helpCard.js';
import { buildReadsCard } from '../cards/readsCard.js';
import type { CommandHandler } from '../dispatch/context.js';
import { newWatchId } from '../domain/ids.js';
import type { Taken } from '../snapshots/snapshots.js';
import { failureToShow } from './readsAnswer.js';

export const watch: CommandHandler<'watch'> = async ({ batchId, durationMs, intervalMs }, ctx) => {
  const refusal = await ctx.watches.refusal(ctx.entry.chatId, batchId);
  if (refusal) {
    await ctx.reply(buildWatchRefusedCard(refusal));
    return;
  }
  let taken: Taken;
  try {
    taken = await ctx.snapshot(batchId);
  } catch (e) {
    await ctx.reply(buildErrorCard(batchId, failureToShow(e)));
    return;
  }
  const now = ctx.now();
  const { snapshot, earlier } = taken;
  const startedBy = ctx.entry.senderOpenId ?? '';
  const w = {
    id: newWatchId(),
    batchId,
    chatId: ctx.entry.chatId,
    cardMessageId: '',
    startedBy,
    startedAt: now,
    until: now + durationMs,
    intervalMs,
    nextAt: now + intervalMs,
  };
  if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount) {
    // Nothing to wait for: say so instead of watching.
    const ended = { ...w, endedReason: 'all_read' as const, endedAt: now };
    await ctx.reply(buildReadsCard({ snapshot, earlier, now, watch: ended }, ctx.timeZone));
    return;
  }
  const cardMessageId = await ctx.reply(buildReadsCard({ snapshot, earlier, now, watch: w }, ctx.timeZone));
  await ctx.watches.add({ ...w, cardMessageId });
  ctx.log.info({ watch_id: w.id, until: w.until }, 'watch started');
};
