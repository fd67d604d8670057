import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { WorkflowsController } from './api/workflows.controller';
import { YamlBodyInstaller } from './api/yaml-body';
import { WorkflowsService } from './service/workflows.service';

/**
 * The workflows domain. The API side manages definitions (validated strictly,
 * exported and imported as JSON or YAML). Executions are not built yet.
 */
@Module({})
export class WorkflowsModule {
  static forApi(): DynamicModule {
    return {
      module: WorkflowsModule,
      controllers: [WorkflowsController],
      providers: [YamlBodyInstaller, WorkflowsService],
    };
  }
}
