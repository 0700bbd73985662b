import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { MAX_NOTE_CHARS, PRELUDE_FILENAME, PRELUDE_SOURCE } from './prelude.js';

/** A cut note: MAX_NOTE_CHARS plus the prelude's short "(cut)" marker. */
const MAX_LINE = MAX_NOTE_CHARS + 16;

/** The raw host functions the prelude closes over (see prelude.ts for their contract). */
export interface Bridge {
  /**
   * Queues a host call; its result comes back later through the prelude's `settleMany`. The
   * payload's length comes first so the host can refuse it before copying it out of the VM;
   * `readPayload` works only during this call.
   */
  call(kind: string, id: number, payloadChars: number, readPayload: () => string): void;
  notify(kind: string, text: string): void;
  budgetJson(): string;
  done(kind: string, payload: string): void;
}

export interface PreludeConfig {
  readonly seed: number;
  readonly args: unknown;
  readonly meta: unknown;
}

/** The two prelude functions the host keeps; the caller owns (and disposes) both handles. */
export interface InstalledPrelude {
  /** `start(scriptFunction)`: runs the script and reports its outcome through `bridge.done`. */
  readonly start: QuickJSHandle;
  /** `settleMany(json)`: settles a batch of host calls by id (see prelude.ts). */
  readonly settleMany: QuickJSHandle;
}

type Enter = <T>(action: () => T) => T | undefined;
type InstallResult =
  { readonly value: InstalledPrelude; readonly error?: undefined } | { readonly error: QuickJSHandle };

/**
 * Evaluates the prelude and calls it with the bridge; the result holds the prelude's `start` and
 * `settleMany` (or the exception). All temporary handles are disposed here.
 */
export function installPrelude(
  vm: QuickJSContext,
  bridge: Bridge,
  config: PreludeConfig,
  enter: Enter,
): InstallResult | undefined {
  const seed = Number.isFinite(config.seed) ? Math.trunc(config.seed) : 0;
  const configJson = JSON.stringify({
    seedLow: seed >>> 0,
    seedHigh: Math.floor(seed / 2 ** 32) >>> 0,
    args: config.args,
    meta: config.meta,
  });
  const bridgeObject = vm.newObject();
  const functions: Array<[string, QuickJSHandle]> = [
    [
      'call',
      vm.newFunction('call', (kind, payload, id, chars) => {
        // `chars` is the payload's length, measured by the prelude on a string it made itself.
        bridge.call(vm.getString(kind), vm.getNumber(id), vm.getNumber(chars), () => vm.getString(payload));
      }),
    ],
    [
      'notify',
      vm.newFunction('notify', (kind, text) => {
        // The prelude already cuts the text; this net keeps a long one out of the host regardless.
        const line = vm.getString(text);
        bridge.notify(vm.getString(kind), line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
      }),
    ],
    ['budget', vm.newFunction('budget', () => vm.newString(bridge.budgetJson()))],
    [
      'done',
      vm.newFunction('done', (kind, payload) => bridge.done(vm.getString(kind), vm.getString(payload))),
    ],
  ];
  const configHandle = vm.newString(configJson);
  try {
    for (const [name, handle] of functions) vm.setProp(bridgeObject, name, handle);
    const prelude = enter(() => vm.evalCode(PRELUDE_SOURCE, PRELUDE_FILENAME, { type: 'global' }));
    if (!prelude || prelude.error) return prelude;
    let made: ReturnType<QuickJSContext['callFunction']> | undefined;
    try {
      made = enter(() => vm.callFunction(prelude.value, vm.undefined, bridgeObject, configHandle));
    } finally {
      prelude.value.dispose();
    }
    if (!made || made.error) return made;
    const functionsObject = made.value;
    try {
      return {
        value: {
          start: vm.getProp(functionsObject, 'start'),
          settleMany: vm.getProp(functionsObject, 'settleMany'),
        },
      };
    } finally {
      functionsObject.dispose();
    }
  } finally {
    for (const [, handle] of functions) handle.dispose();
    configHandle.dispose();
    bridgeObject.dispose();
  }
}
