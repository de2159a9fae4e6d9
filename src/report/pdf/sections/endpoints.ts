/**
 * Endpoint details, one block per endpoint: a compact grid of facts (what was tested and with
 * which tool, when it was observed and where that time comes from, the protocol versions and
 * cipher classes grouped by verdict, forward secrecy), certificates, then each failing, warning
 * or error finding in full (status over severity, message, remediation, evidence file:line and the
 * raw excerpt, printed once), and the passed checks as a grid and the untested ones run on, each
 * with the lines of its evidence. Bookmarks are grouped beyond OUTLINE_FLAT_LIMIT endpoints.
 */
import type { CertificateSummary, EndpointSummary, ReportFinding } from '../../../model/report-model.js';
import type { OutlineItem, PdfContext, Run } from '../context.js';
import { asciiHost, date, dateTime, findingText, num, observedSourceLabel, protocolName, serviceLabel, yesNo } from '../format.js';
import { CELL, COLOR, CONTROL_STATUS_LABEL, FINDING_STATUS_LABEL, OUTLINE_FLAT_LIMIT, OUTLINE_GROUP_SIZE, SPACE, TYPE } from '../layout.js';
import { bold, findingStatusRun, location, mono, muted, severityRun } from '../parts.js';
import { prepareTable, type Cell, type Column } from '../table.js';
import { ocspLabel } from '../../ocsp-label.js';
import { attributionLabel } from '../../scope-text.js';
import { SEVERITY_RULE } from './summary.js';
import { findingExceptionNote } from '../../exceptions-text.js';

export const ENDPOINTS_DEST = 'sec-endpoints';

const BAD = '#b42318';
const GOOD = '#067647';
const LEGACY_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']);
/** Three label/value pairs to a row: endpoint facts and certificates read as a compact grid. */
const KEY_COLUMNS: readonly Column[] = [
  { header: '', weight: 13, font: 'bold', color: COLOR.muted, rowHeader: true },
  { header: '', weight: 21 },
  { header: '', weight: 13, font: 'bold', color: COLOR.muted, rowHeader: true },
  { header: '', weight: 20 },
  { header: '', weight: 13, font: 'bold', color: COLOR.muted, rowHeader: true },
  { header: '', weight: 20 },
];
const GRID_SIZE = 7.4;

export function drawEndpoints(ctx: PdfContext): void {
  const eps = ctx.model.scope.endpoints;
  const root = ctx.sectionHeading('Endpoint details', { dest: ENDPOINTS_DEST });
  ctx.paragraph(`${num(eps.length)} endpoint${eps.length === 1 ? '' : 's'}, in the order of the Scope table. Evidence excerpts are quoted `
    + `verbatim from the input files, with the file and line they come from. Each finding shows its status over its severity. ${SEVERITY_RULE}`, { color: COLOR.muted });
  const grouped = eps.length > OUTLINE_FLAT_LIMIT;
  const compact = eps.length > COMPACT_ENDPOINT_LIMIT;
  if (compact) {
    ctx.paragraph(`With more than ${num(COMPACT_ENDPOINT_LIMIT)} endpoints each one is summarised here with its failing findings and `
      + 'their evidence location; the HTML report and the JSON model carry every protocol, certificate and finding in full.', { color: COLOR.muted });
  }
  let group: OutlineItem | undefined;
  eps.forEach((ep, i) => {
    let parent: OutlineItem | 'root' = root ?? 'root';
    if (grouped) {
      if (i % OUTLINE_GROUP_SIZE === 0) {
        const last = Math.min(eps.length, i + OUTLINE_GROUP_SIZE);
        // Placed where the group's first endpoint will start, so the bookmark lands on it.
        ctx.ensure(150);
        group = ctx.bookmark(parent, `Endpoints ${num(i + 1)}–${num(last)} (${ep.host} …)`);
      }
      if (group !== undefined) parent = group;
    }
    if (compact) drawEndpointCompact(ctx, ep, i, parent);
    else drawEndpoint(ctx, ep, i, parent);
  });
}

