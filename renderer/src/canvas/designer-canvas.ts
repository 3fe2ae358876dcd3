import { Canvas, FabricObject, Rect as FabricRect, type BasicTransformEvent, type TPointerEventInfo } from 'fabric';
import { BASE_CANVAS_OPTIONS } from './fabric-options.ts';
import type { PlanView } from '../../../core/contracts/plan-view.ts';
import { clampRect, type PageBounds } from '../../../core/designer/commands.ts';
import { snapRect, snapTargets, type Guide, type ResizeEdges } from '../../../core/designer/snap.ts';
import { LOCKUP_PARTY_LABELS, ZONE_KIND_LABELS } from '../../../core/designer/zones.ts';
import { placeLockup } from '../../../core/compose/geometry.ts';
import { continuationCount, planPageOf } from '../../../core/compose/pages.ts';
import type { BlockAreaZone, FormFieldZone, LockupParty, LockupZone, Rect, Zone, ZoneKind } from '../../../core/model/template.ts';
import { drawPlan, type DrawResources } from './draw-plan.ts';

/** A zone as the designer canvas shows it. */
export interface DesignZone {
  id: string;
  kind: ZoneKind;
  owner: Zone['owner'];
  lock: Zone['lock'];
  label: string;
  rect: Rect;
  /** Not selectable on the canvas (a full-page background, say); still selectable in the layer list. */
  pinned: boolean;
  /** The zone has validation issues (outlined in red). */
  invalid: boolean;
  /** A form field's name and input type: drawn on the zone, since the field's value is filled later, by whoever gets the PDF. */
  form?: { name: string; input: FormFieldZone['input']; required: boolean; multiline: boolean } | undefined;
  /** A lockup's row: drawn as labelled slots, since which logos fill it depends on the partner. */
  lockup?: Pick<LockupZone, 'order' | 'relativeSize' | 'separator' | 'gap' | 'align' | 'clearSpace'> | undefined;
  /** A bundle area: its columns (drawn as guides when it is empty), its continuation frame and how many blocks it holds. */
  area?: (Pick<BlockAreaZone, 'layout' | 'columns' | 'gap' | 'continuation'> & { entries: number }) | undefined;
}

export interface DesignerCanvasEvents {
  onSelect(zoneId: string | null): void;
  /** A zone was moved or resized with the mouse (already snapped and kept on the page). */
  onChange(zoneId: string, rect: Rect, mode: 'move' | 'resize'): void;
  /** A new zone was drawn with the active tool. */
  onDraw(kind: ZoneKind, rect: Rect): void;
}

/** What the canvas holds for a zone, for tests and the accessibility tree. */
export interface DesignZoneState {
  id: string;
  kind: ZoneKind;
  /** A form field's name as drawn on the canvas. */
  field?: string | undefined;
  /** A lockup's parties as the canvas names them, in order ("vendor", "partner", …), and the rules between them. */
  slots?: string[] | undefined;
  separators?: number | undefined;
  /** A bundle area's columns, and the continuation pages the engine's preview gives it. */
  columns?: number | undefined;
  continuationPages?: number | undefined;
  left: number;
  top: number;
  width: number;
  height: number;
  selectable: boolean;
}

/** The page drawn from the engine's plan, with the bleed around it. */
class PageLayer extends FabricObject {
  static override type = 'DesignerPageLayer';
  plan: PlanView | undefined;
  /** The plan page drawn: the template page's own, found past any continuation pages before it. */
  pageIndex = 0;
  templatePage = 0;
  bleed = 0;
  resources: DrawResources | undefined;

  override _render(ctx: CanvasRenderingContext2D): void {
    ctx.save();
    ctx.translate(-this.width / 2 + this.bleed, -this.height / 2 + this.bleed);
    const page = this.plan?.pages[this.pageIndex];
    // The bleed takes the page's colour: printed and trimmed, that is what shows at the edge.
    ctx.fillStyle = page?.background ?? '#FFFFFF';
    ctx.fillRect(-this.bleed, -this.bleed, this.width, this.height);
    if (this.plan && this.resources) drawPlan(ctx, this.plan, this.pageIndex, this.resources);
    ctx.restore();
  }
}

