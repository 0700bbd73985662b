/** A fixture shared by the settings tests (not used by production code). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach } from 'vitest';

export interface ProjectAndHome {
  readonly project: string;
  readonly home: string;
}

/**
 * Gives every test a fresh project folder and a fresh home folder (where user settings live),
 * removed after it; `use` receives them before each test.
 *
 * @example
 * let project: string; let home: string;
 * useProjectAndHome('dynaflow-settings-', (dirs) => ({ project, home } = dirs));
 */
export function useProjectAndHome(prefix: string, use: (directories: ProjectAndHome) => void): void {
  let current: ProjectAndHome | undefined;
  beforeEach(async () => {
    current = {
      project: await mkdtemp(path.join(tmpdir(), prefix)),
      home: await mkdtemp(path.join(tmpdir(), 'dynaflow-home-')),
    };
    use(current);
  });
  afterEach(async () => {
    if (!current) return;
    await rm(current.project, { recursive: true, force: true });
    await rm(current.home, { recursive: true, force: true });
  });
}
