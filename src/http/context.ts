/** What the TAXII HTTP layer depends on, injected by the composition root (src/main/). */
import type { Request } from 'express';
import type { AuditTrail } from '../audit/audit-log';
import type { FailedLoginThrottle } from '../auth/failed-logins';
import type { AuthOutcome } from '../auth/types';
import type { GatewayConfig } from '../config/types';
import type { IngestQueue } from '../ingest/job';
import type { InquiryService } from '../inquiries/inquiry-service';
import type { LookupIndex } from '../store/lookup-index';
import type { StatusStore } from '../store/status-store';
import type { ObjectStore } from '../store/types';
import type { Logger } from '../common/logger';
import type { RateLimiter } from './rate-limit';
import type { ExchangeRecorder } from '../exchange/exchange-recorder';
import type { ConsoleServices } from '../http/console/console-services';
import type { ImportClock } from '../import-export/first-seen';

export interface TaxiiDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly statuses: StatusStore;
  readonly queue: IngestQueue;
  /** The cross-collection indicator index (kept in step on DELETE; read by the lookup endpoint). */
  readonly lookup: LookupIndex;
  readonly authenticate: (authorization: string | undefined) => Promise<AuthOutcome>;
  readonly log: Logger;
  /**
   * Whole-request authentication (mutual TLS plus the Authorization header, src/main/tls.ts); when absent the
   * Authorization header alone decides through `authenticate`.
   */
  readonly authenticateRequest?: (req: Request) => Promise<AuthOutcome>;
  /** The audit trail (src/audit/); when absent nothing is recorded and /gateway/v1/audit is not served. */
  readonly audit?: AuditTrail;
  /** Per-principal rate and concurrency limits (src/http/rate-limit.ts); when absent there are none. */
  readonly rateLimiter?: RateLimiter;
  /** Rejected credentials per source address (src/auth/failed-logins.ts); when absent, not throttled. */
  readonly failedLogins?: FailedLoginThrottle;
  /** Formal inquiries (src/inquiries/); when absent /gateway/v1/inquiries is not served. */
  readonly inquiries?: InquiryService;
  /** The exchange counters (src/exchange/): the read endpoints report what they served. */
  readonly exchange?: ExchangeRecorder;
  /** The operator console (src/http/console/), served under /console/ when present. */
  readonly console?: ConsoleServices;
  /**
   * The time of a native import over HTTP: a re-import of the same document runs with its first import's time
   * (src/import-export/first-seen.ts); when absent, the clock.
   */
  readonly importClock?: ImportClock;
}
