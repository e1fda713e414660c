/**
 * `im.chat.access_event.bot_p2p_chat_entered_v1`: a person opened the
 * one-to-one chat with the bot. The first time, and again only after
 * GREET_AGAIN_MS, the bot greets them with the help card and the query form.
 */
import { buildHelpCard } from '../../cards/helpCard.js';
import { withQueryForm } from '../../cards/queryFormCard.js';
import { sendUuid } from '../../domain/ids.js';
import { readChatEntered } from './personEvents.js';
import type { EventHandler } from './router.js';

export const chatEntered: EventHandler = async ({ eventId, event }, ctx) => {
  const entered = readChatEntered(event);
  if (!entered) {
    ctx.log().warn('chat-entered event in an unexpected shape; acknowledged and ignored');
    return 'ignored';
  }
  if (!(await ctx.accept([`event:${eventId}`]))) return 'duplicate';
  const { openId } = entered.operator;
  const now = ctx.now();
  if (!(await ctx.greetings.mark(openId, now))) {
    ctx.log().debug('greeted within the last 30 days; not again');
    return 'ignored';
  }
  const card = withQueryForm(buildHelpCard('asked', ctx.sendPermission(entered.operator)));
  ctx.tellPerson(entered.operator, card, sendUuid(`greet:${openId}:${now}`), {
    asCommand: false,
    whenRefused: 'skip',
    unsent: () => ctx.greetings.release(openId),
  });
  return 'accepted';
};
