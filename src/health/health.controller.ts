import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ApiAnswer, ApiPublic, obj, oneOfValues } from '../common/http/openapi.js';
import { Public } from '../modules/identity/auth.decorators.js';

const HEALTH = obj({ status: oneOfValues(['ok', 'unavailable']), database: oneOfValues(['up', 'down']) });

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Public()
  @ApiPublic()
  @ApiAnswer(200, HEALTH, 'the database answers')
  @ApiAnswer(503, HEALTH, 'the database does not answer')
  @ApiOperation({ summary: 'Liveness and database check: 200 when the database answers, else 503' })
  async check(@Res({ passthrough: true }) res: Response): Promise<{ status: string; database: string }> {
    try {
      await this.ds.query('SELECT 1');
      return { status: 'ok', database: 'up' };
    } catch {
      res.status(503);
      return { status: 'unavailable', database: 'down' };
    }
  }
}
