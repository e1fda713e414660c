/**
 * Identical queries share one read_user call across replicas. The replica
 * that calls puts a short in-flight marker first (SET NX PX), and afterwards
 * the result (for whoever waits on that marker) and the fresh snapshot (for
 * the freshness window). Another replica asking meanwhile polls for the
 * result, and calls itself if none comes (the caller failed or died).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { CallSharing } from '../sharedState.js';
import { luaScript, PREFIX, reach } from './connect.js';
import type { Clock } from '../../domain/clock.js';
import type { Snapshot } from '../../domain/types.js';

/** How long others wait for one call: a call may wait its turn in a backlog for about this long. */
const IN_FLIGHT_MS = 60_000;
const POLL_MS = 100;

const snapshotSchema = z.object({
  batchId: z.string(),
  readCount: z.number(),
  totalCount: z.number(),
  takenAt: z.number(),
});
const parse = (json: string | null) => (json === null ? undefined : snapshotSchema.parse(JSON.parse(json)));

const DEL_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisCalls implements CallSharing {
  private readonly delIfOurs;

  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly freshMs: number,
  ) {
    this.delIfOurs = luaScript(redis, DEL_IF_OURS);
  }

  async recent(batchId: string): Promise<Snapshot | undefined> {
    return parse(await reach(this.redis.get(`${PREFIX}fresh:${batchId}`)));
  }

  async share(key: string, call: () => Promise<Snapshot>): Promise<Snapshot> {
    const marker = `${PREFIX}call:${key}`;
    const callId = randomBytes(8).toString('hex');
    if ((await reach(this.redis.set(marker, callId, 'PX', IN_FLIGHT_MS, 'NX'))) === 'OK')
      return this.callAndShare(marker, callId, call);
    const other = await reach(this.redis.get(marker));
    const result = other === null ? undefined : await this.waitFor(marker, other);
    return result ?? call();
  }

  private async callAndShare(marker: string, callId: string, call: () => Promise<Snapshot>): Promise<Snapshot> {
    try {
      const snapshot = await call();
      const json = JSON.stringify(snapshot);
      const tx = this.redis.multi().set(`${PREFIX}result:${callId}`, json, 'PX', IN_FLIGHT_MS);
      if (this.freshMs > 0) tx.set(`${PREFIX}fresh:${snapshot.batchId}`, json, 'PX', this.freshMs);
      await reach(tx.exec());
      return snapshot;
    } finally {
      await this.delIfOurs([marker], [callId]).catch(() => undefined); // unreachable: the marker expires
    }
  }

  /** The result of call `callId`, or undefined once its marker is gone without one. */
  private async waitFor(marker: string, callId: string): Promise<Snapshot | undefined> {
    for (;;) {
      await this.clock.sleep(POLL_MS);
      const [result, current] = await reach(this.redis.mget(`${PREFIX}result:${callId}`, marker));
      if (result) return parse(result);
      if (current !== callId) return undefined;
    }
  }
}
