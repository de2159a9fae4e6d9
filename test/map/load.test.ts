/**
 * loadMappings with user folders: each kind of bad file is refused with a message that names the
 * file, the path inside it, what was found and what is allowed; a user file replaces the built-in
 * of the same framework id and version.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/index.js';
import { ReportError } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';

const builtInDir = builtInMappingsDir();

const VALID = `schema: tlsproof-mapping/v1
framework:
  id: acme
  version: "1.0"
  versionDate: "2026-01-01"
  title: Acme mail policy
  document: Acme TLS policy for mail
  sourceUrl: https://example.com/policy
  retrieved: "2026-07-01"
  appliesTo: Every Acme mail server, for testing.
controls:
  - id: "A.1"
    kind: technical
    title: Encrypt mail
    paraphrase: Mail must be encrypted in transit.
    confidence: high
    checks:
      - check: tls-not-offered
        coverage: full
        rationale: No TLS means no encryption on that hop.
  - id: "A.2"
    kind: technical
    title: Valid certificates
    paraphrase: Servers present certificates that are in date.
    confidence: medium
    checks:
      - check: cert-expired
        coverage: full
        rationale: An expired certificate is not in date.
      - check: cert-expiring
        coverage: partial
        rationale: A certificate close to expiry soon will not be.
`;

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → text) into a fresh temp folder and returns the folder. */
function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tlsproof-mappings-'));
  tempDirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test fixture does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function refusal(userDirs: string[]): ReportError {
  try {
    loadMappings({ builtInDir, userDirs });
  } catch (err) {
    if (err instanceof ReportError) return err;
    throw err;
  }
  throw new Error('expected loadMappings to refuse the mapping files');
}

interface BadFileCase {
  name: string;
  file?: string;
  text: string;
  code: ErrorCode;
  /** Path inside the file, as the message prints it. */
  path: string;
  /** What the message must say was found, and what is allowed. */
  expected: (string | RegExp)[];
}

