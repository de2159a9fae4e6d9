/**
 * The on-disk shape of tlsproof's own scan results (`scan.jsonl`, format `tlsproof-scan/v1`): one
 * JSON object per line — a header, one `domain` record per domain (the discovery), one `endpoint`
 * record per endpoint as it finishes (its Observation), and a footer when the scan ends. The
 * reader validates every line with these schemas; the compile-time check at the bottom keeps the
 * Observation schema and the Observation type from drifting apart.
 */
import { z } from 'zod';
import { EndpointSchema } from '../model/endpoint.js';
import {
  CIPHER_CLASSES, PROBE_ERROR_REASONS, PROTOCOLS, VULNERABILITIES, type Observation,
} from '../model/observation.js';
import { SourceRefSchema } from '../model/source.js';

export const RESULTS_FORMAT = 'tlsproof-scan/v1' as const;
export const RESULTS_FILE = 'scan.jsonl';
export const SUMMARY_FILE = 'summary.csv';

const fact = <T extends z.ZodType>(value: T) => z.strictObject({ value, source: SourceRefSchema });
const opt = <T extends z.ZodType>(t: T) => t.exactOptional();
const partialRecord = <K extends readonly [string, ...string[]], V extends z.ZodType>(keys: K, v: V) =>
  z.partialRecord(z.enum(keys), v);

const KeyAlgorithmSchema = z.enum(['RSA', 'EC', 'DSA', 'EdDSA', 'other']);

const ChainCertificateSchema = z.strictObject({
  position: z.number().int(), subject: z.string(), issuer: z.string(), notBefore: z.string(), notAfter: z.string(),
  keyAlgorithm: KeyAlgorithmSchema, keyBits: z.number(), signatureAlgorithm: z.string(), selfSigned: z.boolean(),
  fingerprintSha256: z.string(),
});

const CertificateFactsSchema = z.strictObject({
  index: z.number().int(),
  commonName: opt(fact(z.string())),
  subjectAltNames: opt(fact(z.array(z.string()).readonly())),
  issuer: opt(fact(z.string())),
  serial: opt(fact(z.string())),
  fingerprintSha256: opt(fact(z.string())),
  notBefore: opt(fact(z.string())),
  notAfter: opt(fact(z.string())),
  keyAlgorithm: opt(fact(KeyAlgorithmSchema)),
  keyBits: opt(fact(z.number())),
  signatureAlgorithm: opt(fact(z.string())),
  chainTrust: opt(fact(z.strictObject({ trusted: z.boolean(), selfSigned: z.boolean(), detail: z.string() }))),
  hostnameMatch: opt(fact(z.boolean())),
  ocspStapling: opt(fact(z.boolean())),
  ocspStatus: opt(fact(z.strictObject({
    status: z.enum(['good', 'revoked', 'unknown']),
    revokedAt: opt(z.string()),
    thisUpdate: opt(z.string()),
    nextUpdate: opt(z.string()),
  }))),
  chain: opt(fact(z.array(ChainCertificateSchema).readonly())),
});

const VulnFactSchema = z.strictObject({
  state: z.enum(['vulnerable', 'potentially-vulnerable', 'not-vulnerable', 'unknown']),
  detail: z.string(),
  cve: opt(z.string()),
});

const ProbeStatusSchema = z.strictObject({
  status: z.enum(['completed', 'partial', 'error', 'blocked']),
  reason: opt(z.enum(PROBE_ERROR_REASONS)),
  detail: z.string(),
});

const MailSchema = z.strictObject({
  banner: opt(fact(z.string())),
  capabilities: opt(fact(z.array(z.string()).readonly())),
  capabilitiesAfterTls: opt(fact(z.array(z.string()).readonly())),
  authBeforeTls: opt(fact(z.array(z.string()).readonly())),
  loginDisabled: opt(fact(z.boolean())),
  mailAcceptedBeforeTls: opt(fact(z.boolean())),
});

const TxtState = z.enum(['valid', 'missing', 'invalid', 'multiple']);

const MtaStsFactsSchema = z.strictObject({
  record: TxtState,
  recordText: opt(z.string()),
  id: opt(z.string()),
  policy: z.enum(['valid', 'not-fetched', 'fetch-failed', 'invalid']),
  policyDetail: opt(z.string()),
  mode: opt(z.enum(['enforce', 'testing', 'none'])),
  maxAge: opt(z.number()),
  mx: opt(z.array(z.string()).readonly()),
  mxMatch: opt(z.boolean()),
});

const TlsRptFactsSchema = z.strictObject({
  record: TxtState,
  recordText: opt(z.string()),
  rua: opt(z.array(z.string()).readonly()),
  problem: opt(z.string()),
});

const TlsaSchema = z.strictObject({ usage: z.number().int(), selector: z.number().int(), matchingType: z.number().int(), data: z.string() });

