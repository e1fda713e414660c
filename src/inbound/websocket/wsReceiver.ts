/**
 * Long-connection mode (FEISHU_EVENT_MODE=websocket): the SDK's WSClient
 * keeps a WebSocket to Feishu open, so no public URL is needed. The SDK
 * reconnects by itself on the schedule Feishu pushes; when it gives up (or
 * the first connect fails for good) this starts it again, with capped
 * exponential backoff. Its state is a /readyz check.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import { createHttpInstance, sdkLogger } from '../../feishu/api/openApi.js';
import { backoffMs, type RetryPolicy } from '../../feishu/retry.js';
import { toBotError } from '../../feishu/api/toBotError.js';
import { createWsDispatcher, type WsForwarding } from './wsDispatcher.js';
import type { Clock } from '../../domain/clock.js';
import type { EventInbox } from '../eventInbox.js';

/** The part of the SDK's WSClient used here; tests pass a fake and drive the dispatcher themselves. */
export interface LongConnection {
  start(params: { eventDispatcher: lark.EventDispatcher }): Promise<void>;
  close(params?: { force?: boolean }): void;
}

/** The SDK's lifecycle callbacks, named as its constructor takes them. */
export interface ConnectionEvents {
  onReady(): void;
  onReconnecting(): void;
  onReconnected(): void;
  /** The SDK gave up: a refused connect (bad credentials, mode not enabled) or reconnects exhausted. */
  onError(error: Error): void;
}

export type OpenConnection = (events: ConnectionEvents) => LongConnection;

export type WsState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/**
 * Seconds without any frame after a ping before the socket counts as dead and
 * is replaced. The SDK's default (0) never notices a silently dropped
 * connection; Feishu answers pings within a second or so.
 */
export const PING_TIMEOUT_S = 30;
/** Without one, a handshake stuck on DNS or a proxy hangs for ever. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
/** Starting again after the SDK gave up: 1 s, 2 s, 4 s… up to a minute, with jitter. */
export const RESTART_POLICY: RetryPolicy = {
  maxAttempts: Infinity,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  budgetMs: Infinity,
};

export interface SdkConnectionOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  timeoutMs: number;
  logger: Logger;
}

export function sdkConnection(o: SdkConnectionOptions): OpenConnection {
  return (events) =>
    new lark.WSClient({
      appId: o.appId,
      appSecret: o.appSecret,
      domain: o.baseUrl,
      httpInstance: createHttpInstance(o.timeoutMs),
      logger: sdkLogger(o.logger),
      loggerLevel: lark.LoggerLevel.trace,
      autoReconnect: true,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      wsConfig: { pingTimeout: PING_TIMEOUT_S },
      ...events,
    });
}

export interface WsReceiverDeps {
  open: OpenConnection;
  /** Only if Feishu ever encrypts long-connection frames: it documents them as plain. */
  encryptKey?: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** FEISHU_FORWARD_URL, and the keys to post there as Feishu would. */
  forward?: WsForwarding;
}

export class WsReceiver {
  private state: WsState = 'idle';
  private connection?: LongConnection;
  private dispatcher?: lark.EventDispatcher;
  /** Consecutive give-ups since the connection was last up. */
  private failures = 0;

  constructor(private readonly deps: WsReceiverDeps) {}

  /** Connects, and hands every event to `entry`: the same one the webhook uses. */
  start(entry: EventInbox): void {
    if (this.connection || this.state === 'closed') return;
    const { logger } = this.deps;
    this.dispatcher = createWsDispatcher({
      entry,
      encryptKey: this.deps.encryptKey,
      logger,
      forward: this.deps.forward,
    });
    this.connection = this.deps.open({
      onReady: () => this.up('long connection to Feishu is up'),
      onReconnected: () => this.up('long connection to Feishu is back'),
      onReconnecting: () => {
        this.state = 'reconnecting';
        logger.warn('long connection to Feishu lost; reconnecting');
      },
      onError: (e) => this.gaveUp(e),
    });
    this.connect();
  }

  connected(): boolean {
    return this.state === 'connected';
  }

  get status(): WsState {
    return this.state;
  }

  close(): void {
    this.state = 'closed';
    this.connection?.close({ force: true });
  }

  private connect(): void {
    this.state = 'connecting';
    if (!this.connection || !this.dispatcher) return;
    this.connection.start({ eventDispatcher: this.dispatcher }).catch((e: unknown) => this.gaveUp(e));
  }

  private up(message: string): void {
    if (this.state === 'closed') return;
    this.state = 'connected';
    this.failures = 0;
    this.deps.logger.info(message);
  }

  private gaveUp(e: unknown): void {
    if (this.state === 'closed') return;
    this.state = 'failed';
    this.failures++;
    const error = toBotError(e);
    const delay = backoffMs(error, this.failures, (this.deps.random ?? Math.random)(), RESTART_POLICY);
    this.deps.logger.error(
      { err_msg: error.message, attempt: this.failures, retry_in_ms: Math.round(delay) },
      'long connection to Feishu failed; is long-connection mode chosen in the developer console and are the credentials right?',
    );
    void this.deps.clock.sleep(delay).then(() => {
      if (this.state === 'failed') this.connect();
    });
  }
}
