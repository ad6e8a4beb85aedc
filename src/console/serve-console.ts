import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The web console: plain ES modules in `public/`, served as they are at `/`, plus the two
 * browser libraries it imports (Preact and htm), served from node_modules at `/vendor/`. No
 * bundler, no build step. The console calls `/api/v1` with the user's bearer token like any
 * other client, so there is no second authorisation path; these files hold no data.
 */
export function serveConsole(app: NestExpressApplication): void {
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  const vendor: Record<string, string> = {
    '/vendor/preact.mjs': join(dirname(require.resolve('preact')), 'preact.mjs'),
    '/vendor/htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
  };
  app.use((req: { method: string; path: string }, res: { type(t: string): void; setHeader(n: string, v: string): void; sendFile(p: string): void }, next: () => void) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? vendor[req.path] : undefined;
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/javascript');
    res.sendFile(file);
  });
  app.useStaticAssets(join(root, 'public'), { index: 'index.html', maxAge: 0, redirect: false });
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
