/**
 * The Feishu API thread's entry (see src/feishu/api/threadedApi.ts): the SDK
 * client, answering the main thread's calls. Bundled beside main.ts as
 * dist/feishuThread.js.
 */
import { parentPort } from 'node:worker_threads';
import { createOpenApi } from '../feishu/api/openApi.js';
import { serveApi, type ApiThreadData } from '../feishu/api/threadedApi.js';
import { createLogger } from './log.js';

// Loaded (the SDK with it) as soon as the thread starts; the first message says what to connect to.
const port = parentPort!;
port.once('message', ({ options, logLevel }: ApiThreadData) => {
  serveApi(port, createOpenApi({ ...options, logger: createLogger(logLevel).child({ thread: 'feishu' }) }));
});
