/**
 * Shutdown and crash, with the real program in a child process and the fake
 * Open API in this one: after a SIGTERM mid-burst, or a kill -9, and a
 * restart on the same store, every accepted command has exactly one reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/demo/fakeOpenApi.js';
import { APP, KEY, TOKEN } from '../support/harness.js';
import { command, deliver, everyAnsweredOnce as answeredOnce, type Command } from '../support/delivery.js';
import { liveBotEnv, startBotProcess, type RunningBot } from '../support/process.js';

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

function startBot(): Promise<RunningBot> {
  return startBotProcess((port) =>
    liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
      PORT: String(port),
      BOT_DB_PATH: join(dir, 'bot.db'),
      SHUTDOWN_DEADLINE_MS: '10000',
    }),
  );
}

interface Sent extends Command {
  status: number;
}

async function burst(url: string, from: number, count: number): Promise<Sent[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const c = command(fake, from + k, `/reads bm_restart_${from + k}`);
      return { ...c, status: await deliver(url, c.request) };
    }),
  );
}

const everyAnsweredOnce = (sent: Sent[]) =>
  answeredOnce(
    fake,
    sent.map((s) => s.messageId),
  );

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
