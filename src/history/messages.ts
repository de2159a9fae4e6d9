/**
 * The history layer's prose: refusals of a comparison between periods, naming both periods by
 * their labels and dates.
 */

interface PeriodDates { readonly label: string; readonly start: string; readonly end: string }

export const HISTORY = {
  previousOverlaps: (previous: PeriodDates, current: PeriodDates) =>
    `The earlier period (${previous.label}, ${previous.start}..${previous.end}) must end before ${current.label} starts (${current.start}). ` +
    'Compare with a period that ends before this one begins (tlsproof diff EARLIER LATER).',
} as const;
