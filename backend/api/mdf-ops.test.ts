import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MdfDraftInput, PartnerRequestView, ProgramView, QueueItem, StagedAttachment } from '../../core/contracts/mdf-api.ts';
import { callFails, callOk } from '../../test/support/api.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { dumpDatabase } from '../../test/support/db.ts';
import { listFilesDeep } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { installKey } from '../learning/completion.ts';
import { signDecision, signRequest, type MdfDecision } from '../mdf/files.ts';
import { FORM_ENTRY, readPacket, writePacket } from '../mdf/packet.ts';
import { readArchive, writeArchive } from '../packs/archive.ts';
import { sha256Hex } from '../util/hash.ts';
import { ApiService } from './service.ts';

/**
 * MDF requests through ApiService.dispatch (issue #8, docs/decisions/0026),
 * with two real catalogue files seeded with the demo (brand "nimbus" and its
 * MDF program, authored here): the partner's (Harbor IT, Silver) and the
 * reviewer's (a distributor's install). Packets and decision files travel
 * between them as bytes, as a person would carry them.
 */

const T0 = new Date('2026-11-25T12:00:00.000Z');

interface Side {
  catalogue: Catalogue;
  dir: string;
  service: ApiService;
  exportDir: string;
}

function side(): Side {
  const { catalogue, dir } = seededCatalogue();
  const exportDir = path.join(dir, 'exports');
  return { catalogue, dir, exportDir, service: new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir, clock: () => T0 }) };
}

let partner: Side;
let reviewer: Side;
const ok = <T = unknown>(s: Side, op: string, input: unknown = {}) => callOk<T>(s.service, op, input);
/** A refused call: its error, after checking neither the catalogue nor the data folder changed at all. */
const refused = async (s: Side, op: string, input: unknown) => {
  const before = dumpDatabase(s.catalogue.db);
  const files = listFilesDeep(s.dir).filter((f) => !f.startsWith('catalogue.sqlite'));
  const err = await callFails(s.service, op, input);
  expect(dumpDatabase(s.catalogue.db), `${op} changed the catalogue: ${err.code} ${err.message}`).toEqual(before);
  expect(listFilesDeep(s.dir).filter((f) => !f.startsWith('catalogue.sqlite')), `${op} wrote a file`).toEqual(files);
  return err;
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const readBytes = (file: string) => new Uint8Array(fs.readFileSync(file));

async function tinyPdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText(text, { x: 20, y: 100, size: 12 });
  return doc.save();
}

let collateral: StagedAttachment;

/** A clean request: Silver, $3,000 of a $6,000 event starting 56 days after T0, with collateral. Needs review (above the $1,000 auto-approve limit). */
const draft = (over: Partial<MdfDraftInput> = {}): MdfDraftInput => ({
  program: 'nimbus-mdf',
  activityType: 'events',
  title: 'Ransomware readiness breakfast',
  startDate: '2027-01-20',
  endDate: '2027-01-20',
  budgetRequested: 300_000,
  totalCost: 600_000,
  expectedLeads: 40,
  expectedPipeline: 12_000_000,
  audience: 'IT leads of 20–500 employee firms in Seattle',
  description: 'A breakfast seminar with a live restore demo.\nCo-branded invitations from Lockup.',
  attachments: [collateral],
  ...over,
});

beforeAll(async () => {
  partner = side();
  reviewer = side();
  await ok(partner, 'profile:save', { company: 'Harbor IT', contact: { phone: '(206) 555-0142', email: 'hello@harbor-it.example' }, tier: 'silver', certifications: [] });
});
afterAll(() => {
  partner.catalogue.close();
  reviewer.catalogue.close();
});

