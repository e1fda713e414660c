/**
 * The card-action guard chain on its own (createCardActions): a FakeClock and
 * small fakes around it, so a minute of presses or an access check that
 * outlasts the callback's budget takes no real time.
 */
import { AccessControl, type AccessPolicy } from '../../src/dispatch/access.js';
import { answer, type ActionAnswer } from '../../src/cards/toasts.js';
import { createCardActions } from '../../src/dispatch/cardActions.js';
import { Guards } from '../../src/dispatch/guards.js';
import { DEFAULT_QUEUE_LIMITS, PERSON_RATES } from '../../src/domain/limits.js';
import type { ActionContext } from '../../src/dispatch/handlerContext.js';
import { Handlers } from '../../src/dispatch/registry.js';
import { BotError } from '../../src/domain/errors.js';
import { cardActionEvent } from '../../src/dev/demo/feishuEvents.js';
import type { ChatAdmins } from '../../src/feishu/api/openApi.js';
import { createLogger } from '../../src/app/log.js';
import { noMetrics } from '../../src/domain/metrics.js';
import { localRates } from '../../src/scheduling/rates.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { gate } from '../support/inProcessBot.js';

const BUDGET_MS = 2_000;
const REFRESH = { a: 'refresh', ids: ['bm_a'] };

interface Setup {
  policy?: AccessPolicy;
  chatAdmins?: (chatId: string) => Promise<ChatAdmins>;
  accept?: (keys: string[]) => Promise<boolean>;
  accepting?: () => boolean;
}

function setup(o: Setup = {}) {
  const clock = new FakeClock(1_000_000);
  const ran: string[] = [];
  const handlers = new Handlers()
    .action('refresh', async (_action, ctx) => {
      ran.push(ctx.press.operatorOpenId);
      return answer('refreshed');
    })
    .action('stop_watch', async () => answer('watchStopped'));
  const seen = new Set<string>();
  const accept =
    o.accept ??
    (async (keys: string[]) => {
      if (keys.some((k) => seen.has(k))) return false;
      keys.forEach((k) => seen.add(k));
      return true;
    });
  const lookups = {
    chatAdmins: o.chatAdmins ?? (async () => ({ isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] })),
    userDepartments: async () => [],
  };
  const rates = localRates(clock);
  const onCardAction = createCardActions({
    handlers,
    guards: new Guards({
      access: new AccessControl(o.policy ?? { kind: 'everyone' }, lookups, () => clock.now()),
      rates,
      limits: DEFAULT_QUEUE_LIMITS,
    }),
    accept,
    accepting: o.accepting ?? (() => true),
    context: (press, log, inTime) => ({ press, log, inTime }) as unknown as ActionContext,
    present: async (_press, reply) => reply,
    clock,
    logger: createLogger('silent'),
    metrics: noMetrics,
    callbackBudgetMs: BUDGET_MS,
  });
  let n = 0;
  const press = (operatorOpenId: string, o: { eventId?: string; value?: unknown } = {}): Promise<ActionAnswer> => {
    const envelope = cardActionEvent({
      token: 't',
      operatorOpenId,
      messageId: 'om_card',
      chatId: 'oc_group',
      value: o.value ?? REFRESH,
      eventId: o.eventId ?? `ev_${++n}`,
    });
    return onCardAction({
      eventId: envelope.header.event_id!,
      eventType: 'card.action.trigger',
      event: envelope.event,
    });
  };
  return { clock, ran, press };
}

const toastOf = (a: ActionAnswer) => a.toast?.i18n.en_us;

describe('presses per person', () => {
  it('serves 20 presses a minute; the 21st gets "Too many presses" and runs nothing, while another person is served', async () => {
    const { clock, ran, press } = setup();
    for (let i = 0; i < PERSON_RATES.presses.perMinute; i++) {
      expect(toastOf(await press('ou_fast'))).toBe('Refreshed.');
      await clock.advance(1_000);
    }
    const refused = await press('ou_fast');
    expect(refused).toEqual({ toast: expect.objectContaining({ type: 'warning' }) });
    expect(toastOf(refused)).toBe('Too many presses; try again in a moment.');
    expect(ran.filter((who) => who === 'ou_fast')).toHaveLength(PERSON_RATES.presses.perMinute);

    expect(toastOf(await press('ou_other'))).toBe('Refreshed.');
    expect(ran).toContain('ou_other');
  });

  it('lets the person press again once the first press of the minute has slid out of the window', async () => {
    const { clock, press } = setup();
    for (let i = 0; i < PERSON_RATES.presses.perMinute; i++) await press('ou_fast'); // all at one moment
    expect(toastOf(await press('ou_fast'))).toBe('Too many presses; try again in a moment.');
    await clock.advance(59_000);
    expect(toastOf(await press('ou_fast'))).toBe('Too many presses; try again in a moment.');
    await clock.advance(1_000);
    expect(toastOf(await press('ou_fast'))).toBe('Refreshed.');
  });

  it('does not count a refused press against the person', async () => {
    const { clock, press } = setup();
    for (let i = 0; i < PERSON_RATES.presses.perMinute; i++) await press('ou_fast');
    for (let i = 0; i < 5; i++) await press('ou_fast'); // refused: must not push the window further out
    await clock.advance(60_000);
    for (let i = 0; i < PERSON_RATES.presses.perMinute; i++) expect(toastOf(await press('ou_fast'))).toBe('Refreshed.');
  });
});

