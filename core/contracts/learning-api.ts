import { z } from 'zod';
import { Id } from '../model/access.ts';
import { Playbook } from '../playbook/model.ts';
import { Lesson, QUESTION_KINDS } from '../training/model.ts';
import { Base64, Empty, op } from './op.ts';

/**
 * Playbooks and training (issue #7), for the partner's Learn area and the
 * vendor's Playbooks tab. The backend keeps every answer tag: the renderer
 * never sees more of a question than its prompt and options, and grading
 * happens in the backend against the protected module (core/training).
 */

const Named = z.object({ id: z.string(), name: z.string() });
const Path = z.string().min(1).max(4096).nullable().default(null);

/** A certification and what holding it opens. */
export const CertificationView = z.object({
  id: z.string(),
  name: z.string(),
  brand: z.string(),
  /** Templates and playbooks whose access policy this certification satisfies (alone or as the alternative). */
  unlocks: z.object({ templates: z.array(Named), playbooks: z.array(Named) }),
});
export type CertificationView = z.infer<typeof CertificationView>;

/** Where a learner stands on a module (core/training/attempts.ts canAttempt). */
export const ModuleStatus = z.object({
  state: z.enum(['open', 'passed', 'cooldown', 'exhausted']),
  /** Failed attempts so far. */
  failures: z.number(),
  /** Failed attempts still allowed; null for no limit. */
  attemptsLeft: z.number().nullable(),
  /** ISO time the cool-down ends (state "cooldown"). */
  until: z.string().nullable(),
  /** The best score so far, 0..1, or null before any attempt. */
  best: z.number().nullable(),
});
export type ModuleStatus = z.infer<typeof ModuleStatus>;

export const EarnedView = z.object({
  module: z.string(),
  moduleTitle: z.string(),
  certification: z.string(),
  certificationName: z.string(),
  brand: z.string(),
  person: z.string(),
  /** ISO time of the passing attempt. */
  at: z.string(),
  score: z.number(),
  /** The completion record's verification code, e.g. "LKP-7F3K-92QD-XM4A". */
  code: z.string(),
});
export type EarnedView = z.infer<typeof EarnedView>;

export const ModuleCard = z.object({
  id: z.string(),
  version: z.number(),
  brand: z.string(),
  brandName: z.string(),
  title: z.string(),
  summary: z.string(),
  lessons: z.number(),
  /** Questions per attempt, and the bank they are drawn from. */
  draw: z.number(),
  bank: z.number(),
  passMark: z.number(),
  attemptLimit: z.number().nullable(),
  cooldownMinutes: z.number(),
  grants: CertificationView,
  status: ModuleStatus,
  earned: EarnedView.nullable(),
});
export type ModuleCard = z.infer<typeof ModuleCard>;

export const PlaybookCard = z.object({
  id: z.string(),
  version: z.number(),
  brand: z.string(),
  brandName: z.string(),
  name: z.string(),
  summary: z.string(),
  available: z.boolean(),
  /** Why it is closed, e.g. "Gold partners only, or Security Certified". */
  reasons: z.array(z.string()),
  requirements: z.array(z.string()),
  /** Steps ticked off, over all plays. */
  progress: z.object({ done: z.number(), total: z.number() }),
});
export type PlaybookCard = z.infer<typeof PlaybookCard>;

/** A drawn question as the learner sees it: no answer data. */
export const QuestionView = z.object({
  id: z.string(),
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string(),
  options: z.array(z.object({ id: z.string(), text: z.string() })),
});
export type QuestionView = z.infer<typeof QuestionView>;

export const QuestionResult = z.object({
  id: z.string(),
  /** 0..1 for this question. */
  points: z.number(),
  /** Full marks on this question. */
  correct: z.boolean(),
  explanation: z.string().nullable(),
});

export const AttemptResult = z.object({
  attempt: z.string(),
  /** Fraction of the attempt's points, 0..1. */
  score: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  questions: z.array(QuestionResult),
  status: ModuleStatus,
  /** On a pass: the certification now held, with what it unlocks. */
  granted: CertificationView.nullable(),
  earned: EarnedView.nullable(),
});
export type AttemptResult = z.infer<typeof AttemptResult>;

const Written = z.object({ path: z.string(), fileName: z.string(), byteLength: z.number() });

/** A playbook as the vendor lists it in its Playbooks tab. */
export const PlaybookSummary = z.object({ id: z.string(), version: z.number(), name: z.string(), sections: z.number(), plays: z.number(), updatedAt: z.string() });

