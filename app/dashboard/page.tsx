import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { listNegotiationsForUser } from '@/lib/db/repositories/negotiations';
import { can } from '@/lib/policy';
import { requireUser } from '@/lib/server/auth/current-user';
import { actorFor } from '@/lib/server/negotiations/authorize-in-negotiation';
import { LocalTime } from '../components/LocalTime';
import { PageFrame } from '../components/PageFrame';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('dashboard'))('title') };
}

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const negotiations = await listNegotiationsForUser(await getDb(), user.id);
  const t = await getTranslations();
  const mayCreate = can(actorFor(user, undefined), 'negotiation.create', { kind: 'platform' });
  return (
    <PageFrame user={user} className="">
      <div className="page-head">
        <div>
          <h1>{t('dashboard.title')}</h1>
          <p className="lead">{t('dashboard.lead', { name: user.name })}</p>
        </div>
        {mayCreate && (
          <Link className="button" href="/negotiations/new">
            {t('dashboard.create')}
          </Link>
        )}
      </div>
      {negotiations.length === 0 ? (
        <p className="empty">{t('dashboard.empty')}</p>
      ) : (
        <ul className="grid" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('dashboard.title')}>
          {negotiations.map((negotiation) => (
            <li key={negotiation.id}>
              <Link href={`/negotiations/${negotiation.id}`} className="card negotiation-card">
                <h2>{negotiation.title}</h2>
                <span className="cluster">
                  <span className="badge neutral">{t(`formats.${negotiation.format}`)}</span>
                  <span className="badge">{t(`roles.${negotiation.role}`)}</span>
                  {negotiation.delegationName && <span className="badge neutral">{negotiation.delegationName}</span>}
                </span>
                <span className="muted">{negotiation.host}</span>
                <span>
                  {negotiation.nextSessionStart !== null ? (
                    <>
                      {t('dashboard.nextSession')} <LocalTime at={negotiation.nextSessionStart} />
                    </>
                  ) : (
                    <span className="muted">{t('dashboard.noSession')}</span>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </PageFrame>
  );
}
