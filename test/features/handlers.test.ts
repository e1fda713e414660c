/**
 * Each command handler on its own, through a small fake CommandContext:
 * what card the person gets back, what is left undone, and which failures are
 * shown on a card versus thrown on (work that has to wait is answered later).
 */
import type { Card } from '../../src/cards/card.js';
import {
  didYouMean,
  help,
  invalidId,
  invalidWatch,
  tooLong,
  tooManyIds,
} from '../../src/features/help/explanations.js';
import { stop } from '../../src/features/watch/stopCommand.js';
import { history } from '../../src/features/history/historyCommand.js';
import { reads } from '../../src/features/reads/readsCommand.js';
import { watch } from '../../src/features/watch/watchCommand.js';
import { BotError } from '../../src/domain/errors.js';
import { cardText, expectValidCard } from '../support/cards.js';
import { counts, fakeCommandContext, NOW, snapshotsFrom, type FakeCommandContext } from '../support/fakeContexts.js';
import { feishuError } from '../support/inProcessBot.js';

const MINUTE = 60_000;
const en = (card: Card | undefined) => cardText(card, 'en');
const watchCommand = (batchId: string) =>
  ({ kind: 'watch', batchId, durationMs: 60 * MINUTE, intervalMs: 5 * MINUTE }) as const;

describe('reads', () => {
  it('answers one id with its counts and rate', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_a: counts('bm_a', 3, 4) }) });
    await reads({ kind: 'reads', batchIds: ['bm_a'] }, ctx);
    expect(ctx.replies).toHaveLength(1);
    expectValidCard(ctx.replies[0]!);
    expect(en(ctx.replies[0])).toContain('Read rate: 75.0%');
  });

  it('answers a failed query with the error card of its code', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_a: feishuError(230030) }) });
    await reads({ kind: 'reads', batchIds: ['bm_a'] }, ctx);
    expect(en(ctx.replies[0])).toContain('Error code: 230030');
  });

  it('answers several ids with one card, a failed one in its own row', async () => {
    const ctx = fakeCommandContext({
      snapshot: snapshotsFrom({ bm_a: counts('bm_a', 1, 2), bm_b: feishuError(230012) }),
    });
    await reads({ kind: 'reads', batchIds: ['bm_a', 'bm_b'] }, ctx);
    expect(ctx.replies).toHaveLength(1);
    const text = en(ctx.replies[0]);
    expect(text).toContain('bm_a');
    expect(text).toContain('230012');
  });

  it.each(['cancelled', 'unavailable'] as const)(
    'throws a postponed failure (%s) on instead of showing it, for one id or several',
    async (code) => {
      const postponed = new BotError(code, 'later');
      for (const batchIds of [['bm_a'], ['bm_ok', 'bm_a']]) {
        const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_a: postponed, bm_ok: counts('bm_ok', 1, 1) }) });
        await expect(reads({ kind: 'reads', batchIds }, ctx)).rejects.toBe(postponed);
        expect(ctx.replies).toEqual([]);
      }
    },
  );
});

describe('history', () => {
  it('takes a snapshot, then answers with the recorded series', async () => {
    const series = [counts('bm_h', 1, 10, NOW - 2 * MINUTE), counts('bm_h', 4, 10, NOW)];
    const snapshot = snapshotsFrom({ bm_h: counts('bm_h', 4, 10) });
    const ctx = fakeCommandContext({ snapshot, series });
    await history({ kind: 'history', batchId: 'bm_h' }, ctx);
    expect(snapshot.calls).toEqual(['bm_h']);
    expect(ctx.replies).toHaveLength(1);
    expect(en(ctx.replies[0])).toContain('2 snapshots in the last 30 days');
  });

  it('answers the error card when the snapshot fails, without the history', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_h: feishuError(230027) }) });
    await history({ kind: 'history', batchId: 'bm_h' }, ctx);
    expect(ctx.replies).toHaveLength(1);
    expect(en(ctx.replies[0])).toContain('Error code: 230027');
    expect(en(ctx.replies[0])).not.toContain('snapshots in the last 30 days');
  });

  it.each(['cancelled', 'unavailable'] as const)('throws a postponed failure (%s) on, unshown', async (code) => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_h: new BotError(code, 'later') }) });
    await expect(history({ kind: 'history', batchId: 'bm_h' }, ctx)).rejects.toMatchObject({ code });
    expect(ctx.replies).toEqual([]);
  });
});

