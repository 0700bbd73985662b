#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the `prepare` script).
import process from 'node:process';
import { main } from '../dist/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
