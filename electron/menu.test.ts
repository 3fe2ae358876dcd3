import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_IDS, menuTemplate, type MenuHandlers } from './menu.ts';

function handlers(): MenuHandlers & Record<string, ReturnType<typeof vi.fn>> {
  return {
    openPack: vi.fn(),
    importCredential: vi.fn(),
    importLogo: vi.fn(),
    exportPdf: vi.fn(),
    revealLastExport: vi.fn(),
    publishPack: vi.fn(),
    undo: vi.fn(),
    redo: vi.fn(),
    zoomIn: vi.fn(),
    zoomOut: vi.fn(),
    zoomFit: vi.fn(),
    about: vi.fn(),
    openDataFolder: vi.fn(),
  };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function find(items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  const found = flatten(items).find((i) => i.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

function topLabels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => (i.label ?? i.role ?? '').replace('&', ''));
}

const PLATFORMS: NodeJS.Platform[] = ['linux', 'win32', 'darwin'];

describe('menu template', () => {
  it.each(PLATFORMS)('%s: File, Edit, View and Help with the expected items and shortcuts', (platform) => {
    const t = menuTemplate(platform, handlers(), { lastExport: null, dev: false });
    expect(topLabels(t)).toEqual(platform === 'darwin' ? ['Lockup', 'File', 'Edit', 'View', 'windowMenu', 'Help'] : ['File', 'Edit', 'View', 'Help']);
    expect(find(t, MENU_IDS.openPack)).toMatchObject({ label: 'Open Pack…', accelerator: 'CmdOrCtrl+O' });
    expect(find(t, MENU_IDS.importCredential)).toMatchObject({ label: 'Import Credential…' });
    expect(find(t, MENU_IDS.publishPack)).toMatchObject({ label: 'Publish Pack…' });
    expect(find(t, MENU_IDS.importLogo)).toMatchObject({ label: 'Import Logo…', accelerator: 'CmdOrCtrl+I' });
    expect(find(t, MENU_IDS.exportPdf)).toMatchObject({ label: 'Export PDF…', accelerator: 'CmdOrCtrl+E' });
    expect(find(t, MENU_IDS.undo)).toMatchObject({ label: 'Undo', accelerator: 'CmdOrCtrl+Z' });
    expect(find(t, MENU_IDS.redo)).toMatchObject({ label: 'Redo', accelerator: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z' });
    expect(find(t, MENU_IDS.zoomIn)).toMatchObject({ accelerator: 'CmdOrCtrl+=' });
    expect(find(t, MENU_IDS.zoomOut)).toMatchObject({ accelerator: 'CmdOrCtrl+-' });
    expect(find(t, MENU_IDS.zoomFit)).toMatchObject({ label: 'Fit to Window', accelerator: 'CmdOrCtrl+0' });
    expect(find(t, MENU_IDS.quit)).toMatchObject({ role: 'quit', accelerator: 'CmdOrCtrl+Q' });
    expect(find(t, MENU_IDS.about).label).toBe('About Lockup');
    expect(find(t, MENU_IDS.openDataFolder).label).toBe('Open Data Folder');
    const roles = flatten(t).map((i) => i.role);
    for (const role of ['cut', 'copy', 'paste', 'selectAll']) expect(roles).toContain(role);
    // Light/dark follows the OS: no toggle, and no developer items in a packaged build.
    expect(flatten(t).some((i) => /dark/i.test(i.label ?? ''))).toBe(false);
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).not.toContain('reload');
  });

  it.each(PLATFORMS)('%s: keys the renderer already handles are not registered twice (Linux, Windows)', (platform) => {
    const t = menuTemplate(platform, handlers(), { lastExport: null, dev: false });
    for (const id of [MENU_IDS.exportPdf, MENU_IDS.undo, MENU_IDS.redo, MENU_IDS.zoomIn, MENU_IDS.zoomOut, MENU_IDS.zoomFit]) {
      expect(find(t, id).registerAccelerator, id).toBe(platform === 'darwin' ? undefined : false);
    }
    // The page has no Ctrl/Cmd+I or +O of its own: the menu registers them.
    expect(find(t, MENU_IDS.importLogo).registerAccelerator).toBeUndefined();
    expect(find(t, MENU_IDS.openPack).registerAccelerator).toBeUndefined();
  });

  it.each(PLATFORMS)('%s: File holds the pack items, enabled: Open Pack… and Import Credential… first, Publish Pack… after the export items', (platform) => {
    const t = menuTemplate(platform, handlers(), { lastExport: null, dev: false });
    const file = t.find((i) => i.label === '&File')!.submenu as MenuItemConstructorOptions[];
    const ids = file.map((i) => i.id ?? i.type ?? i.role);
    expect(ids.slice(0, 8)).toEqual([
      MENU_IDS.openPack,
      MENU_IDS.importCredential,
      'separator',
      MENU_IDS.importLogo,
      MENU_IDS.exportPdf,
      MENU_IDS.revealLastExport,
      'separator',
      MENU_IDS.publishPack,
    ]);
    for (const id of [MENU_IDS.openPack, MENU_IDS.importCredential, MENU_IDS.publishPack]) {
      expect(find(t, id).enabled, id).not.toBe(false);
      expect(find(t, id).label, id).not.toMatch(/arrives/);
    }
  });

  it('Reveal Last Export is enabled only once something was exported', () => {
    expect(find(menuTemplate('linux', handlers(), { lastExport: null, dev: false }), MENU_IDS.revealLastExport).enabled).toBe(false);
    expect(find(menuTemplate('linux', handlers(), { lastExport: '/tmp/x.pdf', dev: false }), MENU_IDS.revealLastExport).enabled).toBe(true);
  });

  it('Quit lives in File, except on macOS where it is in the app menu', () => {
    const file = (t: MenuItemConstructorOptions[]) => flatten([t.find((i) => i.label === '&File')!]);
    expect(file(menuTemplate('linux', handlers(), { lastExport: null, dev: false })).some((i) => i.role === 'quit')).toBe(true);
    const mac = menuTemplate('darwin', handlers(), { lastExport: null, dev: false });
    expect(file(mac).some((i) => i.role === 'quit')).toBe(false);
    expect(flatten([mac[0]!]).some((i) => i.role === 'quit')).toBe(true);
  });

  it('adds Reload and DevTools in development only', () => {
    const roles = flatten(menuTemplate('linux', handlers(), { lastExport: null, dev: true })).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it.each(PLATFORMS)('%s: every item with an action calls its own handler, once', (platform) => {
    const wiring: [string, keyof MenuHandlers][] = [
      [MENU_IDS.openPack, 'openPack'],
      [MENU_IDS.importCredential, 'importCredential'],
      [MENU_IDS.importLogo, 'importLogo'],
      [MENU_IDS.exportPdf, 'exportPdf'],
      [MENU_IDS.revealLastExport, 'revealLastExport'],
      [MENU_IDS.publishPack, 'publishPack'],
      [MENU_IDS.undo, 'undo'],
      [MENU_IDS.redo, 'redo'],
      [MENU_IDS.zoomIn, 'zoomIn'],
      [MENU_IDS.zoomOut, 'zoomOut'],
      [MENU_IDS.zoomFit, 'zoomFit'],
      [MENU_IDS.about, 'about'],
      [MENU_IDS.openDataFolder, 'openDataFolder'],
    ];
    // Every handler has its item: a new handler without a row here fails this test.
    expect(wiring.map(([, name]) => name).sort()).toEqual(Object.keys(handlers()).sort());
    for (const [id, name] of wiring) {
      const h = handlers();
      const item = find(menuTemplate(platform, h, { lastExport: '/tmp/x.pdf', dev: false }), id);
      (item.click as () => void)();
      expect(h[name], id).toHaveBeenCalledOnce();
      for (const other of Object.keys(h)) if (other !== name) expect(h[other], `${id} -> ${other}`).not.toHaveBeenCalled();
    }
  });

  it.each(PLATFORMS)('%s: no two items share an accelerator or an id', (platform) => {
    const items = flatten(menuTemplate(platform, handlers(), { lastExport: null, dev: true }));
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    const ids = items.map((i) => i.id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
