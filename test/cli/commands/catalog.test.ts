/**
 * The catalogue commands through a fake CliIo: `frameworks`, `controls <framework>` and
 * `explain <check-id>`, in text and --json, with user --mappings folders and with bad input.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/index.js';
import type { CliIo } from '../../../src/cli/io.js';
import { builtInMappingsDir } from '../../../src/map/load.js';

const work = mkdtempSync(join(tmpdir(), 'tlsproof-catalog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A user folder (relative to the fake cwd) holding a newer HIPAA version. */
const hipaa2013 = readFileSync(join(builtInMappingsDir(), 'hipaa', '2013.yaml'), 'utf8');
mkdirSync(join(work, 'ours', 'hipaa'), { recursive: true });
writeFileSync(join(work, 'ours', 'hipaa', '2025.yaml'), hipaa2013
  .replace('version: "2013"', 'version: "2025"').replace('versionDate: "2013-01-25"', 'versionDate: "2025-01-06"')
  .replace('title: HIPAA Security Rule\n', 'title: HIPAA Security Rule (our draft of the 2025 proposal)\n'));
mkdirSync(join(work, 'bad', 'acme'), { recursive: true });
writeFileSync(join(work, 'bad', 'acme', '1.0.yaml'), hipaa2013.replace('id: hipaa', 'id: acme').replace('version: "2013"', 'version: "1.0"')
  .replace('check: proto-tls10', 'check: proto-tls1O'));

type Command = 'frameworks' | 'controls' | 'explain';
const frameworksCommand: Command = 'frameworks';
const controlsCommand: Command = 'controls';
const explainCommand: Command = 'explain';

/** Through main(), as the bin runs it: the one catch turns errors into the message and exit code 2. */
async function run(command: Command, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd: work, env: {}, now: () => new Date(0) };
  const code = await main([command, ...args], io);
  return { code, stdout, stderr };
}

