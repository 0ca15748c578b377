/**
 * Virtual time for concurrent actors doing real I/O (Azurite, the Graph contract server): a discrete-event
 * scheduler. Time stands still while any actor is working; when every live actor is asleep, it jumps to the
 * earliest wake-up and wakes that one actor. So three dispatchers pacing at 30 mails a minute run in seconds,
 * and what they did is measured in virtual time — exact, whatever the load on the machine — instead of
 * racing wall-clock timers.
 */
export class VirtualClock {
  private t: number;
  private seq = 0;
  private readonly waiters: { at: number; seq: number; wake: () => void }[] = [];
  private live = 0;
  private asleep = 0;
  private scheduled = false;

  constructor(start: number) {
    this.t = start;
  }

  readonly now = (): Date => new Date(this.t);

  /** Runs the actors together; each gets the `sleep` it must use for every wait. */
  async run<T>(actors: ((sleep: (ms: number) => Promise<void>) => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    this.live += actors.length;
    return Promise.allSettled(
      actors.map(async (actor) => {
        try {
          return await actor(this.sleep);
        } finally {
          this.live--;
          this.advanceWhenIdle();
        }
      }),
    );
  }

  private readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => {
      this.waiters.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake });
      this.asleep++;
      this.advanceWhenIdle();
    });

  private advanceWhenIdle(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate: let pending callbacks run first, then look again (an actor may have started I/O meanwhile).
    setImmediate(() => {
      this.scheduled = false;
      if (this.asleep === 0 || this.asleep < this.live) return;
      this.waiters.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.waiters.shift()!;
      this.t = Math.max(this.t, next.at);
      this.asleep--;
      next.wake();
    });
  }
}

/** Most events in any window [t, t + windowMs) — "sends per sliding minute" with windowMs = 60 000. */
export function maxInSlidingWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}
