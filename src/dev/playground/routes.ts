/**
 * The playground: a page where you chat with the bot and see its cards as
 * Feishu shows them. Mounted only in demo mode or with PLAYGROUND=on. The
 * browser never holds a key: this server builds each message and button
 * press as Feishu would (signed, encrypted) and posts it to the bot's own
 * real webhook over HTTP; the replies and card updates come from the fake
 * Open API's log.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { DEMO } from '../demo/demoData.js';
import {
  cardActionEvent,
  chatEnteredEvent,
  feishuRequest,
  menuEvent,
  newMessageId,
  typedMessageEvent,
} from '../demo/feishuEvents.js';
import type { DecodeOptions } from '../../inbound/http/decodeRequest.js';
import { Conversation, type FakeLog } from './conversation.js';

export interface PlaygroundOptions {
  /** The bot's own token and key, to sign and encrypt like Feishu. */
  decode: DecodeOptions;
  /** The fake Open API the bot talks to: the page's replies come from its log. */
  openApiBaseUrl: string;
  botOpenId: () => Promise<string>;
  /** One-click commands shown on the page. */
  examples: Array<{ text: string; note: string }>;
  /** The page as `npm run build` made it. */
  pageDir?: string;
}

/** The project folder (the nearest with a package.json): found the same way from src/ and from the dist/main.js bundle. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const PAGE_DIR = join(projectRoot(), 'dist', 'playground');
const CHATS = { p2p: 'oc_playground_p2p', group: 'oc_playground_group' } as const;

const sendSchema = z.object({
  text: z.string().trim().min(1).max(2000),
  where: z.enum(['p2p', 'group']).default('p2p'),
});
const pressSchema = z.object({
  cardMessageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  /** A form's submit button: its name, and the form's inputs. */
  form: z.object({ name: z.string().max(64), values: z.record(z.string(), z.string().max(1000)) }).optional(),
});
const menuSchema = z.object({ key: z.string().min(1).max(30) });

/** The bot's own address, as this request reached it. */
const self = (req: Request) => `http://127.0.0.1:${req.socket.localPort}`;

const fail = (res: Response, status: number, error: string) => void res.status(status).json({ error });

/** Answers what `work` resolves to, or 502 with why it failed: the bot or the fake Open API did not answer as expected. */
async function answer(res: Response, work: () => Promise<unknown>): Promise<void> {
  try {
    res.json(await work());
  } catch (e) {
    fail(res, 502, e instanceof Error ? e.message : String(e));
  }
}

export function mountPlayground(app: express.Express, o: PlaygroundOptions): void {
  const playground = new Playground(o);
  const json = express.json({ limit: '16kb' });
  app.get('/playground/examples', (_req, res) => void res.json({ examples: o.examples }));
  app.get('/playground/messages', (req, res) => playground.messages(req, res));
  app.post('/playground/send', json, (req, res) => playground.send(req, res));
  app.post('/playground/press', json, (req, res) => playground.press(req, res));
  app.post('/playground/menu', json, (req, res) => playground.menu(req, res));
  app.post('/playground/enter', (req, res) => playground.enter(req, res));
  servePage(app, o.pageDir ?? PAGE_DIR);
}

/** The page as built; until it is, / says how to build it. */
function servePage(app: express.Express, pageDir: string): void {
  if (!existsSync(`${pageDir}/index.html`)) {
    app.get(
      '/',
      (_req, res) =>
        void res
          .status(503)
          .type('text/plain')
          .send('The playground page is not built yet: run npm run build, then restart the bot.\n'),
    );
  }
  app.use(express.static(pageDir));
}

/** One playground's conversation, and what it sends the bot to build it. */
class Playground {
  private readonly conversation = new Conversation();
  private botOpenIdOnce?: Promise<string>;
  private syncing?: Promise<void>;

  constructor(private readonly o: PlaygroundOptions) {}

  messages(req: Request, res: Response): Promise<void> {
    return answer(res, async () => {
      await this.sync();
      return this.conversation.since(Number(req.query.since) || 0);
    });
  }

