export { createFoundryProvider, type FoundryProviderOptions } from './foundry-adapter.js';
