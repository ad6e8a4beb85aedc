import { anyObject, arr, bool, dateTime, day, inlineOnly, int, named, nullable, num, obj, oneOfValues, str, uuid } from '../common/http/openapi.js';
import { CASE_EVENT_TYPES, CASE_STATES, CLOSE_REASONS } from '../modules/cases/machine/case.types.js';
import { ALL_ROLES } from '../modules/identity/role.js';
import { INTERVENTION_EVENT_TYPES, INTERVENTION_STATES } from '../modules/interventions/machine/intervention.types.js';
import { OUTCOME_BANDS } from '../modules/interventions/interventions.service.js';
import { EVIDENCE_KINDS, TASK_EVENT_TYPES, TASK_STATES } from '../modules/tasks/machine/task.types.js';
import { CHANNELS, RECIPIENT_RULES } from '../modules/escalation/policy.js';
import { TARGET_GROUPS } from '../modules/subjects/subject.entity.js';
import { RELATIONS } from '../modules/families/dto/family.dto.js';
import { FACTOR_FLAGS, KRS_RULES, KRS_TRANSITIONS, TARGET_FLAGS } from '../modules/families/krs.js';
import { VISIT_ACTIONS, VISIT_GROUPS, VISIT_KINDS } from '../modules/visits/dto/visit.dto.js';
import { SCREENING_REASONS } from '../modules/visits/screening.js';
import { TPK_ROLES } from '../modules/visits/tpk-teams.repository.js';
import { AGENCY_TYPES, TIMELINE_KINDS } from '../modules/reports/timeline.types.js';

/**
 * The answers' shapes, one named schema per view the services build. They mirror the view
 * interfaces (cases.service.ts CaseView, …); the contract test fails when the two drift.
 */
const regencyCode = () => str({ pattern: '^[0-9]{4}$', example: '3216' });
const villageCode = () => str({ pattern: '^[0-9]{10}$', example: '3216062005' });

export const HISTORY_ENTRY = named(
  'HistoryEntry',
  obj({
    seq: int({ description: '1 for the first entry, counting up' }),
    type: str({ description: 'the event, or CREATE/OPEN for the first entry' }),
    fromState: nullable(str()),
    toState: str(),
    payload: anyObject('what the event carried'),
    actor: nullable(obj({ id: nullable(uuid()), role: nullable(str()) })),
    cause: nullable(
      obj(
        { aggregate: str({ example: 'intervention' }), id: uuid(), event: str({ example: 'DELIVER' }) },
        [],
        { description: "set when the entry is another event's effect (a delivery started the case's intervention, a finished case cancelled a task); the actor is who started the chain" },
      ),
    ),
    at: dateTime(),
  }, ['cause']),
);

/**
 * A child as the caller's role may see it (src/modules/subjects/subject-projection.ts): the roles
 * that work cases get the name, sex, birth date and regency; a viewer, an OPD liaison or a TPK
 * member only the first name, target group, age band and village.
 */
const SUBJECT_SUMMARY = inlineOnly(
  'SubjectSummary',
  obj(
    {
      id: uuid(),
      firstName: str({ description: 'the first given name (or initial)' }),
      targetGroup: oneOfValues(TARGET_GROUPS),
      ageBand: nullable(str({ description: 'for children; null for adults' })),
      villageCode: villageCode(),
      villageName: nullable(str()),
      districtName: nullable(str({ description: 'the kecamatan' })),
      name: str({ description: 'for the roles that work cases only' }),
      sex: oneOfValues(['M', 'F']),
      birthDate: day(),
      regencyCode: regencyCode(),
    },
    ['name', 'sex', 'birthDate', 'regencyCode'],
  ),
);

export const CASE = named(
  'Case',
  obj({
    id: uuid(),
    regencyCode: regencyCode(),
    state: oneOfValues(CASE_STATES),
    version: int({ description: 'send it back as If-Match (it is also the ETag)' }),
    machineVersion: int(),
    stepEnteredAt: dateTime(),
    stepDueAt: nullable(dateTime()),
    overdue: bool(),
    escalationLevel: int({ description: 'the highest escalation rung fired on this step; 0 for none' }),
    allowedEvents: arr(oneOfValues(CASE_EVENT_TYPES), { description: 'what you may send now' }),
    subject: nullable(SUBJECT_SUMMARY),
    assignee: nullable(obj({ id: uuid(), displayName: str() })),
    source: oneOfValues(['manual', 'eppgbm', 'referral']),
    openedAt: dateTime(),
    updatedAt: dateTime(),
    context: obj({
      identifiedAt: dateTime(),
      auditedAt: nullable(dateTime()),
      cycle: nullable(str({ example: '2026-S2' })),
      interventionStartedAt: nullable(dateTime()),
      lastMeasuredAt: nullable(dateTime()),
      closedAt: nullable(dateTime()),
      closeReason: nullable(oneOfValues(CLOSE_REASONS)),
    }, [], { additionalProperties: true }),
  }),
);

export const CAUSE = named('Cause', obj({ code: str({ example: 'INADEQUATE_INTAKE' }), name: str(), kind: str() }));

const EVIDENCE = obj({ kind: oneOfValues(EVIDENCE_KINDS), description: str(), url: str() }, ['url']);

export const TASK = named(
  'Task',
  obj({
    id: uuid(),
    caseId: nullable(uuid({ description: "the case whose audit asked for it; null for a referral (an early warning of a child without a case)" })),
    referral: nullable(obj({ flag: str({ example: '2T' }), measurementId: uuid(), raisedOn: day() }, [], { description: "a referral's flag and the reading that raised it" })),
    regencyCode: regencyCode(),
    opd: nullable(obj({ id: uuid(), code: str({ example: 'DINKES' }), name: str() })),
    action: str(),
    state: oneOfValues(TASK_STATES),
    version: int(),
    ackDueAt: dateTime(),
    dueAt: dateTime(),
    step: nullable(str({ description: 'acknowledge, complete, verify or reassign' })),
    stepDueAt: nullable(dateTime()),
    overdue: bool(),
    escalationLevel: int(),
    allowedEvents: arr(oneOfValues(TASK_EVENT_TYPES)),
    subject: nullable(SUBJECT_SUMMARY),
    replacesTaskId: nullable(uuid()),
    context: obj({
      assignedAt: dateTime(),
      acknowledgedAt: nullable(dateTime()),
      startedAt: nullable(dateTime()),
      completedAt: nullable(dateTime()),
      completion: nullable(obj({ note: str(), evidence: arr(EVIDENCE) })),
      verifiedAt: nullable(dateTime()),
      declinedAt: nullable(dateTime()),
      declineReason: nullable(str()),
      cancelReason: nullable(str()),
      reassignedTo: nullable(uuid()),
    }, [], { additionalProperties: true }),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  }),
);

const BENEFICIARY = named(
  'Beneficiary',
  obj(
    {
      code: str({ description: 'stable per sponsor and child, different for every sponsor' }),
      targetGroup: str(),
      ageBand: nullable(str()),
      villageCode: villageCode(),
      villageName: nullable(str()),
      districtName: nullable(str({ description: 'the kecamatan' })),
      firstName: str({ description: 'for a limited reader (a viewer)' }),
      name: str({ description: "only with the guardian's consent to share with this sponsor" }),
      subjectId: uuid(),
    },
    ['firstName', 'name', 'subjectId'],
  ),
);

