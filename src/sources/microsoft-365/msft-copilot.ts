/**
 * Microsoft 365 Copilot (`msft-copilot`): each user's Copilot interactions (prompts and answers,
 * Graph beta `getAllEnterpriseInteractions`), with the users list to enumerate them. Texts never
 * pass: a `textDigest` augment leaves their length, word count and the intent keywords found, then
 * the texts are redacted; a response schema keeps ids, times, kinds and who.
 *
 * Where we differ from psoxy's rules: psoxy digests only an answer card's `text` fields and writes
 * the rest of the card back as text (titles, links: SECURITY.md); here the card is digested whole,
 * so nothing of it passes. psoxy's schema keeps links' URLs (a OneDrive URL names its owner and the
 * file) and mentioned identities' emails in clear; here links keep only their type and those emails
 * become pseudonyms. Paging (`$top`, `$skiptoken`) is allowed, which psoxy's default rules refuse.
 */
import type { Connector } from '../catalogue/connector.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { schema } from '../catalogue/response-schema.ts';
import { directoryEndpoints, userSegment } from './directory.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, graphSetup, guid } from './common.ts';
import { DIRECTORY_EXAMPLES } from './entra-id.ts';
import { IDENTITY_DEFINITIONS, PAGING_LINKS, graphPage, pseudonymize, redact, rulesYaml, textDigest, tokenize } from './graph-yaml.ts';

/** What a prompt is for, by the words it uses: the digest reports which of these it contains. */
const INTENT_KEYWORDS = {
  image: ['generate image', 'create image', 'draw', 'picture of', 'illustration of', 'render', 'dall-e', 'graphic'],
  code: ['code', 'python', 'javascript', 'typescript', 'java', 'sql', 'bash', 'html', 'css', 'react', 'docker', 'git', 'github', 'api', 'function',
    'class', 'method', 'debug', 'bug', 'exception', 'stack trace', 'error', 'refactor', 'compile', 'deploy', 'script', 'unit test', 'pull request', 'code review'],
  question: ['what is', 'what are', 'how does', 'how do', 'how to', 'why is', 'why does', 'explain', 'difference between', 'compared to', 'versus', 'best practices'],
  ideas: ['brainstorm', 'alternatives', 'tradeoffs', 'outline', 'ideas'],
  writing: ['write', 'draft', 'compose', 'rewrite', 'proofread', 'email', 'e-mail', 'mail', 'blog', 'article', 'newsletter', 'memo', 'proposal', 'contract',
    'nda', 'redline', 'review', 'report', 'brief', 'presentation', 'slides', 'deck', 'translate to', 'linkedin'],
  summary: ['summarize', 'summarise', 'summary', 'recap', 'action items'],
  analysis: ['analyze', 'data analysis', 'chart', 'pivot table', 'vlookup', 'financials', 'accounting', 'payroll', 'cashflow', 'forecast', 'tableau', 'snowflake'],
};
const KEYWORDS = Object.values(INTENT_KEYWORDS).flat();

const DEFINITIONS: Record<string, object> = {
  ...IDENTITY_DEFINITIONS,
  AIInteraction: schema({
    id: 's', sessionId: 's', requestId: 's', etag: 's', appClass: 's', interactionType: 's', conversationType: 's', createdDateTime: 's', locale: 's',
    from: '#IdentitySet',
    body: { content: 's', contentType: 's' },
    attachments: [{ attachmentId: 's', content: 's', contentType: 's' }],
    contexts: [{ contextType: 's' }],
    links: [{ linkType: 's' }],
    mentions: [{ mentionId: 'i', mentioned: { conversation: '#Identity', tag: '#Identity', user: '#Identity' } }],
  }),
};

export interface CopilotFlags {
  /** Entra user ids pass as they are (psoxy's default); false for `_no-userIds`. */
  userIds: boolean;
}

const COPILOT_LINK = '^https://graph.microsoft.com/beta/copilot/users/([a-zA-Z0-9_-]+)/.*$';

export function msftCopilotRules(f: CopilotFlags): string {
  const ids = f.userIds ? [] : [
    pseudonymize(['$..user.id', '$..mentions[*].mentioned.tag.id', '$..mentions[*].mentioned.conversation.id']),
    tokenize(['$..sessionId', '$..attachments[*].attachmentId']),
    tokenize([PAGING_LINKS], COPILOT_LINK),
  ];
  return rulesYaml([
    {
      about: 'A user\'s Copilot interactions (prompts and answers) across Microsoft 365 apps.',
      pathRegex: `^/beta/copilot/users/${userSegment({ appIds: f.userIds })}/interactionHistory/getAllEnterpriseInteractions(?:\\?.*)?$`,
      params: ['$filter', '$top', '$skiptoken'],
      augments: [textDigest(['$..body.content', '$..attachments[*].content'], KEYWORDS)],
      transforms: [pseudonymize(['$..email']), ...ids, redact('$..body.content', '$..attachments[*].content')],
      responseSchema: graphPage('AIInteraction'),
    },
    ...directoryEndpoints({ appIds: f.userIds, groups: false }),
  ], DEFINITIONS);
}

