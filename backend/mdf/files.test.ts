// MDF request and decision files (issue #8): signing, verification, every tampering, attachments.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMdfRequest, type MdfRequest, type MdfRequestInput } from '../../core/mdf/model.ts';
import { mdfRequestInput } from '../../core/mdf/test-support/fixtures.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { installKey } from '../learning/completion.ts';
import { generateSigningKey, KEY_TYPE, signBytes } from '../packs/keys.ts';
import { emptyCatalogue } from '../../test/support/catalogue.ts';
import { thrown } from '../../test/support/errors.ts';
import {
  checkAttachments,
  MAX_MDF_REQUEST_FILE_BYTES,
  MDF_DECISION_FILE_FORMAT,
  MDF_REQUEST_EXTENSION,
  MDF_REQUEST_FILE_FORMAT,
  signDecision,
  signRequest,
  verifyDecisionFile,
  verifyRequestFile,
  type MdfDecision,
} from './files.ts';

const { catalogue } = emptyCatalogue();
const { catalogue: other } = emptyCatalogue();
afterAll(() => {
  catalogue.close();
  other.close();
});

const enc = (s: string) => new TextEncoder().encode(s);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const invitation = enc('%PDF-1.7 co-branded invitation');
const agenda = enc('09:00 coffee\n09:30 restore demo');
const files = () => [
  { name: 'invitation.pdf', kind: 'collateral' as const, bytes: invitation },
  { name: 'agenda.txt', kind: 'agenda' as const, bytes: agenda },
];

const request = (patch: Partial<MdfRequestInput> = {}): MdfRequest =>
  parseMdfRequest(
    mdfRequestInput({
      description: 'A breakfast seminar with a live restore demo.\nTwo speakers.',
      attachments: [
        { name: 'invitation.pdf', kind: 'collateral', sha256: sha(invitation), size: invitation.byteLength },
        { name: 'agenda.txt', kind: 'agenda', sha256: sha(agenda), size: agenda.byteLength },
      ],
      ...patch,
    }),
  );

type SignedFile = Record<string, unknown> & { signature: { type: string; value: string } };
const read = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as SignedFile;
const write = (file: unknown) => enc(canonicalJson(file));
function edited(bytes: Uint8Array, edit: (f: SignedFile & { request: MdfRequest; decision: MdfDecision }) => void): Uint8Array {
  const f = read(bytes) as SignedFile & { request: MdfRequest; decision: MdfDecision };
  edit(f);
  return write(f);
}
const code = (fn: () => unknown) => thrown(fn).code;

const signed = () => signRequest(catalogue, request(), files());

