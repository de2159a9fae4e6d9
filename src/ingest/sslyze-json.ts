/**
 * SSLyze `--json_out` (5.x and 6.x shape: `server_scan_results[]` with `server_location`,
 * `network_configuration`, `connectivity_status`/`scan_status` and `scan_result.<command>` as
 * `{status, error_reason, error_trace, result}`). One Observation per server. Each server result
 * is read on its own (streamed), so memory follows the largest server, not the file.
 *
 * Cipher suite commands that completed for all six versions make a complete inventory (classes
 * not seen are not offered). A command that errored makes the scan partial. Trust is read from
 * the Mozilla store's path validation when present; SSLyze 6 folds the host name check into
 * validation, so its "no matching subjectAltName" error is read as a name mismatch, not as an
 * untrusted chain.
 */
import type { OcspCertificateStatus, Protocol, Observation, VulnId, VulnState } from '../model/observation.js';
import { fact, type SourceRef } from '../model/source.js';
import { excerpt } from './csv.js';
import { asArray, asRecord, asString, readJsonValues } from './json-document.js';
import {
  certificateAt, CipherInventory, classifySuite, EndpointTable, endpointServiceFor, keyAlgorithmFrom,
  normaliseFingerprint, ownedString, parseScannerDate,
} from './tls-names.js';
import type { DocumentIngester, IngestContext } from './types.js';
import type { ScanContext } from '../model/input-file.js';
import { PROBLEM } from './messages.js';

const SUITE_COMMANDS: readonly [string, Protocol][] = [
  ['ssl_2_0_cipher_suites', 'SSLv2'], ['ssl_3_0_cipher_suites', 'SSLv3'], ['tls_1_0_cipher_suites', 'TLSv1.0'],
  ['tls_1_1_cipher_suites', 'TLSv1.1'], ['tls_1_2_cipher_suites', 'TLSv1.2'], ['tls_1_3_cipher_suites', 'TLSv1.3'],
];

const STARTTLS_SERVICE: Readonly<Record<string, string>> = { SMTP: 'smtp', IMAP: 'imap', POP3: 'pop3' };

