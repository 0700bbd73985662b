import type { SimStats } from '../types.js';

export interface TokenDelta {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: number;
}

/** Counters behind `GET /_sim/stats`; plain fields because they are touched on every request. */
export class StatsRecorder {
  requests = 0;
  inputTokens = 0;
  outputTokens = 0;
  cacheReadTokens = 0;
  cacheCreationTokens = 0;
  errorsInjected = 0;
  rateLimited = 0;
  #byRoute = new Map<string, number>();

  countRequest(route: string, isApi: boolean): void {
    if (isApi) this.requests += 1;
    this.#byRoute.set(route, (this.#byRoute.get(route) ?? 0) + 1);
  }

  addTokens(delta: TokenDelta): void {
    this.inputTokens += delta.inputTokens;
    this.outputTokens += delta.outputTokens;
    this.cacheReadTokens += delta.cacheReadTokens;
    this.cacheCreationTokens += delta.cacheCreationTokens;
  }

  snapshot(): SimStats {
    return {
      requests: this.requests,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheReadTokens: this.cacheReadTokens,
      cacheCreationTokens: this.cacheCreationTokens,
      errorsInjected: this.errorsInjected,
      rateLimited: this.rateLimited,
      byRoute: Object.fromEntries(this.#byRoute),
    };
  }

  reset(): void {
    this.requests = 0;
    this.inputTokens = 0;
    this.outputTokens = 0;
    this.cacheReadTokens = 0;
    this.cacheCreationTokens = 0;
    this.errorsInjected = 0;
    this.rateLimited = 0;
    this.#byRoute = new Map();
  }
}
