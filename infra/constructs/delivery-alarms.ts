// The alarms that make a delivery problem reach an operator: failed sends,
// refused recipients, failed report runs, a daily dispatch that did not run
// (heartbeat) and deal data that has gone stale. The deliver function's own
// errors, throttles and dead-letter queue are alarmed by RevperfFunction.
//
// The delivery metrics are CloudWatch embedded metric format lines the
// functions log through Powertools Metrics (no PutMetricData permission
// needed); METRIC_DIMENSIONS is the exact dimension set they carry.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DELIVERY_METRICS } from '../../shared/delivery/delivery-job.js';
import { METRIC_DIMENSIONS } from '../../shared/delivery/metric-dimensions.js';

export interface DeliveryAlarmsProps {
  alarmTopic: ITopic;
  /** The daily dispatch function, whose invocations are the heartbeat. */
  dispatch: IFunction;
  /** config.alarms.staleDealUploadDays. */
  staleDealUploadDays: number;
}

/**
 * The schedule ticks once a day; 25 hours leaves an hour for a tick that runs
 * late (scheduler retries, a slow start) before the heartbeat alarms. 90,000 s
 * is a multiple of 60 and one such period is well within the 7 days an alarm
 * may evaluate.
 */
export const HEARTBEAT_PERIOD = Duration.hours(25);

export class DeliveryAlarms extends Construct {
  readonly failedSends: Alarm;
  readonly refusedRecipients: Alarm;
  readonly failedRuns: Alarm;
  readonly dispatchHeartbeat: Alarm;
  readonly staleDeals: Alarm;

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.alarmTopic);
    const alarm = (alarmId: string, options: AlarmOptions): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric: options.metric,
        threshold: options.threshold,
        evaluationPeriods: 1,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      });
      created.addAlarmAction(action);
      return created;
    };

    this.failedSends = alarm('EmailsFailedAlarm', {
      metric: deliveryMetric(DELIVERY_METRICS.failed, 'Sum', Duration.minutes(5)),
      threshold: 1,
      description:
        'revperf delivery: e-mails failed (SES rejected them permanently or every retry failed); the send ledger (`revperf sent --period …`) has the reason, `revperf resend` sends again',
    });
    this.refusedRecipients = alarm('EmailsRefusedAlarm', {
      metric: deliveryMetric(DELIVERY_METRICS.refused, 'Sum', Duration.minutes(5)),
      threshold: 1,
      description:
        'revperf delivery (informational): recipients were refused because their domain is not in mail.allowedDomains or they have no address; check the people file, nothing was sent to them',
    });
    this.failedRuns = alarm('ReportRunsFailedAlarm', {
      metric: deliveryMetric(DELIVERY_METRICS.failedRuns, 'Sum', Duration.minutes(5)),
      threshold: 1,
      description:
        'revperf delivery: a report could not be rendered or delivered for a scope; its run record under reports/ and the logs say why (the job is retried, then lands in the delivery dead-letter queue)',
    });
    this.dispatchHeartbeat = alarm('DispatchHeartbeatAlarm', {
      metric: props.dispatch.metricInvocations({ statistic: 'Sum', period: HEARTBEAT_PERIOD }),
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data at all is exactly what a dispatch that never ran looks like.
      treatMissingData: TreatMissingData.BREACHING,
      description:
        'revperf heartbeat: the daily dispatch was not invoked in the last 25 hours, so no report went out; check the schedule and the dispatch failure queue',
    });
    this.staleDeals = alarm('StaleDealUploadAlarm', {
      metric: deliveryMetric(DELIVERY_METRICS.daysSinceDealUpload, 'Maximum', Duration.days(1)),
      threshold: props.staleDealUploadDays,
      // Every dispatch emits the metric; no data means no dispatch, which the heartbeat reports.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      description: `revperf stale data: no deals file has been ingested for ${props.staleDealUploadDays} days or more (alarms.staleDealUploadDays); the reports show old figures until one is uploaded under uploads/deals/`,
    });
  }
}

interface AlarmOptions {
  metric: IMetric;
  threshold: number;
  comparison?: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  description: string;
}

function deliveryMetric(metricName: string, statistic: 'Sum' | 'Maximum', period: Duration): Metric {
  return new Metric({
    namespace: DELIVERY_METRICS.namespace,
    metricName,
    dimensionsMap: { ...METRIC_DIMENSIONS },
    statistic,
    period,
  });
}
