import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db';
import {
  insertDelegation,
  insertDocument,
  insertMembership,
  insertNegotiation,
} from '../db/repositories/negotiations';
import { countUsers, insertActor, insertUser } from '../db/repositories/people';
import { insertSession } from '../db/repositories/sessions';
import { DEFAULT_QUORUM_RULE, type TActorKind, type TDelegationStatus, type TLanguage, type TRole } from '../shared/domain';
import { hashPassword } from './auth/password';
import { seedRecordedSession } from './demo-record';
import { recordSessionEvent } from './sessions/record-event';

export const DEMO_PASSWORD = 'proxenia-demo';
const DEMO_DOMAIN = 'demo.proxenia.test';

const CITIES = [
  { slug: 'montreal', name: 'Montréal', country: 'Canada', mayor: 'Mayor of Montréal' },
  { slug: 'barcelona', name: 'Barcelona', country: 'Spain', mayor: 'Mayor of Barcelona' },
  { slug: 'seoul', name: 'Seoul', country: 'Republic of Korea', mayor: 'Mayor of Seoul' },
  { slug: 'saopaulo', name: 'São Paulo', country: 'Brazil', mayor: 'Mayor of São Paulo' },
  { slug: 'johannesburg', name: 'Johannesburg', country: 'South Africa', mayor: 'Executive Mayor of Johannesburg' },
  { slug: 'nizhny', name: 'Nizhny Novgorod', country: 'Russian Federation', mayor: 'Mayor of Nizhny Novgorod' },
  { slug: 'brazzaville', name: 'Brazzaville', country: 'Republic of the Congo', mayor: 'Mayor of Brazzaville' },
] as const;

const OBSERVER_ACTORS: { key: string; name: string; kind: TActorKind; country: string }[] = [
  { key: 'ministry', name: 'Ministry of Territorial Cohesion', kind: 'national_government', country: 'France' },
  { key: 'unhabitat', name: 'UN-Habitat', kind: 'international_organization', country: 'Kenya' },
  { key: 'ngo', name: 'Urban Resilience Alliance', kind: 'ngo', country: 'Netherlands' },
];

const DECLARATION_TEXT = `Declaration on Urban Climate Resilience
We, the mayors and leaders of the member cities of Metropolis, gathered at our Annual Meeting,
Recognizing that cities are home to more than half of humanity and are on the front line of floods, heatwaves, droughts and rising seas,
Recalling the Paris Agreement and the New Urban Agenda, and the commitments our cities have made under them,
Noting with concern that the most vulnerable neighbourhoods bear the heaviest share of climate risk,
1. Commit to adopt, by the next Annual Meeting, a city climate risk assessment covering heat, water and coastal hazards;
2. Resolve to dedicate a growing share of municipal investment to nature-based solutions, green corridors and permeable public space;
3. Call upon national governments to give cities direct access to international climate finance;
4. Agree to share early-warning data and heat-action plans among member cities through the Metropolis network;
5. Invite international organizations, academia and civil society to support the implementation of this Declaration.`;

const TWINNING_TEXT = `Agreement on Twinning between the City of Nizhny Novgorod and the City of Brazzaville
The City of Nizhny Novgorod and the City of Brazzaville, hereinafter "the Parties",
Desiring to strengthen friendship and mutual understanding between their peoples,
1. Culture: the Parties shall organise exchanges of artists, exhibitions and festivals.
2. Education: the Parties shall encourage partnerships between schools and universities.
3. Science: the Parties shall support joint research on urban development.
4. Humanitarian cooperation: the Parties shall cooperate in health and social services.
5. Economy: the Parties shall promote contacts between businesses of both cities.`;

export interface TDemoAccount {
  email: string;
  role: string;
}

