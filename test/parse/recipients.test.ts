import { messageText, readRecipients } from '../../src/parse/recipients.js';

const DEPT = 'od-5b91c9affb665451a16b90b4be367efa'; // 批量发送消息.md, department_ids
const ANN = 'ou_18eac85d35a26f989317ad4f02e8bbbb'; // its open_ids
const USER = '7cdcc7c2'; // its user_ids
const UNION = 'on_cad4860e7af114fb4ff6c5d496dd76'; // its union_ids
const mentions = [
  { key: '@_user_2', openId: 'ou_mentioned', name: 'Bo Li' },
  { key: '@_user_3', openId: ANN, name: 'Ann' },
];

describe('readRecipients', () => {
  it('sorts each kind of id into its list, once each, in the order written', () => {
    expect(readRecipients(`${DEPT}, ${ANN} ${USER}，${UNION}、${ANN}`)).toEqual({
      recipients: { departments: [DEPT], openIds: [ANN], userIds: [USER], unionIds: [UNION] },
      unusable: [],
    });
  });

  it('takes @mentions as the people they name; the bot’s own placeholder is skipped', () => {
    const { recipients, unusable } = readRecipients('@_user_1 @_user_2 od-x @_user_3', mentions);
    expect(recipients.openIds).toEqual(['ou_mentioned', ANN]);
    expect(recipients.departments).toEqual(['od-x']);
    expect(unusable).toEqual([]);
  });

  it('names what cannot be sent to, with why, and sends to none of it', () => {
    const { recipients, unusable } = readRecipients('0 oc_group om_msg bm-x od_typo @Ann @_all 张三 a#b');
    expect(recipients).toEqual({ departments: [], openIds: [], userIds: [], unionIds: [] });
    expect(unusable).toEqual([
      { given: '0', why: 'root_department' },
      { given: 'oc_group', why: 'not_an_id' },
      { given: 'om_msg', why: 'not_an_id' },
      { given: 'bm-x', why: 'not_an_id' },
      { given: 'od_typo', why: 'not_an_id' },
      { given: '@Ann', why: 'not_an_id' },
      { given: '@_all', why: 'not_an_id' },
      { given: '张三', why: 'not_an_id' },
      { given: 'a#b', why: 'not_an_id' },
    ]);
  });

  it('takes 200 ids of a kind and names each one over', () => {
    const ids = Array.from({ length: 203 }, (_, i) => `ou_${i}`);
    const { recipients, unusable } = readRecipients(ids.join(' '));
    expect(recipients.openIds).toEqual(ids.slice(0, 200));
    expect(unusable).toEqual(ids.slice(200).map((given) => ({ given, why: 'over_limit' })));
  });

  it('reads ids as typed from a Chinese input method and copied with quotes', () => {
    expect(readRecipients('「ｏｄ－ａｂｃ」；“ou_x”').recipients).toMatchObject({
      departments: ['od-abc'],
      openIds: ['ou_x'],
    });
  });

  it('reads 1 MB of separators or of one long word in linear time (100x margin)', () => {
    const started = performance.now();
    readRecipients(', '.repeat(1 << 19));
    readRecipients('a'.repeat(1 << 20));
    readRecipients('@_user_1'.repeat(1 << 17));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('messageText', () => {
  it('keeps the lines as written, with each @mention as the name of whom it names', () => {
    expect(messageText('\n  Hello @_user_2,\n\nthe office is closed on Friday．\n', mentions)).toBe(
      'Hello @Bo Li,\n\nthe office is closed on Friday．',
    );
    expect(messageText('Hi @_user_9', mentions)).toBe('Hi');
  });
});
