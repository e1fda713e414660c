/**
 * Remembers what was already handled, so Feishu's redeliveries (after 15 s,
 * 5 min, 1 h and 6 h) are acknowledged without being handled twice.
 * Bounded in time and size: every entry has the same lifetime, so insertion
 * order is expiry order and the oldest go first.
 */
export interface DedupeOptions {
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

/** Longer than Feishu's last redelivery (about 7.1 h after the first). */
export const DEDUPE_TTL_MS = 8 * 60 * 60 * 1000;

export class Deduplicator {
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly options: DedupeOptions) {}

  /**
   * True when any of the keys was seen within the lifetime. Records them all
   * either way, so a redelivery under a new event_id but the same message_id
   * is caught too.
   */
  seenBefore(keys: readonly string[]): boolean {
    const now = this.options.now();
    this.evict(now);
    const seen = keys.some((k) => this.seenAt.has(k));
    for (const k of keys) {
      if (!this.seenAt.has(k)) this.seenAt.set(k, now);
    }
    while (this.seenAt.size > this.options.maxEntries) {
      const oldest = this.seenAt.keys().next().value as string;
      this.seenAt.delete(oldest);
    }
    return seen;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private evict(now: number): void {
    for (const [key, at] of this.seenAt) {
      if (at + this.options.ttlMs > now) break;
      this.seenAt.delete(key);
    }
  }
}
