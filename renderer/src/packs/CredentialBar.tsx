import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';

type Status = OpOutput<'credential:status'>;

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Text of a credential file picked by the user (or sent by the menu as base64). */
export function decodeCredential(data: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
}

/**
 * For partners working from vendors' packs: which vendors, and what each
 * credential grants (or why access is reduced), with Import credential….
 * Access to those vendors' templates follows the credential, not the profile.
 */
export function CredentialBar({ refresh, onChanged }: { refresh: number; onChanged: () => void }) {
  const { api } = useApp();
  const [status, setStatus] = useState<Status>();
  const [message, setMessage] = useState<{ text: string; bad: boolean }>();

  const load = useCallback(() => {
    void call(api, 'credential:status', {}).then(setStatus).catch(() => setStatus([]));
  }, [api]);
  useEffect(load, [load, refresh]);

  const importText = useCallback(
    async (text: string) => {
      setMessage(undefined);
      try {
        const c = await call(api, 'credential:import', { text });
        setMessage({ text: `Credential from ${c.publisher.name} imported: ${title(c.tier)} partner until ${c.expires.slice(0, 10)}.`, bad: false });
        load();
        onChanged();
      } catch (err) {
        const d = describe(err);
        setMessage({ text: d.hint ? `${d.title}. ${d.hint}` : d.title, bad: true });
      }
    },
    [api, load, onChanged],
  );

  useEffect(() => {
    const off = window.lockupMenu?.onCommand((command) => {
      if (command.name === 'import-credential') void importText(decodeCredential(command.file.data));
    });
    return off;
  }, [importText]);

  const pick = () => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.cred,application/json';
    input.onchange = () => {
      const f = input.files?.[0];
      if (f) void f.text().then(importText);
    };
    input.click();
  };

  if (!status || status.length === 0) return null;
  return (
    <section className="credential-bar" aria-label="Your credentials">
      {status.map((s) => (
        <div key={s.publisher.id} className={s.notice ? 'credential warn' : 'credential'} data-testid={`credential-${s.publisher.id}`}>
          <strong>{s.publisher.name}</strong> <span className="muted small">pack v{s.packVersion ?? '—'}</span>
          {s.credential && s.credential.status === 'valid' ? (
            <span>
              {' '}
              · {title(s.credential.tier)} partner{s.credential.region ? ` · ${s.credential.region.toUpperCase()}` : ''} · valid until {s.credential.expires.slice(0, 10)}
            </span>
          ) : (
            <p className="small">{s.notice}</p>
          )}
        </div>
      ))}
      <button type="button" onClick={pick}>
        Import credential…
      </button>
      {message && (
        <p className={message.bad ? 'error' : 'ok'} role={message.bad ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