describe('the partner’s form', () => {
  it('mdf:programs: the demo program with the partner’s tier and its quarter limit', async () => {
    const views = await ok<ProgramView[]>(partner, 'mdf:programs');
    expect(views.map((v) => [v.program.id, v.brandName, v.partnerTier, v.quarterLimit, v.program.currency])).toEqual([['nimbus-mdf', 'Nimbus Systems', 'silver', 500_000, 'USD']]);
    expect(views[0]!.tiers.map((t) => t.id)).toEqual(['registered', 'silver', 'gold']);
  });

  it('mdf:exports lists the partner’s PDF exports still on disk as exported; mdf:attach takes one by path, checked against the ledger', async () => {
    const file = path.join(partner.exportDir, 'event-invitation-harbor-it.pdf');
    fs.mkdirSync(partner.exportDir, { recursive: true });
    const bytes = await tinyPdf('Event invitation');
    fs.writeFileSync(file, bytes);
    const changed = path.join(partner.exportDir, 'changed.pdf');
    fs.writeFileSync(changed, bytes);
    const entry = { tool: 'app' as const, templateId: 'event-invitation', templateVersion: 1, partnerId: 'harbor-it', company: 'Harbor IT', outputProfile: 'screen' as const, byteLength: bytes.byteLength, inputsSha256: 'c'.repeat(64), warnings: 0 };
    partner.catalogue.recordExports([
      { ...entry, outputPath: file, outputSha256: sha256Hex(bytes) },
      { ...entry, outputPath: changed, outputSha256: sha256Hex(bytes) },
    ]);
    fs.writeFileSync(changed, await tinyPdf('Edited after export'));
    const exports = await ok<{ path: string; templateName: string; sha256: string }[]>(partner, 'mdf:exports');
    expect(exports.map((e) => [e.path, e.templateName, e.sha256])).toEqual([[file, partner.catalogue.getTemplate('event-invitation@1').name, sha256Hex(bytes)]]);

    collateral = await ok<StagedAttachment>(partner, 'mdf:attach', { kind: 'collateral', export: file });
    expect(collateral).toEqual({ name: 'event-invitation-harbor-it.pdf', kind: 'collateral', sha256: sha256Hex(bytes), size: bytes.byteLength });
    expect((await refused(partner, 'mdf:attach', { kind: 'collateral', export: changed })).message).toMatch(/changed after Lockup exported it/);
    expect((await refused(partner, 'mdf:attach', { kind: 'collateral', export: path.join(partner.dir, 'catalogue.db') })).code).toBe('forbidden');
    const notPdf = await refused(partner, 'mdf:attach', { kind: 'collateral', name: 'invitation.png', data: b64(new Uint8Array([0x89, 0x50, 0x4e, 0x47])) });
    expect(notPdf.message).toMatch(/Collateral must be a PDF/);
    expect((await refused(partner, 'mdf:attach', { kind: 'agenda', name: '../agenda.txt', data: b64(new TextEncoder().encode('x')) })).code).toBe('invalid-argument');
    const agenda = await ok<StagedAttachment>(partner, 'mdf:attach', { kind: 'agenda', name: 'agenda.txt', data: b64(new TextEncoder().encode('9:00 coffee')) });
    expect(agenda).toMatchObject({ name: 'agenda.txt', kind: 'agenda', size: 11 });
  });

  it('mdf:evaluate: an empty draft gives a problem per field and no evaluation', async () => {
    const r = await ok<{ problems: { field: string; message: string }[]; evaluation: unknown }>(partner, 'mdf:evaluate', { draft: { program: 'nimbus-mdf' } });
    expect(r.evaluation).toBeNull();
    expect(r.problems).toEqual([
      { field: 'activityType', message: 'Pick an activity type' },
      { field: 'title', message: 'Enter a title for the activity' },
      { field: 'startDate', message: 'Enter the start date' },
      { field: 'endDate', message: 'Enter the end date' },
      { field: 'budgetRequested', message: 'Enter the budget requested' },
      { field: 'totalCost', message: 'Enter the total cost of the activity' },
      { field: 'expectedLeads', message: 'Enter the number of leads you expect' },
      { field: 'expectedPipeline', message: 'Enter the pipeline value you expect' },
      { field: 'audience', message: 'Describe the target audience' },
      { field: 'description', message: 'Describe the activity' },
    ]);
  });

  it('mdf:evaluate: wrong values are named per field', async () => {
    const r = await ok<{ problems: { field: string; message: string }[] }>(partner, 'mdf:evaluate', {
      draft: draft({ activityType: 'yacht-party', startDate: '2027-02-30', endDate: '2027-01-01', budgetRequested: 700_000, totalCost: 600_000, title: 'Bad\u202Etitle' }),
    });
    expect(r.problems).toEqual([
      { field: 'activityType', message: 'Pick one of the activity types of Nimbus Market Development Fund' },
      { field: 'title', message: 'Remove the control or text-direction characters' },
      { field: 'startDate', message: 'Enter the start date as a date (YYYY-MM-DD)' },
      { field: 'budgetRequested', message: 'Budget requested is more than the total cost' },
    ]);
    const dates = await ok<{ problems: { field: string; message: string }[] }>(partner, 'mdf:evaluate', { draft: draft({ endDate: '2027-01-19' }) });
    expect(dates.problems).toEqual([{ field: 'endDate', message: 'The end date is before the start date' }]);
  });

  it('mdf:evaluate: a vetoed draft shows every broken rule; fixing it clears them', async () => {
    const vetoed = await ok<{ problems: unknown[]; evaluation: { verdict: string; breaches: { rule: string; message: string }[]; quarter: unknown } }>(partner, 'mdf:evaluate', {
      draft: draft({ startDate: '2026-12-01', endDate: '2026-12-01', budgetRequested: 580_000, totalCost: 600_000, attachments: [] }),
    });
    expect(vetoed.problems).toEqual([]);
    expect(vetoed.evaluation.verdict).toBe('auto-vetoed');
    expect(vetoed.evaluation.breaches.map((b) => b.rule)).toEqual(['tier-quarter-limit', 'lead-time', 'attachment-missing', 'partner-share']);
    expect(vetoed.evaluation.breaches[0]!.message).toBe('$5,800.00 in 2026-Q4 is over the $5,000.00 a Silver partner may request per quarter');
    expect(vetoed.evaluation.quarter).toEqual({ id: '2026-Q4', used: 0, limit: 500_000 });
    const fixed = await ok<{ evaluation: { verdict: string; breaches: unknown[] } }>(partner, 'mdf:evaluate', { draft: draft() });
    expect(fixed.evaluation).toMatchObject({ verdict: 'needs-review', breaches: [] });
    const small = await ok<{ evaluation: { verdict: string } }>(partner, 'mdf:evaluate', { draft: draft({ budgetRequested: 100_000, totalCost: 200_000 }) });
    expect(small.evaluation.verdict).toBe('auto-approved');
    // A Silver partner may not ask for a trade show? It may: only Registered may not.
    const show = await ok<{ evaluation: { verdict: string } }>(partner, 'mdf:evaluate', { draft: draft({ activityType: 'trade-show' }) });
    expect(show.evaluation.verdict).toBe('needs-review');
  });
});

