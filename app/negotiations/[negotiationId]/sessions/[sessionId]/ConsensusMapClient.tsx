'use client';

import { HeatmapRect } from '@visx/heatmap';
import { scaleBand, scaleOrdinal } from '@visx/scale';
import { useFormatter, useTranslations } from 'next-intl';
import { useId } from 'react';
import { consensusOn, STANCES, targetKey, type TPositionTarget, type TStance } from '@/lib/session/room/positions';
import type { TDeliberationProps } from './DeliberationPanelsClient';
import styles from './deliberation.module.css';

/** A row of the map: a paragraph or an amendment of the document under discussion. */
export interface TMapRow {
  key: string;
  label: string;
  excerpt: string;
  target: TPositionTarget;
}

/** A stance as the heat map counts it; 0 is "no stance". */
const STANCE_VALUE: Record<TStance, number> = { object: 1, reserve: 2, can_accept: 3, support: 4 };
const VALUE_STANCE = ['none', 'object', 'reserve', 'can_accept', 'support'] as const;
/** Fills that keep 3:1 against the page and 4.5:1 under the white letter each cell carries (WCAG 1.4.1, 1.4.11). */
const fill = scaleOrdinal<number, string>({ domain: [0, 1, 2, 3, 4], range: ['#eceff3', '#a61b29', '#8a5a00', '#1d4e89', '#1f6f43'] });

const CELL = 30;
const LEFT = 64;
const TOP = 96;
/** Room for the last column's slanted name. */
const RIGHT = 56;

interface TColumn {
  delegationId: string;
  name: string;
  bins: { row: TMapRow; value: number }[];
}

/**
 * S66: the consensus map — member delegations (columns) by paragraph (rows), each cell coloured and
 * lettered by stance — drawn with visx, and the same facts as a table for screen readers (and for
 * anyone reading exact lists of who objects).
 */
export function ConsensusMap({ rows, documentId, view, names }: Pick<TDeliberationProps, 'view' | 'names'> & { rows: TMapRow[]; documentId: string }) {
  const t = useTranslations('room.positions');
  const format = useFormatter();
  const id = useId();
  const { state } = view;
  const members = state.attendance.roster.filter((entry) => entry.status === 'member');
  const stanceOf = new Map(state.positions.stances.filter((entry) => entry.documentId === documentId).map((entry) => [`${entry.delegationId}|${targetKey(documentId, entry.target)}`, entry.stance]));
  const columns: TColumn[] = members.map(({ delegationId }) => ({
    delegationId,
    name: names.delegation(delegationId) ?? '—',
    bins: rows.map((row) => {
      const stance = stanceOf.get(`${delegationId}|${targetKey(documentId, row.target)}`);
      return { row, value: stance ? STANCE_VALUE[stance] : 0 };
    }),
  }));
  if (rows.length === 0 || columns.length === 0) return null;
  const width = LEFT + columns.length * CELL + RIGHT;
  const height = TOP + rows.length * CELL;
  const x = scaleBand<number>({ domain: columns.map((_, index) => index), range: [0, columns.length * CELL] });
  const y = scaleBand<number>({ domain: rows.map((_, index) => index), range: [0, rows.length * CELL] });
  const nameList = (ids: string[]) => (ids.length ? format.list(ids.map((delegationId) => names.delegation(delegationId) ?? '—')) : t('nobody'));

  return (
    <div className={styles.map}>
      <h3>{t('mapHeading')}</h3>
      <figure className={styles.figure}>
        <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} className={styles.heatmap} aria-hidden="true" focusable="false">
          {columns.map((column, index) => (
            <text key={column.delegationId} transform={`translate(${LEFT + (x(index) ?? 0) + CELL / 2}, ${TOP - 6}) rotate(-55)`} className={styles.axisLabel}>
              {column.name}
            </text>
          ))}
          {rows.map((row, index) => (
            <text key={row.key} x={LEFT - 6} y={TOP + (y(index) ?? 0) + CELL / 2} textAnchor="end" dominantBaseline="middle" className={styles.axisLabel}>
              {row.label.length > 9 ? `${row.label.slice(0, 8)}…` : row.label}
            </text>
          ))}
          {/* With a render function HeatmapRect draws no group of its own, so the offset is ours. */}
          <g transform={`translate(${LEFT}, ${TOP})`}>
          <HeatmapRect<TColumn, TColumn['bins'][number]>
            data={columns}
            bins={(column) => column.bins}
            count={(bin) => bin.value}
            xScale={(index) => x(index) ?? 0}
            yScale={(index) => y(index) ?? 0}
            colorScale={(value) => fill(Number(value))}
            binWidth={CELL}
            binHeight={CELL}
            gap={2}
          >
            {(cells) =>
              cells.flat().map((cell) => {
                const stance = VALUE_STANCE[cell.bin.value] ?? 'none';
                return (
                  <g key={`${cell.row}-${cell.column}`}>
                    <rect x={cell.x} y={cell.y} width={cell.width} height={cell.height} rx={3} fill={cell.color} />
                    <text x={cell.x + cell.width / 2} y={cell.y + cell.height / 2} textAnchor="middle" dominantBaseline="central" className={stance === 'none' ? styles.cellLetterNone : styles.cellLetter}>
                      {t(`stanceShort.${stance}`)}
                    </text>
                  </g>
                );
              })
            }
          </HeatmapRect>
          </g>
        </svg>
        <figcaption className="muted">{t('mapCaption')}</figcaption>
      </figure>
      {/* Scrolls sideways on a phone: focusable and named, so keyboard users can scroll it too. */}
      <div className={styles.tableWrap} tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
        <table>
          <caption id={`${id}-caption`}>{t('tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('target')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('counts')}</th>
              <th scope="col">{t('objecting')}</th>
              <th scope="col">{t('reserving')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const consensus = consensusOn(state.positions.stances, state.attendance.roster, documentId, row.target);
              return (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>
                    <span className={`badge ${styles[`level_${consensus.level}`] ?? ''}`}>{t(`levels.${consensus.level}`)}</span>
                  </td>
                  <td className={styles.counts}>{[...STANCES.map((stance) => consensus.counts[stance]), consensus.silent].join(' · ')}</td>
                  <td>{nameList(consensus.objecting)}</td>
                  <td>{nameList(consensus.reserving)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
