/**
 * `application.bot.menu_v6`: a press on the bot's custom menu (action "push
 * event"). The key `reads` sends the presser the query form one-to-one,
 * `help` the help card (with the form); other keys are logged and ignored.
 */
import type { Card } from '../../cards/card.js';
import { buildHelpCard } from '../../cards/helpCard.js';
import { buildQueryFormCard, withQueryForm } from '../../cards/queryFormCard.js';
import { sendUuid } from '../../domain/ids.js';
import { readMenuEvent } from './personEvents.js';
import type { ActsOn, EventHandler } from './router.js';

const MENU_CARDS = new Map<string, () => Card>([
  ['reads', buildQueryFormCard],
  ['help', () => withQueryForm(buildHelpCard('asked'))],
]);

/** The bot's own menu keys; other items of the app's menu belong to another integration (FEISHU_FORWARD_URL). */
export const botMenuKeys: ActsOn = ({ event }) => {
  const key = readMenuEvent(event)?.eventKey;
  return key !== undefined && MENU_CARDS.has(key);
};

export const botMenu: EventHandler = async ({ eventId, event }, ctx) => {
  const menu = readMenuEvent(event);
  if (!menu) {
    ctx.log().warn('menu event in an unexpected shape; acknowledged and ignored');
    return 'ignored';
  }
  if (!(await ctx.accept([`event:${eventId}`]))) return 'duplicate';
  const build = MENU_CARDS.get(menu.eventKey);
  if (!build) {
    ctx.log().info({ event_key: menu.eventKey }, 'menu key not handled; ignored');
    return 'ignored';
  }
  ctx.tellPerson(menu.operator, build(), sendUuid(`menu:${eventId}`), { asCommand: true, whenRefused: 'tell' });
  return 'accepted';
};
