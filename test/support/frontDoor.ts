/** The front door's dependencies for tests of the HTTP layer alone: verification token 'tok', encrypt key 'key', nothing behind. */
import type { HttpAppDeps } from '../../src/inbound/http/server.js';
import { createLogger } from '../../src/app/log.js';

export function frontDoorDeps(o: Partial<HttpAppDeps> = {}): HttpAppDeps {
  return {
    decode: { verificationToken: 'tok', encryptKey: 'key' },
    readiness: () => ({ ready: true, checks: {} }),
    accepting: () => true,
    actsOn: () => true,
    now: () => Date.now(),
    onEvent: async () => undefined,
    onCardAction: async () => ({}),
    logger: createLogger('silent'),
    ...o,
  };
}
