import type { PRINT_API } from '../../core/contracts/print-api.ts';
import { LockupError } from '../../core/errors.ts';
import { loadDocument } from '../../core/model/index.ts';
import { preflightDocument } from '../services/preflight.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** The print preflight the export dialog shows before a print export. */
export function printHandlers(ctx: HandlerContext): HandlersFor<typeof PRINT_API> {
  const { catalogue, engine } = ctx;
  return {
    'document:preflight': async ({ document }) => {
      const profile = ctx.currentProfile();
      if (!profile) throw new LockupError('profile-invalid', 'Set up your partner profile first');
      const doc = loadDocument(document);
      // Partner logos live in the catalogue; the engine must have them prepared before composing.
      const refs = new Set<string>(Object.values(doc.logos));
      if (profile.logo) for (const r of typeof profile.logo === 'string' ? [profile.logo] : Object.values(profile.logo)) if (r) refs.add(r);
      for (const ref of refs) await engine.resources.imageByRef(ref);
      const r = await preflightDocument(catalogue, engine, { template: `${doc.templateId}@${doc.templateVersion}`, profile, fields: {}, document: doc });
      return {
        ok: r.ok,
        compliance: r.compliance,
        preflight: r.preflight.findings,
        boxes: { media: [...r.preflight.boxes.media], bleed: [...r.preflight.boxes.bleed], trim: [...r.preflight.boxes.trim] },
        marks: r.preflight.marks,
        outputIntent: r.outputIntent,
      };
    },
  };
}