const badFiles: BadFileCase[] = [
  {
    name: 'unknown key',
    text: edit(VALID, '    title: Encrypt mail\n', '    title: Encrypt mail\n    severity: high\n'),
    code: 'mapping-invalid',
    path: 'controls[0]',
    expected: ['unknown key "severity"', 'allowed keys: id, kind, title, paraphrase, confidence (required)', 'aliases, obligation, effective, source, unconfirmed, checks, evidence (optional)'],
  },
  {
    name: 'missing required field',
    text: edit(VALID, '    paraphrase: Mail must be encrypted in transit.\n', ''),
    code: 'mapping-invalid',
    path: 'controls[0].paraphrase',
    expected: ['required key "paraphrase" is missing (expected string)', 'allowed keys at controls[0]: id, kind, title, paraphrase'],
  },
  {
    name: 'unknown check id',
    text: edit(VALID, 'check: cert-expired', 'check: cert-expird'),
    code: 'mapping-unknown-check',
    path: 'controls[1].checks[0].check',
    expected: ['unknown check id "cert-expird"', 'did you mean "cert-expired"?', `valid check ids: ${CHECK_IDS.join(', ')}`],
  },
  {
    name: 'value outside an enum',
    text: edit(VALID, 'coverage: partial', 'coverage: mostly'),
    code: 'mapping-invalid',
    path: 'controls[1].checks[1].coverage',
    expected: ['"mostly" is not allowed', 'allowed values: full, partial, indirect'],
  },
  {
    name: 'unquoted version read as a number',
    text: edit(VALID, 'version: "1.0"', 'version: 1.5'),
    code: 'mapping-invalid',
    path: 'framework.version',
    expected: ['expected string, found number 1.5', 'quote it: "1.5"'],
  },
  {
    name: 'duplicated control id',
    text: edit(VALID, 'id: "A.2"', 'id: "A.1"'),
    code: 'mapping-duplicate',
    path: 'controls[1].id',
    expected: ['control id "A.1" is already used by controls[0]', 'must be unique'],
  },
  {
    name: 'check linked twice in one control',
    text: edit(VALID, 'check: cert-expiring', 'check: cert-expired'),
    code: 'mapping-duplicate',
    path: 'controls[1].checks[1].check',
    expected: ['"cert-expired" is already linked at controls[1].checks[0]'],
  },
  {
    name: 'folder does not match framework.id',
    file: 'other/1.0.yaml',
    text: VALID,
    code: 'mapping-invalid',
    path: 'framework.id',
    expected: ['"acme" does not match its folder', 'allowed: "other"'],
  },
  {
    name: 'file name does not match framework.version',
    file: 'acme/2.0.yaml',
    text: VALID,
    code: 'mapping-invalid',
    path: 'framework.version',
    expected: ['"1.0" does not match the file name', 'allowed: "2.0"'],
  },
  {
    name: 'control linking nothing',
    text: edit(VALID, `    checks:
      - check: tls-not-offered
        coverage: full
        rationale: No TLS means no encryption on that hop.
`, ''),
    code: 'mapping-invalid',
    path: 'controls[0]',
    expected: ['control "A.1" links no evidence', 'under checks: or one report property under evidence:'],
  },
  {
    name: 'unknown report property',
    text: edit(VALID, '    checks:\n      - check: tls-not-offered', '    evidence:\n      - property: report-signed\n        coverage: partial\n        rationale: Signed reports are tamper-evident.\n    checks:\n      - check: tls-not-offered'),
    code: 'mapping-invalid',
    path: 'controls[0].evidence[0].property',
    expected: ['"report-signed" is not allowed', 'allowed values: report-dated, inputs-hashed, tool-identified, crypto-inventory, scope-complete, records-retained'],
  },
  {
    name: 'report property linked twice in one control',
    text: edit(VALID, '    checks:\n      - check: tls-not-offered', '    evidence:\n      - property: report-dated\n        coverage: partial\n        rationale: Dated reports show the cadence.\n      - property: report-dated\n        coverage: full\n        rationale: Dated reports show the cadence.\n    checks:\n      - check: tls-not-offered'),
    code: 'mapping-duplicate',
    path: 'controls[0].evidence[1].property',
    expected: ['"report-dated" is already linked at controls[0].evidence[0]', 'link each property once per control'],
  },
  {
    name: 'unknown grading rule',
    text: edit(VALID, '        rationale: No TLS means no encryption on that hop.\n', '        rationale: No TLS means no encryption on that hop.\n        grading: lenient\n'),
    code: 'mapping-invalid',
    path: 'controls[0].checks[0].grading',
    expected: ['unknown grading rule "lenient"', 'allowed: opportunistic-starttls'],
  },
  {
    name: 'checks in a framework that governs the evidence',
    text: edit(VALID, '  appliesTo: Every Acme mail server, for testing.\n', '  appliesTo: Every Acme mail server, for testing.\n  relevance: evidence\n'),
    code: 'mapping-invalid',
    path: 'controls[0].checks',
    expected: ['framework.relevance is "evidence"', 'link report properties under evidence: only'],
  },
  {
    name: 'interpretation on the control (moved to each link)',
    text: edit(VALID, '    confidence: high\n', '    confidence: high\n    interpretation: true\n'),
    code: 'mapping-invalid',
    path: 'controls[0]',
    expected: ['unknown key "interpretation"', 'interpretation is now set on each link under checks: or evidence:'],
  },
  {
    name: 'control without a kind',
    text: edit(VALID, '    kind: technical\n    title: Encrypt mail\n', '    title: Encrypt mail\n'),
    code: 'mapping-invalid',
    path: 'controls[0].kind',
    expected: ['required key "kind" is missing; allowed values: technical, process, definition'],
  },
  {
    name: 'unknown kind',
    text: edit(VALID, '    kind: technical\n    title: Encrypt mail\n', '    kind: governance\n    title: Encrypt mail\n'),
    code: 'mapping-invalid',
    path: 'controls[0].kind',
    expected: ['"governance" is not allowed', 'allowed values: technical, process, definition'],
  },
  {
    name: 'a definition that links checks (it would be graded)',
    text: edit(VALID, '    kind: technical\n    title: Encrypt mail\n', '    kind: definition\n    title: Encrypt mail\n'),
    code: 'mapping-invalid',
    path: 'controls[0].checks',
    expected: ['control "A.1" is kind "definition", which is never graded, so it may not link checks', 'change kind to "technical" or "process"'],
  },
  {
    name: 'a definition that links report properties',
    text: edit(VALID, `    kind: technical
    title: Encrypt mail
    paraphrase: Mail must be encrypted in transit.
    confidence: high
    checks:
      - check: tls-not-offered
        coverage: full
        rationale: No TLS means no encryption on that hop.
`, `    kind: definition
    title: Encrypt mail
    paraphrase: Mail must be encrypted in transit.
    confidence: high
    evidence:
      - property: report-dated
        coverage: partial
        rationale: Dated reports show the cadence.
`),
    code: 'mapping-invalid',
    path: 'controls[0].evidence',
    expected: ['may not link evidence'],
  },
  {
    name: 'a process control a single check could decide (coverage full)',
    text: edit(VALID, '    kind: technical\n    title: Encrypt mail\n', '    kind: process\n    title: Encrypt mail\n'),
    code: 'mapping-invalid',
    path: 'controls[0].checks[0].coverage',
    expected: ['control "A.1" is kind "process"', 'check "tls-not-offered" may not be linked with coverage full', 'use partial or indirect'],
  },
  {
    name: 'a technical control no check can decide',
    text: edit(VALID, `    checks:
      - check: tls-not-offered
        coverage: full
        rationale: No TLS means no encryption on that hop.
`, `    evidence:
      - property: report-dated
        coverage: partial
        rationale: Dated reports show the cadence.
`),
    code: 'mapping-invalid',
    path: 'controls[0].kind',
    expected: ['is kind "technical" but links no check', 'change kind to "process"'],
  },
  {
    name: 'an indirect rationale on a partial link (it could fail the control)',
    text: edit(VALID, '        coverage: partial\n        rationale: A certificate close to expiry soon will not be.', '        coverage: partial\n        rationale: Indirect evidence that renewal is managed.'),
    code: 'mapping-invalid',
    path: 'controls[1].checks[1].coverage',
    expected: ['the rationale starts "Indirect evidence" but coverage is partial', 'set coverage: indirect'],
  },
  {
    name: 'coverage indirect without saying so in the rationale',
    text: edit(VALID, '        coverage: partial\n        rationale: A certificate close', '        coverage: indirect\n        rationale: A certificate close'),
    code: 'mapping-invalid',
    path: 'controls[1].checks[1].coverage',
    expected: ['coverage is indirect but the rationale does not start "Indirect evidence"'],
  },
  {
    name: 'missing version date',
    text: edit(VALID, '  versionDate: "2026-01-01"\n', ''),
    code: 'mapping-invalid',
    path: 'framework.versionDate',
    expected: ['required key "versionDate" is missing'],
  },
  {
    name: 'wrong file format tag',
    text: edit(VALID, 'schema: tlsproof-mapping/v1', 'schema: tls-compliance-mapping/v1'),
    code: 'mapping-invalid',
    path: 'schema',
    expected: ['"tls-compliance-mapping/v1" is not allowed', 'allowed values: tlsproof-mapping/v1'],
  },
];

