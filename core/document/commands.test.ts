import { describe, expect, it } from 'vitest';
import { loadDocument, loadTemplate } from '../model/index.ts';
import { editableFields, History, moveZone, resetField, setField, setLogo, setStyle, zoneLock } from './commands.ts';

const template = loadTemplate({
  format: 'lockup.template',
  formatVersion: 1,
  id: 't',
  version: 1,
  name: 'T',
  brand: 'b',
  page: { size: 'letter' },
  fields: [
    { key: 'company', label: 'Company' },
    { key: 'distributor', label: 'Distributor' },
    { key: 'note', label: 'Note' },
  ],
  pages: [
    {
      zones: [
        { id: 'head', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 0, w: 100, h: 20 }, text: 'Hi', style: { font: 'f', size: 10, color: 'c' } },
        { id: 'name', kind: 'partner-text', owner: 'partner', lock: 'editable', rect: { x: 0, y: 30, w: 100, h: 20 }, content: '{company}', style: { font: 'f', size: 10, color: 'c' }, fonts: ['g'] },
        { id: 'dist', kind: 'partner-text', owner: 'distributor', lock: 'editable', rect: { x: 0, y: 60, w: 100, h: 20 }, content: 'Via {distributor}', style: { font: 'f', size: 10, color: 'c' } },
        { id: 'logo', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: { x: 0, y: 90, w: 100, h: 50 } },
        { id: 'vlogo', kind: 'vendor-logo', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 150, w: 100, h: 50 } },
        { id: 'claim', kind: 'form-field', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 210, w: 100, h: 20 }, fieldName: 'claim', input: 'text', label: 'Claim', value: '{note}', style: { font: 'f', size: 10, color: 'c' } },
        { id: 'claim-dist', kind: 'form-field', owner: 'distributor', lock: 'locked', rect: { x: 0, y: 240, w: 100, h: 20 }, fieldName: 'ok', input: 'checkbox', label: 'OK', style: { font: 'f', size: 10, color: 'c' } },
        { id: 'row', kind: 'lockup', owner: 'vendor', lock: 'locked', rect: { x: 0, y: 270, w: 300, h: 60 }, order: ['vendor', 'distributor', 'partner'], separator: 'rule', separatorColor: 'c' },
      ],
    },
  ],
});
const doc = loadDocument({ format: 'lockup.document', formatVersion: 1, templateId: 't', templateVersion: 1 });

