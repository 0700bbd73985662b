/**
 * A question to the person at the terminal (the approval and the workspace-trust questions);
 * tests pass their own answers.
 */
import { createInterface } from 'node:readline/promises';

export interface Prompter {
  ask(question: string): Promise<string>;
  close(): void;
}

export function terminalPrompter(): Prompter {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  return { ask: (question) => readline.question(question), close: () => readline.close() };
}
