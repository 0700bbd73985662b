/**
 * Decides what the simulated model answers: the behaviour module first, then the `@sim`
 * directives, then the defaults (a forced or structured-output tool call with a synthesised
 * input, JSON for a text schema, or a short deterministic text). Protocol-neutral: the encoders
 * turn an Answer into Anthropic or OpenAI wire formats.
 */
import { synthesiseShared } from '../schema-synthesis.js';
import type { BehaviourAnswer, SimBehaviour, SimStopReason, SimToolParam, SimUsage } from '../types.js';
import { hashText, idFrom } from './ids.js';
import { lastToolResults, lastUserText, type PreparedRequest } from './prepared-request.js';

export const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

export type AnswerBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: unknown };

export interface Answer {
  readonly blocks: readonly AnswerBlock[];
  readonly stopReason: SimStopReason;
  readonly stopSequence: string | null;
  /** Reported usage chosen by a behaviour module (wins over the computed numbers). */
  readonly usage?: Partial<SimUsage> | undefined;
}

export interface AnswerContext {
  readonly seed: number;
  readonly attempt: number;
  readonly behaviour: SimBehaviour | undefined;
}

type Draft =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tool'; readonly name: string; readonly input: unknown };

export async function decideAnswer(prepared: PreparedRequest, context: AnswerContext): Promise<Answer> {
  const makeBlocks = (drafts: readonly Draft[]): AnswerBlock[] =>
    drafts.map((draft, index) =>
      draft.kind === 'text'
        ? { type: 'text', text: draft.text }
        : {
            type: 'tool_use',
            id: idFrom('toolu_01', `${prepared.requestHash}:${context.attempt}:${index}`),
            name: draft.name,
            input: draft.input,
          },
    );
  const fromBehaviour = context.behaviour === undefined ? undefined : await askBehaviour(prepared, context);
  if (fromBehaviour !== undefined) {
    const drafts = behaviourDrafts(prepared, fromBehaviour);
    const stopReason =
      fromBehaviour.stopReason ?? (drafts.some((draft) => draft.kind === 'tool') ? 'tool_use' : 'end_turn');
    return applyLimits(prepared, {
      blocks: makeBlocks(drafts),
      stopReason,
      stopSequence: null,
      usage: fromBehaviour.usage,
    });
  }
  const draft = directiveDraft(prepared) ?? defaultDraft(prepared, context.seed);
  return applyLimits(prepared, {
    blocks: makeBlocks([draft]),
    stopReason: draft.kind === 'tool' ? 'tool_use' : 'end_turn',
    stopSequence: null,
  });
}

async function askBehaviour(
  prepared: PreparedRequest,
  context: AnswerContext,
): Promise<BehaviourAnswer | undefined> {
  const { body } = prepared;
  return context.behaviour?.respond({
    ...body,
    sim: {
      protocol: prepared.protocol,
      seed: context.seed,
      directives: prepared.directives,
      assistantTurns: prepared.assistantTurns,
      attempt: context.attempt,
      requestHash: prepared.requestHash,
      firstUserText: prepared.firstUserText,
      lastUserText: lastUserText(body),
      toolResults: lastToolResults(body),
      toolNames: (body.tools ?? []).map((tool) => tool.name),
    },
  });
}

function behaviourDrafts(prepared: PreparedRequest, answer: BehaviourAnswer): Draft[] {
  const drafts: Draft[] = [];
  if (answer.text !== undefined && answer.text !== '') drafts.push({ kind: 'text', text: answer.text });
  for (const call of answer.toolUse ?? []) drafts.push({ kind: 'tool', name: call.name, input: call.input });
  if ('json' in answer) drafts.push(finalJson(prepared, answer.json));
  return drafts;
}

/** `@sim tool` for the k-th assistant turn, then `@sim json` / `@sim reply`. */
function directiveDraft(prepared: PreparedRequest): Draft | undefined {
  const { directives } = prepared;
  const scripted = directives.tools[prepared.assistantTurns];
  if (scripted !== undefined) {
    const input = 'input' in scripted ? scripted.input : toolInput(findTool(prepared, scripted.name));
    return { kind: 'tool', name: scripted.name, input };
  }
  if (directives.json !== undefined) return finalJson(prepared, directives.json.value);
  if (directives.reply !== undefined) return { kind: 'text', text: directives.reply };
  return undefined;
}

