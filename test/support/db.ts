import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export type Dump = Record<string, unknown[]>;

/**
 * A logical dump of a database: its schema (sqlite_master) and every row of
 * every table, in a stable order, with blobs replaced by their sha256. Two
 * dumps are equal when the database holds the same schema and data.
 */
export function dumpDatabase(db: Database.Database): Dump {
  const out: Dump = {};
  out['sqlite_master'] = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name").all();
  out['user_version'] = [db.pragma('user_version', { simple: true })];
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  for (const table of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
    const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY ${cols.join(', ')}`).all() as Record<string, unknown>[];
    out[table] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? `blob:${createHash('sha256').update(v).digest('hex')}` : v])));
  }
  return out;
}

/** Row counts per table (handy in failure messages). */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]));
}

export function objectNames(db: Database.Database, type: 'table' | 'trigger' | 'index'): string[] {
  return (db.prepare('SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE ? ORDER BY name').all(type, 'sqlite_%') as { name: string }[]).map((r) => r.name);
}
