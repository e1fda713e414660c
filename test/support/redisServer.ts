/**
 * A real redis-server (Debian's, installed by .ci/run) on a free loopback
 * port, started and stopped by the test itself. Without persistence unless
 * asked: `persist` keeps the data in a folder of its own across a stop and
 * start, as a production Redis with an append-only file does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/app/log.js';
import { connectRedis } from '../../src/state/redis/connect.js';
import { freePort } from './process.js';

export class RedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persist: boolean,
  ) {}

  static async start(options: { persist?: boolean } = {}): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      mkdtempSync(join(tmpdir(), 'reads-redis-')),
      options.persist ?? false,
    );
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port and folder). */
  async resume(): Promise<void> {
    const persistence = this.persist
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--save', '', '--appendonly', 'no'];
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...persistence],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      child.once('error', (e) =>
        reject(new Error(`cannot run redis-server (apt-get install -y redis-server, as .ci/run does): ${e.message}`)),
      );
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Stops it, as an outage would; `resume` brings it back. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A replica's connection (as the bot makes it), once it is ready: until then it refuses calls. */
export async function connectReplica(url: string): Promise<Redis> {
  const redis = connectRedis(url, createLogger('silent'));
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

/**
 * A redis-server for the whole test file: started before its tests, stopped
 * after them with every connection `connect` opened.
 */
export function redisForFile(): { connect(): Promise<Redis> } {
  let server: RedisServer | undefined;
  const connections: Redis[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await server?.close();
  });
  return {
    async connect() {
      const c = await connectReplica(server!.url);
      connections.push(c);
      return c;
    },
  };
}
