import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LockupError } from '../../core/errors.ts';
import { migrate, refuseNewer, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface OpenOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
  /**
   * better-sqlite3 native binding to use. The desktop app keeps a build for
   * Electron's ABI apart from the Node one and names it in
   * LOCKUP_SQLITE_BINDING, so worker threads opened by the backend use it too.
   */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) a catalogue database: WAL, foreign keys on, a
 * busy timeout so the CLI and the app can share the file, then migrations.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const migrations = options.migrations ?? MIGRATIONS;
  const nativeBinding = options.nativeBinding ?? process.env['LOCKUP_SQLITE_BINDING'];
  let db: Database.Database;
  try {
    if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) {
      throw new LockupError('data-dir-unusable', `Cannot use the data folder ${path.dirname(file)}: ${(err as Error).message}`, { path: file });
    }
    throw new LockupError('catalogue-corrupt', `Cannot open the catalogue at ${file}: ${(err as Error).message}`, { path: file });
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Check the schema version before anything writes to the file: a
    // catalogue from a newer Lockup is refused untouched.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) refuseNewer(file, version, migrations.length);
    if (options.readonly) {
      if (version !== migrations.length) throw new LockupError('catalogue-newer', `The catalogue at ${file} has schema ${version}; this Lockup expects ${migrations.length}`);
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, migrations, file);
    }
  } catch (err) {
    db.close();
    if (err instanceof LockupError) throw err;
    throw new LockupError('catalogue-corrupt', `The catalogue at ${file} cannot be used: ${(err as Error).message}`, { path: file });
  }
  return db;
}
