/**
 * `npm run outage`: issue 19's scenario, measured from outside. The bot runs
 * as `npm start` runs it, in live mode, against the fake Open API on
 * 127.0.0.1 (in this process). Feishu goes down — every call, token requests
 * included, answered 503 — for OUTAGE_S seconds (60); meanwhile COMMANDS (50)
 * commands arrive, one a second, from as many people in CHATS (10) chats.
 * Then Feishu comes back and the script waits until each is answered, and a
 * while longer to see that none is answered twice. Prints what it measured;
 * exits 1 if a command was lost or answered twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../src/dev/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId } from '../src/dev/demo/feishuEvents.js';
import { renderCardText } from '../src/dev/demo/renderCardText.js';
import { APP, KEY, TOKEN } from '../test/support/harness.js';
import { liveBotEnv, startBotProcess } from '../test/support/process.js';
import { sample } from '../test/support/prometheus.js';

const OUTAGE_S = Number(process.env.OUTAGE_S ?? 60);
const COMMANDS = Number(process.env.COMMANDS ?? 50);
const CHATS = Number(process.env.CHATS ?? 10);
/** After the last answer: long enough to see a second answer if one were coming. */
const WATCH_AFTER_MS = Number(process.env.WATCH_AFTER_S ?? 30) * 1000;
const GIVE_UP_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let read = 3; // people read the batch messages while Feishu is down: 3 of 10 before, 8 after
const fake = new FakeOpenApi({ ...APP, fallback: () => ({ kind: 'counts', read, total: 10 }) });
await fake.listen();
const dir = mkdtempSync(join(tmpdir(), 'reads-outage-'));
const bot = await startBotProcess((port) =>
  liveBotEnv({ ...APP, token: TOKEN, encryptKey: KEY }, fake.baseUrl, {
    PORT: String(port),
    BOT_DB_PATH: join(dir, 'bot.db'),
    LOG_LEVEL: 'info',
  }),
);
const readyz = async () => (await fetch(`${bot.url}/readyz`).then((r) => r.json())) as { checks: { feishu: boolean } };
const metric = async (name: string) => sample(await fetch(`${bot.url}/metrics`).then((r) => r.text()), name);

try {
  log(`bot ready at ${bot.url}; Feishu goes down for ${OUTAGE_S} s`);
  fake.outage(true);
  const downAt = Date.now();
  const sent: Array<{ messageId: string; status: number }> = [];
  for (let i = 0; i < COMMANDS; i++) {
    const chatId = `oc_outage_${i % CHATS}`;
    const messageId = newMessageId();
    fake.registerMessage(messageId, chatId);
    const event = messageEvent({
      token: TOKEN,
      text: `/reads bm_outage_${i}`,
      messageId,
      chatId,
      senderOpenId: `ou_person_${i}`,
    });
    const req = feishuRequest(event, KEY);
    const res = await fetch(`${bot.url}/webhook/event`, { method: 'POST', headers: req.headers, body: req.body });
    sent.push({ messageId, status: res.status });
    await sleep(Math.max(0, downAt + (i + 1) * 1000 - Date.now())); // one a second
  }
  await sleep(Math.max(0, downAt + OUTAGE_S * 1000 - 2_000 - Date.now()));
  const during = {
    feishuReady: (await readyz()).checks.feishu,
    waiting: await metric('feishu_reads_bot_commands_waiting_for_feishu'),
    breaker: await metric('feishu_reads_bot_feishu_breaker_state'),
    callsRefused: fake.outageRefusals,
  };
  await sleep(Math.max(0, downAt + OUTAGE_S * 1000 - Date.now()));
  read = 8;
  fake.outage(false);
  const backAt = Date.now();
  log(`Feishu is back after ${seconds(backAt - downAt)}; waiting for the answers`);

  const answered = () => sent.filter((s) => fake.repliesTo(s.messageId).length > 0).length;
  while (answered() < sent.length && Date.now() - backAt < GIVE_UP_MS) await sleep(100);
  const lastAnswerAt = Math.max(...fake.replies.map((r) => r.at));
  const firstAnswerAt = Math.min(...fake.replies.map((r) => r.at));
  await sleep(WATCH_AFTER_MS);

  const replies = sent.map((s) => fake.repliesTo(s.messageId));
  const texts = replies.flatMap((r) => r.map((reply) => renderCardText(reply.card, false, 'en')));
  const lines = bot.output().split('\n');
  const rows: Array<[string, string]> = [
    ['commands sent during the outage (one a second)', String(sent.length)],
    ['acknowledged with 200', String(sent.filter((s) => s.status === 200).length)],
    ['/readyz feishu, 2 s before Feishu came back', String(during.feishuReady)],
    ['/metrics waiting for Feishu, then', String(during.waiting)],
    ['/metrics breaker state, then (2 = open)', String(during.breaker)],
    [`calls that reached Feishu during the ${OUTAGE_S} s outage`, String(during.callsRefused)],
    ['answered exactly once', String(replies.filter((r) => r.length === 1).length)],
    ['answered more than once', String(replies.filter((r) => r.length > 1).length)],
    ['never answered', String(replies.filter((r) => r.length === 0).length)],
    ['answers with the counts taken after the outage (80.0%)', String(texts.filter((t) => t.includes('80.0%')).length)],
    [
      'answers noting "Feishu was unavailable from … to …"',
      String(texts.filter((t) => t.includes('Feishu was unavailable from')).length),
    ],
    ['first answer after Feishu came back', seconds(firstAnswerAt - backAt)],
    ['last answer after Feishu came back', seconds(lastAnswerAt - backAt)],
    [
      'log lines "Feishu is unavailable" / "Feishu is back"',
      `${lines.filter((l) => l.includes('Feishu is unavailable')).length} / ${lines.filter((l) => l.includes('Feishu is back')).length}`,
    ],
    [
      'log lines "retrying Feishu call" (before the breaker opened)',
      String(lines.filter((l) => l.includes('retrying Feishu call')).length),
    ],
    ['log lines "could not answer"', String(lines.filter((l) => l.includes('could not answer')).length)],
    ['rate-limit violations at the fake', String(fake.violations.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n\n`);
  const sample1 = replies.find((r) => r.length === 1)?.[0];
  if (sample1) process.stdout.write(`one answer, as text:\n${renderCardText(sample1.card, false, 'en')}\n`);
  process.exitCode = replies.every((r) => r.length === 1) ? 0 : 1;
} finally {
  bot.child.kill('SIGTERM');
  await bot.exited;
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}
