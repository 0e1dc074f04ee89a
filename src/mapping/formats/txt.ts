/** The txt format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportTxt } from '../txt/export';
import { importTxt } from '../txt/import';
import type { FormatConverters } from '../format-definition';

export const converters: FormatConverters = {
  import: (input, ctx) => importTxt(input, ctx.tlp === undefined ? ctx : { ...ctx, tlp: ctx.tlp }),
  export: (objects, ctx) => exportTxt(objects, { defang: ctx.defang === true }),
};
