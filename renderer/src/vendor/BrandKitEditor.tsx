import { EditorCtx, Problem, Section, useEditor, useField, type EditorContext } from './editor-context.tsx';
import { FontsEditor } from './FontsEditor.tsx';
import { LogosEditor } from './LogosEditor.tsx';
import { PaletteEditor } from './PaletteEditor.tsx';
import { RulesEditor } from './RulesEditor.tsx';

function Identity() {
  const { draft, edit } = useEditor();
  const name = useField('name');
  return (
    <Section id="identity" title="Brand" intro="The name partners see on locked zones (“locked by …”) and in the gallery.">
      <div className="identity">
        <label>
          Brand name
          <input {...name} value={draft.name} maxLength={120} onChange={(e) => edit((d) => void (d.name = e.target.value))} />
          <Problem path="name" />
        </label>
        <label>
          Brand id
          <input className="mono" value={draft.id} readOnly aria-readonly="true" />
          <span className="muted small">Fixed: templates and packs refer to it.</span>
        </label>
      </div>
    </Section>
  );
}

/** The brand kit: name, logos, palette, fonts and brand rules. */
export function BrandKitEditor({ ctx }: { ctx: EditorContext }) {
  return (
    <EditorCtx.Provider value={ctx}>
      <div className="brand-kit">
        <Identity />
        <LogosEditor />
        <PaletteEditor />
        <FontsEditor />
        <RulesEditor />
      </div>
    </EditorCtx.Provider>
  );
}
