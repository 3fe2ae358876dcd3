import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PartnerProfile } from '../../../core/model/document.ts';
import { call, connect } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { AssetCache } from '../canvas/assets.ts';
import { DistributorWorkspace } from '../distributor/DistributorWorkspace.tsx';
import { ActivityScreen } from '../insights/ActivityScreen.tsx';
import { LearnScreen, type LearnView } from '../learn/LearnScreen.tsx';
import { MdfScreen } from '../mdf/MdfScreen.tsx';
import { VendorWorkspace, type Tab as VendorTab } from '../vendor/VendorWorkspace.tsx';
import { WorkspaceSwitch, type Workspace } from '../vendor/WorkspaceSwitch.tsx';
import { BatchScreen } from './BatchScreen.tsx';
import { Ctx, type AppContext } from './context.ts';
import { Editor } from './Editor.tsx';
import { Gallery } from './Gallery.tsx';
import { ProfileScreen } from './ProfileScreen.tsx';
import { VerifyScreen } from './VerifyScreen.tsx';

type Back = 'gallery' | 'vendor' | 'distributor' | 'profile';
type Route =
  | { name: 'loading' }
  | { name: 'profile' }
  | { name: 'gallery' }
  /** `from`: the Learn page a playbook's "Use template" opened the editor from, which Back returns to. */
  | { name: 'editor'; templateId: string; from?: LearnView }
  | { name: 'learn'; view?: LearnView }
  | { name: 'mdf' }
  | { name: 'activity' }
  | { name: 'vendor' }
  | { name: 'distributor' }
  | { name: 'verify'; back: Back }
  | { name: 'batch'; back: Back };
type Role = AppContext['info']['role'];

/** Where Batch… and Verify a PDF… return to. */
const backOf = (route: Route): Back => (route.name === 'vendor' || route.name === 'distributor' || route.name === 'profile' ? route.name : 'gallery');
const routeOf = (back: Back): Route => (back === 'vendor' ? { name: 'vendor' } : back === 'distributor' ? { name: 'distributor' } : back === 'profile' ? { name: 'profile' } : { name: 'gallery' });

