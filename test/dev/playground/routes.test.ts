/**
 * The playground's routes over real HTTP, for the answers the browser test
 * never sees: bad requests, an unknown card, a bot or fake Open API that
 * fails, and a page not built yet.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { FakeOpenApi } from '../../../src/dev/demo/fakeOpenApi.js';
import { mountPlayground, type PlaygroundOptions } from '../../../src/dev/playground/routes.js';

const APP = { appId: 'cli_pg', appSecret: 'pg-secret', botOpenId: 'ou_pg_bot' };

let fake: FakeOpenApi;
let server: Server;
let url: string;
let emptyDir: string;

async function serve(options: Partial<PlaygroundOptions> = {}) {
  const app = express();
  mountPlayground(app, {
    decode: { verificationToken: 'token', encryptKey: 'key' },
    openApiBaseUrl: fake.baseUrl,
    botOpenId: async () => APP.botOpenId,
    examples: [{ text: '/reads bm_1', note: 'an example' }],
    pageDir: emptyDir,
    ...options,
  });
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function answer(res: Promise<Response>) {
  const r = await res;
  return { status: r.status, body: (await r.json()) as unknown };
}

beforeEach(async () => {
  emptyDir = mkdtempSync(join(tmpdir(), 'playground-page-'));
  fake = new FakeOpenApi(APP);
  await fake.listen();
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fake.close();
  rmSync(emptyDir, { recursive: true, force: true });
});

it('lists the examples, and follows an empty conversation through the fake Open API', async () => {
  await serve();
  expect(await answer(fetch(`${url}/playground/examples`))).toEqual({
    status: 200,
    body: { examples: [{ text: '/reads bm_1', note: 'an example' }] },
  });
  expect(await answer(fetch(`${url}/playground/messages?since=0`))).toEqual({
    status: 200,
    body: { version: 0, messages: [] },
  });
});

it('answers 502 with the reason when the fake Open API does not answer its log', async () => {
  await serve({ openApiBaseUrl: `${fake.baseUrl}/elsewhere` });
  expect(await answer(fetch(`${url}/playground/messages`))).toEqual({
    status: 502,
    body: {
      error: `${fake.baseUrl}/elsewhere answered HTTP 404 for /_fake/log: the playground needs the fake Open API`,
    },
  });
});

it('refuses what is not a message or a button press with 400, and a card it never showed with 404', async () => {
  await serve();
  expect(await answer(post('/playground/send', { text: ' ', where: 'p2p' }))).toEqual({
    status: 400,
    body: { error: 'expected {text, where: p2p | group}' },
  });
  expect(await answer(post('/playground/press', { cardMessageId: 'om_x' }))).toEqual({
    status: 400,
    body: { error: 'expected {cardMessageId, value}' },
  });
  expect(await answer(post('/playground/press', { cardMessageId: 'om_x', value: {} }))).toEqual({
    status: 404,
    body: { error: 'no such card in the playground' },
  });
});

it('answers 502 when the bot’s open_id cannot be had, and asks for it again next time', async () => {
  let asked = 0;
  await serve({
    botOpenId: async () => {
      asked++;
      throw new Error('no bot info');
    },
  });
  for (const _ of [1, 2])
    expect(await answer(post('/playground/send', { text: '/reads bm_1' }))).toEqual({
      status: 502,
      body: { error: 'no bot info' },
    });
  expect(asked).toBe(2);
});

it('sends a message to the bot’s webhook and keeps the bot’s HTTP answer with it', async () => {
  await serve(); // no bot here: its webhook answers 404
  const sent = await answer(post('/playground/send', { text: '/reads bm_1', where: 'group' }));
  expect(sent).toEqual({ status: 200, body: { id: expect.stringMatching(/^om_/), status: 404 } });
  const { body } = await answer(fetch(`${url}/playground/messages?since=0`));
  expect(body).toMatchObject({ messages: [{ id: (sent.body as { id: string }).id, where: 'group', status: 404 }] });
});

it('says how to build the page until it is built', async () => {
  await serve();
  const res = await fetch(url);
  expect(res.status).toBe(503);
  expect(await res.text()).toContain('run npm run build');
});

it('refuses a menu press without a key; posts menu presses and chat entries to the bot as Feishu events', async () => {
  await serve();
  expect(await answer(post('/playground/menu', { key: '' }))).toEqual({
    status: 400,
    body: { error: 'expected {key}' },
  });
  // No bot behind this server: the webhook the events go to answers 404, and the playground passes that on.
  expect(await answer(post('/playground/menu', { key: 'reads' }))).toEqual({ status: 200, body: { status: 404 } });
  expect(await answer(post('/playground/enter', {}))).toEqual({ status: 200, body: { status: 404 } });
});
