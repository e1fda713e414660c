/**
 * The playground page: a chat with the bot. It holds no key and builds no
 * event: the bot's /playground API sends what is typed and pressed through
 * the real webhooks, and this page follows the replies and card updates by
 * asking what changed since it last looked.
 */
import { FORM_FIELDS, renderCardHtml } from '../../src/dev/playground/cardHtml.js';
import type { PlaygroundMessage } from '../../src/dev/playground/conversation.js';
import './style.css';

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

type Lang = 'zh' | 'en';
type Toast = { type?: string; content?: string; i18n?: { zh_cn?: string; en_us?: string } };

const POLL_MS = 700;

const state = {
  version: 0,
  messages: new Map<string, PlaygroundMessage>(),
  lang: 'zh' as Lang,
  where: 'p2p' as 'p2p' | 'group',
  /** Cards whose JSON is shown. */
  json: new Set<string>(),
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = $<HTMLDivElement>('messages');
const input = $<HTMLTextAreaElement>('text');

function el(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function showProblem(text: string | undefined): void {
  const box = $('problem');
  box.hidden = text === undefined;
  box.textContent = text ?? '';
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function showToast(toast: Toast): void {
  const box = $('toast');
  box.textContent = (state.lang === 'zh' ? toast.i18n?.zh_cn : toast.i18n?.en_us) ?? toast.content ?? '';
  box.className = `toast toast-${toast.type ?? 'info'}`;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), 4000);
}

function botSide(m: PlaygroundMessage): HTMLElement {
  const side = el('div', 'bot-side');
  if (m.status !== undefined && m.status !== 200) {
    side.append(el('div', 'note error', `The bot answered the event with HTTP ${m.status}.`));
  } else if (!m.reply) {
    side.append(el('div', 'typing', '…'));
  } else {
    const { messageId, card, updates } = m.reply;
    const wrap = el('div', 'card-wrap');
    wrap.dataset.cardId = messageId;
    // As Feishu does, times are shown in the reader's own zone: here, the browser's.
    wrap.innerHTML = renderCardHtml(card, state.lang, BROWSER_ZONE);
    const tools = el('div', 'card-tools');
    const toggle = el('button', 'link json-toggle', state.json.has(messageId) ? 'Hide card JSON' : 'Card JSON');
    toggle.setAttribute('type', 'button');
    toggle.addEventListener('click', () => {
      if (!state.json.delete(messageId)) state.json.add(messageId);
      renderMessage(m);
    });
    tools.append(toggle);
    if (updates > 0) tools.append(el('span', 'updates', `updated ×${updates}`));
    side.append(wrap, tools);
    if (state.json.has(messageId)) {
      const json = JSON.stringify(card, null, 2);
      const copy = el('button', 'link', 'Copy');
      copy.setAttribute('type', 'button');
      copy.addEventListener(
        'click',
        () => void navigator.clipboard?.writeText(json).then(() => (copy.textContent = 'Copied')),
      );
      tools.append(copy);
      side.append(el('pre', 'card-json', json));
    }
  }
  return side;
}

function renderMessage(m: PlaygroundMessage): void {
  const turn = el('div', 'turn');
  turn.dataset.id = m.id;
  const bot = el('div', 'bot-row');
  bot.append(el('div', 'avatar', 'R'), botSide(m));
  // A card the bot sent on its own (a menu answer, a greeting) has no typed message before it.
  if (m.text) {
    const mine = el('div', 'me-row');
    mine.append(el('div', 'bubble', m.text.replace('@_user_1', '@Reads bot')));
    turn.append(mine);
  }
  turn.append(bot);
  const old = list.querySelector<HTMLElement>(`.turn[data-id="${m.id}"]`);
  if (old) old.replaceWith(turn);
  else {
    list.append(turn);
    turn.scrollIntoView({ block: 'end' });
  }
}

function renderAll(): void {
  list.replaceChildren();
  for (const m of state.messages.values()) renderMessage(m);
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(
    path,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const answer = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
  return answer;
}

/** Asks what changed; one request at a time. */
let polling: Promise<void> | undefined;
function poll(): Promise<void> {
  polling ??= api<{ version: number; messages: PlaygroundMessage[] }>(`/playground/messages?since=${state.version}`)
    .then(({ version, messages }) => {
      showProblem(undefined);
      state.version = version;
      for (const m of messages) {
        state.messages.set(m.id, m);
        renderMessage(m);
      }
    })
    .catch((e: unknown) => showProblem(`Cannot follow the bot: ${e instanceof Error ? e.message : String(e)}`))
    .finally(() => (polling = undefined));
  return polling;
}

async function send(text: string): Promise<void> {
  if (!text.trim()) return;
  try {
    await api('/playground/send', { text, where: state.where });
  } catch (e) {
    showProblem(`Could not send: ${e instanceof Error ? e.message : String(e)}`);
  }
  await poll();
}

async function press(button: HTMLButtonElement): Promise<void> {
  const wrap = button.closest<HTMLElement>('.card-wrap');
  if (!wrap?.dataset.cardId) return;
  const buttons = [...wrap.querySelectorAll<HTMLButtonElement>('button[data-callback]')];
  buttons.forEach((b) => (b.disabled = true));
  try {
    const { toast } = await api<{ toast?: Toast }>('/playground/press', {
      cardMessageId: wrap.dataset.cardId,
      value: JSON.parse(button.dataset.callback!) as unknown,
      ...formOf(button),
    });
    if (toast) showToast(toast);
  } catch (e) {
    showToast({ type: 'error', content: e instanceof Error ? e.message : String(e) });
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
  await poll();
}

/** A form's submit button sends its name and what is typed in the form's inputs, multi-line ones too, as Feishu does. */
function formOf(button: HTMLButtonElement): { form?: { name: string; values: Record<string, string> } } {
  const form = button.closest<HTMLElement>('.card-form');
  if (button.dataset.formSubmit === undefined || !form) return {};
  const values: Record<string, string> = {};
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(FORM_FIELDS))
    values[field.name] = field.value;
  return { form: { name: button.dataset.formSubmit, values } };
}

/** Presses the bot's custom menu item, as Feishu sends it. */
async function pressMenu(key: string): Promise<void> {
  try {
    await api('/playground/menu', { key });
  } catch (e) {
    showProblem(`Could not press the menu: ${e instanceof Error ? e.message : String(e)}`);
  }
  await poll();
}

$('menu').addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-key]');
  if (b) void pressMenu(b.dataset.key!);
});

