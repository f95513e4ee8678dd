// Which column of a file holds which revperf field, guessed from header words
// in English and Spanish, for `revperf init` on exports no preset knows. Pure:
// the guess becomes a config mapping the user reviews; ingest itself only ever
// reads headers a preset or mapping names.

/** Header text → comparison key: case, accents, spacing, `_`, `-` and punctuation ignored; camelCase split. */
export function synonymKey(text: string): string {
  return synonymWords(text).join('');
}

function synonymWords(text: string): string[] {
  return text
    .replace(/\uFEFF/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** The header without a bracketed qualifier: `Amount (converted)` → `Amount`, `Importe [EUR]` → `Importe`. */
function withoutQualifier(text: string): string | null {
  const stripped = text.replace(/\s*[([{][^)\]}]*[)\]}]\s*/g, ' ').trim();
  return stripped !== text.trim() && stripped !== '' ? stripped : null;
}

type Synonyms = Readonly<Record<string, readonly string[]>>;

/**
 * Per upload kind, per revperf field, the header words that name it — most
 * canonical first (an earlier synonym is the plainer one when two headers
 * compete). English and Spanish as CRMs and spreadsheets write them.
 */
export const HEADER_SYNONYMS: Readonly<Record<'deals' | 'people' | 'quotas' | 'accounts' | 'fx', Synonyms>> = {
  deals: {
    id: ['id', 'record id', 'deal id', 'opportunity id', 'opportunity_id', 'identificador', 'id oportunidad', 'id de oportunidad', 'id de la oportunidad', 'id de registro', 'id negocio', 'id del negocio', 'referencia'],
    name: ['name', 'deal name', 'opportunity name', 'deal', 'opportunity', 'title', 'deal title', 'nombre', 'nombre de la oportunidad', 'nombre del negocio', 'oportunidad', 'negocio', 'titulo', 'trato', 'nombre del trato'],
    account: ['account', 'account name', 'company', 'company name', 'customer', 'client', 'organization', 'organisation', 'cuenta', 'nombre de la cuenta', 'empresa', 'compania', 'cliente', 'organizacion'],
    owner: ['owner', 'deal owner', 'opportunity owner', 'rep', 'sales rep', 'salesperson', 'sales person', 'agent', 'sales agent', 'account executive', 'assigned to', 'comercial', 'vendedor', 'vendedora', 'propietario', 'propietaria', 'propietario de la oportunidad', 'propietario del negocio', 'responsable', 'agente', 'agente de ventas', 'ejecutivo de cuenta', 'ejecutivo de ventas', 'asignado a'],
    stage: ['stage', 'deal stage', 'sales stage', 'pipeline stage', 'etapa', 'fase', 'etapa del negocio', 'etapa de la oportunidad', 'etapa de venta'],
    status: ['status', 'deal status', 'estado', 'estado del negocio', 'estado de la oportunidad'],
    amount: ['amount', 'value', 'deal value', 'deal amount', 'opportunity amount', 'close value', 'revenue', 'importe', 'valor', 'monto', 'importe total', 'valor del negocio', 'importe de la oportunidad', 'ingresos'],
    currency: ['currency', 'currency code', 'deal currency', 'moneda', 'divisa', 'codigo de moneda'],
    probability: ['probability', 'win probability', 'deal probability', 'probabilidad', 'probabilidad de cierre', 'probabilidad de exito'],
    closeDate: ['close date', 'closing date', 'expected close date', 'closed date', 'close', 'fecha de cierre', 'fecha cierre', 'fecha prevista de cierre', 'fecha de cierre prevista', 'cierre'],
    createdDate: ['created date', 'create date', 'created', 'created on', 'created at', 'date created', 'deal created', 'engage date', 'engaged date', 'engaged on', 'fecha de creacion', 'fecha creacion', 'creado', 'creada', 'fecha de alta', 'fecha alta'],
    wonTime: ['won time', 'won date', 'date won', 'fecha ganada', 'fecha de ganado'],
    lostTime: ['lost time', 'lost date', 'date lost', 'fecha perdida', 'fecha de perdida'],
    pipeline: ['pipeline', 'sales pipeline', 'embudo', 'embudo de ventas', 'canal de ventas'],
    lastActivityDate: ['last activity date', 'last activity', 'fecha de ultima actividad', 'ultima actividad'],
    stageChangeDate: ['stage change date', 'last stage change date', 'last stage change', 'date entered current stage', 'fecha de cambio de etapa', 'fecha del ultimo cambio de etapa', 'ultimo cambio de etapa'],
    forecastCategory: ['forecast category', 'forecast category name', 'categoria de prevision', 'categoria de pronostico', 'categoria de forecast'],
  },
  people: {
    name: ['name', 'full name', 'rep', 'rep name', 'sales rep', 'person', 'employee', 'nombre', 'nombre completo', 'comercial', 'vendedor', 'empleado', 'persona'],
    email: ['email', 'e-mail', 'email address', 'work email', 'correo', 'correo electronico', 'email corporativo'],
    team: ['team', 'team name', 'sales team', 'equipo', 'equipo de ventas'],
    manager: ['manager', 'manager name', 'manager email', 'reports to', 'responsable', 'jefe', 'gerente', 'director', 'supervisor'],
    region: ['region', 'territory', 'geo', 'territorio', 'zona'],
    role: ['role', 'rol', 'puesto', 'cargo'],
    active: ['active', 'is active', 'status', 'activo', 'activa', 'estado'],
    effectiveFrom: ['effective from', 'effective date', 'valid from', 'start date', 'from', 'vigente desde', 'fecha de alta', 'desde', 'fecha de inicio'],
  },
  quotas: {
    rep: ['rep', 'owner', 'sales rep', 'rep name', 'rep email', 'person', 'email', 'comercial', 'vendedor', 'propietario', 'responsable', 'correo', 'persona'],
    team: ['team', 'equipo'],
    region: ['region', 'territorio', 'zona'],
    level: ['level', 'nivel'],
    entity: ['entity', 'entity id', 'name', 'entidad', 'nombre'],
    period: ['period', 'fiscal period', 'quarter', 'fiscal quarter', 'month', 'fiscal month', 'year', 'fiscal year', 'periodo', 'trimestre', 'mes', 'ano', 'ano fiscal', 'periodo fiscal'],
    amount: ['quota', 'target', 'amount', 'quota amount', 'target amount', 'cuota', 'objetivo', 'importe', 'meta'],
    currency: ['currency', 'currency code', 'moneda', 'divisa'],
  },
  accounts: {
    name: ['account name', 'account', 'name', 'company', 'customer', 'cuenta', 'nombre', 'empresa', 'cliente'],
    tier: ['tier', 'account tier', 'segment', 'nivel', 'segmento'],
    key: ['key account', 'key', 'is key account', 'strategic', 'cuenta clave', 'clave', 'estrategica'],
  },
  fx: {
    currency: ['currency', 'currency code', 'from currency', 'code', 'moneda', 'divisa'],
    rate: ['rate', 'exchange rate', 'fx rate', 'conversion rate', 'tipo de cambio', 'tasa', 'tasa de cambio', 'cambio'],
    validFrom: ['valid from', 'effective from', 'from date', 'start date', 'date', 'valido desde', 'vigente desde', 'fecha', 'desde'],
  },
};

