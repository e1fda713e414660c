/**
 * What the official Card JSON 2.0 pages say a card may hold and how Feishu
 * shows it, written down as checks. Each rule names its page, under
 * feishu-cards/ in the docs mirrored by github.com/wxkingstar/doc-hub-mcp
 * (`build-card-with-json/card-json-v2-components/…`). Only the properties our
 * cards use are listed: a card using another one fails until it is added here
 * from its page.
 */

type Json = Record<string, unknown>;

/** A value as a message shows it. */
const str = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'));

const PAGES = {
  structure: 'card-json-v2-structure.md',
  breaking: 'card-json-v2-breaking-changes-release-notes.md',
  faq: 'common-capabilities/message-card FAQ (常见问题)',
  title: 'content-components/title.md',
  richText: 'content-components/rich-text.md',
  plainText: 'content-components/plain-text.md',
  divider: 'content-components/divider.md',
  chart: 'content-components/chart.md',
  table: 'content-components/table.md',
  userProfile: 'content-components/user-profile.md',
  columnSet: 'containers/column-set.md',
  button: 'interactive-components/button.md',
  form: 'containers/form-container.md',
  input: 'interactive-components/input.md',
  i18n: 'configure-multi-language-content.md',
} as const;

interface Component {
  page: string;
  /** Documented properties (those our cards may use). */
  keys: string[];
  /** Documented values of enum properties. */
  enums?: Record<string, readonly string[]>;
}

const TEXT_SIZES = ['heading-0', 'heading-1', 'heading-2', 'heading-3', 'heading-4', 'heading', 'normal', 'notation'];

const COMPONENTS: Record<string, Component> = {
  markdown: {
    page: PAGES.richText,
    keys: ['tag', 'content', 'i18n_content', 'text_size', 'text_align'],
    enums: { text_size: TEXT_SIZES, text_align: ['left', 'center', 'right'] },
  },
  div: { page: PAGES.plainText, keys: ['tag', 'text'] },
  hr: { page: PAGES.divider, keys: ['tag'] },
  column_set: {
    page: PAGES.columnSet,
    keys: ['tag', 'flex_mode', 'horizontal_spacing', 'columns'],
    enums: {
      flex_mode: ['none', 'stretch', 'flow', 'bisect', 'trisect'],
      horizontal_spacing: ['small', 'medium', 'large', 'extra_large'],
    },
  },
  column: {
    page: PAGES.columnSet,
    keys: ['tag', 'width', 'weight', 'vertical_align', 'elements'],
    enums: { width: ['auto', 'weighted'], vertical_align: ['top', 'center', 'bottom'] },
  },
  button: {
    page: PAGES.button,
    // name and form_action_type: a button inside a form (button.md, 表单容器内的按钮).
    keys: ['tag', 'text', 'type', 'size', 'behaviors', 'form_action_type', 'name'],
    enums: {
      type: ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled'],
      size: ['tiny', 'small', 'medium', 'large'],
      form_action_type: ['submit', 'reset'],
    },
  },
  form: { page: PAGES.form, keys: ['tag', 'name', 'elements'] },
  input: {
    page: PAGES.input,
    // input_type, rows, auto_resize: a multi-line input; default_value: text shown as typed, ready to submit.
    keys: [
      ...['tag', 'name', 'required', 'max_length', 'width', 'label', 'placeholder'],
      ...['default_value', 'input_type', 'rows', 'auto_resize'],
    ],
    enums: { width: ['default', 'fill'], input_type: ['text', 'multiline_text', 'password'] },
  },
  chart: {
    page: PAGES.chart,
    keys: ['tag', 'aspect_ratio', 'chart_spec'],
    enums: { aspect_ratio: ['1:1', '2:1', '4:3', '16:9'] },
  },
  table: {
    page: PAGES.table,
    keys: ['tag', 'page_size', 'row_height', 'header_style', 'columns', 'rows'],
    enums: { row_height: ['low', 'middle', 'high', 'auto'] },
  },
};

const HEADER_STYLE: Component = {
  page: PAGES.table,
  keys: ['text_align', 'text_size', 'background_style', 'text_color', 'bold', 'lines'],
  enums: {
    text_align: ['left', 'center', 'right'],
    text_size: ['normal', 'heading'],
    background_style: ['grey', 'none'],
    text_color: ['default', 'grey'],
  },
};

