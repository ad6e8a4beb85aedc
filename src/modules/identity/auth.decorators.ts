import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor } from './actor.js';
import type { Role } from './role.js';

export const IS_PUBLIC = 'tuntas:public';
export const ROLES = 'tuntas:roles';
export const WIDE_SCOPE = 'tuntas:wide-scope';

/** No token needed (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed to call a route. A route without it is refused to everyone: access fails closed. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Province users and national viewers (see `aggregatesOnly`) may call this route: it answers
 * aggregates confined by `aggregatePrefix`, reference data, or the caller's own account, never a
 * record by name. Every route without it is refused to them, whatever its @Roles say.
 */
export const WideScope = () => SetMetadata(WIDE_SCOPE, true);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
