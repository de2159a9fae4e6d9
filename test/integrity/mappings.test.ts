/**
 * Integrity of the shipped mapping data (mappings/**): every file loads, sits where its id and
 * version say, cites only real checks, and the key citations an auditor will look for are present
 * exactly as the standards print them. Data is tested like code (STYLE rule 15).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/ids.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import type { LoadedFramework } from '../../src/model/framework.js';

const dir = builtInMappingsDir();
const { frameworks, scope, unmapped } = loadMappings({ builtInDir: dir });

function framework(id: string): LoadedFramework {
  const found = frameworks.find((fw) => fw.framework.id === id);
  if (found === undefined) throw new Error(`framework ${id} is not shipped`);
  return found;
}

function control(frameworkId: string, controlId: string) {
  const found = framework(frameworkId).controls.find((c) => c.id === controlId);
  if (found === undefined) throw new Error(`${frameworkId} has no control ${controlId}`);
  return found;
}

function checksOf(frameworkId: string, controlId: string): string[] {
  return control(frameworkId, controlId).checks.map((link) => link.check);
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const mappedChecks = new Set(frameworks.flatMap((fw) => fw.controls.flatMap((c) => c.checks.map((l) => l.check))));
const unmappedChecks = new Set(unmapped.map((u) => u.check));

describe('shipped mapping files', () => {
  it('loads the four shipped frameworks (guards against passing with nothing loaded)', () => {
    expect(frameworks.length).toBeGreaterThanOrEqual(4);
    expect(frameworks.map((fw) => `${fw.framework.id}@${fw.framework.version}`)).toEqual(
      expect.arrayContaining(['hipaa@2013', 'pci-dss@4.0.1', 'glba@2021', 'nist-800-52@r2']),
    );
    expect(frameworks.every((fw) => fw.builtIn)).toBe(true);
  });

  it.each(frameworks.map((fw) => [relative(dir, fw.path), fw] as const))('%s lives at <id>/<version>.yaml', (_, fw) => {
    expect(relative(dir, fw.path)).toBe(join(fw.framework.id, `${fw.framework.version}.yaml`));
  });

  it.each(frameworks.map((fw) => [fw.framework.id, fw] as const))('%s has unique control ids, each with at least one check', (_, fw) => {
    const ids = fw.controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of fw.controls) expect(c.checks.length, `${fw.framework.id} ${c.id}`).toBeGreaterThan(0);
  });

  it('references only registered check ids', () => {
    for (const check of [...mappedChecks, ...unmappedChecks]) expect(CHECK_IDS).toContain(check);
  });

  it('maps every check somewhere or lists it as unmapped, never both', () => {
    for (const check of CHECK_IDS) {
      const mapped = mappedChecks.has(check);
      const listed = unmappedChecks.has(check);
      expect(mapped !== listed, `${check}: mapped=${mapped} unmapped=${listed}`).toBe(true);
    }
  });

  it('never cites the at-rest encryption specification for transit findings', () => {
    for (const file of filesUnder(dir)) {
      expect(readFileSync(file, 'utf8'), relative(dir, file)).not.toContain('164.312(a)(2)(iv)');
    }
  });

  it('marks interpretation exactly where a rationale says "Our reading"', () => {
    for (const fw of frameworks) {
      for (const c of fw.controls) {
        const ours = c.checks.some((link) => link.rationale.startsWith('Our reading:'));
        expect(c.interpretation, `${fw.framework.id} ${c.id}`).toBe(ours);
      }
    }
  });

  it('keeps paraphrases in our words (no quotation marks)', () => {
    for (const fw of frameworks) {
      for (const c of fw.controls) expect(c.paraphrase, `${fw.framework.id} ${c.id}`).not.toMatch(/["“”]/);
    }
  });

  it('scopes data classes only to shipped frameworks', () => {
    const shipped = new Set(frameworks.map((fw) => fw.framework.id));
    expect(Object.keys(scope.dataClasses)).toEqual(expect.arrayContaining(['PHI', 'PAN', 'NPI', 'CUI', 'FEDERAL']));
    for (const rule of Object.values(scope.dataClasses)) {
      for (const id of rule.frameworks) expect(shipped.has(id), id).toBe(true);
    }
    expect(scope.dataClasses['PHI']?.frameworks).toEqual(['hipaa']);
    expect(scope.dataClasses['PAN']?.frameworks).toEqual(['pci-dss']);
    expect(scope.dataClasses['NPI']?.frameworks).toEqual(['glba']);
  });
});

describe('key citations', () => {
  it('HIPAA transmission security: (e)(1) standard, (e)(2)(i) and (e)(2)(ii) addressable', () => {
    expect(control('hipaa', '164.312(e)(1)').obligation).toBe('standard');
    expect(control('hipaa', '164.312(e)(2)(i)').obligation).toBe('addressable');
    expect(control('hipaa', '164.312(e)(2)(ii)').obligation).toBe('addressable');
    expect(control('hipaa', '164.308(a)(1)(ii)(A)').obligation).toBe('required');
    expect(control('hipaa', '164.308(a)(1)(ii)(B)').obligation).toBe('required');
    expect(control('hipaa', '164.308(a)(8)').obligation).toBe('standard');
    expect(checksOf('hipaa', '164.312(e)(2)(ii)')).toEqual(expect.arrayContaining(['tls-not-offered', 'proto-tls10', 'proto-tls11']));
    expect(checksOf('hipaa', '164.308(a)(1)(ii)(B)')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
  });

  it('PCI DSS 4.2.1 and 4.2.1.1, with the 31 March 2025 date', () => {
    expect(checksOf('pci-dss', '4.2.1')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'cert-expired']));
    expect(checksOf('pci-dss', '2.2.5')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
    expect(checksOf('pci-dss', '4.2.1.1')).toContain('cert-expiry-30d');
    expect(control('pci-dss', '4.2.1').effective).toContain('31 March 2025');
    expect(control('pci-dss', '4.2.1.1').effective).toContain('31 March 2025');
    for (const id of ['6.3.1', '11.3.1']) expect(checksOf('pci-dss', id)).toContain('vuln-heartbleed');
  });

  it('GLBA 314.4(c)(3) and 314.2(f)', () => {
    expect(checksOf('glba', '314.4(c)(3)')).toEqual(expect.arrayContaining(['tls-not-offered', 'proto-tls10']));
    expect(checksOf('glba', '314.2(f)')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
    expect(checksOf('glba', '314.4(d)(2)')).toContain('vuln-heartbleed');
  });

  it('NIST SP 800-52r2 3.1, the only framework that maps missing TLS 1.3', () => {
    expect(control('nist-800-52', '3.1').obligation).toBe('shall');
    expect(checksOf('nist-800-52', '3.1')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'proto-tls13-missing']));
    const tls13 = frameworks.flatMap((fw) =>
      fw.controls.filter((c) => c.checks.some((l) => l.check === 'proto-tls13-missing')).map((c) => `${fw.framework.id} ${c.id}`));
    expect(tls13).toEqual(['nist-800-52 3.1']);
  });
});