let packet: { path: string; fileName: string; byteLength: number };
let sent: PartnerRequestView;

describe('sending', () => {
  it('a refused submit writes nothing: no rows, no packet, no install key (mdf-invalid with the problems, mdf-vetoed with the breaches)', async () => {
    const invalid = await refused(partner, 'mdf:submit', { draft: draft({ title: '' }), path: null });
    expect(invalid.code).toBe('mdf-invalid');
    expect(invalid.details?.['problems']).toEqual([{ field: 'title', message: 'Enter a title for the activity' }]);
    const vetoed = await refused(partner, 'mdf:submit', { draft: draft({ attachments: [] }), path: null });
    expect(vetoed.code).toBe('mdf-vetoed');
    expect((vetoed.details?.['breaches'] as { rule: string }[]).map((b) => b.rule)).toEqual(['attachment-missing']);
    expect((await refused(partner, 'mdf:submit', { draft: draft(), path: path.join(partner.exportDir, 'request.zip') })).code).toBe('invalid-argument');
    expect((await refused(partner, 'mdf:submit', { draft: draft({ program: 'no-such-program' }), path: null })).code).toBe('mdf-unknown');
    expect(fs.existsSync(path.join(partner.dir, 'keys'))).toBe(false);
  });

  it('mdf:submit writes the packet (signed request file, fillable form, attachments) and stores the request', async () => {
    const r = await ok<{ request: PartnerRequestView; packet: typeof packet }>(partner, 'mdf:submit', { draft: draft(), path: null });
    ({ request: sent, packet } = r);
    expect(path.dirname(packet.path)).toBe(partner.exportDir);
    expect(packet.fileName).toMatch(/^mdf-harbor-it-ransomware-readiness-breakfast-[0-9a-f]{8}\.lockup-mdf$/);
    expect(sent).toMatchObject({ status: 'submitted', decision: null, programName: 'Nimbus Market Development Fund', currency: 'USD', packet: packet.path, evaluation: { verdict: 'needs-review', breaches: [] } });
    expect(sent.request).toMatchObject({ partner: { id: 'harbor-it', name: 'Harbor IT', tier: 'silver' }, submittedOn: '2026-11-25', budgetRequested: 300_000, program: { id: 'nimbus-mdf', version: 1 } });

    const read = readPacket(readBytes(packet.path));
    expect(read.request.request).toEqual(sent.request);
    expect(read.request.installKey.fingerprint).toBe(installKey(partner.catalogue).fingerprint);
    expect(read.attachments.map((a) => [a.name, sha256Hex(a.bytes)])).toEqual([[collateral.name, collateral.sha256]]);
    const form = (await PDFDocument.load(read.form!)).getForm();
    expect(form.getTextField('budget-requested').getText()).toBe('$3,000.00');
    expect(form.getTextField('title').getText()).toBe('Ransomware readiness breakfast');

    expect(await ok<PartnerRequestView[]>(partner, 'mdf:requests')).toEqual([sent]);
    // The packet may be downloaded and shown: it is a file Lockup wrote.
    expect((await ok<{ fileName: string }>(partner, 'export:download', { path: packet.path })).fileName).toBe(packet.fileName);
    expect(await ok(partner, 'file:reveal', { path: packet.path })).toEqual({ shown: false });
  });

  it('an overlapping request of the same type is now a duplicate, and the quarter counts the first', async () => {
    const r = await ok<{ evaluation: { verdict: string; breaches: { rule: string }[]; quarter: { used: number } } }>(partner, 'mdf:evaluate', { draft: draft({ budgetRequested: 100_000, totalCost: 200_000 }) });
    expect(r.evaluation.breaches.map((b) => b.rule)).toEqual(['duplicate']);
    expect(r.evaluation.quarter.used).toBe(300_000);
  });
});