describe('request files', () => {
  it('round trip: the request, the install key and the file hash come back; canonical JSON, the format named', () => {
    const r = request();
    const { bytes, fileName } = signRequest(catalogue, r, files());
    const v = verifyRequestFile(bytes);
    expect(v.request).toEqual(r);
    const key = installKey(catalogue);
    expect(v.installKey).toEqual({ publicKey: key.publicKey, fingerprint: key.fingerprint });
    expect(v.sha256).toBe(sha(bytes));
    const text = new TextDecoder().decode(bytes);
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(Object.keys(read(bytes)).sort()).toEqual(['format', 'formatVersion', 'installKey', 'request', 'signature']);
    expect(read(bytes).format).toBe(MDF_REQUEST_FILE_FORMAT);
    expect(fileName).toBe(`mdf-harbor-it-ransomware-readiness-breakfast-3f2b8c1e${MDF_REQUEST_EXTENSION}`);
    // Signing again gives the same bytes (Ed25519 is deterministic, the JSON canonical).
    expect(signRequest(catalogue, r, files()).bytes).toEqual(bytes);
  });

  it('an attachment that is not the one listed is refused, naming the file', () => {
    const swapped = files();
    swapped[1] = { ...swapped[1]!, bytes: enc('09:00 coffee\n09:31 restore demo') };
    let e = thrown(() => signRequest(catalogue, request(), swapped));
    expect([e.code, e.message]).toEqual(['mdf-invalid', 'The attachment "agenda.txt" is not the file the request lists (its SHA-256 differs)']);
    e = thrown(() => signRequest(catalogue, request(), files().slice(0, 1)));
    expect([e.code, e.message]).toEqual(['mdf-invalid', 'The request lists the attachment "agenda.txt" but it was not given']);
    e = thrown(() => signRequest(catalogue, request(), [...files(), { name: 'extra.pdf', kind: 'other', bytes: enc('x') }]));
    expect(e.message).toMatch(/"extra\.pdf" is not listed/);
    e = thrown(() => signRequest(catalogue, request(), [{ ...files()[0]!, bytes: enc('short') }, files()[1]!]));
    expect(e.message).toMatch(/"invitation\.pdf" is 5 bytes; the request lists/);
    e = thrown(() => signRequest(catalogue, request(), [{ ...files()[0]!, kind: 'quote' }, files()[1]!]));
    expect(e.message).toMatch(/"invitation\.pdf" is listed as collateral but given as quote/);
  });

  it('control and text-direction characters are refused; line breaks only in the audience and description', () => {
    expect(thrown(() => signRequest(catalogue, request({ title: 'Breakfast \u202egnp.exe' }), files())).message).toMatch(/request\.title: must not contain control/);
    expect(thrown(() => signRequest(catalogue, request({ partner: { id: 'harbor-it', name: 'Harbor\nIT' } }), files())).message).toMatch(/request\.partner\.name/);
    expect(thrown(() => signRequest(catalogue, request({ description: 'ok\u0007' }), files())).code).toBe('mdf-invalid');
    expect(() => signRequest(catalogue, request({ audience: 'line one\nline two' }), files())).not.toThrow();
  });

  it('tampering with the budget, the partner or an attachment hash breaks the signature', () => {
    const { bytes } = signed();
    expect(code(() => verifyRequestFile(edited(bytes, (f) => (f.request.budgetRequested = 260_000))))).toBe('mdf-signature');
    expect(code(() => verifyRequestFile(edited(bytes, (f) => (f.request.partner.id = 'other-it'))))).toBe('mdf-signature');
    expect(code(() => verifyRequestFile(edited(bytes, (f) => (f.request.attachments[0]!.sha256 = sha(enc('another file'))))))).toBe('mdf-signature');
    const e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.request.budgetRequested = 1))));
    expect(e.message).toMatch(/signature does not hold: it was changed after it was signed/);
  });

  it('a flipped signature byte, an unknown signature type', () => {
    const { bytes } = signed();
    const flipped = edited(bytes, (f) => {
      const sig = Buffer.from(f.signature.value, 'base64');
      sig[10] = sig[10]! ^ 0x01;
      f.signature.value = sig.toString('base64');
    });
    expect(code(() => verifyRequestFile(flipped))).toBe('mdf-signature');
    expect(code(() => verifyRequestFile(edited(bytes, (f) => (f.signature.type = 'rsa'))))).toBe('mdf-signature');
  });

  it('re-signed with another key: valid, but with that key and a different fingerprint', () => {
    const { bytes } = signed();
    const mallory = generateSigningKey({ id: 'mallory', name: 'Mallory' });
    const f = read(bytes);
    const unsigned = { ...f, installKey: { type: KEY_TYPE, public: mallory.publicKey } } as Record<string, unknown>;
    delete unsigned.signature;
    const resigned = write({ ...unsigned, signature: { type: KEY_TYPE, value: signBytes('lockup.mdf-request.v1', write(unsigned), mallory) } });
    const v = verifyRequestFile(resigned);
    expect(v.installKey.publicKey).toBe(mallory.publicKey);
    expect(v.installKey.fingerprint).not.toBe(verifyRequestFile(bytes).installKey.fingerprint);
    expect(v.sha256).not.toBe(verifyRequestFile(bytes).sha256);
    // A signature made for another kind of document never passes as a request.
    const crossDomain = write({ ...unsigned, signature: { type: KEY_TYPE, value: signBytes('lockup.completion.v1', write(unsigned), mallory) } });
    expect(code(() => verifyRequestFile(crossDomain))).toBe('mdf-signature');
  });

  it('non-canonical JSON, an extra field, a wrong format, an oversize or empty file, a bad request: mdf-invalid, each with its reason', () => {
    const { bytes } = signed();
    const pretty = enc(JSON.stringify(read(bytes), null, 2));
    expect(thrown(() => verifyRequestFile(pretty)).message).toMatch(/not in its canonical form/);
    expect(thrown(() => verifyRequestFile(enc(new TextDecoder().decode(bytes) + '\n'))).message).toMatch(/canonical form/);
    let e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.note = 'hi'))));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/^This is not a Lockup MDF request file/)]);
    e = thrown(() => verifyRequestFile(edited(bytes, (f) => ((f.request as unknown as Record<string, unknown>).discount = 5))));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/^The MDF request is invalid at request/)]);
    e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.format = 'lockup.completion'))));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/^This is not a Lockup MDF request file \(format/)]);
    e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.formatVersion = 2))));
    expect(e.code).toBe('mdf-invalid');
    e = thrown(() => verifyRequestFile(new Uint8Array(MAX_MDF_REQUEST_FILE_BYTES + 1).fill(0x20)));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/is a small file; this one is \d+ bytes/)]);
    expect(thrown(() => verifyRequestFile(new Uint8Array(0))).message).toMatch(/is empty/);
    expect(thrown(() => verifyRequestFile(new Uint8Array([0xff, 0xfe]))).message).toMatch(/not UTF-8/);
    expect(thrown(() => verifyRequestFile(enc('{"__proto__":{}}'))).message).toMatch(/"__proto__" is not allowed/);
    e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.request.budgetRequested = 900_000))));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/request\.budgetRequested: is more than the activity costs/)]);
    e = thrown(() => verifyRequestFile(edited(bytes, (f) => (f.request.title = 'a\u2066b'))));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/request\.title: must not contain control/)]);
  });
});