const TABLE_COLUMN: Component = {
  page: PAGES.table,
  keys: ['name', 'display_name', 'width', 'vertical_align', 'horizontal_align', 'data_type', 'format', 'date_format'],
  enums: {
    vertical_align: ['top', 'center', 'bottom'],
    horizontal_align: ['left', 'center', 'right'],
    data_type: ['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown'],
  },
};

/** card-json-v2-structure.md: config (enable_forward_interaction: whether a forwarded card still calls back). */
const CONFIG_KEYS = ['update_multi', 'enable_forward', 'enable_forward_interaction', 'summary', 'width_mode'];
/** title.md: header templates. */
const TEMPLATES = [
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
];
/** rich-text.md, 国际化时间: format_type values. */
const LOCAL_DATETIME_FORMATS = ['date_num', 'date_short', 'date', 'week', 'week_short', 'time', 'time_sec', 'timezone'];
/** rich-text.md: the HTML a 2.0 markdown may hold (number_tag has its own syntax there too). */
const HTML_TAGS = ['br', 'hr', 'person', 'local_datetime', 'at', 'a', 'text_tag', 'raw', 'link', 'font', 'number_tag'];
/** rich-text.md: what may sit inside <font>. */
const IN_FONT = ['local_datetime', 'at', 'a', 'link', 'font'];

export interface RuleOptions {
  /** The one card allowed to mention someone: the watch-ended notice. */
  mayMention?: boolean;
}

/** Every documented rule the card breaks, each as "<page>: <rule> (at <where>)"; empty when it keeps them all. */
export function cardRuleViolations(card: unknown, options: RuleOptions = {}): string[] {
  const out: string[] = [];
  const broke: Broke = (page, rule, where) => void out.push(`${page}: ${rule} (at ${where})`);
  const c = card as Json;

  // card-json-v2-structure.md: schema "2.0" declared; config, header, body.
  if (c.schema !== '2.0') broke(PAGES.structure, 'schema must be "2.0"', 'card');
  for (const k of Object.keys(c))
    if (!['schema', 'config', 'header', 'body'].includes(k))
      broke(PAGES.structure, `unknown card property ${k}`, 'card');
  const config = (c.config ?? {}) as Json;
  for (const k of Object.keys(config))
    if (!CONFIG_KEYS.includes(k)) broke(PAGES.structure, `unknown config property ${k}`, 'config');
  // card-json-v2-structure.md: "JSON 2.0 暂时仅支持设为 true" for update_multi.
  if (config.update_multi !== true) broke(PAGES.structure, 'update_multi must be true in 2.0', 'config');
  const header = (c.header ?? {}) as Json;
  if (header.template !== undefined && !TEMPLATES.includes(str(header.template)))
    broke(PAGES.title, `template ${str(header.template)} is not documented`, 'header');

  // FAQ (常见问题): "卡片整体数据不可超过 30 KB".
  if (Buffer.byteLength(JSON.stringify(card)) > 30 * 1024) broke(PAGES.faq, 'card JSON over 30 KB', 'card');

  let count = 0;
  let tables = 0;
  const visit = (el: Json, where: string, topLevel: boolean, inForm = false): void => {
    count++;
    const tag = String(el.tag);
    const spec = COMPONENTS[tag];
    if (!spec) {
      broke(PAGES.structure, `component ${tag} is not one our rules know`, where);
      return;
    }
    checkKeys(el, spec, where, broke);
    if (tag === 'markdown') checkMarkdown(el, where, options, broke);
    if (tag === 'table') {
      tables++;
      // table.md 嵌套规则: a table sits at the card's top level only.
      if (!topLevel) broke(PAGES.table, 'a table may not be nested in another component', where);
      checkTable(el, where, broke);
    }
    if (tag === 'button') {
      const behaviours = (el.behaviors as Json[] | undefined) ?? [];
      // button.md: behaviors of type callback carry a `value` object.
      for (const b of behaviours)
        if (b.type !== 'callback' || typeof b.value !== 'object')
          broke(PAGES.button, 'a callback needs a value', where);
      // button.md: a button in a form has a name and its form_action_type; outside a form, only callbacks.
      if (el.form_action_type !== undefined && !inForm) broke(PAGES.button, 'form_action_type outside a form', where);
    }
    if (tag === 'form') {
      // form-container.md: "表单容器中必须至少有一个带有提交属性的按钮"; every interactive child has a name.
      if (!/"form_action_type":"submit"/.test(JSON.stringify(el)))
        broke(PAGES.form, 'a form needs a submit button', where);
      for (const child of (el.elements as Json[] | undefined) ?? [])
        if (['button', 'input'].includes(String(child.tag)) && typeof child.name !== 'string')
          broke(PAGES.form, `a ${String(child.tag)} in a form needs a name`, where);
    }
    if (tag === 'input') checkInput(el, where, broke);
    const children = [...((el.columns as Json[] | undefined) ?? []), ...((el.elements as Json[] | undefined) ?? [])];
    if (tag !== 'table')
      children.forEach((child, i) =>
        visit(child, `${where}/${String(child.tag)}[${i}]`, false, inForm || tag === 'form'),
      );
  };
  ((c.body as Json | undefined)?.elements as Json[] | undefined)?.forEach((el, i) =>
    visit(el, `body[${i}] ${String(el.tag)}`, true),
  );
  // card-json-v2-breaking-changes-release-notes.md: at most 200 elements or components a card.
  if (count > 200) broke(PAGES.breaking, `${count} elements, over 200`, 'card');
  // table.md 注意事项: at most five table components a card.
  if (tables > 5) broke(PAGES.table, `${tables} tables, over 5`, 'card');
  return out;
}

