/**
 * A local RFC 3161 time-stamp authority for tests: openssl's `ts -reply` behind a small HTTP
 * server on the loopback address given (this helper's tests use 127.0.107.x), signing with the
 * TSA certificate of the test PKI.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestPki } from './test-pki.js';

const run = promisify(execFile);

export interface TestTsa { readonly url: string; readonly requests: () => number; close(): Promise<void> }

export async function startTestTsa(pki: TestPki, host: string): Promise<TestTsa> {
  const dir = join(pki.dir, 'tsa-work');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'serial'), '01\n');
  const config = join(dir, 'tsa.cnf');
  await writeFile(config, [
    '[ tsa ]', 'default_tsa = tsa_config', '[ tsa_config ]', `dir = ${dir}`, `serial = ${join(dir, 'serial')}`,
    `signer_cert = ${pki.tsaCert}`, `certs = ${pki.caCert}`, `signer_key = ${pki.tsaKey}`, 'signer_digest = sha256',
    'default_policy = 1.3.6.1.4.1.99999.1', 'digests = sha256', 'accuracy = secs:1', 'ordering = no', 'tsa_name = no',
    'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
  ].join('\n'));
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = ++n;
      const query = join(dir, `q${id}.tsq`);
      const reply = join(dir, `r${id}.tsr`);
      void (async () => {
        try {
          await writeFile(query, Buffer.concat(chunks));
          await run('openssl', ['ts', '-reply', '-config', config, '-queryfile', query, '-out', reply]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply', connection: 'close' });
          res.end(await readFile(reply));
        } catch (err) {
          res.writeHead(500);
          res.end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, host, resolve); });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}/tsa`,
    requests: () => n,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
