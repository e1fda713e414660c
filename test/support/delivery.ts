/** Commands delivered to a bot process the way Feishu delivers them, and the check that each was answered once. */
import type { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId, type SignedRequest } from '../../src/dev/demo/feishuEvents.js';
import { KEY, TOKEN } from './harness.js';

export interface Command {
  messageId: string;
  request: SignedRequest;
}

/** `text` typed by person `ou_<n>` in chat `oc_<n>` (one chat and person per n, so per-chat and per-person limits stay out of the way). */
export function command(fake: FakeOpenApi, n: number, text: string): Command {
  const messageId = newMessageId();
  fake.registerMessage(messageId, `oc_${n}`);
  const event = messageEvent({ token: TOKEN, text, messageId, chatId: `oc_${n}`, senderOpenId: `ou_${n}` });
  return { messageId, request: feishuRequest(event, KEY) };
}

/** Posts the event to the bot's webhook; its HTTP status, or 0 when the process is gone (Feishu would redeliver). */
export async function deliver(url: string, request: SignedRequest): Promise<number> {
  try {
    const res = await fetch(`${url}/webhook/event`, { method: 'POST', headers: request.headers, body: request.body });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Waits until every message has exactly one reply; fails the test if some do not by `timeoutMs`. */
export async function everyAnsweredOnce(
  fake: FakeOpenApi,
  messageIds: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = messageIds.map((id) => fake.repliesTo(id).length);
    if (counts.every((n) => n === 1) || Date.now() > deadline) {
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
