// A budget of render time per second, for renders a client can ask for without
// bound (every distinct ?from=&to= of the chronology or the map is a new
// page): past it, a request waits for the next second, and past `maxWaiting`
// waiting requests it is refused (the caller answers 503). A burst from one
// client is served a little later, not refused, and cannot hold the renderer.

export class RenderBudget {
  /** Time spent on renders in the current one-second window. */
  private window = { start: 0, spent: 0 };
  private waiting = 0;

  constructor(private readonly msPerSecond: number, private readonly maxWaiting: number) {}

  /** Waits until the current second's budget allows one more render; false when too many already wait. */
  async turn(): Promise<boolean> {
    for (;;) {
      const now = performance.now();
      if (now - this.window.start >= 1000) this.window = { start: now, spent: 0 };
      if (this.window.spent < this.msPerSecond) return true;
      if (this.waiting >= this.maxWaiting) return false;
      this.waiting += 1;
      await new Promise((r) => setTimeout(r, this.window.start + 1000 - now));
      this.waiting -= 1;
    }
  }

  /** Counts a render's time against the current window. */
  spend(ms: number): void {
    this.window.spent += ms;
  }
}
