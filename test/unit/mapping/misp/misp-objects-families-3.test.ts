/**
 * Third round of MISP object families after misp-stix's documented MISP object → STIX 2.1 mapping: an e-mail's
 * attachments are parts with `content_disposition: attachment` in the pattern too (misp-stix writes
 * `body_multipart[n].content_disposition = 'attachment'`), and what the importer writes reads back without
 * noise (the disposition is implied by the attachment relation; an indicator named after its template is not a
 * producer's name). Before, the pattern lacked the disposition and an observed e-mail came back with an
 * "unmapped STIX" comment and a MISP_EXPORT_VALUE_UNMAPPED warning per attachment.
 */
import { importMisp } from '../../../../src/mapping/misp/import';
import { exportMisp } from '../../../../src/mapping/misp/export';
import { prepareObjects } from '../../../../src/stix/prepare';

const NOW = '2024-01-01T00:00:00.000Z';

function emailEvent(toIds: boolean): string {
  const attr = (relation: string, type: string, value: string): Record<string, unknown> => ({
    object_relation: relation,
    type,
    value,
    to_ids: toIds,
  });
  return JSON.stringify({
    Event: {
      uuid: '3e1f0000-0000-4000-8000-00000000e001',
      info: 'e-mail',
      date: '2024-01-01',
      timestamp: '1704067200',
      Object: [
        {
          name: 'email',
          uuid: '3e1f0000-0000-4000-8000-00000000c001',
          timestamp: '1704067200',
          Attribute: [
            attr('from', 'email-src', 'sender@example.org'),
            attr('attachment', 'email-attachment', 'invoice.doc'),
            attr('attachment', 'email-attachment', 'terms.pdf'),
          ],
        },
      ],
    },
  });
}

describe('MISP object families, third round', () => {
  it('when an e-mail object with attachments is for detection, then the pattern marks each part as an attachment', () => {
    const objects = importMisp(emailEvent(true), { now: NOW }).objects;
    expect(prepareObjects(objects, {}).filter((o) => !o.ok)).toEqual([]);
    const pattern = String(objects.find((o) => o.type === 'indicator')?.['pattern']);
    expect(pattern).toContain(
      "body_multipart[0].body_raw_ref.name = 'invoice.doc' AND email-message:body_multipart[0].content_disposition = 'attachment'",
    );
    expect(pattern).toContain(
      "body_multipart[1].body_raw_ref.name = 'terms.pdf' AND email-message:body_multipart[1].content_disposition = 'attachment'",
    );
  });

  it.each([true, false])(
    'when an e-mail object with attachments (to_ids %s) goes to STIX and back, then nothing is reported unmapped',
    (toIds) => {
      const result = exportMisp(importMisp(emailEvent(toIds), { now: NOW }).objects);
      expect(result.issues.map((i) => i.code)).not.toContain('MISP_EXPORT_VALUE_UNMAPPED');
      const event = (
        JSON.parse(result.output) as { Event: { Object: { name: string; comment: string; Attribute: { value: string }[] }[] } }
      ).Event;
      expect(event.Object.map((o) => [o.name, o.comment])).toEqual([['email', '']]);
      expect(event.Object[0]?.Attribute.map((a) => a.value).sort()).toEqual(['invoice.doc', 'sender@example.org', 'terms.pdf']);
    },
  );
});