/** One button of a segmented switch is on. */
function segmented(id: string, onChange: (value: string) => void): void {
  const group = $(id);
  group.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    if (!b) return;
    group.querySelectorAll('button').forEach((x) => x.classList.toggle('on', x === b));
    onChange(b.dataset.lang ?? b.dataset.where ?? '');
  });
}

segmented('lang', (lang) => {
  state.lang = lang as Lang;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  renderAll();
});
segmented('where', (where) => (state.where = where as 'p2p' | 'group'));

$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value;
  input.value = '';
  input.rows = 1;
  void send(text);
});
// As in Feishu: Enter sends, Shift+Enter starts a new line (a /send's message goes on the lines after the first).
input.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
  e.preventDefault();
  $<HTMLFormElement>('composer').requestSubmit();
});
input.addEventListener('input', () => (input.rows = Math.min(input.value.split('\n').length, 8)));

list.addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-callback]');
  if (b && !b.disabled) void press(b);
  const turn = (e.target as HTMLElement).closest<HTMLButtonElement>('.pager button');
  if (turn && !turn.disabled) turnPage(turn);
});

/** A table's ‹ › buttons: shows the rows of the previous or next page. */
function turnPage(button: HTMLButtonElement): void {
  const pager = button.closest<HTMLElement>('.pager')!;
  const rows = [...pager.parentElement!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
  const pages = Number(pager.dataset.pages);
  const shown = Number(rows.find((r) => !r.hidden)?.dataset.page ?? 1);
  const page = Math.min(Math.max(shown + (button.classList.contains('pager-next') ? 1 : -1), 1), pages);
  for (const r of rows) r.hidden = Number(r.dataset.page) !== page;
  pager.querySelector('.pager-at')!.textContent = `${page} / ${pages}`;
  pager.querySelector<HTMLButtonElement>('.pager-prev')!.disabled = page === 1;
  pager.querySelector<HTMLButtonElement>('.pager-next')!.disabled = page === pages;
}

void api<{ examples: Array<{ text: string; note: string }> }>('/playground/examples').then(({ examples }) => {
  $('examples').replaceChildren(
    ...examples.map(({ text, note }) => {
      const item = el('li', '');
      const b = el('button', 'example', text);
      b.setAttribute('type', 'button');
      b.addEventListener('click', () => void send(text));
      item.append(b, el('div', 'muted', note));
      return item;
    }),
  );
});

// Follows the bot: replies, watch updates, late refreshes.
const loop = () => void poll().finally(() => setTimeout(loop, POLL_MS));
loop();
