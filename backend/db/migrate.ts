import type Database from 'better-sqlite3';
import { LockupError } from '../../core/errors.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Checks that versions run 1, 2, 3… with names `NNNN-…` matching their version. */
export function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const expected = i + 1;
    if (m.version !== expected || !m.name.startsWith(String(expected).padStart(4, '0') + '-')) {
      throw new LockupError('catalogue-migration-order', `Catalogue migration "${m.name}" (version ${m.version}) is out of order: expected version ${expected}`);
    }
  });
}

export function refuseNewer(file: string, current: number, latest: number): never {
  throw new LockupError(
    'catalogue-newer',
    `The catalogue at ${file} was written by a newer version of Lockup (schema ${current}; this version knows up to ${latest}). Update Lockup, or use another data folder with --data-dir.`,
    { schema: current, supported: latest, path: file },
  );
}

/**
 * Brings a database to the latest schema. Pending migrations run in one
 * transaction together with the `user_version` bump, so a failure leaves the
 * file exactly as it was. A database written by a newer Lockup is refused.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): { from: number; to: number } {
  checkMigrationOrder(migrations);
  const latest = migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) refuseNewer(file, current, latest);
  if (current === latest) return { from: current, to: current };
  db.transaction(() => {
    for (const m of migrations.slice(current)) m.up(db);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { from: current, to: latest };
}
