// `lockup completion verify`, the built binary spawned: verdicts, exit codes, --json, --code, --key, a certificate PDF.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionAttachment, installKey, signCompletion, type CompletionClaims } from '../backend/learning/completion.ts';
import { generateSigningKey } from '../backend/packs/keys.ts';
import { embedExtras } from '../core/pdf/attachments.ts';
import { canonicalJson } from '../core/util/canonical-json.ts';
import { portableDeflate } from '../core/util/deflate.ts';
import { emptyCatalogue } from '../test/support/catalogue.ts';
import { assertBuilt, runCli } from '../test/support/cli.ts';
import { tempDir } from '../test/support/temp.ts';

const { catalogue } = emptyCatalogue();
afterAll(() => catalogue.close());

const claims: CompletionClaims = {
  id: randomUUID(),
  module: { id: 'security-basics', version: 3, title: 'Security basics' },
  brand: { id: 'northwind', name: 'Northwind Networks' },
  certification: { id: 'security-certified', name: 'Security Certified' },
  partner: { id: 'harbor-it', name: 'Harbor IT' },
  person: 'Jane Doe',
  score: 0.9,
  passMark: 0.8,
  failedAttempts: 1,
  completedAt: new Date(Date.now() - 3_600_000).toISOString(),
};

let work: string;
let dataDir: string;
let file: string;
let code: string;
let key: { publicKey: string; fingerprint: string };
beforeAll(() => {
  assertBuilt();
  work = tempDir('lockup-cli-completion-');
  dataDir = tempDir('lockup-cli-completion-data-');
  const signed = signCompletion(catalogue, claims);
  file = path.join(work, signed.fileName);
  fs.writeFileSync(file, signed.bytes);
  code = signed.code;
  key = installKey(catalogue);
});
const cli = (args: string[]) => runCli(['completion', 'verify', ...args], { dataDir });

function tampered(name: string, edit: (f: { claims: Record<string, unknown> }) => void): string {
  const f = JSON.parse(fs.readFileSync(file, 'utf8')) as { claims: Record<string, unknown> };
  edit(f);
  const out = path.join(work, name);
  fs.writeFileSync(out, canonicalJson(f));
  return out;
}

