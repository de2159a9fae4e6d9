import { describe, expect, it } from 'vitest';
import { assetMatcher, resolveAssetScopes } from '../../src/map/scope.js';
import type { DomainListEntry } from '../../src/ingest/domain-list-csv.js';
import type { InputProblem } from '../../src/model/problem.js';

const rules = {
  schema: 'tlsproof-scope/v1' as const,
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