describe('document commands enforce locks', () => {
  it('derives lock state per zone and actor', () => {
    const zones = template.pages[0]!.zones;
    expect(zoneLock(zones[0]!, 'partner', 'Nimbus')).toEqual({ editable: false, movable: false, lockedBy: 'Nimbus' });
    expect(zoneLock(zones[1]!)).toEqual({ editable: true, movable: false, lockedBy: null });
    expect(zoneLock(zones[2]!, 'partner')).toMatchObject({ editable: false, lockedBy: 'the distributor' });
    expect(zoneLock(zones[2]!, 'distributor')).toMatchObject({ editable: true });
    expect(zoneLock(zones[4]!).editable).toBe(false);
  });

  it('lets a partner set only the fields its zones show (and fields with no zone)', () => {
    expect([...editableFields(template)].sort()).toEqual(['company', 'note']);
    const r = setField(doc, template, 'company', 'Acme');
    expect(r.ok && r.document.fields).toEqual({ company: 'Acme' });
    expect(setField(doc, template, 'distributor', 'X')).toMatchObject({ ok: false, code: 'field-not-editable' });
    expect(setField(doc, template, 'nope', 'X')).toMatchObject({ ok: false, code: 'field-unknown' });
    const reset = resetField((r as { document: typeof doc }).document, template, 'company');
    expect(reset.ok && reset.document.fields).toEqual({});
  });

  it('refuses styles and logos on locked zones, allows them on the partner’s', () => {
    expect(setStyle(doc, template, 'head', { size: 30 })).toMatchObject({ ok: false, code: 'field-not-editable' });
    expect(setStyle(doc, template, 'name', { font: 'g' })).toMatchObject({ ok: true, document: { styles: { name: { font: 'g' } } } });
    expect(setLogo(doc, template, 'vlogo', 'sha256:' + '0'.repeat(64))).toMatchObject({ ok: false, code: 'field-not-editable' });
    const withLogo = setLogo(doc, template, 'logo', 'sha256:' + '1'.repeat(64));
    expect(withLogo).toMatchObject({ ok: true, document: { logos: { logo: 'sha256:' + '1'.repeat(64) } } });
    const cleared = setLogo((withLogo as { document: typeof doc }).document, template, 'logo', null);
    expect(cleared.ok && cleared.document.logos).toEqual({});
    expect(setLogo(doc, template, 'missing', null)).toMatchObject({ ok: false, code: 'zone-unknown' });
  });

  it('a form field zone is never the partner’s or the distributor’s to edit, style or move: whoever gets the PDF fills it', () => {
    const zones = template.pages[0]!.zones;
    for (const z of zones.filter((x) => x.kind === 'form-field')) {
      expect(zoneLock(z, 'partner', 'Nimbus')).toMatchObject({ editable: false, movable: false });
      expect(zoneLock(z, 'distributor')).toMatchObject({ editable: false, movable: false });
      // Even a form field that broke the model's lock rule (loaded unchecked) stays closed.
      expect(zoneLock({ ...z, lock: 'editable', owner: 'partner' } as typeof z, 'partner').editable).toBe(false);
      expect(setStyle(doc, template, z.id, { size: 30 })).toMatchObject({ ok: false, code: 'field-not-editable' });
      expect(setStyle(doc, template, z.id, { size: 30 }, 'distributor')).toMatchObject({ ok: false, code: 'field-not-editable' });
      expect(setLogo(doc, template, z.id, null)).toMatchObject({ ok: false, code: 'field-not-editable' });
      expect(moveZone(doc, template, z.id)).toMatchObject({ ok: false, code: 'field-not-editable' });
    }
    expect(zoneLock(zones.find((z) => z.id === 'claim-dist')!, 'partner').lockedBy).toBe('the distributor');
    // The template field a form field is prefilled from stays the partner's to fill.
    expect(editableFields(template).has('note')).toBe(true);
  });

  it('a lockup is never the partner’s or the distributor’s to edit, style, replace a logo in or move, though it shows their logos', () => {
    const row = template.pages[0]!.zones.find((z) => z.kind === 'lockup')!;
    for (const actor of ['partner', 'distributor'] as const) {
      expect(zoneLock(row, actor, 'Nimbus')).toEqual({ editable: false, movable: false, lockedBy: 'Nimbus' });
      // Even one that broke the model's rule (loaded unchecked) stays closed.
      expect(zoneLock({ ...row, lock: 'editable', owner: actor } as typeof row, actor).editable).toBe(false);
      expect(setStyle(doc, template, 'row', { size: 30 }, actor)).toMatchObject({ ok: false, code: 'field-not-editable' });
      expect(setLogo(doc, template, 'row', null, actor)).toMatchObject({ ok: false, code: 'field-not-editable' });
    }
    expect(moveZone(doc, template, 'row')).toMatchObject({ ok: false, code: 'field-not-editable' });
  });

  it('never moves a zone, and never mutates the input document', () => {
    for (const id of ['head', 'name', 'logo']) expect(moveZone(doc, template, id)).toMatchObject({ ok: false, code: 'field-not-editable' });
    const frozen = JSON.stringify(doc);
    setField(doc, template, 'company', 'Acme');
    setStyle(doc, template, 'name', { size: 12 });
    expect(JSON.stringify(doc)).toBe(frozen);
  });
});

describe('History', () => {
  it('undoes and redoes, and a new edit clears the redo stack', () => {
    const h = new History('a');
    h.push('b');
    h.push('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.undo()).toBeUndefined();
    expect(h.redo()).toBe('b');
    h.push('d');
    expect(h.canRedo).toBe(false);
    expect(h.present).toBe('d');
  });

  it('keeps at most its limit of past states', () => {
    const h = new History(0, 3);
    for (let i = 1; i <= 10; i++) h.push(i);
    let n = 0;
    while (h.undo() !== undefined) n++;
    expect(n).toBe(3);
  });
});
