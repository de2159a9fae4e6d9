/**
 * The endpoint probe: one mail endpoint in, one Observation out, whatever the server does.
 *
 * 1. Primary connection: plaintext dialogue (banner, capabilities, AUTH/MAIL before TLS), STARTTLS,
 *    then one full Node TLS handshake for the certificate chain, trust, hostname, OCSP stapling and
 *    the negotiated suite; capabilities again over TLS.
 * 2. Protocol versions SSLv2…TLS 1.3: one hand-built ClientHello each (ServerHello parsed, the
 *    handshake never completed). Alongside them, one more full handshake on a fresh connection that
 *    offers only the other key type (ECDSA after an RSA certificate, RSA otherwise): a server with
 *    RSA and ECDSA certificates shows the second one there, recorded as certificate 2.
 * 3. Per offered version up to TLS 1.2: cipher families by elimination (offer every weak family,
 *    note the one the server picks, drop it, repeat until refused), then anonymous, static-RSA,
 *    DHE (with the group size from ServerKeyExchange) and ECDHE suites.
 *
 * Failures are outcomes: an endpoint that cannot be reached, stalls, sends garbage or refuses us
 * ends as an Observation with `scan.state` failed and a reason, never as a pass or a fail.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import type { Endpoint } from '../model/endpoint.js';
import { endpointLabel } from '../model/endpoint.js';
import {
  CIPHER_CLASSES, PROTOCOLS, emptyObservation,
  type CertificateFacts, type CipherClass, type MailDialogueFacts, type Observation, type OcspCertificateStatus, type ProbeErrorReason,
  type ProbeStatus, type Protocol, type VulnFact,
} from '../model/observation.js';
import { fact, type Fact, type SourceRef } from '../model/source.js';
import { parseCertificate, parseChain, toChainCertificate, type ParsedCertificate } from './cert.js';
import { Conn, type ConnTimeouts } from './conn.js';
import { capabilitiesAfterTls, greetingOverTls, protocolOf, quit, runDialogue, type DialogueResult, type Excerpt } from './dialogue/index.js';
import { ProbeError } from './errors.js';
import { buildClientHello, buildSsl2ClientHello, readHelloOutcome, readSsl2Outcome, type HelloOutcome } from './hello.js';
import type { ConnectionLimiter } from './limiter.js';
import { clientOrder, suiteByCode, suitesFor, type CipherFamily, type SuiteInfo } from './suites.js';
import { describeOcspStaple, normaliseSerial, readOcspStaple } from './ocsp.js';
import { handshake, verifyText, type HandshakeInfo, type ServerKeyType, type TrustStore } from './tls-client.js';
import { DATE_ERRORS, trustIgnoringLeafDates } from './trust.js';
import { deriveFacts } from '../model/derive.js';

export interface RetryPolicy {
  /** Attempts in all (1 = no retry). */
  readonly attempts: number;
  /** Wait before each retry; the last value repeats. */
  readonly delaysMs: readonly number[];
}

export interface ProbeOptions {
  readonly timeouts: ConnTimeouts;
  /** Whole endpoint, ms: probes not started by then are skipped (scan partial). */
  readonly endpointMs: number;
  readonly retry: RetryPolicy;
  readonly ehloName: string;
  readonly trust: TrustStore;
  readonly limiter: ConnectionLimiter;
  readonly now: () => Date;
  /** e.g. `tlsproof 0.1.0`. */
  readonly tool: string;
  /** Counts TLS-level exchanges (full handshakes and ServerHellos). */
  readonly stats?: { handshakes: number };
  readonly signal?: AbortSignal;
}

type ProbeOutcome = ProbeStatus['status'];

export interface ProbeResult {
  readonly status: ProbeOutcome;
  readonly reason?: ProbeErrorReason;
  readonly detail: string;
  readonly observation: Observation;
}

/** The endpoint to probe must carry an IP; `host` is the name the certificate must match. */
type ProbeTarget = Endpoint & { readonly ip: string };

const WEAK_FAMILIES: readonly CipherFamily[] = ['null', 'export', 'des', '3des', 'rc4', 'cbc'];
const HELLO_PROTOCOLS: readonly Protocol[] = PROTOCOLS;

function probeUri(t: ProbeTarget): string {
  return `probe://${t.host}:${t.port}`;
}

function span(lines: readonly string[], e: Excerpt | undefined): string {
  return e === undefined ? '' : lines.slice(e.from, e.to).join('\n');
}

/**
 * What a stapled OCSP response says about the certificate with `serial`; undefined when it is not
 * readable, is a responder error, or covers other certificates only (the evidence line says which).
 */
