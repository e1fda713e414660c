/**
 * The peer for the front-door benchmark: the SDK's documented webhook set-up,
 * EventDispatcher + adaptExpress behind express.json(), with the same
 * verification token and encrypt key as the bot (so it decrypts each event),
 * and an empty handler. (Not safe as a front door: see DESIGN.md.)
 */
import * as lark from '@larksuiteoapi/node-sdk';
import express from 'express';

const dispatcher = new lark.EventDispatcher({
  encryptKey: process.env.FEISHU_ENCRYPT_KEY,
  verificationToken: process.env.FEISHU_VERIFICATION_TOKEN,
  loggerLevel: lark.LoggerLevel.error,
}).register({ 'im.message.receive_v1': async () => undefined });

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/webhook/event', lark.adaptExpress(dispatcher, { autoChallenge: true }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
