/** Outlook Mail (`outlook-mail`): message metadata from users' Sent Items, with the directory to map them. */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { directoryEndpoints, mailboxSettingsEndpoint, userSegment, type DirectoryFlags } from './directory.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, emailAddress, graphSetup, mailboxSettingsResponse, odataContext, outlookRules } from './common.ts';
import { DIRECTORY_EXAMPLES } from './entra-id.ts';
import { ODATA_CONTEXT, PAGING_LINKS, USER_LINK, pseudonymize, redact, rulesYaml, tokenize, type GraphEndpoint } from './graph-yaml.ts';

export function outlookMailRules(f: DirectoryFlags): string {
  const user = userSegment(f);
  const messages = (about: string, pathRegex: string, headers?: string[]): GraphEndpoint => ({
    about, pathRegex, ...(headers ? { headers } : {}),
    transforms: [
      // Not in psoxy's list: `attachments` ($expand) and `uniqueBody` ($select) carry content too.
      redact('$..subject', '$..body', '$..bodyPreview', '$..uniqueBody', '$..attachments', '$..emailAddress.name', '$..extensions',
        '$..multiValueExtendedProperties', '$..singleValueExtendedProperties', '$..internetMessageHeaders'),
      pseudonymize(['$..emailAddress.address']),
      ...(f.appIds ? [] : [tokenize([PAGING_LINKS], USER_LINK), redact(ODATA_CONTEXT)]),
    ],
  });
  return rulesYaml([
    ...directoryEndpoints(f),
    mailboxSettingsEndpoint(f),
    messages('One message by id.', `^/v1\\.0/users/${user}/messages/[^/?]+(?:\\?[^/]*)?$`),
    // psoxy allows anything under messages (`messages.*`), attachments included; here the list and one message.
    messages('Sent Items: the list, or one message.', `^/v1\\.0/users/${user}/mailFolders(?:/SentItems|\\('SentItems'\\))/messages(?:/[^/?]+)?(?:\\?.*)?$`, ['ConsistencyLevel']),
  ]);
}

function sentItems(org: FakeOrg) {
  const sender = org.pick(org.people);
  return {
    '@odata.context': odataContext(`users('${EXAMPLE_USER_ID}')/mailFolders('SentItems')/messages`),
    value: [0, 1, 2].map(() => {
      const [to, cc] = [org.pick(org.people), org.pick(org.people)];
      const subject = `${to.displayName}: offer letter draft`;
      const text = `Hi ${to.firstName}, attached is the draft we discussed with ${cc.displayName}.`;
      org.extraPersonal.push(subject, text);
      const sent = org.isoTime(20);
      return {
        '@odata.etag': `W/"${org.chars(24)}=="`,
        id: org.chars(150),
        createdDateTime: sent, lastModifiedDateTime: sent, changeKey: org.chars(28), categories: [],
        receivedDateTime: sent, sentDateTime: sent, hasAttachments: false,
        internetMessageId: `<${org.chars(40)}@${org.chars(10)}.prod.outlook.com>`,
        subject, bodyPreview: text, importance: 'normal', parentFolderId: org.chars(60), conversationId: org.chars(60), conversationIndex: org.chars(30),
        isDeliveryReceiptRequested: false, isReadReceiptRequested: false, isRead: true, isDraft: false,
        webLink: `https://outlook.office365.com/owa/?ItemID=${org.chars(60)}&exvsurl=1&viewmodel=ReadMessageItem`,
        inferenceClassification: 'focused',
        body: { contentType: 'html', content: `<html><body><p>${text}</p></body></html>` },
        sender: emailAddress(sender), from: emailAddress(sender),
        toRecipients: [emailAddress(to)], ccRecipients: [emailAddress(cc)], bccRecipients: [], replyTo: [],
        flag: { flagStatus: 'notFlagged' },
      };
    }),
  };
}

const [listUsers, , listGroups, listMembers] = DIRECTORY_EXAMPLES;

export const OUTLOOK_MAIL: Connector = {
  id: 'outlook-mail',
  name: 'Outlook Mail',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(['Mail.ReadBasic.All', 'MailboxSettings.Read', 'Group.Read.All', 'User.Read.All']),
  caveats: 'Exchange Online mailboxes (a Microsoft 365 or Exchange Online plan). `Mail.ReadBasic.All` gives message metadata without bodies or attachments; it covers every mailbox in the tenant unless an Exchange application access policy narrows it.',
  sanitizes: 'Messages keep times, ids and flags: subjects, bodies, previews, headers, attachments and names go; sender and recipient addresses become pseudonyms. Users and groups as in `msft-entra-id`; automatic-reply texts go. `_no-app-ids` pseudonymizes Entra ids and the user ids in paging links; `_no-groups` drops the group endpoints.',
  ...outlookRules('outlook-mail', outlookMailRules),
  examples: [
    listUsers,
    { name: 'Get a user\'s mailbox settings', path: `/v1.0/users/${EXAMPLE_USER_ID}/mailboxSettings`, response: mailboxSettingsResponse },
    { name: 'List a user\'s sent messages', path: `/v1.0/users/${EXAMPLE_USER_ID}/mailFolders/SentItems/messages`, response: sentItems },
    listGroups,
    listMembers,
  ],
};
