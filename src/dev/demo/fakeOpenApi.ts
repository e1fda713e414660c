/**
 * A fake Feishu Open API: a real HTTP server on 127.0.0.1 that the SDK is
 * pointed at, for demo mode and tests alike. It issues tenant tokens, answers
 * bot info, read_user, get_progress, reply, message create, batch send and
 * recall like Feishu does (HTTP statuses, codes, log ids), enforces Feishu's
 * rate limits on its own clock (answering 429 / 99991400 and 230020 like
 * Feishu), and records every call it received.
 *
 * This class puts the parts in fakeOpenApi/ together and is what tests hold:
 * the batches it plays (batchScripts), the failures a test scripts (faults),
 * the limits (rateLimits), what it received (records), and the routes.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { mountScopes, type FakeScopes } from './fakeScopes.js';
import { mountAuthRoutes, TenantTokens, type AppIdentity } from './fakeOpenApi/authRoutes.js';
import { mountBatchRoutes } from './fakeOpenApi/batchRoutes.js';
import { DEFAULT_RECALL_WINDOW_MS, mountBatchSendRoutes } from './fakeOpenApi/batchSendRoutes.js';
import { BatchScripts, type BatchScript, type Failure, type ScriptOptions } from './fakeOpenApi/batchScripts.js';
import { mountDirectoryRoutes, type Directory } from './fakeOpenApi/directoryRoutes.js';
import { Faults, type BatchSendStep } from './fakeOpenApi/faults.js';
import { fail } from './fakeOpenApi/feishuAnswers.js';
import { mountInspectionRoutes } from './fakeOpenApi/inspectionRoutes.js';
import { mountMessageRoutes } from './fakeOpenApi/messageRoutes.js';
import { RateLimits } from './fakeOpenApi/rateLimits.js';
import { Records, type ReplyRecord, type SentRecord } from './fakeOpenApi/records.js';

export type { BatchBehaviour, BatchScript, Failure } from './fakeOpenApi/batchScripts.js';
export { DEPARTMENT_SIZE } from './fakeOpenApi/batchSendRoutes.js';
export type { FakeChat } from './fakeOpenApi/directoryRoutes.js';
export type { BatchSendStep } from './fakeOpenApi/faults.js';
export type {
  BatchSendRecord,
  PatchRecord,
  ReadUserCall,
  RecallRecord,
  ReplyRecord,
  SentBatch,
  SentRecord,
} from './fakeOpenApi/records.js';

export interface FakeOpenApiOptions extends AppIdentity, ScriptOptions, Directory {
  /** The clock of the rate limits and of the times recorded; Date.now unless a test holds time still. */
  now?: () => number;
  /** The app's scopes (see fakeScopes.ts); unset, every one is granted. */
  scopes?: FakeScopes;
  /** False: the app's scope list answers an error, so only calling the APIs tells. */
  scopeList?: boolean;
  /** How long after its send a batch may be recalled (the tenant's setting); a day unless set. */
  recallWindowMs?: number;
}

export class FakeOpenApi {
  private readonly records = new Records();
  private readonly limits = new RateLimits();
  private readonly faults = new Faults();
  private readonly tokens = new TenantTokens();
  private readonly batches: BatchScripts;
  private readonly now: () => number;
  private server?: Server;

  readonly readUserCalls = this.records.readUserCalls;
  readonly progressCalls = this.records.progressCalls;
  readonly sent = this.records.sent;
  readonly replies = this.records.replies;
  readonly patches = this.records.patches;
  /** Updates refused because of `failUpdates`. */
  readonly failedUpdates = this.records.failedUpdates;
  readonly lookups = this.records.lookups;
  /** Batch-send calls: what each asked for, what it was answered, and the batch it sent. */
  readonly batchSends = this.records.batchSends;
  readonly recalls = this.records.recalls;
  /** Calls that broke a rate limit, as Feishu would have counted them. */
  readonly violations = this.limits.violations;
  /** How long after its send a batch may be recalled: a tenant admin may change it at any time. */
  recallWindowMs: number;

