import type { ReactNode } from 'react';
import './vendor.css';

export type Workspace = 'partner' | 'vendor' | 'distributor';

/** The header's switch between the partner studio, the vendor workspace and the distributor workspace (the choice is saved as the app's role). */
export function WorkspaceSwitch({ current, onChoose, error, children }: { current: Workspace; onChoose: (w: Workspace) => void; error?: string | undefined; children?: ReactNode }) {
  return (
    <header className="app-bar">
      <span className="brandmark">Lockup</span>
      <nav aria-label="Workspace" className="workspace-switch">
        <button type="button" aria-pressed={current === 'partner'} onClick={() => current !== 'partner' && onChoose('partner')}>
          Partner studio
        </button>
        <button type="button" aria-pressed={current === 'vendor'} onClick={() => current !== 'vendor' && onChoose('vendor')}>
          Vendor workspace
        </button>
        <button type="button" aria-pressed={current === 'distributor'} onClick={() => current !== 'distributor' && onChoose('distributor')}>
          Distributor workspace
        </button>
      </nav>
      {children}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </header>
  );
}