/**
 * Beyond this many endpoints the PDF gives each endpoint a compact block (a summary line and its
 * failing findings with their evidence location) instead of the full tables: the full layout
 * made 2,000 endpoints thousands of pages and minutes of rendering, and a report of that size is
 * read through its summary, framework tables and this index. The HTML report and the JSON model
 * keep every detail, and the methodology says so.
 */
const COMPACT_ENDPOINT_LIMIT = 200;

function drawEndpointCompact(ctx: PdfContext, ep: EndpointSummary, index: number, parent: OutlineItem | 'root'): void {
  ctx.heading(3, `${index + 1}. ${ep.label}`, { dest: ep.anchor, outline: parent, outlineTitle: ep.label, keepWith: 24 });
  const offered = ep.protocols.filter((p) => p.offered === true).map((p) => protocolName(p.protocol));
  const weak = ep.cipherClasses.filter((k) => k.offered === true).map((k) => k.label);
  // Every certificate: a server with RSA and ECDSA certificates can hide an expiring one behind the other.
  const certText = ep.certificates.length === 0 ? 'no certificate recorded'
    : ep.certificates.map((cert) => `certificate ${cert.commonName ?? '—'}, ${cert.key ?? 'key not recorded'}, valid until ${date(cert.notAfter)}`
      + `${cert.trusted === false ? ', NOT trusted' : ''}${cert.hostnameMatch === false ? ', name does NOT match' : ''}`).join(' · ');
  const c = ep.counts;
  ctx.paragraph(`${serviceLabel(ep)} · ${ep.tool ?? 'tool not recorded'} · observed ${dateTime(ep.observedAt)} · `
    + `protocols: ${offered.join(', ') || 'none offered'} · cipher classes: ${weak.join(', ') || 'none of the weak classes'} · ${certText} · `
    + `${num(c.fail)} fail, ${num(c.warn)} warn, ${num(c.pass)} pass, ${num(c['not-tested'])} not tested`, { size: TYPE.small, color: COLOR.muted, gapAfter: 2 });
  const active: string[] = [];
  for (const id of ep.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f === undefined || (f.status !== 'fail' && f.status !== 'warn' && f.status !== 'error')) continue;
    const at = f.evidence[0]?.source;
    active.push(`${f.status.toUpperCase()} ${f.severity}: ${f.title}${at === undefined ? '' : ` (${location(at.file, at.line)})`}`);
  }
  if (active.length > 0) ctx.paragraph(active.join(' · '), { size: TYPE.small, gapAfter: 6 });
}

