/**
 * A confirmed send waiting for Feishu when the bot stops: it is not lost, and
 * the next start on the same store sends it once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { buttonValue, cardText } from '../support/cards.js';
import { APP, startHarness, type HarnessOptions } from '../support/harness.js';
import { until } from '../support/until.js';

const WRITER = 'ou_writer';

let fake: FakeOpenApi;
let dir: string;
beforeEach(async () => {
  fake = new FakeOpenApi({ ...APP });
  await fake.listen();
  dir = mkdtempSync(join(tmpdir(), 'reads-send-restart-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const options = (): HarnessOptions => ({
  existingFake: fake,
  dbPath: join(dir, 'bot.db'),
  senders: new Set([WRITER]),
  retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 200 },
  breaker: { failuresToOpen: 2, baseDelayMs: 50, maxDelayMs: 100 },
});

it('a send waiting out an outage when the bot stops is sent once by the next start', async () => {
  const first = await startHarness(options());
  let preview: { messageId: string; card: unknown };
  try {
    const { messageId } = await first.send('/send od-sales\nAfter the restart', { senderOpenId: WRITER });
    preview = await first.onlyReply(messageId);
    fake.outage(true);
    await first.press({
      operatorOpenId: WRITER,
      messageId: preview.messageId,
      chatId: 'oc_chat',
      value: buttonValue(preview.card, 'Confirm'),
    });
    // The card cannot say so during the outage: the breaker opening tells the send met it.
    await until(() => first.bot.readiness().checks.feishu === false, 5_000, 'the breaker to open');
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await first.close();
  }
  expect(fake.batchSends.filter((s) => s.sent)).toHaveLength(0);

  fake.outage(false);
  const second = await startHarness(options());
  try {
    await until(() => buttonValue(fake.cardOf(preview.messageId), 'Recall') !== undefined, 10_000, 'the tracking card');
    await second.bot.idle();
    expect(fake.batchSends.filter((s) => s.sent)).toHaveLength(1);
    expect(cardText(fake.cardOf(preview.messageId), 'en')).toContain('Sent through the bot');
  } finally {
    await second.close();
  }
});
