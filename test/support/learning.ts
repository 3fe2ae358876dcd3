import type { PlaybookInput } from '../../core/playbook/model.ts';
import { protectModuleSync } from '../../core/training/protect.ts';
import type { TrainingModule, TrainingModuleSourceInput } from '../../core/training/model.ts';
import { sourceInput, TEST_ITERATIONS } from '../../core/training/test-support/fixtures.ts';
import { nodePbkdf2, nodeRandomBytes } from '../../backend/learning/protect.ts';

/**
 * Playbooks and training modules for backend tests (issue #7). The module
 * is core's four-question fixture (`backup-basics`: single, true/false and
 * two partial-credit multiple choice; draw 4 of 4, pass mark 0.75, three
 * attempts, 30 minutes' cool-down), granting a certification of the
 * caller's choosing.
 */

export { TEST_ITERATIONS };

/** The correct answers of `backup-basics` (all four questions are always drawn). */
export const BACKUP_ANSWERS: Record<string, string[]> = { copies: ['three'], tested: ['false'], media: ['tape', 'cloud'], offline: ['a', 'b', 'd'] };
/** Answers that score 0.5: a fail at pass mark 0.75. */
export const BACKUP_FAIL: Record<string, string[]> = { copies: ['three'], tested: ['true'], media: ['tape', 'cloud'], offline: ['c'] };

export function moduleSource(grants: string, over: Partial<TrainingModuleSourceInput> = {}, quiz: Partial<TrainingModuleSourceInput['quiz']> = {}): TrainingModuleSourceInput {
  return { ...sourceInput(quiz), grants, ...over };
}

/** Protected with a fresh salt at the lowest iteration count the schema allows. */
export function protectFast(source: TrainingModuleSourceInput): TrainingModule {
  return protectModuleSync(source, nodeRandomBytes, nodePbkdf2, { iterations: TEST_ITERATIONS });
}

/**
 * A playbook of a brand: an overview linking to `template`, one play of two
 * steps (the second linked to `template` too), with an optional access
 * policy and image.
 */
export function playbookInput(brand: string, template: string, over: Partial<PlaybookInput> = {}, image?: string): PlaybookInput {
  return {
    format: 'lockup.playbook',
    formatVersion: 1,
    id: `${brand}-quick-start`,
    version: 1,
    brand,
    name: 'Quick start',
    summary: 'The first two weeks with a new customer.',
    sections: [
      {
        id: 'overview',
        title: 'Overview',
        kind: 'overview',
        blocks: [
          { kind: 'paragraph', text: 'Start with **one** customer and a [plan](https://example.com/plan).' },
          ...(image ? [{ kind: 'image' as const, asset: image, alt: 'The campaign hero' }] : []),
          { kind: 'template', template, note: 'Leave this behind.' },
        ],
      },
      {
        id: 'plays',
        title: 'Plays',
        kind: 'plays',
        plays: [
          {
            id: 'first-call',
            title: 'First call',
            steps: [
              { id: 'book', title: 'Book the call', owner: 'Account executive', timing: 'Week 1' },
              { id: 'send', title: 'Send the one-pager', owner: 'Account executive', timing: 'Week 2', template },
            ],
          },
        ],
      },
    ],
    ...over,
  };
}
