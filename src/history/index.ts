/**
 * Evidence history: period states, comparison with the previous period, remediation deadlines,
 * certificate expiry forecast and trends, computed from the timelines the evidence store loads.
 */
export { comparePeriods, DEFAULT_DEADLINES, periodRef, type CompareOptions, type Deadlines } from './compare.js';
export { buildTrend, MAX_TREND_PERIODS, MIN_TREND_PERIODS, type TrendFramework } from './trend.js';
export { isOpen, periodState, stateIndex, tested, type EndpointTimeline, type HistoryData, type StatePoint, type TimelinePoint } from './timeline.js';