describe('tlsproof frameworks', () => {
  it('lists every framework version with date, control count and relevance', async () => {
    const r = await run(frameworksCommand);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^FRAMEWORK\s+VERSION\s+DATE\s+CONTROLS\s+RELEVANCE\s+TITLE$/);
    expect(lines).toContainEqual(expect.stringMatching(/^hipaa\s+2013\s+2013-01-25\s+10\s+direct\s+HIPAA Security Rule$/));
    expect(lines).toContainEqual(expect.stringMatching(/^sec-17a-4\s+2022\s+2022-10-12\s+2\s+evidence\s+SEC Rule 17a-4/));
    expect(lines).toContainEqual(expect.stringMatching(/^sox\s+2002\s+2002-07-30\s+4\s+supporting\s+/));
    expect(r.stdout).toMatch(/\n18 framework versions, \d+ controls\. See a framework's controls with: tlsproof controls <id>\n$/);
  });

  it('--json gives the same list as data', async () => {
    const r = await run(frameworksCommand, '--json');
    const list = JSON.parse(r.stdout) as { ref: string; controls: number; newest: boolean; builtIn: boolean }[];
    expect(list).toHaveLength(18);
    expect(list.find((f) => f.ref === 'pci-dss@4.0.1')).toMatchObject({ controls: 12, newest: true, builtIn: true });
  });

  it('shows a user version beside the built-in one and marks the one a report uses', async () => {
    const r = await run(frameworksCommand, '--mappings', 'ours');
    expect(r.stdout).toMatch(/\nhipaa\s+2013\s+2013-01-25\s+10\s+direct\s+HIPAA Security Rule\n/);
    expect(r.stdout).toContain(`(our draft of the 2025 proposal) (from ${join(work, 'ours', 'hipaa', '2025.yaml')})`);
    expect(r.stdout).toMatch(/\nhipaa \*\s+2025\s+2025-01-06/);
    expect(r.stdout).toContain('* = the version used when only the id is given.');
  });

  it('refuses a bad user file with file, line, path and the allowed values', async () => {
    const r = await run(frameworksCommand, '--mappings', 'bad');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^tlsproof: ${join(work, 'bad', 'acme', '1.0.yaml').replace(/[.]/g, '\\.')}:\\d+:\\d+: controls\\[\\d+\\]\\.checks\\[\\d+\\]\\.check: unknown check id "proto-tls1O" \\(did you mean "proto-tls10"\\?\\); valid check ids: `));
  });

  it('refuses unknown options and arguments with exit code 2', async () => {
    expect((await run(frameworksCommand, '--bogus')).stderr).toMatch(/^tlsproof: Unknown option '--bogus'[\s\S]*\nUsage: tlsproof frameworks/);
    expect((await run(frameworksCommand, 'hipaa')).code).toBe(2);
    expect((await run(frameworksCommand, '--help')).stdout).toMatch(/^Usage: tlsproof frameworks/);
  });
});

describe('tlsproof controls', () => {
  it('shows each control with its citation details and linked checks and properties', async () => {
    const r = await run(controlsCommand, 'hipaa');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HIPAA Security Rule — hipaa@2013 \(2013-01-25\)\n/);
    expect(r.stdout).toContain('\n164.312(e)(2)(ii)  Encryption  [addressable; confidence high]\n');
    expect(r.stdout).toContain('    proto-tls10 (partial): TLS 1.0 is deprecated (RFC 8996); accepting it weakens the encryption\n    mechanism relied on for ePHI.\n');
    // "Our reading" is said once: by the tag, not again at the start of the rationale.
    expect(r.stdout).toContain('    cert-expired (partial; our reading): an expired certificate cannot authenticate');
    expect(r.stdout).not.toContain('our reading): Our reading');
    expect(r.stdout).toContain('    mta-sts-missing (indirect; grading opportunistic-starttls): Indirect evidence;');
    expect(r.stdout).toMatch(/\n164\.316\(b\)\(2\)  Documentation: time limit, availability and updates  \[required; confidence high\]\n[\s\S]*  Report properties:\n    report-dated \(partial\): [\s\S]*    records-retained \(full\): /);
    expect(r.stdout).not.toContain('164.312(a)(2)(iv)');
  });

  it('says when a framework governs the evidence, and flags unconfirmed citations', async () => {
    expect((await run(controlsCommand, 'sec-17a-4')).stdout).toContain('Relevance: evidence (governs the report itself: dated, hashed, complete, retained; no TLS checks)');
    const california = await run(controlsCommand, 'california');
    expect(california.stdout).toContain('\n1798.82 definition of encrypted  What counts as encrypted for breach notification  [definition (decides whether a breach must be notified); confidence medium; UNCONFIRMED citation]\n');
    const finra = await run(controlsCommand, 'finra');
    expect(finra.stdout).toContain('\nReg S-P 248.30(a)  Safeguards for customer records and information  [required; confidence medium]\n');
    // A superseded predecessor reads as such, never as a current citation.
    expect(finra.stdout).toContain('\nFINRA Rule 3110  Supervision  [required; confidence high]\n  formerly NASD Rule 3010 (superseded by FINRA 3110)\n');
    expect(finra.stdout).not.toContain('also cited as: NASD');
    expect((await run(controlsCommand, 'nist-800-171')).stdout).toMatch(/\n3\.13\.8  .*\n  also cited as SC\.L2-3\.13\.8\n/);
  });

  it('takes id@version and the newest version by default; --json gives the controls as data', async () => {
    expect((await run(controlsCommand, 'hipaa', '--mappings', 'ours')).stdout).toMatch(/^HIPAA Security Rule \(our draft of the 2025 proposal\) — hipaa@2025 /);
    expect((await run(controlsCommand, 'hipaa@2013', '--mappings', 'ours')).stdout).toMatch(/^HIPAA Security Rule — hipaa@2013 /);
    const json = JSON.parse((await run(controlsCommand, 'pci-dss@4.0.1', '--json')).stdout) as { framework: { ref: string }; controls: { id: string; links: { id: string; kind: string }[] }[] };
    expect(json.framework.ref).toBe('pci-dss@4.0.1');
    expect(json.controls.map((c) => c.id)).toEqual(['4.2.1', '4.2.1.1', '4.2.2', '8.3.2', '2.2.5', '2.2.7', '12.3.3', '6.3.1', '6.3.3', '11.3.1', '11.3.2', '12.5.1']);
    expect(json.controls.find((c) => c.id === '12.3.3')?.links).toEqual([expect.objectContaining({ id: 'crypto-inventory', kind: 'property' })]);
  });

  it('refuses an unknown framework, naming what is loaded, and a missing argument', async () => {
    const r = await run(controlsCommand, 'hipa');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tlsproof: Unknown framework "hipa" in tlsproof controls\. Available: california, .*hipaa.*\(or one version as id@version: california@2023, /);
    expect((await run(controlsCommand, 'pci-dss@3.2.1')).stderr).toContain('Unknown framework "pci-dss@3.2.1"');
    expect((await run(controlsCommand)).stderr).toMatch(/^tlsproof: controls needs exactly one framework/);
  });
});

describe('tlsproof explain', () => {
  it('lists every control a check touches, across frameworks, with rationale', async () => {
    const r = await run(explainCommand, 'proto-tls10', '--frameworks', 'hipaa,pci-dss,ietf');
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./__snapshots__/explain-proto-tls10.txt');
  });

  it('covers the newest version of every framework by default', async () => {
    const all = JSON.parse((await run(explainCommand, 'tls-not-offered', '--json')).stdout) as {
      kind: string; unmappedReason: null; controls: { framework: { id: string; version: string }; control: { id: string }; link: { coverage: string; services: string[] | null } }[];
    };
    expect(all.kind).toBe('check');
    expect(new Set(all.controls.map((c) => c.framework.id)).size).toBe(16);
    expect(all.controls.map((c) => `${c.framework.id} ${c.control.id}`)).toEqual(expect.arrayContaining([
      'hipaa 164.312(e)(1)', 'hitech HITECH §13402(h)', 'pci-dss 4.2.1', 'pci-dss 8.3.2', 'glba 314.4(c)(3)', 'ietf RFC 3207 §4',
      'nist-800-53 SC-8(1)', 'nydfs-500 500.15(a)', 'nist-800-171 3.13.8', 'gdpr Art. 32(1)(a)', 'california 1798.82(a)',
    ]));
    // Evidence-governing frameworks never appear for a TLS check.
    expect(all.controls.some((c) => c.framework.id === 'sec-17a-4' || c.framework.id === 'frcp')).toBe(false);
    expect(all.controls.find((c) => c.control.id === '8.3.2')?.link.services).toEqual(['submission', 'imap', 'pop3']);
    const withUser = JSON.parse((await run(explainCommand, 'tls-not-offered', '--json', '--mappings', 'ours')).stdout) as typeof all;
    expect(withUser.controls.filter((c) => c.framework.id === 'hipaa').map((c) => c.framework.version)).toEqual(['2025', '2025', '2025']);
  });

  it('explains the opportunistic-STARTTLS grading for an enforcement check', async () => {
    const r = await run(explainCommand, 'mta-sts-missing');
    expect(r.stdout).toContain('\n  RFC 8461  SMTP MTA Strict Transport Security (MTA-STS)  [optional mechanism (what lets a domain ask senders to insist on TLS)]\n    mta-sts-missing (full): ');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(' mta-sts-missing (partial; our reading; grading opportunistic-starttls): MTA-STS in enforce mode, or DANE,');
    // The paragraph is wrapped for the terminal; compare it with the line breaks folded.
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/ Grading rule opportunistic-starttls — Opportunistic STARTTLS on an MX is conformant: on smtp endpoints a failure of this check counts as a warning on the controls marked "grading opportunistic-starttls", and as a failure on the others \(RFC 3207 §4; RFC 8461; RFC 7672; RFC 8460\)\. $/);
  });

  it('says why an unmapped check counts toward no control', async () => {
    const r = await run(explainCommand, 'scan-incomplete');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Counts toward no control: Says the evidence is incomplete, not something about TLS;');
    expect(r.stdout).not.toContain('Linked from');
  });

  it('explains report properties, which evidence-governing frameworks rely on', async () => {
    const r = await run(explainCommand, 'records-retained', '--json');
    const json = JSON.parse(r.stdout) as { kind: string; controls: { framework: { id: string; relevance: string }; control: { id: string }; link: { coverage: string } }[] };
    expect(json.kind).toBe('property');
    expect(json.controls.map((c) => `${c.framework.id} ${c.control.id} ${c.link.coverage}`)).toEqual(expect.arrayContaining([
      'sec-17a-4 240.17a-4(f) full', 'finra FINRA Rule 4511 full', 'frcp FRCP 37(e) full', 'sox SOX §802 full', 'hipaa 164.316(b)(2) full',
    ]));
    expect((await run(explainCommand, 'inputs-hashed')).stdout).toMatch(/^inputs-hashed — Inputs identified by SHA-256 digest \(report property, judged from the report itself\)\n/);
  });

  it('refuses an unknown id with a suggestion, and bad --frameworks', async () => {
    const r = await run(explainCommand, 'proto-tls1O');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tlsproof: "proto-tls1O" is not a check or report property \(did you mean "proto-tls10"\?\); known ids: scan-incomplete, /);
    expect((await run(explainCommand, 'proto-tls10', '--frameworks', 'sox2')).stderr).toMatch(/^tlsproof: Unknown framework "sox2" in --frameworks\./);
    expect((await run(explainCommand)).code).toBe(2);
  });
});
