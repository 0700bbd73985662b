export { createBedrockProvider, type BedrockProviderOptions } from './bedrock-adapter.js';
