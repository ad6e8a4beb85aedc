import {
  Body,
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  type NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { rmSync } from 'node:fs';
import { catchError, type Observable, throwError } from 'rxjs';
import { ValidationFailed } from '../../common/errors/domain-error.js';
import { parseIfMatch, requireIfMatch } from '../../common/http/if-match.js';
import { ApiAnswer, ApiErrors, ApiEventBody } from '../../common/http/openapi.js';
import { UuidParamDto } from '../../common/http/uuid-param.dto.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AKSI_CYCLE, AKSI_DOCUMENT, AKSI_DOCUMENT_LIST, AKSI_READINESS } from '../../openapi/schemas.js';
import type { Actor } from '../identity/actor.js';
import { CurrentActor, Roles, WideScope } from '../identity/auth.decorators.js';
import { AKSI_DOCUMENT_ACTORS, AKSI_DOCUMENT_EVENT_ROLES, AKSI_READERS } from './aksi-document.lifecycle.js';
import { AksiCyclesService } from './aksi-cycles.service.js';
import { AksiDocumentsService, type DocumentView } from './aksi-documents.service.js';
import { AksiReadinessService } from './aksi-readiness.service.js';
import {
  AKSI_DOCUMENT_EVENT_PAYLOADS,
  CreateDocumentDto,
  CycleDto,
  CycleRegionQueryDto,
  ListDocumentsQueryDto,
  parseAksiDocumentCommand,
  PutScoresDto,
  ReadinessQueryDto,
  VersionParamDto,
  YearParamDto,
} from './dto/aksi.dto.js';

const withEtag = (res: Response, view: DocumentView): DocumentView => {
  res.setHeader('ETag', `"${view.version}"`);
  return view;
};

/** Says which limit an evidence upload hit, in the product's words (multer says "File too large"). */
@Injectable()
class EvidenceUploadLimit implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((e: unknown) =>
        throwError(() =>
          e instanceof PayloadTooLargeException
            ? new PayloadTooLargeException(`the file is larger than the ${Math.round(this.config.aksiMaxFileBytes / 1024 / 1024)} MB an evidence version takes (AKSI_MAX_FILE_BYTES)`)
            : e,
        ),
      ),
    );
  }
}

@ApiTags('aksi')
@ApiBearerAuth()
@Controller('api/v1/aksi')
export class AksiController {
  constructor(
    private readonly cycles: AksiCyclesService,
    private readonly documents: AksiDocumentsService,
    private readonly readinessService: AksiReadinessService,
  ) {}

  @Put(':year/cycle')
  @WideScope()
  @Roles('admin')
  @ApiOperation({
    summary:
      "Set the year's assessment cycle: a regency admin its regency's, a province admin the province's (its regencies follow it unless they set their own). Dates are local calendar days in order; weights add up to 100",
  })
  @ApiAnswer(200, AKSI_CYCLE, 'the cycle that now applies to the region')
  @ApiErrors(403, 404)
  putCycle(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Query() q: CycleRegionQueryDto, @Body() dto: CycleDto) {
    return this.cycles.put(actor, year, q.regionCode, dto);
  }

  @Get(':year/cycle')
  @WideScope()
  @Roles(...AKSI_READERS)
  @ApiOperation({ summary: "The cycle that applies to your region (or regionCode's inside it): its own, its province's, or none yet (source null, default weights)" })
  @ApiAnswer(200, AKSI_CYCLE)
  @ApiErrors(404)
  getCycle(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Query() q: CycleRegionQueryDto) {
    return this.cycles.get(actor, year, q.regionCode);
  }

