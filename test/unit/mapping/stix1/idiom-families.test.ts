/**
 * Families of STIX 1.x idioms found missing when the importer was measured against the reference elevator's
 * idiom files (docs/mapping/stix1.md, "Measured"). Each case is a small synthetic package of that shape.
 */
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

const NAMESPACES = [
  'xmlns:stix="http://stix.mitre.org/stix-1"',
  'xmlns:cybox="http://cybox.mitre.org/cybox-2"',
  'xmlns:indicator="http://stix.mitre.org/Indicator-2"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2"',
  'xmlns:HTTPSessionObj="http://cybox.mitre.org/objects#HTTPSessionObject-2"',
  'xmlns:UnixUserAccountObj="http://cybox.mitre.org/objects#UnixUserAccountObject-2"',
  'xmlns:WinRegistryKeyObj="http://cybox.mitre.org/objects#WinRegistryKeyObject-2"',
  'xmlns:t="http://t.example"',
].join(' ');

function pkg(body: string): string {
  return `<stix:STIX_Package ${NAMESPACES} id="t:Package-7c000000-0000-4000-8000-000000000000" version="1.2" timestamp="2021-03-03T03:03:03Z">${body}</stix:STIX_Package>`;
}

function indicator(n: number, inner: string): string {
  return `<stix:Indicator id="t:indicator-7c000000-0000-4000-8000-00000000010${n}" xsi:type="indicator:IndicatorType">${inner}</stix:Indicator>`;
}

function patterns(objects: readonly StixObject[]): unknown[] {
  return objects.filter((o) => o.type === 'indicator').map((o) => o['pattern']);
}

describe('STIX 1 idiom families', () => {
  it('when an HTTP session gives parsed headers (a Referer as a URI object, a Date, any other header), then each becomes a request_header of the pattern', () => {
    const session =
      '<cybox:Properties xsi:type="HTTPSessionObj:HTTPSessionObjectType"><HTTPSessionObj:HTTP_Request_Response><HTTPSessionObj:HTTP_Client_Request>' +
      '<HTTPSessionObj:HTTP_Request_Line><HTTPSessionObj:HTTP_Method>POST</HTTPSessionObj:HTTP_Method></HTTPSessionObj:HTTP_Request_Line>' +
      '<HTTPSessionObj:HTTP_Request_Header><HTTPSessionObj:Parsed_Header>' +
      '<HTTPSessionObj:Referer xsi:type="URIObj:URIObjectType"><URIObj:Value>http://ref.example/p</URIObj:Value></HTTPSessionObj:Referer>' +
      '<HTTPSessionObj:Accept_Language>ru</HTTPSessionObj:Accept_Language>' +
      '<HTTPSessionObj:Date>2020-02-02T02:02:02Z</HTTPSessionObj:Date>' +
      '</HTTPSessionObj:Parsed_Header></HTTPSessionObj:HTTP_Request_Header></HTTPSessionObj:HTTP_Client_Request></HTTPSessionObj:HTTP_Request_Response></cybox:Properties>';
    const r = importStix1(
      pkg(
        `<stix:Indicators>${indicator(1, `<indicator:Observable><cybox:Object>${session}</cybox:Object></indicator:Observable>`)}</stix:Indicators>`,
      ),
      OPTS,
    );
    const ext = "network-traffic:extensions.'http-request-ext'";
    expect(patterns(r.objects)).toEqual([
      `[network-traffic:protocols[*] = 'http' AND ${ext}.request_method = 'POST' AND ${ext}.request_header.Referer = 'http://ref.example/p' AND ` +
        `${ext}.request_header.'Accept-Language' = 'ru' AND ${ext}.request_header.Date = t'2020-02-02T02:02:02Z']`,
    ]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when an indicator refers to an OR composition of top-level observables through a cybox:Observable idref, then the indicator keeps every alternative', () => {
    const uri = (n: number, v: string): string =>
      `<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-00000000000${n}"><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>${v}</URIObj:Value></cybox:Properties></cybox:Object></cybox:Observable>`;
    const comp =
      '<cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000009"><cybox:Observable_Composition operator="OR">' +
      '<cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000001"/><cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000002"/>' +
      '</cybox:Observable_Composition></cybox:Observable>';
    const r = importStix1(
      pkg(
        `<stix:Observables cybox_major_version="2" cybox_minor_version="1">${uri(1, 'http://a.example/1')}${uri(2, 'http://b.example/2')}${comp}</stix:Observables>` +
          `<stix:Indicators>${indicator(1, '<cybox:Observable idref="t:Observable-7c000000-0000-4000-8000-000000000009"/>')}</stix:Indicators>`,
      ),
      OPTS,
    );
    expect(patterns(r.objects)).toEqual(["[url:value = 'http://a.example/1' OR url:value = 'http://b.example/2']"]);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_INDICATOR_EMPTY');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a Unix account writes some properties without a namespace prefix, then they are read and the account is typed unix', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000003"><cybox:Object>' +
          '<cybox:Properties xsi:type="UnixUserAccountObj:UnixUserAccountObjectType" disabled="false"><Username>wilma</Username>' +
          '<UnixUserAccountObj:User_ID>1002</UnixUserAccountObj:User_ID></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const account = r.objects.find((o) => o.type === 'user-account');
    expect(account).toMatchObject({ account_login: 'wilma', user_id: '1002', account_type: 'unix', is_disabled: false });
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when a registry key names its creator, then the key refers to a user-account holding that name', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables cybox_major_version="2" cybox_minor_version="1"><cybox:Observable id="t:Observable-7c000000-0000-4000-8000-000000000004"><cybox:Object>' +
          '<cybox:Properties xsi:type="WinRegistryKeyObj:WindowsRegistryKeyObjectType"><WinRegistryKeyObj:Key>HKEY_LOCAL_MACHINE\\Software\\T</WinRegistryKeyObj:Key>' +
          '<WinRegistryKeyObj:Creator_Username>barney</WinRegistryKeyObj:Creator_Username></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    const key = r.objects.find((o) => o.type === 'windows-registry-key');
    const user = r.objects.find((o) => o.type === 'user-account');
    expect(user).toMatchObject({ user_id: 'barney' });
    expect(key?.['creator_user_ref']).toBe(user?.id);
    expect(r.issues.map((i) => i.code)).not.toContain('STIX1_PROPERTY_UNMAPPED');
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });
});
