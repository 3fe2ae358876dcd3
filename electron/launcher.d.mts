// Types for electron/launcher.mjs (plain JavaScript so bin/start.js runs on Node 20 before any build).

export declare const DEFAULT_DOWNLOAD_TIMEOUT_MS: number;
export declare const SQLITE_FOLDER: string;
export declare const SQLITE_FILE: string;
export declare const BUILD_INFO_FILE: string;
export declare const RENDERER_OUTPUTS: readonly string[];
export declare const ELECTRON_OUTPUTS: readonly string[];

export interface ElectronPackage {
  dir: string;
  version: string;
  abi: string | undefined;
}

export interface ElectronBinary {
  path: string;
  version: string;
}

export type ObtainResult = ({ ok: true } & ElectronBinary) | { ok: false; version: string | undefined; reason: string };

export interface CapturedRun {
  status: number | null;
  output: string;
  timedOut: boolean;
}

export type Runner = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) => Promise<CapturedRun>;

export declare function electronPackage(root: string): ElectronPackage | undefined;
export declare function platformExecutable(platform?: NodeJS.Platform | 'mas'): string;
export declare function findElectronBinary(root: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): ElectronBinary | undefined;
export declare const runCaptured: Runner;
export declare function summariseFailure(output: string, timedOut?: boolean): string;
export declare function obtainElectron(root: string, options?: { env?: NodeJS.ProcessEnv; run?: Runner; onSlow?: () => void }): Promise<ObtainResult>;
export declare function electronMissingMessage(failure: { version: string | undefined; reason: string }): string;

export declare function newestSource(root: string, folders: readonly string[]): number;
export declare function oldestOutput(root: string, files: readonly string[]): number;
export declare function buildPlan(root: string): { project: boolean; electron: boolean };

export declare function binaryAbis(bytes: Uint8Array): string[];
export declare function binaryHasAbi(bytes: Uint8Array, abi: string | number): boolean;
export declare function sqliteBindingDir(root: string, electronVersion: string): string;
export declare function sqliteBindingStatus(
  root: string,
  electronVersion: string,
  platform?: NodeJS.Platform,
  arch?: string,
): { ok: true; file: string } | { ok: false; file: string; why: string };
export declare function cleanBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;

export declare function launchElectron(binary: string, root: string, env?: NodeJS.ProcessEnv): Promise<number>;

export type StepResult = { ok: true } | { ok: false; message: string };

export interface StartDeps {
  obtainElectron(): Promise<ObtainResult>;
  ensureBuilt(): Promise<StepResult>;
  ensureSqlite(electronVersion: string): Promise<StepResult>;
  launch(binary: string): Promise<number>;
  stderr(text: string): void;
}

export declare function runStart(deps: StartDeps): Promise<number>;