export const LEARNING_API = {
  /** Everything in the partner's Learn area: playbooks, modules, certifications held. */
  'learning:overview': op(
    Empty,
    z.object({
      playbooks: z.array(PlaybookCard),
      modules: z.array(ModuleCard),
      /** Certifications held for each brand: from the credential and from modules passed here. */
      certifications: z.array(CertificationView.extend({ source: z.enum(['credential', 'training', 'profile']) })),
      earned: z.array(EarnedView),
      /** The fingerprint of the key this install signs completion records with (`lockup completion verify --key`). */
      installKey: z.object({ fingerprint: z.string() }),
    }),
  ),
  'playbook:open': op(
    z.object({ id: Id }).strict(),
    z.object({
      playbook: Playbook,
      brandName: z.string(),
      /** Templates the playbook links to, with whether this partner may open them. */
      templates: z.array(z.object({ id: z.string(), name: z.string(), available: z.boolean(), reasons: z.array(z.string()) })),
      /** Step ids ticked off. */
      done: z.array(z.string()),
    }),
  ),
  'playbook:step': op(z.object({ id: Id, step: Id, done: z.boolean() }).strict(), z.object({ done: z.array(z.string()) })),
  /** The co-branded playbook PDF (partner logo and contact on cover and footer, TOC, page numbers). */
  'playbook:export': op(z.object({ id: Id, path: Path }).strict(), Written.extend({ pages: z.number() })),

  'training:open': op(
    z.object({ id: Id }).strict(),
    z.object({ card: ModuleCard, lessons: z.array(Lesson) }),
  ),
  /** Draws the questions of a new attempt; refused (training-not-allowed) in a cool-down, when exhausted, or after a pass. */
  'training:start': op(z.object({ id: Id, person: z.string().trim().min(1).max(120) }).strict(), z.object({ attempt: z.string(), questions: z.array(QuestionView), passMark: z.number() })),
  'training:submit': op(
    z.object({ attempt: z.string().min(1).max(100), answers: z.record(z.string().max(80), z.array(z.string().max(80)).max(20)) }).strict(),
    AttemptResult,
  ),
  /** The co-branded certificate PDF; the signed completion record is embedded in it as an attachment. */
  'certificate:export': op(z.object({ module: Id, path: Path }).strict(), Written.extend({ code: z.string() })),
  /** The signed completion file (`.lockup-completion`) a distributor or vendor checks with `lockup completion verify`. */
  'completion:export': op(z.object({ module: Id, path: Path }).strict(), Written.extend({ code: z.string() })),

  // The vendor's Playbooks tab.
  'vendor:playbooks': op(z.object({ brand: Id }).strict(), z.array(PlaybookSummary)),
  'vendor:playbook-get': op(z.object({ brand: Id, id: Id }).strict(), Playbook),
  /** Validates and stores a new version (templates it links to must exist in the brand). */
  /**
   * `base` is the version the editor started from, or null for a new playbook: a save over a playbook that
   * was created or changed since (another window) is refused instead of silently replacing it. Omitted: no check.
   */
  'vendor:playbook-save': op(z.object({ playbook: z.unknown(), base: z.number().int().positive().nullable().optional() }).strict(), z.object({ id: z.string(), version: z.number() })),
  'vendor:playbook-delete': op(z.object({ brand: Id, id: Id }).strict(), z.object({ deleted: z.boolean() })),
  /** Stores an image for a playbook block (same intake checks as logos); returns its asset ref. */
  'vendor:playbook-image': op(z.object({ name: z.string().min(1).max(255), data: Base64 }).strict(), z.object({ ref: z.string(), width: z.number(), height: z.number() })),
  /** The brand's training modules as the vendor authored them (sources stay in this catalogue; packs carry them protected). */
  'vendor:training': op(z.object({ brand: Id }).strict(), z.array(z.object({ id: z.string(), version: z.number(), title: z.string(), grants: z.string(), lessons: z.number(), questions: z.number(), draw: z.number(), passMark: z.number(), updatedAt: z.string() }))),
  /** Adds or updates a module from a `lockup.training-source` file's text; a new version when it changed. */
  'vendor:training-import': op(z.object({ brand: Id, source: z.string().min(2).max(10_000_000) }).strict(), z.object({ id: z.string(), version: z.number() })),
} as const;
