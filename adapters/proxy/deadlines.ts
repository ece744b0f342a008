// The guard's request deadlines (setTimer/clearTimer effects), kept without one Node timer per request.
// Almost every request is answered long before its deadline (calls wait up to 10 minutes by default), so
// arming and clearing a timer per call is pure overhead (and it churns Node's timer lists). Instead each
// deadline is an entry in a map, and one timer is armed for the earliest one: setting a later deadline or
// clearing one touches only the map. When the timer fires, every deadline that is due fires (in the order
// they fall due) and the timer is armed again for the next one. Deadlines fire on time, never early.

export class Deadlines {
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;
  private readonly fire: (key: string) => void;

  /** `fire(key)` is called once for each deadline that passes without being cleared. */
  constructor(fire: (key: string) => void, now: () => number = () => performance.now()) {
    this.fire = fire;
    this.now = now;
  }

  get size(): number {
    return this.due.size;
  }

  /** Set (or move) the deadline of `key` to `ms` from now. */
  set(key: string, ms: number): void {
    const at = this.now() + ms;
    this.due.delete(key); // keep the map in insertion order = roughly deadline order
    this.due.set(key, at);
    if (at < this.armedAt) this.arm(at);
  }

  clear(key: string): void {
    this.due.delete(key);
  }

  clearAll(): void {
    this.due.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    // Node's timers may fire up to a millisecond early by performance.now(); onTimer re-arms then.
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, Math.ceil(at - this.now())));
  }

  private onTimer(): void {
    this.timer = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    const fired = [...this.due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    for (const [key] of fired) this.due.delete(key);
    let next = Number.POSITIVE_INFINITY;
    for (const at of this.due.values()) if (at < next) next = at;
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const [key] of fired) this.fire(key);
  }
}
