// Charts of the labor vulnerability index (dashboard and fairness report), drawn with the
// vendored Chart.js from the page's JSON data: no inline script, so the CSP holds. Every
// chart repeats the table under it, which is what screen readers and the printed page use.
// Values are percentages; a withheld value is null and draws no bar or point.
(() => {
  const source = document.getElementById("ivl-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colors = ["#0b6e99", "#d9822b", "#5b8c3a", "#8e5ea2", "#c0392b", "#7f8c8d"];
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 1,
  });
  const percent = (value) => `${number.format(value)} %`;
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: reduced ? false : undefined,
  };
  const tooltip = {
    callbacks: {
      label: (item) => `${item.dataset.label}: ${item.raw === null ? "x" : percent(item.raw)}`,
    },
  };

  function place(name) {
    const box = document.querySelector(`[data-chart="${name}"]`);
    return box ? { box, canvas: box.querySelector("canvas") } : null;
  }

  // Long labels (indicators) are cut on narrow screens; the tooltip and table keep them whole.
  function shorten(box) {
    const max = box.clientWidth < 500 ? 18 : 42;
    return function (value) {
      const label = String(this.getLabelForValue(value));
      return label.length > max ? `${label.slice(0, max - 1)}…` : label;
    };
  }

  const series = place("series");
  if (series && data.series && data.series.labels.length) {
    series.box.style.height = "240px";
    new Chart(series.canvas, {
      type: data.series.labels.length > 1 ? "line" : "bar",
      data: {
        labels: data.series.labels,
        datasets: data.series.datasets.map((set, i) => ({
          ...set, borderColor: colors[i], backgroundColor: colors[i], spanGaps: false,
        })),
      },
      options: {
        ...common,
        plugins: { tooltip },
        scales: { y: { beginAtZero: true, ticks: { callback: percent } } },
      },
    });
  } else if (series) {
    series.box.remove();
  }

  for (const [name, bar] of Object.entries(data.bars || {})) {
    const spot = place(name);
    if (!spot) continue;
    if (!bar.datasets.some((set) => set.data.some((v) => v))) { spot.box.remove(); continue; }
    const perLabel = 22 * bar.datasets.length + 6;
    spot.box.style.height = `${Math.max(120, bar.labels.length * perLabel + 50)}px`;
    new Chart(spot.canvas, {
      type: "bar",
      data: {
        labels: bar.labels,
        datasets: bar.datasets.map((set, i) => ({ ...set, backgroundColor: colors[i] })),
      },
      options: {
        ...common,
        indexAxis: "y",
        plugins: { legend: { display: bar.datasets.length > 1 }, tooltip },
        scales: {
          x: { beginAtZero: true, ticks: { callback: percent } },
          y: { ticks: { callback: shorten(spot.box), autoSkip: false } },
        },
      },
    });
  }
})();
