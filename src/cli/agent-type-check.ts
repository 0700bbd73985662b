/**
 * `validate`'s check of `agentType` literals against the project's agent types. The script
 * checker cannot do it (it knows no project); an unknown type is a warning, as at run time,
 * because real scripts name types (`code-reviewer`) that a given repository may not define.
 */
import { listAgentTypes } from '../settings/index.js';

export interface AgentTypeWarning {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** `agentType: 'name'` with a string literal; computed values are only known at run time. */
const AGENT_TYPE_LITERAL = /\bagentType\s*:\s*(['"`])([^'"`\n$]+)\1/g;

/**
 * @example
 * for (const warning of await unknownAgentTypes(text, projectRoot)) console.log(warning.line, warning.message);
 */
export async function unknownAgentTypes(
  text: string,
  projectRoot: string,
  homeDir?: string,
): Promise<AgentTypeWarning[]> {
  const types = await listAgentTypes(projectRoot, homeDir);
  const known = new Set(types.map((type) => type.name.toLowerCase()));
  const warnings: AgentTypeWarning[] = [];
  for (const match of text.matchAll(AGENT_TYPE_LITERAL)) {
    const name = match[2] ?? '';
    if (known.has(name.toLowerCase())) continue;
    const before = text.slice(0, match.index);
    const line = before.split('\n').length;
    const column = match.index - before.lastIndexOf('\n');
    warnings.push({
      line,
      column,
      message: `unknown agentType "${name}": it runs as general-purpose (known: ${types.map((type) => type.name).join(', ')}; define it in .claude/agents/${name}.md)`,
    });
  }
  return warnings;
}
