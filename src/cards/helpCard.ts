/** Cards that answer without asking Feishu: usage help and a malformed id. */
import { BATCH_ID_MAX_LENGTH, EXAMPLE_BATCH_ID } from '../commands/parse.js';
import { card, markdown, plainText, type Card } from './card.js';

export type HelpReason = 'asked' | 'missing_id' | 'unknown' | 'one_id_at_a_time';

const OPENING: Record<HelpReason, string> = {
  asked: '我可以查询批量消息的阅读情况。\nI tell you how many people read a batch message.',
  missing_id: '请在 /reads 后面带上批量消息 ID。\nPlease put a batch message id after /reads.',
  unknown: '我没看懂这条消息，我能听懂下面的命令。\nI did not understand that; here is what I can do.',
  one_id_at_a_time: '每次请只查询一个批量消息 ID。\nPlease ask about one batch message id at a time.',
};

const ID_RULE =
  `批量消息 ID 以 \`bm_\` 开头，后跟字母、数字、\`_\` 或 \`-\`，最长 ${BATCH_ID_MAX_LENGTH} 个字符，即批量发送消息接口返回的 message_id。\n` +
  `A batch message id starts with \`bm_\`, followed by letters, digits, \`_\` or \`-\`, at most ${BATCH_ID_MAX_LENGTH} characters: the message_id the batch-send API returned.`;

export function buildHelpCard(reason: HelpReason): Card {
  return card({
    title: '阅读统计机器人 · Reads bot',
    subtitle: '用法 How to use',
    template: 'wathet',
    summary: '用法：/reads bm_xxx · Usage: /reads bm_xxx',
    elements: [
      markdown(OPENING[reason]),
      markdown(
        `**/reads ${EXAMPLE_BATCH_ID}**\n查询已读人数、推送总数和阅读率。 Read count, total pushed and read rate.\n\n` +
          '**/help**\n显示本帮助。 Show this help.',
      ),
      markdown(`<font color='grey'>群聊中请先 @ 我。 In a group, @mention me first.\n${ID_RULE}</font>`, { size: 'notation' }),
    ],
  });
}

/** Shown without calling Feishu: the id cannot be one. */
export function buildInvalidIdCard(given: string): Card {
  const shown = given.length > 80 ? `${given.slice(0, 80)}…` : given;
  return card({
    title: '无效的批量消息 ID · Invalid batch message id',
    template: 'orange',
    summary: '无效的批量消息 ID · Invalid batch message id',
    elements: [
      markdown('收到的 ID You sent:'),
      plainText(shown),
      markdown(ID_RULE),
      markdown(`例如 For example：\`/reads ${EXAMPLE_BATCH_ID}\``),
      markdown("<font color='grey'>未查询飞书。 Feishu was not queried.</font>", { size: 'notation' }),
    ],
  });
}
