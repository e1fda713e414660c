/** Cards for commands the bot will not run now: too busy, too fast, or not allowed. Each says what to do. */
import { explainError } from '../feishu/errorCatalogue.js';
import { card, markdown, safeToken, type Card } from './card.js';
import type { BotError } from '../domain/errors.js';

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function refusal(title: { zh: string; en: string }, line: { zh: string; en: string }): Card {
  return card({ title, template: 'orange', summary: title, elements: [markdown(line)] });
}

/** The bot's whole queue is full. */
export function buildBusyCard(retryAfterMs: number): Card {
  const s = seconds(retryAfterMs);
  return refusal(
    { zh: '机器人繁忙', en: 'Bot busy' },
    {
      zh: `现在排队的查询太多，这条没有执行。请约 ${s} 秒后再发一次。`,
      en: `Too many queries are queued right now, so this one was not run. Please send it again in about ${s} s.`,
    },
  );
}

/** This chat already has many queries waiting. */
export function buildChatBusyCard(pending: number, retryAfterMs: number): Card {
  const s = seconds(retryAfterMs);
  return refusal(
    { zh: '本会话查询过多', en: 'Too many queries here' },
    {
      zh: `这个会话还有 ${pending} 条查询在排队，这条没有执行。请约 ${s} 秒后再发。`,
      en: `This chat already has ${pending} queries waiting, so this one was not run. Please send it again in about ${s} s.`,
    },
  );
}

/** One person sent too many commands in a short time. */
export function buildSlowDownCard(perMinute: number, retryAfterMs: number): Card {
  const s = seconds(retryAfterMs);
  return refusal(
    { zh: '发送太频繁', en: 'Slow down' },
    {
      zh: `每人每分钟最多 ${perMinute} 条命令，这条没有执行。请 ${s} 秒后再试。`,
      en: `Each person may send at most ${perMinute} commands a minute, so this one was not run. Try again in ${s} s.`,
    },
  );
}

export type DenialReason = 'not_on_allowlist' | 'not_group_admin' | 'check_failed';

export function buildAccessDeniedCard(reason: DenialReason, error?: BotError): Card {
  if (reason === 'check_failed') {
    const e = error ? explainError(error) : undefined;
    return refusal(
      { zh: '无法确认权限', en: 'Cannot check access' },
      {
        zh: `机器人无法确认你是否可以使用它${e ? `（${e.code} ${e.title.zh}）` : ''}，所以没有执行。请联系机器人管理员。`,
        en: `The bot could not check whether you may use it${e ? ` (${e.code} ${e.title.en})` : ''}, so nothing was run. Please tell the bot’s admin.`,
      },
    );
  }
  const lines = {
    not_on_allowlist: {
      zh: '抱歉，管理员只允许指定的成员或部门使用这个机器人。如需使用，请联系机器人管理员。',
      en: 'Sorry, the admin has limited this bot to certain people or departments. Ask the bot’s admin if you need access.',
    },
    not_group_admin: {
      zh: '抱歉，在群聊中只有群主和群管理员可以使用这个机器人。你可以私聊机器人查询。',
      en: 'Sorry, in group chats only the group owner and managers may use this bot. You can ask it in a one-to-one chat instead.',
    },
  };
  return refusal({ zh: '没有使用权限', en: 'Not allowed' }, lines[reason]);
}

/**
 * `/send` (or its form) from someone who may not send batch messages:
 * nobody may (SENDERS is unset), or they are not among SENDERS.
 */
export function buildNotASenderCard(reason: 'nobody' | 'not_listed', who: { openId: string; userId?: string }): Card {
  const title = { zh: '无法发送批量消息', en: 'Cannot send batch messages' };
  if (reason === 'nobody')
    return refusal(title, {
      zh: '这个机器人没有开放发送批量消息：还没有人被允许发送（SENDERS 未设置）。如需使用，请联系部署机器人的管理员。什么也没有发出。',
      en: 'Nobody may send batch messages with this bot: SENDERS is not set. Ask the admin who deployed it if you need to. Nothing was sent.',
    });
  const open = `\`${safeToken(who.openId)}\``;
  const user = who.userId ? `\`${safeToken(who.userId)}\`` : undefined;
  return refusal(title, {
    zh: `你不在允许发送批量消息的名单（SENDERS）中。请联系部署机器人的管理员，把你的 open id ${open}${user ? ` 或 user id ${user}` : ''} 加入名单。什么也没有发出。`,
    en: `You are not among the people who may send batch messages with this bot (SENDERS). Ask the admin who deployed it to add your open id ${open}${user ? ` or your user id ${user}` : ''}. Nothing was sent.`,
  });
}
