/**
 * Glean Customer Event (GCE) logs (`glean-customer-events-log-bulk`, psoxy beta): Glean writes one
 * NDJSON record per product event (searches, autocompletes, chats, clicks, LLM calls, actions,
 * workflow runs, MCP tool use, client events) to a bucket it exports to. Each record is Cloud
 * Logging's envelope (`timestamp`, `insertId`, `receiveTimestamp`) around `jsonPayload`: `Type`,
 * `IsScrubbed`, `User` and at most one block named after the type. Written from Glean's GCE data
 * dictionary; no psoxy conformance cases.
 *
 * An allow-list: the output schema keeps the envelope, the user's ids (pseudonymized) and
 * department, and per block only ids, names of tools and models, counts, flags and times. Queries
 * and chat messages become digests (length and word count); titles, URLs, snippets, citations,
 * feedback comments and any block or field Glean adds later do not come out.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { schema, type Shape } from '../catalogue/response-schema.ts';

const s = 's', i = 'i', b = 'b';
const TRACKING: Record<string, Shape> = { TrackingToken: s, SessionTrackingToken: s, SessionId: s };
/** Each event type's block: what stays of it. */
const BLOCKS: Record<string, Shape> = {
  Search: { ...TRACKING, Query: s, SearchType: s, Datasource: s, Datasources: [s], ResultCount: i, NumResults: i, IsNoResults: b, Latency: i },
  Autocomplete: { ...TRACKING, Query: s, ResultCount: i, NumResults: i },
  Chat: { ...TRACKING, ChatSessionId: s, ChatId: s, AgentId: s, WorkflowId: s, WorkflowRunId: s, Stage: s, UserMessage: s, IsNewChat: b, NumCitations: i },
  ChatCitations: { ...TRACKING, ChatSessionId: s, NumCitations: i },
  AiSummary: { ...TRACKING, Datasource: s },
  AiAnswer: { ...TRACKING, Query: s, Datasource: s },
  SearchClick: { ...TRACKING, Position: i, Rank: i, Datasource: s, DocType: s, DocId: s },
  ChatCitationClick: { ...TRACKING, ChatSessionId: s, Datasource: s, DocId: s },
  ChatFeedback: { ...TRACKING, ChatSessionId: s, Event: s, Rating: s },
  SearchFeedback: { ...TRACKING, Event: s, Rating: s },
  AiAnswerVote: { ...TRACKING, Vote: s },
  AiSummaryVote: { ...TRACKING, Vote: s },
  Shortcut: { ...TRACKING, Event: s },
  ClientEvent: { ...TRACKING, Category: s, Event: s, UiElement: s, Page: s, Source: s, INIT_EPOCH_MS: s },
  WorkflowRun: { ...TRACKING, WorkflowId: s, WorkflowRunId: s, AgentId: s, RunType: s, Status: s, Feature: s, Platform: s },
  Workflow: { WorkflowId: s, AgentId: s, Event: s, IsPublished: b },
  WorkflowConversation: { ...TRACKING, WorkflowId: s, WorkflowRunId: s, ChatSessionId: s },
  GleanBotActivity: { ...TRACKING, EventType: s, Datasource: s, WorkflowId: s, ResponseType: s },
  LlmCall: { InputTokens: i, OutputTokens: i, CacheReadInputTokens: i, CacheWriteInputTokens: i, Model: s, Provider: s, WorkflowRunId: s, AgentId: s, Feature: s },
  Action: { ...TRACKING, ActionId: s, ActionType: s, WorkflowRunId: s, AgentId: s, Status: s, Datasource: s },
  McpUsage: { ...TRACKING, ToolName: s, ServerName: s, ClientName: s, Status: s, Latency: i },
};

const RECORD: Shape = {
  timestamp: s, insertId: s, receiveTimestamp: s,
  jsonPayload: { Type: s, IsScrubbed: b, Platform: s, User: { UserId: s, UserEmail: s, Department: s, DepartmentId: i }, ...BLOCKS },
};

const indent = (text: string, n: number) => text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');

