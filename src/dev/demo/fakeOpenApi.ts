/**
 * A fake Feishu Open API: a real HTTP server on 127.0.0.1 that the SDK is
 * pointed at, for demo mode and tests alike. It issues tenant tokens, answers
 * bot info, read_user, get_progress, reply and message create like Feishu does (HTTP statuses, codes,
 * log ids), enforces Feishu's rate limits on its own clock (answering 429 /
 * 99991400 and 230020 like Feishu), and records every call it received.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { mountScopes, type FakeScopes } from './fakeScopes.js';

export type BatchBehaviour =
  /** `hidden`: valid recipients the bot cannot see (get_progress counts them as valid, not delivered); `recalled`: messages recalled. */
  (
    | { kind: 'counts'; read: number; total: number; hidden?: number; recalled?: number }
    /** More people read it as time goes by: `read` at start, `perMinute` more each minute, up to `total`. */
    | { kind: 'rising'; read: number; total: number; perMinute: number }
    | { kind: 'error'; httpStatus: number; code: number; msg: string }
    /** An HTTP error with a body that is not Feishu JSON, like a failing gateway. */
    | { kind: 'http_error'; httpStatus: number }
  ) & { delayMs?: number };

/** One behaviour, or a script: each call takes the next; the last one repeats. */
export type BatchScript = BatchBehaviour | BatchBehaviour[];

export type Failure = Extract<BatchBehaviour, { kind: 'error' | 'http_error' }>;

export interface PatchRecord {
  messageId: string;
  card: unknown;
  at: number;
}

export interface FakeChat {
  /** Default false: a group. */
  p2p?: boolean;
  ownerOpenId?: string;
  managerOpenIds?: string[];
}

export interface FakeOpenApiOptions {
  appId: string;
  appSecret: string;
  botOpenId: string;
  batches?: Record<string, BatchScript>;
  chats?: Record<string, FakeChat>;
  /** Department ids of users, by open_id. */
  users?: Record<string, string[]>;
  /** What an unknown id gets; Feishu answers 230030. */
  fallback?: (batchId: string) => BatchBehaviour;
  /** The clock of the rate limits and of the times recorded; Date.now unless a test holds time still. */
  now?: () => number;
  /** The app's scopes (see fakeScopes.ts); unset, every one is granted. */
  scopes?: FakeScopes;
  /** False: the app's scope list answers an error, so only calling the APIs tells. */
  scopeList?: boolean;
}

export interface ReadUserCall {
  batchId: string;
  /** Arrival time. */
  at: number;
  /** What it was answered; 0 while pending or when the client went away. */
  status: number;
}

/** A message sent (POST /open-apis/im/v1/messages), not a reply. */
export interface SentRecord {
  receiveIdType: string;
  receiveId: string;
  uuid?: string;
  card: unknown;
  at: number;
  messageId: string;
}

export interface ReplyRecord {
  parentId: string;
  uuid?: string;
  msgType: string;
  card: unknown;
  at: number;
  messageId: string;
}

const NOT_FOUND: BatchBehaviour = {
  kind: 'error',
  httpStatus: 400,
  code: 230030,
  msg: 'The message id is invalid or the record is not found.',
};

type Limits = Array<{ windowMs: number; max: number }>;

/** Feishu's per-app limits on read_user and on replies. */
const APP_LIMITS: Limits = [
  { windowMs: 1000, max: 50 },
  { windowMs: 60_000, max: 1000 },
];

/** Feishu's limits on replies into one chat and on updates of one message. */
const FIVE_PER_SECOND: Limits = [{ windowMs: 1000, max: 5 }];

const MAX_CONTENT_BYTES = 30 * 1024;

const pause = (ms?: number) => new Promise<void>((resolve) => (ms ? setTimeout(resolve, ms).unref() : resolve()));

