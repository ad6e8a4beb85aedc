import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError, Forbidden } from '../../common/errors/domain-error.js';
import { type Actor, aggregatesOnly, BY_NAME_REFUSED } from './actor.js';
import { IS_PUBLIC, ROLES, WIDE_SCOPE } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import type { Role } from './role.js';

interface RouteRule {
  isPublic: boolean;
  roles: Role[];
  wideScope: boolean;
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public, and its caller's
 * role must be listed in @Roles. A route without @Roles is refused to everyone. A province user
 * or national viewer is further refused every route not marked @WideScope: by-name access is
 * closed to them by default, not route by route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  /** A route's metadata never changes after start: read it once per controller and handler, not per request. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteRule>>();

  private ruleOf(ctx: ExecutionContext): RouteRule {
    const handler = ctx.getHandler();
    const controller = ctx.getClass();
    let ofController = this.routes.get(controller);
    if (ofController === undefined) this.routes.set(controller, (ofController = new WeakMap()));
    let rule = ofController.get(handler);
    if (rule === undefined) {
      const targets = [handler, controller];
      rule = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [],
        wideScope: this.reflector.getAllAndOverride<boolean>(WIDE_SCOPE, targets) ?? false,
      };
      ofController.set(handler, rule);
    }
    return rule;
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.ruleOf(ctx);
    if (rule.isPublic) return true;
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new DomainError('UNAUTHENTICATED', 'a bearer token is required');
    }
    const actor = await this.auth.authenticate(token);
    req.actor = actor;
    if (aggregatesOnly(actor) && !rule.wideScope) throw new Forbidden(BY_NAME_REFUSED);
    if (!rule.roles.includes(actor.role)) throw new Forbidden(`the role ${actor.role} may not do this`);
    return true;
  }
}
