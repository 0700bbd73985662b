#!/usr/bin/env node
/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per module (a dist/ subsystem,
 * an npm package, node internals, GC, idle) and the top functions. Used to find where dynaflow's
 * per-agent overhead goes.
 *
 *   node bench/internal/profile-summary.js /tmp/prof/CPU.*.cpuprofile [top=25]
 */
import console from 'node:console';
import process from 'node:process';
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 25);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map();
for (let index = 0; index < profile.samples.length; index++) {
  const id = profile.samples[index];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}

function moduleOf(url, functionName) {
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (!url) return '(native/builtin)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const distMatch = /\/dist\/([^/]+)/.exec(url);
  if (distMatch) return `dist/${distMatch[1]}`;
  if (url.startsWith('node:')) return url.split('/')[0];
  return url.replace(/^file:\/\//, '');
}

const modules = new Map();
const functions = new Map();
let total = 0;
for (const [id, micros] of selfMicros) {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  total += micros;
  const module = moduleOf(url, functionName);
  modules.set(module, (modules.get(module) ?? 0) + micros);
  const key = `${functionName || '(anonymous)'}  ${module}${url ? `:${lineNumber + 1}` : ''}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
}

const print = (title, entries) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${(micros / 1000).toFixed(0).padStart(8)} ms  ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`,
    );
  }
};
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
print('self time by module', modules);
print('self time by function', functions);
