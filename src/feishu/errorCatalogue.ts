import { BotError } from '../domain/errors.js';
/**
 * The one catalogue of Feishu failures: for each, what it means and what to
 * do, in Chinese and English. Pure; cards and logs read from it.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Explanation {
  /** What the card shows as the error code: Feishu's number, or our own name. */
  code: string;
  title: Bilingual;
  meaning: Bilingual;
  action: Bilingual;
  /** Worth trying again as it is (the fault is passing, not in the request). */
  transient: boolean;
  /** Feishu's own words, for a code the catalogue does not know: outside text, to be shown only as plain text. */
  said?: string;
}

/** What the catalogue says of a failure, before it is given the code to show. */
type Wording = Omit<Explanation, 'code'>;

const SCOPES = 'im:message:send_multi_users / im:message:send_multi_depts';

// tenant_access_token/internal answers these when the app id and secret do not match.
const WRONG_SECRET: Wording = {
  title: { zh: '应用密钥错误', en: 'Wrong app secret' },
  meaning: {
    zh: '机器人配置的 App Secret 与 App ID 不匹配，或应用未被授权。',
    en: 'The configured App Secret does not match the App ID, or the app is not authorised.',
  },
  action: {
    zh: '请管理员在开发者后台「凭证与基础信息」核对 FEISHU_APP_ID 和 FEISHU_APP_SECRET。',
    en: 'Ask the admin to check FEISHU_APP_ID and FEISHU_APP_SECRET against "Credentials & Basic Info" in the developer console.',
  },
  transient: false,
};

// get_progress and the recall answer 230006 when the app's bot capability is off, the batch send 11205.
const BOT_OFF: Wording = {
  title: { zh: '机器人能力未开启', en: 'Bot capability not enabled' },
  meaning: {
    zh: '这个应用没有开启机器人能力，飞书不允许它发送、查询或撤回批量消息。',
    en: 'The app does not have the bot capability enabled, so Feishu does not let it send, query or recall batch messages.',
  },
  action: {
    zh: '请管理员在开发者后台「应用能力 → 添加应用能力」中添加「机器人」，然后发布新版本并等待审核通过。',
    en: 'Ask the admin to add "Bot" under "Features → Add features" in the developer console, then publish a new version and have it approved.',
  },
  transient: false,
};