function drawEndpoint(ctx: PdfContext, ep: EndpointSummary, index: number, parent: OutlineItem | 'root'): void {
  const findings: ReportFinding[] = [];
  for (const id of ep.findingIds) {
    const f = ctx.findingsById.get(id);
    if (f !== undefined) findings.push(f);
  }
  const meta = metaTable(ctx, ep, findings.length);
  ctx.heading(2, `${index + 1}. ${ep.label}`, {
    dest: ep.anchor, outline: parent, outlineTitle: ep.label, band: true, keepWith: meta.startHeight + 16,
  });
  const c = ep.counts;
  const counts = `Findings: ${num(c.fail)} fail · ${num(c.warn)} warn · ${num(c.pass)} pass · ${num(c['not-tested'])} not tested · ${num(c.error)} error`;
  ctx.runs(ep.worstSeverity === null
    ? [{ text: `Worst severity: none     ${counts}`, color: COLOR.muted, size: TYPE.small }]
    : [{ text: 'Worst severity: ', color: COLOR.muted, size: TYPE.small }, severityRun(ep.worstSeverity, true, TYPE.small),
      { text: `     ${counts}`, color: COLOR.muted, size: TYPE.small }], { gapAfter: 4 });
  meta.draw();

  if (ep.certificates.length === 0) {
    ctx.heading(3, 'Certificate', { keepWith: 14 });
    ctx.paragraph('No certificate was recorded for this endpoint.', { color: COLOR.muted });
  }
  for (const cert of ep.certificates) {
    const t = prepareTable(ctx, KEY_COLUMNS, certRows(cert), { header: false, zebra: false, keepTogether: true, gapAfter: 8, size: GRID_SIZE });
    ctx.heading(3, ep.certificates.length === 1 ? 'Certificate' : `Certificate ${cert.index} of ${ep.certificates.length}`, { keepWith: t.startHeight });
    t.draw();
  }

  // Failing, warning and error results get a full row with evidence; passes and untested checks
  // are listed compactly with their evidence location. Drawing ~35 passing rows with excerpts per
  // endpoint made the PDF of 2,000 real scans 2,600+ pages and two minutes to render, for
  // content the HTML report and the JSON model carry in full.
  const active = findings.filter((f) => f.status === 'fail' || f.status === 'warn' || f.status === 'error');
  const passedTitles = new Map(ctx.model.checks.map((c) => [c.id, c.passedTitle]));

  // Passed and untested checks: one compact grid (so neither list is left alone on a page), each
  // check with the line of its evidence. With one source file (named above under "Source
  // files"), the line alone locates the record.
  const oneFile = ep.sourceFiles.length === 1 ? ep.sourceFiles[0] : undefined;
  const rows: Cell[][] = [];
  let listed = 0;
  for (const [status, label] of [['pass', 'Passed'], ['not-tested', 'Not tested']] as const) {
    const group = findings.filter((f) => f.status === status);
    if (group.length === 0) continue;
    listed += group.length;
    const cells = group.map((f): string => {
      // A check's title names the problem; a passed check is named by what was verified.
      const name = status === 'pass' ? passedTitles.get(f.checkId) ?? f.title : f.title;
      return `${name}${citation(f, oneFile)}`;
    });
    // The group's label is the first cell of the grid, not a column of its own: beside the names
    // in a column of its own it made most of them wrap onto a second line.
    const heading: Run = { text: `${label} (${num(group.length)})`, font: 'bold', color: FINDING_STATUS_LABEL[status].color };
    if (status === 'not-tested') {
      // Untested checks mostly have no evidence to cite: their names run on across the row.
      rows.push([{ runs: [heading, { text: fillLines(ctx, cells.join(' · '), LIST_SIZE, ctx.width - 2 * CELL.padX) }], span: LIST_COLUMNS }]);
      continue;
    }
    const labelled: Cell[] = [heading, ...cells];
    for (let i = 0; i < labelled.length; i += LIST_COLUMNS) {
      const row: Cell[] = labelled.slice(i, i + LIST_COLUMNS);
      while (row.length < LIST_COLUMNS) row.push('');
      rows.push(row);
    }
  }
  // The grid is prepared first: a short one must not be left alone on the page after the findings.
  const grid = rows.length > 0 ? prepareTable(ctx, [
    ...Array.from({ length: LIST_COLUMNS }, (): Column => ({ header: '', weight: 1 })),
  ], rows, { header: false, zebra: false, size: LIST_SIZE, gapAfter: 4, padY: 1.3 }) : undefined;
  const gridTitle = active.length === 0 ? `Check results (${num(listed)}): none failed or warned` : `Other check results (${num(listed)})`;
  if (active.length > 0) {
    const t = prepareTable(ctx, [
      { header: 'Status', weight: 13 },
      { header: 'Finding and remediation', weight: 45 },
      { header: 'Evidence (file:line and excerpt)', weight: 42 },
    ], active.map(findingRow), { splitRowsAbove: 160 });
    // A grid of a row or two stays on the page of the findings table's end: alone under its
    // heading it made a page of its own at the end of the section. When the table and the grid
    // fit on one page but not on this one, both start on the next.
    const tail = grid !== undefined && grid.height <= SHORT_GRID ? SPACE.beforeH3 + ctx.measure(gridTitle, 'bold', TYPE.h3, ctx.width) + SPACE.afterH3 + grid.height : 0;
    const together = tail > 0 && t.height + tail <= ctx.bodyHeight - 40;
    ctx.heading(3, `Findings (${num(active.length)})`, { keepWith: together ? t.height + tail : t.startHeight });
    t.draw();
  }
  if (findings.length === 0) {
    ctx.heading(3, 'Check results', { keepWith: 14 });
    ctx.paragraph('No check produced a finding for this endpoint.', { color: COLOR.muted });
  } else if (grid !== undefined) {
    ctx.heading(3, gridTitle, { keepWith: grid.startHeight });
    grid.draw();
  }
  ctx.y += 6;
}

