import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { AccessPolicy, Id, type AccessLevels } from '../../core/model/access.ts';
import { loadTemplate, placeholderKeys, type BlockAreaZone, type Template, type Zone } from '../../core/model/index.ts';
import { Price, type ProductBlock, type SheetEntry } from '../../core/model/product.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';

/**
 * What a distributor may change in a vendor's template, checked when a
 * derived pack is built and again when it is verified (docs/decisions/0020):
 *
 * - template properties the vendor set (name, description, category, brand,
 *   page) and every field are identical, except the default of a field only
 *   distributor-owned zones show;
 * - every zone the vendor's template has is present, in the same order, and
 *   canonical-JSON identical unless the distributor owns it; a
 *   distributor-owned zone keeps its id, kind, owner, lock, rectangle and
 *   visibility condition, and may only narrow its access;
 * - the distributor may add locked zones of its own (colour blocks, images,
 *   static text, form fields) after the vendor's, never over a vendor zone;
 * - the template's access may only be narrowed;
 * - in a block area the distributor owns, only the entries (and a narrower
 *   access) differ from the vendor's zone: every vendor block placed is the
 *   vendor pack's block byte for byte and offered there, every own block is
 *   the overlay's, owned by the distributor and allowed there, and a locked
 *   block keeps its published price and copy.
 */

/** A derived template's id: the distributor's namespace, so it never collides with the vendor's. */
export const derivedTemplateId = (distributorId: string, vendorTemplateId: string) => `${distributorId}.${vendorTemplateId}`;

const VENDOR_TEMPLATE_KEYS = ['format', 'formatVersion', 'name', 'description', 'category', 'brand', 'page'] as const;
const FIXED_ZONE_KEYS = ['id', 'kind', 'owner', 'lock', 'rect', 'visibleWhen'] as const;
const ADDABLE_KINDS: readonly Zone['kind'][] = ['color-block', 'image', 'static-text', 'form-field'];

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Why `derived` would let in a partner `vendor` keeps out, or undefined when it only narrows. */
export function wideningReason(derived: AccessPolicy | undefined, vendor: AccessPolicy | undefined, levels: AccessLevels): string | undefined {
  if (!vendor) return undefined;
  if (!derived) return 'it drops the access policy';
  if (vendor.minTier) {
    const need = levels.tiers.findIndex((t) => t.id === vendor.minTier);
    const have = derived.minTier ? levels.tiers.findIndex((t) => t.id === derived.minTier) : -1;
    if (have < 0 || have < need) return `its minimum tier ${derived.minTier ?? '(none)'} is below ${vendor.minTier}`;
  }
  const subset = (d: string[] | undefined, v: string[] | undefined, what: string) =>
    v && !(d && d.every((x) => v.includes(x))) ? `its ${what} ${d ? d.join(', ') : '(any)'} are not within ${v.join(', ')}` : undefined;
  // A derived policy may only keep, or drop, the vendor's alternative certifications: adding one would let more partners in.
  const alternative =
    derived.orCertified && !derived.orCertified.every((c) => vendor.orCertified?.includes(c)) ? `its alternative certifications ${derived.orCertified.join(', ')} are not within ${vendor.orCertified?.join(', ') ?? '(none)'}` : undefined;
  return subset(derived.partnerTypes, vendor.partnerTypes, 'partner types') ?? subset(derived.regions, vendor.regions, 'regions') ?? subset(derived.certifications, vendor.certifications, 'certifications') ?? alternative;
}

