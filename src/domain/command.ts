/** What a message asks the bot to do, as the parser understands it; each kind has one handler. */

export type WatchProblem = 'bad_duration' | 'too_short' | 'too_long' | 'interval_too_short' | 'interval_too_long';

export type HelpReason = 'asked' | 'missing_id' | 'unknown' | 'one_id_for_history_or_watch';

/** What can be asked of one id besides its counts; `watch` takes a duration, the others nothing more. */
export type Mode = 'history' | 'watch' | 'stop' | 'delivery';
type OneIdMode = Exclude<Mode, 'watch'>;

export type Command =
  | { kind: 'reads'; batchIds: string[] }
  | { [K in OneIdMode]: { kind: K; batchId: string } }[OneIdMode]
  | { kind: 'watch'; batchId: string; durationMs: number; intervalMs: number }
  | { kind: 'too_many_ids'; count: number }
  | { kind: 'too_long'; length: number }
  | { kind: 'invalid_id'; given: string }
  | { kind: 'invalid_watch'; problem: WatchProblem; given?: string }
  /** Understood in part: `suggestions` are the exact commands it may have meant; `unknown`, the words not understood. */
  | { kind: 'did_you_mean'; suggestions: string[]; unknown: string[] }
  | { kind: 'help'; reason: HelpReason }
  /** `/send`: `to` is the rest of its first line (the recipients, as written), `text` the lines after it. */
  | { kind: 'send'; to: string; text: string }
  /** `/sent`: the person's latest sends. */
  | { kind: 'sent' };

/** The command of one kind. */
export type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * Whether a message's text, as the parser read it, is a command for the bot
 * rather than anything else (which gets the help card, or with
 * FEISHU_FORWARD_URL goes on to the other integration). Fed by the parser's
 * result, so it follows what the parser counts as a command.
 */
export function isCommand(command: Command): boolean {
  return !(command.kind === 'help' && command.reason === 'unknown');
}
