export { McpHub } from './mcp-hub.js';
export type { McpHubOptions } from './mcp-hub.js';
export { parseMcpServers } from './mcp-config.js';
export type { HttpServerConfig, McpServerConfig, StdioServerConfig } from './mcp-config.js';
export { mcpToolName } from './internal/tool-bridge.js';
