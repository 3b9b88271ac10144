import type { ApiDeliveryMetrics } from '@gantry/api';
import { formatFrequency, formatRate, formatSeconds } from './metrics-format.js';

/** The four figures of a scope, each with what it is made of. */
export function FigureCards(props: { figures: ApiDeliveryMetrics['total'] }) {
  const f = props.figures;
  const sources = Object.entries(f.leadTime.sources)
    .filter(([, n]) => n > 0)
    .map(([from, n]) => `${n} from ${from}`)
    .join(', ');
  return (
    <section className="metrics-figures" aria-label="Delivery metrics">
      <div className="metric" data-metric="deployment-frequency">
        <h2>Deployment frequency</h2>
        <strong>{formatFrequency(f.deploymentFrequency.perDay)}</strong>
        <span>{f.deploymentFrequency.count} deployments</span>
      </div>
      <div className="metric" data-metric="lead-time">
        <h2>Lead time for changes</h2>
        <strong>{formatSeconds(f.leadTime.medianSeconds)}</strong>
        <span>
          median; p90 {formatSeconds(f.leadTime.p90Seconds)}
          {sources && ` (${sources})`}
        </span>
      </div>
      <div className="metric" data-metric="change-failure-rate">
        <h2>Change failure rate</h2>
        <strong>{formatRate(f.changeFailureRate.rate)}</strong>
        <span>
          {f.changeFailureRate.failures} of {f.changeFailureRate.deployments} failed
        </span>
      </div>
      <div className="metric" data-metric="time-to-restore">
        <h2>Time to restore</h2>
        <strong>{formatSeconds(f.timeToRestore.medianSeconds)}</strong>
        <span>
          median of {f.timeToRestore.samples}
          {f.timeToRestore.open > 0 && `, ${f.timeToRestore.open} not restored`}
        </span>
      </div>
    </section>
  );
}
