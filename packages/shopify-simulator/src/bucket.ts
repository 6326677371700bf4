// Shopify's leaky bucket for the GraphQL Admin API: one bucket per app and store, holding at most
// `maximum` points and refilling continuously at `restoreRate` points per second. A query may run
// only when the bucket holds its whole requested cost; afterwards the difference between requested
// and actual cost is given back.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  readonly maximum: number;
  readonly restoreRate: number;
  private available: number;
  private updatedAt: number;

  constructor(maximum: number, restoreRate: number, now: number) {
    this.maximum = maximum;
    this.restoreRate = restoreRate;
    this.available = maximum;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.maximum, this.available + elapsed * this.restoreRate);
    this.updatedAt = now;
  }

  /** Takes `cost` points if the bucket holds them; false (nothing taken) otherwise. */
  tryTake(cost: number, now: number): boolean {
    this.refill(now);
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number, now: number): void {
    this.refill(now);
    this.available = Math.min(this.maximum, this.available + Math.max(0, points));
  }

  /** Milliseconds until `cost` points are available (0 when they already are). */
  waitMs(cost: number, now: number): number {
    this.refill(now);
    if (cost <= this.available) return 0;
    return Math.ceil(((cost - this.available) / this.restoreRate) * 1000);
  }

  status(now: number): ThrottleStatus {
    this.refill(now);
    return {
      maximumAvailable: this.maximum,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
