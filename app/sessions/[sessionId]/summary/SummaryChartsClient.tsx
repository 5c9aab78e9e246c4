'use client';

import { useTranslations } from 'next-intl';
import type { ReactElement, ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AMENDMENT_FATES, FLOOR_REQUEST_FATES, type TSessionAnalytics } from '@/lib/session/analytics';
import { utcTime } from '@/lib/session/minutes';
import { clockDuration } from '@/lib/session/speaking-time';

/** One colour per series; every chart's caption and table say the same in words. */
const FATE_COLOURS: Record<string, string> = {
  granted: 'var(--ok)',
  accepted: 'var(--ok)',
  waiting: 'var(--warn)',
  pending: 'var(--warn)',
  withdrawn: 'var(--ink-muted)',
  removed: 'var(--danger)',
  rejected: 'var(--danger)',
};

type TRow = Record<string, string | number>;

interface TSeries {
  key: string;
  label: string;
  colour: string;
}

/**
 * A chart with its caption (title and a summary in words) and the same data as a table for screen
 * readers: the drawing is hidden from assistive technology and out of the tab order.
 */
function ChartFigure({ id, title, summary, rows, series, labelHeader, format, children }: { id: string; title: string; summary: string; rows: TRow[]; series: TSeries[]; labelHeader: string; format: (value: number) => string; children: ReactNode }) {
  const t = useTranslations('summary.analytics');
  return (
    <figure className="summary-chart card stack" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        <p className="muted">{summary}</p>
      </figcaption>
      <div className="summary-chart-drawing" aria-hidden="true">
        <ResponsiveContainer width="100%" height={Math.min(420, Math.max(180, rows.length * 34 + 60))}>
          {children as ReactElement}
        </ResponsiveContainer>
      </div>
      {/* A table lays out wider than its box: the wrapper clips it, so it never widens the page. */}
      <div className="visually-hidden">
      <table>
        <caption>{t('table')}: {title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            {series.map((entry) => (
              <th scope="col" key={entry.key}>
                {entry.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={String(row.label)}>
              <th scope="row">{row.label}</th>
              {series.map((entry) => (
                <td key={entry.key}>{format(Number(row[entry.key] ?? 0))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/** Horizontal bars, one row per label, stacked when there are several series. */
function HorizontalBars({ rows, series, format, ticks }: { rows: TRow[]; series: TSeries[]; format: (value: number) => string; ticks?: number[] }) {
  return (
    <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" allowDecimals={false} tickFormatter={format} ticks={ticks} domain={ticks ? [0, ticks.at(-1) ?? 0] : undefined} />
      <YAxis type="category" dataKey="label" width={130} interval={0} />
      <Tooltip formatter={(value) => format(Number(value))} />
      {series.length > 1 && <Legend />}
      {series.map((entry) => (
        <Bar key={entry.key} dataKey={entry.key} name={entry.label} stackId="stack" fill={entry.colour} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}

const count = (value: number) => String(value);

/** Ticks of a speaking-time axis on whole minutes (every 1, 5 or 10 minutes as the longest bar needs). */
function minuteTicks(seconds: readonly number[]): number[] {
  const longest = Math.max(60, ...seconds);
  const step = longest <= 8 * 60 ? 60 : longest <= 40 * 60 ? 5 * 60 : 10 * 60;
  return Array.from({ length: Math.ceil(longest / step) + 1 }, (_, index) => index * step);
}
const percent = (value: number) => `${Math.round(value * 100)}%`;

/** The summary page's analytics: speaking time, floor requests, amendments and agreed paragraphs. */
export function SummaryChartsClient({ analytics, delegationNames }: { analytics: TSessionAnalytics; delegationNames: Record<string, string> }) {
  const t = useTranslations('summary.analytics');
  const tKinds = useTranslations('actorKinds');
  const delegation = (id: string | null) => (id === null ? t('noDelegation') : (delegationNames[id] ?? id));
  // M8: the bars, ticks, tooltips and table show the record's whole seconds, in the minutes' format.
  const speaking = analytics.speakingByDelegation.map((entry) => ({ label: delegation(entry.delegationId), seconds: entry.seconds }));
  const stakeholders = analytics.speakingByStakeholder.map((entry) => ({ label: entry.group === 'none' ? t('groups.none') : tKinds(entry.group), seconds: entry.seconds }));
  const speakingSeries = [{ key: 'seconds', label: t('duration'), colour: 'var(--accent)' }];
  const requestRows = analytics.floorRequests.byDelegation.map(({ delegationId, ...counts }) => ({ ...counts, label: delegation(delegationId) }));
  const requestSeries = FLOOR_REQUEST_FATES.map((fate) => ({ key: fate, label: t(`fate.${fate}`), colour: FATE_COLOURS[fate] ?? 'var(--ink)' }));
  const amendmentRows = analytics.amendmentsByDelegation.map((entry) => ({ ...entry, label: delegation(entry.delegationId) }));
  const amendmentSeries = AMENDMENT_FATES.map((fate) => ({ key: fate, label: t(`fate.${fate}`), colour: FATE_COLOURS[fate] ?? 'var(--ink)' }));
  const agreedRows = analytics.agreedOverTime.map((point) => ({ label: utcTime(point.at), agreed: point.agreed, agreedAdRef: point.agreedAdRef }));
  const agreedSeries = [
    { key: 'agreed', label: t('share.agreed'), colour: 'var(--ok)' },
    { key: 'agreedAdRef', label: t('share.agreedAdRef'), colour: 'var(--warn)' },
  ];
  const totals = analytics.floorRequests.totals;
  const requestTotal = FLOOR_REQUEST_FATES.reduce((sum, fate) => sum + totals[fate], 0);
  const top = analytics.speakingByDelegation[0];
  const last = analytics.agreedOverTime.at(-1);
  const empty = (text: string) => <p className="empty">{text}</p>;

  return (
    <div className="summary-charts">
      {speaking.length === 0
        ? empty(t('speakingByDelegation.empty'))
        : <ChartFigure id="chart-speaking" title={t('speakingByDelegation.title')} summary={t('speakingByDelegation.summary', { count: speaking.length, top: delegation(top?.delegationId ?? null), duration: clockDuration(top?.seconds ?? 0) })} rows={speaking} series={speakingSeries} labelHeader={t('delegation')} format={clockDuration}>
            <HorizontalBars rows={speaking} series={speakingSeries} format={clockDuration} ticks={minuteTicks(speaking.map((row) => row.seconds))} />
          </ChartFigure>}
      {stakeholders.length > 0 && (
        <ChartFigure id="chart-stakeholders" title={t('speakingByStakeholder.title')} summary={t('speakingByStakeholder.summary')} rows={stakeholders} series={speakingSeries} labelHeader={t('group')} format={clockDuration}>
          <HorizontalBars rows={stakeholders} series={speakingSeries} format={clockDuration} ticks={minuteTicks(stakeholders.map((row) => row.seconds))} />
        </ChartFigure>
      )}
      {requestTotal === 0
        ? empty(t('floorRequests.empty'))
        : <ChartFigure id="chart-requests" title={t('floorRequests.title')} summary={t('floorRequests.summary', { total: requestTotal, ...totals, skipped: analytics.skippedRequests })} rows={requestRows} series={requestSeries} labelHeader={t('delegation')} format={count}>
            <HorizontalBars rows={requestRows} series={requestSeries} format={count} />
          </ChartFigure>}
      {amendmentRows.length === 0
        ? empty(t('amendments.empty'))
        : <ChartFigure id="chart-amendments" title={t('amendments.title')} summary={t('amendments.summary', { total: amendmentRows.reduce((sum, row) => sum + AMENDMENT_FATES.reduce((inner, fate) => inner + row[fate], 0), 0) })} rows={amendmentRows} series={amendmentSeries} labelHeader={t('delegation')} format={count}>
            <HorizontalBars rows={amendmentRows} series={amendmentSeries} format={count} />
          </ChartFigure>}
      {agreedRows.length === 0
        ? empty(t('agreed.empty'))
        : <ChartFigure id="chart-agreed" title={t('agreed.title')} summary={t('agreed.summary', { total: analytics.paragraphCount, agreed: percent(last?.agreed ?? 0), adRef: percent(last?.agreedAdRef ?? 0) })} rows={agreedRows} series={agreedSeries} labelHeader={t('agreed.time')} format={percent}>
            <LineChart data={agreedRows} margin={{ top: 8, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis domain={[0, 1]} tickFormatter={percent} />
              <Tooltip formatter={(value) => percent(Number(value))} />
              <Legend />
              {agreedSeries.map((entry) => (
                <Line key={entry.key} type="stepAfter" dataKey={entry.key} name={entry.label} stroke={entry.colour} strokeWidth={2} isAnimationActive={false} />
              ))}
            </LineChart>
          </ChartFigure>}
    </div>
  );
}
