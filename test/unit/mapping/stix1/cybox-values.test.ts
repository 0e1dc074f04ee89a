import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

function packageWith(observables: string, indicators = ''): string {
  return (
    '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:cybox="http://cybox.mitre.org/cybox-2" ' +
    'xmlns:indicator="http://stix.mitre.org/Indicator-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xmlns:URIObj="http://cybox.mitre.org/objects#URIObject-2" xmlns:UserAccountObj="http://cybox.mitre.org/objects#UserAccountObject-2" ' +
    'xmlns:WinExecutableFileObj="http://cybox.mitre.org/objects#WinExecutableFileObject-2" xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2" ' +
    'id="t:Package-6b000000-0000-4000-8000-000000000000" version="1.2" timestamp="2022-02-02T02:02:02Z">' +
    `<stix:Observables cybox_major_version="2" cybox_minor_version="1">${observables}</stix:Observables>` +
    (indicators === '' ? '' : `<stix:Indicators>${indicators}</stix:Indicators>`) +
    '</stix:STIX_Package>'
  );
}

function uri(n: number, value: string): string {
  return `<cybox:Observable id="t:Observable-6b000000-0000-4000-8000-00000000000${n}"><cybox:Object><cybox:Properties xsi:type="URIObj:URIObjectType" type="URL"><URIObj:Value>${value}</URIObj:Value></cybox:Properties></cybox:Object></cybox:Observable>`;
}

describe('STIX 1 observable values', () => {
  it('when a URL observable has no scheme, then a bare domain becomes a domain-name and anything else is reported by value, never an invalid url', () => {
    const r = importStix1(packageWith(uri(1, 'Bad.Example') + uri(2, 'bad.example/x/y') + uri(3, 'https://ok.example/a')), OPTS);
    expect(r.objects.filter((o) => o.type === 'url').map((o) => o['value'])).toEqual(['https://ok.example/a']);
    expect(r.objects.filter((o) => o.type === 'domain-name').map((o) => o['value'])).toEqual(['bad.example']);
    const notes = r.issues.filter((i) => i.code === 'STIX1_URL_WITHOUT_SCHEME').map((i) => i.message);
    expect(notes.some((m) => m.includes("'bad.example/x/y'") && m.includes('left out'))).toBe(true);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });

  it('when indicators use booleans, timestamps and floats, then the pattern writes them as STIX literals of their type', () => {
    const ind = (n: number, props: string): string =>
      `<stix:Indicator id="t:indicator-6b000000-0000-4000-8000-00000000001${n}" xsi:type="indicator:IndicatorType"><indicator:Observable><cybox:Object>${props}</cybox:Object></indicator:Observable></stix:Indicator>`;
    const r = importStix1(
      packageWith(
        uri(1, 'https://ok.example/a'),
        ind(
          1,
          '<cybox:Properties xsi:type="UserAccountObj:UserAccountObjectType" disabled="true"><UserAccountObj:Last_Login condition="GreaterThan">2021-01-01T00:00:00Z</UserAccountObj:Last_Login></cybox:Properties>',
        ) +
          ind(
            2,
            '<cybox:Properties xsi:type="WinExecutableFileObj:WindowsExecutableFileObjectType"><FileObj:File_Name condition="Equals">a.exe</FileObj:File_Name><WinExecutableFileObj:Sections><WinExecutableFileObj:Section><WinExecutableFileObj:Entropy><WinExecutableFileObj:Value condition="GreaterThan">7.5</WinExecutableFileObj:Value></WinExecutableFileObj:Entropy></WinExecutableFileObj:Section></WinExecutableFileObj:Sections><WinExecutableFileObj:Type>Executable</WinExecutableFileObj:Type></cybox:Properties>',
          ),
      ),
      OPTS,
    );
    const patterns = r.objects.filter((o) => o.type === 'indicator').map((o) => o['pattern']);
    expect(patterns).toEqual([
      "[user-account:account_last_login > t'2021-01-01T00:00:00Z' AND user-account:is_disabled = true]",
      "[file:name = 'a.exe' AND file:extensions.'windows-pebinary-ext'.pe_type = 'exe' AND file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.5]",
    ]);
    expect(stixOutputProblems(r.objects)).toEqual([]);
  });
});
