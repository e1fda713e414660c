/**
 * Sending a confirmed batch message, once. Batch send has no idempotency key:
 * a call that may have reached Feishu is never made again by itself. So the
 * send is marked 'sending' before its call, and after it:
 * - Feishu took it: 'sent', with its batch id and the ids it refused; the
 *   card becomes its tracking card, which watches itself.
 * - Feishu surely did not take it (the breaker was open, a rate limit, a
 *   gateway error): back to 'queued', and it waits for Feishu like a command
 *   (the same growing wait, cut short when Feishu is back), for up to an hour.
 * - Feishu refused it for good: 'failed', the card says why.
 * - Anything else (a timeout, a reset connection): 'unconfirmed': the card
 *   says Feishu did not tell, and only its writer may send it again.
 * A stop leaves a waiting send 'queued': the next start sends it, and marks
 * one interrupted mid-call 'unconfirmed'.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import type { Jobs } from '../../dispatch/jobs.js';
import type { WatchControl } from '../../dispatch/handlerContext.js';
import type { Clock } from '../../domain/clock.js';
import { asBotError, type BotError } from '../../domain/errors.js';
import { watchIdFor } from '../../domain/ids.js';
import {
  SEND_INTERRUPTED_AFTER_MS,
  SENT_WATCH_INTERVAL_MS,
  SENT_WATCH_MS,
  type Send,
  type SendError,
} from '../../domain/send.js';
import type { FeishuHealth } from '../../feishu/breaker.js';
import { untilFeishuBack } from '../../feishu/feishuBack.js';
import type { Outbound } from '../../feishu/outbound.js';
import { COMMAND_WAIT, surelyNotSent } from '../../feishu/retry.js';
import type { SendBook } from '../../state/sharedState.js';

export interface ConfirmedSendsDeps {
  sends: SendBook;
  outbound: Outbound;
  watches: WatchControl;
  clock: Clock;
  feishu: FeishuHealth;
  logger: Logger;
  /** Where sends on their way are tracked, so idle and shutdown wait for them. */
  jobs: Jobs;
  /** Aborted when the bot stops: a send waiting for Feishu stays queued for the next start. */
  stopping: AbortSignal;
  /** The card of a send as it stands (sendCards.ts). */
  cardOf(send: Send, log: Logger): Promise<Card>;
  random?: () => number;
}

const asSendError = (e: BotError): SendError => ({
  code: e.code,
  feishuCode: e.feishuCode,
  message: e.message,
  logId: e.logId,
});

/** A send that ended without a batch id, for the audit: who, to whom, and why. */
function auditEnd(log: Logger, send: Send, state: 'failed' | 'unconfirmed', error: SendError, what: string): void {
  const { id, senderOpenId: by, recipients } = send;
  log.warn(
    { audit: `send_${state}`, send_id: id, by, recipients, code: error.code, feishu_code: error.feishuCode },
    what,
  );
}

export class ConfirmedSends {
  constructor(private readonly deps: ConfirmedSendsDeps) {}

  /** Sends a queued send in the background. */
  start(send: Send, log: Logger): void {
    this.deps.jobs.track(
      this.deliver(send, log).catch((e: unknown) =>
        log.error({ err: e, send_id: send.id }, 'could not finish sending a batch message'),
      ),
    );
  }

  /** At start: sends what waited queued, and settles sends a stop interrupted mid-call. */
  async resume(): Promise<void> {
    const { sends, clock, logger } = this.deps;
    for (const send of await sends.inStates(['queued'])) this.start(send, logger.child({ send_id: send.id }));
    const interrupted = (s: Send) => (s.attemptedAt ?? 0) + SEND_INTERRUPTED_AFTER_MS <= clock.now();
    for (const send of (await sends.inStates(['sending'])).filter(interrupted)) {
      const error = { code: 'interrupted', message: 'the bot stopped while the message was on its way to Feishu' };
      const settled = await sends.advance(send.id, ['sending'], { state: 'unconfirmed', error });
      auditEnd(logger, send, 'unconfirmed', error, 'batch message interrupted by a stop; not known whether sent');
      if (settled) await this.show(settled, logger);
    }
    for (const send of (await sends.inStates(['recalling'])).filter(interrupted))
      await sends.advance(send.id, ['recalling'], { state: 'sent' });
  }