/** The demo accounts, for the README and the start banner. */
export function demoAccounts(): TDemoAccount[] {
  return [
    { email: `secretariat@${DEMO_DOMAIN}`, role: 'secretariat (can create negotiations)' },
    { email: `chair@${DEMO_DOMAIN}`, role: 'chair of the Metropolis meeting' },
    { email: `observer@${DEMO_DOMAIN}`, role: 'observer (UN-Habitat)' },
    { email: `interpreter@${DEMO_DOMAIN}`, role: 'interpreter of the Metropolis meeting (French booth)' },
    ...CITIES.flatMap((city) => [
      { email: `head.${city.slug}@${DEMO_DOMAIN}`, role: `head of delegation, ${city.name}` },
      { email: `delegate.${city.slug}@${DEMO_DOMAIN}`, role: `delegate, ${city.name}` },
    ]),
  ];
}

interface SeedContext {
  tx: Queryable;
  now: number;
  passwordHash: string;
  users: Map<string, string>;
}

async function seedUser(ctx: SeedContext, local: string, name: string, accountRole: 'organizer' | 'member') {
  const id = randomUUID();
  await insertUser(ctx.tx, { id, email: `${local}@${DEMO_DOMAIN}`, name, passwordHash: ctx.passwordHash, accountRole, createdAt: ctx.now });
  ctx.users.set(local, id);
  return id;
}

async function seedNegotiation(
  ctx: SeedContext,
  fields: { title: string; format: 'multilateral' | 'bilateral'; host: string; languages: TLanguage[]; description: string },
) {
  const id = randomUUID();
  await insertNegotiation(ctx.tx, { id, ...fields, quorumRule: DEFAULT_QUORUM_RULE, createdBy: ctx.users.get('secretariat') ?? '', createdAt: ctx.now });
  return id;
}

async function seedDelegation(ctx: SeedContext, negotiationId: string, actorId: string, status: TDelegationStatus) {
  const id = randomUUID();
  await insertDelegation(ctx.tx, { id, negotiationId, actorId, status, accreditedAt: ctx.now });
  return id;
}

async function seedMember(ctx: SeedContext, negotiationId: string, local: string, role: TRole, delegationId: string | null) {
  const userId = ctx.users.get(local);
  if (!userId) throw new Error(`demo seed: no user ${local}`);
  const id = randomUUID();
  await insertMembership(ctx.tx, { id, negotiationId, userId, delegationId, role, createdAt: ctx.now });
  return { id, role, delegationId };
}

async function seedSession(ctx: SeedContext, negotiationId: string, title: string, scheduledStart: number) {
  const id = randomUUID();
  await insertSession(ctx.tx, { id, negotiationId, title, scheduledStart, status: 'scheduled', createdAt: ctx.now });
  const secretariat = { id: ctx.users.get('secretariat') ?? '' };
  await recordSessionEvent(ctx.tx, id, { user: secretariat, membership: { role: 'secretariat', delegationId: null } }, 'session.scheduled', { title, scheduledStart }, ctx.now);
}

/** A whole day at 13:00 UTC, `days` from now, so the demo session is always upcoming. */
function upcoming(now: number, days: number): number {
  const date = new Date(now + days * 24 * 60 * 60_000);
  date.setUTCHours(13, 0, 0, 0);
  return date.getTime();
}

/**
 * Seeds the demo (two negotiations, eighteen accounts) into an empty database. Does nothing when
 * any account exists, so a second start keeps what users did.
 */