interface ZoneRect extends FabricRect {
  zoneId?: string;
}

/** Room around the bleed for handles and labels, in points. */
const MARGIN = 28;
/** Snapping distance in screen pixels. */
const SNAP_PX = 6;

const OWNER_COLORS: Record<Zone['owner'], string> = { vendor: '#64748B', partner: '#0B5FFF', distributor: '#7C3AED' };
/** Form fields are marked in their own colour, as form designers tint fillable areas: they are neither the vendor's artwork nor the partner's. */
const FORM_FIELD_COLOR = '#0F766E';

/** Default sizes of a zone placed with a click instead of a drag, for a Letter-wide page. */
const CLICK_SIZES: Record<ZoneKind, [number, number]> = {
  'partner-logo': [160, 64],
  'partner-text': [240, 28],
  'static-text': [240, 28],
  'vendor-logo': [140, 52],
  lockup: [300, 60],
  image: [200, 150],
  'color-block': [200, 120],
  'form-field': [180, 22],
  'block-area': [500, 360],
};

function edgesOf(corner: string): ResizeEdges {
  // Fabric names corners tl, tr, bl, br (vertical then horizontal) and sides ml, mr, mt, mb.
  const out: ResizeEdges = {};
  if (corner.length !== 2) return out;
  const [a, b] = [corner[0]!, corner[1]!];
  const parts = a === 'm' ? [b] : [a, b];
  for (const p of parts) {
    if (p === 'l') out.x = 'start';
    if (p === 'r') out.x = 'end';
    if (p === 't') out.y = 'start';
    if (p === 'b') out.y = 'end';
  }
  return out;
}

/**
 * The designer's canvas: the page as the engine draws it, and one Fabric
 * rectangle per zone to select, move and resize, with snapping to the page,
 * the other zones and an optional grid, and the guides it snapped to. Zone
 * rectangles are transparent: outlines and labels (kind, owner, lock) are
 * painted over everything after each render, at a constant screen size.
 * Geometry is in page points; the viewport carries zoom and the margin.
 */
export class DesignerCanvas {
  readonly fabric: Canvas;
  private readonly layer = new PageLayer({ left: 0, top: 0, originX: 'left', originY: 'top', strokeWidth: 0, selectable: false, evented: false, objectCaching: false });
  private rects = new Map<string, ZoneRect>();
  private zones: DesignZone[] = [];
  private page: PageBounds = { width: 612, height: 792, bleed: 0 };
  private zoom = 1;
  private tool: ZoneKind | null = null;
  private mode: 'design' | 'preview' = 'design';
  private guides: Guide[] = [];
  private drawing: { start: { x: number; y: number }; rect: Rect } | null = null;
  private grid: number | undefined;
  private snapping = true;
  private transforming = false;
  private hovered: string | undefined;

  constructor(element: HTMLCanvasElement, private readonly events: DesignerCanvasEvents) {
    this.fabric = new Canvas(element, { ...BASE_CANVAS_OPTIONS, uniformScaling: false });
    this.fabric.add(this.layer);
    const selected = (objs: FabricObject[] | undefined) => this.events.onSelect((objs?.[0] as ZoneRect | undefined)?.zoneId ?? null);
    this.fabric.on('selection:created', (e) => selected(e.selected));
    this.fabric.on('selection:updated', (e) => selected(e.selected));
    this.fabric.on('selection:cleared', () => this.events.onSelect(null));
    this.fabric.on('object:moving', (e) => this.moving(e));
    this.fabric.on('object:scaling', (e) => this.scaling(e));
    this.fabric.on('object:modified', (e) => this.modified(e.target as ZoneRect | undefined, e.action === 'drag' ? 'move' : 'resize'));
    this.fabric.on('mouse:down', (e) => this.pointerDown(e));
    this.fabric.on('mouse:move', (e) => this.pointerMove(e));
    this.fabric.on('mouse:up', () => this.pointerUp());
    this.fabric.on('mouse:over', (e) => this.hover((e.target as ZoneRect | undefined)?.zoneId));
    this.fabric.on('mouse:out', () => this.hover(undefined));
    this.fabric.on('after:render', ({ ctx }) => this.paintOverlay(ctx as CanvasRenderingContext2D));
  }