let item: QueueItem;

describe('the reviewer’s queue', () => {
  it('mdf:packet-import: checked and evaluated on the way in, waiting for review; the same packet again changes nothing', async () => {
    item = await ok<QueueItem>(reviewer, 'mdf:packet-import', { name: packet.fileName, data: b64(readBytes(packet.path)) });
    expect(item).toMatchObject({
      status: 'awaiting-review',
      decision: null,
      activityName: 'Customer event',
      programName: 'Nimbus Market Development Fund',
      signedBy: installKey(partner.catalogue).fingerprint,
      evaluation: { verdict: 'needs-review', breaches: [] },
      attachments: [{ name: collateral.name, kind: 'collateral', size: collateral.size, ok: true }],
    });
    expect(item.request).toEqual(sent.request);
    const again = await refusedNothing(() => ok<QueueItem>(reviewer, 'mdf:packet-import', { name: packet.fileName, data: b64(readBytes(packet.path)) }));
    expect(again).toEqual(item);
    expect(await ok<QueueItem[]>(reviewer, 'mdf:queue')).toEqual([item]);
  });

  it('a tampered packet is refused: a changed attachment, a changed request file, a missing attachment, not a zip', async () => {
    const entries = readArchive(readBytes(packet.path));
    const swap = (name: string, data: Uint8Array | null) => writeArchive(entries.flatMap((e) => (e.name === name ? (data ? [{ name, data }] : []) : [e])));
    const attachment = `attachments/${collateral.name}`;
    const changed = await refused(reviewer, 'mdf:packet-import', { name: 'x.lockup-mdf', data: b64(swap(attachment, await tinyPdf('Another flyer'))) });
    expect(changed.code).toBe('mdf-signature');
    expect(changed.message).toMatch(/not the file the partner signed for/);
    expect((await refused(reviewer, 'mdf:packet-import', { name: 'x.lockup-mdf', data: b64(swap(attachment, null)) })).code).toBe('mdf-invalid');
    const requestEntry = entries.find((e) => e.name.endsWith('.lockup-mdf-request'))!;
    const edited = new TextEncoder().encode(new TextDecoder().decode(requestEntry.data).replace('"budgetRequested":300000', '"budgetRequested":200000'));
    expect(edited).not.toEqual(requestEntry.data);
    expect((await refused(reviewer, 'mdf:packet-import', { name: 'x.lockup-mdf', data: b64(swap(requestEntry.name, edited)) })).code).toBe('mdf-signature');
    expect((await refused(reviewer, 'mdf:packet-import', { name: 'x.lockup-mdf', data: b64(new TextEncoder().encode('not a zip at all')) })).code).toBe('mdf-invalid');
    // A form edited in the packet changes nothing that is read: it is the same request file.
    const formEdited = await ok<QueueItem>(reviewer, 'mdf:packet-import', { name: 'x.lockup-mdf', data: b64(swap(FORM_ENTRY, await tinyPdf('Edited form'))) });
    expect(formEdited).toEqual(item);
  });

  it('a different request file with the same request id is refused', async () => {
    const read = readPacket(readBytes(packet.path));
    const other = { ...read.request.request, title: 'Another title' };
    const signed = signRequest(partner.catalogue, other, read.attachments);
    const forged = writePacket({ requestFile: signed.bytes, requestFileName: signed.fileName, form: read.form!, attachments: read.attachments });
    const err = await refused(reviewer, 'mdf:packet-import', { name: 'y.lockup-mdf', data: b64(forged) });
    expect(err.code).toBe('mdf-invalid');
    expect(err.message).toMatch(/different request file with the same id/);
  });

  it('mdf:decide: a rejection needs a reason; an approval writes a signed decision file; a decision is final', async () => {
    const noReason = await refused(reviewer, 'mdf:decide', { request: item.request.id, decision: 'rejected', reason: '  ', path: null });
    expect(noReason.code).toBe('mdf-invalid');
    expect((await refused(reviewer, 'mdf:decide', { request: '00000000-0000-4000-8000-000000000000', decision: 'approved', path: null })).code).toBe('mdf-unknown');
    const r = await ok<{ item: QueueItem; file: { path: string; fileName: string } }>(reviewer, 'mdf:decide', { request: item.request.id, decision: 'approved', reason: '', path: null });
    expect(r.item).toMatchObject({ status: 'approved', decision: { decision: 'approved', reason: '', file: r.file.path } });
    expect(r.file.fileName).toMatch(/^mdf-decision-harbor-it-.*\.lockup-mdf-decision$/);
    expect((await ok<{ fileName: string }>(reviewer, 'export:download', { path: r.file.path })).fileName).toBe(r.file.fileName);
    expect((await refused(reviewer, 'mdf:decide', { request: item.request.id, decision: 'rejected', reason: 'Changed my mind', path: null })).code).toBe('mdf-invalid');
    decisionFile = readBytes(r.file.path);
  });
});

