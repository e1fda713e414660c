/**
 * A send whose bot was restarted with other settings, end to end over real
 * HTTP on one store: its writer taken off SENDERS between the preview and
 * Confirm (or Send again) is refused and nothing is sent; a message the bot's
 * Feishu app no longer owns (another app's, 230026) is not recalled, and the
 * card says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { buttonValue, cardText } from '../support/cards.js';
import { APP, startHarness, type Harness, type HarnessOptions } from '../support/harness.js';
import { until } from '../support/until.js';

const WRITER = 'ou_writer';
const STAYING = 'ou_staying';
const en = (card: unknown) => cardText(card, 'en');
const cardOf = (answer: Record<string, unknown>) => (answer.card as { data: unknown }).data;
const toastOf = (answer: Record<string, unknown>) => (answer.toast as { i18n: { en_us: string } }).i18n.en_us;

let fake: FakeOpenApi;
let dir: string;
beforeEach(async () => {
  fake = new FakeOpenApi({ ...APP });
  await fake.listen();
  dir = mkdtempSync(join(tmpdir(), 'reads-send-settings-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A bot on the test's store and fake (unless `feishu` is another), letting these people send. */
const bot = (senders: string[], feishu = fake): Promise<Harness> => {
  const options: HarnessOptions = {
    existingFake: feishu,
    dbPath: join(dir, 'bot.db'),
    senders: new Set(senders),
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 200 },
    timeoutMs: 1_000,
  };
  return startHarness(options);
};

/** Writes a send as `who` and resolves to its preview card message. */
async function preview(h: Harness, text: string, who = WRITER) {
  const { messageId } = await h.send(text, { senderOpenId: who, chatId: 'oc_writer' });
  return h.onlyReply(messageId);
}

const press = (h: Harness, card: { messageId: string }, value: unknown, who = WRITER) =>
  h.press({ operatorOpenId: who, messageId: card.messageId, chatId: 'oc_writer', value });

describe('taken off SENDERS between the preview and the send', () => {
  it('Confirm on the preview written before is refused, and nothing is sent', async () => {
    const first = await bot([WRITER, STAYING]);
    let card: { messageId: string; card: unknown };
    try {
      card = await preview(first, '/send od-sales\nWritten while allowed');
      expect(buttonValue(card.card, 'Confirm')).toBeDefined();
    } finally {
      await first.close();
    }

    const second = await bot([STAYING]);
    try {
      const { status, answer } = await press(second, card, buttonValue(card.card, 'Confirm'));
      expect(status).toBe(200);
      expect(toastOf(answer)).toBe('You may not send batch messages with this bot.');
      // The preview stays as the chat sees it.
      expect(en(cardOf(answer))).toContain('Written while allowed');
      expect(buttonValue(cardOf(answer), 'Confirm')).toBeDefined();
      await second.bot.idle();
      expect(fake.batchSends).toHaveLength(0);
    } finally {
      await second.close();
    }
  });

  it('Send again on a send Feishu did not confirm is refused, and nothing more is sent', async () => {
    const first = await bot([WRITER]);
    let card: { messageId: string; card: unknown };
    try {
      card = await preview(first, '/send od-sales\nDid it go?');
      fake.scriptBatchSends({ kind: 'delay', delayMs: 1_500 }); // past the bot's 1 s: Feishu does not say
      await press(first, card, buttonValue(card.card, 'Confirm'));
      await until(() => buttonValue(fake.cardOf(card.messageId), 'Send again') !== undefined, 5_000, 'Send again');
      await until(() => fake.batchSends[0]?.sent !== undefined, 5_000, 'the late batch send');
    } finally {
      await first.close();
    }
    expect(fake.batchSends).toHaveLength(1);

    const second = await bot([]);
    try {
      const again = buttonValue(fake.cardOf(card.messageId), 'Send again');
      const { answer } = await press(second, card, again);
      expect(toastOf(answer)).toBe('You may not send batch messages with this bot.');
      expect(buttonValue(cardOf(answer), 'Send again')).toBeDefined();
      await second.bot.idle();
      expect(fake.batchSends).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('a recall Feishu says is not this app’s to make (230026)', () => {
  it('explains 230026 on the card, and the message stays sent', async () => {
    const first = await bot([WRITER]);
    let card: { messageId: string; card: unknown };
    let batchId: string;
    try {
      card = await preview(first, '/send od-sales\nTo be recalled by another app');
      await press(first, card, buttonValue(card.card, 'Confirm'));
      await until(() => buttonValue(fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');
      batchId = fake.batchSends[0]!.sent!.batchId;
    } finally {
      await first.close();
    }

    // The bot now runs as an app whose Feishu knows the message, but did not send it: as when
    // the bot's app was changed after the send.
    const other = new FakeOpenApi({ ...APP, batches: { [batchId]: { kind: 'counts', read: 3, total: 25 } } });
    await other.listen();
    const second = await bot([WRITER], other);
    try {
      const tracking = fake.cardOf(card.messageId);
      const asked = await press(second, card, buttonValue(tracking, 'Recall'));
      expect(toastOf(asked.answer)).toBe('Recall it from everyone? Press Recall to confirm.');
      const refused = await press(second, card, buttonValue(cardOf(asked.answer), 'Recall'));
      expect(toastOf(refused.answer)).toBe('Feishu refused the recall; the card says why.');
      const text = en(cardOf(refused.answer));
      expect(text).toContain('230026');
      expect(text).toContain('Not allowed to recall');
      expect(text).toContain('another app sent this batch message');
      expect(text).toContain('Recall it with the app that sent it.');
      await second.bot.idle();
      expect(other.recalls).toEqual([expect.objectContaining({ batchId, status: 400, code: 230026 })]);

      // Not marked recalled: Recall asks again, and /sent lists it as sent, with its counts.
      const again = await press(second, card, buttonValue(tracking, 'Recall'));
      expect(JSON.stringify(again.answer)).toContain('recall_confirm');
      const { messageId } = await second.send('/sent', { senderOpenId: WRITER });
      const list = en((await second.onlyReply(messageId)).card);
      expect(list).toContain('Read 3/25 (12.0%)');
      expect(list).not.toContain('Recalled');
      expect(other.recalls).toHaveLength(1);
    } finally {
      await second.close();
      await other.close();
    }
  });
});
