import type { ApiUnderTest } from './api-under-test';

/** One message as GET /api/v1/subscriptions/:id/deliveries lists it. */
export interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  latencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

/** Writes a file (creating its directories) as `key`; throws on anything but success. */
export async function putFile(
  api: ApiUnderTest,
  key: string,
  path: string,
  content = `content of ${path}`,
): Promise<void> {
  const response = await fetch(`${api.baseUrl}/api/v1/files${path}?parents=true`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}` },
    body: Buffer.from(content),
  });
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`PUT ${path}: ${response.status}`);
}

/** A subscription's messages, newest first (first page). */
export async function listDeliveries(
  api: ApiUnderTest,
  key: string,
  subscriptionId: string,
): Promise<Delivery[]> {
  const reply = await api.call<{ items: Delivery[] }>(
    'GET',
    `/api/v1/subscriptions/${subscriptionId}/deliveries`,
    key,
  );
  if (reply.status !== 200) throw new Error(`deliveries: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.items;
}
