// Test-only batch worker that speaks the real protocol (batch-protocol.ts)
// without the export pipeline, so it starts in milliseconds. For each row it
// writes a small stand-in file and reports success, except for rows whose
// company contains "CRASH": there the thread dies (exit code 9) a moment
// later, as a native crash or an out-of-memory kill would.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const init = workerData;

parentPort.on('message', (msg) => {
  if (msg.type === 'stop') return parentPort.close();
  if (msg.type !== 'rows') return;
  for (const job of msg.jobs) {
    if (job.profile.company.includes('CRASH')) {
      // Let the results already posted reach the runner first.
      setTimeout(() => process.exit(9), 200);
      return;
    }
    const bytes = Buffer.from(`%PDF-1.7 stand-in for ${job.profile.company}\n`);
    const file = path.join(init.outDir, job.outName);
    fs.writeFileSync(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    parentPort.postMessage({ type: 'result', line: job.line, ok: true, id: job.id, company: job.profile.company, file, byteLength: bytes.length, sha256, inputsSha256: sha256, warnings: 0 });
  }
});
parentPort.postMessage({ type: 'ready' });
