/**
 * The Feishu API's threads (src/feishu/threadedApi.ts), the first one started
 * as this module is evaluated. main.ts imports it before anything else, so
 * that thread loads the SDK (about 0.3 s) while the main thread loads the
 * rest of the bot.
 */
import { apiThread } from './feishu/threadedApi.js';

export const feishuThreads = apiThread(new URL('./feishuThread.js', import.meta.url));
