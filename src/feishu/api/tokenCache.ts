/**
 * The SDK's token cache, one per client instead of the SDK's module-global
 * one (keyed by appId, shared by every client in the process), and clearable:
 * nothing in the SDK evicts a token Feishu has called invalid.
 */
// The SDK's Cache interface spells the key type `string | Symbol`.
/* eslint-disable @typescript-eslint/no-wrapper-object-types */
export class TokenCache {
  private readonly values = new Map<string | Symbol, { value: unknown; expiresAt?: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string | Symbol): Promise<unknown> {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** `expiresAt` is an absolute epoch-ms time, as the SDK passes it. */
  async set(key: string | Symbol, value: unknown, expiresAt?: number): Promise<boolean> {
    this.values.set(key, { value, expiresAt });
    return true;
  }

  clear(): void {
    this.values.clear();
  }
}
