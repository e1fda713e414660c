/** The rules a command must follow, shared by the parser, the buttons' values, the stores and the cards that explain them. */
import { WATCH_CAPS } from './limits.js';
import type { Watch, WatchRefusal } from './types.js';

/**
 * Feishu writes batch message ids both ways: the batch-send API answers
 * `bm-d4be…` (批量发送消息.md) and the read_user page writes `bm_dc13…`
 * (查询批量消息推送和阅读人数.md). Both are ids, passed on exactly as typed.
 */
export const BATCH_ID_PATTERN = /^bm[_-][A-Za-z0-9_-]+$/;
export const BATCH_ID_MAX_LENGTH = 64;
/** The id in the read_user page's example. */
export const EXAMPLE_BATCH_ID = 'bm_dc13264520392913993dd051dba21dcf';
/** The id in the batch-send page's response example: what the API returns. */
export const EXAMPLE_SENT_BATCH_ID = 'bm-d4be107c616aed9c1da8ed8068570a9f';
/** Ids one query may ask for. */
export const MAX_IDS = 10;
/**
 * Longer texts are refused before parsing: a Feishu text message may be
 * 150 KB, and nothing a person types as a command comes near this.
 */
export const MAX_COMMAND_LENGTH = 2000;
/** A `/send` may name four lists of 200 ids (about 40 characters each) before its message. */
export const MAX_SEND_COMMAND_LENGTH = 40_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const WATCH_DEFAULTS = { durationMs: 2 * HOUR, intervalMs: 5 * MINUTE };
export const WATCH_LIMITS = { minDurationMs: MINUTE, maxDurationMs: 24 * HOUR, minIntervalMs: MINUTE };

/**
 * Why `w` may not start beside the `active` watches, if it may not. The
 * stores decide this and insert the watch in one step, so two commands at
 * once cannot both take the last place.
 */
export function watchRefusal(active: readonly Watch[], w: Watch): WatchRefusal | undefined {
  const others = active.filter((a) => a.id !== w.id); // a command answered again after a restart keeps its place
  if (others.some((a) => a.chatId === w.chatId && a.batchId === w.batchId)) return 'already_watched';
  if (others.filter((a) => a.chatId === w.chatId).length >= WATCH_CAPS.perChat) return 'too_many_in_chat';
  if (others.filter((a) => a.startedBy === w.startedBy).length >= WATCH_CAPS.perPerson) return 'too_many_for_person';
  if (others.length >= WATCH_CAPS.total) return 'too_many';
  return undefined;
}

/** Feishu answers only for batch messages of the last 30 days; older history has no use. */
export const HISTORY_DAYS = 30;
export const HISTORY_KEEP_MS = HISTORY_DAYS * 24 * 60 * 60 * 1000;
/**
 * Snapshots kept per batch message are at least a minute apart, and the
 * latest: a new one replaces the latest when that one was taken within a
 * minute of the one before it.
 */
export const HISTORY_STEP_MS = 60_000;
/** A series holds the first snapshot and at most this many of the latest: a chart has room for fewer. */
export const SERIES_LATEST = 500;

export function isValidBatchId(id: string): boolean {
  return id.length <= BATCH_ID_MAX_LENGTH && BATCH_ID_PATTERN.test(id);
}

/** A person who entered the one-to-one chat is greeted again only this long after the last greeting. */
export const GREET_AGAIN_MS = 30 * 24 * 60 * 60 * 1000;

/** The query form's names, as Feishu sends them back on submit: the form, its input (a form_value key), the submit button (action.name). */
export const QUERY_FORM = { form: 'reads_query', input: 'batch_ids', submit: 'reads_submit' } as const;
/** Feishu's input takes at most 1,000 characters: ten ids of 64 and their separators fit. */
export const QUERY_INPUT_MAX = 1000;
