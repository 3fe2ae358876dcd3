import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EvaluationView, FieldProblem, MDF_API, MdfDraft, PartnerRequestView, ProgramView, QueueItem, StagedAttachment } from '../../core/contracts/mdf-api.ts';
import { LockupError } from '../../core/errors.ts';
import type { Brand, PartnerProfile } from '../../core/model/index.ts';
import { CalendarDate, MDF_FORMAT_VERSION, MDF_REQUEST_FORMAT, MdfRequest, type MdfProgram } from '../../core/mdf/model.ts';
import { mdfRequestPdf } from '../../core/mdf/pdf.ts';
import { docColors } from '../../core/playbook/pdf.ts';
import { evaluateRequest, type Evaluation, type PriorRequest, type RequestStatus } from '../../core/mdf/rules.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { DistributorWorkspace } from '../distributor/workspace.ts';
import { recordActivity } from '../insights/ledger.ts';
import { installKey } from '../learning/completion.ts';
import { signDecision, signRequest, verifyDecisionFile, type MdfDecision } from '../mdf/files.ts';
import { MDF_DECISION_EXTENSION, MDF_PACKET_EXTENSION, readPacket, writePacket } from '../mdf/packet.ts';
import { checkProgramForBrand, parseProgramText } from '../mdf/program.ts';
import { MdfStore, type PartnerRequestRow, type QueueRow, type QueueStatus } from '../mdf/store.ts';
import { entryNameProblem } from '../packs/names.ts';
import { verifyPack } from '../packs/pack.ts';
import { PackStore } from '../packs/store.ts';
import type { SigningKey } from '../packs/keys.ts';
import { sha256Hex } from '../util/hash.ts';
import { writeFileAtomic } from '../util/files.ts';
import { slug } from '../util/slug.ts';
import type { HandlerContext, HandlersFor } from './context.ts';
import { loadPublishingKey } from './pack-ops.ts';

/**
 * Market development funds (issue #8, docs/decisions/0025 and 0026).
 *
 * The partner's side: the programs its packs carry, the request form checked
 * field by field and against the veto rules as it is typed, attachments
 * staged by content, and the request packet (`.lockup-mdf`: the signed
 * request file, the fillable PDF form, the attachments). A refused submit
 * writes nothing. Decisions come back as signed files the partner imports.
 *
 * The reviewer's side (a distributor, or the vendor): packets imported into
 * a queue, checked (signature, attachments by hash, program known here) and
 * evaluated on the way in against this queue's earlier requests from the
 * same partner. A request the rules veto is rejected at import, with the
 * broken rules as the reason; a clean one within the program's auto-approve
 * limit is approved at import; both get a signed decision file at once. The
 * rest wait for a person. A decision, once made, never changes.
 */

