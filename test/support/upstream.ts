/** Another integration of the same app, on 127.0.0.1: records what reaches it and answers as a test says. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeRequest, type DecodeOptions, type Envelope } from '../../src/inbound/http/decodeRequest.js';

export interface UpstreamRequest {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface UpstreamAnswer {
  status: number;
  body: string;
  /** Default application/json; null: none at all. */
  contentType?: string | null;
  /** Never answers (a hung upstream). */
  hang?: boolean;
}

export class Upstream {
  readonly received: UpstreamRequest[] = [];
  answer: UpstreamAnswer = { status: 200, body: '{}' };
  private server?: Server;

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ body: Buffer.concat(chunks), headers: req.headers });
        const { status, body, contentType, hang } = this.answer;
        if (hang) return;
        if (contentType !== null) res.setHeader('content-type', contentType ?? 'application/json');
        res.writeHead(status).end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/feishu/events`;
  }

  /** The `i`th request, opened as the upstream opens a webhook request from Feishu: with the app's own keys. */
  opened(i: number, keys: DecodeOptions): Envelope {
    const { body, headers } = this.received[i]!;
    const one = (name: string) => headers[name] as string | undefined;
    const signature = { signature: one('x-lark-signature'), timestamp: one('x-lark-request-timestamp') };
    const decoded = decodeRequest(body, { ...signature, nonce: one('x-lark-request-nonce') }, keys, Date.now());
    if (!decoded.ok) throw new Error(`the upstream could not verify it: ${decoded.reason}`);
    return decoded.envelope;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
