/**
 * Integrity of the shipped mapping data (mappings/**): every file loads, sits where its id and
 * version say, cites only real checks and report properties, keeps the conventions a compliance
 * officer relies on when reading it, and the citations an auditor will look for are present
 * exactly as the standards print them. Data is tested like code (STYLE rule 15).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, checkApplies, checkById, checks } from '../../src/checks/index.js';
import { evaluateControl } from '../../src/map/evaluate.js';
import { ServiceSchema } from '../../src/model/endpoint.js';
import type { Finding, FindingStatus } from '../../src/model/finding.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { EVIDENCE_PROPERTY_IDS } from '../../src/model/framework.js';
import type { LoadedFramework } from '../../src/model/framework.js';

const dir = builtInMappingsDir();
const { frameworks, scope, unmapped, grading } = loadMappings({ builtInDir: dir });

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

function propertiesOf(frameworkId: string, controlId: string): string[] {
  return control(frameworkId, controlId).evidence.map((link) => link.property);
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const allLinks = frameworks.flatMap((fw) => fw.controls.flatMap((c) => [
  ...c.checks.map((l) => ({ fw, control: c, rationale: l.rationale, interpretation: l.interpretation, name: l.check })),
  ...c.evidence.map((l) => ({ fw, control: c, rationale: l.rationale, interpretation: l.interpretation, name: l.property })),
]));
const mappedChecks = new Set(frameworks.flatMap((fw) => fw.controls.flatMap((c) => c.checks.map((l) => l.check))));
const unmappedChecks = new Set(unmapped.map((u) => u.check));

const SHIPPED = [
  'california@2023', 'finra@2024', 'frcp@2017', 'gdpr@2016', 'glba@2021', 'hipaa@2013', 'hitech@2021', 'ietf@2022',
  'iso-27001@2022', 'nist-800-171@r2', 'nist-800-177@r1', 'nist-800-52@r2', 'nist-800-53@r5', 'nydfs-500@2023',
  'pci-dss@4.0.1', 'sec-17a-4@2022', 'soc2@2017-rev2022', 'sox@2002',
];

describe('shipped mapping files', () => {
  it('loads every shipped framework (guards against passing with nothing loaded)', () => {
    const yamlFiles = filesUnder(dir).filter((f) => f.endsWith('.yaml') && relative(dir, f).includes('/'));
    expect(yamlFiles.length).toBeGreaterThanOrEqual(18);
    expect(frameworks).toHaveLength(yamlFiles.length);
    expect(frameworks.map((fw) => `${fw.framework.id}@${fw.framework.version}`)).toEqual(SHIPPED);
    expect(frameworks.every((fw) => fw.builtIn)).toBe(true);
    expect(frameworks.reduce((n, fw) => n + fw.controls.length, 0)).toBeGreaterThanOrEqual(100);
  });

  it.each(frameworks.map((fw) => [relative(dir, fw.path), fw] as const))('%s lives at <id>/<version>.yaml', (_, fw) => {
    expect(relative(dir, fw.path)).toBe(join(fw.framework.id, `${fw.framework.version}.yaml`));
  });

  it.each(frameworks.map((fw) => [fw.framework.id, fw] as const))('%s has unique control ids, each with evidence, links in registry order', (_, fw) => {
    const ids = fw.controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of fw.controls) {
      // A definition links nothing (it is never graded); every other control links some evidence.
      if (c.kind === 'definition') expect(c.checks.length + c.evidence.length, `${fw.framework.id} ${c.id}`).toBe(0);
      else expect(c.checks.length + c.evidence.length, `${fw.framework.id} ${c.id}`).toBeGreaterThan(0);
      const order = c.checks.map((l) => (CHECK_IDS as readonly string[]).indexOf(l.check));
      expect(order, `${fw.framework.id} ${c.id} checks`).toEqual([...order].sort((a, b) => a - b));
      const props = c.evidence.map((l) => EVIDENCE_PROPERTY_IDS.indexOf(l.property));
      expect(props, `${fw.framework.id} ${c.id} evidence`).toEqual([...props].sort((a, b) => a - b));
    }
  });

  it.each(frameworks.map((fw) => [relative(dir, fw.path), fw] as const))('%s opens with its schema and the reading guide', (_, fw) => {
    const text = readFileSync(fw.path, 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=../schema/mapping.v1.json\n')).toBe(true);
    expect(text).toContain('# How to read this file');
    expect(fw.framework.retrieved >= fw.framework.versionDate, 'a version cannot postdate its reading').toBe(true);
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

  it('limits links to services their check applies to', () => {
    for (const fw of frameworks) {
      for (const c of fw.controls) {
        for (const link of c.checks) {
          const { appliesTo } = checkById(link.check).meta;
          if (link.services === undefined || appliesTo === 'all') continue;
          for (const service of link.services) expect(appliesTo, `${fw.framework.id} ${c.id} ${link.check}`).toContain(service);
        }
      }
    }
  });

  it('uses every report property somewhere', () => {
    const used = new Set(allLinks.map((l) => l.name));
    for (const property of EVIDENCE_PROPERTY_IDS) expect(used.has(property), property).toBe(true);
  });

  it('never cites the at-rest encryption specification for transit findings', () => {
    for (const file of filesUnder(dir)) {
      expect(readFileSync(file, 'utf8'), relative(dir, file)).not.toContain('164.312(a)(2)(iv)');
    }
  });

  it('marks interpretation on exactly the links whose rationale says "Our reading"', () => {
    for (const link of allLinks) {
      expect(link.interpretation, `${link.fw.framework.id} ${link.control.id} ${link.name}`).toBe(link.rationale.startsWith('Our reading:'));
    }
    // Interpretation is marked per link, where the reference marks it (interp.), not per control.
    expect(allLinks.filter((l) => l.interpretation).length).toBeGreaterThan(50);
    expect(control('pci-dss', '4.2.1').checks.find((l) => l.check === 'no-forward-secrecy')?.interpretation).toBe(true);
    expect(control('pci-dss', '4.2.1').checks.find((l) => l.check === 'proto-tls10')?.interpretation).toBe(false);
  });

  it('keeps paraphrases in our words (no quotation marks)', () => {
    for (const fw of frameworks) {
      for (const c of fw.controls) expect(c.paraphrase, `${fw.framework.id} ${c.id}`).not.toMatch(/["“”]/);
    }
  });

  it('keeps frameworks that govern the evidence to report properties only', () => {
    const evidenceOnly = frameworks.filter((fw) => fw.framework.relevance === 'evidence').map((fw) => fw.framework.id);
    expect(evidenceOnly).toEqual(['frcp', 'sec-17a-4']);
    for (const id of evidenceOnly) {
      for (const c of framework(id).controls) expect(c.checks, `${id} ${c.id}`).toEqual([]);
    }
    expect(framework('sox').framework.relevance).toBe('supporting');
    // Retention is outside what tlsproof can see: every retention control links it with full coverage.
    for (const [fw, c] of [['sec-17a-4', '240.17a-4(b)(4)'], ['sec-17a-4', '240.17a-4(f)'], ['finra', 'FINRA Rule 4511'], ['frcp', 'FRCP 37(e)'],
      ['sox', 'SOX §802'], ['sox', 'Reg S-X Rule 2-06'], ['hipaa', '164.316(b)(2)'], ['nydfs-500', '500.17(b)']] as const) {
      expect(control(fw, c).evidence.find((l) => l.property === 'records-retained')?.coverage, `${fw} ${c}`).toBe('full');
    }
  });

  it('flags the citations the reference could not confirm', () => {
    const flagged = frameworks.flatMap((fw) => fw.controls.filter((c) => c.unconfirmed).map((c) => `${fw.framework.id} ${c.id}`));
    expect(flagged).toEqual(['california 1798.82 definition of encrypted']);
    // Items the reference marks (U) are left out rather than cited with a guessed number.
    const text = filesUnder(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text).not.toContain('164.308(a)(5)(ii)(D)');
    expect(text).not.toMatch(/id: .*11 CCR/);
    // SP 800-177r1 section and recommendation numbers are unchecked: ids name chapter and topic only.
    for (const c of framework('nist-800-177').controls) expect(c.id, 'no section number').toMatch(/^5(?: \([A-Z-]+\))?$/);
  });

  it('applies the opportunistic-STARTTLS rule to every link of an enforcement check that is not about enforcement itself', () => {
    expect(grading.map((r) => r.id)).toEqual(['opportunistic-starttls']);
    const rule = grading[0]!;
    expect(rule.services).toEqual(['smtp']);
    expect(rule.failAs).toBe('warn');
    for (const fw of frameworks) {
      for (const c of fw.controls) {
        for (const link of c.checks) {
          const where = `${fw.framework.id} ${c.id} ${link.check}`;
          if (link.grading !== undefined) expect(grading.find((r) => r.id === link.grading)?.checks, where).toContain(link.check);
          if (rule.checks.includes(link.check) && link.coverage !== 'full') expect(link.grading, where).toBe(rule.id);
        }
      }
    }
    // Missing enforcement is a finding of its own: each rule check fails at least one control about it.
    for (const check of rule.checks) {
      const about = frameworks.flatMap((fw) => fw.controls.filter((c) => c.checks.some((l) => l.check === check && l.coverage === 'full')).map((c) => c.id));
      expect(about.length, check).toBeGreaterThan(0);
    }
    expect(rule.checks).toEqual(['mta-sts-missing', 'mta-sts-not-enforced', 'tls-rpt-missing', 'dane-missing']);
    // No STARTTLS at all is never softened: RFC 3207 makes its absence the finding.
    const softened = frameworks.flatMap((fw) => fw.controls.flatMap((c) => c.checks.filter((l) => l.check === 'tls-not-offered' && l.grading !== undefined)));
    expect(softened).toEqual([]);
  });

  it('scopes data classes and defaults only to shipped frameworks', () => {
    const shipped = new Set(frameworks.map((fw) => fw.framework.id));
    for (const rule of Object.values(scope.dataClasses)) {
      for (const id of rule.frameworks) expect(shipped.has(id), id).toBe(true);
    }
    expect(Object.fromEntries(Object.entries(scope.dataClasses).map(([k, v]) => [k, v.frameworks]))).toEqual({
      PHI: ['hipaa', 'hitech'], PAN: ['pci-dss'], NPI: ['glba'], 'NYDFS-NPI': ['nydfs-500'], 'CA-PI': ['california'],
      'broker-dealer-records': ['sec-17a-4', 'finra'], ICFR: ['sox'], 'LEGAL-HOLD': ['frcp'], CUI: ['nist-800-171'],
      FEDERAL: ['nist-800-52', 'nist-800-53', 'nist-800-177'], 'EU-PD': ['gdpr'],
    });
    expect(scope.defaultFrameworks).toEqual(['nist-800-52', 'ietf']);
  });
});

/** Exact control ids of every framework, in file order: a renamed or dropped citation fails here. */
const CITATIONS: Record<string, string[]> = {
  hipaa: ['164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)', '164.312(d)', '164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(B)',
    '164.308(a)(1)(ii)(D)', '164.308(a)(8)', '164.316(b)(2)'],
  hitech: ['HITECH §13402(h)', '45 CFR 164.402', 'HHS guidance, 74 FR 42740', 'HITECH §13412'],
  'pci-dss': ['4.2.1', '4.2.1.1', '4.2.2', '8.3.2', '2.2.5', '2.2.7', '12.3.3', '6.3.1', '6.3.3', '11.3.1', '11.3.2', '12.5.1'],
  glba: ['314.4(c)(3)', '314.2(f)', '314.4(c)(2)', '314.4(d)(1)', '314.4(d)(2)', '314.4(i)'],
  sox: ['COSO Principle 11', 'COBIT DSS05.02', 'SOX §802', 'Reg S-X Rule 2-06'],
  california: ['1798.82(a)', '1798.29(a)', '1798.81.5(b)', '1798.150(a)(1)', '1798.100(e)', '1798.82 definition of encrypted'],
  'sec-17a-4': ['240.17a-4(b)(4)', '240.17a-4(f)'],
  finra: ['Reg S-P 248.30(a)', 'FINRA Rule 3110', 'FINRA Rule 3110.09', 'FINRA Rule 4511'],
  frcp: ['FRCP 26(f)(3)(C)', 'FRCP 34', 'FRCP 37(e)', 'FRE 902(13)', 'FRE 902(14)'],
  'nist-800-52': ['3.1', '3.2', '3.3.1'],
  'nist-800-53': ['SC-8', 'SC-8(1)', 'SC-12', 'SC-13', 'SC-17', 'SC-23', 'IA-5(2)', 'CM-6', 'CM-7', 'CM-8', 'RA-5', 'SI-2'],
  'nist-800-177': ['5', '5 (STARTTLS)', '5 (DANE)', '5 (MTA-STS)', '5 (TLS-RPT)'],
  ietf: ['RFC 3207 §4', 'RFC 4954 §4', 'RFC 8314 §3', 'RFC 8314 §4.1', 'RFC 9051 §6.2.3', 'RFC 8996', 'RFC 6176', 'RFC 7568', 'RFC 9325 §3.1.1',
    'RFC 9325 §4.1', 'RFC 7465', 'RFC 9325 §4.5', 'RFC 9155', 'RFC 8461', 'RFC 8461 §4', 'RFC 7672', 'RFC 8460', 'RFC 7817'],
  'iso-27001': ['A.5.14', 'A.8.20', 'A.8.21', 'A.8.24', 'A.8.9', 'A.8.8', 'A.8.16', 'A.5.9', 'A.5.33', '7.5', '9.1'],
  soc2: ['CC6.7', 'CC6.1', 'CC7.1', 'CC4.1', 'CC6.6'],
  'nydfs-500': ['500.15(a)', '500.5', '500.13(a)', '500.17(b)'],
  'nist-800-171': ['3.13.8', '3.13.11', '3.13.15', '3.13.10', '3.5.10', '3.4.2', '3.11.2', '3.14.1'],
  gdpr: ['Art. 32(1)(a)', 'Art. 32(1)(b)', 'Art. 32(1)(d)', 'Art. 32(2)', 'Art. 34(3)(a)', 'Art. 5(2)'],
};

