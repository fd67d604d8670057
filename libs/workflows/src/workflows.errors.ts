import { ConflictError, NotFoundError, PermissionDeniedError } from '@nexus/core';

/** Stable codes of the errors the workflows domain raises on purpose. */
export const WorkflowsErrorCode = {
  WorkflowNotFound: 'WORKFLOW_NOT_FOUND',
  WorkflowNameTaken: 'WORKFLOW_NAME_TAKEN',
  NotWorkflowOwner: 'NOT_WORKFLOW_OWNER',
  InvalidWorkflow: 'INVALID_WORKFLOW',
} as const;

/** Also the answer for another zone's workflow: its existence is not revealed. */
export function workflowNotFound(id: string): NotFoundError {
  return new NotFoundError(`Workflow ${id} not found`, WorkflowsErrorCode.WorkflowNotFound, { id });
}

export function workflowNameTaken(name: string): ConflictError {
  return new ConflictError(`name: a workflow named "${name}" exists in this zone`, WorkflowsErrorCode.WorkflowNameTaken, {
    field: 'name',
    name,
  });
}

/** Only its owner or a zone admin may change a workflow (it runs with the owner's permissions). */
export function notWorkflowOwner(id: string): PermissionDeniedError {
  return new PermissionDeniedError(
    `Workflow ${id} belongs to another subject; only its owner or a zone admin may change it`,
    WorkflowsErrorCode.NotWorkflowOwner,
    { id },
  );
}