describe('loadMappings refuses bad user files', () => {
  it.each(badFiles)('$name', ({ file = 'acme/1.0.yaml', text, code, path, expected }) => {
    const dir = userDir({ [file]: text });
    const err = refusal([dir]);
    expect(err.code).toBe(code);
    expect(err.data['file']).toBe(join(dir, file));
    // file:line:column, then the path inside the file.
    expect(err.message).toMatch(new RegExp(`^${escape(join(dir, file))}:\\d+:\\d+: ${escape(path)}: `));
    for (const part of expected) expect(err.message).toMatch(part instanceof RegExp ? part : new RegExp(escape(part)));
  });

  it('points at the line of the offending key', () => {
    const dir = userDir({ 'acme/1.0.yaml': edit(VALID, 'check: cert-expired', 'check: cert-expird') });
    const line = VALID.split('\n').findIndex((l) => l.includes('check: cert-expired')) + 1;
    expect(refusal([dir]).message).toContain(`1.0.yaml:${line}:`);
  });

  it('lists every problem in file order, one line each', () => {
    const text = edit(edit(VALID, 'check: cert-expired', 'check: cert-expird'), '    title: Encrypt mail\n', '    title: Encrypt mail\n    severity: high\n');
    const err = refusal([userDir({ 'acme/1.0.yaml': text })]);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('controls[0]: unknown key "severity"');
    expect(lines[1]).toContain('controls[1].checks[0].check: unknown check id "cert-expird"');
    expect(err.data['issues']).toHaveLength(2);
  });

  it('reports YAML syntax errors with their position', () => {
    const dir = userDir({ 'acme/1.0.yaml': edit(VALID, '    title: Encrypt mail\n', '    title: [Encrypt mail\n') });
    const err = refusal([dir]);
    expect(err.code).toBe('mapping-invalid');
    expect(err.message).toMatch(new RegExp(`^${escape(join(dir, 'acme/1.0.yaml'))}:\\d+:\\d+: not valid YAML`));
  });

  it('refuses a .yml file instead of silently skipping it', () => {
    const dir = userDir({ 'acme/1.0.yml': VALID });
    expect(refusal([dir]).message).toContain('rename it to 1.0.yaml');
  });

  it('refuses a mapping file outside <id>/<version>.yaml', () => {
    const dir = userDir({ 'acme.yaml': VALID });
    expect(refusal([dir]).message).toContain('<framework-id>/<version>.yaml');
  });

  it('refuses a user folder that does not exist', () => {
    const missing = join(tmpdir(), 'tlsproof-no-such-folder', 'mappings');
    expect(refusal([missing]).message).toContain(missing);
  });

  it('refuses the same framework version in two user folders, naming both files', () => {
    const a = userDir({ 'acme/1.0.yaml': VALID });
    const b = userDir({ 'acme/1.0.yaml': VALID });
    const err = refusal([a, b]);
    expect(err.code).toBe('mapping-duplicate');
    expect(err.message).toContain(join(a, 'acme/1.0.yaml'));
    expect(err.message).toContain(join(b, 'acme/1.0.yaml'));
  });
});