  private hover(zoneId: string | undefined): void {
    if (this.hovered === zoneId) return;
    this.hovered = zoneId;
    this.fabric.requestRenderAll();
  }

  // ---- content

  setPage(bounds: PageBounds): void {
    const changed = bounds.width !== this.page.width || bounds.height !== this.page.height || bounds.bleed !== this.page.bleed;
    this.page = bounds;
    this.layer.set({ left: -bounds.bleed, top: -bounds.bleed, width: bounds.width + 2 * bounds.bleed, height: bounds.height + 2 * bounds.bleed });
    this.layer.bleed = bounds.bleed;
    if (changed) this.applyZoom();
  }

  /** The engine's plan, and the template page to show (continuation pages shift later pages of the plan). */
  setPlan(plan: PlanView | undefined, templatePage: number, resources: DrawResources): void {
    this.layer.plan = plan;
    this.layer.templatePage = templatePage;
    this.layer.pageIndex = plan ? planPageOf(plan.pages, templatePage) : 0;
    this.layer.resources = resources;
    this.fabric.requestRenderAll();
  }

  /** Shows the zones of the current page, bottom to top. Rectangles being dragged are left alone. */
  setZones(zones: DesignZone[]): void {
    this.zones = zones;
    const keep = new Set(zones.map((z) => z.id));
    for (const [id, r] of this.rects) {
      if (!keep.has(id)) {
        this.fabric.remove(r);
        this.rects.delete(id);
      }
    }
    zones.forEach((z, i) => {
      let r = this.rects.get(z.id);
      if (!r) {
        r = new FabricRect({ originX: 'left', originY: 'top', fill: 'rgba(0,0,0,0)', strokeWidth: 0, objectCaching: false, lockRotation: true, lockScalingFlip: true, lockSkewingX: true, lockSkewingY: true, hasBorders: true, borderColor: '#0B5FFF', cornerColor: '#0B5FFF', cornerStrokeColor: '#FFFFFF', cornerStyle: 'circle', transparentCorners: false, cornerSize: 10, borderScaleFactor: 1.5 }) as ZoneRect;
        r.setControlsVisibility({ mtr: false });
        r.zoneId = z.id;
        this.rects.set(z.id, r);
        this.fabric.add(r);
      }
      if (!(this.transforming && this.fabric.getActiveObject() === r)) {
        r.set({ left: z.rect.x, top: z.rect.y, width: z.rect.w, height: z.rect.h, scaleX: 1, scaleY: 1 });
        r.setCoords();
      }
      // Index 0 is the page layer.
      this.fabric.moveObjectTo(r, i + 1);
    });
    this.applyInteractivity();
  }

  setTool(kind: ZoneKind | null): void {
    this.tool = kind;
    if (kind) this.fabric.discardActiveObject();
    this.applyInteractivity();
  }

  setMode(mode: 'design' | 'preview'): void {
    this.mode = mode;
    if (mode === 'preview') this.fabric.discardActiveObject();
    this.applyInteractivity();
  }

  setSnapping(on: boolean, grid: number | undefined): void {
    this.snapping = on;
    this.grid = grid;
  }

  private applyInteractivity(): void {
    const live = this.mode === 'design' && this.tool === null;
    for (const z of this.zones) {
      const r = this.rects.get(z.id);
      if (!r) continue;
      const on = live && !z.pinned;
      r.set({ selectable: on, evented: on, hoverCursor: on ? 'move' : 'default' });
    }
    this.fabric.defaultCursor = this.tool ? 'crosshair' : 'default';
    this.fabric.setCursor(this.fabric.defaultCursor);
    this.fabric.requestRenderAll();
  }

  select(zoneId: string | null): void {
    const r = zoneId ? this.rects.get(zoneId) : undefined;
    const active = this.fabric.getActiveObject();
    if (r && this.mode === 'design') {
      if (active !== r) {
        // Selecting from the layer list reaches pinned zones too.
        r.set({ selectable: true });
        this.fabric.setActiveObject(r);
      }
    } else if (active) this.fabric.discardActiveObject();
    this.fabric.requestRenderAll();
  }

