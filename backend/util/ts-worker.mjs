// Worker bootstrap used only when running from TypeScript sources (tests, tsx):
// registers the tsx loader in the worker, then loads the real worker module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__lockupTsEntry);
