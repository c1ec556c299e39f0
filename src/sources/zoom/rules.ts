/**
 * Built-in rules for Zoom (`SOURCE=zoom`), written for this project to behave exactly like
 * psoxy v0.6.9's `zoom.yaml`: same endpoints, query parameters, transforms and response schemas.
 * YAML anchors keep the leaf schemas short: `*s` string, `*i` integer, `*b` boolean, `*dt` date-time,
 * each defined where first used.
 */
export const ZOOM_RULES_YAML = String.raw`
endpoints:
  # Meeting details (any sub-resource except the AI summary); UUIDs may contain / as %2F or %252F.
  - pathRegex: "^/v2/meetings/[^/?]+(?:/(?!meeting_summary)[^/?]+)?(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [occurrence_id, show_previous_occurrences]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.['host_id','host_email']", "$..email", "$..contact_email", "$..participants[*]"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths:
          - "$.['topic','agenda','custom_keys']"
          - "$.settings.['alternative_hosts','enforce_login_domains','approved_or_denied_countries_or_regions','audio_conference_info','name','authentication_name','authentication_option','contact_name','custom_keys','global_dial_in_countries','global_dial_in_numbers']"
          - "$.['password','h323_password','pstn_password','encrypted_password','start_url']"
          - "$..join_url"
          - "$..name"
    responseSchema:
      type: object
      properties:
        { created_at: &dt { type: string, format: date-time }, host_id: &s { type: string }, id: &i { type: integer }, settings: { $ref: "#/definitions/MeetingSettings" },
          start_time: *dt, status: *s, timezone: *s, type: *i, uuid: *s }

  # AI Companion meeting summary: identities pseudonymized, free text reduced to digests.
  - pathRegex: "^/v2/meetings/[^/?]+(?:/[^/?]+)?/meeting_summary(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: []
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$['meeting_host_id','meeting_host_email', 'summary_last_modified_user_id','summary_last_modified_user_email']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$['meeting_topic','summary_title']"]
      - !<textDigest>
        jsonPaths: ["$..summary_overview", "$.summary_details[*].label", "$.summary_details[*].summary", "$.edited_summary.summary_details", "$..next_steps[*]"]
    responseSchema:
      type: object
      properties:
        { edited_summary: { $ref: "#/definitions/EditedSummary" }, meeting_end_time: *dt, meeting_host_email: *s,
          meeting_host_id: *s, meeting_id: *i, meeting_start_time: *dt, meeting_uuid: *s, next_steps: &strings { type: array, items: { type: string } },
          summary_created_time: *dt, summary_details: { type: array, items: { $ref: "#/definitions/SummaryDetail" } },
          summary_end_time: *dt, summary_last_modified_time: *dt, summary_last_modified_user_email: *s,
          summary_last_modified_user_id: *s, summary_overview: *s, summary_start_time: *dt }

  # Past meeting details.
  - pathRegex: "^/v2/past_meetings/[^/?]+(?:/(?!(?:instances|participants))[^/?]+)?(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: []
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.['host_id','user_email','host_email']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.['user_name','topic','agenda']"]
    responseSchema:
      type: object
      properties:
        { dept: *s, duration: *i, end_time: *dt, has_meeting_summary: &b { type: boolean }, host_id: *s, id: *i, participants_count: *i,
          source: *s, start_time: *dt, topic: *s, total_minutes: *i, type: *i, user_email: *s, user_name: *s, uuid: *s }

  # Past meeting instances.
  - pathRegex: "^/v2/past_meetings/[^/?]+(?:/[^/?]+)?/instances(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: []
    responseSchema:
      type: object
      properties:
        { meetings: { type: array, items: { $ref: "#/definitions/MeetingOccurrence" } }, next_page_token: *s,
          page_count: *i, page_number: *i, page_size: *i, total_records: *i }

  # Past meeting participants.
  - pathRegex: "^/v2/past_meetings/[^/?]+(?:/[^/?]+)?/participants(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [page_size, next_page_token]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.participants[*]['id','user_email','pmi']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.participants[*]['name','registrant_id']"]
    responseSchema: &participantsPage
      type: object
      properties:
        { next_page_token: *s, page_count: *i, page_number: *i, page_size: *i,
          participants: { type: array, items: { $ref: "#/definitions/MeetingParticipant" } }, total_records: *i }

  # Report: meeting participants.
  - pathRegex: "^/v2/report/meetings/[^/?]+(?:/[^/?]+)?/participants(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [page_size, next_page_token]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.participants[*]['id','user_email','user_id','pmi']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.participants[*]['name','registrant_id','display_name']"]
    responseSchema: *participantsPage

  # Report: a user's meetings.
  - pathTemplate: "/v2/report/users/{userId}/meetings"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [from, to, type, page_size, next_page_token]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.meetings[*]['host_id','user_email','host_email']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.meetings[*]['user_name','topic','custom_keys','tracking_fields']"]
    responseSchema:
      type: object
      properties:
        { meetings: { type: array, items: { $ref: "#/definitions/MeetingsItem" } }, next_page_token: *s,
          page_count: *i, page_number: *i, page_size: *i, total_records: *i }

  # Users: emails and phones hashed; ids and PMIs reversible so they can be used in later calls.
  - pathTemplate: "/v2/users"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [status, page_size, page_number, next_page_token]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.users[*]['email','phone_number']"]
        encoding: URL_SAFE_TOKEN
      - !<pseudonymize>
        jsonPaths: ["$.users[*]['id','pmi']"]
        includeReversible: true
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.users[*]['display_name','first_name','last_name','pic_url','employee_unique_id']"]
    responseSchema:
      type: object
      properties:
        { next_page_token: *s, page_count: *i, page_number: *i, page_size: *i, total_records: *i,
          users: { type: array, items: { $ref: "#/definitions/User" } } }

  # A user's scheduled meetings.
  - pathTemplate: "/v2/users/{userId}/meetings"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [page_size, next_page_token, type, from, to]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.meetings[*]['host_id','host_email']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$.meetings[*]['topic','join_url','start_url','agenda']"]
    responseSchema:
      type: object
      properties:
        { meetings: { type: array, items: { $ref: "#/definitions/Meeting" } }, next_page_token: *s,
          page_count: *i, page_number: *i, page_size: *i, total_records: *i }

  # A user's cloud recordings (metadata only).
  - pathTemplate: "/v2/users/{userId}/recordings"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [from, to, page_size, next_page_token]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.meetings[*]['host_id','account_id']"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$..['topic','share_url','recording_play_passcode']", "$..recording_files[*]['download_url','file_path','play_url','agenda']"]
    responseSchema:
      type: object
      properties:
        { from: *s, meetings: { type: array, items: { $ref: "#/definitions/MeetingRecording" } }, next_page_token: *s,
          page_count: *i, page_number: *i, page_size: *i, to: *s, total_records: *i }

definitions:
  AuthenticationException: { type: object, properties: { email: *s } }
  BreakoutRoom: { type: object, properties: { enable: *b, rooms: { type: array, items: { $ref: "#/definitions/Room" } } } }
  ContinuousMeetingChat:
    { type: object, properties: { auto_add_invited_external_users: *b, auto_add_meeting_participants: *b, channel_id: *s, enable: *b, who_is_added: *s } }
  CustomKeysItem: { type: object, properties: { key: *s, value: *s } }
  EditedSummary: { type: object, properties: { next_steps: *strings, summary_details: *s, summary_overview: *s } }
  Interpreter: { type: object, properties: { email: *s, interpreter_languages: *s, languages: *s } }
  LanguageInterpretation: { type: object, properties: { enable: *b, interpreters: { type: array, items: { $ref: "#/definitions/Interpreter" } } } }
  Meeting:
    { type: object, properties: { created_at: *dt, duration: *i, host_id: *s, id: *i, sourceId: *s, start_time: *dt, timezone: *s, type: *i } }
  MeetingInvitee: { type: object, properties: { email: *s, internal_user: *b } }
  MeetingOccurrence:
    type: object
    properties:
      { duration: *i, end_time: *dt, host_id: *s, meeting_id: *s, meeting_type: *i,
        participants: { type: array, items: { $ref: "#/definitions/MeetingParticipant" } }, participants_count: *i,
        start_time: *dt, topic_length: *i, total_minutes: *i, user_id: *s, uuid: *s, workItemId: *s }
  MeetingParticipant:
    type: object
    properties:
      { bo_mtg_id: *s, customer_key: *s, duration: *i, failover: *b, id: *s, join_time: *dt, leave_time: *dt, name: *s,
        registrant_id: *s, status: *s, user_email: *s, user_id: *s }
  MeetingRecording:
    type: object
    properties:
      { account_id: *s, duration: *i, host_id: *s, id: *i, recording_count: *i,
        recording_files: { type: array, items: { $ref: "#/definitions/RecordingFile" } }, start_time: *dt, total_size: *i, type: *s, uuid: *s }
  MeetingSettings:
    type: object
    properties:
      { allow_host_control_participant_mute_state: *b, allow_multiple_devices: *b, alternative_host_update_polls: *b,
        alternative_hosts_email_notification: *b, approval_type: *i, audio: *s, authentication_domains: *s,
        authentication_exception: { type: array, items: { $ref: "#/definitions/AuthenticationException" } },
        auto_recording: *s, auto_start_ai_companion_questions: *b, auto_start_meeting_summary: *b,
        breakout_room: { $ref: "#/definitions/BreakoutRoom" }, calendar_type: *i, close_registration: *b, cn_meeting: *b,
        contact_email: *s, continuous_meeting_chat: { $ref: "#/definitions/ContinuousMeetingChat" }, device_testing: *b,
        disable_participant_video: *b, email_notification: *b, encryption_type: *s, enforce_login: *b, focus_mode: *b,
        host_save_video_order: *b, host_video: *b, in_meeting: *b, internal_meeting: *b, jbh_time: *i, join_before_host: *b,
        language_interpretation: { $ref: "#/definitions/LanguageInterpretation" }, meeting_authentication: *b,
        meeting_invitees: { type: array, items: { $ref: "#/definitions/MeetingInvitee" } }, mute_upon_entry: *b,
        participant_focused_meeting: *b, participant_video: *b, private_meeting: *b, push_change_to_calendar: *b,
        question_and_answer: { $ref: "#/definitions/QuestionAndAnswer" }, registrants_confirmation_email: *b,
        registrants_email_notification: *b, registration_type: *i,
        resources: { type: array, items: { $ref: "#/definitions/Resource" } }, show_share_button: *b,
        sign_language_interpretation: { $ref: "#/definitions/SignLanguageInterpretation" }, use_pmi: *b, waiting_room: *b,
        watermark: *b, who_can_ask_questions: *i, who_will_receive_summary: *i }
  MeetingsItem:
    type: object
    properties:
      { custom_keys: { type: array, items: { $ref: "#/definitions/CustomKeysItem" } }, duration: *i, end_time: *dt, host_id: *s,
        id: *i, join_time: *s, join_waiting_room_time: *s, leave_time: *s, participants_count: *i, schedule_time: *s,
        session_key: *s, source: *s, start_time: *dt, topic: *s, total_minutes: *i, type: *i, user_email: *s, user_name: *s, uuid: *s }
  QuestionAndAnswer:
    { type: object, properties: { allow_anonymous_questions: *b, allow_submit_questions: *b, attendees_can_comment: *b, attendees_can_upvote: *b, enable: *b, question_visibility: *s } }
  RecordingFile:
    type: object
    properties:
      { deleted_time: *dt, file_extension: *s, file_size: *i, file_type: *s, id: *s, meeting_id: *s, recording_end: *dt,
        recording_start: *dt, recording_type: *s, status: *s }
  Resource: { type: object, properties: { permission_level: *s, resource_id: *s, resource_type: *s } }
  Room: { type: object, properties: { participants: *strings } }
  SignInterpreter: { type: object, properties: { email: *s, sign_language: *s } }
  SignLanguageInterpretation: { type: object, properties: { enable: *b, interpreters: { type: array, items: { $ref: "#/definitions/SignInterpreter" } } } }
  SummaryDetail: { type: object, properties: { label: *s, summary: *s } }
  User:
    type: object
    properties:
      { created_at: *dt, email: *s, fullName: *s, group_ids: *strings, id: *s, im_group_ids: *strings, last_login_time: *dt,
        pmi: *i, status: *s, timezone: *s, type: *i }
`;
