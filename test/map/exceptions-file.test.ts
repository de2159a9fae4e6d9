/**
 * The exception register loader on real files: the shipped example validates (loader and published
 * JSON Schema), and every refusal names file:line:column, the path and what to do.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../src/errors.js';
import { addMonths, exceptionsPathFor, loadExceptions, type ExceptionRules } from '../../src/map/exceptions-file.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => `test/fixtures/exceptions/${name}`;
let rules: ExceptionRules;

beforeAll(() => {
  rules = { frameworks: loadMappings({ builtInDir: builtInMappingsDir() }).frameworks };
});

async function refusal(file: string, extra: Partial<ExceptionRules> = {}): Promise<ReportError> {
  const err = await loadExceptions(join(root, file), { ...rules, ...extra }, file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ReportError);
  expect((err as ReportError).code).toBe('exceptions-invalid');
  return err as ReportError;
}

describe('exceptions.yaml loader', () => {
  it('the shipped example validates as shipped, against the loader and the published JSON Schema', async () => {
    const loaded = await loadExceptions(join(root, 'templates/exceptions.example.yaml'), rules);
    expect(loaded.entries.map((e) => e.id)).toEqual(['EXC-2026-001']);
    expect(loaded.entries[0]!.line).toBe(26);
    expect(loaded.maxMonths).toBe(12);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    const schema = JSON.parse(readFileSync(join(root, 'templates/schema/exceptions.v1.json'), 'utf8')) as object;
    const { parse } = await import('yaml');
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(parse(readFileSync(join(root, 'templates/exceptions.example.yaml'), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('loads a register with every kind of match and records each entry\'s line', async () => {
    const loaded = await loadExceptions(join(root, fixture('q3.yaml')), rules, fixture('q3.yaml'));
    expect(loaded.file).toBe(fixture('q3.yaml'));
    expect(loaded.entries.map((e) => [e.id, e.line])).toEqual([
      ['EXC-LEGACY-PROTO', 4], ['EXC-LEGACY-CRYPTO', 14], ['EXC-WRONGHOST', 26], ['EXC-OLD-SSLV3', 36], ['EXC-EXACT-HOST', 45], ['EXC-BEAST', 55],
    ]);
  });

  it.each([
    ['missing-field.yaml', ['missing-field.yaml:3:5: exceptions[0].justification: required key "justification" is missing']],
    ['unknown-check.yaml', ['unknown-check.yaml:5:29: exceptions[0].match.checks[1]: unknown check id "proto-tls1O" (did you mean "proto-tls10"?)']],
    ['unknown-control.yaml', [
      'unknown-control.yaml:5:35: exceptions[0].match.controls[1]: framework "pci-dss" has no control "4.2.9" (did you mean "4.2.1"?); list its controls with: tlsproof controls pci-dss.',
      'unknown-control.yaml:14:18: exceptions[1].match.controls[0]: unknown framework "pci"; known frameworks:',
    ]],
    ['bad-date.yaml', ['bad-date.yaml:9:17: exceptions[0].approvedOn: is not a calendar date (check the month and the day); found "2026-02-30"']],
    ['too-long.yaml', [
      'too-long.yaml:11:14: exceptions[0].expires: expires 2027-02-28 is more than 12 months after approvedOn 2026-01-31 (latest allowed: 2027-01-31)',
      'too-long.yaml:20:14: exceptions[1].expires: expires 2026-05-31 is before approvedOn 2026-06-01',
    ]],
    ['duplicate-id.yaml', ['duplicate-id.yaml:12:9: exceptions[1].id: id "EXC-1" is already used by exceptions[0] (test/fixtures/exceptions/refused/duplicate-id.yaml:3:9); give each exception its own id.']],
    ['no-match.yaml', [
      'no-match.yaml:5:7: exceptions[0].match: must name what is accepted: give checks (e.g. [proto-tls10]) or controls',
      'no-match.yaml:12:5: exceptions[0]: unknown key "expiry"; allowed keys: id, match,',
    ]],
  ])('refuses %s with file:line:column and what to do', async (name, expected) => {
    const err = await refusal(fixture(`refused/${name}`));
    for (const text of expected) expect(err.message).toContain(`test/fixtures/exceptions/refused/${text}`);
  });

  it('holds expiry to report.config.yaml\'s maximum, counted in calendar months', async () => {
    // q3.yaml's longest entry runs from 2026-03-01 to 2027-02-28: within 12 months, not within 11.
    await expect(loadExceptions(join(root, fixture('q3.yaml')), { ...rules, maxMonths: 12 })).resolves.toBeDefined();
    const err = await refusal(fixture('q3.yaml'), { maxMonths: 11 });
    expect(err.message).toContain('q3.yaml:44:14: exceptions[3].expires: expires 2027-02-28 is more than 11 months after approvedOn 2026-03-01 (latest allowed: 2027-02-01)');
    expect(err.message).toContain('the exception register is refused (1 problem)');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-12-15', 12)).toBe('2028-12-15');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
  });

  it('refuses an empty file and a missing one, saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-exc-'));
    await writeFile(join(dir, 'exceptions.yaml'), '# nothing yet\n');
    const empty = await loadExceptions(join(dir, 'exceptions.yaml'), rules).then(() => undefined, (e: unknown) => e as Error);
    expect(empty?.message).toMatch(/the file is empty; start it with "schema: tlsproof-exceptions\/v1"/);
    const missing = await loadExceptions(join(dir, 'nope.yaml'), rules, 'nope.yaml').then(() => undefined, (e: unknown) => e as Error);
    expect(missing?.message).toMatch(/^nope\.yaml: cannot read the exceptions file .*check the path given to --exceptions/);
  });

  it('finds exceptions.yaml next to the config in use, never the example file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tlsproof-exc-'));
    await writeFile(join(dir, 'report.config.yaml'), 'schema: tlsproof-report-config/v1\n');
    await writeFile(join(dir, 'exceptions.example.yaml'), 'schema: tlsproof-exceptions/v1\nexceptions: []\n');
    expect(exceptionsPathFor(undefined, join(dir, 'report.config.yaml'), '/')).toBeUndefined();
    await writeFile(join(dir, 'exceptions.yaml'), 'schema: tlsproof-exceptions/v1\nexceptions: []\n');
    expect(exceptionsPathFor(undefined, join(dir, 'report.config.yaml'), '/')).toBe(join(dir, 'exceptions.yaml'));
    expect(exceptionsPathFor(undefined, undefined, dir)).toBeUndefined();
    expect(exceptionsPathFor('other.yaml', join(dir, 'report.config.yaml'), dir)).toBe(join(dir, 'other.yaml'));
  });
});
