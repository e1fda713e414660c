/** Sending batch messages, put together: the cards of sends, their delivery, and the service handlers act through. */
import type { Logger } from 'pino';
import type { Jobs } from '../../dispatch/jobs.js';
import type { WatchControl } from '../../dispatch/handlerContext.js';
import type { Clock } from '../../domain/clock.js';
import type { FeishuHealth } from '../../feishu/breaker.js';
import type { Outbound } from '../../feishu/outbound.js';
import type { Deliveries } from '../../feishu/deliveries.js';
import type { Snapshots } from '../../feishu/snapshots.js';
import type { SendBook } from '../../state/sharedState.js';
import { ConfirmedSends } from './confirmedSends.js';
import { SendCards } from './sendCards.js';
import { SendService } from './sendService.js';

export interface SendingDeps {
  sends: SendBook;
  senders: ReadonlySet<string>;
  outbound: Outbound;
  snapshots: Snapshots;
  deliveries: Deliveries;
  watches: WatchControl;
  isChatAdmin(chatId: string, openId: string): Promise<boolean>;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  feishu: FeishuHealth;
  jobs: Jobs;
  stopping: AbortSignal;
}

export function createSending(deps: SendingDeps) {
  const cards = new SendCards(deps);
  const confirmed = new ConfirmedSends({ ...deps, cardOf: (send, log) => cards.cardOf(send, log) });
  const service = new SendService({ ...deps, confirmed, cards });
  return { service, cards, confirmed };
}
