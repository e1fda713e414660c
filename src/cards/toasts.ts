/**
 * What a button press answers with, as Feishu's card callback takes it: a
 * toast in the reader's language and, when there is one, the new card.
 * Every toast the bot shows is here, in Chinese and English.
 */
import type { Card } from './card.js';

type ToastType = 'success' | 'info' | 'warning' | 'error';

interface ToastText {
  type: ToastType;
  zh: string;
  en: string;
}

export const TOASTS = {
  unknownAction: { type: 'error', zh: '无法识别的操作。', en: 'Unknown action.' },
  restarting: { type: 'warning', zh: '机器人正在重启，请稍后再试。', en: 'The bot is restarting; try again shortly.' },
  tooManyPresses: { type: 'warning', zh: '点得太快了，请稍后再试。', en: 'Too many presses; try again in a moment.' },
  busy: { type: 'warning', zh: '机器人正忙，请稍后再试。', en: 'The bot is busy; try again in a moment.' },
  notAllowed: {
    type: 'warning',
    zh: '抱歉，你没有使用这个机器人的权限。',
    en: 'Sorry, you may not use this bot here.',
  },
  unavailable: {
    type: 'warning',
    zh: '机器人暂时不可用，请稍后再试。',
    en: 'The bot is temporarily unavailable; try again shortly.',
  },
  watchStopped: { type: 'success', zh: '已停止监控。', en: 'Watch stopped.' },
  watchStopNotAllowed: {
    type: 'warning',
    zh: '只有发起监控的人或群主、群管理员可以停止监控。',
    en: 'Only the person who started the watch or the chat’s owner and managers can stop it.',
  },
  watchAlreadyEnded: { type: 'info', zh: '监控已经结束。', en: 'The watch has already ended.' },
  watchExtended: { type: 'success', zh: '已延长监控。', en: 'Watch extended.' },
  refreshed: { type: 'success', zh: '已刷新。', en: 'Refreshed.' },
  stillFailing: {
    type: 'warning',
    zh: '已重新查询，但仍然失败。原因和处理办法见卡片。',
    en: 'Tried again, but the query still fails. The card says why and what to do.',
  },
  refreshing: { type: 'info', zh: '正在刷新…', en: 'Refreshing…' },
  cardTooOld: {
    type: 'info',
    zh: '这张卡片发出已超过 14 天，飞书不再允许更新它；已在下方发送一张新卡片。',
    en: 'This card was sent more than 14 days ago and Feishu no longer lets it be updated; a fresh card is sent below.',
  },
  cardTooOldNotSent: {
    type: 'warning',
    zh: '这张卡片发出已超过 14 天，飞书不再允许更新它，新卡片也未能发送；请重新发送命令。',
    en: 'This card was sent more than 14 days ago and Feishu no longer lets it be updated, and a fresh card could not be sent; send the command again.',
  },
  // The query form's answers.
  queried: { type: 'success', zh: '查询完成。', en: 'Done.' },
  querying: { type: 'info', zh: '正在查询…', en: 'Querying…' },
  queryFailed: {
    type: 'warning',
    zh: '查询失败。原因和处理办法见卡片。',
    en: 'The query failed. The card says why and what to do.',
  },
  checkIds: { type: 'warning', zh: '请检查填写的 ID。', en: 'Please check the ids.' },
  noIds: { type: 'warning', zh: '请至少填写一个批量消息 ID。', en: 'Please enter at least one batch message id.' },
  tooManyQueries: {
    type: 'warning',
    zh: '你的查询太多了，请一分钟后再试。',
    en: 'You have sent too many queries; try again in a minute.',
  },
  // Sending a batch message.
  notTheWriter: {
    type: 'warning',
    zh: '只有写这条消息的人可以确认、修改或取消它。',
    en: 'Only the person who wrote this message can confirm, edit or cancel it.',
  },
  previewExpired: {
    type: 'info',
    zh: '预览已过期，这是一份新的预览：请再检查一遍后确认。',
    en: 'The preview had expired; here is a fresh one: check it and confirm again.',
  },
  sendingStarted: { type: 'success', zh: '开始发送。', en: 'Sending.' },
  alreadySent: {
    type: 'info',
    zh: '这条消息已经发出，没有再发一次。',
    en: 'This message was sent already; nothing was sent again.',
  },
  sendCancelled: { type: 'success', zh: '已取消，什么也没有发出。', en: 'Cancelled: nothing was sent.' },
  sendFormShown: {
    type: 'info',
    zh: '写好消息和接收人，点「预览」。',
    en: 'Write the message and whom it goes to, then press Preview.',
  },
  previewShown: {
    type: 'success',
    zh: '这是预览：确认之后才会发送。',
    en: 'Here is the preview: nothing is sent until you confirm.',
  },
  sendNotNow: {
    type: 'info',
    zh: '这条消息的状态已经变了，见卡片；没有再次发送。',
    en: 'This message has moved on (see the card); nothing more was sent.',
  },
  sendOpened: { type: 'success', zh: '已打开。', en: 'Opened.' },
  recallAsk: {
    type: 'warning',
    zh: '确定要撤回吗？点「撤回」确认。',
    en: 'Recall it from everyone? Press Recall to confirm.',
  },
  recallRefused: {
    type: 'error',
    zh: '飞书拒绝撤回，原因见卡片。',
    en: 'Feishu refused the recall; the card says why.',
  },
  recallKept: { type: 'info', zh: '已保留，没有撤回。', en: 'Kept; nothing was recalled.' },
  recallNotAllowed: {
    type: 'warning',
    zh: '只有发送人或群主、群管理员可以撤回这条消息。',
    en: 'Only the person who sent it or the chat’s owner and managers can recall it.',
  },
  recalled: {
    type: 'success',
    zh: '已撤回，各处的消息稍后会消失。',
    en: 'Recalled; it disappears from every chat shortly.',
  },
  notASender: {
    type: 'warning',
    zh: '你没有通过这个机器人发送批量消息的权限。',
    en: 'You may not send batch messages with this bot.',
  },
} as const satisfies Record<string, ToastText>;

export type ToastName = keyof typeof TOASTS;

/** The answer to a card callback (`{}` acknowledges and changes nothing). */
export interface ActionAnswer {
  toast?: { type: ToastType; content: string; i18n: { zh_cn: string; en_us: string } };
  card?: { type: 'raw'; data: Card };
}

/** A toast, and the card to show from now on if there is one. */
export function answer(name: ToastName, card?: Card): ActionAnswer {
  const { type, zh, en } = TOASTS[name];
  return {
    toast: { type, content: zh, i18n: { zh_cn: zh, en_us: en } },
    ...(card ? { card: { type: 'raw', data: card } } : {}),
  };
}