/** Largest attachment staged (each). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

// C0/C1 controls (line breaks allowed where noted), line and paragraph separators, bidi controls: refused by the request file.
// eslint-disable-next-line no-control-regex
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const AUTO_APPROVED_REASON = "Approved automatically: within the program's auto-approve limit";

const PARTNER_PRIOR: Record<PartnerRequestRow['status'], RequestStatus> = { submitted: 'pending', approved: 'approved', rejected: 'rejected', 'changes-requested': 'changes-requested' };
const QUEUE_PRIOR: Record<QueueStatus, RequestStatus> = { 'awaiting-review': 'pending', 'auto-vetoed': 'vetoed', approved: 'approved', rejected: 'rejected', 'changes-requested': 'changes-requested' };

const priorOf = (request: MdfRequest, status: RequestStatus): PriorRequest => ({
  id: request.id,
  partnerId: request.partner.id,
  activityType: request.activityType,
  startDate: request.startDate,
  endDate: request.endDate,
  budgetRequested: request.budgetRequested,
  status,
});

const evaluationView = (e: Evaluation): EvaluationView => ({ verdict: e.verdict, breaches: e.breaches.map((b) => ({ ...b })), quarter: { ...e.quarter } });

const isDate = (s: string) => CalendarDate.safeParse(s).success;

/** Field problems of a draft, in the form's order, worded for the person typing. */
export function draftProblems(draft: MdfDraft, program: MdfProgram, staged: (a: StagedAttachment) => boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: keyof MdfDraft, message: string) => problems.push({ field, message });
  const text = (field: 'title' | 'audience' | 'description', value: string, max: number, empty: string, multiline: boolean) => {
    if (value.trim() === '') add(field, empty);
    else if (value.length > max) add(field, `Keep it to ${max.toLocaleString('en-US')} characters (it is ${value.length.toLocaleString('en-US')})`);
    else if ((multiline ? UNSAFE_MULTILINE : UNSAFE_LINE).test(value)) add(field, 'Remove the control or text-direction characters');
  };
  if (draft.activityType === '') add('activityType', 'Pick an activity type');
  else if (!program.activityTypes.some((t) => t.id === draft.activityType)) add('activityType', `Pick one of the activity types of ${program.name}`);
  text('title', draft.title, 200, 'Enter a title for the activity', false);
  if (draft.startDate === '') add('startDate', 'Enter the start date');
  else if (!isDate(draft.startDate)) add('startDate', 'Enter the start date as a date (YYYY-MM-DD)');
  if (draft.endDate === '') add('endDate', 'Enter the end date');
  else if (!isDate(draft.endDate)) add('endDate', 'Enter the end date as a date (YYYY-MM-DD)');
  else if (isDate(draft.startDate) && draft.endDate < draft.startDate) add('endDate', 'The end date is before the start date');
  if (draft.budgetRequested === null) add('budgetRequested', 'Enter the budget requested');
  else if (draft.budgetRequested === 0) add('budgetRequested', 'The budget requested must be more than 0');
  if (draft.totalCost === null) add('totalCost', 'Enter the total cost of the activity');
  else if (draft.totalCost === 0) add('totalCost', 'The total cost must be more than 0');
  if (draft.budgetRequested !== null && draft.totalCost !== null && draft.budgetRequested > draft.totalCost) add('budgetRequested', 'Budget requested is more than the total cost');
  if (draft.expectedLeads === null) add('expectedLeads', 'Enter the number of leads you expect');
  if (draft.expectedPipeline === null) add('expectedPipeline', 'Enter the pipeline value you expect');
  text('audience', draft.audience, 1000, 'Describe the target audience', true);
  text('description', draft.description, 10_000, 'Describe the activity', true);
  const names = new Set<string>();
  for (const a of draft.attachments) {
    if (names.has(a.name)) add('attachments', `"${a.name}" is attached twice`);
    else if (!staged(a)) add('attachments', `"${a.name}" is no longer available; attach it again`);
    names.add(a.name);
  }
  return problems;
}

