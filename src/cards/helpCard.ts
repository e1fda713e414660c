/** Cards that answer without asking Feishu: usage help, a malformed id, a bad watch, too many ids. */
import { both, button, buttonRow, card, markdown, plainText, type Card, type Element } from './card.js';
import { formatDuration } from './format.js';
import {
  BATCH_ID_MAX_LENGTH,
  EXAMPLE_BATCH_ID,
  EXAMPLE_SENT_BATCH_ID,
  MAX_COMMAND_LENGTH,
  MAX_IDS,
  WATCH_LIMITS,
} from '../domain/rules.js';
import { WATCH_CAPS } from '../domain/limits.js';
import { SENT_LIST_LENGTH } from '../domain/send.js';
import type { CardAction, WatchRefusal } from '../domain/types.js';
import type { HelpReason, WatchProblem } from '../domain/command.js';

const OPENING: Record<HelpReason, { zh: string; en: string }> = {
  asked: { zh: '我可以查询批量消息的阅读情况。', en: 'I tell you how many people read a batch message.' },
  missing_id: { zh: '请在 /reads 后面带上批量消息 ID。', en: 'Please put a batch message id after /reads.' },
  unknown: { zh: '我没看懂这条消息，我能听懂下面的命令。', en: 'I did not understand that; here is what I can do.' },
  one_id_for_history_or_watch: {
    zh: 'history、watch、stop 和 delivery 每次只能针对一个批量消息 ID。',
    en: 'history, watch, stop and delivery take one batch message id at a time.',
  },
};

// Feishu's docs write ids both ways: each form is cited from the page that writes it.
const SEND_DOC = 'https://open.feishu.cn/document/server-docs/im-v1/batch_message/send-messages-in-batches';
const READ_USER_DOC = 'https://open.feishu.cn/document/server-docs/im-v1/batch_message/read_user';

const ID_RULE = {
  zh: `批量消息 ID 是批量发送消息接口返回的 message_id：以 \`bm-\` 或 \`bm_\` 开头，后跟字母、数字、\`_\` 或 \`-\`，最长 ${BATCH_ID_MAX_LENGTH} 个字符。飞书文档两种写法都有（[批量发送消息](${SEND_DOC})写作 \`bm-…\`，[查询批量消息推送和阅读人数](${READ_USER_DOC})写作 \`bm_…\`），照原样粘贴即可。`,
  en: `A batch message id is the message_id the batch-send API returned: \`bm-\` or \`bm_\`, followed by letters, digits, \`_\` or \`-\`, at most ${BATCH_ID_MAX_LENGTH} characters. Feishu's docs write it both ways ([batch send](${SEND_DOC}) \`bm-…\`, [read_user](${READ_USER_DOC}) \`bm_…\`): paste it as you have it.`,
};

const USAGE = {
  zh: [
    `**/reads ${EXAMPLE_SENT_BATCH_ID}**\n查询已读人数、推送总数和阅读率；卡片上的「刷新」随时更新。`,
    `**/reads bm_a bm_b …**\n一次查询最多 ${MAX_IDS} 条，附合计。`,
    '**/reads bm_xxx history**\n近 30 天的快照和趋势图。',
    '**/reads bm_xxx watch 2h every 5m**\n卡片自动更新，直到全部已读、到时间或被停止（默认 2 小时、每 5 分钟）。',
    '**/reads bm_xxx stop**\n停止这个会话对它的监控。',
    '**/reads bm_xxx delivery**（或 送达）\n送达情况：有效接收人 → 已送达 → 已读，以及是否撤回。',
    '**/help**\n显示本帮助。',
  ].join('\n\n'),
  en: [
    `**/reads ${EXAMPLE_SENT_BATCH_ID}**\nRead count, total pushed and read rate; the card's Refresh button updates it any time.`,
    `**/reads bm_a bm_b …**\nUp to ${MAX_IDS} at once, with totals.`,
    '**/reads bm_xxx history**\nSnapshots and the trend of the last 30 days.',
    '**/reads bm_xxx watch 2h every 5m**\nThe card updates itself until everyone has read, time is up, or someone stops it (default 2 h, every 5 min).',
    '**/reads bm_xxx stop**\nStops this chat’s watch of it.',
    '**/reads bm_xxx delivery**\nThe delivery funnel: valid recipients → delivered → read, and whether it was recalled.',
    '**/help**\nShow this help.',
  ].join('\n\n'),
};

