/**
 * The card JSON 2.0 building blocks our cards use. Every text carries both
 * languages through `i18n_content`; the Feishu client shows the reader's.
 * Card JSON 2.0 rejects unknown properties, so only documented ones appear.
 */

export type Element = Record<string, unknown>;
export type Template = 'blue' | 'wathet' | 'green' | 'orange' | 'red' | 'grey' | 'turquoise';

/** Text in both languages; a plain string is the same in both (an id, a number). */
export type Text = { zh: string; en: string } | string;

export const LOCALES = { zh: 'zh_cn', en: 'en_us' } as const;
export type Lang = keyof typeof LOCALES;

export interface I18nText {
  content: string;
  i18n_content?: { zh_cn: string; en_us: string };
}

export interface Card {
  schema: '2.0';
  config: { update_multi: true; enable_forward: true; enable_forward_interaction: true; summary: I18nText };
  header: { title: PlainText; subtitle?: PlainText; template: Template };
  body: { elements: Element[] };
}

type PlainText = { tag: 'plain_text' } & I18nText;

export function i18n(text: Text): I18nText {
  if (typeof text === 'string') return { content: text };
  return { content: text.zh, i18n_content: { zh_cn: text.zh, en_us: text.en } };
}

/** Builds a text in both languages from one function of the language. */
export function both(f: (lang: Lang) => string): Text {
  return { zh: f('zh'), en: f('en') };
}

export function card(parts: {
  title: Text;
  subtitle?: Text;
  template: Template;
  summary: Text;
  elements: Element[];
}): Card {
  return {
    schema: '2.0',
    // enable_forward_interaction (default false): without it a forwarded card's buttons do nothing (卡片-JSON-2.0-结构.md).
    config: {
      update_multi: true,
      enable_forward: true,
      enable_forward_interaction: true,
      summary: i18n(parts.summary),
    },
    header: {
      title: { tag: 'plain_text', ...i18n(parts.title) },
      ...(parts.subtitle === undefined ? {} : { subtitle: { tag: 'plain_text', ...i18n(parts.subtitle) } }),
      template: parts.template,
    },
    body: { elements: parts.elements },
  };
}

export function markdown(
  content: Text,
  options: { size?: 'heading' | 'normal' | 'notation'; align?: 'left' | 'center' } = {},
): Element {
  return {
    tag: 'markdown',
    ...i18n(content),
    ...(options.size ? { text_size: options.size } : {}),
    ...(options.align ? { text_align: options.align } : {}),
  };
}

/** Text shown exactly as given: for anything a user typed. */
export function plainText(content: string): Element {
  return { tag: 'div', text: { tag: 'plain_text', content } };
}

export function divider(): Element {
  return { tag: 'hr' };
}

/** Equal-width columns side by side. */
export function columns(cells: Element[][]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: 'medium',
    columns: cells.map((elements) => ({
      tag: 'column',
      width: 'weighted',
      weight: 1,
      vertical_align: 'top',
      elements,
    })),
  };
}

/** A button that calls back to the bot with `value` (POST /webhook/card). */
export function button(
  label: Text,
  value: Record<string, unknown>,
  type: 'default' | 'primary' | 'danger' = 'default',
): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', ...i18n(label) },
    type,
    size: 'small',
    behaviors: [{ type: 'callback', value }],
  };
}

/** Buttons side by side, each as wide as its label. */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'none',
    horizontal_spacing: 'small',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', vertical_align: 'top', elements: [b] })),
  };
}

/** A VChart line chart (card JSON 2.0 `chart`). */
export function lineChart(spec: Record<string, unknown>): Element {
  return { tag: 'chart', aspect_ratio: '16:9', chart_spec: spec };
}

/**
 * An identifier from outside (a log id, a scope name) as markdown may show it:
 * only characters that cannot form a tag, a link or emphasis are kept.
 */
export function safeToken(text: string): string {
  return text.replace(/[^A-Za-z0-9:._-]/g, '');
}

/** Neutralises tags (`<at>`, `<font>`…) in text that came from outside, such as Feishu's messages. */
export function escapeTags(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A person shown as a name chip, without notifying them (rich-text.md, 人员;
 * `<at>` would send a mention notification). The id is an open_id.
 */
export function person(openId: string): string {
  return `<person id='${safeToken(openId)}' show_name=true show_avatar=true style='capsule'></person>`;
}

/** A column of the `table` component (table.md, column). Its display name is one string: the component has no i18n. */
export type TableColumn = {
  name: string;
  display_name: string;
  width?: string;
  horizontal_align?: 'left' | 'right';
} & (
  | { data_type: 'text' | 'lark_md' }
  | { data_type: 'number'; format: { precision: number; separator: boolean } }
  | { data_type: 'date'; date_format: string }
);

/** A column of whole numbers with thousands separators. */
export function countColumn(name: string, display_name: string): TableColumn {
  return { name, display_name, data_type: 'number', format: { precision: 0, separator: true } };
}

/**
 * The `table` component (table.md): shows `page_size` rows a page (1–10),
 * where a markdown table pages after 5. It sits at the card's top level only.
 */
export function table(columns: TableColumn[], rows: Array<Record<string, string | number>>, pageSize: number): Element {
  return {
    tag: 'table',
    page_size: Math.min(Math.max(pageSize, 1), 10),
    row_height: 'low',
    header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true, lines: 1 },
    columns,
    rows,
  };
}
