// Test-only image worker that spins forever on the first message, like a
// decoder caught in an infinite loop on a hostile file. Only terminate() stops it.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  for (;;) {
    // spin
  }
});
