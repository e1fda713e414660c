/**
 * `application.bot.menu_v6`: a press on the bot's custom menu (action "push
 * event"). The key `reads` sends the presser the query form one-to-one,
 * `help` the help card (with the form), `send` the form to write a batch
 * message (or, to someone not in SENDERS, who may); other keys are logged
 * and ignored.
 */
import type { Card } from '../../cards/card.js';
import { buildHelpCard } from '../../cards/helpCard.js';
import { buildQueryFormCard, withQueryForm } from '../../cards/queryFormCard.js';
import { buildNotASenderCard } from '../../cards/refusalCards.js';
import { buildSendFormCard } from '../../cards/sendFormCard.js';
import { sendUuid } from '../../domain/ids.js';
import type { SendPermission } from '../../domain/send.js';
import { readMenuEvent, type Person } from './personEvents.js';
import type { ActsOn, EventHandler } from './router.js';

/** The card of each key, for the person who pressed it and whether they may send. */
const MENU_CARDS = new Map<string, (person: Person, sending: SendPermission) => Card>([
  ['reads', () => buildQueryFormCard()],
  ['help', (_person, sending) => withQueryForm(buildHelpCard('asked', sending))],
  ['send', (person, sending) => (sending === 'allowed' ? buildSendFormCard() : buildNotASenderCard(sending, person))],
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
  const card = build(menu.operator, ctx.sendPermission(menu.operator));
  ctx.tellPerson(menu.operator, card, sendUuid(`menu:${eventId}`), { asCommand: true, whenRefused: 'tell' });
  return 'accepted';
};
