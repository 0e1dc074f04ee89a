import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOpenioc } from '../../../../src/mapping/openioc/export';
import { importOpenioc } from '../../../../src/mapping/openioc/import';
import type { StixObject } from '../../../../src/mapping/types';

interface Expected {
  readonly counts: Record<string, number>;
  readonly objects?: Record<string, unknown>[];
  readonly issues?: string[];
  readonly errors?: string[];
}

const OPTS = { now: '2024-01-01T00:00:00Z' };
const DIR = join(__dirname, '../../../fixtures/mapping/openioc');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.input.ioc'))
  .map((f) => f.replace('.input.ioc', ''));

describe('importOpenioc fixtures', () => {
  it.each(cases)('when importing %s, then the objects, ids, patterns and issues match the expectation', (name) => {
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const result = importOpenioc(readFileSync(join(DIR, `${name}.input.ioc`)), OPTS);
    const counts: Record<string, number> = {};
    for (const o of result.objects) counts[o.type] = (counts[o.type] ?? 0) + 1;
    expect(counts).toEqual(expected.counts);
    for (const want of expected.objects ?? []) {
      const got = result.objects.find((o) => o.id === want['id']);
      for (const [k, v] of Object.entries(want)) expect([k, got?.[k]]).toEqual([k, v]);
    }
    const codes = new Set(result.issues.map((i) => i.code));
    for (const code of expected.issues ?? []) expect(codes).toContain(code);
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(expected.errors ?? []);
  });

  it.each(cases)('when importing %s, then no UUID is used by two object types (STIX 2.1 MUST NOT)', (name) => {
    const result = importOpenioc(readFileSync(join(DIR, `${name}.input.ioc`)), OPTS);
    const typesByUuid = new Map<string, Set<string>>();
    for (const o of result.objects) {
      const uuid = o.id.slice(o.id.indexOf('--') + 2);
      typesByUuid.set(uuid, (typesByUuid.get(uuid) ?? new Set<string>()).add(o.type));
    }
    expect([...typesByUuid].filter(([, types]) => types.size > 1).map(([uuid]) => uuid)).toEqual([]);
  });
});

describe('exportOpenioc', () => {
  it('when an OpenIOC document is imported, exported and re-imported, then mapped indicators keep their ids and patterns', () => {
    const first = importOpenioc(readFileSync(join(DIR, 'ioc10-tree.input.ioc')), OPTS);
    const out = exportOpenioc(first.objects);
    const again = importOpenioc(out.output, OPTS);
    for (const o of first.objects.filter((x) => x.type === 'indicator')) {
      expect(again.objects.find((x) => x.id === o.id)?.['pattern']).toBe(o['pattern']);
    }
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('when a pattern has no OpenIOC term, then it is reported and left out', () => {
    const ind: StixObject = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--1b2c3d4e-0000-4000-8000-000000000001',
      created: '2021-01-01T00:00:00Z',
      modified: '2021-01-01T00:00:00Z',
      valid_from: '2021-01-01T00:00:00Z',
      pattern: "[x509-certificate:serial_number = '01']",
      pattern_type: 'stix',
    };
    const out = exportOpenioc([ind]);
    expect(out.issues.map((i) => i.code)).toEqual(['OPENIOC_EXPORT_PATTERN_UNSUPPORTED']);
    expect(out.output).not.toContain('serial_number');
  });

  it('when a pattern has an OR of two values, then the OpenIOC branch is an OR and re-imports to the same pattern', () => {
    const ind: StixObject = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--2b2c3d4e-0000-4000-8000-000000000002',
      created: '2021-01-01T00:00:00Z',
      modified: '2021-01-01T00:00:00Z',
      valid_from: '2021-01-01T00:00:00Z',
      pattern: "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']",
      pattern_type: 'stix',
    };
    const out = exportOpenioc([ind]);
    expect(out.output).toContain('operator="OR" id="2b2c3d4e-0000-4000-8000-000000000002"');
    const back = importOpenioc(out.output, OPTS).objects.find((o) => o.id === ind.id);
    expect(back?.['pattern']).toBe(ind['pattern']);
  });
});