/** Sliding-window counter on arrival times, as Feishu counts them. */
class ArrivalLog {
  private times: number[] = [];
  private readonly widestMs: number;
  constructor(private readonly limits: Limits) {
    this.widestMs = Math.max(...limits.map((l) => l.windowMs));
  }
  /** Records an arrival; false when it exceeds a limit. */
  arrive(at: number): boolean {
    const keepFrom = this.times.findIndex((t) => t > at - this.widestMs);
    this.times = keepFrom < 0 ? [] : this.times.slice(keepFrom);
    this.times.push(at);
    return this.limits.every(({ windowMs, max }) => {
      let n = 0;
      for (let i = this.times.length - 1; i >= 0 && this.times[i]! > at - windowMs; i--) n++;
      return n <= max;
    });
  }
}

/** One ArrivalLog per chat or per message, made on first use. */
class ArrivalLogs {
  private readonly logs = new Map<string, ArrivalLog>();
  constructor(private readonly limits: Limits) {}
  of(key: string): ArrivalLog {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new ArrivalLog(this.limits)));
    return log;
  }
}

type IdRequest = Request<{ id: string }>;

export class FakeOpenApi {
  readonly readUserCalls: ReadUserCall[] = [];
  readonly progressCalls: ReadUserCall[] = [];
  readonly sent: SentRecord[] = [];
  private readonly progressLog = new ArrivalLog(APP_LIMITS);
  private readonly sentByUuid = new Map<string, SentRecord>();
  readonly replies: ReplyRecord[] = [];
  /** Calls that broke a rate limit, as Feishu would have counted them. */
  readonly violations: Array<{ api: string; at: number }> = [];
  tokensIssued = 0;
  private readonly batches = new Map<string, BatchBehaviour[]>();
  private replyFaults: Failure[] = [];
  readonly patches: PatchRecord[] = [];
  /** Updates refused because of `failUpdates`. */
  readonly failedUpdates: Array<{ messageId: string; at: number; httpStatus: number }> = [];
  private readonly updateFailures = new Map<string, Failure>();
  private readonly patchLogs = new ArrivalLogs(FIVE_PER_SECOND);
  readonly lookups: Array<{ api: 'chat' | 'user'; id: string }> = [];
  private readonly tokens = new Set<string>();
  private readonly repliesByUuid = new Map<string, ReplyRecord>();
  private readonly chatOfMessage = new Map<string, string>();
  private readonly readUserLog = new ArrivalLog(APP_LIMITS);
  private readonly replyLog = new ArrivalLog(APP_LIMITS);
  private readonly chatLogs = new ArrivalLogs(FIVE_PER_SECOND);
  private server?: Server;
  private replyWaiters: Array<() => void> = [];
  private nextId = 1;
  private readonly now: () => number;
  private readonly startedAt: number;
  /** While set, every Open API call, token requests included, gets this HTTP status (an outage). */
  private outageStatus: number | undefined;
  /** Calls answered with the outage's status. */
  outageRefusals = 0;

  constructor(private readonly options: FakeOpenApiOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    for (const [id, script] of Object.entries(options.batches ?? {})) this.setBatch(id, script);
  }

  setBatch(batchId: string, script: BatchScript): void {
    this.batches.set(batchId, Array.isArray(script) ? [...script] : [script]);
  }

  /** The next replies fail like this, one failure each, before replies succeed again. */
  failReplies(...faults: Failure[]): void {
    this.replyFaults.push(...faults);
  }

  /**
   * From now on every update of this message fails like this: as a recalled message's do (HTTP 400, 230011),
   * which the bot must give up on, or with a 5xx, which it retries.
   */
  failUpdates(messageId: string, failure: Failure): void {
    this.updateFailures.set(messageId, failure);
  }

  /** Feishu down (`httpStatus`, 503 by default) or back (`false`): while down, every Open API call fails so. */
  outage(down: boolean, httpStatus = 503): void {
    this.outageStatus = down ? httpStatus : undefined;
  }

  /** Every token issued so far becomes invalid (99991663), as when Feishu resets them. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  private nextBehaviour(batchId: string): BatchBehaviour {
    const script = this.batches.get(batchId);
    if (!script) return this.options.fallback?.(batchId) ?? NOT_FOUND;
    return script.length > 1 ? script.shift()! : script[0]!;
  }

  /** Lets the fake apply the 5-per-second limit of the chat a message is in. */
  registerMessage(messageId: string, chatId: string): void {
    this.chatOfMessage.set(messageId, chatId);
  }