describe('verdict rules over every shipped control', () => {
  const controls = frameworks.flatMap((fw) => fw.controls.map((c) => ({ fw: fw.framework.id, c, where: `${fw.framework.id} ${c.id}` })));

  it('gives every control a kind, decided per control', () => {
    const byKind = { technical: 0, process: 0, definition: 0 };
    for (const { c } of controls) byKind[c.kind]++;
    // A change to any control's kind changes these figures: review it with an auditor's eye.
    expect(byKind).toEqual({ technical: 60, process: 61, definition: 3 });
    expect(controls.filter(({ c }) => c.kind === 'definition').map(({ where }) => where)).toEqual(['california 1798.82 definition of encrypted', 'glba 314.2(f)', 'hitech 45 CFR 164.402']);
    for (const [fw, id] of [['glba', '314.4(i)'], ['glba', '314.4(d)(2)'], ['hipaa', '164.308(a)(1)(ii)(A)'], ['hipaa', '164.308(a)(1)(ii)(B)'],
      ['pci-dss', '11.3.2'], ['pci-dss', '11.3.1'], ['pci-dss', '12.3.3'], ['pci-dss', '6.3.3'], ['pci-dss', '6.3.1'], ['pci-dss', '2.2.5'],
      ['sec-17a-4', '240.17a-4(f)'], ['frcp', 'FRE 902(14)'], ['sox', 'SOX §802'], ['california', '1798.82(a)'], ['gdpr', 'Art. 34(3)(a)']] as const) {
      expect(control(fw, id).kind, `${fw} ${id}`).toBe('process');
    }
    for (const [fw, id] of [['hipaa', '164.312(e)(1)'], ['pci-dss', '4.2.1'], ['glba', '314.4(c)(3)'], ['nist-800-52', '3.1'], ['ietf', 'RFC 8996'], ['soc2', 'CC6.7']] as const) {
      expect(control(fw, id).kind, `${fw} ${id}`).toBe('technical');
    }
    // Frameworks that govern the evidence hold only process controls.
    for (const { fw, c, where } of controls) if (framework(fw).framework.relevance === 'evidence') expect(c.kind, where).toBe('process');
  });

  it('lets no process control be decided by one check, and no technical control go without checks', () => {
    for (const { c, where } of controls) {
      if (c.kind === 'process') expect(c.checks.filter((l) => l.coverage === 'full').map((l) => l.check), where).toEqual([]);
      if (c.kind === 'technical') expect(c.checks.length, where).toBeGreaterThan(0);
    }
  });

  it('marks supporting links as coverage indirect exactly where the rationale says "Indirect evidence"', () => {
    const links = controls.flatMap(({ c, where }) => [...c.checks, ...c.evidence].map((l) => ({ l, where })));
    expect(links.filter(({ l }) => l.coverage === 'indirect').length).toBeGreaterThanOrEqual(80);
    for (const { l, where } of links) expect(l.rationale.startsWith('Indirect evidence'), where).toBe(l.coverage === 'indirect');
  });

  /** Every linked check's finding on one endpoint per service, all with `status`. */
  function everyFinding(status: FindingStatus): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const id of CHECK_IDS) {
      const list: Finding[] = [];
      for (const service of ServiceSchema.options) {
        if (!checkApplies(checks[id], service)) continue;
        const endpoint = { host: `${service}.example.test`, port: 1, service, transport: 'implicit' as const };
        list.push({ id: `${id}@${service}`, checkId: id, endpoint, endpointKey: service, status, severity: 'high', messageId: 'x', message: 'x', data: {}, evidence: [] });
      }
      out.set(id, list);
    }
    return out;
  }
  const grades = new Map(grading.map((r) => [r.id, r]));
  const properties = (status: 'pass' | 'fail') => new Map(EVIDENCE_PROPERTY_IDS.map((p) => [p, { status, detail: status }] as const));

  it('on a clean scan, passes only technical controls with a deciding link, and never a process control or a definition', () => {
    const clean = everyFinding('pass');
    const statuses = new Map(controls.map(({ c, where }) => [where, evaluateControl(c, clean, { grading: grades, evidence: properties('pass') }).status]));
    for (const where of ['glba 314.4(i)', 'hipaa 164.308(a)(1)(ii)(A)', 'pci-dss 11.3.2', 'pci-dss 12.3.3', 'pci-dss 6.3.3']) {
      expect(statuses.get(where), where).toBe('evidence');
    }
    expect(statuses.get('glba 314.2(f)')).toBe('not-graded');
    for (const { c, where } of controls) {
      const status = statuses.get(where);
      if (c.kind !== 'technical') expect(['evidence', 'not-graded'], where).toContain(status);
      else expect(status, where).toBe(c.checks.some((l) => l.coverage === 'full' && !l.interpretation) ? 'pass' : 'evidence');
    }
  });

  it('when everything fails, fails only technical controls with a deciding link; the rest warn or receive evidence', () => {
    const failing = everyFinding('fail');
    for (const { c, where } of controls) {
      const status = evaluateControl(c, failing, { grading: grades, evidence: properties('fail') }).status;
      if (c.kind === 'definition') expect(status, where).toBe('not-graded');
      else if (c.kind === 'process') expect(status, where).toBe('evidence');
      else expect(status, where).toBe(c.checks.some((l) => l.coverage === 'full' && !l.interpretation) ? 'fail' : 'warn');
    }
  });
});

