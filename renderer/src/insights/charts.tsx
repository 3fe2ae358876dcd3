import { useCallback, useId, useRef, useState, type ReactNode } from 'react';

/**
 * The dashboards' charts, drawn as inline SVG (no chart library): horizontal
 * bars, stacked bars and small monthly columns. Each is an image with an
 * aria-label that says what it shows in words; the table next to it holds
 * every number, so the charts may leave rows out (`limit`).
 *
 * Each chart measures its container and lays itself out in CSS pixels
 * (viewBox = rendered size), so text stays 12px however wide the column is.
 */

const CHAR = 7; // a generous average advance of a 12px system-ui character, for fitting labels
const BAR = 18;
const GAP = 8;

const clip = (text: string, room: number) => {
  const max = Math.max(4, Math.floor(room / CHAR));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

/** Room for the category labels: the longest label, within bounds. */
const labelRoom = (labels: string[]) => Math.min(190, Math.max(70, Math.max(0, ...labels.map((l) => l.length)) * CHAR + 8));

/** Words for aria-label: "A 12, B 3, and 4 more". */
function listing(items: string[], max = 8, separator = ', '): string {
  if (items.length === 0) return 'nothing to show';
  const shown = items.slice(0, max).join(separator);
  return items.length > max ? `${shown}, and ${items.length - max} more` : shown;
}

/** The width the chart's box has on screen, kept up to date as the window resizes. */
function useWidth(): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(560);
  const observer = useRef<ResizeObserver | undefined>(undefined);
  const ref = useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => entry && setWidth(Math.max(240, Math.floor(entry.contentRect.width))));
    observer.current.observe(el);
  }, []);
  return [ref, width];
}