describe('OpenIOC re-import', () => {
  const versions = (objects: readonly StixObject[]): string[] =>
    objects.map((o) => `${o.id} ${String(o['created'])} ${String(o['modified'])}`).sort();

  it('when the same file is imported twice at different times, then ids and versions are the same', () => {
    for (const name of ['ioc10-tree', 'ioc11-negate']) {
      const input = readFileSync(join(DIR, `${name}.input.ioc`));
      const a = importOpenioc(input, { now: '2025-01-01T00:00:00Z' });
      const b = importOpenioc(input, { now: '2026-06-30T12:00:00Z' });
      expect(a.objects.length).toBeGreaterThan(0);
      expect(versions(b.objects)).toEqual(versions(a.objects));
    }
  });

  it('when a file has an authored_date but no last-modified, then its versions come from the authored_date, not the clock', () => {
    const ioc =
      '<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="6d2a4ff2-0b0a-4c63-8f1e-3b4b0f6c1a11">' +
      '<short_description>dated only</short_description><authored_date>2013-02-07T16:27:43</authored_date>' +
      '<definition><Indicator operator="OR" id="7e3b5003-1c1b-4d74-9a2f-4c5c1a7d2b22">' +
      '<IndicatorItem id="8f4c6114-2d2c-4e85-8b3a-5d6d2b8e3c33" condition="is"><Context document="FileItem" search="FileItem/Md5sum" type="mir"/>' +
      '<Content type="md5">0123456789abcdef0123456789abcdef</Content></IndicatorItem></Indicator></definition></ioc>';
    const a = importOpenioc(ioc, { now: '2025-01-01T00:00:00Z' });
    const b = importOpenioc(ioc, { now: '2026-01-01T00:00:00Z' });
    expect(versions(b.objects)).toEqual(versions(a.objects));
    expect(a.objects.map((o) => o['modified'])).toEqual(a.objects.map(() => '2013-02-07T16:27:43Z'));
  });
});

describe('importOpenioc substring conditions', () => {
  const item = (condition: string, search: string, value: string): string =>
    `<IndicatorItem id="8f4c6114-2d2c-4e85-8b3a-5d6d2b8e3c3${condition.length % 10}" condition="${condition}">` +
    `<Context document="${search.split('/')[0] ?? ''}" search="${search}" type="mir"/><Content type="string">${value}</Content></IndicatorItem>`;
  const patterns = (items: string): unknown[] =>
    importOpenioc(
      '<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="6d2a4ff2-0b0a-4c63-8f1e-3b4b0f6c1a12"><short_description>s</short_description>' +
        `<definition><Indicator operator="OR" id="7e3b5003-1c1b-4d74-9a2f-4c5c1a7d2b23">${items}</Indicator></definition></ioc>`,
      { now: '2025-01-01T00:00:00Z' },
    ).objects.map((o) => o['pattern']);

  it('when a value is matched by contains or starts-with, then the pattern is a LIKE that keeps the value as written', () => {
    expect(patterns(item('contains', 'DnsEntryItem/RecordName', 'ellismikepage.info'))).toEqual([
      "[domain-name:value LIKE '%ellismikepage.info%']",
    ]);
    expect(patterns(item('starts-with', 'ProcessItem/arguments', 'cmd /c'))).toEqual(["[process:command_line LIKE 'cmd /c%']"]);
  });

  it('when the value holds a LIKE wildcard character, then the exact regex form is kept', () => {
    expect(patterns(item('contains', 'DnsEntryItem/RecordName', 'my_host.example.com'))).toEqual([
      "[domain-name:value MATCHES 'my_host\\\\.example\\\\.com']",
    ]);
  });
});

