/**
 * JSON output: the ReportModel itself, validated against its schema on the way out so consumers
 * can rely on the published contract.
 */
import { ReportModelSchema } from '../model/report-model.js';
import type { Renderer } from './types.js';

export const jsonRenderer: Renderer = {
  async render(model) {
    const checked = ReportModelSchema.parse(model);
    return new TextEncoder().encode(`${JSON.stringify(checked, null, 2)}\n`);
  },
};
