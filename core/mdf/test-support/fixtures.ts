import type { MdfRequestInput } from '../model.ts';

/** A valid request of Silver partner Harbor IT for a February 2027 event, with `patch` over it (tests only). */
export function mdfRequestInput(patch: Partial<MdfRequestInput> = {}): MdfRequestInput {
  return {
    format: 'lockup.mdf-request',
    formatVersion: 1,
    id: '3f2b8c1e-5d4a-4b6c-9e7f-0a1b2c3d4e5f',
    program: { id: 'nimbus-mdf', version: 1 },
    partner: { id: 'harbor-it', name: 'Harbor IT', tier: 'silver' },
    activityType: 'event',
    title: 'Ransomware readiness breakfast',
    startDate: '2027-02-15',
    endDate: '2027-02-15',
    budgetRequested: 250_000,
    totalCost: 500_000,
    expectedLeads: 40,
    expectedPipeline: 12_000_000,
    audience: 'IT leads of 20–500 employee firms in Seattle',
    description: 'A breakfast seminar with a live restore demo.',
    attachments: [{ name: 'invitation.pdf', kind: 'collateral', sha256: 'a'.repeat(64), size: 120_000 }],
    submittedOn: '2027-01-10',
    ...patch,
  };
}
