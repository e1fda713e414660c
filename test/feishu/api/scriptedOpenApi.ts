/**
 * A Feishu Open API on 127.0.0.1 that answers as the test scripts it, for
 * the calls the demo's fake does not make (the batch send and its recall):
 * it issues tenant tokens, records every other request as it arrives, and
 * answers each with the next answer scripted for its route.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answers: the caller times out. */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  token: string | undefined;
}

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/** A Feishu refusal as the docs show one: a code, its message, a log id. */
export function refusal(code: number, status = 200, headers: Record<string, string> = {}): ScriptedAnswer {
  return { status, headers, body: { code, msg: `refused with ${code}`, error: { log_id: `log-${code}` } } };
}

export class ScriptedOpenApi {
  readonly requests: RecordedRequest[] = [];
  tokensIssued = 0;
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private server?: Server;

  /** Requests to `method path` get these answers in turn; the last one answers every request after it. */
  script(method: string, path: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(`${method} ${path}`, answers);
  }

  /** The requests to `path` (not the token's). */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const text = Buffer.concat(chunks).toString();
        const answer = this.answerTo(req.method ?? 'GET', path, text, req.headers.authorization);
        if (answer.hang) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? { code: 0, msg: 'ok', data: {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answerTo(method: string, path: string, text: string, authorization: string | undefined): ScriptedAnswer {
    if (path === TOKEN_PATH) {
      this.tokensIssued++;
      return { body: { code: 0, msg: 'ok', tenant_access_token: `t-${this.tokensIssued}`, expire: 7200 } };
    }
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({ method, path, body, token: authorization?.replace(/^Bearer /, '') });
    const answers = this.scripts.get(`${method} ${path}`);
    if (!answers) return refusal(404, 404);
    return (answers.length > 1 ? answers.shift() : answers[0])!;
  }
}