it('ignores a redelivered press (same event_id): answers {} and runs nothing', async () => {
  const { ran, press } = setup();
  expect(toastOf(await press('ou_a', { eventId: 'ev_same' }))).toBe('Refreshed.');
  expect(await press('ou_a', { eventId: 'ev_same' })).toEqual({});
  expect(ran).toEqual(['ou_a']);
});

it('answers "busy" when the access check outlasts the callback budget, and runs nothing', async () => {
  const held = gate<ChatAdmins>();
  const { clock, ran, press } = setup({ policy: { kind: 'group_admins' }, chatAdmins: () => held.promise });
  let answered: ActionAnswer | undefined;
  const pressed = press('ou_owner').then((a) => (answered = a));
  await clock.advance(BUDGET_MS - 1);
  expect(answered).toBeUndefined();
  await clock.advance(1);
  await pressed;
  expect(toastOf(answered!)).toBe('The bot is busy; try again in a moment.');
  held.resolve({ isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] }); // arrives too late
  await settle();
  expect(ran).toEqual([]);
});

it('runs the action when the access check answers within the budget', async () => {
  const held = gate<ChatAdmins>();
  const { clock, ran, press } = setup({ policy: { kind: 'group_admins' }, chatAdmins: () => held.promise });
  const pressed = press('ou_owner');
  await clock.advance(BUDGET_MS - 1);
  held.resolve({ isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] });
  expect(toastOf(await pressed)).toBe('Refreshed.');
  expect(ran).toEqual(['ou_owner']);
});

it('refuses someone the access policy does not allow, with a toast', async () => {
  const { ran, press } = setup({ policy: { kind: 'group_admins' } });
  expect(toastOf(await press('ou_member'))).toBe('Sorry, you may not use this bot here.');
  expect(ran).toEqual([]);
});

it('says the bot is restarting while it does not take events', async () => {
  const { ran, press } = setup({ accepting: () => false });
  expect(toastOf(await press('ou_a'))).toBe('The bot is restarting; try again shortly.');
  expect(ran).toEqual([]);
});

it('answers "unknown action" to a value that is not one of its buttons, without recording it', async () => {
  let accepted = 0;
  const { press } = setup({ accept: async () => (accepted++, true) });
  expect(toastOf(await press('ou_a', { value: { a: 'launch_rockets' } }))).toBe('Unknown action.');
  expect(accepted).toBe(0);
});

it('answers "temporarily unavailable" when the shared state cannot be reached, and is served once it can', async () => {
  let down = true;
  const { ran, press } = setup({
    accept: async () => {
      if (down) throw new BotError('unavailable', 'redis down');
      return true;
    },
  });
  expect(toastOf(await press('ou_a'))).toBe('The bot is temporarily unavailable; try again shortly.');
  expect(ran).toEqual([]);
  down = false;
  expect(toastOf(await press('ou_a'))).toBe('Refreshed.');
});

it('passes on an error that is not the shared state being out of reach (the front door logs it)', async () => {
  const { press } = setup({
    accept: async () => {
      throw new Error('a bug');
    },
  });
  await expect(press('ou_a')).rejects.toThrow('a bug');
});

it('a button whose action has no registered handler is an error for the front door to log, not an answer', async () => {
  const clock = new FakeClock(0);
  const onCardAction = createCardActions({
    handlers: new Handlers(),
    guards: new Guards({
      access: new AccessControl(
        { kind: 'everyone' },
        { chatAdmins: async () => ({ isGroup: false, managerOpenIds: [] }), userDepartments: async () => [] },
        () => clock.now(),
      ),
      rates: localRates(clock),
      limits: DEFAULT_QUEUE_LIMITS,
    }),
    accept: async () => true,
    accepting: () => true,
    context: (press, log, inTime) => ({ press, log, inTime }) as unknown as ActionContext,
    present: async (_press, reply) => reply,
    clock,
    logger: createLogger('silent'),
    metrics: noMetrics,
  });
  const envelope = cardActionEvent({
    token: 't',
    operatorOpenId: 'ou_a',
    messageId: 'om_c',
    chatId: 'oc_c',
    value: REFRESH,
  });
  await expect(
    onCardAction({ eventId: 'ev_x', eventType: 'card.action.trigger', event: envelope.event }),
  ).rejects.toThrow('no handler registered for the card action "refresh"');
});
