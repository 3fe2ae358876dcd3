import { describe, expect, it } from 'vitest';
import { loadTemplate, type Template, type Zone } from '../model/index.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import {
  addField,
  addPage,
  addZone,
  changeZoneKind,
  clampRect,
  deleteZone,
  duplicateZone,
  locateZone,
  nudgeZone,
  removeField,
  removePage,
  reorderZone,
  setZoneRect,
  updateField,
  updateTemplate,
  updateZone,
  type DesignResult,
} from './commands.ts';
import { createZone, ZONE_KINDS, type DesignKit } from './zones.ts';
import { blankTemplate } from './new-template.ts';

const brand = brandInput();
const KIT: DesignKit = { fonts: brand.fonts.map((f) => ({ id: f.id, weight: f.weight ?? 400, style: f.style ?? 'normal' })), palette: brand.palette };

function ok(r: DesignResult): { template: Template; zoneId?: string } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

/** A 600 × 400 pt template with a 9 pt bleed and two zones. */
function base(): Template {
  return loadTemplate(
    templateInput(
      [
        { id: 'bg', kind: 'color-block', owner: 'vendor', lock: 'locked', rect: rect(0, 0, 600, 100), fill: 'navy' },
        { id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 20, 300, 40), text: 'Hello', style: textStyle() },
      ],
      { page: { size: { width: 600, height: 400 }, bleed: 9 } },
    ),
  );
}

describe('clampRect', () => {
  const bounds = { width: 600, height: 400, bleed: 9 };
  it('a moved rectangle keeps its size and comes back inside the bleed', () => {
    expect(clampRect(rect(-50, 380, 100, 40), bounds, 'move')).toEqual(rect(-9, 369, 100, 40));
  });
  it('a resized rectangle is cut at the bleed', () => {
    expect(clampRect(rect(-50, 380, 100, 40), bounds, 'resize')).toEqual(rect(-9, 380, 59, 29));
  });
  it('never gives a zero size and rounds to 1/100 pt', () => {
    expect(clampRect(rect(700, 10, 5, 5), bounds, 'resize').w).toBeGreaterThanOrEqual(1);
    expect(clampRect(rect(10.123456, 10.987654, 50.001, 20), bounds, 'move')).toEqual(rect(10.12, 10.99, 50, 20));
  });
  it('a rectangle bigger than the page and bleed shrinks to it', () => {
    expect(clampRect(rect(0, 0, 5000, 5000), bounds, 'move')).toEqual(rect(-9, -9, 618, 418));
  });
});

