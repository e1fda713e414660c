/**
 * Turns the text of a chat message into a command. Pure.
 *
 * Reads what people actually type: the command or only the id (`bm_x`,
 * `帮我查一下 bm_x 的阅读数`), near-misses (`reads`, `/read`, `/reads:`,
 * `/history bm_x`), ids after commas or on lines of their own, the words it
 * knows in any order and either language, durations written every usual
 * way, courtesy, mention placeholders (`@_user_1`) and full-width characters.
 *
 *   /reads bm_a [bm_b …]                       counts (up to 10 ids)
 *   /reads bm_a history                        the series of the last 30 days
 *   /reads bm_a watch [2h] [every 5m]          keep the card updating
 *   /reads bm_a stop                           stop watching it in this chat
 *   /reads bm_a delivery                       the delivery funnel (get_progress)
 *
 * What it half understands gets the exact command it may have meant.
 */
import {
  MAX_COMMAND_LENGTH,
  MAX_IDS,
  MAX_SEND_COMMAND_LENGTH,
  WATCH_DEFAULTS,
  WATCH_LIMITS,
  isValidBatchId,
} from '../domain/rules.js';
import type { Command, Mode } from '../domain/command.js';
import { shortDuration, toMs } from './durations.js';
import { readTokens, type Token } from './words.js';

const MENTION_PLACEHOLDER = /@_(?:user_\d+|all)/g;
// Invisible characters that copying from chats and documents brings along.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// Copy-paste often brings these along around an id: quotes and brackets on either side, punctuation after.
const WRAPPING = new Set(`"'\`“”‘’<>()[]{}「」『』《》（）`);
const TRAILING = new Set([...WRAPPING, ...',，.。;；:：!?！？']);
// Between ids: white space and the list punctuation of both languages (full-width ，；｜ are ASCII after NFKC).
const SEPARATORS = /[\s,、;|]+/;

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

/** The words of a list of ids: normalized, without invisible characters; mention placeholders kept. */
export function splitIds(text: string): string[] {
  return text
    .normalize('NFKC') // full-width ／ＡＢＣ and U+3000 become ASCII
    .replace(INVISIBLE, '')
    .split(SEPARATORS)
    .filter((w) => w.length > 0);
}

/** The words of a message: as splitIds, without mention placeholders. */
export function splitWords(text: string): string[] {
  return splitIds(text.replace(MENTION_PLACEHOLDER, ' '));
}

/**
 * `/send` (`/发送`), and `/sent` (`/已发送`): written with the slash, after any
 * mention placeholders. Only the first line is normalized: the message below
 * it goes out exactly as written.
 */
const SEND_WORD = /^\s*(?:@_(?:user_\d+|all)\s*)*\/\s*(send|sent|发送|已发送)(?=\s|@|$)/i;

/** The recipients written after `/send`, and the message on the lines below; undefined for any other text. */
function parseSend(text: string): Command | undefined {
  const newline = text.indexOf('\n');
  const head = (newline < 0 ? text : text.slice(0, newline)).normalize('NFKC').replace(INVISIBLE, '');
  const word = SEND_WORD.exec(head);
  if (!word) return undefined;
  if (['sent', '已发送'].includes(word[1]!.toLowerCase())) return { kind: 'sent' };
  return { kind: 'send', to: head.slice(word[0].length), text: newline < 0 ? '' : text.slice(newline + 1) };
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

/** A number followed by its unit (`2 hours`, `10 分钟`, `两小时`) is one duration. */
function joinUnits(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.t === 'unit' && last?.t === 'number')
      out[out.length - 1] = { t: 'duration', ms: toMs(last.n, t.unit), given: `${last.given} ${t.given}` };
    else out.push(t);
  }
  return out;
}

type Option = Extract<Token, { t: 'duration' | 'number' | 'unit' }> | Extract<Token, { t: 'word' }>;

/** A watch's duration and interval, from the words about time, in any order; or the rule they break. */
function parseWatch(batchId: string, options: Option[]): Extract<Command, { kind: 'watch' | 'invalid_watch' }> {
  let durationMs: number | undefined;
  let intervalMs: number | undefined;
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    const isEvery = option.t === 'word';
    const value = isEvery ? options[++i] : option;
    if (value?.t !== 'duration')
      return { kind: 'invalid_watch', problem: 'bad_duration', given: (value ?? option).given };
    if (isEvery || durationMs !== undefined) {
      if (intervalMs !== undefined) return { kind: 'invalid_watch', problem: 'bad_duration', given: value.given };
      intervalMs = value.ms;
    } else durationMs = value.ms;
  }
  const duration = durationMs ?? WATCH_DEFAULTS.durationMs;
  // Unasked, the interval is the default or the whole watch, whichever is shorter.
  const interval = intervalMs ?? Math.min(WATCH_DEFAULTS.intervalMs, duration);
  if (duration < WATCH_LIMITS.minDurationMs) return { kind: 'invalid_watch', problem: 'too_short' };
  if (duration > WATCH_LIMITS.maxDurationMs) return { kind: 'invalid_watch', problem: 'too_long' };
  if (interval < WATCH_LIMITS.minIntervalMs) return { kind: 'invalid_watch', problem: 'interval_too_short' };
  if (interval > duration) return { kind: 'invalid_watch', problem: 'interval_too_long' };
  return { kind: 'watch', batchId, durationMs: duration, intervalMs: interval };
}

