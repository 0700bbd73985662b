import { describe, expect, it } from 'vitest';

import { ScriptError, UsageError } from './index.js';

describe('DynaflowError.describe', () => {
  it('prefixes file:line:col once, with the hint below', () => {
    const syntax = new ScriptError('SCRIPT_SYNTAX', 'Unexpected token', {
      location: { file: 'broken.workflow.js', line: 4, column: 7 },
      hint: 'Run dynaflow validate.',
    });
    expect(syntax.describe()).toBe('broken.workflow.js:4:7 Unexpected token\n  hint: Run dynaflow validate.');
    // A config error names its file in the message already (it is also shown without the location).
    const config = new UsageError('CONFIG_INVALID', '.dynaflow/settings.json:3: "model" must be a string.', {
      location: { file: '.dynaflow/settings.json', line: 3, column: 1 },
    });
    expect(config.describe()).toBe('.dynaflow/settings.json:3: "model" must be a string.');
  });
});
