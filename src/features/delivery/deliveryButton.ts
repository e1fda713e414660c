/** The Delivery button (single-id cards, and Refresh on a delivery card): the funnel, in place of the pressed card. */
import { answerDelivery } from './deliveryAnswer.js';
import type { ActionHandler } from '../../dispatch/handlerContext.js';
import { cardInTime } from '../../dispatch/cardInTime.js';

export const deliveryPress: ActionHandler<'delivery'> = async ({ id }, ctx) =>
  cardInTime(ctx, answerDelivery(id, ctx, ctx.press.operatorOpenId), {
    done: 'refreshed',
    failed: 'queryFailed',
    later: 'refreshing',
  });
