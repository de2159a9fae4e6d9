/**
 * Which frameworks a report uses: --frameworks (ids or id@version), else what the domain list's
 * assets bring in, else the defaults of scope.yaml; always one version per framework id, the
 * newest unless pinned.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../src/errors.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { resolveAssetScopes } from '../../src/map/scope.js';
import { frameworkRef, newestVersions, parseFrameworkRef, selectFrameworks } from '../../src/map/select.js';
import type { DomainListEntry } from '../../src/model/domain-list.js';

const builtInDir = builtInMappingsDir();
const userDir = mkdtempSync(join(tmpdir(), 'tlsproof-select-'));
afterAll(() => rmSync(userDir, { recursive: true, force: true }));
// A user's draft of a newer HIPAA version, beside the built-in 2013 one.
mkdirSync(join(userDir, 'hipaa'));
writeFileSync(join(userDir, 'hipaa', '2025.yaml'), readFileSync(join(builtInDir, 'hipaa', '2013.yaml'), 'utf8')
  .replace('version: "2013"', 'version: "2025"').replace('versionDate: "2013-01-25"', 'versionDate: "2025-01-06"'));
const mappings = loadMappings({ builtInDir, userDirs: [userDir] });
const refs = (list: readonly { framework: { id: string; version: string } }[]) => list.map((fw) => `${fw.framework.id}@${fw.framework.version}`);

function refusal(fn: () => unknown): ReportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReportError) return err;
    throw err;
  }
  throw new Error('expected a ReportError');
}

const entry = (domain: string, over: Partial<DomainListEntry> = {}): DomainListEntry => ({
  domain, owner: '', businessUnit: '', dataClasses: [], frameworks: [], notes: '', extra: {}, file: 'domains.csv', line: 2, ...over,
});

describe('selectFrameworks', () => {
  it('parses id and id@version', () => {
    expect(parseFrameworkRef('hipaa')).toEqual({ id: 'hipaa' });
    expect(parseFrameworkRef('pci-dss@4.0.1')).toEqual({ id: 'pci-dss', version: '4.0.1' });
  });

  it('uses the newest version of an id unless id@version pins one', () => {
    expect(refs(newestVersions(mappings.frameworks).filter((fw) => fw.framework.id === 'hipaa'))).toEqual(['hipaa@2025']);
    expect(refs(selectFrameworks(mappings.frameworks, { requested: ['hipaa', 'pci-dss'], scope: mappings.scope }))).toEqual(['hipaa@2025', 'pci-dss@4.0.1']);
    expect(refs(selectFrameworks(mappings.frameworks, { requested: ['hipaa@2013'], scope: mappings.scope }))).toEqual(['hipaa@2013']);
  });

  it('refuses two versions of one framework in one report', () => {
    const err = refusal(() => selectFrameworks(mappings.frameworks, { requested: ['hipaa@2013', 'hipaa@2025'], scope: mappings.scope }));
    expect(err.code).toBe('usage');
    expect(err.message).toContain('two versions of "hipaa" (hipaa@2013 and hipaa@2025)');
  });

  it('refuses unknown ids and versions, listing what is loaded', () => {
    const err = refusal(() => selectFrameworks(mappings.frameworks, { requested: ['hipaa', 'sox2', 'pci-dss@3.2.1'], scope: mappings.scope }));
    expect(err.code).toBe('framework-unknown');
    expect(err.message).toMatch(/^Unknown frameworks "sox2", "pci-dss@3\.2\.1" in --frameworks\. Available: .*hipaa/);
    expect(err.message).toContain('hipaa@2013, hipaa@2025');
  });

  it('without --frameworks, uses what the domain list brings into scope: a PHI-only domain gets HIPAA and HITECH, not PCI', () => {
    const known = new Set(mappings.frameworks.map((fw) => fw.framework.id));
    const assets = resolveAssetScopes([entry('clinic.example.test', { dataClasses: ['PHI'] })], mappings.scope, known, []);
    expect(refs(selectFrameworks(mappings.frameworks, { assets, scope: mappings.scope }))).toEqual(['hipaa@2025', 'hitech@2021']);
    const both = resolveAssetScopes([entry('clinic.example.test', { dataClasses: ['PHI'] }), entry('shop.example.test', { dataClasses: ['pan'], frameworks: ['soc2'] })],
      mappings.scope, known, []);
    expect(selectFrameworks(mappings.frameworks, { assets: both, scope: mappings.scope }).map((fw) => fw.framework.id)).toEqual(['hipaa', 'hitech', 'pci-dss', 'soc2']);
  });

  it('with neither, uses the defaults of scope.yaml', () => {
    expect(selectFrameworks(mappings.frameworks, { scope: mappings.scope }).map(frameworkRef)).toEqual(['ietf@2022', 'nist-800-52@r2']);
  });
});