describe('zone commands', () => {
  it('every kind is created valid for the model (given what it needs), on top, with a unique id', () => {
    let t = base();
    for (const kind of ZONE_KINDS) {
      const r = ok(addZone(t, 0, kind, rect(50, 150, 120, 40), KIT, kind === 'image' ? { asset: 'sha256:' + 'a'.repeat(64) } : {}));
      t = r.template;
      expect(t.pages[0]!.zones.at(-1)!.id).toBe(r.zoneId);
      expect(t.pages[0]!.zones.at(-1)!.kind).toBe(kind);
    }
    expect(() => loadTemplate(t)).not.toThrow();
    const ids = t.pages[0]!.zones.map((z) => z.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the first partner text shows the company name (and declares it); the next gets a field of its own', () => {
    const a = ok(addZone(base(), 0, 'partner-text', rect(20, 200, 200, 20), KIT));
    const z1 = locateZone(a.template, a.zoneId!)!.zone as Extract<Zone, { kind: 'partner-text' }>;
    expect(z1.content).toBe('{company}');
    expect(a.template.fields.find((f) => f.key === 'company')).toMatchObject({ label: 'Company name', required: true, maxChars: 60 });
    const b = ok(addZone(a.template, 0, 'partner-text', rect(20, 240, 200, 20), KIT));
    const z2 = locateZone(b.template, b.zoneId!)!.zone as Extract<Zone, { kind: 'partner-text' }>;
    expect(z2.content).toBe('{text}');
    expect(b.template.fields.map((f) => f.key)).toEqual(['company', 'text']);
    expect(() => loadTemplate(b.template)).not.toThrow();
  });

  it('new zones use the brand’s regular font and darkest colour', () => {
    const z = createZone('static-text', 't', rect(0, 0, 100, 20), KIT) as Extract<Zone, { kind: 'static-text' }>;
    expect(z.style.font).toBe('lato');
    expect(z.style.color).toBe('ink');
    const block = createZone('color-block', 'b', rect(0, 0, 100, 20), KIT) as Extract<Zone, { kind: 'color-block' }>;
    expect(block.fill).toBe('pale');
  });

  it('moving keeps the zone on the page; the input template is not changed', () => {
    const t = base();
    const before = JSON.stringify(t);
    const moved = ok(setZoneRect(t, 'title', rect(500, 390, 300, 40), 'move')).template;
    expect(locateZone(moved, 'title')!.zone.rect).toEqual(rect(309, 369, 300, 40));
    expect(JSON.stringify(t)).toBe(before);
  });

  it('nudges by points and refuses unknown zones', () => {
    expect(locateZone(ok(nudgeZone(base(), 'title', 1, -10)).template, 'title')!.zone.rect).toEqual(rect(21, 10, 300, 40));
    expect(nudgeZone(base(), 'nope', 1, 1)).toMatchObject({ ok: false, code: 'zone-unknown' });
  });

  it('deletes, duplicates (new id, offset, just above) and reorders', () => {
    expect(ok(deleteZone(base(), 'bg')).template.pages[0]!.zones.map((z) => z.id)).toEqual(['title']);
    const d = ok(duplicateZone(base(), 'bg'));
    expect(d.zoneId).toBe('bg-2');
    expect(d.template.pages[0]!.zones.map((z) => z.id)).toEqual(['bg', 'bg-2', 'title']);
    expect(locateZone(d.template, 'bg-2')!.zone.rect).toEqual(rect(9, 12, 600, 100));
    const t = d.template;
    expect(ok(reorderZone(t, 'bg', 'front')).template.pages[0]!.zones.map((z) => z.id)).toEqual(['bg-2', 'title', 'bg']);
    expect(ok(reorderZone(t, 'title', 'back')).template.pages[0]!.zones.map((z) => z.id)).toEqual(['title', 'bg', 'bg-2']);
    expect(ok(reorderZone(t, 'bg', 'forward')).template.pages[0]!.zones.map((z) => z.id)).toEqual(['bg-2', 'bg', 'title']);
    expect(ok(reorderZone(t, 'bg', 'backward')).template.pages[0]!.zones.map((z) => z.id)).toEqual(['bg', 'bg-2', 'title']);
  });

  it('updateZone keeps the model’s owner and lock rules and refuses a changed id or kind', () => {
    const t = ok(addZone(base(), 0, 'partner-logo', rect(400, 300, 150, 60), KIT));
    const id = t.zoneId!;
    const forced = ok(updateZone(t.template, id, (z) => ({ ...z, owner: 'vendor', lock: 'locked' }))).template;
    expect(locateZone(forced, id)!.zone).toMatchObject({ owner: 'partner', lock: 'editable' });
    const dist = ok(updateZone(t.template, id, (z) => ({ ...z, owner: 'distributor' }))).template;
    expect(locateZone(dist, id)!.zone.owner).toBe('distributor');
    expect(updateZone(t.template, id, (z) => ({ ...z, id: 'other' }))).toMatchObject({ ok: false });
    const vl = ok(addZone(base(), 0, 'vendor-logo', rect(10, 10, 100, 40), KIT));
    expect(locateZone(ok(updateZone(vl.template, vl.zoneId!, (z) => ({ ...z, owner: 'partner' }))).template, vl.zoneId!)!.zone.owner).toBe('vendor');
  });

  it('a partner text naming a profile key declares that field', () => {
    const t = ok(addZone(base(), 0, 'partner-text', rect(20, 200, 200, 20), KIT));
    const next = ok(updateZone(t.template, t.zoneId!, (z) => (z.kind === 'partner-text' ? { ...z, content: 'Call {phone}' } : z))).template;
    expect(next.fields.map((f) => f.key)).toEqual(['company', 'phone']);
  });

  it('changing the kind keeps id, name, rectangle, visibility and access', () => {
    const t = ok(updateZone(base(), 'title', (z) => ({ ...z, name: 'Title', visibleWhen: { present: 'distributor' }, access: { minTier: 'gold' } }))).template;
    const c = ok(changeZoneKind(t, 'title', 'partner-logo', KIT)).template;
    expect(locateZone(c, 'title')!.zone).toMatchObject({ kind: 'partner-logo', name: 'Title', rect: rect(20, 20, 300, 40), owner: 'partner', lock: 'editable', visibleWhen: { present: 'distributor' }, access: { minTier: 'gold' } });
  });
});

describe('field commands', () => {
  it('renaming a field carries the new key into placeholders and conditions', () => {
    let t = ok(addZone(base(), 0, 'partner-text', rect(20, 200, 200, 20), KIT)).template;
    t = ok(addZone(t, 0, 'partner-text', rect(20, 240, 200, 20), KIT)).template;
    t = ok(updateZone(t, 'title', (z) => ({ ...z, visibleWhen: { present: 'field:text' } }))).template;
    const r = ok(updateField(t, 'text', { key: 'headline', label: 'Headline', maxChars: 40 })).template;
    expect(r.fields.find((f) => f.key === 'headline')).toMatchObject({ label: 'Headline', maxChars: 40 });
    expect((locateZone(r, 'partner-text-2')!.zone as Extract<Zone, { kind: 'partner-text' }>).content).toBe('{headline}');
    expect(locateZone(r, 'title')!.zone.visibleWhen).toEqual({ present: 'field:headline' });
    expect(() => loadTemplate(r)).not.toThrow();
  });

  it('refuses a key that is taken, and clears optional values given as undefined', () => {
    let t = addField(base(), { key: 'a' }).template;
    t = addField(t, { key: 'b', maxChars: 10 }).template;
    expect(updateField(t, 'a', { key: 'b' })).toMatchObject({ ok: false, code: 'field-key-taken' });
    const cleared = ok(updateField(t, 'b', { maxChars: undefined })).template;
    expect('maxChars' in cleared.fields[1]!).toBe(false);
  });

  it('removes a field no zone uses; refuses one in use, naming the zone', () => {
    const t = ok(addZone(addField(base(), { key: 'spare' }).template, 0, 'partner-text', rect(20, 200, 200, 20), KIT)).template;
    expect(ok(removeField(t, 'spare')).template.fields.map((f) => f.key)).toEqual(['company']);
    const r = removeField(t, 'company');
    expect(r).toMatchObject({ ok: false, code: 'field-in-use' });
    expect(!r.ok && r.message).toContain('partner-text');
  });
});

describe('template and page commands', () => {
  it('a smaller page brings every zone back onto it', () => {
    const t = updateTemplate(base(), { page: { size: { width: 300, height: 200 }, bleed: 0 } });
    expect(locateZone(t, 'bg')!.zone.rect).toEqual(rect(0, 0, 300, 100));
    expect(locateZone(t, 'title')!.zone.rect).toEqual(rect(0, 20, 300, 40));
  });

  it('adds and removes pages; the last page stays', () => {
    const blank = blankTemplate({ id: 'x', name: 'X', brand: 'acme', size: 'a4' });
    const two = addPage(blank).template;
    expect(two.pages).toHaveLength(2);
    expect(ok(removePage(two, 1)).template.pages).toHaveLength(1);
    expect(removePage(blank, 0)).toMatchObject({ ok: false });
  });

  it('clearing the template access removes it', () => {
    const t = updateTemplate(updateTemplate(base(), { access: { minTier: 'gold' } }), { access: undefined });
    expect('access' in t).toBe(false);
  });
});
