import { Canvas, FabricObject, Rect, type TPointerEventInfo } from 'fabric';
import { BASE_CANVAS_OPTIONS } from './fabric-options.ts';
import type { ZoneLock } from '../../../core/document/commands.ts';
import type { PlanView } from '../../../core/contracts/plan-view.ts';
import type { Template, Zone } from '../../../core/model/template.ts';
import { zonesOnPlanPage } from '../../../core/compose/pages.ts';
import { drawPlan, type DrawResources } from './draw-plan.ts';

/** The page as one Fabric object drawn from the render plan (the same positions as the PDF). */
class PlanLayer extends FabricObject {
  static override type = 'PlanLayer';
  plan: PlanView | undefined;
  pageIndex = 0;
  resources: DrawResources | undefined;

  override _render(ctx: CanvasRenderingContext2D): void {
    if (!this.plan || !this.resources) return;
    ctx.save();
    ctx.translate(-this.width / 2, -this.height / 2);
    drawPlan(ctx, this.plan, this.pageIndex, this.resources);
    ctx.restore();
  }
}

export interface ZoneState {
  zoneId: string;
  kind: Zone['kind'];
  left: number;
  top: number;
  width: number;
  height: number;
  selectable: boolean;
  lockMovementX: boolean;
  lockMovementY: boolean;
  lockScalingX: boolean;
  lockScalingY: boolean;
  lockRotation: boolean;
  hasControls: boolean;
  lockedBy: string | null;
}

export interface CanvasEvents {
  /** An editable zone was selected (or the selection cleared). */
  onSelect(zoneId: string | null): void;
  /** A partner logo slot was activated (click / double click). */
  onLogoSlot(zoneId: string): void;
  /** The pointer is over a zone (for the lock tooltip). */
  onHover(zone: Zone | null, lock: ZoneLock | null): void;
}

interface ZoneRect extends Rect {
  zoneId?: string;
}

/**
 * The editor canvas: the plan layer, with one transparent Fabric rectangle
 * per zone on top for hit-testing, hover and selection. Lock flags on the
 * rectangles are derived from core's `zoneLock`; they are a convenience —
 * the document commands refuse locked edits whatever the canvas does.
 */
export class EditorCanvas {
  readonly fabric: Canvas;
  // strokeWidth 0: Fabric counts the stroke in an object's box, which would shift the page by half a pixel.
  private readonly layer = new PlanLayer({ left: 0, top: 0, originX: 'left', originY: 'top', strokeWidth: 0, selectable: false, evented: false, objectCaching: false });
  private zones: ZoneRect[] = [];
  private pageWidth = 612;
  private pageHeight = 792;
  private zoom = 1;
  private hovered: ZoneRect | undefined;
  private showOverlays = true;
  private locks = new Map<string, ZoneLock>();
  private template: Template | undefined;

  constructor(element: HTMLCanvasElement, private readonly events: CanvasEvents) {
    this.fabric = new Canvas(element, { ...BASE_CANVAS_OPTIONS, hoverCursor: 'default' });
    this.fabric.add(this.layer);
    this.fabric.on('selection:created', (e) => this.events.onSelect((e.selected?.[0] as ZoneRect | undefined)?.zoneId ?? null));
    this.fabric.on('selection:updated', (e) => this.events.onSelect((e.selected?.[0] as ZoneRect | undefined)?.zoneId ?? null));
    this.fabric.on('selection:cleared', () => this.events.onSelect(null));
    this.fabric.on('mouse:over', (e) => this.hover(e.target as ZoneRect | undefined));
    this.fabric.on('mouse:out', () => this.hover(undefined));
    this.fabric.on('mouse:dblclick', (e: TPointerEventInfo) => {
      const z = e.target as ZoneRect | undefined;
      const zone = z?.zoneId ? this.zone(z.zoneId) : undefined;
      if (zone?.kind === 'partner-logo' && this.locks.get(zone.id)?.editable) this.events.onLogoSlot(zone.id);
    });
    this.fabric.on('after:render', ({ ctx }) => this.drawBadges(ctx as CanvasRenderingContext2D));
  }

  private zone(id: string): Zone | undefined {
    for (const page of this.template?.pages ?? []) for (const z of page.zones) if (z.id === id) return z;
    return undefined;
  }

  /** Shows plan page `pageIndex`: a template page, or a bundle area's continuation page (its area and repeated zones). */
  setContent(template: Template, pageIndex: number, plan: PlanView, resources: DrawResources, locks: Map<string, ZoneLock>): void {
    const rebuild = this.template !== template || this.layer.pageIndex !== pageIndex;
    this.template = template;
    this.locks = locks;
    this.pageWidth = plan.width;
    this.pageHeight = plan.height;
    this.layer.set({ width: plan.width, height: plan.height });
    this.layer.plan = plan;
    this.layer.pageIndex = pageIndex;
    this.layer.resources = resources;
    if (rebuild) this.buildZones(zonesOnPlanPage(template, plan.pages, pageIndex));
    this.applyZoom();
  }