/**
 * Where a passed or untested check's evidence is: " (line 60)", " (lines 60, 67)" when the
 * endpoint has one source file, else " (file:line; file:line)"; empty without a location.
 */
function citation(f: ReportFinding, oneFile: string | undefined): string {
  const sources = f.evidence.map((e) => e.source);
  if (sources.length === 0) return '';
  if (sources.every((s) => s.file === oneFile && s.line !== undefined)) {
    const lines = [...new Set(sources.map((s) => s.line))];
    return ` (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})`;
  }
  return ` (${[...new Set(sources.map((s) => location(s.file, s.line)))].join('; ')})`;
}

/**
 * `text` with a line break before each word that would overflow `width`, so lines break only at
 * spaces: left to pdfkit, "No TLS-RPT reporting" broke after the hyphen, and a search for the
 * name (or a text extraction) no longer finds it.
 */
function fillLines(ctx: PdfContext, text: string, size: number, width: number): string {
  const one = ctx.lineHeight('regular', size) + 0.01;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    // A little short of the width: pdfkit's wrapper must never find the line too long.
    if (line !== '' && ctx.measure(next, 'regular', size, width - 2) > one) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}

/** A grid of passed and untested checks this high (two rows) stays with a findings table that moves whole. */
const SHORT_GRID = 30;

/** Passed and untested checks are listed this many to a row, in this size. */
const LIST_COLUMNS = 3;
const LIST_SIZE = 7;

/** Names joined for one table cell: "TLS 1.2 · TLS 1.3". */
const listed = (names: readonly string[]): string => names.join(' · ');

/**
 * A verdict and the names it applies to, one run per colour (bad first): the words "offered" or
 * "not offered" carry the verdict, the colour only repeats whether that is good.
 */
function namesCell(verdict: string, items: readonly { name: string; bad: boolean }[], span: number): Cell {
  if (items.length === 0) return { runs: [{ text: `${verdict}: none`, color: COLOR.faint }], span };
  const runs: Run[] = [];
  const bad = items.filter((i) => i.bad).map((i) => i.name);
  const good = items.filter((i) => !i.bad).map((i) => i.name);
  if (bad.length > 0) runs.push({ text: `${verdict}: ${listed(bad)}`, font: 'bold', color: BAD });
  // Each line names its verdict: text extraction reads a cell's second line after the next cell's first.
  if (good.length > 0) runs.push({ text: `${verdict}: ${listed(good)}`, color: GOOD });
  return { runs, span };
}

/**
 * Protocol versions and cipher classes as rows of the endpoint's facts table, grouped by verdict
 * (offered, not offered, not tested): what the server accepts reads on one line. A table of its
 * own with one cell per name, under its own heading, took three times the height. A legacy
 * protocol offered, a current one not offered, or a weak cipher class offered is bold red.
 */
