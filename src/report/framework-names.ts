/**
 * Short names for frameworks in tables, charts and lists ("NIST SP 800-52r2" rather than
 * "Guidelines for the Selection, Configuration, and Use of Transport Layer Security (TLS)
 * Implementations r2"). The full title is printed once, in the framework's own section. `{v}`
 * stands for the mapping file's version. A framework from a user's mapping file that is not
 * listed here keeps its title when that is short, else its id.
 */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  california: 'California security laws {v}',
  finra: 'FINRA / Reg S-P {v}',
  frcp: 'FRCP / FRE 902 {v}',
  gdpr: 'GDPR Art. 32 ({v})',
  glba: 'GLBA Safeguards Rule {v}',
  hipaa: 'HIPAA Security Rule {v}',
  hitech: 'HITECH Act {v}',
  ietf: 'IETF email TLS baseline {v}',
  'iso-27001': 'ISO/IEC 27001:{v}',
  'nist-800-171': 'NIST SP 800-171{v}',
  'nist-800-177': 'NIST SP 800-177{v}',
  'nist-800-52': 'NIST SP 800-52{v}',
  'nist-800-53': 'NIST SP 800-53{v}',
  'nydfs-500': 'NYDFS 23 NYCRR 500 ({v})',
  'pci-dss': 'PCI DSS {v}',
  'sec-17a-4': 'SEC Rule 17a-4 ({v})',
  soc2: 'SOC 2 TSC {v}',
  sox: 'SOX ITGC ({v})',
};

/** Titles up to this length are short enough to use as they are. */
const SHORT_ENOUGH = 28;

export function hasShortName(id: string): boolean {
  return Object.hasOwn(SHORT_NAMES, id);
}

/** The framework's short name with its version, e.g. "PCI DSS 4.0.1"; without it where a column shows the version. */
export function frameworkShortName(f: { readonly id: string; readonly version: string; readonly title: string }, withVersion = true): string {
  const template = Object.hasOwn(SHORT_NAMES, f.id) ? SHORT_NAMES[f.id] : undefined;
  if (template !== undefined) return withVersion ? template.replace('{v}', f.version) : template.replace(/\s*\(\{v\}\)|\s*\{v\}|:\{v\}/, '');
  const name = f.title.length <= SHORT_ENOUGH ? f.title : f.id;
  return withVersion ? `${name} ${f.version}` : name;
}
