import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '../identity/identity.module.js';
import { OpdEntity } from './opd.entity.js';
import { OpdsRepository } from './opds.repository.js';
import { OpdsService } from './opds.service.js';
import { OpdsController, SponsorsController } from './organisations.controller.js';
import { SponsorEntity, SponsorRegencyEntity } from './sponsor.entity.js';
import { SponsorsRepository } from './sponsors.repository.js';
import { SponsorsService } from './sponsors.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OpdEntity, SponsorEntity, SponsorRegencyEntity]), IdentityModule],
  controllers: [OpdsController, SponsorsController],
  providers: [OpdsService, OpdsRepository, SponsorsService, SponsorsRepository],
  exports: [OpdsService, SponsorsService],
})
export class OrganisationsModule {}
