import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AttemptResult, CertificationView, EarnedView, LEARNING_API, ModuleCard, ModuleStatus, PlaybookCard, QuestionView } from '../../core/contracts/learning-api.ts';
import { LockupError } from '../../core/errors.ts';
import { evaluateAccess, policyNamesCertification, type AccessDecision, type Brand, type PartnerProfile } from '../../core/model/index.ts';
import { checkPlaybookTemplates, parsePlaybook, playbookTemplateRefs, playSteps, type Playbook } from '../../core/playbook/model.ts';
import { playbookPdf } from '../../core/playbook/pdf.ts';
import { canAttempt, drawQuestions, type AttemptDecision, type Rng } from '../../core/training/attempts.ts';
import { gradeAttempt } from '../../core/training/grade.ts';
import { parseTrainingSource, type TrainingModule, type TrainingModuleSource } from '../../core/training/model.ts';
import { protectModule, webRandomBytes } from '../../core/training/protect.ts';
import { canonicalJson, CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { nodeCodec } from '../assets/image-store.ts';
import { certificatePdf } from '../../core/training/certificate.ts';
import { COMPLETION_EXTENSION, completionAttachment, completionFileName, installKey, signCompletion, verifyCompletion } from '../learning/completion.ts';
import { sha256Hex } from '../util/hash.ts';
import { LearningStore, type CompletionRow, type StoredModule } from '../learning/store.ts';
import { outsideScope, type AccessSource } from '../packs/access.ts';
import { PackStore } from '../packs/store.ts';
import { recordActivity } from '../insights/ledger.ts';
import { writeFileAtomic } from '../util/files.ts';
import { slug } from '../util/slug.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/**
 * Playbooks and training (issue #7): the partner's Learn area and the
 * vendor's Playbooks tab. The partner is the current profile; access to a
 * playbook follows the same policies and the same per-brand source of
 * attributes as templates (backend/packs/access.ts), certifications earned
 * here included. Grading happens here against the protected module; the
 * renderer never sees answer data. Attempts count per partner (the
 * company), whoever took them, so a limit cannot be stepped round by typing
 * another name. Refused requests change nothing.
 */

/** A secure generator for the draw: nothing to replay, nothing to predict. */
const secureRng: Rng = () => randomBytes(4).readUInt32BE(0) / 2 ** 32;

// C0/C1 controls, line and paragraph separators, bidi controls: the name is printed on certificates and records.
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;


/** A module or playbook with `version` left out: what "changed" compares. */
const withoutVersion = (value: { version: number }) => canonicalJson({ ...value, version: 0 });

export function learningHandlers(ctx: HandlerContext): HandlersFor<typeof LEARNING_API> {
  const { catalogue } = ctx;
  const store = new LearningStore(catalogue);
  const packs = new PackStore(catalogue);

  const partner = (): PartnerProfile => {
    const p = ctx.currentProfile();
    if (!p) throw new LockupError('profile-invalid', 'Set up your partner profile first');
    return p;
  };

  const nameIn = (list: readonly { id: string; name: string }[], id: string) => list.find((e) => e.id === id)?.name ?? id;
  const certName = (brand: Brand, id: string) => nameIn(brand.access.certifications, id);

  /** A certification with the brand's templates and playbooks whose policy names it. */
  const certView = (brandId: string, id: string): CertificationView => {
    const brand = catalogue.getBrand(brandId);
    return {
      id,
      name: certName(brand, id),
      brand: brandId,
      unlocks: {
        templates: catalogue
          .listTemplates()
          .filter((t) => t.brand === brandId && policyNamesCertification(t.access, id))
          .map((t) => ({ id: t.id, name: t.name })),
        playbooks: store
          .listPlaybooks(brandId)
          .filter((p) => policyNamesCertification(p.playbook.access, id))
          .map((p) => ({ id: p.playbook.id, name: p.playbook.name })),
      },
    };
  };

  /** Per request: the access source of each brand for the partner (credential checks are not free). */
  const sources = (profile: PartnerProfile, now: Date) => {
    const cache = new Map<string, AccessSource>();
    return (brandId: string): AccessSource => {
      let s = cache.get(brandId);
      if (!s) {
        s = catalogue.accessProfile(brandId, profile, now);
        cache.set(brandId, s);
      }
      return s;
    };
  };

  const playbookDecision = (pb: Playbook, source: AccessSource): AccessDecision => {
    // A distributor-scoped credential covers templates only: a playbook sees the partner outside that scope.
    const p = outsideScope(source);
    return evaluateAccess(pb.access, { tier: p.tier, type: p.type, region: p.region, distributor: p.distributor, certifications: p.certifications }, catalogue.getBrand(pb.brand).access);
  };

  const stepIds = (pb: Playbook) => new Set(playSteps(pb).flatMap(({ play }) => play.steps.map((s) => s.id)));
  /** Ticked steps the playbook still has (a step removed in a newer version no longer counts). */
  const doneSteps = (partnerId: string, pb: Playbook) => {
    const ids = stepIds(pb);
    return store.playbookProgress(partnerId, pb.id).filter((s) => ids.has(s));
  };

  const playbookCard = (pb: Playbook, profile: PartnerProfile, source: AccessSource): PlaybookCard => {
    const decision = playbookDecision(pb, source);
    return {
      id: pb.id,
      version: pb.version,
      brand: pb.brand,
      brandName: catalogue.getBrand(pb.brand).name,
      name: pb.name,
      summary: pb.summary,
      available: decision.allowed,
      reasons: decision.reasons,
      requirements: evaluateAccess(pb.access, {}, catalogue.getBrand(pb.brand).access).reasons,
      progress: { done: doneSteps(profile.id, pb).length, total: stepIds(pb).size },
    };
  };

  /** The playbook a partner may open, or the reason why not (playbook-unknown, playbook-not-entitled). */
  const openable = (id: string, profile: PartnerProfile, now: Date): Playbook => {
    const pb = store.getPlaybook(id)?.playbook;
    if (!pb) throw new LockupError('playbook-unknown', `There is no playbook "${id}" in this catalogue`, { id });
    const decision = playbookDecision(pb, catalogue.accessProfile(pb.brand, profile, now));
    if (!decision.allowed) throw new LockupError('playbook-not-entitled', `"${pb.name}" is not available to ${profile.company}: ${decision.reasons.join('; ')}`, { reasons: decision.reasons });
    return pb;
  };

  const moduleOf = (id: string): StoredModule => {
    const m = store.getModule(id);
    if (!m) throw new LockupError('training-unknown', `There is no training module "${id}" in this catalogue`, { id });
    return m;
  };

  const decide = (partnerId: string, m: TrainingModule, now: Date): { decision: AttemptDecision; status: ModuleStatus } => {
    const history = store.attemptHistory(partnerId, m.id);
    const decision = canAttempt(history, m, now);
    const failures = history.filter((r) => !r.passed).length;
    const limit = m.quiz.attemptLimit;
    const best = history.length === 0 ? null : Math.max(...history.map((r) => r.score));
    const base = { failures, attemptsLeft: limit === null ? null : Math.max(0, limit - failures), until: null, best };
    if (decision.allowed) return { decision, status: { state: 'open', ...base } };
    if (decision.reason === 'cooldown') return { decision, status: { state: 'cooldown', ...base, until: new Date(decision.until).toISOString() } };
    return { decision, status: { state: decision.reason, ...base } };
  };

  const earnedView = (c: CompletionRow): EarnedView => {
    const brand = catalogue.getBrand(c.brand);
    return {
      module: c.module,
      // A module the vendor has since withdrawn keeps its record; its id stands in for the title.
      moduleTitle: store.getModule(c.module)?.module.title ?? c.module,
      certification: c.certification,
      certificationName: certName(brand, c.certification),
      brand: c.brand,
      person: c.person,
      at: c.completedAt,
      score: c.score,
      code: c.code,
    };
  };

  const moduleCard = (s: StoredModule, profile: PartnerProfile, now: Date): ModuleCard => {
    const m = s.module;
    const completion = store.completionOf(profile.id, m.id);
    return {
      id: m.id,
      version: m.version,
      brand: s.brand,
      brandName: catalogue.getBrand(s.brand).name,
      title: m.title,
      summary: m.summary,
      lessons: m.lessons.length,
      draw: m.quiz.draw,
      bank: m.quiz.questions.length,
      passMark: m.quiz.passMark,
      attemptLimit: m.quiz.attemptLimit,
      cooldownMinutes: m.quiz.cooldownMinutes,
      grants: certView(s.brand, m.grants),
      status: decide(profile.id, m, now).status,
      earned: completion ? earnedView(completion) : null,
    };
  };

  /** Brands authored here; one that came in a signed pack belongs to its publisher. */
  const requireEditable = (brandId: string): Brand => {
    const brand = catalogue.getBrand(brandId);
    const publisherId = catalogue.brandPublisher(brandId);
    if (publisherId !== null) {
      const name = packs.publisher(publisherId)?.name ?? publisherId;
      throw new LockupError('read-only', `The brand "${brand.name}" was published by ${name} in a signed pack: you can use its playbooks and training but not change them`, { publisher: publisherId });
    }
    return brand;
  };

  /** Signs the completion record of a pass (backend/learning/completion.ts); returns the row to store. */
  const completionFor = (a: { id: string; person: string }, s: StoredModule, profile: PartnerProfile, score: number, failedAttempts: number, at: Date): CompletionRow => {
    const brand = catalogue.getBrand(s.brand);
    const m = s.module;
    const id = randomUUID();
    const signed = signCompletion(catalogue, {
      id,
      module: { id: m.id, version: m.version, title: m.title },
      brand: { id: brand.id, name: brand.name },
      certification: { id: m.grants, name: certName(brand, m.grants) },
      partner: { id: profile.id, name: profile.company },
      person: a.person,
      score,
      passMark: m.quiz.passMark,
      failedAttempts,
      completedAt: at.toISOString(),
    });
    return {
      id,
      attempt: a.id,
      brand: brand.id,
      module: m.id,
      moduleVersion: m.version,
      certification: m.grants,
      partner: profile.id,
      person: a.person,
      score,
      completedAt: at.toISOString(),
      record: signed.bytes,
      code: signed.code,
    };
  };

  /** Writes an export atomically and records it, so the renderer may download or reveal it. */
  const written = (kind: 'playbook' | 'certificate' | 'completion', subject: string, partnerId: string, file: string, bytes: Uint8Array, now: Date) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, bytes);
    store.recordExport({ kind, subject, partner: partnerId, path: file, sha256: sha256Hex(bytes), byteLength: bytes.byteLength }, now);
  };

  /** The signed record of this partner's pass of a module, or training-not-allowed when there is none. */
  const passed = (moduleId: string, profile: PartnerProfile): CompletionRow & { record: Uint8Array } => {
    const c = store.completionOf(profile.id, moduleId);
    if (!c) throw new LockupError('training-not-allowed', `You have not passed "${store.getModule(moduleId)?.module.title ?? moduleId}" yet: there is no certificate to export`);
    if (!c.record) throw new LockupError('completion-invalid', 'This pass has no signed completion record');
    return c as CompletionRow & { record: Uint8Array };
  };

  const exportPath = (target: string | null, fallback: string, ext: string) => {
    const file = path.resolve(target ?? path.join(ctx.exportDir, fallback));
    if (!file.toLowerCase().endsWith(ext)) throw new LockupError('invalid-argument', `The export path must end in ${ext}`);
    return file;
  };

  return {
    'learning:overview': () => {
      const profile = partner();
      const now = ctx.now();
      const sourceOf = sources(profile, now);
      const certifications: (CertificationView & { source: 'credential' | 'training' | 'profile' })[] = [];
      for (const brandId of catalogue.brandIds()) {
        const source = sourceOf(brandId);
        const stated = source.source === 'credential' ? (source.claims?.certifications ?? []) : source.source === 'profile' ? profile.certifications : [];
        const seen = new Set<string>();
        const add = (id: string, from: 'credential' | 'training' | 'profile') => {
          if (seen.has(id)) return;
          seen.add(id);
          certifications.push({ ...certView(brandId, id), source: from });
        };
        // What the vendor stated (credential, or the profile for a brand authored here) first, then what was earned here.
        for (const id of stated) add(id, source.source === 'credential' ? 'credential' : 'profile');
        for (const id of source.earned) add(id, 'training');
      }
      return {
        playbooks: store.listPlaybooks().map(({ playbook }) => playbookCard(playbook, profile, sourceOf(playbook.brand))),
        modules: store.listModules().map((s) => moduleCard(s, profile, now)),
        certifications,
        earned: store.listCompletions(profile.id).map(earnedView),
        // Made on first use: the partner gives this fingerprint to its vendor or distributor, who verifies records with --key.
        installKey: { fingerprint: installKey(catalogue).fingerprint },
      };
    },

    'playbook:open': ({ id }) => {
      const profile = partner();
      const now = ctx.now();
      const pb = openable(id, profile, now);
      const cards = catalogue.templatesFor(profile, now);
      const templates = playbookTemplateRefs(pb).map((tid) => {
        // A distributor's derivation stands in for the vendor template it derives (docs/decisions/0020).
        const card = cards.find((c) => c.id === tid) ?? cards.find((c) => packs.derivation(c.id)?.derivedFrom === tid);
        if (!card) return { id: tid, name: tid, available: false, reasons: ['No longer in the catalogue'] };
        return { id: tid, name: card.name, available: card.decision.allowed, reasons: card.decision.reasons };
      });
      return { playbook: pb, brandName: catalogue.getBrand(pb.brand).name, templates, done: doneSteps(profile.id, pb) };
    },

    'playbook:step': ({ id, step, done }) => {
      const profile = partner();
      const now = ctx.now();
      const pb = openable(id, profile, now);
      if (!stepIds(pb).has(step)) throw new LockupError('invalid-argument', `The playbook "${pb.name}" has no step "${step}"`, { playbook: pb.id, step });
      store.setStepDone(profile.id, pb.id, step, done, now);
      recordActivity(catalogue, { kind: 'playbook-step', subject: pb.id, brand: pb.brand, partner: profile.id, data: { step, done } }, now);
      return { done: doneSteps(profile.id, pb) };
    },

    'playbook:export': async ({ id, path: target }) => {
      const profile = partner();
      const now = ctx.now();
      const pb = openable(id, profile, now);
      const brand = catalogue.getBrand(pb.brand);
      const file = path.resolve(target ?? path.join(ctx.exportDir, `${slug(pb.name) || 'playbook'}-${slug(profile.company) || 'partner'}.pdf`));
      if (!file.toLowerCase().endsWith('.pdf')) throw new LockupError('invalid-argument', 'The export path must end in .pdf');
      const templateNames: Record<string, string> = {};
      for (const tid of playbookTemplateRefs(pb)) {
        try {
          templateNames[tid] = catalogue.getTemplate(tid).name;
        } catch {
          templateNames[tid] = tid;
        }
      }
      const logo = typeof profile.logo === 'string' ? profile.logo : (profile.logo?.light ?? profile.logo?.dark);
      const contact = [profile.contact.phone, profile.contact.email, profile.contact.url, profile.contact.address].filter((v): v is string => !!v && v.trim() !== '');
      const { bytes, pages } = await playbookPdf({
        playbook: pb,
        brand,
        asset: (ref) => catalogue.assetBytes(ref)?.bytes,
        partner: { name: profile.company, ...(logo ? { logo } : {}), contact },
        templateNames,
        date: now,
        codec: nodeCodec,
      });
      written('playbook', pb.id, profile.id, file, bytes, now);
      recordActivity(catalogue, { kind: 'playbook-export', subject: pb.id, brand: pb.brand, partner: profile.id }, now);
      return { path: file, fileName: path.basename(file), byteLength: bytes.byteLength, pages };
    },

    'training:open': ({ id }) => {
      const profile = partner();
      const s = moduleOf(id);
      return { card: moduleCard(s, profile, ctx.now()), lessons: s.module.lessons };
    },

    'training:start': ({ id, person }) => {
      const profile = partner();
      const now = ctx.now();
      const s = moduleOf(id);
      if (UNSAFE_TEXT.test(person)) throw new LockupError('invalid-argument', 'The name must not contain control or text-direction characters');
      const { decision } = decide(profile.id, s.module, now);
      if (!decision.allowed) {
        const until = decision.reason === 'cooldown' ? new Date(decision.until).toISOString() : null;
        const message = until ? `${decision.message.replace(/\.$/, '')}, from ${until.slice(0, 16).replace('T', ' ')} UTC.` : decision.message;
        throw new LockupError('training-not-allowed', message, { reason: decision.reason, until });
      }
      const m = s.module;
      const drawn = drawQuestions(m, secureRng);
      const attempt = randomUUID();
      store.recordAttemptStart({ id: attempt, brand: s.brand, module: m.id, moduleVersion: m.version, partner: profile.id, person, drawn, startedAt: now.toISOString() });
      const byId = new Map(m.quiz.questions.map((q) => [q.id, q]));
      const questions: QuestionView[] = drawn.map((qid) => {
        const q = byId.get(qid)!;
        return { id: q.id, kind: q.kind, prompt: q.prompt, options: q.options.map((o) => ({ id: o.id, text: o.text })) };
      });
      return { attempt, questions, passMark: m.quiz.passMark };
    },

    'training:submit': async ({ attempt: attemptId, answers }): Promise<AttemptResult> => {
      const profile = partner();
      const invalid = (message: string): never => {
        throw new LockupError('training-attempt-invalid', message, { attempt: attemptId });
      };
      const a = store.getAttempt(attemptId);
      if (!a || a.partner !== profile.id) return invalid('There is no such attempt; start the quiz again');
      if (a.submittedAt !== null) return invalid('This attempt was already submitted');
      // One open attempt at a time: a later start supersedes this one (its draw cannot be kept in reserve past a fail and its cool-down).
      const latest = store.listAttempts(profile.id, a.module).at(-1);
      if (latest?.id !== a.id) return invalid('A newer attempt at this module was started; submit that one');
      const s = store.getModule(a.module);
      if (!s || s.module.version !== a.moduleVersion) return invalid('The module changed since this attempt started; start the quiz again');
      const failedBefore = store.attemptHistory(profile.id, a.module).filter((r) => !r.passed).length;

      // Throws training-attempt-invalid for answers to questions that were not drawn.
      const grade = await gradeAttempt(s.module, a.drawn, answers);
      const now = ctx.now();
      const completion = grade.passed ? completionFor(a, s, profile, grade.score, failedBefore, now) : null;
      catalogue.transaction(() => {
        // Refused here when another submit of the same attempt won the race while this one was grading.
        store.recordAttemptSubmit(a.id, { submittedAt: now.toISOString(), answers, score: grade.score, passed: grade.passed });
        if (completion) store.saveCompletion(completion);
        recordActivity(catalogue, { kind: 'quiz-result', subject: a.module, brand: s.brand, partner: profile.id, data: { score: grade.score, passed: grade.passed } }, now);
      });
      return {
        attempt: a.id,
        score: grade.score,
        passMark: grade.passMark,
        passed: grade.passed,
        questions: grade.questions.map((q) => ({ id: q.questionId, points: q.points, correct: q.status === 'correct', explanation: q.explanation ?? null })),
        status: decide(profile.id, s.module, now).status,
        granted: completion ? certView(s.brand, s.module.grants) : null,
        earned: completion ? earnedView(completion) : null,
      };
    },

    // Wired by the lead with the certificate PDF and the completion file (backend/learning/completion.ts).
    'certificate:export': async ({ module: moduleId, path: target }) => {
      const profile = partner();
      const c = passed(moduleId, profile);
      const brand = catalogue.getBrand(c.brand);
      const title = store.getModule(c.module)?.module.title ?? c.module;
      const file = exportPath(target, `certificate-${slug(title) || 'module'}-${slug(c.person) || 'person'}.pdf`, '.pdf');
      const logo = typeof profile.logo === 'string' ? profile.logo : (profile.logo?.light ?? profile.logo?.dark);
      const verified = verifyCompletion(c.record, ctx.now());
      const bytes = await certificatePdf({
        brand,
        asset: (ref) => catalogue.assetBytes(ref)?.bytes,
        partner: { name: verified.claims.partner.name, ...(logo ? { logo } : {}) },
        person: verified.claims.person,
        moduleTitle: verified.claims.module.title,
        certificationName: verified.claims.certification.name,
        date: new Date(verified.claims.completedAt),
        score: verified.claims.score,
        code: verified.code,
        attachment: (({ name, data, description }) => ({ name, bytes: data, description }))(completionAttachment({ bytes: c.record, fileName: completionFileName(verified) })),
        codec: nodeCodec,
      });
      written('certificate', c.id, profile.id, file, bytes, ctx.now());
      return { path: file, fileName: path.basename(file), byteLength: bytes.byteLength, code: verified.code };
    },

    'completion:export': ({ module: moduleId, path: target }) => {
      const profile = partner();
      const c = passed(moduleId, profile);
      const verified = verifyCompletion(c.record, ctx.now());
      const file = exportPath(target, completionFileName(verified), COMPLETION_EXTENSION);
      written('completion', c.id, profile.id, file, c.record, ctx.now());
      return { path: file, fileName: path.basename(file), byteLength: c.record.byteLength, code: verified.code };
    },

    'vendor:playbooks': ({ brand }) => {
      catalogue.getBrand(brand);
      return store.listPlaybooks(brand).map(({ playbook: pb, updatedAt }) => ({
        id: pb.id,
        version: pb.version,
        name: pb.name,
        sections: pb.sections.length,
        plays: pb.sections.reduce((n, s) => n + s.plays.length, 0),
        updatedAt,
      }));
    },

    'vendor:playbook-get': ({ brand, id }) => {
      const stored = store.getPlaybook(id);
      if (!stored || stored.playbook.brand !== brand) throw new LockupError('playbook-unknown', `Brand "${brand}" has no playbook "${id}"`, { id, brand });
      return stored.playbook;
    },

    'vendor:playbook-save': ({ playbook, base }) => {
      const pb = parsePlaybook(playbook);
      requireEditable(pb.brand);
      checkPlaybookTemplates(pb, new Set(packs.activeTemplateIds(pb.brand)));
      const existing = store.getPlaybook(pb.id)?.playbook;
      if (existing && existing.brand !== pb.brand) throw new LockupError('forbidden', `The playbook id "${pb.id}" already belongs to brand "${existing.brand}"`, { id: pb.id });
      if (base === null && existing) {
        throw new LockupError('playbook-invalid', `A playbook with the id "${pb.id}" already exists ("${existing.name}"); choose another id`, { issues: [{ path: 'id', message: 'this id is taken' }] });
      }
      if (typeof base === 'number' && existing?.version !== base) {
        throw new LockupError('playbook-invalid', existing ? `"${existing.name}" was changed elsewhere since you opened it (version ${existing.version} is stored now, you edited version ${base}); reopen it and make your changes again` : `"${pb.name}" was deleted since you opened it`, { id: pb.id });
      }
      // A new version only when something changed; an unchanged save writes nothing.
      if (existing && withoutVersion(existing) === withoutVersion(pb)) return { id: pb.id, version: existing.version };
      const version = existing ? existing.version + 1 : pb.version;
      store.savePlaybook({ ...pb, version });
      return { id: pb.id, version };
    },

    'vendor:playbook-delete': ({ brand, id }) => {
      requireEditable(brand);
      return { deleted: store.deletePlaybook(brand, id) };
    },

    'vendor:playbook-image': async ({ name, data }) => {
      const bytes = new Uint8Array(Buffer.from(data, 'base64'));
      // The intake logos go through: identified, then decoded in the isolated image worker before it is stored.
      const image = await ctx.engine.resources.images.prepareUntrusted(bytes, name);
      const ref = catalogue.putAsset(bytes, name);
      return { ref, width: image.info.width, height: image.info.height };
    },

    'vendor:training': ({ brand }) => {
      catalogue.getBrand(brand);
      return store.listModules(brand).map(({ module: m, updatedAt }) => ({
        id: m.id,
        version: m.version,
        title: m.title,
        grants: m.grants,
        lessons: m.lessons.length,
        questions: m.quiz.questions.length,
        draw: m.quiz.draw,
        passMark: m.quiz.passMark,
        updatedAt,
      }));
    },

    'vendor:training-import': async ({ brand: brandId, source: text }) => {
      let data: unknown;
      try {
        data = parseUntrustedJson(text);
      } catch (err) {
        throw new LockupError('json-invalid', `The training module file is not valid JSON: ${(err as CanonicalJsonError).message}`);
      }
      const src = parseTrainingSource(data);
      const brand = requireEditable(brandId);
      if (!brand.access.certifications.some((c) => c.id === src.grants)) {
        const known = brand.access.certifications.map((c) => c.id);
        throw new LockupError('training-invalid', `The module "${src.id}" grants "${src.grants}", which is not one of ${brand.name}'s certifications${known.length > 0 ? ` (${known.join(', ')})` : '; add it under Access levels first'}`, {
          module: src.id,
          grants: src.grants,
        });
      }
      const existing = store.getModule(src.id);
      if (existing && existing.brand !== brandId) throw new LockupError('forbidden', `The training module id "${src.id}" already belongs to brand "${existing.brand}"`, { id: src.id });
      if (existing?.source && withoutVersion(existing.source) === withoutVersion(src)) return { id: src.id, version: existing.module.version };
      const version = existing ? existing.module.version + 1 : src.version;
      const source: TrainingModuleSource = { ...src, version };
      // Protected here, with a fresh salt: the pack carries this form, the catalogue keeps the source for the next edit.
      const module = await protectModule(source, webRandomBytes);
      store.saveModule(brandId, module, source);
      return { id: src.id, version };
    },
  };
}
