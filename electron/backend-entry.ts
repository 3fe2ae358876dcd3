/**
 * Entry of the backend utility process (bundled to
 * dist/electron/backend/backend-host.mjs and started by electron/main.ts with
 * `utilityProcess.fork`). Everything it does is in electron/backend-host.ts.
 */
import { serveBackend } from './backend-host.ts';

const port = (process as { parentPort?: Parameters<typeof serveBackend>[0] | null }).parentPort;
if (!port) {
  process.stderr.write('lockup: backend-host runs only as an Electron utility process\n');
  process.exit(1);
}
serveBackend(port, { exit: (code) => process.exit(code) });
