import { describe, expect, it } from 'vitest';
import { loadBrand, loadTemplate, Template, type FormFieldZone, type Zone } from '../model/index.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { addZone, changeZoneKind, duplicateZone, locateZone, removeField, updateField, updateZone, type DesignResult } from './commands.ts';
import { brandIssues } from './validate.ts';
import { allowedLocks, allowedOwners, createZone, formFieldNameIssue, uniqueFormFieldName, withFormInput, withFormOptions, ZONE_KIND_LABELS, ZONE_KINDS, zoneIdBase, type DesignKit } from './zones.ts';

/** The designer's side of form-field zones: defaults, the model's rules kept by commands, and the inspector's helpers. */

const brand = brandInput();
const KIT: DesignKit = { fonts: brand.fonts.map((f) => ({ id: f.id, weight: f.weight ?? 400, style: f.style ?? 'normal' })), palette: brand.palette };

function ok(r: DesignResult): { template: Template; zoneId?: string } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

function field(t: Template, id: string): FormFieldZone {
  const z = locateZone(t, id)!.zone;
  if (z.kind !== 'form-field') throw new Error(`${id} is a ${z.kind}`);
  return z;
}

function base(): Template {
  return loadTemplate(templateInput([{ id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 20, 300, 40), text: 'Claim', style: textStyle() }], { page: { size: { width: 600, height: 400 }, bleed: 9 } }));
}

/** The messages the model itself gives for a template, by JSON path suffix. */
function modelMessages(raw: unknown): string[] {
  const r = Template.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

function withField(t: Template, id: string, update: (z: FormFieldZone) => FormFieldZone): Template {
  return {
    ...t,
    pages: t.pages.map((p) => ({ ...p, zones: p.zones.map((z) => (z.id === id && z.kind === 'form-field' ? update(z) : z)) })),
  };
}

describe('form field zones in the designer', () => {
  it('is offered last in the toolbar as "Form field", with ids "field…", vendor or distributor owned and always locked', () => {
    expect(ZONE_KINDS.at(-1)).toBe('form-field');
    expect(ZONE_KIND_LABELS['form-field']).toBe('Form field');
    expect(zoneIdBase('form-field')).toBe('field');
    expect(allowedOwners('form-field')).toEqual(['vendor', 'distributor']);
    expect(allowedLocks('form-field')).toEqual(['locked']);
  });

  it('a new form field is a valid text field with the brand’s font, a dark colour, a palette border and size 10', () => {
    const r = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT));
    expect(r.zoneId).toBe('field');
    const z = field(r.template, 'field');
    expect(z).toMatchObject({ owner: 'vendor', lock: 'locked', fieldName: 'field_1', input: 'text', label: 'Form field', required: false, multiline: false, options: [], value: '', style: { font: 'lato', size: 10, color: 'ink' } });
    expect(KIT.palette.map((p) => p.id)).toContain(z.border);
    expect(z.border).not.toBe('white');
    expect(() => loadTemplate(r.template)).not.toThrow();
  });

  it('each new form field gets a field name no other uses, whatever its case', () => {
    let t = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template;
    const second = ok(addZone(t, 0, 'form-field', rect(40, 130, 200, 22), KIT));
    expect(second.zoneId).toBe('field-2');
    expect(field(second.template, 'field-2').fieldName).toBe('field_2');
    // A field renamed to what the next one would be called is skipped, case-insensitively.
    t = withField(second.template, 'field', (z) => ({ ...z, fieldName: 'FIELD_3' }));
    const third = ok(addZone(t, 0, 'form-field', rect(40, 160, 200, 22), KIT));
    expect(field(third.template, third.zoneId!).fieldName).toBe('field_4');
    expect(() => loadTemplate(third.template)).not.toThrow();
    expect(uniqueFormFieldName({ pages: [] }, '9.lives')).toBe('field_9_lives_1');
  });

  it('a duplicated form field gets a new field name, so the template stays valid', () => {
    const t = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template;
    const d = ok(duplicateZone(t, 'field'));
    expect(field(d.template, d.zoneId!).fieldName).not.toBe('field_1');
    expect(() => loadTemplate(d.template)).not.toThrow();
  });

  it('turning another zone into a form field gives it a unique name and the model’s owner and lock', () => {
    let t = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template;
    t = ok(changeZoneKind(t, 'title', 'form-field', KIT)).template;
    expect(field(t, 'title')).toMatchObject({ owner: 'vendor', lock: 'locked', rect: rect(20, 20, 300, 40) });
    expect(field(t, 'title').fieldName).not.toBe('field_1');
    expect(() => loadTemplate(t)).not.toThrow();
  });

  it('updateZone brings a form field back to a designer’s owner and to locked', () => {
    const t = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template;
    const forced = ok(updateZone(t, 'field', (z) => ({ ...z, owner: 'partner', lock: 'editable' }))).template;
    expect(field(forced, 'field')).toMatchObject({ owner: 'vendor', lock: 'locked' });
    const dist = ok(updateZone(t, 'field', (z) => ({ ...z, owner: 'distributor' }))).template;
    expect(field(dist, 'field').owner).toBe('distributor');
  });

  it('a profile key in a text field’s initial value declares that field; a rename follows it; a field in use cannot be removed', () => {
    let t = ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template;
    t = ok(updateZone(t, 'field', (z) => (z.kind === 'form-field' ? { ...z, value: 'Claim by {company}' } : z))).template;
    expect(t.fields.map((f) => f.key)).toEqual(['company']);
    expect(() => loadTemplate(t)).not.toThrow();
    const removed = removeField(t, 'company');
    expect(removed).toMatchObject({ ok: false, code: 'field-in-use' });
    expect(!removed.ok && removed.message).toContain('field');
    const renamed = ok(updateField(t, 'company', { key: 'firm' })).template;
    expect(field(renamed, 'field').value).toBe('Claim by {firm}');
    expect(() => loadTemplate(renamed)).not.toThrow();
  });
});

