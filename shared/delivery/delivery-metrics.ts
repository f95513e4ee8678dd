// The counters delivery reports to CloudWatch (names in delivery-job.ts). The
// Lambda functions write them as embedded metric format through Powertools;
// the local stack and tests keep them in memory.
export interface DeliveryMetricsSink {
  count(name: string, value: number): void;
  gauge(name: string, value: number): void;
}

/** Keeps what was emitted: the local stack prints it, tests assert on it. */
export class RecordingMetrics implements DeliveryMetricsSink {
  readonly counts = new Map<string, number>();
  readonly gauges = new Map<string, number>();

  count(name: string, value: number): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  gauge(name: string, value: number): void {
    this.gauges.set(name, value);
  }
}
