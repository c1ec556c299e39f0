/**
 * The Qualtrics API connector (`qualtrics-api`; ours, not a psoxy connector): Qualtrics' v3
 * REST API on the brand's data-center host (`<datacenter>.qualtrics.com`), read with a user's API
 * token in the `X-API-TOKEN` header (`qualtrics_api_token`, secret `API_TOKEN`).
 *
 * The name. psoxy's Terraform connector specs have only a BULK `qualtrics` (a survey CSV: our bulk
 * connector `qualtrics`); no psoxy Qualtrics API connector (spec, rules or auth strategy) could be
 * found. So this connector's id is `qualtrics-api`, with no alias: `qualtrics` means the bulk
 * connector everywhere (bulk mode, Terraform, `--rules`), and `psoxy serve --source qualtrics`,
 * `psoxy check qualtrics` and `psoxy demo --source qualtrics` fail saying so and naming this id
 * (`bulkConnectorProblem` in ../index.ts).
 *
 * Facts: the endpoints, rules, strategy id and secret name here are ours, written from Qualtrics'
 * public API reference (v3: `{result, meta}` envelopes, `elements` + `nextPage` lists,
 * `X-API-TOKEN`).
 *
 * What the rules allow and protect:
 * - directories, their contacts and mailing lists, surveys and a survey's definition; contacts'
 *   emails and external references (the employee id) become tokens, names, phones and embedded
 *   data are redacted; owners' user ids become tokens;
 * - responses only through a response export that names its questions and embedded-data fields
 *   (`questionIds`, `embeddedDataIds`) and asks for uncompressed JSON: the request body is checked,
 *   so the proxy never fetches a whole survey's answers (free-text answers, which no JSONPath can
 *   tell from coded ones by key, stay out unless a caller names them). In the exported responses,
 *   recipients' emails and external references become tokens; their names, IP addresses and
 *   locations are redacted. A single response (`/responses/{id}`, every answer) is not allowed.
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { list, pseudonymize, redact } from '../catalogue/rules-yaml.ts';

const DIRECTORY = 'POOL_3fAZGWRVfLKuxe3';
const MAILING_LIST = 'CG_0MSyUKRNqgwvaxE';
const SURVEY = 'SV_9Hc8FnmjPH4sb4y';
const EXPORT_PROGRESS = 'ES_2tXjW8l5zLpYk9A';
const FILE = '1dc4c492-fbb6-4713-a7ba-bae9b988a965-def';

const ID = '[A-Za-z0-9]{1,40}';
const PAGE = ['pageSize', 'skipToken'];

/** Qualtrics wraps every answer: `{ result, meta }`. */
const envelope = (org: FakeOrg, result: unknown) => ({ result, meta: { httpStatus: '200 - OK', requestId: `${org.chars(8, 'abcdef0123456789')}-${org.chars(4, 'abcdef0123456789')}-4${org.chars(3, 'abcdef0123456789')}-a${org.chars(3, 'abcdef0123456789')}-${org.chars(12, 'abcdef0123456789')}` } });
const page = (org: FakeOrg, elements: unknown[]) => envelope(org, { elements, nextPage: null });

const contactId = (p: FakePerson) => `CID_${p.id.slice(0, 15)}`;
/** A Qualtrics user's id (`UR_…`): it names one person, so the leak tests look for it too. */
const userId = (org: FakeOrg, p: FakePerson) => personalText(org, `UR_${p.id.slice(1, 16)}`);
/** The employee id an HRIS gives the person: what Qualtrics calls the external data reference. */
const externalRef = (org: FakeOrg, p: FakePerson) => personalText(org, `E${p.id.slice(0, 7).toUpperCase()}`);

function contact(org: FakeOrg, p: FakePerson, i: number) {
  const manager = person(org, i + 1);
  return {
    contactId: contactId(p), firstName: p.firstName, lastName: p.lastName, email: p.email, phone: p.phone,
    extRef: externalRef(org, p), language: 'EN', unsubscribed: false,
    embeddedData: { Department: org.pick(['Platform', 'Sales EMEA', 'Design Systems']), ManagerEmail: manager.email, ManagerName: manager.displayName },
  };
}

