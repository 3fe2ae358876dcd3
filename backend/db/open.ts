import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LockupError } from '../../core/errors.ts';
import { migrate, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface OpenOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
  /** better-sqlite3 native binding to use (the Electron build keeps its own). */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) a catalogue database: WAL, foreign keys on, a
 * busy timeout so the CLI and the app can share the file, then migrations.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (err) {
    throw new LockupError('catalogue-corrupt', `Cannot open the catalogue at ${file}: ${(err as Error).message}`, { path: file });
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, options.migrations ?? MIGRATIONS, file);
    } else {
      const version = db.pragma('user_version', { simple: true }) as number;
      const latest = (options.migrations ?? MIGRATIONS).length;
      if (version !== latest) throw new LockupError('catalogue-newer', `The catalogue at ${file} has schema ${version}; this Lockup expects ${latest}`);
    }
  } catch (err) {
    db.close();
    if (err instanceof LockupError) throw err;
    throw new LockupError('catalogue-corrupt', `The catalogue at ${file} cannot be used: ${(err as Error).message}`, { path: file });
  }
  return db;
}
