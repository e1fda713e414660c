import { explainSendError, recipientLines, recipientsShort, unusableElements } from '../../src/cards/sendParts.js';
import { noRecipients } from '../../src/domain/send.js';
import { ids } from './sendFixtures.js';

describe('what cards show of a send', () => {
  it('counts recipients in a line, in both languages', () => {
    const one = { ...noRecipients(), openIds: ['ou_a'] };
    expect(recipientsShort(one, 'en')).toBe('1 person');
    expect(recipientsShort({ ...one, departments: ['od-a', 'od-b'], userIds: ['u'] }, 'en')).toBe(
      '2 departments, 2 people',
    );
    expect(recipientsShort({ ...noRecipients(), departments: ['od-a'] }, 'zh')).toBe('1 个部门');
    expect(recipientsShort(noRecipients(), 'zh')).toBe('没有人');
  });

  it('names ten ids of a kind and counts the rest; ids are code, so `_` and `*` stay literal', () => {
    const lines = recipientLines({ ...noRecipients(), userIds: ids('u_*', 11) }, 'en');
    expect(lines).toBe(
      `**People (user id)** (11): ${ids('u_', 10)
        .map((id) => `\`${id}\``)
        .join(' ')} and 1 more`,
    );
    expect(recipientLines({ ...noRecipients(), openIds: ['ou_x'] }, 'en', false)).toBe(
      '**People (open id)** (1): `ou_x`',
    );
  });

  it('shows nothing when every recipient is usable', () => {
    expect(unusableElements([])).toEqual([]);
  });

  it('explains a send’s failure by the error catalogue, Feishu’s code first', () => {
    expect(explainSendError({ code: 'feishu_api', feishuCode: 230027, message: 'x' }).code).toBe('230027');
    const timeout = explainSendError({ code: 'timeout', message: 'x' });
    expect(timeout.code).toBe('timeout');
    expect(timeout.transient).toBe(true);
  });
});
