import { SECTION_KIND_NAMES, SECTION_KINDS, type PlaybookBlock, type PlaybookSection, type SectionKind } from '../../../../core/playbook/model.ts';
import { FileButton } from '../editor-context.tsx';
import { BlockEditor, IMAGE_ACCEPT, useImageUpload } from './BlockEditor.tsx';
import { blankPlay, fieldId, moved } from './draft.ts';
import { ItemActions, PathField, usePlaybook } from './fields.tsx';
import { PlayEditor } from './PlayEditor.tsx';

/** Adds a block at the end of a section; an image block starts from the picked file. */
function AddBlock({ si }: { si: number }) {
  const { edit, templates } = usePlaybook();
  const { busy, error, upload } = useImageUpload();
  const add = (block: PlaybookBlock) =>
    edit((d) => {
      d.sections[si]!.blocks.push(block);
    });
  return (
    <div className="pb-add-row" role="group" aria-label="Add a block">
      <button type="button" onClick={() => add({ kind: 'heading', text: '' })}>
        Add heading
      </button>
      <button type="button" onClick={() => add({ kind: 'paragraph', text: '' })}>
        Add paragraph
      </button>
      <button type="button" onClick={() => add({ kind: 'list', ordered: false, items: [''] })}>
        Add list
      </button>
      <FileButton
        label={busy ? 'Uploading…' : 'Add image…'}
        accept={IMAGE_ACCEPT}
        disabled={busy}
        onFile={(file) =>
          void upload(file).then((ref) => {
            if (ref) add({ kind: 'image', asset: ref, alt: '' });
          })
        }
      />
      <button type="button" onClick={() => templates[0] && add({ kind: 'template', template: templates[0].id, note: '' })} disabled={templates.length === 0} title={templates.length === 0 ? 'Publish a template in the Templates tab first' : undefined}>
        Add template link
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A section: title, kind, its blocks and (in a "plays" section) its plays. */
export function SectionEditor({ si, section, count }: { si: number; section: PlaybookSection; count: number }) {
  const { edit, problems } = usePlaybook();
  const path = `sections[${si}]`;
  const set = (change: (s: PlaybookSection) => void) => edit((d) => change(d.sections[si]!));
  const chooseKind = (kind: SectionKind) =>
    set((s) => {
      // A title still saying what the old kind was follows the new kind.
      if (s.title === '' || s.title === SECTION_KIND_NAMES[s.kind]) s.title = SECTION_KIND_NAMES[kind];
      s.kind = kind;
    });
  const kindId = fieldId(`${path}.kind`);
  const sectionProblem = problems.get(path) ?? problems.get(`${path}.plays`);
  return (
    <section className="pb-sec-edit" id={fieldId(path)} tabIndex={-1} aria-label={`Section ${si + 1}: ${section.title || 'untitled'}`}>
      <div className="pb-sec-head">
        <h3>Section {si + 1}</h3>
        <ItemActions
          what="section"
          index={si}
          count={count}
          canDelete={count > 1}
          onMove={(by) =>
            edit((d) => {
              d.sections = moved(d.sections, si, by);
            })
          }
          onDelete={() =>
            edit((d) => {
              d.sections = d.sections.filter((_, i) => i !== si);
            })
          }
        />
      </div>
      <div className="pb-sec-fields">
        <PathField label="Section title" path={`${path}.title`} value={section.title} onChange={(title) =>
            set((s) => {
              s.title = title;
            })
          }
        />
        <div className="pb-field">
          <label htmlFor={kindId}>Kind</label>
          <select id={kindId} value={section.kind} onChange={(e) => chooseKind(e.target.value as SectionKind)}>
            {SECTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {SECTION_KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {sectionProblem && (
        <p className="field-problem" role="note">
          {sectionProblem}
        </p>
      )}
      {section.blocks.map((b, bi) => (
        <BlockEditor key={bi} si={si} bi={bi} block={b} count={section.blocks.length} />
      ))}
      <AddBlock si={si} />
      {(section.kind === 'plays' || section.plays.length > 0) && (
        <div className="pb-plays">
          <h4>Plays</h4>
          {section.plays.map((p, pi) => (
            <PlayEditor key={p.id} si={si} pi={pi} play={p} count={section.plays.length} />
          ))}
          <div className="pb-add-row">
            <button type="button" onClick={() =>
                set((s) => {
                  s.plays.push(blankPlay());
                })
              } disabled={section.kind !== 'plays'}>
              Add play
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
