/**
 * The card answering a delivery query — the funnel, or the error card — for
 * the `delivery` command and the Delivery button alike. Only work that has
 * to wait is thrown on, so it is answered later.
 */
import type { Logger } from 'pino';
import type { Card } from '../../cards/card.js';
import { buildDeliveryCard } from '../../cards/deliveryCard.js';
import { buildErrorCard } from '../../cards/errorCard.js';
import type { DeliveryTaken } from '../../feishu/deliveries.js';
import { failureToShow } from '../reads/readsAnswer.js';

export interface DeliverySource {
  delivery(batchId: string): Promise<DeliveryTaken>;
  now(): number;
  timeZone: string;
  log: Logger;
}

export async function buildDeliveryAnswer(
  batchId: string,
  source: DeliverySource,
  refreshedBy?: string,
): Promise<Card> {
  return (await answerDelivery(batchId, source, refreshedBy)).card;
}

/** The card, and whether the query failed (a press that fails says so); an error card says when it was tried. */
export async function answerDelivery(
  batchId: string,
  source: DeliverySource,
  refreshedBy?: string,
): Promise<{ card: Card; failed: number }> {
  try {
    const { progress, previous } = await source.delivery(batchId);
    return { card: buildDeliveryCard({ progress, previous, refreshedBy }), failed: 0 };
  } catch (e) {
    return { card: buildErrorCard(batchId, failureToShow(e, source.log), source.now()), failed: 1 };
  }
}
