/**
 * The few WebAssembly APIs we use. Node has them at runtime, but the project's `lib` (ES2023, no
 * DOM) carries no WebAssembly types, so they are declared here instead of widening the lib for
 * everyone.
 */
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

interface WasmNamespace {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  readonly Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  readonly RuntimeError: new (message?: string) => Error;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