describe('key citations, exactly as printed', () => {
  it('covers every shipped framework', () => {
    expect(Object.keys(CITATIONS).sort()).toEqual(frameworks.map((fw) => fw.framework.id).sort());
  });

  it.each(Object.entries(CITATIONS))('%s cites exactly these controls', (id, ids) => {
    expect(framework(id).controls.map((c) => c.id)).toEqual(ids);
  });

  it('HIPAA: required vs addressable shown; (e)(2)(i) and (e)(2)(ii) addressable; retention six years', () => {
    expect(control('hipaa', '164.312(e)(1)').obligation).toBe('standard');
    expect(control('hipaa', '164.312(e)(2)(i)').obligation).toBe('addressable');
    expect(control('hipaa', '164.312(e)(2)(ii)').obligation).toBe('addressable');
    expect(control('hipaa', '164.308(a)(1)(ii)(A)').obligation).toBe('required');
    expect(control('hipaa', '164.308(a)(1)(ii)(B)').obligation).toBe('required');
    expect(control('hipaa', '164.308(a)(8)').obligation).toBe('standard');
    expect(control('hipaa', '164.316(b)(2)').obligation).toBe('required');
    expect(control('hipaa', '164.316(b)(2)').effective).toContain('six years');
    expect(checksOf('hipaa', '164.312(e)(2)(ii)')).toEqual(expect.arrayContaining(['tls-not-offered', 'proto-tls10', 'proto-tls11']));
    expect(checksOf('hipaa', '164.308(a)(1)(ii)(B)')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
    expect(propertiesOf('hipaa', '164.308(a)(8)')).toEqual(['report-dated', 'scope-complete']);
  });

  it('HITECH: the guidance names SP 800-52, 800-77, 800-113 and FIPS 140-2; 13412 wants twelve months', () => {
    const guidance = control('hitech', 'HHS guidance, 74 FR 42740');
    for (const name of ['SP 800-52', 'SP 800-77', 'SP 800-113', 'FIPS 140-2']) expect(guidance.paraphrase).toContain(name);
    expect(checksOf('hitech', 'HITECH §13402(h)')).toEqual(['tls-not-offered']);
    expect(control('hitech', 'HITECH §13412').paraphrase).toContain('twelve months');
    expect(control('hitech', 'HITECH §13412').effective).toContain('5 January 2021');
  });

  it('PCI DSS: future-dated items mandatory since 31 March 2025; 11.3.2 carries the ASV caveat', () => {
    for (const id of ['4.2.1', '4.2.1.1', '12.3.3']) expect(control('pci-dss', id).effective).toContain('31 March 2025');
    expect(checksOf('pci-dss', '4.2.1')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'cert-expired']));
    expect(checksOf('pci-dss', '2.2.5')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11']));
    expect(checksOf('pci-dss', '2.2.7')).toEqual(expect.arrayContaining(['proto-sslv3', 'proto-tls10']));
    expect(checksOf('pci-dss', '4.2.1.1')).toContain('cert-expiring');
    expect(checksOf('pci-dss', '8.3.2')).toEqual(['tls-not-offered', 'auth-before-starttls', 'submission-tls-not-enforced']);
    expect(control('pci-dss', '8.3.2').checks[0]?.services).toEqual(['submission', 'imap', 'pop3']);
    for (const link of control('pci-dss', '2.2.7').checks) expect(link.services).toEqual(['https']);
    expect(propertiesOf('pci-dss', '12.3.3')).toEqual(['crypto-inventory']);
    for (const id of ['6.3.1', '11.3.1', '11.3.2']) expect(checksOf('pci-dss', id)).toContain('vuln-heartbleed');
    for (const link of control('pci-dss', '11.3.2').checks) expect(link.rationale).toMatch(/not an ASV scan and does not replace one/);
  });

  it('GLBA: 314.4(c)(3), 314.2(f), 314.4(d)(2) and the board report of 314.4(i)', () => {
    expect(checksOf('glba', '314.4(c)(3)')).toEqual(expect.arrayContaining(['tls-not-offered', 'proto-tls10']));
    // 314.2(f) defines encryption; the weak-protocol links it had now sit on 314.4(c)(3), which uses the definition.
    expect(control('glba', '314.2(f)').kind).toBe('definition');
    expect(checksOf('glba', '314.4(c)(3)')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'proto-sslv3']));
    expect(checksOf('glba', '314.4(d)(2)')).toContain('vuln-heartbleed');
    expect(control('glba', '314.4(c)(3)').effective).toContain('9 June 2023');
    expect(propertiesOf('glba', '314.4(i)')).toEqual(['report-dated', 'scope-complete']);
  });

  it('SOX: supporting only, ITGC through COSO Principle 11 and COBIT DSS05.02, seven-year retention', () => {
    for (const link of [...control('sox', 'COSO Principle 11').checks, ...control('sox', 'COBIT DSS05.02').checks]) {
      expect(link.rationale).toMatch(/^Indirect evidence;/);
    }
    expect(control('sox', 'Reg S-X Rule 2-06').paraphrase).toContain('seven years');
    // 18 U.S.C. 1520(a)(1) itself sets five years; Rule 2-06 sets seven; both bind the auditor.
    expect(control('sox', 'SOX §802').paraphrase).toMatch(/five years[\s\S]*seven years[\s\S]*bind the auditor/);
  });

  it('California: encryption safe harbor in 1798.82(a), reasonable security, CCPA private right of action', () => {
    expect(control('california', '1798.82(a)').paraphrase).toContain('generally accepted');
    expect(control('california', '1798.82(a)').obligation).toMatch(/^safe-harbour trigger/);
    expect(control('california', '1798.29(a)').obligation).toMatch(/^safe-harbour trigger/);
    expect(control('california', '1798.82 definition of encrypted').paraphrase).toContain('generally accepts');
    // The reasonable-security duty links every protocol finding alike (SSLv2 through TLS 1.1).
    expect(checksOf('california', '1798.81.5(b)')).toEqual(expect.arrayContaining(['proto-sslv2', 'proto-sslv3', 'proto-tls10', 'proto-tls11', 'cert-expired', 'cert-not-yet-valid']));
    expect(checksOf('california', '1798.150(a)(1)')).toContain('tls-not-offered');
    expect(control('california', '1798.150(a)(1)').paraphrase).toContain('email address together with a password');
  });

  it('SEC 17a-4 and FINRA: three and six years, WORM or audit trail, NASD 3010 superseded on 1 December 2014', () => {
    expect(control('sec-17a-4', '240.17a-4(b)(4)').paraphrase).toContain('three years');
    expect(control('sec-17a-4', '240.17a-4(f)').paraphrase).toMatch(/non-rewriteable, non-erasable.*audit trail/);
    expect(control('sec-17a-4', '240.17a-4(f)').effective).toContain('3 May 2023');
    expect(control('finra', 'FINRA Rule 3110').aliases).toEqual([{ id: 'NASD Rule 3010', relation: 'formerly', note: 'superseded by FINRA 3110' }]);
    expect(control('finra', 'FINRA Rule 3110').effective).toContain('1 December 2014');
    expect(control('finra', 'FINRA Rule 4511').paraphrase).toContain('six years');
  });

  it('FRCP and FRE: preservation under 37(e), hash-authenticated copies under 902(14)', () => {
    expect(control('frcp', 'FRCP 37(e)').effective).toContain('1 December 2015');
    expect(propertiesOf('frcp', 'FRE 902(14)')).toEqual(['inputs-hashed']);
    // 26(f)(3)(C) governs what the discovery plan addresses, not retention: partial at most.
    expect(control('frcp', 'FRCP 26(f)(3)(C)').evidence.every((l) => l.coverage === 'partial')).toBe(true);
    expect(control('frcp', 'FRE 902(13)').effective).toContain('1 December 2017');
  });

  it('NIST SP 800-52r2 3.1 and SP 800-53r5 baselines', () => {
    expect(control('nist-800-52', '3.1').obligation).toBe('shall');
    expect(checksOf('nist-800-52', '3.1')).toEqual(expect.arrayContaining(['proto-tls10', 'proto-tls11', 'proto-tls13-missing']));
    expect(control('nist-800-53', 'SC-8(1)').obligation).toBe('Moderate and High baselines');
    expect(control('nist-800-53', 'SC-13').obligation).toBe('Low, Moderate and High baselines');
    expect(checksOf('nist-800-53', 'IA-5(2)')).toEqual(expect.arrayContaining(['cert-untrusted', 'cert-hostname-mismatch']));
    // A bad server certificate is not evidence of the organisation's own PKI authentication.
    for (const link of control('nist-800-53', 'IA-5(2)').checks) expect(link.rationale).toMatch(/^Indirect evidence;/);
  });

  it('missing TLS 1.3 is a requirement only where the reference says so, and indirect elsewhere', () => {
    const tls13 = frameworks.flatMap((fw) => fw.controls
      .flatMap((c) => c.checks.filter((l) => l.check === 'proto-tls13-missing').map((l) => `${fw.framework.id} ${c.id} ${l.coverage}`)));
    expect(tls13).toEqual(['ietf RFC 9325 §3.1.1 partial', 'nist-800-52 3.1 partial', 'nist-800-53 SC-13 indirect', 'nist-800-53 CM-6 indirect']);
  });

  it('IETF: RFC 3207 is the basis of fair grading; RFC 8996 forbids TLS 1.0 and 1.1 outright', () => {
    expect(control('ietf', 'RFC 3207 §4').obligation).toBe('MUST NOT require (publicly referenced servers)');
    expect(control('ietf', 'RFC 8996').checks.map((l) => [l.check, l.coverage])).toEqual([['proto-tls10', 'full'], ['proto-tls11', 'full']]);
    expect(control('ietf', 'RFC 8314 §4.1').aliases).toEqual(['RFC 8997']);
    expect(control('ietf', 'RFC 9051 §6.2.3').obligation).toBe('SHOULD NOT (sites); MUST be configurable to refuse (implementations)');
  });

  it('ISO 27001, SOC 2, NYDFS, NIST 800-171 / CMMC and GDPR transit controls', () => {
    expect(checksOf('iso-27001', 'A.8.24')).toContain('proto-tls10');
    expect(checksOf('soc2', 'CC6.7')).toContain('tls-not-offered');
    expect(checksOf('soc2', 'CC6.6')).toEqual(expect.arrayContaining(['auth-before-starttls', 'submission-tls-not-enforced']));
    expect(control('nydfs-500', '500.15(a)').effective).toContain('1 November 2024');
    expect(control('nist-800-171', '3.13.8').aliases).toEqual(['SC.L2-3.13.8']);
    expect(control('nist-800-171', '3.13.11').paraphrase).toContain('FIPS-validated');
    expect(checksOf('gdpr', 'Art. 32(1)(a)')).toContain('tls-not-offered');
  });
});
