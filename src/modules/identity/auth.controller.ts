import { Body, Controller, HttpCode, Ip, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPublic } from '../../common/http/openapi.js';
import { Audit } from '../audit/audit.decorator.js';
import { Public } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { LoginDto, TokenResponseDto } from './dto/login.dto.js';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @Audit({ action: 'login', skip: true })
  @ApiOperation({ summary: 'Exchange a username and password for a bearer token' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiPublic()
  @ApiErrors(401, 429)
  login(@Body() dto: LoginDto, @Ip() ip: string, @Req() req: { id?: unknown }): Promise<TokenResponseDto> {
    return this.auth.login(dto.username, dto.password, ip, typeof req.id === 'string' ? req.id : undefined);
  }
}
