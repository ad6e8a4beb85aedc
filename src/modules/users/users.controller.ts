import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiErrors, ApiPage } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserResponseDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @WideScope()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Who am I: your account, role and scope' })
  @ApiAnswer(200, UserResponseDto)
  me(@CurrentActor() actor: Actor) {
    return this.users.me(actor);
  }

  @Post()
  @WideScope()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin); an opd_liaison needs opdCode (or opdId), a csr_partner sponsorId' })
  @ApiAnswer(201, UserResponseDto)
  @ApiErrors(409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Get()
  @WideScope()
  @Roles('admin')
  @ApiOperation({ summary: 'List users in your regency (all regencies for a national admin)' })
  @ApiPage(UserResponseDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQueryDto) {
    return this.users.list(actor, query);
  }

  @Get(':id')
  @WideScope()
  @Roles('admin')
  @ApiOperation({ summary: 'A user of your regency' })
  @ApiAnswer(200, UserResponseDto)
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.users.get(actor, id);
  }

  @Patch(':id')
  @WideScope()
  @Roles('admin')
  @ApiOperation({ summary: 'Update a user; {active: false} disables them and ends their sessions at once' })
  @ApiAnswer(200, UserResponseDto)
  @ApiErrors(409)
  update(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: UpdateUserDto) {
    return this.users.update(actor, id, dto);
  }
}
