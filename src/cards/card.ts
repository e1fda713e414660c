/**
 * The few card JSON 2.0 building blocks our cards use. Card JSON 2.0 rejects
 * unknown properties, so every property here is a documented one.
 */

export type Element = Record<string, unknown>;
export type Template = 'blue' | 'wathet' | 'green' | 'orange' | 'red' | 'grey';

export interface Card {
  schema: '2.0';
  config: { update_multi: true; enable_forward: true; summary: { content: string } };
  header: { title: PlainText; subtitle?: PlainText; template: Template };
  body: { elements: Element[] };
}

interface PlainText {
  tag: 'plain_text';
  content: string;
}

export function card(parts: { title: string; subtitle?: string; template: Template; summary: string; elements: Element[] }): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, enable_forward: true, summary: { content: parts.summary } },
    header: {
      title: { tag: 'plain_text', content: parts.title },
      ...(parts.subtitle === undefined ? {} : { subtitle: { tag: 'plain_text', content: parts.subtitle } }),
      template: parts.template,
    },
    body: { elements: parts.elements },
  };
}

export function markdown(content: string, options: { size?: 'heading' | 'normal' | 'notation'; align?: 'left' | 'center' } = {}): Element {
  return {
    tag: 'markdown',
    content,
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
    columns: cells.map((elements) => ({ tag: 'column', width: 'weighted', weight: 1, vertical_align: 'top', elements })),
  };
}

/** Neutralises tags (`<at>`, `<font>`…) in text that came from outside, such as Feishu's messages. */
export function escapeTags(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