const contacts = (org: FakeOrg) => page(org, org.people.map((p, i) => contact(org, p, i)));

function exportedResponse(org: FakeOrg, p: FakePerson) {
  const [start, end] = [org.isoTime(14), org.isoTime(14)];
  return {
    responseId: `R_${org.chars(15)}`,
    values: {
      startDate: start, endDate: end, status: 0, ipAddress: personalText(org, `203.0.${org.int(1, 254)}.${org.int(1, 254)}`), progress: 100,
      duration: org.int(60, 900), finished: 1, recordedDate: end, _recordId: `R_${org.chars(15)}`,
      locationLatitude: `${org.int(-60, 60)}.${org.chars(4, '0123456789')}`, locationLongitude: `${org.int(-120, 120)}.${org.chars(4, '0123456789')}`,
      recipientLastName: p.lastName, recipientFirstName: p.firstName, recipientEmail: p.email, externalDataReference: externalRef(org, p),
      distributionChannel: 'email', userLanguage: 'EN', QID1: org.int(1, 5), QID3: [org.int(1, 4)],
    },
    labels: { status: 'IP Address', finished: 'True', QID1: org.pick(['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree']), QID3: ['Weekly'] },
    displayedFields: ['QID1', 'QID3'],
    displayedValues: { QID1: [1, 2, 3, 4, 5], QID3: [1, 2, 3, 4] },
  };
}

function survey(org: FakeOrg) {
  const owner = person(org, 0);
  return envelope(org, {
    id: SURVEY, name: 'Q3 Engagement Pulse', ownerId: userId(org, owner), organizationId: 'example-corp', isActive: true,
    creationDate: '2026-06-01T09:00:00Z', lastModifiedDate: '2026-09-01T09:00:00Z', expiration: { startDate: null, endDate: null },
    questions: {
      QID1: { questionType: { type: 'MC', selector: 'SAVR', subSelector: 'TX' }, questionText: 'I have the focus time I need.', questionLabel: null, validation: { doesForceResponse: false },
        questionName: 'Q1', choices: { 1: { recode: '1', description: 'Strongly disagree', choiceText: 'Strongly disagree', imageDescription: null, variableName: null, analyze: true } } },
      QID2: { questionType: { type: 'TE', selector: 'ESTB', subSelector: null }, questionText: 'Anything else?', questionLabel: null, validation: { doesForceResponse: false }, questionName: 'Q2' },
    },
    exportColumnMap: { Q1: { question: 'QID1' }, Q2: { question: 'QID2' } },
    blocks: { BL_1: { description: 'Default Question Block', elements: [{ type: 'Question', questionId: 'QID1' }, { type: 'Question', questionId: 'QID2' }] } },
    flow: [{ id: 'BL_1', type: 'Block' }],
    embeddedData: [{ name: 'Department' }, { name: 'ManagerEmail', defaultValue: owner.email }],
    comments: { QID1: { commentList: [{ message: personalText(org, `Ask ${owner.displayName} before changing the scale`), userId: userId(org, owner), timestamp: '2026-06-02T10:00:00Z' }] } },
    loopAndMerge: {}, responseCounts: { auditable: org.people.length, generated: 0, deleted: 0 },
  });
}

/** The response export's request: JSON, uncompressed, its questions and embedded data named. */
const EXPORT_BODY = { format: 'json', compress: false, questionIds: ['QID1', 'QID3'], embeddedDataIds: [], startDate: '2026-09-01T00:00:00Z', endDate: '2026-10-01T00:00:00Z' };

const contactTransforms = (at: string) =>
  `${redact([`${at}.firstName`, `${at}.lastName`, `${at}.phone`, `${at}.embeddedData`, `${at}.transactionData`, `${at}.privacyPolicy`])}${pseudonymize([`${at}.email`, `${at}.extRef`])}`;

const ids = (names: Record<string, string>) =>
  `\n    pathParameterSchemas: { ${Object.entries(names).map(([name, pattern]) => `${name}: { type: string, pattern: "${pattern}" }`).join(', ')} }`;

