// Totals by month as a bar chart drawn in inline SVG (no chart library): one bar a month, oldest on the left,
// the month in view marked. For screen readers the picture is an image named by its caption and described by
// every month's total in words; the same figures are also a table anyone can open under the chart.
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useMonth } from './labels.ts';
import type { MonthTotal } from './model.ts';
import { barLayout } from './model.ts';

const BAR = 40;
const GAP = 12;
const PLOT = 160;
const TOP = 24;
const AXIS = 28;

export function MonthlyChart(props: {
  series: readonly MonthTotal[];
  currency: string;
  caption: string;
  /** The month to mark ('YYYY-MM-01'), e.g. the invoice's own. */
  highlight?: string;
}) {
  const { t, money } = useI18n();
  const month = useMonth();
  const captionId = useId();
  const { series, currency } = props;
  const { baseline, bars } = barLayout(
    series.map((m) => m.total),
    PLOT,
  );
  const width = series.length * (BAR + GAP) + GAP;
  const height = TOP + PLOT + AXIS;
  const max = Math.max(0, ...series.map((m) => m.total));
  const spoken = series
    .map((m) => t('billing.chart.month', { month: month(m.period), amount: money(m.total, currency) }))
    .join('; ');
  return (
    <figure className="chart">
      <figcaption id={captionId} className="strong">
        {props.caption}
      </figcaption>
      <svg
        role="img"
        aria-labelledby={captionId}
        viewBox={`0 0 ${width} ${height}`}
        className="chart-svg"
        preserveAspectRatio="xMinYMin meet"
      >
        <desc>{spoken}</desc>
        <text x={GAP} y={14} className="chart-scale">
          {money(max, currency)}
        </text>
        <line x1={0} x2={width} y1={TOP} y2={TOP} className="chart-grid" />
        <line x1={0} x2={width} y1={TOP + baseline} y2={TOP + baseline} className="chart-axis" />
        {series.map((m, i) => {
          const bar = bars[i]!;
          const x = GAP + i * (BAR + GAP);
          const marked = m.period === props.highlight;
          return (
            <g key={m.period}>
              <rect
                x={x}
                y={TOP + bar.y}
                width={BAR}
                height={bar.height}
                className={`chart-bar${marked ? ' marked' : ''}${m.total < 0 ? ' negative' : ''}`}
              >
                <title>
                  {t('billing.chart.month', { month: month(m.period), amount: money(m.total, currency) })}
                </title>
              </rect>
              <text
                x={x + BAR / 2}
                y={height - 8}
                textAnchor="middle"
                className={marked ? 'chart-label strong' : 'chart-label'}
              >
                {month(m.period, 'short')}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart-data">
        <summary>{t('billing.chart.asTable')}</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{props.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.column.month')}</th>
                <th scope="col">{t('billing.column.total')}</th>
              </tr>
            </thead>
            <tbody>
              {series.map((m) => (
                <tr key={m.period}>
                  <th scope="row">{month(m.period)}</th>
                  <td>{money(m.total, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
