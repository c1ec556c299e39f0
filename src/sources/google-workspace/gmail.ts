/**
 * Gmail (psoxy `SOURCE=gmail`): message metadata of the impersonated user with `gmail.metadata`,
 * which gives headers and labels, never bodies. Responses shaped after the Gmail API v1 reference
 * (users.messages list and get with `format=metadata`).
 */
import { person, type FakeOrg, personalText } from '../catalogue/fake-org.ts';
import { workspaceConnector } from './workspace.ts';
import { yamlList } from './yaml.ts';

/** Headers naming people in address lists: each address becomes a token, display names go. */
const ADDRESS_HEADERS = ['From', 'To', 'Cc', 'Bcc'];
/** Headers holding one bare address. */
const SINGLE_ADDRESS_HEADERS = ['X-Original-Sender', 'Delivered-To', 'Sender'];
/** Threading headers and the date: kept as they are. Every other header (Subject included) goes. */
const KEPT_HEADERS = ['Message-ID', 'Date', 'In-Reply-To', 'Original-Message-ID', 'References'];

const named = (names: readonly string[]) => `/^(${names.join('|')})$/i`;

/** Transforms of the message at `m` (`$` for messages.get, `$.messages[*]` for messages.list). */
function messageTransforms(m: string): string {
  const headers = `${m}.payload.headers`;
  return `
      - !<pseudonymizeEmailHeader>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ${yamlList([`${headers}[?(@.name =~ ${named(ADDRESS_HEADERS)})].value`])}
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ${yamlList([`${headers}[?(@.name =~ ${named(SINGLE_ADDRESS_HEADERS)})].value`])}
      - !<redact>
        jsonPaths: ${yamlList([`${headers}[?(!(@.name =~ ${named([...ADDRESS_HEADERS, ...SINGLE_ADDRESS_HEADERS, ...KEPT_HEADERS])}))]`, `${m}.snippet`])}`;
}

// psoxy's list rules address $.messages.payload, which never matches the messages array; list
// answers carry only ids today, and ours treat each message as get does should they carry more.
// The snippet (the body's first words) goes too: psoxy's rules keep it.
const GMAIL_RULES_YAML = `
endpoints:
  # messages.list
  - pathTemplate: "/gmail/v1/users/{userId}/messages"
    allowedMethods: [GET, HEAD]
    transforms:${messageTransforms('$.messages[*]')}

  # messages.get (format=metadata)
  - pathTemplate: "/gmail/v1/users/{userId}/messages/{id}"
    allowedMethods: [GET, HEAD]
    transforms:${messageTransforms('$')}
`;

const MESSAGE_ID = '18f2c4a9d07b3e51';

function message(org: FakeOrg) {
  const [from, to, cc, bcc] = [person(org, 0), person(org, 1), person(org, 2), person(org, 3)];
  const subject = personalText(org, `Re: ${to.displayName}'s compensation review`);
  const header = (name: string, value: string) => ({ name, value });
  return {
    id: MESSAGE_ID, threadId: '18f2c1b3a9e04d77', labelIds: ['SENT', 'IMPORTANT', 'CATEGORY_PERSONAL'],
    snippet: personalText(org, `Hi ${to.firstName}, before we talk to ${cc.displayName} tomorrow, here are the numbers`),
    payload: {
      partId: '', mimeType: 'multipart/alternative', filename: '',
      headers: [
        header('Delivered-To', from.email),
        header('Return-Path', `<${from.email}>`),
        header('Received', `by 2002:a05:6a10:9c81:b0:4f1 with SMTP id ${org.chars(12)}; ${org.isoTime()}`),
        header('MIME-Version', '1.0'),
        header('Date', 'Mon, 5 Oct 2026 09:14:02 -0400'),
        header('Reply-To', `${from.displayName} <${from.email}>`),
        // Gmail's own ids; one with a '+' after its last '=' (which Gmail also writes) would be
        // taken for an address by the leak guard, which refuses the whole message.
        header('Message-ID', '<CAGx7Ld0Vq3mZ8pT2nW5yR9kE1bH4jU6sA0cF_tX@mail.gmail.com>'),
        header('In-Reply-To', '<CAH2pQ7vN4kX9wB1zT6mR3yL8cJ0dF5gS2hK_eU@mail.gmail.com>'),
        header('Subject', subject),
        header('From', `${from.displayName} <${from.email}>`),
        header('To', `${to.displayName} <${to.email}>`),
        header('Cc', `"${cc.displayName}" <${cc.email}>, ${bcc.email}`),
        header('Bcc', bcc.email),
        header('Content-Type', 'multipart/alternative; boundary="000000000000a1b2c3"'),
      ],
    },
    sizeEstimate: 18204, historyId: '9120347', internalDate: '1791206042000',
  };
}

export const GMAIL = workspaceConnector({
  id: 'gmail',
  name: 'Gmail',
  host: 'www.googleapis.com',
  api: 'gmail.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/gmail.metadata'],
  impersonates: 'user',
  caveats: '`gmail.metadata` reads headers and labels only: Google refuses `format=full` and `format=raw` with it, so bodies never reach the proxy.',
  sanitizes: 'Addresses in From, To, Cc, Bcc, Sender, Delivered-To and X-Original-Sender become tokens (display names dropped); Message-ID, Date, In-Reply-To and References stay; every other header (Subject, Reply-To, Received…) and the snippet are redacted.',
  rules: { '': GMAIL_RULES_YAML },
  conformance: { '': 'google-workspace/gmail' },
  examples: [
    { name: 'Messages: list', path: '/gmail/v1/users/me/messages?maxResults=5&labelIds=SENT', response: (org) => ({
      messages: [{ id: MESSAGE_ID, threadId: '18f2c1b3a9e04d77' }, { id: '18f2b0e6c4d19a02', threadId: '18f2b0e6c4d19a02' }],
      nextPageToken: org.chars(20, '0123456789'), resultSizeEstimate: 201,
    }) },
    { name: 'Messages: get', path: `/gmail/v1/users/me/messages/${MESSAGE_ID}?format=metadata`, response: message },
  ],
});
