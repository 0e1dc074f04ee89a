import { importTxt } from '../../../../src/mapping/txt/import';
import type { StixObject } from '../../../../src/mapping/types';

const OPTIONS = { now: '2024-01-01T00:00:00.000Z', source: { name: 'Test CERT' } };

const HEADERS = [
  'Return-Path: <billing@invoice-notice-mail.com>',
  'Received: from 203.0.113.45 (EHLO mx1.sender-host.example)',
  ' by 10.20.30.40 with SMTPs; Tue, 2 Mar 2021 09:15:02 +0000',
  'Received: from relay7.provider.example (198.51.100.61) by mx1.sender-host.example',
  'Provider_Scan: clean',
  'Date: Tue, 2 Mar 2021 10:14:55 +0100',
  'From: "Billing Team" <billing@invoice-notice-mail.com>',
  'To: v****@corp.example',
  'Subject: Overdue invoice 4471',
  'Content-Type: multipart/mixed;',
  '\tboundary="b1_4471"',
  '',
  '--b1_4471',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Please pay.',
  '--b1_4471',
  'Content-Type: application/vnd.ms-excel; name="Invoice_4471.xls"',
  'Content-Disposition: attachment; filename="Invoice_4471.xls"',
  '',
];

const byType = (objects: readonly StixObject[], type: string): StixObject[] => objects.filter((o) => o.type === type);

describe('importTxt: mail headers kept as an e-mail message observation', () => {
  it('when a list holds a message header block, then relays, date, subject, sender and other headers are kept in an email-message', () => {
    const { objects } = importTxt(HEADERS.join('\n'), OPTIONS);
    const [message] = byType(objects, 'email-message');
    expect(message).toMatchObject({
      is_multipart: true,
      content_type: 'multipart/mixed; boundary="b1_4471"',
      subject: 'Overdue invoice 4471',
      date: '2021-03-02T09:14:55.000Z',
      received_lines: [
        'from 203.0.113.45 (EHLO mx1.sender-host.example) by 10.20.30.40 with SMTPs; Tue, 2 Mar 2021 09:15:02 +0000',
        'from relay7.provider.example (198.51.100.61) by mx1.sender-host.example',
      ],
      additional_header_fields: {
        'Return-Path': ['<billing@invoice-notice-mail.com>'],
        Provider_Scan: ['clean'],
        To: ['v****@corp.example'],
      },
    });
    const [sender] = byType(objects, 'email-addr');
    expect(sender).toMatchObject({ value: 'billing@invoice-notice-mail.com', display_name: 'Billing Team' });
    expect(message?.['from_ref']).toBe(sender?.id);
    const [observed] = byType(objects, 'observed-data');
    expect(observed).toMatchObject({ first_observed: '2021-03-02T09:14:55.000Z', number_observed: 1 });
    expect(observed?.['object_refs']).toEqual(expect.arrayContaining([message?.id, sender?.id]));
  });

  it('when the relays are in Received lines, then they give no indicators, and the sender still does', () => {
    const { objects } = importTxt(HEADERS.join('\n'), OPTIONS);
    const patterns = byType(objects, 'indicator').map((o) => o['pattern']);
    expect(patterns).toContain("[email-addr:value = 'billing@invoice-notice-mail.com']");
    expect(patterns.some((p) => String(p).includes('198.51.100.61') || String(p).includes('10.20.30.40'))).toBe(false);
  });

  it('when MIME part headers follow the message, then a named attachment becomes a body part with a file and an unnamed part none', () => {
    const { objects } = importTxt(HEADERS.join('\n'), OPTIONS);
    const [message] = byType(objects, 'email-message');
    const [file] = byType(objects, 'file');
    expect(file).toMatchObject({ name: 'Invoice_4471.xls' });
    expect(message?.['body_multipart']).toEqual([
      {
        body_raw_ref: file?.id,
        content_type: 'application/vnd.ms-excel; name="Invoice_4471.xls"',
        content_disposition: 'attachment; filename="Invoice_4471.xls"',
      },
    ]);
  });

  it('when a TLP is configured, then the observation and every SCO of it carry the marking', () => {
    const { objects } = importTxt(HEADERS.join('\n'), { ...OPTIONS, tlp: 'amber' });
    const observed = objects.filter((o) => ['observed-data', 'email-message', 'email-addr', 'file'].includes(o.type));
    expect(observed).toHaveLength(4);
    for (const o of observed) expect(o['object_marking_refs']).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
  });

  it('when the sender is masked or a list has one lone header line, then no address SCO or observation is made', () => {
    const masked = importTxt(['Received: from a.example by b.example', 'From: k****@outlook.com', ''].join('\n'), OPTIONS);
    expect(byType(masked.objects, 'email-addr')).toEqual([]);
    expect(byType(masked.objects, 'email-message')[0]?.['additional_header_fields']).toEqual({ From: ['k****@outlook.com'] });
    const lone = importTxt(['From: billing@invoice-notice-mail.com', '203.0.113.77'].join('\n'), OPTIONS);
    expect(byType(lone.objects, 'observed-data')).toEqual([]);
    expect(byType(lone.objects, 'indicator')).toHaveLength(2);
  });

  it('when the same text is imported twice, then the observation and its SCOs have the same ids', () => {
    const ids = (): string[] => importTxt(HEADERS.join('\n'), OPTIONS).objects.map((o) => o.id);
    expect(ids()).toEqual(ids());
  });
});
