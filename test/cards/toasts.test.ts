import { buildSendPreviewCard } from '../../src/cards/sendPreviewCard.js';
import { answer, TOASTS, type ToastName } from '../../src/cards/toasts.js';
import { aSend, NOW } from './sendFixtures.js';

const CJK = /[\u4e00-\u9fff]/;

describe('toasts', () => {
  it.each(Object.keys(TOASTS) as ToastName[])('%s is in Chinese and in English', (name) => {
    const { toast } = answer(name);
    expect(toast?.content).toBe(toast?.i18n.zh_cn);
    expect(CJK.test(toast!.i18n.zh_cn)).toBe(true);
    expect(CJK.test(toast!.i18n.en_us)).toBe(false);
  });

  it('carries the card to show from now on, when there is one', () => {
    const card = buildSendPreviewCard(aSend(), NOW);
    expect(answer('previewExpired', card)).toEqual({
      toast: {
        type: 'info',
        content: TOASTS.previewExpired.zh,
        i18n: { zh_cn: TOASTS.previewExpired.zh, en_us: TOASTS.previewExpired.en },
      },
      card: { type: 'raw', data: card },
    });
    expect(answer('sendCancelled')).not.toHaveProperty('card');
  });

  it.each<[ToastName, string, string]>([
    ['notTheWriter', 'warning', 'Only the person who wrote this message can confirm'],
    ['previewExpired', 'info', 'here is a fresh one'],
    ['sendingStarted', 'success', 'Sending.'],
    ['alreadySent', 'info', 'nothing was sent again'],
    ['sendCancelled', 'success', 'nothing was sent'],
    ['recallNotAllowed', 'warning', 'Only the person who sent it or the chat’s owner and managers can recall it.'],
    ['recalled', 'success', 'Recalled'],
    ['notASender', 'warning', 'You may not send batch messages with this bot.'],
  ])('sending: %s', (name, type, says) => {
    const { toast } = answer(name);
    expect(toast?.type).toBe(type);
    expect(toast?.i18n.en_us).toContain(says);
  });
});
