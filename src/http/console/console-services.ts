/** What the operator console needs beyond the TAXII dependencies, wired by the composition root (src/main/). */
import type { ConfigIssue } from '../../config/types';
import type { ExchangeReader } from '../../exchange/exchange-reader';
import type { EndpointState } from '../../federation/federation-state';
import type { ConsoleSessions } from './session-store';

export interface ConsoleServices {
  readonly sessions: ConsoleSessions;
  readonly exchange: ExchangeReader;
  /** The state of every federation source and sink (absent: no federation information). */
  readonly federation?: () => Promise<readonly EndpointState[]>;
  /** Loads the configuration file again and returns its problems (the `check-config` result). */
  readonly checkConfig: () => Promise<readonly ConfigIssue[]>;
  /** Clock (ms), for tests. */
  readonly now?: () => number;
}
