/** File → Publish pack… for one brand (replaced by the publish panel itself). */
export function PublishPanel({ brandId }: { brandId: string }) {
  return <p className="muted">Publishing {brandId} is not built yet.</p>;
}
