import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';

/** The files served under `/assets/`: the style sheet, the small client script and the icon. */
export const ASSET_FILES = {
  'skillpass.css': 'text/css; charset=utf-8',
  'skillpass.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;

interface Asset {
  body: string;
  etag: string;
  type: string;
}

let cache: Map<string, Asset> | undefined;

function loadAssets(): Map<string, Asset> {
  if (cache) return cache;
  cache = new Map();
  for (const [name, type] of Object.entries(ASSET_FILES)) {
    // The assets folder sits beside src/ and dist/ in the package, so this works from both.
    const body = readFileSync(new URL(`../assets/${name}`, import.meta.url), 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    cache.set(name, { body, etag, type });
  }
  return cache;
}

/**
 * A Hono app serving {@link ASSET_FILES} at `/assets/<name>` (ETag, `Cache-Control: no-cache`,
 * `nosniff`), read from the package's own `assets/` folder: nothing is fetched from a CDN.
 * {@link createPageApp} mounts it; mount it yourself only in an app without that.
 */
export function assetRoutes(): Hono {
  const app = new Hono();
  app.get('/assets/:name', (c) => {
    const asset = loadAssets().get(c.req.param('name'));
    if (asset === undefined) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', asset.etag);
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
  return app;
}
