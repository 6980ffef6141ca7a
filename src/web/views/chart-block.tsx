import type { Ctx, Localized } from '../site/site.context.ts';
import type { Block, ChartBar } from '../../modules/content/content.schema.ts';
import { L, LInline } from './components.tsx';

// A chart block: bars drawn by the server from the bundle's numbers, in the
// page's language and the site's colours (dark mode included), instead of an
// image with numbers baked in. It is a table first — what each bar counts and
// how many, read as such by a screen reader, printed, copied — with each
// value's bar drawn beside it as a small SVG that is only decoration. The
// text stays HTML text, so it is as legible on a phone as the page's.

type Chart = Extract<Block, { kind: 'chart' }>;

/** The end of the scale: a round number at or just above the largest figure, so that the longest bar nearly fills the row. */
function scaleEnd(bars: readonly ChartBar[]): number {
  const max = Math.max(...bars.map((b) => Math.max(b.value, b.revised?.value ?? 0)), 1);
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / (step / 2)) * (step / 2);
}

/** The figure column's widths in characters that site.css has a class for (.chart-vw-3 … .chart-vw-16). */
export const VALUE_WIDTHS = { min: 3, max: 16 } as const;

/** SVG's length units: 1000 across the row, whatever its width on screen. */
const W = 1000;
const round = (n: number) => Math.round(n * 10) / 10;
const pct = (v: number, end: number) => round((v / end) * W);

function Bar({ bar, end, seriesIndex }: { bar: ChartBar; end: number; seriesIndex: number }) {
  const main = pct(bar.value, end);
  const cls = `chart-bar chart-bar--s${seriesIndex}${bar.qualifier === 'at_least' ? ' chart-bar--open' : ''}`;
  return (
    <svg class="chart-svg" viewBox={`0 0 ${W} 20`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class={cls} x="0" y="0" width={String(main)} height="20" vector-effect="non-scaling-stroke" />
      {bar.part ? <rect class="chart-part" x="0" y="0" width={String(pct(bar.part.value, end))} height="20" /> : null}
      {bar.revised ? <rect class="chart-revised" x={String(main)} y="0" width={String(round(pct(bar.revised.value, end) - main))} height="20" vector-effect="non-scaling-stroke" /> : null}
      {/* (Outlines keep their width however the row stretches the drawing: vector-effect.) */}
      {/* A lower bound: the bar goes on, fading, past its figure. */}
      {bar.qualifier === 'at_least' ? <rect class="chart-beyond" x={String(main)} y="0" width={String(Math.min(W - main, W * 0.08))} height="20" /> : null}
    </svg>
  );
}

export function ChartBlock({ ctx, block, title, caption, source }: { ctx: Ctx; block: Chart; title: Localized | undefined; caption: Localized | undefined; source: Localized | undefined }) {
  const nf = new Intl.NumberFormat(ctx.locale);
  const figure = (bar: Pick<ChartBar, 'value' | 'qualifier'>) => {
    const n = nf.format(bar.value);
    return bar.qualifier === 'about' ? ctx.t('chart.about', { n }) : bar.qualifier === 'at_least' ? ctx.t('chart.atLeast', { n }) : n;
  };
  const end = scaleEnd(block.bars);
  const series = block.series ?? [];
  // Bars of the first series (or of none) are solid; of the second, hatched; then two more looks.
  const seriesIndex = (sid: string | undefined) => Math.max(0, series.findIndex((s) => s.id === sid));
  const id = `chart-${block.id}`;
  const legend = series.length > 0;
  // One width for every row's figure, that of the longest, so that the bars beside them share one scale (a class: the CSP allows no style attribute).
  const longest = Math.max(...block.bars.map((b) => figure(b).length));
  const width = `chart-vw-${Math.min(VALUE_WIDTHS.max, Math.max(VALUE_WIDTHS.min, longest))}`;
  return (
    <figure class={`chart-block ${width}`} aria-labelledby={`${id}-title`}>
      <table class="chart">
        <caption id={`${id}-title`}>{title ? <L ctx={ctx} v={title} /> : null}</caption>
        <thead>
          <tr><th scope="col"><span class="visually-hidden">{ctx.t('chart.counted')}</span></th><th scope="col"><L ctx={ctx} v={ctx.tx(block.unit)} /></th></tr>
        </thead>
        <tbody>
          {block.bars.map((bar) => (
            <tr>
              <th scope="row"><L ctx={ctx} v={ctx.tx(bar.label)} />{bar.series !== undefined && legend ? <span class="visually-hidden"> (<L ctx={ctx} v={ctx.tx(series[seriesIndex(bar.series)]!.label)} />)</span> : null}</th>
              <td>
                <span class="chart-row">
                  <Bar bar={bar} end={end} seriesIndex={seriesIndex(bar.series)} />
                  <span class="chart-value">{figure(bar)}</span>
                </span>
                {bar.part ? <span class="chart-note"><span class="chart-key chart-key--part" aria-hidden="true"></span>{nf.format(bar.part.value)} <L ctx={ctx} v={ctx.tx(bar.part.label)} /></span> : null}
                {bar.revised ? <span class="chart-note"><span class="chart-key chart-key--revised" aria-hidden="true"></span>{nf.format(bar.revised.value)} <L ctx={ctx} v={ctx.tx(bar.revised.label)} /></span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {legend || caption || source ? (
        <figcaption>
          {legend ? (
            <ul class="chart-legend" aria-label={ctx.t('chart.legend')}>
              {series.map((s, i) => <li><span class={`chart-key chart-key--s${i}`} aria-hidden="true"></span><L ctx={ctx} v={ctx.tx(s.label)} /></li>)}
            </ul>
          ) : null}
          {caption ? <p><LInline ctx={ctx} v={caption} /></p> : null}
          {source ? <p class="chart-source">{ctx.t('chart.source')}{ctx.t('punct.colon')}<LInline ctx={ctx} v={source} /></p> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}