function tlsRows(ep: EndpointSummary): Cell[][] {
  const protocols = ep.protocols.map((p) => ({ name: protocolName(p.protocol), offered: p.offered, legacy: LEGACY_PROTOCOLS.has(p.protocol) }));
  const rows: Cell[][] = [
    ['Protocols',
      namesCell('offered', protocols.filter((p) => p.offered === true).map((p) => ({ name: p.name, bad: p.legacy })), 2),
      namesCell('not offered', protocols.filter((p) => p.offered === false).map((p) => ({ name: p.name, bad: !p.legacy })), 3)],
    ['Cipher classes',
      namesCell('offered', ep.cipherClasses.filter((k) => k.offered === true).map((k) => ({ name: k.label, bad: true })), 2),
      namesCell('not offered', ep.cipherClasses.filter((k) => k.offered === false).map((k) => ({ name: k.label, bad: false })), 3)],
  ];
  const untested = [...protocols.filter((p) => p.offered === null).map((p) => p.name), ...ep.cipherClasses.filter((k) => k.offered === null).map((k) => k.label)];
  if (untested.length > 0) rows.push(['Not tested', { runs: [{ text: listed(untested), color: COLOR.muted }], span: 5 }]);
  return rows;
}

function metaTable(ctx: PdfContext, ep: EndpointSummary, findingCount: number) {
  const tested = [
    `TLS ${ep.tlsAvailable === null ? 'availability not tested' : ep.tlsAvailable ? 'available' : 'not available'}`,
    ...(ep.transport === 'starttls' ? [`STARTTLS ${ep.startTlsOffered === null ? 'not tested' : ep.startTlsOffered ? 'offered' : 'not offered'}`] : []),
    `${ep.protocols.filter((p) => p.offered !== null).length} of ${ep.protocols.length} protocol versions`,
    `${ep.cipherClasses.filter((k) => k.offered !== null).length} of ${ep.cipherClasses.length} cipher classes`,
    `${ep.certificates.length} certificate${ep.certificates.length === 1 ? '' : 's'}`,
    `${num(findingCount)} check result${findingCount === 1 ? '' : 's'}`,
  ].join(' · ');
  const idn = asciiHost(ep.host);
  // Host, address and port are in the heading; only the IDNA form of a non-ASCII host is added.
  const rows: Cell[][] = [
    ...(idn !== null ? [['IDNA host', { runs: [{ text: idn }], span: 5 }] satisfies Cell[]] : []),
    ['Service', serviceLabel(ep), 'Tool', ep.tool ?? 'not recorded', 'Scan state', { text: ep.scanState, ...(ep.scanState === 'completed' ? {} : { font: 'bold' as const, color: BAD }) }],
    ['Observed', dateTime(ep.observedAt), 'Time source', { runs: [{ text: observedSourceLabel(ep.observedAtSource) }], span: 3 }],
    [ep.attribution.length > 1 ? 'Domains' : 'Domain', { runs: [{ text: ep.attribution.length === 0 ? 'not in the domain list'
      : ep.attribution.map((a) => `${a.domain} (${attributionLabel(a)})`).join('; ') }], span: 3 }, 'Frameworks', ep.frameworks.join(', ') || 'none'],
    ['Tested', { runs: [{ text: tested }], span: 5 }],
    ...tlsRows(ep),
    ['Forward secrecy', ep.forwardSecrecy === null ? { text: 'not tested', color: COLOR.faint } : { text: yesNo(ep.forwardSecrecy), font: 'bold', color: ep.forwardSecrecy ? GOOD : BAD },
      'Preferred cipher', { runs: [ep.preferredCipher === null ? { text: 'not recorded', color: COLOR.faint } : mono(ep.preferredCipher, 6.4)], span: 3 }],
    ['Source files', { runs: ep.sourceFiles.length === 0 ? [muted('none recorded')] : ep.sourceFiles.map((f) => mono(f)), span: 5 }],
  ];
  if (ep.scanProblems.length > 0) {
    rows.push(['Scan problems', { runs: ep.scanProblems.map((p): Run => ({ text: p, color: BAD })), span: 5 }]);
  }
  // May break between rows (two at least on each side): moved whole, with the protocol rows it
  // now holds, it left a third of a page empty above an endpoint whose heading did not fit.
  return prepareTable(ctx, KEY_COLUMNS, rows, { header: false, zebra: false, keepTogether: false, gapAfter: 6, size: GRID_SIZE });
}

