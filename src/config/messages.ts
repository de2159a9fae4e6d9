/**
 * The prose of report.config.yaml refusals: the file, the key inside it (or file:line:column), what
 * is wrong with the value, and what to give instead.
 */

export const CONFIG = {
  /** Every refusal of one key (or of the whole file, `where` null) reads "file: key: message". */
  at: (file: string, where: string | null, message: string) => `${file}: ${where === null ? '' : `${where}: `}${message}`,
  /** A YAML limit hit at `where` (file:line:column when known). */
  yamlLimit: (where: string, detail: string) => `${where}: ${detail}`,
  invalid: (file: string, lines: readonly string[]) => `${file}: invalid report config:\n  ${lines.join('\n  ')}`,
  unknownKeys: (keys: readonly string[]) => `unknown key${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')}`,
  notASection: (valid: readonly string[]) => `is not a section; valid sections: ${valid.join(', ')}`,

  // ── Parts of "file: key: message" ──
  notYaml: (detail: string) => `not valid YAML: ${detail}`,
  unreadable: () => 'cannot be read (does it exist?); check the path given to --config',
  fontUnreadable: (fontPath: string) => `cannot read ${fontPath} (paths are relative to the config file)`,
  fontCollection: (fontPath: string) => `${fontPath} is a font collection (.ttc); give a single .ttf or .otf font`,
  notAFont: (fontPath: string) => `${fontPath} is not a TrueType or OpenType font`,
  fontBroken: (fontPath: string, detail: string) =>
    `${fontPath} starts like a font but cannot be loaded (${detail}); the file is damaged or not a font: give a working .ttf or .otf file`,
  logoUnreadable: (logoFile: string) => `cannot read ${logoFile} (paths are relative to the config file)`,
  logoNotImage: (logoFile: string) => `${logoFile} is not a PNG, JPEG or SVG image`,
  notUtf8: () => 'not UTF-8 text',
  logoBadSvg: (logoFile: string, why: string) => `${logoFile} is not a well-formed SVG file: ${why}`,
  textNotTemplate: (detail: string) => `not a valid Handlebars template: ${detail}`,
} as const;
