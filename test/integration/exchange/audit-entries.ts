/** Every entry of a test gateway's audit trail, oldest first (bounded: at most 100 pages of 1000). */
import type { AuditEntry } from '../../../src/audit/audit-event';
import type { HarnessGateway } from '../../helpers/gateway';

export async function allAuditEntries(gw: HarnessGateway): Promise<AuditEntry[]> {
  await gw.audit.flush();
  const out: AuditEntry[] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await gw.audit.query({ sinceMs: 0, limit: 1000, ...(after === undefined ? {} : { after }) });
    out.push(...page.entries);
    if (page.next === undefined) break;
    after = page.next;
  }
  return out;
}
