/** A message understood in part: the exact commands it may have meant, ready to copy, and the words not understood. */
import { both, card, markdown, plainText, type Card } from './card.js';

export function buildDidYouMeanCard(suggestions: string[], unknown: string[]): Card {
  const title = { zh: '你是想发送这条命令吗？', en: 'Did you mean this?' };
  return card({
    title,
    template: 'wathet',
    summary: title,
    elements: [
      ...(unknown.length > 0
        ? [markdown({ zh: '我没看懂这些词：', en: 'I did not understand these words:' }), plainText(unknown.join(' '))]
        : []),
      markdown(
        both((lang) => {
          const options = suggestions.map((s) => `\`${s}\``).join(lang === 'zh' ? ' 或 ' : ' or ');
          return lang === 'zh'
            ? `你是想发送 ${options} 吗？复制后发给我即可。`
            : `Did you mean ${options}? Copy it and send it to me.`;
        }),
      ),
    ],
  });
}