function ocspStatusOf(der: Buffer, serial: string): OcspCertificateStatus | undefined {
  const mine = readOcspStaple(der)?.responses.find((r) => r.serial === normaliseSerial(serial));
  if (!mine) return undefined;
  const { status, revokedAt, thisUpdate, nextUpdate } = mine;
  return {
    status,
    ...(revokedAt !== undefined ? { revokedAt } : {}),
    ...(thisUpdate !== undefined ? { thisUpdate } : {}),
    ...(nextUpdate !== undefined ? { nextUpdate } : {}),
  };
}

/** Retries temporary refusals (SMTP 421/4xx, 454) with backoff; rethrows anything else. */
async function withRetry<T>(policy: RetryPolicy, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ProbeError) || !err.temporary || attempt >= policy.attempts || signal?.aborted) throw err;
      const delay = policy.delaysMs[Math.min(attempt - 1, policy.delaysMs.length - 1)] ?? 1000;
      await sleep(delay, undefined, signal ? { signal } : undefined).catch(() => undefined);
    }
  }
}

interface Primary {
  dialogue?: DialogueResult;
  tls?: HandshakeInfo;
  transcript: string[];
  afterTls?: string[];
  implicitBanner?: { banner?: string; capabilities?: string[] };
  /** STARTTLS was not advertised: no TLS on this connection. */
  noStartTls: boolean;
}

type OtherHandshake =
  | { ok: true; keyType: ServerKeyType; info: HandshakeInfo; transcript: readonly string[] }
  | { ok: false; keyType: ServerKeyType; error: ProbeError };

type HelloResult = { ok: true; outcome: HelloOutcome; label: string } | { ok: false; error: ProbeError; label: string };

class EndpointProbe {
  private readonly problems: Fact<string>[] = [];
  private readonly sources: SourceRef[] = [];
  private readonly deadline: number;
  private firstError: ProbeError | undefined;
  /** Leaf of the main handshake, once known. */
  private leaf: ParsedCertificate | undefined;

  constructor(private readonly t: ProbeTarget, private readonly o: ProbeOptions) {
    this.deadline = Date.now() + o.endpointMs;
  }

  private source(excerpt: string): SourceRef {
    const s: SourceRef = { kind: 'probe', file: probeUri(this.t), excerpt: excerpt.length > 2000 ? `${excerpt.slice(0, 1999)}…` : excerpt };
    this.sources.push(s);
    return s;
  }

  private problem(err: ProbeError, what: string): void {
    this.firstError ??= err;
    this.problems.push(fact(`${what}: ${err.message}`, this.source(`${what}: ${err.reason}: ${err.message}`)));
  }

  private checkTime(): void {
    if (this.o.signal?.aborted) throw new ProbeError('deadline', 'scan interrupted');
    if (Date.now() > this.deadline) throw new ProbeError('deadline', `endpoint time budget of ${this.o.endpointMs} ms used up`);
  }

  /** Opens a connection and runs the plaintext dialogue up to the point where TLS starts. */
  private async open(quick: boolean): Promise<{ conn: Conn; dialogue?: DialogueResult }> {
    const conn = await Conn.connect(this.t.ip, this.t.port, this.o.timeouts);
    if (this.t.transport !== 'starttls') return { conn };
    try {
      const dialogue = await runDialogue(conn, this.t.service, { ehloName: this.o.ehloName, quick, testMail: !quick });
      return { conn, dialogue };
    } catch (err) {
      conn.destroy();
      throw err;
    }
  }

