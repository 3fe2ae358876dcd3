/** What every Lockup canvas asks of Fabric: no rubber-band selection or context menu, objects keep their order, crisp on HiDPI. */
export const BASE_CANVAS_OPTIONS = {
  selection: false,
  stopContextMenu: true,
  fireRightClick: false,
  preserveObjectStacking: true,
  enableRetinaScaling: true,
  backgroundColor: 'transparent',
} as const;