describe('formFieldNameIssue', () => {
  const t = withField(ok(addZone(ok(addZone(base(), 0, 'form-field', rect(40, 100, 200, 22), KIT)).template, 0, 'form-field', rect(40, 130, 200, 22), KIT)).template, 'field', (z) => ({ ...z, fieldName: 'Amount' }));

  it('accepts a good name, and the zone’s own name in another case', () => {
    expect(formFieldNameIssue(t, 'field-2', 'claim_id')).toBeUndefined();
    expect(formFieldNameIssue(t, 'field', 'AMOUNT')).toBeUndefined();
  });

  it('gives the model’s message for a malformed name', () => {
    for (const bad of ['', '1st', 'a.b', 'has space', 'x'.repeat(65)]) {
      const issue = formFieldNameIssue(t, 'field-2', bad);
      expect(issue, bad).toBeDefined();
      expect(modelMessages(withField(t, 'field-2', (z) => ({ ...z, fieldName: bad })))).toContain(issue);
    }
  });

  it('gives the model’s message for a name another field has, case-insensitively', () => {
    const issue = formFieldNameIssue(t, 'field-2', 'amount');
    expect(issue).toBe('duplicate form field name "amount"');
    expect(modelMessages(withField(t, 'field-2', (z) => ({ ...z, fieldName: 'amount' })))).toContain(issue);
  });
});

describe('input types and options', () => {
  const text = createZone('form-field', 'f', rect(0, 0, 200, 22), KIT) as FormFieldZone;
  const valid = (z: Zone) => modelMessages(templateInput([z as never]));

  it('a text field with lines and a limit becomes a clean checkbox, a choice with two options, and back', () => {
    const long: FormFieldZone = { ...text, multiline: true, maxChars: 40, value: 'x' };
    const box = withFormInput(long, 'checkbox');
    expect(box).toMatchObject({ input: 'checkbox', multiline: false, options: [], value: '' });
    expect('maxChars' in box).toBe(false);
    expect(valid(box)).toEqual([]);
    const choice = withFormInput(long, 'choice');
    expect(choice).toMatchObject({ input: 'choice', multiline: false, options: ['Option 1', 'Option 2'], value: '' });
    expect('maxChars' in choice).toBe(false);
    expect(valid(choice)).toEqual([]);
    const back = withFormInput({ ...choice, value: 'Option 2' }, 'text');
    expect(back).toMatchObject({ input: 'text', options: [], value: '' });
    expect(valid(back)).toEqual([]);
    expect(withFormInput(text, 'text')).toBe(text);
  });

  it('options keep the default only while it is one of them, and refuse what the model refuses with its message', () => {
    const choice: FormFieldZone = { ...withFormInput(text, 'choice'), options: ['Print', 'Digital'], value: 'Digital' };
    expect(withFormOptions(choice, ['Print', 'Digital', 'Event'])).toMatchObject({ options: ['Print', 'Digital', 'Event'], value: 'Digital' });
    expect(withFormOptions(choice, ['Print', 'Event'])).toMatchObject({ options: ['Print', 'Event'], value: '' });
    const none = withFormOptions(choice, []);
    const twice = withFormOptions(choice, ['Print', 'Print']);
    expect(none).toEqual({ issue: 'a choice field needs at least one option' });
    expect(twice).toEqual({ issue: 'options must be different' });
    expect(valid({ ...choice, options: [] })).toContain((none as { issue: string }).issue);
    expect(valid({ ...choice, options: ['Print', 'Print'] })).toContain((twice as { issue: string }).issue);
    expect(withFormOptions(choice, ['x'.repeat(121)])).toHaveProperty('issue');
  });
});

describe('brand checks of form fields', () => {
  it('name an unknown font and unknown text, border and background colours by JSON path', () => {
    const z = { ...(createZone('form-field', 'f', rect(0, 0, 200, 22), KIT) as FormFieldZone), style: { font: 'comic', size: 10, color: 'purple' }, border: 'teal', background: 'mauve' };
    const t = loadTemplate(templateInput([z]));
    expect(brandIssues(t, loadBrand(brand), () => true).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages[0].zones[0].style.font: the brand has no font "comic"',
      'pages[0].zones[0].style.color: "purple" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[0].border: "teal" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[0].background: "mauve" is neither a acme palette colour nor "#RRGGBB"',
    ]);
  });
});
