/**
 * Who may use the bot. Everyone (default); an allow-list of users and/or
 * departments; or, in group chats, only the group's owner and managers.
 * Facts about chats and users are looked up through `lookups` and cached
 * briefly, so a busy group costs one look-up a minute, not one per command.
 */
import type { ChatAdmins } from '../feishu/api/openApi.js';
import { asBotError, type BotError } from '../domain/errors.js';

export type AccessPolicy =
  | { kind: 'everyone' }
  | { kind: 'allowlist'; users: ReadonlySet<string>; departments: ReadonlySet<string> }
  | { kind: 'group_admins' };

export interface Requester {
  chatId: string;
  /** 'p2p', 'group', or 'unknown' (a card callback does not say). */
  chatType: string;
  openId?: string;
  userId?: string;
}

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'not_on_allowlist' | 'not_group_admin' }
  | { allowed: false; reason: 'check_failed'; error: BotError };

export interface AccessLookups {
  chatAdmins(chatId: string): Promise<ChatAdmins>;
  userDepartments(openId: string): Promise<string[]>;
}

export const ACCESS_CACHE_MS = 60_000;

/** A small time-bounded cache of look-ups; failures are not cached. */
class TtlCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}
  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const value = load();
    this.entries.set(key, { value, until: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

export class AccessControl {
  private readonly chats = new TtlCache<ChatAdmins>(ACCESS_CACHE_MS);
  private readonly departments = new TtlCache<string[]>(ACCESS_CACHE_MS);

  constructor(
    private readonly policy: AccessPolicy,
    private readonly lookups: AccessLookups,
    private readonly now: () => number,
  ) {}

  /** A chat's owner and managers, from the same brief cache the policy uses. */
  chatAdmins(chatId: string): Promise<ChatAdmins> {
    return this.chats.get(chatId, this.now(), () => this.lookups.chatAdmins(chatId));
  }

  async isChatAdmin(chatId: string, openId: string | undefined): Promise<boolean> {
    const admins = await this.chatAdmins(chatId);
    return openId !== undefined && (admins.ownerOpenId === openId || admins.managerOpenIds.includes(openId));
  }

  async check(who: Requester): Promise<AccessDecision> {
    const { policy } = this;
    try {
      switch (policy.kind) {
        case 'everyone':
          return { allowed: true };
        case 'allowlist': {
          const ids = [who.openId, who.userId].filter((id): id is string => id !== undefined);
          if (ids.some((id) => policy.users.has(id))) return { allowed: true };
          if (policy.departments.size > 0 && who.openId) {
            const openId = who.openId;
            const depts = await this.departments.get(openId, this.now(), () => this.lookups.userDepartments(openId));
            if (depts.some((d) => policy.departments.has(d))) return { allowed: true };
          }
          return { allowed: false, reason: 'not_on_allowlist' };
        }
        case 'group_admins': {
          if (who.chatType === 'p2p') return { allowed: true }; // the policy is about groups; one-to-one chats stay open
          if (!(await this.chatAdmins(who.chatId)).isGroup) return { allowed: true };
          return (await this.isChatAdmin(who.chatId, who.openId))
            ? { allowed: true }
            : { allowed: false, reason: 'not_group_admin' };
        }
      }
    } catch (e) {
      return { allowed: false, reason: 'check_failed', error: asBotError(e) };
    }
  }
}
