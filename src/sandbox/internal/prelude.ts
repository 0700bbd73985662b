/**
 * The JavaScript evaluated inside the VM before the script. It defines every script global on top
 * of a tiny "bridge" of raw host functions, so the bridge itself never becomes reachable from the
 * script: the prelude is a function expression that receives the bridge as an argument and returns
 * (to the host only) `start`, which runs the script and reports its outcome, and `settleMany`.
 *
 * Bridge (host side, see sandbox-session.ts):
 * - `call(kind, payloadJson, id, payloadLength)` queues a host call; returns nothing. The promise the script gets is
 *   an ordinary one made here, kept under `id` until the host settles it through `settleMany`.
 * - `notify(kind, text)` for `phase`, `log`, `warn`
 * - `budget()` → `{"total":…,"spent":…}`
 * - `done(kind, payload)` reports the outcome once
 *
 * The prelude returns `{ start, settleMany }` to the host only. `settleMany(json)` takes a JSON array
 * of `{ id, ok, value }` / `{ id, ok: false, code, message, ref }`: the host enters the VM once per
 * macrotask for every result that arrived, instead of once per result.
 *
 * Kept as plain ES2020 text (not TypeScript) because it runs inside QuickJS, not in Node.
 */
export const PRELUDE_FILENAME = 'dynaflow:prelude.js';

export const MAX_ITEMS = 4096;

/** Longest `log`/`phase`/`warn` text handed to the host; longer ones are cut (the host journals them). */
export const MAX_NOTE_CHARS = 64 * 1024;

