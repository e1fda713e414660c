/** The rules of input.md (test/support/cardRules.ts) catch what they are written for. */
import { cardRuleViolations, RULE_PAGES } from '../support/cardRules.js';

const cardWith = (input: object) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: 't' }, template: 'blue' },
  body: {
    elements: [
      {
        tag: 'form',
        name: 'f',
        elements: [
          { tag: 'input', name: 'i', ...input },
          { tag: 'button', name: 'b', form_action_type: 'submit', behaviors: [{ type: 'callback', value: {} }] },
        ],
      },
    ],
  },
});

it.each<[string, object, string]>([
  ['an unknown input type', { input_type: 'rich_text' }, 'input_type "rich_text" is not one of its values'],
  ['rows on a one-line input', { rows: 3 }, 'rows and auto_resize are for multiline_text'],
  ['auto_resize on a password', { input_type: 'password', auto_resize: true }, 'rows and auto_resize are for'],
  ['a max_length of 1001', { max_length: 1001 }, 'max_length 1001 not in [1, 1000]'],
  ['a max_length of 0', { max_length: 0 }, 'max_length 0 not in [1, 1000]'],
  [
    'a placeholder of 101 characters',
    { placeholder: { tag: 'plain_text', content: 'x'.repeat(101) } },
    'a placeholder over 100 characters',
  ],
  ['a markdown label', { label: { tag: 'lark_md', content: '**x**' } }, 'label and placeholder are plain_text'],
  ['an undocumented property', { max_rows: 5 }, 'unknown property max_rows'],
])('%s', (_name, input, broken) => {
  const found = cardRuleViolations(cardWith(input));
  expect(found).toEqual([expect.stringContaining(broken)]);
  expect(found[0]!.startsWith(`${RULE_PAGES.input}: `)).toBe(true);
});

it('takes a multi-line input with its documented properties', () => {
  const input = {
    input_type: 'multiline_text',
    rows: 5,
    auto_resize: true,
    max_length: 1000,
    default_value: 'draft',
    placeholder: { tag: 'plain_text', content: 'x'.repeat(100) },
  };
  expect(cardRuleViolations(cardWith(input))).toEqual([]);
});