/** How a header was matched to a field: its whole text, or its text without a bracketed qualifier. */
export type SynonymMatch = 'exact' | 'qualified';

export interface FieldGuess {
  field: string;
  header: string;
  index: number;
  match: SynonymMatch;
  /** The synonym it matched. */
  synonym: string;
}

export interface IgnoredHeader {
  field: string;
  header: string;
  /** The header the field took instead. */
  chosen: string;
}

export interface HeaderGuess {
  /** revperf field → the guess. */
  fields: Record<string, FieldGuess>;
  /** Headers that could also have been a field another header took (the plainer one won). */
  ignored: IgnoredHeader[];
  /** Headers no field took. */
  unused: string[];
}

interface Candidate {
  field: string;
  fieldRank: number;
  header: string;
  index: number;
  match: SynonymMatch;
  synonym: string;
  synonymRank: number;
}

/**
 * Matches headers to the fields of a kind. A header matches a field when its
 * text, or its text without a bracketed qualifier, is one of the field's
 * synonyms. When several headers match one field the plainest wins: a whole
 * match over a qualified one (`Amount` over `Amount (converted)`), then the
 * more canonical synonym, then the shorter header, then the leftmost; the
 * others are listed as ignored. A header serves one field only.
 */
export function guessFields(kind: keyof typeof HEADER_SYNONYMS, headers: readonly string[]): HeaderGuess {
  const synonyms = HEADER_SYNONYMS[kind];
  const fieldNames = Object.keys(synonyms);
  const rankBySynonymKey = fieldNames.map((field) => new Map((synonyms[field] ?? []).map((synonym, rank) => [synonymKey(synonym), { synonym, rank }] as const)));
  const candidates: Candidate[] = [];
  headers.forEach((header, index) => {
    const text = header.replace(/\uFEFF/g, '').trim();
    if (text === '') return;
    const exactKey = synonymKey(text);
    const qualifier = withoutQualifier(text);
    const qualifiedKey = qualifier === null ? null : synonymKey(qualifier);
    fieldNames.forEach((field, fieldRank) => {
      const ranks = rankBySynonymKey[fieldRank]!;
      const exact = ranks.get(exactKey);
      const qualified = qualifiedKey === null ? undefined : ranks.get(qualifiedKey);
      const hit = exact ? { ...exact, match: 'exact' as const } : qualified ? { ...qualified, match: 'qualified' as const } : null;
      if (hit) candidates.push({ field, fieldRank, header: text, index, match: hit.match, synonym: hit.synonym, synonymRank: hit.rank });
    });
  });
  candidates.sort(
    (a, b) =>
      Number(a.match === 'qualified') - Number(b.match === 'qualified') ||
      a.synonymRank - b.synonymRank ||
      a.header.length - b.header.length ||
      a.index - b.index ||
      a.fieldRank - b.fieldRank,
  );
  const fields: Record<string, FieldGuess> = {};
  const usedIndexes = new Set<number>();
  for (const candidate of candidates) {
    if (candidate.field in fields || usedIndexes.has(candidate.index)) continue;
    fields[candidate.field] = { field: candidate.field, header: candidate.header, index: candidate.index, match: candidate.match, synonym: candidate.synonym };
    usedIndexes.add(candidate.index);
  }
  // Fields in the table's order (id, name, account, owner …), as a mapping reads best.
  const ordered: Record<string, FieldGuess> = {};
  for (const field of fieldNames) if (fields[field]) ordered[field] = fields[field];
  const ignored: IgnoredHeader[] = [];
  for (const candidate of candidates) {
    const chosen = fields[candidate.field];
    if (usedIndexes.has(candidate.index) || chosen === undefined) continue;
    if (ignored.some((entry) => entry.header === candidate.header)) continue;
    ignored.push({ field: candidate.field, header: candidate.header, chosen: chosen.header });
  }
  const unused = headers
    .map((header, index) => ({ header: header.replace(/\uFEFF/g, '').trim(), index }))
    .filter(({ header, index }) => header !== '' && !usedIndexes.has(index))
    .map(({ header }) => header);
  return { fields: ordered, ignored, unused };
}

/** Whether headers read as Spanish: more of them match a Spanish-only synonym than an English one. */
export function looksSpanish(headers: readonly string[]): boolean {
  const spanishWords = /^(nombre|cuenta|empresa|propietari[oa]|comercial|vendedora?|responsable|etapa|estado|importe|valor|monto|moneda|divisa|probabilidad|fecha|creado|creada|cierre|equipo|correo|region|cuota|objetivo|periodo|trimestre|de|del|la|el)$/;
  let spanish = 0;
  let other = 0;
  for (const header of headers) {
    const words = synonymWords(header);
    if (words.length === 0) continue;
    if (words.some((word) => spanishWords.test(word) && !['region', 'valor'].includes(word))) spanish += 1;
    else other += 1;
  }
  return spanish > other;
}
