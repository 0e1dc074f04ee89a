/**
 * Top-level domains used to tell a domain name from a prose word or a file name (`readme.txt`, `e.g`).
 * Data only: every ISO 3166 country-code TLD plus the generic TLDs that show up in threat reports.
 * TLDs change over time, so a typed source (a "Domain" column or section) is trusted even when its TLD is
 * not listed here; only inference from untyped text depends on this list.
 */

/** Country-code TLDs (ISO 3166-1 alpha-2 plus the exceptionally reserved `ac`, `eu`, `su`, `uk`). */
export const COUNTRY_CODE_TLDS: readonly string[] = [
  'ac', 'ad', 'ae', 'af', 'ag', 'ai', 'al', 'am', 'ao', 'aq', 'ar', 'as', 'at', 'au', 'aw', 'ax', 'az',
  'ba', 'bb', 'bd', 'be', 'bf', 'bg', 'bh', 'bi', 'bj', 'bm', 'bn', 'bo', 'bq', 'br', 'bs', 'bt', 'bw', 'by', 'bz',
  'ca', 'cc', 'cd', 'cf', 'cg', 'ch', 'ci', 'ck', 'cl', 'cm', 'cn', 'co', 'cr', 'cu', 'cv', 'cw', 'cx', 'cy', 'cz',
  'de', 'dj', 'dk', 'dm', 'do', 'dz',
  'ec', 'ee', 'eg', 'er', 'es', 'et', 'eu',
  'fi', 'fj', 'fk', 'fm', 'fo', 'fr',
  'ga', 'gd', 'ge', 'gf', 'gg', 'gh', 'gi', 'gl', 'gm', 'gn', 'gp', 'gq', 'gr', 'gs', 'gt', 'gu', 'gw', 'gy',
  'hk', 'hm', 'hn', 'hr', 'ht', 'hu',
  'id', 'ie', 'il', 'im', 'in', 'io', 'iq', 'ir', 'is', 'it',
  'je', 'jm', 'jo', 'jp',
  'ke', 'kg', 'kh', 'ki', 'km', 'kn', 'kp', 'kr', 'kw', 'ky', 'kz',
  'la', 'lb', 'lc', 'li', 'lk', 'lr', 'ls', 'lt', 'lu', 'lv', 'ly',
  'ma', 'mc', 'md', 'me', 'mg', 'mh', 'mk', 'ml', 'mm', 'mn', 'mo', 'mp', 'mq', 'mr', 'ms', 'mt', 'mu', 'mv', 'mw',
  'mx', 'my', 'mz',
  'na', 'nc', 'ne', 'nf', 'ng', 'ni', 'nl', 'no', 'np', 'nr', 'nu', 'nz',
  'om',
  'pa', 'pe', 'pf', 'pg', 'ph', 'pk', 'pl', 'pm', 'pn', 'pr', 'ps', 'pt', 'pw', 'py',
  'qa',
  're', 'ro', 'rs', 'ru', 'rw',
  'sa', 'sb', 'sc', 'sd', 'se', 'sg', 'sh', 'si', 'sk', 'sl', 'sm', 'sn', 'so', 'sr', 'ss', 'st', 'su', 'sv', 'sx',
  'sy', 'sz',
  'tc', 'td', 'tf', 'tg', 'th', 'tj', 'tk', 'tl', 'tm', 'tn', 'to', 'tr', 'tt', 'tv', 'tw', 'tz',
  'ua', 'ug', 'uk', 'us', 'uy', 'uz',
  'va', 'vc', 've', 'vg', 'vi', 'vn', 'vu',
  'wf', 'ws',
  'ye', 'yt',
  'za', 'zm', 'zw',
];

/** Internationalized country-code TLDs in their ASCII (punycode) form, and the Cyrillic ones as written. */
export const IDN_COUNTRY_CODE_TLDS: readonly string[] = [
  'xn--p1ai', 'рф', 'xn--90ais', 'бел', 'xn--j1amh', 'укр', 'xn--d1alf', 'мкд', 'xn--90a3ac', 'срб',
  'xn--fiqs8s', 'xn--fiqz9s', 'xn--wgbh1c', 'xn--mgbaam7a8h', 'xn--80ao21a', 'қаз',
];

