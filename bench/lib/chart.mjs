// The SVG bar chart of the ratios in BENCHMARKS.md, drawn by hand (no dependencies).
//
// One group of bars per workload, one bar per contender. Every bar is the factor by which
// asyncio-ts is better than that contender in the workload's own sense (faster for a rate,
// cheaper for a cost), on a log scale around 1×: a bar to the right means asyncio-ts is ahead
// by that factor, a bar to the left means the contender is ahead. The table's ratios are the
// contender's figure over asyncio-ts's; for a rate the bar is their inverse, so that "right is
// better for asyncio-ts" holds for every workload.

const COLORS = {
  promises: '#8c8c8c',
  effection: '#d9822b',
  effect: '#6f42c1',
  piscina: '#2b8a3e',
  asyncio: '#1f6feb',
  uvloop: '#0aa2c0',
};

const WIDTH = 960;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 160;
const ROW = 20;
const BAR = 14;
const GROUP_HEADER = 24;
const TOP = 104;
const BOTTOM = 40;

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How many times better asyncio-ts is than the row's contender (above 1: asyncio-ts ahead). */
export function leadOf(row) {
  if (row.ratio === null || row.ratio === undefined || !Number.isFinite(row.ratio)) return null;
  if (row.ratio <= 0) return null;
  return row.better === 'higher' ? 1 / row.ratio : row.ratio;
}

function factorLabel(lead) {
  const factor = lead >= 1 ? lead : 1 / lead;
  const text =
    factor >= 100 ? factor.toFixed(0) : factor >= 10 ? factor.toFixed(1) : factor.toFixed(2);
  return lead >= 1 ? `asyncio-ts ${text}× ahead` : `${text}× ahead of asyncio-ts`;
}

/** Powers of ten (and 1) that span [lo, hi], for the axis. */
function decades(lo, hi) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) ticks.push(10 ** e);
  return ticks;
}

/**
 * The chart of `result` (the object run.mjs saves as results/latest.json) as an SVG document.
 * `workloads` and `contenderLabel` give the order of the groups and the contenders' names.
 */
export function ratioChart(result, { workloads, contenderLabel, units }) {
  const groups = [];
  for (const w of workloads) {
    const bars = result.rows
      .filter((r) => r.workload === w && r.contender !== 'asyncio-ts')
      .map((r) => ({ contender: r.contender, lead: leadOf(r) }))
      .filter((b) => b.lead !== null);
    if (bars.length) groups.push({ workload: w, bars });
  }
  const leads = groups.flatMap((g) => g.bars.map((b) => b.lead));
  const lo = Math.min(0.5, ...leads);
  const hi = Math.max(2, ...leads);
  const ticks = decades(lo, hi);
  const logLo = Math.log10(ticks[0]);
  const logHi = Math.log10(ticks[ticks.length - 1]);
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const x = (v) => plotLeft + ((Math.log10(v) - logLo) / (logHi - logLo)) * plotWidth;
  const rows = groups.reduce((n, g) => n + g.bars.length, 0);
  const height = TOP + groups.length * GROUP_HEADER + rows * ROW + BOTTOM;

  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<text x="20" y="28" font-size="17" font-weight="600" fill="#111">How many times asyncio-ts is ahead of each contender (log scale)</text>`,
  );
  out.push(
    `<text x="20" y="48" fill="#555">The medians of BENCHMARKS.md (bench/results/latest.json). Right of 1×: asyncio-ts is faster (or cheaper); left of 1×: the contender is.</text>`,
  );
  const axisTop = TOP - 14;
  const axisBottom = height - BOTTOM + 6;
  for (const t of ticks) {
    const tx = x(t).toFixed(1);
    const strong = t === 1;
    out.push(
      `<line x1="${tx}" y1="${axisTop}" x2="${tx}" y2="${axisBottom}" stroke="${strong ? '#333' : '#ddd'}" stroke-width="${strong ? 1.5 : 1}"/>`,
    );
    const label = t >= 1 ? `${t}×` : `1/${Math.round(1 / t)}`;
    out.push(`<text x="${tx}" y="${axisTop - 6}" text-anchor="middle" fill="#555">${label}</text>`);
    out.push(
      `<text x="${tx}" y="${axisBottom + 16}" text-anchor="middle" fill="#555">${label}</text>`,
    );
  }
  out.push(
    `<text x="${x(1) - 8}" y="${TOP - 38}" text-anchor="end" font-weight="600" fill="#555">◀ contender ahead</text>`,
    `<text x="${x(1) + 8}" y="${TOP - 38}" font-weight="600" fill="#555">asyncio-ts ahead ▶</text>`,
  );

  let y = TOP;
  for (const g of groups) {
    const unit = units?.[g.workload];
    out.push(
      `<text x="20" y="${y + 15}" font-size="13" font-weight="600" fill="#111">${escapeXml(g.workload)}${unit ? `<tspan dx="8" font-weight="400" fill="#777">(${escapeXml(unit)})</tspan>` : ''}</text>`,
    );
    y += GROUP_HEADER;
    for (const b of g.bars) {
      const color = COLORS[b.contender] ?? '#999';
      const clamped = Math.min(Math.max(b.lead, ticks[0]), ticks[ticks.length - 1]);
      const x0 = x(1);
      const x1 = x(clamped);
      const left = Math.min(x0, x1);
      const width = Math.max(1, Math.abs(x1 - x0));
      const barY = y + (ROW - BAR) / 2;
      out.push(
        `<text x="36" y="${y + 14}" fill="#333">${escapeXml(contenderLabel[b.contender] ?? b.contender)}</text>`,
      );
      out.push(
        `<rect x="${left.toFixed(1)}" y="${barY}" width="${width.toFixed(1)}" height="${BAR}" fill="${color}" rx="2"/>`,
      );
      // A bar to the left has its label right of the 1× line, clear of the contenders' names.
      const labelX = b.lead >= 1 ? x1 + 6 : x0 + 6;
      out.push(
        `<text x="${labelX.toFixed(1)}" y="${y + 14}" fill="#111">${escapeXml(factorLabel(b.lead))}</text>`,
      );
      y += ROW;
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
