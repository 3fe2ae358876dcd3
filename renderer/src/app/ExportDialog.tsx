import { useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { PartnerDocument } from '../../../core/model/document.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from './context.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { downloadBase64 } from './files.ts';
import { PrintPreflight } from './PrintPreflight.tsx';

type Result = OpOutput<'export:pdf'>;

/** Export: screen or print profile, the proposed file name, progress, then "Show in folder". */
export function ExportDialog({ document: doc, formFields = 0, onClose }: { document: PartnerDocument; formFields?: number; onClose: () => void }) {
  const { api, transport } = useApp();
  const [output, setOutput] = useState<'screen' | 'print'>('screen');
  // Print exports wait for a clean print preflight (shown below the profile choice).
  const [printOk, setPrintOk] = useState<boolean | undefined>(undefined);
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<{ title: string; hint: string | undefined }>();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    void call(api, 'export:suggest', { document: doc, output }).then((s) => {
      setName(s.fileName);
      setFolder(s.folder);
    });
  }, [api, doc, output]);

  // In the desktop app the native save dialog chooses the file (path: null);
  // in the browser host the file goes to the export folder under the name given here.
  const native = transport === 'electron';
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const fileName = name.toLowerCase().endsWith('.pdf') ? name : `${name}.pdf`;
      setResult(await call(api, 'export:pdf', { document: doc, output, path: native ? null : `${folder}/${fileName}` }));
    } catch (err) {
      const d = describe(err);
      if (d.code !== 'cancelled') setError(d);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!result) return;
    const file = await call(api, 'export:download', { path: result.path });
    downloadBase64(file.fileName, file.data, 'application/pdf');
  };

  return (
    <dialog ref={dialog} className="export-dialog" aria-labelledby="export-title" onClose={onClose} onCancel={onClose}>
      <h2 id="export-title">{result ? 'Exported' : 'Export PDF'}</h2>
      {!result && (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <fieldset>
            <legend>Profile</legend>
            <label className="radio">
              <input type="radio" name="output" checked={output === 'screen'} onChange={() => setOutput('screen')} /> Screen (sRGB, small file)
            </label>
            <label className="radio">
              <input type="radio" name="output" checked={output === 'print'} onChange={() => setOutput('print')} /> Print (CMYK brand colours, 300 ppi images)
            </label>
          </fieldset>
          {formFields > 0 && (
            <p className="muted small" data-testid="form-fields-note">
              {output === 'screen'
                ? `The ${formFields === 1 ? 'form field stays' : `${formFields} form fields stay`} fillable in this PDF.`
                : 'A print PDF prints the form fields with their current values; export for screen to keep them fillable.'}
            </p>
          )}
          {output === 'print' && <PrintPreflight document={doc} onReady={setPrintOk} />}
          {native ? (
            <p className="muted small">You choose where to save it next; proposed name: {name}</p>
          ) : (
            <>
              <label>
                File name
                <input name="filename" value={name} onChange={(e) => setName(e.target.value)} required />
              </label>
              <p className="muted small">Saved in {folder}</p>
            </>
          )}
          {busy && (
            <p role="status">
              <progress /> Exporting…
            </p>
          )}
          <ErrorBox error={error} />
          <div className="actions">
            <button type="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy || !name || (output === 'print' && printOk !== true)}>
              {native ? 'Export…' : 'Export'}
            </button>
          </div>
        </form>
      )}
      {result && (
        <div className="export-done" data-testid="export-done">
          <p>
            <strong>{result.fileName}</strong> ({(result.byteLength / 1024).toFixed(0)} KB) was saved and recorded in the export ledger.
          </p>
          <p className="muted small path" data-testid="export-path">
            {result.path}
          </p>
          {result.findings.length > 0 && <p className="muted small">{result.findings.length} warning(s) were noted in the export.</p>}
          <div className="actions">
            {transport === 'electron' ? (
              <button type="button" onClick={() => void call(api, 'file:reveal', { path: result.path })}>
                Show in folder
              </button>
            ) : (
              <button type="button" onClick={() => void download()}>
                Download
              </button>
            )}
            <button type="button" className="primary" onClick={onClose} autoFocus>
              Done
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
