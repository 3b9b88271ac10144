import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One series of a chart: bars (counts) or a line (times), `null` where a bucket has no value. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly kind: 'bars' | 'line';
}

export interface TimeChartProps {
  readonly title: string;
  /** Each bucket's start, in seconds since the epoch. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  /** How the y axis and the legend print a value. */
  readonly format?: (v: number) => string;
  readonly height?: number;
}

const bars = uPlot.paths.bars?.({ size: [0.7, 60] });

/**
 * A time series chart drawn by uPlot on a canvas: small, fast with many points, and loaded only
 * with this page. The figure's caption names what it shows; the table below it has the numbers.
 */
export function TimeChart(props: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const format = props.format ?? ((v: number) => String(v));
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
        height: props.height ?? 200,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [{}, { values: (_u, ticks) => ticks.map(format), size: 60 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.kind === 'bars' ? s.color : undefined,
            width: s.kind === 'bars' ? 0 : 2,
            spanGaps: s.kind === 'line',
            points: { show: s.kind === 'line' && props.times.length <= 60 },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
            ...(s.kind === 'bars' && bars ? { paths: bars } : {}),
          })),
        ],
      },
      [props.times as number[], ...props.series.map((s) => s.values as (number | null)[])],
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 240), height: plot.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.format, props.height]);
  return (
    <figure className="metrics-chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
