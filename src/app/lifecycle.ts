/**
 * Start, run and stop. Start learns the bot's own open_id (needed to see
 * @mentions), retrying until Feishu answers, then resumes journaled commands
 * and the watches. While running, it looks every 10 s for journaled commands
 * nobody answers (left by a replica that died). Shutdown stops taking events,
 * lets running work finish until a deadline, and leaves the rest journaled.
 */
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { asBotError, BotError } from '../domain/errors.js';
import type { JournalEntry } from '../domain/types.js';

/** How often journaled commands are looked for that nobody answers (a replica died). */
export const CLAIM_EVERY_MS = 10_000;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

export interface LifecycleDeps {
  clock: Clock;
  logger: Logger;
  /** GET /open-apis/bot/v3/info. */
  botOpenId(): Promise<string>;
  /** Journaled commands nobody answers, now ours. */
  claim(): Promise<JournalEntry[]>;
  resume(entry: JournalEntry): void;
  /** Called once the identity is known. */
  started(): void;
  /** Stops starting work: what runs finishes, what waits stays journaled. */
  stopWork(reason: BotError): void;
  /** Lets the work in hand finish (and hands the watches over); resolves when it has. */
  drain(): Promise<unknown>;
  close(): Promise<void>;
}

export class Lifecycle {
  private openId: string | undefined;
  private running = true;

  constructor(private readonly deps: LifecycleDeps) {}

  /** The bot's own open_id, once known. */
  get botOpenId(): string | undefined {
    return this.openId;
  }

  /** True from start-up until shutdown begins (events are taken only then). */
  get accepting(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    await this.learnIdentity();
    if (!this.running) return;
    await this.claimOrphans();
    this.deps.started();
    void this.claimLoop();
  }

  async shutdown(deadlineMs: number): Promise<{ finished: boolean }> {
    this.running = false;
    this.deps.stopWork(new BotError('cancelled', 'shutting down'));
    const finished = await Promise.race([
      this.deps.drain().then(() => true),
      this.deps.clock.sleep(deadlineMs).then(() => false),
    ]);
    await this.deps.close();
    return { finished };
  }

  private async learnIdentity(): Promise<void> {
    const { clock, logger } = this.deps;
    let delay = FIRST_RETRY_MS;
    while (this.running && this.openId === undefined) {
      try {
        this.openId = await this.deps.botOpenId();
        logger.info({ bot_open_id: this.openId }, 'bot identity known; ready');
      } catch (e) {
        const error = asBotError(e);
        logger.error(
          { code: error.code, feishu_code: error.feishuCode, err_msg: error.message, retry_in_ms: delay },
          'cannot fetch the bot’s own info (GET /open-apis/bot/v3/info); is the bot capability enabled and are the credentials right?',
        );
        await clock.sleep(delay);
        delay = Math.min(delay * 2, LONGEST_RETRY_MS);
      }
    }
  }

  /** Journaled commands nobody answers (left by a stop, or by a replica that died) are answered here. */
  private async claimOrphans(): Promise<void> {
    try {
      const claimed = await this.deps.claim();
      if (claimed.length > 0)
        this.deps.logger.info({ count: claimed.length }, 'resuming commands accepted before a stop');
      for (const entry of claimed) this.deps.resume(entry);
    } catch (e) {
      this.deps.logger.warn({ err: e }, 'cannot look for unanswered commands; looking again shortly');
    }
  }

  /** On the injected clock, so tests drive it; the sleep never keeps the process alive by itself. */
  private async claimLoop(): Promise<void> {
    while (this.running) {
      await this.deps.clock.sleep(CLAIM_EVERY_MS);
      if (this.running) await this.claimOrphans();
    }
  }
}
