/**
 * The ingest layer's prose for inputs it cannot use at all: which input (as the user gave it, or
 * the file), what tlsproof found there, and what to give instead. Problems with single rows are
 * not errors: they go into the report's appendix with their own text, next to the reader.
 */

export const INGEST = {
  noGlobMatch: (input: string) =>
    `No file matches "${input}". Check the pattern, or quote it so your shell does not expand it first.`,
  notFound: (input: string) =>
    `Input "${input}" does not exist. Give a scan result file (CSV, XML or JSON), a folder of them, or a glob such as "scans/*.csv".`,
  notFileOrFolder: (input: string, kind: string) =>
    `Input "${input}" is ${kind}, not a file or a folder; tlsproof reads only files saved on disk (a pipe or device could hang the run). Save the scan results to a file and give that path.`,
  emptyFolder: (input: string) =>
    `Folder "${input}" holds no scan results (.csv files, or .xml / .json / .nessus scanner exports).`,
  unreadable: (file: string, detail: string) => `Cannot read "${file}": ${detail}`,
  // ── What the start of an unrecognised file looks like, in a few words the user can act on ──
  seenBlank: () => 'The file is empty or blank.',
  seenXml: (root: string) => `It is XML with root element <${root}>.`,
  /** `keys` are the first keys found, already quoted. */
  seenJson: (keys: readonly string[]) => `It is JSON${keys.length ? ` with keys ${keys.join(', ')}` : ''}.`,
  seenQualysTitle: () =>
    'It starts like a Qualys report with its title lines above the column header: delete the lines above the "IP","DNS",…,"QID" header row, or export the report as XML.',
  /** `separator` is set when the line reads as one column that another separator would split. */
  seenFirstLine: (first: string, separator: '|' | ':' | undefined) =>
    `Its first line is ${first || '(empty)'}.${separator === undefined ? ''
      : ` It reads as a single column: is it separated by "${separator}"? tlsproof reads comma-, semicolon- and tab-separated files.`}`,

  /** `seen` says what the start of the file looks like; `formats` is the list of readable formats. */
  unrecognised: (file: string, seen: string, formats: string) =>
    `"${file}" is not a format tlsproof reads. ${seen}\n` +
    `tlsproof reads:\n${formats}\n` +
    `If it is one of these, name it with --input-format (e.g. --input-format nessus-csv) to see what does not match.`,
  /** Why a forced format does not fit: the syntax it reads against what the file looks like. */
  forcedWrongSyntax: (forced: string, expected: string, seen: string) =>
    `${forced} reads ${expected.toUpperCase()}, and ${seen.charAt(0).toLowerCase()}${seen.slice(1)}`,
  /** Why a forced CSV format does not fit: the header problem its reader found. */
  forcedWrongHeader: (line: number, problem: string) => `line ${line}: ${problem}.`,
  /** `detected` is what tlsproof would read the file as, when that is another format. */
  forcedMismatch: (file: string, forced: string, why: string, detected: { id: string; describe: string } | undefined, formats: string) =>
    `--input-format ${forced}: "${file}" cannot be read as ${forced}: ${why}\n` +
    (detected !== undefined
      ? `tlsproof recognises it as ${detected.id} (${detected.describe}): leave out --input-format to read each file as what it is.`
      : `Leave out --input-format to let tlsproof detect the format, or name the format this file is in. tlsproof reads:\n${formats}`),
  formatUnknown: (format: string, allowed: readonly string[]) => `Input format "${format}" is not one of ${allowed.join(', ')}.`,
} as const;

const separator = (s: string): string => (s === '\t' ? 'tabs' : `"${s}"`);

/**
 * Problems with single rows or values, which the report's appendix lists beside file:line:column
 * and what was done (row skipped, value ignored): what was found, in the scanner's own terms, and
 * what would have been readable.
 */
