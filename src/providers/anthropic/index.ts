export {
  DEFAULT_ANTHROPIC_TIMEOUT_MS,
  createAnthropicProvider,
  type AnthropicProviderOptions,
} from './anthropic-adapter.js';