describe('loadMappings with user folders', () => {
  it('adds a user framework alongside the built-ins, in id order', () => {
    const builtIns = loadMappings({ builtInDir }).frameworks;
    const { frameworks } = loadMappings({ builtInDir, userDirs: [userDir({ 'acme/1.0.yaml': VALID })] });
    expect(frameworks).toHaveLength(builtIns.length + 1);
    expect(frameworks[0]?.framework.id).toBe('acme');
    expect(frameworks[0]?.builtIn).toBe(false);
    // Defaults from the schema are applied.
    expect(frameworks[0]?.controls[0]?.checks[0]?.interpretation).toBe(false);
    expect(frameworks[0]?.controls[0]?.unconfirmed).toBe(false);
    expect(frameworks[0]?.controls[0]?.evidence).toEqual([]);
    expect(frameworks[0]?.framework.relevance).toBe('direct');
  });

  it('lets a user file replace the built-in with the same id and version', () => {
    const builtInText = readFileSync(join(builtInDir, 'hipaa', '2013.yaml'), 'utf8');
    const dir = userDir({ 'hipaa/2013.yaml': edit(builtInText, 'title: HIPAA Security Rule\n', 'title: HIPAA Security Rule (our counsel’s reading)\n') });
    const builtIns = loadMappings({ builtInDir }).frameworks;
    const { frameworks } = loadMappings({ builtInDir, userDirs: [dir] });

    const hipaa = frameworks.filter((fw) => fw.framework.id === 'hipaa');
    expect(frameworks).toHaveLength(builtIns.length);
    expect(hipaa).toHaveLength(1);
    expect(hipaa[0]?.framework.title).toBe('HIPAA Security Rule (our counsel’s reading)');
    expect(hipaa[0]?.builtIn).toBe(false);
    expect(hipaa[0]?.path).toBe(join(dir, 'hipaa', '2013.yaml'));
  });

  it('reads unmapped and grading lists from the built-in folder only', () => {
    const dir = userDir({ 'unmapped.yaml': 'schema: nope\n', 'grading.yaml': 'rules: 1\n', 'acme/1.0.yaml': VALID });
    const { scope, unmapped, grading } = loadMappings({ builtInDir, userDirs: [dir] });
    expect(scope.dataClasses['PHI']?.frameworks).toEqual(['hipaa', 'hitech']);
    expect(grading.map((r) => r.id)).toEqual(['opportunistic-starttls']);
    expect(unmapped.map((u) => u.check)).toContain('scan-incomplete');
  });

  it('a user scope.yaml adds data classes (a same-named one replaces the built-in) and keeps the defaults unless it gives its own', () => {
    const dir = userDir({ 'scope.yaml': 'schema: tlsproof-scope/v1\ndataClasses:\n  phi:\n    description: Health data of our clinics.\n    frameworks: [hipaa]\n  CARDS:\n    description: Card data.\n    frameworks: [pci-dss]\n' });
    const { scope } = loadMappings({ builtInDir, userDirs: [dir] });
    expect(scope.dataClasses['PHI']).toBeUndefined();
    expect(scope.dataClasses['phi']?.frameworks).toEqual(['hipaa']);
    expect(scope.dataClasses['CARDS']?.frameworks).toEqual(['pci-dss']);
    expect(scope.dataClasses['PAN']?.frameworks).toEqual(['pci-dss']);
    expect(scope.defaultFrameworks).toEqual(loadMappings({ builtInDir }).scope.defaultFrameworks);
  });

  it('refuses a broken or wrong user scope.yaml, naming the file', () => {
    expect(() => loadMappings({ builtInDir, userDirs: [userDir({ 'scope.yaml': 'not: [valid' })] })).toThrow(/scope\.yaml/);
    const unknown = userDir({ 'scope.yaml': 'schema: tlsproof-scope/v1\ndataClasses:\n  X:\n    description: x data\n    frameworks: [nope]\n' });
    expect(() => loadMappings({ builtInDir, userDirs: [unknown] })).toThrow(/scope\.yaml:5:.*dataClasses\.X\.frameworks\[0\]: unknown framework "nope"/);
  });
});

