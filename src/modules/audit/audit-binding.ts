import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { AUDIT } from './audit.decorator.js';
import { AuditInterceptor } from './audit.interceptor.js';

/** A route the trail must see: every write, and every read marked @Audit. */
export function needsAudit(method: RequestMethod, handler: object, controller: object): boolean {
  if (method !== RequestMethod.GET && method !== RequestMethod.HEAD) return true;
  return Reflect.getMetadata(AUDIT, handler) !== undefined || Reflect.getMetadata(AUDIT, controller) !== undefined;
}

/**
 * Puts the audit interceptor, outermost, on exactly the routes that need it, decided once at
 * start from each route's method and @Audit, instead of running it on every request as a global
 * interceptor: Nest then builds no observable chain for a plain read (a sixth of a cheap GET's
 * time). Runs when the module's providers are made, before Nest registers the routes; the routes
 * left without it are the GET routes with no @Audit, and audit.e2e-spec checks that. A second app
 * made in the same process before the first registers its routes would hand the first its
 * interceptor: main.ts makes one app, and the tests make and start one at a time.
 */
export function bindAuditInterceptor(discovery: DiscoveryService, scanner: MetadataScanner, interceptor: AuditInterceptor): number {
  let bound = 0;
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as { prototype: Record<string, unknown> } | null;
    if (!controller) continue;
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined || !needsAudit(method, handler, controller)) continue;
      // Route metadata lives on the controller class, shared by every app the process makes (the
      // tests make many): replace an earlier app's interceptor, whose database may be closed. Nest
      // reads the list when it registers the app's routes, so each app keeps its own.
      const others = ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? []).filter((i) => !(i instanceof AuditInterceptor));
      Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...others], handler);
      bound++;
    }
  }
  return bound;
}
