/**
 * Which frameworks apply to which endpoint. The domain list says it per asset (an explicit
 * `frameworks` column, or data classes that scope.yaml maps to frameworks); without a domain list
 * every selected framework applies to every endpoint, and the report says so.
 */
import { domainToASCII } from 'node:url';
import type { DomainListEntry } from '../ingest/domain-list-csv.js';
import type { ScopeRules } from '../model/framework.js';
import type { InputProblem } from '../model/problem.js';

export interface AssetScope {
  readonly entry: DomainListEntry;
  /** Framework id → why it applies to this asset. */
  readonly frameworks: ReadonlyMap<string, string>;
}

/** Resolves each domain-list row to its frameworks; unknown names become problems, not errors. */
export function resolveAssetScopes(entries: readonly DomainListEntry[], rules: ScopeRules, known: ReadonlySet<string>,
  problems: InputProblem[]): AssetScope[] {
  const classes = new Map(Object.entries(rules.dataClasses).map(([name, rule]) => [name.toLowerCase(), { name, rule }]));
  return entries.map((entry) => {
    const frameworks = new Map<string, string>();
    for (const id of entry.frameworks) {
      if (!known.has(id)) {
        problems.push({ file: entry.file, line: entry.line, code: 'unknown-framework', effect: 'value-ignored',
          message: `framework "${id}" for ${entry.domain} is not one of ${[...known].sort().join(', ')}` });
        continue;
      }
      frameworks.set(id, 'named in the domain list');
    }
    for (const dc of entry.dataClasses) {
      const hit = classes.get(dc.toLowerCase());
      if (!hit) {
        problems.push({ file: entry.file, line: entry.line, code: 'unknown-data-class', effect: 'value-ignored',
          message: `data class "${dc}" for ${entry.domain} has no scope rule; known classes: ${[...classes.values()].map((c) => c.name).join(', ')}` });
        continue;
      }
      for (const id of hit.rule.frameworks) {
        if (known.has(id) && !frameworks.has(id)) frameworks.set(id, `data class ${hit.name} (${hit.rule.description})`);
      }
    }
    return { entry, frameworks };
  });
}

/**
 * Finds the asset an endpoint host belongs to: the host itself or its closest listed parent
 * domain (mail.example.com → example.com). Names are compared in ASCII form so IDN spellings meet.
 */
export function assetMatcher(assets: readonly AssetScope[]): (host: string) => AssetScope | undefined {
  const byDomain = new Map(assets.map((a) => [asciiName(a.entry.domain), a]));
  return (host) => {
    let name = asciiName(host);
    for (;;) {
      const hit = byDomain.get(name);
      if (hit) return hit;
      const dot = name.indexOf('.');
      if (dot === -1) return undefined;
      name = name.slice(dot + 1);
    }
  };
}

function asciiName(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return domainToASCII(lower) || lower;
}
