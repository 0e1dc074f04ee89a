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
  checkForms(obj, type, id, out);
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

/**
 * A CPE 2.3 formatted string (NIST IR 7695 §6.2): `cpe:2.3:` a part (a, o, h, * or -) and ten more components,
 * each `*`, `-` or value characters (letters, digits, `-._`, punctuation escaped with a backslash) with optional
 * `*`/`?` wildcards at either end.
 */
const CPE_COMPONENT = /(?:[*-]|(?:\?+|\*)?(?:[A-Za-z0-9._-]|\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~])+(?:\?+|\*)?)/.source;
const CPE_23 = new RegExp(`^cpe:2\\.3:[aho*-](?::${CPE_COMPONENT}){10}$`);
/** ISO 639-2: three lower-case letters. */
const ISO_639_2 = /^[a-z]{3}$/;
/** An IANA media type without parameters: a registered top-level type, `/`, a subtype (RFC 6838 §4.2). */
const MEDIA_TYPE =
  /^(application|audio|example|font|haptics|image|message|model|multipart|text|video)\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/** An IANA character set name (RFC 2978 §2.3: up to 40 printable characters, no spaces). */
const CHARSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_()\-.:+]{0,39}$/;

/** The value forms of §6.1 artifact `mime_type`, §6.5/§6.7 `path_enc`/`name_enc`, §6.14 software `cpe` and `languages`. */
function checkForms(obj: Json, type: string, id: string, out: ContentIssue[]): void {
  const bad = (path: string, what: string, value: string): void => {
    out.push(issue('error', 'SCO_PROPERTY_FORM', path, `${JSON.stringify(value.slice(0, 80))} is not ${what}`, id));
  };
  const text = (key: string): string | undefined => {
    const v = obj[key];
    return typeof v === 'string' ? v : undefined;
  };
  const mime = text('mime_type');
  if (type === 'artifact' && mime !== undefined && !MEDIA_TYPE.test(mime)) bad('/mime_type', 'an IANA media type (type/subtype)', mime);
  const enc = type === 'file' ? text('name_enc') : type === 'directory' ? text('path_enc') : undefined;
  if (enc !== undefined && !CHARSET_NAME.test(enc)) bad(type === 'file' ? '/name_enc' : '/path_enc', 'an IANA character set name', enc);
  if (type !== 'software') return;
  const cpe = text('cpe');
  if (cpe !== undefined && !CPE_23.test(cpe)) bad('/cpe', 'a CPE 2.3 formatted string (cpe:2.3:part:vendor:product:…)', cpe);
  const languages = obj['languages'];
  if (!Array.isArray(languages)) return;
  languages.forEach((l: unknown, i) => {
    if (typeof l === 'string' && !ISO_639_2.test(l)) bad(`/languages/${i}`, 'an ISO 639-2 language code', l);
  });
}