let decisionFile: Uint8Array;

/** Runs `fn` and checks the reviewer's catalogue did not change. */
async function refusedNothing<T>(fn: () => Promise<T>): Promise<T> {
  const before = dumpDatabase(reviewer.catalogue.db);
  const out = await fn();
  expect(dumpDatabase(reviewer.catalogue.db)).toEqual(before);
  return out;
}

describe('the decision comes back', () => {
  it('a tampered decision, one for a request never sent from here, and one about another request file are refused', async () => {
    const text = new TextDecoder().decode(decisionFile);
    const tampered = new TextEncoder().encode(text.replace('"decision":"approved"', '"decision":"rejected"').replace('"reason":""', '"reason":"No"'));
    expect((await refused(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(tampered) })).code).toBe('mdf-signature');
    const key = installKey(reviewer.catalogue).signingKey;
    const base: MdfDecision = JSON.parse(text).decision as MdfDecision;
    const unknown = signDecision(key, { ...base, request: { id: '11111111-2222-4333-8444-555555555555', sha256: base.request.sha256 } });
    expect((await refused(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(unknown) })).code).toBe('mdf-unknown');
    const otherFile = signDecision(key, { ...base, request: { id: base.request.id, sha256: 'f'.repeat(64) } });
    expect((await refused(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(otherFile) })).code).toBe('mdf-invalid');
  });

  it('mdf:decision-import records the decision; the same file again is a no-op; a different decision is refused', async () => {
    const view = await ok<PartnerRequestView>(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(decisionFile) });
    expect(view).toMatchObject({ status: 'approved', decision: { decision: 'approved', reason: '', decidedBy: expect.any(String) } });
    expect(view.request.id).toBe(sent.request.id);
    const before = dumpDatabase(partner.catalogue.db);
    expect(await ok(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(decisionFile) })).toEqual(view);
    expect(dumpDatabase(partner.catalogue.db)).toEqual(before);
    const base: MdfDecision = JSON.parse(new TextDecoder().decode(decisionFile)).decision as MdfDecision;
    const second = signDecision(installKey(reviewer.catalogue).signingKey, { ...base, decision: 'rejected', reason: 'Budget is gone' });
    const err = await refused(partner, 'mdf:decision-import', { name: 'd2.lockup-mdf-decision', data: b64(second) });
    expect(err.code).toBe('mdf-invalid');
    expect(err.message).toMatch(/already approved/);
    expect((await ok<PartnerRequestView[]>(partner, 'mdf:requests'))[0]).toEqual(view);
  });
});

