import { registerHandlers } from '../../src/app/handlers.js';
import type { Command } from '../../src/domain/command.js';
import type { CardAction } from '../../src/domain/types.js';
import { Handlers } from '../../src/dispatch/registry.js';

// Records, so that a new kind of command or card action fails to compile here until it is listed.
const COMMANDS: Record<Command['kind'], true> = {
  reads: true,
  history: true,
  watch: true,
  delivery: true,
  too_many_ids: true,
  too_long: true,
  invalid_id: true,
  invalid_watch: true,
  did_you_mean: true,
  stop: true,
  help: true,
  send: true,
  sent: true,
};
const ACTIONS: Record<CardAction['a'], true> = {
  refresh: true,
  stop_watch: true,
  extend_watch: true,
  delivery: true,
  query_form: true,
  send_form: true,
  send_preview: true,
  send_confirm: true,
  send_edit: true,
  send_cancel: true,
  send_again: true,
  open_send: true,
  recall: true,
  recall_confirm: true,
  recall_keep: true,
};

it('the bot has a handler for every command the parser produces, every button it draws, and its events', () => {
  const names = registerHandlers().names();
  expect(names.commands.sort()).toEqual(Object.keys(COMMANDS).sort());
  expect(names.actions.sort()).toEqual(Object.keys(ACTIONS).sort());
  expect(names.events.sort()).toEqual(
    ['application.bot.menu_v6', 'im.chat.access_event.bot_p2p_chat_entered_v1', 'im.message.receive_v1'].sort(),
  );
});

it('runs the handler registered for a kind, and refuses one with none', async () => {
  const seen: string[] = [];
  const handlers = new Handlers().command('help', async (command) => {
    seen.push(command.reason);
  });
  const ctx = {} as Parameters<Handlers['runCommand']>[1];
  await handlers.runCommand({ kind: 'help', reason: 'asked' }, ctx);
  expect(seen).toEqual(['asked']);
  expect(() => handlers.runCommand({ kind: 'reads', batchIds: ['bm_a'] }, ctx)).toThrow('no handler registered');
});

it('acts on the events of a registered type (all of them unless the registration says which), and no others', () => {
  const handlers = new Handlers()
    .event('x.all_v1', async () => 'accepted')
    .event(
      'x.some_v1',
      async () => 'accepted',
      (e, botOpenId) => e.eventId === botOpenId,
    );
  const event = (eventType: string, eventId = 'e1') => ({ eventId, eventType, event: {} });
  expect(handlers.actsOn(event('x.all_v1'), undefined)).toBe(true);
  expect(handlers.actsOn(event('x.some_v1', 'ou_bot'), 'ou_bot')).toBe(true);
  expect(handlers.actsOn(event('x.some_v1'), 'ou_bot')).toBe(false);
  expect(handlers.actsOn(event('x.other_v1'), 'ou_bot')).toBe(false);
});
