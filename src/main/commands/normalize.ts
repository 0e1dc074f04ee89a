/**
 * `normalize [FILE|-]`: prints the canonical STIX 2.1 bundle of the input (2.0 upgraded, values, patterns,
 * timestamps and SCO ids canonical), the changes on stderr. Objects that cannot be made valid are left out,
 * their issues printed on stderr, and the exit code is 1.
 *
 * Memory stays bounded for any input size: objects are prepared in batches and spooled to a temporary file
 * as JSON lines; a second pass writes the bundle, rewriting references to SCO ids that a later batch changed.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseStixId } from '../../stix/identifiers';
import { isJsonObject } from '../../stix/semantic/prescreen';
import { BundleWriter } from '../../stix/normalize/bundle-stream';
import { rewriteRefs } from '../../stix/prepare';
import type { Command } from '../cli-types';
import { command } from '../define-command';
import { NORMALIZE_HELP, OFFLINE_SPEC, formatIssue, parseOfflineArgs, prepareStream, reportFault } from './validate';

export const normalizeCommand: Command = command(NORMALIZE_HELP, OFFLINE_SPEC, async (argv, io) => {
  const args = parseOfflineArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`normalize: ${args}\n\n${NORMALIZE_HELP}`);
    return 2;
  }
  if (args.help) {
    io.stdout(NORMALIZE_HELP);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'stix-normalize-'));
  const spool = join(dir, 'objects.jsonl');
  const fd = openSync(spool, 'w');
  const idMap = new Map<string, string>();
  let failures = 0;
  let header: Readonly<Record<string, unknown>>;
  try {
    try {
      header = await prepareStream(args.file, io, args.options, (o, offset) => {
        if (o.ok) {
          writeSync(fd, `${o.object.json}\n`);
          if (o.object.postedId !== undefined) idMap.set(o.object.postedId, o.object.id);
          for (const i of o.object.changes) io.stderr(formatIssue(i, o.object.id));
          return;
        }
        failures++;
        for (const i of o.issues) io.stderr(formatIssue(i, o.id ?? `objects[${offset + o.index}]`));
      });
    } finally {
      closeSync(fd);
    }
    const postedBundleId = typeof header['id'] === 'string' ? header['id'] : '';
    const bundleId = parseStixId(postedBundleId)?.type === 'bundle' ? postedBundleId : `bundle--${randomUUID()}`;
    const writer = new BundleWriter(io.stdout);
    writer.begin(bundleId);
    const lines = createInterface({ input: createReadStream(spool, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.length === 0) continue;
      writer.object(idMap.size === 0 ? line : rewriteLine(line, idMap));
    }
    writer.end();
  } catch (e) {
    return reportFault(e, args.file, io);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failures === 0 ? 0 : 1;
});

/** Rewrites references of one stored object through the ids changed anywhere in the input. */
function rewriteLine(line: string, idMap: ReadonlyMap<string, string>): string {
  const obj: unknown = JSON.parse(line);
  if (!isJsonObject(obj)) return line;
  const rewritten = rewriteRefs(obj, idMap);
  return rewritten === obj ? line : JSON.stringify(rewritten);
}