describe('decisions are final in the database too', () => {
  it('the triggers refuse changing a decided row, the request of any row, or deleting one', () => {
    expect(() => partner.catalogue.db.prepare("UPDATE mdf_requests SET status = 'rejected' WHERE id = ?").run(sent.request.id)).toThrow(/never changes/);
    expect(() => partner.catalogue.db.prepare('DELETE FROM mdf_requests').run()).toThrow(/kept/);
    expect(() => reviewer.catalogue.db.prepare("UPDATE mdf_queue SET decision = NULL, status = 'awaiting-review' WHERE id = ?").run(item.request.id)).toThrow(/never changes/);
    expect(() => reviewer.catalogue.db.prepare("UPDATE mdf_queue SET request = '{}'").run()).toThrow(/never changes/);
    expect(() => reviewer.catalogue.db.prepare('DELETE FROM mdf_files').run()).toThrow(/append-only/);
  });
});

describe('decided at import', () => {
  it('a clean request within the auto-approve limit is approved at import, with a signed decision the partner imports', async () => {
    const r = await ok<{ request: PartnerRequestView; packet: typeof packet }>(partner, 'mdf:submit', {
      draft: draft({ activityType: 'webinar', title: 'Backup webinar', budgetRequested: 80_000, totalCost: 160_000 }),
      path: path.join(partner.dir, 'outbox', 'webinar.lockup-mdf'),
    });
    expect(r.request.evaluation.verdict).toBe('auto-approved');
    expect(r.packet.path).toBe(path.join(partner.dir, 'outbox', 'webinar.lockup-mdf'));
    const queued = await ok<QueueItem>(reviewer, 'mdf:packet-import', { name: r.packet.fileName, data: b64(readBytes(r.packet.path)) });
    expect(queued).toMatchObject({ status: 'approved', evaluation: { verdict: 'auto-approved' }, decision: { decision: 'approved', reason: "Approved automatically: within the program's auto-approve limit" } });
    expect((await ok<QueueItem[]>(reviewer, 'mdf:queue')).map((q) => q.request.title)).toEqual(['Backup webinar', 'Ransomware readiness breakfast']);
    expect((await refused(reviewer, 'mdf:decide', { request: queued.request.id, decision: 'rejected', reason: 'No', path: null })).code).toBe('mdf-invalid');
    const view = await ok<PartnerRequestView>(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(readBytes(queued.decision!.file)) });
    expect(view).toMatchObject({ status: 'approved', decision: { reason: "Approved automatically: within the program's auto-approve limit" } });
  });

  it('the reviewer’s current program decides: a request its stricter rules break is vetoed at import, rejected with the broken rules as the reason', async () => {
    const current = await ok<Record<string, unknown> & { rules: Record<string, unknown> }>(reviewer, 'vendor:mdf-program', { brand: 'nimbus' });
    const stricter = { ...current, rules: { ...current.rules, minLeadDays: 90 } };
    expect(await ok(reviewer, 'vendor:mdf-program-import', { brand: 'nimbus', source: JSON.stringify(stricter) })).toEqual({ id: 'nimbus-mdf', version: 2 });
    const r = await ok<{ request: PartnerRequestView; packet: typeof packet }>(partner, 'mdf:submit', {
      draft: draft({ activityType: 'digital-campaign', title: 'LinkedIn campaign', budgetRequested: 110_000, totalCost: 220_000 }),
      path: null,
    });
    expect(r.request.evaluation.verdict).toBe('needs-review');
    const queued = await ok<QueueItem>(reviewer, 'mdf:packet-import', { name: r.packet.fileName, data: b64(readBytes(r.packet.path)) });
    expect(queued.status).toBe('auto-vetoed');
    expect(queued.evaluation.breaches.map((b) => b.rule)).toEqual(['lead-time']);
    expect(queued.decision).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^Vetoed automatically: The activity starts 56 days after submission; requests need at least 90 days' notice$/) });
    expect((await refused(reviewer, 'mdf:decide', { request: queued.request.id, decision: 'approved', path: null })).message).toMatch(/vetoed automatically/);
    const view = await ok<PartnerRequestView>(partner, 'mdf:decision-import', { name: 'd.lockup-mdf-decision', data: b64(readBytes(queued.decision!.file)) });
    expect(view.status).toBe('rejected');
  });

  it('a packet for a program this catalogue does not have is refused (mdf-unknown)', async () => {
    const { catalogue, dir } = seededCatalogue();
    catalogue.db.prepare('DELETE FROM mdf_programs').run();
    const bare: Side = { catalogue, dir, exportDir: path.join(dir, 'exports'), service: new ApiService({ catalogue, dataDir: dir, transport: 'web', version: 'test', exportDir: path.join(dir, 'exports'), clock: () => T0 }) };
    expect((await refused(bare, 'mdf:packet-import', { name: packet.fileName, data: b64(readBytes(packet.path)) })).code).toBe('mdf-unknown');
    catalogue.close();
  });
});