  private async primary(): Promise<Primary> {
    return withRetry(this.o.retry, this.o.signal, () => this.o.limiter.with(this.t.ip, async () => {
      this.checkTime();
      const { conn, dialogue } = await this.open(false).catch((err: unknown) => {
        if (err instanceof ProbeError) err.stage = 'dialogue';
        throw err;
      });
      const result: Primary = { transcript: [], noStartTls: false };
      let over: Conn | undefined;
      try {
        if (dialogue) {
          result.dialogue = dialogue;
          if (dialogue.starttls === 'not-offered') {
            quit(conn, dialogue.protocol);
            result.noStartTls = true;
            return result;
          }
          if (conn.pending > 0) conn.note(`${conn.pending} bytes arrived after the STARTTLS reply, before TLS (discarded)`);
        }
        conn.note(`TLS handshake (Node ${process.version}, OpenSSL ${process.versions.openssl ?? '?'}), server name ${this.t.host}`);
        const info = await handshake(conn.detach(), this.t.host, this.o.trust.probeContext, this.o.timeouts.handshakeMs)
          .catch((err: unknown) => {
            if (err instanceof ProbeError) err.stage = 'tls';
            throw err;
          });
        if (this.o.stats) this.o.stats.handshakes++;
        result.tls = info;
        conn.note(`negotiated ${info.protocol} ${info.cipher}${info.ephemeral ? `, ${info.ephemeral.type}${info.ephemeral.name ? ` ${info.ephemeral.name}` : ''}${info.ephemeral.size ? ` ${info.ephemeral.size} bits` : ''}` : ''}`);
        over = Conn.wrap(info.socket, this.o.timeouts);
        try {
          const protocol = protocolOf(this.t.service);
          if (dialogue && protocol) {
            const caps = await capabilitiesAfterTls(over, protocol, this.o.ehloName);
            if (caps) result.afterTls = caps;
          } else if (protocol) {
            result.implicitBanner = await greetingOverTls(over, this.t.service, this.o.ehloName);
            quit(over, protocol);
          }
        } catch (err) {
          // The TLS facts stand; a server that hangs up after the handshake is only noted.
          conn.note(`after TLS: ${(err as Error).message}`);
        }
        info.socket.end();
        setTimeout(() => info.socket.destroy(), 200).unref();
        return result;
      } catch (err) {
        if (err instanceof ProbeError) err.transcript = [...conn.transcript];
        throw err;
      } finally {
        result.transcript.push(...conn.transcript, ...(over?.transcript ?? []).map((l) => l.replace(/^([CS]): /, '$1(tls): ')));
        if (!result.tls) conn.destroy();
      }
    }));
  }

  /** One hand-built ClientHello on a fresh connection. */
  private async hello(protocol: Protocol, suites: readonly SuiteInfo[], wantKx: boolean, label: string): Promise<HelloResult> {
    try {
      const outcome = await withRetry(this.o.retry, this.o.signal, () => this.o.limiter.with(this.t.ip, async () => {
        this.checkTime();
        const { conn, dialogue } = await this.open(true);
        try {
          if (dialogue && dialogue.starttls !== 'accepted') throw new ProbeError('starttls-rejected', 'STARTTLS no longer offered');
          const deadline = Date.now() + this.o.timeouts.handshakeMs;
          const read = (n: number) => conn.readBytes(n, deadline);
          if (protocol === 'SSLv2') {
            conn.writeRaw(buildSsl2ClientHello(), 'SSLv2 CLIENT-HELLO');
            return await readSsl2Outcome(read);
          }
          conn.writeRaw(buildClientHello({ protocol, suites, serverName: this.t.host }), label);
          const out = await readHelloOutcome(read, wantKx);
          if (out.kind === 'server-hello' && this.o.stats) this.o.stats.handshakes++;
          return out;
        } finally {
          conn.destroy();
        }
      }));
      return { ok: true, outcome, label };
    } catch (err) {
      if (err instanceof ProbeError) return { ok: false, error: err, label };
      throw err;
    }
  }

  private helloExcerpt(r: HelloResult): string {
    if (!r.ok) return `${r.label} → ${r.error.reason}: ${r.error.message}`;
    const o = r.outcome;
    if (o.kind === 'server-hello') {
      const extra = [o.retryRequest ? 'HelloRetryRequest' : '', o.dhBits ? `DH ${o.dhBits} bits` : ''].filter(Boolean).join(', ');
      return `${r.label} → ServerHello ${o.protocol} ${o.suiteName}${extra ? ` (${extra})` : ''}`;
    }
    return `${r.label} → ${o.text}`;
  }

  async run(): Promise<ProbeResult> {
    const observedAt = this.o.now().toISOString();
    const { host, ip, port, service, transport } = this.t;
    const obs = emptyObservation({ host, ip, port, service, transport }, observedAt, 'input');
    obs.tool = this.o.tool;
    let primary: Primary | undefined;
    let primaryError: ProbeError | undefined;
    try {
      primary = await this.primary();
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      primaryError = err;
      if (err.transcript) obs.transcript = err.transcript.join('\n');
    }

    if (primary) this.applyPrimary(obs, primary);
    // Give up early on an endpoint that is unreachable, silent, refusing us or not speaking the protocol.
    const tlsLevelFailure = primaryError?.stage === 'tls'
      && (primaryError.reason === 'handshake-failed' || primaryError.reason === 'connection-reset' || primaryError.reason === 'connection-closed');
    if (primaryError && !tlsLevelFailure) return this.finish(obs, primaryError);
    if (primary?.noStartTls) return this.finish(obs, undefined);

    // RSA behind ECDSA (or the reverse): asked for alongside the ClientHellos, applied after them
    // so the sources keep a stable order.
    const leaf = this.leaf;
    const [, other] = await Promise.all([
      this.probeVersionsAndCiphers(obs, primary?.tls !== undefined),
      leaf ? this.otherKeyType(leaf.keyAlgorithm === 'RSA' ? 'ECDSA' : 'RSA') : undefined,
    ]);
    if (other) this.applyOtherCertificate(obs, other);

    if (primaryError) {
      // The full handshake failed, but an old protocol may still be offered (SSLv3-only servers).
      const anyOffered = Object.values(obs.protocols).some((f) => f?.value === true);
      if (!anyOffered) return this.finish(obs, primaryError);
      this.problem(primaryError, 'full TLS handshake');
      obs.tlsAvailable = fact(true, Object.values(obs.protocols).find((f) => f?.value)!.source);
    }
    return this.finish(obs, undefined);
  }

