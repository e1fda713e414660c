/**
 * How old a card is, told by the card itself. Feishu updates a sent card only
 * within 14 days of sending it, while its buttons call back for 30
 * (feishu/001-开发指南/飞书卡片/处理卡片回调.md): after 14 days a card in a
 * callback's answer is silently not shown, and a PATCH fails with 230031.
 * A callback does not carry the card's send time, so every button's value
 * carries it (`t`, milliseconds) — also on a forwarded copy, whose callback
 * echoes the same value. Pure.
 */

/** Feishu's window for updating a sent card. */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/** Kept short of the window: the press is answered a moment after it is read, and clocks differ. */
const MARGIN_MS = 10 * 60 * 1000;

/** A copy of `card` whose callback buttons say the card was sent at `bornAt`. The card itself is left alone. */
export function stampBirth<T>(card: T, bornAt: number): T {
  return stamp(card, bornAt) as T;
}

function stamp(node: unknown, bornAt: number): unknown {
  if (Array.isArray(node)) return node.map((n) => stamp(n, bornAt));
  if (typeof node !== 'object' || node === null) return node;
  const o = node as Record<string, unknown>;
  if (o.type === 'callback' && typeof o.value === 'object' && o.value !== null && !Array.isArray(o.value)) {
    return { ...o, value: { ...o.value, t: bornAt } };
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, stamp(v, bornAt)]));
}

/** Whether a card sent at `bornAt` can still be updated; a card that does not say (sent before cards carried it) is assumed to. */
export function canUpdate(bornAt: number | undefined, now: number): boolean {
  return bornAt === undefined || now - bornAt < CARD_UPDATE_WINDOW_MS - MARGIN_MS;
}
