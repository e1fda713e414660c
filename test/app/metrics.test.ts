/** An operator's view: /metrics scraped over HTTP after real commands against the fake Open API. */
import { feishuRequest, messageEvent } from '../../src/dev/demo/feishuEvents.js';
import { buttonValue, cardText } from '../support/cards.js';
import { KEY, TOKEN, startHarness, type Harness } from '../support/harness.js';
import { sample, scrape } from '../support/prometheus.js';
import { createMetrics } from '../../src/app/metrics.js';

let h: Harness;
const down = { kind: 'http_error', httpStatus: 502 } as const;
beforeAll(async () => {
  h = await startHarness({
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10, budgetMs: 1_000 },
    fake: {
      batches: {
        bm_ok: { kind: 'counts', read: 3, total: 4 },
        bm_down: [down, down, down, { kind: 'counts', read: 1, total: 2 }],
      },
    },
  });
});
afterAll(() => h.close());

const read = async (name: string, labels?: Record<string, string>) =>
  sample((await scrape(h.url)).text, name, labels) ?? 0;

it('serves Prometheus text format', async () => {
  const { contentType, text } = await scrape(h.url);
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(text).toContain('# TYPE feishu_reads_bot_api_calls_total counter');
  expect(sample(text, 'feishu_reads_bot_queue_depth')).toBe(0);
  expect(sample(text, 'feishu_reads_bot_watches_active')).toBe(0);
});

it('counts a command: its read_user call, its reply card, its wait, and a redelivery as a de-duplication hit', async () => {
  const before = {
    reads: await read('feishu_reads_bot_api_calls_total', { endpoint: 'read_user', code: '0' }),
    replies: await read('feishu_reads_bot_cards_sent_total', { kind: 'reply' }),
    answered: await read('feishu_reads_bot_queue_wait_seconds_count', { class: 'person' }),
    waited: await read('feishu_reads_bot_call_wait_seconds_count', { class: 'person', endpoint: 'read_user' }),
    dedupe: await read('feishu_reads_bot_dedupe_hits_total'),
    timed: await read('feishu_reads_bot_api_call_duration_seconds_count', { endpoint: 'read_user' }),
    botInfo: await read('feishu_reads_bot_api_calls_total', { endpoint: 'bot_info', code: '0' }),
  };
  const event = messageEvent({ token: TOKEN, text: '/reads bm_ok', messageId: 'om_metrics_1' });
  h.fake.registerMessage('om_metrics_1', 'oc_metrics');
  for (let i = 0; i < 2; i++) {
    const req = feishuRequest(event, KEY);
    expect((await h.post(req.body, req.headers)).status).toBe(200);
  }
  await h.onlyReply('om_metrics_1');

  const { text } = await scrape(h.url);
  expect(sample(text, 'feishu_reads_bot_api_calls_total', { endpoint: 'read_user', code: '0' })).toBe(before.reads + 1);
  expect(sample(text, 'feishu_reads_bot_cards_sent_total', { kind: 'reply' })).toBe(before.replies + 1);
  // A query from a chat with nothing else waiting: a person's, in its wait for the answer and for its call's turn.
  expect(sample(text, 'feishu_reads_bot_queue_wait_seconds_count', { class: 'person' })).toBe(before.answered + 1);
  expect(sample(text, 'feishu_reads_bot_call_wait_seconds_count', { class: 'person', endpoint: 'read_user' })).toBe(
    before.waited + 1,
  );
  expect(sample(text, 'feishu_reads_bot_dedupe_hits_total')).toBe(before.dedupe + 1);
  expect(sample(text, 'feishu_reads_bot_api_call_duration_seconds_count', { endpoint: 'read_user' })).toBe(
    before.timed + 1,
  );
  // The bot asked who it is once, at start; a command does not ask again.
  expect(before.botInfo).toBe(1);
  expect(sample(text, 'feishu_reads_bot_api_calls_total', { endpoint: 'bot_info', code: '0' })).toBe(before.botInfo);
});

it('counts each failed attempt by its result code, and the retries between them', async () => {
  const failed = { endpoint: 'read_user', code: 'http_502' };
  const before = {
    failed: await read('feishu_reads_bot_api_calls_total', failed),
    retries: await read('feishu_reads_bot_api_retries_total', { endpoint: 'read_user' }),
  };
  const { messageId } = await h.send('/reads bm_down');
  // Three failed attempts, then the command waits and is answered by a later one.
  await h.fake.waitForReplies(1 + h.fake.replies.length);
  expect(h.fake.repliesTo(messageId)).toHaveLength(1);
  const { text } = await scrape(h.url);
  expect(sample(text, 'feishu_reads_bot_api_calls_total', failed)).toBe(before.failed + 3);
  expect(sample(text, 'feishu_reads_bot_api_retries_total', { endpoint: 'read_user' })).toBe(before.retries + 2);
});

it('counts a card sent as a button press answer', async () => {
  const { messageId } = await h.send('/reads bm_ok', { chatId: 'oc_press' });
  const reply = await h.onlyReply(messageId);
  const before = await read('feishu_reads_bot_cards_sent_total', { kind: 'callback' });
  const { answer } = await h.press({
    operatorOpenId: 'ou_ops',
    messageId: reply.messageId,
    chatId: 'oc_press',
    value: buttonValue(reply.card, 'Refresh'),
  });
  const card = answer.card as { type: string; data: unknown };
  expect(card.type).toBe('raw');
  expect(cardText(card.data, 'en')).toContain('Read rate: 75.0%');
  expect(cardText(card.data, 'en')).toContain("refreshed by <person id='ou_ops'");
  expect(await read('feishu_reads_bot_cards_sent_total', { kind: 'callback' })).toBe(before + 1);
});

it('adds the process’s own metrics (CPU, memory, event-loop lag) when asked, as the bot does', async () => {
  const withProcess = await createMetrics({ processMetrics: true }).scrape();
  expect(withProcess.text).toContain('feishu_reads_bot_process_cpu_user_seconds_total');
  expect((await createMetrics().scrape()).text).not.toContain('process_cpu');
});
