/**
 * "Run and don't ask again for this workflow here": remembered in the user's home
 * (`~/.dynaflow/approved-workflows.json`), keyed by the project's real path and the workflow's
 * name and pinned to the script's hash — an edited script is asked about again. Never in a file
 * of the project: a repository could commit its own approvals (the project's
 * `.dynaflow/settings.local.json` `approvedWorkflows` of earlier versions is not read). Also reads
 * the `"ultracode": true` switch.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors/index.js';
import { realFolder, writePrivateJsonFile } from '../settings/index.js';

export const LOCAL_SETTINGS_FILE = path.join('.dynaflow', 'settings.local.json');
const APPROVALS_FILE = path.join('.dynaflow', 'approved-workflows.json');

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

/** Where approvals are remembered. */
export function approvalsFile(homeDir: string = os.homedir()): string {
  return path.join(homeDir, APPROVALS_FILE);
}

function approvedTable(approvals: Record<string, unknown>, projectRoot: string): Record<string, string> {
  const projects = approvals['projects'];
  const table =
    projects && typeof projects === 'object'
      ? (projects as Record<string, unknown>)[realFolder(projectRoot)]
      : {};
  return table && typeof table === 'object' && !Array.isArray(table) ? (table as Record<string, string>) : {};
}

/** True when this exact script (name and hash) was approved with "don't ask again" in this project. */
export function isRemembered(
  projectRoot: string,
  name: string,
  scriptHash: string,
  homeDir?: string,
): boolean {
  return approvedTable(readJsonObject(approvalsFile(homeDir)), projectRoot)[name] === scriptHash;
}

/** Remembers the approval, keeping every other one as it was. Returns the file written. */
export function rememberApproval(
  projectRoot: string,
  name: string,
  scriptHash: string,
  homeDir?: string,
): string {
  const file = approvalsFile(homeDir);
  const approvals = readJsonObject(file);
  const projects =
    approvals['projects'] && typeof approvals['projects'] === 'object'
      ? (approvals['projects'] as Record<string, unknown>)
      : {};
  approvals['projects'] = {
    ...projects,
    [realFolder(projectRoot)]: { ...approvedTable(approvals, projectRoot), [name]: scriptHash },
  };
  writePrivateJsonFile(file, approvals);
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
