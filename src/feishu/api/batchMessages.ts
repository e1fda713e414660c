/**
 * Sending a batch message and recalling it, through the SDK (批量发送消息.md,
 * 批量撤回消息.md). The SDK has no typed method for the batch send: it goes
 * through client.request, as the docs say.
 */
import type * as lark from '@larksuiteoapi/node-sdk';
import { z } from 'zod';
import { call, okSchema } from './sdkCall.js';
import { RECIPIENT_LISTS, type RecipientList, type Recipients } from '../../domain/send.js';

/** A text message and who it goes to. */
export interface BatchMessage {
  text: string;
  recipients: Recipients;
}

export interface BatchSent {
  /** The batch message's id (`bm-…`), as Feishu wrote it. */
  batchId: string;
  /** The ids Feishu found invalid (its invalid_*_ids): it sent to the others. */
  refused: Recipients;
}

/** The batch-send API's name for each list. */
const FIELDS = {
  departments: 'department_ids',
  openIds: 'open_ids',
  userIds: 'user_ids',
  unionIds: 'union_ids',
} as const satisfies Record<RecipientList, string>;

// Feishu leaves out a list it found nothing wrong in.
const ids = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const batchSendSchema = z.object({
  code: z.literal(0),
  data: z.object({
    message_id: z.string().min(1),
    invalid_department_ids: ids,
    invalid_open_ids: ids,
    invalid_user_ids: ids,
    invalid_union_ids: ids,
  }),
});

export async function batchSend(client: lark.Client, { text, recipients }: BatchMessage): Promise<BatchSent> {
  // Only the lists that hold ids, as the docs' examples send them.
  const lists = RECIPIENT_LISTS.filter((list) => recipients[list].length > 0);
  const data = {
    msg_type: 'text',
    content: { text },
    ...Object.fromEntries(lists.map((list) => [FIELDS[list], recipients[list]] as const)),
  };
  const send = () => client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send/', data });
  const answer = (await call(send, batchSendSchema, 'batch_send')).data;
  return {
    batchId: answer.message_id,
    refused: {
      departments: answer.invalid_department_ids,
      openIds: answer.invalid_open_ids,
      userIds: answer.invalid_user_ids,
      unionIds: answer.invalid_union_ids,
    },
  };
}

export async function recallBatch(client: lark.Client, batchId: string): Promise<void> {
  await call(() => client.im.batchMessage.delete({ path: { batch_message_id: batchId } }), okSchema, 'recall');
}
