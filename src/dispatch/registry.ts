/**
 * What the bot reacts to, by name: event types (`im.message.receive_v1`, …),
 * commands (`reads`, `history`, …) and card actions (`refresh`,
 * `stop_watch`, …), one small handler each. bot.ts registers them; the event
 * router, the command pipeline and the card-action guard look them up.
 */
import type { Command, CommandOf } from '../domain/command.js';
import type { CardAction } from '../domain/types.js';
import type { ActionHandler, ActionOf, CommandContext, ActionContext, CommandHandler } from './handlerContext.js';
import type { ActionAnswer } from '../cards/toasts.js';
import type { ActsOn, EventHandler } from '../inbound/events/router.js';
import type { RoutedEvent } from '../inbound/eventInbox.js';

export class Handlers {
  private readonly events = new Map<string, EventHandler>();
  private readonly filters = new Map<string, ActsOn>();
  private readonly commands = new Map<string, (command: Command, ctx: CommandContext) => Promise<void>>();
  private readonly actions = new Map<string, (action: CardAction, ctx: ActionContext) => Promise<ActionAnswer>>();

  /** `actsOn`: which events of the type the bot acts on (default all); the rest may go on (FEISHU_FORWARD_URL). */
  event(eventType: string, handler: EventHandler, actsOn?: ActsOn): this {
    this.events.set(eventType, handler);
    if (actsOn) this.filters.set(eventType, actsOn);
    return this;
  }

  command<K extends Command['kind']>(kind: K, handler: CommandHandler<K>): this {
    this.commands.set(kind, (command, ctx) => handler(command as CommandOf<K>, ctx));
    return this;
  }

  action<A extends CardAction['a']>(name: A, handler: ActionHandler<A>): this {
    this.actions.set(name, (action, ctx) => handler(action as ActionOf<A>, ctx));
    return this;
  }

  eventHandler(eventType: string): EventHandler | undefined {
    return this.events.get(eventType);
  }

  /** Whether the bot acts on the event: its type has a handler, and the handler's filter takes it. */
  actsOn(event: RoutedEvent, botOpenId: string | undefined): boolean {
    if (!this.events.has(event.eventType)) return false;
    return this.filters.get(event.eventType)?.(event, botOpenId) ?? true;
  }

  /** Runs the handler of the command's kind; every kind the parser produces has one (a test checks). */
  runCommand(command: Command, ctx: CommandContext): Promise<void> {
    const handler = this.commands.get(command.kind);
    if (!handler) throw new Error(`no handler registered for the command "${command.kind}"`);
    return handler(command, ctx);
  }

  runAction(action: CardAction, ctx: ActionContext): Promise<ActionAnswer> {
    const handler = this.actions.get(action.a);
    if (!handler) throw new Error(`no handler registered for the card action "${action.a}"`);
    return handler(action, ctx);
  }

  /** What is registered, for tests and logs. */
  names(): { events: string[]; commands: string[]; actions: string[] } {
    return { events: [...this.events.keys()], commands: [...this.commands.keys()], actions: [...this.actions.keys()] };
  }
}