describe('several versions of one framework', () => {
  const hipaa2025 = (date: string) => edit(edit(edit(VALID, 'id: acme', 'id: hipaa'), 'version: "1.0"', 'version: "2025"'), 'versionDate: "2026-01-01"', `versionDate: "${date}"`);

  it('loads a user version beside the built-in one, oldest first', () => {
    const { frameworks } = loadMappings({ builtInDir, userDirs: [userDir({ 'hipaa/2025.yaml': hipaa2025('2025-01-06') })] });
    expect(frameworks.filter((fw) => fw.framework.id === 'hipaa').map((fw) => fw.framework.version)).toEqual(['2013', '2025']);
  });

  it('refuses two versions with the same date, since neither would be the newest', () => {
    const dir = userDir({ 'hipaa/2025.yaml': hipaa2025('2013-01-25') });
    const err = refusal([dir]);
    expect(err.code).toBe('mapping-duplicate');
    expect(err.message).toContain(join(dir, 'hipaa/2025.yaml'));
    expect(err.message).toContain('"2013-01-25" is also the date of version "2013"');
  });
});

describe('builtInMappingsDir', () => {
  it('finds the package mappings folder from the source tree', () => {
    expect(builtInDir).toBe(join(process.cwd(), 'mappings'));
  });

  it('finds it from the compiled layout dist/src/map/load.js', () => {
    const root = userDir({ 'package.json': '{"name":"tlsproof","version":"0.0.1"}', 'dist/src/map/load.js': '' });
    expect(builtInMappingsDir(pathToFileURL(join(root, 'dist/src/map/load.js')).href)).toBe(join(root, 'mappings'));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
