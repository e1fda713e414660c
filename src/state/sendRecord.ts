/** What both homes of the sends share: how long a send is kept, which fields a change sets, a send read back. */
import { z } from 'zod';
import { HISTORY_KEEP_MS } from '../domain/rules.js';
import type { Send, SendState } from '../domain/send.js';

/** A draft never confirmed has no use after a day. */
export const DRAFT_KEEP_MS = 24 * 60 * 60_000;

/** How long a send is kept from its creation, or from when it left its draft: read_user answers only 30 days. */
export const keepFor = (state: SendState): number => (state === 'draft' ? DRAFT_KEEP_MS : HISTORY_KEEP_MS);

/** Whether moving from `from` to `to` starts the send's 30 days afresh. */
export const leavesDraft = (from: SendState, to: SendState): boolean => from === 'draft' && to !== 'draft';

/** The fields `o` sets: one left undefined keeps what was there. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const STATES: { [S in SendState]: S } = {
  draft: 'draft',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  unconfirmed: 'unconfirmed',
  failed: 'failed',
  cancelled: 'cancelled',
  recalling: 'recalling',
  recalled: 'recalled',
};

const recipientsSchema = z.object({
  departments: z.array(z.string()),
  openIds: z.array(z.string()),
  userIds: z.array(z.string()),
  unionIds: z.array(z.string()),
});

/** A send as stored (JSON), checked on the way back. */
export const sendSchema = z.object({
  id: z.string(),
  state: z.enum(STATES),
  senderOpenId: z.string(),
  senderUserId: z.string().optional(),
  chatId: z.string(),
  cardMessageId: z.string().optional(),
  text: z.string(),
  recipients: recipientsSchema,
  unusable: z.array(z.object({ given: z.string(), why: z.enum(['not_an_id', 'root_department', 'over_limit']) })),
  createdAt: z.number(),
  previewedAt: z.number().optional(),
  confirmedAt: z.number().optional(),
  attemptedAt: z.number().optional(),
  sentAt: z.number().optional(),
  batchId: z.string().optional(),
  refused: recipientsSchema.optional(),
  error: z
    .object({ code: z.string(), feishuCode: z.number().optional(), message: z.string(), logId: z.string().optional() })
    .optional(),
  recalledAt: z.number().optional(),
  recalledBy: z.string().optional(),
}) satisfies z.ZodType<Send>;
