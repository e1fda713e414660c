/** The start-up self-check against the fake Open API over real HTTP: what it finds missing, and where to fix it. */
import { FakeOpenApi, type FakeOpenApiOptions } from '../../src/dev/demo/fakeOpenApi.js';
import { SCOPES_OF_A_FULL_SETUP } from '../../src/dev/demo/fakeScopes.js';
import { BotError } from '../../src/domain/errors.js';
import { createOpenApi } from '../../src/feishu/api/openApi.js';
import { scopesNeeded, selfCheck, type SelfCheckApi } from '../../src/app/selfCheck.js';
import { capturedLogs } from '../support/capturedLogs.js';
import { until } from '../support/until.js';
import { APP, startHarness } from '../support/harness.js';

const EVERYONE = scopesNeeded({ kind: 'everyone' });
const DEPARTMENTS = scopesNeeded({ kind: 'allowlist', users: new Set(['ou_a']), departments: new Set(['od-1']) });
const fakes: FakeOpenApi[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));

async function openApiWith(o: Partial<FakeOpenApiOptions>) {
  const fake = new FakeOpenApi({ ...APP, ...o });
  fakes.push(fake);
  const { logger } = capturedLogs('silent');
  return createOpenApi({ ...APP, baseUrl: await fake.listen(), timeoutMs: 5000, logger });
}

const check = (api: SelfCheckApi, needs = EVERYONE) =>
  selfCheck({
    api,
    needs,
    appId: APP.appId,
    consoleBase: 'https://open.feishu.cn',
    logger: capturedLogs('silent').logger,
  });

it('finds nothing missing in an app set up as the README says, from the app’s own scope list', async () => {
  const report = await check(await openApiWith({}), DEPARTMENTS);
  expect(report).toEqual({ checkedBy: 'scope_list', missing: [], unchecked: [] });
});

it('names each missing scope, what needs it and the console page that adds it', async () => {
  const { 'im:chat:readonly': _chat, 'im:message.group_at_msg:readonly': _at, ...rest } = SCOPES_OF_A_FULL_SETUP;
  const report = await check(await openApiWith({ scopes: { ...rest, 'im:message.group_at_msg:readonly': false } }));
  expect(report.checkedBy).toBe('scope_list');
  expect(report.missing.map((m) => m.scopes[0])).toEqual(['im:message.group_at_msg:readonly', 'im:chat:readonly']);
  expect(report.missing[1]).toEqual({
    scopes: ['im:chat:readonly', 'im:chat:read', 'im:chat'],
    for: expect.stringContaining('stopping watches'),
    fix: 'https://open.feishu.cn/app/cli_test123/auth?q=im%3Achat%3Areadonly&op_from=openapi',
  });
});

it('without the scope list, calls the APIs the policy needs and tells a missing scope (99991672) from a present one', async () => {
  const { 'contact:contact.base:readonly': _base, ...rest } = SCOPES_OF_A_FULL_SETUP;
  const report = await check(await openApiWith({ scopes: rest, scopeList: false }), DEPARTMENTS);
  expect(report.checkedBy).toBe('probes');
  expect(report.missing.map((m) => m.scopes[0])).toEqual(['contact:contact.base:readonly']);
  // Replies and event subscriptions cannot be checked by a harmless call.
  expect(report.unchecked).toEqual([
    'im:message:send_as_bot or im:message',
    expect.stringMatching(/^im:message.p2p_msg:readonly/),
    expect.stringMatching(/^im:message.group_at_msg:readonly/),
    'contact:user.department:readonly or contact:contact:access_as_app',
  ]);
});

it('calls the APIs instead when the scope list names none of the bot’s scopes, and cannot tell when a call fails outright', async () => {
  const api: SelfCheckApi = {
    grantedScopes: async () => [{ name: 'something:else', granted: true }],
    readUser: async () => {
      throw new BotError('feishu_api', 'no scope', { feishuCode: 99991672 });
    },
    chatAdmins: async () => {
      throw new BotError('network', 'connection reset');
    },
    userDepartments: async () => [],
  };
  const report = await check(api, DEPARTMENTS);
  expect(report.checkedBy).toBe('probes');
  expect(report.missing.map((m) => m.scopes[0])).toEqual(['im:message:send_multi_users']);
  expect(report.unchecked).toContain('im:chat:readonly or im:chat:read or im:chat');
  expect(report.unchecked).not.toContain(expect.stringMatching(/^contact:contact.base/));
});

