/**
 * The exact secret values a {@link Redactor} hides wherever they appear, with
 * or without a key name beside them: values it was given (the API key, the
 * secret-named variables of the environment agents run in) and values its
 * rules found (a `DB_PASSWORD=…` seen once in a file is hidden when `echo`
 * prints it bare later). Found values are bounded (the oldest are forgotten
 * first); given ones are kept. Values live in memory only: nothing here is
 * written, logged or sent anywhere.
 */

/**
 * Values shorter than this are not hidden by value: hiding every "admin" or
 * "1234" in the output would garble it and protect nothing.
 */
export const MIN_EXACT_SECRET_LENGTH = 8;
/** Found values remembered at most (per redactor, i.e. per process): enough for any workspace's `.env` files. */
export const MAX_LEARNED_SECRETS = 512;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretValues {
  /** Given values, by kind; never forgotten. */
  readonly #given = new Map<string, string>();
  /** Found values, by kind, oldest first. */
  readonly #learned = new Map<string, string>();
  /** All values, longest first (a value containing another is hidden whole); rebuilt on use after a change. */
  #matcher: RegExp | undefined;
  #stale = false;

  get size(): number {
    return this.#given.size + this.#learned.size;
  }

  /** Hide `value` from now on; false (and nothing kept) for a value too short. */
  add(value: string, kind: string): boolean {
    const trimmed = value.trim();
    if (trimmed.length < MIN_EXACT_SECRET_LENGTH) return false;
    this.#learned.delete(trimmed);
    this.#given.set(trimmed, kind);
    this.#stale = true;
    return true;
  }

  /** Remember a value a rule found; true when it was new. */
  learn(value: string, kind: string): boolean {
    if (value.length < MIN_EXACT_SECRET_LENGTH || value.includes('\n')) return false;
    if (this.#given.has(value)) return false;
    // Seen again: it becomes the newest, under the kind it was first found as.
    const known = this.#learned.get(value);
    this.#learned.delete(value);
    this.#learned.set(value, known ?? kind);
    if (this.#learned.size > MAX_LEARNED_SECRETS) {
      const oldest = this.#learned.keys().next().value;
      if (oldest !== undefined) this.#learned.delete(oldest);
    }
    if (known === undefined) this.#stale = true;
    return known === undefined;
  }

  kindOf(value: string): string | undefined {
    return this.#given.get(value) ?? this.#learned.get(value);
  }

  /** Spans of every known value in `text`. */
  find(text: string, found: (start: number, end: number, kind: string) => void): void {
    const matcher = this.#current();
    if (matcher === undefined) return;
    matcher.lastIndex = 0;
    for (let match = matcher.exec(text); match !== null; match = matcher.exec(text)) {
      found(match.index, match.index + match[0].length, this.kindOf(match[0]) ?? 'secret');
    }
  }

  #current(): RegExp | undefined {
    if (this.#stale) {
      this.#stale = false;
      const values = [...this.#given.keys(), ...this.#learned.keys()];
      this.#matcher =
        values.length === 0
          ? undefined
          : new RegExp(
              values
                .sort((a, b) => b.length - a.length)
                .map(escapeRegExp)
                .join('|'),
              'g',
            );
    }
    return this.#matcher;
  }
}