  constructor(private readonly options: FakeOpenApiOptions) {
    this.now = options.now ?? Date.now;
    this.recallWindowMs = options.recallWindowMs ?? DEFAULT_RECALL_WINDOW_MS;
    this.batches = new BatchScripts(options, this.now);
  }

  get tokensIssued(): number {
    return this.tokens.issued;
  }

  /** Calls answered with the outage's status. */
  get outageRefusals(): number {
    return this.faults.outageRefusals;
  }

  setBatch(batchId: string, script: BatchScript): void {
    this.batches.set(batchId, script);
  }

  /** The next replies fail like this, one failure each, before replies succeed again. */
  failReplies(...faults: Failure[]): void {
    this.faults.failReplies(...faults);
  }

  /**
   * From now on every update of this message fails like this: as a recalled message's do (HTTP 400, 230011),
   * which the bot must give up on, or with a 5xx, which it retries.
   */
  failUpdates(messageId: string, failure: Failure): void {
    this.faults.failUpdates(messageId, failure);
  }

  /**
   * The next batch sends meet these, one each, before sends go through at once
   * again: a refusal as Feishu answers it (HTTP 200 and a code such as 11203,
   * 11204 or 11247), a gateway's error (`http_error`), or a delay after which
   * the batch is sent all the same, whether or not the caller still waits.
   */
  scriptBatchSends(...steps: BatchSendStep[]): void {
    this.faults.scriptBatchSends(...steps);
  }

  /** Feishu down (`httpStatus`, 503 by default) or back (`false`): while down, every Open API call fails so. */
  outage(down: boolean, httpStatus = 503): void {
    this.faults.outage(down, httpStatus);
  }

  /** Every token issued so far becomes invalid (99991663), as when Feishu resets them. */
  revokeTokens(): void {
    this.tokens.revoke();
  }

  /** Lets the fake apply the 5-per-second limit of the chat a message is in. */
  registerMessage(messageId: string, chatId: string): void {
    this.limits.registerMessage(messageId, chatId);
  }

  repliesTo(parentId: string): ReplyRecord[] {
    return this.records.repliesTo(parentId);
  }

  /** The card a message shows now: its last update, or what was sent. */
  cardOf(messageId: string): unknown {
    return this.records.cardOf(messageId);
  }

  /** Messages sent to this open_id or chat_id. */
  sentTo(receiveId: string): SentRecord[] {
    return this.records.sentTo(receiveId);
  }

  /** Resolves once `count` replies have been received, or rejects after `timeoutMs`. */
  waitForReplies(count: number, timeoutMs?: number): Promise<ReplyRecord[]> {
    return this.records.waitForReplies(count, timeoutMs);
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

  /** A new app on every listen; what it answers from lives in the parts, so it outlasts a close. */
  private routes(): express.Express {
    const { options, tokens, batches, records, limits, faults, now } = this;
    const app = express();
    app.use(express.json({ limit: '2mb' }));
    app.use('/open-apis', faults.outageGate);
    mountScopes(
      app,
      () => options.scopes,
      () => options.scopeList !== false,
    );
    mountAuthRoutes(app, options, tokens);
    mountBatchRoutes(app, { tokens, batches, records, limits, now });
    mountMessageRoutes(app, { tokens, records, limits, faults, now });
    mountBatchSendRoutes(app, {
      tokens,
      batches,
      records,
      limits,
      faults,
      now,
      scopes: () => options.scopes,
      recallWindowMs: () => this.recallWindowMs,
    });
    mountDirectoryRoutes(app, options, { tokens, records });
    mountInspectionRoutes(app, records);
    app.use((req, res) => fail(res, 404, 404, `fake Open API does not implement ${req.method} ${req.path}`));
    return app;
  }
}
