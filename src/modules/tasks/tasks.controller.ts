import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { requireIfMatch } from '../../common/http/if-match.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { CreateTaskDto, ListTasksQueryDto, parseTaskCommand } from './dto/task.dto.js';
import { TASK_EVENT_TYPES } from './machine/task.types.js';
import { TASK_ACTORS, TASK_READERS } from './task-permissions.js';
import { type TaskView, TasksService } from './tasks.service.js';

const withEtag = (res: Response, view: TaskView): TaskView => {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
};

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/v1')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post('cases/:id/tasks')
  @Roles('case_manager')
  @ApiOperation({ summary: 'Give an OPD a follow-up task for the case (audits create them from their recommendations)' })
  async create(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: CreateTaskDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.tasks.create(actor, id, dto));
  }

  @Get('tasks')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: "The inbox: tasks by step deadline, most urgent first. An OPD liaison sees their own OPD's only" })
  list(@CurrentActor() actor: Actor, @Query() q: ListTasksQueryDto) {
    return this.tasks.list(actor, q);
  }

  @Get('tasks/:id')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: 'A task: its step, deadlines, escalation level and what you may do next. ETag = version' })
  async get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.tasks.get(actor, id));
  }

  @Get('tasks/:id/history')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: 'Everything that happened to the task, in order (append-only)' })
  history(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.tasks.history(actor, id);
  }

  @Post('tasks/:id/events')
  @HttpCode(200)
  @Roles(...TASK_ACTORS)
  @ApiOperation({ summary: 'Move the task: {type, ...payload}. 428 without If-Match, 409 VERSION_CONFLICT / INVALID_TRANSITION' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version (ETag) you last read' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string', enum: [...TASK_EVENT_TYPES] } },
      additionalProperties: true,
      example: { type: 'COMPLETE', note: 'PMT diberikan 90 hari', evidence: [{ kind: 'photo', description: 'Foto serah terima' }] },
    },
  })
  async event(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const version = requireIfMatch(ifMatch);
    return withEtag(res, await this.tasks.apply(actor, id, version, parseTaskCommand(body)));
  }
}
