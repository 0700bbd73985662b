/**
 * Preload (`node --import`) for one small dynaflow run: writes the body of its first Messages API
 * request to DYNAFLOW_BENCH_CAPTURE_FILE. The reference clients then send that same body (system
 * prompt, tool definitions, tool_choice) with only the prompt changed, so all three clients put
 * the same bytes on the wire and the comparison measures the runtime, not the payload.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const target = process.env.DYNAFLOW_BENCH_CAPTURE_FILE;
const originalFetch = globalThis.fetch;
let captured = false;
if (target) {
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : String(input.url ?? input);
    if (!captured && url.includes('/v1/messages') && typeof init?.body === 'string') {
      captured = true;
      writeFileSync(target, init.body);
    }
    return originalFetch(input, init);
  };
}
