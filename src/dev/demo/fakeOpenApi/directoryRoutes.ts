/**
 * The chat and user look-ups the access policy makes: a chat's owner and
 * managers, a user's departments; each recorded, and refused as Feishu does
 * for a chat or user the fake does not know.
 */
import type { Express } from 'express';
import type { TenantTokens } from './authRoutes.js';
import { fail } from './feishuAnswers.js';
import type { Records } from './records.js';

export interface FakeChat {
  /** Default false: a group. */
  p2p?: boolean;
  ownerOpenId?: string;
  managerOpenIds?: string[];
}

export interface Directory {
  chats?: Record<string, FakeChat>;
  /** Department ids of users, by open_id. */
  users?: Record<string, string[]>;
}

export function mountDirectoryRoutes(
  app: Express,
  directory: Directory,
  parts: { tokens: TenantTokens; records: Records },
): void {
  app.get('/open-apis/im/v1/chats/:id', parts.tokens.check, (req, res) => {
    const chatId = req.params.id;
    parts.records.lookups.push({ api: 'chat', id: chatId });
    const chat = directory.chats?.[chatId];
    if (!chat) return fail(res, 400, 232011, 'the operator is not in the chat');
    res.json({
      code: 0,
      msg: 'success',
      data: {
        name: 'Fake group',
        chat_mode: chat.p2p ? 'p2p' : 'group',
        owner_id_type: 'open_id',
        ...(chat.ownerOpenId ? { owner_id: chat.ownerOpenId } : {}),
        user_manager_id_list: chat.managerOpenIds ?? [],
        bot_manager_id_list: [],
      },
    });
  });
  app.get('/open-apis/contact/v3/users/:id', parts.tokens.check, (req, res) => {
    const openId = req.params.id;
    parts.records.lookups.push({ api: 'user', id: openId });
    const departments = directory.users?.[openId];
    if (!departments) return fail(res, 400, 41050, 'no user authority error');
    res.json({ code: 0, msg: 'success', data: { user: { open_id: openId, department_ids: departments } } });
  });
}
