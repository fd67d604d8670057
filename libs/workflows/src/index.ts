// Workflows: trigger → conditions → actions on file events (in progress: definitions).
export * from './definition/workflow-definition';
export * from './definition/parse-definition';
export * from './definition/cron';
export * from './definition/template';
export * from './definition/definition-format';
export * from './workflows.domain';
export * from './workflows.errors';
export * from './entities/workflow.entity';
export * from './execution/condition-eval';
export * from './execution/template-values';
