/** A tiny listener list for the "ceiling reached" events of the ledgers. */
export class Listeners {
  readonly #listeners = new Set<() => void>();

  /** Adds `listener`; returns the function that removes it. */
  add(listener: () => void): () => void {
    // Wrapped so that adding the same function twice makes two subscriptions.
    const entry = (): void => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Calls every listener; the ledger's state is already updated, so a throwing listener cannot corrupt it. */
  emit(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
