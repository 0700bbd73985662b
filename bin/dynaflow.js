#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/bundle/ (built by `npm install` through `prepare`).
import process from 'node:process';
import v8 from 'node:v8';

// Small (src/environment): whether this process holds keys to hand over before the CLI loads.
import {
  absorbForwardedDuplicateSignals,
  exitWithLauncher,
  receiveHandedSecrets,
  relaunchWithoutSecrets,
  shouldRelaunch,
} from '../dist/bundle/launcher.js';

// A fan-out makes a lot of short-lived garbage (one HTTP exchange per agent) over a small live set,
// and V8's default lets the old space grow to ~4× what survived the last full GC: 10,000 agents
// peaked at ~320 MB RSS. Growing by 150 % instead keeps that run near 250 MB; 75 % kept it near
// 215 MB but cost ~6 % more CPU in full GCs (measured in alternating runs, see bench/). The flag is
// read at every GC, so setting it in-process needs no re-exec; a user's own `--heap-growing-percent`
// (command line or NODE_OPTIONS) wins.
const HEAP_GROWING_PERCENT = 150;
const nodeFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
const heapFlags = /--heap[-_]growing[-_]percent/.test(nodeFlags)
  ? []
  : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];

// Keys in this process's environment block are readable by any child through /proc/$PPID/environ.
// So with keys, this process only starts the runtime with a clean environment and the keys on a
// pipe (src/environment/relaunch.ts); that runtime takes them first thing, before anything else.
let handedOver = false;
try {
  handedOver = receiveHandedSecrets(process.env);
} catch (error) {
  process.stderr.write(`error: ${error.code}: ${error.describe()}\n`);
  process.exit(2);
}
if (!handedOver && shouldRelaunch(process.env)) {
  process.exitCode = await relaunchWithoutSecrets({ nodeFlags: heapFlags });
} else {
  if (handedOver) {
    absorbForwardedDuplicateSignals();
    exitWithLauncher(process.env);
  }
  for (const flag of heapFlags) v8.setFlagsFromString(flag);
  const { main } = await import('../dist/bundle/cli.js');
  process.exitCode = await main(process.argv.slice(2));
}