export const QUALTRICS_RULES_YAML = `
endpoints:
  - pathTemplate: /API/v3/directories
    allowedMethods: [GET]
    allowedQueryParams: ${list(PAGE)}
    transforms: []
  - pathTemplate: /API/v3/directories/{directoryId}/contacts
    allowedMethods: [GET]
    allowedQueryParams: ${list(PAGE)}${ids({ directoryId: `^POOL_${ID}$` })}
    transforms:${contactTransforms('$.result.elements[*]')}
  - pathTemplate: /API/v3/directories/{directoryId}/mailinglists
    allowedMethods: [GET]
    allowedQueryParams: ${list(PAGE)}${ids({ directoryId: `^POOL_${ID}$` })}
    transforms:${pseudonymize(['$.result.elements[*].ownerId'])}
  - pathTemplate: /API/v3/directories/{directoryId}/mailinglists/{mailingListId}/contacts
    allowedMethods: [GET]
    allowedQueryParams: ${list(PAGE)}${ids({ directoryId: `^POOL_${ID}$`, mailingListId: `^CG_${ID}$` })}
    transforms:${contactTransforms('$.result.elements[*]')}
  - pathTemplate: /API/v3/surveys
    allowedMethods: [GET]
    allowedQueryParams: ["offset"]
    transforms:${pseudonymize(['$.result.elements[*].ownerId'])}
  - pathTemplate: /API/v3/surveys/{surveyId}
    allowedMethods: [GET]${ids({ surveyId: `^SV_${ID}$` })}
    transforms:${redact(['$.result.comments', '$.result.embeddedData[*].defaultValue'])}${pseudonymize(['$.result.ownerId'])}
  # Responses only by export, for named questions and embedded data, as uncompressed JSON.
  - pathTemplate: /API/v3/surveys/{surveyId}/export-responses
    allowedMethods: [POST]${ids({ surveyId: `^SV_${ID}$` })}
    requestBody:
      required: true
      content:
        application/json:
          type: object
          required: [format, compress, questionIds, embeddedDataIds]
          additionalProperties: false
          properties:
            format: { type: string, enumValues: [json] }
            compress: { type: boolean, enumValues: [false] }
            questionIds: { type: array, items: { type: string, pattern: "^QID[0-9]+$" } }
            embeddedDataIds: { type: array, items: { type: string, pattern: "^[A-Za-z0-9_ -]{1,100}$" } }
            surveyMetadataIds: { type: array, items: { type: string, pattern: "^[A-Za-z_]{1,40}$" } }
            startDate: { type: string, pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{5,15}(Z|[+-][0-9]{2}:?[0-9]{2})$" }
            endDate: { type: string, pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{5,15}(Z|[+-][0-9]{2}:?[0-9]{2})$" }
            limit: { type: integer }
            useLabels: { type: boolean }
            exportResponsesInProgress: { type: boolean }
            allowContinuation: { type: boolean }
            continuationToken: { type: string, pattern: "^[A-Za-z0-9_=+/.-]{1,500}$" }
            timeZone: { type: string, pattern: "^[A-Za-z_/+-]{1,40}$" }
    transforms: []
  - pathTemplate: /API/v3/surveys/{surveyId}/export-responses/{exportProgressId}
    allowedMethods: [GET]${ids({ surveyId: `^SV_${ID}$`, exportProgressId: `^ES_${ID}$` })}
    transforms: []
  - pathTemplate: /API/v3/surveys/{surveyId}/export-responses/{fileId}/file
    allowedMethods: [GET]${ids({ surveyId: `^SV_${ID}$`, fileId: '^[a-f0-9-]{36,48}$' })}
    transforms:${redact(['$.responses[*].values.recipientFirstName', '$.responses[*].values.recipientLastName', '$.responses[*].values.ipAddress', '$.responses[*].values.locationLatitude', '$.responses[*].values.locationLongitude'])}${pseudonymize(['$.responses[*].values.recipientEmail', '$.responses[*].values.externalDataReference'])}
`;