  private applyPrimary(obs: Observation, p: Primary): void {
    const lines = p.transcript;
    obs.transcript = lines.join('\n');
    const whole = this.source(lines.join('\n'));
    const mail: MailDialogueFacts = {};
    const d = p.dialogue;
    if (d) {
      if (d.banner !== undefined) mail.banner = fact(d.banner, this.source(span(lines, d.spans.banner)));
      const capsSrc = this.source(span(lines, d.spans.capabilities));
      if (d.capabilities !== undefined) mail.capabilities = fact(d.capabilities, capsSrc);
      if (d.authBeforeTls !== undefined) mail.authBeforeTls = fact(d.authBeforeTls, capsSrc);
      if (d.loginDisabled !== undefined) mail.loginDisabled = fact(d.loginDisabled, capsSrc);
      if (d.mailAcceptedBeforeTls !== undefined) mail.mailAcceptedBeforeTls = fact(d.mailAcceptedBeforeTls, this.source(span(lines, d.spans.mail)));
      obs.startTlsOffered = d.starttls === 'accepted'
        ? fact(true, this.source(span(lines, d.spans.starttls)))
        : fact(false, capsSrc);
    }
    if (p.implicitBanner?.banner !== undefined) mail.banner = fact(p.implicitBanner.banner, whole);
    if (p.implicitBanner?.capabilities !== undefined) mail.capabilities = fact(p.implicitBanner.capabilities, whole);
    if (p.afterTls) mail.capabilitiesAfterTls = fact(p.afterTls, whole);
    if (Object.keys(mail).length > 0) obs.mail = mail;

    const info = p.tls;
    if (!info) return;
    const hs = this.source(lines.filter((l) => l.startsWith('* TLS') || l.startsWith('* negotiated')).join('\n') || 'TLS handshake');
    obs.tlsAvailable = fact(true, hs);
    obs.preferredCipher = fact(info.cipher, hs);
    if (info.ephemeral?.type === 'DH' && info.ephemeral.size) {
      obs.dhBits = fact(info.ephemeral.size, hs);
      obs.dheOffered = fact(true, hs);
    }
    this.applyCertificates(obs, info);
  }

  private applyCertificates(obs: Observation, info: HandshakeInfo): void {
    const first = this.certificateFacts(info, 1, undefined);
    if (!first) return;
    obs.certificates = [first.cert];
    this.leaf = first.leaf;
    // Kept for DANE matching by the caller (not serialised).
    parsedChains.set(obs, [first.chain]);
  }