export function App() {
  const connection = useMemo(() => {
    try {
      return connect();
    } catch (err) {
      return { error: describe(err).title };
    }
  }, []);
  const [ctx, setCtx] = useState<AppContext>();
  const [profile, setProfile] = useState<PartnerProfile | null>(null);
  const [route, setRoute] = useState<Route>({ name: 'loading' });
  const [role, setRole] = useState<Role>(null);
  const [error, setError] = useState<string>();
  const [switchError, setSwitchError] = useState<string>();
  const [vendorTab, setVendorTab] = useState<VendorTab>('kit');
  // The vendor workspace reports unsaved brand kit edits, so switching away cannot drop them.
  const vendorDirty = useRef(false);

  useEffect(() => {
    if ('error' in connection) return;
    const { api, transport } = connection;
    Promise.all([call(api, 'app:info', {}), call(api, 'profile:get', {})])
      .then(([info, p]) => {
        setCtx({ api, transport, info, assets: new AssetCache(api) });
        setProfile(p);
        setRole(info.role);
        // The role chosen at first run (or last switched to) decides which workspace opens.
        setRoute(info.role === 'vendor' ? { name: 'vendor' } : info.role === 'distributor' ? { name: 'distributor' } : p ? { name: 'gallery' } : { name: 'profile' });
      })
      .catch((err) => setError(describe(err).title));
  }, [connection]);

  /** Brands changed in the vendor workspace: the partner side reads names and access levels from app:info. */
  const refreshInfo = useCallback(async () => {
    if ('error' in connection) return;
    const info = await call(connection.api, 'app:info', {});
    setCtx((c) => c && { ...c, info });
  }, [connection]);

  const onVendorDirty = useCallback((dirty: boolean) => {
    vendorDirty.current = dirty;
    if (!dirty) setSwitchError(undefined);
  }, []);

  const choose = async (next: Workspace) => {
    if ('error' in connection) return;
    if (next !== 'vendor' && vendorDirty.current) {
      setSwitchError('Save or discard your changes in the vendor workspace first.');
      return;
    }
    setSwitchError(undefined);
    try {
      await call(connection.api, 'app:set-role', { role: next });
      setRole(next);
      if (next === 'partner') await refreshInfo();
      setRoute(next === 'vendor' ? { name: 'vendor' } : next === 'distributor' ? { name: 'distributor' } : profile ? { name: 'gallery' } : { name: 'profile' });
    } catch (err) {
      setSwitchError(describe(err).title);
    }
  };

  // File → Publish Pack… from the partner side: open the vendor workspace on its Publish tab.
  const chooseRef = useRef(choose);
  chooseRef.current = choose;
  useEffect(
    () =>
      window.lockupMenu?.onCommand((command) => {
        if (command.name !== 'publish-pack' || route.name === 'vendor') return;
        setVendorTab('publish');
        void chooseRef.current('vendor');
      }),
    [route.name],
  );

  const fatal = 'error' in connection ? connection.error : error;
  if (fatal) {
    return (
      <main className="fatal">
        <h1>Lockup cannot start</h1>
        <p role="alert">{fatal}</p>
      </main>
    );
  }
  if (!ctx || route.name === 'loading') return <main className="loading muted">Opening Lockup…</main>;
  // The switch shows once a role was chosen (or a partner profile exists); never over the editor's full-height layout.
  const firstRun = role === null && profile === null;
  const showSwitch = route.name !== 'editor' && !firstRun;
  const where = route.name === 'verify' || route.name === 'batch' ? route.back : route.name;
  const current: Workspace = where === 'vendor' || where === 'distributor' ? where : 'partner';
  return (
    <Ctx.Provider value={ctx}>
      {showSwitch && (
        <WorkspaceSwitch current={current} onChoose={(w) => void choose(w)} error={switchError}>
          {route.name !== 'batch' && route.name !== 'verify' && (
            <button type="button" className="batch-open" onClick={() => setRoute({ name: 'batch', back: backOf(route) })}>
              Batch…
            </button>
          )}
          {route.name !== 'verify' && route.name !== 'batch' && (
            <button type="button" className="verify-open" onClick={() => setRoute({ name: 'verify', back: backOf(route) })}>
              Verify a PDF…
            </button>
          )}
        </WorkspaceSwitch>
      )}
      {route.name === 'verify' && <VerifyScreen onBack={() => setRoute(routeOf(route.back))} />}
      {route.name === 'batch' && <BatchScreen onBack={() => setRoute(routeOf(route.back))} />}
      {route.name === 'profile' && (
        <ProfileScreen
          profile={profile}
          onSaved={(p) => {
            setProfile(p);
            setRoute({ name: 'gallery' });
          }}
          {...(profile ? { onCancel: () => setRoute({ name: 'gallery' }) } : {})}
          {...(firstRun ? { onChooseVendor: () => void choose('vendor'), onChooseDistributor: () => void choose('distributor') } : {})}
        />
      )}
      {route.name === 'gallery' && profile && <Gallery profile={profile} onOpen={(id) => setRoute({ name: 'editor', templateId: id })} onEditProfile={() => setRoute({ name: 'profile' })} onLearn={(view) => setRoute({ name: 'learn', view })} onMdf={() => setRoute({ name: 'mdf' })} onActivity={() => setRoute({ name: 'activity' })} />}
      {route.name === 'editor' && <Editor key={route.templateId} templateId={route.templateId} onBack={() => setRoute(route.from ? { name: 'learn', view: route.from } : { name: 'gallery' })} />}
      {route.name === 'learn' && (
        <LearnScreen
          view={route.view ?? { kind: 'overview' }}
          onView={(view) => setRoute({ name: 'learn', view })}
          onBack={() => setRoute({ name: 'gallery' })}
          onOpenTemplate={(templateId) => setRoute({ name: 'editor', templateId, from: route.view ?? { kind: 'overview' } })}
        />
      )}
      {route.name === 'mdf' && <MdfScreen onBack={() => setRoute({ name: 'gallery' })} />}
      {route.name === 'activity' && <ActivityScreen onBack={() => setRoute({ name: 'gallery' })} />}
      {route.name === 'distributor' && <DistributorWorkspace />}
      {route.name === 'vendor' && (
        <VendorWorkspace
          onBrandsChanged={() => void refreshInfo()}
          onDirtyChange={onVendorDirty}
          initialTab={vendorTab}
        />
      )}
    </Ctx.Provider>
  );
}