export const QUALTRICS_API: Connector = {
  id: 'qualtrics-api',
  name: 'Qualtrics (survey) API',
  family: 'qualtrics',
  settings: { TARGET_HOST: 'YOUR-DATACENTER.qualtrics.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'qualtrics_api_token' },
  secrets: ['API_TOKEN'],
  sensitive: ['API_TOKEN'],
  setup: [
    'Set `TARGET_HOST` to your brand\'s data-center host, `<datacenter>.qualtrics.com` (Account Settings → Qualtrics IDs → User: Datacenter ID,',
    'e.g. `iad1.qualtrics.com`). Create a dedicated Qualtrics user for the connection (so it survives people leaving) whose user type has the',
    '"Access API" permission (a Brand Administrator grants it) and which is shared the directories and surveys to be read; as that user, open',
    'Account Settings → Qualtrics IDs → API → Generate Token and fill the token in `API_TOKEN`. Qualtrics sends it in the `X-API-TOKEN` header;',
    'it does not expire, and generating a new one revokes the old. When exporting responses, name the coded questions (`questionIds`) and the',
    'embedded-data fields (`embeddedDataIds`, e.g. `[]`) to include, and ask for `format: json` with `compress: false`: the proxy refuses other exports.',
    'Deployed by the Terraform modules under `qualtrics-api`, the token\'s name is `PSOXY_QUALTRICS_API_API_TOKEN`. `qualtrics` is the bulk',
    'survey connector ([qualtrics.md](qualtrics.md)), not this one.',
  ].join('\n'),
  caveats: 'API access is a paid feature of Qualtrics licences (the "Access API" permission, granted per user type); Qualtrics rate-limits calls per brand and per endpoint.',
  sanitizes: 'Contacts\' and recipients\' emails and external references (employee ids) and owners\' user ids become tokens; names, phones, embedded data, IP addresses, locations and survey comments are redacted; responses come only from exports naming their questions and embedded data.',
  rules: { '': QUALTRICS_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'List directories', path: '/API/v3/directories',
      response: (org) => page(org, [{ directoryId: DIRECTORY, name: 'Employees', contactCount: org.people.length, isDefault: true,
        deduplicationCriteria: { email: true, firstName: false, lastName: false, externalDataReference: true, phone: false } }]) },
    { name: 'List directory contacts', path: `/API/v3/directories/${DIRECTORY}/contacts?pageSize=100`, response: contacts },
    { name: 'List mailing lists in a directory', path: `/API/v3/directories/${DIRECTORY}/mailinglists`,
      response: (org) => page(org, [{ mailingListId: MAILING_LIST, name: 'All employees', ownerId: userId(org, person(org, 0)), lastModifiedDate: 1759305600000, creationDate: 1751328000000, contactCount: org.people.length }]) },
    { name: 'List contacts in a mailing list', path: `/API/v3/directories/${DIRECTORY}/mailinglists/${MAILING_LIST}/contacts`, response: contacts },
    { name: 'List surveys', path: '/API/v3/surveys',
      response: (org) => page(org, [{ id: SURVEY, name: 'Q3 Engagement Pulse', ownerId: userId(org, person(org, 0)), lastModified: '2026-09-01T09:00:00Z', creationDate: '2026-06-01T09:00:00Z', isActive: true }]) },
    { name: 'Get survey', path: `/API/v3/surveys/${SURVEY}`, response: survey },
    { name: 'Start response export', method: 'POST', path: `/API/v3/surveys/${SURVEY}/export-responses`, body: EXPORT_BODY,
      response: (org) => envelope(org, { progressId: EXPORT_PROGRESS, percentComplete: 0.0, status: 'inProgress' }) },
    { name: 'Get response export progress', path: `/API/v3/surveys/${SURVEY}/export-responses/${EXPORT_PROGRESS}`,
      response: (org) => envelope(org, { fileId: FILE, percentComplete: 100.0, status: 'complete' }) },
    { name: 'Get response export file', path: `/API/v3/surveys/${SURVEY}/export-responses/${FILE}/file`,
      response: (org) => ({ responses: org.people.map((p) => exportedResponse(org, p)) }) },
  ],
};

export const QUALTRICS_CONNECTORS: readonly Connector[] = [QUALTRICS_API];
