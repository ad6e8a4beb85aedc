// The container image without a Docker daemon: assembles the runtime file set the way the
// Dockerfile does (each stage's COPY and RUN, in order, in a folder standing for its /app), starts
// the final stage's CMD on an embedded database, and checks that it serves the console at / and
// answers /health. Also checks what the image and compose file promise: the Node line the
// dependencies need, one image for both compose services, no password written into compose.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';
import semver from 'semver';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

// --- the Node line --------------------------------------------------------------------------
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const line = pkg.engines?.node;
check(Boolean(line && semver.validRange(line)), `package.json declares a Node line (${line})`);
check(semver.satisfies(process.version, line), `this Node (${process.version}) is on it`);
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const narrower = Object.entries(lock.packages)
  .filter(([path, p]) => path && p.engines?.node && typeof p.engines.node === 'string' && !semver.subset(line, p.engines.node))
  .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} wants ${p.engines.node}`);
check(narrower.length === 0, `every locked package runs on all of ${line}${narrower.length ? `: ${narrower.join('; ')}` : ''}`);
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const bases = [...dockerfile.matchAll(/^FROM\s+node:(\d+)[^\s]*/gm)].map((m) => m[1]);
check(bases.length > 0 && bases.every((major) => semver.satisfies(`${major}.999.0`, line)), `the Dockerfile's node:${bases.join(', node:')} is on the line`);
check(readFileSync(join(root, 'README.md'), 'utf8').includes(line), 'the README names the same Node line');

// --- compose: one image, secrets from .env ---------------------------------------------------
const compose = loadYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
const apps = Object.entries(compose.services).filter(([name]) => name !== 'db');
check(apps.filter(([, s]) => s.build).length === 1, 'compose builds the image once');
check(new Set(apps.map(([, s]) => s.image)).size === 1 && apps.every(([, s]) => s.image), `both services run one image (${apps.map(([, s]) => s.image).join(', ')})`);
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
check(!/^\s*POSTGRES_PASSWORD:\s*[^$\s]/m.test(text) && !/postgres:\/\/[^:]+:[^$@]+@/.test(text), 'no database password is written into compose; it comes from .env');

// --- the image's file set, stage by stage -----------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'tuntas-image-'));
const stages = [];
let stage;
const env = { ...process.env, npm_config_prefer_offline: 'true', CI: 'true' };
for (const raw of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
  const l = raw.trim();
  if (!l || l.startsWith('#')) continue;
  const [op, ...rest] = l.split(/\s+/);
  const args = rest.join(' ');
  switch (op.toUpperCase()) {
    case 'FROM': {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`;
      stage = { name, dir: join(work, name), env: {}, cmd: null };
      mkdirSync(stage.dir, { recursive: true });
      stages.push(stage);
      break;
    }
    case 'WORKDIR':
      if (args !== '/app') throw new Error(`WORKDIR ${args}: this check maps /app only`);
      break;
    case 'ENV': {
      const [k, v] = args.split('=');
      stage.env[k] = v;
      break;
    }
    case 'COPY': {
      const from = /^--from=(\S+)\s+/.exec(args);
      const paths = (from ? args.slice(from[0].length) : args).split(/\s+/);
      const dest = paths.pop();
      for (const src of paths) {
        const source = from ? join(stages.find((s) => s.name === from[1]).dir, src.replace(/^\/app\/?/, '')) : join(root, src);
        const target = dest.endsWith('/') ? join(stage.dir, dest, src.split('/').pop()) : join(stage.dir, dest);
        if (!existsSync(source)) throw new Error(`COPY ${src}: not found`);
        cpSync(source, target, { recursive: true, verbatimSymlinks: true });
      }
      break;
    }
    case 'RUN':
      console.log(`     [${stage.name}] RUN ${args}`);
      execFileSync('sh', ['-c', args], { cwd: stage.dir, env: { ...env, ...stage.env }, stdio: ['ignore', 'ignore', 'inherit'] });
      break;
    case 'CMD':
      stage.cmd = JSON.parse(args);
      break;
    default: // USER, EXPOSE, HEALTHCHECK, LABEL: nothing to assemble
  }
}
const image = stages.at(-1);
check(existsSync(join(image.dir, 'public', 'index.html')), 'the image holds the console (public/index.html)');
check(!existsSync(join(image.dir, 'src')) && !existsSync(join(image.dir, 'node_modules', 'jest')), 'the image holds no sources and no dev dependencies');

// --- start it and ask --------------------------------------------------------------------------
const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => ok(p));
  });
});
const dataDir = join(work, 'data');
const [cmd, ...cmdArgs] = image.cmd;
const child = spawn(cmd === 'node' ? process.execPath : cmd, cmdArgs, {
  cwd: image.dir,
  env: { PATH: process.env.PATH, ...image.env, PORT: String(port), DATA_DIR: dataDir, ADMIN_PASSWORD: 'image-smoke-password', LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
const base = `http://127.0.0.1:${port}`;
let health;
for (let i = 0; i < 360 && child.exitCode === null; i++) {
  health = await fetch(`${base}/health`).catch(() => undefined);
  if (health?.ok) break;
  await new Promise((r) => setTimeout(r, 500));
}
check(health?.status === 200 && (await health.json()).status === 'ok', 'GET /health answers 200 {status: ok}');
const page = await fetch(`${base}/`).catch(() => undefined);
check(page?.status === 200 && /text\/html/.test(page.headers.get('content-type') ?? '') && /<html/i.test(await page.text()), 'GET / serves the console page');
const vendor = await fetch(`${base}/vendor/preact.mjs`).catch(() => undefined);
check(vendor?.status === 200, 'GET /vendor/preact.mjs serves the library the console imports');
const docs = await fetch(`${base}/docs-json`).catch(() => undefined);
check(docs?.status === 200 && (await docs.json()).openapi?.startsWith('3.'), 'GET /docs-json serves the OpenAPI document');
const lines = out.split('\n').filter(Boolean);
check(lines.some((l) => l.includes(base.replace('127.0.0.1', 'localhost')) || l.includes(`:${port}`)), 'the start-up output names the URL');
const exitedEarly = child.exitCode;
child.kill('SIGTERM');
await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));

if (failures.length) {
  console.log(`the service ${exitedEarly === null ? 'was running' : `had exited with ${exitedEarly}`}; its last output:`);
  console.log(out.split('\n').slice(-40).join('\n'));
  console.log(`(the assembled file set is kept in ${work})`);
  console.log(`\n${failures.length} packaging check(s) failed`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log('\nthe image file set starts and serves the console and /health');
