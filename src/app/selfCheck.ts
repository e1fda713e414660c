/**
 * The start-up self-check (live mode): which of the scopes the configured bot
 * needs the app lacks, each named with the console page that grants it — in
 * the log and on /readyz — before anyone sends a command.
 *
 * It runs once the bot's identity is known (GET /open-apis/bot/v3/info, which
 * start-up retries and logs until it answers: credentials, bot capability).
 * Then it reads the app's own scope list
 * (GET /open-apis/application/v6/scopes, no scope needed,
 * feishu/003-服务端API/应用信息/应用权限/查询租户授权状态.md). When that cannot be
 * read, or lists none of the scopes the bot knows, each read-only API the
 * policy needs is called once with an id that does not exist: Feishu answers
 * 99991672 when the scope is missing, and a not-found error when it is not.
 */
import type { Logger } from 'pino';
import type { AccessPolicy } from '../dispatch/access.js';
import { asBotError } from '../domain/errors.js';

/** One scope the app needs (any one of `anyOf` will do), what needs it, and a call that fails without it. */
export interface ScopeNeed {
  anyOf: string[];
  /** What needs it, in the words of docs/setup.md's scope table. */
  for: string;
  probe?: (api: ProbeApi) => Promise<unknown>;
}

export interface ProbeApi {
  readUser(batchMessageId: string): Promise<unknown>;
  chatAdmins(chatId: string): Promise<unknown>;
  userDepartments(openId: string): Promise<unknown>;
}

export interface SelfCheckApi extends ProbeApi {
  /** The scopes the app asked for, and whether the tenant granted each. */
  grantedScopes(): Promise<Array<{ name: string; granted: boolean }>>;
}

export interface MissingScope {
  /** Any one of these. */
  scopes: string[];
  for: string;
  /** The console page where it is added (then publish a new version). */
  fix: string;
}

export interface SelfCheckReport {
  /** How the scopes were found out: from the app's scope list, or by calling the APIs that need them. */
  checkedBy: 'scope_list' | 'probes';
  missing: MissingScope[];
  /** Scopes that could not be checked either way (only the scope list tells about event and reply scopes). */
  unchecked: string[];
}

const APP_SCOPE_MISSING = 99991672;
const PROBE = { batch: 'bm_self_check', chat: 'oc_self_check', user: 'ou_self_check' };

/** The scopes the bot needs with this policy, and to send when anyone may (docs/setup.md's scope table). */
export function scopesNeeded(policy: AccessPolicy, sending = false): ScopeNeed[] {
  const needs: ScopeNeed[] = [
    {
      anyOf: ['im:message:send_multi_users', 'im:message:send_multi_depts'],
      for: 'read_user: the read counts of batch messages',
      probe: (api) => api.readUser(PROBE.batch),
    },
    { anyOf: ['im:message:send_as_bot', 'im:message'], for: 'replying with cards and updating them' },
    {
      anyOf: ['im:message.p2p_msg:readonly', 'im:message.p2p_msg'],
      for: 'receiving one-to-one messages (im.message.receive_v1)',
    },
    {
      anyOf: [
        'im:message.group_at_msg:readonly',
        'im:message.group_at_msg',
        'im:message.group_msg:readonly',
        'im:message.group_msg',
      ],
      for: 'receiving group messages that @mention the bot (im.message.receive_v1)',
    },
    {
      anyOf: ['im:chat:readonly', 'im:chat:read', 'im:chat'],
      for: 'a chat’s owner and managers: stopping watches, ACCESS_POLICY=group_admins',
      probe: (api) => api.chatAdmins(PROBE.chat),
    },
  ];
  if (policy.kind === 'allowlist' && policy.departments.size > 0) {
    needs.push(
      {
        anyOf: ['contact:contact.base:readonly', 'contact:contact:readonly_as_app', 'contact:contact:readonly'],
        for: 'ACCESS_ALLOW_DEPARTMENTS: reading a user (GET /open-apis/contact/v3/users/:id)',
        probe: (api) => api.userDepartments(PROBE.user),
      },
      {
        anyOf: ['contact:user.department:readonly', 'contact:contact:access_as_app'],
        for: 'ACCESS_ALLOW_DEPARTMENTS: a user’s departments (the department_ids field)',
      },
    );
  }
  if (policy.kind === 'allowlist' && [...policy.users].some((id) => !id.startsWith('ou_'))) {
    needs.push({
      anyOf: ['contact:user.employee_id:readonly'],
      for: 'ACCESS_ALLOW_USERS with user_ids: the sender’s user_id in events',
    });
  }
  if (sending) {
    // Batch send needs the scope of each kind of recipient (11203 and 11204 without them, 批量发送消息.md).
    needs.push(
      { anyOf: ['im:message:send_multi_users'], for: '/send to people (POST /open-apis/message/v4/batch_send/)' },
      { anyOf: ['im:message:send_multi_depts'], for: '/send to departments (the same API)' },
    );
  }
  return needs;
}

