import { Module } from '@nestjs/common';
import { AnsitController } from './ansit.controller.js';
import { AnsitRepository } from './ansit.repository.js';
import { AnsitService } from './ansit.service.js';

@Module({
  controllers: [AnsitController],
  providers: [AnsitService, AnsitRepository],
  exports: [AnsitService],
})
export class AnsitModule {}
