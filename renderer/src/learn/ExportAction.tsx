import { useState } from 'react';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { downloadBase64 } from '../app/files.ts';

interface Written {
  path: string;
  fileName: string;
  byteLength: number;
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/**
 * A button that writes a file through the backend into the export folder
 * (path null; unlike PDF export, these operations have no save dialog in
 * the desktop app yet), then, as the export dialog does, offers the file: a
 * download in the browser host, "Show in folder" in the desktop app.
 * `what` names the file in the follow-up buttons ("Download certificate").
 */
export function ExportAction({ label, what, mediaType, testId, run }: { label: string; what: string; mediaType: string; testId: string; run: () => Promise<Written> }) {
  const { api, transport } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Written>();
  const [error, setError] = useState<ReturnType<typeof describe>>();

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await run());
    } catch (err) {
      const d = describe(err);
      if (d.code !== 'cancelled') setError(d);
    } finally {
      setBusy(false);
    }
  };
  const download = async () => {
    if (!result) return;
    try {
      const file = await call(api, 'export:download', { path: result.path });
      downloadBase64(file.fileName, file.data, mediaType);
    } catch (err) {
      setError(describe(err));
    }
  };

  return (
    <div className="export-action" data-testid={testId}>
      <button type="button" onClick={() => void start()} disabled={busy} aria-busy={busy}>
        {label}
      </button>
      {busy && (
        <p role="status" className="muted small">
          <progress /> Exporting…
        </p>
      )}
      <ErrorBox error={error} />
      {result && !busy && (
        <div className="export-result">
          <p role="status">
            <strong>{result.fileName}</strong> ({size(result.byteLength)}) saved.
          </p>
          <p className="muted small path" data-testid={`${testId}-path`}>
            {result.path}
          </p>
          {transport === 'electron' ? (
            <button type="button" onClick={() => void call(api, 'file:reveal', { path: result.path })}>
              Show {what} in folder
            </button>
          ) : (
            <button type="button" onClick={() => void download()}>
              Download {what}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
