// Reads a request body up to a size limit and a time limit. Beyond the size limit (announced by
// Content-Length or found while reading) the rest is discarded up to a hard cap, so the client is
// still reading when the 413 arrives; a body announced beyond the cap is answered at once (the
// caller sends 413 and closes the connection), one found beyond it while reading gets its
// connection cut. A body that has not arrived in time ends as 'timeout' (a client holding a
// request open forever).

import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' | 'timeout' };

export function readBody(req: IncomingMessage, limit: number, timeoutMs = Infinity): Promise<BodyResult> {
  const discardCap = Math.max(limit * 16, 16 * 1024 * 1024);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > discardCap) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(result);
    };
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs) : null;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > discardCap) {
        req.destroy();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => finish(tooLarge ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish(tooLarge ? { ok: false, reason: 'too-large' } : { ok: false, reason: 'aborted' }));
  });
}
