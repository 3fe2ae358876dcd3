import type { VERIFY_API } from '../../core/contracts/verify-api.ts';
import { verifyPdf } from '../services/verify.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** `export:verify`: the same verification as `lockup verify`, against the app's catalogue. */
export function verifyHandlers(ctx: HandlerContext): HandlersFor<typeof VERIFY_API> {
  return {
    'export:verify': async ({ data }) => {
      const buf = Buffer.from(data, 'base64');
      const r = await verifyPdf(ctx.catalogue, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      const m = r.manifest;
      return {
        verdict: r.verdict,
        summary: r.summary,
        byteIdentical: r.byteIdentical,
        differences: r.differences,
        notes: r.notes,
        claims: m && {
          template: m.template,
          brand: m.brand,
          pack: m.pack,
          partner: { id: m.inputs.profile.id, company: m.inputs.profile.company },
          output: m.output,
          exportedAt: m.exportedAt,
          compliance: { ok: m.compliance.ok, errors: m.compliance.errors, warnings: m.compliance.warnings },
          hashes: { document: m.hashes.document, profile: m.hashes.profile, logos: m.hashes.logos.map((l) => l.ref) },
        },
      };
    },
  };
}
