/** The demo's fixed credentials and seeded batch messages. Not secrets: demo mode talks only to the embedded fake. */
import { EXAMPLE_BATCH_ID, EXAMPLE_SENT_BATCH_ID } from '../../domain/rules.js';
import type { BatchBehaviour, BatchScript } from './fakeOpenApi.js';

export const DEMO = {
  appId: 'cli_demo0000000000',
  appSecret: 'demo-app-secret',
  verificationToken: 'demo-verification-token',
  encryptKey: 'demo-encrypt-key',
  botOpenId: 'ou_demo_bot',
  userOpenId: 'ou_demo_user',
} as const;

const error = (code: number, msg: string): BatchBehaviour => ({ kind: 'error', httpStatus: 400, code, msg });

const BAD_GATEWAY: BatchBehaviour = { kind: 'http_error', httpStatus: 502 };
const OUTAGE_THEN_COUNTS: BatchBehaviour[] = [
  BAD_GATEWAY,
  BAD_GATEWAY,
  BAD_GATEWAY,
  { kind: 'counts', read: 52, total: 60 },
];

export const DEMO_BATCHES: Record<string, BatchScript & { note: string }> = {
  // The ids of Feishu's own docs, written both ways: batch send answers `bm-…`, the read_user page writes `bm_…`.
  [EXAMPLE_SENT_BATCH_ID]: { kind: 'counts', read: 45, total: 80, note: 'bm-…, as the batch-send API returns it' },
  [EXAMPLE_BATCH_ID]: { kind: 'counts', read: 10, total: 100, note: 'bm_…, as the read_user page writes it' },
  bm_demo_partly_read: { kind: 'counts', read: 37, total: 120, hidden: 4, note: '37 of 120 read' },
  bm_demo_mostly_read: { kind: 'counts', read: 4821, total: 5000, note: '4,821 of 5,000 read' },
  bm_demo_all_read: { kind: 'counts', read: 86, total: 86, note: 'everyone read it' },
  bm_demo_unread: { kind: 'counts', read: 0, total: 240, note: 'nobody has read it yet' },
  bm_demo_rising: {
    kind: 'rising',
    read: 12,
    total: 300,
    perMinute: 20,
    note: 'more read it every minute: try watch 30m every 1m',
  },
  bm_demo_recalled: {
    kind: 'counts',
    read: 18,
    total: 60,
    recalled: 60,
    note: 'recalled after sending: try /reads bm_demo_recalled delivery',
  },
  bm_demo_error_230001: { ...error(230001, 'invalid param'), note: 'error 230001 invalid parameter' },
  bm_demo_error_230012: {
    ...error(230012, 'Bot is NOT the sender of the message'),
    note: 'error 230012 not sent by this bot',
  },
  bm_demo_error_230027: { ...error(230027, 'Lack of necessary permissions'), note: 'error 230027 permission missing' },
  bm_demo_error_230030: {
    ...error(230030, 'The message id is invalid or the record is not found.'),
    note: 'error 230030 not found / older than 30 days',
  },
  bm_demo_error_230006: {
    ...error(230006, 'Bot ability is not activated.'),
    note: 'error 230006 bot capability not enabled',
  },
  // Like a short outage: the query waits, and its answer comes a few seconds late, saying why.
  bm_demo_server_error: Object.assign([...OUTAGE_THEN_COUNTS], {
    note: 'Feishu answers HTTP 502 three times: the answer comes late',
  }),
};

/** One-click commands on the playground page. */
export const DEMO_COMMANDS: Array<{ text: string; note: string }> = [
  ...Object.entries(DEMO_BATCHES).map(([id, b]) => ({ text: `/reads ${id}`, note: b.note })),
  { text: '/reads bm_demo_partly_read bm_demo_all_read bm_demo_error_230030', note: 'several ids in one card' },
  { text: '/reads bm_demo_rising watch 30m every 1m', note: 'a card that updates itself every minute' },
  { text: '/reads bm_demo_rising history', note: 'the snapshots so far, with the trend chart' },
  { text: '/reads bm_demo_partly_read delivery', note: 'the delivery funnel: valid → delivered → read' },
  { text: '/reads bm_demo_recalled 送达', note: 'the delivery funnel of a recalled message' },
  {
    text: '/send od-demo ou_demo\nThe office closes at 5 on Friday.',
    note: 'a batch message: its preview, then Confirm, and Recall',
  },
  { text: '/sent', note: 'the batch messages you sent, with their read rates' },
  { text: '/help', note: 'what the bot understands' },
];