function flag(v: boolean | null, good: boolean): Cell {
  if (v === null) return { text: 'not recorded', color: COLOR.faint };
  return { text: yesNo(v), font: 'bold', color: v === good ? GOOD : BAD };
}

function certRows(c: CertificateSummary): Cell[][] {
  const days = c.daysLeft === null ? '' : c.daysLeft < 0 ? ` (expired since ${date(c.notAfter)}, ${num(-c.daysLeft)} days before the report date)` : ` (${num(c.daysLeft)} days left)`;
  const expiryColor = c.daysLeft !== null && c.daysLeft < 0 ? BAD : COLOR.ink;
  return [
    ['Subject CN', { runs: [{ text: c.commonName ?? '—' }], span: 5 }],
    ['SANs', { runs: [{ text: c.subjectAltNames.join(', ') || '—' }], span: 5 }],
    ['Issuer', { runs: [{ text: c.issuer ?? '—' }], span: 3 }, 'Key', c.key ?? '—'],
    ['Valid from', date(c.notBefore), 'Valid until', { runs: [{ text: `${date(c.notAfter)}${days}`, color: expiryColor }], span: 3 }],
    ['Trusted', flag(c.trusted, true), 'Self-signed', flag(c.selfSigned, false), 'Name matches', flag(c.hostnameMatch, true)],
    ['Signature', c.signatureAlgorithm ?? '—', 'OCSP stapling',
      { runs: [{ text: ocspLabel(c.ocsp), ...(c.ocsp.status === 'revoked' ? { font: 'bold' as const, color: BAD } : {}) }], span: 3 }],
    ['SHA-256', { runs: [mono(c.fingerprintSha256 ?? '—', 6.4)], span: 5 }],
  ];
}

/** An accepted finding keeps its status word; the exception is named under its title (or its lapse). */
function exceptionNoteRuns(f: ReportFinding): Run[] {
  const note = findingExceptionNote(f);
  return note === null ? [] : [{ text: note, size: TYPE.small, font: 'bold', color: f.acceptance !== undefined ? CONTROL_STATUS_LABEL['risk-accepted'].color : FINDING_STATUS_LABEL.fail.color }];
}

function findingRow(f: ReportFinding): Cell[] {
  const active = f.status === 'fail' || f.status === 'warn';
  const finding: Run[] = [bold(f.title), ...exceptionNoteRuns(f), { text: findingText(f) }];
  if (active && f.remediation.length > 0) finding.push({ text: `Remediation: ${f.remediation}`, size: TYPE.small, color: COLOR.muted });
  if (f.controls.length > 0) {
    finding.push({ text: `Controls: ${f.controls.map((c) => `${c.frameworkId} ${c.controlId}`).join(', ')}`, size: TYPE.small, color: COLOR.muted });
  }
  const evidence: Run[] = [];
  for (const e of f.evidence) {
    evidence.push({ text: location(e.source.file, e.source.line), font: 'mono', size: 6.8, color: COLOR.accent });
    // Many readers' summary is the raw record itself, or its first characters cut with "…", or a
    // phrase the record contains: the record is printed in full below, so the summary is not.
    const summary = e.summary.replace(/…$/u, '');
    if (e.summary !== f.message && !e.source.excerpt.includes(summary)) evidence.push(muted(e.summary));
    evidence.push(mono(e.source.excerpt, 6.8));
  }
  if (evidence.length === 0) evidence.push(muted('no evidence recorded'));
  return [
    { runs: [findingStatusRun(f.status), severityRun(f.severity, active)] },
    { runs: finding },
    { runs: evidence },
  ];
}
