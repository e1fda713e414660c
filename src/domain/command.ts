/** What a message asks the bot to do, as the parser understands it; each kind has one handler. */

export type WatchProblem = 'bad_duration' | 'too_long' | 'interval_too_short' | 'interval_too_long';

export type HelpReason = 'asked' | 'missing_id' | 'unknown' | 'one_id_for_history_or_watch';

export type Command =
  | { kind: 'reads'; batchIds: string[] }
  | { kind: 'history'; batchId: string }
  | { kind: 'watch'; batchId: string; durationMs: number; intervalMs: number }
  | { kind: 'delivery'; batchId: string }
  | { kind: 'too_many_ids'; count: number }
  | { kind: 'too_long'; length: number }
  | { kind: 'invalid_id'; given: string }
  | { kind: 'invalid_watch'; problem: WatchProblem; given?: string }
  | { kind: 'help'; reason: HelpReason };

/** The command of one kind. */
export type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;
