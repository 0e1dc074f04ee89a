/**
 * STIX 2.1 → plain-text IOC list: one value per line, grouped in sections by type under `# <heading>` lines
 * that importTxt reads back as typed sections; optionally defanged so nothing in the list is clickable.
 * Everything but the values is lost (reported once per object that had structure a list cannot hold).
 */
import { issue, type ContentIssue } from '../../stix/issues';
import { contextName } from '../common/context-names';
import { forEachExported, type ExportKind } from '../csv/export-values';
import type { ExportResult, StixObject } from '../types';
import { EXPORT_SECTIONS } from './sections';

export interface TxtExportOptions {
  /** Write `hxxp`, `[.]` and `[@]` instead of the live values (default false). */
  readonly defang?: boolean;
}

const DEFANGED_KINDS: ReadonlySet<ExportKind> = new Set<ExportKind>(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr']);

/** Defangs one value: scheme `http` → `hxxp`, every `.` of the host part → `[.]`, `@` → `[@]`. */
export function defang(value: string, kind: ExportKind): string {
  if (!DEFANGED_KINDS.has(kind)) return value;
  if (kind === 'ipv6-addr') return value.replace(/:/g, '[:]');
  if (kind === 'url') {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(value);
    const scheme = m?.[1];
    const host = m?.[2] ?? value.split(/[/?#]/)[0] ?? value;
    const rest = m ? (m[3] ?? '') : value.slice(host.length);
    const fangless = scheme === undefined ? '' : `${scheme.replace(/^http/i, 'hxxp').replace(/^ftp/i, 'fxp')}://`;
    return `${fangless}${host.replace(/\./g, '[.]')}${rest}`;
  }
  return value.replace(/\./g, '[.]').replace(/@/g, '[@]');
}

/** Writes the values of the objects as a sectioned text list. */
export function exportTxt(objects: readonly StixObject[], options: TxtExportOptions = {}): ExportResult {
  const issues: ContentIssue[] = [];
  const byKind = new Map<ExportKind, Set<string>>();
  const context: string[] = [];
  forEachExported(objects, 'TXT', issues, {
    skipped: (o, path) => {
      const name = contextName(o);
      if (name !== undefined) {
        const description = o['description'];
        context.push(`${o.type} ${JSON.stringify(name)}${typeof description === 'string' ? `: ${description}` : ''}`);
      }
      issues.push(
        issue(
          'info',
          'EXPORT_OBJECT_SKIPPED',
          path,
          `TXT: a ${o.type} has no place in an IOC list${name === undefined ? '' : `; its name ${JSON.stringify(name)} is kept in a closing comment`}`,
          o.id,
        ),
      );
    },
    values: (o, path, groups) => {
      for (const group of groups) {
        if (group.length > 1 && group.some((v) => v.kind !== group[0]?.kind)) {
          issues.push(
            issue('info', 'EXPORT_GROUP_SPLIT', path, 'TXT: alternative values of one object are written on separate lines', o.id),
          );
        }
        for (const v of group) {
          const set = byKind.get(v.kind) ?? new Set<string>();
          // A value of no list type is kept with its STIX path, written in a comment block (otherValuesComment).
          set.add(v.kind === 'other' ? `${v.stixPath ?? 'other'} = ${JSON.stringify(v.value)}` : v.value);
          byKind.set(v.kind, set);
        }
      }
    },
  });
  const sections: string[] = [];
  for (const [kind, heading] of EXPORT_SECTIONS) {
    const values = byKind.get(kind);
    if (values === undefined || values.size === 0) continue;
    // A value holding a line break would be read back as two values.
    const lines = [...values].filter((v) => !/[\r\n]/.test(v)).map((v) => (options.defang === true ? defang(v, kind) : v));
    if (lines.length < values.size) {
      issues.push(
        issue(
          'warning',
          'EXPORT_VALUE_MULTILINE',
          '/objects',
          `TXT: ${values.size - lines.length} ${kind} value(s) with line breaks left out`,
        ),
      );
    }
    sections.push(`# ${heading}\n${lines.join('\n')}\n`);
  }
  const others = otherValuesComment(byKind.get('other'));
  if (others !== undefined) sections.push(others);
  if (context.length > 0) sections.push(contextComment(context));
  return { output: sections.join('\n'), issues };
}

/** Named objects the values belong to (the malware they indicate), as closing comment lines like the block below. */
function contextComment(lines: readonly string[]): string {
  return `# Context of these values (not values):\n${lines.map((l) => `# ${l.replace(/[\r\n]+/g, ' ')}`).join('\n')}\n`;
}

/**
 * Values of no list type (an app id, a registry key, a file path without its name): kept as comment lines at
 * the very end, `# <STIX path> = "<value>"`, so a reader sees them and a re-import does not take them for
 * indicators of another type (comments are not read as values, and nothing follows that a heading could type).
 */
function otherValuesComment(values: ReadonlySet<string> | undefined): string | undefined {
  if (values === undefined || values.size === 0) return undefined;
  const lines = [...values].map((v) => `# ${v.replace(/[\r\n]+/g, ' ')}`);
  return `# Values without a list type (STIX path = value), kept as comments:\n${lines.join('\n')}\n`;
}
