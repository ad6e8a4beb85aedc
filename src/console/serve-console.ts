import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * The web console: plain ES modules in `public/`, served as they are at `/`, plus the browser
 * libraries it imports (Preact, its hooks, htm), served from node_modules at `/vendor/`. No
 * bundler, no build step. The console calls `/api/v1` with the user's bearer token like any
 * other client, so there is no second authorisation path; these files hold no data.
 *
 * `/sw.js`, the service worker, is served with the list of files to keep for offline use and a
 * version drawn from their contents, so a deploy replaces the cached copy and nobody keeps a
 * hand-written list in step with `public/`.
 */
export function serveConsole(app: NestExpressApplication): void {
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  const preactDir = dirname(require.resolve('preact'));
  const vendor: Record<string, string> = {
    '/vendor/preact.mjs': readFileSync(join(preactDir, 'preact.mjs'), 'utf8'),
    // hooks.mjs imports "preact" by its bare name, which a browser cannot resolve without an
    // import map (an inline script, which the CSP forbids): point it at our copy instead.
    '/vendor/preact-hooks.mjs': readFileSync(join(preactDir, '..', 'hooks', 'dist', 'hooks.mjs'), 'utf8').replaceAll('from"preact"', 'from"/vendor/preact.mjs"'),
    '/vendor/htm.mjs': readFileSync(join(dirname(require.resolve('htm')), 'htm.mjs'), 'utf8'),
  };
  const publicDir = join(root, 'public');
  const shell = ['/', ...filesUnder(publicDir).filter((f) => f !== '/sw.js'), ...Object.keys(vendor)];
  const hash = createHash('sha256');
  for (const f of shell) hash.update(f === '/' ? '' : f.startsWith('/vendor/') ? vendor[f] : readFileSync(join(publicDir, f)));
  const worker = readFileSync(join(publicDir, 'sw.js'), 'utf8')
    .replace('const VERSION = \'dev\';', `const VERSION = '${hash.digest('hex').slice(0, 16)}';`)
    .replace('const SHELL = [];', `const SHELL = ${JSON.stringify(shell)};`);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/sw.js') {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('text/javascript');
      return res.send(worker);
    }
    const body = vendor[req.path];
    if (body === undefined) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/javascript');
    res.send(body);
  });
  // API routes never look on disk: a stat per request is a tenth of a cheap route's time.
  const files = express.static(publicDir, { index: 'index.html', maxAge: 0, redirect: false });
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/') ? next() : files(req, res, next)));
}

/** Every file under `dir`, as a URL path. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}/${e.name}`) : [`${prefix}/${e.name}`]));
}

/** The folder with package.json: `src/console/` in tests, `dist/src/console/` when built. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the console module');
    dir = up;
  }
  return dir;
}
