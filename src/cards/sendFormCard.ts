/**
 * The form to write a batch message (a card JSON 2.0 `form`): a multi-line
 * input for the message, one for the recipients, and Preview. Submitting it
 * calls back with the submit button's name and both inputs in `form_value`;
 * the bot answers with the preview, so nothing is sent from here.
 */
import { MAX_SEND_TEXT, SEND_FORM } from '../domain/send.js';
import type { CardAction } from '../domain/types.js';
import { button, card, i18n, markdown, type Card, type Element, type Text } from './card.js';

const label = (text: Text) => ({ tag: 'plain_text', ...i18n(text) });

/** What the form starts with: the draft being edited (`sendId`), or what a `/send` had typed. */
export interface SendFormPrefill {
  text: string;
  to: string;
  sendId?: string;
}

function sendForm(prefill?: SendFormPrefill): Element {
  const value: CardAction = prefill?.sendId ? { a: 'send_preview', s: prefill.sendId } : { a: 'send_preview' };
  const submit = button({ zh: '预览', en: 'Preview' }, value, 'primary');
  return {
    tag: 'form',
    name: SEND_FORM.form,
    elements: [
      {
        tag: 'input',
        name: SEND_FORM.text,
        required: true,
        input_type: 'multiline_text',
        rows: 5,
        auto_resize: true,
        max_length: MAX_SEND_TEXT,
        width: 'fill',
        label: label({
          zh: `消息内容（最多 ${MAX_SEND_TEXT} 字）`,
          en: `The message (up to ${MAX_SEND_TEXT} characters)`,
        }),
        placeholder: label({ zh: '接收人会收到的文字', en: 'The text its recipients will get' }),
        // input.md: default_value is shown as typed text, ready to submit: editing starts from the draft.
        ...(prefill ? { default_value: prefill.text } : {}),
      },
      {
        tag: 'input',
        name: SEND_FORM.to,
        required: true,
        width: 'fill',
        label: label({
          zh: '接收人：部门 ID、open id 或 user id，用空格或逗号分隔',
          en: 'To: department ids, open ids or user ids, separated by spaces or commas',
        }),
        placeholder: label('od-5b91c9affb665451a16b90b4be367efa, ou_18eac85d35a26f989317ad4f02e8bbbb'),
        ...(prefill ? { default_value: prefill.to } : {}),
      },
      { ...submit, form_action_type: 'submit', name: SEND_FORM.submit },
    ],
  };
}

/** Why the form is shown again: no message was written, or a longer one than a message may be. */
function problemNote(length: number): Element {
  return markdown(
    length === 0
      ? {
          zh: '**还没有消息内容**：`/send` 后面写接收人，下一行开始写消息；或者在下面填写。',
          en: '**No message yet**: write the recipients after `/send` and the message on the lines after it, or fill in the form below.',
        }
      : {
          zh: `**消息太长**：有 ${length} 字，最多 ${MAX_SEND_TEXT} 字。请缩短后再预览。`,
          en: `**The message is too long**: ${length} characters, at most ${MAX_SEND_TEXT}. Shorten it, then preview again.`,
        },
  );
}

/** The form on its own; `prefill`: the draft being edited; `length`: the length of a message that could not be taken. */
export function buildSendFormCard(prefill?: SendFormPrefill, length?: number): Card {
  return card({
    title: { zh: '写批量消息', en: 'Write a batch message' },
    template: 'wathet',
    summary: { zh: '写批量消息', en: 'Write a batch message' },
    elements: [
      markdown({
        zh: '写好消息和接收人，点「预览」：先给你看预览，确认之后才会发送。',
        en: 'Write the message and whom it goes to, then press Preview: you see a preview first, and nothing is sent until you confirm.',
      }),
      markdown(
        {
          zh: '部门 ID（`od-…`）可在开发者后台的 API 调试台用「搜索部门」查到；open id（`ou_…`）可用「通过手机号或邮箱获取用户 ID」查到。发给几个人时，也可以直接在会话里发 `/send @某人`，下一行写消息。',
          en: 'Department ids (`od-…`): "Search departments" in the developer console’s API Explorer; open ids (`ou_…`): "Get user ids by phone or email" there. For a few people you can also type `/send @name` in the chat, with the message on the next line.',
        },
        { size: 'notation' },
      ),
      ...(length === undefined ? [] : [problemNote(length)]),
      sendForm(prefill),
    ],
  });
}
