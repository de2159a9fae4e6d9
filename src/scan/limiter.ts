/**
 * Politeness: a global cap on open connections and a smaller cap per IP address (mail servers
 * rate-limit scanners by address). Waiters are served first come, first served per address.
 */
export class ConnectionLimiter {
  private active = 0;
  private readonly perIp = new Map<string, number>();
  private readonly queue: { ip: string; resolve: (release: () => void) => void }[] = [];
  /** Connections opened so far (for statistics). */
  opened = 0;
  /** Largest number of simultaneous connections to one address seen (tests assert the cap). */
  peakPerIp = 0;

  constructor(readonly maxTotal: number, readonly maxPerIp: number) {
    if (maxTotal < 1 || maxPerIp < 1) throw new Error('connection limits must be at least 1');
  }

  private canRun(ip: string): boolean {
    return this.active < this.maxTotal && (this.perIp.get(ip) ?? 0) < this.maxPerIp;
  }

  private take(ip: string): () => void {
    this.active++;
    this.opened++;
    const n = (this.perIp.get(ip) ?? 0) + 1;
    this.perIp.set(ip, n);
    if (n > this.peakPerIp) this.peakPerIp = n;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
      this.pump();
    };
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length && this.active < this.maxTotal; i++) {
      const w = this.queue[i]!;
      if (this.canRun(w.ip)) {
        this.queue.splice(i, 1);
        i--;
        // The slot is taken here, synchronously, so the next waiter sees the new counts.
        w.resolve(this.take(w.ip));
      }
    }
  }

  /** Waits for a slot for `ip`; the returned function releases it (idempotent). */
  async acquire(ip: string): Promise<() => void> {
    if (this.canRun(ip) && !this.queue.some((w) => w.ip === ip)) return this.take(ip);
    return new Promise<() => void>((resolve) => this.queue.push({ ip, resolve }));
  }

  /** Runs `fn` holding a slot for `ip`. */
  async with<T>(ip: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(ip);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}
