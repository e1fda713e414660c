/**
 * The image cannot be built where the tests run (no Docker engine), so this
 * checks what can go stale without one: what the Dockerfile copies exists and
 * is not ignored, it runs what `npm start` runs, and the compose file passes
 * every variable the bot reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ENV_VARS } from '../../src/app/env.js';
import { BOT_ENV } from '../support/process.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. Pure. */
function instructions(dockerfile: string): Instruction[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync('Dockerfile', 'utf8'));
const ignored = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const compose = readFileSync('docker-compose.yml', 'utf8');
const all = (op: string) => dockerfile.filter((i) => i.op === op);
const runtime = dockerfile.slice(dockerfile.map((i) => i.op).lastIndexOf('FROM'));
const env = Object.fromEntries(
  runtime.filter((i) => i.op === 'ENV').flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
);

it('builds from node:20-slim: the bot, the playground page, then the runtime', () => {
  expect(all('FROM').map((i) => i.args)).toEqual(['node:20-slim AS deps', 'node:20-slim AS web', 'node:20-slim']);
});

it('copies only files that exist and that .dockerignore lets through', () => {
  const sources = all('COPY')
    .filter((i) => !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    expect(existsSync(source)).toBe(true);
    expect(ignored).not.toContain(source);
  }
});

it('runs what npm start runs, in its environment, as a non-root user', () => {
  const cmd = JSON.parse(all('CMD').at(-1)!.args) as string[];
  const settings = Object.entries(BOT_ENV).map(([k, v]) => `${k}=${v}`);
  expect([...settings, ...cmd].join(' ')).toBe(pkg.scripts.start);
  expect(env).toMatchObject(BOT_ENV);
  expect(runtime.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual(['node']);
});

it('checks /healthz on the port it exposes, and keeps the store on the volume', () => {
  const healthcheck = all('HEALTHCHECK').at(-1)!.args;
  expect(healthcheck).toContain('/healthz');
  expect(healthcheck).not.toMatch(/curl|wget/); // not in the slim image
  expect(all('EXPOSE').map((i) => i.args)).toEqual([env.PORT]);
  expect(JSON.parse(all('VOLUME').at(-1)!.args)).toEqual([dirname(env.BOT_DB_PATH!)]);
});

it('compose passes every variable the bot reads, and Redis’s address', () => {
  for (const name of ENV_VARS) expect(compose).toMatch(new RegExp(`^\\s+- ${name}(=|$)`, 'm'));
  expect(compose).toContain('REDIS_URL=redis://redis:6379');
  expect(compose).toContain('image: redis:7-alpine');
  expect(compose).toContain(`BOT_DB_PATH=${env.BOT_DB_PATH}`);
});