describe('watch', () => {
  it('replies with the watching card, then starts the watch on that card message', async () => {
    const ctx = fakeCommandContext({
      snapshot: snapshotsFrom({ bm_w: counts('bm_w', 1, 3) }),
      chatId: 'oc_team',
      senderOpenId: 'ou_starter',
    });
    await watch(watchCommand('bm_w'), ctx);
    expect(ctx.replies).toHaveLength(1);
    expect(en(ctx.replies[0])).toContain('Watching: updates every 5 min');
    expect(ctx.watches.added).toEqual([
      expect.objectContaining({
        batchId: 'bm_w',
        chatId: 'oc_team',
        cardMessageId: 'om_reply_1',
        startedBy: 'ou_starter',
        startedAt: NOW,
        until: NOW + 60 * MINUTE,
        intervalMs: 5 * MINUTE,
        nextAt: NOW + 5 * MINUTE,
      }),
    ]);
    expect(ctx.watches.added[0]!.endedReason).toBeUndefined();
  });

  it('says "everyone has read it" and starts no watch when everyone has', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: counts('bm_w', 3, 3) }) });
    await watch(watchCommand('bm_w'), ctx);
    expect(en(ctx.replies[0])).toContain('Everyone has read it already; no watch started.');
    expect(en(ctx.replies[0])).not.toContain('Watch ended');
    expect(en(ctx.replies[0])).not.toContain('Watching');
    expect(ctx.watches.added).toEqual([]);
    expect(ctx.watches.cancelled).toHaveLength(1);
    expect(ctx.watches.reserved.size).toBe(0); // the place taken first is given back
  });

  it('gives the place back when the query fails, and takes the same place when the command is answered again', async () => {
    const failing = fakeCommandContext({ snapshot: snapshotsFrom({}), messageId: 'om_cmd' });
    await watch(watchCommand('bm_w'), failing);
    expect(failing.watches.cancelled).toHaveLength(1);
    expect(failing.watches.reserved.size).toBe(0);
    const again = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: counts('bm_w', 1, 3) }), messageId: 'om_cmd' });
    await watch(watchCommand('bm_w'), again);
    expect(again.watches.added[0]!.id).toBe(failing.watches.cancelled[0]); // the id comes from the command's message
  });

  it('watches a batch message pushed to nobody yet (0 of 0 is not "all read")', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: counts('bm_w', 0, 0) }) });
    await watch(watchCommand('bm_w'), ctx);
    expect(ctx.watches.added).toHaveLength(1);
  });

  it.each([
    ['already_watched', 'This chat is already watching that batch message'],
    ['too_many_in_chat', 'This chat has too many watches running; stop one first.'],
    ['too_many', 'The bot is running as many watches as it can; try again later.'],
  ] as const)('refuses (%s) with its card, without a snapshot', async (refusal, text) => {
    const snapshot = snapshotsFrom({ bm_w: counts('bm_w', 1, 3) });
    const ctx = fakeCommandContext({ snapshot });
    ctx.watches.refusalIs = refusal;
    await watch(watchCommand('bm_w'), ctx);
    expect(en(ctx.replies[0])).toContain(text);
    expect(snapshot.calls).toEqual([]);
    expect(ctx.watches.added).toEqual([]);
  });

  it('answers a second watch of an id with the running watch: who started it, Stop, and Extend when asked for longer', async () => {
    const snapshot = snapshotsFrom({ bm_w: counts('bm_w', 1, 3) });
    const ctx = fakeCommandContext({ snapshot, chatId: 'oc_team' });
    await ctx.watches.add({
      ...{ id: 'w_first', batchId: 'bm_w', chatId: 'oc_team', cardMessageId: 'om_card', startedBy: 'ou_first' },
      ...{ startedAt: NOW, until: NOW + 30 * MINUTE, intervalMs: MINUTE, nextAt: NOW + MINUTE },
    });
    ctx.watches.refusalIs = 'already_watched';
    await watch(watchCommand('bm_w'), ctx);
    expectValidCard(ctx.replies[0]!);
    expect(en(ctx.replies[0])).toContain(
      "started by <person id='ou_first' show_name=true show_avatar=true style='capsule'></person>",
    );
    expect(en(ctx.replies[0])).toContain('Extend to 1 h');
    expect(snapshot.calls).toEqual([]);
  });

  it('answers the error card when the first snapshot fails, and starts no watch', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: feishuError(230030) }) });
    await watch(watchCommand('bm_w'), ctx);
    expect(en(ctx.replies[0])).toContain('Error code: 230030');
    expect(ctx.watches.added).toEqual([]);
  });

  it.each(['cancelled', 'unavailable'] as const)('throws a postponed failure (%s) on, unshown', async (code) => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: new BotError(code, 'later') }) });
    await expect(watch(watchCommand('bm_w'), ctx)).rejects.toMatchObject({ code });
    expect(ctx.replies).toEqual([]);
    expect(ctx.watches.added).toEqual([]);
  });

  it('starts no watch when the card could not be sent (nothing to update)', async () => {
    const ctx = fakeCommandContext({ snapshot: snapshotsFrom({ bm_w: counts('bm_w', 1, 3) }) });
    ctx.reply = async () => {
      throw feishuError(230002);
    };
    await expect(watch(watchCommand('bm_w'), ctx)).rejects.toMatchObject({ feishuCode: 230002 });
    expect(ctx.watches.added).toEqual([]);
  });
});

