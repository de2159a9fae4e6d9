/**
 * The report layer's prose: refusals of templates (the built-in ones and a --templates folder), of
 * the configured report text, of the PDF renderer's assets, and of the evidence bundle. Each says
 * which file, what is wrong, and what to do; a missing built-in file means a broken installation.
 */

const INCOMPLETE = 'the tlsproof installation is incomplete';

export const REPORT = {
  // ── Built-in templates and assets ──
  noBuiltInTemplates: (from: string) =>
    `Cannot find the built-in HTML templates: no folder above ${from} holds package.json and templates/html; ${INCOMPLETE}.`,
  builtInMissing: (name: string) => `Built-in template ${name} is missing; ${INCOMPLETE}.`,
  builtInUnreadable: (file: string) => `Built-in template ${file} cannot be read; ${INCOMPLETE}.`,
  noPackageRoot: () =>
    'PDF renderer: could not find the tlsproof package root (no package.json above the renderer module); reinstall tlsproof.',
  fontMissing: (path: string) => `PDF renderer: font file ${path} is missing; reinstall tlsproof or restore assets/fonts/.`,

  // ── A template, built in or from --templates ──
  /** `where` is origin:line:column; `reason` is Handlebars' own, with its internals reworded. */
  templateFault: (where: string, reason: string) => `Template ${where}: ${reason}`,
  styleEndTag: (origin: string) =>
    `Template ${origin}: the stylesheet must not contain "</style", which would end the inlined <style> element.`,
  styleNotSelfContained: (origin: string) =>
    `Template ${origin}: the stylesheet must be self-contained; @import and url() other than data: URLs are not allowed.`,
  scriptEndTag: (origin: string) =>
    `Template ${origin}: the script must not contain "</script", which would end the inlined <script> element.`,

  // ── --templates DIR ──
  unknownTemplate: (dir: string, rel: string, valid: readonly string[]) =>
    `Template folder ${dir} contains "${rel}", which is not a template name. Valid names: ${valid.join(', ')}.`,
  templateFolderMissing: (dir: string) =>
    `Template folder ${dir} does not exist or is not a folder. Give --templates a folder (tlsproof templates init DIR writes one).`,
  templateUnresolved: (shown: string) => `Template ${shown} cannot be resolved (a broken link?); fix or remove the link.`,
  templateOutside: (shown: string, real: string, dir: string) =>
    `Template ${shown} resolves to ${real}, outside the template folder ${dir}; templates must live inside it.`,
  templateUnreadable: (shown: string, detail: string) => `Template ${shown} cannot be read: ${detail}`,

  // ── report.config.yaml text ──
  configText: (source: string, id: string, reason: string) => `${source}: text.${id}: ${reason}`,

  // ── --bundle ──
  inputChangedForBundle: (file: string) =>
    `${file} changed on disk while the report was being made; run the report again so the bundle holds the file the report read.`,
} as const;
