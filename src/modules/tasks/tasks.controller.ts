import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiEventBody, ApiPage } from '../../common/http/openapi.js';
import { HISTORY_ENTRY, TASK } from '../../openapi/schemas.js';
import type { Response } from 'express';
import { requireIfMatch } from '../../common/http/if-match.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { CreateTaskDto, ListTasksQueryDto, parseTaskCommand, TASK_EVENT_PAYLOADS } from './dto/task.dto.js';
import { TASK_ACTORS, TASK_EVENT_ROLES, TASK_READERS } from './task-permissions.js';
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
  @ApiAnswer(201, TASK, 'the task, assigned; ETag = version')
  @ApiErrors(409)
  async create(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: CreateTaskDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.tasks.create(actor, id, dto));
  }

  @Get('tasks')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: "The inbox: tasks by step deadline, most urgent first. An OPD liaison sees their own OPD's only" })
  @ApiPage(TASK)
  list(@CurrentActor() actor: Actor, @Query() q: ListTasksQueryDto) {
    return this.tasks.list(actor, q);
  }

  @Get('tasks/:id')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: 'A task: its step, deadlines, escalation level and what you may do next. ETag = version' })
  @ApiAnswer(200, TASK)
  async get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.tasks.get(actor, id));
  }

  @Get('tasks/:id/history')
  @Roles(...TASK_READERS)
  @ApiOperation({ summary: 'Everything that happened to the task, in order (append-only)' })
  @ApiPage(HISTORY_ENTRY)
  history(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.tasks.history(actor, id);
  }

  @Post('tasks/:id/events')
  @HttpCode(200)
  @Roles(...TASK_ACTORS)
  @ApiOperation({ summary: 'Move the task: {type, ...payload}. 428 without If-Match, 409 VERSION_CONFLICT / INVALID_TRANSITION' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version (ETag) you last read' })
  @ApiEventBody('TaskEvent', TASK_EVENT_PAYLOADS, TASK_EVENT_ROLES, {
    type: 'COMPLETE',
    note: 'PMT diberikan 90 hari',
    evidence: [{ kind: 'photo', description: 'Foto serah terima' }],
  })
  @ApiAnswer(200, TASK, 'the task after the event; ETag = its new version')
  @ApiErrors(409, 428)
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
