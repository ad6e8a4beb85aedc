import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { GROWTH, MEASUREMENT } from '../../openapi/schemas.js';
import { Audit } from '../audit/audit.decorator.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { RecordMeasurementDto } from './dto/measurement.dto.js';
import { MeasurementsService } from './measurements.service.js';

@ApiTags('growth')
@ApiBearerAuth()
@Controller('api/v1/subjects/:id')
export class MeasurementsController {
  constructor(private readonly measurements: MeasurementsService) {}

  @Post('measurements')
  @Roles('admin', 'case_manager')
  @Audit({ action: 'measurement.record', entityType: 'measurement', subjects: (c) => c.params.id })
  @ApiOperation({
    summary: 'Record a measurement: WHO z-scores, Permenkes category and flags; a stunted child gets a case, an intervened case is re-measured',
  })
  @ApiAnswer(201, MEASUREMENT, 'the reading, scored; caseId names a case it opened or re-measured')
  @ApiErrors(409)
  record(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: RecordMeasurementDto) {
    return this.measurements.record(actor, id, dto);
  }

  @Get('growth')
  @Roles('admin', 'case_manager', 'auditor')
  @Audit({ action: 'subject.growth', entityType: 'subject', subjects: (c) => c.params.id })
  @ApiOperation({ summary: "A child's measurements over time with z-scores and the WHO −3/−2/0/+2 length/height lines at each age" })
  @ApiAnswer(200, GROWTH)
  growth(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.measurements.growth(actor, id);
  }
}
