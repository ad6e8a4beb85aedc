// Prints the top frames of a V8 CPU profile (node --cpu-prof): self time per function, and the
// inclusive time of the frames whose names match BENCH_PROFILE_FOCUS (a regex), for the note.
//   node bench/profile-top.mjs <file.cpuprofile> [n]
import { readFileSync } from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const label = (node) => {
  const f = node.callFrame;
  const where = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'} ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
};

const self = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const key = label(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + us);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const k = label(byId.get(at));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('-- self');
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${pct(us)}  ${k}`);
// Self time per package (node_modules/<pkg>), the service's own code, and Node's internals.
const byPackage = new Map();
for (const [id, us] of selfUs) {
  const url = byId.get(id).callFrame.url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  const key = m ? m[1] : /\/(dist|src)\//.test(url) ? 'tuntas' : url.startsWith('node:') ? 'node' : url ? 'other' : byId.get(id).callFrame.functionName || '(native)';
  byPackage.set(key, (byPackage.get(key) ?? 0) + us);
}
console.log('-- self, by package');
for (const [k, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${pct(us)}  ${k}`);
const focus = process.env.BENCH_PROFILE_FOCUS;
if (focus) {
  console.log(`-- inclusive, frames matching /${focus}/`);
  const re = new RegExp(focus);
  for (const [k, us] of [...inclusive].filter(([k]) => re.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${pct(us)}  ${k}`);
}
