/** The template designer for one brand (replaced by the designer itself). */
export function DesignerHome({ brandId }: { brandId: string }) {
  return <p className="muted">The template designer for {brandId} is not built yet.</p>;
}
