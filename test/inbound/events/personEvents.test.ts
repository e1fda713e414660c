import { readCardAction } from '../../../src/inbound/events/cardAction.js';
import { readChatEntered, readMenuEvent } from '../../../src/inbound/events/personEvents.js';
import { cardActionEvent, chatEnteredEvent, menuEvent } from '../../../src/dev/demo/feishuEvents.js';
import { QUERY_FORM } from '../../../src/domain/rules.js';

describe('readMenuEvent', () => {
  it('reads the key and the operator of a menu press as Feishu sends it', () => {
    const { event } = menuEvent({ token: 't', eventKey: 'reads', operatorOpenId: 'ou_a' });
    expect(readMenuEvent(event)).toEqual({ eventKey: 'reads', operator: { openId: 'ou_a' } });
    const withUserId = { ...(event as object), operator: { operator_id: { open_id: 'ou_a', user_id: 'u1' } } };
    expect(readMenuEvent(withUserId)?.operator).toEqual({ openId: 'ou_a', userId: 'u1' });
  });

  it.each([[{}], [{ event_key: '', operator: { operator_id: { open_id: 'ou_a' } } }], [{ event_key: 'k' }], [null]])(
    'reads nothing from %j',
    (event) => expect(readMenuEvent(event)).toBeUndefined(),
  );
});

describe('readChatEntered', () => {
  it('reads the chat and the person', () => {
    const { event } = chatEnteredEvent({ token: 't', operatorOpenId: 'ou_b', chatId: 'oc_1' });
    expect(readChatEntered(event)).toEqual({ chatId: 'oc_1', operator: { openId: 'ou_b' } });
    expect(readChatEntered({ chat_id: 'oc_1', operator_id: {} })).toBeUndefined();
  });
});

describe('readCardAction, for the query form and the Delivery button', () => {
  const press = (value: unknown, form?: { name: string; values: Record<string, string> }) =>
    readCardAction(
      cardActionEvent({ token: 't', operatorOpenId: 'ou_a', messageId: 'om_1', chatId: 'oc_1', value, form }).event,
    )?.action;

  it('takes the typed text from form_value when the submit button has the form’s name', () => {
    expect(
      press({ a: 'query_form' }, { name: QUERY_FORM.submit, values: { [QUERY_FORM.input]: 'bm_a bm_b' } }),
    ).toEqual({ a: 'query_form', text: 'bm_a bm_b' });
    expect(press({ a: 'query_form' }, { name: QUERY_FORM.submit, values: {} })).toEqual({ a: 'query_form', text: '' });
  });

  it('ignores a form submit from another button, without form values, or longer than the input allows', () => {
    expect(press({ a: 'query_form' }, { name: 'other', values: {} })).toBeUndefined();
    expect(press({ a: 'query_form' })).toBeUndefined();
    const long = 'x'.repeat(1001);
    expect(
      press({ a: 'query_form' }, { name: QUERY_FORM.submit, values: { [QUERY_FORM.input]: long } }),
    ).toBeUndefined();
  });

  it('reads a Delivery press only with a valid id', () => {
    expect(press({ a: 'delivery', id: 'bm_a' })).toEqual({ a: 'delivery', id: 'bm_a' });
    expect(press({ a: 'delivery', id: 'not an id' })).toBeUndefined();
  });
});
