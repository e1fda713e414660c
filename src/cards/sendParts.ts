/**
 * How cards show a batch message the bot sends for someone: its text as its
 * recipients will see it, its recipients by kind, what cannot be sent to and
 * why, and why a send failed. Shared by the preview, the status cards, the
 * tracking card and the `/sent` list.
 */
import { BotError, type ErrorCode } from '../domain/errors.js';
import {
  MAX_PER_LIST,
  RECIPIENT_LISTS,
  recipientCount,
  type RecipientList,
  type Recipients,
  type Send,
  type SendError,
  type Unusable,
} from '../domain/send.js';
import { explainError, type Explanation } from '../feishu/errorCatalogue.js';
import { both, markdown, person, plainText, safeToken, type Element, type Lang } from './card.js';

/** Ids named of each kind, the rest counted: 4 × 200 ids stay far under 30 KB. */
const NAMED = 10;
/** How much a card shows of each recipient it cannot use: that is whatever was typed, of any length. */
const GIVEN_SHOWN = 40;

const KINDS: Record<RecipientList, { zh: string; en: string }> = {
  departments: { zh: '部门（含子部门）', en: 'Departments (with their sub-departments)' },
  openIds: { zh: '人员（open id）', en: 'People (open id)' },
  userIds: { zh: '人员（user id）', en: 'People (user id)' },
  unionIds: { zh: '人员（union id）', en: 'People (union id)' },
};

const more = (n: number, lang: Lang) => (n <= 0 ? '' : lang === 'zh' ? ` 等，另有 ${n} 个` : ` and ${n} more`);

/** The first ids of a list, people by open id as chips when `chips`; ids in code, so `_` stays literal. */
function named(ids: string[], chips: boolean, lang: Lang): string {
  const shown = ids.slice(0, NAMED).map((id) => (chips ? person(id) : `\`${safeToken(id)}\``));
  return `${shown.join(' ')}${more(ids.length - shown.length, lang)}`;
}

/**
 * The recipients by kind with their counts, a line each, each kind's first ids named.
 * `chips`: people by open id as name chips (valid ids); refused ids are listed as typed.
 */
export function recipientLines(r: Recipients, lang: Lang, chips = true): string {
  return RECIPIENT_LISTS.filter((list) => r[list].length > 0)
    .map((list) => {
      const count = lang === 'zh' ? `（${r[list].length}）：` : ` (${r[list].length}): `;
      return `**${KINDS[list][lang]}**${count}${named(r[list], chips && list === 'openIds', lang)}`;
    })
    .join('\n');
}

/** "3 个部门、12 人" / "3 departments, 12 people": a line's worth. */
export function recipientsShort(r: Recipients, lang: Lang): string {
  const depts = r.departments.length;
  const people = r.openIds.length + r.userIds.length + r.unionIds.length;
  const parts =
    lang === 'zh'
      ? [depts > 0 ? `${depts} 个部门` : '', people > 0 ? `${people} 人` : '']
      : [
          depts > 0 ? `${depts} department${depts === 1 ? '' : 's'}` : '',
          people > 0 ? `${people} ${people === 1 ? 'person' : 'people'}` : '',
        ];
  return parts.filter(Boolean).join(lang === 'zh' ? '、' : ', ') || (lang === 'zh' ? '没有人' : 'nobody');
}

const WHY: Record<Unusable['why'], { zh: string; en: string }> = {
  not_an_id: {
    zh: '不是可用的 ID 或 @',
    en: 'Not an id or an @mention',
  },
  root_department: {
    zh: '根部门 0 不能作为接收人（飞书不支持）',
    en: 'The root department 0 cannot be sent to (Feishu does not take it)',
  },
  over_limit: {
    zh: `超出同一类最多 ${MAX_PER_LIST} 个的上限`,
    en: `Over the ${MAX_PER_LIST} ids one list may hold`,
  },
};

function clip(given: string): string {
  const flat = given.replace(/\s+/g, ' ');
  return flat.length > GIVEN_SHOWN ? `${flat.slice(0, GIVEN_SHOWN)}…` : flat;
}

/** The recipients that will not be sent to, by why; what was typed is shown as plain text. */
export function unusableElements(unusable: Unusable[]): Element[] {
  if (unusable.length === 0) return [];
  const groups = (Object.keys(WHY) as Array<Unusable['why']>).flatMap((why) => {
    const given = unusable.filter((u) => u.why === why).map((u) => clip(u.given));
    if (given.length === 0) return [];
    const label = both((lang) => {
      const shown = given.length > NAMED ? (lang === 'zh' ? `，列出前 ${NAMED} 个` : `; the first ${NAMED}`) : '';
      return lang === 'zh'
        ? `· ${WHY[why].zh}（${given.length}${shown}）：`
        : `· ${WHY[why].en} (${given.length}${shown}):`;
    });
    return [markdown(label, { size: 'notation' }), plainText(given.slice(0, NAMED).join('\n'))];
  });
  return [markdown({ zh: '⚠️ **以下内容不会发送**：', en: '⚠️ **These will not be sent to**:' }), ...groups];
}

/** The message exactly as its recipients will see it: plain text, never read as markdown. */
function messageElements(text: string): Element[] {
  return [markdown({ zh: '**消息内容**', en: '**The message**' }), plainText(text)];
}

/** The message and whom it goes to: what every card about a send keeps in view. */
export function sendElements(send: Pick<Send, 'text' | 'recipients' | 'unusable'>): Element[] {
  return [
    ...messageElements(send.text),
    markdown(
      both((lang) => {
        const to = lang === 'zh' ? '**接收人**' : '**To**';
        if (recipientCount(send.recipients) > 0) return `${to}\n${recipientLines(send.recipients, lang)}`;
        return `${to}\n${lang === 'zh' ? '（没有可发送的接收人）' : '(no one it can be sent to)'}`;
      }),
    ),
    ...unusableElements(send.unusable),
  ];
}

/** A send's failure as the error catalogue explains it: SendError keeps the BotError's code and Feishu's. */
export function explainSendError(error: SendError): Explanation {
  return explainError(
    new BotError(error.code as ErrorCode, error.message, { feishuCode: error.feishuCode, logId: error.logId }),
  );
}
