/**
 * Child process of bench/scan-bench.ts: starts the lab mail servers the benchmark scans, on their
 * own core. Reads its plan as JSON from argv[2], prints `ready` once every server listens and
 * stops them all on SIGTERM or when its parent goes away.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeLabPki } from '../test/lab/certs.js';
import { startLabServer, type LabServer } from '../test/lab/servers.js';

interface Plan {
  /** IPs 127.0.x.y, each with SMTP 25 STARTTLS, 465 implicit, IMAPS 993 and POP3S 995. */
  ips: string[];
  /** Every n-th IP gets the legacy profile (TLS 1.0+, CBC, static RSA, 1024-bit DH). */
  legacyEvery: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const work = await mkdtemp(path.join(os.tmpdir(), 'tlsproof-bench-'));
const pki = await makeLabPki(path.join(work, 'pki'));
const cert = await pki.issue({ kind: 'good', hostname: 'mx.bench.test' });
const dh = await pki.dhParams(1024);
const servers: LabServer[] = [];
const stop = async (): Promise<void> => {
  await Promise.allSettled(servers.map((s) => s.stop()));
  await rm(work, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
for (const [i, ip] of plan.ips.entries()) {
  const legacy = plan.legacyEvery > 0 && i % plan.legacyEvery === 0;
  const profile = legacy ? 'legacy' as const : 'modern' as const;
  const common = { ip, host: 'mx.bench.test', certs: [cert], profile, ...(legacy ? { dhParamFile: dh } : {}), idleTimeoutMs: 10_000 };
  servers.push(await startLabServer({ ...common, protocol: 'smtp', transport: 'starttls', port: 25 }));
  servers.push(await startLabServer({ ...common, protocol: 'smtp', transport: 'implicit', port: 465 }));
  servers.push(await startLabServer({ ...common, protocol: 'imap', transport: 'implicit', port: 993 }));
  servers.push(await startLabServer({ ...common, protocol: 'pop3', transport: 'implicit', port: 995 }));
}
process.send?.({ ready: true, caFile: pki.caCertFile });
