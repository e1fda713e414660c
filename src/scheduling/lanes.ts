/**
 * Whose work a task is. Work has a class: a person's command — one from a
 * chat with nothing else waiting, asking for a few ids — goes ahead of bulk
 * (the rest of a chat's backlog, many-id commands) and may use the reserve
 * kept in Feishu's budget; watches come last. Within a class, turns go across
 * chats and then across the people of a chat (fairFlows.ts).
 */
import { WORK_CLASSES, type WorkClass } from '../domain/types.js';

/** A class's rank: lower goes first. */
export const rankOf = (cls: WorkClass): number => WORK_CLASSES.indexOf(cls);

/** Whose work a task is: its class, and the chat and person whose turns it takes. */
export interface Lane {
  cls: WorkClass;
  chat: string;
  person: string;
}

/** A command asking for more ids than this is bulk, even from a chat with nothing else waiting. */
export const PERSON_MAX_CALLS = 3;

/** Calls not made for anyone in particular (e.g. a look-up): a person's class, all in one flow. */
export const ANYONE: Lane = { cls: 'person', chat: '', person: '' };

export function commandLane(work: { chatId: string; person: string; alone: boolean; calls: number }): Lane {
  const cls = work.alone && work.calls <= PERSON_MAX_CALLS ? 'person' : 'bulk';
  return { cls, chat: work.chatId, person: work.person };
}

/**
 * A person's command whose chat has more waiting by the time it starts (a burst
 * arrived behind it) makes its calls as bulk: the reserve and the front of the
 * queue are for chats with nothing else waiting. `pendingInChat` counts it too.
 */
export function laneAtStart(lane: Lane, pendingInChat: number): Lane {
  return lane.cls === 'person' && pendingInChat > 1 ? { ...lane, cls: 'bulk' } : lane;
}

export function watchLane(watch: { chatId: string; startedBy: string }): Lane {
  return { cls: 'watch', chat: watch.chatId, person: watch.startedBy };
}
