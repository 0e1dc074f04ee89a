/**
 * MISP attribute types → STIX 2.1 and → STIX 1.x, one synthetic event per type and to_ids flag: does every part
 * of the value reach the output, and is a STIX 2.1 output valid by the strict validator? The type list is the
 * attribute mapping of misp-stix's documentation (its STIX 2.1 summary: 80 types) plus types it keeps as custom
 * objects. Run: `npx tsx scripts/misp-type-coverage.ts [stix21|stix1]` (both when omitted); `--failures` lists them.
 */
import { prepareForExport } from '../src/main/commands/convert';
import type { CliIo } from '../src/main/cli-types';
import { formatDefinition } from '../src/mapping/registry';
import { validateDocument } from '../src/stix/conformance/validate-document';

const SILENT: CliIo = { stdout: () => undefined, stderr: () => undefined, env: {}, readStdin: () => Promise.resolve(Buffer.alloc(0)) };

const hex = (pair: string, bytes: number): string => pair.repeat(bytes);

/** One sample value per MISP attribute type (composites as `a|b`). */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  AS: 'AS174',
  attachment: 'attachment.test',
  authentihash: hex('7f', 32),
  'campaign-name': 'Operation Synthetic',
  domain: 'example.org',
  'domain|ip': 'example.org|198.51.100.14',
  email: 'address@example.org',
  'email-attachment': 'attachment.doc',
  'email-body': 'Email body test',
  'email-dst': 'dst@example.org',
  'email-header': 'from mail.example.org by smtp.example.net',
  'email-message-id': '1234567890@example.org',
  'email-reply-to': 'reply-to@example.org',
  'email-src': 'src@example.org',
  'email-subject': 'Test Subject',
  'email-x-mailer': 'Synthetic Mailer',
  filename: 'test_file_name',
  'filename|authentihash': `f1.exe|${hex('a1', 32)}`,
  'filename|imphash': `f2.exe|${hex('a2', 16)}`,
  'filename|md5': `f3.exe|${hex('a3', 16)}`,
  'filename|pehash': `f4.exe|${hex('a4', 20)}`,
  'filename|sha1': `f5.exe|${hex('a5', 20)}`,
  'filename|sha224': `f6.exe|${hex('a6', 28)}`,
  'filename|sha256': `f7.exe|${hex('a7', 32)}`,
  'filename|sha3-224': `f8.exe|${hex('a8', 28)}`,
  'filename|sha3-256': `f9.exe|${hex('a9', 32)}`,
  'filename|sha3-384': `f10.exe|${hex('b0', 48)}`,
  'filename|sha3-512': `f11.exe|${hex('b1', 64)}`,
  'filename|sha384': `f12.exe|${hex('b2', 48)}`,
  'filename|sha512': `f13.exe|${hex('b3', 64)}`,
  'filename|sha512/224': `f14.exe|${hex('b4', 28)}`,
  'filename|sha512/256': `f15.exe|${hex('b5', 32)}`,
  'filename|ssdeep': 'f16.exe|96:QRWkwoBevsL0JsIQ3pq8rrEvbfvIPRkYqRd5vRZ5dKbZ:QRWkwoBevsL0JsIQ3pq8rrEvbfvIPRk',
  'filename|tlsh': `f17.exe|${hex('b7', 35)}`,
  'filename|vhash': 'f18.exe|115056655d15151138z66hz1021z55z66z',
  'github-username': 'octo-synthetic',
  hostname: 'host.example.org',
  'hostname|port': 'host2.example.org|8443',
  'http-method': 'POST',
  imphash: hex('c1', 16),
  'ip-dst': '198.51.100.1',
  'ip-dst|port': '198.51.100.2|5678',
  'ip-src': '203.0.113.1',
  'ip-src|port': '203.0.113.2|1234',
  link: 'https://example.org/report',
  'mac-address': '12:34:56:78:90:ab',
  'malware-sample': `sample.exe|${hex('c2', 16)}`,
  md5: hex('c3', 16),
  mutex: 'MutexTest',
  pehash: hex('c4', 20),
  port: '8443',
  regkey: 'HKLM\\Software\\Synthetic',
  'regkey|value': 'HKLM\\Software\\Synthetic2|data-1234',
  sha1: hex('c5', 20),
  sha224: hex('c6', 28),
  sha256: hex('c7', 32),
  'sha3-224': hex('c8', 28),
  'sha3-256': hex('c9', 32),
  'sha3-384': hex('d0', 48),
  'sha3-512': hex('d1', 64),
  sha384: hex('d2', 48),
  sha512: hex('d3', 64),
  'sha512/224': hex('d4', 28),
  'sha512/256': hex('d5', 32),
  sigma: 'title: synthetic sigma rule',
  'size-in-bytes': '1234',
  snort: 'alert tcp any any',
  ssdeep: '96:QRWkwoBevsL0JsIQ3pq8rrEvbfvIPRkYqRd5vRZ5dKbZ:QRWkwoBevsL0JsIQ3pq8rrEvbfvIPRx',
  telfhash: hex('d6', 35),
  tlsh: hex('d7', 35),
  uri: '/this/is/a/uri',
  url: 'https://example.org/download/index.php',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
  vhash: '115056655d15151138z66hz1021z55z67z',
  vulnerability: 'CVE-2017-11774',
  'x509-fingerprint-md5': hex('e1', 16),
  'x509-fingerprint-sha1': hex('e2', 20),
  'x509-fingerprint-sha256': hex('e3', 32),
  yara: 'rule synthetic { condition: true }',
  // Types misp-stix keeps as custom objects.
  text: 'free text value',
  comment: 'a comment value',
  other: 'other value',
  pdb: 'C:\\build\\synthetic.pdb',
  btc: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
  'phone-number': '+33612345678',
  cookie: 'session=abc',
  hex: 'deadbeef',
  'target-user': 'jdoe',
  'whois-registrar': 'Synthetic Registrar',
};

