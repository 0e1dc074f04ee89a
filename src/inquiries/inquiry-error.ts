/**
 * The outcome codes of the inquiry use cases: every refusal names a code from this catalogue, with the HTTP
 * status the API answers it with. A refused request changes nothing.
 */
import type { SignatureProblemCode } from './signature';
import type { TransitionRefusal } from './state-machine';

export type InquiryErrorCode =
  | TransitionRefusal
  | SignatureProblemCode
  /** Malformed request body: a field missing, of the wrong type, too long, or not in its vocabulary. */
  | 'INQUIRY_INVALID_INPUT'
  /** No inquiry with this id that the caller may see (absent and hidden are not told apart). */
  | 'INQUIRY_NOT_FOUND'
  /** No channel (inquiry collection) between the caller and the authority asked. */
  | 'INQUIRY_NO_CHANNEL'
  /** The request names another authority than the caller as the author of the message. */
  | 'INQUIRY_FORGED_AUTHORITY'
  /** The caller sees the inquiry (an admin) but is neither of its authorities, so it cannot act on it. */
  | 'INQUIRY_NOT_AN_AUTHORITY'
  /** An evidence reference names nothing the asking authority can read in a shared collection. */
  | 'INQUIRY_EVIDENCE_NOT_FOUND'
  /** The message named as the one replied to is not the last of the thread any more. */
  | 'INQUIRY_STALE'
  /** Another message of the same inquiry is being recorded; retry. */
  | 'INQUIRY_BUSY'
  /** A received thread object does not continue the thread (fork, unknown inquiry, broken chain). */
  | 'INQUIRY_BROKEN_THREAD';

export const INQUIRY_ERROR_STATUS: Readonly<Record<InquiryErrorCode, number>> = {
  INQUIRY_FINISHED: 409,
  INQUIRY_WRONG_PARTY: 403,
  INQUIRY_OUT_OF_ORDER: 409,
  SIGNATURE_MISSING: 422,
  SIGNATURE_MALFORMED: 422,
  SIGNATURE_UNKNOWN_KEY: 422,
  SIGNATURE_INVALID: 422,
  SIGNATURE_FORGED_AUTHORITY: 403,
  INQUIRY_INVALID_INPUT: 400,
  INQUIRY_NOT_FOUND: 404,
  INQUIRY_NO_CHANNEL: 404,
  INQUIRY_FORGED_AUTHORITY: 403,
  INQUIRY_NOT_AN_AUTHORITY: 403,
  INQUIRY_EVIDENCE_NOT_FOUND: 422,
  INQUIRY_STALE: 409,
  INQUIRY_BUSY: 409,
  INQUIRY_BROKEN_THREAD: 422,
};

export class InquiryError extends Error {
  override readonly name = 'InquiryError';
  readonly httpStatus: number;
  constructor(
    readonly code: InquiryErrorCode,
    message: string,
    /** The request field at fault, when there is one (JSON pointer into the body). */
    readonly field?: string,
  ) {
    super(message);
    this.httpStatus = INQUIRY_ERROR_STATUS[code];
  }
}
