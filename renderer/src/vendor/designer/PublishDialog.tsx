import { useEffect, useRef, useState } from 'react';
import type { DraftIssue } from '../../../../core/designer/validate.ts';

/**
 * Publishing: says which version it creates and that it cannot change
 * afterwards; refuses while the draft has issues (the backend refuses too).
 */
export function PublishDialog({ name, version, issues, onPublish, onClose }: { name: string; version: number; issues: DraftIssue[]; onPublish: () => Promise<void>; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const blocked = issues.length > 0;
  return (
    <dialog ref={ref} className="export-dialog dz-publish" aria-labelledby="dz-publish-title" onCancel={onClose}>
      <h2 id="dz-publish-title">
        Publish version {version} of “{name}”
      </h2>
      {blocked ? (
        <>
          <p className="error">
            {issues.length} issue{issues.length === 1 ? '' : 's'} must be fixed first:
          </p>
          <ul className="dz-issues">
            {issues.slice(0, 8).map((i) => (
              <li key={i.path + i.message}>
                <code>{i.path}</code> {i.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          Version {version} becomes what partners get when they open this template. Published versions never change: exports and partners’ drafts of
          earlier versions keep theirs, and the next change is version {version + 1}.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={blocked || busy}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            onPublish().catch((err: unknown) => {
              setError(err instanceof Error ? err.message : String(err));
              setBusy(false);
            });
          }}
        >
          {busy ? 'Publishing…' : `Publish version ${version}`}
        </button>
      </div>
    </dialog>
  );
}
