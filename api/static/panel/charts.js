// Drawing with the vendored Chart.js (window.Chart, from vendor/chart.umd.min.js). Each chart
// drawn is also kept as plain data in `drawn` (the page exposes it as podiumPanel.charts), so
// tests and people debugging can read what a canvas shows.
export const drawn = {};
const made = {};
const PALETTE = ["#246", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"];

export function draw(id, type, labels, series, options = {}) {
  const canvas = document.getElementById(id);
  made[id]?.destroy();
  const round = type === "doughnut" || type === "pie";
  const datasets = series.map((one, i) => ({
    label: one.label,
    data: one.data,
    stepped: one.stepped ?? false,
    backgroundColor: round ? PALETTE : PALETTE[i % PALETTE.length],
    borderColor: round ? "#fff" : PALETTE[i % PALETTE.length],
  }));
  made[id] = new window.Chart(canvas, {
    type,
    data: labels === undefined ? { datasets } : { labels, datasets },
    options: {
      animation: false, // drawn at once: what the data says, not a transition
      maintainAspectRatio: false,
      plugins: { legend: { display: round || series.length > 1 } },
      scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
      ...options,
    },
  });
  drawn[id] = { type, labels, series: series.map((one) => ({ label: one.label, data: one.data })) };
}
