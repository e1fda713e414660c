/**
 * The query form (a card JSON 2.0 `form` container): one input for up to
 * MAX_IDS batch message ids and a submit button. Submitting it calls back
 * (`card.action.trigger`) with the button's `name` and the typed text in
 * `form_value`. The menu's `reads` card is this form; help cards carry it too.
 */
import { button, card, divider, markdown, type Card, type Element } from './card.js';
import { EXAMPLE_BATCH_ID, EXAMPLE_SENT_BATCH_ID, MAX_IDS, QUERY_FORM, QUERY_INPUT_MAX } from '../domain/rules.js';
import type { CardAction } from '../domain/types.js';

/** The form block; a form container may only sit at the card's root. */
export function queryForm(): Element {
  const submit = button({ zh: '查询', en: 'Query' }, { a: 'query_form' } satisfies CardAction, 'primary');
  return {
    tag: 'form',
    name: QUERY_FORM.form,
    elements: [
      {
        tag: 'input',
        name: QUERY_FORM.input,
        required: true,
        max_length: QUERY_INPUT_MAX,
        width: 'fill',
        label: {
          tag: 'plain_text',
          content: `批量消息 ID（最多 ${MAX_IDS} 个）`,
          i18n_content: { zh_cn: `批量消息 ID（最多 ${MAX_IDS} 个）`, en_us: `Batch message ids (up to ${MAX_IDS})` },
        },
        placeholder: { tag: 'plain_text', content: `${EXAMPLE_SENT_BATCH_ID}, ${EXAMPLE_BATCH_ID}` },
      },
      { ...submit, form_action_type: 'submit', name: QUERY_FORM.submit },
    ],
  };
}

/** The card with the query form at its end. */
export function withQueryForm(c: Card): Card {
  return {
    ...c,
    body: {
      elements: [
        ...c.body.elements,
        divider(),
        markdown({
          zh: '**直接查询**：粘贴 ID，用空格、逗号或换行分隔。',
          en: '**Query here**: paste ids, separated by spaces, commas or new lines.',
        }),
        queryForm(),
      ],
    },
  };
}

/** What the menu's `reads` key sends: the form on its own. */
export function buildQueryFormCard(): Card {
  return card({
    title: { zh: '查询阅读情况', en: 'Query read counts' },
    template: 'wathet',
    summary: { zh: '查询批量消息阅读情况', en: 'Query batch message reads' },
    elements: [
      markdown({
        zh: `填入最多 ${MAX_IDS} 个批量消息 ID（批量发送接口返回的 message_id），用空格、逗号或换行分隔。`,
        en: `Enter up to ${MAX_IDS} batch message ids (the message_id the batch-send API returned), separated by spaces, commas or new lines.`,
      }),
      queryForm(),
    ],
  });
}