describe('commands answered without Feishu', () => {
  const noSnapshot = snapshotsFrom({});
  let ctx = fakeCommandContext({ snapshot: noSnapshot });
  it.each([
    ['help', () => help({ kind: 'help', reason: 'missing_id' }, ctx), 'Please put a batch message id after /reads.'],
    ['invalid_id', () => invalidId({ kind: 'invalid_id', given: 'bm_!!' }, ctx), 'Invalid batch message id'],
    ['too_many_ids', () => tooManyIds({ kind: 'too_many_ids', count: 12 }, ctx), 'this had 12'],
    ['too_long', () => tooLong({ kind: 'too_long', length: 5000 }, ctx), 'this message had 5000'],
    [
      'invalid_watch',
      () => invalidWatch({ kind: 'invalid_watch', problem: 'interval_too_short', given: 'every 5s' }, ctx),
      'Updates are at least 1 min apart',
    ],
  ] as const)('%s: one card that explains it, no snapshot', async (_kind, run, text) => {
    ctx = fakeCommandContext({ snapshot: noSnapshot });
    await run();
    expect(ctx.replies).toHaveLength(1);
    expect(en(ctx.replies[0])).toContain(text);
    expect(noSnapshot.calls).toEqual([]);
  });
});

describe('stop', () => {
  const running = {
    ...{ id: 'w_1', batchId: 'bm_s', chatId: 'oc_team', cardMessageId: 'om_card', startedBy: 'ou_starter' },
    ...{ startedAt: NOW, until: NOW + 60 * MINUTE, intervalMs: MINUTE, nextAt: NOW + MINUTE },
  };
  const stopIn = async (stopIs?: FakeCommandContext['watches']['stopIs'], watching = true) => {
    const ctx = fakeCommandContext({
      snapshot: snapshotsFrom({}),
      chatId: 'oc_team',
      senderOpenId: 'ou_sender',
      messageId: 'om_command',
    });
    if (watching) await ctx.watches.add(running);
    if (stopIs) ctx.watches.stopIs = stopIs;
    await stop({ kind: 'stop', batchId: 'bm_s' }, ctx);
    expect(ctx.replies).toHaveLength(1);
    expectValidCard(ctx.replies[0]!);
    return { ctx, text: en(ctx.replies[0]) };
  };

  it('stops the chat’s watch of the id for the sender, from the command’s message', async () => {
    const { ctx, text } = await stopIn({ stopped: true, card: {} as Card });
    expect(ctx.watches.stops).toEqual([{ watchId: 'w_1', operator: 'ou_sender', from: 'om_command' }]);
    expect(text).toContain('Stopped watching **bm_s**');
  });

  it('names who started it when the sender may not stop it', async () => {
    const { text } = await stopIn({ stopped: false, reason: 'not_allowed' });
    expect(text).toContain(
      "started by <person id='ou_starter' show_name=true show_avatar=true style='capsule'></person>",
    );
  });

  it('says the chat is not watching the id when it is not, or when the watch ended meanwhile', async () => {
    const none = await stopIn(undefined, false);
    expect(none.ctx.watches.stops).toEqual([]);
    expect(none.text).toContain('This chat is not watching **bm_s**');
    const ended = await stopIn({ stopped: false, reason: 'already_ended' });
    expect(ended.text).toContain('This chat is not watching **bm_s**');
  });
});

it('did_you_mean: the exact command to send, without a snapshot', async () => {
  const snapshot = snapshotsFrom({});
  const ctx = fakeCommandContext({ snapshot });
  await didYouMean({ kind: 'did_you_mean', suggestions: ['/reads bm_a'], unknown: ['foo'] }, ctx);
  expect(en(ctx.replies[0])).toContain('Did you mean `/reads bm_a`?');
  expect(snapshot.calls).toEqual([]);
});