function overlaps(a: Zone['rect'], b: Zone['rect']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The product blocks a derivation may place, by id: the vendor pack's, and the distributor's own from the overlay. */
export interface DerivationProducts {
  vendor: ReadonlyMap<string, ProductBlock>;
  own: ReadonlyMap<string, ProductBlock>;
}

/** Blocks by id for `applyDerivation` and `checkDerivedTemplate`. */
export function derivationProducts(vendor: readonly ProductBlock[], own: readonly ProductBlock[]): DerivationProducts {
  return { vendor: new Map(vendor.map((p) => [p.id, p])), own: new Map(own.map((p) => [p.id, p])) };
}

const NO_PRODUCTS: DerivationProducts = { vendor: new Map(), own: new Map() };

function shownKeys(zone: Zone): string[] {
  if (zone.kind === 'partner-text') return placeholderKeys(zone.content);
  if (zone.kind === 'form-field') return placeholderKeys(zone.value);
  return [];
}

/**
 * Throws `derived-vendor-locked` naming the template and zone (and product)
 * when `derived` changes anything of `vendor` a distributor may not change.
 * `products` are the vendor pack's blocks and the overlay's own: blocks in a
 * distributor's block area must be exactly those.
 */
export function checkDerivedTemplate(vendor: Template, derived: Template, distributorId: string, levels: AccessLevels, products: DerivationProducts = NO_PRODUCTS): void {
  const locked = lockedBy(vendor, derived.id);
  if (derived.id !== derivedTemplateId(distributorId, vendor.id)) locked(`its id must be "${derivedTemplateId(distributorId, vendor.id)}"`);
  for (const key of VENDOR_TEMPLATE_KEYS) if (!same(derived[key], vendor[key])) locked(`its ${key} differs from the vendor's`);

  const vendorZones = vendor.pages.flatMap((p) => p.zones);
  const distributorShown = new Set(derived.pages.flatMap((p) => p.zones).filter((z) => z.owner === 'distributor').flatMap(shownKeys));
  for (const z of vendorZones) if (z.owner !== 'distributor') for (const k of shownKeys(z)) distributorShown.delete(k);
  if (derived.fields.length !== vendor.fields.length) locked('it adds or removes fields');
  vendor.fields.forEach((f, i) => {
    const d = derived.fields[i]!;
    const { default: vd, ...vrest } = f;
    const { default: dd, ...drest } = d;
    if (!same(drest, vrest)) locked(`the field "${f.key}" differs`);
    if (vd !== dd && !distributorShown.has(f.key)) locked(`the default of the field "${f.key}" is the vendor's (only fields that just distributor zones show may get a distributor default)`);
  });
  const widened = wideningReason(derived.access, vendor.access, levels);
  if (widened) locked(`the template's access is wider than the vendor's: ${widened}`);

  if (derived.pages.length !== vendor.pages.length) locked('it adds or removes pages');
  vendor.pages.forEach((vp, p) => {
    const dp = derived.pages[p]!;
    if (dp.name !== vp.name || dp.background !== vp.background) locked(`page ${p + 1} differs`);
    if (dp.zones.length < vp.zones.length) locked(`page ${p + 1} lacks the vendor's zone "${vp.zones[dp.zones.length]!.id}"`, vp.zones[dp.zones.length]!.id);
    vp.zones.forEach((vz, i) => {
      const dz = dp.zones[i]!;
      if (dz.id !== vz.id) locked(`page ${p + 1} has "${dz.id}" where the vendor's zone "${vz.id}" belongs (zones keep their order)`, vz.id);
      if (vz.owner !== 'distributor') {
        if (!same(dz, vz)) locked(`the ${vz.owner}'s zone "${vz.id}" differs`, vz.id);
        return;
      }
      for (const key of FIXED_ZONE_KEYS) if (!same((dz as Record<string, unknown>)[key], (vz as Record<string, unknown>)[key])) locked(`the distributor zone "${vz.id}" changes its ${key}, which the vendor placed`, vz.id);
      const w = wideningReason(dz.access, vz.access, levels);
      if (w) locked(`the access of zone "${vz.id}" is wider than the vendor's: ${w}`, vz.id);
      if (vz.kind === 'block-area') checkBlockArea(vz, dz as BlockAreaZone, distributorId, products, locked);
    });
    const vendorOwned = vp.zones.filter((z) => z.owner === 'vendor');
    for (const dz of dp.zones.slice(vp.zones.length)) {
      if (dz.owner !== 'distributor') locked(`it adds the zone "${dz.id}" owned by the ${dz.owner}; added zones belong to the distributor`, dz.id);
      if (!ADDABLE_KINDS.includes(dz.kind)) locked(`it adds a ${dz.kind} zone "${dz.id}"; a distributor adds only ${ADDABLE_KINDS.join(', ')} zones`, dz.id);
      if (dz.lock !== 'locked') locked(`the added zone "${dz.id}" must be locked`, dz.id);
      const under = vendorOwned.find((v) => overlaps(v.rect, dz.rect));
      if (under) locked(`the added zone "${dz.id}" covers the vendor's zone "${under.id}"`, dz.id);
    }
  });
}

type Locked = (what: string, zone?: string, product?: string) => never;

/** Throws `derived-vendor-locked` naming the vendor template, and the zone and product when given. */
function lockedBy(vendor: Template, derivedId: string): Locked {
  return (what, zone, product) => {
    throw new LockupError('derived-vendor-locked', `The derived template "${derivedId}" changes what the vendor locked in "${vendor.name}" (${vendor.id}@${vendor.version}): ${what}`, {
      template: vendor.id,
      ...(zone ? { zone } : {}),
      ...(product ? { product } : {}),
    });
  };
}

/** The vendor placed a block area and the distributor fills it: only its entries (and a narrower access) are the distributor's. */
function checkBlockArea(vz: BlockAreaZone, dz: BlockAreaZone, distributorId: string, products: DerivationProducts, locked: Locked): void {
  const { entries: _ve, access: _va, ...vrest } = vz;
  const { entries, access: _da, ...drest } = dz;
  for (const key of new Set([...Object.keys(vrest), ...Object.keys(drest)])) {
    if (!same((drest as Record<string, unknown>)[key], (vrest as Record<string, unknown>)[key])) locked(`the block area "${vz.id}" changes its ${key}, which the vendor set (a distributor fills only its entries)`, vz.id);
  }
  // Entries left as the vendor placed them are the vendor's content, not the distributor's.
  if (!same(entries, vz.entries)) checkBlockEntries(vz, entries, distributorId, products, locked);
}

/** Each block placed in the vendor's area `vz`: the published one, offered there (or an own one where allowed), its price and copy kept when locked. */
function checkBlockEntries(vz: BlockAreaZone, entries: readonly SheetEntry[], distributorId: string, products: DerivationProducts, locked: Locked): void {
  const vendorBlocks = products.vendor;
  const ownBlocks = products.own;
  for (const entry of entries) {
    const p = entry.product;
    const refuse = (what: string) => locked(`in the block area "${vz.id}", ${what}`, vz.id, p.id);
    if (p.owner === 'vendor') {
      const published = vendorBlocks.get(p.id);
      if (!published) refuse(`the vendor product "${p.id}" is not one the vendor's pack publishes`);
      if (!same(p, published)) refuse(`the product "${p.name}" (${p.id}) differs from the block the vendor published`);
      if (vz.offered.length > 0 && !vz.offered.includes(p.id)) refuse(`the product "${p.name}" (${p.id}) is not offered there (the vendor offers ${vz.offered.join(', ')})`);
    } else {
      if (!vz.allowOwn) refuse(`the distributor's own product "${p.name}" (${p.id}) is placed where the vendor allows only its own products`);
      if (p.publisher !== distributorId) refuse(`the product "${p.name}" (${p.id}) names the publisher "${p.publisher}", not the distributor "${distributorId}"`);
      if (vendorBlocks.has(p.id)) refuse(`the distributor's product "${p.id}" has the id of a vendor product`);
      const own = ownBlocks.get(p.id);
      if (!own) refuse(`the distributor's product "${p.id}" is not one of the products its overlay carries`);
      if (!same(p, own)) refuse(`the product "${p.name}" (${p.id}) differs from the block the overlay carries`);
    }
    if (p.locked && (entry.price !== undefined || entry.copy !== undefined)) {
      refuse(`the locked product "${p.name}" (${p.id}) is given its own ${entry.price !== undefined ? 'price' : 'copy'}; its publisher fixed its price and copy`);
    }
  }
}

/** A block placed by a derivation: the product's id and, for an unlocked block, the sheet's price and copy. */
const SpecEntry = z.object({ product: Id, price: Price.optional(), copy: z.string().max(600).optional() }).strict();
const SpecEntries = z.array(SpecEntry).max(500);

/**
 * How a distributor describes a derived template in its overlay folder
 * (`<vendor-template-id>.derive.json`): defaults for the fields its zones
 * show, properties of its own zones, zones it adds, and a narrower access.
 */
export const DerivationSpec = z
  .object({
    template: Id,
    defaults: z.record(z.string(), z.string().max(2000)).default({}),
    /**
     * Properties of the distributor's own zones. A block area takes
     * `{ "entries": [{ "product": "<id>", "price"?, "copy"? }] }`: each id is
     * the vendor pack's block, or else one of the overlay's own.
     */
    zones: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    add: z.array(z.object({ page: z.number().int().min(1).default(1), zone: z.record(z.string(), z.unknown()) }).strict()).max(200).default([]),
    access: AccessPolicy.optional(),
  })
  .strict();
export type DerivationSpec = z.infer<typeof DerivationSpec>;

/**
 * Applies a derivation to the vendor's template. `resolveAsset` turns an
 * image file named in the spec into an asset ref; `products` resolve the
 * product ids of block-area entries (vendor first, then the distributor's
 * own) into the blocks they embed. The result is validated as a template
 * and checked against the vendor's; throws with the reason.
 */
export function applyDerivation(
  vendor: Template,
  spec: DerivationSpec,
  distributorId: string,
  version: number,
  levels: AccessLevels,
  resolveAsset: (file: string, what: string) => string,
  products: DerivationProducts = NO_PRODUCTS,
): Template {
  const t = JSON.parse(JSON.stringify(vendor)) as Record<string, unknown> & { fields: Record<string, unknown>[]; pages: { zones: Record<string, unknown>[] }[] };
  t['id'] = derivedTemplateId(distributorId, vendor.id);
  t['version'] = version;
  const bad = (message: string): never => {
    throw new LockupError('template-invalid', `Deriving "${vendor.id}": ${message}`);
  };
  for (const [key, value] of Object.entries(spec.defaults)) {
    const f = t.fields.find((x) => x['key'] === key);
    if (!f) bad(`the vendor's template has no field "${key}"`);
    f!['default'] = value;
  }
  const zones = new Map(t.pages.flatMap((p) => p.zones).map((z) => [z['id'] as string, z]));
  for (const [id, patch] of Object.entries(spec.zones)) {
    const z = zones.get(id);
    if (!z) bad(`the vendor's template has no zone "${id}"`);
    if (z!['owner'] !== 'distributor') bad(`the zone "${id}" belongs to the ${String(z!['owner'])}; a distributor fills only its own zones`);
    Object.assign(z!, patch);
    if (z!['kind'] === 'image' && typeof z!['asset'] === 'string' && 'asset' in patch) z!['asset'] = resolveAsset(z!['asset'] as string, `Image of zone "${id}"`);
    if (z!['kind'] === 'block-area' && 'entries' in patch) {
      const entries = placeBlocks(vendor.id, id, patch['entries'], products);
      // Checked before the template is validated, so a distributor hears what the vendor allows here, not a schema message.
      const vz = vendor.pages.flatMap((p) => p.zones).find((x) => x.id === id);
      if (vz?.kind === 'block-area') checkBlockEntries(vz, entries, distributorId, products, lockedBy(vendor, derivedTemplateId(distributorId, vendor.id)));
      z!['entries'] = entries;
    }
  }
  for (const { page, zone } of spec.add) {
    const p = t.pages[page - 1];
    if (!p) bad(`there is no page ${page}`);
    const z: Record<string, unknown> = { owner: 'distributor', lock: 'locked', ...zone };
    if (z['kind'] === 'image' && typeof z['asset'] === 'string') z['asset'] = resolveAsset(z['asset'], `Image of zone "${String(z['id'])}"`);
    p!.zones.push(z);
  }
  if (spec.access) t['access'] = spec.access;
  const derived = loadTemplate(t);
  checkDerivedTemplate(vendor, derived, distributorId, levels, products);
  return derived;
}

/** A block area's entries as the spec names them (product ids), with each block embedded whole. */
function placeBlocks(templateId: string, zoneId: string, raw: unknown, products: DerivationProducts): SheetEntry[] {
  const parsed = SpecEntries.safeParse(raw);
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('template-invalid', `Deriving "${templateId}": the entries of zone "${zoneId}" are invalid at ${issue.path}: ${issue.message}`);
  }
  const vendorBlocks = products.vendor;
  const ownBlocks = products.own;
  return parsed.data.map((e) => {
    if (vendorBlocks.has(e.product) && ownBlocks.has(e.product)) {
      throw new LockupError('product-invalid', `Deriving "${templateId}": your product "${e.product}" has the id of a vendor product; give it another id`, { product: e.product });
    }
    const product = vendorBlocks.get(e.product) ?? ownBlocks.get(e.product);
    if (!product) {
      throw new LockupError('template-invalid', `Deriving "${templateId}": the zone "${zoneId}" places the product "${e.product}", which is neither in the vendor's pack nor one of yours`, { zone: zoneId, product: e.product });
    }
    return { product: structuredClone(product), ...(e.price !== undefined ? { price: e.price } : {}), ...(e.copy !== undefined ? { copy: e.copy } : {}) };
  });
}
