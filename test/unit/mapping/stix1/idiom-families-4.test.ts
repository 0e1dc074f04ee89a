/**
 * STIX 1 idiom families of the fourth round (the reference elevator's idioms fetched this round): CybOX image and PDF
 * files (were unsupported object types, the package converted to nothing), and a file with neither name nor hashes
 * (was emitted although STIX 2.1 §6.7 makes it invalid).
 */
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

function pkg(body: string): string {
  return (
    '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2" ' +
    'xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:cyboxCommon="http://cybox.mitre.org/common-2" ' +
    'xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2" xmlns:ImageFileObj="http://cybox.mitre.org/objects#ImageFileObject-1" ' +
    'xmlns:PDFFileObj="http://cybox.mitre.org/objects#PDFFileObject-1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
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
});
