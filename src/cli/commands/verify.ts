/**
 * `tlsproof verify FILE [--ca-file FILE]`: checks a signed PDF report or an evidence bundle and
 * names exactly what does not hold. Exit 0 when everything holds, 1 when anything was altered or
 * does not verify, 2 when the file cannot be read.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ReportError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { parseCommandArgs } from '../args.js';
import { MSG, OUT } from '../messages.js';
import { EXIT_OK, EXIT_PROBLEMS, type ExitCode } from '../exit-codes.js';

const VERIFY_HELP = `Usage:
  tlsproof verify FILE [--ca-file FILE]... [--json]
        FILE is a signed PDF report or an evidence bundle (.tlsproof.zip). Checks that the signed
        bytes are unchanged, the signature verifies, the signer's certificate chain leads to a
        certificate in --ca-file (without it the chain is reported as not checked), and any RFC 3161
        time-stamp. For a bundle, also every file against the manifest's SHA-256, naming each file
        altered, missing or added.
        Exit 0 when all holds, 1 when anything was altered or does not verify, 2 when FILE cannot be read.`;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

async function readAnchors(files: readonly string[], cwd: string): Promise<X509Certificate[]> {
  const anchors: X509Certificate[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, f), 'latin1');
    } catch (err) {
      throw new ReportError('input-not-found', { file: f }, MSG.cannotRead(`--ca-file ${f}`, (err as NodeJS.ErrnoException).code ?? String(err)));
    }
    const blocks = text.match(CERT_BLOCK) ?? [];
    if (blocks.length === 0) throw new ReportError('input-unrecognised', { file: f }, MSG.caFileNoPem(f));
    for (const b of blocks) anchors.push(new X509Certificate(b));
  }
  return anchors;
}

export async function verifyCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: { 'ca-file': { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, VERIFY_HELP);
  if (values.help) {
    io.stdout(`${VERIFY_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new ReportError('usage', {}, MSG.verifyUsage(VERIFY_HELP));
  const file = resolve(io.cwd, positionals[0]!);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ReportError('input-not-found', { file }, MSG.cannotRead(positionals[0]!, (err as NodeJS.ErrnoException).code ?? String(err)));
  }
  const anchors = await readAnchors(values['ca-file'] ?? [], io.cwd);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const { verifyPdf } = await import('../../evidence/pdf-verify.js');
    const result = verifyPdf(bytes, anchors);
    if (values.json) io.stdout(`${JSON.stringify({ file, kind: 'pdf', ok: result.problems.length === 0, ...result }, null, 2)}\n`);
    else {
      io.stdout(OUT.signedPdf(positionals[0]!, result.signatures.length));
      for (const s of result.signatures) {
        io.stdout(OUT.pdfSignature({ signer: s.signer, signingTime: s.signingTime, timestampTime: s.timestamp?.time, authority: s.timestamp?.authority, subFilter: s.subFilter },
          OUT.chainWords(s.chain, anchors.length)));
      }
      printOutcome(result.problems, io);
    }
    return result.problems.length === 0 ? EXIT_OK : EXIT_PROBLEMS;
  }
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const { verifyBundle } = await import('../../evidence/bundle-verify.js');
    const result = verifyBundle(bytes, anchors);
    if (values.json) io.stdout(`${JSON.stringify({ file, kind: 'bundle', ok: result.problems.length === 0, ...result }, null, 2)}\n`);
    else {
      io.stdout(OUT.bundle(positionals[0]!, result.files.length, result.manifest));
      if (result.signature) {
        const sig = result.signature;
        io.stdout(OUT.bundleSignature({ signer: sig.signer, claimedTime: sig.claimedTime, timestampTime: sig.timestamp?.time }, OUT.chainWords(sig.chain, anchors.length)));
      }
      printOutcome(result.problems, io);
    }
    return result.problems.length === 0 ? EXIT_OK : EXIT_PROBLEMS;
  }
  throw new ReportError('input-unrecognised', { file }, MSG.verifyUnknownKind(positionals[0]!));
}

function printOutcome(problems: readonly string[], io: CliIo): void {
  io.stdout(problems.length === 0 ? OUT.verified() : OUT.notVerified(problems));
}