describe('completion verify', () => {
  it('a genuine record: VALID with what it says, exit 0; nothing written to the data folder', async () => {
    const r = await cli([file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`VALID ${file}`);
    for (const s of ['Security basics', 'security-basics version 3', 'Security Certified', 'Northwind Networks', 'Harbor IT', 'Jane Doe', '90%', 'pass mark 80%', claims.completedAt, code, key.fingerprint, 'not checked']) expect(r.stdout).toContain(s);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('--json: verdict, the claims, code, install key and checks', async () => {
    const r = await cli([file, '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      ok: true,
      verdict: 'valid',
      file,
      source: 'completion',
      reason: null,
      completion: claims,
      code,
      installKey: { publicKey: key.publicKey, fingerprint: key.fingerprint },
      checks: { code: null, key: null },
      notes: [],
    });
  });

  it('a changed score: INVALID, exit 3 (completion-signature)', async () => {
    const bad = tampered('score.lockup-completion', (f) => void (f.claims['score'] = 1));
    const r = await cli([bad]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`INVALID ${bad}`);
    expect(r.stdout).toContain('signature does not hold');
    const j = (await cli([bad, '--json'])).json();
    expect(j).toMatchObject({ ok: false, verdict: 'invalid', reason: { code: 'completion-signature' }, completion: null, code: null });
  });

  it('not a record (re-formatted, not JSON): INVALID, exit 4 (completion-invalid)', async () => {
    const pretty = path.join(work, 'pretty.lockup-completion');
    fs.writeFileSync(pretty, JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')), null, 2));
    const r = await cli([pretty, '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ ok: false, verdict: 'invalid', reason: { code: 'completion-invalid' } });
    const junk = path.join(work, 'junk.txt');
    fs.writeFileSync(junk, 'hello');
    expect((await cli([junk])).code).toBe(4);
  });

  it('--code: the right code (as typed) passes; another code is INVALID, exit 5', async () => {
    const ok = await cli([file, '--code', code.toLowerCase().replace(/-/g, ' '), '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, checks: { code: true, key: null } });
    const other = code.endsWith('0') ? `${code.slice(0, -1)}1` : `${code.slice(0, -1)}0`;
    const r = await cli([file, '--code', other]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('INVALID');
    expect(r.stdout).toContain(`not ${other}`);
    const j = (await cli([file, '--code', other, '--json'])).json();
    expect(j).toMatchObject({ ok: false, verdict: 'invalid', reason: { code: 'completion-code-mismatch' }, code, checks: { code: false } });
  });

  it('--key: the install key or its fingerprint passes; another key is INVALID, exit 5', async () => {
    for (const k of [key.publicKey, `ed25519:${key.publicKey}`, key.fingerprint, key.fingerprint.replace(/ /g, '').toUpperCase()]) {
      const r = await cli([file, '--key', k, '--json']);
      expect(r.code).toBe(0);
      expect(r.json()).toMatchObject({ ok: true, checks: { key: true } });
    }
    const other = generateSigningKey({ id: 'other', name: 'Other' }).publicKey;
    const r = await cli([file, '--key', other]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('does NOT match --key');
    const j = (await cli([file, '--key', other, '--json'])).json();
    expect(j).toMatchObject({ ok: false, verdict: 'invalid', reason: { code: 'completion-key-mismatch' }, installKey: { fingerprint: key.fingerprint }, checks: { key: false } });
  });

  it('a record re-signed by another install is VALID on its own, and fails --key', async () => {
    const { catalogue: forger } = emptyCatalogue();
    try {
      const forged = signCompletion(forger, { ...claims, score: 1 });
      const out = path.join(work, `forged${path.extname(file)}`);
      fs.writeFileSync(out, forged.bytes);
      const alone = (await cli([out, '--json'])).json();
      expect(alone).toMatchObject({ ok: true, installKey: { fingerprint: installKey(forger).fingerprint } });
      expect((alone['installKey'] as { fingerprint: string }).fingerprint).not.toBe(key.fingerprint);
      expect((await cli([out, '--key', key.fingerprint])).code).toBe(5);
    } finally {
      forger.close();
    }
  });

  it('usage errors: exit 2', async () => {
    expect((await cli([file, '--code', 'not-a-code'])).code).toBe(2);
    expect((await cli([file, '--key', 'abc'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
    expect((await runCli(['completion', 'sign'], { dataDir })).code).toBe(2);
  });

  it('a missing file: exit 4', async () => {
    const r = await cli([path.join(work, 'nope.lockup-completion'), '--json']);
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ ok: false, error: { code: 'file-unreadable' } });
  });

  it('a certificate PDF with the record attached: VALID with the same code; without one: INVALID, exit 4', async () => {
    const pdf = async (withRecord: boolean) => {
      const doc = await PDFDocument.create();
      doc.addPage([595, 420]).drawText('Certificate of completion', { x: 40, y: 360, size: 18 });
      embedExtras(doc, portableDeflate, {
        attachments: withRecord ? [completionAttachment({ bytes: new Uint8Array(fs.readFileSync(file)), fileName: path.basename(file) })] : [],
        facts: { title: 'Certificate', author: 'Lockup', subject: 'Security basics', keywords: [], producer: 'Lockup', creator: 'Lockup', date: new Date() },
      });
      return doc.save();
    };
    const cert = path.join(work, 'certificate.pdf');
    fs.writeFileSync(cert, await pdf(true));
    const r = await cli([cert, '--code', code, '--key', key.fingerprint]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`VALID ${cert}`);
    expect(r.stdout).toContain('(matches --code)');
    expect(r.stdout).toContain("not the certificate's printed text");
    const j = (await cli([cert, '--json'])).json();
    expect(j).toMatchObject({ ok: true, verdict: 'valid', source: 'pdf', code, completion: claims });

    const bare = path.join(work, 'bare.pdf');
    fs.writeFileSync(bare, await pdf(false));
    const b = await cli([bare, '--json']);
    expect(b.code).toBe(4);
    expect(b.json()).toMatchObject({ ok: false, source: 'pdf', reason: { code: 'completion-invalid' } });
  });

  it('is in the help text', async () => {
    const r = await runCli(['--help'], { dataDir });
    expect(r.stdout).toContain('completion verify FILE');
  });
});
