/**
 * STIX 1 idiom families of the fourth round (the reference elevator's idioms fetched this round): CybOX image and PDF
 * files (were unsupported object types, the package converted to nothing), and a file with neither name nor hashes
 * (was emitted although STIX 2.1 §6.7 makes it invalid). Fifth round (issue 17, the elevator's `sighting` idiom): a
 * sighting without sightings_count counted 0, its related observables (`stixCommon:Observable`) and confidence dropped.
 */
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

function pkg(body: string): string {
  return (
    '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" ' +
    'xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:cyboxCommon="http://cybox.mitre.org/common-2" ' +
    'xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2" xmlns:ImageFileObj="http://cybox.mitre.org/objects#ImageFileObject-1" ' +
    'xmlns:PDFFileObj="http://cybox.mitre.org/objects#PDFFileObject-1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xmlns:stixCommon="http://stix.mitre.org/common-1" xmlns:ProcessObj="http://cybox.mitre.org/objects#ProcessObject-2" xmlns:AddressObj="http://cybox.mitre.org/objects#AddressObject-2" ' +
    'xmlns:ex="http://example.com" id="ex:Package-4f0e0000-0000-4000-8000-000000000001" version="1.2" timestamp="2024-01-01T00:00:00Z">' +
    body +
    '</stix:STIX_Package>'
  );
}

const hash = (h: string): string =>
  `<FileObj:Hashes><cyboxCommon:Hash><cyboxCommon:Type>SHA256</cyboxCommon:Type><cyboxCommon:Simple_Hash_Value>${h}</cyboxCommon:Simple_Hash_Value></cyboxCommon:Hash></FileObj:Hashes>`;
