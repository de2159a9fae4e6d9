/**
 * The assessment stage: observations, findings, frameworks and the domain list in; per framework,
 * which endpoints are in scope and why, and each control's verdict out. Every output (HTML, PDF,
 * JSON, the evidence store) reads verdicts from here; src/report/build-model.ts only shapes them.
 * Pure: no I/O, no clock (the generation time comes in for the report's own evidence properties).
 */
import { PROTOCOLS, type Observation } from '../model/observation.js';
import { endpointKey } from '../model/endpoint.js';
import type { Finding } from '../model/finding.js';
import type { GradingRule, LoadedFramework } from '../model/framework.js';
import { mailState, type Attribution, type DomainDiscovery, type MailState } from '../model/discovery.js';
import { emptyControlCounts, type ControlStatus } from '../model/report-model.js';
import { evaluateControl, type ControlEvaluation } from './evaluate.js';
import { acceptControl, applyExceptions, type ExceptionApplication } from './exceptions.js';
import type { LoadedExceptionEntry } from '../model/exceptions.js';
import { evaluateEvidence } from './evidence.js';
import { attributeEndpoints, type AssetScope, type ListedHost } from './scope.js';

interface AssessInput {
  readonly observations: readonly Observation[];
  readonly findings: readonly Finding[];
  readonly frameworks: readonly LoadedFramework[];
  /** Present when the user gave a domain list. */
  readonly assets: readonly AssetScope[] | undefined;
  /** Scan discovery per domain (this run's scan, or tlsproof scan results among the inputs). */
  readonly discovery?: readonly DomainDiscovery[];
  /** Domain → its hosts column entries. */
  readonly listedHosts?: ReadonlyMap<string, readonly ListedHost[]>;
  readonly grading?: readonly GradingRule[];
  /** The exception register and the date it is judged on; absent: nothing is accepted. */
  readonly exceptions?: { readonly entries: readonly LoadedExceptionEntry[]; readonly reportDate: string } | undefined;
  /** Facts the report's own evidence properties are judged on. */
  readonly report: {
    readonly generatedAt: string;
    readonly toolVersion: string;
    readonly inputs: readonly { readonly file: string; readonly sha256: string }[];
    readonly inputProblems: number;
  };
}

interface AssetAssessment {
  readonly asset: AssetScope;
  readonly mail: MailState;
  /** Endpoints attributed to this asset, sorted. */
  readonly endpointKeys: string[];
}

interface ControlAssessment {
  readonly evaluation: ControlEvaluation;
  /** In-scope domains whose endpoints gave the findings this control counted, sorted. */
  readonly domains: string[];
}

interface FrameworkAssessment {
  readonly framework: LoadedFramework;
  readonly endpointKeys: string[];
  readonly reason: string;
  readonly assets: { domain: string; reason: string; endpointKeys: string[]; mail: MailState }[];
  readonly controls: ControlAssessment[];
  readonly counts: Record<ControlStatus, number>;
}

export interface Assessment {
  /** Endpoint key → the assets it belongs to and why; empty without a domain list, or for an unlisted endpoint. */
  readonly attribution: ReadonlyMap<string, readonly Attribution[]>;
  /** Per domain-list row, in list order; undefined without a domain list. */
  readonly assets: readonly AssetAssessment[] | undefined;
  readonly frameworks: readonly FrameworkAssessment[];
  /** Finding id → the controls its failing or warning status counted against. */
  readonly findingControls: ReadonlyMap<string, readonly { frameworkId: string; controlId: string }[]>;
  /** Endpoints no domain-list row covers (only with a domain list). */
  readonly unlistedEndpointKeys: string[];
  /** Domain-list rows with no endpoint that did not say they take no mail. */
  readonly assetsWithoutResults: string[];
  /** Domain-list rows whose DNS says they take no mail (null MX, RFC 7505). */
  readonly domainsWithoutMail: string[];
  /** What the exception register matched and accepted; undefined when the run had none. */
  readonly exceptions: ExceptionApplication | undefined;
}

