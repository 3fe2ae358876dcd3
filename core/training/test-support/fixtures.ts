import type { RandomBytes } from '../protect.ts';
import { seededRng } from '../attempts.ts';
import type { TrainingModuleSourceInput } from '../model.ts';

/** Low, so tests stay quick; the schema's minimum. Production uses DEFAULT_ITERATIONS. */
export const TEST_ITERATIONS = 1_000;

/** Reproducible "random" bytes for tests that compare outputs; never for real packs. */
export function seededBytes(seed: string): RandomBytes {
  const rng = seededRng(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
}

/** A module with one question of each kind, plus a three-of-five multiple choice. */
export function sourceInput(overrides: Partial<TrainingModuleSourceInput['quiz']> = {}): TrainingModuleSourceInput {
  return {
    format: 'lockup.training-source',
    formatVersion: 1,
    id: 'backup-basics',
    version: 1,
    title: 'Backup basics',
    summary: 'What every reseller should know before selling Nimbus Backup.',
    lessons: [
      { id: 'why', title: 'Why backups fail', body: 'Most restores fail because nobody tested them.\n\n- Test restores\n- Keep one copy offline' },
      { id: '3-2-1', title: 'The 3-2-1 rule', body: 'Three copies, two media, one off site.' },
    ],
    quiz: {
      questions: [
        {
          id: 'copies',
          kind: 'single',
          prompt: 'How many copies does the 3-2-1 rule ask for?',
          options: [
            { id: 'one', text: 'One' },
            { id: 'two', text: 'Two' },
            { id: 'three', text: 'Three' },
            { id: 'four', text: 'Four' },
          ],
          correct: ['three'],
          explanation: 'The first number of the rule counts the copies.',
        },
        {
          id: 'tested',
          kind: 'true-false',
          prompt: 'A backup that has never been restored can be trusted.',
          options: [
            { id: 'true', text: 'True' },
            { id: 'false', text: 'False' },
          ],
          correct: ['false'],
        },
        {
          id: 'media',
          kind: 'multiple',
          prompt: 'Which of these count as a separate medium?',
          options: [
            { id: 'tape', text: 'Tape' },
            { id: 'same-disk', text: 'Another folder on the same disk' },
            { id: 'cloud', text: 'Cloud object storage' },
            { id: 'snapshot', text: 'A snapshot on the same volume' },
          ],
          correct: ['tape', 'cloud'],
        },
        {
          id: 'offline',
          kind: 'multiple',
          prompt: 'Which protect against ransomware?',
          options: [
            { id: 'a', text: 'An air-gapped copy' },
            { id: 'b', text: 'Immutable storage' },
            { id: 'c', text: 'A mapped network drive' },
            { id: 'd', text: 'Tested restores' },
            { id: 'e', text: 'A second copy on the same server' },
          ],
          correct: ['d', 'a', 'b'],
        },
      ],
      draw: 4,
      passMark: 0.75,
      attemptLimit: 3,
      cooldownMinutes: 30,
      ...overrides,
    },
    grants: 'backup-certified',
  };
}
