/**
 * Pacing for a batch: a token bucket for StartDICOMImportJob's request rate, and the region's
 * default concurrency quota. Time comes from the runner's clock, so a benchmark's fast clock paces
 * the same way a real one does.
 */

/** Concurrent import jobs per data store (adjustable quota): 100, 20 in Asia Pacific (Sydney). */
export function defaultConcurrency(region: string): number {
  return region === 'ap-southeast-2' ? 20 : 100;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError('a token bucket needs a positive rate and a burst of at least 1');
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  /** Takes a token and returns 0, or returns how many ms until one is there (nothing taken). */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
