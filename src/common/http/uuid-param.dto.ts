import { IsUUID } from 'class-validator';

export class UuidParamDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
