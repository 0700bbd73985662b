// The head-and-tail output limit is the shell runner's; Grep truncates its text the same way.
export { BoundedOutput, DEFAULT_OUTPUT_LIMIT, limitText } from '../../shell/index.js';