const FEISHU_CODES: Record<number, Wording> = {
  230001: {
    title: { zh: '请求参数无效', en: 'Invalid parameter' },
    meaning: {
      zh: '飞书认为这个批量消息 ID 的格式或取值不正确。',
      en: 'Feishu considers the batch message id malformed or wrong.',
    },
    action: {
      zh: '从批量发送接口的返回值中完整复制 message_id，照原样粘贴后重试：它以 bm-（「批量发送消息」文档的写法）或 bm_（「查询批量消息推送和阅读人数」文档的写法）开头。',
      en: 'Copy the whole message_id the batch-send API returned, paste it as it is and try again: it starts with bm- (as the batch-send docs write it) or bm_ (as the read_user docs write it).',
    },
    transient: false,
  },
  230012: {
    title: { zh: '不是本机器人发送的消息', en: 'Not sent by this bot' },
    meaning: {
      zh: '只能查询由本应用通过批量发送接口发出的消息，这条批量消息由其他应用发送。',
      en: 'Only batch messages sent by this same app through the batch-send API can be queried; another app sent this one.',
    },
    action: {
      zh: '请使用发送这条消息的应用查询，或联系该应用的管理员。',
      en: 'Query it with the app that sent it, or ask that app’s administrator.',
    },
    transient: false,
  },
  230027: {
    title: { zh: '缺少权限', en: 'Permission missing' },
    meaning: {
      zh: `应用没有查询或撤回该消息的权限：未开通权限（${SCOPES}），缺少用户授权，或未开启对外共享。`,
      en: `The app may not query or recall this message: a scope (${SCOPES}) is not granted, user authorisation is missing, or external sharing is not enabled.`,
    },
    action: {
      zh: '请企业管理员在飞书开发者后台「权限管理」中开通上述权限并发布新版本；外部群消息需开启对外共享。',
      en: 'Ask the tenant admin to grant one of these scopes under "Permissions & Scopes" in the developer console and publish a new version; for external groups, enable external sharing.',
    },
    transient: false,
  },
  230030: {
    title: { zh: '找不到这条批量消息', en: 'Batch message not found' },
    meaning: {
      zh: 'ID 无效或记录不存在：可能 ID 有误，或消息发送已超过 30 天。',
      en: 'The id is invalid or no record exists: the id may be wrong, or the message was sent more than 30 days ago.',
    },
    action: {
      zh: '核对 ID 是否完整；只能查询 30 天内发送的批量消息。',
      en: 'Check that the id is complete; only batch messages sent in the last 30 days can be queried.',
    },
    transient: false,
  },
  230006: BOT_OFF,
  99991400: {
    title: { zh: '请求过于频繁', en: 'Rate limited' },
    meaning: {
      zh: '飞书对本应用限流（每秒 50 次、每分钟 1000 次）。',
      en: 'Feishu is rate-limiting this app (50 calls per second, 1000 per minute).',
    },
    action: { zh: '请稍等几秒后再试。', en: 'Wait a few seconds and try again.' },
    transient: true,
  },
  99991663: {
    title: { zh: '访问凭证无效', en: 'Invalid access token' },
    meaning: {
      zh: '飞书拒绝了机器人的 tenant_access_token（可能已过期或被重置）。',
      en: 'Feishu rejected the bot’s tenant_access_token (expired or reset).',
    },
    action: {
      zh: '请稍后重试；若持续出现，请管理员检查 FEISHU_APP_ID 和 FEISHU_APP_SECRET。',
      en: 'Try again shortly; if it persists, ask the admin to check FEISHU_APP_ID and FEISHU_APP_SECRET.',
    },
    transient: true,
  },
  99991672: {
    title: { zh: '应用未开通所需权限', en: 'App scope not enabled' },
    meaning: {
      zh: `应用尚未开通调用该接口所需的权限（${SCOPES} 之一）。`,
      en: `The app has not been granted a scope this API needs (one of ${SCOPES}).`,
    },
    action: {
      zh: '请企业管理员在飞书开发者后台「权限管理」中开通权限，并发布新版本后重试。',
      en: 'Ask the tenant admin to enable the scope under "Permissions & Scopes" in the developer console, publish a new version, then retry.',
    },
    transient: false,
  },
  230002: {
    title: { zh: '机器人不在会话中', en: 'Bot is not in the chat' },
    meaning: {
      zh: '机器人已不在这个群里，无法回复。',
      en: 'The bot is no longer a member of this chat, so it cannot reply.',
    },
    action: { zh: '请把机器人重新加入群聊。', en: 'Add the bot to the group again.' },
    transient: false,
  },
  230020: {
    title: { zh: '会话消息过于频繁', en: 'Too many messages in this chat' },
    meaning: {
      zh: '同一用户或群每秒最多接收 5 条机器人消息。',
      en: 'A user or group receives at most 5 bot messages per second.',
    },
    action: { zh: '请稍后再试。', en: 'Try again in a moment.' },
    transient: true,
  },
  230025: {
    title: { zh: '消息内容过长', en: 'Message too long' },
    meaning: {
      zh: '回复的卡片超过了飞书的长度限制。',
      en: 'The reply card exceeds Feishu’s size limit.',
    },
    action: {
      zh: '请联系机器人维护者。',
      en: 'Please tell the bot’s maintainers.',
    },
    transient: false,
  },
  230099: {
    title: { zh: '卡片创建失败', en: 'Card could not be created' },
    meaning: {
      zh: '飞书无法根据机器人发出的内容创建卡片。',
      en: 'Feishu could not create a card from what the bot sent.',
    },
    action: {
      zh: '请稍后重试；若持续出现，请联系机器人维护者。',
      en: 'Try again later; if it persists, tell the bot’s maintainers.',
    },
    transient: true,
  },
  // The token request answers 10003 for an App ID Feishu does not know; the batch send for a bad message.
  10003: {
    title: { zh: '请求参数无效', en: 'Invalid request parameter' },
    meaning: {
      zh: '飞书认为请求的参数缺失或有误：获取访问凭证时是 App ID，发送批量消息时是消息内容或接收人。',
      en: 'Feishu found a parameter of the request missing or wrong: the App ID when the bot gets its token, the message or its recipients when it sends a batch message.',
    },
    action: {
      zh: '发送失败时请核对接收人和消息内容；否则请管理员在开发者后台「凭证与基础信息」核对 FEISHU_APP_ID。',
      en: 'If a send failed, check its recipients and text; otherwise ask the admin to check FEISHU_APP_ID against "Credentials & Basic Info" in the developer console.',
    },
    transient: false,
  },
  // The batch send (批量发送消息.md) answers these with HTTP 200.
  10002: {
    title: { zh: '消息创建或发送失败', en: 'Message not sent' },
    meaning: {
      zh: '飞书未能创建或发送这条批量消息。',
      en: 'Feishu could not create or send the batch message.',
    },
    action: {
      zh: '请检查消息内容后重新发送；若持续出现，请带上错误码和 log_id 联系管理员。',
      en: 'Check the text and send it again; if it keeps failing, give the admin the error code and log_id.',
    },
    transient: false,
  },
  11101: {
    title: { zh: 'open_id 不存在', en: 'Unknown open_id' },
    meaning: {
      zh: '接收人中有飞书不认识的 open_id：每个应用的 open_id 各不相同，别的应用的 open_id 在这里无效。',
      en: 'A recipient’s open_id is unknown to Feishu: each app has its own open_ids, and another app’s are not valid here.',
    },
    action: {
      zh: '请核对 open_id，或直接 @ 这个人，让机器人取得本应用的 open_id。',
      en: 'Check the open_ids, or @mention the person so the bot takes this app’s open_id.',
    },
    transient: false,
  },
  11203: {
    title: { zh: '缺少给多个用户发消息的权限', en: 'Scope for sending to people missing' },
    meaning: {
      zh: '应用未开通「给多个用户批量发消息」权限（im:message:send_multi_users），不能把批量消息发给用户。',
      en: 'The app lacks the scope im:message:send_multi_users, so it may not send batch messages to people.',
    },
    action: {
      zh: '请企业管理员在开发者后台「权限管理」中开通 im:message:send_multi_users，并发布新版本。',
      en: 'Ask the tenant admin to grant im:message:send_multi_users under "Permissions & Scopes" in the developer console and publish a new version.',
    },
    transient: false,
  },
  11204: {
    title: { zh: '缺少给部门发消息的权限', en: 'Scope for sending to departments missing' },
    meaning: {
      zh: '应用未开通「给一个或多个部门的成员批量发消息」权限（im:message:send_multi_depts），不能把批量消息发给部门。',
      en: 'The app lacks the scope im:message:send_multi_depts, so it may not send batch messages to departments.',
    },
    action: {
      zh: '请企业管理员在开发者后台「权限管理」中开通 im:message:send_multi_depts，并发布新版本；或只发给个人。',
      en: 'Ask the tenant admin to grant im:message:send_multi_depts under "Permissions & Scopes" in the developer console and publish a new version, or send to people only.',
    },
    transient: false,
  },
  11205: BOT_OFF,
  11207: {
    title: { zh: '应用在本企业不可用', en: 'App unavailable in this tenant' },
    meaning: {
      zh: '应用在当前企业中处于不可用状态，例如已被停用。',
      en: 'The app is not available in this tenant, for example because it was disabled.',
    },
    action: {
      zh: '请管理员在开发者后台和管理后台检查应用的状态并启用它。',
      en: 'Ask the admin to check the app’s status in the developer console and the admin console, and enable it.',
    },
    transient: false,
  },
  11209: {
    title: { zh: '应用不存在', en: 'App does not exist' },
    meaning: {
      zh: '飞书找不到这个应用，它可能已被删除。',
      en: 'Feishu cannot find this app; it may have been deleted.',
    },
    action: {
      zh: '请管理员核对 FEISHU_APP_ID，必要时换成一个可用的应用。',
      en: 'Ask the admin to check FEISHU_APP_ID and, if need be, switch to an app that exists.',
    },
    transient: false,
  },
  11210: {
    title: { zh: '应用未安装', en: 'App not installed' },
    meaning: {
      zh: '应用没有安装在当前企业中，不能使用。',
      en: 'The app is not installed in this tenant, so it cannot be used.',
    },
    action: {
      zh: '请企业管理员在管理后台确认应用已安装。',
      en: 'Ask the tenant admin to install the app, or confirm it is installed, in the admin console.',
    },
    transient: false,
  },
  11223: {
    title: { zh: '缺少发送消息的权限', en: 'Scope for sending messages missing' },
    meaning: {
      zh: '应用没有发送消息的权限：im:message 和 im:message:send_as_bot 都未开通。',
      en: 'The app may not send messages: neither im:message nor im:message:send_as_bot is granted.',
    },
    action: {
      zh: '请企业管理员在开发者后台「权限管理」中开通 im:message:send_as_bot（或 im:message），并发布新版本。',
      en: 'Ask the tenant admin to grant im:message:send_as_bot (or im:message) under "Permissions & Scopes" in the developer console and publish a new version.',
    },
    transient: false,
  },
  11231: {
    title: { zh: '会话不存在', en: 'Chat not found' },
    meaning: {
      zh: '这次发送涉及的会话不存在，飞书无法发送。',
      en: 'A chat the send involves does not exist, so Feishu could not send it.',
    },
    action: {
      zh: '请核对接收人后重新发送；若持续出现，请带上错误码和 log_id 联系管理员。',
      en: 'Check the recipients and send it again; if it keeps failing, give the admin the error code and log_id.',
    },
    transient: false,
  },
  // Feishu says to retry when its message is "Service Internal Error": for a plain text, the likely cause.
  11246: {
    title: { zh: '消息内容创建失败', en: 'Message content not created' },
    meaning: {
      zh: '飞书未能根据这段文字创建消息内容，通常是飞书内部的暂时错误。',
      en: 'Feishu could not build the message from the text, usually because of a passing error on its side.',
    },
    action: {
      zh: '请稍后重新发送；若仍然失败，请精简文字后再试。',
      en: 'Send it again later; if it still fails, simplify the text and try once more.',
    },
    transient: true,
  },
  11247: {
    title: { zh: '已达每日发送上限', en: 'Daily sending limit reached' },
    meaning: {
      zh: '本应用今天通过批量发送接口发出的消息已超过每天 50 万条的上限（每个接收人算一条）。',
      en: 'The app has sent more than its 500,000 batch messages for today (each recipient counts as one).',
    },
    action: {
      zh: '请明天再发送，或减少接收人。',
      en: 'Send it tomorrow, or to fewer people.',
    },
    transient: false,
  },
  11312: {
    title: { zh: '消息未通过审核', en: 'Message failed review' },
    meaning: {
      zh: '消息内容没有通过飞书的内容审核。',
      en: 'The message did not pass Feishu’s content review.',
    },
    action: {
      zh: '请修改消息内容后重新发送。',
      en: 'Change the text and send it again.',
    },
    transient: false,
  },
  // The recall (批量撤回消息.md) answers these with HTTP 400; 230001, 230006, 230027 and 230030 as the read APIs do.
  230009: {
    title: { zh: '已超过撤回时限', en: 'Too late to recall' },
    meaning: {
      zh: '这条消息发出的时间已超过企业管理员设置的撤回时限。',
      en: 'The message was sent longer ago than the tenant’s admin allows messages to be recalled.',
    },
    action: {
      zh: '这条消息已无法撤回；如需更长的时限，请企业管理员在管理后台调整消息撤回时限。',
      en: 'It can no longer be recalled; for a longer window, ask the tenant admin to change the recall time limit in the admin console.',
    },
    transient: false,
  },
  230026: {
    title: { zh: '无权撤回这条消息', en: 'Not allowed to recall' },
    meaning: {
      zh: '机器人只能撤回自己发出的消息，这条批量消息由其他应用发送。',
      en: 'A bot may recall only the messages it sent itself; another app sent this batch message.',
    },
    action: {
      zh: '请用发送这条消息的应用撤回它。',
      en: 'Recall it with the app that sent it.',
    },
    transient: false,
  },
  10014: WRONG_SECRET,
  10015: WRONG_SECRET,
  20002: WRONG_SECRET,
};

