/** Request-scoped values the TAXII middleware keeps on res.locals (request id, authenticated principal). */
import type { Response } from 'express';
import type { AuthenticatedPrincipal } from '../auth/types';

/** Request-scoped values kept on res.locals. */
export interface TaxiiLocals {
  requestId: string;
  principal?: AuthenticatedPrincipal;
}

export function locals(res: Response): TaxiiLocals {
  return res.locals as TaxiiLocals;
}

/** The authenticated principal of the request (the auth middleware ran before every protected handler). */
export function principalOf(res: Response): AuthenticatedPrincipal | undefined {
  return locals(res).principal;
}
