export { NO_API_KEY, createOpenAIProvider, type OpenAIProviderOptions } from './openai-adapter.js';
