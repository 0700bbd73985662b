/**
 * The request body captured from a dynaflow agent (internal/capture-request.js), which the
 * reference clients send with only the prompt replaced: DYNAFLOW_BENCH_REQUEST_TEMPLATE names it.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';

const templatePath = process.env.DYNAFLOW_BENCH_REQUEST_TEMPLATE;

/** The captured body, or undefined for a bare request. */
export const template = templatePath ? JSON.parse(readFileSync(templatePath, 'utf8')) : undefined;

/** The template's first user message keeps its shape (string, or blocks whose first text is the prompt). */
export function userContent(prompt) {
  const content = template?.messages?.[0]?.content;
  if (!Array.isArray(content)) return prompt;
  return content.map((block, position) =>
    position === 0 && block.type === 'text' ? { ...block, text: prompt } : block,
  );
}
