/**
 * The words the bot knows, and a message read as a list of tokens: ids,
 * known words, durations, numbers, units and what is left over. Pure, and
 * linear in the length of the text: every loop moves forward, every pattern
 * is anchored and bounded.
 */
import { isValidBatchId } from '../domain/rules.js';
import type { Mode } from '../domain/command.js';
import { UNITS, parseDuration, parseNumber, type Unit } from './durations.js';

/** What a known word asks for. */
export type Meaning =
  | { kind: 'mode'; mode: Mode }
  /** Names the command without adding to it: `/reads`, `reads`, `/read`. */
  | { kind: 'command' }
  | { kind: 'every' }
  | { kind: 'help' }
  /** Courtesy, ignored. */
  | { kind: 'polite' };

const command: Meaning = { kind: 'command' };
const every: Meaning = { kind: 'every' };
const help: Meaning = { kind: 'help' };
const polite: Meaning = { kind: 'polite' };
const mode = (m: Mode): Meaning => ({ kind: 'mode', mode: m });

/**
 * Every word the bot knows, in lower case, in both languages; `/word` means
 * the same as `word`. Adding a word is one entry.
 */
export const WORDS: Readonly<Record<string, Meaning>> = {
  reads: command,
  read: command,
  history: mode('history'),
  历史: mode('history'),
  历史记录: mode('history'),
  趋势: mode('history'),
  watch: mode('watch'),
  监控: mode('watch'),
  关注: mode('watch'),
  stop: mode('stop'),
  unwatch: mode('stop'),
  cancel: mode('stop'),
  停止: mode('stop'),
  取消: mode('stop'),
  delivery: mode('delivery'),
  送达: mode('delivery'),
  every,
  each: every,
  每: every,
  每隔: every,
  help,
  帮助: help,
  please: polite,
  pls: polite,
  plz: polite,
  thanks: polite,
  thank: polite,
  thx: polite,
  you: polite,
  谢谢: polite,
  多谢: polite,
  感谢: polite,
  请: polite,
  麻烦: polite,
  帮我: polite,
  帮忙: polite,
  一下: polite,
  你: polite,
  您: polite,
};

export type Token =
  | { t: 'id'; id: string }
  /** A word meant as an id that cannot be one. */
  | { t: 'bad_id'; given: string }
  | { t: 'word'; meaning: Meaning; given: string; slash: boolean }
  | { t: 'duration'; ms: number; given: string }
  | { t: 'number'; n: number; given: string }
  | { t: 'unit'; unit: Unit; given: string }
  /** Not understood; `slash` when written as a command (`/readz`). */
  | { t: 'unknown'; given: string; slash: boolean };

// Runs of the characters ids, durations and English words are made of, and runs of everything else.
const RUNS = /[A-Za-z0-9_.-]+|[^A-Za-z0-9_.-]+/g;
// Where a batch message id may start: `bm_` or `bm-`, in any case (`BM_x` is not an id, but meant as one).
const ID_START = /bm[_-]/i;
// Where an id starts that is set apart from what comes before it (`查bm_x`, `(bm_x`), unlike `bm-` inside a
// word (`IBM-PC`, `non-bm-related`).
const ID_SET_APART = /(?<![A-Za-z0-9_.-])bm[_-]/i;
/** Another kind of Feishu id (om_…, oc_…): meant as an id, but not a batch message's. */
const OTHER_ID = /^[a-z]{2,3}_[A-Za-z0-9_-]{6,}$/i;
const CHINESE_NUMERALS = new Set('一二两三四五六七八九十半');
const PUNCTUATION = /[\p{P}\p{S}]+/u;

/** A whole word, if it is one thing: an id, a known word, a duration, a number or a unit. */
function wholeWord(word: string): Token | undefined {
  if (isValidBatchId(word)) return { t: 'id', id: word };
  const lower = word.toLowerCase();
  const slash = lower.startsWith('/');
  const key = slash ? lower.slice(1) : lower;
  const meaning = WORDS[key];
  if (meaning) return { t: 'word', meaning, given: word, slash };
  if (slash) return undefined;
  const ms = parseDuration(key);
  if (ms !== undefined) return { t: 'duration', ms, given: word };
  const n = parseNumber(key);
  if (n !== undefined) return { t: 'number', n, given: word };
  const unit = UNITS[key];
  if (unit) return { t: 'unit', unit, given: word };
  return undefined;
}