const RULES = `
format: NDJSON
transforms:
  # The person, wherever a record names one (\`User\`, and people in other blocks under these names); one path
  # each, so no value is pseudonymized twice.
  - pseudonymize: [$..UserEmail, $..UserId]
  # What people typed: kept as length and word count only.
  - textDigest: [$.jsonPayload..Query, $.jsonPayload..UserMessage]
  # Documents clicked or cited: tokens that compare equal across events, not the ids themselves.
  - tokenize: [$.jsonPayload..DocId]
outputSchemaFilter:
${indent(JSON.stringify(schema(RECORD), null, 1), 2)}
`;

const ndjson = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Glean's user ids: 32 upper-case hex digits, recorded as personal. */
const gleanUserId = (org: FakeOrg, p: FakePerson) => personalText(org, [...p.id].map((c) => (c.charCodeAt(0) % 16).toString(16)).join('').toUpperCase().padEnd(32, 'A'));

function gceFile(org: FakeOrg) {
  const kept: string[] = [];
  const records = org.people.flatMap((p, n) => {
    const user = { Department: 'Finance', DepartmentId: 52, UserEmail: p.email, UserId: gleanUserId(org, p) };
    const envelope = (type: string, block: Record<string, unknown>) => {
      const insertId = `gce-${org.chars(12, '0123456789abcdef')}`;
      kept.push(insertId);
      return { timestamp: org.isoTime(7), insertId, receiveTimestamp: org.isoTime(7), jsonPayload: { Type: type, IsScrubbed: false, User: user, ...block } };
    };
    const other = org.people[(n + 1) % org.people.length];
    const token = org.chars(20);
    return [
      envelope('SEARCH', { Search: { TrackingToken: token, SessionTrackingToken: org.chars(20), Query: personalText(org, `${other.displayName} salary band 2026`), ResultCount: org.int(0, 40),
        Results: [{ Title: personalText(org, `${other.lastName} performance review`), Url: `https://docs.example.com/d/${org.chars(20)}`, Snippet: personalText(org, `${other.firstName} missed targets`) }] } }),
      envelope('SEARCH_CLICK', { SearchClick: { TrackingToken: token, Position: 1, Datasource: 'gdrive', DocId: personalText(org, `DOC-${other.id}`), Title: personalText(org, `${other.lastName} 1:1 notes`) } }),
      envelope('CHAT', { Chat: { ChatSessionId: org.chars(16), AgentId: 'agent-001', UserMessage: personalText(org, `Summarize ${other.email}'s emails about the ${other.lastName} account`),
        Response: personalText(org, `${other.firstName} wrote three emails`), Citations: [{ Title: personalText(org, `${other.displayName} - inbox`) }] } }),
      envelope('LLM_CALL', { LlmCall: { InputTokens: org.int(100, 40000), OutputTokens: org.int(10, 900), Model: 'GPT5_4', Provider: 'OPEN_AI', WorkflowRunId: org.chars(34, '0123456789abcdef') } }),
      envelope('MCP_USAGE', { McpUsage: { ToolName: 'search', ServerName: 'glean', Arguments: personalText(org, `{"query":"${other.displayName} address"}`) } }),
    ];
  });
  return { text: ndjson(records), kept: [...kept, 'GPT5_4', 'OPEN_AI', 'Finance'] };
}

export const GLEAN_BULK_CONNECTORS: readonly BulkConnector[] = [{
  id: 'glean-customer-events-log-bulk', name: 'Glean Customer Event logs', family: 'glean',
  input: "Glean Customer Event (GCE) logs as Glean exports them to a bucket: NDJSON (gzipped or not), one Cloud Logging record per line with `jsonPayload` holding the event. The rules apply to every object in the input bucket, whatever its key.",
  sanitizes: 'User emails and user ids pseudonymized; search and autocomplete queries and chat messages replaced by digests (length, word count); clicked and cited document ids tokenized. Only listed fields of each event type leave the proxy (ids, tracking tokens, tool, model and provider names, token counts, positions, flags, times, department): titles, URLs, snippets, responses, citations, tool arguments and any field or event block not listed are dropped.',
  rules: RULES,
  examples: [{ objectPath: 'glean-customer-event/2026/10/01/events.ndjson', generate: gceFile }],
  conformance: [],
}];
