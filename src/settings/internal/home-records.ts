/**
 * Records dynaflow keeps in the user's home about projects (trusted folders, remembered
 * approvals): keyed by a folder's real path, written whole and private.
 */
import { mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The folder's real path (symlinks resolved), so one project has one key however it is reached. */
export function realFolder(folder: string): string {
  try {
    return realpathSync(path.resolve(folder));
  } catch {
    return path.resolve(folder);
  }
}

/**
 * Writes `value` as JSON to a temporary file and renames it over `file` (a crash never leaves half
 * a record), readable by the user only.
 */
export function writePrivateJsonFile(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
