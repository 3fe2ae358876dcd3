import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../core/csv.ts';
import { LockupError } from '../core/errors.ts';
import { loadProfile, type AccessLevels } from '../core/model/index.ts';
import { readJsonFile } from '../backend/content/bundle.ts';
import { importCredential } from '../backend/packs/access.ts';
import { issueCredential, type CredentialRequest } from '../backend/packs/credential.ts';
import { importPack, type PackImportPlan } from '../backend/packs/import.ts';
import { fingerprint, generateSigningKey, PublicKeyFile, readSigningKey, writeKeyFiles, type SigningKey } from '../backend/packs/keys.ts';
import { DEFAULT_LIMITS } from '../backend/packs/archive.ts';
import { verifyPack } from '../backend/packs/pack.ts';
import { isDerivedPack } from '../backend/packs/derived.ts';
import { cmdDistributor, cmdPackDerive, derivedPlanText, derivedVerifyOutcome, DISTRIBUTOR_USAGE, issuingDistributor } from './derived.ts';
import { accessLevelsFor, contentsFromCatalogue, contentsFromFolder, publishPack } from '../backend/packs/publish.ts';
import { PackStore } from '../backend/packs/store.ts';
import { readInputFile, readTextFile, writeFileAtomic } from '../backend/util/files.ts';
import { need, parse, parseVersion, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { EXIT } from './exit-codes.ts';

export const PACK_USAGE = `  keygen --out vendor.key --publisher ID --name NAME [--force]
                                                  make an Ed25519 signing key (and vendor.pub)
  pack build --key vendor.key --out FILE.lockup (--from-catalogue [--brand ID] | DIR)
             [--pack-id ID] [--version N]         sign and write a pack
  pack verify FILE.lockup [--pubkey vendor.pub]   check a pack (or a derived pack's chain); exit 4 if refused
  pack import FILE.lockup [--trust-new-key]       verify, then import in one transaction
  credential issue --key vendor.key (--partner FILE.json --out FILE.cred | --csv FILE --out-dir DIR)
             [--expires YYYY-MM-DD | --days N]    sign partner credentials
  credential import FILE.cred                     use a credential's claims for access
  credential revoke --key vendor.key --id ID [--reason TEXT]
                                                  revoke (travels in your next pack)
  credential list                                 credentials issued here and imported here
${DISTRIBUTOR_USAGE}`;

function readKey(file: string | undefined, io: Io): SigningKey {
  const key = readSigningKey(path.resolve(need(file, 'key')));
  if (key.warning) io.stderr(`lockup: warning: ${key.warning}\n`);
  return key;
}

async function cmdKeygen(args: string[], _io: Io): Promise<Outcome> {
  const { values } = parse(args, { out: { type: 'string' }, publisher: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean', default: false } });
  const out = path.resolve(need(values.out, 'out'));
  let key: SigningKey;
  try {
    key = generateSigningKey({ id: need(values.publisher, 'publisher'), name: need(values.name, 'name') });
  } catch (err) {
    if (err instanceof LockupError) throw err;
    throw new Usage('--publisher must be lower-case letters, digits, ".", "_" or "-", and --name 1–120 characters');
  }
  const pub = writeKeyFiles(out, key, { force: values.force });
  const fp = fingerprint(key.publicKey);
  return {
    exit: EXIT.ok,
    json: { privateKey: out, publicKeyFile: pub, publisher: key.publisher, publicKey: key.publicKey, fingerprint: fp },
    text: [
      `Private key: ${out} (owner-only; keep it secret and backed up — packs can only be updated with it)`,
      `Public key:  ${pub}`,
      `  ed25519:${key.publicKey}`,
      `  fingerprint ${fp}`,
      `Publisher:   ${key.publisher.name} (${key.publisher.id})`,
    ],
  };
}

function planText(plan: PackImportPlan, verb: string): string[] {
  const list = (label: string, items: { name: string; id: string; from?: number; to?: number }[], fmt: (i: (typeof items)[number]) => string) =>
    items.length === 0 ? [] : [`  ${label}:`, ...items.map((i) => `    ${fmt(i)}`)];
  return [
    `${verb} pack "${plan.pack.id}" version ${plan.pack.version} from ${plan.publisher.name}${plan.previousVersion ? ` (you had version ${plan.previousVersion})` : ''}.`,
    `  Publisher key: ${plan.keyStatus === 'new' ? 'pinned now (first pack from this publisher)' : plan.keyStatus === 'pinned' ? 'matches the pinned key' : 'CHANGED — trusted on your instruction'} · fingerprint ${plan.publisher.fingerprint}`,
    ...(plan.status === 'same' ? [plan.derived ? '  The vendor pack inside was imported before.' : '  Nothing to do: this exact pack was imported before.'] : []),
    ...list('Added', plan.changes.added, (t) => `${t.name} (${t.id}@${t.to})`),
    ...list('Changed', plan.changes.changed, (t) => `${t.name} (${t.id}: version ${t.from} → ${t.to})`),
    ...list('Withdrawn', plan.changes.withdrawn, (t) => `${t.name} (${t.id})`),
    ...(plan.products > 0 && plan.status !== 'same' ? [`  Product blocks: ${plan.products}`] : []),
    ...(plan.playbooks > 0 && plan.status !== 'same' ? [`  Playbooks: ${plan.playbooks}`] : []),
    ...(plan.training > 0 && plan.status !== 'same' ? [`  Training modules: ${plan.training}`] : []),
    ...(plan.drafts.length > 0 ? ['  Your drafts:', ...plan.drafts.map((d) => `    ${d.templateId}: ${d.status} — ${d.note}`)] : []),
  ];
}

async function cmdPack(args: string[], io: Io): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub === 'build') {
    const { values, positionals } = parse(
      rest,
      { key: { type: 'string' }, out: { type: 'string' }, 'from-catalogue': { type: 'boolean', default: false }, brand: { type: 'string' }, 'pack-id': { type: 'string' }, version: { type: 'string' } },
      1,
    );
    const key = readKey(values.key, io);
    const out = need(values.out, 'out');
    const dir = positionals[0];
    if (values['from-catalogue'] === Boolean(dir)) throw new Usage('Give either --from-catalogue or a content folder (brand.json, *.template.json, products/*.product.json), not both');
    const version = parseVersion(values.version);
    return withCatalogue(
      values['data-dir'],
      io,
      async (catalogue) => {
        let contents;
        if (dir) {
          contents = contentsFromFolder(path.resolve(dir), catalogue, key.publisher.id);
        } else {
          const brands = catalogue.brandIds();
          const brandId = values.brand ?? (brands.length === 1 ? brands[0] : brands.includes(key.publisher.id) ? key.publisher.id : undefined);
          if (!brandId) throw new Usage(`The catalogue holds ${brands.length} brands (${brands.join(', ')}); name one with --brand`);
          contents = contentsFromCatalogue(catalogue, brandId, key.publisher.id);
        }
        const r = publishPack(catalogue, contents, key, out, { ...(values['pack-id'] ? { packId: values['pack-id'] } : {}), ...(version ? { version } : {}) });
        return {
          exit: EXIT.ok,
          json: { file: r.file, byteLength: r.byteLength, pack: r.manifest.pack, publisher: { id: key.publisher.id, name: key.publisher.name, fingerprint: fingerprint(key.publicKey) }, entries: r.manifest.entries.length, templates: r.templates, products: contents.products.map((p) => p.id), playbooks: contents.playbooks.map((p) => p.id), training: contents.training.map((m) => m.id) },
          text: [
            `Wrote ${r.file} (${(r.byteLength / 1024).toFixed(0)} KB): pack "${r.manifest.pack.id}" version ${r.manifest.pack.version}, signed by ${key.publisher.name} (${fingerprint(key.publicKey)}).`,
            ...r.templates.map((t) => `  ${t.id}@${t.version}  ${t.name}`),
            ...(contents.products.length > 0 ? [`  ${contents.products.length} product block${contents.products.length === 1 ? '' : 's'}: ${contents.products.map((p) => p.id).join(', ')}`] : []),
            ...(contents.playbooks.length > 0 ? [`  ${contents.playbooks.length} playbook${contents.playbooks.length === 1 ? '' : 's'}: ${contents.playbooks.map((p) => p.id).join(', ')}`] : []),
            ...(contents.training.length > 0 ? [`  ${contents.training.length} training module${contents.training.length === 1 ? '' : 's'} (answers protected): ${contents.training.map((m) => m.id).join(', ')}`] : []),
            `  ${contents.revocations.length} revoked credential${contents.revocations.length === 1 ? '' : 's'} listed.`,
          ],
        };
      },
      { seed: !dir },
    );
  }
  if (sub === 'verify') {
    const { values, positionals } = parse(rest, { pubkey: { type: 'string' } }, 1);
    const file = positionals[0];
    if (!file) throw new Usage('lockup pack verify needs a FILE.lockup');
    const bytes = readPackFile(file);
    const expected = values.pubkey ? readPublicKeyFile(values.pubkey) : undefined;
    if (isDerivedPack(bytes)) return derivedVerifyOutcome(file, bytes, expected, values.pubkey);
    let v;
    try {
      v = verifyPack(bytes);
    } catch (err) {
      if (!(err instanceof LockupError)) throw err;
      return { exit: EXIT.badInput, json: { verdict: 'refused', file, reason: { code: err.code, message: err.message } }, text: [`REFUSED ${file}`, `  ${err.message}`] };
    }
    const keyMatches = expected ? expected.public === v.manifest.publisher.key.public : null;
    const ok = keyMatches !== false;
    const m = v.manifest;
    return {
      exit: ok ? EXIT.ok : EXIT.badInput,
      json: {
        verdict: ok ? 'valid' : 'refused',
        file,
        publisher: { id: m.publisher.id, name: m.publisher.name, fingerprint: v.fingerprint },
        pack: m.pack,
        entries: m.entries.length,
        templates: v.contents.templates.map((t) => ({ id: t.id, version: t.version, name: t.name })),
        revocations: v.contents.revocations.length,
        mdfProgram: v.contents.mdfProgram ? { id: v.contents.mdfProgram.id, version: v.contents.mdfProgram.version } : null,
        keyMatches,
        ...(ok ? {} : { reason: { code: 'pack-key-changed', message: `Signed by ${v.fingerprint}, not by the expected key ${expected!.fingerprint}` } }),
      },
      text: [
        `${ok ? 'VALID' : 'REFUSED'} ${file}`,
        `  ${m.publisher.name} (${m.publisher.id}), pack "${m.pack.id}" version ${m.pack.version}, created ${m.pack.created}`,
        `  Signed by ed25519 key ${v.fingerprint}${keyMatches === null ? '' : keyMatches ? ' — matches ' + values.pubkey : ' — does NOT match ' + values.pubkey}`,
        `  ${m.entries.length} entries checked: ${v.contents.templates.length} templates, ${v.contents.products.length} product blocks, ${v.contents.playbooks.length} playbooks, ${v.contents.training.length} training modules, ${v.contents.assets.size} assets, ${v.contents.revocations.length} revocations`,
        ...(v.contents.mdfProgram ? [`  MDF program "${v.contents.mdfProgram.name}" (${v.contents.mdfProgram.id}) version ${v.contents.mdfProgram.version}: ${v.contents.mdfProgram.activityTypes.length} activity types`] : []),
      ],
    };
  }
  if (sub === 'import') {
    const { values, positionals } = parse(rest, { 'trust-new-key': { type: 'boolean', default: false } }, 1);
    const file = positionals[0];
    if (!file) throw new Usage('lockup pack import needs a FILE.lockup');
    const bytes = readPackFile(file);
    return withCatalogue(
      values['data-dir'],
      io,
      async (catalogue) => {
        const plan = importPack(catalogue, bytes, { trustNewKey: values['trust-new-key'] });
        const text = planText(plan, plan.status === 'same' && plan.derived?.status !== 'update' && plan.derived?.status !== 'new' ? 'Already have' : 'Imported');
        return { exit: EXIT.ok, json: { plan }, text: plan.derived ? [...text, ...derivedPlanText(plan.derived)] : text };
      },
      { seed: false },
    );
  }
  if (sub === 'derive') return cmdPackDerive(rest, io, readKey);
  throw new Usage('Use "lockup pack build", "lockup pack derive", "lockup pack verify" or "lockup pack import"');
}

function readPackFile(file: string): Uint8Array {
  return readInputFile(path.resolve(file), 'Pack', DEFAULT_LIMITS.maxFileBytes);
}

function readPublicKeyFile(file: string): PublicKeyFile {
  const parsed = PublicKeyFile.safeParse(readJsonFile(path.resolve(file), 'Public key file'));
  if (!parsed.success) throw new LockupError('key-invalid', `${file} is not a Lockup public key file (made by "lockup keygen")`);
  return parsed.data;
}

function expiryFrom(values: { expires?: string | undefined; days?: string | undefined }, now: Date): string {
  if (values.expires && values.days) throw new Usage('Give --expires or --days, not both');
  if (values.expires) {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(values.expires) ? `${values.expires}T23:59:59.000Z` : values.expires);
    if (!Number.isFinite(t)) throw new Usage(`--expires takes a date such as 2027-12-31, not "${values.expires}"`);
    return new Date(t).toISOString();
  }
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Usage('--days must be a whole number from 1 to 3650');
  return new Date(now.getTime() + days * 86_400_000).toISOString();
}

