import type { IncomingMessage } from 'http';

/** A request body read as JSON (and the text it was parsed from, for signatures), or the status and reason it was refused with. */
export type JsonBody = { ok: true; value: unknown; raw: string } | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * Reads a JSON request body within `maxBytes`, in memory only. Everything that could make reading it cost more
 * than its declared size is refused before a byte is read:
 * - a Content-Type other than application/json (a multipart upload, a form…): 415;
 * - any Content-Encoding but identity (a gzip bomb inflates a thousandfold): 415;
 * - a Content-Length over the limit: 413.
 * A body without a length (chunked) is counted as it arrives and refused with 413 the moment it passes the limit.
 * Nothing is parsed before the whole body is in and known to be within the limit.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const type = (req.headers['content-type'] ?? '').split(';');
  const mediaType = type[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return Promise.resolve({ ok: false, status: 415, error: 'the body must be application/json' });
  }
  const charset = type
    .slice(1)
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='));
  if (charset && !['charset=utf-8', 'charset="utf-8"', 'charset=utf8'].includes(charset)) {
    return Promise.resolve({ ok: false, status: 415, error: 'the body must be UTF-8' });
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return Promise.resolve({ ok: false, status: 415, error: 'compressed bodies are not accepted' });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= maxBytes)) {
    return Promise.resolve({ ok: false, status: 413, error: `the body is larger than ${maxBytes} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (result: JsonBody): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        // Stop reading: the rest is never buffered (the response closes the connection, see refuse in app.ts).
        req.pause();
        done({ ok: false, status: 413, error: `the body is larger than ${maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (!text.trim()) return done({ ok: false, status: 400, error: 'the body is empty' });
      try {
        done({ ok: true, value: JSON.parse(text) as unknown, raw: text });
      } catch {
        done({ ok: false, status: 400, error: 'the body is not valid JSON' });
      }
    };
    const onError = (): void => done({ ok: false, status: 400, error: 'the request was not received whole' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
