/**
 * The evidence layer's prose: refusals of the signing key file and of the time-stamp authority's
 * answer. Each names the option and the file or URL it was given, says what is wrong with it, and
 * what to give instead.
 */

/** What to do about any fault of the time-stamp authority: its answer cannot be repaired here. */
const TSA_TODO = 'Check that --tsa names an RFC 3161 time-stamp authority you can reach, or leave out --tsa to sign without a time-stamp.';

export const EVIDENCE = {
  // ── --sign FILE ──
  cannotRead: (option: '--sign' | '--sign-passphrase-file', file: string, code: string) =>
    `${option} ${file}: cannot read the file (${code}).`,
  notPem: (file: string) =>
    `--sign ${file}: not a PEM file. Give one PEM file holding the private key and the certificate chain, e.g. cat key.pem cert.pem chain.pem > signer.pem (for a PKCS#12 file: openssl pkcs12 -in signer.p12 -out signer.pem, with -aes256 to keep the key encrypted).`,
  noKeyBlock: (file: string) => `--sign ${file}: no private key block (BEGIN PRIVATE KEY) in the file.`,
  keyNeedsPassphrase: (file: string, variable: string) =>
    `--sign ${file}: the private key is encrypted; put its passphrase in the ${variable} environment variable or in a file named by --sign-passphrase-file.`,
  keyUnreadable: (file: string, detail: string) => `--sign ${file}: cannot read the private key (${detail}); check the passphrase.`,
  keyType: (file: string, type: string) =>
    `--sign ${file}: a ${type} key; PDF readers verify RSA and ECDSA signatures, so use one of those.`,
  noCertificate: (file: string) =>
    `--sign ${file}: no certificate in the file; append the signer's certificate (and its chain) after the key.`,
  noMatchingCertificate: (file: string, count: number) =>
    `--sign ${file}: none of the ${count} certificates matches the private key; the signer's own certificate must be in the file.`,

  // ── --tsa URL ──
  tsaNotAResponse: (url: string) => `--tsa ${url}: the answer is not an RFC 3161 time-stamp response. ${TSA_TODO}`,
  tsaRefused: (url: string, status: number) => `--tsa ${url}: the authority refused the request (PKIStatus ${status}). ${TSA_TODO}`,
  tsaNoToken: (url: string) => `--tsa ${url}: the response holds no time-stamp token. ${TSA_TODO}`,
  tsaUnreadableToken: (url: string) => `--tsa ${url}: the token's TSTInfo cannot be read. ${TSA_TODO}`,
  tsaOtherData: (url: string) => `--tsa ${url}: the token time-stamps other data than was sent. ${TSA_TODO}`,
  tsaOtherRequest: (url: string) => `--tsa ${url}: the token answers another request (nonce mismatch). ${TSA_TODO}`,
  tsaUnreachable: (url: string, detail: string) => `--tsa ${url}: cannot reach the time-stamp authority (${detail}). ${TSA_TODO}`,
  tsaHttp: (url: string, status: number, statusText: string) => `--tsa ${url}: HTTP ${status} ${statusText}. ${TSA_TODO}`,
} as const;
