/**
 * The fake Open API's app scopes, as Feishu documents them: the app's own
 * scope list (GET /open-apis/application/v6/scopes, grant_status 1 granted,
 * 2 not) and 99991672 from an API whose scopes (any one) the app lacks
 * (permission lists of read_user, 获取群信息 and 获取单个用户信息).
 */
import type { Express, NextFunction, Request, Response } from 'express';

/** Scope name → granted. */
export type FakeScopes = Record<string, boolean>;

/** What a self-built app set up as docs/setup.md says would have. */
export const SCOPES_OF_A_FULL_SETUP: FakeScopes = {
  'im:message:send_multi_users': true,
  'im:message:send_as_bot': true,
  'im:message.p2p_msg:readonly': true,
  'im:message.group_at_msg:readonly': true,
  'im:chat:readonly': true,
  'contact:contact.base:readonly': true,
  'contact:user.department:readonly': true,
  'contact:user.employee_id:readonly': true,
};

const NEEDS: Array<{ path: RegExp; anyOf: string[] }> = [
  {
    path: /^\/open-apis\/im\/v1\/batch_messages\/[^/]+\/read_user$/,
    anyOf: ['im:message:send_multi_depts', 'im:message:send_multi_users'],
  },
  { path: /^\/open-apis\/im\/v1\/chats\/[^/]+$/, anyOf: ['im:chat', 'im:chat:read', 'im:chat:readonly'] },
  {
    path: /^\/open-apis\/contact\/v3\/users\/[^/]+$/,
    anyOf: [
      'contact:contact.base:readonly',
      'contact:contact:access_as_app',
      'contact:contact:readonly',
      'contact:contact:readonly_as_app',
    ],
  },
];

/**
 * Mounts the scope list and the scope gate. `scopes()` undefined: every scope
 * granted, and the list is that of a full set-up; `listed()` false: the list
 * answers an error (as for an app not installed, 212100).
 */
export function mountScopes(app: Express, scopes: () => FakeScopes | undefined, listed: () => boolean): void {
  app.get('/open-apis/application/v6/scopes', (_req, res) => {
    if (!listed()) return void res.status(400).json({ code: 212100, msg: 'app not install' });
    const granted = Object.entries(scopes() ?? SCOPES_OF_A_FULL_SETUP);
    res.json({
      code: 0,
      msg: 'success',
      data: { scopes: granted.map(([scope_name, ok]) => ({ scope_name, grant_status: ok ? 1 : 2 })) },
    });
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const granted = scopes();
    const need = granted && NEEDS.find((n) => n.path.test(req.path));
    if (!need || need.anyOf.some((s) => granted[s])) return next();
    res.status(400).json({
      code: 99991672,
      msg: `Access denied. One of the following scopes is required: [${need.anyOf.join(', ')}].`,
      error: { permission_violations: need.anyOf.map((subject) => ({ type: 'action_privilege_required', subject })) },
    });
  });
}
