/**
 * Turns the text of a chat message into a command. Pure.
 *
 * Tolerates what people actually type: mention placeholders (`@_user_1`),
 * full-width characters from Chinese input methods (`／ｒｅａｄｓ`, U+3000
 * spaces), mixed case, extra spaces and ids wrapped in quotes or brackets.
 *
 *   /reads bm_a [bm_b …]                       counts (up to 10 ids)
 *   /reads bm_a history                        the series of the last 30 days
 *   /reads bm_a watch [2h] [every 5m]          keep the card updating
 */
import { MAX_COMMAND_LENGTH, MAX_IDS, WATCH_DEFAULTS, WATCH_LIMITS, isValidBatchId } from '../domain/rules.js';
import type { Command } from '../domain/command.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const MENTION_PLACEHOLDER = /@_(?:user_\d+|all)/g;
// Invisible characters that copying from chats and documents brings along.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// Copy-paste often brings these along around an id: quotes and brackets on either side, punctuation after.
const WRAPPING = new Set(`"'\`“”‘’<>()[]{}「」『』《》（）`);
const TRAILING = new Set([...WRAPPING, ...',，.。;；:：!?！？']);
// Between ids: white space and the list punctuation of both languages (full-width ，；｜ are ASCII after NFKC).
const SEPARATORS = /[\s,、;|]+/;
const HISTORY_WORDS = new Set(['history', '历史']);
const WATCH_WORDS = new Set(['watch', '监控', '关注']);
const EVERY_WORDS = new Set(['every', '每', 'each']);

/** "2h", "90m", "1h30m", "45min", "2小时", "30分钟" → milliseconds; undefined if not a duration. */
export function parseDuration(word: string): number | undefined {
  const m = /^(?:(\d{1,3})(?:h|hr|hrs|hours?|小时))?(?:(\d{1,4})(?:m|min|mins|minutes?|分钟|分))?$/i.exec(word);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * HOUR + Number(m[2] ?? 0) * MINUTE;
}

/**
 * The word without what wraps it. A loop, not a regex: an anchored
 * `[…]+$` backtracks quadratically on a long run that is not at the end.
 * Words come from splitWords, so they hold no white space.
 */
export function stripWrapping(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && WRAPPING.has(word[start]!)) start++;
  while (end > start && TRAILING.has(word[end - 1]!)) end--;
  return word.slice(start, end);
}

/** The words of a message: normalized, without invisible characters and mention placeholders. */
export function splitWords(text: string): string[] {
  return text
    .normalize('NFKC') // full-width ／ＡＢＣ and U+3000 become ASCII
    .replace(INVISIBLE, '')
    .replace(MENTION_PLACEHOLDER, ' ')
    .split(SEPARATORS)
    .filter((w) => w.length > 0);
}

/**
 * The ids of a list as a person types it (one a line, after commas, in
 * quotes…): the same separators, trimming and validation as commands. Each
 * valid id once, in order; `invalid` holds the other words as typed.
 */
export function readIdList(text: string): { ids: string[]; invalid: string[] } {
  const words = splitWords(text)
    .map(stripWrapping)
    .filter((w) => w.length > 0);
  return { ids: [...new Set(words.filter(isValidBatchId))], invalid: words.filter((w) => !isValidBatchId(w)) };
}

function parseWatch(batchId: string, words: string[]): Command {
  let durationMs: number | undefined;
  let intervalMs: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const isEvery = EVERY_WORDS.has(word);
    const value = isEvery ? words[++i] : word;
    const ms = value === undefined ? undefined : parseDuration(value);
    if (ms === undefined || ms === 0) return { kind: 'invalid_watch', problem: 'bad_duration', given: value ?? word };
    if (isEvery || durationMs !== undefined) intervalMs = ms;
    else durationMs = ms;
  }
  const duration = durationMs ?? WATCH_DEFAULTS.durationMs;
  const interval = intervalMs ?? WATCH_DEFAULTS.intervalMs;
  if (duration > WATCH_LIMITS.maxDurationMs) return { kind: 'invalid_watch', problem: 'too_long' };
  if (interval < WATCH_LIMITS.minIntervalMs) return { kind: 'invalid_watch', problem: 'interval_too_short' };
  if (interval > duration) return { kind: 'invalid_watch', problem: 'interval_too_long' };
  return { kind: 'watch', batchId, durationMs: duration, intervalMs: interval };
}

export function parseCommand(text: string): Command {
  if (text.length > MAX_COMMAND_LENGTH) return { kind: 'too_long', length: text.length };
  const [head, ...rest] = splitWords(text);
  const name = head?.toLowerCase();

  if (name === '/help') return { kind: 'help', reason: 'asked' };
  if (name !== '/reads') return { kind: 'help', reason: 'unknown' };

  const args = rest.map(stripWrapping).filter((w) => w.length > 0);
  const modeAt = args.findIndex((w) => HISTORY_WORDS.has(w.toLowerCase()) || WATCH_WORDS.has(w.toLowerCase()));
  const ids = modeAt < 0 ? args : args.slice(0, modeAt);
  if (ids.length === 0) return { kind: 'help', reason: 'missing_id' };
  const invalid = ids.find((id) => !isValidBatchId(id));
  if (invalid !== undefined) return { kind: 'invalid_id', given: invalid };
  const unique = [...new Set(ids)];

  if (modeAt >= 0) {
    if (unique.length > 1) return { kind: 'help', reason: 'one_id_for_history_or_watch' };
    const batchId = unique[0]!;
    const mode = args[modeAt]!.toLowerCase();
    const options = args.slice(modeAt + 1).map((w) => w.toLowerCase());
    if (HISTORY_WORDS.has(mode)) return { kind: 'history', batchId };
    return parseWatch(batchId, options);
  }
  if (unique.length > MAX_IDS) return { kind: 'too_many_ids', count: unique.length };
  return { kind: 'reads', batchIds: unique };
}
