import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { NotFound } from '../../common/errors/domain-error.js';
import { ApiErrors, ApiPage } from '../../common/http/openapi.js';
import type { Page } from '../../common/http/pagination.js';
import { REGION } from '../../openapi/schemas.js';
import { ALL_ROLES } from '../identity/role.js';
import { Roles, WideScope } from '../identity/auth.decorators.js';
import { type Region, RegionsService } from './regions.service.js';

class RegionsQueryDto {
  @ApiPropertyOptional({ example: '3216', description: 'parent code (2, 4 or 6 digits, dotted or not); omit for provinces; 404 when it names no region' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().replaceAll('.', '') : value))
  @Matches(/^([0-9]{2}|[0-9]{4}|[0-9]{6})$/, { message: 'parent must be a 2-, 4- or 6-digit region code' })
  parent?: string;
}

@ApiTags('regions')
@ApiBearerAuth()
@Controller('api/v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @WideScope()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'List the child regions of a region (Kemendagri codes), for pickers' })
  @ApiPage(REGION)
  @ApiErrors(404)
  list(@Query() query: RegionsQueryDto): Page<Region> {
    const items = this.regions.childrenOf(query.parent);
    if (!items) throw new NotFound('region');
    return { items, nextCursor: null };
  }
}
