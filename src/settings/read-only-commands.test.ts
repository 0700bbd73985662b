import { describe, expect, it } from 'vitest';

import { isReadOnlyCommand } from './index.js';

describe('isReadOnlyCommand', () => {
  it('PM-10 accepts reading commands, pipes and harmless redirections', () => {
    for (const command of [
      'ls -la',
      'cat a.txt | head -5',
      'git log --oneline -n 5',
      'git --no-pager diff HEAD~1',
      'git status && git blame src/a.ts',
      'find . -name "*.ts"',
      'grep -rn "a > b" src 2>/dev/null',
      'rg TODO 2>&1 | wc -l',
      'git branch -a',
    ]) {
      expect(isReadOnlyCommand(command), command).toEqual({ readOnly: true });
    }
  });

  it('PM-11 refuses writes, unknown programs and hidden commands', () => {
    for (const command of [
      'ls > out.txt',
      'cat a >> b',
      'rm -rf x',
      'ls; rm x',
      'ls && touch x',
      'find . -delete',
      'find . -exec rm {} ;',
      'git commit -m x',
      'git branch new-branch',
      'git diff --output=patch.txt',
      'echo $(rm x)',
      'echo `rm x`',
      'sort -o out.txt in.txt',
      'FOO=1 ls',
      'sed -i s/a/b/ file',
    ]) {
      expect(isReadOnlyCommand(command).readOnly, command).toBe(false);
    }
  });
});
