/**
 * A bound on the turns in progress in this process, with a first-come, first-served queue in front of it.
 *
 * With every incoming activity started at once, a process with 100 turns in flight interleaves them all: each await
 * of a turn goes to the back of a queue 100 turns long, so a turn with many steps (an escalation writes a ticket,
 * its delivery and the state) waits many times over, and every turn's time grows with the number in flight. With a
 * bound, a turn's time is its wait in line plus its own work among a few others, in order of arrival.
 *
 * A request that waited `maxWaitMs` without a free slot is not run: the caller answers 503 with Retry-After, so the
 * channel sends it again later instead of giving up on an answer that comes after its own timeout.
 */
export class TurnAdmission {
  private active = 0;
  /** Waiting requests in order of arrival; `head` is the first still waiting (no shift of a long array). */
  private readonly waiting: Waiter[] = [];
  private head = 0;
  private live = 0;

  constructor(
    readonly maxConcurrent: number,
    readonly maxWaitMs: number,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent <= 0) throw new Error('maxConcurrent must be a positive integer');
    if (!(maxWaitMs >= 0)) throw new Error('maxWaitMs must be a number of milliseconds');
  }

  /** Turns running now, and requests waiting for a slot. */
  get inProgress(): number {
    return this.active;
  }

  get queued(): number {
    return this.live;
  }

  /** Runs `work` once a slot is free, in order of arrival; 'busy' if none was free within maxWaitMs. */
  async run<T>(work: () => Promise<T>): Promise<{ admitted: true; value: T } | { admitted: false }> {
    if (!(await this.acquire())) return { admitted: false };
    try {
      return { admitted: true, value: await work() };
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<boolean> {
    if (this.active < this.maxConcurrent && this.queued === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        // Left in the array, marked gone: release() skips it.
        waiter.timer = undefined;
        waiter.gone = true;
        this.live--;
        resolve(false);
      }, this.maxWaitMs);
      this.waiting.push(waiter);
      this.live++;
    });
  }

  /** The slot goes straight to the first request still waiting, or is freed. */
  private release(): void {
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]!;
      if (next.gone) continue;
      clearTimeout(next.timer);
      this.live--;
      this.compact();
      next.resolve(true);
      return;
    }
    this.compact();
    this.active--;
  }

  private compact(): void {
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

interface Waiter {
  resolve: (admitted: boolean) => void;
  timer: NodeJS.Timeout | undefined;
  gone?: boolean;
}
