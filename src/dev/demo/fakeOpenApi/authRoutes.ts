/**
 * The tenant access tokens the fake issues and checks, and the calls that
 * need no more than the app's identity: the token itself and the bot's info.
 */
import { randomBytes } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Failure } from './batchScripts.js';
import { sendFailure } from './feishuAnswers.js';

export interface AppIdentity {
  appId: string;
  appSecret: string;
  botOpenId: string;
}

/** Feishu's answer to a call without a valid tenant token. */
export const INVALID_TOKEN: Failure = {
  kind: 'error',
  httpStatus: 400,
  code: 99991663,
  msg: 'Invalid access token for authorization. Please make a request with token attached.',
};

export class TenantTokens {
  issued = 0;
  private readonly valid = new Set<string>();

  issue(): string {
    const token = `t-fake-${randomBytes(12).toString('hex')}`;
    this.valid.add(token);
    this.issued++;
    return token;
  }

  /** Every token issued so far becomes invalid (99991663), as when Feishu resets them. */
  revoke(): void {
    this.valid.clear();
  }

  /** Whether the request bears a token this fake issued. */
  bears(req: Request<unknown>): boolean {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    return token !== undefined && this.valid.has(token);
  }

  /** True when the request bears a token this fake issued; otherwise answers 99991663. */
  authorised(req: Request<unknown>, res: Response): boolean {
    if (this.bears(req)) return true;
    sendFailure(res, INVALID_TOKEN);
    return false;
  }

  /** Middleware: only a request with a token this fake issued goes on. */
  readonly check = <P>(req: Request<P>, res: Response, next: NextFunction): void => {
    if (this.authorised(req, res)) next();
  };
}

export function mountAuthRoutes(app: Express, identity: AppIdentity, tokens: TenantTokens): void {
  app.post('/open-apis/auth/v3/tenant_access_token/internal', (req, res) => {
    const { app_id, app_secret } = (req.body ?? {}) as { app_id?: unknown; app_secret?: unknown };
    if (app_id !== identity.appId) return void res.json({ code: 10003, msg: 'invalid param' });
    if (app_secret !== identity.appSecret) return void res.json({ code: 10014, msg: 'app secret invalid' });
    res.json({ code: 0, msg: 'ok', tenant_access_token: tokens.issue(), expire: 7200 });
  });
  app.get('/open-apis/bot/v3/info', tokens.check, (_req, res) => {
    res.json({
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: 'Reads Bot',
        avatar_url: '',
        ip_white_list: [],
        open_id: identity.botOpenId,
      },
    });
  });
}
