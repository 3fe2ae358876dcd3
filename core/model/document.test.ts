import { describe, expect, it } from 'vitest';
import { documentInput, profileInput } from '../../test/core-support/model.ts';
import { loadDocument, loadProfile } from './index.ts';
import { profileLogos, profileValue } from './document.ts';
import { thrown as refusal } from '../../test/support/errors.ts';

describe('PartnerProfile', () => {
  it('fills contact and certifications defaults', () => {
    const p = loadProfile({ id: 'p1', company: 'Partner Co' });
    expect(p.contact).toEqual({});
    expect(p.certifications).toEqual([]);
    expect(p.logo).toBeUndefined();
  });

  it('accepts a logo path or light/dark variants', () => {
    expect(loadProfile(profileInput({ logo: 'logo.png' })).logo).toBe('logo.png');
    expect(loadProfile(profileInput({ logo: { dark: 'white.png' } })).logo).toEqual({ dark: 'white.png' });
  });

  it('refuses with profile-invalid and the JSON path', () => {
    const empty = refusal(() => loadProfile({ id: 'p1', company: '' }));
    expect(empty.code).toBe('profile-invalid');
    expect(empty.message).toBe('Partner profile is invalid at company: is empty');
    expect(refusal(() => loadProfile({ id: 'P 1', company: 'x' })).message).toContain('at id:');
    expect(refusal(() => loadProfile({ id: 'p', company: 'x', contact: { fax: '1' } })).message).toContain('contact');
    expect(refusal(() => loadProfile({ id: 'p', company: 'x', logo: { light: 'a', mono: 'b' } })).message).toContain('logo');
    expect(refusal(() => loadProfile({ id: 'p', company: 'x', certifications: ['Bad Cert'] })).message).toContain('certifications[0]');
  });

  it('refuses non-objects before the schema', () => {
    for (const v of [null, [], 'x', 3]) {
      const e = refusal(() => loadProfile(v));
      expect(e.code).toBe('profile-invalid');
      expect(e.message).toBe('Partner profile must be a JSON object');
    }
  });
});

describe('profileLogos', () => {
  it('normalises the logo forms', () => {
    expect(profileLogos({ logo: undefined })).toEqual({});
    expect(profileLogos({ logo: 'a.png' })).toEqual({ light: 'a.png', dark: 'a.png' });
    expect(profileLogos({ logo: { light: 'l.png', dark: 'd.png' } })).toEqual({ light: 'l.png', dark: 'd.png' });
    // One variant stands in for the other.
    expect(profileLogos({ logo: { light: 'l.png' } })).toEqual({ light: 'l.png', dark: 'l.png' });
    expect(profileLogos({ logo: { dark: 'd.png' } })).toEqual({ light: 'd.png', dark: 'd.png' });
    expect(profileLogos({ logo: {} })).toEqual({});
  });
});

describe('profileValue', () => {
  const p = loadProfile(profileInput({ company: 'Acme Partners', distributor: 'Big Dist', contact: { phone: '+1 555', email: 'hi@acme.test', url: 'acme.test' } }));

  it('reads profile-bound keys', () => {
    expect(profileValue(p, 'company')).toBe('Acme Partners');
    expect(profileValue(p, 'phone')).toBe('+1 555');
    expect(profileValue(p, 'email')).toBe('hi@acme.test');
    expect(profileValue(p, 'url')).toBe('acme.test');
    expect(profileValue(p, 'distributor')).toBe('Big Dist');
  });

  it('is undefined for an absent contact entry and for keys the profile does not bind', () => {
    expect(profileValue(p, 'address')).toBeUndefined();
    expect(profileValue(p, 'headline')).toBeUndefined();
    expect(profileValue(p, 'tier')).toBeUndefined();
  });
});

describe('PartnerDocument', () => {
  it('fills fields, styles and logos', () => {
    const d = loadDocument(documentInput());
    expect(d).toEqual({ format: 'lockup.document', formatVersion: 1, templateId: 'flyer', templateVersion: 1, fields: {}, styles: {}, logos: {} });
  });

  it('refuses with document-invalid and the JSON path', () => {
    const e = refusal(() => loadDocument(documentInput({ styles: { headline: { size: -1 } } })));
    expect(e.code).toBe('document-invalid');
    expect(e.message).toContain('styles.headline.size');
    expect(refusal(() => loadDocument(documentInput({ fields: { a: 'x'.repeat(5001) } }))).message).toContain('fields.a');
    expect(refusal(() => loadDocument(documentInput({ templateVersion: 0 }))).message).toContain('templateVersion');
    expect(refusal(() => loadDocument(documentInput({ format: 'lockup.template' }))).message).toContain('format');
  });
});