const teamsUser = (org: FakeOrg, p: FakePerson) =>
  ({ '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: guid(org), displayName: p.displayName, userIdentityType: 'aadUser', tenantId: 'dcd219dd-bc68-4b9b-bf0b-4a33a796be35' });

function interactions(org: FakeOrg) {
  const [user, colleague] = [org.pick(org.people), org.pick(org.people)];
  const sessionId = `19:${org.chars(44)}@thread.v2`;
  const requestId = guid(org);
  const file = personalText(org, `${colleague.lastName} salary band proposal.xlsx`);
  const fileUrl = `https://example-my.sharepoint.com/personal/${colleague.email.replace(/[@.]/g, '_')}/Documents/${encodeURIComponent(file)}?web=1`;
  const answer = personalText(org, `${colleague.displayName} proposed moving ${user.firstName} to band 4 in the draft you reviewed.`);
  const card = { type: 'AdaptiveCard', version: '1.0', body: [{ type: 'TextBlock', text: answer, wrap: true }], actions: [{ type: 'Action.OpenUrl', title: file, url: fileUrl }] };
  const common = { sessionId, requestId, appClass: 'IPM.SkypeTeams.Message.Copilot.BizChat', conversationType: 'bizchat', locale: 'en-us', contexts: [] };
  return {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.aiInteraction)',
    '@odata.nextLink': `https://graph.microsoft.com/beta/copilot/users/${EXAMPLE_USER_ID}/interactionHistory/getAllEnterpriseInteractions?$skiptoken=${org.chars(40)}`,
    value: [
      {
        id: String(org.int(1e12, 2e12)), etag: String(org.int(1e12, 2e12)), ...common, interactionType: 'userPrompt', createdDateTime: org.isoTime(3),
        from: { '@odata.type': '#microsoft.graph.chatMessageFromIdentitySet', application: null, device: null, user: teamsUser(org, user) },
        body: { contentType: 'text', content: personalText(org, `Summarize what ${colleague.displayName} wrote about my promotion`) },
        attachments: [], links: [],
        mentions: [{ mentionId: 0, mentionText: colleague.displayName, mentioned: { user: { id: guid(org), displayName: colleague.displayName, email: colleague.email } } }],
      },
      {
        id: String(org.int(1e12, 2e12)), etag: String(org.int(1e12, 2e12)), ...common, interactionType: 'aiResponse', createdDateTime: org.isoTime(3),
        from: { '@odata.type': '#microsoft.graph.chatMessageFromIdentitySet', device: null, user: null,
          application: { '@odata.type': '#microsoft.graph.teamworkApplicationIdentity', id: 'fb8d773d-7ef8-4ec0-a117-179f88add510', displayName: 'Microsoft 365 Chat', applicationIdentityType: 'bot' } },
        body: { contentType: 'html', content: '<attachment id="4062fb240a03490b98ccd7c86bb2bcbf"></attachment>' },
        attachments: [{ attachmentId: '4062fb240a03490b98ccd7c86bb2bcbf', contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: JSON.stringify(card), name: null }],
        links: [{ linkUrl: fileUrl, displayName: file, linkType: 'File' }],
        mentions: [],
      },
    ],
  };
}

const [listUsers] = DIRECTORY_EXAMPLES;

export const MSFT_COPILOT: Connector = {
  id: 'msft-copilot',
  name: 'Microsoft 365 Copilot',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(['User.Read.All', 'AiEnterpriseInteraction.Read.All']),
  caveats: 'Users with a Microsoft 365 Copilot licence; the interaction export is a Microsoft Graph *beta* API (it may change), and psoxy marks the connector alpha.',
  sanitizes: 'Prompts and answers are replaced by a digest (length, word count, intent keywords found); links keep only their type, contexts only theirs; people\'s names go and emails become pseudonyms. Users as in `msft-entra-id`. `_no-userIds` also pseudonymizes user and mention ids, tokenizes session and attachment ids and the user id in paging links, and takes only `p~…` user ids in paths.',
  rules: { '': msftCopilotRules({ userIds: true }), '_no-userIds': msftCopilotRules({ userIds: false }) },
  examples: [
    listUsers,
    { name: 'Get all enterprise interactions of a user', path: `/beta/copilot/users/${EXAMPLE_USER_ID}/interactionHistory/getAllEnterpriseInteractions`, response: interactions },
  ],
  conformance: {},
};
