/** The Content-Type check of a TAXII POST, with a precise reason for each way it can be wrong. */
import { parseMediaType } from '../taxii/media-type';
import { TaxiiError } from './errors';

function unsupported(description: string): TaxiiError {
  return new TaxiiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', description);
}

/**
 * What is wrong with the Content-Type of a TAXII POST, named precisely, or undefined when it is TAXII 2.1.
 * A charset other than UTF-8 is refused rather than converted: TAXII bodies are JSON, and JSON exchanged
 * between systems is UTF-8 (RFC 8259 §8.1); a body declared latin1 would be decoded wrongly or silently.
 */
export function taxiiContentTypeError(header: string | undefined): TaxiiError | undefined {
  const expected = 'send Content-Type: application/taxii+json;version=2.1';
  if (header === undefined || header.trim() === '') return unsupported(`The request has no Content-Type: ${expected}.`);
  const shown = header.slice(0, 200);
  const m = parseMediaType(header);
  if (m === undefined) return unsupported(`Content-Type "${shown}" is not a well-formed media type: ${expected}.`);
  if (m.type !== 'application' || m.subtype !== 'taxii+json') {
    return unsupported(`Content-Type must be application/taxii+json;version=2.1, not "${shown}".`);
  }
  const version = m.params.get('version');
  if (version !== undefined && version !== '2.1')
    return unsupported(`TAXII version ${version.slice(0, 20)} is not served here: ${expected}.`);
  const charset = m.params.get('charset');
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return unsupported(
      `charset=${charset.slice(0, 40)} is not accepted: TAXII bodies are JSON in UTF-8; send UTF-8 (charset=utf-8 or no charset).`,
    );
  }
  return undefined;
}
