/**
 * Batch send and recall, as Feishu plays them (批量发送消息.md, 批量撤回消息.md).
 * Each call is recorded on arrival and counted against its own limit before
 * the token is looked at. A batch sent becomes one the fake plays from then
 * on: read_user answers its recipients as the total and a read count that
 * rises with time, get_progress its funnel; once recalled, its counts stop
 * and get_progress says so.
 *
 * Batch send answers its refusals as its doc's error table does: HTTP 200,
 * codes 10003 (invalid parameter) and 11xxx. The recall answers HTTP 400 and
 * the 2300xx codes of its page.
 */
import { randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { MAX_PER_LIST, RECIPIENT_LISTS, type RecipientList, type Recipients } from '../../../domain/send.js';
import type { FakeScopes } from '../fakeScopes.js';
import { INVALID_TOKEN, type TenantTokens } from './authRoutes.js';
import { NOT_FOUND, type BatchScripts, type Failure } from './batchScripts.js';
import type { Faults } from './faults.js';
import { pause, sendFailure, TOO_FREQUENT } from './feishuAnswers.js';
import type { RateLimits } from './rateLimits.js';
import type { BatchSendRecord, RecallRecord, Records, SentBatch } from './records.js';

export interface BatchSendParts {
  tokens: TenantTokens;
  batches: BatchScripts;
  records: Records;
  limits: RateLimits;
  faults: Faults;
  now: () => number;
  /** The app's scopes; undefined: every one granted. */
  scopes: () => FakeScopes | undefined;
  /** How long after its send a batch may be recalled. */
  recallWindowMs(): number;
}

/** Feishu's recall window unless a tenant's admin sets another: "Message can only be recalled within one days." */
export const DEFAULT_RECALL_WINDOW_MS = 24 * 60 * 60_000;

/** The fake has no directory: each department it knows has this many people (sub-departments included). */
export const DEPARTMENT_SIZE = 25;

/** A sent batch is read by a tenth of its recipients each minute, so by all of them after ten. */
const MINUTES_TO_READ_ALL = 10;

/**
 * The ids the fake knows, by their form: open department ids `od-…`, open
 * ids `ou_…`, user ids of letters and digits, union ids `on_…`; none that
 * contains `unknown`. Any other id is one Feishu would not find: the answer
 * lists it among the invalid ones and the batch goes to the rest.
 */
const KNOWN_FORM: Record<RecipientList, RegExp> = {
  departments: /^od-/,
  openIds: /^ou_/,
  userIds: /^[A-Za-z0-9]+$/,
  unionIds: /^on_/,
};

/** Departments and people need a scope each; without it, Feishu refuses the send. */
const SCOPE_OF: Array<{ lists: RecipientList[]; scope: string; code: number; msg: string }> = [
  {
    lists: ['departments'],
    scope: 'im:message:send_multi_depts',
    code: 11204,
    msg: 'Send department list permission denied.',
  },
  {
    lists: ['openIds', 'userIds', 'unionIds'],
    scope: 'im:message:send_multi_users',
    code: 11203,
    msg: 'Send employee ids permission denied.',
  },
];

const ROOT_DEPARTMENT = '0';

const idList = z.array(z.string()).max(MAX_PER_LIST, `a list holds at most ${MAX_PER_LIST} ids`).default([]);

const batchSendBody = z
  .object({
    department_ids: idList.refine((ids) => !ids.includes(ROOT_DEPARTMENT), 'the root department 0 is not allowed'),
    open_ids: idList,
    user_ids: idList,
    union_ids: idList,
  })
  .refine(
    (lists) => Object.values(lists).some((ids) => ids.length > 0),
    'one of department_ids, open_ids, user_ids and union_ids is required',
  )
  .and(
    z.discriminatedUnion('msg_type', [
      z.object({ msg_type: z.literal('text'), content: z.object({ text: z.string().min(1) }) }),
      z.object({ msg_type: z.enum(['post', 'image', 'share_chat']), content: z.record(z.string(), z.unknown()) }),
      z.object({ msg_type: z.literal('interactive'), card: z.record(z.string(), z.unknown()) }),
    ]),
  );
type BatchSendBody = z.infer<typeof batchSendBody>;

/** What a call is answered: Feishu's data, or a failure. */
type Answer = Failure | { kind: 'ok'; data: object };

const refusal = (code: number, msg: string): Failure => ({ kind: 'error', httpStatus: 200, code, msg });
const recallError = (code: number, msg: string): Failure => ({ kind: 'error', httpStatus: 400, code, msg });

export function mountBatchSendRoutes(app: Express, parts: BatchSendParts): void {
  app.post('/open-apis/message/v4/batch_send', async (req: Request, res) => {
    const call: BatchSendRecord = { at: parts.now(), body: req.body as unknown, status: 0 };
    parts.records.batchSends.push(call); // recorded on arrival, as Feishu counts it
    answer(res, call, await batchSend(parts, req, call));
  });
  app.delete('/open-apis/im/v1/batch_messages/:id', (req: Request<{ id: string }>, res) => {
    const call: RecallRecord = { batchId: req.params.id, at: parts.now(), status: 0 };
    parts.records.recalls.push(call);
    answer(res, call, recall(parts, req, call));
  });
}

/** Answers the call, and records what it was answered, unless the client went away first. */
function answer(res: Response, call: { status: number; code?: number }, outcome: Answer): void {
  if (res.destroyed) return;
  if (outcome.kind === 'ok') {
    call.status = 200;
    call.code = 0;
    return void res.json({ code: 0, msg: 'ok', data: outcome.data });
  }
  call.status = outcome.httpStatus;
  call.code = outcome.kind === 'error' ? outcome.code : undefined;
  sendFailure(res, outcome);
}

async function batchSend(parts: BatchSendParts, req: Request, call: BatchSendRecord): Promise<Answer> {
  if (parts.limits.overAppLimit('batch_send', call.at)) return TOO_FREQUENT;
  if (!parts.tokens.bears(req)) return INVALID_TOKEN;
  const step = parts.faults.nextBatchSendStep();
  await pause(step?.delayMs);
  if (step && step.kind !== 'delay') return step;
  const parsed = batchSendBody.safeParse(req.body);
  if (!parsed.success) return refusal(10003, `Invalid parameter. ${oneLine(parsed.error)}`);
  const recipients = recipientsOf(parsed.data);
  const missing = missingScope(parts.scopes(), recipients);
  if (missing) return missing;
  const sent = send(parts, parsed.data, recipients);
  call.sent = sent;
  const { invalid } = sent;
  return {
    kind: 'ok',
    data: {
      message_id: sent.batchId,
      invalid_department_ids: invalid.departments,
      invalid_open_ids: invalid.openIds,
      invalid_user_ids: invalid.userIds,
      invalid_union_ids: invalid.unionIds,
    },
  };
}

/** What is wrong with a body, on one line as Feishu's messages are: `open_ids: a list holds at most 200 ids`. */
function oneLine(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
}

function recipientsOf(body: BatchSendBody): Recipients {
  return { departments: body.department_ids, openIds: body.open_ids, userIds: body.user_ids, unionIds: body.union_ids };
}

function missingScope(scopes: FakeScopes | undefined, recipients: Recipients): Failure | undefined {
  if (!scopes) return undefined;
  const lacking = SCOPE_OF.find(({ lists, scope }) => !scopes[scope] && lists.some((l) => recipients[l].length > 0));
  return lacking && refusal(lacking.code, lacking.msg);
}

/** Sends the batch: a new id, which the fake plays from now on, its read count rising from 0. */
function send(parts: BatchSendParts, body: BatchSendBody, recipients: Recipients): SentBatch {
  const at = parts.now();
  const batchId = `bm-${randomBytes(16).toString('hex')}`;
  const known = (list: RecipientList) => recipients[list].filter((id) => knows(list, id));
  const invalid = byList((list) => recipients[list].filter((id) => !knows(list, id)));
  const total = RECIPIENT_LISTS.reduce(
    (n, list) => n + new Set(known(list)).size * (list === 'departments' ? DEPARTMENT_SIZE : 1),
    0,
  );
  const perMinute = Math.ceil(total / MINUTES_TO_READ_ALL);
  parts.batches.set(batchId, { kind: 'rising', read: 0, total, perMinute, since: at });
  const content = 'card' in body ? body.card : body.content;
  return { batchId, at, msgType: body.msg_type, content, recipients, invalid, total };
}

const knows = (list: RecipientList, id: string) => KNOWN_FORM[list].test(id) && !id.includes('unknown');

const byList = (make: (list: RecipientList) => string[]): Recipients => ({
  departments: make('departments'),
  openIds: make('openIds'),
  userIds: make('userIds'),
  unionIds: make('unionIds'),
});

/**
 * A batch this fake sent is recalled within the window. One it plays from
 * its scripts but did not send counts as another app's (230026), unless its
 * script says Feishu does not know it (230030), as for an id it has no script for.
 */
function recall(parts: BatchSendParts, req: Request, call: RecallRecord): Answer {
  if (parts.limits.overAppLimit('recall', call.at)) return TOO_FREQUENT;
  if (!parts.tokens.bears(req)) return INVALID_TOKEN;
  const sent = parts.records.sentBatch(call.batchId);
  if (!sent) {
    if (parts.batches.notFound(call.batchId)) return NOT_FOUND;
    return recallError(230026, 'No permission to recall this message.');
  }
  if (call.at - sent.at > parts.recallWindowMs())
    return recallError(230009, 'Message can only be recalled within one days.');
  parts.batches.recall(call.batchId);
  return { kind: 'ok', data: {} };
}