  private buildZones(zones: Zone[]): void {
    for (const z of this.zones) this.fabric.remove(z);
    this.zones = zones.map((zone) => {
      const lock = this.locks.get(zone.id) ?? { editable: false, movable: false, lockedBy: 'the vendor' };
      const rect: ZoneRect = new Rect({
        left: zone.rect.x,
        top: zone.rect.y,
        width: zone.rect.w,
        height: zone.rect.h,
        originX: 'left',
        originY: 'top',
        fill: 'rgba(0,0,0,0)',
        strokeWidth: 0,
        // Layout is the vendor's: nothing moves, scales or rotates in a partner's hands.
        selectable: lock.editable,
        evented: true,
        hasControls: false,
        hasBorders: lock.editable,
        borderColor: '#0B5FFF',
        borderScaleFactor: 2,
        lockMovementX: true,
        lockMovementY: true,
        lockScalingX: true,
        lockScalingY: true,
        lockRotation: true,
        lockSkewingX: true,
        lockSkewingY: true,
        hoverCursor: lock.editable ? 'pointer' : 'not-allowed',
        objectCaching: false,
      });
      rect.zoneId = zone.id;
      this.fabric.add(rect);
      return rect;
    });
  }

  private hover(target: ZoneRect | undefined): void {
    this.hovered = target?.zoneId ? target : undefined;
    const zone = this.hovered?.zoneId ? this.zone(this.hovered.zoneId) : undefined;
    this.events.onHover(zone ?? null, zone ? (this.locks.get(zone.id) ?? null) : null);
    this.fabric.requestRenderAll();
  }

  /** Outlines editable zones, and a lock badge on the hovered locked zone. */
  private drawBadges(ctx: CanvasRenderingContext2D): void {
    if (!this.showOverlays) return;
    const scale = this.zoom * (this.fabric.getRetinaScaling?.() ?? 1);
    ctx.save();
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    for (const rect of this.zones) {
      const lock = rect.zoneId ? this.locks.get(rect.zoneId) : undefined;
      const hovered = rect === this.hovered;
      if (lock?.editable) {
        ctx.setLineDash([4 / this.zoom, 3 / this.zoom]);
        ctx.lineWidth = (hovered ? 2 : 1) / this.zoom;
        ctx.strokeStyle = 'rgba(11, 95, 255, 0.85)';
        ctx.strokeRect(rect.left, rect.top, rect.width, rect.height);
      } else if (hovered) {
        ctx.setLineDash([]);
        ctx.lineWidth = 1 / this.zoom;
        ctx.strokeStyle = 'rgba(120, 120, 120, 0.9)';
        ctx.strokeRect(rect.left, rect.top, rect.width, rect.height);
        const s = 14 / this.zoom;
        const x = rect.left + rect.width - s - 2 / this.zoom;
        const y = rect.top + 2 / this.zoom;
        ctx.fillStyle = 'rgba(30, 30, 30, 0.85)';
        ctx.fillRect(x, y, s, s);
        // A small padlock: shackle and body.
        ctx.strokeStyle = '#fff';
        ctx.fillStyle = '#fff';
        ctx.lineWidth = 1.4 / this.zoom;
        ctx.beginPath();
        ctx.arc(x + s / 2, y + s * 0.42, s * 0.2, Math.PI, 0);
        ctx.stroke();
        ctx.fillRect(x + s * 0.25, y + s * 0.42, s * 0.5, s * 0.38);
      }
    }
    ctx.restore();
  }

  setOverlays(visible: boolean): void {
    this.showOverlays = visible;
    this.fabric.requestRenderAll();
  }

  select(zoneId: string | null): void {
    const rect = this.zones.find((z) => z.zoneId === zoneId);
    if (rect && rect.selectable) this.fabric.setActiveObject(rect);
    else this.fabric.discardActiveObject();
    this.hovered = rect;
    this.fabric.requestRenderAll();
  }

  fit(width: number, height: number): void {
    this.zoom = Math.max(0.05, Math.min(width / this.pageWidth, height / this.pageHeight));
    this.applyZoom();
  }

  setZoom(zoom: number): void {
    this.zoom = Math.max(0.1, Math.min(8, zoom));
    this.applyZoom();
  }

  getZoom(): number {
    return this.zoom;
  }

  private applyZoom(): void {
    this.fabric.setDimensions({ width: Math.round(this.pageWidth * this.zoom), height: Math.round(this.pageHeight * this.zoom) });
    this.fabric.setZoom(this.zoom);
    this.fabric.requestRenderAll();
  }

  /** Zone rectangles as Fabric holds them (for tests and the accessibility tree). */
  zoneStates(): ZoneState[] {
    return this.zones.map((r) => {
      const zone = this.zone(r.zoneId!)!;
      return {
        zoneId: r.zoneId!,
        kind: zone.kind,
        left: r.left,
        top: r.top,
        width: r.width,
        height: r.height,
        selectable: r.selectable,
        lockMovementX: r.lockMovementX,
        lockMovementY: r.lockMovementY,
        lockScalingX: r.lockScalingX,
        lockScalingY: r.lockScalingY,
        lockRotation: r.lockRotation,
        hasControls: r.hasControls,
        lockedBy: this.locks.get(r.zoneId!)?.lockedBy ?? null,
      };
    });
  }

  dispose(): void {
    void this.fabric.dispose();
  }
}