export function mdfHandlers(ctx: HandlerContext): HandlersFor<typeof MDF_API> {
  const { catalogue } = ctx;
  const store = new MdfStore(catalogue);
  const packs = new PackStore(catalogue);

  const partner = (): PartnerProfile => {
    const p = ctx.currentProfile();
    if (!p) throw new LockupError('profile-invalid', 'Set up your partner profile first');
    return p;
  };

  // ---- the partner's side

  /** A program of a brand in this catalogue, by id (mdf-unknown when none). */
  const catalogueProgram = (id: string): { program: MdfProgram; brand: Brand } => {
    const program = store.programs().find((p) => p.id === id);
    if (!program || !catalogue.brandIds().includes(program.brand)) throw new LockupError('mdf-unknown', `There is no MDF program "${id}" in this catalogue`, { program: id });
    return { program, brand: catalogue.getBrand(program.brand) };
  };

  /** The partner as a request names it: the profile, with the tier (and distributor) from the same source as template access. */
  const requester = (profile: PartnerProfile, brand: Brand): MdfRequest['partner'] => {
    // A distributor-scoped credential is used here as it stands: the tier it states is the one the program's limits are for.
    const effective = catalogue.accessProfile(brand.id, profile, ctx.now()).profile;
    return {
      id: profile.id,
      name: profile.company,
      ...(effective.tier ? { tier: effective.tier } : {}),
      ...(effective.distributor ? { distributor: effective.distributor.slice(0, 200) } : {}),
    };
  };

  const isStaged = (a: StagedAttachment) => store.staged(a.sha256)?.byteLength === a.size;

  /** The draft as a whole request, or its problems. */
  const build = (draft: MdfDraft, profile: PartnerProfile): { problems: FieldProblem[]; request: MdfRequest | null; program: MdfProgram; brand: Brand } => {
    const { program, brand } = catalogueProgram(draft.program);
    const problems = draftProblems(draft, program, isStaged);
    if (problems.length > 0) return { problems, request: null, program, brand };
    const parsed = MdfRequest.safeParse({
      format: MDF_REQUEST_FORMAT,
      formatVersion: MDF_FORMAT_VERSION,
      id: randomUUID(),
      program: { id: program.id, version: program.version },
      partner: requester(profile, brand),
      activityType: draft.activityType,
      title: draft.title.trim(),
      startDate: draft.startDate,
      endDate: draft.endDate,
      budgetRequested: draft.budgetRequested,
      totalCost: draft.totalCost,
      expectedLeads: draft.expectedLeads,
      expectedPipeline: draft.expectedPipeline,
      audience: draft.audience.trim(),
      description: draft.description.trim(),
      attachments: draft.attachments.map((a) => ({ name: a.name, kind: a.kind, sha256: a.sha256, size: a.size })),
      submittedOn: ctx.now().toISOString().slice(0, 10),
    });
    if (!parsed.success) {
      // What the field checks above do not cover (e.g. a partner id the request format refuses).
      return { problems: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'program'), message: i.message })), request: null, program, brand };
    }
    return { problems: [], request: parsed.data, program, brand };
  };

  const partnerEvaluation = (program: MdfProgram, brand: Brand, request: MdfRequest): Evaluation =>
    evaluateRequest(
      program,
      request,
      store.requests(request.partner.id).map((r) => priorOf(r.request, PARTNER_PRIOR[r.status])),
      brand.access,
    );

  const requestView = (r: PartnerRequestRow): PartnerRequestView => ({
    request: r.request,
    programName: r.programName,
    currency: r.currency,
    evaluation: evaluationView(r.evaluation),
    status: r.status,
    decision: r.decision && { decision: r.decision.decision, reason: r.decision.reason, decidedAt: r.decision.decidedAt, decidedBy: r.decision.decidedBy.name },
    packet: r.packet,
    submittedAt: r.submittedAt,
  });

  /** The partner's PDF exports still on disk as exported (newest first, one per path). */
  const exportsOf = (profile: PartnerProfile) => {
    const seen = new Set<string>();
    const out: { path: string; fileName: string; templateName: string; sha256: string; byteLength: number; exportedAt: string }[] = [];
    for (const e of catalogue.listExports(1_000)) {
      if (e.partnerId !== profile.id || seen.has(e.outputPath)) continue;
      seen.add(e.outputPath);
      if (!e.outputPath.toLowerCase().endsWith('.pdf') || !sameOnDisk(e.outputPath, e.outputSha256)) continue;
      let templateName = e.templateId;
      try {
        templateName = catalogue.getTemplate(`${e.templateId}@${e.templateVersion}`).name;
      } catch {
        // A template no longer in the catalogue: its id stands in.
      }
      out.push({ path: e.outputPath, fileName: path.basename(e.outputPath), templateName, sha256: e.outputSha256, byteLength: e.byteLength, exportedAt: e.exportedAt });
    }
    return out;
  };

  /** Writes a file atomically and records it, so the renderer may download or reveal it. */
  const written = (kind: 'packet' | 'decision', requestId: string, file: string, bytes: Uint8Array) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, bytes);
    store.recordFile(kind, requestId, file, bytes, ctx.now());
  };

  const targetPath = (target: string | null, fallback: string, ext: string) => {
    const file = path.resolve(target ?? path.join(ctx.exportDir, fallback));
    if (!file.toLowerCase().endsWith(ext)) throw new LockupError('invalid-argument', `The file name must end in ${ext}`);
    return file;
  };

  /**
   * Keys a decision for this brand may be signed with: the publisher's and
   * the distributors' pinned here from derived packs. Empty when none is
   * known (a brand authored here, or a vendor pack without a distributor's):
   * then any intact signature is accepted and its fingerprint shown.
   */
  const knownReviewerKeys = (brandId: string): string[] => {
    const publisherId = catalogue.brandIds().includes(brandId) ? packs.brandPublisher(brandId) : null;
    if (!publisherId) return [];
    const distributors = packs.distributors().filter((d) => d.publisherId === publisherId);
    if (distributors.length === 0) return [];
    const publisher = packs.publisher(publisherId);
    return [...distributors.map((d) => d.publicKey), ...(publisher ? [publisher.publicKey] : [])];
  };

  // ---- the reviewer's side

  /** The reviewer's key: the distributor workspace's identity key when there is one, else this install's key. */
  const reviewerKey = (): { key: SigningKey; name: string } => {
    const key = loadPublishingKey(catalogue) ?? installKey(catalogue).signingKey;
    const name = new DistributorWorkspace(catalogue).settings()?.name ?? key.publisher.name;
    return { key, name };
  };

  /** A program known here: a brand's in this catalogue, or one carried by a vendor pack in the distributor workspace. */
  const reviewProgram = (id: string): { program: MdfProgram; brand: Brand } => {
    const local = store.programs().find((p) => p.id === id);
    if (local && catalogue.brandIds().includes(local.brand)) return { program: local, brand: catalogue.getBrand(local.brand) };
    for (const source of new DistributorWorkspace(catalogue).sources()) {
      const contents = verifyPack(source.pack).contents;
      if (contents.mdfProgram?.id === id) return { program: contents.mdfProgram, brand: contents.brand };
    }
    throw new LockupError('mdf-unknown', `The MDF program "${id}" is not in this catalogue; add the vendor's latest pack first`, { program: id });
  };

  const queueView = (r: QueueRow): QueueItem => ({
    request: r.request,
    programName: r.programName,
    currency: r.currency,
    activityName: r.activityName,
    signedBy: r.signedBy,
    evaluation: evaluationView(r.evaluation),
    status: r.status,
    attachments: r.attachments,
    decision: r.decision && r.decisionPath !== null ? { decision: r.decision.decision, reason: r.decision.reason, decidedAt: r.decision.decidedAt, file: r.decisionPath } : null,
    importedAt: r.importedAt,
  });

  const decisionFileName = (r: MdfRequest) => `${['mdf-decision', r.partner.id, slug(r.title, 40), r.id.slice(0, 8)].filter((s) => s !== '').join('-')}${MDF_DECISION_EXTENSION}`;

  /** Signs and writes a decision (inside the caller's transaction); returns the file written. */
  const decideNow = (r: { request: MdfRequest; requestSha256: string; evaluation: Evaluation }, decision: MdfDecision['decision'], reason: string, target: string | null) => {
    const { key, name } = reviewerKey();
    const d: MdfDecision = {
      request: { id: r.request.id, sha256: r.requestSha256 },
      decision,
      reason,
      decidedAt: ctx.now().toISOString(),
      decidedBy: { id: key.publisher.id, name },
      verdict: { verdict: r.evaluation.verdict, breaches: r.evaluation.breaches.map((b) => b.rule) },
    };
    const bytes = signDecision(key, d);
    const file = targetPath(target, decisionFileName(r.request), MDF_DECISION_EXTENSION);
    return { decision: d, bytes, file };
  };

  const decisionActivity = (request: MdfRequest, decision: MdfDecision['decision'], currency: string, brand: string | null) =>
    recordActivity(
      catalogue,
      {
        kind: 'mdf-decision',
        subject: request.id,
        brand,
        data: { partner: request.partner.id, decision, budget: request.budgetRequested, activityType: request.activityType, pipeline: request.expectedPipeline, currency },
      },
      ctx.now(),
    );

  const requireEditable = (brandId: string): Brand => {
    const brand = catalogue.getBrand(brandId);
    const publisherId = catalogue.brandPublisher(brandId);
    if (publisherId !== null) {
      const name = packs.publisher(publisherId)?.name ?? publisherId;
      throw new LockupError('read-only', `The brand "${brand.name}" was published by ${name} in a signed pack: its MDF program comes with its packs`, { publisher: publisherId });
    }
    return brand;
  };

  return {
    'mdf:programs': () => {
      const profile = partner();
      const out: ProgramView[] = [];
      for (const program of store.programs()) {
        if (!catalogue.brandIds().includes(program.brand)) continue;
        const brand = catalogue.getBrand(program.brand);
        const tier = requester(profile, brand).tier ?? null;
        const limits = program.rules.maxPerQuarter;
        out.push({
          program,
          brandName: brand.name,
          tiers: brand.access.tiers.map((t) => ({ id: t.id, name: t.name })),
          partnerTier: tier,
          // A tier the rules do not list gets nothing; no per-quarter rule: no limit.
          quarterLimit: limits === undefined ? null : tier === null ? 0 : (limits[tier] ?? 0),
        });
      }
      return out;
    },

    'mdf:evaluate': ({ draft }) => {
      const profile = partner();
      const { problems, request, program, brand } = build(draft, profile);
      return { problems, evaluation: request ? evaluationView(partnerEvaluation(program, brand, request)) : null };
    },

    'mdf:exports': () => exportsOf(partner()),

    'mdf:attach': (input) => {
      partner();
      let name: string;
      let bytes: Uint8Array;
      if ('export' in input) {
        const file = path.resolve(input.export);
        const recorded = catalogue.isExported(file) ? store.exportedSha256(file) : undefined;
        if (recorded === undefined) throw new LockupError('forbidden', 'Only a PDF this install exported can be attached as an export');
        if (!fs.existsSync(file)) throw new LockupError('file-unreadable', `${path.basename(file)} is no longer where it was exported; export it again`);
        if (fs.statSync(file).size > MAX_ATTACHMENT_BYTES) throw new LockupError('invalid-argument', `${path.basename(file)} is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
        bytes = new Uint8Array(fs.readFileSync(file));
        if (sha256Hex(bytes) !== recorded) throw new LockupError('invalid-argument', `${path.basename(file)} changed after Lockup exported it; export it again`, { path: file });
        name = path.basename(file);
      } else {
        name = input.name.trim();
        bytes = new Uint8Array(Buffer.from(input.data, 'base64'));
        if (bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new LockupError('invalid-argument', `"${name}" is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
        if (bytes.byteLength === 0) throw new LockupError('invalid-argument', `"${name}" is empty`);
      }
      const problem = name.includes('/') ? 'contains a slash' : entryNameProblem(name);
      if (problem || UNSAFE_LINE.test(name)) throw new LockupError('invalid-argument', `The attachment name ${problem ?? 'contains control or text-direction characters'}: rename the file`, { name });
      const kind = input.kind;
      if (kind === 'collateral' && Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
        throw new LockupError('invalid-argument', `Collateral must be a PDF; "${name}" is not one`, { name });
      }
      const sha256 = store.stage(bytes, ctx.now());
      return { name, kind, sha256, size: bytes.byteLength };
    },

    'mdf:submit': async ({ draft, path: target }) => {
      const profile = partner();
      const { problems, request, program, brand } = build(draft, profile);
      if (!request) throw new LockupError('mdf-invalid', `The request is not complete: ${problems.map((p) => p.message).join('; ')}`, { problems });
      const evaluation = partnerEvaluation(program, brand, request);
      if (evaluation.verdict === 'auto-vetoed') {
        throw new LockupError('mdf-vetoed', `The program's rules would veto this request: ${evaluation.breaches.map((b) => b.message).join('; ')}`, { breaches: evaluation.breaches });
      }
      const activityName = program.activityTypes.find((t) => t.id === request.activityType)?.name ?? request.activityType;
      const files = request.attachments.map((a) => ({ name: a.name, kind: a.kind, bytes: store.staged(a.sha256)! }));
      const form = await mdfRequestPdf({ program, brandName: brand.name, request, activityName, evaluation, accent: docColors(brand).heading.rgb, date: ctx.now() });
      // The path is checked before the install key is made or anything is written (signRequest makes the key on first use).
      const stem = ['mdf', request.partner.id, slug(request.title, 40), request.id.slice(0, 8)].filter((s) => s !== '').join('-');
      const file = targetPath(target, `${stem}${MDF_PACKET_EXTENSION}`, MDF_PACKET_EXTENSION);
      const now = ctx.now().toISOString();
      const row = catalogue.transaction(() => {
        const signed = signRequest(catalogue, request, files);
        const packet = writePacket({ requestFile: signed.bytes, requestFileName: signed.fileName, form, attachments: files });
        const r: PartnerRequestRow = {
          request,
          brand: brand.id,
          programName: program.name,
          currency: program.currency,
          evaluation,
          status: 'submitted',
          decision: null,
          reviewerKey: null,
          packet: file,
          requestSha256: sha256Hex(signed.bytes),
          submittedAt: now,
        };
        store.saveRequest(r);
        written('packet', request.id, file, packet);
        return { row: r, file, byteLength: packet.byteLength };
      });
      recordActivity(
        catalogue,
        {
          kind: 'mdf-request',
          subject: request.id,
          brand: brand.id,
          data: {
            program: program.id,
            activityType: request.activityType,
            budget: request.budgetRequested,
            totalCost: request.totalCost,
            pipeline: request.expectedPipeline,
            leads: request.expectedLeads,
            verdict: evaluation.verdict,
            currency: program.currency,
            tier: request.partner.tier ?? null,
            distributor: request.partner.distributor ?? null,
          },
        },
        ctx.now(),
      );
      return { request: requestView(row.row), packet: { path: row.file, fileName: path.basename(row.file), byteLength: row.byteLength } };
    },

    'mdf:requests': () => store.requests(partner().id).map(requestView),

    'mdf:decision-import': ({ data }) => {
      const profile = partner();
      const bytes = new Uint8Array(Buffer.from(data, 'base64'));
      // The signature first, by the key the file carries: a changed file is refused before it is looked at further.
      const { decision } = verifyDecisionFile(bytes);
      const row = store.request(decision.request.id);
      if (!row || row.request.partner.id !== profile.id) {
        throw new LockupError('mdf-unknown', 'This decision is about a request you did not send from this Lockup', { request: decision.request.id });
      }
      const known = knownReviewerKeys(row.brand);
      const verified = verifyDecisionFile(bytes, { requestSha256: row.requestSha256 });
      if (known.length > 0 && !known.includes(verified.reviewerKey.publicKey)) {
        throw new LockupError('mdf-signature', `The decision was signed by a key you do not know (fingerprint ${verified.reviewerKey.fingerprint}), not by your distributor's or vendor's`, {
          fingerprint: verified.reviewerKey.fingerprint,
        });
      }
      if (row.decision) {
        // The same decision again changes nothing; another one is refused (a decision is final).
        if (canonicalJson(row.decision) === canonicalJson(verified.decision) && row.reviewerKey === verified.reviewerKey.publicKey) return requestView(row);
        throw new LockupError('mdf-invalid', `This request was already ${row.decision.decision === 'changes-requested' ? 'sent back for changes' : row.decision.decision} on ${row.decision.decidedAt.slice(0, 10)}; a decision is final`, {
          request: row.request.id,
        });
      }
      catalogue.transaction(() => store.setRequestDecision(row.request.id, verified.decision, verified.reviewerKey.publicKey));
      const r = row.request;
      recordActivity(
        catalogue,
        { kind: 'mdf-decision', subject: r.id, brand: row.brand, data: { decision: verified.decision.decision, budget: r.budgetRequested, activityType: r.activityType, pipeline: r.expectedPipeline, currency: row.currency } },
        ctx.now(),
      );
      return requestView(store.request(r.id)!);
    },

    'vendor:mdf-program': ({ brand }) => {
      catalogue.getBrand(brand);
      return store.program(brand)?.program ?? null;
    },

    'vendor:mdf-program-import': ({ brand: brandId, source }) => {
      const program = parseProgramText(source);
      const brand = requireEditable(brandId);
      checkProgramForBrand(program, brand);
      const existing = store.program(brandId)?.program;
      const withoutVersion = (p: MdfProgram) => canonicalJson({ ...p, version: 0 });
      // A new version only when something changed; the same program again writes nothing.
      if (existing && existing.id === program.id && withoutVersion(existing) === withoutVersion(program)) return { id: existing.id, version: existing.version };
      const version = existing && existing.id === program.id ? Math.max(existing.version + 1, program.version) : program.version;
      catalogue.transaction(() => store.saveProgram(brandId, { ...program, version }, ctx.now()));
      return { id: program.id, version };
    },

    'mdf:queue': () => store.queue().map(queueView),

    'mdf:packet-import': ({ data }) => {
      const bytes = new Uint8Array(Buffer.from(data, 'base64'));
      // Container, limits, request file signature and attachments by hash (throws mdf-invalid or mdf-signature).
      const packet = readPacket(bytes);
      const { request, sha256, installKey: signer } = packet.request;
      const existing = store.queued(request.id);
      if (existing) {
        if (existing.requestSha256 === sha256) return queueView(existing);
        throw new LockupError('mdf-invalid', `A different request file with the same id (${request.id.slice(0, 8)}…) is already in the queue; ask the partner to send a new request`, { request: request.id });
      }
      // Evaluated against the program as it is here now: a request made under an older version of the same program is judged by the current rules.
      const { program, brand } = reviewProgram(request.program.id);
      const prior = store.queue(request.partner.id).map((r) => priorOf(r.request, QUEUE_PRIOR[r.status]));
      const evaluation = evaluateRequest(program, request, prior, brand.access);
      const activityName = program.activityTypes.find((t) => t.id === request.activityType)?.name ?? request.activityType;
      const brandId = program.brand;
      const item = catalogue.transaction(() => {
        const base = {
          request,
          programName: program.name,
          currency: program.currency,
          activityName,
          requestSha256: sha256,
          requestFile: packet.requestFile,
          signedBy: signer.fingerprint,
          evaluation,
          attachments: request.attachments.map((a) => ({ name: a.name, kind: a.kind, size: a.size, ok: true })),
          importedAt: ctx.now().toISOString(),
        };
        if (evaluation.verdict === 'needs-review') {
          store.saveQueued({ ...base, status: 'awaiting-review' });
          return null;
        }
        // Decided at import: a veto is a rejection with the broken rules as the reason; a clean request within the limit is approved.
        const vetoed = evaluation.verdict === 'auto-vetoed';
        const reason = vetoed ? `Vetoed automatically: ${evaluation.breaches.map((b) => b.message).join('; ')}`.slice(0, 4000) : AUTO_APPROVED_REASON;
        const d = decideNow({ request, requestSha256: sha256, evaluation }, vetoed ? 'rejected' : 'approved', reason, null);
        store.saveQueued({ ...base, status: vetoed ? 'auto-vetoed' : 'approved', decision: d.decision, decisionPath: d.file });
        written('decision', request.id, d.file, d.bytes);
        return d.decision;
      });
      if (item) decisionActivity(request, item.decision, program.currency, brandId);
      return queueView(store.queued(request.id)!);
    },

    'mdf:decide': ({ request: id, decision, reason, path: target }) => {
      const row = store.queued(id);
      if (!row) throw new LockupError('mdf-unknown', 'There is no such request in the review queue', { request: id });
      if (row.decision) throw new LockupError('mdf-invalid', `This request was already ${row.status === 'auto-vetoed' ? 'vetoed automatically' : row.status === 'changes-requested' ? 'sent back for changes' : row.status}; a decision is final`, { request: id });
      if (decision !== 'approved' && reason.trim() === '') {
        throw new LockupError('mdf-invalid', decision === 'rejected' ? 'Give the partner a reason for the rejection' : 'Tell the partner what to change', { problems: [{ field: 'reason', message: 'Enter a reason' }] });
      }
      if (UNSAFE_MULTILINE.test(reason)) throw new LockupError('mdf-invalid', 'The reason must not contain control or text-direction characters');
      const d = decideNow(row, decision, reason.trim(), target);
      catalogue.transaction(() => {
        store.setQueueDecision(id, d.decision, d.file);
        written('decision', id, d.file, d.bytes);
      });
      let brand: string | null = null;
      try {
        brand = reviewProgram(row.request.program.id).program.brand;
      } catch {
        // The program left the catalogue since import: the event goes without a brand.
      }
      decisionActivity(row.request, decision, row.currency, brand);
      return { item: queueView(store.queued(id)!), file: { path: d.file, fileName: path.basename(d.file), byteLength: d.bytes.byteLength } };
    },
  };
}

/** Whether a file is still on disk with these bytes. */
function sameOnDisk(file: string, sha256: string): boolean {
  try {
    return sha256Hex(new Uint8Array(fs.readFileSync(file))) === sha256;
  } catch {
    return false;
  }
}
