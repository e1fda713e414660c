/**
 * Every limit the bot keeps, in one table: Feishu's rate limits, what one
 * person may do a minute, how much may wait, how many watches may run.
 * Feishu's come from its docs (each API page's 接口频率限制); the rest are
 * the bot's own choices, each with its reason.
 */

/** At most `max` calls in any sliding window of `windowMs`. */
export interface WindowLimit {
  windowMs: number;
  max: number;
}

const SECOND = 1_000;
const MINUTE = 60_000;

/** Feishu's per-app limits: read_user, get_progress, sending messages and look-ups each have their own. */
export const APP_LIMITS: readonly WindowLimit[] = [
  { windowMs: SECOND, max: 50 },
  { windowMs: MINUTE, max: 1_000 },
];
/** Feishu's limit on bot messages into one user's or one group's chat (230020). */
export const CHAT_LIMITS: readonly WindowLimit[] = [{ windowMs: SECOND, max: 5 }];
/** Feishu's limit on updates to one message. */
export const MESSAGE_UPDATE_LIMITS: readonly WindowLimit[] = [{ windowMs: SECOND, max: 5 }];
/** A request we gave up waiting for may still be on its way to Feishu: its slot counts this much longer. */
export const IN_TRANSIT_MS = 2_000;
/** What bulk work and watches may use of an app's minute: the rest is kept for people's own queries. */
export const BULK_SHARE = 0.9;

/** What one person may do a minute, each counted under its own key, where replicas share it. */
export const PERSON_RATES = {
  /** Commands that ask Feishu; menu presses and form submits count too (USER_COMMANDS_PER_MINUTE). */
  queries: { key: 'commands', perMinute: 10 },
  /** Answers that ask Feishu nothing but the reply (help, a malformed id): people finding their way are not told to slow down. */
  explanations: { key: 'explanations', perMinute: 30 },
  /** Button presses: each may cost up to 10 read_user calls. */
  presses: { key: 'presses', perMinute: 20 },
} as const;
export type PersonRate = keyof typeof PERSON_RATES;

/** How much may wait for its turn, and how fast one person may ask. */
export interface QueueLimits {
  /** Commands accepted and not yet answered, in all (QUEUE_MAX_PENDING). */
  maxPending: number;
  /** The same, in one chat (CHAT_MAX_PENDING). */
  maxPendingPerChat: number;
  /** PERSON_RATES.queries, as configured (USER_COMMANDS_PER_MINUTE). */
  userCommandsPerMinute: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = {
  maxPending: 5_000,
  maxPendingPerChat: 20,
  userCommandsPerMinute: PERSON_RATES.queries.perMinute,
};

/** Watches cost read_user budget all day long: bounded, so people's queries always have room. */
export const WATCH_CAPS = { perChat: 5, perPerson: 10, total: 200 };

/** One person's rate of `kind`: its limit, and the key the shared rate store counts it under. */
export function personRateOf(
  kind: PersonRate,
  personKey: string,
  limits: QueueLimits,
): { key: string; perMinute: number; limit: WindowLimit } {
  const perMinute = kind === 'queries' ? limits.userCommandsPerMinute : PERSON_RATES[kind].perMinute;
  return { key: `${PERSON_RATES[kind].key}:${personKey}`, perMinute, limit: { windowMs: MINUTE, max: perMinute } };
}
