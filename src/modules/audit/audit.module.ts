import { Global, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { bindAuditInterceptor } from './audit-binding.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

export const AUDIT_BINDING = Symbol('AUDIT_BINDING');

/** The audit trail: global, so every module can record; every write and @Audit read passes the interceptor. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditController],
  providers: [
    AuditService,
    AuditRepository,
    AuditInterceptor,
    {
      provide: AUDIT_BINDING,
      inject: [DiscoveryService, MetadataScanner, AuditInterceptor],
      useFactory: (discovery: DiscoveryService, scanner: MetadataScanner, interceptor: AuditInterceptor) => bindAuditInterceptor(discovery, scanner, interceptor),
    },
  ],
  exports: [AuditService],
})
export class AuditModule {}
