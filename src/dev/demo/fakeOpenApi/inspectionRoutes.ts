/**
 * Not Feishu: routes that let the demo chat client and the playground, which
 * run in other processes, read what the fake received.
 */
import type { Express } from 'express';
import type { Records } from './records.js';

export function mountInspectionRoutes(app: Express, records: Records): void {
  // What the bot replied to a message.
  app.get('/_fake/replies', (req, res) => {
    const parentId = typeof req.query.parent_id === 'string' ? req.query.parent_id : '';
    res.json({ replies: records.repliesTo(parentId) });
  });

  // The card a message shows now, and how many times it was updated.
  app.get('/_fake/card', (req, res) => {
    const messageId = typeof req.query.message_id === 'string' ? req.query.message_id : '';
    res.json({ card: records.cardOf(messageId) ?? null, updates: records.updatesOf(messageId).length });
  });

  // The replies and card updates after the first `replies` and `patches`, so the playground follows them in one request.
  app.get('/_fake/log', (req, res) => {
    const from = (name: string) => Math.max(0, Number(req.query[name]) || 0);
    res.json({
      replies: records.replies.slice(from('replies')),
      patches: records.patches.slice(from('patches')),
      sent: records.sent.slice(from('sent')),
    });
  });

  // The messages sent to an open_id or chat_id, so the demo chat client sees the menu's answers.
  app.get('/_fake/sent', (req, res) => {
    const receiveId = typeof req.query.receive_id === 'string' ? req.query.receive_id : '';
    res.json({ sent: records.sentTo(receiveId) });
  });
}
