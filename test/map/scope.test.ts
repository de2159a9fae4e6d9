import { describe, expect, it } from 'vitest';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { assetMatcher, resolveAssetScopes } from '../../src/map/scope.js';
import type { DomainListEntry } from '../../src/model/domain-list.js';
import type { InputProblem } from '../../src/model/problem.js';

const rules = {
  schema: 'tlsproof-scope/v1' as const,
  defaultFrameworks: ['hipaa'],
  dataClasses: {
    PHI: { description: 'protected health information', frameworks: ['hipaa'] },
    PAN: { description: 'payment card numbers', frameworks: ['pci-dss'] },
  },
};
const entry = (domain: string, over: Partial<DomainListEntry> = {}): DomainListEntry => ({
  domain, owner: '', businessUnit: '', dataClasses: [], frameworks: [], notes: '', extra: {}, file: 'd.csv', line: 2, ...over,
});

describe('asset scope', () => {
  it('brings frameworks into scope from data classes and the explicit column, with reasons', () => {
    const problems: InputProblem[] = [];
    const [phi, both] = resolveAssetScopes(
      [entry('clinic.test', { dataClasses: ['phi'] }), entry('shop.test', { dataClasses: ['PAN'], frameworks: ['hipaa'] })],
      rules, new Set(['hipaa', 'pci-dss', 'glba']), problems);
    expect([...phi!.frameworks.keys()]).toEqual(['hipaa']);
    expect(phi!.frameworks.get('hipaa')).toBe('data class PHI (protected health information)');
    expect([...both!.frameworks.keys()].sort()).toEqual(['hipaa', 'pci-dss']);
    expect(both!.frameworks.get('hipaa')).toBe('named in the domain list');
    expect(problems).toEqual([]);
  });

  it('reports unknown frameworks and data classes as problems naming what is known', () => {
    const problems: InputProblem[] = [];
    const [a] = resolveAssetScopes([entry('x.test', { dataClasses: ['SECRET'], frameworks: ['sox'], line: 7 })], rules, new Set(['hipaa']), problems);
    expect(a!.frameworks.size).toBe(0);
    expect(problems.map((p) => [p.line, p.code, p.effect])).toEqual([[7, 'unknown-framework', 'value-ignored'], [7, 'unknown-data-class', 'value-ignored']]);
    expect(problems[0]!.message).toContain('not one of hipaa');
    expect(problems[1]!.message).toContain('known classes: PHI, PAN');
  });

  it('matches a host to the closest listed parent domain, IDN spellings included', () => {
    const assets = resolveAssetScopes([entry('example.test'), entry('mail.example.test'), entry('bücher.test')], rules, new Set(), []);
    const match = assetMatcher(assets);
    expect(match('mx1.example.test')?.entry.domain).toBe('example.test');
    expect(match('a.mail.example.test')?.entry.domain).toBe('mail.example.test');
    expect(match('MAIL.EXAMPLE.TEST.')?.entry.domain).toBe('mail.example.test');
    expect(match('mx.xn--bcher-kva.test')?.entry.domain).toBe('bücher.test');
    expect(match('example.org')).toBeUndefined();
    expect(match('notexample.test')).toBeUndefined();
  });
});

describe('shipped scope rules (mappings/scope.yaml)', () => {
  const { frameworks, scope } = loadMappings({ builtInDir: builtInMappingsDir() });
  const known = new Set(frameworks.map((fw) => fw.framework.id));
  const scopeOf = (over: Partial<DomainListEntry>) => {
    const problems: InputProblem[] = [];
    const [asset] = resolveAssetScopes([entry('x.example.test', over)], scope, known, problems);
    expect(problems).toEqual([]);
    return Object.fromEntries(asset!.frameworks);
  };

  it('a PHI-only domain gets HIPAA and HITECH, not PCI DSS', () => {
    const phi = scopeOf({ dataClasses: ['PHI'] });
    expect(Object.keys(phi)).toEqual(['hipaa', 'hitech']);
    expect(phi['hitech']).toMatch(/^data class PHI \(Electronic protected health information/);
    expect(phi).not.toHaveProperty('pci-dss');
  });

  it.each([
    [['PAN'], ['pci-dss']],
    [['npi'], ['glba']],
    [['CA-PI'], ['california']],
    [['broker-dealer-records'], ['sec-17a-4', 'finra']],
    [['CUI'], ['nist-800-171']],
    [['EU-PD'], ['gdpr']],
    [['NYDFS-NPI', 'ICFR'], ['nydfs-500', 'sox']],
    [['FEDERAL'], ['nist-800-52', 'nist-800-53', 'nist-800-177']],
    [['LEGAL-HOLD'], ['frcp']],
  ])('data classes %j bring in %j', (dataClasses, expected) => {
    expect(Object.keys(scopeOf({ dataClasses }))).toEqual(expected);
  });

  it('an explicit frameworks column adds voluntary frameworks and says so', () => {
    expect(scopeOf({ dataClasses: ['PAN'], frameworks: ['soc2', 'iso-27001'] })).toEqual({
      'soc2': 'named in the domain list', 'iso-27001': 'named in the domain list',
      'pci-dss': expect.stringMatching(/^data class PAN/),
    });
  });
});
