/**
 * Which loaded frameworks a report (or a command) uses. Several versions of one framework id may
 * be loaded — a user folder may add `hipaa/2025.yaml` beside the built-in `hipaa/2013.yaml` — and
 * a report uses exactly one version of each id:
 *
 * - `id` means the newest loaded version of that id (latest `framework.versionDate`);
 * - `id@version` pins one version, e.g. `hipaa@2013`;
 * - asking for two versions of one id in one report is refused (scope and control anchors are
 *   per framework id, and an auditor would not know which verdict counts).
 *
 * Without `--frameworks`, a domain list selects the frameworks its assets bring into scope (by
 * data class or by the frameworks column); with neither, `defaultFrameworks` from
 * mappings/scope.yaml applies. Pure: no I/O.
 */
import { ReportError } from '../errors.js';
import { MAP } from './messages.js';
import type { LoadedFramework, ScopeRules } from '../model/framework.js';
import type { AssetScope } from './scope.js';

/** `hipaa@2013` → `{ id: 'hipaa', version: '2013' }`; `hipaa` → `{ id: 'hipaa' }`. */
export function parseFrameworkRef(ref: string): { id: string; version?: string } {
  const at = ref.indexOf('@');
  if (at === -1) return { id: ref.trim() };
  return { id: ref.slice(0, at).trim(), version: ref.slice(at + 1).trim() };
}

/** `id@version` of a loaded framework. */
export function frameworkRef(fw: LoadedFramework): string {
  return `${fw.framework.id}@${fw.framework.version}`;
}

/** The newest loaded version of every framework id, in id order. */
export function newestVersions(all: readonly LoadedFramework[]): LoadedFramework[] {
  const newest = new Map<string, LoadedFramework>();
  for (const fw of all) {
    const seen = newest.get(fw.framework.id);
    if (seen === undefined || isNewer(fw, seen)) newest.set(fw.framework.id, fw);
  }
  return [...newest.values()].sort((a, b) => compare(a.framework.id, b.framework.id));
}

/**
 * Resolves one reference (`id` or `id@version`) to a loaded framework; throws `framework-unknown`
 * naming every loaded `id@version` when nothing matches. `context` names where the reference came
 * from, e.g. "--frameworks".
 */
export function resolveFramework(all: readonly LoadedFramework[], ref: string, context: string): LoadedFramework {
  const { id, version } = parseFrameworkRef(ref);
  const candidates = all.filter((fw) => fw.framework.id === id && (version === undefined || fw.framework.version === version));
  const pick = newestVersions(candidates)[0];
  if (pick === undefined) throw unknownFrameworks([ref], all, context);
  return pick;
}

interface SelectOptions {
  /** `--frameworks` as given (ids or id@version); undefined or empty = not narrowed. */
  readonly requested?: readonly string[] | undefined;
  /** Present when the user gave a domain list. */
  readonly assets?: readonly AssetScope[] | undefined;
  readonly scope: ScopeRules;
}

/**
 * The frameworks a report uses, one version per id, in id order (see the module comment for the
 * rules). Throws `framework-unknown` for a reference that matches nothing loaded and
 * `usage` for two versions of one id.
 */
export function selectFrameworks(all: readonly LoadedFramework[], options: SelectOptions): LoadedFramework[] {
  const requested = (options.requested ?? []).filter((r) => r.trim() !== '');
  if (requested.length > 0) {
    const unknown = requested.filter((ref) => {
      const { id, version } = parseFrameworkRef(ref);
      return !all.some((fw) => fw.framework.id === id && (version === undefined || fw.framework.version === version));
    });
    if (unknown.length > 0) throw unknownFrameworks(unknown, all, '--frameworks');
    const picked = new Map<string, LoadedFramework>();
    for (const ref of requested) {
      const fw = resolveFramework(all, ref, '--frameworks');
      const other = picked.get(fw.framework.id);
      if (other !== undefined && other !== fw) {
        throw new ReportError('usage', { framework: fw.framework.id, versions: [other.framework.version, fw.framework.version] },
          MAP.twoVersions(fw.framework.id, frameworkRef(other), frameworkRef(fw)));
      }
      picked.set(fw.framework.id, fw);
    }
    return [...picked.values()].sort((a, b) => compare(a.framework.id, b.framework.id));
  }
  const newest = newestVersions(all);
  if (options.assets !== undefined) {
    const inScope = new Set(options.assets.flatMap((a) => [...a.frameworks.keys()]));
    return newest.filter((fw) => inScope.has(fw.framework.id));
  }
  const defaults = new Set(options.scope.defaultFrameworks);
  return newest.filter((fw) => defaults.has(fw.framework.id));
}

function unknownFrameworks(refs: readonly string[], all: readonly LoadedFramework[], context: string): ReportError {
  const available = [...new Set(all.map((fw) => fw.framework.id))].sort(compare);
  const versions = all.map(frameworkRef).sort(compare);
  return new ReportError('framework-unknown', { unknown: refs, allowed: versions },
    MAP.unknownFrameworks(refs, context, available, versions));
}

function isNewer(a: LoadedFramework, b: LoadedFramework): boolean {
  // The loader refuses two versions of one id with the same date, so this is a strict order.
  return compare(a.framework.versionDate, b.framework.versionDate) > 0
    || (a.framework.versionDate === b.framework.versionDate && compare(a.framework.version, b.framework.version) > 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
