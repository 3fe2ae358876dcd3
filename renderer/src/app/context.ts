import { createContext, useContext } from 'react';
import type { LockupApi, OpOutput } from '../../../core/contracts/api.ts';
import type { AssetCache } from '../canvas/assets.ts';
import type { Transport } from '../api/client.ts';

export interface AppContext {
  api: LockupApi;
  transport: Transport;
  assets: AssetCache;
  info: OpOutput<'app:info'>;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useApp outside the app');
  return ctx;
}