/** The access levels a credential's claims must use: the publisher's brand in this catalogue, if it has one. */
function checkClaims(req: CredentialRequest, levels: AccessLevels | undefined, where: string): void {
  if (!levels) return;
  const known = (list: { id: string }[], v: string | undefined, what: string) => {
    if (v !== undefined && !list.some((e) => e.id === v)) throw new LockupError('credential-invalid', `${where}: ${what} "${v}" is not one of ${list.map((e) => e.id).join(', ') || '(none defined)'}`);
  };
  known(levels.tiers, req.tier, 'tier');
  known(levels.partnerTypes, req.type, 'partner type');
  known(levels.regions, req.region, 'region');
  for (const c of req.certifications ?? []) known(levels.certifications, c, 'certification');
}

async function cmdCredential(args: string[], io: Io): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub === 'issue') {
    const { values } = parse(rest, {
      key: { type: 'string' },
      partner: { type: 'string' },
      out: { type: 'string' },
      csv: { type: 'string' },
      'out-dir': { type: 'string' },
      expires: { type: 'string' },
      days: { type: 'string' },
      'distributor-credential': { type: 'string' },
      'vendor-pack': { type: 'string' },
    });
    const key = readKey(values.key, io);
    const now = new Date();
    const expires = expiryFrom(values, now);
    if (Boolean(values.partner) === Boolean(values.csv)) throw new Usage('Give --partner FILE.json (with --out) or --csv FILE (with --out-dir)');
    return withCatalogue(values['data-dir'], io, async (catalogue) => {
      // A distributor issues for its vendor's brand, within the vendor's scope (docs/decisions/0020).
      const dist = values['distributor-credential'] ? issuingDistributor(catalogue, values['distributor-credential'], values['vendor-pack']) : undefined;
      const issue = (req: CredentialRequest) => (dist ? issueCredential(req, key, now, dist.issuing, dist.tiers) : issueCredential(req, key, now));
      const levels = dist ? undefined : accessLevelsFor(catalogue, key.publisher.id);
      const requests: { req: CredentialRequest; where: string; out: string }[] = [];
      if (values.partner) {
        const p = loadProfile(readJsonFile(path.resolve(values.partner), 'Partner profile'));
        if (!p.tier) throw new LockupError('credential-invalid', `${values.partner}: the partner has no tier; a credential names one`);
        const req: CredentialRequest = { partner: p.id, company: p.company, tier: p.tier, type: p.type, region: p.region, distributor: p.distributor, certifications: p.certifications, expires };
        requests.push({ req, where: values.partner, out: path.resolve(need(values.out, 'out')) });
      } else {
        const outDir = path.resolve(need(values['out-dir'], 'out-dir'));
        const table = parseCsv(readTextFile(path.resolve(values.csv!), 'CSV file'));
        const col = (name: string) => table.header.findIndex((h) => h.trim().toLowerCase() === name);
        const missing = ['partner', 'company', 'tier'].filter((c) => col(c) < 0);
        if (missing.length > 0) throw new LockupError('csv-invalid', `${values.csv}: the header needs the columns ${missing.join(', ')} (optional: type, region, distributor, certifications, expires)`);
        const problems: string[] = [];
        const seen = new Set<string>();
        for (const r of table.records) {
          const cell = (name: string) => (col(name) >= 0 ? (r.cells[col(name)] ?? '').trim() : '');
          const certs = cell('certifications');
          const req: CredentialRequest = {
            partner: cell('partner'),
            company: cell('company'),
            tier: cell('tier'),
            type: cell('type') || undefined,
            region: cell('region') || undefined,
            distributor: cell('distributor') || undefined,
            certifications: certs ? certs.split(/[;|]/).map((c) => c.trim()).filter(Boolean) : [],
            expires: cell('expires') ? expiryFrom({ expires: cell('expires') }, now) : expires,
          };
          const where = `${values.csv} line ${r.line}`;
          try {
            if (seen.has(req.partner)) throw new LockupError('credential-invalid', `${where}: partner "${req.partner}" appears twice`);
            seen.add(req.partner);
            checkClaims(req, levels, where);
            issue(req);
          } catch (err) {
            if (!(err instanceof LockupError)) throw err;
            problems.push(err.message.startsWith(where) ? err.message : `${where}: ${err.message}`);
          }
          requests.push({ req, where, out: path.join(outDir, `${req.partner || `line-${r.line}`}.cred`) });
        }
        // All or nothing: a vendor re-running a fixed file must not get a mix of old and new credentials.
        if (problems.length > 0) throw new LockupError('csv-invalid', `No credentials written; fix these rows:\n  ${problems.join('\n  ')}`, { problems });
        fs.mkdirSync(outDir, { recursive: true });
      }
      if (values.partner) checkClaims(requests[0]!.req, levels, requests[0]!.where);
      const issued = requests.map(({ req, out }) => ({ out, ...issue(req) }));
      catalogue.transaction(() => {
        const store = new PackStore(catalogue);
        for (const i of issued) store.recordIssued(i.claims);
      });
      for (const i of issued) writeFileAtomic(i.out, i.text);
      return {
        exit: EXIT.ok,
        json: { credentials: issued.map((i) => ({ file: i.out, id: i.claims.id, partner: i.claims.partner, tier: i.claims.tier, expires: i.claims.expires })) },
        text: issued.map((i) => `Issued ${i.out}: ${i.claims.company} (${i.claims.partner}), ${i.claims.tier}, expires ${i.claims.expires.slice(0, 10)}, id ${i.claims.id}`),
      };
    });
  }
  if (sub === 'import') {
    const { values, positionals } = parse(rest, {}, 1);
    const file = positionals[0];
    if (!file) throw new Usage('lockup credential import needs a FILE.cred');
    const text = readTextFile(path.resolve(file), 'Credential');
    return withCatalogue(
      values['data-dir'],
      io,
      async (catalogue) => {
        const r = importCredential(catalogue, text);
        const c = r.claims;
        return {
          exit: EXIT.ok,
          json: { credential: c, publisher: r.publisherName, replaced: r.replaced },
          text: [
            `${r.replaced ? 'Replaced' : 'Imported'} your credential from ${r.publisherName}: ${c.company}, ${c.tier}${c.type ? `, ${c.type}` : ''}${c.region ? `, ${c.region}` : ''}, valid until ${c.expires.slice(0, 10)}.`,
            'Run "lockup templates" to see what it gives you access to.',
          ],
        };
      },
      { seed: false },
    );
  }
  if (sub === 'revoke') {
    const { values } = parse(rest, { key: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string', default: '' } });
    const key = readKey(values.key, io);
    const id = need(values.id, 'id');
    return withCatalogue(values['data-dir'], io, async (catalogue) => {
      const store = new PackStore(catalogue);
      if (!store.issued(key.publisher.id).some((c) => c.id === id)) throw new LockupError('credential-invalid', `No credential ${id} was issued from this catalogue as "${key.publisher.id}"`);
      store.revokeIssued(key.publisher.id, id, values.reason);
      return { exit: EXIT.ok, json: { revoked: id }, text: [`Revoked ${id}. Publish a new pack version ("lockup pack build") so partners receive the revocation.`] };
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, {});
    return withCatalogue(values['data-dir'], io, async (catalogue) => {
      const store = new PackStore(catalogue);
      const imported = store.credentials().map((c) => ({ ...c.claims, publisher: c.publisherId }));
      const mine = store.issued();
      return {
        exit: EXIT.ok,
        json: { imported, issued: mine },
        text: [
          imported.length === 0 ? 'No credential imported.' : 'Imported:',
          ...imported.map((c) => `  from ${c.publisher}: ${c.company}, ${c.tier}, expires ${c.expires.slice(0, 10)} (${c.id})`),
          mine.length === 0 ? 'None issued here.' : 'Issued here:',
          ...mine.map((c) => `  ${c.company} (${c.partnerId}), ${c.tier}, expires ${c.expiresAt.slice(0, 10)} (${c.id})`),
        ],
      };
    });
  }
  throw new Usage('Use "lockup credential issue", "import", "revoke" or "list"');
}

export const PACK_COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = {
  keygen: cmdKeygen,
  distributor: (args, io) => cmdDistributor(args, io, { readKey, expiryFrom, levelsFor: accessLevelsFor }),
  pack: cmdPack,
  credential: cmdCredential,
};
