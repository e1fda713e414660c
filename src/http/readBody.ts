/**
 * The raw bytes of a request body, as signatures need them, with a size cap.
 * Rejects with an HttpRefusal when the body is too large or its encoding is
 * unknown; the caller answers it.
 */
import type { IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';

export class HttpRefusal extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const inflaters: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Buffer> = { gzip: gunzipSync, deflate: inflateSync };

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const inflate = encoding === 'identity' ? undefined : inflaters[encoding];
  if (encoding !== 'identity' && !inflate) return Promise.reject(new HttpRefusal(415, `unsupported content encoding "${encoding}"`));
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new HttpRefusal(413, 'body too large'));
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (!chunks) return; // refused already; the rest is read away so the answer can go out on this connection
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        chunks = undefined;
        reject(new HttpRefusal(413, 'body too large'));
      }
    });
    req.once('end', () => {
      if (!chunks) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      if (!inflate) return resolve(body);
      try {
        resolve(inflate(body, { maxOutputLength: limit }));
      } catch (e) {
        reject(e instanceof RangeError ? new HttpRefusal(413, 'body too large') : new HttpRefusal(400, 'cannot decompress body'));
      }
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new HttpRefusal(400, 'request aborted'));
    });
  });
}
