/** The live stream's wire format, for its OpenAPI description (clients need it; the schema can only say "string"). */
export const STREAM_DESCRIPTION = [
  'Server-Sent Events (text/event-stream). Each visible event is one frame:',
  '',
  '```',
  'id: <cursor>',
  'event: <type>',
  'data: <the event as JSON, the same object the replay lists>',
  '```',
  '',
  'Starts after `Last-Event-ID` (header, sent by EventSource on reconnect) or `after`; with neither, at the',
  'zone’s current end. Permissions are applied when each event is sent. A comment line `: heartbeat`',
  'comes every NEXUS_EVENT_STREAM_HEARTBEAT_MS. A client that stops reading gets, once',
  'NEXUS_EVENT_STREAM_MAX_PENDING events wait for it, a last frame `event: overflow` whose `data` is the',
  'cursor to resume from, and the stream ends. If the credential is revoked or expires (or its subject is',
  'disabled) while the stream is open, a last frame `event: unauthorized` ends it before anything more is',
  'sent (checked before each batch and at each heartbeat); reconnecting then answers 401.',
  'Errors before the stream starts answer as JSON.',
].join('\n');
