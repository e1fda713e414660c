/**
 * The batch messages the fake Open API plays: for each id, what read_user
 * and get_progress answer — counts, counts that rise with time, or a failure
 * — one behaviour, or a script whose steps successive read_user calls take.
 */
export type BatchBehaviour =
  /** `hidden`: valid recipients the bot cannot see (get_progress counts them as valid, not delivered); `recalled`: messages recalled. */
  (
    | { kind: 'counts'; read: number; total: number; hidden?: number; recalled?: number }
    /**
     * More people read it as time goes by: `read` at `since` (when the fake started, unless set),
     * `perMinute` more each minute, up to `total`.
     */
    | { kind: 'rising'; read: number; total: number; perMinute: number; since?: number }
    | { kind: 'error'; httpStatus: number; code: number; msg: string }
    /** An HTTP error with a body that is not Feishu JSON, like a failing gateway. */
    | { kind: 'http_error'; httpStatus: number }
  ) & { delayMs?: number };

/** One behaviour, or a script: each call takes the next; the last one repeats. */
export type BatchScript = BatchBehaviour | BatchBehaviour[];

export type Failure = Extract<BatchBehaviour, { kind: 'error' | 'http_error' }>;

export type Counts = Extract<BatchBehaviour, { kind: 'counts' | 'rising' }>;

export interface ScriptOptions {
  batches?: Record<string, BatchScript>;
  /** What an unknown id gets; Feishu answers 230030. */
  fallback?: (batchId: string) => BatchBehaviour;
}

export const NOT_FOUND = {
  kind: 'error',
  httpStatus: 400,
  code: 230030,
  msg: 'The message id is invalid or the record is not found.',
} satisfies Failure;

export class BatchScripts {
  private readonly scripts = new Map<string, BatchBehaviour[]>();
  /** When the fake started: rising counts rise from then. */
  private readonly startedAt: number;

  constructor(
    private readonly options: ScriptOptions,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
    for (const [id, script] of Object.entries(options.batches ?? {})) this.set(id, script);
  }

  set(batchId: string, script: BatchScript): void {
    this.scripts.set(batchId, Array.isArray(script) ? [...script] : [script]);
  }

  /** read_user's behaviour: the script's next step, taken. */
  next(batchId: string): BatchBehaviour {
    const script = this.scripts.get(batchId);
    if (!script) return this.options.fallback?.(batchId) ?? NOT_FOUND;
    return script.length > 1 ? script.shift()! : script[0]!;
  }

  /** get_progress's behaviour: looked at, not taken, so a read_user script's steps stay read_user's. */
  peek(batchId: string): BatchBehaviour {
    return this.scripts.get(batchId)?.[0] ?? this.options.fallback?.(batchId) ?? NOT_FOUND;
  }

  /** Whether read_user answers this id as one Feishu does not know (230030). */
  notFound(batchId: string): boolean {
    const played = this.peek(batchId);
    return played.kind === 'error' && played.code === NOT_FOUND.code;
  }

  /**
   * A recalled batch: nobody can read it any more, so its counts stay where
   * they are, and get_progress says every delivered message was recalled.
   * A script playing a failure goes on failing.
   */
  recall(batchId: string): void {
    const counts = this.peek(batchId);
    if (counts.kind !== 'counts' && counts.kind !== 'rising') return;
    const hidden = counts.kind === 'counts' ? counts.hidden : undefined;
    this.set(batchId, {
      kind: 'counts',
      read: this.readCount(counts),
      total: counts.total,
      hidden,
      recalled: counts.total,
    });
  }

  readCount(behaviour: Counts): number {
    if (behaviour.kind === 'counts') return behaviour.read;
    const minutes = (this.now() - (behaviour.since ?? this.startedAt)) / 60_000;
    return Math.min(behaviour.total, behaviour.read + Math.floor(minutes * behaviour.perMinute));
  }
}
