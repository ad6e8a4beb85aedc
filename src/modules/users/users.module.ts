import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** User administration, on top of identity's users table and organisations' OPDs and sponsors. */
@Module({
  imports: [IdentityModule, OrganisationsModule],
  controllers: [UsersController],
  providers: [UsersService],
})
export class UsersModule {}
