/**
 * STIX 2.1 object paths → CybOX 2.1 object properties, for both kinds of export: pattern comparisons (each
 * value carries a `condition`) and SCO instances (plain values). One table says where each path of each SCO
 * type goes in CybOX (the reverse of `cybox-objects.ts`); `cyboxProperties` builds the nested elements, so
 * values of one object share their parents (one Header, one Hashes, one Recipient per address).
 */
import { escapeXmlAttr as ea, escapeXmlText as et } from '../common/xml';
import { VERSION_INFO_FIELDS, versionInfoPath } from './export-openioc';
import { RECEIVED_ELEMENTS, receivedPath } from './export-email';
import { SCO_TYPES } from '../../stix/identifiers';
import { HASH_NAMES_OUT } from './vocab';

/** One value of an object: its rendered 2.1 path (`hashes.'SHA-256'`, `to_refs[*].value`) and its XML. */
export interface CyboxItem {
  readonly path: string;
  readonly text: string;
  /** Attributes of the value element (` condition="Equals"`), '' for instances. */
  readonly attrs: string;
  /** List position(s) of an instance value (`1` for the second section): items of one group share elements. */
  readonly group?: string;
}

interface Step {
  readonly name: string;
  readonly attrs?: string;
  /** A new element for every item (list members), instead of sharing one. */
  readonly each?: boolean;
  /** With `each`: items whose group plus this suffix are equal share the element (a hash's type and value). */
  readonly groupSuffix?: string;
}

interface ObjectOut {
  readonly xsiType: string;
  readonly typeAttrs?: string;
  /** A custom STIX type: every value is a CybOX custom property named by its path. */
  readonly custom?: boolean;
  readonly paths: Readonly<Record<string, readonly Step[]>>;
}

const s = (name: string, attrs?: string, each?: boolean): Step => ({
  name,
  ...(attrs === undefined ? {} : { attrs }),
  ...(each === true ? { each } : {}),
});

function address(category: string): ObjectOut {
  return {
    xsiType: 'AddressObj:AddressObjectType',
    typeAttrs: ` category="${category}"`,
    paths: { value: [s('AddressObj:Address_Value')] },
  };
}

const HTTP = [
  'NetworkConnectionObj:Layer7_Connections',
  'NetworkConnectionObj:HTTP_Session',
  'HTTPSessionObj:HTTP_Request_Response',
  'HTTPSessionObj:HTTP_Client_Request',
];
const HTTP_LINE = [...HTTP, 'HTTPSessionObj:HTTP_Request_Line'];
const HTTP_HEADER = [...HTTP, 'HTTPSessionObj:HTTP_Request_Header', 'HTTPSessionObj:Parsed_Header'];
const steps = (...names: readonly string[]): Step[] => names.map((n) => s(n));
const side = (which: 'Source' | 'Destination', ...rest: readonly Step[]): Step[] => [
  s(`NetworkConnectionObj:${which}_Socket_Address`),
  ...rest,
];

/** One opened connection of a process: a NetworkConnection inside the process's Network_Connection_List. */
const CONNECTION = [s('ProcessObj:Network_Connection_List'), s('ProcessObj:Network_Connection', undefined, true)];

const PROCESS_PATHS: Readonly<Record<string, readonly Step[]>> = {
  pid: steps('ProcessObj:PID'),
  'image_ref.name': steps('ProcessObj:Name'),
  // `name` is a STIX 2.0 process property (2.1 has it on the image file); patterns written for 2.0 use it
  name: steps('ProcessObj:Name'),
  created_time: steps('ProcessObj:Creation_Time'),
  // `created` is the STIX 2.0 name of created_time (patterns written for 2.0 use it)
  created: steps('ProcessObj:Creation_Time'),
  'parent_ref.pid': steps('ProcessObj:Parent_PID'),
  'child_refs[*].pid': [s('ProcessObj:Child_PID_List'), s('ProcessObj:Child_PID', undefined, true)],
  command_line: steps('ProcessObj:Image_Info', 'ProcessObj:Command_Line'),
  cwd: steps('ProcessObj:Image_Info', 'ProcessObj:Current_Directory'),
  'image_ref.parent_directory_ref.path': steps('ProcessObj:Image_Info', 'ProcessObj:Path'),
  'arguments[*]': [s('ProcessObj:Argument_List'), s('ProcessObj:Argument', undefined, true)],
  'opened_connection_refs[*].protocols[*]': [...CONNECTION, s('NetworkConnectionObj:Layer4_Protocol')],
  'opened_connection_refs[*].src_ref.value': [
    ...CONNECTION,
    s('NetworkConnectionObj:Source_Socket_Address'),
    s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'),
    s('AddressObj:Address_Value'),
  ],
  'opened_connection_refs[*].src_port': [
    ...CONNECTION,
    s('NetworkConnectionObj:Source_Socket_Address'),
    s('SocketAddressObj:Port'),
    s('PortObj:Port_Value'),
  ],
  'opened_connection_refs[*].dst_ref.value': [
    ...CONNECTION,
    s('NetworkConnectionObj:Destination_Socket_Address'),
    s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'),
    s('AddressObj:Address_Value'),
  ],
  'opened_connection_refs[*].dst_port': [
    ...CONNECTION,
    s('NetworkConnectionObj:Destination_Socket_Address'),
    s('SocketAddressObj:Port'),
    s('PortObj:Port_Value'),
  ],
};

