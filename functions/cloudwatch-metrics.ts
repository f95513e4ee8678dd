// Delivery's counters as CloudWatch embedded metric format (Powertools
// Metrics): printed to the function's log, turned into metrics by CloudWatch,
// no PutMetricData call or permission. Namespace and the one `service`
// dimension (metric-dimensions.ts) are what the stack's alarms watch.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DELIVERY_METRICS } from '../shared/delivery/delivery-job.js';
import type { DeliveryMetricsSink } from '../shared/delivery/delivery-metrics.js';
import { METRIC_DIMENSIONS } from '../shared/delivery/metric-dimensions.js';

export class CloudWatchMetrics implements DeliveryMetricsSink {
  private readonly metrics = new Metrics({ namespace: DELIVERY_METRICS.namespace, serviceName: METRIC_DIMENSIONS.service });
  private pending = 0;

  count(name: string, value: number): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
    this.pending += 1;
  }

  gauge(name: string, value: number): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
    this.pending += 1;
  }

  /** Writes what was added since the last flush (call at the end of every invocation). */
  flush(): void {
    if (this.pending === 0) return;
    this.metrics.publishStoredMetrics();
    this.pending = 0;
  }
}