/** The console's permissions page, opened at the scope (what Feishu's 99991672 messages link to). */
export function consolePage(consoleBase: string, appId: string, scope: string): string {
  return `${consoleBase}/app/${appId}/auth?q=${encodeURIComponent(scope)}&op_from=openapi`;
}

export interface SelfCheckOptions {
  api: SelfCheckApi;
  needs: ScopeNeed[];
  appId: string;
  /** https://open.feishu.cn or https://open.larksuite.com. */
  consoleBase: string;
  logger: Logger;
}

/** Runs the check once the bot knows who it is; logs a summary. Never rejects. */
export async function selfCheck(o: SelfCheckOptions): Promise<SelfCheckReport> {
  const missing = (need: ScopeNeed): MissingScope => ({
    scopes: need.anyOf,
    for: need.for,
    fix: consolePage(o.consoleBase, o.appId, need.anyOf[0]!),
  });
  const listed = await fromScopeList(o);
  let report: SelfCheckReport;
  if (listed) {
    const lacking = o.needs.filter((need) => !need.anyOf.some((s) => listed.get(s) === true));
    report = { checkedBy: 'scope_list', missing: lacking.map(missing), unchecked: [] };
  } else {
    const results = await Promise.all(o.needs.map((need) => probe(need, o.api)));
    report = {
      checkedBy: 'probes',
      missing: o.needs.filter((_, i) => results[i] === 'missing').map(missing),
      unchecked: o.needs.filter((_, i) => results[i] === 'unknown').map((n) => n.anyOf.join(' or ')),
    };
  }
  log(o.logger, report);
  return report;
}

/** The scope list by name → granted; undefined when it cannot be read or names none of the scopes the bot knows. */
async function fromScopeList(o: SelfCheckOptions): Promise<Map<string, boolean> | undefined> {
  try {
    const scopes = await o.api.grantedScopes();
    const byName = new Map(scopes.map((s) => [s.name, s.granted]));
    if (o.needs.some((need) => need.anyOf.some((s) => byName.has(s)))) return byName;
    o.logger.warn('the app’s scope list names none of the scopes the bot uses; checking by calling the APIs instead');
  } catch (e) {
    const error = asBotError(e);
    o.logger.warn(
      { code: error.code, feishu_code: error.feishuCode },
      'cannot read the app’s scope list (GET /open-apis/application/v6/scopes); checking by calling the APIs instead',
    );
  }
  return undefined;
}

async function probe(need: ScopeNeed, api: ProbeApi): Promise<'present' | 'missing' | 'unknown'> {
  if (!need.probe) return 'unknown';
  try {
    await need.probe(api);
    return 'present';
  } catch (e) {
    const error = asBotError(e);
    if (error.feishuCode === APP_SCOPE_MISSING) return 'missing';
    // Any other Feishu answer (the made-up id not found) means the scope check was passed.
    return error.feishuCode === undefined ? 'unknown' : 'present';
  }
}

function log(logger: Logger, report: SelfCheckReport): void {
  const { checkedBy, missing, unchecked } = report;
  if (missing.length === 0) {
    logger.info({ checked_by: checkedBy, unchecked }, 'self-check: the app has every scope the bot needs');
    return;
  }
  for (const m of missing) {
    logger.error(
      { scopes: m.scopes, needed_for: m.for, fix: m.fix },
      `self-check: the app lacks ${m.scopes.join(' or ')} (${m.for}); add it at ${m.fix}, then publish a new version`,
    );
  }
  logger.error(
    { checked_by: checkedBy, missing: missing.map((m) => m.scopes[0]), unchecked },
    `self-check: ${missing.length} scope(s) missing; /readyz lists them`,
  );
}
