/** What a promise rejected with, checked to be a BotError (and failing the test when it resolved or threw anything else). */
import { BotError } from '../../src/domain/errors.js';

export async function botErrorOf(p: Promise<unknown>): Promise<BotError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BotError);
  return e as BotError;
}