/** HTTP request header fields (CybOX HTTPRequestHeaderFieldsType, in schema order) and their header names. */
const HTTP_HEADER_FIELDS: readonly (readonly [string, string])[] = [
  ['Accept', 'Accept'],
  ['Accept-Charset', 'Accept_Charset'],
  ['Accept-Language', 'Accept_Language'],
  ['Accept-Datetime', 'Accept_Datetime'],
  ['Accept-Encoding', 'Accept_Encoding'],
  ['Authorization', 'Authorization'],
  ['Cache-Control', 'Cache_Control'],
  ['Connection', 'Connection'],
  ['Cookie', 'Cookie'],
  ['Content-Length', 'Content_Length'],
  ['Content-MD5', 'Content_MD5'],
  ['Content-Type', 'Content_Type'],
  ['Date', 'Date'],
  ['Expect', 'Expect'],
];
const HTTP_HEADER_FIELDS_2: readonly (readonly [string, string])[] = [
  ['If-Match', 'If_Match'],
  ['If-Modified-Since', 'If_Modified_Since'],
  ['If-None-Match', 'If_None_Match'],
  ['If-Range', 'If_Range'],
  ['If-Unmodified-Since', 'If_Unmodified_Since'],
  ['Max-Forwards', 'Max_Forwards'],
  ['Pragma', 'Pragma'],
  ['Proxy-Authorization', 'Proxy_Authorization'],
  ['Range', 'Range'],
  ['Referer', 'Referer'],
  ['TE', 'TE'],
  ['User-Agent', 'User_Agent'],
  ['Via', 'Via'],
  ['Warning', 'Warning'],
  ['DNT', 'DNT'],
  ['X-Requested-With', 'X_Requested_With'],
  ['X-Forwarded-For', 'X_Forwarded_For'],
  ['X-Forwarded-Proto', 'X_Forwarded_Proto'],
  ['X-ATT-DeviceId', 'X_ATT_DeviceId'],
  ['X-Wap-Profile', 'X_Wap_Profile'],
];
const REQUEST_HEADER = "extensions.'http-request-ext'.request_header.";
const headerKey = (name: string): string => `${REQUEST_HEADER}${/^[A-Za-z0-9_]+$/.test(name) ? name : `'${name}'`}`;
const headerPaths = (fields: readonly (readonly [string, string])[]): Record<string, readonly Step[]> =>
  Object.fromEntries(fields.map(([name, el]) => [headerKey(name), steps(...HTTP_HEADER, `HTTPSessionObj:${el}`)]));

/** The address fields of an email header. */
const EMAIL_ADDRESS_PATHS: Readonly<Record<string, readonly Step[]>> = {
  'to_refs[*].value': [
    s('EmailMessageObj:Header'),
    s('EmailMessageObj:To'),
    s('EmailMessageObj:Recipient', ' category="e-mail"', true),
    s('AddressObj:Address_Value'),
  ],
  'cc_refs[*].value': [
    s('EmailMessageObj:Header'),
    s('EmailMessageObj:CC'),
    s('EmailMessageObj:Recipient', ' category="e-mail"', true),
    s('AddressObj:Address_Value'),
  ],
  'bcc_refs[*].value': [
    s('EmailMessageObj:Header'),
    s('EmailMessageObj:BCC'),
    s('EmailMessageObj:Recipient', ' category="e-mail"', true),
    s('AddressObj:Address_Value'),
  ],
  'from_ref.value': [s('EmailMessageObj:Header'), s('EmailMessageObj:From', ' category="e-mail"'), s('AddressObj:Address_Value')],
  'sender_ref.value': [s('EmailMessageObj:Header'), s('EmailMessageObj:Sender', ' category="e-mail"'), s('AddressObj:Address_Value')],
};