describe('the vendor’s program', () => {
  it('vendor:mdf-program-import: the brand’s tiers only, the brand’s own, a new version only when changed', async () => {
    const current = await ok<Record<string, unknown> & { rules: Record<string, unknown>; version: number }>(partner, 'vendor:mdf-program', { brand: 'nimbus' });
    expect(current.version).toBe(1);
    const platinum = { ...current, rules: { ...current.rules, maxPerQuarter: { platinum: 4_000_000 } } };
    const err = await refused(partner, 'vendor:mdf-program-import', { brand: 'nimbus', source: JSON.stringify(platinum) });
    expect(err.code).toBe('mdf-invalid');
    expect(err.message).toMatch(/tier "platinum", which Nimbus Systems does not have/);
    expect((await refused(partner, 'vendor:mdf-program-import', { brand: 'nimbus', source: JSON.stringify({ ...current, brand: 'acme' }) })).code).toBe('mdf-invalid');
    expect((await refused(partner, 'vendor:mdf-program-import', { brand: 'nimbus', source: '{"__proto__": {}}' })).code).toBe('json-invalid');
    expect(await refusedOn(partner, () => ok(partner, 'vendor:mdf-program-import', { brand: 'nimbus', source: JSON.stringify(current) }))).toEqual({ id: 'nimbus-mdf', version: 1 });
    expect(await ok(partner, 'vendor:mdf-program-import', { brand: 'nimbus', source: JSON.stringify({ ...current, name: 'Nimbus Fund 2027' }) })).toEqual({ id: 'nimbus-mdf', version: 2 });
    expect(await ok(partner, 'vendor:mdf-program', { brand: 'nimbus' })).toMatchObject({ version: 2, name: 'Nimbus Fund 2027' });
  });
});

/** Runs `fn` and checks the catalogue of `s` did not change. */
async function refusedOn<T>(s: Side, fn: () => Promise<T>): Promise<T> {
  const before = dumpDatabase(s.catalogue.db);
  const out = await fn();
  expect(dumpDatabase(s.catalogue.db)).toEqual(before);
  return out;
}
