// Issue #7's journey: a Silver partner reads the demo playbook, takes the
// security quiz, fails once, waits out the cool-down (its clock moved forward
// by libfaketime), passes, sees the newly unlocked template and exports the
// certificate, which `lockup completion verify` accepts.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createProfile, expect, ROOT, startHost, test as base, type Host } from './fixtures.ts';

interface SourceQuestion {
  id: string;
  kind: 'single' | 'multiple' | 'true-false';
  prompt: string;
  options: { id: string; text: string }[];
  correct: string[];
}
const SOURCE = JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', 'nimbus', 'training', 'nimbus-security-essentials.training.json'), 'utf8')) as { title: string; quiz: { draw: number; questions: SourceQuestion[] } };
const SHOTS = process.env['SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs', 'screenshots') : undefined;
const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, name) });
};

// The shared fixtures (console errors fail the test), with the host's clock under the test's control.
const test = base.extend<{ clock: { file: string; set: (offset: string) => void }; host: Host }>({
  // eslint-disable-next-line no-empty-pattern
  clock: async ({}, use) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lockup-clock-')), 'offset');
    fs.writeFileSync(file, '+0\n');
    await use({ file, set: (offset) => fs.writeFileSync(file, `${offset}\n`) });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  },
  host: async ({ clock }, use) => {
    const { host, child } = await startHost({ clockFile: clock.file });
    await use(host);
    child.kill('SIGTERM');
    fs.rmSync(path.dirname(host.dataDir), { recursive: true, force: true });
  },
});

/** Answers every drawn question: right, or (for a sure fail) wrong. */
async function answerQuiz(page: Page, right: boolean): Promise<void> {
  const groups = page.getByRole('group', { name: /^Question \d+ of \d+/ });
  await expect(groups).toHaveCount(SOURCE.quiz.draw);
  for (let i = 0; i < SOURCE.quiz.draw; i++) {
    const group = groups.nth(i);
    const text = (await group.textContent()) ?? '';
    const q = SOURCE.quiz.questions.find((x) => text.includes(x.prompt));
    expect(q, `question ${i + 1} is from the bank: ${text.slice(0, 80)}`).toBeDefined();
    const picks = right ? q!.options.filter((o) => q!.correct.includes(o.id)) : [q!.options.find((o) => !q!.correct.includes(o.id))!];
    for (const o of picks) await group.getByLabel(o.text, { exact: true }).check();
  }
  await expect(page.getByTestId('quiz-answered')).toHaveText(`${SOURCE.quiz.draw} of ${SOURCE.quiz.draw} answered`);
  await page.getByRole('button', { name: 'Submit answers' }).click();
}

/** The PDF's text in reading order, with every run of white space (line wraps included) as one space. */
const pdftotext = (file: string) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
const qpdfCheck = (file: string) => {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toBe('');
};
const newestPdf = (dir: string, before: Set<string>) => {
  const added = fs.readdirSync(dir).filter((f) => f.endsWith('.pdf') && !before.has(f));
  expect(added).toHaveLength(1);
  return path.join(dir, added[0]!);
};
const listing = (dir: string) => new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);

