/**
 * YAML to plain data with a bound on alias expansion. Each alias is a reference, so a few lines
 * of nested anchors ("billion laughs") expand to billions of values when turned into data. The
 * yaml library refuses past `maxAliasCount` with a bare ReferenceError and no position; this
 * turns that into an error at the first alias, for the config and mapping loaders to report.
 */
import { isAlias, visit, type Document, type LineCounter } from 'yaml';

/** More alias resolutions than any hand-written config or mapping file needs. */
export const MAX_YAML_ALIASES = 100;

export class YamlAliasLimitError extends Error {
  constructor(readonly line: number | undefined, readonly column: number | undefined) {
    super(`aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies, which a config or mapping file never needs (a "billion laughs" file expands without bound); write the values out instead of nesting aliases`);
    this.name = 'YamlAliasLimitError';
  }
}

/** `doc.toJS()`, refusing a document whose aliases expand past MAX_YAML_ALIASES. */
export function toJsBounded(doc: Document, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) throw err;
    let offset: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && node.range) {
          offset = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new YamlAliasLimitError(pos?.line, pos?.col);
  }
}
