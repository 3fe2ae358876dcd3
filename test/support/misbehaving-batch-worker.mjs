// Test-only batch worker: the real one (backend/services/batch-worker.ts,
// loaded through tsx), except for rows whose company contains a marker:
//   "HANG"  – the thread spins forever on that row (a decoder stuck on a hostile file);
//   "CRASH" – the thread throws an uncaught error on that row.
// Rows before the marked one in the same chunk are exported normally first,
// so the runner sees progress, then silence (or a crash) on exactly that row.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

const on = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) => {
  if (event !== 'message') return on(event, listener);
  return on('message', async (msg) => {
    if (msg.type !== 'rows') return listener(msg);
    const i = msg.jobs.findIndex((j) => /HANG|CRASH/.test(j.profile.company));
    if (i < 0) return listener(msg);
    await listener({ ...msg, jobs: msg.jobs.slice(0, i) });
    if (msg.jobs[i].profile.company.includes('CRASH')) {
      // Let the results already posted reach the runner first.
      setTimeout(() => {
        throw new Error('test worker crashed on purpose');
      }, 300);
      return;
    }
    for (;;) {
      // spin: only terminate() ends this
    }
  });
};

await import(new URL('../../backend/services/batch-worker.ts', import.meta.url).href);
