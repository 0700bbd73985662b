import { DynaflowError } from '../../errors/index.js';
import type { JsonValue, ScriptHost } from '../types.js';

/** What the VM learns about one settled host call (sent as `{ id, ...envelope }` JSON). */
export type Envelope =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly code?: string; readonly message: string; readonly ref: number };

/**
 * Hands one bridge call to the host. It calls the host synchronously, so host calls happen in the
 * order the script made them; whatever goes wrong (bad payload, unknown kind, a host that throws
 * instead of rejecting) becomes a rejection, never an exception in the caller.
 */
export function dispatchHostCall(host: ScriptHost, kind: string, payloadJson: string): Promise<JsonValue> {
  try {
    const payload = JSON.parse(payloadJson) as Record<string, JsonValue | undefined>;
    switch (kind) {
      case 'agent': {
        // The prelude sets the priority; checked again here because the scheduler compares numbers
        // and whatever crosses the border is untrusted.
        const hints = payload['hints'] as { priority?: unknown } | null | undefined;
        const requested = hints !== null && typeof hints === 'object' ? hints.priority : undefined;
        const priority = typeof requested === 'number' && Number.isFinite(requested) ? requested : 0;
        return Promise.resolve(
          host.agent(payload['prompt'] ?? null, payload['options'] ?? null, { priority }),
        );
      }
      case 'exec':
        return Promise.resolve(host.exec(payload['command'] ?? null, payload['options'] ?? null));
      case 'workflow':
        return Promise.resolve(host.workflow(payload['reference'] ?? null, payload['args']));
      default:
        return Promise.reject(new Error(`unknown host call ${kind}`));
    }
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Keeps every host rejection under a numeric ref. Only the ref, code and message enter the VM; an
 * uncaught rejection that comes back out carries its ref, so it leaves the sandbox as the very
 * same error object (with its class, code, hint and retry time) rather than a copy.
 */
export class HostFailures {
  private readonly errors = new Map<number, unknown>();
  private nextRef = 1;

  /** Records `error` and returns the envelope that rejects the script's promise with it. */
  envelope(error: unknown): Envelope {
    const ref = this.nextRef++;
    this.errors.set(ref, error);
    if (DynaflowError.isInstance(error)) return { ok: false, code: error.code, message: error.message, ref };
    return { ok: false, message: error instanceof Error ? error.message : String(error), ref };
  }

  /** Whether `ref` names a recorded host error (the error itself may be `undefined`). */
  has(ref: number | undefined): ref is number {
    return ref !== undefined && this.errors.has(ref);
  }

  original(ref: number): unknown {
    return this.errors.get(ref);
  }
}