describe('importOpenioc full paths (third round)', () => {
  const ioc = (items: string): string =>
    '<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="6d2a4ff2-0b0a-4c63-8f1e-3b4b0f6c1a13"><short_description>p</short_description>' +
    `<definition><Indicator operator="OR" id="7e3b5003-1c1b-4d74-9a2f-4c5c1a7d2b24">${items}</Indicator></definition></ioc>`;
  const item = (n: number, condition: string, search: string, value: string): string =>
    `<IndicatorItem id="8f4c6114-2d2c-4e85-8b3a-5d6d2b8e3c4${n}" condition="${condition}">` +
    `<Context document="${search.split('/')[0] ?? ''}" search="${search}" type="mir"/><Content type="string">${value}</Content></IndicatorItem>`;

  it('when a full path is split into a file name and a directory, then the term as written is kept in x_openioc_full_paths', () => {
    const objects = importOpenioc(
      ioc(
        `<Indicator operator="AND" id="7e3b5003-1c1b-4d74-9a2f-4c5c1a7d2b25">${item(1, 'is', 'FileItem/FullPath', '/etc/cron.hourly/cron.sh')}` +
          `${item(2, 'is', 'FileItem/Md5sum', '0123456789abcdef0123456789abcdef')}</Indicator>` +
          item(3, 'contains', 'processEvent/processPath', '\\Windows\\SysWOW64\\WerFault.exe'),
      ),
      OPTS,
    ).objects.filter((o) => o.type === 'indicator');
    expect(objects.map((o) => o['x_openioc_full_paths'])).toEqual([
      [{ search: 'FileItem/FullPath', condition: 'is', value: '/etc/cron.hourly/cron.sh' }],
      [{ search: 'processEvent/processPath', condition: 'contains', value: '\\Windows\\SysWOW64\\WerFault.exe' }],
    ]);
    expect(objects[0]?.['pattern']).toContain("file:name = 'cron.sh'");
  });

  it('when a full-path term holds a bare file name, then nothing was split and no x_openioc_full_paths is written', () => {
    const [only] = importOpenioc(ioc(item(4, 'is', 'FileItem/FullPath', 'svchost.exe')), OPTS).objects.filter(
      (o) => o.type === 'indicator',
    );
    expect(only?.['pattern']).toBe("[file:name = 'svchost.exe']");
    expect(only?.['x_openioc_full_paths']).toBeUndefined();
  });
});

describe('importOpenioc service, process and file-time terms (third round)', () => {
  const ioc = (items: string): string =>
    '<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="6d2a4ff2-0b0a-4c63-8f1e-3b4b0f6c1a14"><short_description>s</short_description>' +
    `<definition><Indicator operator="OR" id="7e3b5003-1c1b-4d74-9a2f-4c5c1a7d2b26">${items}</Indicator></definition></ioc>`;
  const item = (n: number, search: string, value: string, type = 'string'): string =>
    `<IndicatorItem id="8f4c6114-2d2c-4e85-8b3a-5d6d2b8e3c5${n}" condition="is">` +
    `<Context document="${search.split('/')[0] ?? ''}" search="${search}" type="mir"/><Content type="${type}">${value}</Content></IndicatorItem>`;

  it('when ServiceItem, ProcessItem/pid, FileItem/Created and PortItem/protocol terms are met, then they become pattern comparisons, not x_openioc_terms', () => {
    const result = importOpenioc(
      ioc(
        item(1, 'ServiceItem/name', 'WinHelpSvc') +
          item(2, 'ServiceItem/descriptiveName', 'Windows Help Service') +
          item(3, 'ProcessItem/pid', '4242', 'int') +
          item(4, 'FileItem/Created', '2015-11-02T10:00:00Z', 'date') +
          item(5, 'PortItem/protocol', 'UDP'),
      ),
      OPTS,
    );
    expect(result.objects.filter((o) => o.type === 'indicator').map((o) => o['pattern'])).toEqual([
      "[process:extensions.'windows-service-ext'.service_name = 'WinHelpSvc']",
      "[process:extensions.'windows-service-ext'.display_name = 'Windows Help Service']",
      '[process:pid = 4242]',
      "[file:ctime = t'2015-11-02T10:00:00Z']",
      "[network-traffic:protocols[*] = 'udp']",
    ]);
    expect(result.issues.map((i) => i.code)).not.toContain('OPENIOC_TERM_UNMAPPED');
  });
});

describe('importOpenioc 1.1 parameters', () => {
  it('when an OpenIOC 1.1 document has parameters, then each is kept on the report with the item it annotates', () => {
    const doc =
      '<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e61" last-modified="2020-12-13T00:00:00Z">' +
      '<metadata><short_description>pipes</short_description></metadata><criteria>' +
      '<Indicator id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e62" operator="OR">' +
      '<IndicatorItem id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e63" condition="is"><Context document="fileWriteEvent" search="fileWriteEvent/md5" type="event"/>' +
      '<Content type="md5">00112233445566778899aabbccddeeff</Content></IndicatorItem></Indicator></criteria><parameters>' +
      '<param id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e64" ref-id="2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e63" name="comment">' +
      '<value type="string">Loader written by the dropper</value></param></parameters></OpenIOC>';
    const result = importOpenioc(doc, OPTS);
    const report = result.objects.find((o) => o.type === 'report');
    expect(report?.['x_openioc_parameters']).toEqual([
      { ref_id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e63', name: 'comment', value: 'Loader written by the dropper' },
    ]);
    expect(result.issues.map((i) => i.code)).not.toContain('OPENIOC_PARAMETERS_DROPPED');
  });
});