export const PRELUDE_SOURCE = String.raw`(function (bridge, configJson) {
  'use strict';
  const config = JSON.parse(configJson);
  const G = globalThis;
  // Host error refs. Its methods are taken before the script runs, so a script patching
  // WeakMap.prototype cannot misattribute a host error. (Reading them costs no call here: the
  // prelude's call count shifts where QuickJS's interrupt poll lands in a hot loop, see README.)
  const hostErrors = new WeakMap();
  const apply = Reflect.apply;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const weakMapHas = WeakMap.prototype.has;
  const ownErrors = new WeakSet();
  const weakSetAdd = WeakSet.prototype.add;
  const weakSetHas = WeakSet.prototype.has;
  // Everything that produces text for the host is taken now too: a script that replaces
  // JSON.stringify, String.prototype.slice or Object.prototype.toJSON must not be able to forge a
  // payload, an outcome or an error description (its code, its host ref).
  const stringify = JSON.stringify;
  const sliceString = String.prototype.slice;
  const defineProperty = Object.defineProperty;
  const NativeString = String;
  const MAX_NOTE_CHARS = ${MAX_NOTE_CHARS};
  const MAX_ITEMS = ${MAX_ITEMS};
  // The pipeline stage whose synchronous part is running right now (see README: an approximation).
  let currentStage = 0;

  function makeError(code, message) {
    const error = new Error(message);
    error.code = code;
    apply(weakSetAdd, ownErrors, [error]);
    return error;
  }

  function freezeDeep(value) {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) freezeDeep(value[key]);
    }
    return value;
  }

  function toText(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return NativeString(value);
    try {
      const json = stringify(value);
      return json === undefined ? NativeString(value) : json;
    } catch (_) {
      return NativeString(value);
    }
  }

  // A narrator line, phase title or warning is copied into the host (and its journal): cut it here.
  function note(kind, text) {
    const line = NativeString(text);
    const cut = line.length > MAX_NOTE_CHARS;
    bridge.notify(kind, cut ? apply(sliceString, line, [0, MAX_NOTE_CHARS]) + ' … (cut)' : line);
  }

  // The payload is a null-prototype object, so an inherited toJSON cannot replace its shape.
  function encode(value, what) {
    try {
      return stringify(value);
    } catch (error) {
      throw new TypeError(what + ' must be JSON-serialisable: ' + (error && error.message));
    }
  }

  // ---- host calls ----
  // The intrinsics the settlement path uses are taken now, before the script runs, so a script that
  // replaces Promise, Error, JSON.parse or Map's methods cannot intercept or forge another result.
  const NativePromise = Promise;
  const NativeError = Error;
  const parseJson = JSON.parse;
  const callBridge = bridge.call;
  // [resolve, reject] of every call the host has not settled yet, by id. Its methods are own
  // properties, so they shadow whatever the script does to Map.prototype.
  const waiting = new Map();
  Object.defineProperties(waiting, {
    get: { value: Map.prototype.get },
    set: { value: Map.prototype.set },
    delete: { value: Map.prototype.delete },
  });
  let nextCallId = 1;

  // Plain promises rather than async functions here and in parallel(): QuickJS interprets every
  // frame, and a 10,000-agent fan-out issues all its calls in one synchronous block.
  function hostCall(kind, payloadJson) {
    const id = nextCallId++;
    return new NativePromise((resolve, reject) => {
      callBridge(kind, payloadJson, id, payloadJson.length);
      waiting.set(id, [resolve, reject]);
    });
  }

  // Called by the host only (it is returned to the host, never stored anywhere the script can see).
  function settleMany(settlementsJson) {
    const settlements = parseJson(settlementsJson);
    for (let i = 0; i < settlements.length; i++) {
      const settlement = settlements[i];
      const settle = waiting.get(settlement.id);
      if (settle === undefined) continue;
      waiting.delete(settlement.id);
      if (settlement.ok) {
        settle[0](settlement.value);
      } else {
        const error = new NativeError(settlement.message);
        // Defined, not assigned: a setter the script put on Object.prototype must not run here.
        if (settlement.code !== undefined) {
          defineProperty(error, 'code', { value: settlement.code, writable: true, enumerable: true, configurable: true });
        }
        apply(weakMapSet, hostErrors, [error, settlement.ref]);
        settle[1](error);
      }
    }
  }

  function define(name, value) {
    Object.defineProperty(G, name, { value, writable: false, enumerable: false, configurable: false });
  }

  // ---- determinism: no clock, seeded randomness ----
  const RealDate = Date;
  const clockError = (what) =>
    makeError(
      'NONDETERMINISM',
      what + ' is not available in workflow scripts: a clock breaks resume. Pass timestamps in through args.',
    );
  function SafeDate(...values) {
    if (new.target === undefined) throw clockError('Date()');
    if (values.length === 0) throw clockError('new Date()');
    return Reflect.construct(RealDate, values, new.target);
  }
  const now = function now() {
    throw clockError('Date.now()');
  };
  SafeDate.prototype = RealDate.prototype;
  SafeDate.UTC = RealDate.UTC;
  SafeDate.parse = RealDate.parse;
  SafeDate.now = now;
  RealDate.now = now;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SafeDate, writable: true, configurable: true });
  G.Date = SafeDate;

  // sfc32, seeded from two 32-bit words; 15 warm-up rounds spread a small seed over the state.
  let s0 = config.seedLow >>> 0, s1 = config.seedHigh >>> 0, s2 = 0x9e3779b9, s3 = 0x243f6a88 ^ s0;
  function random() {
    const t = (((s0 + s1) >>> 0) + s3) >>> 0;
    s3 = (s3 + 1) >>> 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) >>> 0;
    s2 = ((s2 << 21) | (s2 >>> 11)) >>> 0;
    s2 = (s2 + t) >>> 0;
    return t / 4294967296;
  }
  for (let i = 0; i < 15; i++) random();
  Math.random = random;

  // ---- script globals ----
  function agent(prompt, options) {
    // As in Claude Code: a prompt that is not text is the script's bug, not an agent to start.
    if (typeof prompt !== 'string') {
      const got = prompt === null ? 'null' : Array.isArray(prompt) ? 'an array' : typeof prompt;
      return Promise.reject(new TypeError('agent(prompt): prompt must be a string, got ' + got));
    }
    const hints = { __proto__: null, priority: currentStage };
    let payload;
    try {
      payload = encode(
        { __proto__: null, prompt, options: options === undefined ? null : options, hints },
        'agent() arguments',
      );
    } catch (error) {
      return Promise.reject(error);
    }
    return hostCall('agent', payload);
  }

  function exec(command, options) {
    let payload;
    try {
      payload = encode({ __proto__: null, command, options: options === undefined ? null : options }, 'exec() arguments');
    } catch (error) {
      return Promise.reject(error);
    }
    return hostCall('exec', payload);
  }

  function workflow(reference, args) {
    let payload;
    try {
      payload = encode({ __proto__: null, reference, args }, 'workflow() arguments');
    } catch (error) {
      return Promise.reject(error);
    }
    return hostCall('workflow', payload);
  }

  function checkItems(name, items) {
    if (!Array.isArray(items)) throw new TypeError(name + '() takes an array');
    if (items.length > MAX_ITEMS) {
      throw makeError(
        'TOO_MANY_ITEMS',
        name + '() got ' + items.length + ' items; the limit is ' + MAX_ITEMS + ' per call. Split the work into batches.',
      );
    }
  }

  function describeFailure(error) {
    return error && typeof error === 'object' && 'message' in error ? String(error.message) : toText(error);
  }

  function parallel(thunks) {
    try {
      checkItems('parallel', thunks);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.all(
      thunks.map((thunk, index) => {
        if (typeof thunk !== 'function') {
          note(
            'warn',
            'parallel(): item ' + index + ' is a ' + (thunk === null ? 'null' : typeof thunk) +
              ', not a function; it yields null. Pass thunks: () => agent(...)',
          );
          return null;
        }
        let started;
        try {
          started = thunk();
        } catch (error) {
          started = Promise.reject(error);
        }
        return Promise.resolve(started).then(undefined, (error) => {
          if (!(error && error.code === 'RUN_CANCELLED')) {
            note('warn', 'parallel(): item ' + index + ' threw and yields null: ' + describeFailure(error));
          }
          return null;
        });
      }),
    );
  }

  function runStage(stage, stageIndex, previous, item, index) {
    const saved = currentStage;
    currentStage = stageIndex;
    try {
      return stage(previous, item, index);
    } finally {
      currentStage = saved;
    }
  }

  function pipeline(items, ...stages) {
    try {
      checkItems('pipeline', items);
      stages.forEach((stage, k) => {
        if (typeof stage !== 'function') throw new TypeError('pipeline(): stage ' + k + ' is not a function');
      });
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.all(
      items.map(async (item, index) => {
        let value = item;
        for (let k = 0; k < stages.length; k++) {
          try {
            value = await runStage(stages[k], k, value, item, index);
          } catch (error) {
            if (!(error && error.code === 'RUN_CANCELLED')) {
              note(
                'warn',
                'pipeline(): item ' + index + ' failed in stage ' + k + ' and yields null: ' + describeFailure(error),
              );
            }
            return null;
          }
        }
        return value;
      }),
    );
  }

  function readBudget() {
    return JSON.parse(bridge.budget());
  }
  const budget = Object.freeze({
    get total() {
      return readBudget().total;
    },
    spent() {
      return readBudget().spent;
    },
    remaining() {
      const state = readBudget();
      return state.total === null ? Infinity : Math.max(0, state.total - state.spent);
    },
  });

  const joinArgs = (values) => values.map(toText).join(' ');
  const console = Object.freeze({
    log: (...values) => note('log', joinArgs(values)),
    info: (...values) => note('log', joinArgs(values)),
    debug: (...values) => note('log', joinArgs(values)),
    warn: (...values) => note('warn', joinArgs(values)),
    error: (...values) => note('warn', joinArgs(values)),
  });

  define('agent', agent);
  define('exec', exec);
  define('workflow', workflow);
  define('parallel', parallel);
  define('pipeline', pipeline);
  define('phase', (title) => note('phase', title));
  define('log', (message) => note('log', toText(message)));
  define('budget', budget);
  define('args', freezeDeep(config.args));
  define('meta', freezeDeep(config.meta));
  define('console', console);

  // ---- outcome ----
  function rejectNonJson(_key, value) {
    if (typeof value === 'function') throw new TypeError('a function is not JSON');
    if (typeof value === 'symbol') throw new TypeError('a symbol is not JSON');
    return value;
  }

  // Null prototype: no inherited toJSON or setter of the script's can touch the description.
  function describeThrow(error) {
    const description = { __proto__: null, isError: false, message: '' };
    try {
      if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
        description.isError = error instanceof NativeError;
        description.name = NativeString(error.name === undefined ? '' : error.name);
        description.message = error.message === undefined ? toText(error) : NativeString(error.message);
        if (typeof error.stack === 'string') description.stack = error.stack;
        if (typeof error.code === 'string') description.code = error.code;
        if (apply(weakMapHas, hostErrors, [error])) description.ref = apply(weakMapGet, hostErrors, [error]);
        description.own = apply(weakSetHas, ownErrors, [error]);
      } else {
        description.message = toText(error);
      }
      return stringify(description);
    } catch (_) {
      return '';
    }
  }

  function report(value) {
    if (value === undefined) return bridge.done('returned', '');
    let json;
    try {
      json = stringify(value, rejectNonJson);
    } catch (error) {
      return bridge.done('unserialisable', NativeString(error && error.message));
    }
    if (json === undefined) return bridge.done('unserialisable', typeof value + ' is not JSON');
    return bridge.done('returned', json);
  }

  // The script's promise is watched with the intrinsic then(), and given an own \`constructor\` whose
  // species is the intrinsic Promise: a script that replaces Promise.prototype.then or its
  // constructor/species cannot intercept the outcome or throw from here into the host. (Not an
  // async function with try/catch: the CPU limit's uncatchable error would skip the catch, while a
  // rejection handler still gets it and can report the script location.)
  const promiseThen = NativePromise.prototype.then;
  const speciesSafe = Object.freeze({ __proto__: null, [Symbol.species]: NativePromise });
  function start(scriptFunction) {
    const running = scriptFunction();
    defineProperty(running, 'constructor', { value: speciesSafe });
    apply(promiseThen, running, [report, (error) => bridge.done('threw', describeThrow(error))]);
  }

  return { start, settleMany };
})`;
