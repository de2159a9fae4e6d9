// Runs test/store/child/task.ts in a child process without a build: Vite (already a dev
// dependency, through Vitest) transforms the TypeScript on the fly, as in the test runner itself.
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const server = await createServer({
  root, configFile: false, logLevel: 'error', appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false }, optimizeDeps: { noDiscovery: true, include: [] },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
let code = 0;
try {
  const task = await runner.import(fileURLToPath(new URL('./task.ts', import.meta.url)));
  code = await task.main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  code = 1;
} finally {
  await runner.close();
  await server.close();
}
process.exit(code);
