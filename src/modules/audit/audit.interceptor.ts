import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mergeMap, type Observable } from 'rxjs';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { Actor } from '../identity/actor.js';
import { AUDIT, type AuditContext, type AuditSpec } from './audit.decorator.js';
import { AuditService } from './audit.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PURPOSE = 200;

interface AuditedRequest {
  method: string;
  id?: unknown;
  actor?: Actor;
  params: Record<string, string>;
  query: Record<string, unknown>;
  route?: { path?: string };
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Records every write, and every read a route marks with @Audit, in the audit trail before the
 * response goes out: a request whose entry cannot be written fails rather than go unrecorded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AuditedRequest>();
    const spec = this.reflector.getAllAndOverride<AuditSpec | undefined>(AUDIT, [context.getHandler(), context.getClass()]);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (spec?.skip || (!spec && !write) || (!write && !this.config.auditReads)) return next.handle();
    const raw = req.headers['x-purpose'];
    const purpose = typeof raw === 'string' ? [...raw].map((ch) => (ch < ' ' || ch === '\u007f' ? ' ' : ch)).join('').trim() : '';
    if (purpose.length > MAX_PURPOSE) throw ValidationFailed.field('X-Purpose', `must be at most ${MAX_PURPOSE} characters`);
    if (spec?.purposeRequired?.({ params: req.params, query: req.query, role: req.actor?.role ?? null }) && !purpose) {
      throw ValidationFailed.field('X-Purpose', 'header is required here: say why you need this (for example "verifikasi data kasus AKS")');
    }
    return next.handle().pipe(
      mergeMap(async (response: unknown) => {
        const c: AuditContext = { params: req.params, query: req.query, response };
        const subjects = spec?.subjects?.(c);
        const list = Array.isArray(subjects) ? [...new Set(subjects)] : null;
        const id = req.params.id && UUID.test(req.params.id) ? req.params.id : ((response as { id?: string } | null)?.id ?? null);
        const type = (req.body as { type?: unknown } | undefined)?.type;
        await this.audit.record({
          actor: req.actor ?? null,
          regencyCode: spec?.regency?.(c) ?? (response as { regencyCode?: string } | null)?.regencyCode ?? undefined,
          action: spec?.action ?? `${req.method} ${req.route?.path ?? ''}`,
          entityType: spec?.entityType,
          entityId: typeof id === 'string' && UUID.test(id) ? id : null,
          subjectId: typeof subjects === 'string' ? subjects : null,
          purpose: purpose || null,
          requestId: typeof req.id === 'string' ? req.id : null,
          details: {
            ...(list ? { subjectIds: list } : {}),
            ...(write && typeof type === 'string' && type.length <= 40 ? { type } : {}),
            ...(spec ? {} : { route: req.route?.path ?? null }),
          },
        });
        return response;
      }),
    );
  }
}