const DaneSchema = z.strictObject({
  tlsa: z.array(TlsaSchema).readonly(),
  authenticated: z.boolean(),
  matches: opt(z.boolean()),
  matched: opt(z.string()),
  detail: z.string(),
});

const ObservationSchema = z.strictObject({
  endpoint: EndpointSchema,
  observedAt: z.string(),
  observedAtSource: z.enum(['input', 'option', 'file-mtime']),
  tool: opt(z.string()),
  scan: z.strictObject({ state: z.enum(['completed', 'partial', 'failed']), problems: z.array(fact(z.string())) }),
  tlsAvailable: opt(fact(z.boolean())),
  startTlsOffered: opt(fact(z.boolean())),
  protocols: partialRecord(PROTOCOLS, fact(z.boolean())),
  cipherClasses: partialRecord(CIPHER_CLASSES, fact(z.boolean())),
  forwardSecrecy: opt(fact(z.boolean())),
  preferredCipher: opt(fact(z.string())),
  certificates: z.array(CertificateFactsSchema),
  vulnerabilities: partialRecord(VULNERABILITIES, fact(VulnFactSchema)),
  sources: z.array(SourceRefSchema),
  probeStatus: opt(fact(ProbeStatusSchema)),
  mail: opt(MailSchema),
  cipherClassesByProtocol: opt(partialRecord(PROTOCOLS, partialRecord(CIPHER_CLASSES, fact(z.boolean())))),
  preferredCipherByProtocol: opt(partialRecord(PROTOCOLS, fact(z.string()))),
  staticRsa: opt(fact(z.boolean())),
  dhBits: opt(fact(z.number())),
  dheOffered: opt(fact(z.boolean())),
  dane: opt(fact(DaneSchema)),
  domainPolicies: opt(z.array(z.strictObject({
    domain: z.string(),
    mtaSts: opt(fact(MtaStsFactsSchema)),
    tlsRpt: opt(fact(TlsRptFactsSchema)),
  }))),
  transcript: opt(z.string()),
});

// Compile-time guard: a parsed record must be a valid Observation (fails to compile on drift).
const asObservation: (o: z.infer<typeof ObservationSchema>) => Observation = (o) => o;
export { asObservation };

const PlannedEndpointSchema = z.strictObject({
  host: z.string(), ip: z.string(), port: z.number().int(),
  service: EndpointSchema.shape.service, transport: EndpointSchema.shape.transport,
  origin: z.enum(['mx', 'implicit-mx', 'srv', 'hosts']),
  priority: opt(z.number()),
});

const DomainPlanSchema = z.strictObject({
  domain: z.string(),
  mx: z.array(z.strictObject({ preference: z.number(), exchange: z.string(), ips: z.array(z.string()) })),
  nullMx: z.boolean(),
  implicitMx: z.boolean(),
  srv: z.array(z.strictObject({ name: z.string(), priority: z.number(), port: z.number(), target: z.string() })),
  endpoints: z.array(PlannedEndpointSchema),
  mtaSts: opt(MtaStsFactsSchema),
  mtaStsEvidence: opt(z.string()),
  tlsRpt: opt(TlsRptFactsSchema),
  tlsRptEvidence: opt(z.string()),
  problems: z.array(z.string()),
  dnsFailed: opt(z.string()),
  evidence: z.array(z.string()),
});

const HeaderRecordSchema = z.strictObject({
  type: z.enum(['header', 'resume']),
  format: z.literal(RESULTS_FORMAT),
  tool: z.string(),
  startedAt: z.string(),
  domains: z.number().int(),
  options: z.record(z.string(), z.unknown()),
});

const DomainRecordSchema = z.strictObject({
  type: z.literal('domain'),
  domain: z.string(),
  at: z.string(),
  plan: DomainPlanSchema,
});

const EndpointRecordSchema = z.strictObject({
  type: z.literal('endpoint'),
  key: z.string(),
  domains: z.array(z.string()),
  status: z.enum(['completed', 'partial', 'error', 'blocked']),
  reason: opt(z.enum(PROBE_ERROR_REASONS)),
  detail: z.string(),
  elapsedMs: z.number(),
  observation: ObservationSchema,
});

const FooterRecordSchema = z.strictObject({
  type: z.literal('footer'),
  finishedAt: z.string(),
  interrupted: z.boolean(),
  counts: z.record(z.string(), z.number()),
});

export const ResultRecordSchema = z.discriminatedUnion('type', [HeaderRecordSchema, DomainRecordSchema, EndpointRecordSchema, FooterRecordSchema]);
export type ResultRecord = z.infer<typeof ResultRecordSchema>;
export type EndpointRecord = z.infer<typeof EndpointRecordSchema>;
export type DomainRecord = z.infer<typeof DomainRecordSchema>;
