import { boundedIds, MAX_AUDIT_IDS, parseAuditEvent } from '../../../src/audit/audit-event';
import { buildAuditQuery, parseInstant, type AuditParams } from '../../../src/audit/audit-query';
import { classifyRequest } from '../../../src/http/audit-trail';

const NOW = Date.parse('2026-05-10T12:00:00Z');
const none: AuditParams = {
  since: undefined,
  until: undefined,
  principal: undefined,
  collection: undefined,
  action: undefined,
  limit: undefined,
  next: undefined,
};

describe('parseInstant', () => {
  it.each([
    ['24h', NOW - 24 * 3_600_000],
    ['7d', NOW - 7 * 86_400_000],
    ['90s', NOW - 90_000],
    ['2026-05-01', Date.parse('2026-05-01T00:00:00Z')],
    ['2026-05-01T10:00:00Z', Date.parse('2026-05-01T10:00:00Z')],
    ['2026-05-01T10:00:00.123456+02:00', Date.parse('2026-05-01T08:00:00.123Z')],
    ['yesterday', undefined],
    ['24', undefined],
    ['2026-13-45T99:00:00Z', undefined],
  ])('when given "%s", then it is read as the expected instant', (text, expected) => {
    expect(parseInstant(text, NOW)).toBe(expected);
  });
});

describe('buildAuditQuery', () => {
  it('when since is missing, then the query is refused with a reason', () => {
    expect(buildAuditQuery(none, NOW)).toMatch(/since is required/);
  });

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: '-1' }, /limit/],
    [{ action: 'steal' }, /action/],
    [{ principal: 'a b' }, /principal/],
    [{ next: '12' }, /next/],
    [{ until: 'later' }, /until/],
  ])('when a parameter is malformed (%o), then the query is refused naming it', (bad, reason) => {
    expect(buildAuditQuery({ ...none, since: '1h', ...bad }, NOW)).toMatch(reason);
  });

  it('when every filter is given, then the query carries them and caps the limit', () => {
    const q = buildAuditQuery(
      { ...none, since: '1h', principal: 'ru-cert', collection: 'c1', action: 'get_objects', limit: '99999', next: '5-1' },
      NOW,
      500,
    );
    expect(q).toEqual({
      sinceMs: NOW - 3_600_000,
      limit: 500,
      principal: 'ru-cert',
      collection: 'c1',
      action: 'get_objects',
      after: '5-1',
    });
  });
});

describe('classifyRequest', () => {
  it.each([
    ['GET', '/taxii2/', 'discovery', undefined],
    ['GET', '/exchange/', 'api_root', undefined],
    ['GET', '/exchange/collections/', 'collections', undefined],
    ['GET', '/exchange/collections/c1/', 'collection', 'c1'],
    ['GET', '/exchange/collections/c1/objects/', 'get_objects', 'c1'],
    ['POST', '/exchange/collections/c1/objects/', 'add_objects', 'c1'],
    ['GET', '/exchange/collections/c1/objects/indicator--x/', 'get_object', 'c1'],
    ['DELETE', '/exchange/collections/c1/objects/indicator--x/', 'delete_object', 'c1'],
    ['GET', '/exchange/collections/c1/objects/indicator--x/versions/', 'get_versions', 'c1'],
    ['GET', '/exchange/collections/c1/manifest/', 'get_manifest', 'c1'],
    ['GET', '/exchange/status/s1/', 'get_status', undefined],
    ['GET', '/gateway/v1/indicators/lookup', 'lookup', undefined],
    ['GET', '/gateway/v1/audit', 'audit_read', undefined],
    ['POST', '/gateway/v1/collections/c1/import', 'import', 'c1'],
    ['GET', '/gateway/v1/collections/c1/export', 'export', 'c1'],
    ['GET', '/', 'other', undefined],
  ])('when %s %s, then the action is %s', (method, path, action, collection) => {
    const c = classifyRequest(method, path);
    expect(c.action).toBe(action);
    expect(c.collection).toBe(collection);
  });
});

describe('audit events', () => {
  it('when more ids than the bound are given, then the list is cut and flagged, duplicates removed', () => {
    const ids = Array.from({ length: MAX_AUDIT_IDS + 50 }, (_, i) => `indicator--${i}`);
    const b = boundedIds([...ids, ...ids]);
    expect(b.ids).toHaveLength(MAX_AUDIT_IDS);
    expect(b.ids_truncated).toBe(true);
    expect(boundedIds(['a', 'a', 'b'])).toEqual({ ids: ['a', 'b'] });
  });

  it('when a stored value is not an event, then it is rejected', () => {
    expect(parseAuditEvent({ time: 't', principal: 'p', source: 's', action: 'lookup', count: 1, ids: ['x'] })).toBeDefined();
    expect(parseAuditEvent({ time: 't', principal: 'p', source: 's', action: 'lookup', count: '1', ids: [] })).toBeUndefined();
    expect(parseAuditEvent({ time: 't', principal: 'p', source: 's', action: 'lookup', count: 1, ids: [1] })).toBeUndefined();
    expect(parseAuditEvent(['x'])).toBeUndefined();
  });
});
