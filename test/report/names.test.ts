/**
 * Names: every check has a passed-check name that states what was verified (not the problem the
 * check looks for), and every built-in framework has a short name.
 */
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { CHECK_IDS } from '../../src/checks/index.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { frameworkShortName, hasShortName } from '../../src/report/framework-names.js';

describe('passed-check names', () => {
  it('every check names what a pass verified, never its problem title', () => {
    for (const id of CHECK_IDS) {
      const { title, passedTitle } = checks[id].meta;
      expect(passedTitle, id).not.toBe(title);
      expect(passedTitle.length, id).toBeGreaterThan(5);
    }
    expect(checks['proto-sslv2'].meta.passedTitle).toBe('SSL 2.0 not offered');
    expect(checks['proto-tls13-missing'].meta.passedTitle).toBe('TLS 1.3 offered');
  });
});

describe('framework short names', () => {
  const frameworks = loadMappings({ builtInDir: builtInMappingsDir(), userDirs: [] }).frameworks.map((f) => f.framework);

  it('has one for every built-in framework, shorter than its title', () => {
    expect(frameworks.length).toBeGreaterThan(5);
    for (const f of frameworks) {
      expect(hasShortName(f.id), f.id).toBe(true);
      expect(frameworkShortName(f).length, f.id).toBeLessThanOrEqual(32);
      expect(frameworkShortName(f), f.id).toContain(f.version);
      expect(frameworkShortName(f, false), f.id).not.toContain(f.version);
    }
    const nist = frameworks.find((f) => f.id === 'nist-800-52');
    expect(nist && frameworkShortName(nist)).toBe('NIST SP 800-52r2');
  });

  it('falls back to a short title, else the id, for a user framework', () => {
    expect(frameworkShortName({ id: 'acme', version: '1', title: 'ACME mail policy' })).toBe('ACME mail policy 1');
    expect(frameworkShortName({ id: 'acme', version: '1', title: 'A very long title of an in-house mail security policy' })).toBe('acme 1');
  });
});
