export {
  DEFAULT_ANTHROPIC_TIMEOUT_MS,
  createAnthropicProvider,
  type AnthropicProviderOptions,
} from './anthropic-adapter.js';
export { toAnthropicParams } from './request-mapping.js';
export { ResponseAssembler } from './stream-assembler.js';