/** Where each 2.1 path of each SCO type goes (element steps below `cybox:Properties`). */
const OBJECTS: Readonly<Record<string, ObjectOut>> = {
  'ipv4-addr': address('ipv4-addr'),
  'ipv6-addr': address('ipv6-addr'),
  'email-addr': address('e-mail'),
  'mac-addr': address('mac'),
  'domain-name': {
    xsiType: 'DomainNameObj:DomainNameObjectType',
    typeAttrs: ' type="FQDN"',
    paths: { value: steps('DomainNameObj:Value') },
  },
  url: { xsiType: 'URIObj:URIObjectType', typeAttrs: ' type="URL"', paths: { value: steps('URIObj:Value') } },
  mutex: { xsiType: 'MutexObj:MutexObjectType', paths: { name: steps('MutexObj:Name') } },
  'autonomous-system': {
    xsiType: 'ASObj:ASObjectType',
    paths: { number: steps('ASObj:Number'), name: steps('ASObj:Name'), rir: steps('ASObj:Regional_Internet_Registry') },
  },
  file: {
    xsiType: 'FileObj:FileObjectType',
    paths: {
      name: steps('FileObj:File_Name'),
      'parent_directory_ref.path': steps('FileObj:File_Path'),
      size: steps('FileObj:Size_In_Bytes'),
    },
  },
  'windows-registry-key': {
    xsiType: 'WinRegistryKeyObj:WindowsRegistryKeyObjectType',
    paths: {
      key: steps('WinRegistryKeyObj:Key'),
      'values[*].name': steps('WinRegistryKeyObj:Values', 'WinRegistryKeyObj:Value', 'WinRegistryKeyObj:Name'),
      'values[*].data': steps('WinRegistryKeyObj:Values', 'WinRegistryKeyObj:Value', 'WinRegistryKeyObj:Data'),
      'values[*].data_type': steps('WinRegistryKeyObj:Values', 'WinRegistryKeyObj:Value', 'WinRegistryKeyObj:Datatype'),
      modified_time: steps('WinRegistryKeyObj:Modified_Time'),
    },
  },
  'email-message': {
    xsiType: 'EmailMessageObj:EmailMessageObjectType',
    paths: {
      'additional_header_fields.Received': steps('EmailMessageObj:Header', 'EmailMessageObj:Received_Lines', 'EmailMessageObj:Received'),
      'additional_header_fields.Received[*]': [
        s('EmailMessageObj:Header'),
        s('EmailMessageObj:Received_Lines'),
        s('EmailMessageObj:Received', undefined, true),
      ],
      ...Object.fromEntries(
        RECEIVED_ELEMENTS.map((e) => [
          receivedPath(e),
          [
            s('EmailMessageObj:Header'),
            s('EmailMessageObj:Received_Lines'),
            s('EmailMessageObj:Received', undefined, true),
            s(`EmailMessageObj:${e}`),
          ],
        ]),
      ),
      // STIX 2.0 patterns also compare the reference itself with the address (`to_refs[*] = 'bob@example.com'`)
      ...Object.fromEntries(
        Object.entries(EMAIL_ADDRESS_PATHS).flatMap(([p, st]) => [
          [p, st],
          [p.replace(/\.value$/, ''), st],
        ]),
      ),
      "additional_header_fields.'Reply-To'": [
        s('EmailMessageObj:Header'),
        s('EmailMessageObj:Reply_To', ' category="e-mail"'),
        s('AddressObj:Address_Value'),
      ],
      subject: steps('EmailMessageObj:Header', 'EmailMessageObj:Subject'),
      "additional_header_fields.'In-Reply-To'": steps('EmailMessageObj:Header', 'EmailMessageObj:In_Reply_To'),
      date: steps('EmailMessageObj:Header', 'EmailMessageObj:Date'),
      message_id: steps('EmailMessageObj:Header', 'EmailMessageObj:Message_ID'),
      "additional_header_fields.'Errors-To'": steps('EmailMessageObj:Header', 'EmailMessageObj:Errors_To'),
      'additional_header_fields.Boundary': steps('EmailMessageObj:Header', 'EmailMessageObj:Boundary'),
      content_type: steps('EmailMessageObj:Header', 'EmailMessageObj:Content_Type'),
      "additional_header_fields.'MIME-Version'": steps('EmailMessageObj:Header', 'EmailMessageObj:MIME_Version'),
      'additional_header_fields.Precedence': steps('EmailMessageObj:Header', 'EmailMessageObj:Precedence'),
      "additional_header_fields.'User-Agent'": steps('EmailMessageObj:Header', 'EmailMessageObj:User_Agent'),
      "additional_header_fields.'X-Mailer'": steps('EmailMessageObj:Header', 'EmailMessageObj:X_Mailer'),
      "additional_header_fields.'X-Originating-IP'": [
        s('EmailMessageObj:Header'),
        s('EmailMessageObj:X_Originating_IP', ' category="ipv4-addr"'),
        s('AddressObj:Address_Value'),
      ],
      "additional_header_fields.'X-Priority'": steps('EmailMessageObj:Header', 'EmailMessageObj:X_Priority'),
      body: steps('EmailMessageObj:Raw_Body'),
    },
  },
  'network-traffic': {
    xsiType: 'NetworkConnectionObj:NetworkConnectionObjectType',
    paths: {
      'protocols[*]|3': steps('NetworkConnectionObj:Layer3_Protocol'),
      'protocols[*]': steps('NetworkConnectionObj:Layer4_Protocol'),
      'protocols[*]|7': steps('NetworkConnectionObj:Layer7_Protocol'),
      'src_ref.value': side('Source', s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'), s('AddressObj:Address_Value')),
      'src_ref.value|ipv6-addr': side('Source', s('SocketAddressObj:IP_Address', ' category="ipv6-addr"'), s('AddressObj:Address_Value')),
      'src_ref.value|domain-name': side('Source', s('SocketAddressObj:Hostname'), s('HostnameObj:Hostname_Value')),
      src_port: side('Source', s('SocketAddressObj:Port'), s('PortObj:Port_Value')),
      'dst_ref.value': side('Destination', s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'), s('AddressObj:Address_Value')),
      'dst_ref.value|ipv6-addr': side(
        'Destination',
        s('SocketAddressObj:IP_Address', ' category="ipv6-addr"'),
        s('AddressObj:Address_Value'),
      ),
      'dst_ref.value|domain-name': side('Destination', s('SocketAddressObj:Hostname'), s('HostnameObj:Hostname_Value')),
      dst_port: side('Destination', s('SocketAddressObj:Port'), s('PortObj:Port_Value')),
      "extensions.'http-request-ext'.request_method": steps(...HTTP_LINE, 'HTTPSessionObj:HTTP_Method'),
      "extensions.'http-request-ext'.request_value": steps(...HTTP_LINE, 'HTTPSessionObj:Value'),
      "extensions.'http-request-ext'.request_version": steps(...HTTP_LINE, 'HTTPSessionObj:Version'),
      ...headerPaths(HTTP_HEADER_FIELDS),
      [headerKey('From')]: [...HTTP_HEADER.map((n) => s(n)), s('HTTPSessionObj:From', ' category="e-mail"'), s('AddressObj:Address_Value')],
      [headerKey('Host')]: steps(...HTTP_HEADER, 'HTTPSessionObj:Host', 'HTTPSessionObj:Domain_Name', 'URIObj:Value'),
      ...headerPaths(HTTP_HEADER_FIELDS_2),
    },
  },
  process: {
    xsiType: 'ProcessObj:ProcessObjectType',
    paths: PROCESS_PATHS,
  },
  'user-account': {
    xsiType: 'UserAccountObj:UserAccountObjectType',
    paths: {
      is_disabled: steps('AccountObj:Disabled'),
      account_created: steps('AccountObj:Creation_Date'),
      display_name: steps('UserAccountObj:Full_Name'),
      account_last_login: steps('UserAccountObj:Last_Login'),
      account_login: steps('UserAccountObj:Username'),
      user_id: steps('UserAccountObj:User_ID'),
    },
  },
  'x509-certificate': {
    xsiType: 'X509CertificateObj:X509CertificateObjectType',
    paths: {
      version: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Version'),
      serial_number: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Serial_Number'),
      signature_algorithm: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Signature_Algorithm'),
      issuer: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Issuer'),
      validity_not_before: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Validity', 'X509CertificateObj:Not_Before'),
      validity_not_after: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Validity', 'X509CertificateObj:Not_After'),
      subject: steps('X509CertificateObj:Certificate', 'X509CertificateObj:Subject'),
      subject_public_key_algorithm: steps(
        'X509CertificateObj:Certificate',
        'X509CertificateObj:Subject_Public_Key',
        'X509CertificateObj:Public_Key_Algorithm',
      ),
    },
  },
  software: {
    xsiType: 'ProductObj:ProductObjectType',
    paths: {
      'languages[*]': [s('ProductObj:Language', undefined, true)],
      name: steps('ProductObj:Product'),
      vendor: steps('ProductObj:Vendor'),
      version: steps('ProductObj:Version'),
    },
  },
  artifact: { xsiType: 'ArtifactObj:ArtifactObjectType', paths: { payload_bin: steps('ArtifactObj:Raw_Artifact') } },
};

const PE = "extensions.'windows-pebinary-ext'";

/** windows-pebinary-ext optional_header properties → CybOX PEOptionalHeaderType elements (schema order). */
const OPTIONAL_HEADER: readonly (readonly [string, string])[] = [
  ['magic_hex', 'Magic'],
  ['major_linker_version', 'Major_Linker_Version'],
  ['minor_linker_version', 'Minor_Linker_Version'],
  ['size_of_code', 'Size_Of_Code'],
  ['size_of_initialized_data', 'Size_Of_Initialized_Data'],
  ['size_of_uninitialized_data', 'Size_Of_Uninitialized_Data'],
  ['address_of_entry_point', 'Address_Of_Entry_Point'],
  ['base_of_code', 'Base_Of_Code'],
  ['base_of_data', 'Base_Of_Data'],
  ['image_base', 'Image_Base'],
  ['section_alignment', 'Section_Alignment'],
  ['file_alignment', 'File_Alignment'],
  ['major_os_version', 'Major_OS_Version'],
  ['minor_os_version', 'Minor_OS_Version'],
  ['major_image_version', 'Major_Image_Version'],
  ['minor_image_version', 'Minor_Image_Version'],
  ['major_subsystem_version', 'Major_Subsystem_Version'],
  ['minor_subsystem_version', 'Minor_Subsystem_Version'],
  ['win32_version_value_hex', 'Win32_Version_Value'],
  ['size_of_image', 'Size_Of_Image'],
  ['size_of_headers', 'Size_Of_Headers'],
  ['checksum_hex', 'Checksum'],
  ['subsystem_hex', 'Subsystem'],
  ['dll_characteristics_hex', 'DLL_Characteristics'],
  ['size_of_stack_reserve', 'Size_Of_Stack_Reserve'],
  ['size_of_stack_commit', 'Size_Of_Stack_Commit'],
  ['size_of_heap_reserve', 'Size_Of_Heap_Reserve'],
  ['size_of_heap_commit', 'Size_Of_Heap_Commit'],
  ['loader_flags_hex', 'Loader_Flags'],
  ['number_of_rva_and_sizes', 'Number_Of_Rva_And_Sizes'],
];

/** `<PE>.<prefix><property>` → Headers/<header>/<element> for each pair. */
function peHeader(header: string, pairs: readonly (readonly [string, string])[], prefix = ''): Record<string, readonly Step[]> {
  return Object.fromEntries(
    pairs.map(([prop, el]) => [
      `${PE}.${prefix}${prop}`,
      steps('WinExecutableFileObj:Headers', `WinExecutableFileObj:${header}`, `WinExecutableFileObj:${el}`),
    ]),
  );
}
const WINEXE: ObjectOut = {
  xsiType: 'WinExecutableFileObj:WindowsExecutableFileObjectType',
  paths: {
    ...OBJECTS['file']?.paths,
    ...peHeader('File_Header', [
      ['machine_hex', 'Machine'],
      ['number_of_sections', 'Number_Of_Sections'],
      ['time_date_stamp', 'Time_Date_Stamp'],
      ['pointer_to_symbol_table_hex', 'Pointer_To_Symbol_Table'],
      ['number_of_symbols', 'Number_Of_Symbols'],
      ['size_of_optional_header', 'Size_Of_Optional_Header'],
      ['characteristics_hex', 'Characteristics'],
    ]),
    ...peHeader('Optional_Header', OPTIONAL_HEADER, 'optional_header.'),
    ...Object.fromEntries(
      VERSION_INFO_FIELDS.map((f) => [
        versionInfoPath(f),
        [
          s('WinExecutableFileObj:Resources'),
          s('WinExecutableFileObj:Resource', ' xsi:type="WinExecutableFileObj:PEVersionInfoResourceType"'),
          s(`WinExecutableFileObj:${f}`),
        ],
      ]),
    ),
    [`${PE}.sections[*].name`]: [
      s('WinExecutableFileObj:Sections'),
      s('WinExecutableFileObj:Section', undefined, true),
      s('WinExecutableFileObj:Section_Header'),
      s('WinExecutableFileObj:Name'),
    ],
    [`${PE}.sections[*].size`]: [
      s('WinExecutableFileObj:Sections'),
      s('WinExecutableFileObj:Section', undefined, true),
      s('WinExecutableFileObj:Section_Header'),
      s('WinExecutableFileObj:Size_Of_Raw_Data'),
    ],
    [`${PE}.sections[*].entropy`]: [
      s('WinExecutableFileObj:Sections'),
      s('WinExecutableFileObj:Section', undefined, true),
      s('WinExecutableFileObj:Entropy'),
      s('WinExecutableFileObj:Value'),
    ],
    [`${PE}.pe_type`]: steps('WinExecutableFileObj:Type'),
  },
};

const SVC = "extensions.'windows-service-ext'";

/** Service extension paths go to a Windows service object instead of a process. */
const SERVICE: ObjectOut = {
  xsiType: 'WinServiceObj:WindowsServiceObjectType',
  paths: {
    ...PROCESS_PATHS,
    [`${SVC}.descriptions[*]`]: [s('WinServiceObj:Description_List'), s('WinServiceObj:Description', undefined, true)],
    [`${SVC}.display_name`]: steps('WinServiceObj:Display_Name'),
    [`${SVC}.group_name`]: steps('WinServiceObj:Group_Name'),
    [`${SVC}.service_name`]: steps('WinServiceObj:Service_Name'),
    [`${SVC}.start_command_line`]: steps('WinServiceObj:Startup_Command_Line'),
    [`${SVC}.start_type`]: steps('WinServiceObj:Startup_Type'),
    [`${SVC}.service_type`]: steps('WinServiceObj:Service_Type'),
    [`${SVC}.service_status`]: steps('WinServiceObj:Service_Status'),
  },
};

/** user-account paths of every account kind, in the order of CybOX's Account and UserAccount types. */
const ACCOUNT_PATHS: Readonly<Record<string, readonly Step[]>> = {
  account_created: steps('AccountObj:Creation_Date'),
  display_name: steps('UserAccountObj:Full_Name'),
  "extensions.'unix-account-ext'.home_dir": steps('UserAccountObj:Home_Directory'),
  account_last_login: steps('UserAccountObj:Last_Login'),
  account_login: steps('UserAccountObj:Username'),
};

/** A Unix account (`account_type = 'unix'` or the unix-account-ext): CybOX UnixUserAccount. */
const UNIX_ACCOUNT: ObjectOut = {
  xsiType: 'UnixUserAccountObj:UnixUserAccountObjectType',
  paths: {
    ...ACCOUNT_PATHS,
    "extensions.'unix-account-ext'.gid": steps('UnixUserAccountObj:Group_ID'),
    user_id: steps('UnixUserAccountObj:User_ID'),
    "extensions.'unix-account-ext'.shell": steps('UnixUserAccountObj:Login_Shell'),
  },
};

/** A Windows account (`account_type` windows-local / windows-domain): CybOX WindowsUserAccount, the id as SID. */
const WINDOWS_ACCOUNT: ObjectOut = {
  xsiType: 'WinUserAccountObj:WindowsUserAccountObjectType',
  paths: { ...ACCOUNT_PATHS, user_id: steps('WinUserAccountObj:Security_ID') },
};

const SOCKET = "extensions.'socket-ext'";
const socketSide = (which: 'Local' | 'Remote', last: Step[]): Step[] => [s(`NetworkSocketObj:${which}_Address`), ...last];

/** network-traffic with the socket extension: CybOX NetworkSocket (flags are attributes, options a list). */
const NETWORK_SOCKET: ObjectOut = {
  xsiType: 'NetworkSocketObj:NetworkSocketObjectType',
  paths: {
    [`${SOCKET}.address_family`]: steps('NetworkSocketObj:Address_Family'),
    [`${SOCKET}.protocol_family`]: steps('NetworkSocketObj:Domain'),
    'src_ref.value': socketSide('Local', [s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'), s('AddressObj:Address_Value')]),
    src_port: socketSide('Local', [s('SocketAddressObj:Port'), s('PortObj:Port_Value')]),
    [`${SOCKET}.options`]: steps('NetworkSocketObj:Options'),
    'protocols[*]': steps('NetworkSocketObj:Protocol'),
    'dst_ref.value': socketSide('Remote', [s('SocketAddressObj:IP_Address', ' category="ipv4-addr"'), s('AddressObj:Address_Value')]),
    dst_port: socketSide('Remote', [s('SocketAddressObj:Port'), s('PortObj:Port_Value')]),
    [`${SOCKET}.socket_type`]: steps('NetworkSocketObj:Type'),
  },
};

const ARCHIVE = "extensions.'archive-ext'";
const archived = (...rest: readonly Step[]): Step[] => [s('ArchiveFileObj:Archived_File', undefined, true), ...rest];

/** A file with the archive extension: CybOX ArchiveFile, each member an Archived_File (a CybOX File). */
const ARCHIVE_FILE: ObjectOut = {
  xsiType: 'ArchiveFileObj:ArchiveFileObjectType',
  paths: {
    ...OBJECTS['file']?.paths,
    [`${ARCHIVE}.version`]: steps('ArchiveFileObj:Version'),
    [`${ARCHIVE}.comment`]: steps('ArchiveFileObj:Comment'),
    [`${ARCHIVE}.contains_refs[*].name`]: archived(s('FileObj:File_Name')),
    [`${ARCHIVE}.contains_refs[*].path`]: archived(s('FileObj:File_Path')),
    [`${ARCHIVE}.contains_refs[*].parent_directory_ref.path`]: archived(s('FileObj:File_Path')),
    [`${ARCHIVE}.contains_refs[*].size`]: archived(s('FileObj:Size_In_Bytes')),
  },
};

/** Properties written as attributes of `cybox:Properties` (per CybOX object type). */
const FLAG_ATTRS: Readonly<Record<string, string>> = {
  is_disabled: 'disabled',
  [`${SOCKET}.is_listening`]: 'is_listening',
  [`${SOCKET}.is_blocking`]: 'is_blocking',
};

/** Items the chosen object type itself says (`account_type = 'unix'` is the UnixUserAccount type). */
const TYPE_SAYS: Readonly<Record<string, readonly string[]>> = {
  'UnixUserAccountObj:UnixUserAccountObjectType': ['account_type=unix'],
  'WinUserAccountObj:WindowsUserAccountObjectType': ['account_type=windows-local', 'account_type=windows-domain'],
};

/** The CybOX object type for an object's items: a subtype when an extension or `account_type` says so. */
function objectOut(root: string, items: readonly CyboxItem[]): ObjectOut | undefined {
  const has = (prefix: string): boolean => items.some((i) => i.path.startsWith(prefix));
  const accountType = items.find((i) => i.path === 'account_type')?.text;
  if (has(SVC)) return SERVICE;
  if (root === 'file' && (has(PE) || has(versionInfoPath('')))) return WINEXE;
  if (root === 'network-traffic' && has(SOCKET)) return NETWORK_SOCKET;
  if (root === 'file' && has(ARCHIVE)) return ARCHIVE_FILE;
  if (root === 'user-account' && (accountType === 'unix' || has("extensions.'unix-account-ext'"))) return UNIX_ACCOUNT;
  if (root === 'user-account' && (accountType === 'windows-local' || accountType === 'windows-domain')) return WINDOWS_ACCOUNT;
  if (OBJECTS[root] === undefined && !SCO_TYPES.has(root) && /^[a-z0-9][a-z0-9-]{0,249}$/.test(root)) {
    // A custom object type (Amnesty's `app`): CybOX's Custom object, named by the type.
    return { xsiType: 'CustomObj:CustomObjectType', typeAttrs: ` custom_name="${ea(root)}"`, paths: {}, custom: true };
  }
  return OBJECTS[root];
}

/** `<prefix>hashes.<name>`: the prefix says which object part the hashes describe. */
const HASH_PATH = /^(.*?)(?:file_header_)?hashes\.(?:'([^']+)'|([A-Za-z0-9_-]+))$/;

/** The element steps down to the `Hash` list of a hashes path prefix, or undefined when it has none. */
function hashWrapper(root: string, isPe: boolean, prefix: string): Step[] | undefined {
  if (prefix === '' && (root === 'file' || root === 'artifact')) return [s(root === 'file' ? 'FileObj:Hashes' : 'ArtifactObj:Hashes')];
  if (!isPe) return undefined;
  if (prefix === `${PE}.`) return steps('WinExecutableFileObj:Headers', 'WinExecutableFileObj:File_Header', 'WinExecutableFileObj:Hashes');
  if (prefix === `${PE}.sections[*].`)
    return [
      s('WinExecutableFileObj:Sections'),
      s('WinExecutableFileObj:Section', undefined, true),
      s('WinExecutableFileObj:Header_Hashes'),
    ];
  return undefined;
}

interface Node {
  readonly name: string;
  attrs: string;
  readonly children: Node[];
  readonly text?: string;
  /** Position of the first table path through this node: children are written in table (schema) order. */
  rank: number;
  /** For list elements: the group of the items they hold. */
  readonly group?: string;
}

function render(n: Node): string {
  if (n.text !== undefined) return `<${n.name}${n.attrs}>${et(n.text)}</${n.name}>`;
  const kids = [...n.children].sort((a, b) => a.rank - b.rank);
  return `<${n.name}${n.attrs}>${kids.map(render).join('')}</${n.name}>`;
}

export interface CyboxProperties {
  readonly xml: string;
  /** Paths with no CybOX place that were left out (only when built leniently). */
  readonly skipped: readonly string[];
  /** Values with no CybOX element kept as CybOX custom properties named by the path, as `path = "value"` (lenient only). */
  readonly customs: readonly string[];
}

/**
 * A `cybox:Properties` element for one object's items. Strict (patterns): throws a message naming the first
 * path without a CybOX place, unless `patternCustoms`: then such a comparison is a custom property named by its
 * path, with its condition, and listed (the caller keeps the pattern text too). Lenient (instances): keeps such
 * paths as custom properties and lists them.
 */
export function cyboxProperties(root: string, items: readonly CyboxItem[], lenient = false, patternCustoms = false): CyboxProperties {
  const skipped: string[] = [];
  const customs: string[] = [];
  const spec = objectOut(root, items);
  if (spec === undefined) throw new Error(`object type ${root}`);
  const isPe = spec === WINEXE;
  const says = TYPE_SAYS[spec.xsiType] ?? [];
  const top: Node = { name: 'cybox:Properties', attrs: ` xsi:type="${spec.xsiType}"${spec.typeAttrs ?? ''}`, children: [], rank: 0 };
  const order = Object.keys(spec.paths);
  for (const given of items) {
    // CybOX has no import hash: the PE imphash is one more file hash, named IMPHASH.
    const item = isPe && given.path === `${PE}.imphash` ? { ...given, path: 'hashes.IMPHASH' } : given;
    const h = HASH_PATH.exec(item.path);
    const wrapper = h === null ? undefined : hashWrapper(root, isPe, h[1] ?? '');
    if (h !== null && root === 'x509-certificate' && h[1] === '') {
      placeFingerprint(top, item, h[2] ?? h[3] ?? '', skipped);
      continue;
    }
    if (h !== null && wrapper !== undefined) {
      const raw = h[2] ?? h[3] ?? '';
      const known = HASH_NAMES_OUT[raw];
      // A hash outside CybOX's HashNameVocab (SHA3-256, TLSH, AUTHENTIHASH, ...) keeps its name as a free-text Type.
      const name = known ?? customHashName(raw);
      if (name === undefined && lenient) {
        skipped.push(item.path);
        continue;
      }
      if (name === undefined) throw new Error(`hash ${raw}`);
      const hash: Step = { name: 'cyboxCommon:Hash', each: true, groupSuffix: `#${name}` };
      const rank = h[1] === '' ? order.indexOf('size') + 0.5 : order.indexOf(`${h[1]}name`) + 0.5;
      // A comparison (no list group) is one hash: its type and value share their Hash (and PE Section) element.
      const one = item.group === undefined ? { ...item, group: `~${items.indexOf(given)}` } : item;
      place(
        top,
        [...wrapper, hash, s('cyboxCommon:Type', known === undefined ? '' : ' xsi:type="cyboxVocabs:HashNameVocab-1.0"')],
        { ...one, text: name, attrs: '' },
        rank,
      );
      place(top, [...wrapper, hash, s(name === 'SSDEEP' ? 'cyboxCommon:Fuzzy_Hash_Value' : 'cyboxCommon:Simple_Hash_Value')], one, rank);
      continue;
    }
    if (/^x_[a-z0-9_]+/.test(item.path) || spec.custom === true) {
      // A custom STIX property (MISP object relations without a STIX property, `x_misp_*`) → a CybOX custom property.
      place(top, [s('cyboxCommon:Custom_Properties'), s('cyboxCommon:Property', ` name="${ea(item.path)}"`)], item, -1);
      continue;
    }
    if (says.includes(`${item.path}=${item.text}`)) continue;
    if (root === 'artifact' && item.path === 'mime_type' && (item.attrs === '' || item.attrs === ' condition="Equals"')) {
      // CybOX says an artifact's MIME type in the content_type attribute (an attribute takes no other condition).
      top.attrs += ` content_type="${ea(item.text)}"`;
      continue;
    }
    const flag = FLAG_ATTRS[item.path];
    if (flag !== undefined && (root === 'user-account' || spec === NETWORK_SOCKET)) {
      top.attrs += ` ${flag}="${ea(item.text)}"`;
      continue;
    }
    const option = spec === NETWORK_SOCKET ? /^extensions\.'socket-ext'\.options\.([A-Z][A-Z0-9_]*)$/.exec(item.path) : null;
    if (option !== null) {
      place(
        top,
        [...steps('NetworkSocketObj:Options'), s(`NetworkSocketObj:${option[1] ?? ''}`)],
        item,
        order.indexOf(`${SOCKET}.options`),
      );
      continue;
    }
    const path = spec.paths[protocolLayer(item)];
    if (path === undefined && (lenient || patternCustoms)) {
      // An instance property without a CybOX place keeps its value as a custom property named by its STIX path.
      place(top, [s('cyboxCommon:Custom_Properties'), s('cyboxCommon:Property', ` name="${ea(item.path)}"`)], item, -1);
      customs.push(`${item.path} = ${JSON.stringify(item.text)}`);
      continue;
    }
    if (path === undefined) throw new Error(`${root}:${item.path}`);
    place(top, path, item, order.indexOf(item.path));
  }
  return { xml: render(top), skipped, customs };
}

/** A hash name outside CybOX's vocabulary, written as STIX 2.1 spells it (letters, digits, `-`, `_`, `/`). */
function customHashName(raw: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_/-]{0,63}$/.test(raw) ? raw.toUpperCase() : undefined;
}

/**
 * A certificate fingerprint (`x509-certificate:hashes.*`): CybOX's X509 certificate has no hash list, so the
 * fingerprint goes to Certificate_Signature (algorithm = the hash name), one per certificate; further ones are
 * listed as skipped.
 */
function placeFingerprint(top: Node, item: CyboxItem, raw: string, skipped: string[]): void {
  if (top.children.some((c) => c.name === 'X509CertificateObj:Certificate_Signature')) {
    skipped.push(item.path);
    return;
  }
  const algorithm = HASH_NAMES_OUT[raw] ?? customHashName(raw) ?? raw;
  const rank = Number.MAX_SAFE_INTEGER;
  place(
    top,
    [s('X509CertificateObj:Certificate_Signature'), s('X509CertificateObj:Signature_Algorithm')],
    { ...item, text: algorithm, attrs: '' },
    rank,
  );
  place(top, [s('X509CertificateObj:Certificate_Signature'), s('X509CertificateObj:Signature')], item, rank);
}

const LAYER3: Readonly<Record<string, string>> = { ipv4: 'IPv4', ipv6: 'IPv6', icmp: 'ICMP' };
const LAYER4 = new Set(['tcp', 'udp', 'sctp', 'dccp', 'rsvp']);

/** Protocols go to the CybOX layer they belong to (Layer4_Protocol only takes transport protocols). */
function protocolLayer(item: CyboxItem): string {
  if (item.path !== 'protocols[*]') return item.path;
  const p = item.text.toLowerCase();
  return LAYER3[p] !== undefined ? 'protocols[*]|3' : LAYER4.has(p) ? 'protocols[*]' : 'protocols[*]|7';
}

function place(top: Node, path: readonly Step[], item: CyboxItem, rank: number): void {
  let cur = top;
  for (let i = 0; i < path.length - 1; i++) {
    const st = path[i];
    if (st === undefined) return;
    const attrs = st.attrs ?? '';
    const group =
      st.each !== true
        ? undefined
        : st.groupSuffix !== undefined
          ? `${item.group ?? ''}${st.groupSuffix}`
          : (item.group ?? `#${cur.children.length}`);
    let next = cur.children.find((c) => c.name === st.name && c.attrs === attrs && c.text === undefined && c.group === group);
    if (next === undefined) {
      next = { name: st.name, attrs, children: [], rank, group };
      cur.children.push(next);
    }
    next.rank = Math.min(next.rank, rank);
    cur = next;
  }
  const leaf = path[path.length - 1];
  if (leaf === undefined) return;
  const text = item.path === 'protocols[*]' ? (LAYER3[item.text.toLowerCase()] ?? item.text.toUpperCase()) : item.text;
  cur.children.push({ name: leaf.name, attrs: `${leaf.attrs ?? ''}${item.attrs}`, children: [], text, rank });
}

/** Namespace declarations every exported package needs for the object types above. */
export const CYBOX_EXPORT_NS: Readonly<Record<string, string>> = {
  AccountObj: 'http://cybox.mitre.org/objects#AccountObject-2',
  UnixUserAccountObj: 'http://cybox.mitre.org/objects#UnixUserAccountObject-2',
  WinUserAccountObj: 'http://cybox.mitre.org/objects#WinUserAccountObject-2',
  NetworkSocketObj: 'http://cybox.mitre.org/objects#NetworkSocketObject-2',
  ArchiveFileObj: 'http://cybox.mitre.org/objects#ArchiveFileObject-1',
  ProductObj: 'http://cybox.mitre.org/objects#ProductObject-2',
};