type Broke = (page: string, rule: string, where: string) => void;

function checkKeys(el: Json, spec: Component, where: string, broke: Broke): void {
  for (const k of Object.keys(el)) if (!spec.keys.includes(k)) broke(spec.page, `unknown property ${k}`, where);
  for (const [k, values] of Object.entries(spec.enums ?? {}))
    if (el[k] !== undefined && !values.includes(str(el[k])))
      broke(spec.page, `${k} "${str(el[k])}" is not one of its values`, where);
}

function texts(el: Json): string[] {
  const i18n = el.i18n_content as Record<string, string> | undefined;
  return [str(el.content ?? ''), ...Object.values(i18n ?? {})];
}

function checkMarkdown(el: Json, where: string, options: RuleOptions, broke: Broke): void {
  for (const text of texts(el)) {
    // rich-text.md, 表格: "除标题行外，最多展示五行数据，超出五行将分页展示。不支持自定义。"
    for (const rows of markdownTableRows(text))
      if (rows > 5) broke(PAGES.richText, `a markdown table of ${rows} rows pages after 5`, where);
    // rich-text.md, @指定人: "被 @ 的用户将收到提及通知"; <person> only shows them (user-profile.md).
    if (!options.mayMention && /<at\b/.test(text)) broke(PAGES.richText, '<at> notifies: use <person>', where);
    // rich-text.md: the HTML tags 2.0 supports.
    for (const [, tag] of text.matchAll(/<\/?([a-z_]+)/g))
      if (!HTML_TAGS.includes(tag!)) broke(PAGES.richText, `<${tag}> is not supported HTML`, where);
    // rich-text.md, 国际化时间: millisecond is a Unix ms timestamp; format_type one of its values.
    for (const m of text.matchAll(/<local_datetime([^>]*)>/g)) {
      const ms = /millisecond='(\d+)'/.exec(m[1]!);
      const format = /format_type='(\w+)'/.exec(m[1]!);
      if (!ms) broke(PAGES.richText, 'local_datetime without a millisecond timestamp', where);
      if (!format || !LOCAL_DATETIME_FORMATS.includes(format[1]!))
        broke(PAGES.richText, `local_datetime format_type ${format?.[1] ?? '(none)'}`, where);
    }
    // rich-text.md, 人员: style normal or capsule.
    for (const m of text.matchAll(/<person([^>]*)>/g))
      if (!/style='(normal|capsule)'/.test(m[1]!))
        broke(PAGES.richText, 'person style must be normal or capsule', where);
    // rich-text.md: <font> may nest only local_datetime, at, a, link, font.
    for (const inner of fontContents(text))
      for (const [, tag] of inner.matchAll(/<([a-z_]+)/g))
        if (!IN_FONT.includes(tag!)) broke(PAGES.richText, `<${tag}> inside <font>`, where);
  }
}

