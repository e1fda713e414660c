/**
 * What /readyz reports: the bot knows who it is, takes events, reaches its
 * shared state, holds a working tenant token, and its queue has room. The
 * token is checked at most every 30 s, in the background, so asking is cheap.
 */
import type { Clock } from '../domain/clock.js';
import type { Readiness } from '../inbound/http/server.js';

export const TOKEN_CHECK_EVERY_MS = 30_000;

export interface ReadinessDeps {
  clock: Clock;
  /** Any authenticated call: it fails when the token cannot be had. */
  checkToken(): Promise<unknown>;
  /** The checks of the other parts, asked each time. */
  checks(): Record<string, boolean>;
  details?(): Record<string, unknown> | undefined;
}

export class ReadinessCheck {
  private tokenCheckedAt = -Infinity;
  private tokenOk = false;
  private checking = false;

  constructor(private readonly deps: ReadinessDeps) {}

  /** The token was just seen to work (the start-up call). */
  tokenWorks(): void {
    this.tokenOk = true;
    this.tokenCheckedAt = this.deps.clock.now();
  }

  now(): Readiness {
    if (this.deps.clock.now() - this.tokenCheckedAt > TOKEN_CHECK_EVERY_MS) this.checkToken();
    const checks = { ...this.deps.checks(), token: this.tokenOk };
    const details = this.deps.details?.();
    return { ready: Object.values(checks).every(Boolean), checks, ...(details ? { details } : {}) };
  }

  private checkToken(): void {
    if (this.checking) return;
    this.checking = true;
    this.deps
      .checkToken()
      .then(
        () => (this.tokenOk = true),
        () => (this.tokenOk = false),
      )
      .finally(() => {
        this.tokenCheckedAt = this.deps.clock.now();
        this.checking = false;
      });
  }
}
