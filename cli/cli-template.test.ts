// The built `lockup` binary, spawned: template validate / add.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { DEMO_CONTENT, partnerFile } from '../test/support/paths.ts';
import { tempDir } from '../test/support/temp.ts';

type Json = Record<string, unknown>;

let dataDir: string;
let work: string;
beforeAll(() => {
  assertBuilt();
  dataDir = tempDir('lockup-cli-data-');
  work = tempDir('lockup-cli-templates-');
});
const cli = (args: string[]) => runCli(args, { dataDir });

/** The demo letter template with absolute image paths, edited and written to the work folder. */
function templateFile(name: string, edit: (t: Json & { pages: { zones: Json[] }[] }) => void): string {
  const t = JSON.parse(fs.readFileSync(path.join(DEMO_CONTENT, 'product-one-pager-letter.template.json'), 'utf8')) as Json & { pages: { zones: Json[] }[] };
  for (const page of t.pages) for (const z of page.zones) if (typeof z['asset'] === 'string') z['asset'] = path.resolve(DEMO_CONTENT, z['asset']);
  edit(t);
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(t, null, 2));
  return file;
}

const listed = async () => (await cli(['templates', '--json'])).json()['templates'] as { id: string; version: number; name: string }[];

describe('template validate', () => {
  it('a shipped template is valid (exit 0)', async () => {
    const r = await cli(['template', 'validate', path.join(DEMO_CONTENT, 'product-one-pager-letter.template.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, valid: true, id: 'product-one-pager-letter', version: 1 });
    const text = await cli(['template', 'validate', path.join(DEMO_CONTENT, 'social-post.template.json')]);
    expect(text.stdout).toMatch(/valid \(social-post@1, 1 page\)/);
  });

  it('a schema fault: exit 4 with the JSON path in the message', async () => {
    const file = templateFile('bad-rect.template.json', (t) => ((t.pages[0]!.zones[3]!['rect'] as Json)['w'] = -5));
    const r = await cli(['template', 'validate', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Template is invalid at pages\[0\]\.zones\[3\]\.rect\.w/);
    const j = await cli(['template', 'validate', file, '--json']);
    expect(j.code).toBe(4);
    const e = j.json()['error'] as { code: string; message: string; details: { issues: { path: string }[] } };
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[3].rect.w');
    expect(e.details.issues[0]!.path).toBe('pages[0].zones[3].rect.w');
  });

  it('a brand fault (a colour not in the palette): exit 4 with the JSON path', async () => {
    const file = templateFile('bad-colour.template.json', (t) => ((t.pages[0]!.zones[2]!['style'] as Json)['color'] = 'hot-pink'));
    const r = await cli(['template', 'validate', file, '--json']);
    expect(r.code).toBe(4);
    const e = r.json()['error'] as { code: string; message: string };
    expect(e.code).toBe('template-invalid');
    expect(e.message).toContain('pages[0].zones[2].style.color');
    expect(e.message).toContain('hot-pink');
  });

  it('not JSON, a missing image, an unknown brand: exit 4 each', async () => {
    const notJson = path.join(work, 'broken.template.json');
    fs.writeFileSync(notJson, '{"format": "lockup.template", ');
    expect(((await cli(['template', 'validate', notJson, '--json'])).json()['error'] as Json)['code']).toBe('json-invalid');
    const missingImage = templateFile('missing-image.template.json', (t) => (t.pages[0]!.zones[0]!['asset'] = path.join(work, 'nope.jpg')));
    const r = await cli(['template', 'validate', missingImage, '--json']);
    expect(r.code).toBe(4);
    expect((r.json()['error'] as Json)['code']).toBe('file-unreadable');
    const otherBrand = templateFile('other-brand.template.json', (t) => (t['brand'] = 'acme'));
    const b = await cli(['template', 'validate', otherBrand, '--json']);
    expect(b.code).toBe(4);
    expect((b.json()['error'] as Json)['code']).toBe('brand-unknown');
  });

  it('validating does not publish', async () => {
    const file = templateFile('just-validate.template.json', (t) => (t['id'] = 'just-validate'));
    expect((await cli(['template', 'validate', file])).code).toBe(0);
    expect((await listed()).map((t) => t.id)).not.toContain('just-validate');
  });
});

describe('template add', () => {
  it('publishes, is listed and usable; re-adding is a no-op; a changed body under the same version is refused (exit 4)', async () => {
    const v1 = templateFile('flyer.template.json', (t) => {
      t['id'] = 'partner-flyer';
      t['name'] = 'Partner flyer';
    });
    const add = await cli(['template', 'add', v1, '--json']);
    expect(add.code).toBe(0);
    expect(add.json()).toEqual({ ok: true, id: 'partner-flyer', version: 1, result: 'added' });
    expect((await listed()).find((t) => t.id === 'partner-flyer')).toMatchObject({ version: 1, name: 'Partner flyer' });

    const again = await cli(['template', 'add', v1]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('partner-flyer@1 is already published with the same content.');

    const changed = templateFile('flyer-changed.template.json', (t) => {
      t['id'] = 'partner-flyer';
      t['name'] = 'Partner flyer, quietly edited';
    });
    const conflict = await cli(['template', 'add', changed, '--json']);
    expect(conflict.code).toBe(4);
    const e = conflict.json()['error'] as { code: string; message: string };
    expect(e.code).toBe('template-version-conflict');
    expect(e.message).toMatch(/version 2/);
    expect((await listed()).find((t) => t.id === 'partner-flyer')).toMatchObject({ version: 1, name: 'Partner flyer' });

    const v2 = templateFile('flyer-v2.template.json', (t) => {
      t['id'] = 'partner-flyer';
      t['version'] = 2;
      t['name'] = 'Partner flyer, second edition';
    });
    const text = await cli(['template', 'add', v2]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Published partner-flyer@2.');
    expect((await listed()).filter((t) => t.id === 'partner-flyer')).toEqual([expect.objectContaining({ version: 2, name: 'Partner flyer, second edition' })]);

    // Both versions stay usable by id@version.
    for (const ref of ['partner-flyer@1', 'partner-flyer@2', 'partner-flyer']) {
      const check = await cli(['check', '--template', ref, '--partner', partnerFile('harbor-it'), '--json']);
      expect(check.code, ref).toBe(0);
      expect(check.json()['template']).toEqual({ id: 'partner-flyer', version: ref === 'partner-flyer@1' ? 1 : 2 });
    }
  });

  it('an invalid template is not published', async () => {
    const file = templateFile('invalid-add.template.json', (t) => {
      t['id'] = 'invalid-add';
      (t.pages[0]!.zones[3]!['rect'] as Json)['h'] = 'tall';
    });
    const r = await cli(['template', 'add', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('pages[0].zones[3].rect.h');
    expect((await listed()).map((t) => t.id)).not.toContain('invalid-add');
  });
});