/**
 * Not an error: the batch send's `invalid_*_ids` lists (批量发送消息). Feishu
 * sends to every valid recipient and names the rest.
 */
export const REFUSED_RECIPIENTS: Pick<Explanation, 'title' | 'meaning' | 'action'> = {
  title: { zh: '飞书没有接受以下 ID', en: 'Feishu refused these ids' },
  meaning: {
    zh: '这些 ID 无效，或不在机器人的可用范围内；其余接收人已照常发送。',
    en: 'They are not valid, or outside the bot’s availability; it sent to the rest.',
  },
  action: {
    zh: '请核对这些 ID；若无误，请管理员在开发者后台「版本管理与发布」把这些人或部门加入应用的可用范围并发布，再单独发给他们。',
    en: 'Check these ids. If they are right, ask the admin to add them to the app’s availability under "Version Management & Release", publish, then send to them on their own.',
  },
};

const SERVER_ERROR: Wording = {
  title: { zh: '飞书服务暂时异常', en: 'Feishu server error' },
  meaning: {
    zh: '飞书服务器返回了错误，这通常是暂时的。',
    en: 'Feishu’s servers answered with an error; this is usually temporary.',
  },
  action: { zh: '请稍后重试。', en: 'Try again in a minute.' },
  transient: true,
};

