import { parseCommand } from '../../../src/parse/parse.js';
import { messageEvent } from '../../../src/dev/demo/feishuEvents.js';
import { isAddressedToBot, readMessageEvent } from '../../../src/inbound/events/messageEvent.js';

const BOT = 'ou_bot';

describe('readMessageEvent', () => {
  it('reads a p2p text message', () => {
    const { event } = messageEvent({
      token: 't',
      text: '/reads bm_a',
      messageId: 'om_1',
      chatId: 'oc_1',
      senderOpenId: 'ou_u',
    });
    const m = readMessageEvent(event, BOT)!;
    expect(m).toEqual({
      messageId: 'om_1',
      chatId: 'oc_1',
      chatType: 'p2p',
      senderOpenId: 'ou_u',
      text: '/reads bm_a',
      mentionsBot: false,
      mentions: [],
    });
    expect(isAddressedToBot(m)).toBe(true);
  });

  it('reads the sender’s user_id when Feishu sends one (the app has the user-id scope), and none when it is empty', () => {
    // messageEvent() sets only the open_id: the user_id is put in by hand, where Feishu puts it.
    const withUserId = (userId: string) => {
      const { event } = messageEvent({ token: 't', text: '/reads bm_a', messageId: 'om_2', senderOpenId: 'ou_u' });
      const e = structuredClone(event) as { sender: { sender_id: Record<string, string> } };
      e.sender.sender_id = { ...e.sender.sender_id, union_id: 'on_u', user_id: userId };
      return e;
    };
    expect(readMessageEvent(withUserId('u_7f3c'), BOT)).toMatchObject({ senderOpenId: 'ou_u', senderUserId: 'u_7f3c' });
    expect(readMessageEvent(withUserId(''), BOT)!.senderUserId).toBeUndefined();
  });

  it('answers in a group only when the bot itself is @mentioned', () => {
    const mentioned = readMessageEvent(
      messageEvent({
        token: 't',
        text: '@_user_1 /reads bm_a',
        chatType: 'group',
        mentions: [{ openId: BOT, name: 'bot' }],
      }).event,
      BOT,
    )!;
    const other = readMessageEvent(
      messageEvent({
        token: 't',
        text: '@_user_1 /reads bm_a',
        chatType: 'group',
        mentions: [{ openId: 'ou_someone', name: 'x' }],
      }).event,
      BOT,
    )!;
    const none = readMessageEvent(messageEvent({ token: 't', text: '/reads bm_a', chatType: 'group' }).event, BOT)!;
    expect(isAddressedToBot(mentioned)).toBe(true);
    expect(isAddressedToBot(other)).toBe(false);
    expect(isAddressedToBot(none)).toBe(false);
  });

  it('keeps the people a message @mentions besides the bot, by placeholder, for /send', () => {
    const m = readMessageEvent(
      messageEvent({
        token: 't',
        text: '@_user_1 /send @_user_2 @_user_3\nHi',
        chatType: 'group',
        mentions: [
          { openId: BOT, name: 'bot' },
          { openId: 'ou_ann', name: 'Ann' },
          { openId: 'ou_bo', name: 'Bo' },
        ],
      }).event,
      BOT,
    )!;
    expect(m.mentions).toEqual([
      { key: '@_user_2', openId: 'ou_ann', name: 'Ann' },
      { key: '@_user_3', openId: 'ou_bo', name: 'Bo' },
    ]);
  });

  it('reads the text of a rich-text (post) message', () => {
    const content = JSON.stringify({
      title: '',
      content: [
        [
          { tag: 'at', user_id: '@_user_1' },
          { tag: 'text', text: ' /reads bm_a ' },
        ],
      ],
    });
    const m = readMessageEvent(messageEvent({ token: 't', text: '', messageType: 'post', content }).event, BOT)!;
    expect(m.text?.trim()).toBe('@_user_1  /reads bm_a');
    expect(parseCommand(m.text!)).toEqual({ kind: 'reads', batchIds: ['bm_a'] });
  });

  const postOf = (title: string, paragraphs: unknown[][]) =>
    readMessageEvent(
      messageEvent({
        token: 't',
        text: '',
        messageType: 'post',
        content: JSON.stringify({ title, content: paragraphs }),
      }).event,
      BOT,
    )!.text;

  it('joins a paragraph’s pieces as written: an id split by bold stays one word', () => {
    const text = postOf('', [
      [
        { tag: 'text', text: '/reads bm_demo_' },
        { tag: 'text', text: 'partly_read', style: ['bold'] },
        { tag: 'text', text: ' and ' },
        { tag: 'a', text: 'bm_linked', href: 'https://example.com' },
      ],
    ]);
    expect(text).toBe('\n/reads bm_demo_partly_read and bm_linked');
  });

  it('reads an id in a code block, the title and every paragraph on lines of their own', () => {
    const text = postOf('Weekly numbers', [
      [{ tag: 'text', text: 'please check' }],
      [{ tag: 'code_block', language: 'PLAIN_TEXT', text: 'bm_in_code\n' }],
      [
        { tag: 'emotion', emoji_type: 'SMILE' },
        { tag: 'text', text: 'thanks' },
        { tag: 'img', image_key: 'k' },
      ],
    ]);
    expect(text).toBe('Weekly numbers\nplease check\n\nbm_in_code\n\n\n thanks ');
    expect(parseCommand(text!)).toEqual({ kind: 'reads', batchIds: ['bm_in_code'] });
  });

  it('has no text for a rich-text message in a shape it does not know', () => {
    expect(postOf('t', [[{ text: 'no tag' }]])).toBeUndefined();
    const m = readMessageEvent(
      messageEvent({ token: 't', text: '', messageType: 'post', content: 'not json' }).event,
      BOT,
    )!;
    expect(m.text).toBeUndefined();
  });

  it('has no text for images and the like, and refuses a malformed event', () => {
    const image = readMessageEvent(
      messageEvent({ token: 't', text: '', messageType: 'image', content: '{"image_key":"k"}' }).event,
      BOT,
    )!;
    expect(image.text).toBeUndefined();
    expect(readMessageEvent({ message: { message_id: 'om' } }, BOT)).toBeUndefined();
    expect(readMessageEvent(null, BOT)).toBeUndefined();
  });
});