  /**
   * Every fact about the certificate one handshake presented. `other` describes the extra
   * handshake that asked for another key type; its lines go into each source, so the evidence for
   * certificate 2 says how it was obtained.
   */
  private certificateFacts(info: HandshakeInfo, index: number, other: { keyType: ServerKeyType; transcript: readonly string[] } | undefined):
    { cert: CertificateFacts; chain: ParsedCertificate[]; leaf: ParsedCertificate } | undefined {
    const { chain, problems } = parseChain(info.chain);
    for (const p of problems) this.problems.push(fact(p, this.source(p)));
    const leaf = chain.find((c) => c.position === 0);
    if (!leaf) return undefined;
    const how = other ? `\n(certificate ${index}: second handshake offering only ${other.keyType} signature algorithms and suites)` : '';
    const src = (text: string) => this.source(`${text}${how}`);
    const describe = (c: ParsedCertificate): string =>
      `certificate #${c.position}: subject ${c.subject}; issuer ${c.issuer}; valid ${c.notBefore} to ${c.notAfter}; ` +
      `${c.keyAlgorithm} ${c.keyBits} bits; ${c.signatureAlgorithm}; SHA-256 ${c.fingerprintSha256}`;
    const leafSrc = other
      ? this.source(`${describe(leaf)}${how}\n${other.transcript.join('\n')}`)
      : this.source(describe(leaf));
    const cert: CertificateFacts = { index };
    if (leaf.commonName !== undefined) cert.commonName = fact(leaf.commonName, leafSrc);
    if (leaf.subjectAltNames.length > 0) cert.subjectAltNames = fact(leaf.subjectAltNames, leafSrc);
    cert.issuer = fact(leaf.issuer, leafSrc);
    cert.serial = fact(leaf.serial, leafSrc);
    cert.fingerprintSha256 = fact(leaf.fingerprintSha256, leafSrc);
    cert.notBefore = fact(leaf.notBefore, leafSrc);
    cert.notAfter = fact(leaf.notAfter, leafSrc);
    cert.keyAlgorithm = fact(leaf.keyAlgorithm, leafSrc);
    cert.keyBits = fact(leaf.keyBits, leafSrc);
    cert.signatureAlgorithm = fact(leaf.signatureAlgorithm, leafSrc);
    cert.chain = fact(chain.map(toChainCertificate), src(chain.map(describe).join('\n')));

    const code = info.authorizationError;
    let trusted = info.authorized;
    let detail = info.authorized ? 'passed: chains to a trusted root' : `failed: ${verifyText(code ?? 'unknown')}${code ? ` (${code})` : ''}`;
    if (!trusted && code !== undefined && DATE_ERRORS.has(code)) {
      // OpenSSL names one error; for a leaf outside its dates that hides whether the chain is sound.
      // Trust is judged apart from the dates (cert-expired and cert-not-yet-valid judge those).
      const path = trustIgnoringLeafDates(info.chain, this.o.trust.ca, this.o.now());
      trusted = path.trusted;
      detail = path.trusted
        ? `passed apart from the certificate's dates: ${path.detail} (OpenSSL: ${verifyText(code)}, judged by the date checks)`
        : `failed: ${path.detail} (OpenSSL: ${verifyText(code)})`;
    }
    const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (leaf.selfSigned && !trusted);
    cert.chainTrust = fact({ trusted, selfSigned, detail }, src(`chain verification against system roots and --ca-file: ${detail}`));

    const idErr = tls.checkServerIdentity(this.t.host, info.peer);
    const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : `CN ${leaf.commonName ?? '(none)'}`;
    cert.hostnameMatch = fact(idErr === undefined,
      src(`hostname ${this.t.host} against certificate names ${names}: ${idErr === undefined ? 'match' : `no match (${idErr.message})`}`));
    const stapled = info.ocspResponse ? `stapled response received: ${describeOcspStaple(info.ocspResponse, leaf.serial)}` : 'no stapled response';
    const ocspSrc = src(`OCSP status request sent: ${stapled}`);
    cert.ocspStapling = fact(info.ocspStapled, ocspSrc);
    const status = info.ocspResponse ? ocspStatusOf(info.ocspResponse, leaf.serial) : undefined;
    if (status) cert.ocspStatus = fact(status, ocspSrc);
    return { cert, chain, leaf };
  }

  /**
   * Servers may hold an RSA and an ECDSA certificate and pick one by what the client offers; the
   * main handshake shows one of them. One more full handshake on a fresh connection (a new
   * STARTTLS dialogue where needed) offers only the other key type. A refusal means the server
   * has no such certificate and is not a problem; a timeout or a lost connection is.
   */
  private async otherKeyType(keyType: ServerKeyType): Promise<OtherHandshake> {
    try {
      return await withRetry(this.o.retry, this.o.signal, () => this.o.limiter.with(this.t.ip, async () => {
        this.checkTime();
        const { conn, dialogue } = await this.open(true);
        let info: HandshakeInfo | undefined;
        try {
          if (dialogue && dialogue.starttls !== 'accepted') throw new ProbeError('starttls-rejected', 'STARTTLS no longer offered');
          if (conn.pending > 0) conn.note(`${conn.pending} bytes arrived after the STARTTLS reply, before TLS (discarded)`);
          conn.note(`TLS handshake offering only ${keyType} signature algorithms and ${keyType}-authenticated suites, server name ${this.t.host}`);
          info = await handshake(conn.detach(), this.t.host, this.o.trust.keyTypeContext(keyType), this.o.timeouts.handshakeMs);
          if (this.o.stats) this.o.stats.handshakes++;
          conn.note(`negotiated ${info.protocol} ${info.cipher}`);
          const protocol = protocolOf(this.t.service);
          // A polite goodbye over TLS; nothing is read back.
          if (protocol) info.socket.end(protocol === 'imap' ? 't9 LOGOUT\r\n' : 'QUIT\r\n');
          else info.socket.end();
          const socket = info.socket;
          setTimeout(() => socket.destroy(), 200).unref();
          return { ok: true, keyType, info, transcript: [...conn.transcript] } as const;
        } finally {
          if (!info) conn.destroy();
        }
      }));
    } catch (err) {
      if (err instanceof ProbeError) return { ok: false, keyType, error: err };
      throw err;
    }
  }

