/**
 * How work that found Feishu unavailable waits before it tries again: a
 * growing, jittered wait (COMMAND_WAIT), cut short when the circuit breaker
 * closes, so an outage costs one wait; never past the work's last try.
 */
import type { Clock } from '../domain/clock.js';
import type { BotError } from '../domain/errors.js';
import type { FeishuHealth } from './breaker.js';
import { backoffMs, COMMAND_WAIT } from './retry.js';

export interface FeishuWait {
  clock: Clock;
  feishu: FeishuHealth;
  random?: () => number;
}

/** Resolves when it is time for try number `attempts` + 1 after `error`, at `lastTryAt` at the latest. */
export function untilFeishuBack(w: FeishuWait, error: BotError, attempts: number, lastTryAt: number): Promise<void> {
  const { clock, feishu, random = Math.random } = w;
  const delay = Math.min(backoffMs(error, attempts, random(), COMMAND_WAIT), lastTryAt - clock.now());
  const wake = clock.sleep(delay);
  return feishu.state === 'closed' ? wake : Promise.race([wake, feishu.nextClose()]);
}
