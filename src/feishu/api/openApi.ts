/**
 * The Feishu Open API through the official SDK: the innermost layer of the
 * call path (outbound.ts schedules and retries, breaker.ts guards,
 * instrumentApi.ts counts, threadedApi.ts carries calls to the SDK's thread).
 * Every call either returns parsed data or throws a BotError; callers never
 * see the SDK's two ways of failing (returned code vs thrown AxiosError).
 */
import * as lark from '@larksuiteoapi/node-sdk';
import axios, { type AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import { TokenCache } from './tokenCache.js';
import { call, okSchema } from './sdkCall.js';
import { batchSend, recallBatch, type BatchMessage, type BatchSent } from './batchMessages.js';
import type { DeliveryCounts, ReadCounts } from '../../domain/types.js';

export interface ChatAdmins {
  /** False for one-to-one chats. */
  isGroup: boolean;
  ownerOpenId?: string;
  managerOpenIds: string[];
}

/** What the rest of the bot needs from Feishu; tests and demo pass the real one pointed at a fake. */
export interface FeishuApi {
  readUser(batchMessageId: string): Promise<ReadCounts>;
  /** The delivery funnel and recall state (GET /open-apis/im/v1/batch_messages/:id/get_progress). */
  getProgress(batchMessageId: string): Promise<DeliveryCounts>;
  /** Sends a card as a new message to a person (open_id) or a chat (chat_id); resolves to its message id. */
  sendCard(to: Recipient, card: object, uuid: string): Promise<string>;
  /**
   * Sends a text to many people at once (POST /open-apis/message/v4/batch_send/).
   * Not idempotent: Feishu takes no key to tell a repeat from a new message.
   */
  batchSend(message: BatchMessage): Promise<BatchSent>;
  /** Recalls a batch message from everyone it went to (DELETE /open-apis/im/v1/batch_messages/:id). */
  recallBatch(batchId: string): Promise<void>;
  /** Replies to a message with a card; resolves to the new message's id. */
  replyCard(messageId: string, card: object, uuid: string): Promise<string>;
  /** Replaces the card of a message the bot sent (PATCH /open-apis/im/v1/messages/:id). */
  patchCard(messageId: string, card: object): Promise<void>;
  botOpenId(): Promise<string>;
  /** Owner and managers of a group (GET /open-apis/im/v1/chats/:chat_id). */
  chatAdmins(chatId: string): Promise<ChatAdmins>;
  /** Departments of a user (GET /open-apis/contact/v3/users/:user_id). */
  userDepartments(openId: string): Promise<string[]>;
  /** The scopes the app asked for and whether each is granted (GET /open-apis/application/v6/scopes): the self-check. */
  grantedScopes(): Promise<GrantedScope[]>;
  /** Forgets the cached tenant token, so the next call fetches a new one (after 99991663). */
  invalidateToken(): void;
}

export interface GrantedScope {
  name: string;
  granted: boolean;
}

/** Who a message goes to (POST /open-apis/im/v1/messages?receive_id_type=…). */
export type Recipient = { openId: string } | { chatId: string };

export interface OpenApiOptions {
  appId: string;
  appSecret: string;
  /** Base URL, e.g. https://open.feishu.cn or a local fake. */
  baseUrl: string;
  timeoutMs: number;
  logger: Logger;
}

const count = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
const readUserSchema = z.object({
  code: z.literal(0),
  data: z.object({ read_user: z.object({ read_count: count, total_count: count }) }),
});
const scopesSchema = z.object({
  code: z.literal(0),
  data: z.object({ scopes: z.array(z.object({ scope_name: z.string(), grant_status: z.number() })).default([]) }),
});
const progressSchema = z.object({
  code: z.literal(0),
  data: z.object({
    batch_message_send_progress: z.object({
      valid_user_ids_count: count,
      success_user_ids_count: count,
      read_user_ids_count: count,
    }),
    batch_message_recall_progress: z
      .object({ recall: z.boolean().optional(), recall_count: count.optional() })
      .optional(),
  }),
});
const botInfoSchema = z.object({ code: z.literal(0), bot: z.object({ open_id: z.string().min(1) }) });
const replySchema = z.object({ code: z.literal(0), data: z.object({ message_id: z.string().min(1) }) });
const chatSchema = z.object({
  code: z.literal(0),
  data: z.object({
    chat_mode: z.string().optional(),
    owner_id: z.string().optional(),
    owner_id_type: z.string().optional(),
    user_manager_id_list: z.array(z.string()).optional(),
  }),
});
const userSchema = z.object({
  code: z.literal(0),
  data: z.object({ user: z.object({ department_ids: z.array(z.string()).optional() }) }),
});

/** The SDK's default axios instance has no timeout; this one has. */
export function createHttpInstance(timeoutMs: number): lark.HttpInstance {
  // Feishu does not redirect: with no redirects axios skips the follow-redirects wrapper around each call.
  const http = axios.create({ timeout: timeoutMs, maxRedirects: 0 });
  // The SDK expects responses already unwrapped to their body, whatever axios's types say.
  http.interceptors.response.use(
    (resp) =>
      (resp.config['$return_headers' as keyof typeof resp.config]
        ? { data: resp.data as unknown, headers: resp.headers }
        : resp.data) as AxiosResponse,
  );
  return http as unknown as lark.HttpInstance;
}

/**
 * The SDK logs whole requests (headers with the bearer token, the token
 * request body with the app secret). Only a one-line summary gets through.
 */
export function sdkLogger(logger: Logger) {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const summarise = (args: unknown[]) =>
    args
      .map((a) => {
        if (typeof a === 'string') return withoutSecrets(a);
        const first: unknown = Array.isArray(a) ? (a as unknown[])[0] : a;
        if (first && typeof first === 'object') {
          const o = first as { message?: unknown; config?: { method?: unknown; url?: unknown } };
          const where = o.config ? ` ${text(o.config.method).toUpperCase()} ${text(o.config.url).split('?')[0]}` : '';
          return `${text(o.message) || 'error'}${where}`;
        }
        return typeof a;
      })
      .join(' ');
  const at =
    (level: 'debug' | 'trace') =>
    (...args: unknown[]) =>
      logger[level]({ sdk: true }, summarise(args));
  // SDK errors are rethrown to us and logged there with context; here they are noise.
  return { error: at('debug'), warn: at('debug'), info: at('trace'), debug: at('trace'), trace: at('trace') };
}

/** Longest SDK message kept; the rest is never needed to follow what it did. */
const SDK_TEXT_MAX = 200;

/**
 * An SDK message without what it may carry at trace level: the long
 * connection's URL (its query holds the ticket) and whole event payloads
 * (people's messages).
 */
export function withoutSecrets(text: string): string {
  const payloadAt = text.indexOf('{');
  let kept = payloadAt === -1 ? text : `${text.slice(0, payloadAt)}<payload omitted>`;
  if (kept.length > SDK_TEXT_MAX) kept = `${kept.slice(0, SDK_TEXT_MAX)}…`;
  return kept.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?]+)\?\S*/gi, '$1?<redacted>');
}

