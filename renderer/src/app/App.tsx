import { useEffect, useMemo, useState } from 'react';
import type { PartnerProfile } from '../../../core/model/document.ts';
import { call, connect } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { AssetCache } from '../canvas/assets.ts';
import { Ctx, type AppContext } from './context.ts';
import { Editor } from './Editor.tsx';
import { Gallery } from './Gallery.tsx';
import { ProfileScreen } from './ProfileScreen.tsx';

type Route = { name: 'loading' } | { name: 'profile' } | { name: 'gallery' } | { name: 'editor'; templateId: string };

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
  const [error, setError] = useState<string>();

  useEffect(() => {
    if ('error' in connection) return;
    const { api, transport } = connection;
    Promise.all([call(api, 'app:info', {}), call(api, 'profile:get', {})])
      .then(([info, p]) => {
        setCtx({ api, transport, info, assets: new AssetCache(api) });
        setProfile(p);
        setRoute(p ? { name: 'gallery' } : { name: 'profile' });
      })
      .catch((err) => setError(describe(err).title));
  }, [connection]);

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
  return (
    <Ctx.Provider value={ctx}>
      {route.name === 'profile' && (
        <ProfileScreen
          profile={profile}
          onSaved={(p) => {
            setProfile(p);
            setRoute({ name: 'gallery' });
          }}
          {...(profile ? { onCancel: () => setRoute({ name: 'gallery' }) } : {})}
        />
      )}
      {route.name === 'gallery' && profile && <Gallery profile={profile} onOpen={(id) => setRoute({ name: 'editor', templateId: id })} onEditProfile={() => setRoute({ name: 'profile' })} />}
      {route.name === 'editor' && <Editor key={route.templateId} templateId={route.templateId} onBack={() => setRoute({ name: 'gallery' })} />}
    </Ctx.Provider>
  );
}
