/**
 * Rules that catch the classes of defect a line-by-line audit of the control catalogue found,
 * each over every shipped mapping file and driven by data kept beside this test (fixtures/):
 * a link to an RFC about one kind of mail service judges only that kind; a paraphrase never
 * copies the official sentence of its control; a note never says a topic has no check while the
 * framework links one; and a report without a domain list gives no verdicts under frameworks that
 * depend on the data carried.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkById } from '../../src/checks/index.js';
import { builtInMappingsDir, loadMappings } from '../../src/map/load.js';
import { ServiceSchema, type Service } from '../../src/model/endpoint.js';
import type { Control, LoadedFramework } from '../../src/model/framework.js';
import { runReport } from '../../src/pipeline.js';
import { lacks } from '../support/tools.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = <T>(name: string): T => parse(readFileSync(join(root, 'test/integrity/fixtures', name), 'utf8')) as T;
const { frameworks, scope } = loadMappings({ builtInDir: builtInMappingsDir() });

const ALL_SERVICES: readonly Service[] = ServiceSchema.options;

// ── RFCs about one kind of service ───────────────────────────────────────────────────────────

const rfcTable = fixture<{ rfcs: Record<string, { services: Service[]; why: string }> }>('rfc-services.yaml').rfcs;

/** The RFCs a control cites: its id and its aliases ("RFC 8314 §4.1" and alias "RFC 8997"). */
function citedRfcs(c: Control): string[] {
  const ids = [c.id, ...(c.aliases ?? []).map((a) => (typeof a === 'string' ? a : a.id))];
  return ids.map((id) => /^RFC \d+/.exec(id)?.[0]).filter((r): r is string => r !== undefined);
}

/** Services a link can judge: its own filter, else every service its check runs on. */
function servicesJudged(link: Control['checks'][number]): readonly Service[] {
  if (link.services !== undefined) return link.services;
  const { appliesTo } = checkById(link.check).meta;
  return appliesTo === 'all' ? ALL_SERVICES : appliesTo;
}

/** Every check link whose judged services reach beyond what its control's RFCs are about. */
function linksBeyondTheirRfc(fws: readonly LoadedFramework[]): string[] {
  const wrong: string[] = [];
  for (const fw of fws) {
    for (const c of fw.controls) {
      const allowed = citedRfcs(c).flatMap((rfc) => rfcTable[rfc]?.services ?? []);
      if (allowed.length === 0) continue;
      for (const link of c.checks) {
        const extra = servicesJudged(link).filter((s) => !allowed.includes(s));
        if (extra.length > 0) wrong.push(`${fw.framework.id} ${c.id} ${link.check} also judges ${extra.join(', ')}`);
      }
    }
  }
  return wrong;
}

describe('links to RFCs about one kind of mail service', () => {
  it('the table names only real services and covers every such RFC the catalogue cites', () => {
    for (const [rfc, row] of Object.entries(rfcTable)) {
      expect(row.services.length, rfc).toBeGreaterThan(0);
      for (const s of row.services) expect(ALL_SERVICES, rfc).toContain(s);
    }
    const cited = new Set(frameworks.flatMap((fw) => fw.controls.flatMap(citedRfcs)));
    for (const rfc of ['RFC 3207', 'RFC 4954', 'RFC 8314', 'RFC 8997', 'RFC 9051', 'RFC 7817', 'RFC 8461', 'RFC 7672', 'RFC 8460']) {
      expect(cited.has(rfc), `${rfc} is cited`).toBe(true);
    }
  });

  it('judge only findings on the services the RFC is about', () => {
    expect(linksBeyondTheirRfc(frameworks)).toEqual([]);
  });

  it('catches a link that lost its filter (the rule is not vacuous)', () => {
    const broken = frameworks.map((fw) => (fw.framework.id !== 'ietf' ? fw : {
      ...fw,
      controls: fw.controls.map((c) => (c.id !== 'RFC 8314 §3' ? c : {
        ...c, checks: c.checks.map((l) => (l.check === 'tls-not-offered' ? { ...l, services: undefined } : l)),
      })),
    }));
    expect(linksBeyondTheirRfc(broken)).toEqual(['ietf RFC 8314 §3 tls-not-offered also judges smtp, https, other']);
  });
});

