/**
 * Sends in Redis: a hash per send, each field's value its JSON, so a script
 * sets the fields of a change without decoding the send (Redis's cjson turns
 * an empty list into an object). Creating and advancing are scripts that
 * check the state and write in one step: of two replicas moving a send from
 * the same state, one does. Sorted sets by sender and by state (scored by
 * creation) and a key per batch id find sends; a send's key expires, and the
 * sets drop members older than any send still kept.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { HISTORY_KEEP_MS } from '../../domain/rules.js';
import type { Send, SendState } from '../../domain/send.js';
import type { SendBook, SendChange } from '../sharedState.js';
import { definedOnly, DRAFT_KEEP_MS, keepFor, sendSchema } from '../sendRecord.js';
import { luaScript, PREFIX, reach } from './connect.js';

/** No send outlives this from its creation: a day as a draft, then 30 days. */
const INDEX_KEEP_MS = DRAFT_KEEP_MS + HISTORY_KEEP_MS;

const sendKey = (id: string) => `${PREFIX}send:${id}`;
const senderKey = (openId: string) => `${PREFIX}sends:by-sender:${openId}`;
const stateKey = (state: SendState) => `${PREFIX}sends:in:${state}`;
const batchKey = (batchId: string) => `${PREFIX}sends:by-batch:${batchId}`;

const INDEX = `local function index(key, createdAt, id)
  redis.call('ZADD', key, createdAt, id)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', tonumber(createdAt) - ${INDEX_KEEP_MS})
  redis.call('PEXPIRE', key, ${INDEX_KEEP_MS})
end`;

/** KEYS: the send, its sender's set, its state's set, [its batch id]. ARGV: id, createdAt, keep, field, value, … */
const CREATE = `${INDEX}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
index(KEYS[2], ARGV[2], ARGV[1])
index(KEYS[3], ARGV[2], ARGV[1])
if KEYS[4] then redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[3]) end
return 1`;

/**
 * KEYS: the send, the new state's set, the sets of the n states it may be in, [its batch id].
 * ARGV: id, the new state, keep once out of draft, n, the n states, field, value, … (states and values as JSON).
 * Answers the send's fields, or nil when it was in none of the states.
 */
const ADVANCE = `${INDEX}
local state = redis.call('HGET', KEYS[1], 'state')
local n = tonumber(ARGV[4])
local from
for i = 1, n do if ARGV[4 + i] == state then from = i end end
if not from then return nil end
redis.call('HSET', KEYS[1], unpack(ARGV, 5 + n))
if state == '"draft"' and ARGV[2] ~= '"draft"' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('ZREM', KEYS[2 + from], ARGV[1])
index(KEYS[2], redis.call('HGET', KEYS[1], 'createdAt'), ARGV[1])
if #KEYS > 2 + n then redis.call('SET', KEYS[#KEYS], ARGV[1], 'PX', redis.call('PTTL', KEYS[1])) end
return redis.call('HGETALL', KEYS[1])`;

/** A send's defined fields, each followed by its value as JSON. */
const toFields = (o: object): string[] =>
  Object.entries(definedOnly(o)).flatMap(([field, value]) => [field, JSON.stringify(value)]);

const fromFields = (fields: Record<string, string>): Send =>
  sendSchema.parse(Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, JSON.parse(v) as unknown])));

export class RedisSends implements SendBook {
  private readonly scripts;

  constructor(private readonly redis: Redis) {
    this.scripts = { create: luaScript(redis, CREATE), advance: luaScript(redis, ADVANCE) };
  }

  async create(send: Send): Promise<boolean> {
    const keys = [sendKey(send.id), senderKey(send.senderOpenId), stateKey(send.state)];
    if (send.batchId !== undefined) keys.push(batchKey(send.batchId));
    const args = [send.id, send.createdAt, keepFor(send.state), ...toFields(send)];
    return (await reach(this.scripts.create(keys, args))) === 1;
  }

  async get(id: string): Promise<Send | undefined> {
    return (await this.load([id]))[0];
  }

  async byBatchId(batchId: string): Promise<Send | undefined> {
    const id = await reach(this.redis.get(batchKey(batchId)));
    const send = id === null ? undefined : await this.get(id);
    return send?.batchId === batchId ? send : undefined;
  }

  async advance(id: string, from: readonly SendState[], change: SendChange): Promise<Send | undefined> {
    const keys = [sendKey(id), stateKey(change.state), ...from.map(stateKey)];
    if (change.batchId !== undefined) keys.push(batchKey(change.batchId));
    const args = [
      id,
      JSON.stringify(change.state),
      keepFor(change.state),
      from.length,
      ...from.map((s) => JSON.stringify(s)),
      ...toFields(change),
    ];
    const answer = z
      .array(z.string())
      .nullable()
      .parse(await reach(this.scripts.advance(keys, args)));
    return answer === null ? undefined : fromFields(pairs(answer));
  }

  async bySender(senderOpenId: string, limit: number, except: readonly SendState[] = []): Promise<Send[]> {
    const found = new Map<string, Send>();
    // Pages of `limit`: a member whose send has expired, or is in a state left out, is skipped. A send made
    // meanwhile moves the ranks on by one, so a page may repeat the last one's end: each send is listed once.
    for (let start = 0; found.size < limit; start += limit) {
      const ids = await reach(this.redis.zrevrange(senderKey(senderOpenId), start, start + limit - 1));
      if (ids.length === 0) break;
      for (const send of await this.load(ids)) if (!except.includes(send.state)) found.set(send.id, send);
    }
    return [...found.values()].slice(0, limit);
  }

  async inStates(states: readonly SendState[]): Promise<Send[]> {
    // Read in one step, so a send moving between two of the sets meanwhile is not missed.
    const multi = this.redis.multi();
    for (const state of states) multi.zrange(stateKey(state), 0, -1);
    const ids = new Set((await answers(multi.exec())).flatMap((members) => z.array(z.string()).parse(members)));
    const sends = await this.load([...ids]);
    return sends.filter((s) => states.includes(s.state)).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The sends of `ids` still kept, in that order. */
  private async load(ids: readonly string[]): Promise<Send[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(sendKey(id));
    return (await answers(pipeline.exec())).flatMap((fields) => {
      const record = z.record(z.string(), z.string()).parse(fields);
      return Object.keys(record).length === 0 ? [] : [fromFields(record)];
    });
  }
}

/** The answers of a pipeline or transaction, each command's in turn; a command's error rejects. */
async function answers(exec: Promise<Array<[Error | null, unknown]> | null>): Promise<unknown[]> {
  return ((await reach(exec)) ?? []).map(([error, answer]) => {
    if (error) throw error;
    return answer;
  });
}

/** HGETALL's flat answer as an object. */
function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
