/**
 * A one-line progress bar for terminals: done / total, rate, errors and blocked endpoints. It
 * redraws at most ten times a second and prints nothing at all when the output is not a TTY.
 */
interface ProgressCounts {
  readonly done: number;
  readonly total: number;
  readonly errors: number;
  readonly blocked: number;
  readonly elapsedMs: number;
}

export function formatProgress(c: ProgressCounts, width = 24): string {
  const frac = c.total > 0 ? Math.min(1, c.done / c.total) : 0;
  const filled = Math.round(frac * width);
  const rate = c.elapsedMs > 0 ? (c.done * 1000) / c.elapsedMs : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${c.done}/${c.total} endpoints  ${rate.toFixed(1)}/s  ` +
    `errors ${c.errors}  blocked ${c.blocked}`;
}

export class ProgressBar {
  private last = 0;
  private shown = false;

  constructor(private readonly write: (s: string) => void, private readonly enabled: boolean) {}

  update(c: ProgressCounts, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    this.write(`\r${formatProgress(c)}\x1b[K`);
  }

  /** Ends the bar's line so later output starts clean. */
  done(c: ProgressCounts): void {
    if (!this.enabled) return;
    this.update(c, true);
    if (this.shown) this.write('\n');
  }
}
