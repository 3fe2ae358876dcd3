import { useState } from 'react';
import type { PlaybookBlock } from '../../../../core/playbook/model.ts';
import { call } from '../../api/client.ts';
import { useApp } from '../../app/context.ts';
import { fileToBase64 } from '../../app/files.ts';
import { PlaybookImage } from '../../learn/PlaybookImage.tsx';
import { FileButton } from '../editor-context.tsx';
import { errorText } from '../errors.ts';
import { fieldId, moved } from './draft.ts';
import { InlineField, ItemActions, PathField, TemplateSelect, usePlaybook } from './fields.tsx';

export const BLOCK_NAMES: Record<PlaybookBlock['kind'], string> = {
  heading: 'Heading',
  paragraph: 'Paragraph',
  list: 'List',
  image: 'Image',
  template: 'Template link',
};

export const IMAGE_ACCEPT = '.png,.jpg,.jpeg,.svg,.pdf';

/** Stores a picked image with the same intake checks as logos, and returns its asset ref. */
export function useImageUpload(): { busy: boolean; error: string | undefined; upload: (file: File) => Promise<string | undefined> } {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const upload = async (file: File) => {
    setBusy(true);
    setError(undefined);
    try {
      return (await call(api, 'vendor:playbook-image', { name: file.name, data: await fileToBase64(file) })).ref;
    } catch (err) {
      setError(errorText(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, upload };
}

function ListItems({ path, items, onChange }: { path: string; items: string[]; onChange: (items: string[]) => void }) {
  return (
    <ol className="pb-items">
      {items.map((item, ii) => (
        <li key={ii}>
          <InlineField label={`Item ${ii + 1}`} path={`${path}.items[${ii}]`} value={item} rows={2} onChange={(v) => onChange(items.map((x, j) => (j === ii ? v : x)))} />
          <ItemActions what="item" index={ii} count={items.length} onMove={(by) => onChange(moved(items, ii, by))} onDelete={() => onChange(items.filter((_, j) => j !== ii))} canDelete={items.length > 1} />
        </li>
      ))}
    </ol>
  );
}

function ImageFields({ si, bi, block }: { si: number; bi: number; block: Extract<PlaybookBlock, { kind: 'image' }> }) {
  const { edit } = usePlaybook();
  const { busy, error, upload } = useImageUpload();
  const path = `sections[${si}].blocks[${bi}]`;
  const set = (patch: Partial<typeof block>) => edit((d) => Object.assign(d.sections[si]!.blocks[bi]!, patch));
  return (
    <div className="pb-image-fields">
      <div className="pb-image-preview">
        <PlaybookImage asset={block.asset} alt={block.alt || 'The image (no alt text yet)'} width={320} />
        <FileButton
          label={busy ? 'Uploading…' : 'Replace image…'}
          accept={IMAGE_ACCEPT}
          disabled={busy}
          onFile={(file) =>
            void upload(file).then((ref) => {
              if (ref) set({ asset: ref });
            })
          }
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div>
        <PathField label="Alt text" path={`${path}.alt`} value={block.alt} onChange={(alt) => set({ alt })} hint="What the picture shows, for people who cannot see it." />
        <PathField
          label="Caption"
          path={`${path}.caption`}
          value={block.caption ?? ''}
          onChange={(caption) =>
            edit((d) => {
              const b = d.sections[si]!.blocks[bi] as typeof block;
              if (caption === '') delete b.caption;
              else b.caption = caption;
            })
          }
        />
      </div>
    </div>
  );
}

function BlockFields({ si, bi, block }: { si: number; bi: number; block: PlaybookBlock }) {
  const { edit } = usePlaybook();
  const path = `sections[${si}].blocks[${bi}]`;
  const replace = (next: PlaybookBlock) =>
    edit((d) => {
      d.sections[si]!.blocks[bi] = next;
    });
  switch (block.kind) {
    case 'heading':
      return <PathField label="Heading text" path={`${path}.text`} value={block.text} onChange={(text) => replace({ ...block, text })} />;
    case 'paragraph':
      return <InlineField label="Paragraph text" path={`${path}.text`} value={block.text} rows={4} onChange={(text) => replace({ ...block, text })} />;
    case 'list':
      return (
        <>
          <label className="dz-check">
            <input type="checkbox" checked={block.ordered} onChange={(e) => replace({ ...block, ordered: e.target.checked })} />
            <span>Numbered list</span>
          </label>
          <ListItems path={path} items={block.items} onChange={(items) => replace({ ...block, items })} />
          <button type="button" onClick={() => replace({ ...block, items: [...block.items, ''] })}>
            Add item
          </button>
        </>
      );
    case 'image':
      return <ImageFields si={si} bi={bi} block={block} />;
    case 'template':
      return (
        <>
          <TemplateSelect label="Template" path={`${path}.template`} value={block.template} onChange={(t) => t && replace({ ...block, template: t })} />
          <PathField label="Note" path={`${path}.note`} value={block.note} onChange={(note) => replace({ ...block, note })} placeholder="When to use it, e.g. “Leave this behind after the first meeting.”" />
        </>
      );
  }
}

/** One block of a section: its fields, and moving or deleting it. */
export function BlockEditor({ si, bi, block, count }: { si: number; bi: number; block: PlaybookBlock; count: number }) {
  const { edit } = usePlaybook();
  const editBlocks = (change: (blocks: PlaybookBlock[]) => PlaybookBlock[]) =>
    edit((d) => {
      const s = d.sections[si]!;
      s.blocks = change(s.blocks);
    });
  return (
    <fieldset className={`pb-block pb-block-${block.kind}`} id={fieldId(`sections[${si}].blocks[${bi}]`)} tabIndex={-1}>
      <legend>
        Block {bi + 1}: {BLOCK_NAMES[block.kind]}
      </legend>
      <ItemActions what="block" index={bi} count={count} onMove={(by) => editBlocks((b) => moved(b, bi, by))} onDelete={() => editBlocks((b) => b.filter((_, i) => i !== bi))} />
      <BlockFields si={si} bi={bi} block={block} />
    </fieldset>
  );
}
