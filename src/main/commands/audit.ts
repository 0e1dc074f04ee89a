/**
 * `audit --since … [--until …] [--principal …] [--collection …] [--action …] [--limit N]`: prints the audit
 * trail as JSON lines (one event per line, oldest first) from the Redis the gateway uses (REDIS_URL or
 * --redis-url, key root GATEWAY_KEY_PREFIX or --key-prefix).
 */
import { RedisAuditLog } from '../../audit/audit-log';
import { type AuditParams, buildAuditQuery } from '../../audit/audit-query';
import { createKeyBuilder } from '../../store/keys';
import type { Command } from '../cli-types';
import { defineValueCommand } from '../define-command';
import { withCommandRedis } from '../cli-redis';

export const AUDIT_HELP = `Usage: taxii-gateway audit --since WHEN [options]

Prints the audit trail (who read or wrote what, when, from where) as JSON lines, oldest first.

Options:
  --since WHEN        RFC 3339 timestamp (2026-05-01T00:00:00Z) or a duration back from now (90m, 24h, 7d)
  --until WHEN        upper bound, same forms (default: now)
  --principal NAME    only this principal's accesses
  --collection ID     only accesses to this collection (its id)
  --action NAME       only this action (get_objects, add_objects, ingest, lookup, export, ...)
  --limit N           at most N entries (default: all)
  --redis-url URL     the gateway's Redis (default: $REDIS_URL, else the private Redis of --data-dir)
  --data-dir DIR      data dir of the running \`start\` (default: $GATEWAY_DATA_DIR, else ./data)
  --key-prefix NAME   root of the gateway's keys (default: $GATEWAY_KEY_PREFIX, else gw)
  -h, --help          show this help

Exit status: 0 ok, 1 Redis unreachable, 2 usage error.
`;

const VALUE_FLAGS = ['since', 'until', 'principal', 'collection', 'action', 'limit', 'redis-url', 'key-prefix', 'data-dir'] as const;
/** Most entries fetched per round trip. */
const PAGE = 1000;

export const auditCommand: Command = defineValueCommand('audit', AUDIT_HELP, VALUE_FLAGS, async (args, io) => {
  let total = Number.POSITIVE_INFINITY;
  if (args.limit !== undefined) {
    if (!/^\d{1,9}$/.test(args.limit) || Number(args.limit) < 1) {
      io.stderr('audit: --limit must be a positive integer\n');
      return 2;
    }
    total = Number(args.limit);
  }
  const params: AuditParams = {
    since: args.since,
    until: args.until,
    principal: args.principal,
    collection: args.collection,
    action: args.action,
    limit: String(Math.min(PAGE, total)),
    next: undefined,
  };
  const first = buildAuditQuery(params, Date.now(), PAGE);
  if (typeof first === 'string') {
    io.stderr(`audit: ${first}\n`);
    return 2;
  }
  const prefix = args['key-prefix'] ?? io.env['GATEWAY_KEY_PREFIX'] ?? 'gw';
  return withCommandRedis('audit', args, io, async (redis) => {
    const log = new RedisAuditLog(redis, createKeyBuilder(prefix), { max_age_days: 3650, max_entries: 1 });
    let query = first;
    let printed = 0;
    for (;;) {
      const page = await log.query({ ...query, limit: Math.min(PAGE, total - printed) });
      for (const e of page.entries) io.stdout(`${JSON.stringify(e)}\n`);
      printed += page.entries.length;
      if (page.next === undefined || printed >= total) break;
      query = { ...query, after: page.next };
    }
    return 0;
  });
});