function Frame({ title, summary, width, height, children, note, measure }: { title: string; summary: string; width: number; height: number; children: ReactNode; note?: string | undefined; measure: (el: HTMLElement | null) => void }) {
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={id} ref={measure}>
      <figcaption id={id} className="chart-title">
        {title}
      </figcaption>
      <svg role="img" aria-label={`${title}: ${summary}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
        {children}
      </svg>
      {note && <p className="chart-note muted small">{note}</p>}
    </figure>
  );
}

export interface BarRow {
  label: string;
  value: number;
}

/** One measure per category, longest bar first as given; the value is printed at the bar's end. */
export function BarChart({ title, rows, format, tone = 1, limit = 10, unit, domain }: { title: string; rows: BarRow[]; format: (n: number) => string; tone?: number; limit?: number; unit?: string; domain?: number }) {
  const [measure, width] = useWidth();
  const shown = rows.slice(0, limit);
  const labelW = labelRoom(shown.map((r) => r.label));
  const valueW = Math.max(48, ...shown.map((r) => format(r.value).length * CHAR + 10));
  const barW = width - labelW - valueW;
  // `domain`: a fixed full length (1 for rates), else the largest value.
  const max = domain ?? Math.max(1, ...shown.map((r) => r.value));
  const height = Math.max(1, shown.length) * (BAR + GAP) + GAP;
  const summary = listing(rows.map((r) => `${r.label} ${format(r.value)}${unit ? ` ${unit}` : ''}`));
  return (
    <Frame title={title} summary={summary} width={width} height={height} measure={measure} note={rows.length > limit ? `The ${limit} largest of ${rows.length}; the table lists all.` : undefined}>
      {shown.length === 0 && (
        <text x={0} y={BAR} className="chart-empty">
          No data for these filters
        </text>
      )}
      {shown.map((r, i) => {
        const y = GAP + i * (BAR + GAP);
        const w = r.value > 0 ? Math.max(2, (r.value / max) * barW) : 0;
        return (
          <g key={`${r.label}-${i}`}>
            <title>{`${r.label}: ${format(r.value)}`}</title>
            <text x={labelW - 8} y={y + BAR / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
              {clip(r.label, labelW - 10)}
            </text>
            <rect x={labelW} y={y} width={barW} height={BAR} className="chart-track" rx={3} />
            <rect x={labelW} y={y} width={w} height={BAR} className={`chart-fill tone-${tone}`} rx={3} />
            <text x={labelW + w + 6} y={y + BAR / 2} className="chart-value" dominantBaseline="central">
              {format(r.value)}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

export interface StackPart {
  /** Legend and aria text ("approved"). */
  name: string;
  /** A CSS class for the segment's colour (insights.css). */
  className: string;
  /** Light segments take dark text. */
  light?: boolean;
}

/**
 * Parts of a whole per category (MDF requests approved / vetoed / rejected /
 * pending). Segments wide enough carry their value; the bar's end carries
 * `end(row)` (the total by default).
 */
export function StackedBarChart({ title, parts, rows, format, end, limit = 10, scale }: { title: string; parts: StackPart[]; rows: { label: string; values: number[] }[]; format: (n: number) => string; end?: (values: number[]) => string; limit?: number; scale?: 'shared' | 'whole' }) {
  const [measure, width] = useWidth();
  const shown = rows.slice(0, limit);
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const endText = end ?? ((v: number[]) => format(sum(v)));
  const labelW = labelRoom(shown.map((r) => r.label));
  const valueW = Math.max(56, ...shown.map((r) => endText(r.values).length * CHAR + 10));
  const barW = width - labelW - valueW;
  const max = Math.max(1, ...shown.map((r) => sum(r.values)));
  const legendH = 24;
  const height = legendH + Math.max(1, shown.length) * (BAR + GAP) + GAP;
  const summary = listing(rows.map((r) => `${r.label}: ${parts.map((p, i) => `${format(r.values[i] ?? 0)} ${p.name}`).join(', ')}`), 6, '; ');
  let legendX = 0;
  return (
    <Frame title={title} summary={summary} width={width} height={height} measure={measure} note={rows.length > limit ? `The first ${limit} of ${rows.length}; the table lists all.` : undefined}>
      <g aria-hidden="true">
        {parts.map((p) => {
          const x = legendX;
          legendX += 22 + p.name.length * CHAR + 14;
          return (
            <g key={p.name} transform={`translate(${x}, 4)`}>
              <rect width={12} height={12} rx={2} className={p.className} />
              <text x={18} y={6} className="chart-legend" dominantBaseline="central">
                {p.name}
              </text>
            </g>
          );
        })}
      </g>
      {shown.length === 0 && (
        <text x={0} y={legendH + BAR} className="chart-empty">
          No data for these filters
        </text>
      )}
      {shown.map((r, i) => {
        const y = legendH + GAP + i * (BAR + GAP);
        const total = sum(r.values);
        const denominator = scale === 'whole' ? Math.max(1, total) : max;
        let x = labelW;
        return (
          <g key={`${r.label}-${i}`}>
            <title>{`${r.label}: ${parts.map((p, j) => `${format(r.values[j] ?? 0)} ${p.name}`).join(', ')}`}</title>
            <text x={labelW - 8} y={y + BAR / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
              {clip(r.label, labelW - 10)}
            </text>
            <rect x={labelW} y={y} width={barW} height={BAR} className="chart-track" rx={3} />
            {r.values.map((v, j) => {
              if (v <= 0) return null;
              const w = (v / denominator) * barW;
              const seg = (
                <g key={j}>
                  <rect x={x} y={y} width={w} height={BAR} className={parts[j]?.className} />
                  {w >= format(v).length * CHAR + 6 && (
                     <text x={x + w / 2} y={y + BAR / 2} className={parts[j]?.light ? 'chart-inside light' : 'chart-inside'} textAnchor="middle" dominantBaseline="central">
                      {format(v)}
                    </text>
                  )}
                </g>
              );
              x += w;
              return seg;
            })}
            <text x={(scale === 'whole' ? labelW + barW : x) + 6} y={y + BAR / 2} className="chart-value" dominantBaseline="central">
              {endText(r.values)}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

/** A small column chart of one measure over months; the value sits on each column when there is room. */
export function ColumnChart({ title, points, format, tone = 1 }: { title: string; points: { label: string; value: number }[]; format: (n: number) => string; tone?: number }) {
  const [measure, W] = useWidth();
  const top = 18;
  const axis = 20;
  const plotH = 110;
  const height = top + plotH + axis;
  const n = Math.max(1, points.length);
  const step = W / n;
  const colW = Math.max(2, Math.min(48, step * 0.7));
  const max = Math.max(1, ...points.map((p) => p.value));
  const every = Math.ceil((n * 44) / W); // month labels at least ~44 units apart
  const valuesFit = step >= Math.max(0, ...points.map((p) => format(p.value).length)) * CHAR + 4;
  const peak = points.reduce((best, p, i) => (p.value > (points[best]?.value ?? -1) ? i : best), 0);
  const summary = listing(points.map((p) => `${p.label} ${format(p.value)}`), 24);
  return (
    <Frame title={title} summary={summary} width={W} height={height} measure={measure}>
      <line x1={0} x2={W} y1={top + plotH + 0.5} y2={top + plotH + 0.5} className="chart-axis" />
      {points.length === 0 && (
        <text x={0} y={top + plotH / 2} className="chart-empty">
          No data for these filters
        </text>
      )}
      {points.map((p, i) => {
        const h = p.value > 0 ? Math.max(2, (p.value / max) * plotH) : 0;
        const cx = i * step + step / 2;
        return (
          <g key={p.label}>
            <title>{`${p.label}: ${format(p.value)}`}</title>
            <rect x={cx - colW / 2} y={top + plotH - h} width={colW} height={h} className={`chart-fill tone-${tone}`} rx={2} />
            {(valuesFit || i === peak) && p.value > 0 && (
              <text x={cx} y={top + plotH - h - 4} className="chart-value" textAnchor="middle">
                {format(p.value)}
              </text>
            )}
            {i % every === 0 && (
              <text x={cx} y={top + plotH + 14} className="chart-label" textAnchor="middle">
                {p.label}
              </text>
            )}
          </g>
        );
      })}
    </Frame>
  );
}
