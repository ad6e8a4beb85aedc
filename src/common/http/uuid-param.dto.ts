import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class UuidParamDto {
  @ApiProperty({ format: 'uuid', description: 'the record id' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
