/**
 * `npm run chat -- "/reads bm_demo_partly_read"`: sends one message to the
 * bot running in demo mode on PORT (default 3000), the way Feishu would —
 * a signed, encrypted im.message.receive_v1 event — and prints the card the
 * bot replied with. `--group` sends it as a group message that @mentions the
 * bot; `--group-no-mention` as one that does not; `--en` shows the card as an
 * English-speaking reader sees it; `--follow` keeps printing the card as it is
 * updated (a watch), until the watch ends or Ctrl-C. `--menu reads` (or
 * `--menu help`) presses the bot's custom menu (application.bot.menu_v6) and
 * `--enter` opens the one-to-one chat (bot_p2p_chat_entered_v1); both print
 * the card the bot sent one-to-one, if it sent one. A `\n` typed in the
 * message is a new line (`/send`'s message starts on its second line).
 */
import { DEMO } from './demoData.js';
import { chatEnteredEvent, feishuRequest, menuEvent, newMessageId, typedMessageEvent } from './feishuEvents.js';
import { renderCardText } from './renderCardText.js';

const REPLY_TIMEOUT_MS = 15_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const group = args.includes('--group');
  const groupNoMention = args.includes('--group-no-mention');
  const lang = args.includes('--en') ? 'en' : 'zh';
  const follow = args.includes('--follow');
  const menuAt = args.indexOf('--menu');
  const menuKey = menuAt >= 0 ? args[menuAt + 1] : undefined;
  const enter = args.includes('--enter');
  const typed = args
    .filter((a, i) => !a.startsWith('--') && (menuAt < 0 || i !== menuAt + 1))
    .join(' ')
    .replaceAll('\\n', '\n')
    .trim();
  if (!typed && !enter && !menuKey)
    fail(
      'Usage: npm run chat -- [--group | --group-no-mention] [--en] [--follow] "/reads bm_demo_partly_read"\n' +
        '       npm run chat -- "/send od-demo ou_demo\\nHello"\n' +
        '       npm run chat -- --menu reads | --menu help | --enter   [--en]',
    );
  const port = Number(process.env.PORT ?? 3000);
  const botUrl = `http://127.0.0.1:${port}`;

  let demo: { openApiBaseUrl: string; timeZone?: string };
  try {
    const res = await fetch(`${botUrl}/demo`);
    if (res.status === 404) fail(`The bot on port ${port} is not in demo mode; npm run chat only talks to the demo.`);
    demo = (await res.json()) as { openApiBaseUrl: string };
  } catch {
    fail(`No bot is answering on ${botUrl}. Start it first with: npm start`);
  }

  if (menuKey || enter) return oneToOne(botUrl, demo.openApiBaseUrl, lang, menuKey);

  const messageId = newMessageId();
  const where = groupNoMention ? 'group_no_mention' : group ? 'group' : 'p2p';
  const { text, event } = typedMessageEvent({
    token: DEMO.verificationToken,
    typed,
    where,
    chatId: where === 'p2p' ? 'oc_demo_p2p' : 'oc_demo_group',
    botOpenId: DEMO.botOpenId,
    senderOpenId: DEMO.userOpenId,
    messageId,
  });
  const request = feishuRequest(event, DEMO.encryptKey);
  const ack = await fetch(`${botUrl}/webhook/event`, { method: 'POST', headers: request.headers, body: request.body });
  process.stdout.write(`\n  you › ${text}\n  bot acknowledged the event: HTTP ${ack.status}\n\n`);
  if (!ack.ok) fail(`  The bot refused the event: ${await ack.text()}`);

  const deadline = Date.now() + (groupNoMention ? 2_000 : REPLY_TIMEOUT_MS);
  while (Date.now() < deadline) {
    const res = await fetch(`${demo.openApiBaseUrl}/_fake/replies?parent_id=${messageId}`);
    const { replies } = (await res.json()) as { replies: Array<{ card: unknown; messageId: string }> };
    if (replies[0]) {
      const show = (card: unknown) =>
        process.stdout.write(renderCardText(card, process.stdout.isTTY === true, lang, demo.timeZone) + '\n');
      show(replies[0].card);
      if (follow) await followCard(demo.openApiBaseUrl, replies[0].messageId, replies[0].card, show);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (groupNoMention) process.stdout.write('  (no reply: in groups the bot only answers when @mentioned)\n');
  else fail(`  No reply within ${REPLY_TIMEOUT_MS / 1000} s.`);
}

/**
 * Presses the menu (`menuKey`) or enters the one-to-one chat, as Feishu sends
 * those events, and prints the card the bot sent the demo user, if any.
 */
async function oneToOne(botUrl: string, openApi: string, lang: 'zh' | 'en', menuKey?: string): Promise<void> {
  const before = await sentToUser(openApi);
  const event = menuKey
    ? menuEvent({ token: DEMO.verificationToken, eventKey: menuKey, operatorOpenId: DEMO.userOpenId })
    : chatEnteredEvent({ token: DEMO.verificationToken, operatorOpenId: DEMO.userOpenId, chatId: 'oc_demo_p2p' });
  const request = feishuRequest(event, DEMO.encryptKey);
  const ack = await fetch(`${botUrl}/webhook/event`, { method: 'POST', headers: request.headers, body: request.body });
  const what = menuKey ? `pressed the menu item "${menuKey}"` : 'opened the one-to-one chat';
  process.stdout.write(`\n  you › (${what})\n  bot acknowledged the event: HTTP ${ack.status}\n\n`);
  if (!ack.ok) fail(`  The bot refused the event: ${await ack.text()}`);
  // A menu answer comes within moments; a greeting only the first time in 30 days, so its absence is an answer too.
  const deadline = Date.now() + (menuKey === 'reads' || menuKey === 'help' ? REPLY_TIMEOUT_MS : 2_000);
  while (Date.now() < deadline) {
    const sent = await sentToUser(openApi);
    if (sent.length > before.length) {
      process.stdout.write(renderCardText(sent[sent.length - 1]!.card, process.stdout.isTTY === true, lang) + '\n');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stdout.write(
    menuKey
      ? `  (nothing sent: the bot answers the menu keys "reads" and "help")\n`
      : '  (no greeting: the bot greets a person once every 30 days)\n',
  );
}

async function sentToUser(openApi: string): Promise<Array<{ card: unknown }>> {
  const res = await fetch(`${openApi}/_fake/sent?receive_id=${DEMO.userOpenId}`);
  return ((await res.json()) as { sent: Array<{ card: unknown }> }).sent;
}

/** A card with a Stop button is still being watched. */
const watching = (card: unknown) => JSON.stringify(card).includes('"stop_watch"');

async function followCard(
  openApi: string,
  messageId: string,
  first: unknown,
  show: (card: unknown) => void,
): Promise<void> {
  let seen = 0;
  let card = first;
  process.stdout.write('  (following the card; Ctrl-C to stop)\n\n');
  while (watching(card)) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const res = await fetch(`${openApi}/_fake/card?message_id=${messageId}`);
    const now = (await res.json()) as { card: unknown; updates: number };
    if (now.updates > seen) {
      seen = now.updates;
      card = now.card;
      process.stdout.write(`  — update ${seen} —\n`);
      show(card);
    }
  }
}

void main();