/** The limits a command must keep, as the parser applies them. */
const LIMITS = both((lang) => {
  const t = (ms: number) => formatDuration(ms, lang);
  const { minDurationMs, maxDurationMs, minIntervalMs } = WATCH_LIMITS;
  return lang === 'zh'
    ? `**限制**：一次最多 ${MAX_IDS} 个 ID；监控 ${t(minDurationMs)}至 ${t(maxDurationMs)}，每次更新至少间隔 ${t(minIntervalMs)}，且间隔不超过监控时长。`
    : `**Limits**: up to ${MAX_IDS} ids at once; a watch lasts ${t(minDurationMs)} to ${t(maxDurationMs)}, with updates at least ${t(minIntervalMs)} apart and no further apart than the watch is long.`;
});

/** Who may send batch messages through the bot: `allowed` sees how, the others who may. */
export type Sending = 'allowed' | 'not_listed' | 'nobody';

const SEND_USAGE = {
  zh: [
    '**/send 接收人**\n**消息内容（从第二行起）**\n批量发送一条消息。接收人写在第一行：部门 ID（`od-…`）、@某人、open id（`ou_…`）或 user id，用空格或逗号分隔。先给你看预览，确认之后才会发送。',
    `**/sent**\n你最近发送的 ${SENT_LIST_LENGTH} 条批量消息和它们的阅读率。`,
  ].join('\n\n'),
  en: [
    '**/send recipients**\n**the message (from the second line on)**\nSends one batch message. The recipients go on the first line: department ids (`od-…`), @mentions, open ids (`ou_…`) or user ids, separated by spaces or commas. You see a preview first; nothing is sent until you confirm.',
    `**/sent**\nYour latest ${SENT_LIST_LENGTH} batch messages and how many read them.`,
  ].join('\n\n'),
};

const WHO_MAY_SEND: Record<Exclude<Sending, 'allowed'>, { zh: string; en: string }> = {
  not_listed: {
    zh: '发送批量消息（/send）仅限部署机器人的管理员在 SENDERS 中列出的人。',
    en: 'Sending batch messages (/send) is for the people the admin who deployed the bot lists in SENDERS.',
  },
  nobody: {
    zh: '这个机器人没有开放发送批量消息（/send）：部署它的管理员还没有在 SENDERS 中列出任何人。',
    en: 'Sending batch messages (/send) is not turned on for this bot: the admin who deployed it has listed nobody in SENDERS.',
  },
};

/** How to send, for those allowed to; for the others, one line on who may. */
function sendingHelp(sending: Sending): Element[] {
  if (sending !== 'allowed') return [markdown(WHO_MAY_SEND[sending])];
  return [
    markdown(SEND_USAGE),
    buttonRow([
      button({ zh: '写批量消息', en: 'Write a batch message' }, { a: 'send_form' } satisfies CardAction, 'primary'),
    ]),
  ];
}

/** `sending`: whether the reader may send batch messages; without it the card is about reading only. */
export function buildHelpCard(reason: HelpReason, sending?: Sending): Card {
  return card({
    title: { zh: '阅读统计机器人', en: 'Reads bot' },
    subtitle: { zh: '用法', en: 'How to use' },
    template: 'wathet',
    summary: { zh: '用法：/reads bm_xxx', en: 'Usage: /reads bm_xxx' },
    elements: [
      markdown(OPENING[reason]),
      markdown(USAGE),
      markdown(LIMITS),
      ...(sending ? sendingHelp(sending) : []),
      markdown(
        both(
          (lang) =>
            `<font color='grey'>${lang === 'zh' ? '群聊中请先 @ 我。' : 'In a group, @mention me first.'}\n${ID_RULE[lang]}</font>`,
        ),
        { size: 'notation' },
      ),
    ],
  });
}

function problemCard(
  title: { zh: string; en: string },
  lines: Array<{ zh: string; en: string }>,
  echoed?: string,
): Card {
  return card({
    title,
    template: 'orange',
    summary: title,
    elements: [
      ...(echoed === undefined
        ? []
        : [
            markdown({ zh: '收到的内容：', en: 'You sent:' }),
            plainText(echoed.length > 80 ? `${echoed.slice(0, 80)}…` : echoed),
          ]),
      ...lines.map((l) => markdown(l)),
    ],
  });
}

