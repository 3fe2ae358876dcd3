import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import-boundary rules are part of the architecture; prove they bite.
let eslint: ESLint;
const root = path.resolve(import.meta.dirname, '..');

/** `import x from 'MODULE';` — built, not written out, so that no grep mistakes this test for a real import. */
const importOf = (module: string, what = 'x') => `import ${what} from ${JSON.stringify(module).replace(/"/g, "'")};`;

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe('import boundaries', () => {
  it.each([
    [importOf('node:fs', 'fs'), /no Node built-ins/],
    [importOf('path', 'path'), /no Node built-ins/],
    [importOf('electron', '{ app }'), /Electron/],
    [importOf('react', 'React'), /React/],
    [importOf('fabric', '{ Canvas }'), /Fabric/],
    [importOf('better-sqlite3', 'Database'), /SQLite/],
    [importOf('../../backend/catalogue.ts', '{ Catalogue }'), /outer layers/],
  ])('core/ refuses %s', async (code, message) => {
    const messages = await restricted('core/compose/fake.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it('core/ may import its own modules, even ones named like Node built-ins', async () => {
    expect(await restricted('core/compose/fake.ts', `${importOf('../util/units.ts', '{ round }')}\n${importOf('zod', '{ z }')}`)).toEqual([]);
  });

  it('backend/ and cli/ may use Node but not Electron, React or Fabric', async () => {
    expect(await restricted('backend/fake.ts', importOf('node:fs', 'fs'))).toEqual([]);
    expect((await restricted('backend/fake.ts', importOf('electron', '{ app }')))[0]).toMatch(/Only electron\//);
    expect((await restricted('cli/fake.ts', importOf('fabric', '{ Canvas }')))[0]).toMatch(/renderer\/src\/canvas/);
  });

  it('only renderer/src/canvas may import Fabric', async () => {
    expect((await restricted('renderer/src/app/fake.tsx', importOf('fabric', '{ Canvas }')))[0]).toMatch(/Fabric/);
    expect(await restricted('renderer/src/canvas/fake.tsx', importOf('fabric', '{ Canvas }'))).toEqual([]);
    expect((await restricted('renderer/src/app/fake.tsx', importOf('node:fs', 'fs')))[0]).toMatch(/typed API/);
  });
});