test('read the playbook, fail the quiz, wait out the cool-down, pass, use the unlocked template, export the certificate', async ({ page, host, clock }) => {
  test.setTimeout(300_000);
  await createProfile(page, host, { company: 'Harbor IT', tier: 'silver' });

  // The advanced one-pager is closed to a Silver partner, and says how to open it.
  const advanced = page.locator('[data-template="advanced-security-one-pager"]');
  await expect(advanced).toHaveAttribute('aria-disabled', 'true');
  await expect(advanced).toContainText('or become Nimbus Security Specialist');

  // Learn: the module says what passing unlocks before the partner starts.
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Learn', level: 1 })).toBeVisible();
  const modules = page.getByRole('list', { name: 'Training modules' });
  await expect(modules).toContainText('Passing grants Nimbus Security Specialist, which unlocks:');
  await expect(modules).toContainText('Advanced security one-pager');
  await expect(modules.getByTestId('module-status')).toHaveText('Open');
  await shot(page, 'learn-overview.png');

  // The playbook: contents, plays as checklists, progress kept in the catalogue.
  await page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: 'NimbusVault ransomware-readiness campaign' }).click();
  const contents = page.getByRole('navigation', { name: 'Contents' });
  await expect(contents.getByRole('button', { name: 'Objection handling' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Build the list' }).check();
  await page.getByRole('checkbox', { name: 'Send the invitation' }).check();
  await expect(page.getByTestId('playbook-progress')).toHaveText('2 of 10 steps');
  await expect(page.getByTestId('play-progress-play-readiness-check')).toHaveText('2/5 done');
  // The step that needs the advanced one-pager shows it is closed, and why.
  await expect(page.getByRole('button', { name: /^Use template: Advanced security one-pager/ })).toBeDisabled();
  await shot(page, 'learn-playbook.png');
  await page.reload();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: 'NimbusVault ransomware-readiness campaign' }).click();
  await expect(page.getByRole('checkbox', { name: 'Send the invitation' })).toBeChecked();
  await expect(page.getByTestId('playbook-progress')).toHaveText('2 of 10 steps');

  // The co-branded playbook PDF.
  let before = listing(host.exportDir);
  await page.getByRole('button', { name: 'Export PDF' }).click();
  await expect(page.getByRole('button', { name: 'Download playbook PDF' })).toBeVisible({ timeout: 60_000 });
  const playbookPdf = newestPdf(host.exportDir, before);
  qpdfCheck(playbookPdf);
  const playbookText = pdftotext(playbookPdf);
  for (const s of ['NimbusVault ransomware-readiness campaign', 'Harbor IT', 'Objection handling', 'Build the list', 'Page 2 of']) expect(playbookText).toContain(s);

  // Training: lessons, then the quiz. A wrong answer to every question fails.
  await page.getByRole('button', { name: 'Back to Learn' }).click();
  await page.getByRole('list', { name: 'Training modules' }).getByRole('button', { name: SOURCE.title }).click();
  await page.getByRole('button', { name: 'Next lesson' }).click();
  await page.getByRole('button', { name: 'Next lesson' }).click();
  await page.getByRole('button', { name: 'Go to the quiz' }).click();
  await page.getByLabel('Your name').fill('Dana Whitfield');
  await page.getByRole('button', { name: 'Start quiz' }).click();
  await answerQuiz(page, false);
  const result = page.getByRole('status').filter({ has: page.getByRole('heading', { name: 'Not passed' }) });
  await expect(result).toBeVisible();
  await expect(page.getByTestId('quiz-score')).toContainText('pass mark 80%');
  await expect(page.getByText('2 attempts left.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start quiz' })).toBeDisabled();
  await expect(page.getByText(/^Cooling down until \d\d:\d\d: you can try again then\.$/)).toBeVisible();
  await shot(page, 'learn-quiz-failed.png');

  // Reopened, the cool-down still holds (the backend refuses, the UI says so).
  await page.reload();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Training modules' }).getByTestId('module-status')).toHaveText(/^Cooling down until \d\d:\d\d$/);

  // 31 minutes later (the module's cool-down is 30), the partner may try again, and passes.
  clock.set('+31m');
  await page.reload();
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Training modules' }).getByTestId('module-status')).toHaveText('Open');
  await page.getByRole('list', { name: 'Training modules' }).getByRole('button', { name: SOURCE.title }).click();
  await page.getByRole('button', { name: 'Next lesson' }).click();
  await page.getByRole('button', { name: 'Next lesson' }).click();
  await page.getByRole('button', { name: 'Go to the quiz' }).click();
  await expect(page.getByLabel('Your name')).toHaveValue('Dana Whitfield');
  await page.getByRole('button', { name: 'Start quiz' }).click();
  await answerQuiz(page, true);
  await expect(page.getByRole('heading', { name: 'Passed' })).toBeVisible();
  await expect(page.getByTestId('quiz-score')).toContainText('Your score: 100%');
  await expect(page.getByText('You are now Nimbus Security Specialist')).toBeVisible();
  await expect(page.getByText('Now open to you')).toBeVisible();
  await shot(page, 'learn-quiz-passed.png');

  // The certificate: a clean PDF naming the person, the partner and the module, carrying a record the CLI verifies.
  before = listing(host.exportDir);
  await page.getByRole('button', { name: 'Export certificate (PDF)' }).click();
  await expect(page.getByRole('button', { name: 'Download certificate' })).toBeVisible({ timeout: 60_000 });
  const certificate = newestPdf(host.exportDir, before);
  qpdfCheck(certificate);
  const certText = pdftotext(certificate);
  for (const s of ['Dana Whitfield', 'Harbor IT', SOURCE.title, 'Nimbus Security Specialist']) expect(certText).toContain(s);
  const code = /LKP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(certText)?.[0];
  expect(code, 'the certificate prints its verification code').toBeDefined();
  const verify = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), 'completion', 'verify', certificate, '--code', code!], { encoding: 'utf8' });
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain('VALID');
  expect(verify.stdout).toContain('Dana Whitfield');

  // The overview shows this install's key; the record verifies against it, and not against another key.
  await page.getByRole('button', { name: 'Back to Learn' }).click();
  const fingerprint = (await page.getByTestId('install-key').locator('code').first().textContent())!;
  expect(fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  const withKey = (key: string) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockup.js'), 'completion', 'verify', certificate, '--key', key], { encoding: 'utf8' });
  expect(withKey(fingerprint).status).toBe(0);
  expect(withKey('0123 4567 89ab cdef 0123 4567 89ab cdef').status).toBe(5);

  // Back in the gallery the advanced one-pager is open, and it opens in the editor.
  await page.getByRole('button', { name: 'Back to templates' }).click();
  await expect(advanced).not.toHaveAttribute('aria-disabled', 'true');
  await shot(page, 'learn-unlocked-gallery.png');
  await advanced.click();
  await expect(page.getByRole('heading', { name: 'Advanced security one-pager (Gold or Security Specialist)' })).toBeVisible();
});
