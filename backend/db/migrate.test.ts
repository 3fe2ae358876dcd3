import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { dumpDatabase, objectNames } from '../../test/support/db.ts';
import { checkMigrationOrder, migrate, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

/** What each shipped migration adds. A new migration needs an entry (and this test) here. */
const EXPECTED: Record<string, { tables: string[]; triggers: string[]; indexes: string[] }> = {
  '0001-initial': {
    tables: [
      'access_tiers',
      'assets',
      'brand_colors',
      'brand_font_fallbacks',
      'brand_fonts',
      'brand_logos',
      'brand_rules',
      'brands',
      'certifications',
      'drafts',
      'export_ledger',
      'partner_profiles',
      'partner_types',
      'regions',
      'settings',
      'template_assets',
      'template_versions',
      'templates',
    ],
    triggers: ['export_ledger_no_delete', 'export_ledger_no_update', 'template_versions_immutable', 'template_versions_kept'],
    indexes: ['drafts_by_partner', 'export_ledger_by_batch'],
  },
  '0002-packs': {
    tables: ['credentials', 'imported_packs', 'issued_credentials', 'issued_revocations', 'published_packs', 'publishers', 'revocations'],
    triggers: [],
    indexes: ['issued_credentials_by_partner'],
  },
  '0003-template-drafts': {
    tables: ['template_drafts'],
    triggers: [],
    indexes: ['template_drafts_by_brand'],
  },
  '0004-derived-packs': {
    tables: ['distributors', 'imported_overlays'],
    triggers: [],
    indexes: ['templates_by_derived_from'],
  },
  '0005-products': {
    tables: ['products'],
    triggers: [],
    indexes: [],
  },
  '0006-distributor-workspace': {
    tables: ['distributor_authorisations', 'distributor_products', 'distributor_sheets', 'distributor_sources'],
    triggers: [],
    indexes: [],
  },
  '0007-learning': {
    tables: ['learning_exports', 'playbook_progress', 'playbooks', 'training_attempts', 'training_completions', 'training_modules'],
    triggers: ['learning_exports_no_delete', 'learning_exports_no_update', 'training_attempts_graded_once', 'training_completions_kept', 'training_completions_signed_once'],
    indexes: ['learning_exports_by_path', 'playbooks_by_brand', 'training_attempts_by_partner', 'training_completions_by_partner', 'training_modules_by_brand'],
  },
  '0008-mdf': {
    tables: ['mdf_attachments', 'mdf_files', 'mdf_programs', 'mdf_queue', 'mdf_requests'],
    triggers: ['mdf_files_no_delete', 'mdf_files_no_update', 'mdf_queue_decided_once', 'mdf_queue_kept', 'mdf_requests_decided_once', 'mdf_requests_kept'],
    indexes: ['mdf_files_by_path', 'mdf_queue_by_partner', 'mdf_requests_by_partner'],
  },
  '0009-insights': {
    tables: ['activity_ledger', 'insight_events', 'insight_exports', 'insight_imports', 'insight_partners', 'insight_sources'],
    triggers: ['activity_ledger_no_delete', 'activity_ledger_no_update'],
    indexes: ['insight_exports_by_path', 'insight_sources_by_issuer'],
  },
  '0010-insight-rollups': {
    tables: ['insight_rollup_counts', 'insight_rollup_distributors', 'insight_rollup_mdf', 'insight_rollup_mdf_totals', 'insight_rollup_monthly_partners', 'insight_rollup_partner_years', 'insight_rollup_subjects'],
    triggers: [],
    indexes: ['insight_partners_by_dims', 'insight_partners_by_region', 'insight_rollup_partner_years_by_year'],
  },
};

const open: Database.Database[] = [];
function memory(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function fakeMigration(version: number, name: string, up: (db: Database.Database) => void = () => {}): Migration {
  return { version, name, up };
}

describe('shipped migrations', () => {
  it('every shipped migration has expectations in this test', () => {
    expect(MIGRATIONS.map((m) => m.name)).toEqual(Object.keys(EXPECTED));
  });

  it('are numbered 1, 2, 3… with matching names', () => {
    expect(() => checkMigrationOrder(MIGRATIONS)).not.toThrow();
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it.each(MIGRATIONS.map((m, i) => [m.name, i] as const))('%s creates its tables, triggers and indexes and bumps user_version', (name, i) => {
    const db = memory();
    migrate(db, MIGRATIONS.slice(0, i), ':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(i);
    const before = { tables: objectNames(db, 'table'), triggers: objectNames(db, 'trigger'), indexes: objectNames(db, 'index') };

    expect(migrate(db, MIGRATIONS.slice(0, i + 1), ':memory:')).toEqual({ from: i, to: i + 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(i + 1);
    const exp = EXPECTED[name]!;
    const added = (kind: 'table' | 'trigger' | 'index', was: string[]) => objectNames(db, kind).filter((n) => !was.includes(n));
    expect(added('table', before.tables)).toEqual([...exp.tables].sort());
    expect(added('trigger', before.triggers)).toEqual([...exp.triggers].sort());
    expect(added('index', before.indexes).filter((n) => !n.startsWith('sqlite_autoindex'))).toEqual([...exp.indexes].sort());
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a fresh database goes straight to the latest version; running again is a no-op', () => {
    const db = memory();
    expect(migrate(db, MIGRATIONS, ':memory:')).toEqual({ from: 0, to: MIGRATIONS.length });
    const dump = dumpDatabase(db);
    expect(migrate(db, MIGRATIONS, ':memory:')).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    expect(dumpDatabase(db)).toEqual(dump);
  });
});

describe('migrate() safety', () => {
  it('refuses a database written by a newer Lockup (catalogue-newer) and changes nothing', () => {
    const db = memory();
    migrate(db, MIGRATIONS, ':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    const before = dumpDatabase(db);
    let err: unknown;
    try {
      migrate(db, MIGRATIONS, '/data/catalogue.sqlite');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LockupError);
    const e = err as LockupError;
    expect(e.code).toBe('catalogue-newer');
    expect(e.message).toMatch(/newer/i);
    expect(e.message).toMatch(/update/i);
    expect(e.message).toContain('/data/catalogue.sqlite');
    expect(e.details).toMatchObject({ schema: MIGRATIONS.length + 5, supported: MIGRATIONS.length });
    expect(dumpDatabase(db)).toEqual(before);
  });

  it.each([
    ['versions swapped', [fakeMigration(2, '0002-b'), fakeMigration(1, '0001-a')]],
    ['a gap', [fakeMigration(1, '0001-a'), fakeMigration(3, '0003-c')]],
    ['a name that does not match its version', [fakeMigration(1, '0001-a'), fakeMigration(2, '0003-b')]],
    ['a name without the NNNN- prefix', [fakeMigration(1, 'initial')]],
    ['a duplicate version', [fakeMigration(1, '0001-a'), fakeMigration(1, '0001-a')]],
  ])('refuses an out-of-order list (%s) before touching the database', (_label, list) => {
    const db = memory();
    let ran = false;
    const spied = list.map((m) => ({ ...m, up: () => void (ran = true) }));
    expect(() => checkMigrationOrder(spied)).toThrow(expect.objectContaining({ code: 'catalogue-migration-order' }));
    expect(() => migrate(db, spied, ':memory:')).toThrow(expect.objectContaining({ code: 'catalogue-migration-order' }));
    expect(ran).toBe(false);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });

  it('a migration that throws half-way leaves user_version and the schema unchanged', () => {
    const db = memory();
    migrate(db, MIGRATIONS, ':memory:');
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    const before = dumpDatabase(db);
    const broken = fakeMigration(MIGRATIONS.length + 1, `${String(MIGRATIONS.length + 1).padStart(4, '0')}-broken`, (d) => {
      d.exec('CREATE TABLE half_done (x INTEGER)');
      d.exec("INSERT INTO settings (key, value) VALUES ('half', 'done')");
      d.exec('ALTER TABLE brands ADD COLUMN colour TEXT');
      throw new Error('boom half-way');
    });
    expect(() => migrate(db, [...MIGRATIONS, broken], ':memory:')).toThrow('boom half-way');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(objectNames(db, 'table')).not.toContain('half_done');
    expect(dumpDatabase(db)).toEqual(before);
  });

  it('a failing later migration also rolls back the earlier pending ones (one transaction)', () => {
    const db = memory();
    const broken = fakeMigration(MIGRATIONS.length + 1, `${String(MIGRATIONS.length + 1).padStart(4, '0')}-broken`, () => {
      throw new Error('second step fails');
    });
    expect(() => migrate(db, [...MIGRATIONS, broken], ':memory:')).toThrow('second step fails');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(objectNames(db, 'table')).toEqual([]);
  });
});
