// A cache bounded by bytes (and optionally by entries), least recently used
// out first. A Map keeps insertion order: a hit is moved to the end, eviction
// takes from the front. Every operation is O(1) but eviction, which is O(evicted).

export class ByteLru<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (v: V) => number,
    private readonly maxEntries = Number.POSITIVE_INFINITY,
  ) {}

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** The value, without touching its place in the order. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /**
   * Stores `value`, evicting the least recently used entries until it fits.
   * A value larger than the whole budget is not kept (false): it would only
   * empty the cache for itself.
   */
  set(key: K, value: V): boolean {
    const bytes = this.sizeOf(value);
    this.delete(key);
    if (bytes > this.maxBytes) return false;
    for (const [k, e] of this.map) {
      if (this.map.size < this.maxEntries && this.total + bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
    this.map.set(key, { value, bytes });
    this.total += bytes;
    return true;
  }

  /** Replaces a value in place (same position in the order) if the key is still there; its size is counted anew. */
  replace(key: K, value: V): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    const bytes = this.sizeOf(value);
    this.total += bytes - e.bytes;
    e.value = value;
    e.bytes = bytes;
    // A larger value may take the cache past its budget: the oldest entries go.
    for (const [k, old] of this.map) {
      if (this.total <= this.maxBytes || k === key) break;
      this.map.delete(k);
      this.total -= old.bytes;
    }
    return true;
  }

  delete(key: K): boolean {
    const e = this.map.get(key);
    if (!e) return false;
    this.map.delete(key);
    this.total -= e.bytes;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.total;
  }

  get budget(): number {
    return this.maxBytes;
  }
}