  @Post(':year/documents')
  @Roles('admin', 'case_manager')
  @ApiOperation({ summary: "Open an evidence document for an action (1-8), owned by an OPD (default the regency's BAPPEDA); it starts in draft, due at the cycle's upload deadline" })
  @ApiAnswer(201, AKSI_DOCUMENT, 'the document; ETag = version')
  @ApiErrors(409)
  async create(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Body() dto: CreateDocumentDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.documents.create(actor, year, dto));
  }

  @Get(':year/documents')
  @Roles(...AKSI_READERS)
  @ApiOperation({ summary: "The year's evidence documents of your regency, by action" })
  @ApiAnswer(200, AKSI_DOCUMENT_LIST)
  list(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Query() q: ListDocumentsQueryDto) {
    return this.documents.list(actor, year, q);
  }

  @Get('documents/:id')
  @Roles(...AKSI_READERS)
  @ApiOperation({ summary: 'An evidence document with its file versions, its history, its deadline and what you may do next. ETag = version' })
  @ApiAnswer(200, AKSI_DOCUMENT)
  async get(@CurrentActor() actor: Actor, @Param() { id }: UuidParamDto, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.documents.get(actor, id));
  }

  @Post('documents/:id/events')
  @HttpCode(200)
  @Roles(...AKSI_DOCUMENT_ACTORS)
  @ApiOperation({ summary: 'Move the document: {type, ...payload}. 428 without If-Match, 409 VERSION_CONFLICT / INVALID_TRANSITION, 422 GUARD_FAILED' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the version (ETag) you last read' })
  @ApiEventBody('AksiDocumentEvent', AKSI_DOCUMENT_EVENT_PAYLOADS, AKSI_DOCUMENT_EVENT_ROLES, { type: 'REQUEST_REVISION', reason: 'Berita acara belum ditandatangani' })
  @ApiAnswer(200, AKSI_DOCUMENT, 'the document after the event; ETag = its new version')
  @ApiErrors(409, 422, 428)
  async event(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const version = requireIfMatch(ifMatch);
    return withEtag(res, await this.documents.apply(actor, id, version, parseAksiDocumentCommand(body)));
  }

  @Post('documents/:id/versions')
  @HttpCode(201)
  @Roles('opd_liaison', 'case_manager', 'admin')
  @UseInterceptors(EvidenceUploadLimit, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'the evidence file (one)' } } } })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the version (ETag) you last read' })
  @ApiOperation({
    summary:
      'Add a file version (n+1): kept in the evidence file store (a directory or an S3-compatible bucket) by its sha256, described in the table. Refused (409) while the document is uploaded, revision_requested or accepted; a version in ready takes it back to draft. 503 when the file store cannot be reached: nothing is recorded',
  })
  @ApiAnswer(201, AKSI_DOCUMENT, 'the document with the new version; ETag = its new version')
  @ApiErrors(409, 413, 503)
  async addVersion(
    @CurrentActor() actor: Actor,
    @Param() { id }: UuidParamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file) throw ValidationFailed.field('file', 'is required (multipart field "file")');
    try {
      return withEtag(res, await this.documents.addVersion(actor, id, parseIfMatch(ifMatch), file));
    } finally {
      rmSync(file.path, { force: true });
    }
  }

  @Get('documents/:id/versions/:n')
  @Roles(...AKSI_READERS)
  @ApiOperation({ summary: "A file version's body, as uploaded (Content-Type and filename as given); its sha256 in the ETag" })
  @ApiResponse({ status: 200, description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 503)
  async version(@CurrentActor() actor: Actor, @Param() { id, n }: VersionParamDto, @Res({ passthrough: true }) res: Response) {
    const v = await this.documents.versionFile(actor, id, n);
    res.setHeader('ETag', `"${v.sha256}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(v.body, { type: v.contentType, length: v.size, disposition: attachment(v.filename) });
  }

  @Get(':year')
  @WideScope()
  @Roles(...AKSI_READERS)
  @ApiOperation({
    summary:
      "Where the regency's year stands: per action its documents by state, those still being prepared after the upload day and their owner OPDs, Master Ansit completeness, days to the deadline, and the panel's points weighed by the cycle",
  })
  @ApiAnswer(200, AKSI_READINESS)
  @ApiErrors(400, 404)
  readiness(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Query() q: ReadinessQueryDto) {
    return this.readinessService.readiness(actor, year, q.regionCode);
  }

  @Put(':year/scores')
  @WideScope()
  @Roles('admin', 'case_manager')
  @ApiOperation({
    summary:
      "Record a panelist's points (0-100) for the assessment components, as the province panel gave them; a component's points are the mean of its panelists'. Answers the readiness view with the weighted total",
  })
  @ApiAnswer(200, AKSI_READINESS)
  @ApiErrors(400, 403, 404)
  putScores(@CurrentActor() actor: Actor, @Param() { year }: YearParamDto, @Body() dto: PutScoresDto) {
    return this.readinessService.putScores(actor, year, dto);
  }
}

/** RFC 6266: an ASCII fallback and the UTF-8 name, so a village's name in a filename survives. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
