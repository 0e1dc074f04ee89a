/** The stix1 format's entry of the format table (src/mapping/registry.ts). */
import { exportStix1 } from '../stix1/export';
import { importStix1 } from '../stix1/import';
import type { FormatDefinition } from '../format-definition';

export const definition: FormatDefinition = {
  format: 'stix1',
  title: 'STIX 1.x',
  mediaType: 'application/xml',
  extension: 'stix1.xml',
  import: (input, ctx) => importStix1(input, ctx),
  export: (objects, ctx) => exportStix1(objects, ctx.title === undefined ? {} : { title: ctx.title }),
};
