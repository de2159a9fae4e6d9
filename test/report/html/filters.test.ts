/** What the page's filters match: the values written into the data- attributes report.js reads. */
import { describe, expect, it } from 'vitest';
import { checkFrameworks, controlSeverities, endpointDomains, reportDomains } from '../../../src/report/html/filters.js';
import { makeReportModel } from '../../support/model-factory.js';

describe('filter attributes', () => {
  const model = makeReportModel();

  it('ties a passed check to the frameworks of its endpoint whose controls link the check', () => {
    const linking = (checkId: string, frameworks: readonly string[]): string[] => model.frameworks
      .filter((fw) => frameworks.includes(fw.id) && fw.controls.some((c) => c.checks.some((l) => l.checkId === checkId)))
      .map((fw) => fw.id);
    const endpointOf = (key: string) => model.scope.endpoints.find((e) => e.key === key)!;
    // The same check passing elsewhere: behind no control's status, it names no control itself.
    const found = model.findings.find((f) => f.status === 'fail' && f.controls.length > 0)!;
    const pass = { ...found, status: 'pass' as const, controls: [] };
    const endpoint = endpointOf(pass.endpointKey);
    const expected = linking(pass.checkId, endpoint.frameworks);
    expect(expected.length).toBeGreaterThan(0);
    expect(checkFrameworks(model, pass).split(' ')).toEqual(expected);
    // A framework outside the endpoint's scope is never named, whatever its controls link.
    const outside = model.frameworks.map((f) => f.id).filter((id) => !endpoint.frameworks.includes(id));
    for (const id of outside) expect(checkFrameworks(model, pass).split(' ')).not.toContain(id);
  });

  it('names a failing finding\'s frameworks through the controls it is behind', () => {
    const fail = model.findings.find((f) => f.status === 'fail' && f.controls.length > 0)!;
    for (const c of fail.controls) expect(checkFrameworks(model, fail).split(' ')).toContain(c.frameworkId);
  });

  it('lists a control\'s severities worst first, domains sorted and de-duplicated', () => {
    const control = model.frameworks.flatMap((f) => f.controls).find((c) => c.findingIds.length > 1)!;
    const severities = controlSeverities(model, control).split(' ');
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    expect(severities).toEqual([...severities].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(new Set(severities)).toEqual(new Set(control.findingIds.map((id) => model.findings.find((f) => f.id === id)!.severity)));
    const domains = reportDomains(model);
    expect(domains).toEqual([...new Set(domains)].sort());
    for (const a of model.scope.assets) expect(domains).toContain(a.domain);
    const ep = model.scope.endpoints[0]!;
    expect(endpointDomains({ ...ep, attribution: [...ep.attribution, ...ep.attribution] })).toBe(ep.attribution.map((a) => a.domain).join(' '));
    expect(endpointDomains({ ...ep, attribution: [] })).toBe('');
  });
});