  /** Certificate 2 from the extra handshake, when it is a different certificate. */
  private applyOtherCertificate(obs: Observation, r: OtherHandshake): void {
    if (!r.ok) {
      // The server has no certificate of that type: it says so with an alert or by hanging up.
      if (r.error.reason === 'handshake-failed' || r.error.reason === 'connection-reset' || r.error.reason === 'connection-closed') return;
      this.problem(r.error, `${r.keyType} certificate not tested`);
      return;
    }
    const first = obs.certificates[0];
    const der = r.info.chain[0];
    if (!first || !der) return;
    // Parsed once here only to compare; certificateFacts parses again for its facts and problems.
    let fingerprint: string;
    try {
      fingerprint = parseCertificate(der, 0).fingerprintSha256;
    } catch {
      fingerprint = '';
    }
    if (fingerprint === first.fingerprintSha256?.value) return;
    const second = this.certificateFacts(r.info, 2, { keyType: r.keyType, transcript: r.transcript });
    if (!second) return;
    obs.certificates = [first, second.cert];
    parsedChains.set(obs, [...(parsedChains.get(obs) ?? []), second.chain]);
  }

  private async probeVersionsAndCiphers(obs: Observation, fullHandshakeWorked: boolean): Promise<void> {
    const versionResults = await Promise.all(HELLO_PROTOCOLS.map(async (p) => {
      const suites = p === 'SSLv2' ? [] : clientOrder(suitesFor(p));
      return [p, await this.hello(p, suites, false, p === 'SSLv2' ? 'SSLv2 CLIENT-HELLO' : `ClientHello ${p} offering ${suites.length} suites`)] as const;
    }));
    const preferred: Partial<Record<Protocol, Fact<string>>> = {};
    for (const [p, r] of versionResults) {
      const src = this.source(this.helloExcerpt(r));
      if (!r.ok) {
        if (r.error.reason === 'deadline') { this.problem(r.error, `${p} not tested`); continue; }
        // A reset or close in answer to a ClientHello is how Dovecot refuses a version.
        if (r.error.reason === 'connection-reset' || r.error.reason === 'connection-closed') {
          obs.protocols[p] = fact(false, src);
          continue;
        }
        this.problem(r.error, `${p} not tested`);
        continue;
      }
      const o = r.outcome;
      const offered = o.kind === 'server-hello' && o.protocol === p;
      if (o.kind === 'garbage' && !fullHandshakeWorked) {
        this.problem(new ProbeError('protocol-error', o.text), `${p} ClientHello`);
        continue;
      }
      obs.protocols[p] = fact(offered, src);
      if (offered && o.kind === 'server-hello' && p !== 'SSLv2' && !o.retryRequest) preferred[p] = fact(o.suiteName, src);
    }
    if (Object.keys(preferred).length > 0) obs.preferredCipherByProtocol = preferred;
    const reneg = secureRenegotiation(versionResults.map(([, r]) => r), obs);
    if (reneg) obs.vulnerabilities['secure-renegotiation'] = reneg;

    const offeredLegacy = (['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const).filter((p) => obs.protocols[p]?.value === true);
    const perProtocol = await Promise.all(offeredLegacy.map(async (p) => [p, await this.cipherClasses(p)] as const));

    const byProtocol: NonNullable<Observation['cipherClassesByProtocol']> = {};
    const union: Partial<Record<CipherClass, Fact<boolean>[]>> = {};
    const unknown = new Set<CipherClass>();
    let staticRsa: Fact<boolean> | undefined;
    let fs: Fact<boolean> | undefined;
    let dhe: Fact<boolean> | undefined;
    let dhMin: Fact<number> | undefined;
    let fsTested = true;
    for (const [p, r] of perProtocol) {
      byProtocol[p] = r.classes;
      for (const c of CIPHER_CLASSES) {
        const f = r.classes[c];
        if (f === undefined) unknown.add(c);
        else (union[c] ??= []).push(f);
      }
      if (r.staticRsa && (staticRsa === undefined || (r.staticRsa.value && !staticRsa.value))) staticRsa = r.staticRsa;
      if (r.forwardSecrecy === undefined) fsTested = false;
      else if (fs === undefined || (r.forwardSecrecy.value && !fs.value)) fs = r.forwardSecrecy;
      if (r.dhe && (dhe === undefined || (r.dhe.value && !dhe.value))) dhe = r.dhe;
      if (r.dhBits && (dhMin === undefined || r.dhBits.value < dhMin.value)) dhMin = r.dhBits;
    }
    if (perProtocol.length > 0) obs.cipherClassesByProtocol = byProtocol;
    for (const c of CIPHER_CLASSES) {
      const facts = union[c] ?? [];
      const yes = facts.find((f) => f.value);
      if (yes) obs.cipherClasses[c] = yes;
      else if (facts.length > 0 && !unknown.has(c)) obs.cipherClasses[c] = facts[0]!;
    }
    if (staticRsa) obs.staticRsa = staticRsa;
    if (dhe) obs.dheOffered = obs.dheOffered?.value ? obs.dheOffered : dhe;
    if (dhMin && (obs.dhBits === undefined || dhMin.value < obs.dhBits.value)) obs.dhBits = dhMin;

    const tls13 = obs.protocols['TLSv1.3'];
    if (tls13?.value) obs.forwardSecrecy = tls13;
    else if (fs?.value) obs.forwardSecrecy = fs;
    else if (fs && fsTested && tls13 !== undefined) obs.forwardSecrecy = fs;
  }

  /** Cipher classes, static RSA, DHE (with group size) and forward secrecy for one protocol version. */
  private async cipherClasses(p: Exclude<Protocol, 'SSLv2' | 'TLSv1.3'>): Promise<{
    classes: Partial<Record<CipherClass, Fact<boolean>>>;
    staticRsa?: Fact<boolean>; forwardSecrecy?: Fact<boolean>; dhe?: Fact<boolean>; dhBits?: Fact<number>;
  }> {
    const classes: Partial<Record<CipherClass, Fact<boolean>>> = {};
    const remaining = new Set<CipherFamily>(WEAK_FAMILIES);
    let anonSeen: Fact<boolean> | undefined;
    // Elimination: each round either names one more offered family or shows the rest are refused.
    for (let round = 0; round < WEAK_FAMILIES.length + 1 && remaining.size > 0; round++) {
      const suites = suitesFor(p, (s) => remaining.has(s.family));
      if (suites.length === 0) break;
      const r = await this.hello(p, clientOrder(suites), false, `ClientHello ${p} offering ${suites.length} ${[...remaining].join('/')} suites`);
      const src = this.source(this.helloExcerpt(r));
      const accepted = this.accepted(r, p);
      if (accepted === undefined) {
        if (!r.ok) this.problem(r.error, `${p} cipher classes not fully tested`);
        break;
      }
      if (accepted === false) {
        for (const f of remaining) if (f !== 'aead') classes[f as CipherClass] = fact(false, src);
        break;
      }
      const suite = suiteByCode(accepted);
      if (!suite || !remaining.has(suite.family)) {
        // The server picked a suite we did not offer: a broken server; stop rather than guess.
        this.problems.push(fact(`${p}: server chose ${suite?.name ?? accepted} which was not offered`, src));
        break;
      }
      classes[suite.family as CipherClass] = fact(true, src);
      if (suite.anon) anonSeen = fact(true, src);
      remaining.delete(suite.family);
    }
    const out: Awaited<ReturnType<EndpointProbe['cipherClasses']>> = { classes };
    const probe = async (filter: (s: SuiteInfo) => boolean, label: string, wantKx = false) => {
      const suites = suitesFor(p, filter);
      const r = await this.hello(p, clientOrder(suites), wantKx, `ClientHello ${p} offering ${suites.length} ${label} suites`);
      const src = this.source(this.helloExcerpt(r));
      const accepted = this.accepted(r, p);
      if (accepted === undefined && !r.ok) this.problem(r.error, `${p} ${label} not tested`);
      return { accepted, src, r };
    };
    if (anonSeen) classes.anon = anonSeen;
    else {
      const a = await probe((s) => s.anon, 'anonymous');
      if (a.accepted !== undefined) classes.anon = fact(a.accepted !== false, a.src);
    }
    const rsa = await probe((s) => s.staticRsa, 'static-RSA');
    if (rsa.accepted !== undefined) out.staticRsa = fact(rsa.accepted !== false, rsa.src);
    const dh = await probe((s) => s.dhe && !s.anon, 'DHE', true);
    if (dh.accepted !== undefined) {
      out.dhe = fact(dh.accepted !== false, dh.src);
      if (dh.r.ok && dh.r.outcome.kind === 'server-hello' && dh.r.outcome.dhBits) out.dhBits = fact(dh.r.outcome.dhBits, dh.src);
      if (dh.accepted !== false) out.forwardSecrecy = fact(true, dh.src);
    }
    if (out.forwardSecrecy === undefined) {
      const ec = await probe((s) => s.forwardSecret && s.kx.startsWith('ECDHE'), 'ECDHE');
      if (ec.accepted !== undefined) out.forwardSecrecy = fact(ec.accepted !== false, ec.src);
    }
    return out;
  }

  /** Suite code the server accepted at `p`; false when refused; undefined when we cannot tell. */
  private accepted(r: HelloResult, p: Protocol): number | false | undefined {
    if (!r.ok) return r.error.reason === 'connection-reset' || r.error.reason === 'connection-closed' ? false : undefined;
    const o = r.outcome;
    if (o.kind === 'server-hello') return o.protocol === p ? o.suite : false;
    if (o.kind === 'alert' || o.kind === 'closed') return false;
    return undefined;
  }

  private finish(obs: Observation, fatal: ProbeError | undefined): ProbeResult {
    obs.sources = this.sources;
    const label = endpointLabel(this.t);
    if (fatal) {
      const blocked = fatal.reason === 'blocked' || fatal.reason === 'rate-limited';
      const status: ProbeOutcome = blocked ? 'blocked' : 'error';
      const src = this.source(obs.transcript ? `${fatal.reason}: ${fatal.message}\n${obs.transcript}` : `${fatal.reason}: ${fatal.message}`);
      // Facts gathered on the way to a failure (e.g. every ClientHello reset by a hostile server)
      // would read as verdicts; an endpoint that could not be assessed carries none of them.
      obs.protocols = {};
      obs.cipherClasses = {};
      delete obs.cipherClassesByProtocol;
      delete obs.preferredCipherByProtocol;
      delete obs.forwardSecrecy;
      delete obs.staticRsa;
      delete obs.dheOffered;
      delete obs.dhBits;
      obs.scan = { state: 'failed', problems: [fact(`${fatal.reason}: ${fatal.message}`, src), ...this.problems] };
      obs.probeStatus = fact({ status, reason: fatal.reason, detail: fatal.message }, src);
      obs.sources = this.sources;
      return { status, reason: fatal.reason, detail: `${label}: ${fatal.message}`, observation: obs };
    }
    if (this.problems.length > 0) {
      deriveFacts(obs);
      const first = this.firstError;
      obs.scan = { state: 'partial', problems: [...this.problems] };
      const detail = this.problems.map((p) => p.value).join('; ');
      obs.probeStatus = fact({ status: 'partial', ...(first ? { reason: first.reason } : {}), detail }, this.problems[0]!.source);
      return { status: 'partial', ...(first ? { reason: first.reason } : {}), detail, observation: obs };
    }
    deriveFacts(obs);
    obs.scan = { state: 'completed', problems: [] };
    const src = this.source(`scan of ${label} completed`);
    obs.probeStatus = fact({ status: 'completed', detail: 'all probes completed' }, src);
    return { status: 'completed', detail: 'all probes completed', observation: obs };
  }
}

/**
 * RFC 5746 from the version probes: every ClientHello offers renegotiation_info, and a server that
 * supports secure renegotiation answers with it. Judged on TLS 1.0–1.2 answers only (SSL 3.0
 * hellos carry no extensions; TLS 1.3 has no renegotiation, so a TLS 1.3-only server has none to
 * secure). Undefined when no version answer decides it.
 */
function secureRenegotiation(results: readonly HelloResult[], obs: Observation): Fact<VulnFact> | undefined {
  let missing: HelloResult | undefined;
  for (const r of results) {
    if (!r.ok || r.outcome.kind !== 'server-hello' || r.outcome.retryRequest) continue;
    const o = r.outcome;
    if (o.protocol !== 'TLSv1.0' && o.protocol !== 'TLSv1.1' && o.protocol !== 'TLSv1.2') continue;
    if (o.renegotiationInfo) {
      const src = obs.protocols[o.protocol]?.source;
      return src && fact({ state: 'not-vulnerable', detail: `the ${o.protocol} ServerHello carries renegotiation_info (RFC 5746)` }, src);
    }
    missing ??= r;
  }
  if (missing && missing.ok && missing.outcome.kind === 'server-hello') {
    const p = missing.outcome.protocol;
    const src = obs.protocols[p]?.source;
    return src && fact({ state: 'vulnerable', detail: `the ${p} ServerHello has no renegotiation_info: RFC 5746 secure renegotiation is not supported` }, src);
  }
  const legacy = (['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const).map((p) => obs.protocols[p]);
  const tls13 = obs.protocols['TLSv1.3'];
  if (tls13?.value === true && legacy.every((f) => f?.value === false)) {
    return fact({ state: 'not-vulnerable', detail: 'only TLS 1.3 is offered, which has no renegotiation' }, tls13.source);
  }
  return undefined;
}

/**
 * Parsed chains of observations made in this process, one per certificate (same order as
 * `certificates`), for DANE matching (not part of the Observation).
 */
export const parsedChains = new WeakMap<Observation, readonly (readonly ParsedCertificate[])[]>();

/** Probes one endpoint; always resolves to an Observation (an error one when the server could not be assessed). */
export async function probeEndpoint(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  return new EndpointProbe(target, opts).run();
}
