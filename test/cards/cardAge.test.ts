import { button, buttonRow, card, markdown } from '../../src/cards/card.js';
import { CARD_UPDATE_WINDOW_MS, canUpdate, stampBirth } from '../../src/cards/cardAge.js';

const DAY = 24 * 60 * 60 * 1000;
const withButtons = () =>
  card({
    title: 'x',
    template: 'blue',
    summary: 'x',
    elements: [
      markdown('text'),
      buttonRow([button('Refresh', { a: 'refresh', ids: ['bm_a'] }), button('Stop', { a: 'stop_watch', w: 'w_1' })]),
    ],
  });

it('stamps every callback button of a copy with the send time, and leaves the card it was given alone', () => {
  const original = withButtons();
  const before = JSON.stringify(original);
  const stamped = stampBirth(original, 1234);
  expect(JSON.stringify(original)).toBe(before);
  const values = JSON.stringify(stamped).match(/"value":\{[^}]*\}/g);
  expect(values).toEqual([
    '"value":{"a":"refresh","ids":["bm_a"],"t":1234}',
    '"value":{"a":"stop_watch","w":"w_1","t":1234}',
  ]);
  expect(stampBirth(stamped, 99)).toMatchObject({
    body: { elements: [{}, { columns: [{ elements: [{ behaviors: [{ value: { t: 99 } }] }] }, {}] }] },
  });
});

it('leaves behaviours that are not callbacks with an object value as they are', () => {
  const other = {
    behaviors: [
      { type: 'open_url', default_url: 'https://x' },
      { type: 'callback', value: 'text' },
    ],
  };
  expect(stampBirth(other, 5)).toEqual(other);
});

it('a card can be updated for 14 days less a margin; one that does not say when it was sent is assumed to', () => {
  const sent = 1_000 * DAY;
  expect(canUpdate(sent, sent + 13 * DAY)).toBe(true);
  expect(canUpdate(sent, sent + CARD_UPDATE_WINDOW_MS - 11 * 60_000)).toBe(true);
  expect(canUpdate(sent, sent + CARD_UPDATE_WINDOW_MS - 60_000)).toBe(false);
  expect(canUpdate(sent, sent + 15 * DAY)).toBe(false);
  expect(canUpdate(undefined, sent + 100 * DAY)).toBe(true);
});