const H = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('STIX 1 idiom families, fourth round', () => {
  it('when an image file is observed, then it is a file with the raster-image-ext', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-000000000002"><cybox:Object>' +
          `<cybox:Properties xsi:type="ImageFileObj:ImageFileObjectType">${hash(H)}<ImageFileObj:Image_Height>45</ImageFileObj:Image_Height>` +
          '<ImageFileObj:Image_Width>60</ImageFileObj:Image_Width></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(stixOutputProblems(r.objects)).toEqual([]);
    expect(r.objects.find((o) => o.type === 'file')).toMatchObject({
      hashes: { 'SHA-256': H },
      extensions: { 'raster-image-ext': { image_height: 45, image_width: 60 } },
    });
  });

  it('when a PDF file is indicated, then its version, info dictionary and trailer ids are pdf-ext terms (ids by position)', () => {
    const r = importStix1(
      pkg(
        '<stix:Indicators><stix:Indicator id="ex:indicator-4f0e0000-0000-4000-8000-000000000003" xsi:type="indicator:IndicatorType">' +
          '<indicator:Observable id="ex:Observable-4f0e0000-0000-4000-8000-000000000004"><cybox:Object>' +
          '<cybox:Properties xsi:type="PDFFileObj:PDFFileObjectType"><PDFFileObj:Version>1.7</PDFFileObj:Version>' +
          '<PDFFileObj:Metadata><PDFFileObj:Document_Information_Dictionary><PDFFileObj:Author>Mallory</PDFFileObj:Author>' +
          '</PDFFileObj:Document_Information_Dictionary></PDFFileObj:Metadata><PDFFileObj:Trailers><PDFFileObj:Trailer><PDFFileObj:ID>' +
          '<PDFFileObj:ID_String>AAA111</PDFFileObj:ID_String><PDFFileObj:ID_String>BBB222</PDFFileObj:ID_String>' +
          '</PDFFileObj:ID></PDFFileObj:Trailer></PDFFileObj:Trailers></cybox:Properties></cybox:Object></indicator:Observable>' +
          '</stix:Indicator></stix:Indicators>',
      ),
      OPTS,
    );
    expect(stixOutputProblems(r.objects)).toEqual([]);
    const pattern = String(r.objects.find((o) => o.type === 'indicator')?.['pattern']);
    for (const term of [
      "file:extensions.'pdf-ext'.version = '1.7'",
      "file:extensions.'pdf-ext'.document_info_dict.Author = 'Mallory'",
      "file:extensions.'pdf-ext'.pdfid0 = 'AAA111'",
      "file:extensions.'pdf-ext'.pdfid1 = 'BBB222'",
    ])
      expect(pattern).toContain(term);
  });

  it('when an observed file has neither name nor hashes, then no invalid file is emitted and the observable is reported', () => {
    const r = importStix1(
      pkg(
        '<stix:Observables><cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-000000000005"><cybox:Object>' +
          '<cybox:Properties xsi:type="PDFFileObj:PDFFileObjectType"><PDFFileObj:Version>4.5</PDFFileObj:Version></cybox:Properties>' +
          '</cybox:Object></cybox:Observable></stix:Observables>',
      ),
      OPTS,
    );
    expect(r.objects.filter((o) => o.type === 'file')).toEqual([]);
    expect(r.issues.some((i) => i.code === 'STIX1_OBSERVABLE_EMPTY' && i.message.includes('file'))).toBe(true);
  });

  describe('sightings (fifth round)', () => {
    const ip = (id: string, v: string): string =>
      `<cybox:Observable id="${id}"><cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="ipv4-addr">` +
      `<AddressObj:Address_Value>${v}</AddressObj:Address_Value></cybox:Properties></cybox:Object></cybox:Observable>`;
    const indicator = (id: string, sightings: string): string =>
      `<stix:Indicator id="${id}" timestamp="2024-01-01T00:00:00Z" xsi:type="indicator:IndicatorType">` +
      ip(id.replace('Indicator', 'Observable').replace(/.$/, 'f'), '192.0.2.1')
        .replace('cybox:Observable', 'indicator:Observable')
        .replace(/cybox:Observable>$/, 'indicator:Observable>') +
      `${sightings}</stix:Indicator>`;
    const seen = (body: string, ts = '2024-02-01T00:00:00Z'): string =>
      `<indicator:Sighting timestamp="${ts}">${body}</indicator:Sighting>`;
    const related = (idref: string): string =>
      `<indicator:Related_Observables><indicator:Related_Observable><stixCommon:Observable idref="${idref}"/></indicator:Related_Observable></indicator:Related_Observables>`;
    const OBS = 'ex:Observable-4f0e0000-0000-4000-8000-0000000000a1';

    it('when a Sighting is listed without sightings_count, then its sighting counts 1 (not 0)', () => {
      const r = importStix1(
        pkg(
          '<stix:Indicators>' +
            indicator('ex:Indicator-4f0e0000-0000-4000-8000-0000000000b1', `<indicator:Sightings>${seen('')}</indicator:Sightings>`) +
            '</stix:Indicators>',
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      expect(r.objects.filter((o) => o.type === 'sighting').map((o) => o['count'])).toEqual([1]);
    });

    it('when a Sighting names related observables and a confidence, then they are its observed_data_refs and confidence, and one that converts to nothing is reported', () => {
      const r = importStix1(
        pkg(
          `<stix:Observables>${ip(OBS, '198.51.100.7')}</stix:Observables><stix:Indicators>` +
            indicator(
              'ex:Indicator-4f0e0000-0000-4000-8000-0000000000b2',
              '<indicator:Sightings>' +
                seen(`${related(OBS)}<indicator:Confidence><stixCommon:Value>Medium</stixCommon:Value></indicator:Confidence>`) +
                seen(related('ex:Observable-4f0e0000-0000-4000-8000-0000000000ff'), '2024-02-02T00:00:00Z') +
                '</indicator:Sightings>',
            ) +
            '</stix:Indicators>',
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      const od = r.objects.find((o) => o.type === 'observed-data');
      expect(od).toBeDefined();
      const ipv4 = r.objects.find((o) => o.type === 'ipv4-addr' && o['value'] === '198.51.100.7');
      expect(ipv4).toBeDefined();
      const sightings = r.objects.filter((o) => o.type === 'sighting');
      expect(sightings).toHaveLength(2);
      expect(sightings[0]).toMatchObject({ observed_data_refs: [od?.id], confidence: 50, count: 1 });
      expect(sightings[1]?.['observed_data_refs']).toBeUndefined();
      expect(r.issues.some((i) => i.code === 'STIX1_SIGHTING_OBSERVABLE_UNMAPPED' && i.message.includes('0000000000ff'))).toBe(true);
    });

    it('when sightings_count differs from the Sighting elements listed, then each is kept with count 1 and the difference is reported', () => {
      const r = importStix1(
        pkg(
          '<stix:Indicators>' +
            indicator(
              'ex:Indicator-4f0e0000-0000-4000-8000-0000000000b3',
              `<indicator:Sightings sightings_count="5">${seen('')}${seen('', '2024-02-03T00:00:00Z')}</indicator:Sightings>`,
            ) +
            '</stix:Indicators>',
        ),
        OPTS,
      );
      expect(r.objects.filter((o) => o.type === 'sighting').map((o) => o['count'])).toEqual([1, 1]);
      expect(r.issues.some((i) => i.code === 'STIX1_SIGHTING_COUNT_MISMATCH' && i.message.includes('5'))).toBe(true);
    });
  });

  describe('address ranges (fifth round)', () => {
    const addr = (cond: string, v: string, category = 'ipv4-addr'): string =>
      `<cybox:Object><cybox:Properties xsi:type="AddressObj:AddressObjectType" category="${category}">` +
      `<AddressObj:Address_Value condition="${cond}">${v}</AddressObj:Address_Value></cybox:Properties></cybox:Object>`;
    const ind = (n: number, body: string): string =>
      `<stix:Indicator id="ex:Indicator-4f0e0000-0000-4000-8000-0000000000c${n}" timestamp="2024-01-01T00:00:00Z" xsi:type="indicator:IndicatorType">` +
      `<indicator:Observable>${body}</indicator:Observable></stix:Indicator>`;

    it('when an indicator gives an address range, then the pattern matches its CIDR blocks (string order is not address order)', () => {
      const r = importStix1(
        pkg(
          '<stix:Indicators>' +
            ind(1, addr('InclusiveBetween', '10.0.0.0##comma##10.0.0.200')) +
            ind(2, addr('ExclusiveBetween', '192.0.2.0##comma##192.0.2.255')) +
            ind(3, addr('InclusiveBetween', '2001:db8::##comma##2001:db8::ffff', 'ipv6-addr')) +
            '</stix:Indicators>',
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      expect(r.objects.filter((o) => o.type === 'indicator').map((o) => o['pattern'])).toEqual([
        "[ipv4-addr:value ISSUBSET '10.0.0.0/25' OR ipv4-addr:value ISSUBSET '10.0.0.128/26' OR ipv4-addr:value ISSUBSET '10.0.0.192/29' OR ipv4-addr:value ISSUBSET '10.0.0.200/32']",
        "[ipv4-addr:value ISSUBSET '192.0.2.1/32' OR ipv4-addr:value ISSUBSET '192.0.2.2/31' OR ipv4-addr:value ISSUBSET '192.0.2.4/30' OR ipv4-addr:value ISSUBSET '192.0.2.8/29' OR ipv4-addr:value ISSUBSET '192.0.2.16/28' OR ipv4-addr:value ISSUBSET '192.0.2.32/27' OR ipv4-addr:value ISSUBSET '192.0.2.64/26' OR ipv4-addr:value ISSUBSET '192.0.2.128/26' OR ipv4-addr:value ISSUBSET '192.0.2.192/27' OR ipv4-addr:value ISSUBSET '192.0.2.224/28' OR ipv4-addr:value ISSUBSET '192.0.2.240/29' OR ipv4-addr:value ISSUBSET '192.0.2.248/30' OR ipv4-addr:value ISSUBSET '192.0.2.252/31' OR ipv4-addr:value ISSUBSET '192.0.2.254/32']",
        "[ipv6-addr:value ISSUBSET '2001:db8:0:0:0:0:0:0/112']",
      ]);
    });

    it('when an observed address range is exactly one CIDR block, then it is an address with that CIDR value; another range stays reported', () => {
      const r = importStix1(
        pkg(
          '<stix:Observables>' +
            `<cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-0000000000d1">${addr('InclusiveBetween', '223.166.0.0##comma##223.167.255.255')}</cybox:Observable>` +
            `<cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-0000000000d2">${addr('InclusiveBetween', '10.0.0.0##comma##10.0.0.200')}</cybox:Observable>` +
            '</stix:Observables>',
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      expect(r.objects.filter((o) => o.type === 'ipv4-addr').map((o) => o['value'])).toEqual(['223.166.0.0/15']);
      expect(r.issues.some((i) => i.code === 'STIX1_PATTERN_IN_OBSERVABLE' && i.message.includes('InclusiveBetween'))).toBe(true);
    });
    it('when an address-range pattern is exported to STIX 1, then each CIDR block is an address value (was unsupported)', () => {
      const r = exportStix1([
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--4f0e0000-0000-4000-8000-0000000000c9',
          created: '2024-01-01T00:00:00Z',
          modified: '2024-01-01T00:00:00Z',
          pattern: "[ipv4-addr:value ISSUBSET '10.0.0.0/25' OR ipv4-addr:value ISSUBSET '10.0.0.128/26']",
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
        },
      ]);
      expect(r.issues.map((i) => i.code)).not.toContain('STIX1_EXPORT_PATTERN_UNSUPPORTED');
      expect(r.output).toContain('condition="Equals">10.0.0.0/25<');
      expect(r.output).toContain('condition="Equals">10.0.0.128/26<');
    });
  });

  describe('process arguments (fifth round)', () => {
    const proc =
      '<cybox:Object><cybox:Properties xsi:type="ProcessObj:ProcessObjectType"><ProcessObj:PID>1700</ProcessObj:PID>' +
      '<ProcessObj:Image_Info><ProcessObj:Command_Line>tool.exe --p some_file.txt</ProcessObj:Command_Line></ProcessObj:Image_Info>' +
      '<ProcessObj:Argument_List><ProcessObj:Argument>--p</ProcessObj:Argument><ProcessObj:Argument>some_file.txt</ProcessObj:Argument></ProcessObj:Argument_List>' +
      '</cybox:Properties></cybox:Object>';

    it('when a process lists arguments beside its command line, then each argument is matched as contained, not as the whole command line', () => {
      const r = importStix1(
        pkg(
          '<stix:Indicators><stix:Indicator id="ex:Indicator-4f0e0000-0000-4000-8000-0000000000e1" timestamp="2024-01-01T00:00:00Z" xsi:type="indicator:IndicatorType">' +
            `<indicator:Observable>${proc}</indicator:Observable></stix:Indicator></stix:Indicators>`,
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      const pattern = String(r.objects.find((o) => o.type === 'indicator')?.['pattern']);
      expect(pattern).toContain("process:command_line = 'tool.exe --p some_file.txt'");
      expect(pattern).not.toContain("process:command_line = '--p'");
      expect(pattern).toContain("process:command_line MATCHES '--p'");
      expect(pattern).toContain("process:command_line MATCHES 'some_file\\\\.txt'");
    });

    it('when an observed process lists arguments, then its command line stays the one stated (an argument does not replace it)', () => {
      const r = importStix1(
        pkg(
          `<stix:Observables><cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-0000000000e2">${proc}</cybox:Observable></stix:Observables>`,
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      expect(r.objects.find((o) => o.type === 'process')?.['command_line']).toBe('tool.exe --p some_file.txt');
      expect(r.issues.some((i) => i.code === 'STIX1_PATTERN_IN_OBSERVABLE' && i.path.includes('Argument'))).toBe(true);
    });
  });

  describe('process environment variables (fifth round)', () => {
    const proc =
      '<cybox:Object><cybox:Properties xsi:type="ProcessObj:ProcessObjectType"><ProcessObj:PID>1700</ProcessObj:PID><ProcessObj:Environment_Variable_List>' +
      '<cyboxCommon:Environment_Variable><cyboxCommon:Name>PROXY</cyboxCommon:Name><cyboxCommon:Value>198.51.100.9:8080</cyboxCommon:Value></cyboxCommon:Environment_Variable>' +
      '<cyboxCommon:Environment_Variable><cyboxCommon:Name>HTTP-AGENT</cyboxCommon:Name><cyboxCommon:Value>x</cyboxCommon:Value></cyboxCommon:Environment_Variable>' +
      '<cyboxCommon:Environment_Variable><cyboxCommon:Name>NO_VALUE</cyboxCommon:Name></cyboxCommon:Environment_Variable>' +
      '</ProcessObj:Environment_Variable_List></cybox:Properties></cybox:Object>';

    it('when a process names environment variables, then they are environment_variables in patterns and observed processes', () => {
      const r = importStix1(
        pkg(
          '<stix:Indicators><stix:Indicator id="ex:Indicator-4f0e0000-0000-4000-8000-0000000000f1" timestamp="2024-01-01T00:00:00Z" xsi:type="indicator:IndicatorType">' +
            `<indicator:Observable>${proc}</indicator:Observable></stix:Indicator></stix:Indicators>` +
            `<stix:Observables><cybox:Observable id="ex:Observable-4f0e0000-0000-4000-8000-0000000000f2">${proc}</cybox:Observable></stix:Observables>`,
        ),
        OPTS,
      );
      expect(stixOutputProblems(r.objects)).toEqual([]);
      const pattern = String(r.objects.find((o) => o.type === 'indicator')?.['pattern']);
      expect(pattern).toContain("process:environment_variables.PROXY = '198.51.100.9:8080'");
      expect(pattern).toContain("process:environment_variables.'HTTP-AGENT' = 'x'");
      expect(r.objects.find((o) => o.type === 'process')?.['environment_variables']).toEqual({
        PROXY: '198.51.100.9:8080',
        'HTTP-AGENT': 'x',
      });
      expect(r.issues.some((i) => i.code === 'STIX1_PROPERTY_UNMAPPED' && i.message.includes('Environment_Variable_List'))).toBe(true);
    });
  });
});
