// Static files of the built renderer: content types, `index.html` for `/` and for unknown paths
// that are not files (the renderer's routes, SPA fallback), and no way out of the folder: `..`
// segments (also percent-encoded) and NUL bytes are refused, and the real path of a file (after
// symbolic links) must lie inside the real folder. When the renderer is not built, `/` answers a
// small page saying how to build it.

import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tandem</title>
</head>
<body>
<h1>Tandem web mode</h1>
<p>The server is running, but the workbench (the renderer) is not built yet.</p>
<p>Build it with <code>npm run build</code> in the Tandem folder, then reload this page.</p>
<p>The API answers under <code>/api/</code> meanwhile.</p>
</body>
</html>
`;

export type StaticResult = 'served' | 'not-found' | 'bad-path';

/** Resolves a request path inside `root`; null for a path that tries to leave it or is malformed. */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/);
  if (segments.some((s) => s === '..')) return null;
  const file = path.resolve(root, `.${path.sep}${segments.filter((s) => s !== '' && s !== '.').join(path.sep)}`);
  return isInside(root, file) ? file : null;
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function statFile(file: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const stat = await fs.stat(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

async function realInside(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    return isInside(realRoot, realFile);
  } catch {
    return false;
  }
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number, cacheControl: string): Promise<void> {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('Content-Length', size);
  res.setHeader('Cache-Control', cacheControl);
  if (req.method === 'HEAD') {
    res.end();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function sendNotBuilt(req: IncomingMessage, res: ServerResponse): void {
  const body = Buffer.from(NOT_BUILT_PAGE, 'utf8');
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Serves a GET or HEAD for a path outside /api/. Files under `assets/` (Vite's content-hashed
 * output) are cached for good; everything else is revalidated. A missing path whose last segment
 * has an extension (a missing asset) is 'not-found'; any other missing path gets index.html.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, staticDir: string | undefined): Promise<StaticResult> {
  const root = staticDir === undefined ? undefined : path.resolve(staticDir);
  // Checked even with no folder to serve, so a traversal attempt is refused the same way.
  const file = resolveInside(root ?? path.resolve('/'), pathname);
  if (file === null) return 'bad-path';
  const index = root === undefined ? null : path.join(root, 'index.html');
  const indexStat = index === null ? null : await statFile(index);

  if (root !== undefined && file !== root) {
    const stat = await statFile(file);
    if (stat) {
      if (!(await realInside(root, file))) return 'bad-path';
      const immutable = path.relative(root, file).split(path.sep)[0] === 'assets';
      await sendFile(req, res, file, stat.size, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return 'served';
    }
    if (path.extname(file) !== '') return 'not-found';
  }
  if (index !== null && indexStat !== null) {
    await sendFile(req, res, index, indexStat.size, 'no-cache');
    return 'served';
  }
  sendNotBuilt(req, res);
  return 'served';
}
