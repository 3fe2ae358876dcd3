import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../core/contracts/api.ts';
import type { PlanView } from '../../core/contracts/plan-view.ts';
import type { PartnerDocument } from '../../core/model/document.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { tempDir } from '../../test/support/temp.ts';
import { ApiService } from './service.ts';

const LOGOS = path.resolve(import.meta.dirname, '../../examples/partners/logos');

let catalogue: ReturnType<typeof seededCatalogue>['catalogue'];
let service: ApiService;
let exportDir: string;

const ok = <T = unknown>(op: string, input: unknown) => callOk<T>(service, op, input);
const fails = (op: string, input: unknown) => callFails(service, op, input);

beforeAll(() => {
  ({ catalogue } = seededCatalogue());
  exportDir = tempDir('lockup-exports-');
  service = new ApiService({ catalogue, dataDir: 'x', transport: 'web', version: 'test', exportDir });
});
afterAll(() => catalogue.close());

describe('dispatch validates before any handler runs', () => {
  it('random operation names and inputs always get an envelope, and invalid ones change nothing', async () => {
    const before = dumpDatabase(catalogue.db);
    const mutating = new Set([
      ...['profile:save', 'logo:intake', 'draft:save', 'export:pdf', 'app:set-role'],
      ...['pack:key-create', 'pack:publish', 'pack:import', 'credential:import'],
      ...['brand:create', 'brand:save', 'font:intake', 'designer:new', 'designer:from-pdf', 'designer:edit', 'designer:save', 'designer:add-image', 'designer:publish', 'designer:delete'],
    ]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...OP_NAMES), fc.string()), fc.jsonValue(), async (op, input) => {
        const r = await service.dispatch(op, input);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(typeof r.error.code).toBe('string');
          expect(typeof r.error.message).toBe('string');
        }
        if (!r.ok || !mutating.has(op)) expect(dumpDatabase(catalogue.db)).toEqual(before);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('names the operation and the path of a bad argument', async () => {
    expect(await fails('export:pdf', { document: { format: 'lockup.document' } })).toMatchObject({ code: 'invalid-argument' });
    expect((await fails('template:open', { id: 7 })).message).toMatch(/template:open.*id/);
    expect(await fails('__proto__', {})).toMatchObject({ code: 'unknown-operation' });
    expect(await fails('constructor', {})).toMatchObject({ code: 'unknown-operation' });
  });
});

describe('the partner flow over the API', () => {
  let document: PartnerDocument;

  it('needs a profile before templates can be opened', async () => {
    expect(await ok('profile:get', {})).toBeNull();
    expect(await fails('template:open', { id: 'product-one-pager-letter' })).toMatchObject({ code: 'profile-invalid' });
  });

  it('takes in a logo (validated, stored by sha256) and saves the profile', async () => {
    const data = fs.readFileSync(path.join(LOGOS, 'harbor-it-light.png')).toString('base64');
    const logo = await ok<{ ref: string; format: string; vector: boolean }>('logo:intake', { name: 'harbor.png', data });
    expect(logo).toMatchObject({ format: 'png', vector: false });
    expect(catalogue.hasAsset(logo.ref)).toBe(true);
    const saved = await ok<{ id: string }>('profile:save', { company: 'Harbor IT', contact: { phone: '(206) 555-0142' }, tier: 'silver', logo: { light: logo.ref }, certifications: [] });
    expect(saved.id).toBe('harbor-it');
    expect(await ok('profile:get', {})).toMatchObject({ company: 'Harbor IT', tier: 'silver' });
  });

  it('refuses a broken logo with its code and stores nothing', async () => {
    const before = dumpDatabase(catalogue.db);
    const err = await fails('logo:intake', { name: 'logo.png', data: Buffer.from('not a png').toString('base64') });
    expect(err.code).toBe('image-unsupported');
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });

  it('lists templates with access decisions and refuses a locked one', async () => {
    const cards = await ok<{ id: string; available: boolean; reasons: string[] }[]>('templates:list', {});
    expect(cards.find((c) => c.id === 'case-study-gold')).toMatchObject({ available: false, reasons: ['Gold partners only'] });
    expect(await fails('template:open', { id: 'case-study-gold' })).toMatchObject({ code: 'template-not-entitled' });
  });

  it('opens a template and checks the document, returning findings and the render plan', async () => {
    const opened = await ok<{ document: PartnerDocument; fromDraft: boolean }>('template:open', { id: 'product-one-pager-letter' });
    expect(opened.fromDraft).toBe(false);
    document = opened.document;
    const checked = await ok<{ findings: unknown[]; plan: PlanView; values: Record<string, string> }>('document:check', { document });
    expect(checked.findings).toEqual([]);
    expect(checked.values['company']).toBe('Harbor IT');
    const texts = checked.plan.pages[0]!.items.filter((i) => i.type === 'text');
    expect(texts.some((t) => t.type === 'text' && t.runs.some((r) => r.text.includes('Harbor IT')))).toBe(true);
  });

  it('saves a draft and reopens it', async () => {
    const edited = { ...document, fields: { ...document.fields, phone: '(206) 555-9999' } };
    await ok('draft:save', { document: edited });
    const reopened = await ok<{ document: PartnerDocument; fromDraft: boolean }>('template:open', { id: 'product-one-pager-letter' });
    expect(reopened).toMatchObject({ fromDraft: true, document: { fields: { phone: '(206) 555-9999' } } });
  });

  it('exports only without errors, records the ledger, and serves back only its own exports', async () => {
    const tooLong = { ...document, fields: { ...document.fields, company: 'x'.repeat(200) } };
    const refused = await fails('export:pdf', { document: tooLong });
    expect(refused.code).toBe('compliance-errors');
    const before = catalogue.listExports().length;
    const result = await ok<{ path: string; byteLength: number }>('export:pdf', { document });
    expect(result.path.startsWith(exportDir)).toBe(true);
    expect(fs.statSync(result.path).size).toBe(result.byteLength);
    expect(catalogue.listExports().length).toBe(before + 1);
    const file = await ok<{ data: string }>('export:download', { path: result.path });
    expect(Buffer.from(file.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(await fails('export:download', { path: path.join(exportDir, '..', 'catalogue.sqlite') })).toMatchObject({ code: 'forbidden' });
    expect(await fails('export:pdf', { document, path: path.join(exportDir, 'x.txt') })).toMatchObject({ code: 'invalid-argument' });
  });

  it('reveal shows only files Lockup exported (and nothing over the web transport)', async () => {
    const exported = catalogue.listExports(1)[0]!.outputPath;
    expect(await ok('file:reveal', { path: exported })).toEqual({ shown: false });
    expect(await fails('file:reveal', { path: exportDir })).toMatchObject({ code: 'forbidden' });
    expect(await fails('file:reveal', { path: '/etc/passwd' })).toMatchObject({ code: 'forbidden' });
  });
});
