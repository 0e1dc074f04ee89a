/**
 * The life of an inquiry, as a pure transition table:
 *
 *   open ──acknowledge (asked)──▶ acknowledged ──answer (asked)──▶ answered ──close (asking)──▶ closed
 *     ▲                              │
 *     └──clarify (asking)── clarification-requested ◀──request-clarification (asked)
 *
 *   withdraw (asking): from open, acknowledged or clarification-requested ──▶ withdrawn
 *
 * Each message of the asking side (the opening, a clarification) puts the inquiry back to `open`, where the
 * asked side owes an acknowledgement: every message is acknowledged on receipt. `closed` and `withdrawn`
 * are final. A refused transition is data with a code; the state it was applied to is unchanged.
 */

export const INQUIRY_STATES = ['open', 'acknowledged', 'clarification-requested', 'answered', 'closed', 'withdrawn'] as const;
export type InquiryState = (typeof INQUIRY_STATES)[number];

export const INQUIRY_ACTIONS = ['acknowledge', 'answer', 'request-clarification', 'clarify', 'close', 'withdraw'] as const;
export type InquiryAction = (typeof INQUIRY_ACTIONS)[number];

/** Which side of the inquiry acts: the authority that asked, or the one that was asked. */
export type InquiryParty = 'asking' | 'asked';

/** Why a transition is refused. */
export type TransitionRefusal =
  /** The inquiry is closed or withdrawn: nothing more can happen to it. */
  | 'INQUIRY_FINISHED'
  /** The other side performs this action. */
  | 'INQUIRY_WRONG_PARTY'
  /** The action exists for this side but not in the current state. */
  | 'INQUIRY_OUT_OF_ORDER';

interface Rule {
  readonly party: InquiryParty;
  readonly from: readonly InquiryState[];
  readonly to: InquiryState;
}

export const TRANSITIONS: Readonly<Record<InquiryAction, Rule>> = {
  acknowledge: { party: 'asked', from: ['open'], to: 'acknowledged' },
  answer: { party: 'asked', from: ['acknowledged'], to: 'answered' },
  'request-clarification': { party: 'asked', from: ['acknowledged'], to: 'clarification-requested' },
  clarify: { party: 'asking', from: ['clarification-requested'], to: 'open' },
  close: { party: 'asking', from: ['answered'], to: 'closed' },
  withdraw: { party: 'asking', from: ['open', 'acknowledged', 'clarification-requested'], to: 'withdrawn' },
};

export const FINAL_STATES: ReadonlySet<InquiryState> = new Set(['closed', 'withdrawn']);

export type TransitionResult =
  { readonly ok: true; readonly state: InquiryState } | { readonly ok: false; readonly code: TransitionRefusal; readonly message: string };

export function isInquiryAction(value: unknown): value is InquiryAction {
  return typeof value === 'string' && (INQUIRY_ACTIONS as readonly string[]).includes(value);
}

export function isInquiryState(value: unknown): value is InquiryState {
  return typeof value === 'string' && (INQUIRY_STATES as readonly string[]).includes(value);
}

/** The state after `action` by `party` in `state`, or the reason it is refused. */
export function transition(state: InquiryState, action: InquiryAction, party: InquiryParty): TransitionResult {
  if (FINAL_STATES.has(state)) {
    return { ok: false, code: 'INQUIRY_FINISHED', message: `the inquiry is ${state}: no action is possible any more` };
  }
  const rule = TRANSITIONS[action];
  if (rule.party !== party) {
    return { ok: false, code: 'INQUIRY_WRONG_PARTY', message: `only the ${rule.party} authority may ${action}` };
  }
  if (!rule.from.includes(state)) {
    return {
      ok: false,
      code: 'INQUIRY_OUT_OF_ORDER',
      message: `cannot ${action} an inquiry that is ${state} (possible from: ${rule.from.join(', ')})`,
    };
  }
  return { ok: true, state: rule.to };
}

/** The actions `party` may take in `state` (for clients: what can be done next). */
export function nextActions(state: InquiryState, party: InquiryParty): InquiryAction[] {
  return INQUIRY_ACTIONS.filter((a) => transition(state, a, party).ok);
}