/** Generic TLDs: the original ones, and the new gTLDs commonly seen in phishing and malware infrastructure. */
export const GENERIC_TLDS: readonly string[] = [
  'com', 'net', 'org', 'info', 'biz', 'edu', 'gov', 'mil', 'int', 'arpa', 'name', 'pro', 'mobi', 'aero', 'asia',
  'cat', 'coop', 'jobs', 'museum', 'tel', 'travel', 'xxx', 'post',
  // Special-use names that threat reports treat as domains (Tor hidden services).
  'onion',
  'app', 'art', 'bar', 'best', 'bid', 'bike', 'blog', 'buzz', 'cab', 'cafe', 'cam', 'camera', 'capital', 'care',
  'cash', 'center', 'chat', 'cheap', 'city', 'click', 'cloud', 'club', 'codes', 'company', 'computer', 'cool',
  'date', 'dev', 'digital', 'download', 'email', 'energy', 'exchange', 'express', 'fail', 'faith', 'fun', 'fund',
  'finance', 'games', 'gdn', 'global', 'gold', 'group', 'guru', 'host', 'hosting', 'icu', 'inc', 'ink', 'io',
  'kim', 'lab', 'land', 'life', 'link', 'live', 'loan', 'lol', 'ltd', 'market', 'media', 'men', 'moe', 'money',
  'mov', 'network', 'news', 'ninja', 'one', 'online', 'ooo', 'page', 'party', 'pics', 'pink', 'plus', 'press',
  'pub', 'racing', 'red', 'ren', 'review', 'rocks', 'run', 'science', 'services', 'shop', 'site', 'social',
  'software', 'solutions', 'space', 'stream', 'studio', 'store', 'support', 'systems', 'team', 'tech',
  'technology', 'tips', 'today', 'tokyo', 'tools', 'top', 'trade', 'uno', 'vip', 'wang', 'webcam', 'website',
  'wiki', 'win', 'work', 'works', 'world', 'wtf', 'xin', 'xyz', 'zip', 'zone',
  'google', 'microsoft', 'amazon', 'apple', 'yandex', 'moscow', 'berlin', 'london', 'paris', 'nyc',
  'academy', 'agency', 'business', 'casa', 'casino', 'church', 'community', 'consulting', 'design', 'directory',
  'domains', 'education', 'events', 'expert', 'farm', 'foundation', 'gallery', 'health', 'help', 'holdings',
  'house', 'institute', 'international', 'legal', 'limited', 'management', 'marketing', 'monster', 'new',
  'partners', 'photo', 'photos', 'pictures', 'poker', 'properties', 'realty', 'rest', 'sale', 'security', 'sex',
  'shopping', 'show', 'ski', 'sport', 'surf', 'tax', 'tours', 'town', 'toys', 'trading', 'tube', 'video', 'vin',
  'vision', 'vote', 'watch', 'web', 'bond', 'quest', 'beauty', 'hair', 'skin', 'makeup', 'lat', 'sbs', 'cfd',
  'autos', 'boats', 'homes', 'motorcycles', 'yachts', 'mom', 'baby', 'tattoo', 'gay', 'fit', 'fyi', 'how',
  'observer', 'rip', 'wales', 'scot', 'bzh', 'krd', 'africa', 'kiwi', 'ovh', 'nrw', 'bayern', 'hamburg', 'swiss',
  'lgbt', 'love', 'onl', 'rodeo', 'cyou', 'llc', 'accountant', 'cricket', 'coffee', 'cymru',
];

const ALL = new Set<string>([...COUNTRY_CODE_TLDS, ...IDN_COUNTRY_CODE_TLDS, ...GENERIC_TLDS]);

/** True when `label` (without the dot, any case) is a known top-level domain. */
export function isKnownTld(label: string): boolean {
  return ALL.has(label.toLowerCase());
}

/**
 * File extensions that are not TLDs, plus the few (`zip`, `mov`) that are TLDs but far more often name a
 * file: a two-label value ending in one of these (`invoice.pdf`, `archive.zip`) is a file name.
 */
export const FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe', 'dll', 'sys', 'drv', 'ocx', 'cpl', 'scr', 'com_', 'msi', 'msp', 'msu', 'lnk', 'pif', 'hta', 'chm',
  'pdf', 'txt', 'rtf', 'doc', 'docx', 'docm', 'dot', 'dotm', 'dotx', 'xls', 'xlsx', 'xlsm', 'xlsb', 'xll', 'xla',
  'ppt', 'pptx', 'pptm', 'odt', 'ods', 'odp', 'csv', 'xml', 'html', 'htm', 'mht', 'eml', 'msg', 'one',
  'js', 'jse', 'vbs', 'vbe', 'wsf', 'wsh', 'ps1', 'psm1', 'psd1', 'bat', 'cmd', 'jar', 'class', 'py', 'pyc',
  'php', 'asp', 'aspx', 'jsp', 'elf', 'bin', 'dat', 'tmp', 'log', 'ini', 'cfg', 'conf', 'reg', 'inf', 'iso',
  'img', 'vhd', 'vhdx', 'zip', 'rar', '7z', 'gz', 'tgz', 'bz2', 'xz', 'tar', 'cab', 'arj', 'ace', 'apk', 'dex',
  'dmg', 'pkg', 'deb', 'rpm', 'app', 'jpg', 'jpeg', 'png', 'gif', 'bmp', 'ico', 'svg', 'mp3', 'mp4', 'avi', 'mov',
  'wav', 'so', 'dylib', 'ko', 'o', 'a', 'lib', 'pdb', 'key', 'pem', 'crt', 'cer', 'der', 'pfx', 'p12',
  'db', 'sqlite', 'json', 'yml', 'yaml', 'md', 'sh', 'pl', 'rb', 'lua', 'go', 'c', 'cpp', 'h', 'cs', 'vb',
  'gadget', 'application', 'appx', 'msix', 'wim', 'xsl', 'sct', 'ws', 'lzh', 'uue',
]);

/**
 * Extensions that are also TLDs but that a report mentions far more often as files (archives, videos,
 * OneNote and cabinet files, Python scripts): a two-label value ending in one of these is a file name.
 */
const FILE_FIRST_EXTENSIONS: ReadonlySet<string> = new Set(['zip', 'mov', 'cab', 'one', 'py']);

/**
 * Extensions in FILE_EXTENSIONS that are also TLDs and stay domains (`.app`, `.md`, `.sh`, `.pl`, `.so`,
 * `.ws`): `onet.pl` is a Polish domain far more often than a Perl script in a threat report.
 */
export const DOMAIN_FIRST_EXTENSIONS: ReadonlySet<string> = new Set(
  [...FILE_EXTENSIONS].filter((ext) => ALL.has(ext) && !FILE_FIRST_EXTENSIONS.has(ext)),
);