/** The command, written the way the help card shows it. */
function written(ids: string[], mode?: Mode, watch?: { durationMs: number; intervalMs: number }): string {
  const words = ['/reads', ...ids, ...(mode ? [mode] : [])];
  if (watch) words.push(shortDuration(watch.durationMs), 'every', shortDuration(watch.intervalMs));
  return words.join(' ');
}

/** What the tokens of a message ask for. */
function decide(tokens: Token[]): Command {
  const ids: string[] = [];
  const modes: Mode[] = [];
  const options: Option[] = [];
  const unknown: string[] = [];
  let badId: string | undefined;
  let named = false; // the message is written as a command: "/reads", "reads", "/history", "/readz"…
  let asksHelp = false;
  for (const t of tokens) {
    if (t.t === 'id') {
      if (!ids.includes(t.id)) ids.push(t.id);
    } else if (t.t === 'bad_id') badId ??= t.given;
    else if (t.t === 'unknown') {
      if (t.slash) named = true;
      unknown.push(t.given);
    } else if (t.t !== 'word') options.push(t);
    else {
      const { meaning } = t;
      if (t.slash || meaning.kind === 'command') named = true;
      if (meaning.kind === 'mode' && !modes.includes(meaning.mode)) modes.push(meaning.mode);
      if (meaning.kind === 'every') options.push(t);
      if (meaning.kind === 'help') asksHelp = true;
    }
  }
  if (badId !== undefined) return { kind: 'invalid_id', given: badId };
  // "停止监控", "stop watching": the watch is what is stopped.
  const mode = modes.includes('stop') ? 'stop' : modes.length === 1 ? modes[0] : undefined;
  const wantsWatch = options.some((o) => o.t === 'duration' || o.t === 'word');

  if (ids.length === 0) {
    if (asksHelp) return { kind: 'help', reason: 'asked' };
    const meantAsCommand = modes.length > 0 || tokens.some((t) => t.t === 'word' && t.meaning.kind === 'command');
    if (!meantAsCommand) return { kind: 'help', reason: 'unknown' };
    if (modes.length > 0) return { kind: 'help', reason: 'missing_id' };
    // Something stands where the id goes.
    const given = tokens.find(
      (t): t is Extract<Token, { t: 'unknown' | 'number' }> => (t.t === 'unknown' && !t.slash) || t.t === 'number',
    );
    return given ? { kind: 'invalid_id', given: given.given } : { kind: 'help', reason: 'missing_id' };
  }
  if (ids.length > 1 && (modes.length > 0 || wantsWatch))
    return { kind: 'help', reason: 'one_id_for_history_or_watch' };
  if (ids.length > MAX_IDS) return { kind: 'too_many_ids', count: ids.length };
  const batchId = ids[0]!;
  if (mode === undefined && modes.length > 1) {
    return { kind: 'did_you_mean', suggestions: modes.map((m) => written(ids, m)), unknown };
  }
  if (mode === 'watch' || (mode === undefined && wantsWatch)) {
    const watch = parseWatch(batchId, options);
    if (watch.kind === 'invalid_watch') return watch;
    if (mode === undefined) return { kind: 'did_you_mean', suggestions: [written(ids, 'watch', watch)], unknown };
    // Written as a watch command, a word not understood was most likely meant as its time.
    return named && unknown.length > 0 ? { kind: 'invalid_watch', problem: 'bad_duration', given: unknown[0] } : watch;
  }
  // Time given to something that takes none, or words not understood in what is written as a command.
  const stray = [...options.map((o) => o.given), ...(named ? unknown : [])];
  if (stray.length > 0) return { kind: 'did_you_mean', suggestions: [written(ids, mode)], unknown: stray };
  if (mode === undefined) return { kind: 'reads', batchIds: ids };
  return { kind: mode, batchId };
}

export function parseCommand(text: string): Command {
  // A send's recipients may be hundreds of ids: it has a longer limit of its own.
  if (text.length > MAX_SEND_COMMAND_LENGTH) return { kind: 'too_long', length: text.length };
  const send = parseSend(text);
  if (send) return send;
  if (text.length > MAX_COMMAND_LENGTH) return { kind: 'too_long', length: text.length };
  const words = splitWords(text)
    .map(stripWrapping)
    .filter((w) => w.length > 0);
  return decide(joinUnits(readTokens(words)));
}
