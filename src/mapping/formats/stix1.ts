/** The stix1 format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportStix1 } from '../stix1/export';
import { importStix1 } from '../stix1/import';
import type { FormatConverters } from '../format-definition';

export const converters: FormatConverters = {
  import: (input, ctx) => importStix1(input, ctx),
  export: (objects, ctx) => exportStix1(objects, ctx.title === undefined ? {} : { title: ctx.title }),
};
