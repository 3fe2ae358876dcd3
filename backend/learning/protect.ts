import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { protectModuleSync, type Pbkdf2Sync, type RandomBytes } from '../../core/training/protect.ts';
import { parseTrainingSource, type TrainingModule, type TrainingModuleSource, type TrainingModuleSourceInput } from '../../core/training/model.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { sha256Hex } from '../util/hash.ts';

/** Node's PBKDF2-HMAC-SHA256, for core's synchronous protection. */
export const nodePbkdf2: Pbkdf2Sync = (password, salt, iterations, length) => new Uint8Array(pbkdf2Sync(password, salt, iterations, length, 'sha256'));

export const nodeRandomBytes: RandomBytes = (n) => new Uint8Array(randomBytes(n));

/**
 * Protects a module source now (a fresh salt every call, default
 * iterations, docs/decisions/0022): for building a pack from a content
 * folder, where nothing can wait for Web Crypto.
 */
export function protectSource(source: TrainingModuleSourceInput): TrainingModule {
  return protectModuleSync(source, nodeRandomBytes, nodePbkdf2);
}

/** Identifies a source by its content: the same text gives the same module. */
export function sourceDigest(source: TrainingModuleSource): string {
  return sha256Hex(canonicalJson(parseTrainingSource(source)));
}

const seedCache = new Map<string, TrainingModule>();

/**
 * Protection for seeding a catalogue from a content folder (the demo): one
 * protection per source per process, at the default iteration count. A
 * test run or the bench seeds many catalogues from the same files, and each
 * protection costs a PBKDF2 derivation per question and per correct
 * partial-credit option (about 5 ms each). Catalogues seeded in one process
 * so share a salt; each still holds a single protection per module version,
 * which is all decision 0022 relies on. Packs built from a folder protect
 * afresh (protectSource).
 */
export function protectForSeed(source: TrainingModuleSource): TrainingModule {
  const key = sourceDigest(source);
  let hit = seedCache.get(key);
  if (!hit) {
    hit = protectSource(source);
    seedCache.set(key, hit);
  }
  // A copy: callers may hold on to it while another catalogue is seeded.
  return structuredClone(hit);
}