export const INTERVENTION = named(
  'Intervention',
  obj({
    id: uuid(),
    regencyCode: regencyCode(),
    caseId: uuid(),
    sponsorId: uuid(),
    catalogueCode: str(),
    state: oneOfValues(INTERVENTION_STATES),
    version: int(),
    plannedStart: day(),
    plannedDays: int(),
    cadenceDays: int(),
    unit: str(),
    budgetIdr: num(),
    spentIdr: num(),
    deliveries: int(),
    lastDeliveredAt: nullable(dateTime()),
    step: nullable(str()),
    stepDueAt: nullable(dateTime()),
    overdue: bool(),
    allowedEvents: arr(oneOfValues(INTERVENTION_EVENT_TYPES)),
    beneficiary: nullable(BENEFICIARY),
    outcomeBand: oneOfValues(OUTCOME_BANDS),
    context: obj({
      proposedAt: dateTime(),
      approvedAt: nullable(dateTime()),
      firstDeliveredAt: nullable(dateTime()),
      completedAt: nullable(dateTime()),
      verifiedAt: nullable(dateTime()),
      reason: nullable(str()),
    }, [], { additionalProperties: true }),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  }),
);

export const DELIVERY = named(
  'Delivery',
  obj({
    id: uuid(),
    interventionId: uuid(),
    deliveredAt: dateTime(),
    quantity: num(),
    unit: str(),
    amountIdr: nullable(num()),
    note: nullable(str()),
    evidenceRef: nullable(str()),
    onTime: bool(),
    recordedAt: dateTime(),
  }),
);

export const OFFER = named(
  'Offer',
  obj({ caseId: uuid(), sponsorId: uuid(), caseState: oneOfValues(CASE_STATES), offeredAt: dateTime(), beneficiary: nullable(BENEFICIARY) }),
);

export const NEW_OFFER = named('NewOffer', obj({ caseId: uuid(), sponsorId: uuid(), offeredAt: dateTime() }));

export const CATALOGUE_ENTRY = named(
  'CatalogueEntry',
  obj({
    code: str({ example: 'PMT_LOKAL_GIZI_KURANG' }),
    name: str(),
    nameEn: str(),
    kind: oneOfValues(['spesifik', 'sensitif']),
    targetGroups: arr(oneOfValues(TARGET_GROUPS)),
    defaultDays: int(),
    cadenceDays: int(),
    unit: str(),
    opdCode: str(),
    regencyCode: nullable(regencyCode()),
  }),
);

export const SPONSOR_REPORT = named(
  'SponsorReport',
  obj({
    sponsor: obj({ id: uuid(), name: str() }),
    regencyCode: nullable(regencyCode()),
    from: nullable(day()),
    to: nullable(day()),
    byType: arr(
      obj({ catalogueCode: str(), interventions: int(), deliveries: int(), quantity: num(), unit: str(), budgetIdr: num(), spentIdr: num() }),
    ),
    totals: obj({
      interventions: int(),
      deliveries: int(),
      budgetIdr: num(),
      spentIdr: num(),
      spentShare: nullable(num()),
      onTimeDeliveryRate: nullable(num()),
    }),
    outcomes: obj(Object.fromEntries(OUTCOME_BANDS.map((b) => [b, int()]))),
    beneficiaries: arr({
      allOf: [BENEFICIARY, obj({ interventions: arr(str({ description: 'the catalogue codes of its interventions' })), deliveries: int(), outcomeBand: oneOfValues(OUTCOME_BANDS) })],
    }),
  }),
);

const Z = () => nullable(num());
export const MEASUREMENT = named(
  'Measurement',
  obj({
    id: uuid(),
    subjectId: uuid(),
    measuredAt: day(),
    ageDays: int(),
    weightKg: nullable(num()),
    heightCm: nullable(num()),
    method: nullable(oneOfValues(['recumbent', 'standing'])),
    lengthHeightCm: nullable(num({ description: 'after the 0.7 cm rule' })),
    muacCm: nullable(num()),
    headCm: nullable(num()),
    oedema: bool(),
    haz: Z(),
    waz: Z(),
    whz: Z(),
    status: obj({
      haz: nullable(oneOfValues(['sangat_pendek', 'pendek', 'normal', 'tinggi'])),
      waz: nullable(oneOfValues(['bb_sangat_kurang', 'bb_kurang', 'normal', 'risiko_bb_lebih'])),
      whz: nullable(oneOfValues(['gizi_buruk', 'gizi_kurang', 'gizi_baik', 'berisiko_gizi_lebih', 'gizi_lebih', 'obesitas'])),
    }),
    flags: arr(oneOfValues(['haz_implausible', 'waz_implausible', 'whz_implausible', 'standing_under_9_months', 'over_60_months', 'height_drop']), {
      description: 'height_drop: shorter than the last reading by more than measurement error allows',
    }),
    needsRemeasurement: bool(),
    trend: nullable(oneOfValues(['N', 'T', '2T', 'O', 'B'], {
      description: 'KMS trend: N gained at least the KBM, T did not, 2T the second T in a row, O not weighed within 45 days before, B first weighing; null: no weighing, or a re-check in a month weighed already',
    })),
    warnings: arr(oneOfValues(['2T', 'BGM', 'above_orange', 'faltering']), { description: 'the early warnings this weighing raised' }),
    caseId: nullable(uuid({ description: 'the case this reading opened or re-measured' })),
  }),
);

export const GROWTH = named(
  'Growth',
  obj({
    subject: obj({ id: uuid(), sex: oneOfValues(['M', 'F']), birthDate: day(), targetGroup: oneOfValues(TARGET_GROUPS) }),
    items: arr({
      allOf: [
        MEASUREMENT,
        obj({
          reference: obj({
            lengthHeightCm: obj({ '-3': nullable(num()), '-2': nullable(num()), '0': nullable(num()), '2': nullable(num()) }, [], {
              description: 'the WHO length/height-for-age lines at this age, in cm',
            }),
          }),
        }),
      ],
    }),
    nextCursor: nullable(str()),
  }),
);

const IMPORT_FIELDS = {
  id: uuid(),
  regencyCode: regencyCode(),
  kind: oneOfValues(['eppgbm', 'families'], { description: 'an e-PPGBM upload or a PK/Verval family export' }),
  fileName: str(),
  format: nullable(oneOfValues(['csv', 'xlsx'])),
  status: oneOfValues(['queued', 'running', 'done', 'failed']),
  rowsRead: int(),
  rowsTaken: int(),
  rowsDuplicate: int(),
  rowsRejected: int(),
  casesOpened: int(),
  casesRemeasured: int(),
  error: nullable(str()),
  createdAt: dateTime(),
  finishedAt: nullable(dateTime()),
  rejectionsOmitted: int({ description: 'reasons past the per-import cap: counted, not kept' }),
  rejectionsCsv: str({ description: 'where to download every rejected row' }),
};
export const IMPORT_SUMMARY = named('ImportSummary', obj(IMPORT_FIELDS));
export const IMPORT = named(
  'Import',
  obj({ ...IMPORT_FIELDS, rejections: arr(obj({ row: int(), field: str(), reason: str() }), { description: 'the first reasons; all of them in rejectionsCsv' }) }),
);

