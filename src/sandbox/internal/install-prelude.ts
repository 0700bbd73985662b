import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { PRELUDE_FILENAME, PRELUDE_SOURCE } from './prelude.js';

/** The raw host functions the prelude closes over (see prelude.ts for their contract). */
export interface Bridge {
  call(kind: string, payloadJson: string): QuickJSHandle;
  notify(kind: string, text: string): void;
  budgetJson(): string;
  done(kind: string, payload: string): void;
}

export interface PreludeConfig {
  readonly seed: number;
  readonly args: unknown;
  readonly meta: unknown;
}

type Enter = <T>(action: () => T) => T | undefined;
type CallResult = ReturnType<QuickJSContext['callFunction']>;

/**
 * Evaluates the prelude and calls it with the bridge; the result holds the prelude's
 * `start(scriptFunction)` (or the exception). All temporary handles are disposed here.
 */
export function installPrelude(
  vm: QuickJSContext,
  bridge: Bridge,
  config: PreludeConfig,
  enter: Enter,
): CallResult | undefined {
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
      vm.newFunction('call', (kind, payload) => bridge.call(vm.getString(kind), vm.getString(payload))),
    ],
    [
      'notify',
      vm.newFunction('notify', (kind, text) => bridge.notify(vm.getString(kind), vm.getString(text))),
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
    try {
      return enter(() => vm.callFunction(prelude.value, vm.undefined, bridgeObject, configHandle));
    } finally {
      prelude.value.dispose();
    }
  } finally {
    for (const [, handle] of functions) handle.dispose();
    configHandle.dispose();
    bridgeObject.dispose();
  }
}
