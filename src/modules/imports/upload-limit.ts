import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/** Says which limit an upload hit, in the product's words (multer says "File too large"). */
@Injectable()
export class UploadLimit implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((e: unknown) => throwError(() => (e instanceof PayloadTooLargeException ? tooLarge(this.config) : e))));
  }
}

export function tooLarge(config: AppConfig) {
  return new PayloadTooLargeException(`the file is larger than the ${Math.round(config.importMaxBytes / 1024 / 1024)} MB an import takes (IMPORT_MAX_BYTES)`);
}