it('asks for the user_id scope only for an allowlist with user_ids', () => {
  const scopes = (users: string[]) =>
    scopesNeeded({ kind: 'allowlist', users: new Set(users), departments: new Set() }).flatMap((n) => n.anyOf);
  expect(scopes(['ou_a'])).not.toContain('contact:user.employee_id:readonly');
  expect(scopes(['ou_a', 'e12345'])).toContain('contact:user.employee_id:readonly');
  expect(EVERYONE.flatMap((n) => n.anyOf)).not.toContain('contact:contact.base:readonly');
});

it('a live bot logs what is missing at start-up and /readyz names it, without going unready over it', async () => {
  const { 'im:chat:readonly': _chat, ...rest } = SCOPES_OF_A_FULL_SETUP;
  const logs = capturedLogs('info');
  const h = await startHarness({ selfCheck: true, fake: { scopes: rest }, logger: logs.logger });
  try {
    let body: { status?: string; scopes?: { missing: Array<{ scopes: string[]; fix: string }> } } = {};
    await until(async () => {
      body = (await (await fetch(`${h.url}/readyz`)).json()) as typeof body;
      return body.scopes !== undefined;
    });
    expect(body.status).toBe('ready');
    expect(body.scopes!.missing).toEqual([
      expect.objectContaining({
        scopes: expect.arrayContaining(['im:chat:readonly']),
        fix: expect.stringContaining('/auth?q=im%3Achat%3Areadonly'),
      }),
    ]);
    expect(logs.text()).toContain('self-check: the app lacks im:chat:readonly or im:chat:read or im:chat');
  } finally {
    await h.close();
  }
});

describe('the two scopes of batch send, needed only with SENDERS', () => {
  const WITH_SENDERS = scopesNeeded({ kind: 'everyone' }, true);
  const missingOf = async (scopes: Record<string, boolean>, needs: typeof EVERYONE) =>
    (await check(await openApiWith({ scopes }), needs)).missing;

  it('an app with neither: SENDERS set, each is named missing, with what needs it and where to add it', async () => {
    const scopes = { ...SCOPES_OF_A_FULL_SETUP, 'im:message:send_multi_users': false };
    const missing = await missingOf(scopes, WITH_SENDERS);
    expect(missing.map((m) => m.scopes)).toEqual([
      ['im:message:send_multi_users', 'im:message:send_multi_depts'], // read_user: either will do
      ['im:message:send_multi_users'],
      ['im:message:send_multi_depts'],
    ]);
    expect(missing[1]).toEqual({
      scopes: ['im:message:send_multi_users'],
      for: expect.stringContaining('/send to people'),
      fix: 'https://open.feishu.cn/app/cli_test123/auth?q=im%3Amessage%3Asend_multi_users&op_from=openapi',
    });
    expect(missing[2]).toEqual({
      scopes: ['im:message:send_multi_depts'],
      for: expect.stringContaining('/send to departments'),
      fix: 'https://open.feishu.cn/app/cli_test123/auth?q=im%3Amessage%3Asend_multi_depts&op_from=openapi',
    });
    // SENDERS unset: only read_user's need is missing.
    expect((await missingOf(scopes, EVERYONE)).map((m) => m.scopes)).toEqual([
      ['im:message:send_multi_users', 'im:message:send_multi_depts'],
    ]);
  });

  it('an app set up as the README says (people, not departments): only SENDERS makes the departments’ scope missing', async () => {
    expect((await missingOf(SCOPES_OF_A_FULL_SETUP, WITH_SENDERS)).map((m) => m.scopes)).toEqual([
      ['im:message:send_multi_depts'],
    ]);
    expect(await missingOf(SCOPES_OF_A_FULL_SETUP, EVERYONE)).toEqual([]);
  });

  it('a live bot started with SENDERS lists the missing one on /readyz; without SENDERS it lists none', async () => {
    const missingOnReadyz = async (senders?: ReadonlySet<string>) => {
      const h = await startHarness({ selfCheck: true, senders, fake: { scopes: SCOPES_OF_A_FULL_SETUP } });
      try {
        let body: { scopes?: { missing: Array<{ scopes: string[] }> } } = {};
        await until(async () => {
          body = (await (await fetch(`${h.url}/readyz`)).json()) as typeof body;
          return body.scopes !== undefined;
        });
        return body.scopes!.missing.map((m) => m.scopes);
      } finally {
        await h.close();
      }
    };
    expect(await missingOnReadyz(new Set(['ou_writer']))).toEqual([['im:message:send_multi_depts']]);
    expect(await missingOnReadyz()).toEqual([]);
  });
});
