/**
 * One small handler per command; each returns the card to reply with, and —
 * for a watch — what to do once the reply exists (the watch updates it).
 */
import { randomUUID } from 'node:crypto';
import type { Card } from '../cards/card.js';
import { buildErrorCard } from '../cards/errorCard.js';
import {
  buildHelpCard,
  buildInvalidIdCard,
  buildInvalidWatchCard,
  buildTooLongCard,
  buildTooManyIdsCard,
  buildWatchRefusedCard,
} from '../cards/helpCard.js';
import { buildHistoryCard } from '../cards/historyCard.js';
import { buildMultiReadsCard } from '../cards/multiReadsCard.js';
import { buildReadsCard } from '../cards/readsCard.js';
import { toBotError } from '../feishu/toBotError.js';
import type { HistoryLog } from '../shared/sharedState.js';
import type { Command } from './parse.js';
import { isPostponed } from '../domain/errors.js';
import type { Watch, WatchRefusal } from '../domain/types.js';
import type { Taken } from '../snapshots/snapshots.js';

export interface CommandContext {
  /** A snapshot of a batch message (throttled, retried, coalesced, recorded). */
  take(batchId: string): Promise<Taken>;
  history: HistoryLog;
  now(): number;
  timeZone: string;
  /** open_id of who asked. */
  askedBy?: string;
  chatId: string;
  /** Why a watch of this id may not start here, if it may not (caps, already watched). */
  watchRefusal?: (batchId: string) => Promise<WatchRefusal | undefined>;
}

export interface Answer {
  card: Card;
  /** A watch to start once the card has been sent (it needs the card's message id). */
  watch?: Omit<Watch, 'cardMessageId'>;
}

function rethrowIfPostponed(e: unknown) {
  const error = toBotError(e);
  if (isPostponed(error)) throw error; // shutting down, or shared state unreachable: answered later instead
  return error;
}

export interface ReadsExtras {
  /** open_id of whoever pressed Refresh. */
  refreshedBy?: string;
  /** The watch the card belongs to, read after the snapshot is taken. */
  watch?: () => Promise<Watch | undefined>;
}

/**
 * The card answering a query for these ids — one id: counts and trend;
 * several: a row each — for a command and for a Refresh press alike.
 */
export async function buildReadsAnswer(
  batchIds: string[],
  ctx: Pick<CommandContext, 'take' | 'now' | 'timeZone'>,
  extras: ReadsExtras = {},
): Promise<Card> {
  const [only, ...more] = batchIds;
  if (only !== undefined && more.length === 0) {
    try {
      const { snapshot, earlier } = await ctx.take(only);
      return buildReadsCard(
        { snapshot, earlier, now: ctx.now(), watch: await extras.watch?.(), refreshedBy: extras.refreshedBy },
        ctx.timeZone,
      );
    } catch (e) {
      return buildErrorCard(only, rethrowIfPostponed(e));
    }
  }
  const rows = await Promise.all(
    batchIds.map(async (batchId) => {
      try {
        const { snapshot } = await ctx.take(batchId);
        return { batchId, result: snapshot };
      } catch (e) {
        return { batchId, result: rethrowIfPostponed(e) };
      }
    }),
  );
  return buildMultiReadsCard(rows, ctx.now(), ctx.timeZone, extras.refreshedBy);
}

async function history(batchId: string, ctx: CommandContext): Promise<Answer> {
  try {
    await ctx.take(batchId);
  } catch (e) {
    return { card: buildErrorCard(batchId, rethrowIfPostponed(e)) };
  }
  return { card: buildHistoryCard(batchId, await ctx.history.series(batchId, ctx.now()), ctx.now(), ctx.timeZone) };
}

async function watch(batchId: string, durationMs: number, intervalMs: number, ctx: CommandContext): Promise<Answer> {
  const refusal = await ctx.watchRefusal?.(batchId);
  if (refusal) return { card: buildWatchRefusedCard(refusal) };
  let taken;
  try {
    taken = await ctx.take(batchId);
  } catch (e) {
    return { card: buildErrorCard(batchId, rethrowIfPostponed(e)) };
  }
  const now = ctx.now();
  const { snapshot, earlier } = taken;
  const startedBy = ctx.askedBy ?? '';
  const w = {
    id: `w_${randomUUID().replace(/-/g, '')}`,
    batchId,
    chatId: ctx.chatId,
    startedBy,
    startedAt: now,
    until: now + durationMs,
    intervalMs,
    nextAt: now + intervalMs,
  };
  if (snapshot.totalCount > 0 && snapshot.readCount >= snapshot.totalCount) {
    // Nothing to wait for: say so instead of watching.
    const ended = { ...w, cardMessageId: '', endedReason: 'all_read' as const, endedAt: now };
    return { card: buildReadsCard({ snapshot, earlier, now, watch: ended }, ctx.timeZone) };
  }
  return {
    card: buildReadsCard({ snapshot, earlier, now, watch: { ...w, cardMessageId: '' } }, ctx.timeZone),
    watch: w,
  };
}

export async function answerCommand(command: Command, ctx: CommandContext): Promise<Answer> {
  switch (command.kind) {
    case 'help':
      return { card: buildHelpCard(command.reason) };
    case 'invalid_id':
      return { card: buildInvalidIdCard(command.given) };
    case 'too_many_ids':
      return { card: buildTooManyIdsCard(command.count) };
    case 'too_long':
      return { card: buildTooLongCard(command.length) };
    case 'invalid_watch':
      return { card: buildInvalidWatchCard(command.problem, command.given) };
    case 'history':
      return history(command.batchId, ctx);
    case 'watch':
      return watch(command.batchId, command.durationMs, command.intervalMs, ctx);
    case 'reads':
      return { card: await buildReadsAnswer(command.batchIds, ctx) };
  }
}
