import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** Peak resident memory of a live process (VmHWM, threads included), in kB. */
export function readPeakKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node ARGS` as its own process: exit code, output, wall time and peak memory (polled every 10 ms). */
export async function runMeasured(args: readonly string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string; seconds: number; peakKb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let peakKb = 0;
  const poll = setInterval(() => {
    const kb = readPeakKb(child.pid!);
    if (kb) peakKb = Math.max(peakKb, kb);
  }, 10);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(poll);
  return { code, stdout, stderr, seconds: (performance.now() - t0) / 1000, peakKb };
}