export const sslyzeJson: DocumentIngester = {
  id: 'sslyze-json',
  syntax: 'json',
  describe: 'SSLyze JSON (--json_out; 5.x/6.x with "server_scan_results")',
  sniff(head) {
    return /^\s*\{/.test(head) && (/"server_scan_results"\s*:/.test(head) || /"sslyze_(?:version|url)"\s*:/.test(head));
  },
  async consume(text, ctx) {
    const table = new EndpointTable(ctx, 'SSLyze');
    const top: Record<string, string> = {};
    let servers = 0;
    await readJsonValues(text, ctx,
      (path, kind) => {
        if (path.length === 0) return kind === 'object' ? 'descend' : 'skip';
        if (path.length === 1) {
          if (path[0] === 'server_scan_results') return kind === 'array' ? 'descend' : 'skip';
          return kind === 'scalar' || path[0] === 'invalid_server_strings' ? 'capture' : 'skip';
        }
        return path.length === 2 && path[0] === 'server_scan_results' ? 'capture' : 'skip';
      },
      (v) => {
        if (v.path.length === 1) {
          if (v.path[0] === 'invalid_server_strings') {
            for (const bad of asArray(v.value)) {
              const b = asRecord(bad);
              ctx.problem({ line: v.line, code: 'sslyze-invalid-server', effect: 'row-skipped',
                message: PROBLEM.sslyzeInvalidServer(asString(b?.['server_string']), asString(b?.['error_message'])) });
            }
          } else {
            const s = asString(v.value);
            if (s !== undefined) top[String(v.path[0])] = s;
          }
          return;
        }
        servers++;
        readServer(v.value, v.line, table, ctx);
      },
      // Serial numbers are big integers; keep their digits.
      (_path, t) => t.replace(/("serial_number"\s*:\s*)(-?\d{16,})/g, '$1"$2"'),
    );
    const observations = table.all();
    const when = top['date_scans_started'] ?? top['date_scans_completed'];
    const iso = when ? parseScannerDate(when) : undefined;
    if (when && !iso) {
      ctx.problem({ code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.notIsoTime('date_scans_started', when) });
    }
    for (const obs of observations) {
      if (iso) {
        obs.observedAt = iso;
        obs.observedAtSource = 'input';
      }
      if (top['sslyze_version']) obs.tool = `SSLyze ${top['sslyze_version']}`;
    }
    if (servers === 0) {
      ctx.problem({ code: 'no-records', effect: 'file-skipped', message: PROBLEM.sslyzeNoResults() });
    }
    const ended = top['date_scans_completed'] ? parseScannerDate(top['date_scans_completed']) : undefined;
    const version = top['sslyze_version'];
    const context: ScanContext = {
      tool: version ? `SSLyze ${version}` : 'SSLyze',
      ...(version ? { version } : {}),
      ...(top['date_scans_started'] && iso ? { startedAt: iso } : {}),
      ...(ended ? { endedAt: ended } : {}),
    };
    return { kind: 'scan-results' as const, observations, records: servers, context };
  },
};

function readServer(value: unknown, line: number, table: EndpointTable, ctx: IngestContext): void {
  const r = asRecord(value);
  const loc = asRecord(r?.['server_location']) ?? asRecord(asRecord(r?.['server_info'])?.['server_location']);
  const hostname = asString(loc?.['hostname'])?.trim() ?? '';
  const ip = asString(loc?.['ip_address'])?.trim() || undefined;
  const port = Number(loc?.['port']);
  if (!r || (hostname === '' && !ip)) {
    ctx.problem({ line, code: 'missing-host', effect: 'row-skipped', message: PROBLEM.sslyzeNoHost() });
    return;
  }
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    ctx.problem({ line, code: 'bad-port', effect: 'row-skipped', message: PROBLEM.sslyzePort(String(loc?.['port'])) });
    return;
  }
  const opportunistic = asString(asRecord(r['network_configuration'])?.['tls_opportunistic_encryption']);
  const starttlsService = opportunistic ? STARTTLS_SERVICE[opportunistic.toUpperCase()] : undefined;
  let svc = endpointServiceFor(port, starttlsService);
  if (opportunistic && svc.transport !== 'starttls') svc = { ...svc, transport: 'starttls' };
  if (!opportunistic && svc.transport === 'starttls') svc = { ...svc, transport: 'implicit' };
  const host = hostname || ip!;
  const obs = table.get(host, ip, port, svc);
  const label = `${host}${ip && ip !== host ? ` (${ip})` : ''}:${port}${opportunistic ? ` STARTTLS ${opportunistic}` : ''}`;
  const src = (what: string): SourceRef => ({ kind: 'sslyze-json', file: ctx.file, line, excerpt: ownedString(excerpt(`SSLyze ${label} · ${what}`)) });

  const connectivity = asString(r['connectivity_status']);
  const scanStatus = asString(r['scan_status']);
  if (connectivity === 'ERROR' || scanStatus === 'ERROR_NO_CONNECTIVITY') {
    const trace = asString(r['connectivity_error_trace']) ?? '';
    const lastLine = trace.trim().split('\n').pop()?.trim() ?? 'no connectivity';
    const source = src(`connectivity error: ${lastLine}`);
    obs.sources.push(source);
    if (/opportunistic|starttls/i.test(trace)) {
      obs.tlsAvailable = fact(false, source);
      if (obs.endpoint.transport === 'starttls') obs.startTlsOffered = fact(false, source);
    } else {
      obs.scan.state = 'failed';
      obs.scan.problems.push(fact(`SSLyze could not connect: ${lastLine}`, source));
    }
    return;
  }
  const connSource = src(`connected: highest version ${asString(asRecord(r['connectivity_result'])?.['highest_tls_version_supported']) ?? '?'}, suite ${asString(asRecord(r['connectivity_result'])?.['cipher_suite_supported']) ?? '?'}`);
  obs.sources.push(connSource);
  obs.tlsAvailable = fact(true, connSource);
  if (obs.endpoint.transport === 'starttls') obs.startTlsOffered = fact(true, connSource);
  const preferred = asString(asRecord(r['connectivity_result'])?.['cipher_suite_supported']);
  if (preferred) obs.preferredCipher = fact(preferred, connSource);

  const results = asRecord(r['scan_result']) ?? asRecord(r['scan_commands_results']) ?? {};
  const command = (name: string): Record<string, unknown> | undefined => {
    const attempt = asRecord(results[name]);
    if (!attempt) return undefined;
    const status = asString(attempt['status']);
    if (status === 'ERROR') {
      const source = src(`${name}: ERROR ${asString(attempt['error_reason']) ?? ''}`);
      obs.sources.push(source);
      obs.scan.problems.push(fact(`${name} failed: ${asString(attempt['error_reason']) ?? 'error'}`, source));
      if (obs.scan.state === 'completed') obs.scan.state = 'partial';
      return undefined;
    }
    if (status !== undefined && status !== 'COMPLETED') return undefined;
    return asRecord(attempt['result']) ?? (status === undefined ? attempt : undefined);
  };

  const inv = new CipherInventory();
  let versionsDone = 0;
  for (const [cmd, protocol] of SUITE_COMMANDS) {
    const res = command(cmd);
    if (!res) continue;
    versionsDone++;
    const accepted = asArray(res['accepted_cipher_suites']);
    const names = accepted.map((a) => asString(asRecord(asRecord(a)?.['cipher_suite'])?.['name'])).filter((n): n is string => n !== undefined);
    const supported = typeof res['is_tls_version_supported'] === 'boolean' ? res['is_tls_version_supported'] : accepted.length > 0;
    const source = src(`${cmd}: ${supported ? `${names.length} suite${names.length === 1 ? '' : 's'} accepted (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''})` : 'not supported'}`);
    obs.sources.push(source);
    obs.protocols[protocol] = fact(supported, source);
    for (const a of accepted) {
      const ar = asRecord(a);
      const suite = asRecord(ar?.['cipher_suite']);
      const name = asString(suite?.['name']);
      if (!name) continue;
      const anon = suite?.['is_anonymous'] === true;
      inv.add(name, { anon, forwardSecrecy: !anon && (ar?.['ephemeral_key'] != null || classifySuite(name).forwardSecrecy) });
    }
  }
  if (versionsDone > 0) {
    const source = src(`cipher suites enumerated for ${versionsDone} of 6 versions`);
    inv.apply(obs, source, versionsDone === SUITE_COMMANDS.length);
    if (versionsDone === SUITE_COMMANDS.length) {
      const sweet = obs.cipherClasses['3des']?.value === true || obs.cipherClasses.des?.value === true;
      setVuln(obs, 'sweet32', sweet ? 'vulnerable' : 'not-vulnerable', sweet ? '64-bit block cipher suites accepted' : 'no 64-bit block cipher suite accepted', source);
      const rc4 = obs.cipherClasses.rc4?.value === true;
      setVuln(obs, 'rc4', rc4 ? 'vulnerable' : 'not-vulnerable', rc4 ? 'RC4 cipher suites accepted' : 'no RC4 cipher suite accepted', source);
    }
  }

  const certInfo = command('certificate_info');
  if (certInfo) readCertificates(obs, certInfo, src, (key, text) => ctx.problem({ line, code: 'unparseable-date', effect: 'value-ignored', message: PROBLEM.certificateDate(key, text) }));

  const heartbleed = command('heartbleed');
  if (heartbleed && typeof heartbleed['is_vulnerable_to_heartbleed'] === 'boolean') {
    const v = heartbleed['is_vulnerable_to_heartbleed'];
    setVuln(obs, 'heartbleed', v ? 'vulnerable' : 'not-vulnerable', v ? 'VULNERABLE' : 'not vulnerable', pushed(obs, src(`heartbleed: ${v ? 'VULNERABLE' : 'OK'}`)));
  }
  const ccs = command('openssl_ccs_injection');
  if (ccs && typeof ccs['is_vulnerable_to_ccs_injection'] === 'boolean') {
    const v = ccs['is_vulnerable_to_ccs_injection'];
    setVuln(obs, 'ccs', v ? 'vulnerable' : 'not-vulnerable', v ? 'VULNERABLE' : 'not vulnerable', pushed(obs, src(`openssl_ccs_injection: ${v ? 'VULNERABLE' : 'OK'}`)));
  }
  const robot = asString(command('robot')?.['robot_result']);
  if (robot) {
    const state: VulnState = robot.startsWith('VULNERABLE') ? 'vulnerable' : robot.startsWith('NOT_VULNERABLE') ? 'not-vulnerable' : 'unknown';
    setVuln(obs, 'robot', state, robot, pushed(obs, src(`robot: ${robot}`)));
  }
  const reneg = command('session_renegotiation');
  if (reneg) {
    const source = pushed(obs, src(`session_renegotiation: secure ${String(reneg['supports_secure_renegotiation'])}, client-initiated DoS ${String(reneg['is_vulnerable_to_client_renegotiation_dos'])}`));
    if (typeof reneg['supports_secure_renegotiation'] === 'boolean') {
      const ok = reneg['supports_secure_renegotiation'];
      setVuln(obs, 'secure-renegotiation', ok ? 'not-vulnerable' : 'vulnerable', ok ? 'secure renegotiation supported' : 'secure renegotiation not supported', source);
    }
    if (typeof reneg['is_vulnerable_to_client_renegotiation_dos'] === 'boolean') {
      const v = reneg['is_vulnerable_to_client_renegotiation_dos'];
      setVuln(obs, 'client-renegotiation', v ? 'vulnerable' : 'not-vulnerable', v ? 'client-initiated renegotiation accepted' : 'client-initiated renegotiation refused', source);
    }
  }
  const compression = command('tls_compression');
  if (compression && typeof compression['supports_compression'] === 'boolean') {
    const v = compression['supports_compression'];
    setVuln(obs, 'crime', v ? 'vulnerable' : 'not-vulnerable', v ? 'TLS compression supported' : 'no TLS compression', pushed(obs, src(`tls_compression: ${String(v)}`)));
  }
  const fallback = command('tls_fallback_scsv');
  if (fallback && typeof fallback['supports_fallback_scsv'] === 'boolean') {
    const v = fallback['supports_fallback_scsv'];
    setVuln(obs, 'fallback-scsv', v ? 'not-vulnerable' : 'vulnerable', v ? 'TLS_FALLBACK_SCSV supported' : 'TLS_FALLBACK_SCSV not supported (downgrade possible)', pushed(obs, src(`tls_fallback_scsv: ${String(v)}`)));
  }
}

