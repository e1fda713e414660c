/**
 * Counts every Feishu call where all of them pass — the FeishuApi itself —
 * with its latency and result code, and counts the cards that went out.
 * Each attempt of a retried call is counted on its own, as Feishu sees it.
 */
import type { FeishuApi } from './openApi.js';
import { toBotError } from './toBotError.js';
import type { Metrics } from '../../domain/metrics.js';
import type { Clock } from '../../domain/clock.js';
import type { Endpoint } from '../../domain/types.js';

/** "0" on success; else Feishu's code, the HTTP status, or what went wrong (timeout, network…). Pure. */
export function resultCode(e: unknown): string {
  const error = toBotError(e);
  if (error.feishuCode !== undefined) return String(error.feishuCode);
  if (error.httpStatus !== undefined) return `http_${error.httpStatus}`;
  return error.code;
}

export function instrumentApi(api: FeishuApi, metrics: Metrics, clock: Clock): FeishuApi {
  function timed<A extends unknown[], R>(endpoint: Endpoint, call: (...args: A) => Promise<R>, sent?: () => void) {
    return async (...args: A): Promise<R> => {
      const started = clock.now();
      const seconds = () => (clock.now() - started) / 1000;
      try {
        const result = await call(...args);
        metrics.apiCall(endpoint, '0', seconds());
        sent?.();
        return result;
      } catch (e) {
        metrics.apiCall(endpoint, resultCode(e), seconds());
        throw e;
      }
    };
  }
  return {
    readUser: timed('read_user', (id) => api.readUser(id)),
    getProgress: timed('get_progress', (id) => api.getProgress(id)),
    sendCard: timed(
      'send',
      (to, card, uuid) => api.sendCard(to, card, uuid),
      () => metrics.cardSent('send'),
    ),
    replyCard: timed(
      'reply',
      (id, card, uuid) => api.replyCard(id, card, uuid),
      () => metrics.cardSent('reply'),
    ),
    patchCard: timed(
      'patch',
      (id, card) => api.patchCard(id, card),
      () => metrics.cardSent('update'),
    ),
    batchSend: timed('batch_send', (message) => api.batchSend(message)),
    recallBatch: timed('recall', (id) => api.recallBatch(id)),
    botOpenId: timed('bot_info', () => api.botOpenId()),
    chatAdmins: timed('chat_info', (id) => api.chatAdmins(id)),
    userDepartments: timed('user_info', (id) => api.userDepartments(id)),
    grantedScopes: timed('app_scopes', () => api.grantedScopes()),
    invalidateToken: () => api.invalidateToken(),
  };
}