// ── Paraphrases in our own words ─────────────────────────────────────────────────────────────

const official = fixture<{ sentences: { framework: string; control: string; text: string; source: string }[] }>('official-text.yaml').sentences;

/** Lower-case words, punctuation dropped, British -ise spellings folded to -ize. */
function words(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9§.()\s]/g, ' ').split(/\s+/)
    .map((w) => w.replace(/^[.()]+|[.()]+$/g, '').replace(/is(e|ed|es|ing|ation)$/, 'iz$1'))
    .filter((w) => w.length > 0);
}

/** Length of the longest run of consecutive words two texts share. */
function longestSharedRun(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let best = 0;
  let prev = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const cur = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) {
      if (x[i - 1] === y[j - 1]) {
        cur[j] = prev[j - 1]! + 1;
        if (cur[j]! > best) best = cur[j]!;
      }
    }
    prev = cur;
  }
  return best;
}

/** Up to 7 shared words in a row; for an official sentence shorter than 8 words, never all of it. */
function maxSharedRun(officialText: string): number {
  return Math.min(7, words(officialText).length - 1);
}

describe('paraphrases against the official sentence', () => {
  it('every sentence in the fixture names a shipped control and says where it comes from', () => {
    expect(official.length).toBeGreaterThan(5);
    for (const s of official) {
      const fw = frameworks.find((f) => f.framework.id === s.framework);
      expect(fw?.controls.some((c) => c.id === s.control), `${s.framework} ${s.control}`).toBe(true);
      expect(s.source.length).toBeGreaterThan(10);
    }
  });

  it.each(official.map((s) => [`${s.framework} ${s.control}`, s] as const))('%s shares no run of 8 or more words (nor the whole of a shorter sentence) with its source', (_, s) => {
    const c = frameworks.find((f) => f.framework.id === s.framework)!.controls.find((x) => x.id === s.control)!;
    expect(longestSharedRun(c.paraphrase, s.text), c.paraphrase).toBeLessThanOrEqual(maxSharedRun(s.text));
  });

  it('measures runs across spelling and punctuation (the rule is not vacuous)', () => {
    const s = official.find((x) => x.control === '164.312(e)(1)')!;
    // The official sentence turned into an instruction, with British spelling: exactly the defect.
    expect(longestSharedRun('Put in place technical security measures to guard against unauthorised access to electronic protected health information.', s.text)).toBeGreaterThanOrEqual(8);
    // A short official sentence copied whole is caught too (hyphens count as spaces).
    const short = official.find((x) => x.control === '3.5.10')!.text;
    expect(longestSharedRun('Store and transmit only cryptographically protected passwords.', short)).toBe(7);
    expect(maxSharedRun(short)).toBe(6);
  });
});

// ── Notes that say a topic has no check ──────────────────────────────────────────────────────

const topics = fixture<{ topics: { words: string[]; checks: string[] }[] }>('check-topics.yaml').topics;
const NO_CHECK = /\b(?:no (?:tlsproof )?checks?\b|not yet a (?:tlsproof )?check|until tlsproof checks|has no checks?\b)/i;

/** Sentences of a framework's notes that say tlsproof has no check, held against its links. */
function staleNoCheckNotes(fws: readonly LoadedFramework[]): string[] {
  const stale: string[] = [];
  for (const fw of fws) {
    const linked = new Set(fw.controls.flatMap((c) => c.checks.map((l) => l.check as string)));
    const sentences = (fw.framework.notes ?? '').split(/(?<=\.)\s+/).filter((s) => NO_CHECK.test(s));
    for (const sentence of sentences) {
      // A control named in the sentence must have no links at all.
      for (const c of fw.controls) {
        if (new RegExp(`(^|[\\s(])${c.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s,.;)]|$)`).test(sentence) && c.checks.length + c.evidence.length > 0) {
          stale.push(`${fw.framework.id}: "${sentence}" but ${c.id} has links`);
        }
      }
      // A topic named in the sentence must have no linked check in this framework.
      for (const topic of topics) {
        if (!topic.words.some((w) => sentence.toLowerCase().includes(w.toLowerCase()))) continue;
        const live = topic.checks.filter((ch) => linked.has(ch));
        if (live.length > 0) stale.push(`${fw.framework.id}: "${sentence}" but it links ${live.join(', ')}`);
      }
    }
  }
  return stale;
}

