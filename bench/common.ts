/** What the benchmark's scenarios share: the fake Open API, the bot as a child process, the rows of the table. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../src/dev/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId, type SignedRequest } from '../src/dev/demo/feishuEvents.js';
import { deliver } from '../test/support/delivery.js';
import { APP, KEY, TOKEN } from '../test/support/harness.js';
import { childEnv, freePort, liveBotEnv, NODE_ARGS, startBotProcess } from '../test/support/process.js';

/** The table the benchmark prints, in README markdown: scenario, result, notes. */
export const rows: Array<[string, string, string]> = [];
export const dir = mkdtempSync(join(tmpdir(), 'reads-bench-'));
let run = 0;

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function newFake(): Promise<FakeOpenApi> {
  const fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read: 1, total: 2 }) });
  await fake.listen();
  return fake;
}

export interface Bot {
  child: ChildProcess;
  url: string;
  startedMs: number;
}

/** No queue limits in the way unless `extra` says so. `nodeArgs`: e.g. --cpu-prof. */
export async function startBot(
  fake: FakeOpenApi,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Bot> {
  const began = performance.now();
  const bot = await startBotProcess(
    (port) =>
      liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
        PORT: String(port),
        BOT_DB_PATH: join(dir, `bot-${run++}.db`),
        LOG_LEVEL: 'error',
        QUEUE_MAX_PENDING: '1000000',
        CHAT_MAX_PENDING: '10000',
        USER_COMMANDS_PER_MINUTE: '10000',
        ...extra,
      }),
    nodeArgs,
  );
  return { child: bot.child, url: bot.url, startedMs: performance.now() - began };
}

/** A floor or peer server of the front-door benchmark (bench/floors/*.ts) in a process of its own. */
export async function startFloor(file: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_ARGS, file], {
    env: childEnv({ PORT: String(port), FEISHU_VERIFICATION_TOKEN: TOKEN, FEISHU_ENCRYPT_KEY: KEY }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time a process has used so far, user and system, in ms (from /proc: robust to other load on the cores). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** `text` typed by `person` in `chat`, registered with the fake so the reply finds its chat. */
export function commandIn(fake: FakeOpenApi, chat: string, person: string, text: string) {
  const messageId = newMessageId();
  fake.registerMessage(messageId, chat);
  const event = messageEvent({ token: TOKEN, text, messageId, chatId: chat, senderOpenId: person });
  return { messageId, request: feishuRequest(event, KEY) };
}

/** Delivers requests as Feishu would, `concurrency` at a time. */
export async function deliverAll(url: string, requests: readonly SignedRequest[], concurrency = 50): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const status = await deliver(url, requests[next++]!);
        if (status !== 200) throw new Error(`event refused: HTTP ${status}`);
      }
    }),
  );
}

/** Sends `/reads` commands, one chat and person each (`oc_<n>`), `concurrency` at a time; returns their message ids. */
export async function sendCommands(
  url: string,
  fake: FakeOpenApi,
  texts: string[],
  concurrency = 50,
): Promise<string[]> {
  const commands = texts.map((text, n) => commandIn(fake, `oc_${n}`, `ou_${n}`, text));
  await deliverAll(
    url,
    commands.map((c) => c.request),
    concurrency,
  );
  return commands.map((c) => c.messageId);
}

export async function answered(fake: FakeOpenApi, ids: readonly string[], timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new Set(ids);
  while (fake.replies.filter((r) => wanted.has(r.parentId)).length < ids.length) {
    if (Date.now() > deadline) throw new Error(`not all ${ids.length} commands were answered in ${timeoutMs} ms`);
    await sleep(50);
  }
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The `p` quantile of a sample (nearest rank). */
export const quantile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};

/** Seconds with one decimal. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
