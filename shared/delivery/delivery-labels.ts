// The texts delivery adds to a mailed report (labels/en.ts and labels/es.ts give them).
export interface DeliveryLabels {
  /** Subject of a report sent after its day: `{subject}`. */
  lateSubject: string;
  /** `{dueOn}`, `{asOf}`. */
  lateNotice: string;
  /** `{size}`, `{expires}`. */
  linkNotice: string;
  /** `{file}`. */
  linkText: string;
  /** `{file}`. */
  attachedNote: string;
  packTitle: string;
  /** `{scope}`, `{period}`, `{asOf}`. */
  packSubject: string;
  /** `{period}`, `{asOf}`. */
  packIntro: string;
  packContents: string;
  closeTitle: string;
  /** `{scope}`, `{period}`, `{asOf}`. */
  closeSubject: string;
  /** `{period}`, `{asOf}`. */
  closeIntro: string;
  /** `{scope}`, `{attainment}`, `{revenue}`, `{projected}`. */
  packHeadline: string;
  /** `{scope}`, `{revenue}`. */
  packHeadlineNoQuota: string;
}