describe('notes that say tlsproof has no check', () => {
  it('never contradict the links of their framework', () => {
    expect(staleNoCheckNotes(frameworks)).toEqual([]);
  });

  it('catch a stale note (the rule is not vacuous)', () => {
    const soc2 = frameworks.find((f) => f.framework.id === 'soc2')!;
    const pci = frameworks.find((f) => f.framework.id === 'pci-dss')!;
    const broken = [
      { ...soc2, framework: { ...soc2.framework, notes: 'MTA-STS, DANE and TLS reporting have no checks yet.' } },
      { ...pci, framework: { ...pci.framework, notes: '8.3.2 is not mapped: tlsproof has no check for it.' } },
    ];
    expect(staleNoCheckNotes(broken)).toEqual([
      'soc2: "MTA-STS, DANE and TLS reporting have no checks yet." but it links mta-sts-missing, mta-sts-not-enforced',
      'soc2: "MTA-STS, DANE and TLS reporting have no checks yet." but it links dane-missing',
      'soc2: "MTA-STS, DANE and TLS reporting have no checks yet." but it links tls-rpt-missing',
      'pci-dss: "8.3.2 is not mapped: tlsproof has no check for it." but 8.3.2 has links',
    ]);
  });
});

// ── No domain list: no verdicts under data-driven frameworks ─────────────────────────────────

/** Frameworks that judge TLS itself and bind by choice; every other one depends on the data carried. */
const TECHNICAL_BASELINES = new Set(['nist-800-52', 'nist-800-53', 'nist-800-177', 'ietf']);

