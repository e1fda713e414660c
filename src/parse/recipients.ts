/**
 * Recipients as a person writes them, after `/send` or in the form:
 * department ids (`od-…`), open ids (`ou_…`), union ids (`on_…`), user ids,
 * and @mentions (placeholders such as `@_user_1`, whose open ids the message
 * event carries). Each id once, in the order written; anything that cannot be
 * sent to is named with why, never guessed at. Pure.
 */
import type { Mention } from '../domain/types.js';
import { MAX_PER_LIST, noRecipients, type RecipientList, type Recipients, type Unusable } from '../domain/send.js';
import { splitIds, stripWrapping } from './parse.js';

const DEPARTMENT = /^od-[A-Za-z0-9]+$/;
const OPEN_ID = /^ou_[A-Za-z0-9]+$/;
const UNION_ID = /^on_[A-Za-z0-9]+$/;
/** The tenant's own ids: letters, digits, `_` and `-`, as Feishu's user_id examples and employee ids go. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/**
 * Words that look like another kind of Feishu id (`oc_` a chat, `om_` a
 * message, `bm-` a batch message) or a known prefix written the other way
 * (`od_`, `ou-`): meant as an id, but not a recipient.
 */
const OTHER_FEISHU_ID = /^(?:o[a-z]|bm|cli)[_-]/i;
const PLACEHOLDER = /^@_(?:user_\d+|all)$/;

function listOf(word: string): RecipientList | Unusable['why'] {
  if (word === '0') return 'root_department';
  if (DEPARTMENT.test(word)) return 'departments';
  if (OPEN_ID.test(word)) return 'openIds';
  if (UNION_ID.test(word)) return 'unionIds';
  if (OTHER_FEISHU_ID.test(word)) return 'not_an_id';
  return USER_ID.test(word) ? 'userIds' : 'not_an_id';
}

/**
 * The recipients of `written`. `mentions` are the people the message
 * @mentions besides the bot; a placeholder not among them is the bot's own
 * (skipped), except `@_all`, which is nobody in particular.
 */
export function readRecipients(
  written: string,
  mentions: readonly Mention[] = [],
): { recipients: Recipients; unusable: Unusable[] } {
  const recipients = noRecipients();
  const unusable: Unusable[] = [];
  const seen = new Set<string>();
  const openIdOf = new Map(mentions.map((m) => [m.key, m.openId]));
  for (const raw of splitIds(written)) {
    const word = stripWrapping(raw);
    if (word.length === 0) continue;
    const mentioned = PLACEHOLDER.test(word) ? openIdOf.get(word) : undefined;
    if (PLACEHOLDER.test(word) && mentioned === undefined && word !== '@_all') continue;
    const id = mentioned ?? word;
    if (seen.has(id)) continue;
    seen.add(id);
    const list = mentioned !== undefined ? 'openIds' : listOf(id);
    if (list !== 'departments' && list !== 'openIds' && list !== 'unionIds' && list !== 'userIds')
      unusable.push({ given: word, why: list });
    else if (recipients[list].length >= MAX_PER_LIST) unusable.push({ given: id, why: 'over_limit' });
    else recipients[list].push(id);
  }
  return { recipients, unusable };
}

/** The message as recipients will read it: each @mention as the person's name, the lines as written. */
export function messageText(written: string, mentions: readonly Mention[] = []): string {
  const nameOf = new Map(mentions.map((m) => [m.key, m.name]));
  return written
    .replace(/@_user_\d+/g, (key) => {
      const name = nameOf.get(key);
      return name ? `@${name}` : '';
    })
    .trim();
}
