import type { DesignerBrand } from '../../../../core/contracts/designer-api.ts';
import { addPage, removePage, updatePage, updateTemplate, type DesignResult } from '../../../../core/designer/commands.ts';
import { PRESET_GROUPS } from '../../../../core/designer/new-template.ts';
import type { DraftIssue } from '../../../../core/designer/validate.ts';
import { PAGE_PRESETS, pageSize, type PagePreset, type Template } from '../../../../core/model/template.ts';
import { ColorField, NumberField, SelectField, TextField } from './controls.tsx';
import { AccessEditor } from './PolicyEditors.tsx';

const MM = 25.4 / 72;

/** Template properties: name, description, category, page size and bleed, pages, and who may use it. */
export function TemplateTab({ template, brand, issues, pageIndex, onTemplate, onResult, onPage }: { template: Template; brand: DesignerBrand; issues: DraftIssue[]; pageIndex: number; onTemplate: (t: Template, coalesceKey?: string) => void; onResult: (r: DesignResult) => void; onPage: (i: number) => void }) {
  const issueAt = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
  const size = pageSize(template);
  const preset = typeof template.page.size === 'string' ? template.page.size : 'custom';
  const set = (patch: Parameters<typeof updateTemplate>[1], what: string) => onTemplate(updateTemplate(template, patch), `template:${what}`);
  const page = template.pages[pageIndex];
  return (
    <div className="dz-template" aria-label="Template properties">
      <TextField label="Template name" value={template.name} onChange={(name) => set({ name }, 'name')} invalid={issueAt('name')} />
      <TextField label="Description" multiline value={template.description} onChange={(description) => set({ description }, 'description')} hint="Partners read it in the gallery." />
      <TextField label="Category" value={template.category} onChange={(category) => set({ category }, 'category')} invalid={issueAt('category')} />
      <fieldset className="dz-group">
        <legend>Page</legend>
        <SelectField<PagePreset | 'custom'>
          label="Page size"
          value={preset}
          options={[...PRESET_GROUPS.flatMap((g) => g.presets.map((p) => ({ value: p, label: PAGE_PRESETS[p].label }))), { value: 'custom', label: `Custom (${Math.round(size.width)} × ${Math.round(size.height)} pt)` }]}
          onChange={(v) => set({ page: { ...template.page, size: v === 'custom' ? { width: size.width, height: size.height } : v } }, 'size')}
        />
        {typeof template.page.size === 'string' ? (
          <SelectField
            label="Orientation"
            value={template.page.orientation ?? (size.width > size.height ? 'landscape' : 'portrait')}
            options={[
              { value: 'portrait', label: 'Portrait' },
              { value: 'landscape', label: 'Landscape' },
            ]}
            onChange={(orientation) => set({ page: { ...template.page, orientation } }, 'orientation')}
          />
        ) : (
          <div className="dz-row">
            <NumberField label="Page width" unit="pt" min={1} max={14400} value={template.page.size.width} onChange={(w) => w !== undefined && typeof template.page.size !== 'string' && set({ page: { ...template.page, size: { ...template.page.size, width: w } } }, 'w')} hint={`${(size.width * MM).toFixed(1)} mm`} />
            <NumberField label="Page height" unit="pt" min={1} max={14400} value={template.page.size.height} onChange={(h) => h !== undefined && typeof template.page.size !== 'string' && set({ page: { ...template.page, size: { ...template.page.size, height: h } } }, 'h')} hint={`${(size.height * MM).toFixed(1)} mm`} />
          </div>
        )}
        <NumberField label="Bleed" unit="pt" min={0} max={72} step={0.5} value={template.page.bleed} onChange={(bleed) => bleed !== undefined && set({ page: { ...template.page, bleed } }, 'bleed')} hint={`${(template.page.bleed * MM).toFixed(1)} mm on every side; 9 pt ≈ 3 mm is usual for print.`} />
      </fieldset>
      <fieldset className="dz-group">
        <legend>
          Page {pageIndex + 1} of {template.pages.length}
        </legend>
        <TextField label="Page name" value={page?.name ?? ''} onChange={(name) => onTemplate(updatePage(template, pageIndex, { name }), `page:${pageIndex}:name`)} />
        <ColorField label="Page background" none="White (none)" value={page?.background} palette={brand.palette} onChange={(background) => onTemplate(updatePage(template, pageIndex, { background }), `page:${pageIndex}:bg`)} />
        <div className="dz-row">
          <button
            type="button"
            onClick={() => {
              const r = addPage(template, pageIndex);
              onTemplate(r.template);
              onPage(r.page);
            }}
          >
            Add page
          </button>
          <button
            type="button"
            className="danger"
            disabled={template.pages.length <= 1}
            onClick={() => {
              onResult(removePage(template, pageIndex));
              onPage(Math.max(0, pageIndex - 1));
            }}
          >
            Delete this page
          </button>
        </div>
      </fieldset>
      <AccessEditor legend="Who may use this template" value={template.access} access={brand.access} onChange={(access) => set({ access }, 'access')} />
    </div>
  );
}