// Words in Chinese text are not set apart by spaces: they are found by the longest match at each place,
// keyed by their first character, longest first, so a place costs a look-up and a few comparisons.
const CHINESE_KEYS = new Map<string, Array<{ key: string; token: Token }>>();
for (const key of [...Object.keys(WORDS), ...Object.keys(UNITS)].sort((a, b) => b.length - a.length)) {
  if (/^[A-Za-z]/.test(key)) continue; // English words are whole words, never found inside others
  CHINESE_KEYS.set(key[0]!, [...(CHINESE_KEYS.get(key[0]!) ?? []), { key, token: wholeWord(key)! }]);
}

/** Chinese (or other) text: the known words and numerals in it; the rest is one leftover piece each. */
function segment(text: string, out: Token[]): void {
  let restFrom = 0; // where the text not understood began
  const flush = (to: number) => {
    // Punctuation sets leftover pieces apart and is dropped.
    for (const piece of text.slice(restFrom, to).split(PUNCTUATION)) {
      if (piece.length > 0) out.push({ t: 'unknown', given: piece, slash: false });
    }
  };
  for (let at = 0; at < text.length;) {
    const known = CHINESE_KEYS.get(text[at]!)?.find((k) => text.startsWith(k.key, at));
    let end = at + (known?.key.length ?? 0);
    if (!known) while (end < text.length && end - at < 3 && CHINESE_NUMERALS.has(text[end]!)) end++;
    const token = known ? known.token : numeral(text.slice(at, end));
    if (!token) {
      at++;
      continue;
    }
    flush(at);
    out.push(token);
    at = restFrom = end;
  }
  flush(text.length);
}

function numeral(text: string): Token | undefined {
  const n = text.length > 0 ? parseNumber(text) : undefined;
  return n === undefined ? undefined : { t: 'number', n, given: text };
}

/**
 * A word that holds an id among other text (`查一下bm_x的阅读数`,
 * `/readsbm_x`): its pieces, or undefined when the id is not clearly set
 * apart (`bm_a中b`, `bm_a#b`), and the word is then taken as a wrong id.
 */
function aroundIds(word: string): Token[] | undefined {
  const out: Token[] = [];
  let i = -1;
  for (const m of word.matchAll(RUNS)) {
    const run = m[0];
    i++;
    const ascii = /^[A-Za-z0-9_.-]/.test(run);
    if (!ascii) {
      segment(run, out);
      continue;
    }
    if (isValidBatchId(run)) {
      out.push({ t: 'id', id: run });
      continue;
    }
    // Only the first run may be the command written against the id: "/reads:bm_x", "/readsbm_x".
    const at = run.search(ID_START);
    const before = wholeWord(at < 0 ? run : run.slice(0, at));
    if (i > 1 || before?.t !== 'word') return undefined;
    if (at < 0) out.push(before);
    else if (at > 0 && isValidBatchId(run.slice(at))) out.push(before, { t: 'id', id: run.slice(at) });
    else return undefined;
  }
  return out;
}

/** A word meant as a batch message id: one set apart, or written against a command (`/readsBM_x`). */
function meantAsId(word: string): boolean {
  if (ID_SET_APART.test(word)) return true;
  const at = word.search(ID_START);
  return at > 0 && wholeWord(word.slice(0, at))?.t === 'word';
}

/**
 * Words longer than this are not read piece by piece: nothing a person
 * types as one word comes near it (an id is at most 64 characters).
 */
export const MAX_WORD_LENGTH = 500;

function readWord(word: string, out: Token[]): void {
  if (word.length > MAX_WORD_LENGTH) {
    out.push(meantAsId(word) ? { t: 'bad_id', given: word } : { t: 'unknown', given: word, slash: false });
    return;
  }
  const whole = wholeWord(word);
  if (whole) {
    out.push(whole);
    return;
  }
  if (OTHER_ID.test(word)) {
    out.push({ t: 'bad_id', given: word });
    return;
  }
  const pieces = ID_START.test(word) ? aroundIds(word) : undefined;
  if (pieces) {
    for (const piece of pieces) out.push(piece);
    return;
  }
  if (meantAsId(word)) {
    out.push({ t: 'bad_id', given: word });
    return;
  }
  if (word.startsWith('/')) {
    out.push({ t: 'unknown', given: word, slash: true });
    return;
  }
  for (const m of word.matchAll(RUNS)) {
    const run = m[0];
    if (/^[A-Za-z0-9_.-]/.test(run)) out.push(wholeWord(run) ?? { t: 'unknown', given: run, slash: false });
    else segment(run, out);
  }
}

/** The tokens of words already split and trimmed (see splitWords), in order. */
export function readTokens(words: readonly string[]): Token[] {
  const out: Token[] = [];
  for (const word of words) readWord(word, out);
  return out;
}