function finalJson(prepared: PreparedRequest, value: unknown): Draft {
  const offersStructuredOutput = findTool(prepared, STRUCTURED_OUTPUT_TOOL) !== undefined;
  return offersStructuredOutput && prepared.body.tool_choice?.type !== 'none'
    ? { kind: 'tool', name: STRUCTURED_OUTPUT_TOOL, input: value }
    : { kind: 'text', text: JSON.stringify(value) };
}

function defaultDraft(prepared: PreparedRequest, seed: number): Draft {
  const { body } = prepared;
  const choice = body.tool_choice;
  let tool: SimToolParam | undefined;
  if (choice?.type === 'tool') tool = findTool(prepared, choice.name);
  else if (choice?.type === 'any') tool = findTool(prepared, STRUCTURED_OUTPUT_TOOL) ?? body.tools?.[0];
  else if (choice?.type !== 'none') tool = findTool(prepared, STRUCTURED_OUTPUT_TOOL);
  if (tool !== undefined) return { kind: 'tool', name: tool.name, input: toolInput(tool) };
  if (prepared.textSchema !== undefined)
    return { kind: 'text', text: JSON.stringify(synthesiseShared(prepared.textSchema)) };
  return { kind: 'text', text: defaultText(prepared, seed) };
}

function defaultText(prepared: PreparedRequest, seed: number): string {
  const tag = hashText(`${seed}:${prepared.requestHash}`).slice(0, 8);
  const prompt = prepared.firstUserText
    .split('\n')
    .filter((line) => !line.trim().startsWith('@sim'))
    .join(' ');
  const words = prompt.split(/\s+/).filter((word) => word !== '');
  const head = words.slice(0, 8).join(' ').slice(0, 80);
  const tail = words.length > 8 ? '…' : '';
  return `Simulated answer ${tag} to: ${head === '' ? '(no prompt)' : head}${tail}`;
}

/** A tool input is always a JSON object, whatever the schema (or its absence) says. */
function toolInput(tool: SimToolParam | undefined): unknown {
  const input = synthesiseShared(tool?.input_schema ?? { type: 'object' });
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
}

function findTool(prepared: PreparedRequest, name: string): SimToolParam | undefined {
  return prepared.body.tools?.find((tool) => tool.name === name);
}

/** Stop sequences, then `max_tokens` (≈ 4 characters a token), like the real model would stop. */
function applyLimits(prepared: PreparedRequest, answer: Answer): Answer {
  const stopSequences = prepared.body.stop_sequences ?? [];
  let blocks = [...answer.blocks];
  let stopReason = answer.stopReason;
  let stopSequence: string | null = null;
  if (stopSequences.length > 0) {
    for (let index = 0; index < blocks.length; index++) {
      const block = blocks[index]!;
      if (block.type !== 'text') continue;
      const hit = earliestStop(block.text, stopSequences);
      if (hit === undefined) continue;
      blocks = [...blocks.slice(0, index), { type: 'text', text: block.text.slice(0, hit.at) }];
      stopReason = 'stop_sequence';
      stopSequence = hit.sequence;
      break;
    }
  }
  let remaining = prepared.body.max_tokens * 4;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index]!;
    const size =
      block.type === 'text'
        ? block.text.length
        : block.name.length + JSON.stringify(block.input ?? {}).length;
    if (size <= remaining) {
      remaining -= size;
      continue;
    }
    // A text is cut mid-way; a tool call that does not fit is dropped whole.
    blocks = blocks.slice(0, index);
    if (block.type === 'text' && remaining > 0)
      blocks.push({ type: 'text', text: block.text.slice(0, remaining) });
    stopReason = 'max_tokens';
    stopSequence = null;
    break;
  }
  return { blocks, stopReason, stopSequence, usage: answer.usage };
}

function earliestStop(
  text: string,
  sequences: readonly string[],
): { at: number; sequence: string } | undefined {
  let best: { at: number; sequence: string } | undefined;
  for (const sequence of sequences) {
    if (sequence === '') continue;
    const at = text.indexOf(sequence);
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, sequence };
  }
  return best;
}
