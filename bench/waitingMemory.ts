/**
 * `node --expose-gc --import tsx bench/waitingMemory.ts`: the heap a waiting
 * command keeps in the command queue (its p-queue task and its place in the
 * fair order), each from a chat and a person of its own, while 200 run and
 * hold their slots. The journal entries themselves exist before and after.
 */
import { CommandQueue } from '../src/scheduling/commandQueue.js';

const WAITING = 5_000;
const RUNNING = 200;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const entries = Array.from({ length: WAITING + RUNNING }, (_, i) => ({ messageId: `om_${i}`, chatId: `oc_${i}` }));
const never = new Promise<void>(() => undefined);
const queue = new CommandQueue<(typeof entries)[number]>(RUNNING, () => never);
const push = (i: number) => queue.push(entries[i]!, { cls: 'bulk', chat: `oc_${i}`, person: `ou_${i}` });
const settled = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

for (let i = 0; i < RUNNING; i++) push(i);
const before = await settled();
for (let i = RUNNING; i < RUNNING + WAITING; i++) push(i);
const after = await settled();
console.log(`${Math.round((after - before) / WAITING)} bytes of heap a waiting command (${queue.waiting} waiting)`);
