/**
 * Endpoint → domain attribution for scanner files that carry no DNS: exact host names (a scan's
 * discovery record, the domain list's hosts column) before the name suffix, many-to-many, and
 * every tie naming its rule. Then end to end through the pipeline on the shipped testssl.sh
 * samples, the rule reaching the report's endpoint table; and the domain list's unknown data
 * class naming its row, the known classes and a --mappings scope file that really adds one.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeEndpoints, resolveAssetScopes } from '../../src/map/scope.js';
import type { DomainListEntry } from '../../src/model/domain-list.js';
import type { DomainDiscovery } from '../../src/model/discovery.js';
import { formatProblem } from '../../src/model/problem.js';
import { buildModel, type ReportRequest } from '../../src/pipeline.js';
import { htmlRenderer } from '../../src/report/html/render.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rules = { schema: 'tlsproof-scope/v1' as const, defaultFrameworks: ['hipaa'], dataClasses: {} };
const entry = (domain: string): DomainListEntry => ({
  domain, owner: '', businessUnit: '', dataClasses: [], frameworks: [], notes: '', extra: {}, file: 'd.csv', line: 2,
});
const discovery = (domain: string, hosts: DomainDiscovery['hosts']): DomainDiscovery => ({
  domain, nullMx: false, dnsFailed: null, hosts, endpoints: [], source: 'scan.jsonl',
});
const ep = (host: string, port = 25) => ({ key: `${host}:${port}`, host, port });

describe('attributeEndpoints', () => {
  const assets = resolveAssetScopes(['a.test', 'b.test', 'c.test'].map(entry), rules, new Set(), []);

  it('ties a host a scan named for several domains to each of them, with the rule and origin', () => {
    const out = attributeEndpoints({
      endpoints: [ep('mx.hosting.example')], assets,
      discovery: [discovery('a.test', [{ host: 'mx.hosting.example', origin: 'mx' }]), discovery('b.test', [{ host: 'MX.Hosting.Example.', origin: 'srv' }])],
    });
    expect(out.get('mx.hosting.example:25')?.map((a) => [a.domain, a.rule, a.origin])).toEqual([
      ['a.test', 'discovered-host', 'mx'], ['b.test', 'discovered-host', 'srv'],
    ]);
    expect(out.get('mx.hosting.example:25')?.[0]?.detail).toBe('host name is an MX host of a.test in the scan\'s discovery');
  });

  it('prefers an exact host name over the name suffix: a relay under c.test listed for a.test belongs to a.test only', () => {
    const out = attributeEndpoints({
      endpoints: [ep('relay.c.test', 587), ep('relay.c.test', 25), ep('mx.c.test')], assets, discovery: [],
      listedHosts: new Map([['a.test', [{ host: 'relay.c.test', port: 587 }]]]),
    });
    expect(out.get('relay.c.test:587')?.map((a) => [a.domain, a.rule])).toEqual([['a.test', 'hosts-column']]);
    // The hosts entry named port 587: port 25 on the same host falls back to the suffix rule.
    expect(out.get('relay.c.test:25')?.map((a) => [a.domain, a.rule])).toEqual([['c.test', 'suffix']]);
    expect(out.get('mx.c.test:25')?.map((a) => [a.domain, a.rule, a.origin])).toEqual([['c.test', 'suffix', null]]);
  });

  it('a scan record for the endpoint key wins over a host-name match for the same domain; unknown hosts stay unlisted', () => {
    const d: DomainDiscovery = { ...discovery('b.test', [{ host: 'mx.b-mail.example', origin: 'mx' }]), endpoints: [{ key: 'mx.b-mail.example:25', origin: 'mx' }] };
    const out = attributeEndpoints({ endpoints: [ep('mx.b-mail.example'), ep('elsewhere.example')], assets, discovery: [d] });
    expect(out.get('mx.b-mail.example:25')?.map((a) => [a.domain, a.rule])).toEqual([['b.test', 'scan']]);
    expect(out.has('elsewhere.example:25')).toBe(false);
  });

  it('ignores discovery of domains the list does not hold', () => {
    const out = attributeEndpoints({ endpoints: [ep('mx.z.example')], assets, discovery: [discovery('z.test', [{ host: 'mx.z.example', origin: 'mx' }])] });
    expect(out.size).toBe(0);
  });
});

describe('through the pipeline, on the shipped testssl.sh samples', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-attr-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const req = (domains: string, extra: Partial<ReportRequest> = {}): ReportRequest => ({
    inputs: [path.join(root, 'samples/2026-Q3')], domains, formats: [], outDir: dir, strict: false, scan: false,
    generatedAt: '2026-10-01T09:00:00.000Z', reportDate: '2026-10-01', observedAt: '2026-09-15T10:00:00.000Z', cwd: root, toolVersion: 'test', ...extra,
  });

  it('a hosts column ties the legacy relay to the domain that lists it, not to the one its name is under; the report shows the rule', async () => {
    const list = path.join(dir, 'domains.csv');
    await writeFile(list, ['domain,data_classes,hosts', 'good.example.test,PHI,mail.legacy.example.test:25', 'legacy.example.test,PAN,'].join('\n'));
    const { model } = await buildModel(req(list));
    const byKey = new Map(model.scope.endpoints.map((e) => [e.key, e.attribution.map((a) => `${a.domain} ${a.rule}`)]));
    expect(byKey.get('mail.legacy.example.test[127.0.77.30]:25')).toEqual(['good.example.test hosts-column']);
    expect(byKey.get('mail.good.example.test[127.0.77.11]:25')).toEqual(['good.example.test suffix']);
    expect(byKey.get('mail.expiring.example.test[127.0.77.21]:25')).toEqual([]);
    expect(model.scope.unlistedEndpointKeys).toEqual(['mail.expiring.example.test[127.0.77.21]:25', 'mail.wronghost.example.test[127.0.77.23]:25']);
    // legacy.example.test has no endpoint left: listed without scan results, and no mail state to excuse it.
    expect(model.scope.assetsWithoutResults).toEqual(['legacy.example.test']);
    const html = new TextDecoder().decode(await htmlRenderer.render(model, {}));
    expect(html).toMatch(/good\.example\.test <span class="muted">\(hosts column\)<\/span>/);
    expect(html).toContain('2 domains in scope: 1 with evidence, 1 without (legacy.example.test).');
  });

  it('an unknown data class names its row, the known classes and how to add one; the --mappings scope file it describes works', async () => {
    const list = path.join(dir, 'classes.csv');
    await writeFile(list, ['domain,data_classes', 'good.example.test,PHI', 'legacy.example.test,CARDHOLDER'].join('\n'));
    const first = await buildModel(req(list));
    const problem = first.problems.find((p) => p.code === 'unknown-data-class');
    expect(problem && formatProblem(problem)).toMatch(
      new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: data class "CARDHOLDER" for legacy\\.example\\.test has no scope rule; known classes: PHI, PAN, NPI, .*; ` +
        'to add one, write a scope\\.yaml with "schema: tlsproof-scope/v1" and a dataClasses entry "CARDHOLDER" \\(its description and frameworks\\) in a folder and pass that folder with --mappings DIR \\(value ignored\\)$'));
    // Do what the message says.
    const extra = path.join(dir, 'my-mappings');
    await mkdir(extra, { recursive: true });
    await writeFile(path.join(extra, 'scope.yaml'), ['schema: tlsproof-scope/v1', 'dataClasses:', '  CARDHOLDER:',
      '    description: Card data handled by the payments team.', '    frameworks: [pci-dss]'].join('\n'));
    const second = await buildModel(req(list, { mappingsDirs: [extra] }));
    expect(second.problems.filter((p) => p.code === 'unknown-data-class')).toEqual([]);
    const legacy = second.model.scope.assets.find((a) => a.domain === 'legacy.example.test');
    expect(legacy?.frameworks).toEqual([{ id: 'pci-dss', reason: 'data class CARDHOLDER (Card data handled by the payments team.)' }]);
    // Built-in classes are kept beside the added one.
    expect(second.model.scope.assets.find((a) => a.domain === 'good.example.test')?.frameworks.map((f) => f.id)).toEqual(['hipaa', 'hitech']);
  });
});
