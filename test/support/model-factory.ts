/**
 * Builds ReportModels for renderer tests without running the pipeline: a small realistic model
 * (Unicode names, a hostile certificate subject, failing and passing controls) or a large one
 * for layout stress. Every model is validated against ReportModelSchema, so a factory that drifts
 * from the contract fails loudly instead of testing a shape the pipeline never produces.
 */
import { ReportModelSchema, type ReportModel, type EndpointSummary, type ReportFinding, type ControlResult } from '../../src/model/report-model.js';
import type { Service, Transport } from '../../src/model/endpoint.js';
import { buildScanContext } from '../../src/report/scan-context.js';
import { buildSenderReports, senderSessions, withTrend, type SenderReports } from '../../src/model/sender-reports.js';
import type { TlsRptReport } from '../../src/model/tls-rpt.js';
import { emptyReportExceptions } from '../../src/model/exceptions.js';

export const HOSTILE_SUBJECT = '<script>alert("x")</script><img src=x onerror=alert(1)>';

interface FactoryOptions {
  /** Extra generated endpoints (each with a few failing findings) for layout and volume tests. */
  extraEndpoints?: number;
  organisation?: string;
  /** Add a history section (comparison with the previous quarter, from the evidence store). @default false: history is null */
  history?: boolean;
  /** Add the TLS-RPT section ("What sending servers saw") built from a month of sender reports. @default false */
  senderReports?: boolean;
}

const zeroFindingCounts = () => ({ fail: 0, warn: 0, pass: 0, 'not-tested': 0, error: 0 });

function endpoint(host: string, ip: string, port: number, service: Service, transport: Transport, i: number): EndpointSummary {
  const key = `${host}[${ip}]:${port}`;
  return {
    key, anchor: `ep-${i}`, label: `${host} (${ip}) port ${port}`, host, ip, port, service, transport,
    asset: host.split('.').slice(1).join('.'),
    attribution: [{ domain: host.split('.').slice(1).join('.'), rule: 'suffix', origin: null, detail: `host name is ${host.split('.').slice(1).join('.')} or under it` }],
    frameworks: ['hipaa', 'pci-dss'],
    observedAt: '2026-09-15T10:00:00.000Z', observedAtSource: 'option', tool: 'testssl.sh 3.0.8',
    scanState: 'completed', scanProblems: [], worstSeverity: null, counts: zeroFindingCounts(),
    tlsAvailable: true, startTlsOffered: transport === 'starttls' ? true : null,
    protocols: [
      { protocol: 'SSLv2', offered: false }, { protocol: 'SSLv3', offered: false },
      { protocol: 'TLSv1.0', offered: false }, { protocol: 'TLSv1.1', offered: false },
      { protocol: 'TLSv1.2', offered: true }, { protocol: 'TLSv1.3', offered: true },
    ],
    cipherClasses: [
      { cipherClass: 'null', label: 'NULL', offered: false }, { cipherClass: 'export', label: 'EXPORT', offered: false },
      { cipherClass: '3des', label: '3DES / IDEA', offered: false }, { cipherClass: 'rc4', label: 'RC4', offered: null },
    ],
    forwardSecrecy: true, preferredCipher: 'TLS_AES_256_GCM_SHA384',
    certificates: [{
      index: 1, commonName: host, subjectAltNames: [host], issuer: 'Example Test CA',
      notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z', daysLeft: 92,
      key: 'RSA 2048 bits', signatureAlgorithm: 'SHA256 with RSA', trusted: true, selfSigned: false,
      hostnameMatch: true, fingerprintSha256: 'AB'.repeat(32),
      ocsp: { stapled: false, status: null, revokedAt: null, thisUpdate: null, nextUpdate: null },
    }],
    findingIds: [], sourceFiles: [`samples/testssl/${host}.csv`],
  };
}

function finding(ep: EndpointSummary, checkId: string, title: string, severity: ReportFinding['severity'],
  status: ReportFinding['status'], message: string, excerpt: string, line: number): ReportFinding {
  const id = `${checkId}@${ep.key}`;
  return {
    id, checkId, endpoint: { host: ep.host, ...(ep.ip ? { ip: ep.ip } : {}), port: ep.port, service: ep.service, transport: ep.transport },
    endpointKey: ep.key, status, severity, messageId: 'offered', message, data: {},
    evidence: [{ summary: message, source: { kind: 'testssl-csv', file: ep.sourceFiles[0] ?? 'x.csv', line, excerpt } }],
    title, category: 'protocol', remediation: 'Disable it: Postfix smtpd_tls_protocols = >=TLSv1.2.',
    anchor: `f-${checkId}-${ep.anchor}`, controls: [],
  };
}

