// The dimensions of the delivery metrics (DELIVERY_METRICS), shared by the
// functions that emit them and the CloudWatch alarms that watch them. An alarm
// matches a metric only when its dimensions are exactly the emitted ones.
//
// Powertools Metrics (2.35) adds one default dimension to every metric it
// emits: `service`, whose value is the `serviceName` passed to `new Metrics()`
// or, failing that, POWERTOOLS_SERVICE_NAME — which the stack sets per
// function (`revperf-dispatch`, `revperf-deliver`, for the logs). Emitted with
// that default, ReportRunsFailed would be two metrics, one per function, and
// no single alarm could watch both. So every function emits the delivery
// metrics with the one service name below:
//
//   new Metrics({ namespace: DELIVERY_METRICS.namespace, serviceName: METRIC_DIMENSIONS.service })
//
// and adds no other dimension to them (addDimension/addDimensions would make
// them different metrics, no longer seen by the alarms).
// Pure data: no AWS SDK, no Powertools import here.

/** The `service` value of every delivery metric. */
export const METRICS_SERVICE_NAME = 'revperf';

/** Exactly the dimensions the delivery metrics are emitted with, and alarmed on. */
export const METRIC_DIMENSIONS: { readonly service: string } = { service: METRICS_SERVICE_NAME };