  async send(req: Request, res: Response): Promise<void> {
    const body = sendSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'expected {text, where: p2p | group}');
    await answer(res, () => this.sendMessage(req, body.data));
  }

  async press(req: Request, res: Response): Promise<void> {
    const body = pressSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'expected {cardMessageId, value}');
    const message = this.conversation.byCard(body.data.cardMessageId);
    if (!message) return fail(res, 404, 'no such card in the playground');
    await answer(res, () => this.pressButton(req, body.data, message.where === 'p2p' ? 'p2p' : 'group'));
  }

  /** Presses the bot's custom menu item `key`, as Feishu sends it (application.bot.menu_v6). */
  async menu(req: Request, res: Response): Promise<void> {
    const body = menuSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'expected {key}');
    const event = menuEvent({
      token: this.o.decode.verificationToken,
      eventKey: body.data.key,
      operatorOpenId: DEMO.userOpenId,
    });
    await answer(res, () => this.postEvent(req, event));
  }

  /** Opens the one-to-one chat with the bot, as Feishu tells it (bot_p2p_chat_entered_v1). */
  async enter(req: Request, res: Response): Promise<void> {
    const event = chatEnteredEvent({
      token: this.o.decode.verificationToken,
      operatorOpenId: DEMO.userOpenId,
      chatId: CHATS.p2p,
    });
    await answer(res, () => this.postEvent(req, event));
  }

  private async postEvent(req: Request, event: unknown) {
    const posted = await this.post(req, '/webhook/event', event);
    await posted.arrayBuffer();
    return { status: posted.status };
  }

  /** Posts what was typed to the bot's webhook as Feishu would. */
  private async sendMessage(req: Request, { text, where }: z.infer<typeof sendSchema>) {
    const id = newMessageId();
    const message = typedMessageEvent({
      token: this.o.decode.verificationToken,
      typed: text,
      where,
      chatId: CHATS[where],
      botOpenId: await this.botOpenId(),
      senderOpenId: DEMO.userOpenId,
      messageId: id,
    });
    this.conversation.sending({ id, text: message.text, where, sentAt: Date.now() });
    const posted = await this.post(req, '/webhook/event', message.event);
    await posted.arrayBuffer();
    this.conversation.acknowledged(id, posted.status);
    return { id, status: posted.status };
  }

  /** Posts a button press to the bot's card callback as Feishu would; a card it answers with replaces the old one. */
  private async pressButton(
    req: Request,
    { cardMessageId, value, form }: z.infer<typeof pressSchema>,
    where: keyof typeof CHATS,
  ) {
    const posted = await this.post(
      req,
      '/webhook/card',
      cardActionEvent({
        token: this.o.decode.verificationToken,
        operatorOpenId: DEMO.userOpenId,
        messageId: cardMessageId,
        chatId: CHATS[where],
        value,
        form,
      }),
    );
    const callback = (await posted.json()) as { toast?: unknown; card?: { type?: string; data?: unknown } };
    if (callback.card?.type === 'raw') this.conversation.cardChanged(cardMessageId, callback.card.data, Date.now());
    return { status: posted.status, toast: callback.toast };
  }

  /** The bot's open_id, asked once, and again after a failure. */
  private botOpenId(): Promise<string> {
    this.botOpenIdOnce ??= this.o.botOpenId().catch((e: unknown) => {
      this.botOpenIdOnce = undefined;
      throw e;
    });
    return this.botOpenIdOnce;
  }

  private async post(req: Request, path: string, payload: unknown): Promise<globalThis.Response> {
    const signed = feishuRequest(payload, this.o.decode.encryptKey);
    return fetch(`${self(req)}${path}`, { method: 'POST', headers: signed.headers, body: signed.body });
  }

  /** Reads what the fake Open API received since last time; one read at a time. */
  private sync(): Promise<void> {
    this.syncing ??= (async () => {
      const { replies, patches } = this.conversation.read;
      const res = await fetch(
        `${this.o.openApiBaseUrl}/_fake/log?replies=${replies}&patches=${patches}&sent=${this.conversation.read.sent}`,
      );
      if (!res.ok)
        throw new Error(
          `${this.o.openApiBaseUrl} answered HTTP ${res.status} for /_fake/log: the playground needs the fake Open API`,
        );
      this.conversation.apply((await res.json()) as FakeLog);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }
}