export const REGION = named(
  'Region',
  obj({ code: str({ example: '3216062005' }), name: str(), level: oneOfValues(['province', 'regency', 'district', 'village']), parentCode: nullable(str()) }),
);

export const CONSENT = named(
  'Consent',
  obj({
    id: uuid(),
    subjectId: uuid(),
    guardianName: str(),
    guardianRelation: str(),
    purpose: oneOfValues(['share_with_sponsor']),
    sponsorId: nullable(uuid()),
    evidenceRef: str(),
    givenAt: dateTime(),
    withdrawnAt: nullable(dateTime()),
    active: bool(),
    recordedAt: dateTime(),
  }),
);

export const SUBJECT_EXPORT = named(
  'SubjectExport',
  obj(
    {
      exportedAt: dateTime(),
      subject: anyObject('the record, NIK and KK in clear: this is the right of access'),
      consents: arr(CONSENT),
      measurements: arr(MEASUREMENT),
      cases: arr(anyObject()),
      tasks: arr(anyObject()),
      interventions: arr(anyObject()),
    },
    [],
    { additionalProperties: true },
  ),
);

export const RETENTION_RESULT = named('RetentionResult', obj({ anonymised: int(), historyEntriesStripped: int() }));

export const AUDIT_ENTRY = named(
  'AuditEntry',
  obj({
    regencyCode: nullable(str()),
    seq: int(),
    at: dateTime(),
    actorId: nullable(uuid()),
    actorRole: nullable(str()),
    action: str({ example: 'subject.read' }),
    entityType: nullable(str()),
    entityId: nullable(str()),
    subjectId: nullable(uuid()),
    purpose: nullable(str()),
    requestId: nullable(str()),
    details: anyObject(),
  }),
);

const RUNG = obj({ level: int(), afterDays: int(), notify: arr(oneOfValues(RECIPIENT_RULES)), channels: arr(oneOfValues(CHANNELS)) });
export const SLA_POLICY = named(
  'SlaPolicy',
  obj({
    regencyCode: regencyCode(),
    days: obj({ identified: int(), audited: int(), intervened: int(), remeasured: int() }),
    outcome: obj({ minHaz: num(), minImprovement: num() }),
    tasks: obj({ acknowledgeWorkingDays: int(), completeDays: int(), verifyDays: int(), reassignWorkingDays: int() }),
    interventions: obj({ firstDeliveryDays: int(), graceDays: int() }),
    ladder: arr(RUNG),
    holidays: arr(day()),
    contacts: obj({ aksChairUserId: nullable(uuid()), tppsChairUserId: nullable(uuid()), tppsChairEmail: nullable(str()) }, ['aksChairUserId', 'tppsChairUserId', 'tppsChairEmail']),
    retentionYears: int(),
    aksi: obj({ ladder: arr(RUNG, { description: '8 Aksi evidence: rungs before the upload deadline (negative afterDays)' }) }),
    updatedAt: nullable(dateTime()),
  }, ['aksi']),
);

export const ESCALATION = named(
  'Escalation',
  obj(
    {
      id: uuid(),
      regencyCode: regencyCode(),
      aggregateType: oneOfValues(['case', 'task', 'intervention', 'aksi_document']),
      aggregateId: uuid(),
      caseId: nullable(uuid()),
      opdId: nullable(uuid()),
      step: str(),
      level: int(),
      dueAt: dateTime(),
      scheduledAt: dateTime(),
      firedAt: dateTime(),
      lateBySeconds: int(),
      recipients: arr(anyObject()),
    },
    [],
    { additionalProperties: true },
  ),
);

export const OVERDUE_REPORT = named(
  'OverdueReport',
  obj({
    groupBy: oneOfValues(['opd', 'village', 'state']),
    asOf: dateTime(),
    groups: arr(
      obj(
        { key: nullable(str()), label: nullable(str({ description: 'the OPD or village name, or the state' })), count: int(), oldestDueAt: dateTime(), oldestOverdueDays: int(), highestEscalationLevel: nullable(int()) },
        [],
        { additionalProperties: true },
      ),
    ),
  }),
);

export const NOTIFICATION = named(
  'Notification',
  obj({ id: uuid(), kind: str(), title: str(), body: anyObject(), createdAt: dateTime(), readAt: nullable(dateTime()) }),
);

export const NOTIFICATION_DELIVERY = named(
  'NotificationDelivery',
  obj({
    id: uuid(),
    regencyCode: regencyCode(),
    channel: oneOfValues(CHANNELS),
    recipientUserId: nullable(uuid()),
    webhookId: nullable(uuid()),
    escalationId: nullable(uuid()),
    title: str(),
    status: oneOfValues(['pending', 'sent', 'dead']),
    attempts: int(),
    nextAttemptAt: nullable(dateTime()),
    lastError: nullable(str()),
    createdAt: dateTime(),
    sentAt: nullable(dateTime()),
  }),
);

const WEBHOOK_FIELDS = { id: uuid(), regencyCode: regencyCode(), opdId: nullable(uuid()), url: str(), active: bool(), createdAt: dateTime() };
export const WEBHOOK = named('Webhook', obj(WEBHOOK_FIELDS));
export const NEW_WEBHOOK = named(
  'NewWebhook',
  obj({ ...WEBHOOK_FIELDS, secret: str({ description: 'the HMAC signing secret; shown this once' }) }, [], { additionalProperties: true }),
);

export const ROLE = oneOfValues(ALL_ROLES);

// Prevention (issue 17): families and their KRS assessments, TPK teams, visits, screenings, the TPK report.

