/**
 * MUST rules of STIX 2.1 §6 (cyber-observable objects) that the JSON schemas cannot state: orderings of two
 * properties, the form of socket options, objects that must carry at least one property of their own. Used by
 * strict validation (strict-checks.ts) on the posted objects; the codes are in rules.ts. Pure.
 */
import { type ContentIssue, issue } from '../issues';
import { expandRegistryHive } from '../values';
import { SCO_COMMON_PROPERTIES } from '../sco-properties';

type Json = Record<string, unknown>;

/** §6.12.3: socket option names start with one of these prefixes, and their values are integers. */
const SOCKET_OPTION_PREFIX = /^(SO|ICMP|ICMP6|IP|IPV6|MCAST|TCP|IRLMP)_/;

/**
 * The common SCO properties (src/stix/sco-properties.ts) other than `extensions`: an object of the types below
 * needs one more, and a property of one of its extensions counts (§6.13 process, §6.18 x509-certificate: "at
 * least one property (other than type) from this object or one of its extensions").
 */
const COMMON_SCO_PROPERTIES: ReadonlySet<string> = new Set(SCO_COMMON_PROPERTIES.filter((p) => p !== 'extensions'));
const NEEDS_OWN_PROPERTY: ReadonlySet<string> = new Set(['process', 'x509-certificate']);

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The §6 checks of one posted SCO. */
export function scoIssues(obj: Json, type: string, id: string): ContentIssue[] {
  const out: ContentIssue[] = [];
  if (type === 'network-traffic') checkNetworkTraffic(obj, id, out);
  const key = obj['key'];
  if (type === 'windows-registry-key' && typeof key === 'string' && expandRegistryHive(key) !== key) {
    out.push(
      issue(
        'error',
        'REGISTRY_HIVE_ABBREVIATED',
        '/key',
        `registry key '${key.slice(0, 80)}' abbreviates its hive (§6.17: written in full)`,
        id,
      ),
    );
  }
  if (NEEDS_OWN_PROPERTY.has(type)) {
    const own = Object.keys(obj).filter((k) => !COMMON_SCO_PROPERTIES.has(k) && !k.startsWith('x_'));
    const extensions = obj['extensions'];
    const onlyEmptyExtensions =
      own.length === 1 && own[0] === 'extensions' && (!isJson(extensions) || Object.keys(extensions).length === 0);
    if (own.length === 0 || onlyEmptyExtensions) {
      out.push(
        issue('error', 'SCO_WITHOUT_PROPERTIES', '/', `a ${type} must carry at least one property of its own besides type and id`, id),
      );
    }
  }
  return out;
}

function checkNetworkTraffic(obj: Json, id: string, out: ContentIssue[]): void {
  const start = obj['start'];
  const end = obj['end'];
  if (typeof start === 'string' && typeof end === 'string') {
    const s = Date.parse(start);
    const e = Date.parse(end);
    if (!Number.isNaN(s) && !Number.isNaN(e) && e < s) {
      out.push(
        issue(
          'error',
          'NETWORK_TRAFFIC_END_BEFORE_START',
          '/end',
          `end ${end.slice(0, 40)} is earlier than start ${start.slice(0, 40)}`,
          id,
        ),
      );
    }
  }
  const extensions = obj['extensions'];
  const socket = isJson(extensions) ? extensions['socket-ext'] : undefined;
  const options = isJson(socket) ? socket['options'] : undefined;
  if (!isJson(options)) return;
  for (const [name, value] of Object.entries(options)) {
    const badName = !SOCKET_OPTION_PREFIX.test(name);
    const badValue = typeof value !== 'number' || !Number.isInteger(value);
    if (!badName && !badValue) continue;
    const why = badName
      ? 'does not start with SO_, ICMP_, ICMP6_, IP_, IPV6_, MCAST_, TCP_ or IRLMP_'
      : 'has a value that is not an integer';
    out.push(
      issue(
        'error',
        'SOCKET_OPTION_INVALID',
        `/extensions/socket-ext/options/${name}`,
        `socket option ${JSON.stringify(name).slice(0, 60)} ${why}`,
        id,
      ),
    );
  }
}
