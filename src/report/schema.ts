/**
 * The JSON Schemas a template author works from, generated from the zod schemas the code uses so
 * they cannot drift: the ReportModel every template sees (templates see only the documented
 * model, nothing internal) and report.config.yaml as an author writes it. Committed under
 * templates/schema/ and copied by `tlsproof templates init`; test/integrity/report-schema.test.ts
 * fails when a committed file is stale (regenerate with that test and `-u`).
 */
import { ReportConfigFileSchema, CONFIG_SCHEMA_ID } from '../config/schema.js';
import type { PublishedSchema } from '../map/schema.js';
import { REPORT_SCHEMA_VERSION, ReportModelSchema } from '../model/report-model.js';
import { EXCEPTIONS_FORMAT, ExceptionsFileSchema } from '../model/exceptions.js';

const REPORT_MODEL_SCHEMA_PATH = `templates/schema/report-model.v${REPORT_SCHEMA_VERSION}.json`;
const REPORT_CONFIG_SCHEMA_PATH = 'templates/schema/report-config.v1.json';
const EXCEPTIONS_SCHEMA_PATH = 'templates/schema/exceptions.v1.json';

export const REPORT_SCHEMAS: readonly PublishedSchema[] = [
  {
    path: REPORT_MODEL_SCHEMA_PATH, schema: ReportModelSchema, io: 'output', from: 'src/model/report-model.ts',
    title: `tlsproof ReportModel (schemaVersion ${REPORT_SCHEMA_VERSION})`,
    description: 'Everything a report template sees (the root context of report.hbs and of text blocks in report.config.yaml), and what `--format json` writes.',
  },
  {
    path: REPORT_CONFIG_SCHEMA_PATH, schema: ReportConfigFileSchema, io: 'input', from: 'src/config/schema.ts',
    title: `tlsproof report.config.yaml (${CONFIG_SCHEMA_ID})`,
    description: 'Branding, classification, sections, text blocks, sign-off, remediation deadlines and fiscal year of a report.',
  },
  {
    path: EXCEPTIONS_SCHEMA_PATH, schema: ExceptionsFileSchema, io: 'input', from: 'src/model/exceptions.ts',
    title: `tlsproof exceptions.yaml (${EXCEPTIONS_FORMAT})`,
    description: 'The exception register: findings accepted as risks, each with what it matches, justification, compensating control, approver, approval date, ticket and expiry.',
  },
];