const SCOPE_REASON_ASSETS = 5;

const MAIL_NOTE: Readonly<Record<MailState, string>> = {
  'accepts-mail': '', unknown: '', 'no-mail-host': ' (DNS named no mail host)', 'dns-failed': ' (DNS failed)',
  'null-mx': ' (does not accept mail: null MX)',
};

function sorted(list: Iterable<string>): string[] {
  return [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function assess(input: AssessInput): Assessment {
  const obsByKey = new Map(input.observations.map((o) => [endpointKey(o.endpoint), o]));
  const attribution = input.assets
    ? attributeEndpoints({
      endpoints: [...obsByKey].map(([key, o]) => ({ key, host: o.endpoint.host, port: o.endpoint.port })),
      assets: input.assets, discovery: input.discovery ?? [], ...(input.listedHosts ? { listedHosts: input.listedHosts } : {}),
    })
    : new Map<string, Attribution[]>();

  const discoveryByDomain = new Map((input.discovery ?? []).map((d) => [d.domain.toLowerCase(), d]));
  const keysByDomain = new Map<string, string[]>();
  for (const [key, list] of attribution) {
    for (const a of list) {
      const keys = keysByDomain.get(a.domain);
      if (keys) keys.push(key);
      else keysByDomain.set(a.domain, [key]);
    }
  }
  const assets = input.assets?.map((asset): AssetAssessment => ({
    asset, mail: mailState(discoveryByDomain.get(asset.entry.domain.toLowerCase())),
    endpointKeys: sorted(keysByDomain.get(asset.entry.domain) ?? []),
  }));
  const assetByDomain = new Map((assets ?? []).map((a) => [a.asset.entry.domain, a]));
  // Without a domain list nothing is missing; a domain with a null MX is reached, not missing.
  const missing = (a: AssetAssessment) => a.endpointKeys.length === 0 && a.mail !== 'null-mx';

  const grading = new Map((input.grading ?? []).map((r) => [r.id, r]));
  const findingControls = new Map<string, { frameworkId: string; controlId: string }[]>();
  const assessed = input.frameworks.map((fw): FrameworkAssessment => {
    const id = fw.framework.id;
    const inScopeAssets = (assets ?? []).filter((a) => a.asset.frameworks.has(id));
    const domainsInScope = new Set(inScopeAssets.map((a) => a.asset.entry.domain));
    const keys = new Set<string>();
    for (const key of obsByKey.keys()) {
      if (!input.assets || (attribution.get(key) ?? []).some((a) => domainsInScope.has(a.domain))) keys.add(key);
    }
    const scopeAssets = inScopeAssets.map((a) => ({
      domain: a.asset.entry.domain, reason: a.asset.frameworks.get(id) ?? '', endpointKeys: a.endpointKeys, mail: a.mail,
    }));
    const reason = !input.assets
      ? 'No domain list was given, so every scanned endpoint is assessed against this framework.'
      : scopeAssets.length === 0 ? 'No asset in the domain list brings this framework into scope.'
      : scopeAssets.length <= SCOPE_REASON_ASSETS
        ? `In scope through the domain list: ${scopeAssets.map((a) => `${a.domain}: ${a.reason}${
          a.endpointKeys.length === 0 && a.mail !== 'null-mx' ? ' (no scan results)' : MAIL_NOTE[a.mail]}`).join('; ')}.`
        // A domain list of thousands would otherwise put thousands of reasons in one sentence per framework.
        : `In scope through the domain list: ${scopeAssets.length} assets, among them ${scopeAssets.slice(0, 3).map((a) => a.domain).join(', ')}; each asset's reason is listed with it in the scope.`;

    const byCheck = new Map<string, Finding[]>();
    for (const f of input.findings) {
      if (!keys.has(f.endpointKey)) continue;
      const list = byCheck.get(f.checkId);
      if (list) list.push(f);
      else byCheck.set(f.checkId, [f]);
    }
    // The report's own properties, judged on this framework's scope (evidence-governing rules).
    const evidence = evaluateEvidence({
      generatedAt: input.report.generatedAt, toolVersion: input.report.toolVersion, inputs: input.report.inputs,
      endpoints: [...keys].map((k) => obsByKey.get(k)!).map((o) => ({
        key: endpointKey(o.endpoint), observedAtSource: o.observedAtSource, tool: o.tool ?? null, scanState: o.scan.state,
        inventoried: o.tlsAvailable?.value === false || (PROTOCOLS.every((p) => o.protocols[p] !== undefined) && o.certificates.length > 0),
      })),
      domainListGiven: input.assets !== undefined,
      assetsWithoutResults: inScopeAssets.filter(missing).map((a) => a.asset.entry.domain),
      inputProblems: input.report.inputProblems,
    });
    const counts: Record<ControlStatus, number> = emptyControlCounts();
    // PASS needs every in-scope endpoint a deciding link applies to, not only those with findings.
    const inScope = [...keys].map((k) => ({ key: k, service: obsByKey.get(k)!.endpoint.service }));
    const controls = fw.controls.map((control): ControlAssessment => {
      const evaluation = evaluateControl(control, byCheck, { grading, evidence, endpoints: inScope });
      counts[evaluation.status]++;
      // The failing and warning findings behind the status are the ones that point back here.
      for (const f of evaluation.findings) {
        const refs = findingControls.get(f.id) ?? [];
        refs.push({ frameworkId: id, controlId: control.id });
        findingControls.set(f.id, refs);
      }
      const domains = new Set<string>();
      if (input.assets) {
        for (const f of countedFindings(control, byCheck, evaluation)) {
          for (const a of attribution.get(f.endpointKey) ?? []) if (domainsInScope.has(a.domain)) domains.add(a.domain);
        }
      }
      return { evaluation, domains: sorted(domains) };
    });
    return { framework: fw, endpointKeys: sorted(keys), reason, assets: scopeAssets, controls, counts };
  });

  // Exceptions come last: matching by control needs to know which findings count against which control.
  const exceptions = input.exceptions === undefined ? undefined : applyExceptions(input.exceptions.entries, input.findings, {
    reportDate: input.exceptions.reportDate, findingControls, attribution,
    frameworkVersions: new Map(input.frameworks.map((fw) => [fw.framework.id, fw.framework.version])),
  });
  const frameworks = exceptions === undefined || exceptions.acceptance.size === 0 ? assessed : assessed.map((fa) => {
    const counts = emptyControlCounts();
    const controls = fa.controls.map((c) => {
      const evaluation = acceptControl(c.evaluation, exceptions.acceptance);
      counts[evaluation.status]++;
      return { ...c, evaluation };
    });
    return { ...fa, controls, counts };
  });

  return {
    attribution, assets, frameworks, findingControls, exceptions,
    unlistedEndpointKeys: input.assets ? sorted([...obsByKey.keys()].filter((k) => !attribution.has(k))) : [],
    assetsWithoutResults: (assets ?? []).filter(missing).map((a) => a.asset.entry.domain),
    domainsWithoutMail: [...assetByDomain.values()].filter((a) => a.mail === 'null-mx').map((a) => a.asset.entry.domain),
  };
}

/**
 * The findings a control's status rests on: the failing and warning ones when it fails or warns,
 * else the tested findings of its linked checks on the services each link names.
 */
function countedFindings(control: LoadedFramework['controls'][number], byCheck: ReadonlyMap<string, readonly Finding[]>,
  evaluation: ControlEvaluation): readonly Finding[] {
  if (evaluation.findings.length > 0) return evaluation.findings;
  return control.checks.flatMap((link) => (byCheck.get(link.check) ?? [])
    .filter((f) => (link.services === undefined || link.services.includes(f.endpoint.service)) && f.status === 'pass'));
}
