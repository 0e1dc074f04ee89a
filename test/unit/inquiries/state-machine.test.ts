import fc from 'fast-check';
import {
  FINAL_STATES,
  INQUIRY_ACTIONS,
  INQUIRY_STATES,
  type InquiryAction,
  type InquiryParty,
  type InquiryState,
  nextActions,
  transition,
} from '../../../src/inquiries/state-machine';

/** The allowed moves, written out independently of the table under test. */
const ALLOWED: ReadonlyArray<readonly [InquiryState, InquiryAction, InquiryParty, InquiryState]> = [
  ['open', 'acknowledge', 'asked', 'acknowledged'],
  ['acknowledged', 'answer', 'asked', 'answered'],
  ['acknowledged', 'request-clarification', 'asked', 'clarification-requested'],
  ['clarification-requested', 'clarify', 'asking', 'open'],
  ['answered', 'close', 'asking', 'closed'],
  ['open', 'withdraw', 'asking', 'withdrawn'],
  ['acknowledged', 'withdraw', 'asking', 'withdrawn'],
  ['clarification-requested', 'withdraw', 'asking', 'withdrawn'],
];

const PARTIES: readonly InquiryParty[] = ['asking', 'asked'];
const step = fc.record({ action: fc.constantFrom(...INQUIRY_ACTIONS), party: fc.constantFrom(...PARTIES) });

describe('inquiry state machine', () => {
  it('when any sequence of actions by either party is applied, then only the listed moves succeed and a refusal changes nothing', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state: InquiryState = 'open';
        for (const { action, party } of steps) {
          const before: InquiryState = state;
          const r = transition(state, action, party);
          const rule: (typeof ALLOWED)[number] | undefined = ALLOWED.find(([from, a, p]) => from === before && a === action && p === party);
          if (rule) {
            expect(r).toEqual({ ok: true, state: rule[3] });
            state = rule[3];
          } else {
            expect(r.ok).toBe(false);
            expect(state).toBe(before);
            if (!r.ok) {
              const expected = FINAL_STATES.has(before)
                ? 'INQUIRY_FINISHED'
                : ALLOWED.some(([, a, p]) => a === action && p === party)
                  ? 'INQUIRY_OUT_OF_ORDER'
                  : 'INQUIRY_WRONG_PARTY';
              expect(r.code).toBe(expected);
              expect(r.message.length).toBeGreaterThan(10);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('when the state is closed or withdrawn, then every action by either party is refused as INQUIRY_FINISHED', () => {
    for (const s of ['closed', 'withdrawn'] as const) {
      for (const a of INQUIRY_ACTIONS)
        for (const p of PARTIES) expect(transition(s, a, p)).toMatchObject({ ok: false, code: 'INQUIRY_FINISHED' });
    }
  });

  it('when the asking side tries an action of the asked side, then it is refused as INQUIRY_WRONG_PARTY (and the other way round)', () => {
    expect(transition('open', 'acknowledge', 'asking')).toMatchObject({ ok: false, code: 'INQUIRY_WRONG_PARTY' });
    expect(transition('acknowledged', 'answer', 'asking')).toMatchObject({ ok: false, code: 'INQUIRY_WRONG_PARTY' });
    expect(transition('answered', 'close', 'asked')).toMatchObject({ ok: false, code: 'INQUIRY_WRONG_PARTY' });
  });

  it('when an answer comes before the acknowledgement, then it is refused as INQUIRY_OUT_OF_ORDER', () => {
    expect(transition('open', 'answer', 'asked')).toMatchObject({ ok: false, code: 'INQUIRY_OUT_OF_ORDER' });
  });

  it('when nextActions is asked for each state and party, then it lists exactly the allowed moves', () => {
    for (const s of INQUIRY_STATES) {
      for (const p of PARTIES) {
        const expected = ALLOWED.filter(([from, , party]) => from === s && party === p).map(([, a]) => a);
        expect(nextActions(s, p).sort()).toEqual([...expected].sort());
      }
    }
  });
});
