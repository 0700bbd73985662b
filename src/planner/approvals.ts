/**
 * "Run and don't ask again for this workflow here": remembered per project in
 * `.dynaflow/settings.local.json` (the personal, not-committed settings file) under
 * `approvedWorkflows`, keyed by the workflow's name and pinned to the script's hash — an edited
 * script is asked about again. Also reads the `"ultracode": true` switch.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors/index.js';

export const LOCAL_SETTINGS_FILE = path.join('.dynaflow', 'settings.local.json');

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError('CONFIG_INVALID', `${file} is not a JSON object`, {
    hint: `fix or delete ${file}`,
  });
}

function approvedTable(settings: Record<string, unknown>): Record<string, string> {
  const table = settings['approvedWorkflows'];
  return table && typeof table === 'object' && !Array.isArray(table) ? (table as Record<string, string>) : {};
}

/** True when this exact script (name and hash) was approved with "don't ask again" here. */
export function isRemembered(projectRoot: string, name: string, scriptHash: string): boolean {
  return approvedTable(readJsonObject(path.join(projectRoot, LOCAL_SETTINGS_FILE)))[name] === scriptHash;
}

/** Remembers the approval, keeping every other key of the file as it was. */
export function rememberApproval(projectRoot: string, name: string, scriptHash: string): string {
  const file = path.join(projectRoot, LOCAL_SETTINGS_FILE);
  const settings = readJsonObject(file);
  settings['approvedWorkflows'] = { ...approvedTable(settings), [name]: scriptHash };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/**
 * `"ultracode": true` in `.dynaflow/settings.json`, `.dynaflow/settings.local.json` (project) or
 * `~/.dynaflow/settings.json` makes `dynaflow "TASK"` mean `dynaflow ultracode "TASK"`. The
 * project's files win over the personal one, local over shared.
 */
export function ultracodeEnabled(projectRoot: string, homeDir: string = os.homedir()): boolean {
  const files = [
    path.join(homeDir, '.dynaflow', 'settings.json'),
    path.join(projectRoot, '.dynaflow', 'settings.json'),
    path.join(projectRoot, LOCAL_SETTINGS_FILE),
  ];
  let enabled = false;
  for (const file of files) {
    const value = readJsonObject(file)['ultracode'];
    if (typeof value === 'boolean') enabled = value;
  }
  return enabled;
}
