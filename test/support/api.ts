import type { Envelope } from '../../core/contracts/api.ts';
import type { ApiService } from '../../backend/api/service.ts';

export type WireError = { code: string; message: string; details?: Record<string, unknown> };

/** Calls `op` through the service's dispatch and returns its value; throws with the code and message when refused. */
export async function callOk<T = unknown>(service: Pick<ApiService, 'dispatch'>, op: string, input: unknown = {}): Promise<T> {
  const r = (await service.dispatch(op, input)) as Envelope<T>;
  if (!r.ok) throw new Error(`${op} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Calls `op` and returns the error it must be refused with; throws when it succeeds. */
export async function callFails(service: Pick<ApiService, 'dispatch'>, op: string, input: unknown = {}): Promise<WireError> {
  const r = await service.dispatch(op, input);
  if (r.ok) throw new Error(`${op} unexpectedly succeeded`);
  return r.error;
}
