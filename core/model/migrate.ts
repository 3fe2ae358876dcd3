import { LockupError, type ErrorCode } from '../errors.ts';

/** One pure step that turns format version `from` into `from + 1`. */
export interface FormatMigration {
  from: number;
  name: string;
  up: (data: Record<string, unknown>) => Record<string, unknown>;
}

export interface Migrator {
  current: number;
  /** Brings `data` up to the current format version; refuses newer versions. */
  migrate(data: unknown): unknown;
}

/**
 * Builds a migrator for one file kind. The step list must be contiguous and
 * ordered (1→2, 2→3, …) and end at `current`: a gap or a reordering is a
 * programming error caught when the module loads, not when a user opens a file.
 */
export function createMigrator(kind: string, current: number, steps: readonly FormatMigration[], code: ErrorCode): Migrator {
  steps.forEach((s, i) => {
    if (s.from !== i + 1) throw new LockupError('internal', `${kind} migration "${s.name}" is out of order: expected from ${i + 1}, got ${s.from}`);
  });
  if (steps.length + 1 !== current) {
    throw new LockupError('internal', `${kind} migrations reach version ${steps.length + 1}, but the current version is ${current}`);
  }
  return {
    current,
    migrate(data: unknown): unknown {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
      const record = data as Record<string, unknown>;
      const version = record['formatVersion'];
      if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return data; // the schema reports it
      if (version > current) {
        throw new LockupError(
          code,
          `This ${kind} uses format version ${version}, written by a newer Lockup; this version reads up to ${current}. Update Lockup to open it.`,
          { formatVersion: version, supported: current },
        );
      }
      let out = record;
      for (const step of steps.slice(version - 1)) {
        out = { ...step.up(out), formatVersion: step.from + 1 };
      }
      return out;
    },
  };
}