export interface TypeResult {
  readonly type: string;
  readonly toIds: boolean;
  readonly missing: readonly string[];
  readonly valid: boolean;
}

const escapeXml = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Converts one attribute to `target` and checks it. */
export function checkType(type: string, value: string, toIds: boolean, target: 'stix21' | 'stix1'): TypeResult {
  const event = {
    Event: {
      uuid: '5c1e0000-0000-4000-8000-00000000f000',
      info: 'type coverage',
      timestamp: '1704067200',
      Attribute: [{ uuid: '5c1e0000-0000-4000-8000-00000000f001', type, value, to_ids: toIds, category: 'Other', timestamp: '1704067200' }],
    },
  };
  const from = formatDefinition('misp');
  const to = formatDefinition(target);
  if (from === undefined || to === undefined) throw new Error('format missing');
  const imported = from.import(Buffer.from(JSON.stringify(event)), { now: '2024-01-01T00:00:00.000Z', source: { name: 'coverage' } });
  const { objects } = prepareForExport(imported.objects, SILENT, true);
  const out = to.export(objects, { title: 'coverage' }).output;
  const forms = (p: string): string[] => [p, p.replace(/\\/g, '\\\\'), p.replace(/^AS/, ''), escapeXml(p)];
  const missing = value.split('|').filter((p) => !forms(p).some((f) => out.includes(f)));
  const valid = target === 'stix21' ? validateDocument(JSON.parse(out)).ok : true;
  return { type, toIds, missing, valid };
}

function main(): void {
  const targets = process.argv.slice(2).filter((a): a is 'stix21' | 'stix1' => a === 'stix21' || a === 'stix1');
  const showFailures = process.argv.includes('--failures');
  for (const target of targets.length === 0 ? (['stix21', 'stix1'] as const) : targets) {
    const results = Object.entries(SAMPLE_VALUES).flatMap(([type, value]) =>
      [true, false].map((ids) => checkType(type, value, ids, target)),
    );
    const ok = results.filter((r) => r.missing.length === 0 && r.valid);
    console.log(
      `misp → ${target}: ${ok.length}/${results.length} attribute cases keep every value${target === 'stix21' ? ' and are valid' : ''}`,
    );
    if (showFailures) {
      for (const r of results.filter((x) => !ok.includes(x))) {
        console.log(
          `  ${r.type} to_ids=${String(r.toIds)}${r.valid ? '' : ' INVALID'}${r.missing.length > 0 ? ` missing ${r.missing.join(', ')}` : ''}`,
        );
      }
    }
  }
}

if (require.main === module) main();
