import { describe, expect, it } from 'vitest';
import { loadBrand, loadTemplate, type LockupZone, type Template } from '../model/index.ts';
import { brandInput, rect, templateInput, textStyle } from '../../test/core-support/model.ts';
import { addZone, changeZoneKind, duplicateZone, locateZone, updateZone, type DesignResult } from './commands.ts';
import { brandIssues } from './validate.ts';
import { allowedLocks, allowedOwners, createZone, defaultRuleColor, lockupIssues, lockupRows, moveLockupParty, withLockupParty, withLockupSeparator, ZONE_KIND_LABELS, ZONE_KINDS, zoneIdBase, type DesignKit } from './zones.ts';

/** The designer's side of lockup zones: defaults, the model's rules kept by commands, and the inspector's helpers. */

const brand = brandInput();
const KIT: DesignKit = { fonts: brand.fonts.map((f) => ({ id: f.id, weight: f.weight ?? 400, style: f.style ?? 'normal' })), palette: brand.palette };

function ok(r: DesignResult): { template: Template; zoneId?: string } {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

function lockupOf(t: Template, id: string): LockupZone {
  const z = locateZone(t, id)!.zone;
  if (z.kind !== 'lockup') throw new Error(`${id} is a ${z.kind}`);
  return z;
}

function base(): Template {
  return loadTemplate(templateInput([{ id: 'title', kind: 'static-text', owner: 'vendor', lock: 'locked', rect: rect(20, 20, 300, 40), text: 'Claim', style: textStyle() }], { page: { size: { width: 600, height: 400 }, bleed: 9 } }));
}

const fresh = (): LockupZone => createZone('lockup', 'lockup', rect(20, 300, 300, 60), KIT) as LockupZone;

describe('lockup zones in the designer', () => {
  it('is offered right after the vendor logo as "Logo lockup", with ids "lockup…", vendor-owned and always locked', () => {
    expect(ZONE_KINDS.indexOf('lockup')).toBe(ZONE_KINDS.indexOf('vendor-logo') + 1);
    expect(ZONE_KIND_LABELS.lockup).toBe('Logo lockup');
    expect(zoneIdBase('lockup')).toBe('lockup');
    expect(allowedOwners('lockup')).toEqual(['vendor']);
    expect(allowedLocks('lockup')).toEqual(['locked']);
  });

  it('a new lockup is valid: vendor, distributor, partner, equal sizes, a mid-grey rule, half a logo height of gap, left, partner logo required', () => {
    const r = ok(addZone(base(), 0, 'lockup', rect(40, 300, 300, 60), KIT));
    expect(r.zoneId).toBe('lockup');
    const z = lockupOf(r.template, 'lockup');
    expect(z).toMatchObject({ name: 'Logo lockup', owner: 'vendor', lock: 'locked', order: ['vendor', 'distributor', 'partner'], vendorLogo: 'auto', relativeSize: 1, separator: 'rule', separatorColor: 'pale', gap: 0.5, align: 'left', partnerRequired: true });
    expect(z.clearSpace).toBeUndefined();
    expect(() => loadTemplate(r.template)).not.toThrow();
    expect(brandIssues(r.template, loadBrand(brand), () => true)).toEqual([]);
    expect(ok(addZone(r.template, 0, 'lockup', rect(40, 200, 300, 60), KIT)).zoneId).toBe('lockup-2');
  });

  it('the rule colour is the most neutral middle tone of the palette, never near-black or near-white', () => {
    expect(defaultRuleColor(KIT)).toBe('pale');
    const hexes = { 'nimbus-blue': '#0B5FFF', midnight: '#0B1F44', cloud: '#D5DEEB', slate: '#4A5568', amber: '#FFB547', white: '#FFFFFF' };
    const nimbus = { fonts: [], palette: Object.entries(hexes).map(([id, hex]) => ({ id, hex })) };
    expect(defaultRuleColor(nimbus)).toBe('slate');
    // Only black and white: the border colour's choice, still a palette colour.
    expect(defaultRuleColor({ fonts: [], palette: [{ id: 'black', hex: '#000000' }, { id: 'white', hex: '#FFFFFF' }] })).toBe('black');
  });

  it('commands keep a lockup the vendor’s and locked, whatever an update asks', () => {
    const t = ok(addZone(base(), 0, 'lockup', rect(40, 300, 300, 60), KIT)).template;
    const forced = ok(updateZone(t, 'lockup', (z) => ({ ...z, owner: 'partner', lock: 'editable' }))).template;
    expect(lockupOf(forced, 'lockup')).toMatchObject({ owner: 'vendor', lock: 'locked' });
    expect(() => loadTemplate(forced)).not.toThrow();
  });

  it('turning a partner slot into a lockup makes it vendor content; a duplicate is a valid copy', () => {
    let t = loadTemplate(templateInput([{ id: 'slot', kind: 'partner-logo', owner: 'partner', lock: 'editable', rect: rect(20, 300, 300, 60), name: 'Logos' }]));
    t = ok(changeZoneKind(t, 'slot', 'lockup', KIT)).template;
    expect(lockupOf(t, 'slot')).toMatchObject({ owner: 'vendor', lock: 'locked', name: 'Logos', rect: rect(20, 300, 300, 60) });
    const d = ok(duplicateZone(t, 'slot'));
    expect(lockupOf(d.template, d.zoneId!).order).toEqual(['vendor', 'distributor', 'partner']);
    expect(() => loadTemplate(d.template)).not.toThrow();
  });
});

describe('the inspector’s lockup helpers', () => {
  it('lists the order, then the party left out', () => {
    expect(lockupRows(fresh())).toEqual([
      { party: 'vendor', included: true },
      { party: 'distributor', included: true },
      { party: 'partner', included: true },
    ]);
    expect(lockupRows({ order: ['partner', 'vendor'] })).toEqual([
      { party: 'partner', included: true },
      { party: 'vendor', included: true },
      { party: 'distributor', included: false },
    ]);
  });

  it('moves a party up and down within the row; past the ends nothing changes', () => {
    const z = fresh();
    expect(moveLockupParty(z, 'partner', -1).order).toEqual(['vendor', 'partner', 'distributor']);
    expect(moveLockupParty(moveLockupParty(z, 'partner', -1), 'partner', -1).order).toEqual(['partner', 'vendor', 'distributor']);
    expect(moveLockupParty(z, 'vendor', -1)).toBe(z);
    expect(moveLockupParty(z, 'partner', 1)).toBe(z);
    const two = { ...z, order: ['vendor', 'partner'] } as LockupZone;
    expect(moveLockupParty(two, 'distributor', 1)).toBe(two);
  });

  it('leaves a party out or brings it back at the end; the vendor and a second logo stay, with the model’s message', () => {
    const z = fresh();
    const noDist = withLockupParty(z, 'distributor', false) as LockupZone;
    expect(noDist.order).toEqual(['vendor', 'partner']);
    expect((withLockupParty(noDist, 'distributor', true) as LockupZone).order).toEqual(['vendor', 'partner', 'distributor']);
    expect(withLockupParty(z, 'partner', true)).toBe(z);
    const noVendor = withLockupParty(z, 'vendor', false);
    expect(noVendor).toEqual({ issue: 'a lockup shows the vendor logo' });
    const alone = withLockupParty(noDist, 'partner', false);
    expect(alone).toHaveProperty('issue');
    // The messages are the model's own: what publishing would say about that order.
    expect(lockupIssues({ ...z, order: ['distributor', 'partner'] }).get('order')).toBe((noVendor as { issue: string }).issue);
    expect(lockupIssues({ ...z, order: ['vendor'] }).get('order')).toBe((alone as { issue: string }).issue);
    expect(lockupIssues(z).size).toBe(0);
  });

  it('a rule always has a colour; turning it off drops the colour, turning it on again takes the kit’s grey', () => {
    const z = { ...fresh(), separatorColor: 'navy' };
    const off = withLockupSeparator(z, 'none', KIT);
    expect(off.separator).toBe('none');
    expect('separatorColor' in off).toBe(false);
    expect(lockupIssues(off).size).toBe(0);
    expect(withLockupSeparator(off, 'rule', KIT)).toMatchObject({ separator: 'rule', separatorColor: 'pale' });
    expect(withLockupSeparator(z, 'rule', KIT).separatorColor).toBe('navy');
    // What the model says of a rule with no colour, which the helper never produces.
    expect(lockupIssues({ ...off, separator: 'rule' }).get('separatorColor')).toBe('a rule separator needs a colour');
  });
});

describe('brand checks of lockups', () => {
  it('name an unknown separator colour, background and vendor logo by JSON path', () => {
    const z = { ...fresh(), separatorColor: 'teal', background: 'mauve', vendorLogo: 'old-logo' };
    const t = loadTemplate(templateInput([z]));
    expect(brandIssues(t, loadBrand(brand), () => true).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pages[0].zones[0].separatorColor: "teal" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[0].background: "mauve" is neither a acme palette colour nor "#RRGGBB"',
      'pages[0].zones[0].vendorLogo: the brand has no logo "old-logo"',
    ]);
    const good = loadTemplate(templateInput([{ ...fresh(), separatorColor: '#777777', background: 'white', vendorLogo: 'on-dark' }]));
    expect(brandIssues(good, loadBrand(brand), () => true)).toEqual([]);
  });
});