describe('a report with no domain list and no --frameworks', () => {
  it('defaults only to technical baselines', () => {
    expect(scope.defaultFrameworks.length).toBeGreaterThan(0);
    for (const id of scope.defaultFrameworks) expect(TECHNICAL_BASELINES.has(id), id).toBe(true);
  });

  it('gives no HIPAA, PCI DSS or GLBA verdicts and says no data classes were declared (real pipeline)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tlsproof-no-scope-'));
    try {
      const outcome = await runReport({
        inputs: ['samples/2026-Q3'], formats: ['html', 'json'], outDir: out, strict: false,
        generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.0.0-test',
      });
      const json = JSON.parse(await readFile(outcome.written.find((p) => p.endsWith('.json'))!, 'utf8')) as {
        frameworks: { id: string }[]; findings: { controls: { frameworkId: string }[] }[]; scope: { frameworksRequested: null | string[] };
      };
      const ids = json.frameworks.map((f) => f.id);
      expect(ids.sort()).toEqual([...scope.defaultFrameworks].sort());
      for (const id of ['hipaa', 'pci-dss', 'glba']) {
        expect(ids).not.toContain(id);
        expect(json.findings.some((f) => f.controls.some((c) => c.frameworkId === id)), id).toBe(false);
      }
      expect(json.scope.frameworksRequested).toBeNull();
      const html = await readFile(outcome.written.find((p) => p.endsWith('.html'))!, 'utf8');
      expect(html.replace(/\s+/g, ' ')).toContain('no domain list declared any data classes, so no framework that depends on the data carried (HIPAA, PCI DSS, GLBA and others) is assessed');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(lacks('pdftotext'))('says so in the PDF scope section too (real pipeline, one endpoint to keep it quick)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tlsproof-no-scope-pdf-'));
    try {
      const outcome = await runReport({
        inputs: ['samples/2026-Q3/smtp-good.json'], formats: ['pdf'], outDir: out, strict: false,
        generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.0.0-test',
      });
      expect(outcome.model.frameworks.map((f) => f.id).sort()).toEqual([...scope.defaultFrameworks].sort());
      const { stdout: pdf } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', outcome.written[0]!, '-']);
      expect(pdf.replace(/\s+/g, ' ')).toContain('no domain list declared any data classes, so no framework that depends on the data carried (HIPAA, PCI DSS, GLBA and others) is assessed');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

// ── Superseded predecessors ──────────────────────────────────────────────────────────────────

describe('a superseded predecessor rule', () => {
  it('is stored with its relation wherever the catalogue names one', () => {
    // Every alias that is a retired rule (NASD rules were replaced by FINRA rules in 2014) says so.
    const retired = frameworks.flatMap((fw) => fw.controls.flatMap((c) => (c.aliases ?? [])
      .filter((a) => /^NASD /.test(typeof a === 'string' ? a : a.id)).map((a) => ({ where: `${fw.framework.id} ${c.id}`, a }))));
    expect(retired.length).toBeGreaterThan(0);
    for (const { where, a } of retired) expect(typeof a === 'string' ? 'also' : a.relation, where).toBe('formerly');
  });

  it.skipIf(lacks('pdftotext'))('reads as formerly …, superseded, in the report model, the HTML and the PDF (real pipeline)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'tlsproof-alias-'));
    try {
      const outcome = await runReport({
        inputs: ['samples/2026-Q3/smtp-good.json'], frameworks: ['finra'], formats: ['json', 'html', 'pdf'], outDir: out, strict: false,
        generatedAt: '2026-10-01T09:00:00Z', cwd: root, toolVersion: '0.0.0-test',
      });
      const supervision = outcome.model.frameworks.find((f) => f.id === 'finra')!.controls.find((c) => c.id === 'FINRA Rule 3110')!;
      expect(supervision.aliases).toEqual([{ id: 'NASD Rule 3010', text: 'formerly NASD Rule 3010 (superseded by FINRA 3110)' }]);
      const { stdout } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', outcome.written.find((p) => p.endsWith('.pdf'))!, '-']);
      const text = stdout.replace(/\s+/g, ' ');
      expect(text).toContain('formerly NASD Rule 3010 (superseded by FINRA 3110)');
      expect(text).not.toContain('also NASD');
      const html = (await readFile(outcome.written.find((p) => p.endsWith('.html'))!, 'utf8')).replace(/\s+/g, ' ');
      expect(html).toContain('<p class="muted small">formerly NASD Rule 3010 (superseded by FINRA 3110)</p>');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

// ── Findings of the same kind linked alike ───────────────────────────────────────────────────

const consistency = fixture<{ together: { checks: string[] }[]; protocolOrder: string[]; exemptions: { control: string; why: string }[] }>('link-consistency.yaml');

/** Controls that link one of a pair but not the other, or a protocol version but not an older one. */
function inconsistentLinks(fws: readonly LoadedFramework[]): string[] {
  const exempt = new Set(consistency.exemptions.map((e) => e.control));
  const out: string[] = [];
  for (const fw of fws) {
    for (const c of fw.controls) {
      const where = `${fw.framework.id} ${c.id}`;
      if (exempt.has(where)) continue;
      const linked = new Set(c.checks.map((l) => l.check as string));
      for (const group of consistency.together) {
        const has = group.checks.filter((ch) => linked.has(ch));
        if (has.length > 0 && has.length < group.checks.length) out.push(`${where} links ${has.join(', ')} but not ${group.checks.filter((ch) => !linked.has(ch)).join(', ')}`);
      }
      const order = consistency.protocolOrder;
      const newest = order.reduce((n, ch, i) => (linked.has(ch) ? i : n), -1);
      const missing = order.slice(0, newest + 1).filter((ch) => !linked.has(ch));
      if (missing.length > 0) out.push(`${where} links ${order[newest]} but not ${missing.join(', ')}`);
    }
  }
  return out;
}

describe('findings of the same kind', () => {
  it('are linked alike by every control', () => {
    expect(inconsistentLinks(frameworks)).toEqual([]);
    for (const e of consistency.exemptions) expect(frameworks.some((fw) => fw.controls.some((c) => `${fw.framework.id} ${c.id}` === e.control)), e.control).toBe(true);
  });

  it('catch the California defect the audit found (the rule is not vacuous)', () => {
    const broken = frameworks.map((fw) => (fw.framework.id !== 'california' ? fw : {
      ...fw,
      controls: fw.controls.map((c) => (c.id !== '1798.81.5(b)' ? c : {
        ...c, checks: c.checks.filter((l) => !['proto-sslv3', 'proto-tls10', 'cert-not-yet-valid'].includes(l.check)),
      })),
    }));
    expect(inconsistentLinks(broken)).toEqual([
      'california 1798.81.5(b) links cert-expired but not cert-not-yet-valid',
      'california 1798.81.5(b) links proto-tls11 but not proto-sslv3, proto-tls10',
    ]);
  });
});
