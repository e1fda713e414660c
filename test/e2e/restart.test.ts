/**
 * Shutdown and crash, with the real program in a child process and the fake
 * Open API in this one: after a SIGTERM mid-burst, or a kill -9, and a
 * restart on the same store, every accepted command has exactly one reply.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId } from '../../src/demo/feishuEvents.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { BOT_ARGS, freePort, liveBotEnv } from '../support/process.js';

let fake: FakeOpenApi;
let dir: string;

beforeEach(async () => {
  fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 3, total: 4, delayMs: 150 }) });
  await fake.listen();
  dir = mkdtempSync(join(tmpdir(), 'reads-restart-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startBot(): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, BOT_ARGS, {
    env: liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
      PORT: String(port),
      BOT_DB_PATH: join(dir, 'bot.db'),
      SHUTDOWN_DEADLINE_MS: '10000',
    }),
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`bot did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, exited, output: () => out };
}

interface Sent {
  messageId: string;
  request: { body: string; headers: Record<string, string> };
  status: number;
}

async function deliver(url: string, request: Sent['request']): Promise<number> {
  try {
    const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: request.headers, body: request.body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // the process is gone: Feishu would redeliver
  }
}

function newCommand(i: number): Omit<Sent, 'status'> {
  const messageId = newMessageId();
  fake.registerMessage(messageId, `oc_${i}`);
  const event = messageEvent({ token: TOKEN, text: `/reads bm_restart_${i}`, messageId, chatId: `oc_${i}`, senderOpenId: `ou_${i}` });
  return { messageId, request: feishuRequest(event, KEY) };
}

async function burst(url: string, from: number, count: number): Promise<Sent[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const c = newCommand(from + k);
      return { ...c, status: await deliver(url, c.request) };
    }),
  );
}

async function everyAnsweredOnce(sent: Sent[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = sent.map((s) => fake.repliesTo(s.messageId).length);
    if (counts.every((n) => n === 1) || Date.now() > deadline) {
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('SIGTERM mid-burst: refuses new events with 503, exits 0, and answers everything after the restart', async () => {
  const first = await startBot();
  const accepted = await burst(first.url, 0, 150); // 3 s of read_user budget
  expect(accepted.every((s) => s.status === 200)).toBe(true);
  first.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  const during = await burst(first.url, 1000, 5);
  expect(during.every((s) => s.status === 503 || s.status === 0)).toBe(true);
  expect(await first.exited).toBe(0);
  const answeredBeforeRestart = accepted.filter((s) => fake.repliesTo(s.messageId).length === 1).length;
  expect(answeredBeforeRestart).toBeLessThan(accepted.length); // the restart really had work left

  const second = await startBot();
  // Feishu redelivers what got 503, and (say) everything else once more.
  for (const s of [...during, ...accepted.slice(0, 20)]) expect(await deliver(second.url, s.request)).toBe(200);
  await everyAnsweredOnce([...accepted, ...during]);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
}, 60_000);

it('kill -9 mid-burst: after the restart every accepted command has exactly one reply', async () => {
  const first = await startBot();
  const accepted = (await burst(first.url, 0, 150)).filter((s) => s.status === 200);
  expect(accepted).toHaveLength(150);
  await new Promise((r) => setTimeout(r, 500));
  first.child.kill('SIGKILL');
  await first.exited;
  expect(accepted.filter((s) => fake.repliesTo(s.messageId).length === 1).length).toBeLessThan(accepted.length);

  const second = await startBot();
  await everyAnsweredOnce(accepted);
  // Redeliveries after the restart are still recognised.
  const before = fake.replies.length;
  for (const s of accepted.slice(0, 10)) expect(await deliver(second.url, s.request)).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  expect(fake.replies.length).toBe(before);
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(fake.violations).toEqual([]);
}, 60_000);