/** Shown without calling Feishu: the id cannot be one. */
export function buildInvalidIdCard(given: string): Card {
  return problemCard(
    { zh: '无效的批量消息 ID', en: 'Invalid batch message id' },
    [
      ID_RULE,
      {
        zh: `例如：\`/reads ${EXAMPLE_SENT_BATCH_ID}\` 或 \`/reads ${EXAMPLE_BATCH_ID}\``,
        en: `For example: \`/reads ${EXAMPLE_SENT_BATCH_ID}\` or \`/reads ${EXAMPLE_BATCH_ID}\``,
      },
    ],
    given,
  );
}

export function buildTooManyIdsCard(count: number): Card {
  return problemCard({ zh: 'ID 太多', en: 'Too many ids' }, [
    {
      zh: `一次最多查询 ${MAX_IDS} 个批量消息 ID，这次有 ${count} 个。请分成几条命令发送。`,
      en: `At most ${MAX_IDS} batch message ids at once; this had ${count}. Please split them over several commands.`,
    },
  ]);
}

/** Shown without reading the text: far longer than any command. */
export function buildTooLongCard(length: number): Card {
  return problemCard({ zh: '消息太长', en: 'Message too long' }, [
    {
      zh: `命令最长 ${MAX_COMMAND_LENGTH} 个字符，这条消息有 ${length} 个，所以我没有读它。请只发送命令，例如 \`/reads ${EXAMPLE_BATCH_ID}\`。`,
      en: `A command is at most ${MAX_COMMAND_LENGTH} characters; this message had ${length}, so I did not read it. Please send just the command, such as \`/reads ${EXAMPLE_BATCH_ID}\`.`,
    },
  ]);
}

export function buildInvalidWatchCard(problem: WatchProblem, given?: string): Card {
  const maxT = {
    zh: formatDuration(WATCH_LIMITS.maxDurationMs, 'zh'),
    en: formatDuration(WATCH_LIMITS.maxDurationMs, 'en'),
  };
  const minT = {
    zh: formatDuration(WATCH_LIMITS.minIntervalMs, 'zh'),
    en: formatDuration(WATCH_LIMITS.minIntervalMs, 'en'),
  };
  const lines: Record<WatchProblem, { zh: string; en: string }> = {
    bad_duration: {
      zh: '时长的写法如 `2h`、`90m`、`1h30m`、`2小时`、`10分钟`。',
      en: 'Write durations like `2h`, `90m`, `1h30m` or `2 hours`.',
    },
    too_short: { zh: `监控至少 ${minT.zh}。`, en: `A watch lasts at least ${minT.en}.` },
    too_long: { zh: `监控最长 ${maxT.zh}。`, en: `A watch lasts at most ${maxT.en}.` },
    interval_too_short: { zh: `每次更新至少间隔 ${minT.zh}。`, en: `Updates are at least ${minT.en} apart.` },
    interval_too_long: {
      zh: '更新间隔不能比监控时长还长。',
      en: 'The update interval cannot be longer than the watch.',
    },
  };
  return problemCard(
    { zh: '无法开始监控', en: 'Cannot start the watch' },
    [
      lines[problem],
      { zh: '例如：`/reads bm_xxx watch 2h every 5m`', en: 'For example: `/reads bm_xxx watch 2h every 5m`' },
    ],
    given,
  );
}

export function buildWatchRefusedCard(reason: WatchRefusal): Card {
  const lines: Record<WatchRefusal, { zh: string; en: string }> = {
    already_watched: {
      zh: '这个会话已经在监控这条批量消息了，请看上面那张卡片。',
      en: 'This chat is already watching that batch message: see the card above.',
    },
    too_many_in_chat: {
      zh: '这个会话同时进行的监控太多了，请先停止一个。',
      en: 'This chat has too many watches running; stop one first.',
    },
    too_many_for_person: {
      zh: `你同时发起的监控已达 ${WATCH_CAPS.perPerson} 个，请先停止一个。`,
      en: `You have ${WATCH_CAPS.perPerson} watches running; stop one first.`,
    },
    too_many: {
      zh: '机器人同时进行的监控已达上限，请稍后再试。',
      en: 'The bot is running as many watches as it can; try again later.',
    },
  };
  return card({
    title: { zh: '无法开始监控', en: 'Cannot start the watch' },
    template: 'orange',
    summary: { zh: '无法开始监控', en: 'Cannot start the watch' },
    elements: [markdown(lines[reason])],
  });
}