function pushed(obs: Observation, source: SourceRef): SourceRef {
  obs.sources.push(source);
  return source;
}

function setVuln(obs: Observation, vuln: VulnId, state: VulnState, detail: string, source: SourceRef): void {
  obs.vulnerabilities[vuln] = fact({ state, detail: `${detail} (SSLyze)` }, source);
}

/** SSLyze prints fingerprints in base64 (5.x/6.x); older output and peers use hex. */
function fingerprintFrom(text: string): string | undefined {
  const hex = normaliseFingerprint(text);
  if (hex) return hex;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 32 ? normaliseFingerprint(bytes.toString('hex')) : undefined;
}

function nameAttribute(name: Record<string, unknown> | undefined, oidName: string): string | undefined {
  for (const a of asArray(name?.['attributes'])) {
    const ar = asRecord(a);
    if (asString(asRecord(ar?.['oid'])?.['name']) === oidName) return asString(ar?.['value']);
  }
  return undefined;
}

function readCertificates(obs: Observation, result: Record<string, unknown>, src: (what: string) => SourceRef, badDate: (key: string, text: string) => void): void {
  asArray(result['certificate_deployments']).forEach((d, i) => {
    const dep = asRecord(d);
    const leaf = asRecord(asArray(dep?.['received_certificate_chain'])[0]);
    if (!dep || !leaf) return;
    const subject = asRecord(leaf['subject']);
    const issuer = asRecord(leaf['issuer']);
    const subjectDn = asString(subject?.['rfc4514_string']) ?? '';
    const issuerDn = asString(issuer?.['rfc4514_string']) ?? '';
    const cn = nameAttribute(subject, 'commonName');
    const source = pushed(obs, src(`certificate #${i + 1}: ${subjectDn || cn || '?'}, issuer ${issuerDn || '?'}, valid until ${asString(leaf['not_valid_after']) ?? '?'}`));
    const cert = certificateAt(obs, i + 1);
    if (cn) cert.commonName = fact(cn, source);
    if (issuerDn) cert.issuer = fact(issuerDn, source);
    const san = asArray(asRecord(leaf['subject_alternative_name'])?.['dns_names']).map(asString).filter((n): n is string => n !== undefined);
    if (san.length > 0) cert.subjectAltNames = fact(san, source);
    const serial = asString(leaf['serial_number']);
    if (serial) cert.serial = fact(serial, source);
    const fp = asString(leaf['fingerprint_sha256']);
    const fpHex = fp ? fingerprintFrom(fp) : undefined;
    if (fpHex) cert.fingerprintSha256 = fact(fpHex, source);
    for (const [field, key] of [['notBefore', 'not_valid_before'], ['notAfter', 'not_valid_after']] as const) {
      const text = asString(leaf[key]);
      if (text === undefined) continue;
      const iso = parseScannerDate(text);
      if (iso) cert[field] = fact(iso, source);
      else badDate(key, text);
    }
    const pk = asRecord(leaf['public_key']);
    const alg = asString(pk?.['algorithm']);
    if (alg) cert.keyAlgorithm = fact(keyAlgorithmFrom(alg), source);
    if (typeof pk?.['key_size'] === 'number') cert.keyBits = fact(pk['key_size'], source);
    const sig = asString(asRecord(leaf['signature_algorithm_oid'])?.['name']) ?? asString(asRecord(leaf['signature_hash_algorithm'])?.['name']);
    if (sig) cert.signatureAlgorithm = fact(sig, source);
    if (dep['ocsp_response'] !== undefined) cert.ocspStapling = fact(dep['ocsp_response'] !== null, source);
    const ocsp = ocspStatusFrom(asRecord(dep['ocsp_response']));
    if (ocsp) cert.ocspStatus = fact(ocsp, source);

    const validations = asArray(dep['path_validation_results']).map(asRecord).filter((v): v is Record<string, unknown> => v !== undefined);
    const mozilla = validations.find((v) => asString(asRecord(v['trust_store'])?.['name']) === 'Mozilla') ?? validations[0];
    const selfSigned = subjectDn !== '' && subjectDn === issuerDn;
    if (typeof dep['leaf_certificate_subject_matches_hostname'] === 'boolean') {
      cert.hostnameMatch = fact(dep['leaf_certificate_subject_matches_hostname'], source);
    }
    if (mozilla && typeof mozilla['was_validation_successful'] === 'boolean') {
      const ok = mozilla['was_validation_successful'];
      const error = asString(mozilla['validation_error']) ?? asString(mozilla['openssl_error_string']) ?? '';
      const store = asRecord(mozilla['trust_store']);
      const storeName = `${asString(store?.['name']) ?? 'trust store'} ${asString(store?.['version']) ?? ''}`.trim();
      const trustSource = pushed(obs, src(`certificate #${i + 1} path validation (${storeName}): ${ok ? 'OK - certificate is trusted' : `FAILED - ${error}`}`));
      if (ok) {
        cert.chainTrust = fact({ trusted: true, selfSigned: false, detail: `trusted (${storeName})` }, trustSource);
        if (cert.hostnameMatch === undefined) cert.hostnameMatch = fact(true, trustSource);
      } else if (/subjectAltName|hostname|name mismatch|DNSName/i.test(error) && !selfSigned) {
        // SSLyze 6 validates the name together with the chain; this failure is about the name.
        cert.hostnameMatch = fact(false, trustSource);
      } else {
        cert.chainTrust = fact({ trusted: false, selfSigned: selfSigned || /self.signed/i.test(error), detail: error || `not trusted (${storeName})` }, trustSource);
      }
    }
  });
}

/**
 * The leaf's status from SSLyze's stapled `ocsp_response` (response_status SUCCESSFUL, then
 * certificate_status good / revoked / unknown, written in either case across SSLyze versions).
 * Undefined when nothing was stapled or the responder did not answer successfully.
 */
function ocspStatusFrom(r: Record<string, unknown> | undefined): OcspCertificateStatus | undefined {
  if (r === undefined || asString(r['response_status'])?.toUpperCase() !== 'SUCCESSFUL') return undefined;
  const status = asString(r['certificate_status'])?.toLowerCase();
  if (status !== 'good' && status !== 'revoked' && status !== 'unknown') return undefined;
  const when = (key: string) => {
    const v = asString(r[key]);
    return v ? parseScannerDate(v) : undefined;
  };
  const revokedAt = status === 'revoked' ? when('revocation_time') : undefined;
  const thisUpdate = when('this_update');
  const nextUpdate = when('next_update');
  return { status, ...(revokedAt ? { revokedAt } : {}), ...(thisUpdate ? { thisUpdate } : {}), ...(nextUpdate ? { nextUpdate } : {}) };
}