/** A model with three named endpoints (one hostile, one CJK) plus `extraEndpoints` generated ones. */
export function makeReportModel(opts: FactoryOptions = {}): ReportModel {
  const endpoints: EndpointSummary[] = [
    endpoint('mail.example-health.test', '127.0.0.10', 25, 'smtp', 'starttls', 0),
    endpoint('imap.bücher-gesundheit.test', '127.0.0.11', 993, 'imaps', 'implicit', 1),
    endpoint('legacy.例え.test', '127.0.0.12', 465, 'submissions', 'implicit', 2),
  ];
  for (let i = 0; i < (opts.extraEndpoints ?? 0); i++) {
    endpoints.push(endpoint(`mx${i}.bulk.example.test`, `127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`, 25, 'smtp', 'starttls', 3 + i));
  }
  const legacy = endpoints[2]!;
  legacy.protocols = legacy.protocols.map((p) => (p.protocol === 'TLSv1.0' ? { ...p, offered: true } : p));
  const hostileCert = legacy.certificates[0]!;
  legacy.certificates = [{ ...hostileCert, commonName: HOSTILE_SUBJECT, hostnameMatch: false, trusted: false }];

  const findings: ReportFinding[] = [];
  endpoints.forEach((ep, i) => {
    const fs = i === 0 ? [] : [
      finding(ep, 'proto-tls10', 'TLS 1.0 offered', 'medium', 'fail', `TLSv1.0 is offered on ${ep.label}`, '"TLS1","x/127.0.0.12","465","LOW","offered","",""', 12),
      finding(ep, 'cert-hostname-mismatch', 'Certificate name does not match host', 'high', 'fail',
        `Certificate 1 (${i === 2 ? HOSTILE_SUBJECT : ep.host}) does not match ${ep.host}`, `"cert_trust","${ep.host}/${ep.ip}","${ep.port}","HIGH","${HOSTILE_SUBJECT}","",""`, 40),
      finding(ep, 'proto-tls13-missing', 'TLS 1.3 not offered', 'low', 'warn', 'TLSv1.3 is not offered', '"TLS1_3","x","465","INFO","not offered","",""', 15),
    ];
    fs.push(finding(ep, 'proto-sslv3', 'SSLv3 offered', 'high', 'pass', 'SSLv3 is not offered', '"SSLv3","x","25","OK","not offered","",""', 9));
    ep.findingIds = fs.map((f) => f.id);
    for (const f of fs) ep.counts[f.status]++;
    ep.worstSeverity = fs.some((f) => f.status === 'fail') ? 'high' : null;
    findings.push(...fs);
  });

  const failing = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  const control = (frameworkId: string, id: string, title: string, status: ControlResult['status'], ids: string[],
    kind: ControlResult['kind'] = 'technical'): ControlResult => ({
    frameworkId, id, anchor: `ctl-${frameworkId}-${id.replace(/[^A-Za-z0-9]+/g, '-')}`, title,
    paraphrase: `Our paraphrase of ${id}: ${title.toLowerCase()} for data in transit.`, obligation: 'required',
    aliases: [], effective: null, source: null, confidence: 'high', interpretation: false, unconfirmed: false, kind, status,
    statusReason: status === 'fail' ? `${ids.length} failing findings on mapped checks.` : 'Nothing mapped was tested.', gradingNote: null,
    acceptedFrom: null, exceptionIds: [],
    checks: [{ checkId: 'proto-tls10', checkTitle: 'TLS 1.0 offered', coverage: 'partial', rationale: 'Early TLS is not strong cryptography.', interpretation: false, services: null, grading: null }],
    evidence: [],
    findingIds: ids, counts: { ...zeroFindingCounts(), fail: ids.length }, endpointsAssessed: endpoints.length,
    domains: ids.length > 0 ? ['example-health.test'] : [],
  });
  for (const f of failing) f.controls.push({ frameworkId: 'hipaa', controlId: '164.312(e)(1)', anchor: 'ctl-hipaa-164-312-e-1-' });
  const frameworks = [
    { id: 'hipaa', version: '2013', title: 'HIPAA Security Rule', anchor: 'fw-hipaa', versionDate: '2013-01-25', relevance: 'direct' as const,
      appliesTo: 'Covered entities and business associates handling ePHI.', notes: null, source: { document: '45 CFR Part 164, Subpart C', url: 'https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C', retrieved: '2026-07-01' },
      scope: { endpointKeys: endpoints.map((e) => e.key), reason: 'Domain list: data class PHI',
        assets: [{ domain: 'example-health.test', reason: 'data class PHI', endpointKeys: [endpoints[0]!.key], mail: 'accepts-mail' as const }] },
      counts: { fail: 1, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 1, 'not-graded': 0 },
      controls: [control('hipaa', '164.312(e)(1)', 'Transmission security', 'fail', failing.map((f) => f.id)), control('hipaa', '164.308(a)(8)', 'Evaluation', 'not-assessed', [], 'process')] },
    { id: 'pci-dss', version: '4.0.1', title: 'PCI DSS', anchor: 'fw-pci-dss', versionDate: '2024-06-11', relevance: 'direct' as const,
      appliesTo: 'Mail servers that carry PAN or connect to the CDE.', notes: null, source: { document: 'PCI DSS v4.0.1', url: 'https://www.pcisecuritystandards.org/document_library/', retrieved: '2026-07-01' },
      scope: { endpointKeys: [endpoints[0]!.key], reason: 'Domain list: data class PAN', assets: [] },
      counts: { fail: 0, warn: 0, 'risk-accepted': 0, pass: 1, evidence: 0, 'not-assessed': 0, 'not-graded': 0 },
      controls: [control('pci-dss', '4.2.1', 'Strong cryptography for PAN in transit', 'pass', [])] },
  ];
  const bySev = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of failing) bySev[f.severity]++;
  const byStatus = zeroFindingCounts();
  for (const f of findings) byStatus[f.status]++;
  const model: ReportModel = {
    schemaVersion: 1,
    report: { id: 'TP-2026Q3-0123abcd', title: 'Email transport encryption evidence', organisation: opts.organisation ?? 'Example Health — 東京 Clinic',
      period: { label: 'Q3 2026', start: '2026-07-01', end: '2026-09-30' }, generatedAt: '2026-10-01T09:00:00.000Z', reportDate: '2026-10-01' },
    tool: { name: 'tlsproof', version: '0.1.0' },
    scope: {
      assets: [{ domain: 'example-health.test', owner: 'Zoë Ångström', businessUnit: 'Clinical', dataClasses: ['PHI'], frameworks: [{ id: 'hipaa', reason: 'data class PHI' }],
        notes: 'Primary MX', extra: { ticket: 'SEC-1' }, endpointKeys: [endpoints[0]!.key], mail: 'accepts-mail', source: { file: 'samples/domains.csv', line: 2 } }],
      endpoints, inputs: [{ file: 'samples/testssl/mail.csv', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', bytes: 1234, kind: 'testssl-csv', records: 98, problems: 1, notEvaluated: [{ id: 'fallback_scsv', records: 1 }] }],
      frameworksRequested: null, unlistedEndpointKeys: [endpoints[2]!.key], assetsWithoutResults: ['payments.example.test'],
      domainsWithoutMail: ['parked.example.test'],
    },
    summary: {
      endpoints: endpoints.length, endpointsCompleted: endpoints.length, findingsBySeverity: bySev, findingsByStatus: byStatus,
      endpointsByWorstSeverity: { none: 1, info: 0, low: 0, medium: 0, high: endpoints.length - 1, critical: 0 },
      frameworks: frameworks.map((f) => ({ id: f.id, title: f.title, version: f.version, counts: f.counts })),
    },
    frameworks,
    findings,
    remediation: [{ checkId: 'cert-hostname-mismatch', title: 'Certificate name does not match host', severity: 'high', remediation: 'Issue a certificate whose SAN covers the MX name.',
      endpointKeys: failing.filter((f) => f.checkId === 'cert-hostname-mismatch').map((f) => f.endpointKey), controls: [{ frameworkId: 'hipaa', controlId: '164.312(e)(1)' }],
      owners: [{ domain: 'example-health.test', owner: 'Zoë Ångström', ticket: 'SEC-1' }],
      findings: failing.filter((f) => f.checkId === 'cert-hostname-mismatch').map((f) => ({ id: f.id, firstSeen: '2026-09-30T10:00:00Z', dueDate: '2026-11-29' })),
      dueDate: '2026-11-29', deadlineDays: 60 }],
    checks: [{ id: 'proto-tls10', title: 'TLS 1.0 offered', passedTitle: 'TLS 1.0 not offered', severity: 'medium', category: 'protocol', description: 'TLS 1.0 is deprecated (RFC 8996).', remediation: 'Disable TLS 1.0.', mapped: true }],
    problems: [{ file: 'samples/testssl/mail.csv', line: 17, column: 4, code: 'unknown-severity', message: 'severity "SEVERE" is not one of OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, WARN, DEBUG, FATAL', effect: 'row-skipped' }],
    scanContext: buildScanContext({
      files: [{ file: 'samples/testssl/mail.csv', kind: 'testssl-csv', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', bytes: 1234, records: 98, problems: 1,
        context: { tool: 'testssl.sh' }, observed: { first: '2026-09-15T10:00:00.000Z', last: '2026-09-15T10:00:00.000Z', source: 'option' } }],
      ownScans: [], vantage: { network: 'external', description: 'Audit VM outside the corporate firewall <b>(203.0.113.7)</b>' },
    }),
    grading: [{ id: 'opportunistic-starttls', title: 'Opportunistic STARTTLS on an MX is conformant', statement: 'An MX that offers STARTTLS without requiring it does what RFC 3207 allows.',
      basis: 'RFC 3207 §4', services: ['smtp'], failAs: 'warn' }],
    exceptions: emptyReportExceptions(),
  };
  model.history = opts.history ? makeHistory(endpoints) : null;
  // A history comes from an evidence store, which has a chain head.
  model.evidence = opts.history ? { chainHead: { seq: 4, sha256: '3f9a0c1e'.repeat(8) } } : null;
  if (opts.senderReports) {
    model.senderReports = makeSenderReports();
    model.summary.senderSessions = senderSessions(model.senderReports);
  }
  return ReportModelSchema.parse(model);
}

/** A small but complete history section: one item in each list, a two-period trend and a forecast. */
function makeHistory(endpoints: readonly EndpointSummary[]): NonNullable<ReportModel['history']> {
  const ep = endpoints[2]!;
  const item = (checkId: string, title: string, severity: ReportFinding['severity'], status: ReportFinding['status'], firstSeen: string,
    fixedAt: string | null, ageDays: number, dueDate: string | null, daysOverdue: number | null) => ({
    findingId: `${checkId}@${ep.key}`, checkId, title, endpointKey: ep.key, endpointLabel: ep.label, severity, status, firstSeen,
    lastSeenOpen: fixedAt === null ? '2026-09-15T10:00:00.000Z' : '2026-05-10T10:00:00.000Z', fixedAt, ageDays, dueDate, daysOverdue,
  });
  const q = (id: string, label: string, start: string, end: string) => ({ id, label, start, end });
  const overdue = item('cert-hostname-mismatch', 'Certificate name does not match host', 'high', 'fail', '2026-02-10T10:00:00.000Z', null, 232, '2026-04-11', 172);
  return {
    period: q('2026-Q3', 'Q3 2026', '2026-07-01', '2026-09-30'), previousPeriod: q('2026-Q2', 'Q2 2026', '2026-04-01', '2026-06-30'),
    asOf: '2026-09-30', runsConsidered: 3, endpoints: { current: endpoints.length, previous: endpoints.length - 1 },
    new: [item('proto-tls13-missing', 'TLS 1.3 not offered', 'low', 'warn', '2026-08-20T10:00:00.000Z', null, 41, '2027-02-16', null)],
    resolved: [item('cipher-rc4', 'RC4 cipher suites offered', 'high', 'pass', '2026-03-01T10:00:00.000Z', '2026-07-20T10:00:00.000Z', 141, '2026-04-30', 81)],
    persisting: [overdue],
    regressed: [item('proto-tls10', 'TLS 1.0 offered', 'medium', 'fail', '2026-09-15T10:00:00.000Z', '2026-06-01T10:00:00.000Z', 15, '2026-12-14', null)],
    unverified: [], superseded: [],
    endpointsAdded: [{ key: ep.key, label: ep.label, firstSeen: '2026-07-02T10:00:00.000Z' }],
    endpointsRemoved: [{ key: 'old.example-health.test:25', label: 'old.example-health.test port 25', lastSeen: '2026-05-10T10:00:00.000Z', openFindings: 2 }],
    remediation: {
      deadlines: { info: null, low: 180, medium: 90, high: 60, critical: 30 },
      overdue: [overdue],
      timeToRemediate: [
        { severity: 'critical', resolved: 0, medianDays: null, worstDays: null }, { severity: 'high', resolved: 1, medianDays: 141, worstDays: 141 },
        { severity: 'medium', resolved: 2, medianDays: 30.5, worstDays: 44 }, { severity: 'low', resolved: 0, medianDays: null, worstDays: null },
        { severity: 'info', resolved: 0, medianDays: null, worstDays: null },
      ],
    },
    certificateForecast: {
      period: q('2026-Q4', 'Q4 2026', '2026-10-01', '2026-12-31'),
      certificates: [{ notAfter: '2026-11-30T12:00:00.000Z', daysLeft: 61, commonName: HOSTILE_SUBJECT, issuer: 'Example Test CA', serial: '0A1B', fingerprintSha256: 'CD'.repeat(32), endpointKeys: [ep.key] }],
    },
    trend: [
      { period: q('2026-Q2', 'Q2 2026', '2026-04-01', '2026-06-30'), hasData: true, endpoints: endpoints.length - 1, openBySeverity: { info: 0, low: 1, medium: 3, high: 2, critical: 0 },
        frameworks: [{ id: 'hipaa', version: '2013', counts: { fail: 1, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 1, 'not-graded': 0 } }] },
      { period: q('2026-Q3', 'Q3 2026', '2026-07-01', '2026-09-30'), hasData: true, endpoints: endpoints.length, openBySeverity: { info: 0, low: 2, medium: 2, high: 2, critical: 0 },
        frameworks: [{ id: 'hipaa', version: '2013', counts: { fail: 1, warn: 0, 'risk-accepted': 0, pass: 0, evidence: 0, 'not-assessed': 1, 'not-graded': 0 } }] },
    ],
    notes: [],
  };
}

/**
 * Thirty days of Google and Microsoft reports for one domain with two MX hosts (a bad week of an
 * expired certificate on mx2, a few STARTTLS failures), built by the production builder, and a
 * trend over three earlier quarters as the store would give it back.
 */
export function makeSenderReports(): SenderReports {
  const reports: TlsRptReport[] = [];
  for (let d = 1; d <= 30; d++) {
    const date = `2026-09-${String(d).padStart(2, '0')}`;
    const bad = d >= 14 && d <= 20;
    const failures = [
      ...(bad ? [{ resultType: 'certificate-expired', failedSessionCount: 180 + d, receivingMxHostname: 'mx2.example-health.test', sendingMtaIp: '209.85.220.41' }] : []),
      ...(d % 9 === 0 ? [{ resultType: 'starttls-not-supported', failedSessionCount: 6, receivingMxHostname: 'mx2.example-health.test' }] : []),
      ...(d % 4 === 0 ? [{ resultType: 'validation-failure', failedSessionCount: 3, receivingMxHostname: 'mx1.example-health.test' }] : []),
    ];
    const policy = (ok: number, fs: typeof failures) => ({ policyType: 'sts', policyDomain: 'example-health.test', policyStrings: [], mxHosts: ['mx1.example-health.test', 'mx2.example-health.test'],
      successfulSessions: ok, failedSessions: fs.reduce((n, f) => n + f.failedSessionCount, 0), failures: fs });
    reports.push({ reportId: `${date}T00:00:00Z_example-health.test`, organization: 'Google Inc.', start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.000Z`,
      file: `tls-rpt/google.com!example-health.test!${date}.json.gz`, policies: [policy(2400 + d * 7, failures)] });
    reports.push({ reportId: `1337${d}+example-health.test`, organization: 'Microsoft Corporation', start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.000Z`,
      file: `tls-rpt/microsoft.com!example-health.test!${date}.json`, policies: [policy(900 + d, [])] });
  }
  const section = buildSenderReports(reports, { threshold: 5, scannedHosts: new Set(['mx1.example-health.test', 'mx2.example-health.test']), outsidePeriod: 0,
    period: { label: 'Q3 2026', start: '2026-07-01', end: '2026-09-30' } });
  const earlier = [['Q4 2025', '2025-10-01', '2025-12-31', 301000, 1200], ['Q1 2026', '2026-01-01', '2026-03-31', 298000, 15400], ['Q2 2026', '2026-04-01', '2026-06-30', 305500, 900]] as const;
  return withTrend(section, earlier.map(([label, start, end, successful, failed], i) => ({
    seq: i + 1, period: { label, start, end }, summary: { senderSessions: [{ domain: 'example-health.test', reports: 180, successful, failed }] },
  })), { start: '2026-07-01' });
}
