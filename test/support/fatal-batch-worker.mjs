// Test-only batch worker that cannot start: it reports a fatal error
// (as the real worker does when the template fails to compile).
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ type: 'fatal', error: { code: 'font-invalid', message: 'Test worker: the brand font cannot be read' } });
