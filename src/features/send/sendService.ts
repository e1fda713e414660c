/**
 * Batch messages written through the bot, from draft to recall. Every change
 * of a send's state is one compare-and-set in the shared state, so a second
 * press, a redelivered callback or another replica finds the send moved and
 * changes nothing: a confirmed draft is sent once. Only its writer may
 * confirm, edit, cancel or send it again, and confirm or send it again only
 * while still in SENDERS; its writer and the owner and
 * managers of the chat it was written in may recall it. Every send and recall
 * is logged: who, when, to whom, the batch id.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import type { SendControl, SendOutcome } from '../../dispatch/handlerContext.js';
import type { Clock } from '../../domain/clock.js';
import { asBotError } from '../../domain/errors.js';
import {
  draftExpiresAt,
  maySend,
  NEVER_SENT,
  SENT_LIST_LENGTH,
  type Send,
  type SendPermission,
  type SendState,
} from '../../domain/send.js';
import type { Outbound } from '../../feishu/outbound.js';
import type { SendBook } from '../../state/sharedState.js';
import type { ConfirmedSends } from './confirmedSends.js';
import type { SendCards } from './sendCards.js';

export interface SendServiceDeps {
  sends: SendBook;
  /** SENDERS: open ids and user ids. */
  senders: ReadonlySet<string>;
  outbound: Outbound;
  confirmed: ConfirmedSends;
  cards: SendCards;
  isChatAdmin(chatId: string, openId: string): Promise<boolean>;
  clock: Clock;
}

export class SendService implements SendControl {
  constructor(private readonly deps: SendServiceDeps) {}

  permission(who: { openId?: string; userId?: string }): SendPermission {
    if (this.deps.senders.size === 0) return 'nobody';
    return maySend(this.deps.senders, who) ? 'allowed' : 'not_listed';
  }

  async draft(send: Send): Promise<Send> {
    if (await this.deps.sends.create(send)) return send;
    return (await this.deps.sends.get(send.id)) ?? send;
  }

  get(id: string): Promise<Send | undefined> {
    return this.deps.sends.get(id);
  }

  async showOn(id: string, cardMessageId: string): Promise<void> {
    await this.deps.sends.advance(id, ['draft'], { state: 'draft', cardMessageId });
  }

  rewrite(id: string, operator: string, draft: Pick<Send, 'text' | 'recipients' | 'unusable'>): Promise<SendOutcome> {
    return this.byWriter(id, operator, ['draft'], { state: 'draft', ...draft, previewedAt: this.deps.clock.now() });
  }

  async confirm(id: string, operator: string, log: Logger): Promise<SendOutcome> {
    const send = await this.written(id, operator, true);
    if ('kind' in send) return send;
    const now = this.deps.clock.now();
    if (send.state === 'draft' && now >= draftExpiresAt(send)) {
      const renewed = await this.deps.sends.advance(id, ['draft'], { state: 'draft', previewedAt: now });
      return renewed ? { kind: 'expired', send: renewed } : this.moved(id);
    }
    const queued = await this.deps.sends.advance(id, ['draft'], { state: 'queued', confirmedAt: now });
    if (!queued) return this.moved(id);
    this.sendConfirmed(queued, log, 'batch message confirmed');
    return { kind: 'done', send: queued };
  }

  async again(id: string, operator: string, log: Logger): Promise<SendOutcome> {
    const outcome = await this.byWriter(id, operator, ['unconfirmed', 'failed'], {
      state: 'queued',
      confirmedAt: this.deps.clock.now(),
    });
    if (outcome.kind === 'done') this.sendConfirmed(outcome.send, log, 'batch message to be sent again');
    return outcome;
  }

  cancel(id: string, operator: string): Promise<SendOutcome> {
    return this.byWriter(id, operator, ['draft'], { state: 'cancelled' });
  }

  async mayRecall(send: Send, operator: string): Promise<boolean> {
    return operator === send.senderOpenId || this.deps.isChatAdmin(send.chatId, operator).catch(() => false);
  }

  async recall(id: string, operator: string, log: Logger): Promise<SendOutcome> {
    const send = await this.deps.sends.get(id);
    if (!send) return { kind: 'unknown' };
    if (!(await this.mayRecall(send, operator))) return { kind: 'not_allowed', send };
    const recalling = await this.deps.sends.advance(id, ['sent'], { state: 'recalling' });
    if (!recalling?.batchId) return this.moved(id);
    const audit = { send_id: id, batch_id: recalling.batchId, by: operator, recipients: recalling.recipients };
    try {
      await this.deps.outbound.recallBatch(recalling.batchId, log);
    } catch (e) {
      // Not recalled: the message stays as it was, and the person is told why.
      const error = asBotError(e);
      const back = await this.deps.sends.advance(id, ['recalling'], { state: 'sent' });
      log.warn(
        { audit: 'recall_refused', ...audit, code: error.code, feishu_code: error.feishuCode },
        'recall refused',
      );
      return { kind: 'refused', send: back ?? recalling, error };
    }
    const recalled = await this.deps.sends.advance(id, ['recalling'], {
      state: 'recalled',
      recalledAt: this.deps.clock.now(),
      recalledBy: operator,
    });
    log.info({ audit: 'recall', ...audit }, 'batch message recalled');
    await this.deps.confirmed.stopTracking(recalling, operator);
    return recalled ? { kind: 'done', send: recalled } : this.moved(id);
  }

  latest(senderOpenId: string): Promise<Send[]> {
    return this.deps.sends.bySender(senderOpenId, SENT_LIST_LENGTH, NEVER_SENT);
  }

  cardOf(send: Send, log: Logger, refreshedBy?: string): Promise<Card> {
    return this.deps.cards.cardOf(send, log, refreshedBy);
  }

  private writes(send: Send, operator: string): boolean {
    return operator === send.senderOpenId;
  }

  /**
   * The send, if `operator` wrote it; else why they may not change it. To
   * send it (`toSend`), its writer must still be in SENDERS, which may have
   * changed since the preview.
   */
  private async written(id: string, operator: string, toSend: boolean): Promise<Send | SendOutcome> {
    const send = await this.deps.sends.get(id);
    if (!send) return { kind: 'unknown' };
    if (!this.writes(send, operator)) return { kind: 'not_allowed', send };
    const writer = { openId: send.senderOpenId, userId: send.senderUserId };
    if (toSend && this.permission(writer) !== 'allowed') return { kind: 'not_a_sender', send };
    return send;
  }

  /** The change, made by the send's writer, from one of the states `from`; one that sends it asks SENDERS again. */
  private async byWriter(
    id: string,
    operator: string,
    from: readonly SendState[],
    change: Partial<Omit<Send, 'id'>> & { state: SendState },
  ): Promise<SendOutcome> {
    const send = await this.written(id, operator, change.state === 'queued');
    if ('kind' in send) return send;
    const changed = await this.deps.sends.advance(id, from, change);
    return changed ? { kind: 'done', send: changed } : this.moved(id);
  }

  private async moved(id: string): Promise<SendOutcome> {
    const now = await this.deps.sends.get(id);
    return now ? { kind: 'moved', send: now } : { kind: 'unknown' };
  }

  private sendConfirmed(send: Send, log: Logger, what: string): void {
    const { recipients, senderOpenId: by, id } = send;
    log.info({ audit: 'confirm', send_id: id, by, recipients, chat_id: send.chatId }, what);
    this.deps.confirmed.start(send, log);
  }
}
