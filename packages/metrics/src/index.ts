export { computeDeliveryMetrics } from './compute.js';
export { bucketMs, DAY_MS, defaultBucket, isoMs, parseInstant, parseSpan, WEEK_MS } from './period.js';
export { median, percentile } from './stats.js';
export type {
  Bucket,
  DeliveryMetrics,
  DeploymentRecord,
  FailureCauses,
  Figures,
  MetricsInput,
  PhaseDeployments,
  PhaseMetrics,
  SeriesPoint,
  SourceTime,
  SourceTimeOrigin,
} from './types.js';
