import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import-boundary rules are part of the architecture; prove they bite.
let eslint: ESLint;
const root = path.resolve(import.meta.dirname, '..');

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe('import boundaries', () => {
  it.each([
    ["import fs from 'node:fs';", /no Node built-ins/],
    ["import path from 'path';", /no Node built-ins/],
    ["import { app } from 'electron';", /Electron/],
    ["import React from 'react';", /React/],
    ["import { Canvas } from 'fabric';", /Fabric/],
    ["import Database from 'better-sqlite3';", /SQLite/],
    ["import { Catalogue } from '../../backend/catalogue.ts';", /outer layers/],
  ])('core/ refuses %s', async (code, message) => {
    const messages = await restricted('core/compose/fake.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it('core/ may import its own modules, even ones named like Node built-ins', async () => {
    expect(await restricted('core/compose/fake.ts', "import { round } from '../util/units.ts';\nimport { z } from 'zod';")).toEqual([]);
  });

  it('backend/ and cli/ may use Node but not Electron, React or Fabric', async () => {
    expect(await restricted('backend/fake.ts', "import fs from 'node:fs';")).toEqual([]);
    expect((await restricted('backend/fake.ts', "import { app } from 'electron';"))[0]).toMatch(/Only electron\//);
    expect((await restricted('cli/fake.ts', "import { Canvas } from 'fabric';"))[0]).toMatch(/renderer\/src\/canvas/);
  });

  it('only renderer/src/canvas may import Fabric', async () => {
    expect((await restricted('renderer/src/app/fake.tsx', "import { Canvas } from 'fabric';"))[0]).toMatch(/Fabric/);
    expect(await restricted('renderer/src/canvas/fake.tsx', "import { Canvas } from 'fabric';")).toEqual([]);
    expect((await restricted('renderer/src/app/fake.tsx', "import fs from 'node:fs';"))[0]).toMatch(/typed API/);
  });
});
