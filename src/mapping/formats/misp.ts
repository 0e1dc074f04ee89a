/** The misp format's entry of the format table (src/mapping/registry.ts). */
import { exportMisp } from '../misp/export';
import { importMisp } from '../misp/import';
import type { FormatDefinition } from '../format-definition';

export const definition: FormatDefinition = {
  format: 'misp',
  title: 'MISP',
  mediaType: 'application/json',
  extension: 'misp.json',
  import: (input, ctx) => importMisp(input, ctx),
  export: (objects, ctx) =>
    exportMisp(objects, {
      ...(ctx.title === undefined ? {} : { eventInfo: ctx.title }),
      ...(ctx.orgName === undefined ? {} : { orgName: ctx.orgName }),
    }),
};
