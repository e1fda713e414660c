/**
 * The README's quick start, as a new user runs it: `npm start` with no
 * credentials starts the demo; `npm run chat` shows a card. Child processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BOT_ARGS,
  BOT_ENV,
  childEnv as cleanEnv,
  freePort,
  NODE_ARGS,
  startBotProcess,
  type RunningBot,
} from '../support/process.js';
import { sample, scrape } from '../support/prometheus.js';

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('demo mode', () => {
  let bot: RunningBot;
  let port: number;
  // A store of its own, so whom the demo greeted before does not carry over from an earlier run.
  const dir = mkdtempSync(join(tmpdir(), 'quickstart-'));

  beforeAll(async () => {
    bot = await startBotProcess((p) => cleanEnv({ PORT: String(p), BOT_DB_PATH: join(dir, 'demo.db') }));
    port = Number(new URL(bot.url).port);
  }, 30_000);

  afterAll(async () => {
    if (bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the bot the way npm start does', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const settings = Object.entries(BOT_ENV).map(([k, v]) => `${k}=${v}`);
    expect(pkg.scripts.start).toBe([...settings, 'node', ...BOT_ARGS].join(' '));
  });

  it('says loudly that it is a demo and lists the ids to try', () => {
    expect(bot.output()).toContain('DEMO MODE');
    for (const id of [
      'bm-d4be107c616aed9c1da8ed8068570a9f',
      'bm_dc13264520392913993dd051dba21dcf',
      'bm_demo_partly_read',
      'bm_demo_all_read',
      'bm_demo_unread',
      'bm_demo_error_230001',
      'bm_demo_error_230012',
      'bm_demo_error_230027',
      'bm_demo_error_230030',
    ]) {
      expect(bot.output()).toContain(id);
    }
  });

  it('serves the playground page and its demo examples', async () => {
    expect(bot.output()).toContain(`Playground (chat with the bot, see its cards): http://localhost:${port}/`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Reads bot · playground</title>');
    const { examples } = (await (await fetch(`http://127.0.0.1:${port}/playground/examples`)).json()) as {
      examples: Array<{ text: string }>;
    };
    expect(examples.map((e) => e.text)).toContain('/reads bm_demo_partly_read');
    expect(examples.map((e) => e.text)).toContain('/reads bm-d4be107c616aed9c1da8ed8068570a9f');
  });

  it('npm run chat shows the card the bot replied with', async () => {
    const { code, stdout } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '/reads bm_demo_partly_read'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('HTTP 200');
    expect(stdout).toContain('批量消息阅读情况');
    expect(stdout).toMatch(/37\s+120\s+83/);
    expect(stdout).toContain('30.8%');
  }, 30_000);

  it('npm run chat answers the id as the batch-send API returns it (bm-…)', async () => {
    const { code, stdout } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '/reads bm-d4be107c616aed9c1da8ed8068570a9f'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/45\s+80\s+35/);
    expect(stdout).toContain('56.3%');
  }, 30_000);

  it('npm run chat -- "/send od-demo ou_demo\\nHello" prints the preview, and nothing is sent', async () => {
    // In demo mode the demo's one person may send (SENDERS unset); `\n` typed starts the message.
    const metrics = async () => (await scrape(`http://127.0.0.1:${port}`)).text;
    const replies = (text: string) => sample(text, 'feishu_reads_bot_cards_sent_total', { kind: 'reply' }) ?? 0;
    const before = await metrics();
    const { code, stdout } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '/send od-demo ou_demo\\nHello'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(0);
    // The card, not the echo of what was typed: the message, its two recipients, and Confirm.
    const card = stdout.slice(stdout.indexOf('批量消息预览'));
    expect(card).toMatch(/消息内容\n\s*\n\s*Hello\n/);
    expect(card).toContain('部门（含子部门）（1）：od-demo');
    expect(card).toContain('人员（open id）（1）：👤ou_demo\n');
    expect(card).toContain('发送人：👤ou_demo_user');
    expect(card).toContain('[ 确认发送 ]');
    // One reply, the preview; no batch send was called.
    const after = await metrics();
    expect(replies(after) - replies(before)).toBe(1);
    expect(sample(after, 'feishu_reads_bot_api_calls_total', { endpoint: 'reply', code: '0' })).toBeGreaterThan(0);
    expect(after).not.toMatch(/api_calls_total\{[^}]*endpoint="batch_send"/);
  }, 30_000);

  it('npm run chat -- --group --en shows an error card for a demo error id, in English', async () => {
    const { code, stdout } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '--group', '--en', '/reads bm_demo_error_230012'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('230012');
    expect(stdout).toContain('Not sent by this bot');
  }, 30_000);

  it('npm run chat -- --menu reads prints the query form the bot sent one-to-one', async () => {
    const { code, stdout } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '--menu', 'reads', '--en'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('pressed the menu item "reads"');
    expect(stdout).toContain('Query read counts');
    expect(stdout).toContain('[ Query ]');
  }, 30_000);

  it('npm run chat -- --enter prints the greeting the first time, and says none comes the second', async () => {
    const enter = () =>
      run([...NODE_ARGS, 'src/dev/demo/chat.ts', '--enter', '--en'], cleanEnv({ PORT: String(port) }));
    const first = await enter();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('I tell you how many people read a batch message.');
    expect((await enter()).stdout).toContain('(no greeting: the bot greets a person once every 30 days)');
  }, 30_000);

  it('exits 0 on SIGTERM', async () => {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 30_000);
});

describe('start-up refusals', () => {
  it('refuses partial credentials, naming what is missing and where to find it', async () => {
    const { code, stderr } = await run(BOT_ARGS, cleanEnv({ FEISHU_APP_ID: 'cli_abc123', PORT: '0' }));
    expect(code).toBe(1);
    expect(stderr).toContain('FEISHU_APP_SECRET is missing');
    expect(stderr).toContain('Credentials & Basic Info');
  }, 30_000);

  it('chat says so when no bot is running', async () => {
    const port = await freePort();
    const { code, stderr } = await run(
      [...NODE_ARGS, 'src/dev/demo/chat.ts', '/help'],
      cleanEnv({ PORT: String(port) }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('npm start');
  }, 30_000);
});
