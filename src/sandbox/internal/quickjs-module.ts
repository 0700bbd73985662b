import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  RELEASE_SYNC,
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import { wasm, type WasmModule } from './wasm-api.js';

const WASM_PAGE_BYTES = 65_536;
/** Emscripten's INITIAL_MEMORY of this build: static data, the C stack, QuickJS's own tables. */
const BASE_MEMORY_BYTES = 16 * 1024 * 1024;
/** wasm32 with this build's growth code stops at 2 GiB. */
const MAX_PAGES = 32_768;

let compiled: Promise<WasmModule | undefined> | undefined;

/** Compiles the release-sync QuickJS wasm once per process (a few ms saved on every run). */
function compileOnce(): Promise<WasmModule | undefined> {
  compiled ??= (async () => {
    try {
      const wasmPath = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
      return await wasm.compile(await readFile(wasmPath));
    } catch {
      // Unusual layouts (bundles): let Emscripten locate and compile the file itself.
      return undefined;
    }
  })();
  return compiled;
}

/**
 * A fresh QuickJS instance whose linear memory cannot grow past `memoryBytes` (plus the fixed base).
 *
 * Why not one shared instance: in this build `runtime.setMemoryLimit` only bounds a single
 * allocation, not a runtime's total (Emscripten reports no usable malloc size, so QuickJS never
 * accumulates; quickjs-emscripten issues #255 and #271). A bounded `WebAssembly.Memory` makes
 * `malloc` fail for real, which QuickJS turns into a catchable `InternalError: out of memory`
 * inside the VM, and the host's own memory stays safe. The compiled module is shared, so an
 * instance costs ~1–5 ms. Separate instances also keep a broken run from touching the next one.
 */
export interface IsolatedQuickJS {
  readonly module: QuickJSWASMModule;
  /** True once the VM asked for more memory than its limit (malloc failed inside QuickJS). */
  memoryExhausted(): boolean;
}

export async function newIsolatedQuickJS(memoryBytes: number): Promise<IsolatedQuickJS> {
  const wasmModule = await compileOnce();
  const pages = Math.min(MAX_PAGES, (BASE_MEMORY_BYTES + memoryBytes) / WASM_PAGE_BYTES);
  const size = Math.ceil(pages);
  // Full size up front, never grown: growing detaches the heap's ArrayBuffer, and quickjs-emscripten
  // reads typed-array views across calls that can grow it (newPromise fails under load). Untouched
  // pages cost address space, not RAM.
  const wasmMemory = new wasm.Memory({ initial: size, maximum: size });
  // Emscripten calls grow() only when malloc runs out; at full size that is exactly out-of-memory.
  // QuickJS cannot always report it (with no memory left it throws `null`), so we notice it here.
  let exhausted = false;
  const grow = wasmMemory.grow.bind(wasmMemory);
  Object.defineProperty(wasmMemory, 'grow', {
    value: (delta: number): number => {
      exhausted = true;
      return grow(delta);
    },
  });
  const customised = {
    wasmMemory,
    ...(wasmModule ? { wasmModule } : {}),
    // Emscripten prints a failed QuickJS leak assertion on dispose; dispose-health counts those instead.
    emscriptenModule: { printErr: () => undefined },
  };
  const variant = newVariant(RELEASE_SYNC, customised as Parameters<typeof newVariant>[1]);
  const module = await newQuickJSWASMModuleFromVariant(variant);
  return { module, memoryExhausted: () => exhausted };
}
