/** Who a request is from, once authenticated: what the rest of the gateway needs to know about a principal. */
export interface AuthenticatedPrincipal {
  /** principals[].name in collections.yaml; the name readers/writers lists use. */
  readonly name: string;
  /** STIX identity id of the CERT the principal acts for. */
  readonly identity: string;
  /** Admins see and read every collection and status resource; they write only where listed as writers. */
  readonly admin: boolean;
}

/**
 * The result of checking an Authorization header. The failure reasons are deliberately coarse: an unknown
 * user and a wrong password are both `invalid`, so a client cannot tell which names exist.
 */
export type AuthOutcome =
  | { readonly ok: true; readonly principal: AuthenticatedPrincipal }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'invalid' };
