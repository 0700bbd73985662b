#!/usr/bin/env node
/**
 * The CLI from the unbundled tsc output (dist/cli/index.js) instead of bin/dynaflow.js's bundle,
 * so a CPU profile names dist/<subsystem> files (profile-summary.js groups by them). Same flags.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/internal/unbundled-cli.js run bench/fanout.workflow.js …
 */
import process from 'node:process';
import v8 from 'node:v8';

// As bin/dynaflow.js does, so profiles match what users run.
v8.setFlagsFromString('--heap-growing-percent=150');
const { main } = await import('../../dist/cli/index.js');
process.exitCode = await main(process.argv.slice(2));
