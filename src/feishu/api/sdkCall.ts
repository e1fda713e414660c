/**
 * One SDK call and its answer: whatever the SDK threw, or a body that is not
 * the expected answer, becomes one BotError (the SDK returns a non-zero code
 * with HTTP 200, and throws an AxiosError for 4xx and 5xx).
 */
import { z } from 'zod';
import { errorFromBody, toBotError } from './toBotError.js';
import type { Endpoint } from '../../domain/types.js';
import { BotError } from '../../domain/errors.js';

export const okSchema = z.object({ code: z.literal(0) });

function parse<T>(schema: z.ZodType<T>, body: unknown, what: Endpoint): T {
  const ok = schema.safeParse(body);
  if (ok.success) return ok.data;
  if (okSchema.safeParse(body).success) throw new BotError('bad_response', `unexpected ${what} answer`);
  throw errorFromBody(body);
}

export async function call<T>(fn: () => Promise<unknown>, schema: z.ZodType<T>, what: Endpoint): Promise<T> {
  let body: unknown;
  try {
    body = await fn();
  } catch (e) {
    throw toBotError(e);
  }
  return parse(schema, body, what);
}
