// Test-only image worker that dies with an uncaught error on the first message
// (a decoder bug that takes its thread down).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  throw new Error('decoder blew up');
});
