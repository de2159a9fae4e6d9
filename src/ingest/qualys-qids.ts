/**
 * The Qualys VM TLS QIDs, one table for both Qualys readers (scan report CSV and XML): QID → what
 * its detection establishes. Only QIDs whose number and meaning were confirmed from public sources
 * are here (each entry names its source); a QID not listed is counted and skipped, never guessed.
 *
 * Sources:
 * - [ruby-qualys] the README of github.com/Cyberwatch/ruby-qualys, which prints the detections of a
 *   real scan: "qid_38173, SSL Certificate - Signature Verification Failed Vulnerability", …
 * - [qualys-blog-2019] blog.qualys.com/technology/2019/03/14/pci-ssl-early-tls-qids-38601-42366
 *   (QID 38601 "SSL/TLS Use of Weak RC4 Cipher", QID 42366 BEAST).
 * - [qualys-notice-2021] notifications.qualys.com/policy-library/2021/06/21/notification-reverting-changes-for-qid-38794-pci-automatic-fail
 *   (QID 38794 detects TLSv1.1 being offered; its exact title is not quoted there).
 * - [defectdojo-export] a real Qualys ASSET_DATA_REPORT (2019, "Training-Qualys") that DefectDojo
 *   publishes as test data, vendored as test/fixtures/ingest/qualys-xml/real-defectdojo-training-qualys.xml:
 *   its glossary gives the same titles for 38628, 38606, 38603, 42366, 38657, 38169, 38170, 38173,
 *   and "SSL/TLS use of weak RC4(Arcfour) cipher" for 38601.
 * Seen but not mapped: 38140 "SSL Server Supports Weak Encryption Vulnerability" (which suites it
 * means is not stated), 38685 "SSL Certificate - Invalid Maximum Validity Date Detected" (no model
 * fact). No public source found for a "certificate expired" QID: Qualys expiry findings are skipped.
 *
 * Qualys, like Nessus, reports what it found: no QID states that something is NOT offered. A
 * "Potential" detection is a suspicion: it gives vulnerabilities as potentially vulnerable and no
 * other fact.
 */
import type { Observation, Protocol, VulnId } from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { headLine, ownedExcerpt } from './csv.js';
import { certificateAt, EndpointTable, finishAvailability, isIpAddress } from './tls-names.js';
import type { IngestContext } from './types.js';
import { PROBLEM } from './messages.js';

interface QidRow {
  readonly obs: Observation;
  readonly source: SourceRef;
  readonly detail: string;
  readonly cve: string;
  readonly potential: boolean;
}

interface QidEntry {
  /** The title as the source prints it; undefined when the source gives only the meaning. */
  readonly title: string | undefined;
  readonly source: 'ruby-qualys' | 'qualys-blog-2019' | 'qualys-notice-2021';
  /** Facts other than vulnerabilities (not stated from a Potential detection). */
  readonly facts?: (r: QidRow) => void;
  readonly vuln?: VulnId;
}

const offered = (p: Protocol) => (r: QidRow): void => {
  r.obs.protocols[p] = fact(true, r.source);
};

