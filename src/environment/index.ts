export { isSecretVariable, scrubEnvironment } from './secret-variables.js';
