/**
 * The card answering a query for some ids — one id: counts and trend;
 * several: a row each — for the `reads` command and a Refresh press alike.
 * A failed query becomes an error card; only work that has to wait (shutting
 * down, shared state unreachable) is thrown on, so it is answered later.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { buildErrorCard } from '../../cards/errorCard.js';
import { buildMultiReadsCard } from '../../cards/multiReadsCard.js';
import { buildReadsCard } from '../../cards/readsCard.js';
import type { SentView } from '../../cards/sentBlock.js';
import { asBotError, isPostponed, type BotError } from '../../domain/errors.js';
import type { Watch } from '../../domain/types.js';
import type { Taken } from '../../feishu/snapshots.js';

export interface ReadsSource {
  snapshot(batchId: string): Promise<Taken>;
  /** What the card adds when the bot sent the message (who, to whom, Recall). */
  sentView?(batchId: string): Promise<SentView | undefined>;
  now(): number;
  timeZone: string;
  log: Logger;
}

export interface ReadsExtras {
  /** open_id of whoever pressed Refresh. */
  refreshedBy?: string;
  /** The watch the card belongs to, read after the snapshot is taken. */
  watch?: () => Promise<Watch | undefined>;
  /** When the snapshot the pressed card showed was taken: the refreshed card says what changed since. */
  since?: number;
}

/** The card, and how many of its ids failed (a Retry that fails again says so). */
export interface ReadsAnswer {
  card: Card;
  failed: number;
}

/** The error to show on a card; postponed work is thrown on instead, and a bug is logged with its stack. */
export function failureToShow(e: unknown, log: Logger): BotError {
  const error = asBotError(e);
  if (isPostponed(error)) throw error;
  if (error.code === 'internal') log.error({ err: e }, 'unexpected error; the card says something went wrong');
  return error;
}

export async function buildReadsAnswer(
  batchIds: string[],
  source: ReadsSource,
  extras: ReadsExtras = {},
): Promise<Card> {
  return (await answerReads(batchIds, source, extras)).card;
}

export async function answerReads(
  batchIds: string[],
  source: ReadsSource,
  extras: ReadsExtras = {},
): Promise<ReadsAnswer> {
  const [only, ...more] = batchIds;
  if (only !== undefined && more.length === 0) {
    try {
      const { snapshot, earlier } = await source.snapshot(only);
      const view = {
        snapshot,
        earlier,
        since: earlier.find((s) => s.takenAt === extras.since),
        now: source.now(),
        watch: await extras.watch?.(),
        refreshedBy: extras.refreshedBy,
        sent: await source.sentView?.(only),
      };
      return { card: buildReadsCard(view, source.timeZone), failed: 0 };
    } catch (e) {
      return { card: buildErrorCard(only, failureToShow(e, source.log), source.now()), failed: 1 };
    }
  }
  const rows = await Promise.all(
    batchIds.map(async (batchId) => {
      try {
        return { batchId, result: (await source.snapshot(batchId)).snapshot };
      } catch (e) {
        return { batchId, result: failureToShow(e, source.log) };
      }
    }),
  );
  return {
    card: buildMultiReadsCard(rows, source.now(), extras.refreshedBy),
    failed: rows.filter((r) => !('readCount' in r.result)).length,
  };
}