const REFUSED: Wording = {
  title: { zh: '飞书拒绝了请求', en: 'Feishu refused the request' },
  meaning: {
    zh: '飞书拒绝了请求，但没有给出错误码。',
    en: 'Feishu refused the request without giving an error code.',
  },
  action: {
    zh: '请稍后重试；若持续出现，请管理员检查 FEISHU_DOMAIN 和网络代理设置。',
    en: 'Try again later; if it persists, ask the admin to check FEISHU_DOMAIN and any proxy in between.',
  },
  transient: false,
};

const BY_ERROR_CODE: Record<Exclude<BotError['code'], 'feishu_api' | 'feishu_http'>, Wording> = {
  timeout: {
    title: { zh: '飞书响应超时', en: 'Feishu timed out' },
    meaning: {
      zh: '飞书在规定时间内没有响应。',
      en: 'Feishu did not answer in time.',
    },
    action: { zh: '请稍后重试。', en: 'Try again shortly.' },
    transient: true,
  },
  network: {
    title: { zh: '无法连接飞书', en: 'Could not reach Feishu' },
    meaning: {
      zh: '机器人与飞书之间的网络连接失败。',
      en: 'The network connection between the bot and Feishu failed.',
    },
    action: {
      zh: '请稍后重试；若持续出现，请管理员检查服务器网络。',
      en: 'Try again shortly; if it persists, ask the admin to check the server’s network.',
    },
    transient: true,
  },
  bad_response: {
    title: { zh: '飞书返回了无法识别的结果', en: 'Unexpected answer from Feishu' },
    meaning: {
      zh: '飞书的返回内容与预期格式不符。',
      en: 'Feishu’s answer was not in the expected format.',
    },
    action: {
      zh: '请稍后重试；若持续出现，请联系机器人维护者。',
      en: 'Try again later; if it persists, tell the bot’s maintainers.',
    },
    transient: true,
  },
  cancelled: {
    title: { zh: '机器人正在重启', en: 'Bot restarting' },
    meaning: {
      zh: '机器人正在重启，查询会在重启后完成。',
      en: 'The bot is restarting; the query will finish after the restart.',
    },
    action: { zh: '请稍候。', en: 'Please wait a moment.' },
    transient: true,
  },
  unavailable: {
    title: { zh: '机器人暂时不可用', en: 'Bot temporarily unavailable' },
    meaning: {
      zh: '机器人暂时无法访问它的共享存储，查询会在恢复后完成。',
      en: 'The bot cannot reach its shared store right now; the query will finish once it is back.',
    },
    action: { zh: '请稍候。', en: 'Please wait a moment.' },
    transient: true,
  },
  feishu_unavailable: {
    title: { zh: '飞书暂时不可用', en: 'Feishu unavailable' },
    meaning: {
      zh: '飞书接连没有响应，机器人暂停调用，等它恢复。',
      en: 'Feishu has failed several times in a row; the bot waits for it to come back before calling it again.',
    },
    action: { zh: '请一分钟后重试。', en: 'Try again in a minute.' },
    transient: true,
  },
  waiting_for_feishu: {
    title: { zh: '等待飞书恢复', en: 'Waiting for Feishu' },
    meaning: {
      zh: '飞书暂时没有响应；查询已保留，飞书恢复后会自动完成。',
      en: 'Feishu is not answering for now; the query is kept and finishes by itself once Feishu is back.',
    },
    action: { zh: '请稍候。', en: 'Please wait.' },
    transient: true,
  },
  internal: {
    title: { zh: '机器人内部出错', en: 'Something went wrong in the bot' },
    meaning: {
      zh: '机器人处理时发生了意外错误，已记录到日志。',
      en: 'Something unexpected happened inside the bot; it has been logged.',
    },
    action: {
      zh: '请稍后重试；若持续出现，请联系机器人维护者。',
      en: 'Try again later; if it persists, tell the bot’s maintainers.',
    },
    transient: false,
  },
  config: {
    title: { zh: '机器人配置错误', en: 'Bot misconfigured' },
    meaning: { zh: '机器人的配置有误。', en: 'The bot is misconfigured.' },
    action: { zh: '请联系机器人管理员。', en: 'Tell the bot’s administrator.' },
    transient: false,
  },
};

