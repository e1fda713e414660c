/**
 * The raw bytes of a request body, as signatures need them, with a size cap;
 * or why not (too large, unknown encoding, cut off), for the caller to answer.
 */
import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; reason: string };

const refuse = (status: 400 | 413 | 415, reason: string): BodyRead => ({ ok: false, status, reason });

const inflaters: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const inflate = encoding === 'identity' ? undefined : inflaters[encoding];
  if (encoding !== 'identity' && !inflate)
    return Promise.resolve(refuse(415, `unsupported content encoding "${encoding}"`));
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve(refuse(413, 'body too large'));
  return new Promise((resolve) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (!chunks) return; // refused already: the answer closes the connection
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        chunks = undefined;
        resolve(refuse(413, 'body too large'));
      }
    });
    req.once('end', () => {
      if (!chunks) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!inflate) return resolve({ ok: true, body });
      try {
        resolve({ ok: true, body: inflate(body, { maxOutputLength: limit }) });
      } catch (e) {
        // By its code, not `instanceof RangeError`: that fails for an error from another realm (a test's VM).
        const tooLarge = (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
        resolve(tooLarge ? refuse(413, 'body too large') : refuse(400, 'cannot decompress body'));
      }
    });
    // Cut off: the answer goes nowhere, but the promise must not hang.
    req.once('close', () => {
      if (!req.complete) resolve(refuse(400, 'request cut off'));
    });
  });
}