function checkInput(el: Json, where: string, broke: Broke): void {
  // input.md: label and placeholder are plain_text; a placeholder holds at most 100 characters.
  for (const text of [el.label, el.placeholder] as Array<Json | undefined>)
    if (text !== undefined && text.tag !== 'plain_text')
      broke(PAGES.input, 'label and placeholder are plain_text', where);
  if (el.placeholder !== undefined && texts(el.placeholder as Json).some((t) => [...t].length > 100))
    broke(PAGES.input, 'a placeholder over 100 characters', where);
  // input.md: max_length an integer in [1, 1000]; rows and auto_resize only for multiline_text.
  const max = el.max_length;
  if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= 1000))
    broke(PAGES.input, `max_length ${str(max)} not in [1, 1000]`, where);
  if ((el.rows !== undefined || el.auto_resize !== undefined) && el.input_type !== 'multiline_text')
    broke(PAGES.input, 'rows and auto_resize are for multiline_text', where);
}

/** The data rows of each markdown table in `text`. */
export function markdownTableRows(text: string): number[] {
  const lines = text.split('\n').map((l) => l.trim());
  const out: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !/^\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?$/.test(lines[i + 1]!)) continue;
    let end = i + 2;
    while (end < lines.length && lines[end]!.startsWith('|')) end++;
    out.push(end - i - 2);
    i = end - 1;
  }
  return out;
}

function fontContents(text: string): string[] {
  return [...text.matchAll(/<font[^>]*>([\s\S]*?)<\/font>/g)].map((m) => m[1]!);
}

function checkTable(el: Json, where: string, broke: Broke): void {
  // table.md: page_size an integer in [1, 10].
  const size = el.page_size;
  if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 1 && (size as number) <= 10))
    broke(PAGES.table, `page_size ${str(size)} not in [1, 10]`, where);
  if (el.header_style !== undefined) checkKeys(el.header_style as Json, HEADER_STYLE, `${where} header_style`, broke);
  const columns = (el.columns as Json[] | undefined) ?? [];
  // table.md: at most 50 columns.
  if (columns.length > 50) broke(PAGES.table, 'over 50 columns', where);
  for (const col of columns) {
    checkKeys(col, TABLE_COLUMN, `${where} column ${String(col.name)}`, broke);
    if (typeof col.name !== 'string' || col.name === '') broke(PAGES.table, 'a column needs a name', where);
    // table.md: display_name is a String; the table has no i18n fields (configure-multi-language-content.md).
    if (col.display_name !== undefined && typeof col.display_name !== 'string')
      broke(PAGES.table, 'display_name is a string', where);
    const format = col.format as Json | undefined;
    if (format !== undefined) {
      // table.md: format only for number columns; precision an integer in [0, 10].
      if (col.data_type !== 'number') broke(PAGES.table, 'format is for number columns', where);
      const p = format.precision;
      if (p !== undefined && !(Number.isInteger(p) && (p as number) >= 0 && (p as number) <= 10))
        broke(PAGES.table, `precision ${str(p)} not in [0, 10]`, where);
      for (const k of Object.keys(format))
        if (!['precision', 'symbol', 'separator'].includes(k)) broke(PAGES.table, `unknown format ${k}`, where);
    }
    // table.md: date_format only for date columns, from YYYY MM DD HH mm ss and separators.
    if (col.date_format !== undefined) {
      if (col.data_type !== 'date') broke(PAGES.table, 'date_format is for date columns', where);
      if (!/^(YYYY|MM|DD|HH|mm|ss|[^A-Za-z])+$/.test(str(col.date_format)))
        broke(PAGES.table, `date_format ${str(col.date_format)}`, where);
    }
  }
  // table.md: row values by column type — number and date (ms timestamp) are numbers, text a string.
  for (const [i, row] of ((el.rows as Json[] | undefined) ?? []).entries())
    for (const col of columns) {
      const v = row[String(col.name)];
      if (v === undefined) continue;
      const want = col.data_type === 'number' || col.data_type === 'date' ? 'number' : 'string';
      if (typeof v !== want) broke(PAGES.table, `row ${i} ${String(col.name)} should be a ${want}`, where);
    }
}

/** The pages the rules come from, for the test's names. */
export const RULE_PAGES = PAGES;
