/**
 * The official SDK, loaded with `require`. Importing its 6 MB CommonJS file
 * from ESM makes Node scan all of it for export names first, which cost about
 * 0.3 s of every start-up; `require` skips that scan.
 */
import { createRequire } from 'node:module';
import type * as Lark from '@larksuiteoapi/node-sdk';

export type { Lark };
export const lark = createRequire(import.meta.url)('@larksuiteoapi/node-sdk') as typeof Lark;
