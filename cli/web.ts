/**
 * `npm run web`: the desktop UI in a browser, for machines where the
 * Electron runtime cannot be fetched and for end-to-end tests in Chromium.
 * Serves dist/renderer and the API on 127.0.0.1 with a per-launch token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiService } from '../backend/api/service.ts';
import { Catalogue } from '../backend/catalogue.ts';
import { declineDemo, ensureDemoCatalogue } from '../backend/content/seed.ts';
import { packageRoot } from '../backend/content/package-root.ts';
import { resolveDataDir } from '../backend/data-dir.ts';
import { startWebHost } from '../backend/web/host.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'export-dir': { type: 'string' }, 'no-demo': { type: 'boolean' } } });
const root = packageRoot();
const staticDir = path.join(root, 'dist', 'renderer');
if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
  process.stderr.write('lockup web: the renderer is not built; run "npm run build" first.\n');
  process.exit(1);
}
const dataDir = resolveDataDir(values['data-dir']);
const catalogue = Catalogue.openDir(dataDir);
// --no-demo: start from an empty catalogue (a vendor's first run, or a partner who will open a pack).
if (values['no-demo'] || process.env['LOCKUP_NO_DEMO'] === '1') declineDemo(catalogue);
else ensureDemoCatalogue(catalogue);
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const service = new ApiService({ catalogue, dataDir, transport: 'web', version, exportDir: values['export-dir'] ? path.resolve(values['export-dir']) : path.join(dataDir, 'exports') });
const host = await startWebHost({ service, staticDir, ...(values.port ? { port: Number(values.port) } : {}) });
process.stdout.write(`Lockup is running in your browser at:\n\n  ${host.url}\n\nOpen that address (it carries this session's access token). Data: ${dataDir}\nPress Ctrl+C to stop.\n`);
const stop = () => {
  void host.close().then(() => {
    catalogue.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