  // ---- zoom

  fit(width: number, height: number): void {
    const w = this.page.width + 2 * (this.page.bleed + MARGIN);
    const h = this.page.height + 2 * (this.page.bleed + MARGIN);
    this.zoom = Math.max(0.05, Math.min(width / w, height / h));
    this.applyZoom();
  }

  setZoom(zoom: number): void {
    this.zoom = Math.max(0.05, Math.min(8, zoom));
    this.applyZoom();
  }

  getZoom(): number {
    return this.zoom;
  }

  /** Where a page point is on the canvas element, in CSS pixels from its top-left. */
  toCanvas(x: number, y: number): { x: number; y: number } {
    const off = this.page.bleed + MARGIN;
    return { x: (x + off) * this.zoom, y: (y + off) * this.zoom };
  }

  private applyZoom(): void {
    const off = this.page.bleed + MARGIN;
    this.fabric.setDimensions({ width: Math.round((this.page.width + 2 * off) * this.zoom), height: Math.round((this.page.height + 2 * off) * this.zoom) });
    this.fabric.setViewportTransform([this.zoom, 0, 0, this.zoom, off * this.zoom, off * this.zoom]);
    for (const r of this.rects.values()) r.setCoords();
    this.fabric.requestRenderAll();
  }

  // ---- moving and resizing

  private targetsFor(zoneId: string | undefined) {
    return snapTargets(
      this.page,
      this.zones.filter((z) => z.id !== zoneId).map((z) => z.rect),
    );
  }

  private rectOf(r: ZoneRect): Rect {
    return { x: r.left, y: r.top, w: r.width * r.scaleX, h: r.height * r.scaleY };
  }

  private moving(e: BasicTransformEvent & { target: FabricObject }): void {
    const r = e.target as ZoneRect;
    this.transforming = true;
    let rect = this.rectOf(r);
    this.guides = [];
    if (this.snapping) {
      const s = snapRect(rect, this.targetsFor(r.zoneId), { threshold: SNAP_PX / this.zoom, grid: this.grid });
      rect = s.rect;
      this.guides = s.guides;
    }
    rect = clampRect(rect, this.page, 'move');
    r.set({ left: rect.x, top: rect.y });
  }

  private scaling(e: BasicTransformEvent & { target: FabricObject }): void {
    const r = e.target as ZoneRect;
    this.transforming = true;
    let rect = this.rectOf(r);
    this.guides = [];
    const resize = edgesOf(e.transform.corner);
    if (this.snapping) {
      const s = snapRect(rect, this.targetsFor(r.zoneId), { threshold: SNAP_PX / this.zoom, grid: this.grid, resize, minSize: 1 });
      rect = s.rect;
      this.guides = s.guides;
    }
    rect = clampRect(rect, this.page, 'resize');
    r.set({ left: rect.x, top: rect.y, scaleX: rect.w / r.width, scaleY: rect.h / r.height });
  }

  private modified(r: ZoneRect | undefined, mode: 'move' | 'resize'): void {
    this.transforming = false;
    this.guides = [];
    if (!r?.zoneId) return;
    const rect = this.rectOf(r);
    r.set({ width: rect.w, height: rect.h, scaleX: 1, scaleY: 1 });
    r.setCoords();
    this.events.onChange(r.zoneId, rect, mode);
    this.fabric.requestRenderAll();
  }

  // ---- drawing new zones

  private snapPoint(p: { x: number; y: number }): { x: number; y: number } {
    if (!this.snapping) return p;
    const s = snapRect({ x: p.x, y: p.y, w: 1e-6, h: 1e-6 }, this.targetsFor(undefined), { threshold: SNAP_PX / this.zoom, grid: this.grid });
    return { x: s.rect.x, y: s.rect.y };
  }

  private pointerDown(e: TPointerEventInfo): void {
    if (!this.tool || this.mode !== 'design') return;
    const start = this.snapPoint(e.scenePoint);
    this.drawing = { start, rect: { x: start.x, y: start.y, w: 0, h: 0 } };
  }

