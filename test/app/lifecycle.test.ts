/**
 * Start, run and stop, on a fake clock: start keeps asking for the bot's
 * identity until Feishu answers, then resumes what was journaled; the claim
 * loop looks every 10 s; shutdown waits for work until its deadline.
 */
import { BotError } from '../../src/domain/errors.js';
import type { JournalEntry } from '../../src/domain/types.js';
import { CLAIM_EVERY_MS, Lifecycle, type LifecycleDeps } from '../../src/app/lifecycle.js';
import { createLogger } from '../../src/app/log.js';
import { FakeClock } from '../support/fakeClock.js';
import { feishuError, gate, journalEntry } from '../support/inProcessBot.js';

function setup(o: Partial<LifecycleDeps> = {}) {
  const clock = new FakeClock(0);
  const log: string[] = [];
  const resumed: JournalEntry[] = [];
  const deps: LifecycleDeps = {
    clock,
    logger: createLogger('silent'),
    botOpenId: async () => 'ou_bot',
    claim: async () => [],
    resume: (entry) => {
      resumed.push(entry);
      log.push(`resume ${entry.text}`);
    },
    started: () => void log.push('started'),
    stopWork: (reason) => void log.push(`stopWork:${reason.code}`),
    drain: async () => log.push('drained'),
    close: async () => void log.push('closed'),
    ...o,
  };
  return { clock, log, resumed, lifecycle: new Lifecycle(deps) };
}

describe('start', () => {
  it('keeps asking for the bot’s identity, backing off, until Feishu answers; then it is ready', async () => {
    const clock = new FakeClock(0);
    const asked: number[] = [];
    let failures = 4;
    const { lifecycle, log } = setup({
      clock,
      botOpenId: async () => {
        asked.push(clock.now());
        if (failures-- > 0) throw feishuError(99991672);
        return 'ou_bot';
      },
    });
    let started = false;
    const starting = lifecycle.start().then(() => (started = true));
    await clock.advance(0);
    expect(lifecycle.botOpenId).toBeUndefined();
    await clock.advance(14_999);
    expect(started).toBe(false);
    expect(log).toEqual([]);
    await clock.advance(1);
    await starting;
    expect(asked).toEqual([0, 1_000, 3_000, 7_000, 15_000]); // 1 s, 2 s, 4 s, 8 s apart
    expect(lifecycle.botOpenId).toBe('ou_bot');
    expect(log).toEqual(['started']);
  });

  it('waits at most 30 s between attempts however long Feishu fails', async () => {
    const clock = new FakeClock(0);
    const asked: number[] = [];
    const { lifecycle } = setup({
      clock,
      botOpenId: async () => {
        asked.push(clock.now());
        throw new BotError('network', 'ECONNREFUSED');
      },
    });
    void lifecycle.start();
    await clock.advance(10 * 60_000);
    const gaps = asked.slice(1).map((t, i) => t - asked[i]!);
    expect(gaps.slice(0, 6)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(Math.max(...gaps)).toBe(30_000);
    await lifecycle.shutdown(0);
  });

  it('resumes the journaled commands it claims, before it starts the rest', async () => {
    const entries = [journalEntry('/reads bm_a'), journalEntry('/reads bm_b')];
    const { lifecycle, resumed, log } = setup({ claim: async () => entries });
    await lifecycle.start();
    expect(resumed).toEqual(entries);
    expect(log).toEqual(['resume /reads bm_a', 'resume /reads bm_b', 'started']);
  });

  it('starts even when it cannot look for journaled commands; looks again 10 s later', async () => {
    const entry = journalEntry('/reads bm_a');
    let claims = 0;
    const { clock, lifecycle, resumed, log } = setup({
      claim: async () => {
        if (claims++ === 0) throw new BotError('unavailable', 'redis down');
        return [entry];
      },
    });
    await lifecycle.start();
    expect(log).toEqual(['started']);
    expect(resumed).toEqual([]);
    await clock.advance(CLAIM_EVERY_MS - 1);
    expect(resumed).toEqual([]);
    await clock.advance(1);
    expect(resumed).toEqual([entry]);
    await lifecycle.shutdown(0);
  });

  it('a shutdown while it is still asking for its identity ends the start without starting', async () => {
    const { clock, lifecycle, log } = setup({ botOpenId: () => Promise.reject(new BotError('timeout', 'slow')) });
    const starting = lifecycle.start();
    await clock.advance(0);
    await lifecycle.shutdown(0);
    await clock.advance(60_000);
    await starting;
    expect(log).not.toContain('started');
    expect(lifecycle.accepting).toBe(false);
  });
});

describe('the claim loop', () => {
  it('looks for unanswered journaled commands every 10 s, and stops looking at shutdown', async () => {
    const claimedAt: number[] = [];
    const orphan = journalEntry('/reads bm_orphan');
    const clock = new FakeClock(0);
    const { lifecycle, resumed } = setup({
      clock,
      claim: async () => {
        claimedAt.push(clock.now());
        return claimedAt.length === 3 ? [orphan] : [];
      },
    });
    await lifecycle.start();
    await clock.advance(3 * CLAIM_EVERY_MS);
    expect(claimedAt).toEqual([0, 10_000, 20_000, 30_000]);
    expect(resumed).toEqual([orphan]);
    await lifecycle.shutdown(0);
    await clock.advance(5 * CLAIM_EVERY_MS);
    expect(claimedAt).toHaveLength(4);
  });
});

describe('shutdown', () => {
  it('reports finished when the work drains before the deadline, and stops taking events first', async () => {
    const work = gate<void>();
    const { clock, lifecycle, log } = setup({ drain: () => work.promise.then(() => log.push('drained')) });
    await lifecycle.start();
    expect(lifecycle.accepting).toBe(true);
    let result: { finished: boolean } | undefined;
    const stopping = lifecycle.shutdown(5_000).then((r) => (result = r));
    expect(lifecycle.accepting).toBe(false);
    await clock.advance(4_000);
    expect(result).toBeUndefined();
    work.resolve();
    await stopping;
    expect(result).toEqual({ finished: true });
    expect(log).toEqual(['started', 'stopWork:cancelled', 'drained', 'closed']);
  });

  it('reports not finished when the work is still running at the deadline, and closes anyway', async () => {
    const { clock, lifecycle, log } = setup({ drain: () => new Promise(() => undefined) });
    await lifecycle.start();
    let result: { finished: boolean } | undefined;
    const stopping = lifecycle.shutdown(5_000).then((r) => (result = r));
    await clock.advance(4_999);
    expect(result).toBeUndefined();
    expect(log).not.toContain('closed');
    await clock.advance(1);
    await stopping;
    expect(result).toEqual({ finished: false });
    expect(log).toEqual(['started', 'stopWork:cancelled', 'closed']);
  });
});
