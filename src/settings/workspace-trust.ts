/**
 * Workspace trust, as users know it from their editor and Claude Code: a cloned repository's own
 * configuration files can start processes (MCP servers), spend money (model remappings, prices that
 * defeat `--max-cost`), or widen what agents may do (custom agent types, allow rules, sandbox
 * settings). They take effect only in a folder the user trusted.
 *
 * Trust is recorded in the user's home (`~/.dynaflow/trusted-folders.json`), never in a file a
 * repository can commit, keyed by the folder's real path and pinned to a fingerprint of those files:
 * when any of them changes, is added or removed, the folder must be trusted again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { UsageError } from '../errors/index.js';
import { realFolder, writePrivateJsonFile } from './internal/home-records.js';

/** Project files that can execute or spend, relative to the project root. */
export const PROJECT_CONFIGURATION_FILES: readonly string[] = [
  path.join('.claude', 'settings.json'),
  path.join('.dynaflow', 'settings.json'),
  path.join('.claude', 'settings.local.json'),
  path.join('.dynaflow', 'settings.local.json'),
  '.mcp.json',
];

/** Project folders of custom agent types (each `*.md` in them counts). */
export const PROJECT_AGENT_DIRECTORIES: readonly string[] = [
  path.join('.dynaflow', 'agents'),
  path.join('.claude', 'agents'),
];

const TRUST_FILE = path.join('.dynaflow', 'trusted-folders.json');
/** A repository cannot make trust checks slow or huge: past these the folder needs trust anyway. */
const MAX_FINGERPRINTED_FILES = 1_000;
const MAX_FINGERPRINTED_BYTES = 16 * 1024 * 1024;

/**
 * - `trusted`: the user trusted this folder and its configuration has not changed since.
 * - `changed`: trusted once, but a configuration file changed: asked again.
 * - `untrusted`: never trusted.
 * - `nothing-to-trust`: the project has none of the files that need trust.
 * - `home`: the project is the user's home folder: its files are the user's own.
 */
export type TrustState = 'trusted' | 'changed' | 'untrusted' | 'nothing-to-trust' | 'home';

export interface ProjectTrust {
  readonly state: TrustState;
  /** Whether the project's configuration may take effect (`trusted`, `nothing-to-trust`, `home`). */
  readonly trusted: boolean;
  /** The project's configuration files that exist, relative to the root. */
  readonly files: readonly string[];
  /** The fingerprint those files have now. */
  readonly fingerprint: string;
}

interface TrustRecord {
  readonly fingerprint: string;
  readonly trustedAt: string;
}

interface TrustStore {
  readonly version: 1;
  readonly folders: Record<string, TrustRecord>;
}

/** Where trust is recorded (in the user's home). */
export function trustStoreFile(homeDir: string = homedir()): string {
  return path.join(homeDir, TRUST_FILE);
}

/**
 * Whether the project's configuration may take effect.
 *
 * @example
 * const trust = checkProjectTrust('/src/cloned-repo');
 * if (!trust.trusted) console.error('run `dynaflow trust` to use this folder\'s configuration');
 */
export function checkProjectTrust(projectRoot: string, homeDir: string = homedir()): ProjectTrust {
  const folder = realFolder(projectRoot);
  const { files, fingerprint } = fingerprintProject(folder);
  if (folder === realFolder(homeDir)) return { state: 'home', trusted: true, files, fingerprint };
  if (files.length === 0) return { state: 'nothing-to-trust', trusted: true, files, fingerprint };
  const record = readStore(homeDir).folders[folder];
  if (!record) return { state: 'untrusted', trusted: false, files, fingerprint };
  if (record.fingerprint !== fingerprint) return { state: 'changed', trusted: false, files, fingerprint };
  return { state: 'trusted', trusted: true, files, fingerprint };
}

/**
 * Records that the user trusts the folder's configuration as it is now. Returns the store's path.
 *
 * @example
 * trustProject(projectRoot); // after the user said yes
 */
export function trustProject(projectRoot: string, homeDir: string = homedir()): string {
  const folder = realFolder(projectRoot);
  const store = readStore(homeDir);
  store.folders[folder] = {
    fingerprint: fingerprintProject(folder).fingerprint,
    trustedAt: new Date().toISOString(),
  };
  return writeStore(homeDir, store);
}

/** Forgets the folder; returns whether it was trusted. */
export function revokeProjectTrust(projectRoot: string, homeDir: string = homedir()): boolean {
  const folder = realFolder(projectRoot);
  const store = readStore(homeDir);
  if (!(folder in store.folders)) return false;
  delete store.folders[folder];
  writeStore(homeDir, store);
  return true;
}

/** Every trusted folder with the time it was trusted. */
export function listTrustedFolders(
  homeDir: string = homedir(),
): { readonly folder: string; readonly trustedAt: string }[] {
  return Object.entries(readStore(homeDir).folders).map(([folder, record]) => ({
    folder,
    trustedAt: record.trustedAt,
  }));
}

/** A hash of every configuration file's path and content; the empty project has its own value. */
function fingerprintProject(folder: string): { files: string[]; fingerprint: string } {
  const candidates = [...PROJECT_CONFIGURATION_FILES];
  for (const directory of PROJECT_AGENT_DIRECTORIES) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path.join(folder, directory)).filter((entry) => entry.endsWith('.md'));
    } catch {
      // no such folder
    }
    candidates.push(...entries.sort().map((entry) => path.join(directory, entry)));
  }
  const hash = createHash('sha256');
  const files: string[] = [];
  let bytes = 0;
  for (const file of candidates.slice(0, MAX_FINGERPRINTED_FILES)) {
    let content: Buffer;
    try {
      content = readFileSync(path.join(folder, file));
    } catch {
      continue;
    }
    files.push(file);
    bytes += content.length;
    hash.update(`${file}\0${content.length}\0`);
    // Past the cap the length still changes the fingerprint, and nobody trusts 16 MiB of settings blindly.
    hash.update(bytes <= MAX_FINGERPRINTED_BYTES ? content : Buffer.alloc(0));
  }
  if (candidates.length > MAX_FINGERPRINTED_FILES) hash.update(`+${candidates.length}`);
  return { files, fingerprint: hash.digest('hex') };
}

function readStore(homeDir: string): { version: 1; folders: Record<string, TrustRecord> } {
  const file = trustStoreFile(homeDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { version: 1, folders: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const folders = (parsed as Partial<TrustStore> | undefined)?.folders;
  if (!folders || typeof folders !== 'object' || Array.isArray(folders)) {
    throw new UsageError('CONFIG_INVALID', `${file} is not a trust store ({ "folders": { … } })`, {
      hint: `Delete ${file} and trust your folders again with: dynaflow trust`,
    });
  }
  const valid: Record<string, TrustRecord> = {};
  for (const [folder, record] of Object.entries(folders as Record<string, unknown>)) {
    const candidate = record as Partial<TrustRecord> | null;
    if (typeof candidate?.fingerprint === 'string' && typeof candidate.trustedAt === 'string') {
      valid[folder] = { fingerprint: candidate.fingerprint, trustedAt: candidate.trustedAt };
    }
  }
  return { version: 1, folders: valid };
}

function writeStore(homeDir: string, store: TrustStore): string {
  const file = trustStoreFile(homeDir);
  writePrivateJsonFile(file, store);
  return file;
}
