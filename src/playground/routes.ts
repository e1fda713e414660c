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
import { cardActionEvent, feishuRequest, newMessageId, typedMessageEvent } from '../demo/feishuEvents.js';
import type { DecodeOptions } from '../http/decodeRequest.js';
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
const pressSchema = z.object({ cardMessageId: z.string().min(1), value: z.record(z.string(), z.unknown()) });

/** The bot's own address, as this request reached it. */
const self = (req: Request) => `http://127.0.0.1:${req.socket.localPort}`;

export function mountPlayground(app: express.Express, o: PlaygroundOptions): void {
  const conversation = new Conversation();
  const pageDir = o.pageDir ?? PAGE_DIR;
  const json = express.json({ limit: '16kb' });
  let botOpenId: Promise<string> | undefined;
  let syncing: Promise<void> | undefined;

  async function post(req: Request, path: string, payload: unknown): Promise<globalThis.Response> {
    const signed = feishuRequest(payload, o.decode.encryptKey);
    return fetch(`${self(req)}${path}`, { method: 'POST', headers: signed.headers, body: signed.body });
  }

  /** Reads what the fake Open API received since last time; one read at a time. */
  function sync(): Promise<void> {
    syncing ??= (async () => {
      const { replies, patches } = conversation.read;
      const res = await fetch(`${o.openApiBaseUrl}/_fake/log?replies=${replies}&patches=${patches}`);
      if (!res.ok)
        throw new Error(
          `${o.openApiBaseUrl} answered HTTP ${res.status} for /_fake/log: the playground needs the fake Open API`,
        );
      conversation.apply((await res.json()) as FakeLog);
    })().finally(() => (syncing = undefined));
    return syncing;
  }

  const fail = (res: Response, status: number, error: string) => void res.status(status).json({ error });

  app.get('/playground/examples', (_req, res) => void res.json({ examples: o.examples }));

  app.get('/playground/messages', (req, res) => {
    sync().then(
      () => res.json(conversation.since(Number(req.query.since) || 0)),
      (e: unknown) => fail(res, 502, e instanceof Error ? e.message : String(e)),
    );
  });

  app.post('/playground/send', json, async (req, res) => {
    const body = sendSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'expected {text, where: p2p | group}');
    const { text, where } = body.data;
    try {
      botOpenId ??= o.botOpenId().catch((e: unknown) => {
        botOpenId = undefined;
        throw e;
      });
      const id = newMessageId();
      const message = typedMessageEvent({
        token: o.decode.verificationToken,
        typed: text,
        where,
        chatId: CHATS[where],
        botOpenId: await botOpenId,
        senderOpenId: DEMO.userOpenId,
        messageId: id,
      });
      conversation.sending({ id, text: message.text, where, sentAt: Date.now() });
      const answer = await post(req, '/webhook/event', message.event);
      await answer.arrayBuffer();
      conversation.acknowledged(id, answer.status);
      res.json({ id, status: answer.status });
    } catch (e) {
      fail(res, 502, e instanceof Error ? e.message : String(e));
    }
  });

  app.post('/playground/press', json, async (req, res) => {
    const body = pressSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'expected {cardMessageId, value}');
    const { cardMessageId, value } = body.data;
    const message = conversation.byCard(cardMessageId);
    if (!message) return fail(res, 404, 'no such card in the playground');
    try {
      const answer = await post(
        req,
        '/webhook/card',
        cardActionEvent({
          token: o.decode.verificationToken,
          operatorOpenId: DEMO.userOpenId,
          messageId: cardMessageId,
          chatId: CHATS[message.where === 'p2p' ? 'p2p' : 'group'],
          value,
        }),
      );
      const callback = (await answer.json()) as { toast?: unknown; card?: { type?: string; data?: unknown } };
      if (callback.card?.type === 'raw') conversation.cardChanged(cardMessageId, callback.card.data, Date.now());
      res.json({ status: answer.status, toast: callback.toast });
    } catch (e) {
      fail(res, 502, e instanceof Error ? e.message : String(e));
    }
  });

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
