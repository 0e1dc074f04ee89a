/** Wires the operator console's services (sessions, counters, federation states, check-config) on one Redis. */
import type { Cluster, Redis } from 'ioredis';
import { loadConfigFile } from '../config/load-config';
import type { GatewayConfig } from '../config/types';
import { ExchangeReader } from '../exchange/exchange-reader';
import { FederationState } from '../federation/federation-state';
import type { ConsoleServices } from '../http/console/console-services';
import { ConsoleSessions, type SessionOptions } from '../http/console/session-store';
import type { KeyBuilder } from '../store/keys';

export function consoleServices(
  redis: Redis | Cluster,
  keys: KeyBuilder,
  config: GatewayConfig,
  sessions: SessionOptions = {},
): ConsoleServices {
  const federation = new FederationState(redis, keys);
  return {
    sessions: new ConsoleSessions(redis, keys, sessions),
    // The overview and the report of one viewer and period are read at most every 5 s (the counters change every 200 ms).
    exchange: new ExchangeReader(redis, keys, config, { cacheMs: 5000 }),
    federation: async () => [
      ...(await Promise.all(config.sources.map((s) => federation.state('source', s.name)))),
      ...(await Promise.all(config.sinks.map((s) => federation.state('sink', s.name)))),
    ],
    checkConfig: async () => (await loadConfigFile(config.file)).issues,
  };
}
