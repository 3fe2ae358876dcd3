// Test-only image worker that never answers: it takes every message and
// keeps its thread alive, like a decoder stuck waiting forever.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {});
setInterval(() => {}, 60_000);
