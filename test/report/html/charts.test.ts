/** Chart geometry: bars scaled to the largest value, status stacks summing to 100. */
import { describe, expect, it } from 'vitest';
import { severityBars, statusSegments } from '../../../src/report/html/charts.js';

describe('chart helpers', () => {

  it('scales bars to the largest value and stacks statuses to 100', () => {
    const bars = severityBars({ info: 0, low: 1, medium: 2, high: 4, critical: 0, none: 1 });
    expect(bars.map((b) => [b.key, b.width])).toEqual([['critical', 0], ['high', 100], ['medium', 50], ['low', 25], ['info', 0], ['none', 25]]);
    const segs = statusSegments({ fail: 1, warn: 0, 'risk-accepted': 0, pass: 2, evidence: 0, 'not-assessed': 1, 'not-graded': 0 });
    expect(segs.map((s) => [s.key, s.x, s.width])).toEqual([['fail', 0, 25], ['warn', 25, 0], ['risk-accepted', 25, 0], ['pass', 25, 50], ['evidence', 75, 0], ['not-assessed', 75, 25], ['not-graded', 100, 0]]);
  });
});
