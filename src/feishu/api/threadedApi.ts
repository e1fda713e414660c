/**
 * FeishuApi on a thread of its own. A call through the SDK and axios costs
 * far more CPU and garbage than the bot's own work on an event
 * (docs/performance.md), and draining a backlog the bot makes up to a
 * hundred calls a second (a read_user and a reply a command). On the event
 * loop that also acknowledges webhooks, that CPU is latency for every event
 * that arrives meanwhile. So the SDK client lives in a worker
 * (src/app/feishuThread.ts): each call is a message to it, and its answer, or its
 * BotError, a message back.
 *
 * The thread is a stand-in, not a second bot: the rate limits, the breaker,
 * the metrics and every retry decision stay on the main thread, which sees
 * the same FeishuApi as before. When the thread dies, the calls it had are
 * failed as network errors (transient: their commands wait and are tried
 * again), and the next call starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { asBotError, BotError, type BotErrorDetails, type ErrorCode } from '../../domain/errors.js';
import type { DeliveryCounts, ReadCounts } from '../../domain/types.js';
import type { ChatAdmins, FeishuApi, GrantedScope, OpenApiOptions, Recipient } from './openApi.js';
import type { BatchMessage, BatchSent } from './batchMessages.js';

type Method = keyof FeishuApi;
type Args<M extends Method> = Parameters<FeishuApi[M]>;
type Result<M extends Method> = Awaited<ReturnType<FeishuApi[M]>>;

interface Call {
  id: number;
  method: Method;
  args: unknown[];
}

/** A BotError as it crosses the thread: its fields, and its cause as text (an AxiosError holds secrets, and functions that do not clone). */
interface SentError {
  code: ErrorCode;
  message: string;
  details: Omit<BotErrorDetails, 'cause'>;
  cause?: { name: string; message: string; stack?: string };
}

type Answer = { id: number; value: unknown } | { id: number; error: SentError };

/** The thread's first message: what to connect to, and how to log (src/app/feishuThread.ts waits for it). */
export interface ApiThreadData {
  options: Omit<OpenApiOptions, 'logger'>;
  logLevel: string;
}

/** The end of the thread that answers: runs each call on `api` and posts the outcome back. */
export function serveApi(
  port: { on(event: 'message', f: (call: Call) => void): void; postMessage(answer: Answer): void },
  api: FeishuApi,
): void {
  port.on('message', ({ id, method, args }) => {
    Promise.resolve()
      .then(() => (api[method] as (this: FeishuApi, ...a: unknown[]) => unknown).apply(api, args))
      .then(
        (value) => port.postMessage({ id, value }),
        (e: unknown) => port.postMessage({ id, error: sendError(e) }),
      );
  });
}

function sendError(e: unknown): SentError {
  const { code, message, feishuCode, httpStatus, logId, retryAfterMs, missingScopes, cause } = asBotError(e);
  return {
    code,
    message,
    details: { feishuCode, httpStatus, logId, retryAfterMs, missingScopes },
    cause: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : undefined,
  };
}

function receiveError({ code, message, details, cause }: SentError): BotError {
  const thrown = cause && Object.assign(new Error(cause.message), cause);
  return new BotError(code, message, { ...details, cause: thrown });
}

/**
 * Starts threads that run the SDK: `file` is their entry (src/app/feishuThread.ts,
 * bundled as dist/feishuThread.js). The first starts at once: it loads the
 * SDK, which takes a while, while the main thread is still starting, before
 * anyone knows what it will connect to.
 */
export function apiThread(file: URL): () => Worker {
  let early: Worker | undefined = new Worker(file);
  early.once('exit', () => (early = undefined)); // one that died unused is not handed out
  return () => {
    const thread = early ?? new Worker(file);
    early = undefined;
    return thread;
  };
}

export class ThreadedApi implements FeishuApi {
  private thread?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: BotError) => void }>();

  /** `start` makes a new thread, which is sent `data` first: at once, and again at the next call after one died. */
  constructor(
    private readonly start: () => Worker,
    private readonly data: ApiThreadData,
  ) {
    this.running();
  }

  readUser(batchMessageId: string): Promise<ReadCounts> {
    return this.call('readUser', [batchMessageId]);
  }
  getProgress(batchMessageId: string): Promise<DeliveryCounts> {
    return this.call('getProgress', [batchMessageId]);
  }
  sendCard(to: Recipient, card: object, uuid: string): Promise<string> {
    return this.call('sendCard', [to, card, uuid]);
  }
  replyCard(messageId: string, card: object, uuid: string): Promise<string> {
    return this.call('replyCard', [messageId, card, uuid]);
  }
  batchSend(message: BatchMessage): Promise<BatchSent> {
    return this.call('batchSend', [message]);
  }
  recallBatch(batchId: string): Promise<void> {
    return this.call('recallBatch', [batchId]);
  }
  patchCard(messageId: string, card: object): Promise<void> {
    return this.call('patchCard', [messageId, card]);
  }
  botOpenId(): Promise<string> {
    return this.call('botOpenId', []);
  }
  chatAdmins(chatId: string): Promise<ChatAdmins> {
    return this.call('chatAdmins', [chatId]);
  }
  userDepartments(openId: string): Promise<string[]> {
    return this.call('userDepartments', [openId]);
  }
  grantedScopes(): Promise<GrantedScope[]> {
    return this.call('grantedScopes', []);
  }
  invalidateToken(): void {
    // Nothing to wait for: the thread's next call fetches a new token.
    this.call('invalidateToken', []).catch(() => undefined);
  }

  /** Ends the thread; calls still on it fail as network errors. */
  async close(): Promise<void> {
    await this.thread?.terminate();
  }

  private call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.running().postMessage({ id, method, args } satisfies Call);
    });
  }

  private running(): Worker {
    if (this.thread) return this.thread;
    const thread = this.start();
    // The servers keep the process alive; a thread waiting for calls must not.
    thread.unref();
    thread.postMessage(this.data);
    thread.on('message', (answer: Answer) => this.answer(answer));
    let failure: Error | undefined;
    thread.on('error', (e) => (failure = e));
    thread.once('exit', (exitCode) => {
      this.thread = undefined;
      const why = failure ? failure.message : `it exited with code ${exitCode}`;
      for (const [id, { reject }] of this.pending) {
        this.pending.delete(id);
        reject(new BotError('network', `the Feishu API thread stopped before answering: ${why}`, { cause: failure }));
      }
    });
    this.thread = thread;
    return thread;
  }

  private answer(answer: Answer): void {
    const call = this.pending.get(answer.id);
    if (!call) return;
    this.pending.delete(answer.id);
    if ('error' in answer) call.reject(receiveError(answer.error));
    else call.resolve(answer.value);
  }
}