  /** Ends the watch that kept a recalled message's card up to date. */
  async stopTracking(send: Send, operator: string): Promise<void> {
    if (send.cardMessageId)
      await this.deps.watches.stop(watchIdFor(send.cardMessageId), operator).catch(() => undefined);
  }

  private async deliver(queued: Send, log: Logger): Promise<void> {
    const { sends, clock } = this.deps;
    const lastTryAt = (queued.confirmedAt ?? clock.now()) + COMMAND_WAIT.maxAgeMs;
    for (let attempts = 1; ; attempts++) {
      const sending = await sends.advance(queued.id, ['queued'], { state: 'sending', attemptedAt: clock.now() });
      if (!sending) return; // another press, process or replica took it
      let error: BotError;
      try {
        const { batchId, refused } = await this.deps.outbound.batchSend(sending, log);
        const sent = await sends.advance(sending.id, ['sending'], {
          state: 'sent',
          batchId,
          refused,
          sentAt: clock.now(),
        });
        const { senderOpenId: by, recipients } = sending;
        log.info(
          { audit: 'send', send_id: sending.id, by, recipients, refused, batch_id: batchId },
          'batch message sent',
        );
        if (sent) await this.track(sent, log);
        return;
      } catch (e) {
        error = asBotError(e);
      }
      if (!surelyNotSent(error)) {
        const state = error.code === 'feishu_api' ? 'failed' : 'unconfirmed';
        const ended = await sends.advance(sending.id, ['sending'], { state, error: asSendError(error) });
        auditEnd(
          log,
          sending,
          state,
          asSendError(error),
          state === 'failed' ? 'batch message not sent' : 'batch message not known to be sent',
        );
        if (ended) await this.show(ended, log);
        return;
      }
      const waiting = await sends.advance(sending.id, ['sending'], { state: 'queued', error: asSendError(error) });
      if (!waiting || !(await this.waitForFeishu(waiting, error, attempts, lastTryAt, log))) return;
    }
  }

  /** Waits until it is time to try again; false (and the send failed) once its hour is over, or when stopping. */
  private async waitForFeishu(
    send: Send,
    error: BotError,
    attempts: number,
    lastTryAt: number,
    log: Logger,
  ): Promise<boolean> {
    const { clock, feishu, stopping } = this.deps;
    if (attempts === 1) await this.show(send, log); // the card says it waits for Feishu
    const stopped = new Promise<void>((resolve) => stopping.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([untilFeishuBack(this.deps, error, attempts, lastTryAt), stopped]);
    while (!stopping.aborted && feishu.state !== 'closed' && clock.now() < lastTryAt)
      await Promise.race([feishu.nextClose(), clock.sleep(lastTryAt - clock.now()), stopped]);
    if (stopping.aborted) return false; // still queued: the next start sends it
    if (clock.now() < lastTryAt || feishu.state === 'closed') return true;
    const failed = await this.deps.sends.advance(send.id, ['queued'], { state: 'failed', error: asSendError(error) });
    auditEnd(
      log,
      send,
      'failed',
      asSendError(error),
      'Feishu was unavailable for over an hour; batch message not sent',
    );
    if (failed) await this.show(failed, log);
    return false;
  }

  /** Watches the sent message's card (24 h, every 30 min), then shows its tracking card. */
  private async track(sent: Send, log: Logger): Promise<void> {
    const { clock, watches } = this.deps;
    if (sent.cardMessageId && sent.batchId) {
      const now = clock.now();
      const id = watchIdFor(sent.cardMessageId);
      const refusal = await watches.reserve({
        ...{ id, batchId: sent.batchId, chatId: sent.chatId, cardMessageId: '', startedBy: sent.senderOpenId },
        ...{ startedAt: now, until: now + SENT_WATCH_MS, intervalMs: SENT_WATCH_INTERVAL_MS },
        nextAt: now + SENT_WATCH_INTERVAL_MS,
      });
      if (refusal) log.info({ send_id: sent.id, refusal }, 'sent message not watched: the watch caps are full');
      else await watches.attach(id, sent.cardMessageId);
    }
    await this.show(sent, log);
  }

  /** Updates the send's card to show it as it now stands. */
  private async show(send: Send, log: Logger): Promise<void> {
    if (!send.cardMessageId) return;
    await this.deps.outbound
      .patch(send.cardMessageId, async () => this.deps.cardOf((await this.deps.sends.get(send.id)) ?? send, log), log)
      .catch((e: unknown) => log.warn({ err: e, send_id: send.id }, 'could not update the card of a batch message'));
  }
}
