/** Who was greeted, in Redis: one key a person that expires after GREET_AGAIN_MS, set only if absent (one step). */
import type { Redis } from 'ioredis';
import type { Greetings } from '../sharedState.js';
import { GREET_AGAIN_MS } from '../../domain/rules.js';
import { PREFIX, reach } from './connect.js';

const key = (openId: string) => `${PREFIX}greeted:${openId}`;

export class RedisGreetings implements Greetings {
  constructor(private readonly redis: Redis) {}

  async mark(openId: string, now: number): Promise<boolean> {
    return (await reach(this.redis.set(key(openId), String(now), 'PX', GREET_AGAIN_MS, 'NX'))) === 'OK';
  }

  async release(openId: string): Promise<void> {
    await reach(this.redis.del(key(openId)));
  }
}