export function knownFeishuCodes(): number[] {
  return Object.keys(FEISHU_CODES).map(Number);
}

export function explainError(error: BotError): Explanation {
  if (error.feishuCode !== undefined) {
    const entry = FEISHU_CODES[error.feishuCode];
    if (entry) return { code: String(error.feishuCode), ...entry };
    return {
      code: String(error.feishuCode),
      title: { zh: '飞书返回错误', en: 'Feishu returned an error' },
      meaning: {
        zh: '飞书返回了一个机器人不认识的错误码，飞书的原话见下。',
        en: 'Feishu returned an error code the bot does not know; Feishu’s own words are below.',
      },
      said: error.message,
      action: {
        zh: '请稍后重试；若持续出现，请带上错误码和 log_id 联系管理员。',
        en: 'Try again later; if it persists, contact the admin with the error code and log_id.',
      },
      transient: error.httpStatus === undefined || error.httpStatus >= 500,
    };
  }
  if (error.httpStatus === 429) return { code: 'HTTP 429', ...FEISHU_CODES[99991400]! };
  if (error.code === 'feishu_api' || error.code === 'feishu_http') {
    const code = error.httpStatus ? `HTTP ${error.httpStatus}` : error.code;
    return { code, ...(error.httpStatus !== undefined && error.httpStatus < 500 ? REFUSED : SERVER_ERROR) };
  }
  return { code: error.code, ...BY_ERROR_CODE[error.code] };
}
