/**
 * The two dates a report speaks for, said the same way in every renderer: the evidence dates
 * (when the endpoints were observed) and the report date (the day the report speaks for).
 */
import type { ReportModel } from '../model/report-model.js';

/** Earliest and latest observation time of the report's endpoints; null when it has none. */
export function evidenceDates(model: Pick<ReportModel, 'scope'>): { readonly from: string; readonly to: string } | null {
  const times = model.scope.endpoints.map((e) => e.observedAt).filter((t) => !Number.isNaN(Date.parse(t)))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return times.length === 0 ? null : { from: times[0]!, to: times[times.length - 1]! };
}

/** The rule the methodology states, in one place. */
export const DATE_RULE =
  'Findings judge certificate dates at the observation time, which is what the evidence shows: a certificate counts as ' +
  'expired, not yet valid or inside an expiry window by the time it was observed, and re-rendering the same evidence later ' +
  'never changes a finding. Certificate tables add how things stand on the report date, e.g. "expired since" a date ' +
  'between the observation and the report date.';
