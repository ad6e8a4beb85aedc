import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles } from '../identity/auth.decorators.js';
import { ALL_ROLES } from '../identity/role.js';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserResponseDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Who am I: your account, role and scope' })
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentActor() actor: Actor) {
    return this.users.me(actor);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin); opd_liaison needs opdId, csr_partner needs sponsorId' })
  @ApiOkResponse({ type: UserResponseDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List users in your regency (all regencies for a national admin)' })
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQueryDto) {
    return this.users.list(actor, query);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserResponseDto })
  get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto) {
    return this.users.get(actor, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Update a user; {active: false} disables them and ends their sessions at once' })
  @ApiOkResponse({ type: UserResponseDto })
  update(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Body() dto: UpdateUserDto) {
    return this.users.update(actor, id, dto);
  }
}
