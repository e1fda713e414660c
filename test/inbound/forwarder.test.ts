import { systemClock } from '../../src/domain/clock.js';
import { createForwarder, headersToForward } from '../../src/inbound/forwarder.js';
import { createLogger } from '../../src/app/log.js';
import { noMetrics } from '../../src/domain/metrics.js';
import { Upstream } from '../support/upstream.js';

const upstream = new Upstream();
let url: string;
beforeAll(async () => {
  url = await upstream.listen();
});
afterAll(() => upstream.close());

it('passes on only the body’s type and the X-Lark-* headers, in any case', () => {
  expect(
    headersToForward({
      'X-Lark-Signature': 'sig',
      'x-lark-request-nonce': 'n',
      'content-type': 'application/json; charset=utf-8',
      authorization: 'Bearer secret',
      cookie: 'a=b',
      'set-cookie': ['a=b'],
    }),
  ).toEqual({ 'content-type': 'application/json', 'x-lark-signature': 'sig', 'x-lark-request-nonce': 'n' });
});

it('relays whatever the upstream answers, a redirect too, and calls an answer without a type JSON', async () => {
  const forward = createForwarder({ url, clock: systemClock, logger: createLogger('silent'), metrics: noMetrics });
  upstream.answer = { status: 302, body: '', contentType: null };
  const answer = await forward('callback', Buffer.from('{}'), { 'content-type': 'application/json' });
  expect(answer).toEqual({ status: 302, body: Buffer.alloc(0), contentType: 'application/json; charset=utf-8' });
  expect(upstream.received.at(-1)!.body.toString()).toBe('{}');
});
