/** An error as the backend described it, with the hint for its code (renderer/src/api/messages.ts). */
export function ErrorBox({ error }: { error: { title: string; hint: string | undefined } | undefined }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <p>{error.title}</p>
      {error.hint && <p>{error.hint}</p>}
    </div>
  );
}
