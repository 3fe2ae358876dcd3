import path from 'node:path';
import { LockupError } from '../core/errors.ts';
import { fingerprint, isRawPublicKey } from '../backend/packs/keys.ts';
import { readInputFile } from '../backend/util/files.ts';
import { parse, Usage, type Io, type Outcome } from './common.ts';
import { EXIT } from './exit-codes.ts';

export const COMPLETION_USAGE = `  completion verify FILE [--code CODE] [--key PUBLIC_KEY|FINGERPRINT]
                                                  check a training completion (.lockup-completion, or a certificate
                                                  PDF carrying one): exit 0 valid, 3 signature fails, 4 not a valid
                                                  record, 5 valid but not the --code or install --key given
`;

/** `lockup completion verify` outcomes (docs/decisions/0024): the same 0/3/4 as `lockup verify`, plus 5 for a mismatch. */
export const COMPLETION_EXIT = { valid: EXIT.ok, 'completion-signature': EXIT.compliance, 'completion-invalid': EXIT.badInput, mismatch: EXIT.mismatch } as const;

/** --key: a raw Ed25519 public key in base64 (optionally "ed25519:…"), or its fingerprint (32 hex digits, spaces optional). */
function expectedKey(value: string): { publicKey?: string; fingerprint: string } {
  const v = value.trim().replace(/^ed25519:/i, '');
  if (isRawPublicKey(v)) return { publicKey: v, fingerprint: fingerprint(v) };
  const hex = v.toLowerCase().replace(/[\s:]/g, '');
  if (/^[0-9a-f]{32}$/.test(hex)) return { fingerprint: hex.match(/.{4}/g)!.join(' ') };
  throw new Usage('--key takes the install\'s public key (base64, as "ed25519:…") or its fingerprint (32 hex digits, e.g. "a1b2 c3d4 …")');
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

async function cmdCompletion(args: string[], _io: Io): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new Usage('Use "lockup completion verify FILE [--code CODE] [--key KEY]"');
  const { values, positionals } = parse(rest, { code: { type: 'string' }, key: { type: 'string' } }, 1);
  const file = positionals[0];
  if (!file) throw new Usage('lockup completion verify needs a FILE (.lockup-completion, or a certificate PDF)');
  // pdf-lib is loaded only here, after the arguments are known to be sound.
  const { completionFromPdf, isPdf, MAX_CERTIFICATE_PDF_BYTES, normalizeVerificationCode, verifyCompletion } = await import('../backend/learning/completion.ts');
  let wantCode: string | undefined;
  if (values.code !== undefined) {
    wantCode = normalizeVerificationCode(values.code);
    if (!wantCode) throw new Usage(`--code takes a verification code such as LKP-7F3K-92QD-XM4A, not "${values.code}"`);
  }
  const wantKey = values.key === undefined ? undefined : expectedKey(values.key);
  const bytes = readInputFile(path.resolve(file), 'Completion record', MAX_CERTIFICATE_PDF_BYTES);
  const source = isPdf(bytes) ? 'pdf' : 'completion';
  const notes = source === 'pdf' ? ["Only the completion record attached to the PDF was checked, not the certificate's printed text: compare the code printed on it."] : [];

  let v;
  try {
    v = verifyCompletion(source === 'pdf' ? await completionFromPdf(bytes) : bytes);
  } catch (err) {
    if (!(err instanceof LockupError) || (err.code !== 'completion-invalid' && err.code !== 'completion-signature')) throw err;
    return {
      exit: COMPLETION_EXIT[err.code],
      json: { verdict: 'invalid', file, source, reason: { code: err.code, message: err.message }, completion: null, code: null, installKey: null, checks: { code: null, key: null }, notes },
      text: [`INVALID ${file}`, `  ${err.message}`],
    };
  }
  const c = v.claims;
  const codeMatches = wantCode === undefined ? null : wantCode === v.code;
  const keyMatches = wantKey === undefined ? null : wantKey.publicKey !== undefined ? wantKey.publicKey === v.installKey.publicKey : wantKey.fingerprint === v.installKey.fingerprint;
  const reasons = [
    ...(codeMatches === false ? [{ code: 'completion-code-mismatch', message: `The record's verification code is ${v.code}, not ${wantCode!}: this is a different record from the one the code was printed for` }] : []),
    ...(keyMatches === false ? [{ code: 'completion-key-mismatch', message: `The record was signed by the install key ${v.installKey.fingerprint}, not by the key given with --key (${wantKey!.fingerprint})` }] : []),
  ];
  const ok = reasons.length === 0;
  return {
    exit: ok ? COMPLETION_EXIT.valid : COMPLETION_EXIT.mismatch,
    json: {
      verdict: ok ? 'valid' : 'invalid',
      file,
      source,
      reason: ok ? null : reasons[0],
      ...(reasons.length > 1 ? { reasons } : {}),
      completion: c,
      code: v.code,
      installKey: v.installKey,
      checks: { code: codeMatches, key: keyMatches },
      notes,
    },
    text: [
      `${ok ? 'VALID' : 'INVALID'} ${file}`,
      ...reasons.map((r) => `  ${r.message}`),
      ...(ok ? [] : ['  The signature holds, but this is not the record asked for. It says:']),
      `  Module:        ${c.module.title} (${c.module.id} version ${c.module.version})`,
      `  Certification: ${c.certification.name} (${c.certification.id})`,
      `  Brand:         ${c.brand.name} (${c.brand.id})`,
      `  Partner:       ${c.partner.name} (${c.partner.id})`,
      `  Person:        ${c.person}`,
      `  Score:         ${percent(c.score)} (pass mark ${percent(c.passMark)}; ${c.failedAttempts} failed attempt${c.failedAttempts === 1 ? '' : 's'} before)`,
      `  Completed:     ${c.completedAt}`,
      `  Code:          ${v.code}${codeMatches === null ? '' : codeMatches ? ' (matches --code)' : ' (does NOT match --code)'}`,
      `  Install key:   ${v.installKey.fingerprint}${keyMatches === null ? ' (not checked: pass --key with the partner\'s registered install key)' : keyMatches ? ' (matches --key)' : ' (does NOT match --key)'}`,
      `  Record id:     ${c.id}`,
      ...notes.map((n) => `  note: ${n}`),
    ],
  };
}

export const COMPLETION_COMMANDS: Record<string, (args: string[], io: Io) => Promise<Outcome>> = { completion: cmdCompletion };