export const QUALYS_TLS_QIDS: Readonly<Record<number, QidEntry>> = {
  38628: { title: 'SSL/TLS Server supports TLSv1.0', source: 'ruby-qualys', facts: offered('TLSv1.0') },
  38794: { title: undefined, source: 'qualys-notice-2021', facts: offered('TLSv1.1') },
  38606: { title: 'SSL Server Has SSLv3 Enabled Vulnerability', source: 'ruby-qualys', facts: offered('SSLv3') },
  38603: { title: 'SSLv3 Padding Oracle Attack Information Disclosure Vulnerability (POODLE)', source: 'ruby-qualys', vuln: 'poodle' },
  42366: { title: 'SSLv3.0/TLSv1.0 Protocol Weak CBC Mode Server Side Vulnerability (BEAST)', source: 'qualys-blog-2019', vuln: 'beast' },
  38601: { title: 'SSL/TLS use of weak RC4 cipher', source: 'ruby-qualys', vuln: 'rc4', facts: (r) => { r.obs.cipherClasses.rc4 = fact(true, r.source); } },
  38657: {
    title: 'Birthday attacks against TLS ciphers with 64bit block size vulnerability (Sweet32)', source: 'ruby-qualys', vuln: 'sweet32',
    facts: (r) => { r.obs.cipherClasses['3des'] = fact(true, r.source); },
  },
  38142: { title: 'SSL Server Allows Anonymous Authentication Vulnerability', source: 'ruby-qualys', facts: (r) => { r.obs.cipherClasses.anon = fact(true, r.source); } },
  38173: {
    title: 'SSL Certificate - Signature Verification Failed Vulnerability', source: 'ruby-qualys',
    facts: (r) => {
      const cert = certificateAt(r.obs, 1);
      // A self-signed finding on the same certificate says more; it is kept.
      if (cert.chainTrust?.value.selfSigned !== true) cert.chainTrust = fact({ trusted: false, selfSigned: false, detail: r.detail }, r.source);
    },
  },
  38169: {
    title: 'SSL Certificate - Self-Signed Certificate', source: 'ruby-qualys',
    facts: (r) => { certificateAt(r.obs, 1).chainTrust = fact({ trusted: false, selfSigned: true, detail: r.detail }, r.source); },
  },
  38170: {
    title: 'SSL Certificate - Subject Common Name Does Not Match Server FQDN', source: 'ruby-qualys',
    facts: (r) => { certificateAt(r.obs, 1).hostnameMatch = fact(false, r.source); },
  },
};

/** One detection of a QID in QUALYS_TLS_QIDS (port checked to be 1–65535, status not Fixed). */
export interface QualysDetection {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly proto: string;
  readonly qid: number;
  /** The file's title for the QID, when it has one. */
  readonly title: string;
  readonly type: string;
  readonly severity: string;
  readonly result: string;
  readonly cve: string;
  readonly line: number;
}

/** Detection types that are findings (Confirmed `Vuln`, `Practice`, information `Ig`) or suspicions (`Potential`). */
function isPotential(type: string): boolean {
  return /^potential/i.test(type.trim());
}

/** The facts of one Qualys file, endpoint by endpoint. */
export class QualysFindings {
  readonly table: EndpointTable;

  constructor(private readonly ctx: IngestContext, private readonly kind: 'qualys-csv' | 'qualys-xml') {
    this.table = new EndpointTable(ctx, 'Qualys');
  }

  apply(d: QualysDetection): Observation {
    const entry = QUALYS_TLS_QIDS[d.qid]!;
    const title = d.title || entry.title || `QID ${d.qid}`;
    const obs = this.table.get(d.host, d.ip || (isIpAddress(d.host) ? d.host : undefined), d.port);
    const potential = isPotential(d.type);
    const first = headLine(d.result);
    const source: SourceRef = {
      kind: this.kind, file: this.ctx.file, line: d.line,
      excerpt: ownedExcerpt(`QID ${d.qid} "${title}" · ${d.host}${d.ip && d.ip !== d.host ? ` (${d.ip})` : ''} ${d.port}/${d.proto}` +
        `${d.type ? ` · ${d.type}` : ''}${d.severity ? ` · severity ${d.severity}` : ''}${d.cve ? ` · ${d.cve}` : ''}${first ? ` · ${first}` : ''}`),
    };
    obs.sources.push(source);
    const detail = first ? `${title}: ${first}` : title;
    const row: QidRow = { obs, source, detail, cve: d.cve, potential };
    if (entry.vuln) {
      obs.vulnerabilities[entry.vuln] = fact({ state: potential ? 'potentially-vulnerable' : 'vulnerable', detail, ...(d.cve ? { cve: d.cve } : {}) }, source);
    }
    if (entry.facts) {
      if (potential) {
        this.ctx.problem({ line: d.line, code: 'potential-only', effect: 'value-ignored',
          message: PROBLEM.potentialOnly(d.qid, title, d.host, d.port) });
      } else {
        entry.facts(row);
      }
    }
    if (!potential && obs.tlsAvailable === undefined) obs.tlsAvailable = fact(true, source);
    return obs;
  }

  finish(): Observation[] {
    const observations = this.table.all();
    for (const obs of observations) finishAvailability(obs);
    return observations;
  }
}
