/**
 * The fake Open API behind a gate of its own: read_user calls for the ids
 * the test holds wait at the gate — on their way, not yet at Feishu — until
 * the test releases them. A test can then see what the bot does while a call
 * is out, for as long as it needs, instead of racing a delay.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeOpenApi } from '../../src/dev/demo/fakeOpenApi.js';

const READ_USER = /^\/open-apis\/im\/v1\/batch_messages\/([^/?]+)\/read_user/;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

/** Headers without those of one connection: each side of the gate has its own. */
const endToEnd = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

export class GatedOpenApi extends FakeOpenApi {
  private gate?: Server;
  private readonly holding = new Set<string>();
  private waiting: Array<{ batchId: string; go: () => void }> = [];

  /** From now on, read_user calls for `batchId` wait at the gate. */
  hold(batchId: string): void {
    this.holding.add(batchId);
  }

  /** Lets the waiting calls for `batchId` through, and those to come. */
  release(batchId: string): void {
    this.holding.delete(batchId);
    const go = this.waiting.filter((w) => w.batchId === batchId);
    this.waiting = this.waiting.filter((w) => w.batchId !== batchId);
    for (const w of go) w.go();
  }

  /** read_user calls for `batchId` waiting at the gate now. */
  waitingFor(batchId: string): number {
    return this.waiting.filter((w) => w.batchId === batchId).length;
  }

  override async listen(port = 0): Promise<string> {
    const upstream = await super.listen(port);
    const gate = createServer((req, res) => {
      const forward = () => {
        if (res.destroyed) return; // the bot gave up waiting: the call never reached Feishu
        const up = request(
          `${upstream}${req.url ?? '/'}`,
          { method: req.method, headers: endToEnd(req.headers) },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
            answer.pipe(res);
          },
        );
        up.on('error', () => res.destroy());
        res.on('close', () => {
          if (!res.writableFinished) up.destroy(); // the bot gave up: so does the call, as at Feishu
        });
        req.pipe(up);
      };
      const held = READ_USER.exec(req.url ?? '')?.[1];
      const batchId = held === undefined ? undefined : decodeURIComponent(held);
      if (batchId !== undefined && this.holding.has(batchId)) this.waiting.push({ batchId, go: forward });
      else forward();
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    this.gate = gate;
    return this.baseUrl;
  }

  /** Where the bot is pointed: the gate. */
  override get baseUrl(): string {
    return this.gate ? `http://127.0.0.1:${(this.gate.address() as AddressInfo).port}` : super.baseUrl;
  }

  override async close(): Promise<void> {
    const gate = this.gate;
    this.gate = undefined;
    if (gate) {
      gate.closeAllConnections();
      await new Promise<void>((resolve) => gate.close(() => resolve()));
    }
    await super.close();
  }
}