export const PROBLEM = {
  // ── Any file ──
  emptyFile: () => 'the file is empty (no header row)',
  noRecords: () => 'the file has a header but no records',
  invalidUtf8: () => 'some bytes are not valid UTF-8 and were replaced by "\uFFFD" (the file may be Windows-1252 beyond its start: re-export it as UTF-8)',
  /** `header` is the header row as read. */
  missingColumns: (format: string, missing: readonly string[], header: readonly string[]) =>
    `read as ${format}, but the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ` +
    `(header: ${header.slice(0, 12).map((f) => JSON.stringify(f)).join(',')}${header.length > 12 ? ',…' : ''})`,

  // ── CSV ──
  /** `hint` is the separator the row seems to use instead, when it is not the header's. */
  raggedRow: (fields: number, width: number, hint?: string) =>
    `row has ${fields} field${fields === 1 ? '' : 's'}, the header has ${width}` +
    (hint ? ` (the row seems to be separated by ${separator(hint)}, unlike the header: wrong delimiter?)` : ''),
  unclosedQuote: (detail: string) => `a quoted field is never closed (the file may be truncated): ${detail}`,
  wrongDelimiter: (got: string, expected: string) => `the record is separated by ${separator(got)} but the header by ${separator(expected)} (wrong delimiter?)`,
  unparseableRecord: (detail: string) => `cannot parse record: ${detail}`,
  /** `field` is the column's name as the scanner writes it. */
  fieldEmpty: (field: string) => `the "${field}" field is empty`,

  // ── JSON ──
  unreadableJsonValue: (detail: string) => `the JSON value starting here cannot be read: ${detail}`,
  malformedJson: (detail: string) => `the JSON is malformed: ${detail}; what was read before this line is kept, the rest is not read`,

  // ── The domain list ──
  notADomain: (domain: string) => `"${domain}" is not a domain name (letters, digits and hyphens in dot-separated labels, e.g. example.com)`,
  duplicateDomain: (domain: string, firstLine: number) => `domain "${domain}" is already listed on line ${firstLine}`,
  badHostEntry: (entry: string, why: string) => `hosts entry "${entry}" is left out: ${why} (write host or host:port, e.g. mx1.example.com:25)`,

  // ── Ports and dates, in the scanner's terms ──
  /** `lowest` is the lowest port the scanner writes: 0 where it stands for the host as a whole. */
  portNotNumber: (port: string, lowest: 0 | 1) => `port "${port}" is not a number from ${lowest} to 65535`,
  notIsoTime: (what: string, value: string, example?: string) => `${what} "${value}" is not an ISO 8601 time${example === undefined ? '' : ` such as ${example}`}`,
  notDateForm: (value: string, form: string) => `"${value}" is not a date in the form ${form}`,

  // ── Nessus ──
  nessusNoOutputColumn: () =>
    'the export has no "Plugin Output" column, so offered protocols, cipher lists and certificate details cannot be read; only plugin ids are used (re-export with all columns)',
  pluginIdNotNumber: (raw: string) => `plugin id "${raw}" is not a number`,
  pluginOnPortZero: (pluginId: number, name: string) => `plugin ${pluginId} "${name}" is reported on port 0 (the host as a whole), not on a TLS service`,
  pluginNoId: (name: string) => `<ReportItem> has no numeric pluginID attribute (plugin "${name}")`,
  pluginPortNotNumber: (port: string, pluginId: number) => `port "${port}" of plugin ${pluginId} is not a number from 0 to 65535`,
  reportHostNoName: () => '<ReportHost> has no name attribute and no host-ip or host-fqdn property',
  /** `datedBy` says what dates the host's findings instead: the --observed-at option or the file's modification time. */
  hostEndNotTime: (value: string | undefined, host: string, byOption: boolean) =>
    `HOST_END "${value}" of host ${host} is not a time like "Mon Jun 29 14:39:43 2020"; its findings are dated ${byOption ? 'by --observed-at' : 'by the file\'s modification time'}`,
  nessusNoHosts: () => 'the .nessus file has no <ReportHost> (was the scan empty, or exported before it ran?)',
  plugin56984NoVersions: (output: string) =>
    `plugin 56984 output does not list versions ("This port supports TLSv1.2/TLSv1.3."): ${JSON.stringify(output.trim().slice(0, 80))}`,
  plugin20007NoVersion: () => 'plugin 20007 (SSL Version 2 and 3) has no output saying which version is enabled; neither is recorded',
  pluginDate: (pluginId: number, value: string) => `plugin ${pluginId}: "${value}" is not a date in the form "Jul 20 11:09:29 2027 GMT"`,

  // ── Greenbone ──
  greenboneNoResultColumn: () =>
    'the report has no "Specific Result" column, so protocols, cipher suites and certificate details cannot be read; only VT OIDs are used',
  greenboneNoHostFields: () => 'the "IP" and "Hostname" fields are empty',
  /** `where` is the port field as given ("general/tcp"), or what stands for it. */
  vtForWholeHost: (oid: string, name: string, where: string) => `VT ${oid} "${name}" is reported for the host as a whole (${where}), not on a TLS port`,
  resultNoHost: () => 'the <result> has no <host>',
  resultNoOid: () => 'the <result> has no <nvt oid="…">',
  greenbonePortNotNumber: (port: string) => `port "${port}" is not a number from 1 to 65535 with a protocol, such as 25/tcp`,
  greenboneNoResults: () => 'the report has no <result> (was it exported with a filter that hides results, or before the scan ran?)',
  hostStartNotTime: (ip: string, start: string) => `host ${ip}: <start> "${start}" is not an ISO 8601 time such as 2026-09-14T10:22:36Z`,

  // ── Any XML export ──
  /** `where` is e.g. ` inside <port> 25 that starts on line 40`, or ''; `unit` the record's name in the singular. */
  /** Where in the file an XML failure happened: `record` is the element as the user would look for it. */
  insideRecord: (record: string, line: number) => ` inside ${record} that starts on line ${line}`,
  xmlFailure: (truncated: boolean, where: string, detail: string, kept: number, unit: string) =>
    `${truncated ? 'the file ends' : 'the XML is malformed'}${where} (${detail}); ` +
    `${kept} ${unit}${kept === 1 ? '' : 's'} read before ${truncated ? 'the end are kept' : 'it are kept, the rest of the file is not read'}`,
  greenboneDoctype: () =>
    'the report declares a DOCTYPE, which a Greenbone report never has; it is not read (a DTD can declare entities that expand without bound). Download the report again from Greenbone',
  nessusDoctype: () =>
    'the file declares a DOCTYPE, which a Nessus export never has; it is not read (a DTD can declare entities that expand without bound). Re-export the scan from Nessus',
  qualysDoctype: () =>
    'the report declares an internal DTD subset, which a Qualys export never has; it is not read (a DTD can declare entities that expand without bound). Download the report again from Qualys',
  notGreenbone: (root: string) => `the root element is <${root}>, not <report> or <get_reports_response>: this is not a Greenbone XML report`,
  notNessus: (root: string) => `the root element is <${root}>, not <NessusClientData_v2>: this is not a .nessus v2 file`,
  notQualys: (root: string) => `the root element is <${root}>, not <ASSET_DATA_REPORT>: this is not a Qualys scan report`,

  // ── Values over the size caps (limits.ts); `cap` is the cap in words, `what` names the value ──
  recordTooLong: (what: string, length: number, cap: string) =>
    `${what} is ${length} characters long, more than the ${cap} tlsproof accepts for one value; the record is not read (the file may be damaged)`,
  valueTooLong: (what: string, length: number, cap: string) =>
    `${what} is ${length} characters long, more than the ${cap} tlsproof accepts for one value; the value is ignored (the file may be damaged)`,

  // ── nmap ──
  portNoAddress: (port: number) => `port ${port} belongs to a host with no address`,
  portidNotPort: (port: number) => `portid "${port}" is not a port number`,
  nmapNoPorts: () => 'the nmap run has no <port> results (was the host down, or were no ports scanned?)',
  sslCertDate: (key: string, value: string) => `ssl-cert ${key} "${value}" is not a date like 2027-03-01T12:00:00`,
  sslCertPem: () => 'ssl-cert "pem" is not a readable certificate; its fingerprint is not recorded',

  // ── Qualys ──
  qidNotNumber: (raw: string) => `QID "${raw}" is not a number`,
  qidNoPort: (qid: number, title: string) => `QID ${qid} "${title}" has no port, so it is not tied to a TLS service`,
  qualysDate: (value: string) => `"${value}" is not a date like 05/25/2021 07:36:58`,
  potentialOnly: (qid: number, title: string, host: string, port: number) =>
    `QID ${qid} "${title}" on ${host} port ${port} is a Potential detection (not confirmed by Qualys); no fact is stated from it`,
  vulnNoQid: () => 'the <VULN_INFO> has no <QID>',
  qualysHostNoName: () => 'the <HOST> has no <IP> or <DNS>',
  qidNoPortElement: (qid: number) => `QID ${qid} has no <PORT>, so it is not tied to a TLS service`,
  qualysNoDetections: () => 'the report has no <VULN_INFO> (was the template filtered to no detections?)',

  // ── SSLyze ──
  sslyzeInvalidServer: (server: string | undefined, reason: string | undefined) =>
    `SSLyze could not use the server string "${server ?? '?'}": ${reason ?? 'no reason given'}`,
  sslyzeNoResults: () => 'the SSLyze output has no server_scan_results',
  sslyzeNoHost: () => 'a server result has no server_location hostname or ip_address',
  sslyzePort: (port: string) => `server_location port "${port}" is not a port number`,
  certificateDate: (key: string, value: string) => `certificate ${key} "${value}" is not a date like 2027-03-01T12:00:00`,

  // ── testssl.sh ──
  unknownSeverity: (severity: string, allowed: readonly string[]) => `severity "${severity}" is not one of ${allowed.join(', ')}`,
  testsslCertDate: (field: string, value: string) => `${field} "${value}" is not a date in the form YYYY-MM-DD HH:MM`,
  findingOutsideScan: (id: unknown) => `finding "${String(id)}" is not inside a scanResult entry with targetHost/ip`,
  findingNotObject: () => 'a finding is not a JSON object',
  findingBeforeHost: () => 'a finding comes before its scanResult entry names targetHost/ip',

  // ── TLS-RPT ──
  mailTooLarge: (mib: number, capMib: number) => `this message is ${mib} MiB, more than the ${capMib} MiB a report e-mail can plausibly be; it is not read`,
  reportTooLarge: (capMib: number) => `more than the ${capMib} MiB a TLS-RPT report or its e-mail can plausibly be; it is not read`,
  notMime: (detail: string) => `the e-mail cannot be parsed as MIME (${detail}); save it again from the mailbox`,
  noReportAttached: (subject: string | undefined, mediaTypes: readonly string[]) =>
    `the e-mail${subject ? ` (subject "${subject.slice(0, 120)}")` : ''} has no TLS-RPT report attached (${mediaTypes.join(' or ')}, RFC 8460 §5.3); it is not read`,
  /** Names the attachment a report came from, before what is wrong with it. */
  attachmentPrefix: (attachment: string | undefined) => attachment !== undefined ? `attachment "${attachment}": ` : '',
  gzipTooLarge: (capMb: number) => `the gzip data expands beyond ${capMb} MB, far more than a TLS-RPT report; it is not read`,
  badGzip: (detail: string) => `the data starts like gzip but does not decompress (${detail}); save the report again`,
  badTlsRptJson: (at: { line: number; column: number } | undefined, detail: string) =>
    `not valid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''} (${detail}); a TLS-RPT report is one JSON object (RFC 8460 §4.4): save the report again from the e-mail`,
  notTlsRpt: (issues: readonly string[], more: boolean) => `not a TLS-RPT report as RFC 8460 §4.4 defines it: ${issues.join('; ')}${more ? '; …' : ''}`,
  endBeforeStart: (end: string, start: string) => `date-range.end-datetime (${end}) is before date-range.start-datetime (${start})`,
  /** `prefix` names the attachment the report came from, or is empty. */
  inconsistentCounts: (prefix: string, policy: number, detailed: number, failed: number) =>
    `${prefix}policies[${policy}]: failure-details count ${detailed} failed sessions, more than summary.total-failure-session-count ${failed}; the summary is used for rates`,
  duplicateReport: (reportId: string, organization: string, firstFile: string) =>
    `report-id "${reportId}" from ${organization} was already read from ${firstFile}; counted once`,

  // ── tlsproof's own scan results ──
  resultRecordUnreadable: (detail: string) => `cannot read result record: ${detail}`,
  resultsNoHeader: () => 'the results file has no header record (was it cut at the start?)',
  resultLineTooLong: (length: number, cap: string) =>
    `the line is ${length} characters long, more than the ${cap} a result record can be; it is not read (the file may be damaged)`,
  /** `complete` is false for the file's last line when the file does not end with a newline. */
  resultLineNotJson: (complete: boolean) => complete ? 'the line is not JSON' : 'torn last line (the scan was interrupted while writing it)',
  resultPort: (port: number) => `port ${port} is not a number from 1 to 65535`,
  resultObservedAt: (value: string) => `observedAt "${value}" is not a date and time that exists`,
  resultCertificateDate: (index: number, key: string, value: string) => `certificate ${index} ${key} "${value}" is not a date that exists`,
} as const;
