/**
 * The Feishu API thread's entry (see src/feishu/threadedApi.ts): the SDK
 * client, answering the main thread's calls. Bundled beside main.ts as
 * dist/feishuThread.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createOpenApi } from './feishu/openApi.js';
import { serveApi, type ApiThreadData } from './feishu/threadedApi.js';
import { createLogger } from './log.js';

const { options, logLevel } = workerData as ApiThreadData;
serveApi(parentPort!, createOpenApi({ ...options, logger: createLogger(logLevel).child({ thread: 'feishu' }) }));
