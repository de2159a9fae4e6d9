/**
 * The report's only active content, inlined: the stylesheet, the script and the
 * Content-Security-Policy that allows exactly that script (by its SHA-256 hash) and nothing from
 * the network. report.hbs places them with `{{contentSecurityPolicy}}`, `{{inlineStyle}}` and
 * `{{inlineScript}}`.
 */
import { createHash } from 'node:crypto';
import type Handlebars from 'handlebars';

type HandlebarsInstance = ReturnType<typeof Handlebars.create>;

export interface InlineAssets { css: string; script: string; scriptHash: string }

/**
 * The assets to inline. Browsers hash the script text after the HTML parser has turned CRLF into
 * LF, so hash (and emit) exactly that; a report.js saved with Windows line endings would
 * otherwise be blocked.
 */
export function inlineAssets(css: string, script: string): InlineAssets {
  const scriptText = script.replace(/\r\n?/g, '\n');
  const scriptHash = `sha256-${createHash('sha256').update(scriptText, 'utf8').digest('base64')}`;
  return { css, script: scriptText, scriptHash };
}

/** The policy: no network at all, inline styles, data: images, and only the hashed script (or none). */
function contentSecurityPolicy(assets: InlineAssets): string {
  const scriptSrc = assets.script === '' ? "'none'" : `'${assets.scriptHash}'`;
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}`;
}

/** Registers the three asset helpers on `hb`. */
export function registerAssetHelpers(hb: HandlebarsInstance, assets: InlineAssets): void {
  const csp = contentSecurityPolicy(assets);
  hb.registerHelper('contentSecurityPolicy', () => new hb.SafeString(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  hb.registerHelper('inlineStyle', () => new hb.SafeString(`<style>\n${assets.css}</style>`));
  hb.registerHelper('inlineScript', () => new hb.SafeString(assets.script === '' ? '' : `<script>${assets.script}</script>`));
}
