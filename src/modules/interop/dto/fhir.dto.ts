import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination.js';
import { OptionalOrNull } from '../../../common/http/validators.js';

const URL_OPTIONS = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };

export class FhirSettingsDto {
  @ApiProperty({ description: 'send new and corrected readings of this regency' })
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled!: boolean;

  @ApiProperty({ example: 'https://api-satusehat-stg.dto.kemkes.go.id/fhir-r4/v1', description: 'FHIR base URL: transaction bundles are POSTed here' })
  @IsUrl(URL_OPTIONS, { message: 'baseUrl must be an http(s) URL' })
  @MaxLength(500)
  baseUrl!: string;

  @ApiProperty({ example: 'https://api-satusehat-stg.dto.kemkes.go.id/oauth2/v1/accesstoken', description: 'OAuth2 client-credentials token endpoint' })
  @IsUrl(URL_OPTIONS, { message: 'tokenUrl must be an http(s) URL' })
  @MaxLength(500)
  tokenUrl!: string;

  @ApiProperty()
  @IsString({ message: 'clientId must be a string' })
  @MinLength(1)
  @MaxLength(200)
  clientId!: string;

  @ApiPropertyOptional({ description: 'stored encrypted, never answered; required the first time, omitted keeps the stored one' })
  @IsOptional()
  @IsString({ message: 'clientSecret must be a string' })
  @MinLength(1)
  @MaxLength(500)
  clientSecret?: string;

  @ApiProperty({ example: '100026342', description: "the regency's Organization id on the platform (SATUSEHAT: its IHS Organization id)" })
  @Matches(/^[A-Za-z0-9.-]{1,64}$/, { message: 'organizationId must be 1-64 letters, digits, "." or "-"' })
  organizationId!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'URL of a local CodeSystem: z-scores and the Permenkes category are exported only when set' })
  @OptionalOrNull()
  @IsUrl(URL_OPTIONS, { message: 'zscoreSystem must be an http(s) URL' })
  @MaxLength(300)
  zscoreSystem?: string | null;
}

export class FhirExportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'invalid', 'dead'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'invalid', 'dead'], { message: 'status must be pending, sent, invalid or dead' })
  status?: 'pending' | 'sent' | 'invalid' | 'dead';

  @ApiPropertyOptional({ description: 'queued at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'queued before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;
}