  private pointerMove(e: TPointerEventInfo): void {
    if (!this.drawing) return;
    const { start } = this.drawing;
    const p = e.scenePoint;
    let rect: Rect = { x: Math.min(start.x, p.x), y: Math.min(start.y, p.y), w: Math.abs(p.x - start.x), h: Math.abs(p.y - start.y) };
    this.guides = [];
    if (this.snapping && rect.w > 0 && rect.h > 0) {
      const s = snapRect(rect, this.targetsFor(undefined), { threshold: SNAP_PX / this.zoom, grid: this.grid, resize: { x: p.x >= start.x ? 'end' : 'start', y: p.y >= start.y ? 'end' : 'start' } });
      rect = s.rect;
      this.guides = s.guides;
    }
    this.drawing.rect = rect;
    this.fabric.requestRenderAll();
  }

  private pointerUp(): void {
    if (!this.drawing || !this.tool) return;
    const { start, rect } = this.drawing;
    this.drawing = null;
    this.guides = [];
    const kind = this.tool;
    let out = rect;
    // A click (or a tiny drag) places a zone of a usual size there, scaled to the page.
    if (rect.w < 4 / this.zoom || rect.h < 4 / this.zoom) {
      const scale = Math.max(0.5, this.page.width / 612);
      const [w, h] = CLICK_SIZES[kind];
      out = { x: start.x, y: start.y, w: w * scale, h: h * scale };
    }
    this.events.onDraw(kind, clampRect(out, this.page, 'move'));
    this.fabric.requestRenderAll();
  }

  // ---- overlay

