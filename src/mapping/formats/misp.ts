/** The misp format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportMisp } from '../misp/export';
import { importMisp } from '../misp/import';
import type { FormatConverters } from '../format-definition';

export const converters: FormatConverters = {
  import: (input, ctx) => importMisp(input, ctx),
  export: (objects, ctx) =>
    exportMisp(objects, {
      ...(ctx.title === undefined ? {} : { eventInfo: ctx.title }),
      ...(ctx.orgName === undefined ? {} : { orgName: ctx.orgName }),
    }),
};
