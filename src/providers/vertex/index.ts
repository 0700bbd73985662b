export { createVertexProvider, type VertexProviderOptions } from './vertex-adapter.js';