  private paintOverlay(ctx: CanvasRenderingContext2D): void {
    const retina = this.fabric.getRetinaScaling?.() ?? 1;
    const z = this.zoom;
    const off = this.page.bleed + MARGIN;
    const px = 1 / z;
    const { width: W, height: H, bleed: B } = this.page;
    ctx.save();
    ctx.setTransform(retina * z, 0, 0, retina * z, retina * off * z, retina * off * z);

    // The bleed: printed, then cut off. A veil over it and the trim line make that visible.
    if (B > 0) {
      ctx.fillStyle = 'rgba(15, 23, 42, 0.10)';
      ctx.beginPath();
      ctx.rect(-B, -B, W + 2 * B, H + 2 * B);
      ctx.rect(W, 0, -W, H);
      ctx.fill('evenodd');
    }
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.lineWidth = px;
    ctx.strokeStyle = 'rgba(220, 38, 38, 0.75)';
    ctx.strokeRect(0, 0, W, H);
    ctx.setLineDash([]);

    if (this.mode === 'design') {
      const active = (this.fabric.getActiveObject() as ZoneRect | undefined)?.zoneId;
      for (const zone of this.zones) {
        const r = this.rects.get(zone.id);
        const rect = r ? this.rectOf(r) : zone.rect;
        const color = zone.invalid ? '#DC2626' : OWNER_COLORS[zone.owner];
        ctx.lineWidth = (zone.id === active ? 1.5 : 1) * px;
        ctx.strokeStyle = color;
        ctx.setLineDash(zone.lock === 'editable' ? [5 * px, 3 * px] : []);
        ctx.strokeRect(rect.x, rect.y, rect.w, rect.h);
        ctx.setLineDash([]);
      }
      for (const zone of this.zones) {
        if (!zone.lockup) continue;
        const r = this.rects.get(zone.id);
        this.paintLockup(ctx, { ...zone, lockup: zone.lockup }, r ? this.rectOf(r) : zone.rect, px);
      }
      for (const zone of this.zones) {
        if (!zone.area) continue;
        const r = this.rects.get(zone.id);
        this.paintBlockArea(ctx, { ...zone, area: zone.area }, r ? this.rectOf(r) : zone.rect, px);
      }
      for (const zone of this.zones) {
        if (!zone.form) continue;
        const r = this.rects.get(zone.id);
        this.paintFormField(ctx, zone.form, r ? this.rectOf(r) : zone.rect, zone.invalid ? '#DC2626' : FORM_FIELD_COLOR, px);
      }
      // Labels on the partners' zones (few, and what the template is about), and on the selected and
      // hovered ones: labelling every vendor zone of a dense page would bury it.
      for (const zone of this.zones) {
        if (zone.owner === 'vendor' && zone.id !== active && zone.id !== this.hovered && !zone.invalid) continue;
        const r = this.rects.get(zone.id);
        this.paintLabel(ctx, zone, r ? this.rectOf(r) : zone.rect, zone.invalid ? '#DC2626' : OWNER_COLORS[zone.owner], px);
      }
    }
    for (const g of this.guides) {
      ctx.strokeStyle = '#EC4899';
      ctx.lineWidth = px;
      ctx.beginPath();
      if (g.axis === 'x') {
        ctx.moveTo(g.pos, g.from - 8 * px);
        ctx.lineTo(g.pos, g.to + 8 * px);
      } else {
        ctx.moveTo(g.from - 8 * px, g.pos);
        ctx.lineTo(g.to + 8 * px, g.pos);
      }
      ctx.stroke();
    }
    if (this.drawing) {
      const r = this.drawing.rect;
      ctx.setLineDash([4 * px, 3 * px]);
      ctx.strokeStyle = '#0B5FFF';
      ctx.fillStyle = 'rgba(11, 95, 255, 0.08)';
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
    ctx.restore();
  }

  /**
   * A form field as form designers show one: the fillable area tinted, and a
   * tab with its field name (* when required) after a check square for a
   * checkbox or before ▾ for a choice. The engine draws the field itself
   * (border, background, initial value) underneath; the tab sits in the
   * top-right corner, away from where values start, or above a zone too low
   * to hold it. 9 px whatever the zoom.
   */
  private paintFormField(ctx: CanvasRenderingContext2D, form: NonNullable<DesignZone['form']>, rect: Rect, color: string, px: number): void {
    ctx.save();
    ctx.globalAlpha = 0.08;
    ctx.fillStyle = color;
    ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
    ctx.globalAlpha = 1;
    ctx.font = `${9 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    const h = 12 * px;
    const pad = 3 * px;
    const icon = form.input === 'checkbox' ? 7 * px + pad : 0;
    const arrow = form.input === 'choice' ? ctx.measureText(' ▾').width : 0;
    const maxW = Math.max(rect.w, 60 * px);
    let name = `${form.name}${form.required ? ' *' : ''}`;
    while (name.length > 2 && ctx.measureText(name).width + icon + arrow + 2 * pad > maxW) name = `${name.slice(0, -2)}…`;
    const w = ctx.measureText(name).width + icon + arrow + 2 * pad;
    const x = rect.x + rect.w - w;
    const y = rect.h >= 2 * h ? rect.y : rect.y - h;
    ctx.fillStyle = '#FFFFFF';
    ctx.globalAlpha = 0.9;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = px;
    ctx.strokeRect(x, y, w, h);
    ctx.fillStyle = color;
    if (icon) ctx.strokeRect(x + pad, y + h / 2 - 3.5 * px, 7 * px, 7 * px);
    ctx.fillText(`${name}${arrow ? ' ▾' : ''}`, x + pad + icon, y + h / 2 + 0.5 * px);
    ctx.restore();
  }

  /**
   * A lockup: a tab naming its parties in the vendor's order, each in the
   * colour the canvas gives that owner, joined by "|" where rules separate
   * them (the engine draws the vendor logo and a sample partner logo
   * underneath, but which logos fill the row depends on the partner). When
   * the engine draws nothing for the zone (it is invalid, or the preview is
   * not back yet), dashed slots laid out by the engine's row geometry, at a
   * nominal logo shape, show the row instead. 9 px whatever the zoom.
   */
  private paintLockup(ctx: CanvasRenderingContext2D, zone: DesignZone & { lockup: NonNullable<DesignZone['lockup']> }, rect: Rect, px: number): void {
    const { lockup } = zone;
    const colorOf = (party: LockupParty) => (zone.invalid ? '#DC2626' : OWNER_COLORS[party]);
    ctx.save();
    ctx.font = `${9 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.lineWidth = px;
    if (!this.engineDrew(zone.id)) {
      const row = lockupSlots(lockup, rect);
      row.places.forEach((box, i) => {
        const party = lockup.order[i]!;
        ctx.globalAlpha = 0.1;
        ctx.fillStyle = colorOf(party);
        ctx.fillRect(box.x, box.y, box.w, box.h);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colorOf(party);
        ctx.setLineDash([3 * px, 2 * px]);
        ctx.strokeRect(box.x, box.y, box.w, box.h);
        ctx.setLineDash([]);
      });
      ctx.strokeStyle = colorOf('vendor');
      for (const sep of row.separators) {
        ctx.beginPath();
        ctx.moveTo(sep.x + sep.w / 2, sep.y);
        ctx.lineTo(sep.x + sep.w / 2, sep.y + sep.h);
        ctx.stroke();
      }
    }
    const joiner = lockup.separator === 'rule' ? ' | ' : ' · ';
    const words = lockup.order.map((party) => ({ text: LOCKUP_PARTY_LABELS[party], color: colorOf(party) }));
    const pad = 3 * px;
    const h = 12 * px;
    const w = words.reduce((sum, word) => sum + ctx.measureText(word.text).width, 0) + (words.length - 1) * ctx.measureText(joiner).width + 2 * pad;
    const x = rect.x + rect.w - w;
    const y = rect.h >= 2 * h ? rect.y : rect.y - h;
    ctx.fillStyle = '#FFFFFF';
    ctx.globalAlpha = 0.9;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colorOf('vendor');
    ctx.strokeRect(x, y, w, h);
    let at = x + pad;
    words.forEach((word, i) => {
      if (i > 0) {
        ctx.fillStyle = colorOf('vendor');
        ctx.fillText(joiner, at, y + h / 2 + 0.5 * px);
        at += ctx.measureText(joiner).width;
      }
      ctx.fillStyle = word.color;
      ctx.fillText(word.text, at, y + h / 2 + 0.5 * px);
      at += ctx.measureText(word.text).width;
    });
    ctx.restore();
  }

  /**
   * A bundle area: its columns as dotted guides while the engine draws no
   * block in it (no entries yet, or no preview), the frame continuation pages
   * flow into (dashed, when it differs from the zone) and a tab with the
   * layout, the number of blocks and the continuation pages the preview
   * needs. 9 px whatever the zoom.
   */
  private paintBlockArea(ctx: CanvasRenderingContext2D, zone: DesignZone & { area: NonNullable<DesignZone['area']> }, rect: Rect, px: number): void {
    const { area } = zone;
    const color = zone.invalid ? '#DC2626' : OWNER_COLORS[zone.owner];
    const columns = area.layout === 'list' ? 1 : area.columns;
    ctx.save();
    ctx.lineWidth = px;
    ctx.strokeStyle = color;
    if (!this.engineDrew(zone.id)) {
      ctx.globalAlpha = 0.08;
      ctx.fillStyle = color;
      const w = (rect.w - (columns - 1) * area.gap) / columns;
      for (let i = 0; i < columns; i++) ctx.fillRect(rect.x + i * (w + area.gap), rect.y, w, rect.h);
      ctx.globalAlpha = 1;
    }
    const c = area.continuation;
    if (c && (c.x !== rect.x || c.y !== rect.y || c.w !== rect.w || c.h !== rect.h)) {
      ctx.setLineDash([2 * px, 3 * px]);
      ctx.strokeRect(c.x, c.y, c.w, c.h);
      ctx.setLineDash([]);
    }
    const more = this.continuationPages();
    const text = `${area.layout === 'list' ? 'List' : `Grid × ${columns}`} · ${area.entries} block${area.entries === 1 ? '' : 's'}${more > 0 ? ` · +${more} page${more === 1 ? '' : 's'}` : ''}`;
    ctx.font = `${9 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    const pad = 3 * px;
    const h = 12 * px;
    const tw = ctx.measureText(text).width + 2 * pad;
    const x = rect.x + rect.w - tw;
    const y = rect.h >= 2 * h ? rect.y : rect.y - h;
    ctx.fillStyle = '#FFFFFF';
    ctx.globalAlpha = 0.9;
    ctx.fillRect(x, y, tw, h);
    ctx.globalAlpha = 1;
    ctx.strokeRect(x, y, tw, h);
    ctx.fillStyle = color;
    ctx.fillText(text, x + pad, y + h / 2 + 0.5 * px);
    ctx.restore();
  }

  /** How many continuation pages the engine's preview puts after the page shown. */
  private continuationPages(): number {
    return this.layer.plan ? continuationCount(this.layer.plan.pages, this.layer.templatePage) : 0;
  }

  /** Whether the engine's plan of the page draws anything for a zone. */
  private engineDrew(zoneId: string): boolean {
    return this.layer.plan?.pages[this.layer.pageIndex]?.items.some((i) => i.zoneId === zoneId) ?? false;
  }

  /** A chip at the zone's top-left: a padlock when locked, name or kind, owner; 11 px whatever the zoom. */
  private paintLabel(ctx: CanvasRenderingContext2D, zone: DesignZone, rect: Rect, color: string, px: number): void {
    const kind = ZONE_KIND_LABELS[zone.kind];
    const name = zone.label.trim();
    const text = `${name && name !== kind ? `${name} · ${kind}` : kind} · ${zone.owner}`;
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    const lock = zone.lock === 'locked' ? 10 * px : 0;
    const maxW = Math.max(rect.w, 80 * px);
    let shown = text;
    while (shown.length > 4 && ctx.measureText(shown).width + 8 * px + lock > maxW) shown = `${shown.slice(0, -2)}…`;
    const w = ctx.measureText(shown).width + 8 * px + lock;
    const h = 15 * px;
    // Above the zone when there is room, inside it otherwise.
    const y = rect.y - h >= -this.page.bleed - MARGIN + 2 * px ? rect.y - h : rect.y;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.92;
    ctx.fillRect(rect.x, y, w, h);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#FFFFFF';
    ctx.strokeStyle = '#FFFFFF';
    if (lock) {
      // A small padlock: shackle and body, as the partner editor draws it.
      const x0 = rect.x + 4 * px;
      ctx.lineWidth = 1.2 * px;
      ctx.beginPath();
      ctx.arc(x0 + 3.5 * px, y + 6 * px, 2.2 * px, Math.PI, 0);
      ctx.stroke();
      ctx.fillRect(x0 + 0.5 * px, y + 6 * px, 6 * px, 5 * px);
    }
    ctx.textBaseline = 'middle';
    ctx.fillText(shown, rect.x + 4 * px + lock, y + h / 2 + 0.5 * px);
  }

  zoneStates(): DesignZoneState[] {
    return this.zones.map((z) => {
      const r = this.rects.get(z.id);
      const rect = r ? this.rectOf(r) : z.rect;
      const slots = z.lockup ? { slots: [...z.lockup.order], separators: z.lockup.separator === 'rule' ? z.lockup.order.length - 1 : 0 } : {};
      const area = z.area ? { columns: z.area.layout === 'list' ? 1 : z.area.columns, continuationPages: this.continuationPages() } : {};
      return { id: z.id, kind: z.kind, ...(z.form ? { field: z.form.name } : {}), ...slots, ...area, left: rect.x, top: rect.y, width: rect.w, height: rect.h, selectable: r?.selectable ?? false };
    });
  }

  dispose(): void {
    void this.fabric.dispose();
  }
}

/** Width over height of a lockup slot on the canvas: a typical horizontal logo. */
const SLOT_ASPECT = 2.5;

/** Where the canvas draws a lockup's slots and separators: the engine's row layout for logos of a nominal shape. */
function lockupSlots(lockup: NonNullable<DesignZone['lockup']>, rect: Rect): { places: Rect[]; separators: Rect[] } {
  const parts = lockup.order.map((party) => ({ width: SLOT_ASPECT, height: 1, relative: party === 'vendor' ? 1 : lockup.relativeSize }));
  // The brand's clear-space rule is not known here: the slots use the zone's own override, or none.
  return placeLockup(parts, rect, { gap: lockup.gap, clear: lockup.clearSpace ?? 0, ruleWidth: lockup.separator === 'rule' ? 0.75 : 0, align: lockup.align });
}
