export const SUBJECT_TYPES = ['user', 'agent', 'service'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const ROLES = ['viewer', 'editor', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: built by the auth guard from an API key or JWT. */
export interface Principal {
  subjectType: SubjectType;
  subjectId: string;
  zoneId: string;
  role: Role;
  superuser: boolean;
  keyId: string | null;
}