const yesNo = (keys: readonly string[]) => obj(Object.fromEntries(keys.map((k) => [k, bool()])));
const monthOf = () => str({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', example: '2026-11' });

export const KRS_ASSESSMENT = named(
  'KrsAssessment',
  obj({
    id: uuid(),
    familyId: uuid(),
    year: int({ example: 2026 }),
    round: int({ enum: [1, 2], description: 'the Verval round of the year' }),
    referenceDate: day(),
    source: oneOfValues(['PK', 'VERVAL', 'ENGINE'], { description: 'PK or VERVAL when imported or recorded on a Verval visit; ENGINE when judged here' }),
    policyVersion: int({ description: "the regency's KRS policy version it was judged by" }),
    target: yesNo(TARGET_FLAGS),
    factors: yesNo(FACTOR_FLAGS),
    importedFlag: nullable(bool()),
    isKrs: bool(),
    transition: oneOfValues(KRS_TRANSITIONS, { description: 'against the previous period: BARU + LAMA = KRS now' }),
    createdAt: dateTime(),
  }),
);

const FAMILY_MEMBER = obj({
  id: uuid(),
  subjectId: nullable(uuid({ description: 'the subject this member is, if registered' })),
  relation: oneOfValues(RELATIONS),
  name: str(),
  sex: nullable(oneOfValues(['M', 'F'])),
  birthDate: nullable(day()),
  gestWeeks: nullable(int({ description: 'gestational age in weeks when recorded' })),
  gestRecordedOn: nullable(day()),
  deliveredOn: nullable(day()),
  gestWeeksToday: nullable(int({ description: "the pregnancy's projected week today; null: none, delivered or past 40 weeks" })),
});

const FAMILY_FIELDS = {
  id: uuid(),
  regencyCode: regencyCode(),
  villageCode: villageCode(),
  rt: nullable(str({ example: '003' })),
  rw: nullable(str({ example: '007' })),
  familyCardNumber: str({ example: '3216********0001', description: 'the KK, masked' }),
  headName: str(),
  wifeName: nullable(str()),
  welfarePriority: int({ minimum: 0, maximum: 4 }),
  source: oneOfValues(['PK', 'VERVAL', 'MANUAL']),
  members: arr(FAMILY_MEMBER),
  latestAssessment: nullable(KRS_ASSESSMENT),
  version: int({ description: 'send it back as If-Match' }),
  createdAt: dateTime(),
  updatedAt: dateTime(),
};
export const FAMILY = named('Family', obj(FAMILY_FIELDS));
export const FAMILY_DETAIL = named('FamilyDetail', obj({ ...FAMILY_FIELDS, assessments: arr(KRS_ASSESSMENT, { description: 'every period assessed' }) }));

export const KRS_POLICY = named('KrsPolicy', obj({ version: int({ description: '1 is the built-in default' }), rule: oneOfValues(KRS_RULES) }));
export const KRS_POLICIES = named(
  'KrsPolicies',
  obj({
    current: KRS_POLICY,
    versions: arr(obj({ version: int(), rule: oneOfValues(KRS_RULES), createdAt: nullable(dateTime({ description: 'null for the built-in version 1' })) }), {
      description: 'newest first; version 1, the default, last',
    }),
  }),
);

export const TPK_TEAM = named(
  'TpkTeam',
  obj({
    id: uuid(),
    regencyCode: regencyCode(),
    villageCode: villageCode(),
    name: str(),
    skRef: nullable(str({ description: "the kepala desa's decree" })),
    coordinatorUserId: nullable(uuid()),
    members: arr(
      obj({ userId: uuid(), displayName: nullable(str()), tpkRole: oneOfValues(TPK_ROLES), villageCodes: arr(villageCode(), { description: 'the villages the member covers: their whole scope' }), active: bool() }),
    ),
    version: int({ description: 'send it back as If-Match' }),
    createdAt: dateTime(),
    updatedAt: dateTime(),
  }),
);

export const VISIT = named(
  'Visit',
  obj({
    id: uuid({ description: 'made by the client: the same visit sent twice is stored once' }),
    regencyCode: regencyCode(),
    villageCode: villageCode(),
    memberUserId: uuid({ description: 'the TPK member who made the visit' }),
    teamId: nullable(uuid()),
    familyId: nullable(uuid()),
    subjectId: nullable(uuid()),
    targetGroup: oneOfValues(VISIT_GROUPS),
    kind: oneOfValues(VISIT_KINDS),
    actions: arr(oneOfValues(VISIT_ACTIONS)),
    visitedOn: day(),
    recordedAt: dateTime(),
    reportMonth: monthOf(),
    late: bool({ description: "recorded after its month's report froze: counted in the month it was recorded in" }),
    crossVillage: bool({ description: "made by another village's team" }),
    referral: nullable(obj({ to: str(), reason: str() })),
    notes: nullable(str()),
    measurementId: nullable(uuid({ description: 'the reading taken on the visit' })),
    accompanimentId: nullable(uuid({ description: 'the accompaniment the visit counted for' })),
  }),
);

export const DUE_VISITS = named(
  'DueVisits',
  obj({
    today: day(),
    until: day(),
    items: arr(
      obj({
        accompanimentId: uuid(),
        subject: obj({ id: uuid(), firstName: str() }),
        familyId: nullable(uuid()),
        villageCode: villageCode(),
        targetGroup: oneOfValues(['CATIN', 'BUMIL', 'NIFAS', 'BADUTA', 'BALITA']),
        visit: str({ example: 'K4', description: "the schedule's label for the visit due" }),
        fromOn: day(),
        dueOn: day(),
        overdue: bool(),
        escalationLevel: int(),
      }),
      { description: 'most urgent first, at most 500: not paged (a day of work, not a list to page through)' },
    ),
  }),
);

const SCREENING_FIELDS = {
  id: uuid(),
  subjectId: uuid(),
  plannedMarriageDate: day(),
  screenedOn: day(),
  weightKg: num(),
  heightCm: num(),
  bmi: num(),
  muacCm: num({ description: 'LiLA' }),
  waistCm: nullable(num()),
  hbGdl: nullable(num()),
  smoker: bool(),
  ageYears: int(),
  ruleVersion: int({ description: 'the threshold table version that scored it' }),
  result: oneOfValues(['IDEAL', 'BERISIKO']),
  reasons: arr(oneOfValues(SCREENING_REASONS)),
  createdAt: dateTime(),
};
export const SCREENING = named('Screening', obj(SCREENING_FIELDS));
export const RECORDED_SCREENING = named(
  'RecordedScreening',
  obj({
    ...SCREENING_FIELDS,
    accompaniment: obj({ id: uuid(), state: oneOfValues(['open', 'closed']), dueOn: nullable(day()) }, [], {
      description: "the bride-to-be's accompaniment, opened or updated: BERISIKO is accompanied to three months after the marriage",
    }),
  }),
);

const THRESHOLDS = { muacBelowCm: num(), hbBelowGdl: num(), bmiBelow: num(), ageBelowYears: num(), smokingIsRisk: bool() };
export const SCREENING_TABLE = named('ScreeningTable', obj({ version: int({ description: '1 is the built-in default' }), ...THRESHOLDS }));
export const SCREENING_TABLES = named(
  'ScreeningTables',
  obj({
    current: SCREENING_TABLE,
    versions: arr(obj({ version: int(), ...THRESHOLDS, createdAt: nullable(dateTime({ description: 'null for the built-in version 1' })) }), {
      description: 'newest first; version 1, the default, last',
    }),
  }),
);

const counts = (description: string) => ({ type: 'object', additionalProperties: int(), description }) as const;
export const TPK_REPORT = named(
  'TpkReport',
  obj({
    regencyCode: regencyCode(),
    villageCode: nullable(villageCode()),
    month: monthOf(),
    visits: int(),
    lateVisits: int(),
    crossVillageVisits: int(),
    familiesVisited: int(),
    byTargetGroup: counts('visits per target group'),
    byTargetGroupAndAction: { type: 'object', additionalProperties: counts('visits per action'), description: 'visits per target group, then per action' },
    krs: obj({ atRisk: int(), accompanied: int(), percent: nullable(num({ description: 'accompanied / at risk, one decimal; null without KRS families' })), targetPercent: num() }),
    overdueVisits: int(),
    freezesAt: dateTime(),
    computedAt: dateTime(),
    frozen: bool({ description: 'stored at the freeze: every later read answers the same' }),
    frozenAt: nullable(dateTime()),
  }),
);

// FHIR export (issue 20).

export const FHIR_SETTINGS = named(
  'FhirSettings',
  obj({
    regencyCode: regencyCode(),
    enabled: bool(),
    baseUrl: str(),
    tokenUrl: str(),
    clientId: str(),
    clientSecretSet: bool({ description: 'always true: the secret is sealed and never answered' }),
    organizationId: str(),
    zscoreSystem: nullable(str()),
    updatedAt: dateTime(),
  }),
);

export const FHIR_EXPORT = named(
  'FhirExport',
  obj({
    id: uuid(),
    regencyCode: regencyCode(),
    measurementId: uuid(),
    kind: oneOfValues(['create', 'correction']),
    status: oneOfValues(['pending', 'sent', 'invalid', 'dead'], { description: 'invalid: never sent, lastError says why; dead: the receiver refused it or the attempts ran out' }),
    attempts: int(),
    nextAttemptAt: nullable(dateTime()),
    lastError: nullable(str()),
    createdAt: dateTime(),
    sentAt: nullable(dateTime()),
  }),
);

export const FHIR_BUNDLE = named(
  'FhirBundle',
  obj(
    {
      resourceType: oneOfValues(['Bundle']),
      type: oneOfValues(['collection']),
      timestamp: dateTime(),
      entry: arr(
        obj({ fullUrl: str({ example: 'urn:uuid:…' }), resource: obj({ resourceType: oneOfValues(['Patient', 'Encounter', 'Observation', 'Location']) }, [], { additionalProperties: true }) }),
        { description: 'the Patient first, then each reading as an Encounter with its Observations (and the posyandu Location)' },
      ),
    },
    [],
    { description: 'a FHIR R4 collection Bundle' },
  ),
);

const KMS_BODY = {
  kbm: arr(obj({ fromMonths: int({ minimum: 0, maximum: 60 }), grams: int({ minimum: 0 }) }), { description: 'minimum monthly weight gain (KBM) from an age in completed months on' }),
  redLineWaz: num({ description: 'the red line as a weight-for-age z-score: below it is BGM' }),
  orangeLineWaz: num({ description: 'the orange line as a weight-for-age z-score' }),
  maxGapDays: int({ description: 'weighings further apart get O, never N or T' }),
  falteringDropWaz: num({ description: 'a WAZ drop at least this large is faltering' }),
  falteringWindowDays: int({ description: '... within this many days' }),
  lostAfterDays: int({ description: 'no reading for this many days while under five: lost' }),
  referralOpdCode: str({ example: 'DINKES', description: 'the OPD a 2T, BGM or faltering flag is referred to (a task in its inbox)' }),
};
export const KMS_STANDARD = named('KmsStandard', obj({ version: int({ description: 'the national default is version 1' }), ...KMS_BODY }));
export const KMS_STANDARDS = named(
  'KmsStandards',
  obj({
    regencyCode: str(),
    current: KMS_STANDARD,
    versions: arr(obj({ regencyCode: str({ description: "'*' for the national default" }), version: int(), ...KMS_BODY, source: nullable(str()), createdAt: dateTime() }), {
      description: "the regency's versions newest first, then the national ones",
    }),
  }),
);

const EW_COUNTS = obj({ '2T': int(), BGM: int(), above_orange: int(), faltering: int(), lost: int() });
export const EARLY_WARNING = named(
  'EarlyWarning',
  obj({
    regencyCode: str(),
    month: str({ example: '2026-11' }),
    asOf: day(),
    kmsVersion: int({ description: 'the KMS standard version in force (its lostAfterDays decides lost)' }),
    counts: EW_COUNTS,
    villages: arr(
      obj({
        villageCode: str(),
        villageName: nullable(str()),
        districtName: nullable(str()),
        counts: EW_COUNTS,
        children: arr(
          obj({
            subjectId: uuid(),
            name: str({ description: 'initials only for a viewer' }),
            sex: oneOfValues(['M', 'F']),
            ageMonths: int(),
            flags: arr(obj({ kind: oneOfValues(['2T', 'BGM', 'above_orange', 'faltering']), raisedOn: day(), measurementId: uuid({ description: 'the reading that raised it' }) })),
            lost: bool({ description: 'no reading for lostAfterDays while under five (computed when asked, against the clock)' }),
            lastReadingOn: nullable(day()),
          }),
          { description: 'newest flag (or lost day) first' },
        ),
      }),
      { description: 'villages with the newest flag first' },
    ),
  }),
);
const SKDN_COUNTS = {
  s: int({ description: 'S: children under five living in the village at the month end' }),
  k: int({ description: 'K: of S, with a KMS (a reading on or before the month end)' }),
  d: int({ description: 'D: of S, weighed in the month' }),
  n: int({ description: 'N: of D, gained at least the KBM' }),
  t: int({ description: 'T: of D, did not (2T included)' }),
  twoT: int(),
  o: int({ description: 'O: of D, not weighed within 45 days before' }),
  b: int({ description: 'B: of D, first weighing' }),
  bgm: int({ description: 'of D, below the red line' }),
  lost: int({ description: 'of S, lost at the month end' }),
  dPerS: nullable(num({ description: 'D/S in percent' })),
  nPerD: nullable(num({ description: 'N/D in percent' })),
};
export const SKDN = named(
  'Skdn',
  obj({
    regencyCode: str(),
    month: str({ example: '2026-11' }),
    kmsVersion: int(),
    total: obj(SKDN_COUNTS),
    villages: arr(obj({ villageCode: str(), villageName: nullable(str()), ...SKDN_COUNTS })),
  }),
);

/** A child's timeline across agencies (src/modules/reports/timeline.service.ts Timeline). */
export const TIMELINE = named(
  'Timeline',
  obj({
    subject: nullable(SUBJECT_SUMMARY),
    beneficiary: nullable(BENEFICIARY),
    items: arr(
      named(
        'TimelineItem',
        obj({
          at: dateTime({ description: 'when; a day-only fact (a weighing, a visit) at the start of that day in the regency' }),
          kind: oneOfValues(TIMELINE_KINDS),
          event: str({ example: 'RECORD_AUDIT', description: "the history entry's event, or MEASURED, OFFERED, PROPOSED, DELIVERED, VISITED" }),
          state: nullable(str({ description: 'the state the record entered, for lifecycle entries' })),
          agency: obj({
            type: oneOfValues(AGENCY_TYPES),
            id: nullable(uuid({ description: 'the OPD, sponsor or TPK team' })),
            code: nullable(str({ description: "the OPD's code, the TPPS's regency, the TPK team's village, or how a reading came (manual, eppgbm)" })),
            name: nullable(str()),
          }),
          refId: uuid({ description: 'the measurement, case, task, intervention, delivery or visit' }),
          caseId: nullable(uuid()),
          details: anyObject("the item's facts the caller's role may see: never NIK or KK; audit findings, readings and notes to the roles that work cases only"),
        }),
      ),
    ),
  }, [], { description: 'items in date order; `subject` for every reader but a CSR partner, who gets `beneficiary`' }),
);

const LOKUS_PLACE = {
  villageCode: villageCode(),
  villageName: nullable(str()),
  districtCode: nullable(str({ description: 'the kecamatan (6 digits)' })),
  districtName: nullable(str({ description: 'the kecamatan' })),
};
const LOKUS_SET = {
  id: uuid(),
  decreeRef: str({ example: 'SK Bupati Bekasi No. 440/Kep.123-Bappeda/2026' }),
  reasons: arr(str()),
  setBy: obj({ userId: uuid(), displayName: str() }),
  setAt: dateTime(),
};

export const LOKUS = named(
  'Lokus',
  obj({
    regencyCode: regencyCode(),
    year: int({ example: 2026 }),
    current: nullable(obj({ ...LOKUS_SET, villages: arr(obj(LOKUS_PLACE), { description: 'by kecamatan, then village code; a TPK member sees their own only' }) })),
    replaced: arr(obj({ ...LOKUS_SET, villageCodes: arr(villageCode()), replacedAt: dateTime() }), { description: 'earlier decrees of the year, newest first' }),
  }),
);

const byKeys = (keys: readonly string[], description: string) => obj({ total: int(), ...Object.fromEntries(keys.map((k) => [k, int()])) }, [], { description });
const LOKUS_COUNTS = {
  openCases: byKeys(['identified', 'audited', 'intervened', 'remeasured'], 'open cases by step'),
  overdueSteps: byKeys(['case', 'task', 'intervention'], 'open steps whose deadline passed before the day began (regency zone)'),
  stepsDueToday: byKeys(['case', 'task', 'intervention'], 'open steps whose deadline falls within the day: overdue tomorrow'),
  pregnantDueWithin30Days: int({ description: 'pregnant on the day, expected delivery (LMP + 280 days) within 30 days' }),
  catinAtRisk: int({ description: 'brides-to-be not yet married whose latest screening by the day is BERISIKO' }),
  visitsDueThisWeek: int({ description: 'open TPK accompaniments whose due visit falls from the day to its Sunday' }),
  visitsOverdue: int({ description: 'open TPK accompaniments whose due visit lapsed before the day' }),
};

export const LOKUS_WATCH = named(
  'LokusWatch',
  obj({
    regencyCode: regencyCode(),
    date: day(),
    year: int(),
    weekEnd: day(),
    lokusSetId: nullable(uuid({ description: 'the decree set in force for the year; null (and no villages) when none' })),
    villages: arr(obj({ ...LOKUS_PLACE, ...LOKUS_COUNTS }), { description: 'every lokus village of the year (a TPK member: theirs), by kecamatan' }),
    totals: obj(LOKUS_COUNTS),
  }),
);

/** Convergence scorecards (src/modules/convergence): the package per target group, a subject's scorecard, the report. */
const CONVERGENCE_ITEM = named(
  'ConvergencePackageItem',
  obj(
    {
      code: str({ example: 'VIT_A' }),
      name: str(),
      kind: oneOfValues(['spesifik', 'sensitif']),
      fromAgeMonths: int({ description: 'children only: applies from this age in completed months' }),
      toAgeMonths: int({ description: 'children only: applies before this age' }),
      condition: obj({ field: oneOfValues(['waz', 'whz', 'haz', 'muac']), below: num(), withinDays: int() }, [], {
        description: 'applies only while the latest plausible reading of `field` within `withinDays` is below `below`',
      }),
      windowDays: nullable(int({ description: 'evidence counts from this many days back; null: any time' })),
      dueDays: int({ description: 'unmet this many days after it began to apply: overdue' }),
      evidence: arr(
        obj(
          {
            kind: oneOfValues(['intervention', 'task', 'visit', 'measurement', 'family']),
            catalogueCodes: arr(str()),
            minQuantity: num(),
            opdCode: str(),
            actionContains: str(),
            visitActions: arr(str()),
            attribute: oneOfValues(['safe_water', 'fit_latrine']),
            minCount: int(),
          },
          ['catalogueCodes', 'minQuantity', 'opdCode', 'actionContains', 'visitActions', 'attribute', 'minCount'],
        ),
        { description: 'any of these meets the item' },
      ),
      basis: str({ description: 'where the item and its numbers come from; "unverified" where they are assumptions' }),
    },
    ['fromAgeMonths', 'toAgeMonths', 'condition', 'basis'],
  ),
);
const CONVERGENCE_GROUPS = obj(Object.fromEntries(TARGET_GROUPS.map((g) => [g, arr(CONVERGENCE_ITEM)])), [...TARGET_GROUPS], { description: 'the items of each target group the package covers' });
export const CONVERGENCE_PACKAGE = named(
  'ConvergencePackage',
  obj({ regencyCode: str(), version: int({ description: 'the national default is version 1' }), groups: CONVERGENCE_GROUPS, source: nullable(str()) }),
);
export const CONVERGENCE_PACKAGES = named(
  'ConvergencePackages',
  obj({
    regencyCode: str(),
    current: obj({ regencyCode: str({ description: "'*' for the national default" }), version: int(), groups: CONVERGENCE_GROUPS, source: nullable(str()), createdAt: dateTime() }),
    versions: arr(obj({ regencyCode: str(), version: int(), groups: CONVERGENCE_GROUPS, source: nullable(str()), createdAt: dateTime() }), {
      description: "the regency's versions newest first, then the national ones",
    }),
  }),
);
export const CONVERGENCE_SCORECARD = named(
  'ConvergenceScorecard',
  obj({
    subject: obj({ id: uuid(), targetGroup: oneOfValues(TARGET_GROUPS), villageCode: str() }),
    package: obj({ regencyCode: str({ description: "'*' when the national package is in force" }), version: int() }),
    asOf: day(),
    fullPackage: bool({ description: 'every applicable item met' }),
    items: arr(
      obj({
        code: str(),
        name: str(),
        kind: str(),
        status: oneOfValues(['met', 'missing', 'overdue', 'not_applicable']),
        notApplicableBecause: nullable(oneOfValues(['too_young', 'too_old', 'condition'])),
        conditionReadingId: nullable(uuid({ description: 'the reading that made a conditional item apply' })),
        windowFrom: nullable(day()),
        dueOn: nullable(day()),
        evidence: arr(
          obj({
            kind: oneOfValues(['intervention', 'task', 'visit', 'measurement', 'family']),
            id: uuid({ description: 'the delivery, task, visit, measurement or KRS assessment' }),
            on: day(),
            agency: obj({ type: oneOfValues(['posyandu', 'opd', 'sponsor', 'tpk', 'family_data']), id: nullable(uuid()), code: nullable(str()), name: nullable(str()) }),
            details: anyObject('what the rule looked at: catalogue code and quantity, the task action, the visit actions'),
          }),
          { description: 'the records that met it; for an unmet item what counts so far' },
        ),
      }),
    ),
  }),
);
const SHARE = nullable(num({ description: 'percent, one decimal; null when there is no denominator' }));
export const CONVERGENCE_REPORT = named(
  'ConvergenceReport',
  obj({
    level: oneOfValues(['desa', 'kecamatan']),
    period: str({ example: '2026-11' }),
    asOf: day(),
    code: str({ description: 'the region reported on; empty for the nation' }),
    regions: arr(
      obj({
        code: str({ description: 'village (10 digits) or kecamatan (6)' }),
        name: nullable(str()),
        kecamatanName: nullable(str()),
        package: obj({ regencyCode: str(), version: int() }),
        groups: arr(
          obj({
            targetGroup: oneOfValues(TARGET_GROUPS),
            targets: int(),
            fullPackage: int({ description: 'targets with every applicable item met' }),
            fullPackageShare: SHARE,
            items: arr(obj({ code: str(), name: str(), applicable: int({ description: 'targets the item applies to' }), met: int(), share: SHARE })),
          }),
        ),
      }),
    ),
  }),
);

// ---- prevalence (src/modules/prevalence/prevalence.service.ts) ----

const PREVALENCE_FIGURES = {
  measured: int({ description: 'distinct children 0-59 months with a plausible length/height reading in the month (the latest counts)' }),
  stunted: int({ description: 'of them, HAZ < -2 (severe included)' }),
  severe: int({ description: 'of them, HAZ < -3' }),
  excludedImplausible: int({ description: 'children measured in the month whose every length/height reading was implausible' }),
  prevalence: nullable(num({ description: 'stunted per 100 measured, 2 decimals; null when suppressed' })),
  severePrevalence: nullable(num()),
  suppressed: bool({ description: 'fewer children measured than minMeasured: no rate is given' }),
  coverage: nullable(num({ description: 'measured per 100 of the target population, when one is entered' })),
};

const PREVALENCE_TARGET = named(
  'PrevalenceTarget',
  obj({
    regionCode: str({ description: "'' for the nation" }),
    year: int(),
    value: num(),
    basis: oneOfValues(['perpres', 'rpjmn', 'rpjmd', 'rkpd']),
    setAt: dateTime(),
    comparable: bool({ description: 'whether a figure of this region may be set beside it (basis and level match)' }),
    comparableReason: str(),
  }),
);

export const PREVALENCE_TARGET_ONE = PREVALENCE_TARGET;

export const PREVALENCE_TARGETS = named('PrevalenceTargets', obj({ items: arr(PREVALENCE_TARGET) }));

export const TARGET_POPULATION = named(
  'TargetPopulation',
  obj({ regionCode: str(), year: int(), children0to59: int({ description: 'sasaran balita' }), setAt: dateTime() }),
);

export const TARGET_POPULATIONS = named('TargetPopulations', obj({ items: arr(TARGET_POPULATION) }));

export const SURVEY_FIGURE = named(
  'SurveyFigure',
  obj({
    id: uuid(),
    series: oneOfValues(['survey'], { description: 'a survey estimate, never the register rate' }),
    source: oneOfValues(['SSGI', 'SKI', 'RISKESDAS']),
    year: int(),
    regionCode: str({ description: "a province (2), a regency (4), or '' for the nation" }),
    value: num({ description: 'prevalence, percent, as published' }),
    ci: nullable(obj({ low: num(), high: num() })),
    note: nullable(str()),
    createdAt: dateTime(),
  }),
);

export const SURVEY_FIGURES = named('SurveyFigures', obj({ items: arr(SURVEY_FIGURE) }));

export const PREVALENCE_REPORT = named(
  'PrevalenceReport',
  obj({
    level: oneOfValues(['desa', 'kecamatan', 'kabupaten', 'provinsi']),
    code: str({ description: "the region the rows lie in ('' the nation)" }),
    from: str({ example: '2026-01' }),
    to: str({ example: '2026-12' }),
    source: oneOfValues(['register']),
    label: str(),
    ruleVersion: int(),
    minMeasured: int(),
    items: arr(
      obj({
        regionCode: str(),
        regionName: nullable(str()),
        level: oneOfValues(['desa', 'kecamatan', 'kabupaten', 'provinsi']),
        period: str({ example: '2026-08' }),
        source: oneOfValues(['register'], { description: 'the routine register (e-PPGBM), never survey prevalence' }),
        ...PREVALENCE_FIGURES,
        targetPopulation: nullable(int()),
        snapshot: nullable(
          obj({
            frozenAt: dateTime(),
            revised: bool({ description: 'late data changed the figure after it froze: a revision exists' }),
            latestRevision: int(),
            current: nullable(obj(PREVALENCE_FIGURES, [], { description: 'the figure with every reading stored now, when revised' })),
          }, [], { description: 'a frozen bulan timbang month: the figures of the row are the frozen ones' }),
        ),
      }),
      { description: 'one row per region at the level and month' },
    ),
    targets: arr(PREVALENCE_TARGET, { description: 'targets of the region and its rows for the years asked' }),
    surveys: arr(SURVEY_FIGURE, { description: 'survey figures (SSGI/SKI/Riskesdas): a separate series' }),
  }),
);

export const HOTSPOTS = named(
  'Hotspots',
  obj({
    level: oneOfValues(['kecamatan', 'desa']),
    code: str(),
    period: str({ example: '2026-08' }),
    comparedWith: str({ description: 'the previous bulan timbang month, or the month before for other months' }),
    source: oneOfValues(['register']),
    minMeasured: int(),
    items: arr(
      obj({
        rank: int(),
        regionCode: str(),
        regionName: nullable(str()),
        level: oneOfValues(['kecamatan', 'desa']),
        period: str(),
        source: oneOfValues(['register']),
        ...PREVALENCE_FIGURES,
        frozen: bool(),
        change: obj({ period: str(), stunted: int(), prevalence: nullable(num({ description: 'percentage points' })) }),
      }),
      { description: 'by stunted count, then rate; suppressed rates after the rest' },
    ),
  }),
);

// Master Ansit (issue 19 part 3): the indicator catalogue, a village's values, completeness.
import { ENGINE_KEYS, INDICATOR_KINDS, INDICATOR_STATUSES } from '../modules/ansit/ansit.repository.js';

export const ANSIT_INDICATOR = named(
  'AnsitIndicator',
  obj({
    code: str({ example: 'DS_KRS' }),
    regencyCode: nullable(regencyCode()),
    name: str(),
    kind: oneOfValues(INDICATOR_KINDS, { description: 'sasaran: a target count of the Data Sasaran sheet; esensial or supply: a coverage indicator' }),
    sheet: str({ example: 'Data Sasaran' }),
    unit: str({ example: 'keluarga' }),
    numerator: str({ description: 'what is counted, as text' }),
    denominator: nullable(str({ description: 'what it is divided by, as text; null for a count' })),
    ownerOpdCode: str({ example: 'DP2KB' }),
    computedBy: nullable(oneOfValues(ENGINE_KEYS, { description: 'the engine figure that pre-fills it' })),
    status: oneOfValues(INDICATOR_STATUSES, { description: 'to_complete: the definition is still to be confirmed by the district' }),
    source: nullable(str()),
  }),
);

export const ANSIT_INDICATORS = named('AnsitIndicators', obj({ regencyCode: nullable(regencyCode()), items: arr(ANSIT_INDICATOR, { description: 'national first, then the regency’s own' }) }));

export const ANSIT_VILLAGE = named(
  'AnsitVillage',
  obj({
    year: int({ example: 2026 }),
    regencyCode: regencyCode(),
    villageCode: villageCode(),
    villageName: nullable(str()),
    districtCode: nullable(str()),
    districtName: nullable(str()),
    values: arr(
      obj({
        indicatorCode: str(),
        name: str(),
        kind: oneOfValues(INDICATOR_KINDS),
        sheet: str(),
        unit: str(),
        ownerOpdCode: str(),
        status: oneOfValues(INDICATOR_STATUSES),
        computedBy: nullable(oneOfValues(ENGINE_KEYS)),
        value: nullable(num({ description: 'the entered value, else the engine’s; null: not filled' })),
        provenance: nullable(oneOfValues(['engine', 'manual', 'import'])),
        enteredBy: nullable(obj({ userId: uuid(), displayName: str() })),
        enteredAt: nullable(dateTime({ description: 'when entered; for an engine figure, when computed (now)' })),
        note: nullable(str()),
        engineValue: nullable(num({ description: 'the engine’s figure, shown even under an entered value' })),
        prefilled: bool({ description: 'the value shown is the engine’s' }),
      }),
      { description: 'every indicator of the regency, in catalogue order' },
    ),
  }),
);

export const ANSIT_COMPLETENESS = named(
  'AnsitCompleteness',
  obj({
    regencyCode: regencyCode(),
    year: int(),
    villages: int({ description: 'every village of the regency (Kemendagri codes)' }),
    indicators: int(),
    cells: int({ description: 'indicators × villages' }),
    filled: int(),
    ratio: nullable(num({ description: 'filled / cells, 0 to 1, 4 decimals; null with no cell' })),
    indicatorsDone: int({ description: 'indicators every village has' }),
    byIndicator: arr(obj({ code: str(), name: str(), kind: oneOfValues(INDICATOR_KINDS), ownerOpdCode: str(), villagesFilled: int(), villages: int(), done: bool() })),
    byKecamatan: arr(obj({ districtCode: str(), districtName: nullable(str()), villages: int(), cells: int(), filled: int(), ratio: nullable(num()) })),
  }),
);
const AKSI_WEIGHTS = obj({ documents: int({ example: 60 }), presentation: int({ example: 20 }), field: int({ example: 20 }) });
export const AKSI_CYCLE = named(
  'AksiCycle',
  obj({
    year: int({ example: 2026 }),
    regionCode: str({ pattern: '^[0-9]{2}([0-9]{2})?$', example: '3216', description: 'the region asked about' }),
    source: nullable(oneOfValues(['regency', 'province'], { description: "whose cycle applies: the region's own, its province's; null when none is set yet" })),
    uploadDeadline: nullable(day()),
    verificationDate: nullable(day()),
    assessmentDate: nullable(day()),
    uploadClosesAt: nullable(dateTime({ description: "the end of the upload day in the region's zone: the evidence deadline" })),
    utcOffset: str({ example: '+07:00' }),
    weights: AKSI_WEIGHTS,
    scoredActions: arr(int({ minimum: 1, maximum: 8 })),
    updatedAt: nullable(dateTime()),
  }),
);

const AKSI_VERSION = obj({
  n: int({ minimum: 1 }),
  sha256: str({ pattern: '^[0-9a-f]{64}$' }),
  size: int(),
  contentType: str(),
  filename: str(),
  uploadedBy: uuid(),
  uploadedAt: dateTime(),
});
export const AKSI_DOCUMENT = named(
  'AksiDocument',
  obj(
    {
      id: uuid(),
      regencyCode: regencyCode(),
      year: int(),
      action: int({ minimum: 1, maximum: 8 }),
      type: oneOfValues(['situation_analysis', 'activity_plan', 'rembuk_minutes', 'perbup', 'kpm_decree', 'publication', 'review_report', 'other']),
      title: str(),
      ownerOpdId: uuid(),
      ownerOpdCode: nullable(str({ example: 'BAPPEDA' })),
      state: oneOfValues(['draft', 'ready', 'uploaded', 'revision_requested', 'accepted']),
      version: int({ description: 'send as If-Match' }),
      currentVersion: nullable(int({ description: 'the latest file version; null before the first' })),
      markedVersion: nullable(int({ description: 'the file version marked ready, submitted or accepted' })),
      revisionReason: nullable(str()),
      deadline: nullable(
        obj({ step: str({ example: 'prepare' }), dueAt: dateTime(), escalationLevel: int(), nextEscalationAt: nullable(dateTime()) }, [], {
          description: 'while the document is being prepared before the upload deadline',
        }),
      ),
      allowedEvents: arr(oneOfValues(['MARK_READY', 'UPLOAD', 'REQUEST_REVISION', 'ACCEPT', 'REVISE'])),
      createdAt: dateTime(),
      updatedAt: dateTime(),
      versions: arr(AKSI_VERSION, { description: 'one document only' }),
      history: arr(HISTORY_ENTRY, { description: 'one document only' }),
    },
    ['versions', 'history'],
  ),
);
export const AKSI_DOCUMENT_LIST = named('AksiDocumentList', obj({ items: arr(AKSI_DOCUMENT) }));

const AKSI_COMPLETENESS_SUMMARY = obj({
  villages: int(),
  indicators: int(),
  cells: int({ description: 'indicators × villages' }),
  filled: int(),
  ratio: nullable(num({ description: 'filled / cells, 0 to 1' })),
  indicatorsDone: int({ description: 'indicators every village has' }),
});
export const AKSI_READINESS = named(
  'AksiReadiness',
  obj({
    year: int(),
    regencyCode: regencyCode(),
    today: day(),
    cycle: AKSI_CYCLE,
    daysToDeadline: nullable(int({ description: 'calendar days from today to the upload day: 0 on the day, negative once it has passed; null without a cycle' })),
    actions: arr(
      obj({
        action: int({ minimum: 1, maximum: 8 }),
        name: str({ example: 'Analisis situasi' }),
        scored: bool({ description: "whether the cycle scores this action" }),
        documents: obj({ total: int(), draft: int(), ready: int(), uploaded: int(), revision_requested: int(), accepted: int() }),
        ready: bool({ description: 'at least one document, and none left in draft or revision_requested' }),
        overdue: arr(
          obj({
            id: uuid(),
            title: str(),
            state: oneOfValues(['draft', 'revision_requested']),
            ownerOpd: obj({ id: uuid(), code: nullable(str()), name: nullable(str()) }),
            dueAt: nullable(dateTime()),
          }),
          { description: 'documents still being prepared after the upload day ended' },
        ),
        indicators: nullable(AKSI_COMPLETENESS_SUMMARY),
      }),
    ),
    overdueOwners: arr(obj({ opdId: uuid(), code: str(), name: str(), documents: int() })),
    indicators: AKSI_COMPLETENESS_SUMMARY,
    score: obj({
      weights: AKSI_WEIGHTS,
      components: arr(
        obj({
          component: oneOfValues(['documents', 'presentation', 'field']),
          weight: int(),
          points: nullable(num({ description: "the mean of the panelists' points, 0-100" })),
          panelists: arr(obj({ panelist: str(), points: num() })),
        }),
      ),
      total: nullable(num({ description: 'Σ weight × points / 100; null until every weighted component has points' })),
      complete: bool(),
    }),
  }),
);