  repliesTo(parentId: string): ReplyRecord[] {
    return this.replies.filter((r) => r.parentId === parentId);
  }

  /** The card a message shows now: its last update, or what was sent. */
  cardOf(messageId: string): unknown {
    const patched = this.patches.filter((p) => p.messageId === messageId);
    return patched.length > 0
      ? patched[patched.length - 1]!.card
      : (this.replies.find((r) => r.messageId === messageId) ?? this.sent.find((r) => r.messageId === messageId))?.card;
  }

  /** Messages sent to this open_id or chat_id. */
  sentTo(receiveId: string): SentRecord[] {
    return this.sent.filter((m) => m.receiveId === receiveId);
  }

  /** Resolves once `count` replies have been received, or rejects after `timeoutMs`. */
  async waitForReplies(count: number, timeoutMs = 10_000): Promise<ReplyRecord[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} replies, got ${this.replies.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.replyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.replies;
  }

  /** Listens on 127.0.0.1; pass the old port to come back after `close()`, as an outage ends. */
  async listen(port = 0): Promise<string> {
    const app = this.routes();
    await new Promise<void>((resolve, reject) => {
      const server = app.listen(port, '127.0.0.1', () => resolve());
      server.once('error', reject);
      this.server = server;
    });
    return this.baseUrl;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('fake Open API is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  private logId(): string {
    return `fake${randomBytes(8).toString('hex').toUpperCase()}`;
  }

  private fail(
    res: Response,
    httpStatus: number,
    code: number,
    msg: string,
    headers: Record<string, string> = {},
  ): void {
    const logId = this.logId();
    if (httpStatus === 429 && !headers['x-ogw-ratelimit-reset']) headers = { ...headers, 'x-ogw-ratelimit-reset': '1' };
    res
      .status(httpStatus)
      .set({ 'x-tt-logid': logId, ...headers })
      .json({ code, msg, error: { log_id: logId } });
  }

  /** A scripted failure: Feishu JSON, or a body that is not, like a failing gateway's. */
  private sendFailure(res: Response, failure: Failure): void {
    if (failure.kind === 'http_error')
      return void res.status(failure.httpStatus).type('text/plain').send('upstream error');
    this.fail(res, failure.httpStatus, failure.code, failure.msg);
  }

  private async failLater(res: Response, failure: Failure): Promise<void> {
    await pause(failure.delayMs);
    this.sendFailure(res, failure);
  }

  /** Feishu's answer to a call over the app's limits. */
  private tooFrequent(res: Response): void {
    this.fail(res, 429, 99991400, 'request trigger frequency limit');
  }

  /** Counts an arrival; one over the limit is recorded as a violation. */
  private overLimit(log: ArrivalLog, api: string, at: number): boolean {
    if (log.arrive(at)) return false;
    this.violations.push({ api, at });
    return true;
  }

  private authorised(req: Request<unknown>, res: Response): boolean {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (token && this.tokens.has(token)) return true;
    this.fail(res, 400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    return false;
  }

  /** Middleware: only a request with a token this fake issued goes on. */
  private readonly tokenCheck = <P>(req: Request<P>, res: Response, next: () => void): void => {
    if (this.authorised(req, res)) next();
  };

  private routes(): express.Express {
    const app = express();
    app.use(express.json({ limit: '2mb' }));
    app.use('/open-apis', (_req, res, next) => {
      if (this.outageStatus === undefined) return next();
      this.outageRefusals++;
      this.sendFailure(res, { kind: 'http_error', httpStatus: this.outageStatus });
    });
    mountScopes(
      app,
      () => this.options.scopes,
      () => this.options.scopeList !== false,
    );
    app.post('/open-apis/auth/v3/tenant_access_token/internal', (req, res) => this.issueToken(req, res));
    app.get('/open-apis/bot/v3/info', this.tokenCheck, (_req, res) => this.botInfo(res));
    app.get('/open-apis/im/v1/batch_messages/:id/read_user', (req, res) => this.readUser(req, res));
    app.get('/open-apis/im/v1/batch_messages/:id/get_progress', (req, res) => this.getProgress(req, res));
    app.post('/open-apis/im/v1/messages', this.tokenCheck, (req, res) => this.send(req, res));
    app.post('/open-apis/im/v1/messages/:id/reply', this.tokenCheck, (req, res) => this.reply(req, res));
    app.patch('/open-apis/im/v1/messages/:id', this.tokenCheck, (req, res) => this.update(req, res));
    app.get('/open-apis/im/v1/chats/:id', this.tokenCheck, (req, res) => this.chatInfo(req.params.id, res));
    app.get('/open-apis/contact/v3/users/:id', this.tokenCheck, (req, res) => this.userInfo(req.params.id, res));

    // Not Feishu: lets the demo chat client see what the bot replied.
    app.get('/_fake/replies', (req, res) => {
      const parentId = typeof req.query.parent_id === 'string' ? req.query.parent_id : '';
      res.json({ replies: this.repliesTo(parentId) });
    });

    // Not Feishu: the card a message shows now, and how many times it was updated.
    app.get('/_fake/card', (req, res) => {
      const messageId = typeof req.query.message_id === 'string' ? req.query.message_id : '';
      res.json({
        card: this.cardOf(messageId) ?? null,
        updates: this.patches.filter((p) => p.messageId === messageId).length,
      });
    });

    // Not Feishu: the replies and card updates after the first `replies` and `patches`, so the playground follows them in one request.
    app.get('/_fake/log', (req, res) => {
      const from = (name: string) => Math.max(0, Number(req.query[name]) || 0);
      res.json({
        replies: this.replies.slice(from('replies')),
        patches: this.patches.slice(from('patches')),
        sent: this.sent.slice(from('sent')),
      });
    });

    // Not Feishu: the messages sent to an open_id or chat_id, so the demo chat client sees the menu's answers.
    app.get('/_fake/sent', (req, res) => {
      const receiveId = typeof req.query.receive_id === 'string' ? req.query.receive_id : '';
      res.json({ sent: this.sentTo(receiveId) });
    });

    app.use((req, res) => this.fail(res, 404, 404, `fake Open API does not implement ${req.method} ${req.path}`));
    return app;
  }

  private issueToken(req: Request, res: Response): void {
    const { app_id, app_secret } = (req.body ?? {}) as { app_id?: unknown; app_secret?: unknown };
    if (app_id !== this.options.appId) return void res.json({ code: 10003, msg: 'invalid param' });
    if (app_secret !== this.options.appSecret) return void res.json({ code: 10014, msg: 'app secret invalid' });
    const token = `t-fake-${randomBytes(12).toString('hex')}`;
    this.tokens.add(token);
    this.tokensIssued++;
    res.json({ code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
  }

  private botInfo(res: Response): void {
    res.json({
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: 'Reads Bot',
        avatar_url: '',
        ip_white_list: [],
        open_id: this.options.botOpenId,
      },
    });
  }

  private async readUser(req: IdRequest, res: Response): Promise<void> {
    const call: ReadUserCall = { batchId: req.params.id, at: this.now(), status: 0 };
    this.readUserCalls.push(call); // recorded on arrival, as Feishu counts it
    call.status = await this.answerReadUser(req, res, call.at);
  }

  /** Resolves to the HTTP status answered, or 0 when the client went away first. */
  private async answerReadUser(req: IdRequest, res: Response, at: number): Promise<number> {
    // Feishu counts a call against the limits before it looks at the token.
    if (this.overLimit(this.readUserLog, 'read_user', at)) {
      this.tooFrequent(res);
      return 429;
    }
    if (!this.authorised(req, res)) return 400;
    const behaviour = this.nextBehaviour(req.params.id);
    await pause(behaviour.delayMs);
    if (res.destroyed) return 0;
    if (behaviour.kind === 'error' || behaviour.kind === 'http_error') {
      this.sendFailure(res, behaviour);
      return behaviour.httpStatus;
    }
    const counts = { read_count: String(this.readCount(behaviour)), total_count: String(behaviour.total) };
    res.json({ code: 0, msg: 'success', data: { read_user: counts } });
    return 200;
  }

  private readCount(behaviour: Extract<BatchBehaviour, { kind: 'counts' | 'rising' }>): number {
    if (behaviour.kind === 'counts') return behaviour.read;
    const minutes = (this.now() - this.startedAt) / 60_000;
    return Math.min(behaviour.total, behaviour.read + Math.floor(minutes * behaviour.perMinute));
  }

  private async reply(req: IdRequest, res: Response): Promise<void> {
    const at = this.now();
    const parentId = req.params.id;
    const fault = this.replyFaults.shift();
    if (fault) return this.failLater(res, fault);
    const { msg_type, content, uuid } = (req.body ?? {}) as { msg_type?: unknown; content?: unknown; uuid?: unknown };
    const earlier = typeof uuid === 'string' ? this.repliesByUuid.get(uuid) : undefined;
    if (earlier)
      return void res.json({ code: 0, msg: 'success', data: { message_id: earlier.messageId, parent_id: parentId } });
    if (typeof msg_type !== 'string' || typeof content !== 'string')
      return this.fail(res, 400, 230001, 'invalid param');
    if (this.tooLong(res, content)) return;
    const card = this.parseCard(res, content);
    if (!card) return;
    if (this.overLimit(this.replyLog, 'reply', at)) return this.tooFrequent(res);
    const chatId = this.chatOfMessage.get(parentId);
    if (chatId !== undefined && this.overLimit(this.chatLogs.of(chatId), 'reply_chat', at))
      return this.fail(res, 400, 230020, 'This chat is under frequency control.');
    const messageId = `om_fake_reply_${this.nextId++}`;
    this.recordReply({
      parentId,
      uuid: typeof uuid === 'string' ? uuid : undefined,
      msgType: msg_type,
      card: card.value,
      at,
      messageId,
    });
    res.json({ code: 0, msg: 'success', data: { message_id: messageId, parent_id: parentId, msg_type } });
  }

  private recordReply(reply: ReplyRecord): void {
    this.replies.push(reply);
    if (reply.uuid) this.repliesByUuid.set(reply.uuid, reply);
    const waiters = this.replyWaiters;
    this.replyWaiters = [];
    for (const wake of waiters) wake();
  }

  private async update(req: IdRequest, res: Response): Promise<void> {
    const at = this.now();
    const messageId = req.params.id;
    const failure = this.updateFailures.get(messageId);
    if (failure) {
      this.failedUpdates.push({ messageId, at, httpStatus: failure.httpStatus });
      return this.failLater(res, failure);
    }
    if (![...this.replies, ...this.sent].some((r) => r.messageId === messageId))
      return this.fail(res, 400, 230001, 'invalid message_id');
    const { content } = (req.body ?? {}) as { content?: unknown };
    if (typeof content !== 'string') return this.fail(res, 400, 230001, 'invalid param');
    if (this.tooLong(res, content)) return;
    if (this.overLimit(this.patchLogs.of(messageId), 'patch_message', at))
      return this.fail(res, 400, 230020, 'This message is under frequency control.');
    const card = this.parseCard(res, content);
    if (!card) return;
    this.patches.push({ messageId, card: card.value, at });
    res.json({ code: 0, msg: 'success', data: {} });
  }

  /** True, having answered 230025, when a message's content is over Feishu's size limit. */
  private tooLong(res: Response, content: string): boolean {
    if (Buffer.byteLength(content) <= MAX_CONTENT_BYTES) return false;
    this.fail(res, 400, 230025, 'message content too long');
    return true;
  }

  /** The card in a message's content; undefined, having answered 230099, when it is not JSON. */
  private parseCard(res: Response, content: string): { value: unknown } | undefined {
    try {
      return { value: JSON.parse(content) as unknown };
    } catch {
      this.fail(res, 400, 230099, 'Failed to create card content');
      return undefined;
    }
  }

  /** get_progress: the behaviour's counts as a delivery funnel; its errors as read_user's. Limits of its own. */
  private async getProgress(req: IdRequest, res: Response): Promise<void> {
    const call: ReadUserCall = { batchId: req.params.id, at: this.now(), status: 0 };
    this.progressCalls.push(call);
    if (this.overLimit(this.progressLog, 'get_progress', call.at)) {
      call.status = 429;
      return this.tooFrequent(res);
    }
    if (!this.authorised(req, res)) return void (call.status = 400);
    const script = this.batches.get(req.params.id);
    // Looked at, not taken: a read_user script's steps stay read_user's.
    const behaviour = script?.[0] ?? this.options.fallback?.(req.params.id) ?? NOT_FOUND;
    await pause(behaviour.delayMs);
    if (res.destroyed) return;
    if (behaviour.kind === 'error' || behaviour.kind === 'http_error') {
      call.status = behaviour.httpStatus;
      return this.sendFailure(res, behaviour);
    }
    const recalled = behaviour.kind === 'counts' ? (behaviour.recalled ?? 0) : 0;
    const hidden = behaviour.kind === 'counts' ? (behaviour.hidden ?? 0) : 0;
    call.status = 200;
    res.json({
      code: 0,
      msg: 'success',
      data: {
        batch_message_send_progress: {
          valid_user_ids_count: behaviour.total + hidden,
          success_user_ids_count: behaviour.total,
          read_user_ids_count: this.readCount(behaviour),
        },
        batch_message_recall_progress: { recall: recalled > 0, recall_count: recalled },
      },
    });
  }

  /** Message create: like a reply (uuid, size, card, app limit), 5 a second per recipient. */
  private send(req: Request, res: Response): void {
    const at = this.now();
    const receiveIdType = typeof req.query.receive_id_type === 'string' ? req.query.receive_id_type : '';
    const { receive_id, msg_type, content, uuid } = (req.body ?? {}) as Record<string, unknown>;
    const earlier = typeof uuid === 'string' ? this.sentByUuid.get(uuid) : undefined;
    if (earlier) return void res.json({ code: 0, msg: 'success', data: { message_id: earlier.messageId } });
    if (!['open_id', 'chat_id'].includes(receiveIdType) || typeof receive_id !== 'string' || !receive_id)
      return this.fail(res, 400, 230001, 'invalid receive_id or receive_id_type');
    if (typeof msg_type !== 'string' || typeof content !== 'string')
      return this.fail(res, 400, 230001, 'invalid param');
    if (this.tooLong(res, content)) return;
    const card = this.parseCard(res, content);
    if (!card) return;
    if (this.overLimit(this.replyLog, 'send', at)) return this.tooFrequent(res);
    if (this.overLimit(this.chatLogs.of(receive_id), 'send_recipient', at))
      return this.fail(res, 400, 230020, 'This chat is under frequency control.');
    const record: SentRecord = {
      receiveIdType,
      receiveId: receive_id,
      uuid: typeof uuid === 'string' ? uuid : undefined,
      card: card.value,
      at,
      messageId: `om_fake_sent_${this.nextId++}`,
    };
    this.sent.push(record);
    if (record.uuid) this.sentByUuid.set(record.uuid, record);
    res.json({ code: 0, msg: 'success', data: { message_id: record.messageId, chat_id: 'oc_fake_p2p', msg_type } });
  }

  private chatInfo(chatId: string, res: Response): void {
    this.lookups.push({ api: 'chat', id: chatId });
    const chat = this.options.chats?.[chatId];
    if (!chat) return this.fail(res, 400, 232011, 'the operator is not in the chat');
    res.json({
      code: 0,
      msg: 'success',
      data: {
        name: 'Fake group',
        chat_mode: chat.p2p ? 'p2p' : 'group',
        owner_id_type: 'open_id',
        ...(chat.ownerOpenId ? { owner_id: chat.ownerOpenId } : {}),
        user_manager_id_list: chat.managerOpenIds ?? [],
        bot_manager_id_list: [],
      },
    });
  }

  private userInfo(openId: string, res: Response): void {
    this.lookups.push({ api: 'user', id: openId });
    const departments = this.options.users?.[openId];
    if (!departments) return this.fail(res, 400, 41050, 'no user authority error');
    res.json({ code: 0, msg: 'success', data: { user: { open_id: openId, department_ids: departments } } });
  }
}
