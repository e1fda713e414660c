/**
 * Turns the text of a chat message into a command. Pure.
 *
 * Tolerates what people actually type: mention placeholders (`@_user_1`),
 * full-width characters from Chinese input methods (`／ｒｅａｄｓ`, U+3000
 * spaces), mixed case, extra spaces and ids wrapped in quotes or brackets.
 */

export const BATCH_ID_PATTERN = /^bm_[A-Za-z0-9_-]+$/;
export const BATCH_ID_MAX_LENGTH = 64;
export const EXAMPLE_BATCH_ID = 'bm_dc13264520392913993dd051dba21dcf';

export type Command =
  | { kind: 'reads'; batchIds: string[] }
  | { kind: 'invalid_id'; given: string }
  | { kind: 'help'; reason: 'asked' | 'missing_id' | 'unknown' };

const MENTION_PLACEHOLDER = /@_(?:user_\d+|all)/g;
// Invisible characters that copying from chats and documents brings along.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// Copy-paste often brings these along around an id.
const WRAPPING = /^[\s"'`“”‘’<>()[\]{}「」『』《》（）]+|[\s"'`“”‘’<>()[\]{}「」『』《》（）,，.。;；:：]+$/g;

export function isValidBatchId(id: string): boolean {
  return id.length <= BATCH_ID_MAX_LENGTH && BATCH_ID_PATTERN.test(id);
}

export function parseCommand(text: string): Command {
  const words = text
    .normalize('NFKC') // full-width ／ＡＢＣ and U+3000 become ASCII
    .replace(INVISIBLE, '')
    .replace(MENTION_PLACEHOLDER, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [head, ...rest] = words;
  const name = head?.toLowerCase();

  if (name === '/help') return { kind: 'help', reason: 'asked' };
  if (name !== '/reads') return { kind: 'help', reason: 'unknown' };

  const ids = rest.map((w) => w.replace(WRAPPING, '')).filter((w) => w.length > 0);
  if (ids.length === 0) return { kind: 'help', reason: 'missing_id' };
  const invalid = ids.find((id) => !isValidBatchId(id));
  if (invalid !== undefined) return { kind: 'invalid_id', given: invalid };
  return { kind: 'reads', batchIds: [...new Set(ids)] };
}