describe('attachments in a packet', () => {
  it('all present and matching: no problems', () => {
    expect(checkAttachments(verifyRequestFile(signed().bytes).request, files())).toEqual([]);
  });

  it('missing, changed and unlisted files are each named', () => {
    const r = verifyRequestFile(signed().bytes).request;
    const problems = checkAttachments(r, [
      { name: 'invitation.pdf', bytes: enc('%PDF-1.7 another invitation') },
      { name: 'notes.txt', bytes: enc('?') },
    ]);
    expect(problems.map((p) => [p.name, p.problem])).toEqual([
      ['invitation.pdf', 'hash-mismatch'],
      ['agenda.txt', 'missing'],
      ['notes.txt', 'unexpected'],
    ]);
    expect(problems[0]!.message).toMatch(/"invitation\.pdf" is not the file the partner signed for/);
  });
});

describe('decision files', () => {
  const reviewer = generateSigningKey({ id: 'pacific-dist', name: 'Pacific Distribution' });
  const requestFile = signed();
  const requestSha = sha(requestFile.bytes);
  const decision = (over: Partial<MdfDecision> = {}): MdfDecision => ({
    request: { id: request().id, sha256: requestSha },
    decision: 'approved',
    reason: '',
    decidedAt: '2027-01-12T10:30:00.000Z',
    decidedBy: { id: 'sam-lee', name: 'Sam Lee' },
    verdict: { verdict: 'needs-review', breaches: [] },
    ...over,
  });

  it('round trip, checked against the reviewer key and the request file', () => {
    const d = decision();
    const bytes = signDecision(reviewer, d);
    expect(read(bytes).format).toBe(MDF_DECISION_FILE_FORMAT);
    const v = verifyDecisionFile(bytes, { publicKey: reviewer.publicKey, requestSha256: verifyRequestFile(requestFile.bytes).sha256 });
    expect(v.decision).toEqual(d);
    expect(v.reviewerKey.publicKey).toBe(reviewer.publicKey);
    const rejection = decision({ decision: 'rejected', reason: 'The event is outside the program’s regions.', verdict: { verdict: 'auto-vetoed', breaches: ['lead-time', 'partner-share'] } });
    expect(verifyDecisionFile(signDecision(reviewer, rejection)).decision).toEqual(rejection);
  });

  it('a rejection or a request for changes without a reason is refused', () => {
    let e = thrown(() => signDecision(reviewer, decision({ decision: 'rejected', reason: '  ' })));
    expect([e.code, e.message]).toEqual(['mdf-invalid', 'The MDF decision is invalid at decision.reason: is required when the request is rejected']);
    e = thrown(() => signDecision(reviewer, decision({ decision: 'changes-requested', reason: '' })));
    expect(e.message).toMatch(/decision\.reason: is required when the request is sent back for changes/);
    // Nor can it be made by hand and signed: the verifier refuses it too.
    const bytes = signDecision(reviewer, decision());
    const forged = edited(bytes, (f) => (f.decision.decision = 'rejected'));
    expect(code(() => verifyDecisionFile(forged))).toBe('mdf-invalid');
    expect(thrown(() => signDecision(reviewer, decision({ verdict: { verdict: 'auto-vetoed', breaches: [] } }))).message).toMatch(/decision\.verdict/);
  });

  it('a decision for another request file is refused', () => {
    const bytes = signDecision(reviewer, decision());
    const another = signRequest(catalogue, request({ budgetRequested: 200_000 }), files());
    const e = thrown(() => verifyDecisionFile(bytes, { requestSha256: verifyRequestFile(another.bytes).sha256 }));
    expect([e.code, e.message]).toEqual(['mdf-invalid', expect.stringMatching(/^The MDF decision is about another request file/)]);
  });

  it('a decision by another key is refused; a changed decision breaks the signature', () => {
    const bytes = signDecision(generateSigningKey({ id: 'mallory', name: 'Mallory' }), decision());
    const e = thrown(() => verifyDecisionFile(bytes, { publicKey: reviewer.publicKey }));
    expect([e.code, e.message]).toEqual(['mdf-signature', expect.stringMatching(/^The MDF decision was signed by another key \(fingerprint [0-9a-f ]+\)/)]);
    const good = signDecision(reviewer, decision({ decision: 'rejected', reason: 'Too late.' }));
    expect(code(() => verifyDecisionFile(edited(good, (f) => (f.decision.decision = 'approved'))))).toBe('mdf-signature');
    expect(code(() => verifyDecisionFile(edited(good, (f) => (f.decision.request.sha256 = 'b'.repeat(64)))))).toBe('mdf-signature');
    // A request file's signature is never taken for a decision's.
    expect(code(() => verifyDecisionFile(requestFile.bytes))).toBe('mdf-invalid');
  });

  it('a request signed by another install carries that install’s key', () => {
    const theirs = verifyRequestFile(signRequest(other, request(), files()).bytes);
    expect(theirs.installKey.fingerprint).toBe(installKey(other).fingerprint);
    expect(theirs.installKey.fingerprint).not.toBe(installKey(catalogue).fingerprint);
  });
});
