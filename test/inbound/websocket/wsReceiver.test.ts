/**
 * Long-connection mode, with the SDK's WSClient replaced by a fake that does
 * what it does with an event frame: `eventDispatcher.invoke(envelope, { needCheck: false })`,
 * its answer going back to Feishu as the callback's answer.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardActionEvent, messageEvent, newMessageId } from '../../../src/dev/demo/feishuEvents.js';
import { createLogger } from '../../../src/app/log.js';
import {
  sdkConnection,
  WsReceiver,
  type ConnectionEvents,
  type LongConnection,
} from '../../../src/inbound/websocket/wsReceiver.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { FakeClock, settle } from '../../support/fakeClock.js';
import { startHarness, TOKEN, type Harness } from '../../support/harness.js';

/** Stands in for the SDK's WSClient: `connects` says how each start() ends. */
class FakeConnection implements LongConnection {
  dispatcher?: lark.EventDispatcher;
  starts = 0;
  closed = false;
  constructor(
    readonly events: ConnectionEvents,
    private readonly connects: Array<'up' | 'refused'>,
  ) {}

  async start({ eventDispatcher }: { eventDispatcher: lark.EventDispatcher }): Promise<void> {
    this.dispatcher = eventDispatcher;
    const outcome = this.connects[Math.min(this.starts++, this.connects.length - 1)];
    if (outcome === 'up') this.events.onReady();
    else this.events.onError(new Error('pullConnectConfig failed: code=1000040343'));
  }

  close(): void {
    this.closed = true;
  }

  /** An event frame from Feishu: what the SDK does with it, and what it answers. */
  frame(envelope: unknown): Promise<unknown> {
    return this.dispatcher!.invoke(envelope, { needCheck: false });
  }
}

const logger = createLogger('silent');

function receiver(connects: Array<'up' | 'refused'>, clock = new FakeClock()) {
  let connection: FakeConnection | undefined;
  const ws = new WsReceiver({
    open: (events) => (connection = new FakeConnection(events, connects)),
    clock,
    logger,
    random: () => 0.5,
  });
  return { ws, clock, connection: () => connection! };
}

describe('events over the long connection', () => {
  let h: Harness;
  let ws: WsReceiver;
  let connection: () => FakeConnection;

  beforeAll(async () => {
    let receiving: WsReceiver | undefined = undefined;
    h = await startHarness({
      fake: { batches: { bm_ws: { kind: 'counts', read: 5, total: 8 } } },
      checks: () => ({ websocket: receiving?.connected() ?? false }),
    });
    ({ ws, connection } = receiver(['up']));
    receiving = ws;
    ws.start(h.bot.events);
  });
  afterAll(() => h.close());

  function message(text: string) {
    const messageId = newMessageId();
    h.fake.registerMessage(messageId, 'oc_ws');
    return {
      messageId,
      event: messageEvent({ token: TOKEN, text, messageId, chatId: 'oc_ws', senderOpenId: 'ou_ws' }),
    };
  }

  it('reports the connection in /readyz', async () => {
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: Record<string, boolean> }).checks.websocket).toBe(true);
  });

  it('answers a message once, even when Feishu pushes it again', async () => {
    const { messageId, event } = message('/reads bm_ws');
    await connection().frame(event);
    await connection().frame(event);
    const reply = await h.onlyReply(messageId);
    expect(cardText(reply.card, 'en')).toContain('Read rate: 62.5%');
  });

  it('answers a button press with the refreshed card', async () => {
    const { messageId, event } = message('/reads bm_ws');
    await connection().frame(event);
    const reply = await h.onlyReply(messageId);
    const press = cardActionEvent({
      token: TOKEN,
      operatorOpenId: 'ou_ws',
      messageId: reply.messageId,
      chatId: 'oc_ws',
      value: buttonValue(reply.card, 'Refresh'),
    });
    const answer = (await connection().frame(press)) as {
      toast: { type: string };
      card: { type: string; data: unknown };
    };
    expect(answer.toast.type).toBe('success');
    expect(cardText(answer.card.data, 'en')).toContain("refreshed by <person id='ou_ws'");
  });

  it('is not ready while the connection is down', async () => {
    connection().events.onReconnecting();
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: Record<string, boolean> }).checks.websocket).toBe(false);
    connection().events.onReconnected();
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });
});

describe('when the SDK gives up', () => {
  it('starts the connection again with growing delays, until it is up', async () => {
    const { ws, clock, connection } = receiver(['refused', 'refused', 'up']);
    ws.start({
      accepting: () => true,
      actsOn: () => true,
      onEvent: async () => undefined,
      onCardAction: async () => ({}),
    });
    await settle();
    expect(ws.status).toBe('failed');
    // Backoff from 1 s, doubling, jittered into its upper half: the middle (random 0.5) is 750 ms, then 1.5 s.
    await clock.advance(749);
    expect(connection().starts).toBe(1);
    await clock.advance(1);
    expect(connection().starts).toBe(2);
    expect(ws.status).toBe('failed');
    await clock.advance(1_499);
    expect(connection().starts).toBe(2);
    await clock.advance(1);
    expect(connection().starts).toBe(3);
    expect(ws.connected()).toBe(true);
  });

  it('stays closed once closed', async () => {
    const { ws, clock, connection } = receiver(['refused', 'up']);
    ws.start({
      accepting: () => true,
      actsOn: () => true,
      onEvent: async () => undefined,
      onCardAction: async () => ({}),
    });
    await settle();
    ws.close();
    await clock.advance(120_000);
    expect(connection().starts).toBe(1);
    expect(connection().closed).toBe(true);
    expect(ws.status).toBe('closed');
  });
});

describe('with the SDK’s own WSClient', () => {
  it('reports a refused connect as failed', async () => {
    // A final refusal (514, auth failed): the SDK gives up at once; 1000040343 it would retry by itself.
    const server = createServer((_req, res) =>
      res.setHeader('content-type', 'application/json').end('{"code":514,"msg":"auth failed","data":{}}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clock = new FakeClock();
    const ws = new WsReceiver({
      open: sdkConnection({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's', baseUrl, timeoutMs: 1000, logger }),
      clock,
      logger,
    });
    ws.start({
      accepting: () => true,
      actsOn: () => true,
      onEvent: async () => undefined,
      onCardAction: async () => ({}),
    });
    for (let i = 0; i < 100 && ws.status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ws.status).toBe('failed');
    ws.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
