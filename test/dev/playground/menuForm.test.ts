/** The playground's side of the menu and the form: cards the bot sent on its own, and forms drawn to be filled in. */
import { buildQueryFormCard } from '../../../src/cards/queryFormCard.js';
import { renderCardHtml } from '../../../src/dev/playground/cardHtml.js';
import { Conversation } from '../../../src/dev/playground/conversation.js';
import { renderCardText } from '../../../src/dev/demo/renderCardText.js';

it('draws the form with its labelled input and a submit button that names the form’s button', () => {
  const html = renderCardHtml(buildQueryFormCard(), 'en');
  expect(html).toContain('<div class="card-form" data-form="reads_query">');
  expect(html).toContain('<span class="input-label">Batch message ids (up to 10)</span>');
  expect(html).toMatch(/<input type="text" name="batch_ids" placeholder="bm-[^"]+, bm_[^"]+" maxlength="1000">/);
  expect(html).toContain('data-form-submit="reads_submit">Query</button>');
  const bare = renderCardHtml({ schema: '2.0', body: { elements: [{ tag: 'input', name: 'x"y' }] } });
  expect(bare).toBe(
    '<div class="card"><div class="card-body"><label class="card-input"><input type="text" name="x&quot;y" placeholder=""></label></div></div>',
  );
});

it('shows the form as text in the chat client', () => {
  const text = renderCardText(buildQueryFormCard(), false, 'en');
  expect(text).toContain('Batch message ids (up to 10)');
  expect(text).toContain('[ Query ]');
});

it('takes a card the bot sent on its own as a turn without a typed message, which buttons can then update', () => {
  const c = new Conversation();
  const card = buildQueryFormCard();
  c.apply({
    replies: [],
    patches: [],
    sent: [{ receiveIdType: 'open_id', receiveId: 'ou_u', card, at: 5, messageId: 'om_s' }],
  });
  expect(c.read).toEqual({ replies: 0, patches: 0, sent: 1 });
  const [turn] = c.since(0).messages;
  expect(turn).toMatchObject({ id: 'om_s', text: '', where: 'p2p', status: 200, reply: { messageId: 'om_s', card } });
  c.cardChanged('om_s', { changed: true }, 6);
  expect(c.byCard('om_s')?.reply?.card).toEqual({ changed: true });
  c.apply({ replies: [], patches: [] }); // an older fake's log, without `sent`
  expect(c.read.sent).toBe(1);
});
