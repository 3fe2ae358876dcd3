import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../core/contracts/api.ts';
import { DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION, type PartnerDocument } from '../../core/model/document.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { PARTNERS } from '../../test/support/paths.ts';
import type { Catalogue } from '../catalogue.ts';
import { ApiService } from './service.ts';

let catalogue: Catalogue;
let service: ApiService;
const ok = <T = unknown>(op: string, input: unknown) => callOk<T>(service, op, input);

beforeAll(() => {
  let dir: string;
  ({ catalogue, dir } = seededCatalogue());
  service = new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir: path.join(dir, 'exports') });
});
afterAll(() => catalogue.close());

const openDoc = async (id: string) => (await ok<{ document: PartnerDocument }>('template:open', { id })).document;

describe('document:preflight', () => {
  it('needs a partner profile', async () => {
    const doc = { format: DOCUMENT_FORMAT, formatVersion: DOCUMENT_FORMAT_VERSION, templateId: 'email-banner', templateVersion: 1, fields: {} };
    expect(await callFails(service, 'document:preflight', { document: doc })).toMatchObject({ code: 'profile-invalid' });
  });

  it('reports the print boxes, output intent and findings of a document without changing the catalogue', async () => {
    const data = fs.readFileSync(path.join(PARTNERS, 'logos', 'harbor-it-light.png')).toString('base64');
    const logo = await ok<{ ref: string }>('logo:intake', { name: 'harbor.png', data });
    await ok('profile:save', { company: 'Harbor IT', tier: 'silver', logo: { light: logo.ref }, certifications: [] });

    // Opened first: opening a template is recorded in the activity ledger (docs/decisions/0027); preflight itself writes nothing.
    const [letterDoc, socialDoc] = [await openDoc('product-one-pager-letter'), await openDoc('social-post')];
    const before = dumpDatabase(catalogue.db);
    const letter = await ok<OpOutput<'document:preflight'>>('document:preflight', { document: letterDoc });
    expect(letter.ok).toBe(true);
    expect(letter.compliance).toEqual([]);
    expect(letter.boxes.trim.slice(2)).toEqual([612, 792]);
    expect(letter.boxes.bleed.slice(2)).toEqual([630, 810]);
    expect(letter.outputIntent.identifier).toBe('Custom');
    expect(letter.preflight.every((f) => f.severity === 'warning')).toBe(true);
    expect(letter.preflight.map((f) => f.code)).toContain('print-image-rgb');

    const social = await ok<OpOutput<'document:preflight'>>('document:preflight', { document: socialDoc });
    expect(social.ok).toBe(false);
    expect(social.compliance.find((f) => f.code === 'image-resolution-low')).toMatchObject({ severity: 'error', zoneId: 'background' });
    expect(dumpDatabase(catalogue.db)).toEqual(before);
  });
});
