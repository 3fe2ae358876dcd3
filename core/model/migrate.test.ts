import { describe, expect, it } from 'vitest';
import { documentInput, templateInput } from '../../test/core-support/model.ts';
import { brandMigrator, documentMigrator, loadDocument, loadTemplate, templateMigrator } from './index.ts';
import { createMigrator, type FormatMigration } from './migrate.ts';
import { thrown } from '../../test/support/errors.ts';

/* A synthetic three-version format: v1 {title} → v2 {name} → v3 {name, tags}. */
const renameTitle: FormatMigration = {
  from: 1,
  name: 'rename title to name',
  up: ({ title, ...rest }) => ({ ...rest, name: title }),
};
const addTags: FormatMigration = {
  from: 2,
  name: 'add tags',
  up: (d) => ({ ...d, tags: typeof d['name'] === 'string' ? [String(d['name']).toLowerCase()] : [] }),
};

describe('createMigrator: step list checks at creation', () => {
  it('accepts an empty list for version 1 and a contiguous list ending at current', () => {
    expect(createMigrator('thing', 1, [], 'template-invalid').current).toBe(1);
    expect(createMigrator('thing', 3, [renameTitle, addTags], 'template-invalid').current).toBe(3);
  });

  it('refuses an out-of-order list', () => {
    const e = thrown(() => createMigrator('thing', 3, [addTags, renameTitle], 'template-invalid'));
    expect(e.code).toBe('internal');
    expect(e.message).toBe('thing migration "add tags" is out of order: expected from 1, got 2');
  });

  it('refuses a gap', () => {
    const skip: FormatMigration = { from: 3, name: 'three to four', up: (d) => d };
    const e = thrown(() => createMigrator('thing', 4, [renameTitle, skip], 'template-invalid'));
    expect(e.code).toBe('internal');
    expect(e.message).toContain('"three to four" is out of order: expected from 2, got 3');
  });

  it('refuses a list that does not reach the current version (too short or too long)', () => {
    const short = thrown(() => createMigrator('thing', 3, [renameTitle], 'template-invalid'));
    expect(short.message).toBe('thing migrations reach version 2, but the current version is 3');
    const long = thrown(() => createMigrator('thing', 2, [renameTitle, addTags], 'template-invalid'));
    expect(long.message).toBe('thing migrations reach version 3, but the current version is 2');
  });
});

describe('createMigrator: migrate', () => {
  const m = createMigrator('thing', 3, [renameTitle, addTags], 'document-invalid');

  it('each step on its own', () => {
    expect(renameTitle.up({ formatVersion: 1, title: 'Hello', x: 1 })).toEqual({ formatVersion: 1, name: 'Hello', x: 1 });
    expect(addTags.up({ formatVersion: 2, name: 'Hello' })).toEqual({ formatVersion: 2, name: 'Hello', tags: ['hello'] });
  });

  it('applies every step from v1, in order, and stamps each version', () => {
    expect(m.migrate({ formatVersion: 1, title: 'Hello', x: 1 })).toEqual({ formatVersion: 3, name: 'Hello', x: 1, tags: ['hello'] });
  });

  it('applies only the remaining steps from v2', () => {
    // A v2 file already has "name"; step 1 must not run (it would erase name via the missing title).
    expect(m.migrate({ formatVersion: 2, name: 'World' })).toEqual({ formatVersion: 3, name: 'World', tags: ['world'] });
  });

  it('order matters: steps see the output of the previous step', () => {
    const seen: number[] = [];
    const trace = createMigrator('t', 3, [
      { from: 1, name: 'a', up: (d) => (seen.push(d['formatVersion'] as number), d) },
      { from: 2, name: 'b', up: (d) => (seen.push(d['formatVersion'] as number), d) },
    ], 'template-invalid');
    trace.migrate({ formatVersion: 1 });
    expect(seen).toEqual([1, 2]);
  });

  it('leaves a current-version file unchanged and does not mutate the input', () => {
    const v3 = { formatVersion: 3, name: 'x', tags: [] };
    expect(m.migrate(v3)).toBe(v3);
    const v1 = { formatVersion: 1, title: 'T' };
    m.migrate(v1);
    expect(v1).toEqual({ formatVersion: 1, title: 'T' });
  });

  it('refuses a newer version with the configured code, naming both versions', () => {
    const e = thrown(() => m.migrate({ formatVersion: 7 }));
    expect(e.code).toBe('document-invalid');
    expect(e.message).toContain('format version 7');
    expect(e.message).toContain('reads up to 3');
    expect(e.details).toEqual({ formatVersion: 7, supported: 3 });
  });

  it('leaves non-objects and unversioned data to the schema', () => {
    for (const v of [null, undefined, 'text', 42, [1, 2], true]) expect(m.migrate(v)).toBe(v);
    for (const v of [{}, { formatVersion: '1' }, { formatVersion: 0 }, { formatVersion: 1.5 }, { formatVersion: -2 }]) expect(m.migrate(v)).toBe(v);
  });
});

describe('the shipped migrators', () => {
  it('are all at version 1', () => {
    expect([templateMigrator.current, documentMigrator.current, brandMigrator.current]).toEqual([1, 1, 1]);
  });

  it('loadTemplate refuses formatVersion 99 with template-invalid', () => {
    const e = thrown(() => loadTemplate({ ...templateInput([]), formatVersion: 99 }));
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('99');
    expect(e.message).toContain('reads up to 1');
  });

  it('loadDocument refuses formatVersion 99 with document-invalid', () => {
    const e = thrown(() => loadDocument(documentInput({ formatVersion: 99 })));
    expect(e.code).toBe('document-invalid');
    expect(e.message).toContain('format version 99');
    expect(e.message).toContain('reads up to 1');
  });
});