export async function seedDemo(db: Database): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    // Nodes starting together on one PostgreSQL: one seeds, the others then find accounts and stop.
    if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(480612)');
    if ((await countUsers(tx)) > 0) return false;
    const ctx: SeedContext = { tx, now: Date.now(), passwordHash, users: new Map() };

    await seedUser(ctx, 'secretariat', 'Metropolis Secretariat', 'organizer');
    await seedUser(ctx, 'chair', 'Chair of the Annual Meeting', 'member');
    await seedUser(ctx, 'observer', 'UN-Habitat Liaison Officer', 'member');
    await seedUser(ctx, 'interpreter', 'French Booth Interpreter', 'member');
    const cityActors = new Map<string, string>();
    for (const city of CITIES) {
      await seedUser(ctx, `head.${city.slug}`, city.mayor, 'member');
      await seedUser(ctx, `delegate.${city.slug}`, `Delegate of ${city.name}`, 'member');
      const actorId = randomUUID();
      await insertActor(tx, { id: actorId, name: city.name, kind: 'city', country: city.country, createdAt: ctx.now });
      cityActors.set(city.slug, actorId);
    }
    const observerActors = new Map<string, string>();
    for (const actor of OBSERVER_ACTORS) {
      const actorId = randomUUID();
      await insertActor(tx, { id: actorId, name: actor.name, kind: actor.kind, country: actor.country, createdAt: ctx.now });
      observerActors.set(actor.key, actorId);
    }

    const metropolis = await seedNegotiation(ctx, {
      title: 'Metropolis Annual Meeting — Declaration on Urban Climate Resilience',
      format: 'multilateral',
      host: 'Metropolis — World Association of the Major Metropolises',
      languages: ['en', 'fr', 'es'],
      description:
        'Member cities negotiate and adopt a joint declaration on urban climate resilience, with national, international and civil-society observers.',
    });
    await seedMember(ctx, metropolis, 'secretariat', 'secretariat', null);
    await seedMember(ctx, metropolis, 'chair', 'chair', null);
    await seedMember(ctx, metropolis, 'interpreter', 'interpreter', null);
    const metropolisDelegations = new Map<string, string>();
    for (const city of CITIES) {
      const delegationId = await seedDelegation(ctx, metropolis, cityActors.get(city.slug) ?? '', 'member');
      metropolisDelegations.set(city.slug, delegationId);
      await seedMember(ctx, metropolis, `head.${city.slug}`, 'head', delegationId);
      await seedMember(ctx, metropolis, `delegate.${city.slug}`, 'delegate', delegationId);
    }
    for (const actor of OBSERVER_ACTORS) {
      const delegationId = await seedDelegation(ctx, metropolis, observerActors.get(actor.key) ?? '', 'observer');
      metropolisDelegations.set(actor.key, delegationId);
      if (actor.key === 'unhabitat') await seedMember(ctx, metropolis, 'observer', 'observer', delegationId);
    }
    await insertDocument(tx, {
      id: randomUUID(),
      negotiationId: metropolis,
      title: 'Draft Declaration on Urban Climate Resilience',
      kind: 'declaration',
      baseText: DECLARATION_TEXT,
      createdBy: ctx.users.get('secretariat') ?? '',
      createdAt: ctx.now,
    });
    await seedSession(ctx, metropolis, 'Plenary — first reading of the draft declaration', upcoming(ctx.now, 3));
    // After the upcoming session, so lookups of "the Metropolis session" by insertion order still find that one.
    await seedRecordedSession({ tx, now: ctx.now, negotiationId: metropolis, users: ctx.users, delegations: metropolisDelegations });

    const twinning = await seedNegotiation(ctx, {
      title: 'Nizhny Novgorod — Brazzaville twinning agreement',
      format: 'bilateral',
      host: 'City of Nizhny Novgorod',
      languages: ['ru', 'fr'],
      description: 'Bilateral talks on a sister-city agreement: culture, education, science, humanitarian cooperation and economy.',
    });
    await seedMember(ctx, twinning, 'secretariat', 'secretariat', null);
    for (const slug of ['nizhny', 'brazzaville'] as const) {
      const delegationId = await seedDelegation(ctx, twinning, cityActors.get(slug) ?? '', 'member');
      await seedMember(ctx, twinning, `head.${slug}`, 'head', delegationId);
      await seedMember(ctx, twinning, `delegate.${slug}`, 'delegate', delegationId);
    }
    await insertDocument(tx, {
      id: randomUUID(),
      negotiationId: twinning,
      title: 'Twinning Agreement',
      kind: 'agreement',
      baseText: TWINNING_TEXT,
      createdBy: ctx.users.get('secretariat') ?? '',
      createdAt: ctx.now,
    });
    await seedSession(ctx, twinning, 'Round 1 — areas of cooperation', upcoming(ctx.now, 7));
    return true;
  });
}
