/**
 * Builds requests the way Feishu sends them: schema 2.0 message events,
 * encrypted with the encrypt key and signed over the exact body. Used by the
 * demo chat client and by the tests, so both exercise the real front door.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface MessageEventOptions {
  token: string;
  text: string;
  chatType?: 'p2p' | 'group';
  chatId?: string;
  messageId?: string;
  eventId?: string;
  senderOpenId?: string;
  /** open_ids @mentioned, in order: they become @_user_1, @_user_2… */
  mentions?: Array<{ openId: string; name: string }>;
  messageType?: string;
  content?: string;
}

export function newMessageId(): string {
  return `om_${randomBytes(16).toString('hex')}`;
}

export function messageEvent(o: MessageEventOptions): {
  schema: '2.0';
  header: Record<string, string>;
  event: unknown;
} {
  const mentions = (o.mentions ?? []).map((m, i) => ({
    key: `@_user_${i + 1}`,
    id: { open_id: m.openId, union_id: `on_${m.openId}`, user_id: '' },
    name: m.name,
    tenant_key: 'demo_tenant',
  }));
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? randomUUID().replace(/-/g, ''),
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: o.token,
      app_id: 'cli_demo',
      tenant_key: 'demo_tenant',
    },
    event: {
      sender: {
        sender_id: { open_id: o.senderOpenId ?? 'ou_demo_user' },
        sender_type: 'user',
        tenant_key: 'demo_tenant',
      },
      message: {
        message_id: o.messageId ?? newMessageId(),
        create_time: String(Date.now()),
        chat_id: o.chatId ?? 'oc_demo_chat',
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType ?? 'text',
        content: o.content ?? JSON.stringify({ text: o.text }),
        mentions,
      },
    },
  };
}

/** Where a person typed: a one-to-one chat, or a group, @mentioning the bot first or not. */
export type TypedIn = 'p2p' | 'group' | 'group_no_mention';

/** What a person typed to the bot, as Feishu delivers it: in a group, an @mention becomes `@_user_1 `. */
export function typedMessageEvent(o: {
  token: string;
  typed: string;
  where: TypedIn;
  chatId: string;
  botOpenId: string;
  senderOpenId: string;
  messageId: string;
}): { text: string; event: ReturnType<typeof messageEvent> } {
  const mentionsBot = o.where === 'group';
  const text = mentionsBot ? `@_user_1 ${o.typed}` : o.typed;
  const event = messageEvent({
    token: o.token,
    text,
    messageId: o.messageId,
    chatType: o.where === 'p2p' ? 'p2p' : 'group',
    chatId: o.chatId,
    senderOpenId: o.senderOpenId,
    mentions: mentionsBot ? [{ openId: o.botOpenId, name: 'Reads Bot' }] : [],
  });
  return { text, event };
}

export { feishuRequest, type SignedRequest } from '../../inbound/http/seal.js';

export interface CardActionOptions {
  token: string;
  operatorOpenId: string;
  /** The card message the button is on. */
  messageId: string;
  chatId: string;
  /** The button's `behaviors[].value`, as the bot put it on the card. */
  value: unknown;
  eventId?: string;
  /** A form's submit button: its `name`, and the form's values by input name. */
  form?: { name: string; values: Record<string, string> };
}

/** A `card.action.trigger` callback (schema 2.0), as Feishu sends it when a button is pressed. */
export function cardActionEvent(o: CardActionOptions): {
  schema: '2.0';
  header: Record<string, string>;
  event: unknown;
} {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? randomUUID().replace(/-/g, ''),
      event_type: 'card.action.trigger',
      create_time: String(Date.now() * 1000),
      token: o.token,
      app_id: 'cli_demo',
      tenant_key: 'demo_tenant',
    },
    event: {
      operator: { tenant_key: 'demo_tenant', open_id: o.operatorOpenId, union_id: `on_${o.operatorOpenId}` },
      token: o.token,
      action: {
        tag: 'button',
        value: o.value,
        ...(o.form ? { name: o.form.name, form_value: o.form.values, timezone: 'Asia/Shanghai' } : {}),
      },
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
  };
}

/** The schema 2.0 envelope of an event. */
function envelope(token: string, eventType: string, event: unknown, eventId?: string) {
  return {
    schema: '2.0' as const,
    header: {
      event_id: eventId ?? randomUUID().replace(/-/g, ''),
      event_type: eventType,
      create_time: String(Date.now()),
      token,
      app_id: 'cli_demo',
      tenant_key: 'demo_tenant',
    },
    event,
  };
}

const userIds = (openId: string) => ({ open_id: openId, union_id: `on_${openId}`, user_id: '' });

/** `application.bot.menu_v6`: a press on the bot's custom menu item whose action pushes `eventKey`. */
export function menuEvent(o: { token: string; eventKey: string; operatorOpenId: string; eventId?: string }) {
  const event = {
    operator: { operator_name: 'Demo User', operator_id: userIds(o.operatorOpenId) },
    event_key: o.eventKey,
    timestamp: String(Date.now()),
  };
  return envelope(o.token, 'application.bot.menu_v6', event, o.eventId);
}

/** `im.chat.access_event.bot_p2p_chat_entered_v1`: a person opened the one-to-one chat with the bot. */
export function chatEnteredEvent(o: { token: string; operatorOpenId: string; chatId: string; eventId?: string }) {
  const event = {
    chat_id: o.chatId,
    operator_id: userIds(o.operatorOpenId),
    last_message_id: newMessageId(),
    last_message_create_time: String(Date.now()),
  };
  return envelope(o.token, 'im.chat.access_event.bot_p2p_chat_entered_v1', event, o.eventId);
}