export function createOpenApi(options: OpenApiOptions): FeishuApi {
  return new SdkApi(options);
}

/** FeishuApi on the official SDK: each call's answer checked against its schema, each failure one BotError. */
class SdkApi implements FeishuApi {
  private readonly tokenCache = new TokenCache();
  private readonly client: lark.Client;

  constructor(options: OpenApiOptions) {
    this.client = new lark.Client({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.baseUrl,
      httpInstance: createHttpInstance(options.timeoutMs),
      logger: sdkLogger(options.logger),
      loggerLevel: lark.LoggerLevel.trace,
      cache: this.tokenCache,
    });
  }

  async readUser(batchMessageId: string): Promise<ReadCounts> {
    const body = await call(
      () => this.client.im.batchMessage.readUser({ path: { batch_message_id: batchMessageId } }),
      readUserSchema,
      'read_user',
    );
    return { readCount: body.data.read_user.read_count, totalCount: body.data.read_user.total_count };
  }

  async getProgress(batchMessageId: string): Promise<DeliveryCounts> {
    const body = await call(
      () => this.client.im.batchMessage.getProgress({ path: { batch_message_id: batchMessageId } }),
      progressSchema,
      'get_progress',
    );
    const sent = body.data.batch_message_send_progress;
    const recall = body.data.batch_message_recall_progress;
    return {
      validCount: sent.valid_user_ids_count,
      deliveredCount: sent.success_user_ids_count,
      readCount: sent.read_user_ids_count,
      recalled: recall?.recall ?? false,
      recallCount: recall?.recall_count ?? 0,
    };
  }

  async sendCard(to: Recipient, card: object, uuid: string): Promise<string> {
    const [receive_id_type, receive_id] =
      'openId' in to ? (['open_id', to.openId] as const) : (['chat_id', to.chatId] as const);
    const content = JSON.stringify(card);
    const body = await call(
      () =>
        this.client.im.message.create({
          params: { receive_id_type },
          data: { receive_id, msg_type: 'interactive', content, uuid },
        }),
      replySchema,
      'send',
    );
    return body.data.message_id;
  }

  batchSend(message: BatchMessage): Promise<BatchSent> {
    return batchSend(this.client, message);
  }

  recallBatch(batchId: string): Promise<void> {
    return recallBatch(this.client, batchId);
  }

  async replyCard(messageId: string, card: object, uuid: string): Promise<string> {
    const content = JSON.stringify(card);
    const body = await call(
      () =>
        this.client.im.message.reply({
          path: { message_id: messageId },
          data: { msg_type: 'interactive', content, uuid },
        }),
      replySchema,
      'reply',
    );
    return body.data.message_id;
  }

  async patchCard(messageId: string, card: object): Promise<void> {
    const content = JSON.stringify(card);
    await call(
      () => this.client.im.message.patch({ path: { message_id: messageId }, data: { content } }),
      okSchema,
      'patch',
    );
  }

  async botOpenId(): Promise<string> {
    const info = () => this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    return (await call(info, botInfoSchema, 'bot_info')).bot.open_id;
  }

  async chatAdmins(chatId: string): Promise<ChatAdmins> {
    const chat = () => this.client.im.chat.get({ path: { chat_id: chatId }, params: { user_id_type: 'open_id' } });
    const { data } = await call(chat, chatSchema, 'chat_info');
    const ownerIsOpenId = data.owner_id_type === 'open_id' || data.owner_id_type === undefined;
    return {
      isGroup: data.chat_mode !== 'p2p',
      ownerOpenId: ownerIsOpenId ? data.owner_id : undefined,
      managerOpenIds: data.user_manager_id_list ?? [],
    };
  }

  async userDepartments(openId: string): Promise<string[]> {
    const params = { user_id_type: 'open_id' as const, department_id_type: 'open_department_id' as const };
    const user = () => this.client.contact.user.get({ path: { user_id: openId }, params });
    return (await call(user, userSchema, 'user_info')).data.user.department_ids ?? [];
  }

  async grantedScopes(): Promise<GrantedScope[]> {
    const list = () => this.client.request({ method: 'GET', url: '/open-apis/application/v6/scopes' });
    const { data } = await call(list, scopesSchema, 'app_scopes');
    // grant_status: 1 granted, 2 not granted.
    return data.scopes.map((s) => ({ name: s.scope_name, granted: s.grant_status === 1 }));
  }

  invalidateToken(): void {
    this.tokenCache.clear();
  }
}
