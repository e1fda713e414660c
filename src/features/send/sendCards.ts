/**
 * The card that shows a send as it stands: its preview while a draft, its
 * state while on its way or when it failed, and once Feishu took it its
 * tracking card: the read counts of the new batch id, with who sent it, to
 * whom, what Feishu refused, and Recall. Any reads card of a message the bot
 * sent says so (sentView), whoever asks.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { buildReadsCard } from '../../cards/readsCard.js';
import type { RecallProgress, SentView } from '../../cards/sentBlock.js';
import { buildSendPreviewCard } from '../../cards/sendPreviewCard.js';
import { buildSendStatusCard } from '../../cards/sendStatusCard.js';
import type { WatchControl } from '../../dispatch/handlerContext.js';
import type { Clock } from '../../domain/clock.js';
import { watchIdFor } from '../../domain/ids.js';
import type { Send } from '../../domain/send.js';
import type { Snapshot } from '../../domain/types.js';
import type { Deliveries } from '../../feishu/deliveries.js';
import type { Snapshots } from '../../feishu/snapshots.js';
import type { SendBook } from '../../state/sharedState.js';

/** Right after a send Feishu may not know the batch id yet: its counts show as none rather than an error this long. */
const NEW_BATCH_MS = 10 * 60_000;

function sentViewOf(send: Send, recall?: RecallProgress): SentView {
  return {
    sendId: send.id,
    by: send.senderOpenId,
    at: send.sentAt ?? send.createdAt,
    recipients: send.recipients,
    refused: send.refused,
    recalled:
      send.recalledAt === undefined
        ? undefined
        : { at: send.recalledAt, by: send.recalledBy ?? '', ...(recall ? { progress: recall } : {}) },
  };
}

export interface SendCardsDeps {
  sends: SendBook;
  snapshots: Snapshots;
  deliveries: Deliveries;
  watches: WatchControl;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export class SendCards {
  constructor(private readonly deps: SendCardsDeps) {}

  /** What a reads card of `batchId` adds when the bot sent it. */
  async sentView(batchId: string): Promise<SentView | undefined> {
    const send = await this.deps.sends.byBatchId(batchId);
    return send && this.viewOf(send, batchId, this.deps.logger);
  }

  async cardOf(send: Send, log: Logger, refreshedBy?: string): Promise<Card> {
    const now = this.deps.clock.now();
    switch (send.state) {
      case 'draft':
        return buildSendPreviewCard(send, now);
      case 'sent':
      case 'recalling':
      case 'recalled':
        return send.batchId ? this.trackingCard(send, send.batchId, log, refreshedBy) : buildSendStatusCard(send, now);
      default:
        return buildSendStatusCard(send, now);
    }
  }

  private async trackingCard(send: Send, batchId: string, log: Logger, refreshedBy?: string): Promise<Card> {
    const { snapshots, watches, clock } = this.deps;
    const taken = await snapshots.take(batchId, { askedBy: refreshedBy, fresh: true, log }).catch((e: unknown) => {
      if (clock.now() - (send.sentAt ?? 0) < NEW_BATCH_MS) return undefined; // still being sent: no counts yet
      throw e;
    });
    const { snapshot, earlier } = taken ?? { snapshot: noCounts(batchId, clock.now()), earlier: [] };
    const watch = send.cardMessageId ? await watches.get(watchIdFor(send.cardMessageId)) : undefined;
    const sent = await this.viewOf(send, batchId, log, refreshedBy);
    return buildReadsCard({ snapshot, earlier, now: clock.now(), watch, refreshedBy, sent }, this.deps.timeZone);
  }

  /** The send as its reads card shows it; a recalled one with how far Feishu got (get_progress). */
  private async viewOf(send: Send, batchId: string, log: Logger, askedBy?: string): Promise<SentView> {
    return sentViewOf(
      send,
      send.recalledAt === undefined ? undefined : await this.recallProgress(batchId, log, askedBy),
    );
  }

  /** How far Feishu got with a recall (get_progress); none when it cannot say now. */
  private async recallProgress(batchId: string, log: Logger, askedBy?: string): Promise<RecallProgress | undefined> {
    try {
      const { progress } = await this.deps.deliveries.take(batchId, { askedBy, fresh: true, log });
      return { recalled: progress.recalled, count: progress.recallCount };
    } catch (e) {
      log.info({ err: e, batch_id: batchId }, 'no recall progress for the card');
      return undefined;
    }
  }
}

function noCounts(batchId: string, takenAt: number): Snapshot {
  return { batchId, readCount: 0, totalCount: 0, takenAt };
}
