/**
 * One circuit breaker for every Feishu call, so an outage costs one wait, not
 * a hammering. Closed: calls go through. After `failuresToOpen` outage
 * failures in a row (5xx, timeouts, network errors; a rate limit is not one)
 * it opens: calls fail at once with 'feishu_unavailable', and the work waits.
 * Open, it probes Feishu with one call after a jittered wait that grows with
 * each failed probe (half-open while the probe runs); when the probe — or a
 * call that was already on its way — gets an answer, it closes and tells
 * whoever waits. One log line when an outage starts, one when it ends.
 */
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { BotError } from '../domain/errors.js';
import type { FeishuApi } from './api/openApi.js';
import { isOutage, jitteredMs } from './retry.js';
import { toBotError } from './api/toBotError.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerPolicy {
  /** Outage failures in a row, with no answer from Feishu in between, that open it. */
  failuresToOpen: number;
  /** The wait before the first probe; it doubles after each failed probe, up to `maxDelayMs`, jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Probes at most every 20 s: Feishu's return is noticed within about 20 s. */
export const DEFAULT_BREAKER: BreakerPolicy = { failuresToOpen: 5, baseDelayMs: 2_000, maxDelayMs: 20_000 };

export interface Outage {
  from: number;
  to: number;
}

export interface BreakerDeps {
  clock: Clock;
  logger: Logger;
  /** One cheap authenticated call (it needs a token too): succeeds once Feishu answers again. */
  probe(): Promise<unknown>;
  policy?: BreakerPolicy;
  random?: () => number;
}

/** What the rest of the bot sees of the breaker. */
export interface FeishuHealth {
  readonly state: BreakerState;
  /** When the outage now going on began; undefined while closed. */
  readonly downSince: number | undefined;
  /** The last outage that ended. */
  readonly lastOutage: Outage | undefined;
  /** Resolves the next time the breaker closes (Feishu is back). */
  nextClose(): Promise<void>;
  /** Tells `listener` of every change of state from now on. */
  onChange(listener: (state: BreakerState) => void): void;
}

export class CircuitBreaker implements FeishuHealth {
  private current: BreakerState = 'closed';
  private failures = 0;
  /** When the outage now going on began (meaningless while closed). */
  private since = 0;
  private ended: Outage | undefined;
  /** Counts openings, so a probe loop of an outage already over stops. */
  private epoch = 0;
  private closeWaiters: Array<() => void> = [];
  private readonly listeners: Array<(state: BreakerState) => void> = [];
  private stopped = false;
  private readonly policy: BreakerPolicy;

  constructor(private readonly deps: BreakerDeps) {
    this.policy = deps.policy ?? DEFAULT_BREAKER;
  }

  get state(): BreakerState {
    return this.current;
  }

  get downSince(): number | undefined {
    return this.current === 'closed' ? undefined : this.since;
  }

  get lastOutage(): Outage | undefined {
    return this.ended;
  }

  /** Runs `call` while closed and learns from how it ends; otherwise fails at once, sending nothing. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.current !== 'closed') {
      throw new BotError('feishu_unavailable', 'Feishu is unavailable (the circuit breaker is open): nothing was sent');
    }
    try {
      const result = await call();
      this.answered();
      return result;
    } catch (e) {
      if (isOutage(toBotError(e))) this.failed();
      else this.answered(); // Feishu answered, even if it said no
      throw e;
    }
  }

  nextClose(): Promise<void> {
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  onChange(listener: (state: BreakerState) => void): void {
    this.listeners.push(listener);
  }

  /** No more probes (shutting down). */
  stop(): void {
    this.stopped = true;
  }

  private answered(): void {
    this.failures = 0;
    if (this.current !== 'closed') this.close();
  }

  private failed(): void {
    if (this.current !== 'closed' || ++this.failures < this.policy.failuresToOpen) return;
    this.become('open');
    this.since = this.deps.clock.now();
    this.deps.logger.warn(
      { failures: this.failures },
      'Feishu is unavailable: no calls until a probe gets an answer; commands wait in the journal',
    );
    void this.probeUntilBack(++this.epoch);
  }

  private async probeUntilBack(epoch: number): Promise<void> {
    const { clock, random = Math.random } = this.deps;
    for (let attempt = 1; ; attempt++) {
      await clock.sleep(jitteredMs(attempt, random(), this.policy));
      if (this.stopped || this.over(epoch)) return;
      this.become('half_open');
      try {
        await this.deps.probe();
      } catch (e) {
        if (!this.over(epoch) && isOutage(toBotError(e))) {
          this.become('open');
          continue;
        }
      }
      if (!this.over(epoch)) this.close();
      return;
    }
  }

  /** This outage has ended (a call got an answer meanwhile), or another began since. */
  private over(epoch: number): boolean {
    return epoch !== this.epoch || this.current === 'closed';
  }

  private become(state: BreakerState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }

  private close(): void {
    const to = this.deps.clock.now();
    this.failures = 0;
    this.ended = { from: this.since, to };
    this.deps.logger.info({ down_ms: to - this.since }, 'Feishu is back: waiting work goes ahead');
    this.become('closed');
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * `api` with every call through the breaker. Wrapped where each call is made,
 * inside its scheduled slot: a call that queued before the outage began sends
 * nothing once the breaker is open.
 */
export function guardApi(api: FeishuApi, breaker: CircuitBreaker): FeishuApi {
  return {
    readUser: (id) => breaker.run(() => api.readUser(id)),
    getProgress: (id) => breaker.run(() => api.getProgress(id)),
    sendCard: (to, card, uuid) => breaker.run(() => api.sendCard(to, card, uuid)),
    replyCard: (id, card, uuid) => breaker.run(() => api.replyCard(id, card, uuid)),
    patchCard: (id, card) => breaker.run(() => api.patchCard(id, card)),
    batchSend: (message) => breaker.run(() => api.batchSend(message)),
    recallBatch: (id) => breaker.run(() => api.recallBatch(id)),
    botOpenId: () => breaker.run(() => api.botOpenId()),
    chatAdmins: (id) => breaker.run(() => api.chatAdmins(id)),
    userDepartments: (id) => breaker.run(() => api.userDepartments(id)),
    grantedScopes: () => breaker.run(() => api.grantedScopes()),
    invalidateToken: () => api.invalidateToken(),
  };
}
