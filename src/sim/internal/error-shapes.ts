/** Error bodies exactly as the real APIs send them. */

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const ANTHROPIC_ERROR_MESSAGES: Record<string, string> = {
  rate_limit_error: 'Number of requests has exceeded your rate limit (simulated).',
  overloaded_error: 'Overloaded (simulated).',
  api_error: 'Internal server error (simulated).',
};

export function anthropicErrorType(status: number): string {
  return ANTHROPIC_ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function anthropicErrorBody(status: number, requestId: string, message?: string): object {
  const type = anthropicErrorType(status);
  return {
    type: 'error',
    error: { type, message: message ?? ANTHROPIC_ERROR_MESSAGES[type] ?? `Simulated ${status} error.` },
    request_id: requestId,
  };
}

export function openaiErrorBody(status: number, message?: string, param: string | null = null): object {
  if (status === 429) {
    return {
      error: {
        message: message ?? 'Rate limit reached for requests (simulated).',
        type: 'requests',
        param,
        code: 'rate_limit_exceeded',
      },
    };
  }
  const type = status >= 500 ? 'server_error' : status === 404 ? 'not_found_error' : 'invalid_request_error';
  return { error: { message: message ?? `Simulated ${status} error.`, type, param, code: null } };
}
